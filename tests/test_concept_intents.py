"""intents/concepts.yaml: the intents for issue 18's questions, in taxonomy.yaml's format,
loaded by the bundled loader with the slot kinds "concept" and "language"."""

from __future__ import annotations

import re

import pytest

import bot.intents_loader as intents_loader
from bot.answer import ANSWER_NAMES as ALL_ANSWERS
from bot.concept_answers import ANSWER_NAMES
from bot.intents import IntentCatalog, IntentSpec

TOKEN = re.compile(r"\{(\w+)\}")
SEED_ANSWERS = tuple(a for a in ALL_ANSWERS if a not in ANSWER_NAMES)


@pytest.fixture(scope="module")
def catalog() -> IntentCatalog:
    return intents_loader.load_intents(None, ALL_ANSWERS)


def mine(catalog: IntentCatalog) -> list[IntentSpec]:
    """The intents of intents/concepts.yaml (taxonomy.yaml's model_license answers with
    licence_terms too)."""
    return [i for i in catalog.intents if i.answer in ANSWER_NAMES and i.name != "model_license"]


def test_the_file_loads_with_the_new_answer_names_and_kinds(catalog):
    assert {i.name for i in mine(catalog)} == {
        "describe_concept", "concept_compare", "commercial_use", "supports_language",
        "languages_of", "models_for_language", "can_generate", "memory_fit", "model_memory",
        "why_question", "fit_for_purpose", "concept_membership", "based_on"}


def test_the_answer_names_are_new(catalog):
    assert not set(ANSWER_NAMES) & set(SEED_ANSWERS)
    assert {i.answer for i in mine(catalog)} == set(ANSWER_NAMES) - {"licence_terms"}


def test_every_example_uses_only_tokens_of_its_slots(catalog):
    for spec in mine(catalog):
        kinds = {s.kind for s in spec.slots}
        for example in spec.examples:
            assert set(TOKEN.findall(example)) <= kinds | {"dimension"}, (spec.name, example)


def test_each_intent_has_enough_examples_templates_and_follow_ups(catalog):
    for spec in mine(catalog):
        assert len(spec.examples) >= 10, spec.name
        assert spec.templates and spec.suggestions, spec.name


def test_yes_no_intents_have_a_template_for_each_verdict(catalog):
    outcomes = {name: {o for o, _ in catalog.get(name).templates}  # type: ignore[union-attr]
                for name in ("commercial_use", "supports_language", "can_generate")}
    assert {"yes", "no", "only_if", "only_if_api", "not_released", "unknown"} <= \
        outcomes["commercial_use"]
    assert {"yes", "no", "unknown"} <= outcomes["supports_language"]
    assert {"yes", "not_directly", "unknown"} <= outcomes["can_generate"]


def test_no_example_is_shared_with_another_intent(catalog):
    owner: dict[str, str] = {}
    shared = set()
    for spec in catalog.intents:
        for e in spec.examples:
            if owner.setdefault(e, spec.name) != spec.name:
                shared.add((frozenset({owner[e], spec.name}), e))
    assert not shared
