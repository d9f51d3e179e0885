"""Messages that cross from the app (which loads the engine) to the chat screen."""

from __future__ import annotations

from typing import Any

from textual.message import Message


class BotLoaded(Message):
    """The engine finished loading: ``bot`` is a ``bot.Bot``, or None with ``error`` set."""

    def __init__(self, bot: Any | None, error: str = "") -> None:
        super().__init__()
        self.bot = bot
        self.error = error
