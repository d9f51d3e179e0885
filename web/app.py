"""The ASGI application: the JSON API under /v1, the web chat at /, a docs page at /docs.

One Bot per process, built before the first request and shared read-only by every request
(the engine is immutable after load, and safe to share between threads). A question of
ordinary length is answered on the event loop itself; only a long one goes to a thread
(``INLINE_CHARS``; benchmarks/load_serve.py measures how long each holds the loop).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from markdown_it import MarkdownIt
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from bot import __version__

from . import errors
from .limits import BodyLimit
from .protocol import BotLike
from .schema import AskRequest, AskResponse, Health, Problem, Taxonomy
from .state import InvalidState, StateCodec

STATIC = files("web") / "static"
# A question up to this long is answered on the event loop (measured: 0.3-2 ms median, where
# a hop to a thread and back would add its own cost to every request); a longer one, up to
# ~60 ms in the engine plus the rendering of a long answer, in a thread, so that the loop
# goes on serving the others meanwhile.
INLINE_CHARS = 256

# The page runs only its own script and talks only to this server.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
                               "img-src 'self'; connect-src 'self'; base-uri 'none'; "
                               "form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": 'Not JSON, or "invalid conversation state"'},
    413: {"model": Problem, "description": "Body over 16 KiB"},
    415: {"model": Problem, "description": "Body not sent as application/json"},
    422: {"model": Problem, "description": "JSON of the wrong shape or types"},
}


def _dumps(content: object) -> bytes:
    return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()


def _json(content: object) -> Response:
    return _raw_json(_dumps(content))


def _raw_json(body: bytes) -> Response:
    return Response(body, media_type="application/json", headers={"Cache-Control": "no-store"})


def _is_json(content_type: str) -> bool:
    """application/json or any +json type. Requiring it also means a page on another site
    cannot post here without the CORS preflight that --cors-origin governs."""
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/")
                                           and media.endswith("+json"))


def _taxonomy(bot: BotLike) -> dict[str, Any]:
    return {"dimensions": [
        {"id": d.id, "number": d.number, "name": d.name, "heading": d.heading,
         "categories": [{"id": c.id, "name": c.name, "short": c.short,
                         "description": c.description} for c in bot.kb.categories_in(d.id)]}
        for d in bot.kb.dimensions]}


@dataclass(frozen=True)
class Answerer:
    """One turn, from the request's bytes to the response's: all the work a question does,
    in one place so that benchmarks/load_serve.py can time exactly that."""

    bot: BotLike
    codec: StateCodec
    render: Callable[[str], str]

    def parse(self, raw: bytes) -> AskRequest:
        try:
            return AskRequest.model_validate_json(raw)
        except ValidationError as err:
            raise errors.from_validation(err) from None

    def answer(self, body: AskRequest) -> bytes:
        try:
            conv = self.bot.conversation(self.codec.decode(body.state))
        except ValueError:  # InvalidState, or the engine refusing a malformed state
            raise errors.BadRequest(400, "invalid conversation state") from None
        reply = conv.ask(body.text)
        out = reply.to_dict()
        out["html"] = self.render(reply.text)
        return _dumps({"reply": out, "state": self.codec.encode(conv.to_dict())})

    def turn(self, raw: bytes) -> bytes:
        return self.answer(self.parse(raw))


def renderer(cache: int = 2048, longest_kept: int = 4096) -> Callable[[str], str]:
    """Markdown to HTML with raw HTML escaped (never passed through) and tables on.
    markdown-it-py costs ~0.5 ms an answer, as much as the engine; the same question gives
    the same answer, so rendered answers are kept, per process, up to ``cache`` of them and
    only those of at most ``longest_kept`` characters: the cache stays under ~20 MB whatever
    clients ask, and the rare long answer (a question naming every model) is rendered anew."""
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.render("**warm** the rule chains | before threads share them")
    kept = functools.lru_cache(maxsize=cache)(md.render)

    def render(text: str) -> str:
        return str(kept(text)) if len(text) <= longest_kept else md.render(text)

    return render


def create_app(bot: BotLike, *, secret: str = "", cors_origins: Sequence[str] = (),
               version: str = __version__) -> FastAPI:
    """``secret`` signs the conversation state; ``cors_origins`` are the only other origins
    whose pages may call the API (none by default)."""
    codec = StateCodec(secret.encode())
    answerer = Answerer(bot, codec, renderer())
    taxonomy = _taxonomy(bot)
    page = (STATIC / "index.html").read_bytes()
    docs = (STATIC / "docs.html").read_bytes()

    app = FastAPI(title="taxobot", version=version, docs_url=None, redoc_url=None,
                  description="Answers questions about the taxonomy of large language models. "
                              "The server keeps no conversation: send back the `state` of "
                              "each response with the next message.")
    errors.install(app)
    if cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(cors_origins),
                           allow_methods=["GET", "POST"], allow_headers=["Content-Type"])
    app.add_middleware(BodyLimit)

    @app.post("/v1/ask", response_model=AskResponse, responses=_ERRORS,
              openapi_extra={"requestBody": {"required": True, "content": {
                  "application/json": {"schema": AskRequest.model_json_schema()}}}})
    async def ask(request: Request) -> Response:
        """One turn of a conversation: the reply, and the state to send with the next."""
        if not _is_json(request.headers.get("content-type", "")):
            raise errors.BadRequest(415, "send the body as Content-Type: application/json")
        body = answerer.parse(await request.body())
        if len(body.text) <= INLINE_CHARS:
            return _raw_json(answerer.answer(body))
        return _raw_json(await run_in_threadpool(answerer.answer, body))

    @app.get("/v1/health", response_model=Health)
    async def health() -> Response:
        return _json({"status": "ok", "version": version, "signed_state": codec.signed})

    @app.get("/v1/taxonomy", response_model=Taxonomy)
    async def get_taxonomy() -> Response:
        """The dimensions and their categories, in taxonomy order: for clients that build
        menus."""
        return _json(taxonomy)

    @app.get("/", include_in_schema=False)
    async def chat_page() -> Response:
        return Response(page, media_type="text/html; charset=utf-8", headers=PAGE_HEADERS)

    @app.get("/docs", include_in_schema=False)
    async def docs_page() -> Response:
        return Response(docs, media_type="text/html; charset=utf-8", headers=PAGE_HEADERS)

    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    return app


__all__ = ["Answerer", "InvalidState", "create_app"]
