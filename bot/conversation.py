"""A multi-turn conversation: the only mutable state in the engine."""

from __future__ import annotations

import threading
from typing import Any, Protocol

from .context import Context
from .reply import Reply


class Responder(Protocol):
    """What a conversation needs of the engine (``bot.Bot`` is one): one turn, from the
    context so far to the reply and the next context."""

    def respond(self, text: str, ctx: Context) -> tuple[Reply, Context]: ...


class Conversation:
    """Remembers what was talked about so "and T5?" or "is it open source?" make sense.

    One conversation is meant for one user; a lock keeps it consistent even if two threads
    share it by mistake.
    """

    def __init__(self, bot: Responder, context: Context | None = None) -> None:
        self._bot = bot
        self._context = context or Context()
        self._lock = threading.Lock()

    @property
    def context(self) -> Context:
        return self._context

    def ask(self, text: str) -> Reply:
        with self._lock:
            reply, self._context = self._bot.respond(text, self._context)
            return reply

    def reset(self) -> None:
        with self._lock:
            self._context = Context()

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe state; ``bot.conversation(state)`` resumes from it."""
        return self._context.to_dict()
