"""What the policy decides a message asks: an intent with its slots filled, as one value
the interpreter and the answers read (they depend on this value, not on the policy)."""

from __future__ import annotations

from collections.abc import Iterable

from .resolution import Ambiguity
from .values import value

NEGATED = "negated category"


@value
class Decision:
    intent: str
    confidence: float
    models: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    dimension: str = ""
    developer: str = ""
    context_slots: tuple[tuple[str, str], ...] = ()
    unknown: str = ""
    ambiguity: Ambiguity | None = None
    pending: str = ""  # the intent a clarifying question will resume
    note: str = ""
    concepts: tuple[str, ...] = ()  # curated concepts named ("encoder-only", "RLHF")
    languages: tuple[str, ...] = ()  # languages named ("Spanish")
    excluded_languages: tuple[str, ...] = ()  # "models that don't support English"
    other_languages: tuple[str, ...] = ()  # "languages other than English": some other one
    question: str = ""  # the normalised text, for answers that read numbers from it


def unique(items: Iterable[str]) -> tuple[str, ...]:
    """The items, each once, in first-seen order."""
    return tuple(dict.fromkeys(items))
