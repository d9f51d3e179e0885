"""What a conversation remembers between turns: a frozen value, replaced each turn.

It round-trips through JSON (``to_dict`` / ``from_dict``); a tampered state is refused with
a clear ValueError instead of silently steering later answers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import fields
from typing import Any

from .values import value

STATE_VERSION = 1
MAX_TURNS = 10**9
"""More turns than any conversation has: a bigger count is a tampered state."""
MAX_ITEMS = 10_000
"""More ids in one field than the knowledge could ever show at once."""


def _no_source(text: str) -> bool:
    return False


@value
class KnownIds:
    """What a state may refer to: the loaded bot's models, categories, dimensions, intents."""

    models: AbstractSet[str] = frozenset()  # a view of the catalogue's own index, not a copy
    categories: AbstractSet[str] = frozenset()
    dimensions: AbstractSet[str] = frozenset()
    intents: AbstractSet[str] = frozenset()
    concepts: AbstractSet[str] = frozenset()
    """Curated concepts: a clarifying question's candidates may be concepts as well."""
    pending_intents: AbstractSet[str] = frozenset()
    """The intents a clarifying question can resume: those that take a model."""
    is_source: Callable[[str], bool] = _no_source
    """True for a source line the bot itself could have cited (sources are shown again
    verbatim, so a state may not bring in text of its own)."""

    def of(self, kind: str) -> AbstractSet[str]:
        return getattr(self, kind)  # type: ignore[no-any-return]

    def refused(self, kind: str, items: tuple[str, ...]) -> list[str]:
        if kind == "sources":
            return [v for v in items if not self.is_source(v)]
        if kind == "candidates":
            return [v for v in items if v not in self.models and v not in self.concepts]
        return [v for v in items if v not in self.of(kind)]


# Which kind of id each field holds ("" = free text, not checked).
_KIND = {"intent": "intents", "models": "models", "categories": "categories",
         "excluded": "categories", "dimension": "dimensions", "shown": "models",
         "sources": "sources", "pending_intent": "pending_intents",
         "pending_candidates": "candidates", "pending_categories": "categories",
         "pending_dimension": "dimensions", "query": ""}


@value
class Context:
    intent: str = ""
    models: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    dimension: str = ""
    shown: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    pending_intent: str = ""
    pending_candidates: tuple[str, ...] = ()
    pending_categories: tuple[str, ...] = ()
    pending_dimension: str = ""
    query: tuple[str, ...] = ()  # the last listed set, as Query terms, for "which of those"
    turns: int = 0

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"version": STATE_VERSION}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = list(value) if isinstance(value, tuple) else value
        return out

    @classmethod
    def from_dict(cls, state: object, known: KnownIds | None = None) -> Context:
        if not isinstance(state, Mapping):
            raise ValueError(f"conversation state must be a dict, got {type(state).__name__}")
        version = state.get("version")
        if type(version) is not int or version != STATE_VERSION:
            raise ValueError(f"conversation state has version {version!r}; "
                             f"expected {STATE_VERSION}")
        names = {f.name for f in fields(cls)}
        unknown = set(state) - names - {"version"}
        if unknown:
            raise ValueError(f"conversation state has unknown keys: {sorted(map(str, unknown))}")
        kwargs: dict[str, Any] = {}
        blank = cls()
        for name in names & set(state):
            value, default = state[name], getattr(blank, name)
            if isinstance(default, tuple):
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise ValueError(f"conversation state: {name!r} must be a list of strings")
                if len(value) > MAX_ITEMS:
                    raise ValueError(f"conversation state: {name!r} has {len(value)} items; "
                                     f"at most {MAX_ITEMS:,} are possible")
                items = tuple(value)
            elif type(value) is not type(default):
                raise ValueError(f"conversation state: {name!r} must be "
                                 f"{type(default).__name__}, got {type(value).__name__}")
            else:
                items = (value,) if value != "" and isinstance(value, str) else ()
            if isinstance(value, int) and not 0 <= value <= MAX_TURNS:
                raise ValueError(f"conversation state: {name!r} must be between 0 and "
                                 f"{MAX_TURNS:,}")
            kind = _KIND.get(name, "")
            if known is not None and kind:
                bad = known.refused(kind, items)
                if bad:
                    what = {"sources": "sources the bot never cites",
                            "pending_intents": "intents that cannot be pending"}.get(kind, kind)
                    shown = [v if len(v) <= 80 else v[:77] + "..." for v in bad[:5]]
                    raise ValueError(f"conversation state: {name!r} names {what}: {shown}")
            kwargs[name] = tuple(value) if isinstance(default, tuple) else value
        return cls(**kwargs)
