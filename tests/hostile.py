"""Generated hostile request bodies: wrong types, huge strings, deep nesting, control
characters, invalid bytes, markup and script bait. Seeded, so a failure replays."""

from __future__ import annotations

import json
import random
from typing import Any

BAIT = ["<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "javascript:alert(1)",
        "[x](javascript:alert(1))", "\"><svg onload=alert(1)>", "{{7*7}}", "${jndi:x}",
        "'; DROP TABLE models; --", "../../etc/passwd", "%00", "\u202e\u0000\u001b[31m",
        "what type of model is BERT?", "is it open source?", "\ud800" * 0 + "\U0001F600" * 50]


def _text(rng: random.Random) -> str:
    kind = rng.randrange(5)
    if kind == 0:
        return rng.choice(BAIT)
    if kind == 1:
        return "".join(chr(rng.randrange(0, 0x20)) for _ in range(rng.randrange(1, 60)))
    if kind == 2:
        return rng.choice(BAIT) * rng.randrange(1, 3000)
    if kind == 3:
        return "".join(chr(rng.randrange(0x20, 0x2FFFF)) for _ in range(rng.randrange(0, 200)))
    return " ".join(rng.choice(BAIT) for _ in range(rng.randrange(1, 8)))


def _value(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randrange(8 if depth < 4 else 5)
    if kind == 0:
        return rng.choice([None, True, False, 0, -1, 2**70, 1.5e308, float("inf")])
    if kind in (1, 2, 3, 4):
        return _text(rng)
    if kind == 5:
        return [_value(rng, depth + 1) for _ in range(rng.randrange(0, 5))]
    return {_text(rng)[:30]: _value(rng, depth + 1) for _ in range(rng.randrange(0, 5))}


def _nested(rng: random.Random) -> bytes:
    n = rng.randrange(10, 8000)
    if rng.random() < 0.5:
        return b'{"text": "hi", "state": ' + b'{"a":' * n + b"1" + b"}" * (n + 1)
    return b"[" * n + b"]" * rng.choice([n, 0])


def hostile_body(rng: random.Random) -> bytes:
    """One request body a client might send by mistake or malice."""
    kind = rng.randrange(7)
    if kind == 0:  # the right shape, hostile contents
        return json.dumps({"text": _text(rng), "state": rng.choice([None, {}, _value(rng)])},
                          allow_nan=True).encode()
    if kind == 1:  # wrong types in the right fields
        return json.dumps({"text": _value(rng), "state": _value(rng)}).encode()
    if kind == 2:  # any JSON at all
        return json.dumps(_value(rng)).encode()
    if kind == 3:
        return _nested(rng)
    if kind == 4:  # not JSON: random bytes, truncated JSON, invalid UTF-8
        raw = json.dumps({"text": _text(rng)}).encode()
        return rng.choice([bytes(rng.randrange(256) for _ in range(rng.randrange(0, 300))),
                           raw[:rng.randrange(len(raw))], raw.replace(b"h", b"\xff")])
    if kind == 5:  # a plausible state, altered
        state = {"version": 1, "intent": _text(rng)[:50], "models": [_text(rng)[:40]],
                 "turns": rng.choice([-1, 0, 10**30, "1"])}
        return json.dumps({"text": "is it open source?", "state": state}).encode()
    return json.dumps({"text": "x" * rng.randrange(15_000, 40_000)}).encode()  # too big


def bodies(seed: int, count: int) -> list[bytes]:
    rng = random.Random(seed)
    return [hostile_body(rng) for _ in range(count)]
