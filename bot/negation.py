"""Which names a negation applies to: "not proprietary", "non-Google models", "models that
aren't from OpenAI or Google", read from the tokens between a name and the name before it.

A negation reaches at most ``reach`` tokens forward and stops at the first name it meets,
so in "which non-Google models are multimodal?" it is Google's, not multimodal's. A name
joined by "or"/"nor" to a negated one of the same kind is negated too ("neither A nor B",
"not from OpenAI or Google"); one joined by "and" is not ("not open source and multimodal"
reads as two conditions).
"""

from __future__ import annotations

from collections.abc import Sequence

from .normalise import Token
from .resolution import Entity

DISJUNCTIONS = ("or", "nor")


def negated_ids(tokens: Sequence[Token], targets: Sequence[Entity], names: Sequence[Entity],
                negations: Sequence[str], reach: int) -> set[str]:
    """The ids of ``targets`` a negation applies to. ``names``: every name found (their
    ends bound a negation's reach); ``negations``: phrases padded with spaces (" not ")."""
    ends = sorted(e.end for e in names)
    out: set[str] = set()
    previous: Entity | None = None
    for e in sorted(targets, key=lambda x: x.start):
        bound = max((x for x in ends if x <= e.start), default=0)
        lo = max(bound, e.start - reach)
        words = [t.text for t in tokens[lo:e.start]]
        window = " " + " ".join(words) + " "
        joined = (previous is not None and previous.id in out and previous.end == lo
                  and len(words) == 1 and words[0] in DISJUNCTIONS)
        if joined or any(n in window for n in negations):
            out.add(e.id)
        previous = e
    return out
