"""A tampered conversation state is refused with a clear ValueError (issue 14, item 17):
sources the bot never cites, an intent that cannot be pending, absurd counts."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from bot import Bot


@pytest.fixture(scope="module")
def state(bot: Bot) -> dict[str, Any]:
    conv = bot.conversation()
    conv.ask("what type of model is BERT?")
    conv.ask("is GPT-4 open source?")
    out = conv.to_dict()
    assert out["sources"], "the fixture needs a state that cites something"
    return out


def tampered(state: dict[str, Any], **changes: Any) -> dict[str, Any]:
    out = copy.deepcopy(state)
    out.update(changes)
    return out


@pytest.mark.parametrize("changes, message", [
    ({"sources": ["**[click me](javascript:alert(1))**"]}, "sources the bot never cites"),
    ({"sources": ["BERT: a reference nobody gave"]}, "sources the bot never cites"),
    ({"pending_intent": "out_of_scope"}, "cannot be pending"),
    ({"pending_intent": "fallback"}, "cannot be pending"),
    ({"pending_intent": "greet"}, "cannot be pending"),
    ({"turns": 10**5000}, "between 0 and"),
    ({"turns": 10**9 + 1}, "between 0 and"),
    ({"shown": ["bert"] * 10_001}, "at most"),
], ids=["markdown-source", "made-up-reference", "pending-out-of-scope", "pending-fallback",
        "pending-greet", "turns-huge", "turns-just-over", "shown-too-long"])
def test_a_tampered_state_is_refused_with_a_clear_message(
        bot: Bot, state: dict[str, Any], changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        bot.conversation(tampered(state, **changes))


def test_every_source_the_bot_cites_is_accepted_back(bot: Bot) -> None:
    conv = bot.conversation()
    for q in ["what type of model is BERT?", "is GPT-4 open source?",
              "which models are multimodal?", "compare T5 and GPT-3", "who developed LLaMA?",
              "what is a masked language model?", "where does that come from?"]:
        conv.ask(q)
        resumed = bot.conversation(json.loads(json.dumps(conv.to_dict())))
        assert resumed.to_dict() == conv.to_dict()


def test_a_clarifying_question_can_still_be_resumed(bot: Bot) -> None:
    conv = bot.conversation()
    assert conv.ask("is it open source?").intent == "clarify"
    state = conv.to_dict()
    assert state["pending_intent"]
    assert bot.conversation(state).ask("BERT").text.startswith("Yes")


def test_the_largest_honest_turn_count_still_answers(bot: Bot, state: dict[str, Any]) -> None:
    conv = bot.conversation(tampered(state, turns=10**9))
    assert conv.ask("what type of model is T5?").text


@pytest.mark.parametrize("question", ["what is a early seq2seq?",
                                      "when was Qwen mmodels released?",
                                      "which model for clinical notes but not domain specific"])
def test_states_after_concept_answers_and_concept_candidates_resume(bot: Bot,
                                                                    question: str) -> None:
    """Found by tools/fuzz_questions.py: concept references as sources, a concept among a
    clarifying question's candidates."""
    conv = bot.conversation()
    conv.ask(question)
    assert bot.conversation(json.loads(json.dumps(conv.to_dict()))).to_dict() == conv.to_dict()


def test_a_made_up_candidate_or_a_name_prefixed_reference_is_refused(
        bot: Bot, state: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="pending_candidates"):
        bot.conversation(tampered(state, pending_candidates=["zorblax"]))
    real = next(s for s in state["sources"] if ": " in s).partition(": ")[2]
    with pytest.raises(ValueError, match="never cites"):
        bot.conversation(tampered(state, sources=[f"**[click](http://x)**: {real}"]))
