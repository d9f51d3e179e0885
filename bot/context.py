"""What a conversation remembers between turns: a frozen value, replaced each turn.

It round-trips through JSON (``to_dict`` / ``from_dict``); a tampered state is refused with
a clear ValueError instead of silently steering later answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, fields
from typing import Any

STATE_VERSION = 1


@dataclass(frozen=True)
class KnownIds:
    """What a state may refer to: the loaded bot's models, categories, dimensions, intents."""

    models: AbstractSet[str] = frozenset()  # a view of the catalogue's own index, not a copy
    categories: AbstractSet[str] = frozenset()
    dimensions: AbstractSet[str] = frozenset()
    intents: AbstractSet[str] = frozenset()

    def of(self, kind: str) -> AbstractSet[str]:
        return getattr(self, kind)  # type: ignore[no-any-return]


# Which kind of id each field holds ("" = free text, not checked).
_KIND = {"intent": "intents", "models": "models", "categories": "categories",
         "excluded": "categories", "dimension": "dimensions", "shown": "models",
         "sources": "", "pending_intent": "intents", "pending_candidates": "models",
         "pending_categories": "categories", "pending_dimension": "dimensions",
         "query": ""}


@dataclass(frozen=True)
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
                items = tuple(value)
            elif type(value) is not type(default):
                raise ValueError(f"conversation state: {name!r} must be "
                                 f"{type(default).__name__}, got {type(value).__name__}")
            else:
                items = (value,) if value != "" and isinstance(value, str) else ()
            if isinstance(value, int) and value < 0:
                raise ValueError(f"conversation state: {name!r} must not be negative")
            kind = _KIND.get(name, "")
            if known is not None and kind:
                bad = [v for v in items if v not in known.of(kind)]
                if bad:
                    raise ValueError(f"conversation state: {name!r} names unknown {kind} "
                                     f"{bad}")
            kwargs[name] = tuple(value) if isinstance(default, tuple) else value
        return cls(**kwargs)
