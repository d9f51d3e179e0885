"""The query API the answers are built on, as specifications."""

from __future__ import annotations

import pytest

from bot import Bot, DataError


def test_categories_of_a_model_carry_their_provenance(kb):
    places = {p.category_id: p for p in kb.placements_of("bert")}
    assert places["masked-lm"].provenance == "seed"
    assert places["open-source"].provenance == "curated"
    assert places["open-source"].reference


def test_categories_of_a_model_in_one_dimension(kb):
    assert [p.category_id for p in kb.placements_of("gpt-j", "deployment")] == ["on-premise"]


def test_models_of_a_category_list_the_seed_first(kb):
    members = kb.members("multilingual")
    assert [p.model_id for p in members[:2]] == ["xlm-r", "mt5"]
    assert all(p.provenance == "curated" for p in members[2:])


def test_intersection_and_difference(kb):
    both = {m.id for m in kb.filter(["open-source", "multilingual"])}
    assert {"xlm-r", "mt5", "bloom"} <= both
    small_open = {m.id for m in kb.filter(["small-scale", "transformer-based"], ["proprietary"])}
    assert "distilbert" in small_open
    assert not small_open & {m.id for m in kb.filter(["proprietary"])}


def test_dimension_and_description_of_a_category(kb):
    assert kb.dimension_of("on-premise").id == "deployment"
    assert kb.category("hybrid").description.startswith("Combine transformers")


def test_model_facts_have_references(kb):
    assert len(kb.models) >= 100
    for m in kb.models:
        assert m.reference, m.id
        assert m.developer, m.id


def test_similar_models_share_the_most_categories(kb):
    similar = [m.id for m in kb.similar("bert", 5)]
    assert "roberta" in similar
    assert "bert" not in similar


def test_user_files_add_models_and_extend_existing_ones(tmp_path):
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        "models:\n"
        "  - id: acme-lm\n    name: AcmeLM\n    aliases: [Acme LM]\n    developer: Acme\n"
        "    year: 2026\n    categories: [transformer-based, proprietary]\n"
        "    summary: Our in-house model.\n    reference: Acme internal model card, 2026\n"
        "extend:\n  - model: bert\n    aliases: [good old bert]\n", encoding="utf-8")
    bot = Bot(extra_knowledge=[extra])
    assert bot.ask("is acme lm proprietary?").text.startswith("Yes")
    assert "BERT" in bot.ask("who developed good old bert?").text


def test_a_broken_user_file_is_refused_whole_naming_file_and_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("models:\n  - id: x1\n    name: X1\n    summary: s\n    reference: r\n"
                   "    categories: [not-a-category]\n  - id: bert\n    name: Bert Two\n"
                   "    summary: s\n    reference: r\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        Bot(extra_knowledge=[bad])
    shown = [str(p) for p in err.value.problems]
    assert any("bad.yaml:6:" in s and "not-a-category" in s for s in shown)
    assert any("bad.yaml:7:" in s and "duplicate model id 'bert'" in s for s in shown)
