"""The terminal chat under a hostile but realistic user (issue 14, items 2, 6, 7, 16, 18):
damaged or odd data files, /save onto things that are not files, two chats at once, bursts
of keys, multi-line pastes, questions that start with "/", a 40-column terminal."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets._footer import FooterKey

from tui.app import TaxobotApp
from tui.screens import ChatScreen

SIZE = (100, 30)


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "data"
    root.mkdir()
    monkeypatch.setenv("TAXOBOT_DATA_DIR", str(root))
    return root


async def until(pilot: Pilot, condition: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.05)
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")


async def ready(pilot: Pilot) -> ChatScreen:
    screen: ChatScreen = pilot.app.chat_screen  # type: ignore[attr-defined]
    await until(pilot, lambda: screen.conversation is not None)
    return screen


def notes(app: TaxobotApp) -> list[str]:
    return [n.message for n in app._notifications]


def user_turns(screen: ChatScreen) -> list[str]:
    return [t.text for t in screen.transcript if t.role == "user"]


def answered(screen: ChatScreen, n: int) -> Callable[[], bool]:
    return lambda: sum(t.role != "user" for t in screen.transcript) >= n and not screen._queue


async def slash(pilot: Pilot, command: str) -> None:
    screen: ChatScreen = pilot.app.chat_screen  # type: ignore[attr-defined]
    screen.input.value = command
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


# -- item 2: the app starts whatever is in its data files --------------------------------------
@pytest.mark.parametrize("name", ["history.json", "settings.json"])
@pytest.mark.parametrize("content", [
    b'{"version":1,"entries":["caf\xe9"]}', b"[" * 200_000 + b"]" * 200_000,
], ids=["latin-1", "nested-200000-deep"])
async def test_the_app_starts_and_names_the_damaged_file_it_set_aside(
        data_dir: Path, name: str, content: bytes) -> None:
    (data_dir / name).write_bytes(content)
    app = TaxobotApp(cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        aside = list(data_dir.glob(f"{name}.corrupt-*"))
        assert len(aside) == 1 and aside[0].read_bytes() == content  # nothing lost
        assert any(str(aside[0]) in n for n in notes(app)), notes(app)


# -- item 6: /save never destroys what is at the path -------------------------------------------
async def _saved(tmp_path: Path, command: str) -> tuple[TaxobotApp, ChatScreen]:
    app = TaxobotApp(cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        screen.ask("who developed T5?")
        await until(pilot, answered(screen, 1))
        await slash(pilot, command)
    return app, screen


async def test_save_refuses_to_overwrite_an_existing_file_and_says_how(tmp_path: Path) -> None:
    target = tmp_path / "notes.md"
    target.write_text("my own notes")
    app, _ = await _saved(tmp_path, f"/save {target}")
    assert target.read_text() == "my own notes"
    assert any("already exists" in n and "/save!" in n for n in notes(app)), notes(app)


async def test_save_bang_replaces_a_file_keeping_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "notes.md"
    target.write_text("old")
    target.chmod(0o644)
    await _saved(tmp_path, f"/save! {target}")
    assert "who developed T5?" in target.read_text()
    assert target.stat().st_mode & 0o777 == 0o644


async def test_save_writes_through_a_symlink_and_keeps_it(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    link = tmp_path / "link.md"
    link.symlink_to(real)
    await _saved(tmp_path, f"/save {link}")
    assert link.is_symlink() and "who developed T5?" in real.read_text()


@pytest.mark.parametrize("kind", ["fifo", "directory", "device-link"])
async def test_save_refuses_what_is_not_a_regular_file(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "target"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "directory":
        target.mkdir()
    else:
        target.symlink_to("/dev/null")
    app, _ = await _saved(tmp_path, f"/save {target}")
    assert any("not a file" in n for n in notes(app)), notes(app)
    if kind == "fifo":
        import stat
        assert stat.S_ISFIFO(target.stat().st_mode)
    elif kind == "directory":
        assert target.is_dir()
    else:
        assert target.is_symlink() and os.readlink(target) == "/dev/null"


# -- item 7 (app level): two chats keep each other's questions ----------------------------------
async def test_two_chats_open_at_once_keep_each_others_history(data_dir: Path) -> None:
    one, two = TaxobotApp(cursor_blink=False), TaxobotApp(cursor_blink=False)
    async with one.run_test(size=SIZE) as p1, two.run_test(size=SIZE) as p2:
        s1, s2 = await ready(p1), await ready(p2)
        for pilot, screen, question in ((p1, s1, "what is BERT?"), (p2, s2, "what is T5?"),
                                        (p1, s1, "what is GPT-3?")):
            screen.input.value = question
            await pilot.press("enter")
            await pilot.pause()
    entries = json.loads((data_dir / "history.json").read_text())["entries"]
    assert entries == ["what is BERT?", "what is T5?", "what is GPT-3?"]


# -- item 18: the input ---------------------------------------------------------------------------
def _key(ch: str) -> events.Key:
    names = {"\r": "enter", "?": "question_mark", " ": "space"}
    return events.Key(names.get(ch, ch), ch)


async def test_a_burst_of_keys_with_two_line_ends_is_two_questions() -> None:
    app = TaxobotApp(cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        for ch in "what is the source?\rand OPT?\r":  # all queued before any is handled
            app.post_message(_key(ch))
        await until(pilot, answered(screen, 2))
        assert user_turns(screen) == ["what is the source?", "and OPT?"]


async def test_a_multi_line_paste_sends_each_line_and_keeps_the_unfinished_one() -> None:
    app = TaxobotApp(cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        app.post_message(events.Paste("is BERT open source?\r\nis T5 open source?\n\nwho made"))
        await until(pilot, answered(screen, 2))
        assert user_turns(screen) == ["is BERT open source?", "is T5 open source?"]
        assert screen.input.value == "who made"


async def test_a_huge_paste_is_refused_with_a_note_not_sent() -> None:
    app = TaxobotApp(cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        app.post_message(events.Paste("is BERT open source?\n" * 500))
        await until(pilot, lambda: any("500" in n or "501" in n for n in notes(app)))
        assert user_turns(screen) == []


async def test_a_question_starting_with_a_slash_is_sent_with_two() -> None:
    app = TaxobotApp(cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await slash(pilot, "//help me: what is BERT?")
        await until(pilot, answered(screen, 1))
        assert user_turns(screen) == ["/help me: what is BERT?"]
        await slash(pilot, "/frobnicate")
        assert screen.input.value == "/frobnicate"  # an unknown command stays to fix


@pytest.mark.parametrize("width", [40, 50, 60, 100])
async def test_the_footer_shows_quit_and_help_at_any_width(width: int) -> None:
    app = TaxobotApp(cursor_blink=False)
    async with app.run_test(size=(width, 20)) as pilot:
        await pilot.pause()
        await pilot.pause()
        shown = {k.description for k in app.screen.query(FooterKey)
                 if k.region.width and k.region.right <= width}
        assert {"Quit", "Help"} <= shown, shown


# -- item 16: control sequences typed in are never sent to the terminal -------------------------
async def test_control_sequences_in_a_question_are_not_shown_or_saved(tmp_path: Path) -> None:
    app = TaxobotApp(cursor_blink=False)
    target = tmp_path / "t.md"
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        screen.ask("what type of model is Zorblax\x1b[2J\x1b]0;pwned\x07X-9?")
        await until(pilot, answered(screen, 1))
        await slash(pilot, f"/save {target}")
        from tui.widgets import UserMessage
        shown = [m.text for m in screen.log_view.query(UserMessage)]
        assert shown == ["what type of model is ZorblaxX-9?"]
        for turn in screen.transcript:
            assert "\x1b" not in turn.text and "\x07" not in turn.text
    assert "\x1b" not in target.read_text() and "Zorblax" in target.read_text()


async def test_the_explain_panel_shows_no_control_sequence() -> None:
    from tui.widgets.explain import render_trace

    app = TaxobotApp(cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        question = "what is Zorblax\x1b[31mX?"
        reply = screen.conversation.ask(question)  # type: ignore[union-attr]
        assert "\x1b" not in render_trace(question, reply).plain
