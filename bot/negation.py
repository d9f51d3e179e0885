"""Which names a negation applies to: "not proprietary", "non-Google models", "models that
aren't from OpenAI or Google", read from the tokens between a name and the name before it.

A negation reaches at most ``reach`` tokens forward and stops at the first name it meets,
so in "which non-Google models are multimodal?" it is Google's, not multimodal's. A name
joined by "or"/"nor" to a negated one is negated too ("neither A nor B", "not from OpenAI
or Google"); one joined by "and" is not ("not open source and multimodal" reads as two
conditions).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .normalise import Token
from .resolution import Entity
from .values import value

DISJUNCTIONS = ("or", "nor")


@value
class Negations:
    """The negation phrases of the lexicon, ready to test: built once per Bot."""

    padded: tuple[str, ...]  # " not ", " isn t ": whole words, longest first
    first_words: frozenset[str]  # a message with none of these negates nothing
    reach: int

    @classmethod
    def of(cls, phrases: Iterable[str], reach: int) -> Negations:
        ordered = sorted(phrases, key=len, reverse=True)
        return cls(tuple(f" {p} " for p in ordered),
                   frozenset(p.split()[0] for p in ordered if p.split()), reach)

    def applied(self, tokens: Sequence[Token], targets: Sequence[Entity],
                names: Sequence[Entity]) -> set[str]:
        """The ids of ``targets`` (in text order) a negation applies to; ``names``: every
        name found, in text order (their ends bound a negation's reach)."""
        first = self.first_words
        if not targets or not any(t.text in first for t in tokens):
            return set()  # most questions: no negation word at all
        out: set[str] = set()
        previous: Entity | None = None
        for e in targets:
            bound = 0
            for x in names:
                if x.end <= e.start and x.end > bound:
                    bound = x.end
            lo = max(bound, e.start - self.reach)
            words = [t.text for t in tokens[lo:e.start]]
            joined = (previous is not None and previous.id in out and previous.end == lo
                      and len(words) == 1 and words[0] in DISJUNCTIONS)
            window = " " + " ".join(words) + " "
            if joined or any(n in window for n in self.padded):
                out.add(e.id)
            previous = e
        return out
