"""Snapshot tests of the chat (pytest-textual-snapshot). Regenerate after a deliberate
change with ``pytest tests/test_tui_snapshots.py --snapshot-update`` and review the SVGs.

They hold for the pinned Textual version (see pyproject.toml). The answered comparison
also depends on the engine's wording and the knowledge base: if those change on purpose,
regenerate.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from test_tui import until
from textual.pilot import Pilot

from tui.app import TaxobotApp

SIZES = [(100, 30), (60, 20)]


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    """A fresh, empty data directory: no remembered theme or history leaks in."""
    monkeypatch.setenv("TAXOBOT_DATA_DIR", str(tmp_path))
    return tmp_path


def loaded(app: TaxobotApp) -> Callable[[Pilot], Awaitable[None]]:
    async def run_before(pilot: Pilot) -> None:
        await until(pilot, lambda: app.chat_screen.conversation is not None)
    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_main_screen(snap_compare, size):
    app = TaxobotApp(cursor_blink=False)
    assert snap_compare(app, terminal_size=size, run_before=loaded(app))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_answered_comparison(snap_compare, size):
    app = TaxobotApp(cursor_blink=False)

    async def run_before(pilot: Pilot) -> None:
        await loaded(app)(pilot)
        screen = app.chat_screen
        screen.input.value = "compare BERT and GPT-3"
        await pilot.press("enter")
        await until(pilot, lambda: screen.last_reply is not None and not screen._queue)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_browser_open(snap_compare, size):
    app = TaxobotApp(cursor_blink=False)

    async def run_before(pilot: Pilot) -> None:
        await loaded(app)(pilot)
        await pilot.press("ctrl+b")
        await pilot.press("right")  # open the first dimension
        await until(pilot, lambda: app.chat_screen.browser.taxonomy.root.children[0].is_expanded)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help_screen(snap_compare, size):
    app = TaxobotApp(cursor_blink=False)

    async def run_before(pilot: Pilot) -> None:
        await loaded(app)(pilot)
        await pilot.press("f1")
        await until(pilot, lambda: app.screen.id == "help")

    assert snap_compare(app, terminal_size=size, run_before=run_before)
