"""The main screen. It owns the conversation: the engine's Conversation, the transcript,
the queue of questions waiting for an answer, and the last reply."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Input

from bot.safe_text import strip_controls

from ..completion import NameSuggester
from ..messages import BotLoaded
from ..storage import atomic_write_text
from ..text import EXAMPLES, SLASH_COMMANDS, WELCOME
from ..widgets import (
    BotMessage,
    ChatInput,
    ChatLog,
    ErrorMessage,
    ExplainPanel,
    MarkdownView,
    NodeRef,
    PendingMessage,
    TaxonomyBrowser,
    UserMessage,
    WelcomeMessage,
)
from ..widgets.chat_input import MAX_PASTED_LINES
from ..widgets.footer import FIRST_BELOW, ChatFooter

if TYPE_CHECKING:
    from ..app import TaxobotApp
    from ..protocol import BotLike, ConversationLike, ReplyLike


@dataclass
class Turn:
    """One line of the transcript."""

    role: str  # "user" | "bot" | "error"
    text: str


ECHO_AFTER = 0.05
"""Seconds a question waits to be shown on its own: an answer that comes sooner (nearly
all do) is shown with its question in one frame, instead of a frame for the question that
the answer must wait behind. Well under what a person notices."""
PENDING_AFTER = 0.2
"""Seconds an answer may take before a placeholder stands in for it: a quick answer then
takes the screen at once, with no placeholder flashing up and away."""


@dataclass
class Pending:
    question: str
    shown: UserMessage  # the question's message: the answer goes after it
    generation: int
    placeholder: PendingMessage | None = None
    echoed: bool = False
    done: bool = False


class ChatScreen(Screen[None]):
    """The chat: log, input, taxonomy browser and explain panel."""

    AUTO_FOCUS = "#input"

    BINDINGS = [
        # priority: keys work wherever focus is (ctrl+e would otherwise be the Input's "end")
        Binding("ctrl+b", "toggle_browser", "Browser", id="toggle-browser", priority=True),
        Binding("ctrl+e", "toggle_explain", "Explain", id="toggle-explain", priority=True),
        Binding("ctrl+n", "new_conversation", "New", id="new-conversation", priority=True),
        Binding("ctrl+s", "save_transcript", "Save", id="save-transcript", priority=True),
        Binding("ctrl+y", "copy_answer", "Copy", tooltip="Copy the last answer",
                id="copy-answer", priority=True),
        Binding("escape", "focus_input", "Back to the input", show=False, id="focus-input"),
        Binding("pageup", "scroll_log(-1)", "Scroll the chat up", show=False, id="log-page-up"),
        Binding("pagedown", "scroll_log(1)", "Scroll the chat down", show=False,
                id="log-page-down"),
    ]

    class Answered(Message):
        """Posted from the worker thread when the engine has replied (or failed)."""

        def __init__(self, pending: Pending, reply: ReplyLike | None, error: BaseException | None
                     ) -> None:
            super().__init__()
            self.pending = pending
            self.reply = reply
            self.error = error

    def __init__(self) -> None:
        super().__init__(id="chat")
        self.bot: BotLike | None = None
        self.bot_error = ""
        self.conversation: ConversationLike | None = None
        self.transcript: list[Turn] = []
        self.last_reply: ReplyLike | None = None
        self.last_saved: Path | None = None
        self._queue: deque[Pending] = deque()
        self._busy = False
        self._generation = 0

    @property
    def taxobot(self) -> TaxobotApp:
        return self.app  # type: ignore[return-value]

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="body"):
            yield TaxonomyBrowser(id="browser")
            with Vertical(id="main"):
                yield ChatLog(id="log")
                chat_input = ChatInput(history=self.taxobot.history, id="input",
                                       placeholder="Ask about the LLM taxonomy…  (F1 help)")
                chat_input.cursor_blink = self.taxobot.cursor_blink
                yield chat_input
            yield ExplainPanel(id="explain")
        yield ChatFooter()

    def on_mount(self) -> None:
        self.sub_title = "loading the knowledge base…"
        self.show_welcome()
        self.call_after_refresh(self.taxobot.mark_first_paint)

    _footer_first = False

    def on_resize(self, event: events.Resize) -> None:
        # Narrow terminals: a tighter footer so every key still shows.
        footer = self.query_one(ChatFooter)
        narrow = event.size.width < 90
        footer.compact = narrow
        footer.show_command_palette = not narrow
        if (event.size.width < FIRST_BELOW) != self._footer_first:
            self._footer_first = event.size.width < FIRST_BELOW  # Quit and Help first
            footer.refresh(recompose=True)

    @property
    def log_view(self) -> ChatLog:
        return self.query_one("#log", ChatLog)

    @property
    def input(self) -> ChatInput:
        return self.query_one("#input", ChatInput)

    @property
    def explain(self) -> ExplainPanel:
        return self.query_one("#explain", ExplainPanel)

    @property
    def browser(self) -> TaxonomyBrowser:
        return self.query_one("#browser", TaxonomyBrowser)

    def show_welcome(self) -> None:
        self.log_view.add(WelcomeMessage(Content.from_markup(WELCOME), EXAMPLES))

    # -- the engine ------------------------------------------------------------------------

    def on_bot_loaded(self, message: BotLoaded) -> None:
        if message.bot is None:
            self.bot_error = message.error or "unknown error"
            self.sub_title = "knowledge base not loaded"
            self.log_view.add(ErrorMessage(
                f"The knowledge base could not be loaded ({self.bot_error}). "
                "Questions cannot be answered in this session."))
            for pending in self._queue:
                self._fail(pending, None)
            self._queue.clear()
            return
        bot = message.bot
        self.bot = bot
        self.conversation = bot.conversation()
        self.input.suggester = NameSuggester(bot.names(), SLASH_COMMANDS)
        self.browser.set_knowledge(bot.kb)
        self.sub_title = "the LLM taxonomy, explained"
        self._pump()
        self.taxobot.warm_up()

    def ask(self, question: str) -> None:
        """Show the question, queue it for the engine and answer in order."""
        question = question.strip()
        if not question:
            return
        self.transcript.append(Turn("user", strip_controls(question)))
        self.log_view.scroll_end(animate=False)  # asking is a choice to look at the newest
        shown = UserMessage(strip_controls(question))
        if self.bot_error:
            self.log_view.add(shown)
            self._fail_now(question, f"The knowledge base is not loaded ({self.bot_error}).")
            return
        pending = Pending(question, shown, self._generation)
        answered_now = self.conversation is not None and not self._queue
        self._queue.append(pending)
        if answered_now:
            self.set_timer(ECHO_AFTER, lambda: self._echo(pending))
        else:
            self._echo(pending)  # it waits for the engine or for earlier questions
        self.set_timer(PENDING_AFTER, lambda: self._show_pending(pending))
        self._pump()

    def _echo(self, pending: Pending) -> None:
        """Show ``pending``'s question, and any asked before it still unshown, in order."""
        if pending.echoed or pending.generation != self._generation:
            return
        queue = list(self._queue)
        before = queue[:queue.index(pending)] if pending in queue else []
        for earlier in [*before, pending]:
            if not earlier.echoed:
                earlier.echoed = True
                self.log_view.add(earlier.shown)

    def _show_pending(self, pending: Pending) -> None:
        if not pending.done and pending.generation == self._generation:
            self._echo(pending)
            pending.placeholder = PendingMessage()
            self.log_view.mount(pending.placeholder, after=pending.shown)

    def _pump(self) -> None:
        if self._busy or not self._queue or self.conversation is None:
            return
        self._busy = True
        self._answer(self._queue[0], self.conversation)

    @work(thread=True, group="ask", exit_on_error=False)
    def _answer(self, pending: Pending, conversation: ConversationLike) -> None:
        try:
            reply = conversation.ask(pending.question)
        except Exception as err:  # the engine failed: say so, keep running
            self.post_message(self.Answered(pending, None, err))
        else:
            self.post_message(self.Answered(pending, reply, None))

    async def on_chat_screen_answered(self, message: Answered) -> None:
        pending = message.pending
        pending.done = True
        if self._queue and self._queue[0] is pending:
            self._queue.popleft()
        self._busy = False
        if pending.generation == self._generation:
            with self.app.batch_update():  # one frame for the answer, not one per part
                self._echo(pending)
                if message.reply is not None:
                    reply = message.reply
                    self.last_reply = reply
                    text = strip_controls(reply.text)
                    self.transcript.append(Turn("bot", text))
                    self.log_view.archive_chips()
                    await self.log_view.mount(BotMessage(text, reply.suggestions),
                                              after=pending.placeholder or pending.shown)
                    self.explain.show_reply(pending.question, reply)
                else:
                    self._fail(pending, message.error)
                if pending.placeholder is not None:
                    await pending.placeholder.remove()
            self.call_after_refresh(self.taxobot.keep)  # after the answer's frame
        self._pump()

    def _fail(self, pending: Pending, error: BaseException | None) -> None:
        reason = f" ({type(error).__name__})" if error is not None else ""
        text = (f"Sorry, something went wrong while answering that{reason}. "
                "Your question is kept: it is back in the input (or press ↑).")
        self.transcript.append(Turn("error", text))
        pending.done = True
        self.log_view.mount(ErrorMessage(text), after=pending.placeholder or pending.shown)
        if pending.placeholder is not None:
            pending.placeholder.remove()
        self._restore(pending.question)

    def _fail_now(self, question: str, text: str) -> None:
        self.transcript.append(Turn("error", text))
        self.log_view.add(ErrorMessage(text))
        self._restore(question)

    def _restore(self, question: str) -> None:
        if not self.input.value:
            self.input.value = question
            self.input.cursor_position = len(question)

    # -- input and widgets -----------------------------------------------------------------

    @on(Input.Submitted, "#input")
    def _submitted(self, event: Input.Submitted) -> None:
        # The input is already empty (ChatInput clears it on Enter, so keys typed meanwhile
        # start the next question).
        text = event.value.strip()
        if not text:
            return
        command = text.startswith("/") and not text.startswith("//")
        if command and not self.run_slash(text):
            self._restore(text)  # unknown command: back in the input to fix
            return
        self.input.remember(text)
        self.taxobot.save_history()
        if not command:
            self.ask(text[1:] if text.startswith("//") else text)  # "//x" asks "/x"

    @on(ChatInput.PasteRefused)
    def _paste_refused(self, event: ChatInput.PasteRefused) -> None:
        self.notify(f"That paste has {event.lines} lines: too many to send one by one as "
                    f"questions (at most {MAX_PASTED_LINES}). Nothing was sent.",
                    severity="warning")

    @on(ChatInput.LeaveRequested)
    def _leave_input(self) -> None:
        chips = self.log_view.latest_chips()
        if chips is not None and chips.focus_first():
            return
        if self.has_class("-show-browser"):
            self.browser.taxonomy.focus()

    @on(MarkdownView.Chosen)
    def _chip(self, event: MarkdownView.Chosen) -> None:
        self.input.focus()
        self.ask(event.question)

    @on(TaxonomyBrowser.Chosen)
    def _browsed(self, event: TaxonomyBrowser.Chosen) -> None:
        self.ask(self.question_about(event.node))

    @staticmethod
    def question_about(node: NodeRef) -> str:
        if node.kind == "model":
            return f"Tell me about {node.name}"
        return f"What is {node.name}?"

    # -- slash commands --------------------------------------------------------------------

    def run_slash(self, text: str) -> bool:
        """Run a slash command; False (with a warning) if there is no such command."""
        command, _, arg = text.partition(" ")
        command, arg = command.casefold(), arg.strip()
        if command in ("/help", "/?"):
            self.taxobot.action_help()
        elif command == "/new":
            self.run_worker(self.action_new_conversation(), group="ui")
        elif command in ("/save", "/save!"):
            self.action_save_transcript(arg, replace=command == "/save!")
        elif command == "/copy":
            self.action_copy_answer()
        elif command == "/theme":
            if arg:
                self.taxobot.set_theme(arg)
            else:
                self.app.action_change_theme()
        elif command == "/browser":
            self.action_toggle_browser()
        elif command == "/explain":
            self.action_toggle_explain()
        elif command in ("/quit", "/exit"):
            self.app.exit()
        else:
            known = " ".join(SLASH_COMMANDS)
            self.notify(f"No command {command}. Known: {known}", severity="warning",
                        markup=False)
            return False
        return True

    # -- actions ---------------------------------------------------------------------------

    def action_scroll_log(self, direction: int) -> None:
        # A user scroll: scrolling up stops following new messages until back at the bottom.
        if direction < 0:
            self.log_view.scroll_page_up(animate=False)
        else:
            self.log_view.scroll_page_down(animate=False)

    def action_focus_input(self) -> None:
        self.input.focus()

    def action_toggle_browser(self) -> None:
        self.toggle_class("-show-browser")
        if self.has_class("-show-browser"):
            self.browser.fill()
            tree = self.browser.taxonomy
            if tree.cursor_line < 0 and tree.root.children:
                tree.cursor_line = 0
            tree.focus()
        else:
            self.input.focus()

    def action_toggle_explain(self) -> None:
        self.toggle_class("-show-explain")

    async def action_new_conversation(self) -> None:
        self._generation += 1
        self._queue.clear()
        if self.bot is not None:
            self.conversation = self.bot.conversation()
        self.transcript.clear()
        self.last_reply = None
        self.explain.clear()
        await self.log_view.remove_children()
        self.taxobot.release()
        self.show_welcome()
        self.input.focus()
        self.notify("New conversation: the context is cleared.")

    def transcript_markdown(self) -> str:
        lines = ["# taxobot transcript", "", f"Saved {time.strftime('%Y-%m-%d %H:%M')}.", ""]
        for turn in self.transcript:
            if turn.role == "user":
                lines += ["## You", ""]
                lines += [f"> {line}" if line else ">" for line in turn.text.splitlines()]
            else:
                lines += ["## taxobot", "", turn.text]
            lines.append("")
        return "\n".join(lines)

    def action_save_transcript(self, target: str = "", replace: bool = False) -> None:
        if not self.transcript:
            self.notify("Nothing to save yet: ask a question first.", severity="warning")
            return
        text = self.transcript_markdown()
        if target:
            candidates = [Path(target).expanduser()]
        else:
            stamp = time.strftime('%Y%m%d-%H%M%S')
            names = [f"taxobot-{stamp}.md", *(f"taxobot-{stamp}-{n}.md" for n in range(2, 9))]
            candidates = [*(self.taxobot.storage.root / "transcripts" / n for n in names),
                          *(Path.cwd() / n for n in names)]
        errors = []
        for path in candidates:
            try:
                atomic_write_text(path, text, overwrite=replace)
            except FileExistsError:
                if target:
                    self.notify(f"{path} already exists: not replaced. Give a new name, or "
                                f"/save! {target} to replace it.", severity="warning",
                                markup=False)
                    return
                continue
            except OSError as err:
                errors.append(f"{path}: {err.strerror or err}")
                continue
            self.last_saved = path
            self.notify(f"Transcript saved to {path}", title="Saved", markup=False)
            return
        self.notify("Could not save the transcript: " + "; ".join(errors), severity="error",
                    markup=False)

    def action_copy_answer(self) -> None:
        if self.last_reply is None:
            self.notify("No answer to copy yet.", severity="warning")
            return
        self.app.copy_to_clipboard(self.last_reply.text)
        self.notify("Copied the last answer to the clipboard.", title="Copied")
