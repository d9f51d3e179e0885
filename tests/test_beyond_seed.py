"""What real people ask beyond the seed (issue 18), as specifications: given this question,
this answer. Curated answers say they are curated; licences, languages, capabilities and
memory estimates come from knowledge/concepts.yaml, licences.yaml and languages.yaml."""

from __future__ import annotations

import pytest

from bot import Bot


@pytest.fixture(scope="module")
def bot() -> Bot:
    return Bot()


def said(text: str, *phrases: str) -> bool:
    return all(p.casefold() in text.casefold() for p in phrases)


def test_architecture_variants_are_curated_and_placed(bot: Bot) -> None:
    assert bot.ask("is BERT encoder-only?").text.startswith("Yes.")
    assert bot.ask("is BERT decoder-only?").text.startswith("No.")
    text = bot.ask("what is a decoder-only model?").text
    assert said(text, "source taxonomy does not split models this way", "Decoder-only")


def test_commercial_use_inherits_the_base_licence(bot: Bot) -> None:
    text = bot.ask("can I use Vicuna commercially?").text
    assert text.startswith("No.") and said(text, "inherited from **LLaMA**")
    assert bot.ask("can I use Mistral 7B in a commercial product?").text.startswith("Yes.")
    assert bot.ask("can I fine-tune Llama 2 and sell it?").text.startswith("Only if")


def test_a_licence_answer_says_what_it_allows(bot: Bot) -> None:
    assert said(bot.ask("what license does Vicuna have?").text, "LLaMA", "not allowed")


def test_open_weights_versus_open_source(bot: Bot) -> None:
    assert said(bot.ask("open weights vs open source?").text, "curated difference", "OSI")


def test_languages_are_a_yes_no_with_the_source(bot: Bot) -> None:
    text = bot.ask("does mBERT support Hindi?").text
    assert text.startswith("Yes") and "_" in text  # the reference, in italics
    assert said(bot.ask("what languages does Jais speak?").text, "Arabic", "English")
    assert said(bot.ask("which models support Arabic?").text, "AraBERT", "Jais")


def test_generation_follows_from_the_training_approach(bot: Bot) -> None:
    assert bot.ask("can BERT generate text?").text.startswith("Not directly")
    assert bot.ask("can GPT-2 generate text?").text.startswith("Yes")
    assert bot.ask("can GPT-3 classify text?").text.startswith("I can't say")


def test_memory_estimates_show_their_formula(bot: Bot) -> None:
    text = bot.ask("how much memory does Llama 2 need at 4-bit?").text
    assert said(text, "Estimated", "7B at 4-bit", "4.2 GB", "× 0.5 bytes")
    assert said(bot.ask("which open models fit in 12 GB at 4-bit?").text,
                "Estimated to fit in **12 GB** at **4-bit**")


def test_why_gets_the_curated_explanation_or_says_it_cannot(bot: Bot) -> None:
    assert said(bot.ask("why is RAG hybrid?").text, "retriev", "Curated explanation")
    assert said(bot.ask("why is BERT bidirectional?").text, "both sides", "Devlin")
    text = bot.ask("why is Claude proprietary?").text
    assert text.startswith("I can't explain that") and "Claude" in text


def test_fit_for_purpose_lists_built_for_models_with_a_caveat(bot: Bot) -> None:
    text = bot.ask("which model for medical exam questions?").text
    assert said(text, "Med-PaLM", "don't benchmark quality")


def test_training_stages_and_quantisation_are_curated_concepts(bot: Bot) -> None:
    assert said(bot.ask("what is RLHF?").text, "Preference tuning", "source taxonomy")
    assert said(bot.ask("what is Q4_K_M?").text, "llama.cpp", "bits per weight")
    assert bot.ask("is ChatGPT trained with RLHF?").text.startswith("Yes.")


def test_facts_the_knowledge_does_not_hold_are_said(bot: Bot) -> None:
    assert bot.ask("how big is GPT-4?").text.startswith("I don't know")
    assert bot.ask("what's the context window of GPT-4?").text.startswith("I don't know")


def test_models_for_a_language_put_the_ones_made_for_it_first(bot: Bot) -> None:
    r = bot.ask("are there any French language models?")
    assert r.intent == "models_for_language"
    lines = [x for x in r.text.splitlines() if x.startswith("- ")]
    assert lines[0] == "- **CamemBERT**" and lines[1] == "- **FlauBERT**"
    assert lines[-1].startswith("- … and ") and lines[-1].endswith(" more")


def test_how_many_languages_is_the_languages_not_the_category(bot: Bot) -> None:
    r = bot.ask("how many languages can BLOOM handle?")
    assert r.intent == "languages_of" and "46 languages" in r.text
    assert bot.ask("is BLOOM multilingual?").intent == "membership"


def test_a_kind_nothing_names_still_says_what_the_model_handles(bot: Bot) -> None:
    text = bot.ask("is Whisper a text-only model?").text
    assert text.startswith("No") and "It handles audio and text." in text


def test_languages_other_than_one_mean_some_other_language(bot: Bot) -> None:
    assert bot.ask("does BLOOM support languages other than English?").text.startswith(
        "Yes: **BLOOM** has 46 stated languages, not only English")
    assert bot.ask("does BERT support languages other than English?").text.startswith(
        "No: the only language stated for **BERT** is English.")
    text = bot.ask("monolingual models for languages other than English").text
    assert {"AraBERT", "CamemBERT", "RuBERT"} <= set(_names(text))
    assert not {"FinBERT", "BioBERT", "DistilBERT"} & set(_names(text))


def test_a_negated_language_means_models_known_to_lack_it(bot: Bot) -> None:
    names = _names(bot.ask("models that don't support English").text)
    assert "CamemBERT" in names and "BLOOM" not in names
    assert "mT5" not in names  # 101 languages, no list: never assumed to lack English


def _names(text: str) -> list[str]:
    return [x[4:x.index("**", 4)] for x in text.splitlines() if x.startswith("- **")]


def test_which_models_have_an_access_notion_lists_them(bot: Bot) -> None:
    # "open weights" has no member list of its own: every open-weights model is one
    text = bot.ask("which models are open weights?").text
    assert text.startswith("I know ") and "Open-weights release" in text
    assert "- **BERT**" in text


def test_what_an_access_notion_means_is_still_its_definition(bot: Bot) -> None:
    text = bot.ask("what does open weights mean?").text
    assert "can be downloaded" in text and not text.startswith("I know ")


def test_an_attention_free_model_is_not_placed_under_transformers(bot: Bot) -> None:
    # Mamba (curated, Gu and Dao 2023) is a state-space model: no architecture category
    assert bot.ask("is Mamba a transformer?").text.startswith("No, not as far as I know")
    assert "state-space" in bot.ask("tell me about Mamba").text
