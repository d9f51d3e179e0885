"""Every failure as a short JSON body that names the problem: no traceback, no file path,
no echo of the hostile input (pydantic's errors carry the input; they are trimmed here)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException


class BadRequest(Exception):
    def __init__(self, status: int, detail: str | list[dict[str, Any]]) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def _loc(loc: tuple[int | str, ...]) -> list[int | str]:
    return [part if isinstance(part, int) else str(part)[:40] for part in loc]


def from_validation(err: ValidationError) -> BadRequest:
    """Invalid JSON is a 400 (the body is not JSON at all); JSON of the wrong shape a 422."""
    errors = err.errors(include_url=False, include_input=False, include_context=False)
    for e in errors:
        if e["type"] == "json_invalid":
            return BadRequest(400, f"invalid JSON: {e['msg'].removeprefix('Invalid JSON: ')}")
    return BadRequest(422, [{"loc": _loc(e["loc"]), "msg": e["msg"], "type": e["type"]}
                            for e in errors[:20]])


def install(app: FastAPI) -> None:
    async def bad_request(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, BadRequest)
        return JSONResponse({"detail": exc.detail}, status_code=exc.status)

    async def http_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, HTTPException)
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code,
                            headers=exc.headers)

    async def validation(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        detail = [{"loc": _loc(tuple(e.get("loc", ()))), "msg": str(e.get("msg", "")),
                   "type": str(e.get("type", ""))} for e in exc.errors()[:20]]
        return JSONResponse({"detail": detail}, status_code=422)

    async def internal(_: Request, exc: Exception) -> JSONResponse:
        # A bug, logged by the server; the client learns only that it was not its fault.
        return JSONResponse({"detail": "internal error"}, status_code=500)

    app.add_exception_handler(BadRequest, bad_request)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation)
    app.add_exception_handler(Exception, internal)
