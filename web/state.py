"""The conversation state that travels with the client, signed when a secret is set.

The server keeps no conversation: each reply carries the state the next request sends back,
so any worker on any machine can answer the next turn. With ``TAXOBOT_SECRET`` set the state
goes out as ``{"payload": <state>, "signature": <HMAC-SHA256 hex>}``: still readable by the
client (useful when debugging), but a changed payload no longer matches its signature and is
refused. Without a secret the bare state is sent and the engine's own checks
(``Bot.conversation`` raises ValueError on a malformed state) are the only guard.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any


class InvalidState(ValueError):
    """A state the server will not resume from: altered, unsigned when it must be, malformed."""


def _canonical(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode()


@dataclass(frozen=True)
class StateCodec:
    secret: bytes = b""

    @property
    def signed(self) -> bool:
        return bool(self.secret)

    def _signature(self, payload: dict[str, Any]) -> str:
        return hmac.new(self.secret, _canonical(payload), hashlib.sha256).hexdigest()

    def encode(self, state: dict[str, Any]) -> dict[str, Any]:
        if not self.signed:
            return state
        return {"payload": state, "signature": self._signature(state)}

    def decode(self, sent: dict[str, Any] | None) -> dict[str, Any] | None:
        """The engine state to resume from (None: a new conversation)."""
        if sent is None or not self.signed:
            return sent
        payload, signature = sent.get("payload"), sent.get("signature")
        if set(sent) != {"payload", "signature"} or not isinstance(payload, dict) \
                or not isinstance(signature, str):
            raise InvalidState("the state is not signed")
        if not hmac.compare_digest(self._signature(payload), signature):
            raise InvalidState("the state's signature does not match")
        return payload
