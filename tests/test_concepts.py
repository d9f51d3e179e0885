"""Curated knowledge beyond the seed: licences, languages, capabilities, memory, concepts.

Specifications of the facts behind issue 18's questions ("can I use Vicuna commercially?",
"does LLaMA speak Spanish?", "can BERT generate text?", "what fits in 12 GB at 4-bit?"),
read from the real knowledge/ files, and of the loader's refusals with file:line.
"""

from __future__ import annotations

import pickle
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from bot.concept_answers import (
    can_generate,
    commercial_use,
    compare_concepts,
    concept_of,
    concepts_in,
    explain,
    fits_in,
    languages_in,
    memory_estimate,
    models_supporting,
    parameter_counts,
    purpose_of,
    supports_language,
)
from bot.concepts import Concepts
from bot.concepts_loader import (
    Known,
    ModelLicence,
    build_concepts,
    is_concepts_doc,
    known_from,
    load_concepts,
)
from bot.datafiles import knowledge_dir, yaml_files
from bot.knowledge import KnowledgeBase
from bot.knowledge_loader import load_knowledge
from bot.yamlio import DataError, load_yaml


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    """The knowledge base alone: the concept files are another loader's."""
    folder = tmp_path_factory.mktemp("knowledge")
    for path in yaml_files(knowledge_dir()):
        if not is_concepts_doc(load_yaml(path)):
            target = folder / path.relative_to(knowledge_dir())
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
    return load_knowledge(bundled=folder)


@pytest.fixture(scope="module")
def cc(kb: KnowledgeBase) -> Concepts:
    return load_concepts(known=known_from(kb))


def verdict(model_id: str, kb: KnowledgeBase, cc: Concepts):  # type: ignore[no-untyped-def]
    m = kb.model(model_id)
    return commercial_use(model_id, m.license, m.access, cc, lambda b: kb.model(b).license)


# -- licences and commercial use ------------------------------------------------------------
def test_vicuna_is_not_for_commercial_use_because_it_inherits_llamas_licence(kb, cc):
    v = verdict("vicuna", kb, cc)
    assert v.outcome == "no"
    assert v.inherited_from == "llama" and v.licence is not None
    assert v.licence.id == "llama-noncommercial" and v.open_source is False
    assert any("Llama 2" in n for n in v.notes)  # v1.5 is on Llama 2: the answer must say so


def test_llava_inherits_through_vicuna_from_llama(kb, cc):
    v = verdict("llava", kb, cc)
    assert (v.outcome, v.via, v.inherited_from) == ("no", ("vicuna", "llama"), "llama")
    assert any("OpenAI" in n for n in v.notes)


def test_alpaca_and_koala_are_research_only(kb, cc):
    assert verdict("alpaca", kb, cc).outcome == "no"
    assert verdict("koala", kb, cc).outcome == "no"


def test_llama_2_is_allowed_only_below_700_million_monthly_users(kb, cc):
    v = verdict("llama-2", kb, cc)
    assert v.outcome == "only_if" and "700 million monthly active users" in v.condition
    assert v.inherited_from == ""


def test_an_own_licence_wins_over_the_base(kb, cc):
    assert verdict("code-llama", kb, cc).licence.id == "llama-2-community"  # type: ignore[union-attr]
    zephyr = verdict("zephyr", kb, cc)
    assert (zephyr.outcome, zephyr.inherited_from) == ("yes", "")


def test_apache_model_is_yes_and_open_source(kb, cc):
    v = verdict("mistral-7b", kb, cc)
    assert (v.outcome, v.licence.id, v.open_source) == ("yes", "Apache-2.0", True)  # type: ignore[union-attr]


def test_api_model_is_usable_only_through_the_providers_terms(kb, cc):
    v = verdict("gpt-4", kb, cc)
    assert v.outcome == "only_if" and "API" in v.condition and v.licence is None


def test_unreleased_model_cannot_be_used(kb, cc):
    assert verdict("gopher", kb, cc).outcome == "not_released"


def test_a_permissive_base_does_not_license_the_fine_tune(kb, cc):
    v = verdict("rubert", kb, cc)
    assert (v.outcome, v.via, v.licence) == ("unknown", ("mbert",), None)
    assert v.base_licence is not None and v.base_licence.id == "Apache-2.0"


def test_a_fine_tunes_own_licence_wins_over_its_base(kb, cc):
    v = verdict("biobert", kb, cc)  # derived from BERT, released under its own Apache 2.0
    assert (v.outcome, v.licence.id, v.via) == ("yes", "Apache-2.0", ())  # type: ignore[union-attr]


def test_a_licence_missing_from_the_table_is_named_not_guessed(cc):
    v = commercial_use("x", "Some Custom Licence", "open-weights", cc, lambda _: "")
    assert (v.outcome, v.licence, v.licence_text) == ("unknown", None, "Some Custom Licence")


def test_every_licence_text_in_the_model_files_resolves(kb, cc):
    unresolved = {m.license for m in kb.models if m.license and cc.licence_for(m.license) is None}
    assert unresolved == set()


def test_a_licence_gloss_in_parentheses_still_resolves(cc):
    lic = cc.licence_for("CC-BY-SA-4.0 (StableLM-Alpha base models)")
    assert lic is not None and lic.id == "CC-BY-SA-4.0"


# -- languages ------------------------------------------------------------------------------
def test_llama_covers_spanish_with_the_caveat_that_it_is_mostly_english(cc):
    v = supports_language("llama", "Spanish", cc)
    assert v.outcome == "yes" and v.count == 20 and "mostly English" in v.note


def test_mbert_lists_104_languages(cc):
    record = cc.languages_of("mbert")
    assert record is not None and record.count == 104 == len(record.languages)
    assert supports_language("mbert", "chinese", cc).outcome == "yes"


def test_whisper_translates_into_english_only(cc):
    v = supports_language("whisper", "Japanese", cc)
    assert v.outcome == "yes" and v.translation_into == ("English",)


def test_a_complete_list_says_no_a_bare_count_says_unknown(cc):
    assert supports_language("whisper", "Klingon", cc).outcome == "no"
    assert supports_language("xlm-r", "Swahili", cc).outcome == "unknown"


def test_a_published_minimum_is_kept_as_one(cc):
    v = supports_language("palm-2", "Welsh", cc)
    assert (v.outcome, v.count, v.at_least) == ("unknown", 100, True)


def test_the_model_files_own_list_decides_when_the_table_has_none(cc):
    assert supports_language("bert", "Spanish", cc, stated=["English"]).outcome == "no"
    assert supports_language("bert", "English", cc, stated=["English"]).outcome == "yes"
    assert supports_language("xlm", "Welsh", cc, stated=["multilingual"]).outcome == "unknown"


def test_other_names_for_a_language_are_understood(cc):
    v = supports_language("llama-3.1", "Castilian", cc)
    assert (v.outcome, v.language) == ("yes", "Spanish")


def test_two_sources_names_for_one_language_both_match(cc):
    assert supports_language("mbert", "Myanmar", cc).outcome == "yes"  # mBERT says Burmese
    assert supports_language("whisper", "Burmese", cc).outcome == "yes"  # Whisper: Myanmar
    assert supports_language("whisper", "Haitian", cc).outcome == "yes"  # Haitian Creole


def test_a_question_names_its_language(cc):
    assert languages_in("does LLaMA speak Spanish?", cc) == ("Spanish",)
    assert languages_in("is mBERT good for Chinese or Farsi text", cc) == ("Chinese", "Persian")
    assert languages_in("what is BERT", cc) == ()
    assert ("Castilian", "Spanish") in set(cc.language_names())


def test_which_models_support_arabic(cc):
    assert {"jais", "arabert", "mbert", "bloom"} <= set(models_supporting("Arabic", cc))
    assert "camembert" not in models_supporting("Arabic", cc)


# -- capabilities ---------------------------------------------------------------------------
def placements(kb: KnowledgeBase, model_id: str) -> list[str]:
    return [p.category_id for p in kb.placements_of(model_id)]


def test_bert_cannot_generate_text_directly_because_it_is_a_masked_lm(kb, cc):
    v = can_generate("bert", placements(kb, "bert"), cc, label=lambda c: "a masked language model")
    assert v is not None and (v.outcome, v.because) == ("not_directly", "masked-lm")
    assert v.explanation.startswith("it is a masked language model")


def test_generation_follows_from_autoregressive_or_seq2seq_training(kb, cc):
    assert can_generate("gpt-2", placements(kb, "gpt-2"), cc).because == "autoregressive"  # type: ignore[union-attr]
    assert can_generate("t5", placements(kb, "t5"), cc).because == "seq2seq"  # type: ignore[union-attr]


def test_a_curated_placement_decides_when_the_seed_has_none(kb, cc):
    v = can_generate("electra", placements(kb, "electra"), cc)
    assert v is not None and (v.outcome, v.because) == ("not_directly", "encoder-only")


def test_nothing_is_claimed_without_a_placement(kb, cc):
    assert can_generate("clip", placements(kb, "clip"), cc).outcome == "unknown"  # type: ignore[union-attr]


# -- memory ---------------------------------------------------------------------------------
def test_a_7b_model_at_4_bit_needs_about_4_2_gb(cc):
    e = memory_estimate(7e9, 4, cc)
    assert e is not None and round(e.gigabytes, 1) == 4.2
    assert e.worked == "7B parameters × 0.5 bytes × 1.2 ≈ 4.2 GB"
    assert e.formula.startswith("memory (GB) ≈ parameters × bytes per parameter")


def test_llama_2_70b_at_16_bit_needs_about_168_gb(cc):
    assert round(memory_estimate(70e9, 16, cc).gigabytes) == 168  # type: ignore[union-attr]


def test_a_precision_without_a_rule_gives_no_estimate(cc):
    assert memory_estimate(7e9, 3, cc) is None
    assert fits_in(12, 3, [("x", (7e9,))], cc) is None


def test_parameter_texts_become_counts():
    assert parameter_counts(["7B", "13B"]) == (7e9, 13e9)
    assert parameter_counts(["46.7B total (12.9B active per token)"]) == (46.7e9,)
    assert parameter_counts(["125M to 175B (largest 175B)"]) == (125e6, 175e9)
    assert parameter_counts(["1550M (large)", "1.2T total"]) == (1.55e9, 1.2e12)
    assert parameter_counts(["unknown"]) == ()


def test_which_open_models_fit_in_12_gb_at_4_bit(kb, cc):
    opens = [(m.id, [s.total for s in m.sizes]) for m in kb.models
             if m.access == "open-weights"]
    r = fits_in(12, 4, opens, cc)
    assert r is not None
    fits = {f.model_id: f.parameters for f in r.fits}
    assert round(dict((f.model_id, f.gigabytes) for f in r.fits)["mistral-7b"], 2) == 4.38
    assert r.rule.formula.startswith("memory (GB)")
    assert fits["mistral-7b"] == 7.3e9
    assert fits["llama-2"] == 13e9  # the largest size that fits, not 70B
    assert "mixtral-8x7b" in {f.model_id for f in r.too_big}  # all 46.7B must be loaded
    assert "bert" in r.unknown_size or "bert" in fits  # said, never silently dropped
    assert "xlnet" in r.unknown_size


# -- concepts, comparisons, why, purposes ---------------------------------------------------
@pytest.mark.parametrize(("text", "concept"), [
    ("what is an enc-dec model?", "encoder-decoder"),
    ("explain RLHF", "preference-tuning"),
    ("what is Q4_K_M", "k-quant"),
    ("what does GGUF mean", "gguf"),
    ("is Mixtral a MoE?", "mixture-of-experts"),
    ("base model vs instruct model", "base-model"),
    ("what is a reasoning model", "reasoning-model"),
])
def test_the_words_people_use_name_a_concept(cc, text, concept):
    found = concept_of(text, cc)
    assert found is not None and found.id == concept


def test_a_question_without_a_concept_names_none(cc):
    assert concept_of("tell me about BERT", cc) is None


def test_a_weak_alias_counts_only_when_asked_for(cc):
    assert [c.id for c in concepts_in("LLM vs SLM", cc)] == ["small-language-model"]
    found = concepts_in("LLM vs SLM", cc, weak=True)
    assert [c.id for c in found] == ["large-language-model", "small-language-model"]


def test_two_concepts_in_one_question_are_both_found_in_order(cc):
    found = concepts_in("an open-weights release vs open source AI", cc)
    assert [c.id for c in found] == ["open-weights-release", "open-source-ai"]


def test_encoder_only_vs_decoder_only_has_a_curated_contrast(cc):
    assert compare_concepts("encoder-only", "decoder-only", cc).contrast is not None
    assert compare_concepts("decoder-only", "encoder-only", cc).contrast is not None


def test_open_weights_vs_open_source_is_answered_even_when_both_name_the_seed_category(cc):
    # "open source" names the seed's category; the contrast still applies to it.
    c = compare_concepts("open-source", "open-source", cc)
    assert c.contrast is not None and "Llama 2 is open weights" in c.contrast.text


def test_a_seed_category_stands_in_for_its_concept_in_a_comparison(cc):
    c = compare_concepts("large-language-model", "small-scale", cc)
    assert c.contrast is not None and "no agreed boundary" in c.contrast.text


def test_why_most_llms_are_decoder_only(cc):
    e = explain({"decoder-only"}, "why are most LLMs decoder-only?", cc)
    assert e is not None and e.id == "why-decoder-only"


def test_why_rag_is_hybrid_gets_rags_own_explanation(kb, cc):
    e = explain({"rag", "hybrid"}, "why is RAG hybrid?", cc, implied=placements(kb, "rag"))
    assert e is not None and e.id == "why-rag-hybrid" and "retriev" in e.text


def test_why_xlnet_outperforms_bert(cc):
    e = explain({"xlnet", "bert"}, "why does XLNet outperform BERT?", cc)
    assert e is not None and "permut" in e.text


def test_why_bert_cannot_generate_follows_from_its_category(kb, cc):
    e = explain({"bert"}, "why can't BERT generate text?", cc, implied=placements(kb, "bert"))
    assert e is not None and e.id == "why-bert-cannot-generate"


def test_an_unexplained_why_gets_none_not_a_citation(kb, cc):
    assert explain({"bert"}, "why is BERT popular?", cc, implied=placements(kb, "bert")) is None
    assert explain(set(), "why is the sky blue?", cc) is None


def test_medical_questions_point_to_medical_models(cc):
    p = purpose_of("which model for medical exam questions?", cc)
    assert p is not None and {"med-palm", "biobert"} <= set(p.model_ids)
    text_to_image = purpose_of("best model for text-to-image?", cc)
    assert text_to_image is not None and text_to_image.id == "image-generation"
    assert purpose_of("what is the weather like?", cc) is None


# -- the data holds together ----------------------------------------------------------------
def test_concept_files_are_told_apart_from_knowledge_files():
    names = {p.name for p in yaml_files(knowledge_dir()) if is_concepts_doc(load_yaml(p))}
    assert names == {"concepts.yaml", "licences.yaml", "languages.yaml"}


def test_every_concept_of_a_curated_dimension_is_listed_there(cc):
    for c in cc.concepts:
        if c.dimension_id:
            assert c.id in cc.dimension(c.dimension_id).concept_ids


def test_the_value_survives_the_compiled_cache(cc):
    back = pickle.loads(pickle.dumps(cc))
    assert back == cc and back.concept_named("RLHF") == cc.concept_named("RLHF")
    assert back.licence_for("MIT") == cc.licence_for("MIT")


def test_every_entry_carries_a_reference(cc):
    entries = (*cc.concepts, *cc.licences, *cc.derivations, *cc.languages, *cc.contrasts,
               *cc.explanations, *cc.purposes)
    assert all(e.reference for e in entries)


def test_the_seed_keeps_its_eight_dimensions_first(kb):
    assert [d.number for d in kb.dimensions] == list(range(1, 9))


# -- the loader refuses broken files with file:line -----------------------------------------
BROKEN = """\
concepts:
  - id: thing
    name: Thing
    definition: "A thing."
    reference: "Someone, 2024."
    colour: blue
    members: [no-such-model]
  - id: other
    name: Other
    reference: "Someone, 2024."
    aliases: [Thing]
licences:
  - id: X-1.0
    name: X licence
    commercial: sometimes
    condition: "none"
    osi: "yes"
    reference: "X"
languages:
  - model: bert
    languages: [English]
    count: 3
    complete: true
    reference: "r"
"""


def problems_of(tmp_path: Path, text: str, known: Known | None = None) -> list[str]:
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as err:
        build_concepts([(path.name, load_yaml(path, path.name))], known)
    return [str(p) for p in err.value.problems]


def known_names(kb: KnowledgeBase) -> Known:
    """What the knowledge base knows, without its licences (these files define none)."""
    return replace(known_from(kb), model_licences=())


def test_a_broken_concepts_file_is_refused_with_every_problem_at_its_line(tmp_path, kb):
    found = problems_of(tmp_path, BROKEN, known_names(kb))
    expected = [
        "broken.yaml:6: concept 'thing': unknown key 'colour'",
        "broken.yaml:7: concept 'thing': 'no-such-model' in 'members' is not a known model",
        "broken.yaml:8: concept 'other': missing required field 'definition'",
        "broken.yaml:11: concept 'other': alias 'Thing' already names concept 'thing'",
        "broken.yaml:15: licence 'X-1.0': 'commercial' must be one of",
        "broken.yaml:17: licence 'X-1.0': 'osi' must be true or false",
        "broken.yaml:22: languages of 'bert': a complete list of 1 does not match 'count: 3'",
    ]
    for line in expected:
        assert any(p.startswith(line) for p in found), (line, found)


def test_a_model_licence_that_does_not_resolve_is_reported_at_the_model(tmp_path):
    known = Known(frozenset({"m"}), model_licences=(
        ModelLicence("m", "Home-made Licence", "knowledge/models/x.yaml", 12),))
    text = "licences:\n  - {id: MIT, name: MIT, commercial: allowed, condition: c, osi: true,"
    text += " reference: r}\n"
    found = problems_of(tmp_path, text, known)
    assert found == ["knowledge/models/x.yaml:12: model 'm': licence 'Home-made Licence' does "
                     "not resolve to any entry of the licence table (add it as an alias in "
                     "knowledge/licences.yaml)"]


def test_a_concept_alias_may_not_name_a_model(tmp_path, kb):
    text = ("concepts:\n  - id: thing\n    name: Thing\n    aliases: [BERT]\n"
            "    definition: d\n    reference: r\n")
    found = problems_of(tmp_path, text, known_names(kb))
    assert found == ["broken.yaml:4: concept 'thing': alias 'BERT' already names model 'bert'"]


def test_a_derivation_cycle_is_refused(tmp_path):
    text = ("derived:\n  - {model: a, base: b, reference: r}\n"
            "  - {model: b, base: a, reference: r}\n")
    found = problems_of(tmp_path, text)
    assert "broken.yaml:2: derived: 'a' derives from itself through its bases" in found
