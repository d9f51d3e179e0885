"""`taxobot serve` as a real uvicorn server on 127.0.0.1: what a client in any language sees."""

from __future__ import annotations

import http.client
import json
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the serve extra is not installed")

from live_server import serving  # noqa: E402

JSON = {"Content-Type": "application/json"}


def test_a_conversation_over_http() -> None:
    with serving() as live:
        status, first = live.ask("what type of model is BERT?")
        assert status == 200 and "masked" in first["reply"]["text"].lower()
        status, second = live.ask("is it open source?", first["state"])
        assert status == 200 and second["reply"]["text"].startswith("Yes")
        assert live.request("GET", "/nope")[0] == 404
        assert live.request("POST", "/v1/ask", b"{", JSON)[0] == 400
        assert live.request("POST", "/v1/ask", b'{"text": 5}', JSON)[0] == 422
        status, page = live.request("GET", "/")
        assert status == 200 and b"/static/chat.js" in page
        spec = json.loads(live.request("GET", "/openapi.json")[1])
        assert "/v1/ask" in spec["paths"]


def test_a_body_over_the_limit_is_refused_with_or_without_a_length() -> None:
    with serving() as live:
        big = json.dumps({"text": "a" * 20_000}).encode()
        assert live.request("POST", "/v1/ask", big, JSON)[0] == 413
        conn = http.client.HTTPConnection(live.host, live.port, timeout=10)
        chunks = (big[i:i + 1000] for i in range(0, len(big), 1000))
        conn.request("POST", "/v1/ask", body=chunks, headers=JSON, encode_chunked=True)
        assert conn.getresponse().status == 413
        conn.close()
        assert live.ask("hello")[0] == 200


def test_two_workers_share_a_conversation_through_the_signed_state() -> None:
    # Each request opens a new connection, so turns land on either worker: the state alone
    # carries the conversation.
    with serving("--workers", "2", env={"TAXOBOT_SECRET": "s3cret"}) as live:
        _, health = live.request("GET", "/v1/health")
        assert json.loads(health)["signed_state"] is True
        state = None
        for _ in range(6):
            status, first = live.ask("what type of model is BERT?", state)
            status, second = live.ask("is it open source?", first["state"])
            assert status == 200 and second["reply"]["text"].startswith("Yes")
            state = second["state"]
        forged = {**state, "payload": {**state["payload"], "turns": 0}}
        status, body = live.ask("and T5?", forged)
        assert (status, body) == (400, {"detail": "invalid conversation state"})


def _listening(port: int) -> list[str]:
    """The local addresses listening on ``port`` (IPv4), from /proc/net/tcp."""
    found = []
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        addr, hexport = local.split(":")
        if state == "0A" and int(hexport, 16) == port:
            found.append(".".join(str(b) for b in reversed(bytes.fromhex(addr))))
    return found


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="needs Linux's /proc/net/tcp")
def test_it_binds_to_loopback_by_default() -> None:
    with serving() as live:
        assert _listening(live.port) == ["127.0.0.1"]


def test_a_missing_knowledge_file_stops_serve_before_it_starts() -> None:
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "bot", "serve", "--knowledge", "/nonexistent.yaml"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "no such knowledge file" in r.stderr
