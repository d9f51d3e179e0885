"""The question input: Enter sends, Up/Down walk earlier questions, Tab/Right complete."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class ChatInput(Input):
    """An Input with question history and Tab to accept the inline completion."""

    BINDINGS = [
        Binding("up", "history_previous", "Previous question", show=False,
                id="history-previous"),
        Binding("down", "history_next", "Next question", show=False, id="history-next"),
        Binding("tab", "complete", "Accept completion / go to suggestions", show=False,
                id="accept-completion"),
    ]

    class LeaveRequested(Message):
        """Tab with nothing to complete: the screen decides where focus goes next."""

    def __init__(self, history: list[str] | None = None, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.history: list[str] = history if history is not None else []
        self._index: int | None = None
        self._draft = ""

    def remember(self, text: str) -> None:
        """Add a sent question to the history (no consecutive duplicates) and reset the walk."""
        if not self.history or self.history[-1] != text:
            self.history.append(text)
        self._index = None
        self._draft = ""

    def _show(self, text: str) -> None:
        self.value = text
        self.cursor_position = len(text)

    def action_history_previous(self) -> None:
        if not self.history:
            return
        if self._index is None:
            self._draft = self.value
            self._index = len(self.history)
        if self._index > 0:
            self._index -= 1
            self._show(self.history[self._index])

    def action_history_next(self) -> None:
        if self._index is None:
            return
        self._index += 1
        if self._index >= len(self.history):
            self._index = None
            self._show(self._draft)
        else:
            self._show(self.history[self._index])

    def action_complete(self) -> None:
        if self._suggestion and len(self._suggestion) > len(self.value):
            self._show(self._suggestion)
        else:
            self.post_message(self.LeaveRequested())
