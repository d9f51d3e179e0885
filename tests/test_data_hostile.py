"""Knowledge files a hostile but realistic user hands over (issue 14, items 3 and 5): alias
bombs, /dev/zero, a FIFO, a huge file, a pipe from ``<(cat f.yaml)``. Each is refused with
the file named, quickly, or (the pipe) works in every front end."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from bot import Bot, DataError
from bot.cli import main
from bot.yamlio import MAX_ALIAS_NODES, MAX_FILE_BYTES, load_yaml

GOOD = Path(__file__).parent / "fixtures" / "broken" / "good_zorblax.yaml"
BROKEN = Path(__file__).parent / "fixtures" / "broken" / "unknown_key.yaml"

LAUGHS = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'] + [
    f"{b}: &{b} [{','.join(['*' + a] * 9)}]" for a, b in zip("abcdefgh", "bcdefghi", strict=True)]


@pytest.mark.parametrize("levels", [6, 9])
def test_an_alias_bomb_is_refused_at_its_line_without_building_it(tmp_path: Path,
                                                                  levels: int) -> None:
    path = tmp_path / "laughs.yaml"
    path.write_text("\n".join(LAUGHS[:levels]) + "\n")
    assert path.stat().st_size < 600
    with pytest.raises(DataError) as info:
        load_yaml(path)
    (problem,) = info.value.problems
    assert problem.file == str(path) and "alias bomb" in problem.message
    assert 2 <= problem.line <= levels


def test_aliases_a_real_file_would_use_still_load(tmp_path: Path) -> None:
    path = tmp_path / "shared.yaml"
    path.write_text("common: &cats [transformer-based, autoregressive]\n"
                    + "".join(f"m{i}: *cats\n" for i in range(200)))
    assert load_yaml(path)["m199"] == ["transformer-based", "autoregressive"]
    assert MAX_ALIAS_NODES > 200 * 3


def test_an_alias_bomb_in_a_knowledge_file_is_refused_by_validate(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "laughs.yaml"
    path.write_text("models: []\nextra:\n" + "\n".join("  " + x for x in LAUGHS) + "\n")
    assert main(["validate", str(path)]) == 1
    assert f"{path}:" in capsys.readouterr().out


@pytest.mark.parametrize("path", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_device_is_refused_by_name(path: str) -> None:
    with pytest.raises(DataError, match="not a file") as info:
        Bot(extra_knowledge=[path])
    assert info.value.problems[0].file == path


def test_a_named_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "k.yaml"
    os.mkfifo(fifo)
    with pytest.raises(DataError, match="FIFO") as info:
        Bot(extra_knowledge=[fifo])
    assert Path(info.value.problems[0].file).name == "k.yaml"


def test_a_huge_file_is_refused_by_its_size_unread(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    with open(huge, "wb") as fh:
        fh.truncate(MAX_FILE_BYTES * 20)  # sparse: 100 MB that cost nothing to make
    with pytest.raises(DataError, match="limit") as info:
        Bot(extra_knowledge=[huge])
    assert info.value.problems[0].file.endswith("huge.yaml")


def _pipe(content: bytes) -> str:
    """A pipe handed to this process, as ``<(cat f)`` hands one: /dev/fd/N."""
    read, write = os.pipe()

    def feed() -> None:
        with os.fdopen(write, "wb") as fh:
            fh.write(content)

    threading.Thread(target=feed, daemon=True).start()
    return f"/dev/fd/{read}"


def test_a_pipe_works_for_the_engine() -> None:
    bot = Bot(extra_knowledge=_pipe(GOOD.read_bytes()))
    assert "Nobody" in bot.ask("who developed Zorblax?").text


def test_a_pipe_works_for_the_terminal_chat_after_its_check(
        monkeypatch: pytest.MonkeyPatch) -> None:
    answers: list[str] = []

    def fake_run(inline: bool, extra_knowledge: list[str]) -> None:  # what the app does
        answers.append(Bot(extra_knowledge=extra_knowledge).ask("who developed Zorblax?").text)

    monkeypatch.setattr("tui.run", fake_run)
    assert main(["--knowledge", _pipe(GOOD.read_bytes())]) == 0
    assert answers and "Nobody" in answers[0]


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash for <(...)")
@pytest.mark.parametrize("command, expect", [
    ("ask who developed Zorblax? --knowledge <(cat {good})", "Nobody"),
    ("chat --knowledge <(cat {good}) <<< 'who developed Zorblax?'", "Nobody"),
    ("--knowledge <(cat {good}) validate", "ok"),
    ("validate <(cat {broken})", "unknown key 'colour'"),
])
def test_a_pipe_works_in_every_command(command: str, expect: str) -> None:
    line = f"{sys.executable} -m bot " + command.format(good=GOOD, broken=BROKEN)
    run = subprocess.run(["bash", "-c", line], capture_output=True, text=True, timeout=120)
    assert expect in run.stdout + run.stderr, run.stderr
