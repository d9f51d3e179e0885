"""Command palette (Ctrl+P) entries for the chat."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from .app import TaxobotApp


class TaxobotCommands(Provider):
    """New conversation, save, copy, toggle browser / explain, change theme, help."""

    def commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app: TaxobotApp = self.app  # type: ignore[assignment]
        return [
            ("New conversation", "Clear the chat and the context", app.action_new_conversation),
            ("Save transcript", "Write the conversation as Markdown", app.action_save_transcript),
            ("Copy last answer", "Copy the last answer to the clipboard",
             app.action_copy_answer),
            ("Toggle taxonomy browser", "Show or hide the dimensions / categories / models tree",
             app.action_toggle_browser),
            ("Toggle explain panel", "Show or hide how the last question was understood",
             app.action_toggle_explain),
            ("Change theme", "Pick a colour theme (remembered)", app.action_change_theme),
            ("Help", "What taxobot answers and every key", app.action_help),
        ]

    async def discover(self) -> Hits:
        for name, help_text, callback in self.commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self.commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, text=name, help=help_text)
