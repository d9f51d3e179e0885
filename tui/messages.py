"""Messages that cross from the app (which loads the engine) to the chat screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from .protocol import BotLike


class BotLoaded(Message):
    """The engine finished loading: ``bot`` is a ``bot.Bot``, or None with ``error`` set."""

    def __init__(self, bot: BotLike | None, error: str = "") -> None:
        super().__init__()
        self.bot = bot
        self.error = error
