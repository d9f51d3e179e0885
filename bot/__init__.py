"""taxobot's engine: answers questions about the taxonomy of large language models.

    from bot import Bot
    reply = Bot().ask("what type of model is BERT?")

The names below are imported on first use (PEP 562), so ``import bot`` alone, as the
command line does for ``--version`` or ``validate``, pulls in nothing it does not need.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .context import Context
    from .conversation import Conversation
    from .engine import Bot
    from .knowledge import Category, Dimension, KnowledgeBase, Model, Placement
    from .matcher import IntentMatcher
    from .problems import DataError, Problem
    from .reply import Reply, Trace
    from .resolution import Entity

__version__ = "0.1.0"

__all__ = [
    "Bot", "Category", "Context", "Conversation", "DataError", "Dimension", "Entity",
    "IntentMatcher", "KnowledgeBase", "Model", "Placement", "Problem", "Reply", "Trace",
    "__version__",
]

_HOME = {
    "Bot": "engine", "Category": "knowledge", "Context": "context",
    "Conversation": "conversation", "DataError": "problems", "Dimension": "knowledge",
    "Entity": "entities", "IntentMatcher": "matcher", "KnowledgeBase": "knowledge",
    "Model": "knowledge", "Placement": "knowledge", "Problem": "problems", "Reply": "reply",
    "Trace": "reply",
}


def __getattr__(name: str) -> object:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'bot' has no attribute {name!r}")
    return getattr(import_module(f".{home}", __name__), name)


def __dir__() -> list[str]:
    return sorted(__all__)
