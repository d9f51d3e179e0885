"""The taxobot command under a hostile but realistic user (issue 14, items 4, 8, 16, 19):
bytes that are not UTF-8, an ASCII terminal, options before or after the subcommand,
Ctrl-C, and control sequences typed into a question."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot import Bot
from bot.cli import main
from bot.safe_text import escape_json_controls, strip_controls

FIXTURES = Path(__file__).parent / "fixtures"
BROKEN = FIXTURES / "broken" / "unknown_key.yaml"
GOOD = FIXTURES / "broken" / "good_zorblax.yaml"
TRAIN = FIXTURES / "eval" / "tiny.yaml"


def taxobot(*args: str, stdin: bytes = b"", encoding: str = "utf-8"
            ) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin,
                          capture_output=True, env=env, timeout=120)


# -- item 4: bytes in, any terminal out --------------------------------------------------------
def test_chat_reads_bytes_that_are_not_utf8_and_answers_every_line() -> None:
    run = taxobot("chat", stdin=b"what is caf\xe9?\nwhat type of model is BERT?\n")
    assert run.returncode == 0, run.stderr
    assert b"Traceback" not in run.stderr
    assert b"Masked Language Model" in run.stdout


def test_an_ascii_stdout_gets_stand_ins_for_characters_it_cannot_show() -> None:
    run = taxobot("chat", stdin="what is café?\nwhat type of model is BERT?\n".encode(),
                  encoding="ascii")
    assert run.returncode == 0, run.stderr
    assert b"Masked Language Model" in run.stdout and b"Traceback" not in run.stderr
    ask = taxobot("ask", "is BERT open source?", encoding="ascii")
    assert ask.returncode == 0 and ask.stdout.isascii(), ask.stderr


# -- item 8: --knowledge anywhere ----------------------------------------------------------------
SUBCOMMANDS = {
    "ask": ["ask", "hi"],
    "chat": ["chat"],
    "validate": ["validate"],
    "eval FILE": ["eval", str(TRAIN)],
    "eval --train": ["eval", str(TRAIN), "--train", str(TRAIN)],
    "eval --cross-validate": ["eval", "--cross-validate", "2"],
    "eval --train --cross-validate": ["eval", "--train", str(TRAIN), "--cross-validate", "2"],
}


@pytest.mark.parametrize("where", ["before", "after"])
@pytest.mark.parametrize("name", list(SUBCOMMANDS))
def test_a_broken_knowledge_file_is_refused_before_or_after_the_subcommand(
        name: str, where: str, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    sub = SUBCOMMANDS[name]
    opt = ["--knowledge", str(BROKEN)]
    argv = [*opt, *sub] if where == "before" else [*sub, *opt]
    assert main(argv) == 1
    out, err = capsys.readouterr()
    assert f"{BROKEN.name}:7:" in out + err


@pytest.mark.parametrize("where", ["before", "after"])
@pytest.mark.parametrize("name", list(SUBCOMMANDS))
def test_a_missing_knowledge_file_is_an_error_before_or_after_the_subcommand(
        name: str, where: str, capsys: pytest.CaptureFixture[str]) -> None:
    sub = SUBCOMMANDS[name]
    opt = ["--knowledge", "/nonexistent/k.yaml"]
    argv = [*opt, *sub] if where == "before" else [*sub, *opt]
    assert main(argv) == (1 if name == "validate" else 2)  # validate: a problem it lists
    out, err = capsys.readouterr()
    assert "/nonexistent/k.yaml" in out + err


def test_knowledge_before_and_after_the_subcommand_are_both_used(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text(GOOD.read_text().replace("zorblax", "quuxlm").replace("Zorblax", "Quuxlm")
                     .replace("Zorb]", "Quux]"))
    assert main(["--knowledge", str(GOOD), "ask", "who developed Zorblax and Quuxlm?",
                 "--knowledge", str(other)]) == 0
    out = capsys.readouterr().out
    assert "don't know" not in out and out.count("Nobody") >= 1


def test_eval_says_when_knowledge_cannot_change_its_scores(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--knowledge", str(GOOD), "eval", "--train", str(TRAIN),
                 "--cross-validate", "2"]) == 0
    assert "does not change the scores" in capsys.readouterr().err


# -- item 19 -------------------------------------------------------------------------------------
@pytest.mark.parametrize("sub", [[], ["ask"], ["chat"], ["validate"], ["eval"]])
def test_version_works_on_every_subcommand(sub: list[str],
                                           capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([*sub, "--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.startswith("taxobot ")


class _InterruptedTerminal:
    """An interactive stdin whose user presses Ctrl-C at the prompt."""

    def isatty(self) -> bool:
        return True

    def readline(self) -> str:
        raise KeyboardInterrupt


def test_ctrl_c_in_an_interactive_chat_exits_130(monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", _InterruptedTerminal())
    assert main(["chat"]) == 130


@pytest.mark.parametrize("as_type", [str, Path])
def test_bot_takes_one_bare_path_as_one_path(as_type: type) -> None:
    bot = Bot(extra_knowledge=as_type(GOOD))
    assert "Nobody" in bot.ask("who developed Zorblax?").text


# -- item 16: control sequences are never echoed -------------------------------------------------
HOSTILE = "what type of model is Zorblax\x1b[2J\x1b[31mX-9\x1b]0;pwned\x07\x9b31m?"


@pytest.mark.parametrize("flags", [[], ["--explain"], ["--json"]])
def test_ask_never_echoes_a_control_sequence(flags: list[str],
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", *flags, HOSTILE]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x9b" not in out and "\x07" not in out
    assert "Zorblax" in out


def test_chat_never_echoes_a_control_sequence() -> None:
    run = taxobot("chat", stdin=HOSTILE.encode() + b"\n")
    assert run.returncode == 0
    assert not set(run.stdout) & {0x1b, 0x07, 0x9b} and b"\xc2\x9b" not in run.stdout


@pytest.mark.parametrize("text, shown", [
    ("plain text, tabs\tand\nnewlines", "plain text, tabs\tand\nnewlines"),
    ("a\x1b[2Jb", "ab"), ("a\x1b[38;5;196mred\x1b[0m", "ared"),
    ("t\x1b]0;title\x07x", "tx"), ("l\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "llink"),
    ("c1\x9b2Jx\x9d0;t\x9cy", "c1xy"), ("bell\x07 back\x08 cr\r del\x7f", "bell back cr del"),
    ("reset\x1bc!", "reset!"), ("dcs\x1bPq#0\x1b\\!", "dcs!"), ("lone\x1b", "lone"),
])
def test_strip_controls(text: str, shown: str) -> None:
    assert strip_controls(text) == shown


def test_json_output_escapes_c1_characters_it_would_leave_raw() -> None:
    import json

    data = json.dumps({"t": "a\x9bb\x7f"}, ensure_ascii=False)
    escaped = escape_json_controls(data)
    assert "\x9b" not in escaped and json.loads(escaped) == {"t": "a\x9bb\x7f"}
