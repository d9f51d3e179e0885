"""The conversation: the user's messages (literal text) and the bot's answers (Markdown).

Each message is one widget (a :class:`MarkdownView` with a border and its author as the
border title), its suggestions drawn inside it: a log of 200 answers is 400 widgets to lay
out, not 1,600.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import LoadingIndicator

from .markdown_blocks import Paragraph, parse
from .markdown_view import CHIP_STYLES, MARKDOWN_STYLES, MarkdownView


class ChatMessage(MarkdownView):
    """A bordered message with its author as the border title."""

    author = ""

    def on_mount(self) -> None:
        self.border_title = self.author


class UserMessage(ChatMessage):
    """What the user typed, shown exactly as typed: no markup is interpreted."""

    author = "You"

    def __init__(self, text: str) -> None:
        super().__init__([Paragraph(Content(text))])
        self.text = text


class BotMessage(ChatMessage):
    """An answer rendered from Markdown, with its follow-up suggestions as chips."""

    author = "taxobot"
    COMPONENT_CLASSES = MARKDOWN_STYLES | CHIP_STYLES

    def __init__(self, markdown: str, suggestions: Iterable[str] = (), *,
                 classes: str | None = None) -> None:
        super().__init__(parse(markdown), tuple(suggestions), classes=classes)
        self.markdown = markdown


class WelcomeMessage(ChatMessage):
    """The greeting: what taxobot answers, with example questions as chips."""

    author = "taxobot"
    COMPONENT_CLASSES = CHIP_STYLES

    def __init__(self, text: Content, examples: Iterable[str]) -> None:
        super().__init__([Paragraph(text)], tuple(examples))
        self.text = text


class ErrorMessage(ChatMessage):
    """A short, literal error note; the conversation carries on."""

    author = "taxobot"

    def __init__(self, text: str) -> None:
        super().__init__([Paragraph(Content(text))])
        self.text = text


class PendingMessage(Vertical):
    """Stands in for an answer being worked out (shown only when it takes a while)."""

    def on_mount(self) -> None:
        self.border_title = "taxobot"

    def compose(self):  # type: ignore[no-untyped-def]
        yield LoadingIndicator()


class ChatLog(VerticalScroll, can_focus=False):
    """Scrolls with the newest message unless the user has scrolled up (then waits for them
    to come back to the bottom before following again)."""

    _keep_pending = False

    def on_mount(self) -> None:
        self.anchor()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if not self._keep_pending:  # once per frame: the lines just drawn are kept
            self._keep_pending = True
            self.call_after_refresh(self._keep)

    def _keep(self) -> None:
        self._keep_pending = False
        keep = getattr(self.app, "keep", None)
        if keep is not None:
            keep()

    def archive_chips(self) -> None:
        """Only the newest message's chips are reached with Tab; called before a new answer
        is added. Older chips stay drawn and clickable."""
        for message in self.query_children(ChatMessage):
            if message.can_focus:
                message.chips_active = False

    def add(self, message: ChatMessage | PendingMessage) -> ChatMessage | PendingMessage:
        self.mount(message)
        return message

    def latest_chips(self) -> ChatMessage | None:
        """The newest message whose chips Tab reaches (the greeting's, or the last answer's)."""
        for message in reversed(self.children):
            if isinstance(message, ChatMessage) and message.chips_active:
                return message
        return None
