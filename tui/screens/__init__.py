"""The chat app's screens."""

from .chat import ChatScreen
from .help import HelpScreen

__all__ = ["ChatScreen", "HelpScreen"]
