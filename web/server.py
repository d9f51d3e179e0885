"""Runs the app under uvicorn, one Bot per worker process.

Workers are separate processes, so the settings reach them through the environment and
uvicorn builds each one's app with ``app_from_env`` (a factory): every worker loads the bot
once at start-up, and because the state travels with the client any worker can answer any
turn.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence

from fastapi import FastAPI

KNOWLEDGE_ENV = "TAXOBOT_SERVE_KNOWLEDGE"
CORS_ENV = "TAXOBOT_SERVE_CORS"
SECRET_ENV = "TAXOBOT_SECRET"


def app_from_env() -> FastAPI:
    from bot import Bot

    from .app import create_app

    knowledge = [p for p in os.environ.get(KNOWLEDGE_ENV, "").split(os.pathsep) if p]
    origins = [o for o in os.environ.get(CORS_ENV, "").split() if o]
    app = create_app(Bot(extra_knowledge=knowledge), secret=os.environ.get(SECRET_ENV, ""),
                     cors_origins=origins)
    # What was loaded lives as long as the process: keep it out of the collector's full
    # passes (3-14 ms each, measured) so they do not land in some request's latency.
    gc.collect()
    gc.freeze()
    # A long question is answered in a thread (web.app.INLINE_CHARS) but holds the GIL; at
    # the default 5 ms switch interval a cheap request waited p50 7 ms / max 45 ms behind two
    # 16 KiB ones, at 1 ms p50 2-3 ms / max 14-24 ms (benchmarks/load_serve.py, loaded machine).
    sys.setswitchinterval(0.001)
    return app


def run(host: str = "127.0.0.1", port: int = 8000, workers: int = 1,
        knowledge: Sequence[str] = (), cors_origins: Sequence[str] = ()) -> None:
    import uvicorn

    os.environ[KNOWLEDGE_ENV] = os.pathsep.join(knowledge)
    os.environ[CORS_ENV] = " ".join(cors_origins)
    uvicorn.run("web.server:app_from_env", factory=True, host=host, port=port,
                workers=workers, log_level="info", server_header=False,
                access_log=False)
