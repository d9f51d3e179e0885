"""A real `taxobot serve` on 127.0.0.1 for the tests that need one (HTTP API, browser)."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Live:
    host: str
    port: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def ask(self, text: str, state: Any = None) -> tuple[int, Any]:
        status, body = self.request("POST", "/v1/ask", json.dumps({"text": text, "state": state})
                                    .encode(), {"Content-Type": "application/json"})
        return status, json.loads(body)


@contextlib.contextmanager
def serving(*args: str, env: dict[str, str] | None = None) -> Iterator[Live]:
    """`python -m bot serve` on a free port, until the block ends; fails if it never answers.
    Its output goes to a file, not a pipe: a pipe nobody reads can fill and block it."""
    port = free_port()
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--port", str(port), *args],
            env={**os.environ, **(env or {})}, stdout=log, stderr=log)
        live = Live("127.0.0.1", port, proc)
        try:
            _wait_until_answering(live, log)
            yield live
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_until_answering(live: Live, log: IO[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        if live.process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"taxobot serve exited: {log.read().decode()[-2000:]}")
        with contextlib.suppress(OSError):
            if live.request("GET", "/v1/health")[0] == 200:
                return
        if time.monotonic() > deadline:
            raise RuntimeError(f"taxobot serve did not answer within {seconds:.0f} s")
        time.sleep(0.1)
