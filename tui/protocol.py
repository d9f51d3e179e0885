"""What the terminal chat needs from the engine, written down as Protocols.

The chat is typed against these rather than ``bot``'s classes: it uses the public API only
(``Bot.conversation`` and ``names``, ``Conversation.ask``, a ``Reply`` and its ``Trace``,
``bot.kb`` for the browser), and importing this costs nothing (no engine, no Textual).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol


class EntityLike(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def score(self) -> float: ...


class TraceLike(Protocol):
    """How the question was read: what the explain panel shows."""

    @property
    def normalised(self) -> str: ...
    @property
    def slot_text(self) -> str: ...
    @property
    def decision(self) -> str: ...
    @property
    def ranking(self) -> Sequence[tuple[str, float]]: ...
    @property
    def entities(self) -> Sequence[EntityLike]: ...
    @property
    def unknown(self) -> Sequence[str]: ...
    @property
    def context_slots(self) -> Sequence[tuple[str, str]]: ...


class ReplyLike(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def intent(self) -> str: ...
    @property
    def confidence(self) -> float: ...
    @property
    def suggestions(self) -> Sequence[str]: ...
    @property
    def trace(self) -> TraceLike: ...


class ConversationLike(Protocol):
    def ask(self, text: str) -> ReplyLike: ...


class NamedLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...


class PlacementLike(Protocol):
    @property
    def model_id(self) -> str: ...


class KnowledgeLike(Protocol):
    """What the taxonomy browser walks."""

    @property
    def models(self) -> Iterable[NamedLike]: ...
    @property
    def dimensions(self) -> Sequence[NamedLike]: ...

    def categories_in(self, dimension_id: str) -> Sequence[NamedLike]: ...

    def members(self, category_id: str) -> Sequence[PlacementLike]: ...


class BotLike(Protocol):
    @property
    def kb(self) -> KnowledgeLike: ...

    def conversation(self) -> ConversationLike: ...

    def names(self) -> Iterable[str]: ...
