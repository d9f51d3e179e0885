"""Pilot tests for the terminal chat (tui/). Every test gets its own data directory."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable

import pytest
from textual.command import CommandPalette
from textual.pilot import Pilot

from tui.app import TaxobotApp
from tui.commands import TaxobotCommands
from tui.completion import NameSuggester
from tui.screens import ChatScreen, HelpScreen
from tui.storage import Storage
from tui.widgets import (
    BotMessage,
    ChatInput,
    ChatLog,
    ErrorMessage,
    ExplainPanel,
    MarkdownView,
    TaxonomyBrowser,
    TaxonomyTree,
    UserMessage,
    WelcomeMessage,
)
from tui.widgets.chat_log import ChatMessage

SIZE = (100, 30)


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("TAXOBOT_DATA_DIR", str(tmp_path))
    return tmp_path


def make_app() -> TaxobotApp:
    return TaxobotApp(cursor_blink=False)


async def until(pilot: Pilot, condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Let workers finish and messages land until ``condition`` holds."""
    deadline = time.monotonic() + timeout
    while True:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if condition():
            return
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")


def chat(pilot: Pilot) -> ChatScreen:
    return pilot.app.chat_screen  # type: ignore[attr-defined,no-any-return]


async def ready(pilot: Pilot) -> ChatScreen:
    screen = chat(pilot)
    await until(pilot, lambda: screen.conversation is not None)
    return screen


def messages(screen: ChatScreen, kind: type[ChatMessage] = ChatMessage) -> list:
    return list(screen.log_view.query(kind))


async def click_chip(pilot: Pilot, message: ChatMessage, index: int) -> None:
    """Click the ``index``-th suggestion drawn in ``message`` (border, padding, indent)."""
    rows = message.visual.chip_rows(message.size.width)
    await pilot.click(message, offset=(5, 1 + rows[index].start))


def answered(screen: ChatScreen, count: int) -> Callable[[], bool]:
    """True once ``count`` answers (or errors) are shown and none is pending."""
    def check() -> bool:
        bots = messages(screen, BotMessage)
        return len(bots) + len(messages(screen, ErrorMessage)) >= count and not screen._queue
    return check


async def type_text(pilot: Pilot, text: str) -> None:
    await pilot.press(*text)


async def ask(pilot: Pilot, text: str) -> ChatScreen:
    """Type a question, press Enter and wait for its answer."""
    screen = chat(pilot)
    before = len(messages(screen, BotMessage))
    before += len(messages(screen, ErrorMessage))
    screen.input.value = text
    screen.input.cursor_position = len(text)
    await pilot.press("enter")
    await until(pilot, answered(screen, before + 1))
    return screen


def last_answer(screen: ChatScreen) -> str:
    return messages(screen, BotMessage)[-1].markdown


# -- sending -------------------------------------------------------------------------------


async def test_welcome_offers_three_examples():
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        welcome = messages(screen, WelcomeMessage)[0]
        assert "Welcome to taxobot" in str(welcome.text)
        assert len(welcome.suggestions) == 3 and welcome.chips_active
        assert isinstance(screen.focused, ChatInput)


async def test_send_a_question_and_see_the_answer():
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await type_text(pilot, "what type of model is BERT?")
        await pilot.press("enter")
        await until(pilot, answered(screen, 1))
        assert messages(screen, UserMessage)[-1].text == "what type of model is BERT?"
        assert "Masked Language Models" in last_answer(screen)
        assert screen.input.value == ""
        assert screen.focused is screen.input
        assert [t.role for t in screen.transcript] == ["user", "bot"]


async def test_questions_are_answered_in_order_when_sent_quickly():
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        for question in ("what type of model is BERT?", "who developed T5?"):
            screen.input.value = question
            await pilot.press("enter")
        await until(pilot, answered(screen, 2))
        bots = [m.markdown for m in messages(screen, BotMessage)]
        assert "BERT" in bots[0] and "Google" in bots[1]


async def test_question_sent_before_engine_loaded_is_answered(monkeypatch):
    app = make_app()
    monkeypatch.setattr(app, "load_bot", lambda: None)  # hold the engine back
    async with app.run_test(size=SIZE) as pilot:
        screen = chat(pilot)
        await until(pilot, lambda: app.first_paint_seconds is not None)
        await type_text(pilot, "what type of model is BERT?")  # typing from the first paint
        assert screen.input.value == "what type of model is BERT?"
        await pilot.press("enter")
        await until(pilot, lambda: len(screen._queue) == 1)
        assert screen.conversation is None
        TaxobotApp.load_bot(app)  # now load it
        await until(pilot, answered(screen, 1))
        assert "BERT" in last_answer(screen)


async def test_first_paint_is_quick():
    """The 1 s budget is measured on an idle machine (benchmarks/); here only a loose bound,
    so a busy CI machine does not make the suite flaky."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.first_paint_seconds is not None)
        assert app.first_paint_seconds is not None
        assert app.first_paint_seconds < 2.0


# -- history -------------------------------------------------------------------------------


async def test_history_up_down_and_kept_across_launches(data_dir):
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await ask(pilot, "what type of model is BERT?")
        await ask(pilot, "who developed T5?")
        await type_text(pilot, "draft")
        await pilot.press("up")
        assert screen.input.value == "who developed T5?"
        await pilot.press("up")
        assert screen.input.value == "what type of model is BERT?"
        await pilot.press("up")  # stays at the oldest
        assert screen.input.value == "what type of model is BERT?"
        await pilot.press("down")
        assert screen.input.value == "who developed T5?"
        await pilot.press("down")
        assert screen.input.value == "draft"
    saved = json.loads((data_dir / "history.json").read_text())
    assert saved["entries"] == ["what type of model is BERT?", "who developed T5?"]

    async with make_app().run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("up")
        assert screen.input.value == "who developed T5?"


async def test_damaged_history_is_set_aside_not_fatal(data_dir):
    (data_dir / "history.json").write_text("{not json", encoding="utf-8")
    (data_dir / "settings.json").write_text("[1, 2]", encoding="utf-8")
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        assert screen.input.history == []
        await ask(pilot, "who developed T5?")
    aside = sorted(p.name for p in data_dir.glob("*.corrupt-*"))
    assert len(aside) == 2 and aside[0].startswith("history.json.corrupt-")
    assert json.loads((data_dir / "history.json").read_text())["entries"] == ["who developed T5?"]


def test_storage_writes_atomically_and_leaves_no_temp_files(tmp_path):
    storage = Storage(tmp_path / "deep" / "dir")
    storage.save_history(["a", "b"])
    storage.save_settings({"theme": "nord"})
    assert storage.load_history() == ["a", "b"]
    assert storage.load_settings() == {"theme": "nord"}
    assert sorted(p.name for p in storage.root.iterdir()) == ["history.json", "settings.json"]
    assert storage.warnings == []


def test_data_dir_follows_xdg_when_not_overridden(monkeypatch, tmp_path):
    from tui.storage import data_dir

    monkeypatch.delenv("TAXOBOT_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert data_dir() == tmp_path / "taxobot"


# -- completion ----------------------------------------------------------------------------


def test_suggester_completes_the_last_words_case_insensitively():
    s = NameSuggester(["BERT", "RoBERTa", "Masked Language Models (MLMs)", "GPT-3"], ["/help"])
    assert s.complete("what is ber") == "what is BERT"
    assert s.complete("Tell me about rob") == "Tell me about RoBERTa"
    assert s.complete("what are masked lang") == "what are Masked Language Models (MLMs)"
    assert s.complete("compare bert and gpt") == "compare bert and GPT-3"
    assert s.complete("/he") == "/help"
    assert s.complete("what is bert ") is None
    assert s.complete("x") is None


async def test_completion_accepted_with_tab_and_right():
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await type_text(pilot, "tell me about robe")
        await until(pilot, lambda: screen.input._suggestion != "")
        await pilot.press("tab")
        assert screen.input.value == "tell me about RoBERTa"
        assert screen.focused is screen.input
        screen.input.value = ""
        await type_text(pilot, "is distilb")
        await until(pilot, lambda: screen.input._suggestion != "")
        await pilot.press("right")
        assert screen.input.value == "is DistilBERT"


# -- chips ---------------------------------------------------------------------------------


async def test_clicking_a_chip_asks_it():
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await ask(pilot, "what type of model is BERT?")
        latest = screen.log_view.latest_chips()
        assert isinstance(latest, BotMessage)
        question = latest.suggestions[0]
        await click_chip(pilot, latest, 0)
        await until(pilot, answered(screen, 2))
        assert messages(screen, UserMessage)[-1].text == question
        assert screen.focused is screen.input


async def test_welcome_example_chip_asks_it():
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        welcome = messages(screen, WelcomeMessage)[0]
        await click_chip(pilot, welcome, 0)
        await until(pilot, answered(screen, 1))
        assert messages(screen, UserMessage)[-1].text == welcome.suggestions[0]


async def test_chips_by_keyboard_tab_arrows_enter():
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await ask(pilot, "what type of model is BERT?")
        latest = screen.log_view.latest_chips()
        await pilot.press("tab")  # nothing to complete: go to the suggestions
        assert screen.focused is latest and latest.cursor == 0
        await pilot.press("down")
        assert latest.cursor == 1
        await pilot.press("enter")
        await until(pilot, answered(screen, 2))
        assert messages(screen, UserMessage)[-1].text == latest.suggestions[1]
        assert screen.focused is screen.input


async def test_escape_returns_to_the_input():
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("tab")
        assert isinstance(screen.focused, WelcomeMessage)
        await pilot.press("escape")
        assert screen.focused is screen.input


# -- browser -------------------------------------------------------------------------------


async def test_browser_toggles_and_selecting_nodes_asks():
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        browser = screen.query_one(TaxonomyBrowser)
        assert not browser.display
        await pilot.press("ctrl+b")
        assert browser.display
        tree = browser.taxonomy
        assert isinstance(screen.focused, TaxonomyTree)
        dimension = tree.root.children[0]
        tree.move_cursor(dimension)
        await pilot.press("enter")
        await until(pilot, answered(screen, 1))
        assert messages(screen, UserMessage)[-1].text == f"What is {dimension.data.name}?"

        await pilot.press("right")  # expand the dimension
        await until(pilot, lambda: dimension.is_expanded)
        category = dimension.children[0]
        tree.move_cursor(category)
        await pilot.press("enter")
        await until(pilot, answered(screen, 2))
        assert messages(screen, UserMessage)[-1].text == f"What is {category.data.name}?"

        await pilot.press("right")  # expand the category
        await until(pilot, lambda: category.is_expanded)
        model = category.children[0]
        tree.move_cursor(model)
        await pilot.press("enter")
        await until(pilot, answered(screen, 3))
        assert messages(screen, UserMessage)[-1].text == f"Tell me about {model.data.name}"
        assert model.data.name in last_answer(screen)

        await pilot.press("ctrl+b")
        assert not browser.display
        assert screen.focused is screen.input


async def test_browser_lists_every_dimension_and_category():
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        kb = pilot.app.bot.kb
        await pilot.press("ctrl+b")  # filled when first shown
        tree = screen.query_one(TaxonomyTree)
        assert [n.data.name for n in tree.root.children] == [d.name for d in kb.dimensions]
        first = tree.root.children[0]
        assert [n.data.id for n in first.children] == [
            c.id for c in kb.categories_in(kb.dimensions[0].id)]


# -- explain -------------------------------------------------------------------------------


async def test_explain_panel_shows_intent_entities_and_context():
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        panel = screen.query_one(ExplainPanel)
        await pilot.press("ctrl+e")
        assert panel.display
        await ask(pilot, "compare BERT and GPT-3")
        reply = screen.last_reply
        text = panel.text
        assert reply.intent in text
        for intent, _score in reply.trace.ranking:
            assert intent in text
        assert "“BERT”" in text and "GPT-3" in text
        await ask(pilot, "is it open source?")
        await pilot.press("ctrl+e")
        assert not panel.display


# -- help and palette ----------------------------------------------------------------------


async def test_f1_opens_help_with_every_binding():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_md = app.screen.markdown()
        for _where, _keys, description in app.binding_rows():
            assert description in help_md
        for example in ("What type of model is BERT?", "/save"):
            assert example in help_md
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ChatScreen))


def test_every_binding_has_an_id_and_a_description():
    for cls in (TaxobotApp, ChatScreen, HelpScreen, ChatInput, MarkdownView, TaxonomyTree):
        for binding in cls.BINDINGS:
            assert binding.id, (cls.__name__, binding)
            assert binding.description, (cls.__name__, binding)


async def test_palette_offers_the_chat_commands():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        provider = TaxobotCommands(app.screen)
        names = [name for name, _help, _cb in provider.commands()]
        for wanted in ("New conversation", "Save transcript", "Copy last answer",
                       "Toggle taxobot browser".replace("taxobot", "taxonomy"),
                       "Toggle explain panel", "Change theme"):
            assert wanted in names
        hits = [hit.text async for hit in provider.discover()]
        assert hits == names
        found = [hit.text async for hit in provider.search("explain")]
        assert found == ["Toggle explain panel"]

        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        assert TaxobotCommands in app.COMMANDS


async def test_palette_command_runs():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await type_text(pilot, "toggle explain")
        await until(pilot, lambda: app.screen.query("CommandList Option") is not None)
        await pilot.press("enter")
        await until(pilot, lambda: screen.query_one(ExplainPanel).display)


# -- slash commands ------------------------------------------------------------------------


async def slash(pilot: Pilot, command: str) -> None:
    screen = chat(pilot)
    screen.input.focus()
    screen.input.value = command
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_slash_help():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await slash(pilot, "/help")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))


async def test_slash_new_clears_the_conversation():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await ask(pilot, "what type of model is BERT?")
        old = screen.conversation
        await slash(pilot, "/new")
        await until(pilot, lambda: len(messages(screen)) == 1)
        assert isinstance(messages(screen)[0], WelcomeMessage)
        assert screen.transcript == [] and screen.last_reply is None
        assert screen.conversation is not old
        assert screen.input.value == ""


async def test_slash_save_copy_theme_browser_explain(data_dir, monkeypatch):
    app = make_app()
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await ask(pilot, "who developed T5?")
        await slash(pilot, "/save")
        assert screen.last_saved is not None and screen.last_saved.exists()
        await slash(pilot, "/copy")
        assert copied == [screen.last_reply.text]
        await slash(pilot, "/theme nord")
        assert app.theme == "nord"
        await slash(pilot, "/browser")
        assert screen.query_one(TaxonomyBrowser).display
        await slash(pilot, "/explain")
        assert screen.query_one(ExplainPanel).display
        await slash(pilot, "/theme")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))


async def test_unknown_slash_command_stays_in_the_input():
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await slash(pilot, "/frobnicate")
        assert screen.input.value == "/frobnicate"
        assert messages(screen, UserMessage) == []


async def test_theme_is_remembered(data_dir):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.theme = "gruvbox"
        await pilot.pause()
    assert json.loads((data_dir / "settings.json").read_text())["theme"] == "gruvbox"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert app.theme == "gruvbox"


# -- save and copy -------------------------------------------------------------------------


async def test_save_transcript_writes_both_sides(data_dir):
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await ask(pilot, "what type of model is BERT?")
        answer = screen.last_reply.text
        await pilot.press("ctrl+s")
        await until(pilot, lambda: screen.last_saved is not None)
        path = screen.last_saved
        assert path.parent == data_dir / "transcripts"
        text = path.read_text(encoding="utf-8")
        assert "> what type of model is BERT?" in text
        assert answer in text
        assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


async def test_save_to_a_path_given_to_slash_save(tmp_path):
    target = tmp_path / "out" / "chat.md"
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await ask(pilot, "who developed T5?")
        await slash(pilot, f"/save {target}")
        assert screen.last_saved == target
        assert "who developed T5?" in target.read_text(encoding="utf-8")


async def test_copy_last_answer(monkeypatch):
    app = make_app()
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("ctrl+y")  # nothing yet: a warning, no copy
        assert copied == []
        await ask(pilot, "what type of model is BERT?")
        await pilot.press("ctrl+y")
        assert copied == [screen.last_reply.text]
        assert "BERT" in copied[0]


# -- safety --------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["[@click=app.quit]x[/]", "[bold]x[/]"])
async def test_user_markup_is_shown_literally(text):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await ask(pilot, text)
        message = messages(screen, UserMessage)[-1]
        rendered = message.visual.blocks[0].text
        assert str(rendered) == text
        assert not rendered.spans  # no style, no action
        await pilot.click(message)
        await pilot.pause()
        assert app.is_running
        assert app.return_code is None
        # the explain panel shows it literally too
        assert text in screen.query_one(ExplainPanel).text


async def test_engine_error_shows_a_message_and_keeps_the_question(monkeypatch):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)

        def broken(self, text):
            raise RuntimeError("engine exploded")

        monkeypatch.setattr(type(screen.conversation), "ask", broken)
        await ask(pilot, "what type of model is BERT?")
        errors = messages(screen, ErrorMessage)
        assert len(errors) == 1 and "went wrong" in errors[0].text
        assert app.is_running
        assert screen.input.value == "what type of model is BERT?"
        assert screen.input.history[-1] == "what type of model is BERT?"

        monkeypatch.undo()
        await pilot.press("enter")
        await until(pilot, answered(screen, 2))
        assert "BERT" in last_answer(screen)


async def test_broken_knowledge_file_does_not_crash(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("models: [unclosed\n", encoding="utf-8")
    app = TaxobotApp(extra_knowledge=[str(bad)], cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = chat(pilot)
        await until(pilot, lambda: bool(screen.bot_error))
        assert messages(screen, ErrorMessage)
        screen.input.value = "what type of model is BERT?"
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running
        assert screen.input.value == "what type of model is BERT?"


# -- layout --------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(60, 20), (100, 30), (200, 60)])
async def test_reflows_at_every_size(size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        screen = await ready(pilot)
        await ask(pilot, "compare BERT and GPT-3")
        await pilot.press("ctrl+b")
        await pilot.press("ctrl+e")
        await pilot.pause()
        width, height = size
        for widget in (screen.input, screen.log_view, screen.browser, screen.explain):
            region = widget.region
            assert region.width > 0 and region.height > 0
            assert region.right <= width and region.bottom <= height
        assert screen.input.region.bottom <= height - 1  # the footer stays visible


async def test_log_follows_newest_unless_scrolled_up(monkeypatch):
    async with make_app().run_test(size=(80, 20)) as pilot:
        screen = await ready(pilot)
        log: ChatLog = screen.log_view
        for _ in range(2):
            await ask(pilot, "what type of model is BERT?")
        await until(pilot, lambda: log.max_scroll_y > 0)
        assert log.scroll_y == log.max_scroll_y  # following the newest

        gate = threading.Event()
        real_ask = type(screen.conversation).ask

        def slow_ask(self, text):
            gate.wait(5)
            return real_ask(self, text)

        monkeypatch.setattr(type(screen.conversation), "ask", slow_ask)
        screen.input.value = "who developed T5?"
        await pilot.press("enter")
        await pilot.pause()
        log.scroll_to(y=0, animate=False)  # the user scrolls up while it is answered
        await pilot.pause()
        gate.set()
        await until(pilot, answered(screen, 3))
        assert log.scroll_y == 0  # left where the user is reading
        await pilot.press("pagedown")
        log.scroll_end(animate=False)  # back to the bottom: following again
        await until(pilot, lambda: log.scroll_y == log.max_scroll_y)
        monkeypatch.undo()
        await ask(pilot, "compare BERT and GPT-3")
        await until(pilot, lambda: log.scroll_y == log.max_scroll_y)
        await pilot.press("pageup")
        await until(pilot, lambda: log.scroll_y < log.max_scroll_y)


def test_run_builds_the_app_inline(monkeypatch, tmp_path):
    import tui

    mine = tmp_path / "mine.yaml"
    mine.write_text("models: []\n", encoding="utf-8")
    calls = []
    monkeypatch.setattr(TaxobotApp, "run", lambda self, **kw: calls.append((self, kw)))
    tui.run(inline=True, extra_knowledge=[str(mine)])
    app, kwargs = calls[0]
    assert kwargs == {"inline": True}
    assert app.extra_knowledge == [str(mine)]
    assert app.engine.wait(30) and app.engine.bot is not None  # loading since before the app


def test_run_refuses_a_broken_knowledge_file_before_the_screen_is_taken(monkeypatch,
                                                                        tmp_path):
    """Given `taxobot --knowledge bad.yaml`, the error names file and line, and no app runs."""
    import tui
    from bot import DataError

    bad = tmp_path / "bad.yaml"
    bad.write_text("models: [unclosed\n", encoding="utf-8")
    calls = []
    monkeypatch.setattr(TaxobotApp, "run", lambda self, **kw: calls.append(self))
    with pytest.raises(DataError) as err:
        tui.run(extra_knowledge=[str(bad)])
    assert "bad.yaml:" in str(err.value)
    assert calls == []


def test_the_engine_loads_before_textual_is_imported():
    """`tui.start_engine` imports nothing of Textual: the chat starts it first, so the engine
    loads while Textual does."""
    import subprocess
    import sys

    code = ("import sys, tui; e = tui.start_engine(); e.wait(60); "
            "print(e.bot is not None, any(m.startswith('textual') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=True).stdout.split()
    assert out == ["True", "False"]


def test_chip_choice_message_is_exported():
    assert MarkdownView.Chosen


# -- answers as one widget (tui/widgets/markdown_view.py) ---------------------------------


def answer_lines(markdown: str, width: int) -> list[str]:
    from tui.widgets.markdown_blocks import parse
    from tui.widgets.markdown_layout import lay_out

    return [line.plain for line in lay_out(parse(markdown), width)]


def test_answer_markup_and_links_stay_literal():
    from tui.widgets.markdown_blocks import parse
    from tui.widgets.markdown_layout import lay_out

    lines = lay_out(parse("I don't know `[@click=app.quit]x[/]` [b](http://x) &amp; **y**"),
                    80)
    # answers hold no links or entities: what looks like one is shown as typed
    assert lines[0].plain == "I don't know [@click=app.quit]x[/] [b](http://x) &amp; y"
    styles = [span.style for line in lines for span in line.spans]
    assert styles == [".code_inline", "bold"]  # no action anywhere


def test_answer_table_fits_the_width_and_keeps_every_cell():
    text = ("| | **BERT** | **GPT-3** |\n|---|---|---|\n"
            "| Training Approach | masked language model | autoregressive (curated) |\n")
    for width in (100, 60, 40):
        lines = answer_lines(text, width)
        assert all(len(line) <= width for line in lines)
        assert lines[0].startswith("┌") and lines[-1].startswith("└")
        joined = " ".join(lines)
        for word in ("BERT", "GPT-3", "Training", "masked", "autoregressive"):
            assert word in joined
    assert len(answer_lines(text, 100)) == 5  # top, header, rule, row, bottom


def test_answer_list_items_hang_under_their_bullet():
    lines = answer_lines("Models:\n\n- **TinyBERT** (Huawei Noah's Ark Lab, 2019) — small\n"
                         "- **SmolLM** (Hugging Face, 2024)\n", 30)
    assert lines[:3] == ["Models:", "", "• TinyBERT (Huawei Noah's Ark"]
    assert lines[3].startswith("  ") and lines[-1] == "• SmolLM (Hugging Face, 2024)"


def test_table_columns_give_way_widest_first():
    from tui.widgets.markdown_layout import column_widths

    assert column_widths([10, 20], [5, 5], 40) == [14, 26]  # extra shared in proportion
    assert column_widths([10, 30], [5, 8], 30) == [10, 20]
    assert sum(column_widths([10, 30, 30], [9, 9, 9], 20)) <= 20


async def test_older_answers_keep_their_suggestions_drawn_and_clickable():
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await ask(pilot, "what type of model is BERT?")
        await ask(pilot, "who developed T5?")
        first, second = messages(screen, BotMessage)
        assert not first.chips_active and second.chips_active  # Tab reaches the newest
        view = first
        assert f"› {first.suggestions[0]}" in view.visual.text(view.size.width)
        row = view.visual.chip_rows(view.size.width)[0].start
        line = view.visual.lines(view.size.width)[row]
        assert any(getattr(span.style, "meta", {}).get("@click") == "ask_suggestion(0)"
                   for span in line.spans)  # an index, never the question's text
        view.action_ask_suggestion(0)
        await until(pilot, answered(screen, 3))
        assert screen.transcript[-2].text == first.suggestions[0]
