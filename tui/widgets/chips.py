"""Follow-up suggestions under an answer, as chips to click or press Enter on."""

from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Button


class Chip(Button):
    """One suggestion. Its label is literal text, never markup."""

    def __init__(self, question: str) -> None:
        super().__init__(Content.assemble(("› ", "dim"), question), compact=True,
                         classes="chip")
        self.question = question


class SuggestionChips(Vertical):
    """The chips under one message; choosing one posts :class:`SuggestionChips.Chosen`."""

    BINDINGS = [
        Binding("up,left", "move(-1)", "Previous suggestion", show=False,
                id="chips-previous"),
        Binding("down,right", "move(1)", "Next suggestion", show=False, id="chips-next"),
    ]

    class Chosen(Message):
        def __init__(self, question: str) -> None:
            super().__init__()
            self.question = question

    def __init__(self, questions: Iterable[str], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.questions = tuple(questions)

    def compose(self) -> ComposeResult:
        for question in self.questions:
            yield Chip(question)

    def focus_first(self) -> bool:
        chips = list(self.query(Chip))
        if chips:
            chips[0].focus()
        return bool(chips)

    def action_move(self, step: int) -> None:
        chips = list(self.query(Chip))
        focused = self.screen.focused
        if focused in chips:
            index = chips.index(focused) + step  # type: ignore[arg-type]
            if 0 <= index < len(chips):
                chips[index].focus()

    @on(Button.Pressed, ".chip")
    def _chosen(self, event: Button.Pressed) -> None:
        event.stop()
        assert isinstance(event.button, Chip)
        self.post_message(self.Chosen(event.button.question))
