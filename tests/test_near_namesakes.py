"""Given a name the knowledge does not hold but a known name resembles ("Qwen4" beside
"Qwen3", "GPT-11" beside "GPT-4"), the reply is "I don't know", never an answer about the
namesake, however it is asked."""

from __future__ import annotations

import re

import pytest

from bot import Bot
from bot.normalise import compact

PHRASINGS = ("what is {}?", "tell me about {}", "{}?", "is {} open source?",
             "who developed {}?")


def near_misses(bot: Bot, limit: int = 40) -> list[tuple[str, str]]:
    """(unknown name, its known namesake): a version number changed or added."""
    known = {compact(n) for n in bot.names()}
    for m in bot.kb.models:
        known.update(compact(a) for a in m.aliases)
    out = []
    for name in sorted(bot.kb.model_names):
        numbers = re.findall(r"\d+", name)
        if numbers:
            last = numbers[-1]
            head, _, tail = name.rpartition(last)
            if tail:  # only a trailing version number: "GPT-4" -> "GPT-11"
                continue
            candidate = f"{head}{int(last) + 7}"
        else:
            candidate = f"{name} 9"
        if compact(candidate) not in known and len(name) >= 3:
            out.append((candidate, name))
    step = max(1, len(out) // limit)
    return out[::step][:limit]


@pytest.fixture(scope="module")
def bot() -> Bot:
    return Bot()


def test_there_are_near_misses_to_try(bot: Bot) -> None:
    assert len(near_misses(bot)) >= 30


@pytest.mark.parametrize("phrasing", PHRASINGS)
def test_a_near_namesake_is_never_answered_as_the_known_model(bot: Bot, phrasing: str) -> None:
    subjects, not_said = [], []
    misses = near_misses(bot)
    names = sorted(bot.kb.model_names, key=len, reverse=True)
    for unknown, _namesake in misses:
        text = bot.ask(phrasing.format(unknown)).text
        opening = text.removeprefix("Yes. ").removeprefix("No. ")
        if any(opening.startswith(f"**{n}**") for n in names):
            subjects.append((unknown, text[:80]))
        if "don't know" not in text:
            not_said.append((unknown, text[:80]))
    assert not subjects, subjects  # never an answer about another model
    # and nearly always the plain "I don't know X" (a few get the general out-of-scope hint)
    assert len(not_said) <= 0.1 * len(misses), not_said
