"""The ASGI application: the JSON API under /v1, the web chat at /, a docs page at /docs.

One Bot per process, built before the first request and shared read-only by every request
(the engine is immutable after load). A turn takes well under a millisecond, so it runs on
the event loop itself: a thread hop would cost more than the work (see
benchmarks/load_serve.py, which measures the longest a single question holds the loop).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib.resources import files
from typing import Any

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from markdown_it import MarkdownIt
from pydantic import ValidationError

from bot import __version__

from . import errors
from .limits import BodyLimit
from .protocol import BotLike
from .schema import AskRequest, AskResponse, Health, Problem, Taxonomy
from .state import InvalidState, StateCodec

STATIC = files("web") / "static"

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


def _json(content: object, status: int = 200) -> Response:
    body = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()
    return Response(body, status_code=status, media_type="application/json",
                    headers={"Cache-Control": "no-store"})


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


def create_app(bot: BotLike, *, secret: str = "", cors_origins: Sequence[str] = (),
               version: str = __version__) -> FastAPI:
    """``secret`` signs the conversation state; ``cors_origins`` are the only other origins
    whose pages may call the API (none by default)."""
    codec = StateCodec(secret.encode())
    markdown = MarkdownIt("commonmark", {"html": False}).enable("table")
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
        try:
            body = AskRequest.model_validate_json(await request.body())
        except ValidationError as err:
            raise errors.from_validation(err) from None
        try:
            conv = bot.conversation(codec.decode(body.state))
        except ValueError:  # InvalidState, or the engine refusing a malformed state
            raise errors.BadRequest(400, "invalid conversation state") from None
        reply = conv.ask(body.text)
        out = reply.to_dict()
        out["html"] = markdown.render(reply.text)
        return _json({"reply": out, "state": codec.encode(conv.to_dict())})

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


__all__ = ["InvalidState", "create_app"]
