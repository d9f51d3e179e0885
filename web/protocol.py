"""What the server needs from the engine, written down as Protocols.

The server is typed against these rather than ``bot``'s classes, so it depends on the public
API only (``Bot.conversation``, ``Conversation.ask``/``to_dict``, ``Reply.to_dict``,
``bot.kb``) and any engine offering the same shape can be served.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol


class ReplyLike(Protocol):
    @property
    def text(self) -> str: ...

    def to_dict(self) -> dict[str, Any]: ...


class ConversationLike(Protocol):
    def ask(self, text: str) -> ReplyLike: ...

    def to_dict(self) -> dict[str, Any]: ...


class CategoryLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def short(self) -> str: ...
    @property
    def description(self) -> str: ...


class DimensionLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def number(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def heading(self) -> str: ...


class KnowledgeLike(Protocol):
    @property
    def dimensions(self) -> Sequence[DimensionLike]: ...

    def categories_in(self, dimension_id: str) -> Sequence[CategoryLike]: ...


class BotLike(Protocol):
    @property
    def kb(self) -> KnowledgeLike: ...

    def conversation(self, state: Mapping[str, Any] | None = None) -> ConversationLike: ...
