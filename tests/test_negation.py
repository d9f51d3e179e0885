"""Which names a negation applies to, as specifications: given this question, this set.

A negation reaches forward to the first name it meets ("non-Google models are multimodal":
Google's); "or"/"nor" carry it to the next name of the same kind ("not from OpenAI or
Google", "neither proprietary nor cloud-based"); a relative "that" does not point back."""

from __future__ import annotations

import pytest

from bot import Bot


@pytest.fixture(scope="module")
def bot() -> Bot:
    return Bot()


@pytest.mark.parametrize("question, query", [
    ("which non-Google models are multimodal?",
     "list category=multimodal developer!=Google"),
    ("which models aren't from OpenAI or Google?",
     "list developer!=OpenAI developer!=Google"),
    ("models that are neither proprietary nor cloud-based",
     "list not category=cloud-based not category=proprietary"),
    ("which models are not open source or multimodal?",
     "list not category=multimodal not category=open-source"),
    ("multimodal models that aren't from OpenAI",
     "list category=multimodal developer!=OpenAI"),
])
def test_a_negation_applies_to_what_it_names(bot: Bot, question: str, query: str) -> None:
    assert bot.ask(question).trace.query == query


def test_a_relative_that_does_not_narrow_the_last_list(bot: Bot) -> None:
    conv = bot.conversation()
    conv.ask("which models are not open source and not multimodal?")
    reply = conv.ask("models that are neither proprietary nor cloud-based")
    assert reply.trace.query == "list not category=cloud-based not category=proprietary"


def test_a_negated_yes_no_states_the_fact(bot: Bot) -> None:
    assert bot.ask("is BERT not a transformer?").text.startswith("In fact it is.")
    assert bot.ask("is BERT not autoregressive?").text.startswith("Right, it is not.")
    assert bot.ask("is BERT a transformer?").text.startswith("Yes.")
