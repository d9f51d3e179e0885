"""What a model is specialised for (a model's ``domain:`` in knowledge/, the ``domains``
phrases in intents/operators.yaml), as specifications: given this question, this answer.

"code models", "medical models", "open alternatives to Codex for writing code": the domain is
a filter of the query layer like a year or a licence, kept for follow-ups, and it ranks
alternatives (Codex is most like other code models)."""

from __future__ import annotations

import pytest

from bot import Bot


@pytest.fixture(scope="module")
def bot() -> Bot:
    return Bot()


def names_in(text: str) -> list[str]:
    return [line[4:line.index("**", 4)] for line in text.splitlines()
            if line.startswith("- **")]


def test_every_domain_in_knowledge_has_words_that_ask_for_it(bot: Bot) -> None:
    used = {d for m in bot.kb.models for d in m.domain}
    worded = {str(meaning) for entries in bot.catalog.operators.domains.by_first.values()
              for _, meaning in entries}
    assert used and used <= worded, used - worded


def test_a_domain_filters_the_models(bot: Bot) -> None:
    r = bot.ask("which models are specialised for code?")
    found = names_in(r.text)
    assert r.intent == "filter" and "specialised for code" in r.text
    assert {"StarCoder", "Code Llama", "Codex"} <= set(found)
    assert not {"BERT", "GPT-2", "BioBERT"} & set(found)


def test_a_domain_composes_with_a_category_a_developer_and_a_year(bot: Bot) -> None:
    text = bot.ask("which Google models are for medicine?").text
    assert set(names_in(text)) == {"Med-PaLM", "Med-PaLM 2", "MedGemma"}
    assert names_in(bot.ask("open-source models for finance").text) == ["FinBERT"]
    text = bot.ask("the newest code model").text
    assert text.startswith("The newest model I know specialised for code is")


def test_a_follow_up_narrows_by_domain_and_keeps_it(bot: Bot) -> None:
    conv = bot.conversation()
    conv.ask("list domain-specific models")
    medical = names_in(conv.ask("just the medical ones").text)
    assert "BioBERT" in medical and "FinBERT" not in medical
    open_medical = names_in(conv.ask("which of those are open source?").text)
    assert "BioBERT" in open_medical and "Med-PaLM" not in open_medical


def test_alternatives_rank_models_of_the_same_domain_first(bot: Bot) -> None:
    text = bot.ask("open alternatives to Codex for writing code").text
    assert "open-source" in text and "specialised for code" in text
    assert "BloombergGPT" not in text
    assert names_in(text)[0] in {"Code Llama", "StarCoder", "StarCoder2", "Codestral"}


def test_a_profile_says_what_the_model_is_for(bot: Bot) -> None:
    assert "Specialised for: medicine" in bot.ask("tell me about BioBERT").text
    assert "Specialised for" not in bot.ask("tell me about GPT-2").text


def test_an_image_generator_is_most_like_other_image_generators(bot: Bot) -> None:
    # DALL-E shares more categories with ERNIE 4.5; what it is built for says more
    text = bot.ask("open-source alternatives to DALL-E").text
    assert names_in(text)[0] == "Stable Diffusion"


def test_open_models_for_image_generation(bot: Bot) -> None:
    text = bot.ask("open models for image generation").text
    assert names_in(text) == ["Stable Diffusion"] and "handles images" in text
