"""Curated knowledge beside the seed taxonomy: concepts, licences, languages, memory rules.

The seed's eight dimensions say what the source taxonomy says; people also ask about things
it never names (encoder-only, RLHF, Q4_K_M, "can I use it commercially?"). These values hold
that curated knowledge, each fact with its own reference, so an answer can say plainly that
it is not the source's. Look-ups are dictionary reads built once, in the constructor.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import field
from typing import Literal

from .normalise import compact
from .values import value

Commercial = Literal["allowed", "conditional", "not-allowed"]
COMMERCIAL_VALUES: tuple[Commercial, ...] = ("allowed", "conditional", "not-allowed")


CONCEPT_TOP_KEYS = frozenset({
    "curated_dimensions", "concepts", "contrasts", "explanations", "capabilities", "purposes",
    "memory", "licences", "derived", "languages", "language_aliases",
})
"""A knowledge/ file whose top-level keys are all among these is read by this loader only."""


def is_concepts_doc(doc: object) -> bool:
    """True for a parsed file this loader reads (and the knowledge loader should skip)."""
    return isinstance(doc, dict) and bool(doc) and set(doc) <= CONCEPT_TOP_KEYS


@value
class Concept:
    """A curated notion ("encoder-only transformer") with the words people use for it."""

    id: str
    name: str
    definition: str
    reference: str
    aliases: tuple[str, ...] = ()
    dimension_id: str = ""
    related: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()  # names only where nothing else is meant ("LLM" in "LLM vs SLM")
    access: str = ""  # its members are the models of this access ("open-weights")


@value
class CuratedDimension:
    """A way of splitting models that the seed taxonomy does not use."""

    id: str
    name: str
    description: str
    reference: str
    aliases: tuple[str, ...] = ()
    concept_ids: tuple[str, ...] = ()


@value
class Contrast:
    """The curated difference between two concepts or seed categories."""

    between: tuple[str, str]
    text: str
    reference: str


@value
class Explanation:
    """A curated answer to a "why" question about the things in ``about``."""

    id: str
    question: str
    about: tuple[str, ...]
    text: str
    reference: str
    words: tuple[str, ...] = ()


@value
class Capability:
    """What follows from a placement: generation follows from causal or seq2seq training."""

    id: str
    name: str
    yes_when: tuple[str, ...]
    not_directly_when: tuple[str, ...]
    yes_text: str
    not_directly_text: str
    reference: str
    words: tuple[str, ...] = ()  # a question about it says one of these ("generate")
    no_when: tuple[str, ...] = ()
    no_text: str = ""
    unknown_text: str = ""  # when no rule decides: what to say instead
    order: tuple[str, ...] = ("yes", "not_directly", "no")  # which rule is tried first


@value
class Purpose:
    """A need ("medical questions") and the models known to be built for it."""

    id: str
    name: str
    words: tuple[str, ...]
    model_ids: tuple[str, ...]
    reference: str


@value
class Licence:
    id: str
    name: str
    commercial: Commercial
    condition: str
    osi: bool
    reference: str
    aliases: tuple[str, ...] = ()
    by_size: bool = False  # the sizes of one release carry different licences (Qwen2.5)


@value
class Derivation:
    """A model whose weights are a fine-tune of ``base_id``'s."""

    model_id: str
    base_id: str
    reference: str
    note: str = ""


@value
class MemoryRule:
    bits: int
    bytes_per_parameter: float
    label: str


@value
class Hardware:
    """A memory budget a question implies without a number ("at home", "on one GPU")."""

    gigabytes: float
    label: str
    words: tuple[str, ...]
    reference: str


@value
class MemoryModel:
    """How an estimate of local memory is made: weights at a precision, plus an overhead."""

    rules: tuple[MemoryRule, ...]
    overhead: float
    overhead_note: str
    formula: str
    reference: str
    hardware: tuple[Hardware, ...] = ()

    def rule(self, bits: int) -> MemoryRule | None:
        return next((r for r in self.rules if r.bits == bits), None)


@value
class LanguageSupport:
    """The languages a source states for a model; ``complete`` makes absence a "no"."""

    model_id: str
    reference: str
    languages: tuple[str, ...] = ()
    count: int | None = None
    complete: bool = False
    translation_into: tuple[str, ...] = ()
    note: str = ""
    at_least: bool = False  # the count is a minimum ("more than 100 languages")


def language_key(name: str) -> str:
    """"Chinese (Simplified)" and "chinese" share the key "chinese"; "Waray-Waray" stays one."""
    return compact(name.split("(")[0]) or compact(name)


@value
class Concepts:
    dimensions: tuple[CuratedDimension, ...] = ()
    concepts: tuple[Concept, ...] = ()
    contrasts: tuple[Contrast, ...] = ()
    explanations: tuple[Explanation, ...] = ()
    capabilities: tuple[Capability, ...] = ()
    purposes: tuple[Purpose, ...] = ()
    licences: tuple[Licence, ...] = ()
    derivations: tuple[Derivation, ...] = ()
    memory: MemoryModel | None = None
    languages: tuple[LanguageSupport, ...] = ()
    language_aliases: tuple[tuple[str, str], ...] = ()
    _concept: dict[str, Concept] = field(init=False, repr=False, compare=False)
    _named: dict[str, str] = field(init=False, repr=False, compare=False)
    _weak: dict[str, str] = field(init=False, repr=False, compare=False)
    _licence: dict[str, Licence] = field(init=False, repr=False, compare=False)
    licence_prefixes: frozenset[str] = field(init=False, repr=False, compare=False)
    """Every beginning of a licence name's key: a run of words whose key is not among them
    names no licence, so a question's runs are looked up only while they could."""
    _derived: dict[str, Derivation] = field(init=False, repr=False, compare=False)
    _spoken: dict[str, LanguageSupport] = field(init=False, repr=False, compare=False)
    _listed: dict[str, dict[str, str]] = field(init=False, repr=False, compare=False)
    _by_model: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    _language: dict[str, str] = field(init=False, repr=False, compare=False)
    _same: dict[str, frozenset[str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        put = object.__setattr__
        put(self, "_concept", {c.id: c for c in self.concepts})
        named: dict[str, str] = {}
        for c in self.concepts:
            for n in (c.name, *c.aliases):
                named.setdefault(compact(n), c.id)
        put(self, "_named", named)
        put(self, "_weak", {compact(n): c.id for c in self.concepts for n in c.weak})
        put(self, "_licence", {compact(n): lic for lic in self.licences
                               for n in (lic.id, lic.name, *lic.aliases)})
        put(self, "licence_prefixes", frozenset(k[:i] for k in self._licence
                                                for i in range(1, len(k) + 1)))
        put(self, "_derived", {d.model_id: d for d in self.derivations})
        put(self, "_spoken", {s.model_id: s for s in self.languages})
        put(self, "_listed", {s.model_id: {language_key(n): n for n in reversed(s.languages)}
                              for s in self.languages})
        by_model: dict[str, list[str]] = {}
        for c in self.concepts:
            for mid in c.members:
                by_model.setdefault(mid, []).append(c.id)
        put(self, "_by_model", {k: tuple(v) for k, v in by_model.items()})
        language = {language_key(n): n for s in self.languages for n in s.languages}
        groups: dict[str, set[str]] = {}
        for alias, name in self.language_aliases:
            language.setdefault(language_key(alias), name)
            group = groups.setdefault(language_key(name), {language_key(name)})
            group.add(language_key(alias))
        put(self, "_language", language)
        put(self, "_same", {k: frozenset(g) for g in groups.values() for k in g})

    # -- concepts ---------------------------------------------------------------------------
    def concept(self, concept_id: str) -> Concept:
        return self._concept[concept_id]

    def has_concept(self, concept_id: str) -> bool:
        return concept_id in self._concept

    def concept_named(self, text: str, weak: bool = False) -> Concept | None:
        """The concept a whole name or alias means ("enc-dec", "RLHF"), or None; with
        ``weak``, a weak alias ("LLM") counts too."""
        return self.concept_by_key(compact(text), weak)

    def concept_by_key(self, key: str, weak: bool = False) -> Concept | None:
        """As ``concept_named`` for a key already compacted (joined folded word tokens)."""
        cid = self._named.get(key) or (self._weak.get(key) if weak else None)
        return self._concept[cid] if cid else None

    def names(self) -> Iterator[tuple[str, str]]:
        """Every (name or alias, concept id): what an entity resolver indexes as kind "concept"."""
        for c in self.concepts:
            for n in (c.name, *c.aliases):
                yield n, c.id

    def weak_names(self) -> Iterator[tuple[str, str]]:
        """(weak alias, concept id): indexed like a category's weak aliases."""
        for c in self.concepts:
            for n in c.weak:
                yield n, c.id

    def dimension(self, dimension_id: str) -> CuratedDimension:
        return next(d for d in self.dimensions if d.id == dimension_id)

    def concepts_of_model(self, model_id: str) -> tuple[Concept, ...]:
        """The curated concepts a model is placed in, in file order."""
        return tuple(self._concept[c] for c in self._by_model.get(model_id, ()))

    def contrast(self, first: str, second: str) -> Contrast | None:
        pair = {first, second}
        return next((c for c in self.contrasts if set(c.between) == pair), None)

    def capability(self, capability_id: str) -> Capability | None:
        return next((c for c in self.capabilities if c.id == capability_id), None)

    # -- licences ---------------------------------------------------------------------------
    def licence_for(self, text: str) -> Licence | None:
        """The licence a model file's ``license:`` text names; a trailing "(…)" is a gloss."""
        key = compact(text)
        found = self._licence.get(key)
        if found is None and "(" in text:
            found = self._licence.get(compact(text.split("(")[0]))
        return found

    def derivation_of(self, model_id: str) -> Derivation | None:
        return self._derived.get(model_id)

    # -- languages --------------------------------------------------------------------------
    def languages_of(self, model_id: str) -> LanguageSupport | None:
        return self._spoken.get(model_id)

    def listed_language(self, model_id: str, keys: frozenset[str]) -> str | None:
        """The model's listed name for any of these language keys (first in its list)."""
        listed = self._listed.get(model_id, {})
        found = [listed[k] for k in keys if k in listed]
        if not found:
            return None
        order = self._spoken[model_id].languages
        return min(found, key=order.index)

    def language_named(self, text: str) -> str | None:
        """The language name used in the data for what someone typed ("castilian" → Spanish)."""
        return self._language.get(language_key(text))

    def language_names(self) -> Iterator[tuple[str, str]]:
        """(name as typed, language it means): what a resolver indexes as kind "language".

        "Chinese (Simplified)" is indexed as "Chinese"; aliases ("Castilian") map to the
        name the data uses ("Spanish")."""
        seen: set[str] = set()
        for s in self.languages:
            for n in s.languages:
                short = n.split(" (")[0]
                if short not in seen:
                    seen.add(short)
                    yield short, short
        for alias, name in self.language_aliases:
            yield alias, name.split(" (")[0]

    def same_language(self, text: str) -> frozenset[str]:
        """The keys of every name for the language ("Burmese" and "Myanmar"): lists written
        by different sources use different names, and any of them is a match."""
        key = language_key(text)
        return self._same.get(key, frozenset({key}))

    def language_by_key(self, key: str) -> str | None:
        """As ``language_named`` for a key already compacted (joined folded word tokens)."""
        return self._language.get(key)
