"""What a conversation remembers between turns: a frozen value, replaced each turn.

It round-trips through JSON (``to_dict`` / ``from_dict``); a tampered state is refused with
a clear ValueError instead of silently steering later answers.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

STATE_VERSION = 1


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
    turns: int = 0

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"version": STATE_VERSION}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = list(value) if isinstance(value, tuple) else value
        return out

    @classmethod
    def from_dict(cls, state: Any, valid_ids: set[str] | None = None) -> Context:
        if not isinstance(state, dict):
            raise ValueError(f"conversation state must be a dict, got {type(state).__name__}")
        if state.get("version") != STATE_VERSION:
            raise ValueError(f"conversation state has version {state.get('version')!r}; "
                             f"expected {STATE_VERSION}")
        known = {f.name: f for f in fields(cls)}
        unknown = set(state) - set(known) - {"version"}
        if unknown:
            raise ValueError(f"conversation state has unknown keys: {sorted(unknown)}")
        kwargs: dict[str, Any] = {}
        for name, value in state.items():
            if name == "version":
                continue
            default = getattr(cls(), name)
            if isinstance(default, tuple):
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise ValueError(f"conversation state: {name!r} must be a list of strings")
                if valid_ids is not None and name not in ("sources",):
                    bad = [v for v in value if v not in valid_ids]
                    if bad:
                        raise ValueError(f"conversation state: {name!r} names unknown ids {bad}")
                kwargs[name] = tuple(value)
            elif isinstance(default, bool) or not isinstance(value, type(default)):
                raise ValueError(f"conversation state: {name!r} must be "
                                 f"{type(default).__name__}")
            else:
                kwargs[name] = value
        return cls(**kwargs)
