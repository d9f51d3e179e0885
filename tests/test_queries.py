"""Questions that compose (issue 12), as specifications: given this question, this answer.
Facts are read from the loaded knowledge, not restated here, where they may change."""

from __future__ import annotations

import pytest

from bot import Bot


@pytest.fixture(scope="module")
def bot() -> Bot:
    return Bot()


def said(text: str, *phrases: str) -> bool:
    return all(p.casefold() in text.casefold() for p in phrases)


# -- several things at once ------------------------------------------------------------------
def test_each_model_named_gets_its_classification(bot: Bot) -> None:
    text = bot.ask("what types are BERT and T5?").text
    assert said(text, "**BERT**", "**T5**", "masked language model", "sequence-to-sequence")


def test_a_yes_no_about_two_models_opens_with_both(bot: Bot) -> None:
    assert bot.ask("are GPT-2 and GPT-Neo both open source?").text.startswith("Yes, both")
    assert bot.ask("are BERT and GPT-4 open source?").text.startswith("No: **GPT-4**")


def test_which_of_several_models_is_in_a_category(bot: Bot) -> None:
    assert bot.ask("which of BERT, GPT-3 and T5 is seq2seq?").text.startswith("**T5**")


def test_a_fact_of_two_models_is_one_line_each(bot: Bot) -> None:
    text = bot.ask("who developed BERT and T5?").text
    assert text.splitlines() == ["- **BERT**: Google", "- **T5**: Google"]


# -- sets by attributes and categories ------------------------------------------------------
def test_a_year_bound_filters_a_category(bot: Bot) -> None:
    reply = bot.ask("which open source models were released after 2022?")
    assert "date > 2022" in reply.trace.query and "category=open-source" in reply.trace.query
    assert "GPT-Neo" not in reply.text  # 2021
    assert said(reply.text, "released after 2022")


def test_a_size_bound_is_a_number_not_an_unknown_name(bot: Bot) -> None:
    reply = bot.ask("which models have more than 100B parameters?")
    assert "don't know" not in reply.text and "size > 1e+11" in reply.trace.query
    assert "BERT" not in reply.text.split("\n", 1)[1]


def test_a_developer_excluded(bot: Bot) -> None:
    reply = bot.ask("multimodal models that aren't from OpenAI")
    assert "developer!=OpenAI" in reply.trace.query and "(OpenAI;" not in reply.text


def test_a_false_premise_is_answered_with_no_models(bot: Bot) -> None:
    text = bot.ask("which models did OpenAI open-source in 2015?").text
    assert text.startswith("I know no models")


# -- ordering, counts and groups ------------------------------------------------------------
def test_the_newest_of_a_family_says_how_current_it_is(bot: Bot) -> None:
    text = bot.ask("what's the newest Claude?").text
    assert said(text, "The newest model I know in the Claude", f"as of {bot.kb.as_of}")


def test_the_largest_open_model_is_open(bot: Bot) -> None:
    reply = bot.ask("what is the largest open-source model?")
    top = reply.text.split("**")[1]
    model = next(m for m in bot.kb.models if m.name == top)
    assert "open-source" in model.categories


def test_a_count_is_the_size_of_the_set(bot: Bot) -> None:
    expected = len(bot.kb.filter(["multilingual"]))
    assert f"**{expected}**" in bot.ask("how many models are multilingual?").text


def test_how_many_categories_a_dimension_has(bot: Bot) -> None:
    assert said(bot.ask("how many categories does deployment have?").text, "2 categories")


def test_the_developer_with_the_most_models_in_a_category(bot: Bot) -> None:
    text = bot.ask("which developer has the most open models?").text
    assert text.startswith("**") and "has the most models that are open-source" in text


# -- comparisons and alternatives -----------------------------------------------------------
def test_an_age_comparison_opens_with_the_verdict_and_both_years(bot: Bot) -> None:
    assert bot.ask("is BERT older than GPT-2?").text == (
        "Yes. **BERT** came out before **GPT-2**: 2018 against 2019.")
    assert bot.ask("was RoBERTa released before BERT?").text.startswith("No. **RoBERTa**")


def test_which_is_bigger_names_the_bigger_first(bot: Bot) -> None:
    assert bot.ask("which is bigger, GPT-3 or PaLM?").text.startswith("**PaLM** is bigger")


def test_open_alternatives_are_never_proprietary(bot: Bot) -> None:
    reply = bot.ask("what are the open-source alternatives to GPT-4?")
    names = [line.split("**")[1] for line in reply.text.splitlines() if line.startswith("- **")]
    models = {m.name: m for m in bot.kb.models}
    assert names and all("proprietary" not in models[n].categories for n in names)


# -- follow-ups on queries ------------------------------------------------------------------
def test_a_list_narrowed_then_ranked_then_picked() -> None:
    conv = Bot().conversation()
    conv.ask("which models did Google make?")
    narrowed = conv.ask("which of those are multilingual?")
    assert "developer=Google" in narrowed.trace.query and "multilingual" in narrowed.trace.query
    assert conv.ask("and the oldest?").text.startswith("The oldest model I know")
    conv.ask("sort them by size")
    second = conv.ask("the second one")
    assert second.intent == "model_about"


def test_how_big_is_it_after_a_model() -> None:
    conv = Bot().conversation()
    conv.ask("tell me about BERT")
    assert said(conv.ask("how big is it?").text, "BERT", "110M", "340M")


def test_which_one_is_newer_after_two_models() -> None:
    conv = Bot().conversation()
    conv.ask("when was GPT-2 released?")
    conv.ask("and GPT-3?")
    assert conv.ask("which one is newer?").text.startswith("**GPT-3** is newer")


# -- honest answers -------------------------------------------------------------------------
def test_an_unpublished_size_is_said(bot: Bot) -> None:
    assert bot.ask("how many parameters does Claude 3 have?").text.startswith("I don't know")


def test_a_kind_that_does_not_exist_is_no(bot: Bot) -> None:
    assert bot.ask("is BERT a diffusion model?").text.startswith("No")


def test_a_ranking_by_quality_is_declined(bot: Bot) -> None:
    text = bot.ask("which models are best at writing poetry?").text
    assert said(text, "don't rank") or said(text, "can't judge")


def test_a_typo_in_an_operator_word_still_composes(bot: Bot) -> None:
    """Given "whch one is oldr", the comparison is still asked: names are fixed by the entity
    stage, operator words by their own look-up (only for words the bot does not know)."""
    assert bot.ask("gpt2 vs bert whch one is oldr").text.startswith("**BERT** is older")
    assert bot.ask("the nwest llama").text.startswith("The newest model I know in the Llama")
    assert "released after 2022" in bot.ask("models relesed aftr 2022").text


def test_a_dimension_of_several_models_places_each(bot: Bot) -> None:
    text = bot.ask("what architecture do RETRO and RAG use?").text
    assert "**RETRO** under **Hybrid Models**" in text and "**RAG**" in text


def test_how_small_asks_the_size(bot: Bot) -> None:
    assert bot.ask("how small is MobileBERT?").text == "**MobileBERT** has **25.3M** parameters."


def test_two_categories_versus_each_other_are_compared(bot: Bot) -> None:
    r = bot.ask("monolingual versus multilingual models")
    assert r.intent == "compare" and "Handle multiple languages" in r.text


def test_a_curated_concept_with_members_is_a_filter(bot: Bot) -> None:
    text = bot.ask("which encoder-only models are open source?").text
    assert text.startswith("I know") and "curated as Encoder-only transformer" in text
    assert "BERT" in text and "GPT-2" not in text
    # its access stands for an open-weights release
    largest = bot.ask("what's the largest open-weight model?").text
    assert "curated as Open-weights release" in largest
    # a comparison of concepts stays a comparison
    assert bot.ask("what's the difference between open weights and open source?"
                   ).intent != "filter"


def test_a_yes_no_with_a_bound_checks_each_named_model(bot: Bot) -> None:
    assert bot.ask("was BERT released in 2018?").text == "Yes: **BERT** was released in 2018."
    assert bot.ask("was GPT-2 released after 2020?").text == (
        "No: **GPT-2** was released in 2019, not after 2020.")
    assert bot.ask("is GPT-3 larger than 100B parameters?").text == (
        "Yes: **GPT-3**'s largest size is 175B.")
    assert bot.ask("is GPT-4 bigger than 1T parameters?").text.startswith("I can't say")
    assert bot.ask("is Llama 2 a 7B model?").text.startswith("Yes")
    text = bot.ask("were BERT and GPT-2 released before 2019?").text
    assert text.startswith("Not all:") and "not before 2019" in text


def test_a_family_with_a_bound_lists_its_members(bot: Bot) -> None:
    text = bot.ask("list Mistral models from 2024").text
    assert "in the Mistral family, released in 2024" in text and "Mistral Large" in text
    assert "Llama 3.1" in bot.ask("which Llama models came out in 2024?").text


def test_a_range_bounds_both_ends(bot: Bot) -> None:
    for question in ("which models came out between 2019 and 2021?", "models from 2019 to 2021",
                     "models released 2019-2021"):
        assert bot.ask(question).trace.query == "list date >= 2019 date <= 2021", question
    assert "released between 2019 and 2021" in bot.ask(
        "which models came out between 2019 and 2021?").text
    assert bot.ask("models released in the last two years").trace.query == "list date >= 2025"


def test_a_superlative_ranks_as_many_as_asked(bot: Bot) -> None:
    text = bot.ask("the three newest Anthropic models").text
    assert text.startswith("The 3 newest models I know from Anthropic")
    assert text.count("\n- **") == 3
    text = bot.ask("top 3 largest open models").text
    assert text.startswith("The 3 largest models I know that are open-source")
    assert "can't take" not in text  # "top" counts, it does not judge
    assert bot.ask("the second newest Llama").text.startswith(
        "The second newest model I know in the Llama family is")
    assert bot.ask("the largest Anthropic model").text.startswith(
        "None of the 19 models I know from Anthropic has a published size")


def test_a_comparison_with_several_models_compares_each(bot: Bot) -> None:
    text = bot.ask("is Falcon bigger than LLaMA and BLOOM?").text
    assert text.startswith("No.") and "than **LLaMA**" in text and "than **BLOOM**" in text
    text = bot.ask("is T5 newer than BERT, GPT-2 and XLNet?").text
    assert text.startswith("Not all:") and text.count("\n- ") == 3


def test_counting_by_developer_groups(bot: Bot) -> None:
    assert bot.ask("count the multimodal models by developer").text.startswith(
        "**OpenAI** has the most models that are multimodal")


def test_a_tie_for_the_most_models_names_every_developer_tied(bot: Bot) -> None:
    text = bot.ask("which developer has the most models released after 2023?").text
    first = text.splitlines()[0]
    counts = [line.rsplit(": ", 1)[1] for line in text.splitlines() if line.startswith("- ")]
    if counts[0] == counts[1]:
        assert " share the most models" in first and " each." in first
    else:
        assert " has the most models" in first


def test_numbers_as_people_write_them(bot: Bot) -> None:
    assert bot.ask("models with 1.3B parameters").trace.query == "list size ~ 1.3e+09"
    assert bot.ask("models under 1,000 million parameters").trace.query == "list size < 1e+09"
    assert bot.ask("models released in 2024 or later").trace.query == "list date >= 2024"


def test_two_years_in_one_question_are_either_year_and_a_follow_up_narrows(bot: Bot) -> None:
    conv = bot.conversation()
    assert "released in 2019 or 2021" in conv.ask("models from 2019 and 2021").text
    narrowed = conv.ask("which of those came out in 2019?").text
    assert "(Google; 2018" not in narrowed and "2021)" not in narrowed


def test_a_numbered_place_ranks(bot: Bot) -> None:
    assert bot.ask("which is the 3rd oldest model?").text.startswith(
        "The third oldest model I know is")
    assert bot.ask("the 10th largest open model").text.startswith(
        "The tenth largest model I know that is open-source is")


# -- a model named at one of its sizes ("Llama 2 13B") -----------------------------------------
def test_a_size_after_a_name_is_that_size_in_a_comparison(bot: Bot) -> None:
    # Llama 2's largest size is 70B: the 13B asked is the one compared
    text = bot.ask("does Mistral 7B have fewer parameters than Llama 2 13B?").text
    assert text.startswith("Yes. **Mistral 7B** is smaller than **Llama 2 13B**: 7.3B against 13B")


def test_an_alias_with_a_size_is_that_size(bot: Bot) -> None:
    # "Falcon 7B" is an alias of Falcon (7B and 40B): 7B is smaller than Mistral's 7.3B
    assert bot.ask("is Falcon 7B bigger than Mistral 7B?").text.startswith(
        "No. **Falcon 7B** is smaller than **Mistral 7B**")


def test_which_is_bigger_reads_each_named_size(bot: Bot) -> None:
    assert bot.ask("which is bigger, Llama 2 7B or Mistral 7B?").text.startswith(
        "**Mistral 7B** is bigger (7.3B)")


def test_the_parameters_of_a_named_size_and_the_others(bot: Bot) -> None:
    text = bot.ask("how many parameters does Llama 2 13B have?").text
    assert said(text, "**Llama 2 13B** has **13B** parameters", "7B, 13B and 70B")


def test_a_size_the_model_does_not_have_is_not_answered_by_another(bot: Bot) -> None:
    text = bot.ask("how big is Llama 2 30B?").text
    assert text.startswith("I don't know a **30B** size of **Llama 2**")
    assert "70B" in text  # what is known of its sizes instead


def test_a_superlative_of_one_model_is_its_own_sizes_not_its_family(bot: Bot) -> None:
    # Llama 2 is one model of the Llama family: its largest size, not Llama 3.1's 405B
    assert bot.ask("the largest Llama 2 model").text.startswith(
        "**Llama 2**'s largest size is **70B**")
    assert bot.ask("what is the smallest Qwen2.5 model?").text.startswith(
        "**Qwen2.5**'s smallest size is **0.5B**")


def test_the_family_namesake_still_ranks_the_family(bot: Bot) -> None:
    assert bot.ask("the newest Llama").text.startswith("The newest model I know in the Llama")


# -- follow-ups that narrow or add a model -----------------------------------------------------
def test_which_of_those_are_from_a_developer_narrows_the_last_list(bot: Bot) -> None:
    conv = bot.conversation()
    conv.ask("which models came out in 2020?")
    text = conv.ask("which of those are from Google?").text
    assert said(text, "from Google", "released in 2020", "**mT5**")
    assert "**BERT**" not in text  # a Google model, but from 2018


def test_a_fact_of_it_compared_to_another_model_gives_both(bot: Bot) -> None:
    conv = bot.conversation()
    conv.ask("tell me about GPT-3")
    text = conv.ask("how big is it compared to BERT?").text
    assert said(text, "**GPT-3**: ", "175B", "**BERT**: ", "340M")


def test_the_largest_models_in_the_plural_ranks_a_few(bot: Bot) -> None:
    assert bot.ask("list the largest models").text.startswith("The 5 largest models I know")
    assert bot.ask("what are the newest open-source models?").text.startswith(
        "The 5 newest models I know that are open-source")
    assert bot.ask("the newest model").text.startswith("The newest model I know is")


def test_a_new_ranking_question_does_not_narrow_the_last_list(bot: Bot) -> None:
    conv = bot.conversation()
    conv.ask("how many models does Meta have?")
    assert "Meta" not in conv.ask("list the largest models").text.split("\n")[0]
    conv = bot.conversation()
    conv.ask("how many models does Meta have?")
    assert conv.ask("the biggest?").text.startswith("The largest model I know from Meta AI")


def test_a_category_word_said_of_two_models_is_asked_of_both(bot: Bot) -> None:
    # "open" alone is a weak alias; as the last word said of models it is the category
    assert bot.ask("are Mixtral and Llama 3 both open?").text.startswith("Yes, both")


def test_sorting_a_family_lists_its_members(bot: Bot) -> None:
    text = bot.ask("sort the Qwen models by size").text
    assert text.startswith("I know ") and "in the Qwen family" in text.split("\n")[0]
    assert text.count("\n- **") > 3


# -- another model's fact as a bound ----------------------------------------------------------
def test_models_bigger_than_a_model_are_bounded_by_its_largest_size(bot: Bot) -> None:
    text = bot.ask("which open models are bigger than Llama 2?").text
    assert text.startswith("I know ") and said(
        text, "open-source", "more than 70B parameters", "**Llama 2**'s largest size")
    assert "- **Llama 2**" not in text


def test_models_older_than_a_model_are_counted_by_its_year(bot: Bot) -> None:
    text = bot.ask("how many models are older than BERT?").text
    assert said(text, "released before 2018", "**BERT**'s release year")


def test_a_model_compared_with_another_is_still_a_verdict(bot: Bot) -> None:
    assert bot.ask("is GPT-4 newer than GPT-3?").text.startswith("Yes. **GPT-4** came out after")


def test_a_successor_is_a_fact_not_held_and_said_so(bot: Bot) -> None:
    conv = bot.conversation()
    conv.ask("tell me about GPT-3")
    assert conv.ask("and its successor?").text.startswith(
        "I don't know the successor of **GPT-3**")


def test_examples_asked_by_number_are_that_many(bot: Bot) -> None:
    text = bot.ask("give me three examples of edge models").text
    assert said(text, "**DistilBERT**", "**TinyBERT**", "from curated facts: MobileBERT.")
    assert "more: ask *more examples*" in text
