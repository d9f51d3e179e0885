"""Any file gets a clear answer (issue 7): one test per kind of broken knowledge file.

For each kind, with a small fixture in tests/fixtures/broken/ (or bytes written at test time
for the non-UTF-8 and 50 MB files):
- ``Bot(extra_knowledge=[file])`` raises DataError whose problems name that file and line;
- ``taxobot validate FILE`` exits 1 and prints ``file:line: message``, and no traceback;
- ``taxobot ask --knowledge FILE ...`` exits 1 with the problems on stderr;
- a Bot built before is untouched: it answers exactly as it did, and knows nothing new.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from bot import Bot, DataError
from bot.cli import main
from bot.yamlio import MAX_FILE_BYTES

BROKEN = Path(__file__).parent / "fixtures" / "broken"
QUESTION = "what type of model is BERT?"
PROBLEM_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?P<message>.+)$")


@pytest.fixture(scope="module")
def bot() -> Bot:
    return Bot()


@pytest.fixture(scope="module")
def before(bot: Bot) -> dict[str, object]:
    """The answers of the module's Bot before any broken file was tried."""
    return {q: bot.ask(q).to_dict() for q in
            (QUESTION, "what type of model is Zorblax?", "is BERT open source?")}


def same_file(shown: str, path: Path) -> bool:
    return Path(shown).resolve() == path.resolve()


def refused(path: Path, lines: Sequence[int], message: str,
            also: Sequence[Path] = ()) -> DataError:
    """Loading ``path`` raises DataError with a problem on one of ``lines`` saying ``message``."""
    with pytest.raises(DataError) as info:
        Bot(extra_knowledge=[*also, path])
    err = info.value
    assert err.problems, "DataError without problems"
    ours = [p for p in err.problems if same_file(p.file, path)]
    assert ours, f"no problem names {path}: {[str(p) for p in err.problems]}"
    # Only the user's files are blamed: the bundled knowledge is fine.
    assert all(any(same_file(p.file, f) for f in [path, *also]) for p in err.problems), \
        [str(p) for p in err.problems]
    hits = [p for p in ours if p.line in lines and re.search(message, p.message, re.I)]
    assert hits, f"expected line {list(lines)} ~ {message!r}, got {[str(p) for p in ours]}"
    for p in err.problems:
        assert PROBLEM_LINE.match(str(p)), str(p)
        assert str(p) == f"{p.file}:{p.line}: {p.message}"
    assert str(err) == "\n".join(str(p) for p in err.problems)
    return err


def cli_refuses(capsys: pytest.CaptureFixture[str], paths: Sequence[Path],
                err: DataError) -> None:
    """``taxobot validate`` and ``taxobot ask --knowledge`` report the same problems."""
    capsys.readouterr()
    assert main(["validate", *map(str, paths)]) == 1
    out, errout = capsys.readouterr()
    assert "Traceback" not in out + errout
    printed = [line for line in out.splitlines() if line.strip()]
    assert printed == [str(p) for p in err.problems]
    for line in printed:
        assert PROBLEM_LINE.match(line), line

    args = ["ask"]
    for p in paths:
        args += ["--knowledge", str(p)]
    assert main([*args, QUESTION]) == 1
    out, errout = capsys.readouterr()
    assert "Traceback" not in out + errout
    assert out == ""
    assert [line for line in errout.splitlines() if line.strip()] == \
        [str(p) for p in err.problems]


def untouched(bot: Bot, before: dict[str, object]) -> None:
    for question, reply in before.items():
        assert bot.ask(question).to_dict() == reply, question
    assert "zorblax" not in {m.id for m in bot.kb.models}
    assert "don't know" in bot.ask("what type of model is Zorblax?").text


# -- one test per kind ----------------------------------------------------------------------
# (fixture, lines that may be named, what the message says). Where a value is wrong, the line
# of the key or of the entry holding it both lead the user to it.
KINDS = [
    pytest.param("invalid_syntax.yaml", (6, 7), r"expected|found|flow|YAML", id="yaml-syntax"),
    pytest.param("wrong_types.yaml", (3, 7), r"'year'.*year.*'soon'", id="year-not-a-year"),
    pytest.param("wrong_types.yaml", (3, 8), r"'aliases'.*list", id="aliases-not-a-list"),
    pytest.param("unknown_key.yaml", (3, 7), r"unknown key 'colour'", id="unknown-key"),
    pytest.param("missing_required.yaml", (7,), r"missing required field 'summary'",
                 id="missing-required"),
    pytest.param("unknown_category.yaml", (3, 7), r"unknown category 'quantum-based'",
                 id="unknown-category"),
    pytest.param("duplicate_id.yaml", (7,), r"duplicate model id 'zorblax'.*:3",
                 id="duplicate-id-same-file"),
    pytest.param("duplicate_bundled_id.yaml", (3,), r"duplicate model id 'bert'",
                 id="duplicate-id-of-bundled-model"),
    pytest.param("alias_collision.yaml", (3, 5), r"'BERT'.*already names model 'bert'",
                 id="alias-is-another-models-name"),
    pytest.param("alias_collision_same_file.yaml", (7, 9),
                 r"'zorblax'.*already names model 'zorblax'", id="alias-collision-same-file"),
    pytest.param("python_tag.yaml", (6,), r"tag", id="python-object-tag"),
    pytest.param("empty.yaml", (1,), r"empty", id="empty-file"),
    pytest.param("extend_unknown.yaml", (3,), r"unknown model 'zorblax-9000'",
                 id="extend-unknown-model"),
]


@pytest.mark.parametrize(("name", "lines", "message"), KINDS)
def test_broken_file(bot: Bot, before: dict[str, object], capsys: pytest.CaptureFixture[str],
                     name: str, lines: tuple[int, ...], message: str) -> None:
    path = BROKEN / name
    err = refused(path, lines, message)
    cli_refuses(capsys, [path], err)
    untouched(bot, before)


def test_duplicate_id_in_two_files(bot: Bot, before: dict[str, object],
                                   capsys: pytest.CaptureFixture[str]) -> None:
    first, second = BROKEN / "good_zorblax.yaml", BROKEN / "duplicate_other_file.yaml"
    err = refused(second, (3,), r"duplicate model id 'zorblax'.*good_zorblax\.yaml:3",
                  also=[first])
    cli_refuses(capsys, [first, second], err)
    untouched(bot, before)


def test_python_tag_is_never_constructed(tmp_path: Path) -> None:
    marker = tmp_path / "constructed"
    path = tmp_path / "tag.yaml"
    path.write_text(
        "models:\n"
        "  - id: zorblax\n"
        "    name: Zorblax\n"
        "    summary: !!python/object/apply:pathlib.Path.touch\n"
        f"      - !!python/object/apply:pathlib.Path [{str(marker)!r}]\n"
        "    reference: r\n"
        "  - !!python/name:os.system\n", encoding="utf-8")
    refused(path, (4, 5, 7), r"tag")
    assert not marker.exists()


def test_not_utf8(bot: Bot, before: dict[str, object], capsys: pytest.CaptureFixture[str],
                  tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"models:\n  - id: zorblax\n    name: Zorbl\xe4x\n"
                     b"    summary: s\n    reference: r\n")
    err = refused(path, (3,), r"UTF-8")
    cli_refuses(capsys, [path], err)
    untouched(bot, before)


def test_utf16_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "utf16.yaml"
    path.write_bytes("models:\n  - id: zorblax\n".encode("utf-16"))
    refused(path, (1,), r"UTF-8")


def test_fifty_megabyte_file(bot: Bot, before: dict[str, object],
                             capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    entry = ("  - id: zorblax\n    name: Zorblax\n    summary: s\n    reference: r\n")
    with path.open("w", encoding="utf-8") as f:
        f.write("models:\n")
        f.write(entry * (50 * 1024 * 1024 // len(entry) + 1))
    assert path.stat().st_size > 50 * 1024 * 1024 > MAX_FILE_BYTES
    err = refused(path, (1,), r"bytes|too (large|big)|limit")
    cli_refuses(capsys, [path], err)
    untouched(bot, before)


def test_every_problem_of_a_file_is_reported() -> None:
    """Both wrong types in wrong_types.yaml are reported, not just the first."""
    with pytest.raises(DataError) as info:
        Bot(extra_knowledge=[BROKEN / "wrong_types.yaml"])
    messages = " ".join(p.message for p in info.value.problems)
    assert "'year'" in messages and "'aliases'" in messages


def test_problems_of_several_files_are_all_reported() -> None:
    files = [BROKEN / "unknown_key.yaml", BROKEN / "extend_unknown.yaml"]
    with pytest.raises(DataError) as info:
        Bot(extra_knowledge=files)
    assert {Path(p.file).name for p in info.value.problems} == {f.name for f in files}


@pytest.mark.parametrize("content", ["# only a comment\n", "---\n", "~\n", "null\n"])
def test_files_without_data_are_empty(tmp_path: Path, content: str) -> None:
    path = tmp_path / "nothing.yaml"
    path.write_text(content, encoding="utf-8")
    refused(path, (1,), r"empty")




@pytest.mark.parametrize(("content", "line"), [
    ("- just\n- a list\n", 1), ("plain text\n", 1), ("models: 5\n", 1),
    ("models:\n  - id: zorblax\n    id: zorblax\n", 3),
    pytest.param("models:\n  - 5\n", 2, id="model-is-a-number"),
    pytest.param("# my models\nmodels:\n  - id: zorblax\n    name: Zorblax\n    summary: s\n"
                 "    reference: r\n  - bert\n", 7, id="model-is-a-name"),
    pytest.param("# more names\n\nextend:\n  - bert\n", 4,
                 id="extend-is-a-name"),
])
def test_wrong_shapes(tmp_path: Path, content: str, line: int) -> None:
    path = tmp_path / "shape.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataError) as info:
        Bot(extra_knowledge=[path])
    assert all(same_file(p.file, path) for p in info.value.problems), info.value.problems
    assert line in {p.line for p in info.value.problems}, [str(p) for p in info.value.problems]


def test_the_good_fixture_loads() -> None:
    """The control: without its breakage, a user file of the same shape is accepted."""
    extended = Bot(extra_knowledge=[BROKEN / "good_zorblax.yaml"])
    reply = extended.ask("what type of model is Zorblax?")
    assert any(e.id == "zorblax" for e in reply.entities)
    assert "don't know" not in reply.text


def test_a_bot_built_after_a_refusal_is_whole(before: dict[str, object]) -> None:
    for name in ("duplicate_id.yaml", "alias_collision.yaml", "extend_unknown.yaml"):
        with pytest.raises(DataError):
            Bot(extra_knowledge=[BROKEN / name])
    fresh = Bot()
    untouched(fresh, before)


INTENT_REDIRECTS = """\
intents:
  - name: examples
    answer: examples
    examples: ["what are {category}"]
    instead:
      - {intent: filter, when: several_categories}
      - {intent: nowhere, when: several_categories}
      - {intent: filter, when: sunny_weather}
      - {intent: filter}
  - name: filter
    answer: filter
    examples: ["which are {category} and {category}"]
"""


def test_intent_redirects_are_checked_with_file_and_line(tmp_path: Path) -> None:
    """``instead`` rules in intents/ name real intents and known conditions, or the file is
    refused with the line of each bad rule."""
    from bot.intents_loader import load_intents

    (tmp_path / "bad.yaml").write_text(INTENT_REDIRECTS, encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_intents(tmp_path)
    shown = [str(p) for p in err.value.problems]
    assert len(shown) == 3
    assert any(":7:" in s and "unknown intent 'nowhere'" in s for s in shown)
    assert any(":8:" in s and "unknown 'when' condition 'sunny_weather'" in s for s in shown)
    assert any(":9:" in s and "needs 'intent' and 'when'" in s for s in shown)
    (tmp_path / "bad.yaml").write_text(
        INTENT_REDIRECTS.replace("      - {intent: nowhere, when: several_categories}\n", "")
        .replace("      - {intent: filter, when: sunny_weather}\n", "")
        .replace("      - {intent: filter}\n", ""), encoding="utf-8")
    catalog = load_intents(tmp_path)
    spec = catalog.get("examples")
    assert spec is not None and [(r.intent, r.when) for r in spec.instead] == [
        ("filter", ("several_categories",))]


def test_every_declared_redirect_condition_is_evaluated_by_the_policy() -> None:
    from bot.intents import REDIRECT_CONDITIONS
    from bot.policy import redirect_facts

    assert set(redirect_facts((), (), set(), "")) == REDIRECT_CONDITIONS
