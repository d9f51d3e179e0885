"""F1: what taxobot answers, example questions, every key binding and slash command."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer

from ..text import EXAMPLES, SLASH_COMMANDS, TIPS, WHAT_IT_ANSWERS


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


class HelpScreen(ModalScreen[None]):
    """A modal help page; Escape, F1 or q closes it."""

    BINDINGS = [
        Binding("escape,f1,q", "close", "Close help", id="help-close"),
    ]

    def __init__(self, bindings: Iterable[tuple[str, str, str]]) -> None:
        """``bindings``: (where, keys, description) for every binding to list."""
        super().__init__(id="help")
        self.bindings = list(bindings)

    def markdown(self) -> str:
        parts = ["# taxobot help", "", WHAT_IT_ANSWERS, "## Example questions", ""]
        parts += [f"- *{example}*" for example in EXAMPLES]
        parts += ["", "## Keys", "", "| Key | What it does | Where |", "|---|---|---|"]
        parts += [f"| {_cell(keys)} | {_cell(desc)} | {where} |"
                  for where, keys, desc in self.bindings]
        parts += ["", "## Slash commands", "", "| Command | What it does |", "|---|---|"]
        parts += [f"| `{cmd}` | {_cell(desc)} |" for cmd, desc in SLASH_COMMANDS.items()]
        parts += ["", "## Tips", "", TIPS]
        return "\n".join(parts)

    def compose(self) -> ComposeResult:
        from textual.widgets import Markdown  # lazily: not needed for the first paint

        with VerticalScroll(id="help-body") as body:
            body.border_title = "Help"
            body.border_subtitle = "Esc closes"
            yield Markdown(self.markdown())
        yield Footer()

    def action_close(self) -> None:
        self.dismiss()
