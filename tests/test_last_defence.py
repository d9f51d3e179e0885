"""The engine's last line of defence (issue 14): a stage that raises gives a short apology
whose trace records the error, never a traceback, and the conversation goes on."""

from __future__ import annotations

import pytest

from bot import Bot
from bot.cli import main


def _boom(*args: object, **kwargs: object) -> object:
    raise IndexError("tuple index out of range")


def test_a_stage_that_raises_gives_an_apology_whose_trace_names_the_error(
        bot: Bot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bot.composer, "compose", _boom)
    reply = bot.ask("what type of model is BERT?")
    assert reply.intent == "fallback"
    assert "something went wrong" in reply.text and "goes on" in reply.text
    assert reply.trace.error.startswith("IndexError: tuple index out of range")
    assert "test_last_defence.py" in reply.trace.error  # where it was raised
    assert reply.to_dict()["trace"]["error"] == reply.trace.error


def test_the_conversation_goes_on_after_a_failing_turn(
        bot: Bot, monkeypatch: pytest.MonkeyPatch) -> None:
    conv = bot.conversation()
    with monkeypatch.context() as m:
        m.setattr(bot.policy, "decide", _boom)
        assert conv.ask("what type of model is BERT?").trace.error
    reply = conv.ask("what type of model is BERT?")
    assert reply.trace.error == "" and "BERT" in reply.text
    assert conv.context.turns == 2


def test_a_normal_reply_records_no_error(bot: Bot) -> None:
    assert bot.ask("hi").trace.error == ""


def test_ask_prints_the_apology_not_a_traceback(
        bot: Bot, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("bot.engine.Composer.compose", _boom)
    assert main(["ask", "what", "is", "BERT?"]) == 0
    out, err = capsys.readouterr()
    assert "something went wrong" in out and "Traceback" not in out + err


def test_chat_answers_every_line_even_after_a_failing_one(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import io

    calls = {"n": 0}
    from bot.engine import Composer
    real = Composer.compose

    def first_fails(self: Composer, *a: object, **k: object) -> object:
        calls["n"] += 1
        if calls["n"] == 1:
            raise KeyError("x")
        return real(self, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(Composer, "compose", first_fails)
    monkeypatch.setattr("sys.stdin", io.StringIO("what is BERT?\nwhat is BERT?\n"))
    assert main(["chat"]) == 0
    out = capsys.readouterr().out
    assert "something went wrong" in out and "BERT" in out.split("goes on.")[1]
