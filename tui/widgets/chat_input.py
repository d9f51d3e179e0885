"""The question input: Enter sends, Up/Down walk earlier questions, Tab/Right complete.

Text that arrives faster than the app reads it (a burst of keys, a multi-line paste) is cut
into questions at each line end: every complete line is sent, in order, and what follows
the last line end stays in the input to finish.
"""

from __future__ import annotations

import re

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

MAX_PASTED_LINES = 20
"""A paste of more lines than this is not a list of questions: it is refused, with a note."""
_LINE_END = re.compile(r"\r\n|\r|\n")


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

    class PasteRefused(Message):
        """A paste too long to be questions: the screen says so."""

        def __init__(self, lines: int) -> None:
            super().__init__()
            self.lines = lines

    async def _on_key(self, event: events.Key) -> None:
        # Enter is taken here, in key order, not as a binding: a binding runs only once the
        # key has bubbled up to the app, after the keys behind it were typed into this input.
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            await self.action_submit()

    async def action_submit(self) -> None:
        # Emptied now, not when the screen gets the message: keys already on their way
        # (a burst, a paste) belong to the next question, not glued to this one.
        value = self.value
        self.value = ""
        self.post_message(self.Submitted(self, value))

    def _on_paste(self, event: events.Paste) -> None:
        lines = _LINE_END.split(event.text)
        if len(lines) == 1:
            return  # Input's own handler (called next) inserts it
        event.stop()
        event.prevent_default()
        if len(lines) - 1 > MAX_PASTED_LINES:
            self.post_message(self.PasteRefused(len(lines)))
            return
        *complete, rest = lines
        self.insert_text_at_cursor(complete[0])
        first, self.value = self.value, ""
        for line in (first, *complete[1:]):
            if line.strip():
                self.post_message(self.Submitted(self, line))
        self.insert_text_at_cursor(rest)

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
