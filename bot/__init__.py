"""taxobot's engine: answers questions about the taxonomy of large language models.

    from bot import Bot
    reply = Bot().ask("what type of model is BERT?")
"""

from .context import Context
from .conversation import Conversation
from .engine import Bot
from .entities import Entity
from .knowledge import Category, Dimension, KnowledgeBase, Model, Placement
from .matcher import IntentMatcher
from .reply import Reply, Trace
from .yamlio import DataError, Problem

__version__ = "0.1.0"

__all__ = [
    "Bot", "Category", "Context", "Conversation", "DataError", "Dimension", "Entity",
    "IntentMatcher", "KnowledgeBase", "Model", "Placement", "Problem", "Reply", "Trace",
    "__version__",
]
