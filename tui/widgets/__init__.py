"""The chat app's widgets. None of them holds conversation state or talks to the engine."""

from .browser import NodeRef, TaxonomyBrowser, TaxonomyTree
from .chat_input import ChatInput
from .chat_log import (
    BotMessage,
    ChatLog,
    ChatMessage,
    ErrorMessage,
    PendingMessage,
    UserMessage,
    WelcomeMessage,
)
from .explain import ExplainPanel
from .markdown_view import MarkdownView

__all__ = [
    "BotMessage", "ChatInput", "ChatLog", "ChatMessage", "ErrorMessage", "ExplainPanel",
    "MarkdownView", "NodeRef", "PendingMessage", "TaxonomyBrowser", "TaxonomyTree",
    "UserMessage", "WelcomeMessage",
]
