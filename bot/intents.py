"""Intents, their slots, templates and suggestions, and the lexicon: loaded from intents/.

Adding an intent or an example is a YAML edit; ``intents_loader`` checks and freezes them.
"""

from __future__ import annotations

from dataclasses import field

from .operators import Operators
from .values import value

COMMON_WORDS_FILE = "common-words.txt"


@value
class SlotSpec:
    name: str
    kind: str
    required: bool = False
    many: bool = False


REDIRECT_CONDITIONS = frozenset({
    "several_categories",          # more than one category wanted
    "excluded_category",           # a category negated ("not proprietary")
    "plain_category",              # at most one category, none excluded
    "category_without_dimension",  # a category named, no dimension
    "nothing_to_choose",           # at most one model and one category, none excluded
})
"""What an ``instead`` rule may test: facts about the slots the policy filled."""


@value
class Redirect:
    """``instead: [{intent: filter, when: several_categories}]``: the message is better
    answered by another intent when any of ``when`` holds of its filled slots."""

    intent: str
    when: tuple[str, ...]
    line: int = field(default=0, compare=False)  # where it was declared, for messages


@value
class IntentSpec:
    name: str
    answer: str
    examples: tuple[str, ...]
    slots: tuple[SlotSpec, ...] = ()
    fact: str = ""
    form: str = ""
    templates: tuple[tuple[str, tuple[str, ...]], ...] = ()
    suggestions: tuple[str, ...] = ()
    instead: tuple[Redirect, ...] = ()
    # Made once (the policy and the answers ask each several times per question):
    _templates: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    _slot: dict[str, SlotSpec] = field(init=False, repr=False, compare=False)
    required_kinds: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        put = object.__setattr__
        put(self, "_templates", dict(self.templates))
        put(self, "_slot", {s.kind: s for s in reversed(self.slots)})  # the first of a kind
        put(self, "required_kinds", tuple(s.kind for s in self.slots if s.required))

    def template(self, outcome: str) -> tuple[str, ...]:
        return self._templates.get(outcome, ())

    def slot(self, kind: str) -> SlotSpec | None:
        return self._slot.get(kind)


@value
class Lexicon:
    negations: tuple[str, ...] = ()
    negation_reach: int = 3
    pronouns: frozenset[str] = frozenset()
    category_heads: frozenset[str] = frozenset()
    stopwords: frozenset[str] = frozenset()
    yes_no_openers: frozenset[str] = frozenset()
    model_pronouns: frozenset[str] = frozenset()
    coordinators: frozenset[str] = frozenset()
    copulas: frozenset[str] = frozenset()  # "are X and Y open?": says what a model is
    other_than: tuple[str, ...] = ()  # "languages other than English": some other one


@value
class IntentCatalog:
    intents: tuple[IntentSpec, ...]
    lexicon: Lexicon
    common_words: dict[str, int] = field(repr=False)
    operators: Operators = field(default_factory=Operators, repr=False)
    _by_name: dict[str, IntentSpec] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {i.name: i for i in self.intents})

    def get(self, name: str) -> IntentSpec | None:
        return self._by_name.get(name)

    def examples(self) -> dict[str, tuple[str, ...]]:
        return {i.name: i.examples for i in self.intents if i.examples}
