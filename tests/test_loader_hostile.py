"""Knowledge files a hostile but realistic user writes (issue 14, items 9-13): names that are
ordinary words, an ``extend`` that would slip past the checks, collisions reported in the
wrong file, folders that hold nothing, odd extensions, a whole knowledge set to validate,
ids with a newline, a second source taxonomy. Each is refused with the user's file:line, or
(the extensions, the whole set) accepted as it should be."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot import Bot, DataError
from bot.cli import main
from bot.datafiles import knowledge_dir

MODEL = """models:
  - id: {id}
    name: {name}
    aliases: [{aliases}]
    summary: A model that does not exist.
    reference: tests
    categories: [transformer-based]
"""


def refused(tmp_path: Path, text: str, message: str, name: str = "mine.yaml") -> int:
    """Loading ``text`` as a user file is refused with a problem in that file; its line."""
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(DataError) as info:
        Bot(extra_knowledge=path)
    ours = [p for p in info.value.problems if Path(p.file).name == name]
    assert ours, [str(p) for p in info.value.problems]
    assert all(Path(p.file).name == name for p in info.value.problems), \
        [str(p) for p in info.value.problems]
    hits = [p for p in ours if message.lower() in p.message.lower()]
    assert hits, [str(p) for p in ours]
    return hits[0].line


# -- item 9 ------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["what", "model", "is", "type", "it", "Open Model", "Chat"])
def test_a_user_model_named_by_an_ordinary_word_is_refused(tmp_path: Path, name: str) -> None:
    refused(tmp_path, MODEL.format(id="zorblax", name=name, aliases="Zorb"), "ordinary word")


@pytest.mark.parametrize("alias", ["what", "model", "it"])
def test_an_ordinary_word_as_alias_is_refused_in_a_model_or_an_extend(tmp_path: Path,
                                                                      alias: str) -> None:
    refused(tmp_path, MODEL.format(id="zorblax", name="Zorblax", aliases=alias), "ordinary")
    line = refused(tmp_path, f"extend:\n  - model: bert\n    aliases: [{alias}]\n", "ordinary",
                   "extend.yaml")
    assert line == 3


def test_a_distinctive_name_is_accepted_and_answers(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text(MODEL.format(id="zorblax", name="Zorblax", aliases="Zorb Mini"))
    bot = Bot(extra_knowledge=path)
    assert "Zorblax" in bot.ask("what type of model is Zorb Mini?").text
    assert "BERT" in bot.ask("what type of model is BERT?").text


# -- item 10 -----------------------------------------------------------------------------------
@pytest.mark.parametrize("field, message", [
    ("year: true", "'year' must be a year"), ("year: 1850", "'year' must be a year"),
    ('year: "2023"', "'year' must be a year"), ("access: free", "'access' must be one of"),
    ("month: 13", "'month' must be 1-12"), ("parameters: lots", "'parameters' must be a list"),
    ("license: [a, b]", "must be text"),
])
def test_extend_checks_each_value_as_a_model_entry_does(tmp_path: Path, field: str,
                                                        message: str) -> None:
    line = refused(tmp_path, f"extend:\n  - model: bert\n    {field}\n", message)
    assert line == 3


def test_extend_of_a_model_and_a_category_at_once_is_refused(tmp_path: Path) -> None:
    refused(tmp_path, "extend:\n  - model: bert\n    category: open-source\n"
                      "    aliases: [Bertie]\n", "not both")


def test_a_good_extend_changes_the_answer(tmp_path: Path) -> None:
    path = tmp_path / "ext.yaml"
    path.write_text("extend:\n  - model: bert\n    year: 2019\n    month: 5\n")
    assert "2019" in Bot(extra_knowledge=path).ask("when was BERT released?").text


# -- item 11 -----------------------------------------------------------------------------------
def test_an_alias_collision_from_extend_names_the_users_file_and_line(tmp_path: Path) -> None:
    line = refused(tmp_path, "extend:\n  - model: gpt-4\n    aliases: [BERT]\n",
                   "already names")
    assert line == 3


def test_a_user_models_alias_collision_names_the_users_file(tmp_path: Path) -> None:
    refused(tmp_path, MODEL.format(id="zorblax", name="Zorblax", aliases="RoBERTa"),
            "already names")


# -- item 12 -----------------------------------------------------------------------------------
def test_an_empty_knowledge_folder_is_an_error(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(DataError, match="no .yaml"):
        Bot(extra_knowledge=empty)
    assert main(["validate", str(empty)]) == 1
    assert "nothing to load" in capsys.readouterr().out


@pytest.mark.parametrize("name", ["Models.YAML", "models.yml", "MODELS.Yml"])
def test_yaml_files_are_found_whatever_the_case_of_their_extension(tmp_path: Path,
                                                                   name: str) -> None:
    (tmp_path / name).write_text(MODEL.format(id="zorblax", name="Zorblax", aliases="Zorb"))
    assert "Zorblax" in Bot(extra_knowledge=tmp_path).ask("what type of model is Zorb?").text


def test_validate_checks_a_copy_of_the_knowledge_folder_as_a_whole_set(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / "knowledge"
    shutil.copytree(knowledge_dir(), copy)
    assert main(["validate", str(copy)]) == 0, capsys.readouterr().out
    assert "ok" in capsys.readouterr().out
    broken = next(copy.rglob("*.yaml"))
    broken.write_text(broken.read_text() + "\nbogus_top_key: 1\n")
    assert main(["validate", str(copy)]) == 1
    out = capsys.readouterr().out
    assert "bogus_top_key" in out and out.count("\n") < 5  # that one problem, no duplicates


# -- item 13 -----------------------------------------------------------------------------------
def test_an_id_with_a_trailing_newline_is_refused(tmp_path: Path) -> None:
    refused(tmp_path, 'models:\n  - id: "acme-lm\\n"\n    name: AcmeLM\n    summary: s.\n'
                      "    reference: r\n", "id")


def test_a_user_source_section_cannot_replace_the_bundled_one(tmp_path: Path) -> None:
    refused(tmp_path, "source:\n  title: My Own Taxonomy\n", "already given")


# -- item 3: values are checked, never str()'d ---------------------------------------------------
def test_fact_references_must_be_text(tmp_path: Path) -> None:
    refused(tmp_path, "models:\n  - id: zorblax\n    name: Zorblax\n    summary: s.\n"
                      "    reference: r\n    fact_references:\n      year: [a, b]\n",
            "fact_references")
