"""The conversation: the user's messages (literal text) and the bot's answers (Markdown)."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import LoadingIndicator, Static

from .chips import SuggestionChips
from .markdown_view import MarkdownView


class ChatMessage(Vertical):
    """A bordered message with its author as the border title."""

    author = ""

    def on_mount(self) -> None:
        self.border_title = self.author


class UserMessage(ChatMessage):
    """What the user typed, shown exactly as typed: no markup is interpreted."""

    author = "You"

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield Static(Content(self.text), classes="body")


class BotMessage(ChatMessage):
    """An answer rendered from Markdown (one widget, see :mod:`markdown_view`), with its
    follow-up suggestions as chips."""

    author = "taxobot"

    def __init__(self, markdown: str, suggestions: Iterable[str] = (), *,
                 classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self.markdown = markdown
        self.suggestions = tuple(suggestions)

    def compose(self) -> ComposeResult:
        yield MarkdownView(self.markdown, classes="body")
        if self.suggestions:
            yield SuggestionChips(self.suggestions)

    async def archive_chips(self) -> None:
        """Swap the chip widgets for the same chips drawn in the answer's own widget: a long
        log then holds two widgets per answer instead of five or six."""
        chips = self.query_children(SuggestionChips)
        if chips:
            await chips.remove()
            self.query_one(MarkdownView).show_suggestions(self.suggestions)


class WelcomeMessage(ChatMessage):
    """The greeting: what taxobot answers, with example questions as chips."""

    author = "taxobot"

    def __init__(self, text: Content, examples: Iterable[str]) -> None:
        super().__init__()
        self.text = text
        self.examples = tuple(examples)

    def compose(self) -> ComposeResult:
        yield Static(self.text, classes="body")
        yield SuggestionChips(self.examples)


class ErrorMessage(ChatMessage):
    """A short, literal error note; the conversation carries on."""

    author = "taxobot"

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield Static(Content(self.text), classes="body")


class PendingMessage(ChatMessage):
    """Stands in for an answer being worked out."""

    author = "taxobot"

    def compose(self) -> ComposeResult:
        yield LoadingIndicator()


class ChatLog(VerticalScroll, can_focus=False):
    """Scrolls with the newest message unless the user has scrolled up (then waits for them
    to come back to the bottom before following again)."""

    def on_mount(self) -> None:
        self.anchor()

    async def archive_chips(self) -> None:
        """Only the newest answer keeps chip widgets (Tab reaches those); called before a
        new answer is added, so only the one before it still has them."""
        for message in reversed(self.children):
            if isinstance(message, BotMessage):
                await message.archive_chips()
                return

    def add(self, message: ChatMessage) -> ChatMessage:
        self.mount(message)
        return message

    def latest_chips(self) -> SuggestionChips | None:
        chips = list(self.query(SuggestionChips))
        return chips[-1] if chips else None
