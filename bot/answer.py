"""Stage 5: a decision to Markdown, facts from the knowledge base, wording from intents/.

Each composer gathers facts into named fields; the template (trusted text from intents/)
is filled with them. User text only ever appears as a field value, inside an inert code span.
The category answers and the model answers live in their own modules; this one dispatches.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence

from .answer_base import Answer, code_span, join_names, lower_name
from .answer_categories import CategoryAnswers
from .answer_models import ModelAnswers
from .concept_answers import ANSWER_NAMES as CONCEPT_ANSWER_NAMES
from .context import Context
from .decision import Decision
from .intents import IntentCatalog
from .knowledge import KnowledgeBase, Model
from .normalise import MAX_INPUT_CHARS

__all__ = ["ANSWER_NAMES", "Answer", "Composer", "code_span", "join_names", "lower_name"]

ANSWER_NAMES = (
    "classify", "model_dimension", "examples", "more_examples", "describe_category",
    "list_dimensions", "list_categories", "list_all_categories", "taxonomy_size",
    "category_dimension", "membership", "choice", "compare", "filter", "model_fact",
    "model_about", "similar", "source", "static", "fallback", "clarify", "unknown", "followup",
    "explain_that", "developer_models", *CONCEPT_ANSWER_NAMES,
)

_OWN = {**{name: name for name in (
    "classify", "model_dimension", "examples", "more_examples", "describe_category",
    "list_dimensions", "list_categories", "list_all_categories", "taxonomy_size",
    "category_dimension", "membership", "choice", "compare", "filter", "model_fact",
    "model_about", "similar", "source", "static", "developer_models")},
    **dict.fromkeys(("fallback", "clarify", "unknown", "followup", "explain_that"), "static")}
"""The answers the Composer itself writes: answer name -> its method's name."""


class Composer(CategoryAnswers, ModelAnswers):
    """Holds the knowledge and the intents; every method is a pure function of its inputs."""

    def __init__(self, kb: KnowledgeBase, catalog: IntentCatalog,
                 closest: Callable[[str, int], list[str]],
                 extra: dict[str, Callable[[Decision, Context], Answer]] | None = None,
                 membership_note: Callable[[str, str], str] = lambda model, category: "",
                 curated_kinds: Callable[[str], str] = lambda model: "") -> None:
        """``membership_note`` adds what a curated fact qualifies about a model's place in a
        category ("open source" under a licence that restricts use)."""
        super().__init__(kb, catalog)
        self._closest = closest
        self.membership_note = membership_note
        self.curated_kinds = curated_kinds
        # Answers of other objects by name; this one's own are looked up on it at each
        # answer (see _OWN): bound methods of itself held here would make it a cycle.
        self._handlers: dict[str, Callable[[Decision, Context], Answer]] = dict(extra or {})

    def suggest(self, intent: str, models: Sequence[Model], categories: Sequence[str]
                ) -> tuple[str, ...]:
        """Follow-ups for a query's answer: the intent's own suggestions, filled with the
        first model and category the answer is about (unfillable ones are dropped)."""
        spec = self.catalog.get(intent)
        if spec is None:
            return ()
        fields: dict[str, str] = {}
        if models:
            fields["model"] = models[0].name
        if categories:
            fields.update(self._cat_fields(categories[0]))
        return tuple(s for s in (_fill(t, fields) for t in spec.suggestions) if s)

    # -- entry point ----------------------------------------------------------------------
    def compose(self, decision: Decision, ctx: Context, seed: str
                ) -> tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """Text, suggestions, sources and the model ids shown (for "more examples")."""
        name = decision.intent
        if decision.unknown:
            name = "unknown"
            answer = self.unknown(decision)
        elif decision.ambiguity is not None:
            name = "clarify"
            answer = self.clarify(decision)
        else:
            spec = self.catalog.get(name)
            answer = (self._handler(spec.answer)(decision, ctx) if spec
                      else Answer("answer"))
        spec = self.catalog.get(name)
        if spec is None:
            spec = self.catalog.get("fallback")
            assert spec is not None
        variants = spec.template(answer.outcome) or spec.template("answer")
        if answer.outcome == "several" and not spec.template("several"):
            variants = ("{items}",)  # an answer about several things is their list
        if not variants:
            return "", (), answer.sources, answer.shown
        template = variants[zlib.crc32(seed.encode("utf-8", "replace")) % len(variants)]
        text = template.format_map(_Fields(answer.fields))
        suggestions = answer.suggestions or tuple(
            s for s in (_fill(t, answer.fields) for t in spec.suggestions) if s)
        return text.strip(), suggestions, answer.sources, answer.shown

    def _handler(self, answer: str) -> Callable[[Decision, Context], Answer]:
        found = self._handlers.get(answer)
        return found if found is not None else getattr(self, _OWN[answer])

    # -- small helpers --------------------------------------------------------------------

    def source(self, d: Decision, ctx: Context) -> Answer:
        if not ctx.sources:
            return Answer("none")
        return Answer("answer", {"sources": "\n".join(f"- {s}" for s in ctx.sources)},
                      ctx.sources)

    def static(self, d: Decision, ctx: Context) -> Answer:
        if d.intent == "fallback" and d.note == "truncated":
            return Answer("truncated", {"limit": f"{MAX_INPUT_CHARS:,}"})
        if d.intent == "clarify":
            return Answer("which_model")
        return Answer("answer")

    def unknown(self, d: Decision) -> Answer:
        close = self._closest(d.unknown, 3)
        tail = f" Did you mean {join_names(close, 'or')}?" if close else ""
        spec = self.catalog.get(d.intent)
        suggestions: tuple[str, ...] = ()
        if close and spec is not None and spec.examples:
            suggestions = tuple(f"Tell me about {c}" for c in close)
        return Answer("answer", {"name": code_span(d.unknown), "close": tail},
                      suggestions=suggestions)

    def clarify(self, d: Decision) -> Answer:
        assert d.ambiguity is not None
        names = [c.name for c in d.ambiguity.candidates]
        return Answer("answer", {"text": code_span(d.ambiguity.text),
                                 "candidates": join_names(names, "or")},
                      suggestions=tuple(names))

class _Fields(dict[str, str]):
    """Missing template fields render empty rather than raising mid-answer."""

    def __missing__(self, key: str) -> str:
        return ""


def _fill(template: str, fields: dict[str, str]) -> str:
    """A suggestion whose fields are not all known is dropped, not shown half-filled."""
    try:
        text = template.format_map(fields)
    except (KeyError, IndexError, ValueError):
        return ""
    return text if "  " not in text and not text.endswith(" ?") else ""
