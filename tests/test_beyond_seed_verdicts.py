"""Beyond the seed, as yes/no verdicts (issue 18): a question that can be answered yes or no
starts with its verdict, and the verdict comes from the data (licences, access, modalities,
memory rules, languages), never from the question's wording alone."""

from __future__ import annotations

import pytest

from bot import Bot


@pytest.fixture(scope="module")
def bot() -> Bot:
    return Bot()


def said(text: str, *phrases: str) -> bool:
    return all(p.casefold() in text.casefold() for p in phrases)


# -- licences by name --------------------------------------------------------------------------
def test_a_licence_named_in_a_yes_no_is_checked_against_the_models_own() -> None:
    bot = Bot()
    assert bot.ask("is Phi-2 MIT licensed?").text.startswith("Yes: **Phi-2** is under the "
                                                             "**MIT License**")
    no = bot.ask("is Llama 2 apache licensed?").text
    assert no.startswith("No:") and said(no, "Llama 2 Community License", "not the Apache")


def test_an_inherited_licence_answers_for_a_fine_tune_with_its_later_version_noted(
        bot: Bot) -> None:
    yes = bot.ask("is Vicuna under the LLaMA licence?").text
    assert yes.startswith("Yes") and said(yes, "inherited from **LLaMA**")
    no = bot.ask("is Vicuna under the Llama 2 license?").text
    assert no.startswith("No") and said(no, "v1.5", "Llama 2")


def test_a_model_without_weights_has_no_open_licence(bot: Bot) -> None:
    text = bot.ask("is GPT-4 MIT licensed?").text
    assert text.startswith("No:") and said(text, "no released weights")


def test_downloading_weights_is_a_yes_no_on_access(bot: Bot) -> None:
    assert bot.ask("can I download GPT-4's weights?").text.startswith("No: the weights")
    assert bot.ask("are Llama 2's weights public?").text.startswith("Yes: **Llama 2** is "
                                                                    "released as open weights")


def test_a_licence_is_a_filter_that_composes(bot: Bot) -> None:
    text = bot.ask("which multilingual models are Apache 2.0?").text
    assert said(text, "multilingual", "under the Apache License 2.0", "mT5")
    assert "Llama 2" not in text
    count = bot.ask("how many models use the Llama 2 license?").text
    assert said(count, "under the Llama 2 Community License")


def test_commercial_use_ignores_where_the_weights_are_hosted(bot: Bot) -> None:
    text = bot.ask("Command R weights are on Hugging Face - can my company use them "
                   "commercially?").text
    assert text.startswith("No.") and said(text, "Command R", "NonCommercial")


# -- asides and idioms -----------------------------------------------------------------------
def test_like_another_model_is_an_aside_to_a_yes_no(bot: Bot) -> None:
    text = bot.ask("is BART encoder-only like BERT?").text
    assert text.startswith("No") and said(text, "BART", "Encoder-decoder")
    assert bot.ask("is DistilBERT able to generate text like GPT-2 does?").text.startswith(
        "Not directly")


def test_on_top_of_is_not_a_ranking(bot: Bot) -> None:
    text = bot.ask("what did InstructGPT add on top of GPT-3?").text
    assert "rank" not in text and said(text, "human feedback")


def test_a_quality_word_with_a_need_lists_the_models_built_for_it(bot: Bot) -> None:
    text = bot.ask("good models for code generation?").text
    assert said(text, "Code Llama", "not a ranking")


# -- capabilities ------------------------------------------------------------------------------
@pytest.mark.parametrize(("question", "start"), [
    ("can CLIP generate images?", "Not directly"),
    ("can Stable Diffusion make pictures from a text prompt?", "Yes"),
    ("can BERT generate images?", "No"),
    ("can LLaVA answer questions about a photo?", "Yes"),
    ("can GPT-4 understand images?", "Yes"),
    ("can BERT see images?", "No"),
    ("can DALL-E describe a photo?", "Not directly"),
    ("can GPT-2 generate text?", "Yes"),
])
def test_capabilities_follow_from_placements_and_modalities(bot: Bot, question: str,
                                                            start: str) -> None:
    assert bot.ask(question).text.startswith(start)


def test_an_image_ability_the_data_does_not_record_is_said_so(bot: Bot) -> None:
    assert bot.ask("can GPT-4 generate images?").text.startswith("I can't say")


# -- languages ---------------------------------------------------------------------------------
def test_translation_direction_decides(bot: Bot) -> None:
    text = bot.ask("can Whisper translate English speech into French?").text
    assert text.startswith("No:") and said(text, "only into English")
    assert bot.ask("can Whisper translate French audio to English?").text.startswith("Yes")


def test_a_no_on_a_language_names_the_one_stated(bot: Bot) -> None:
    text = bot.ask("does the original BERT handle French text?").text
    assert text.startswith("No: the only language stated for **BERT** is English")


def test_no_model_of_a_kind_names_the_ones_that_do_speak_it(bot: Bot) -> None:
    text = bot.ask("I want a chatbot that speaks Arabic - which model?").text
    assert said(text, "None of the conversational models", "Jais", "AraBERT")


# -- running locally ---------------------------------------------------------------------------
@pytest.mark.parametrize(("question", "start"), [
    ("would Mistral 7B fit on a 12 GB card?", "Only quantised: at 16-bit **Mistral 7B**"),
    ("can I run Phi-2 on a 24 GB GPU?", "Yes: **Phi-2** is estimated to fit"),
    ("can I run Llama 2 on a 12 GB GPU?", "Only some sizes of **Llama 2**"),
    ("can I run Llama 3.1 405B at home on one GPU?", "No: even at 4-bit **Llama 3.1**"),
    ("can I run Whisper offline?", "Yes, given enough memory: **Whisper** has open weights"),
    ("can I run GPT-4 locally?", "No: **GPT-4** can't be run locally"),
])
def test_running_locally_is_a_verdict_from_the_memory_rule(bot: Bot, question: str,
                                                           start: str) -> None:
    assert bot.ask(question).text.startswith(start)


def test_a_budget_without_a_number_names_the_hardware_it_assumed(bot: Bot) -> None:
    assert said(bot.ask("can I run Mixtral at home?").text, "32 GB", "RTX 5090", "4-bit")


def test_would_it_fit_follows_the_model_talked_about() -> None:
    chat = Bot().conversation()
    chat.ask("tell me about Mistral 7B")
    assert chat.ask("would it fit on a 12 GB card?").text.startswith("Only quantised")


# -- why ---------------------------------------------------------------------------------------
def test_a_general_explanation_is_followed_by_what_the_model_does(bot: Bot) -> None:
    text = bot.ask("why is RETRO considered a hybrid model?").text
    assert said(text, "retrieval", "**RETRO**", "database")


def test_a_licence_that_varies_by_size_says_it_depends(bot: Bot) -> None:
    text = bot.ask("is Qwen2.5 Apache licensed?").text
    assert text.startswith("It depends on the size") and said(text, "3B", "Qwen Research")


def test_a_partial_language_list_is_not_a_no(bot: Bot) -> None:
    text = bot.ask("does Qwen2.5 support Hindi?").text
    assert text.startswith("I can't tell") and said(text, "only some", "Hindi is not among")
