"""The taxobot chat app: builds the engine once (in a thread), keeps settings and history."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.theme import Theme

from .commands import TaxobotCommands
from .engine_loader import EngineLoader
from .messages import BotLoaded
from .screens import ChatScreen, HelpScreen
from .storage import Storage
from .widgets import ChatInput, MarkdownView, TaxonomyTree

if TYPE_CHECKING:
    from .protocol import BotLike

WARM_UP = "**a** *b* `c`\n\n- d\n\n| e |\n|---|\n| f |\n"


class TaxobotApp(App[None]):
    """A terminal chat about the taxonomy of large language models."""

    CSS_PATH = Path(__file__).with_name("taxobot.tcss")  # absolute: subclasses work too
    TITLE = "taxobot"
    COMMANDS = App.COMMANDS | {TaxobotCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (90, "-wide")]

    BINDINGS = [
        Binding("f1", "help", "Help", id="help"),
        Binding("ctrl+p", "command_palette", "Commands", id="command-palette", show=False,
                priority=True),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
    ]

    def __init__(self, extra_knowledge: list[str] | None = None, *,
                 storage: Storage | None = None, cursor_blink: bool = True,
                 engine: EngineLoader | None = None) -> None:
        """``engine``: a load already under way (``tui.run`` starts it before Textual is
        imported); without one, the load starts here."""
        self.started_at = time.perf_counter()
        self.first_paint_seconds: float | None = None
        self.engine = engine if engine is not None else EngineLoader(extra_knowledge)
        super().__init__()
        self.extra_knowledge = self.engine.extra_knowledge
        self.storage = storage if storage is not None else Storage()
        self.cursor_blink = cursor_blink
        self.settings: dict[str, Any] = self.storage.load_settings()
        self.history: list[str] = self.storage.load_history()
        self.chat_screen = ChatScreen()
        self._storage_failed = False

    # -- start-up --------------------------------------------------------------------------

    def on_mount(self) -> None:
        # The engine has been loading in its thread since before the app was made; the
        # first screen is composed and painted meanwhile. Typing is taken from the first
        # paint; a question asked before the engine is ready waits for it.
        self.load_bot()
        theme = self.settings.get("theme")
        if isinstance(theme, str) and theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self.push_screen(self.chat_screen)
        self._show_storage_warnings()

    def _show_storage_warnings(self) -> None:
        for warning in self.storage.warnings:
            self.notify(warning, title="Data file", severity="warning", timeout=10,
                        markup=False)
        self.storage.warnings.clear()

    def mark_first_paint(self) -> None:
        """Called by the chat screen after its first refresh."""
        if self.first_paint_seconds is None:
            self.first_paint_seconds = time.perf_counter() - self.started_at

    @property
    def bot(self) -> BotLike | None:
        """The engine, once loaded."""
        return self.engine.bot

    @work(thread=True, exit_on_error=False, name="wait-for-engine")
    def load_bot(self) -> None:
        """Announces the engine to the chat screen once its load has ended."""
        self.engine.wait()
        self.chat_screen.post_message(BotLoaded(self.engine.bot, self.engine.error_line))

    @work(thread=True, exit_on_error=False, name="warm-up")
    def warm_up(self) -> None:
        """Started once the engine is announced, not before (nor while the announcement is
        handled): the first answer's Markdown parse would otherwise pay for importing and
        building markdown-it (~50 ms)."""
        from .widgets.markdown_blocks import parse

        parse(WARM_UP)

    def keep(self) -> None:
        """Called when an answer joins the log or the log has scrolled: the young garbage
        is collected, then everything alive (the messages and the lines drawn for them,
        which live as long as the conversation, and the engine) leaves the cyclic
        collector's sight, so a full collection never walks it. With 200 answers in the
        log one took 0.1-0.4 s, in the middle of a scroll."""
        gc.collect(1)
        gc.freeze()

    def release(self) -> None:
        """A new conversation drops the old log: collect it once, keep the rest."""
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    # -- persistence -----------------------------------------------------------------------

    def _remember_theme(self, theme: Theme) -> None:
        self.settings["theme"] = theme.name
        self._write(lambda: self.storage.save_settings(self.settings))

    def save_history(self) -> None:
        self._write(lambda: self.storage.save_history(self.history))

    def _write(self, write: Any) -> None:
        try:
            write()
            self._show_storage_warnings()  # a file damaged since start-up, set aside now
        except OSError as err:
            if not self._storage_failed:  # say it once, not on every question
                self._storage_failed = True
                self.notify(f"Could not write to {self.storage.root}: {err.strerror or err}. "
                            "History and settings will not be kept.", severity="warning",
                            markup=False)

    def set_theme(self, name: str) -> None:
        if name in self.available_themes:
            self.theme = name
            self.notify(f"Theme: {name}")
        else:
            names = ", ".join(sorted(self.available_themes))
            self.notify(f"No theme {name!r}. Available: {names}", severity="warning",
                        markup=False)

    # -- actions (also the command palette's entries) --------------------------------------

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.binding_rows()))

    async def action_new_conversation(self) -> None:
        await self.chat_screen.action_new_conversation()

    def action_save_transcript(self) -> None:
        self.chat_screen.action_save_transcript()

    def action_copy_answer(self) -> None:
        self.chat_screen.action_copy_answer()

    def action_toggle_browser(self) -> None:
        self.chat_screen.action_toggle_browser()

    def action_toggle_explain(self) -> None:
        self.chat_screen.action_toggle_explain()

    def binding_rows(self) -> Iterator[tuple[str, str, str]]:
        """(where, keys, description) for every binding the user can press."""
        sources: list[tuple[str, list[Any]]] = [
            ("anywhere", self.BINDINGS), ("chat", ChatScreen.BINDINGS),
            ("input", ChatInput.BINDINGS), ("suggestions", MarkdownView.BINDINGS),
            ("browser", TaxonomyTree.BINDINGS), ("help", HelpScreen.BINDINGS),
        ]
        for where, bindings in sources:
            for binding in bindings:
                keys = " / ".join(
                    self.get_key_display(Binding(key.strip(), binding.action))
                    for key in binding.key.split(","))
                yield where, keys, binding.description
            if where == "input":
                yield where, "enter", "Send the question (or run a /command)"
                yield where, "//", "Start a question with / (sent without the first /)"
                yield where, "→", "Accept the completion (cursor at the end)"
