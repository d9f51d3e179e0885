"""What the entity stage finds, as values the later stages read: each name found (an
Entity), the spans that name several things (an Ambiguity), the words that look like names
nothing knows, and the message with its names as slot tokens for the intent matcher."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import field
from typing import Literal

from .normalise import NormalisedText, words
from .values import value

Kind = Literal["model", "category", "dimension", "developer", "concept", "language"]


@value
class Ref:
    kind: Kind
    id: str
    name: str


@value
class Entity:
    """A name found in the text: what it is, what was typed, and how sure the match is."""

    kind: Kind
    id: str
    name: str
    text: str
    score: float
    start: int = 0
    end: int = 0
    weak: bool = False

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "id": self.id, "name": self.name, "text": self.text,
                "score": round(self.score, 3)}


@value
class Ambiguity:
    """A span that names several things equally well; the bot asks which."""

    text: str
    start: int
    end: int
    candidates: tuple[Ref, ...]


@value
class Resolution:
    entities: tuple[Entity, ...]
    weak: tuple[Entity, ...]
    ambiguities: tuple[Ambiguity, ...]
    unknown: tuple[str, ...]
    slot_text: str
    _kinds: dict[str, tuple[Entity, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:  # by kind, made at once: the stages ask a dozen times
        out: dict[str, list[Entity]] = {}
        for e in self.entities:
            out.setdefault(e.kind, []).append(e)
        object.__setattr__(self, "_kinds", {k: tuple(v) for k, v in out.items()})

    def of_kind(self, kind: Kind) -> tuple[Entity, ...]:
        return self._kinds.get(kind, ())


def name_like(raw: str) -> bool:
    """Capitals, digits or joiners make a word look like a name rather than a stray word
    ("Zorblax-9", "FooBarLM"; not "poetry")."""
    return any(ch.isdigit() or ch.isupper() or ch == "-" for ch in raw)


def slot_text(nt: NormalisedText, entities: Sequence[Entity],
              ambiguities: Sequence[Ambiguity], unknown: tuple[str, ...],
              heads: frozenset[str]) -> str:
    """The message with each name replaced by its slot token, for the intent matcher."""
    slots: dict[int, tuple[int, str]] = {}
    for e in entities:
        token = "{" + e.kind + "}"
        last = nt.tokens[e.end - 1].text
        if e.kind == "category" and e.end - e.start > 1 and last in heads:
            token += " " + last  # "large-scale models" keeps its noun for the matcher
        slots[e.start] = (e.end, token)
    for a in ambiguities:
        slots[a.start] = (a.end, "{" + a.candidates[0].kind + "}")
    out: list[str] = []
    i = 0
    toks = nt.tokens
    while i < len(toks):
        if i in slots:
            end, token = slots[i]
            out.append(token)
            i = end
            continue
        out.append(toks[i].text)
        i += 1
    text = " ".join(out)
    for u in unknown:
        if name_like(u):
            text = text.replace(" ".join(words(u)), "{model}", 1)
    return text
