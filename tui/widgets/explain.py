"""How the last question was understood: intent ranking, entities, slots from context."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from bot.safe_text import strip_controls

if TYPE_CHECKING:
    from ..protocol import ReplyLike

BAR_WIDTH = 10


def _bar(score: float) -> str:
    filled = max(0, min(BAR_WIDTH, round(score * BAR_WIDTH)))
    return "█" * filled + "░" * (BAR_WIDTH - filled)


def render_trace(question: str, reply: ReplyLike) -> Content:
    """Plain data to styled, literal Content. ``reply`` is a bot Reply (duck-typed)."""
    trace = reply.trace
    parts: list[str | tuple[str, str]] = [
        ("Question\n", "bold"), question, "\n",
        ("Read as  ", "dim"), trace.slot_text or trace.normalised or "—", "\n\n",
        ("Answered as\n", "bold"), (reply.intent, "bold $accent"),
        f"  confidence {reply.confidence:.2f}\n",
    ]
    if trace.decision:
        parts += [("decision ", "dim"), trace.decision, "\n"]
    parts.append(("\nIntent ranking\n", "bold"))
    if trace.ranking:
        for intent, score in trace.ranking:
            parts += [(_bar(score), "$primary"), f" {score:.2f} ", intent, "\n"]
    else:
        parts.append(("none\n", "dim"))
    parts.append(("\nEntities\n", "bold"))
    if trace.entities:
        for entity in trace.entities:
            parts += [(f"{entity.kind} ", "dim"), (str(entity.name), "bold"),
                      " ← ", f"“{entity.text}”", (f" {entity.score:.2f}", "dim"), "\n"]
    else:
        parts.append(("none\n", "dim"))
    if trace.unknown:
        parts += [("\nNot recognised\n", "bold"), ", ".join(trace.unknown), "\n"]
    parts.append(("\nFrom context\n", "bold"))
    if trace.context_slots:
        for slot, value in trace.context_slots:
            parts += [(f"{slot} ", "dim"), "= ", str(value), "\n"]
    else:
        parts.append(("nothing carried over\n", "dim"))
    # Entity text, unknown words and the question are the user's: no control sequence.
    return Content.assemble(*(strip_controls(p) if isinstance(p, str)
                              else (strip_controls(p[0]), p[1]) for p in parts))


class ExplainPanel(VerticalScroll, can_focus=False):
    """A side panel; :meth:`show_reply` fills it, :meth:`clear` empties it."""

    EMPTY = "Ask a question to see how it was understood."

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(Content(self.EMPTY), id="explain-body")

    def on_mount(self) -> None:
        self.border_title = "Explain"

    def show_reply(self, question: str, reply: ReplyLike) -> None:
        self.query_one("#explain-body", Static).update(render_trace(question, reply))

    def clear(self) -> None:
        self.query_one("#explain-body", Static).update(Content(self.EMPTY))

    @property
    def text(self) -> str:
        body = self.query_one("#explain-body", Static)
        return str(body.content)
