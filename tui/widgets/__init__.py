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
from .chips import Chip, SuggestionChips
from .explain import ExplainPanel

__all__ = [
    "BotMessage", "ChatInput", "ChatLog", "ChatMessage", "Chip", "ErrorMessage",
    "ExplainPanel", "NodeRef", "PendingMessage", "SuggestionChips", "TaxonomyBrowser",
    "TaxonomyTree", "UserMessage", "WelcomeMessage",
]
