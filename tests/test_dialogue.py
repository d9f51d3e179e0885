"""The bot's behaviour, question by question: given this message, this answer."""

from __future__ import annotations

import json

import pytest


def said(reply, *phrases):
    low = reply.text.casefold()
    return all(p.casefold() in low for p in phrases)


@pytest.mark.parametrize("question, intent, phrases", [
    ("what type of model is BERT?", "classify_model", ["masked language", "transformer"]),
    ("how would you categorize T5?", "classify_model", ["sequence-to-sequence"]),
    ("what is BERT's training approach?", "model_dimension", ["masked language models"]),
    ("how is GPT-4 deployed?", "model_dimension", ["cloud"]),
    ("what architecture does T5 use?", "model_dimension", ["transformer-based"]),
    ("examples of multimodal models", "category_examples", ["DALL-E", "CLIP"]),
    ("which models are on-premise?", "category_examples", ["LLaMA", "Falcon", "GPT-J"]),
    ("what is a masked language model?", "describe_category", ["predict masked"]),
    ("explain hybrid models", "describe_category", ["memory augmentation"]),
    ("what does RAG mean?", "model_about", ["retrieval"]),
    ("how are LLMs classified?", "list_dimensions", ["architecture", "deployment", "8"]),
    ("what types exist based on deployment?", "list_categories", ["cloud-based", "on-premise"]),
    ("compare BERT and GPT", "compare", ["| ", "masked", "autoregressive"]),
    ("difference between autoregressive and masked models", "compare",
     ["next word", "masked (hidden)"]),
    ("who developed BERT?", "model_developer", ["Google"]),
    ("when was GPT-3 released?", "model_release", ["2020"]),
    ("how many parameters does LLaMA 2 have?", "model_parameters", ["70B"]),
    ("tell me about Mistral 7B", "model_about", ["Mistral AI"]),
    ("how many dimensions are there?", "taxonomy_size", ["8 dimensions", "19 categories"]),
    ("which dimension does on-premise belong to?", "category_dimension", ["Deployment"]),
    ("list every category", "list_all_categories", ["Hybrid Models", "Monolingual Models"]),
    ("which models are similar to BERT?", "similar_models", ["RoBERTa"]),
    ("what can you do?", "help", ["taxonomy"]),
    ("who are you?", "identity", ["taxobot"]),
    ("hello", "greet", []),
    ("thanks!", "thanks", []),
    ("bye", "goodbye", []),
])
def test_each_intent_answers_from_the_knowledge(bot, question, intent, phrases):
    reply = bot.ask(question)
    assert reply.intent == intent, reply.trace.render()
    assert said(reply, *phrases), reply.text
    assert 0.0 <= reply.confidence <= 1.0


@pytest.mark.parametrize("question, first", [
    ("is GPT-4 proprietary?", "Yes"),
    ("is LLaMA open source?", "Yes"),
    ("is TinyBERT a large-scale model?", "No"),
    ("is XLM-R monolingual?", "No"),
    ("Is BERT autoregressive?", "No"),
])
def test_yes_no_questions_start_with_yes_or_no_then_say_why(bot, question, first):
    reply = bot.ask(question)
    assert reply.intent == "membership"
    assert reply.text.startswith(first + ".")
    assert len(reply.text) > len(first) + 20


def test_several_categories_filter_the_models(bot):
    reply = bot.ask("which models are open source and multilingual?")
    assert reply.intent == "filter"
    assert said(reply, "XLM-R", "mT5", "BLOOM")
    assert not said(reply, "GPT-4")


def test_negation_excludes_a_category(bot):
    reply = bot.ask("which transformer models are not autoregressive?")
    assert reply.intent == "filter"
    assert said(reply, "BERT", "not autoregressive")
    assert "**GPT-3**" not in reply.text


def test_a_choice_names_the_right_option(bot):
    assert bot.ask("is XLM-R monolingual or multilingual?").text.startswith("**Multilingual")
    reply = bot.ask("which of BERT, GPT-3 and T5 is seq2seq?")
    assert reply.intent == "choice"
    assert reply.text.startswith("**T5** is")


def test_a_weak_word_beside_its_alternative_is_a_category(bot):
    """"open" alone is an ordinary word; "open or proprietary" names two categories."""
    assert bot.ask("is LLaMA open or proprietary?").text.startswith("**Open-source")
    assert bot.ask("is Falcon 180B small or large scale?").text.startswith("**Large-scale")


def test_only_excluded_categories_still_filter(bot):
    reply = bot.ask("which models are neither proprietary nor multilingual?")
    assert reply.intent == "filter"
    assert said(reply, "not proprietary") and said(reply, "not multilingual")
    reply = bot.ask("which models aren't proprietary?")
    assert reply.intent == "filter" and reply.text.split(":")[0].endswith("are not proprietary")
    assert "proprietary" not in " ".join(reply.text.split("\n")[1:]).casefold()


def test_a_known_name_does_not_pull_an_off_topic_question_in(bot):
    assert bot.ask("should I buy Nvidia stock right now?").intent == "fallback"


def test_a_wordy_question_is_still_understood(bot):
    reply = bot.ask("I'm writing a report and need to know whether RoBERTa is autoregressive "
                    "or masked — which is it?")
    assert reply.intent == "choice"
    assert "masked" in reply.text.split("\n")[0].casefold()


@pytest.mark.parametrize("question, name", [
    ("what is distilbrt?", "DistilBERT"),
    ("examples of multimodle models", "DALL-E"),
    ("is GPT4 proprietary?", "GPT-4"),
    ("who made llama2?", "Llama 2"),
    ("what type of model is Roberta?", "RoBERTa"),
    ("is XLMR multilingual?", "XLM-R"),
])
def test_typos_resolve_to_the_intended_name(bot, question, name):
    reply = bot.ask(question)
    assert reply.intent not in ("fallback", "clarify")
    assert name in reply.text


@pytest.mark.parametrize("word", ["type", "model", "is", "large", "open", "language"])
def test_ordinary_words_are_not_models(bot, word):
    entities = bot.ask(f"what {word} is it").entities
    assert not [e for e in entities if e.kind == "model"]


def test_several_entities_are_all_kept(bot):
    reply = bot.ask("compare BERT, T5 and GPT-3")
    assert [e.name for e in reply.entities] == ["BERT", "T5", "GPT-3"]
    assert said(reply, "| **BERT** | **T5** | **GPT-3** |")


@pytest.mark.parametrize("question", ["what type of model is Zorblax-9?",
                                      "is Splendorax open source?",
                                      "who developed Quuxifier 3000?"])
def test_an_unknown_name_gets_i_dont_know_and_no_other_model(bot, question):
    reply = bot.ask(question)
    assert "I don't know" in reply.text
    assert not reply.entities or all(e.kind != "model" for e in reply.entities)


def test_an_unknown_name_close_to_a_known_one_offers_it(bot):
    reply = bot.ask("what type of model is Falcom-9000?")
    assert "I don't know" in reply.text and "Falcon" in reply.text


def test_a_real_ambiguity_asks_which_one(bot):
    conv = bot.conversation()
    reply = conv.ask("what type of model is Phi?")
    assert reply.intent == "clarify"
    assert reply.suggestions == ("Phi-1", "Phi-2", "Phi-3")
    answer = conv.ask("Phi-2")
    assert answer.intent == "classify_model" and "Phi-2" in answer.text


@pytest.mark.parametrize("text", ["what's the weather like in Paris?", "give me a pasta recipe",
                                  "write me a poem about the sea", "what is 17 times 23?",
                                  "asdkjh qwpoeiru zmxncb", "who won the world cup in 2018?"])
def test_out_of_scope_falls_back_with_a_hint(bot, text):
    reply = bot.ask(text)
    assert reply.intent == "fallback"
    assert "taxonomy" in reply.text


@pytest.mark.parametrize("turns", [
    [("what kind of model is BART?", "BART"), ("what about T5?", "T5"),
     ("and RoBERTa?", "RoBERTa")],
    [("is GPT-Neo open source?", "Yes"), ("and MPT?", "Yes. The taxonomy lists **MPT**")],
    [("tell me about BERT", "BERT"), ("is it open source?", "Yes"),
     ("its architecture?", "Transformer-Based")],
    [("examples of open-source models", "GPT-Neo"), ("give me more examples", "More")],
    [("tell me about domain-specific models", "Domain-Specific"),
     ("can you name one?", "BioBERT")],
    [("is GPT-4 multimodal?", "Yes"), ("what does that mean?", "multiple data types")],
    [("is BERT open source?", "Yes"), ("why?", "BERT")],
    [("what type of model is BERT?", "BERT"), ("source?", "taxonomy")],
    [("what is BERT?", "BERT"), ("how is the weather?", "taxonomy"),
     ("and GPT-2?", "GPT-2")],
])
def test_follow_ups_continue_from_context(bot, turns):
    conv = bot.conversation()
    for question, expected in turns:
        reply = conv.ask(question)
        assert reply.intent not in ("fallback",) or "weather" in question, reply.trace.render()
        assert expected.casefold() in reply.text.casefold(), (question, reply.text)


def test_which_of_those_narrows_the_list_just_given(bot):
    conv = bot.conversation()
    conv.ask("which models are multilingual?")
    reply = conv.ask("which of those are open source?")
    assert reply.intent == "filter" and said(reply, "multilingual and open-source", "BLOOM")
    assert not said(reply, "GPT-4")
    reply = conv.ask("and which of them are not transformer-based?")
    assert reply.intent == "filter" and said(reply, "not transformer-based")
    # Without a list before it, "those" has nothing to narrow.
    assert bot.ask("which of those are open source?").intent == "category_examples"


def test_they_after_a_model_means_its_developer(bot):
    conv = bot.conversation()
    conv.ask("who developed PaLM?")
    reply = conv.ask("what else did they make?")
    assert reply.intent == "developer_models" and said(reply, "Google", "BERT")
    assert bot.ask("what else did they make?").intent == "fallback"  # nobody named yet


def test_explaining_something_outside_the_taxonomy_falls_back(bot):
    assert bot.ask("explain quantum computing").intent == "fallback"
    assert bot.ask("what does that mean?").intent == "help"  # nothing said yet


def test_state_round_trips_through_json(bot):
    conv = bot.conversation()
    conv.ask("is GPT-Neo open source?")
    state = json.loads(json.dumps(conv.to_dict()))
    resumed = bot.conversation(state)
    assert resumed.ask("and MPT?").text == conv.ask("and MPT?").text


def test_replies_are_deterministic(bot):
    for q in ["hello", "what type of model is BERT?", "compare GPT-3 and T5"]:
        assert bot.ask(q).to_dict() == bot.ask(q).to_dict()


def test_user_text_is_never_a_template_or_markup(bot):
    reply = bot.ask("what type of model is {model.__class__}[@click=app.quit]x[/]?")
    assert "<class" not in reply.text and reply.intent == "fallback"
    reply = bot.ask("what type of model is Zorb{0}[@click=app.quit]X[/]?")
    assert "I don't know `Zorb{0" in reply.text  # echoed only inside an inert code span
    assert json.loads(json.dumps(reply.to_dict()))["text"] == reply.text


def test_the_trace_explains_the_understanding(bot):
    conv = bot.conversation()
    conv.ask("what type of model is BERT?")
    trace = conv.ask("is it open source?").trace
    assert trace.ranking[0][0] == "membership"
    assert ("model", "bert") in trace.context_slots
    assert "membership" in trace.render()


def test_a_pronoun_with_nothing_said_yet_asks_which_model_then_answers(bot):
    conv = bot.conversation()
    reply = conv.ask("is it open source?")
    assert reply.intent == "clarify" and "Which model" in reply.text
    assert conv.ask("BERT").text.startswith("Yes. **BERT**")


@pytest.mark.parametrize("question, unknown", [
    ("what kind of model is GPT-7?", "GPT-7"), ("is Llama 5 open source?", "Llama 5"),
    ("who developed Claude 7?", "Claude 7"), ("is XLM-Z multilingual?", "XLM-Z")])
def test_a_known_name_with_a_version_it_lacks_is_not_the_known_model(bot, question, unknown):
    reply = bot.ask(question)
    assert reply.text.startswith(f"I don't know `{unknown}`")
    assert "Did you mean" in reply.text


def test_a_possessive_or_a_hyphenated_category_keeps_the_model(bot):
    assert "GPT-4" in bot.ask("what is GPT-4's architecture?").text
    assert bot.ask("is Phi-3 small-scale?").text.startswith("Yes. **Phi-3**")


def test_markup_is_read_past_not_understood(bot):
    assert bot.ask("[italic]is RoBERTa open source?[/]").text.startswith("Yes")
    assert "I don't know `Zyxxor`" in bot.ask("what is [bold red]Zyxxor[/] ?").text


@pytest.mark.parametrize("question, maker, some, never", [
    ("what models does OpenAI make?", "OpenAI", ["GPT-3", "DALL-E"], ["BERT"]),
    ("which open source models are made by Meta?", "Meta AI", ["LLaMA", "OPT"], ["GPT-4"]),
])
def test_models_by_their_developer(bot, question, maker, some, never):
    reply = bot.ask(question)
    assert reply.intent == "developer_models"
    assert reply.text.startswith(f"**{maker}** developed")
    assert all(f"**{m}**" in reply.text for m in some)
    assert not any(f"**{m}**" in reply.text for m in never)


def test_what_else_they_released_lists_the_developers_models(bot):
    conv = bot.conversation()
    conv.ask("what is Mixtral 8x7B?")
    conv.ask("who made it?")
    reply = conv.ask("what else have they released?")
    assert reply.intent == "developer_models" and said(reply, "Mistral AI", "Mistral 7B")
    # a fact about "it" stays a fact: the list intents alone read "they" as the maker
    conv = bot.conversation()
    conv.ask("tell me about BERT")
    assert said(conv.ask("when was it released?"), "BERT", "2018")


def test_their_models_with_a_category_is_the_makers_set(bot):
    conv = bot.conversation()
    conv.ask("who made Gemma?")
    reply = conv.ask("which of their models are multimodal?")
    assert reply.intent == "filter" and said(reply, "multimodal", "from Google", "PaliGemma")
    assert "DALL-E" not in reply.text


def test_a_superlative_over_an_ambiguous_family_name_ranks_the_family(bot):
    assert said(bot.ask("which DeepSeek model is the largest?"),
                "The largest model I know in the DeepSeek family is **DeepSeek-V4**")
    assert bot.ask("what's the smallest size of Llama 2?").text == (
        "**Llama 2**'s smallest size is **7B** (of 7B, 13B and 70B).")


def test_which_of_them_after_several_models_narrows_those_models(bot):
    conv = bot.conversation()
    conv.ask("compare BERT, GPT-2 and T5")
    reply = conv.ask("which of them are open source?")
    assert reply.intent == "filter" and said(reply, "among BERT, GPT-2 and T5")
    reply = conv.ask("which of them is encoder-only?")
    assert reply.text.startswith("**BERT** is the only model I know")


def test_equal_years_are_a_tie_not_a_pick(bot):
    assert bot.ask("which is newer, BART or T5?").text.startswith(
        "I can't tell them apart: **BART** and **T5** both came out in 2019")


def test_how_many_are_there_counts_the_last_list(bot):
    conv = bot.conversation()
    conv.ask("which models are open source?")
    listed = conv.ask("only the multilingual ones").text
    assert said(conv.ask("how many are there?"), listed.split(" models")[0].split()[-1])
    assert conv.ask("how many models are there?").trace.query == "count"  # every model


def test_a_follow_up_after_a_fact_asks_the_same_fact(bot):
    conv = bot.conversation()
    conv.ask("what are the sizes of Llama 3.1?")
    reply = conv.ask("and Llama 3?")
    assert reply.intent == "model_parameters" and said(reply, "Llama 3", "8B", "70B")


def test_a_clarifying_question_is_answered_by_a_size_a_place_or_an_order(bot):
    for reply_text, name in (("the 7B one", "Mistral 7B"),):
        conv = bot.conversation()
        conv.ask("who made mistral")
        assert said(conv.ask(reply_text), name, "Mistral AI")
    conv = bot.conversation()
    conv.ask("is phi open source?")
    assert said(conv.ask("the second one"), "Phi-2")
    conv = bot.conversation()
    conv.ask("tell me about phi")
    assert said(conv.ask("the 1.3B one"), "Phi-1")


def test_a_new_question_after_a_clarifying_one_is_answered_as_asked(bot):
    conv = bot.conversation()
    conv.ask("who made mistral")
    assert conv.ask("wen was bert relesed").text == "**BERT** was released in **2018**."


def test_a_new_question_about_another_model_is_not_taken_as_the_clarifying_answer(bot):
    conv = bot.conversation()
    assert conv.ask("is mistrall open source?").intent == "clarify"
    reply = conv.ask("tell me about GPT-5")  # not "is GPT-5 open source?"
    assert reply.intent == "model_about" and reply.text.startswith("**GPT-5**")


def test_a_bare_other_name_still_answers_the_clarifying_question(bot):
    conv = bot.conversation()
    conv.ask("is mistrall open source?")
    assert conv.ask("GPT-5").text.startswith("No. **GPT-5** is in **Proprietary Models**")
