"""The Bot: loads knowledge and intents once, then runs the pipeline for each message.

normalise -> resolve entities -> match intent -> dialogue policy -> answer. Each stage is a
separate object built here and never changed afterwards, so one Bot can serve many threads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import cache, datafiles
from .answer import ANSWER_NAMES, Composer
from .context import Context, KnownIds
from .entities import EntityResolver
from .intents import IntentCatalog
from .knowledge import KnowledgeBase
from .matcher import IntentMatcher
from .normalise import MAX_INPUT_CHARS, normalise
from .policy import Decision, Policy
from .reply import Reply, Trace

if TYPE_CHECKING:
    from .conversation import Conversation

DEFAULT_THRESHOLD = 0.04
"""Below this matcher score a message is out of scope. Chosen from data:
``bot.calibration.choose_threshold`` over held-out scores of the bot's own intents (5-fold
``cross_validate``, seeds 0-2) gave per-fold thresholds of 0.023-0.066, mean 0.040; over all
examples at once 0.008-0.026, which let "how do vaccines work?" through. Most out-of-scope
messages never need it: the ``out_of_scope`` intent's examples claim them first."""

_NO_TOPIC = frozenset({"fallback", "greet", "thanks", "goodbye", "help", "identity", "source"})


@dataclass(frozen=True)
class _Built:
    """Everything slow to build, as one picklable value for the compiled cache."""

    kb: KnowledgeBase
    catalog: IntentCatalog
    matcher: IntentMatcher
    resolver: EntityResolver


APOLOGY = ("Sorry, something went wrong on my side while answering that question. "
           "Please ask another one (or the same one in other words): the conversation "
           "goes on.")
"""The one reply written in Python: it must work when the templates or any stage do not."""


def _apology(text: str, err: BaseException) -> Reply:
    import traceback  # only on this rare path

    frames = traceback.extract_tb(err.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno} in {frames[-1].name}" \
        if frames else ""
    error = f"{type(err).__name__}: {err}"[:500] + where
    return Reply(text=APOLOGY, intent="fallback", confidence=0.0,
                 trace=Trace(normalised=text[:MAX_INPUT_CHARS], decision="error",
                             error=error))


def _build(extra: list[Path], kdir: Path, idir: Path, threshold: float | None) -> _Built:
    # The YAML path, imported only when the compiled cache cannot answer.
    from .intents_loader import load_intents
    from .knowledge_loader import load_knowledge

    kb = load_knowledge(extra, kdir)
    catalog = load_intents(idir, ANSWER_NAMES)
    matcher = IntentMatcher.from_examples(catalog.examples(), threshold)
    resolver = EntityResolver(kb, catalog.common_words, matcher.vocabulary,
                              catalog.lexicon.stopwords, catalog.lexicon.category_heads,
                              catalog.lexicon.coordinators)
    return _Built(kb, catalog, matcher, resolver)


class Bot:
    """Loaded once, immutable afterwards: share one Bot between threads and conversations."""

    def __init__(self, extra_knowledge: str | Path | Iterable[str | Path] = (),
                 knowledge_dir: Path | None = None, intents_dir: Path | None = None,
                 threshold: float | None = None, use_cache: bool = True) -> None:
        """``threshold``: the matcher score below which a message is out of scope. By
        default DEFAULT_THRESHOLD for the bundled intents; for an ``intents_dir`` of one's
        own, chosen from its examples (see ``IntentMatcher.from_examples``)."""
        if threshold is None and intents_dir is None:
            threshold = DEFAULT_THRESHOLD
        # One path given bare is one path, never the characters of a string.
        extra = ([Path(extra_knowledge)] if isinstance(extra_knowledge, (str, Path))
                 else [Path(p) for p in extra_knowledge])
        kdir = knowledge_dir or datafiles.knowledge_dir()
        idir = intents_dir or datafiles.intents_dir()
        with datafiles.readable_twice(extra) as extra:  # a pipe is read once, here
            files = [*datafiles.yaml_files(kdir), *datafiles.data_files(idir)]
            for p in extra:
                files.extend(datafiles.yaml_files(p) if p.is_dir() else [p])
            key = cache.cache_key(files, f"{threshold}")
            built = cache.load(key) if use_cache else None
            if not isinstance(built, _Built):
                built = _build(extra, kdir, idir, threshold)
                if use_cache:
                    cache.store(key, built)
        self.kb: KnowledgeBase = built.kb
        self.catalog: IntentCatalog = built.catalog
        self.matcher: IntentMatcher = built.matcher
        self.resolver: EntityResolver = built.resolver
        self.policy = Policy(self.catalog, self.matcher.threshold,
                             {c.id: c.dimension_id for c in self.kb.categories},
                             self._developer_of)
        self.composer = Composer(self.kb, self.catalog, self.resolver.closest_names)
        self._known = KnownIds(
            models=self.kb.model_id_set,
            categories=frozenset(c.id for c in self.kb.categories),
            dimensions=frozenset(d.id for d in self.kb.dimensions),
            intents=frozenset(i.name for i in self.catalog.intents),
            pending_intents=frozenset(i.name for i in self.catalog.intents
                                      if i.slot("model") is not None),
            is_source=self._is_source)

    def _is_source(self, text: str) -> bool:
        """Whether the bot could have cited ``text``: the source taxonomy, or "Model: ref"
        with a reference that model's facts or placements carry."""
        if text == self.composer.seed_source:
            return True
        name, _, ref = text.partition(": ")
        for row, known in enumerate(self.kb.model_names):
            if known != name:
                continue
            mid = self.kb.model_ids[row]
            model = self.kb.model(mid)
            refs = {model.reference, *(r for _, r in model.fact_references),
                    *(p.reference for p in self.kb.placements_of(mid))}
            if ref in refs:
                return True
        return False

    def _developer_of(self, model_id: str) -> str:
        return self.kb.model(model_id).developer if self.kb.has_model(model_id) else ""

    # -- public API -----------------------------------------------------------------------
    def ask(self, text: str) -> Reply:
        """One stateless turn."""
        return self.respond(text, Context())[0]

    def conversation(self, state: Mapping[str, Any] | None = None) -> Conversation:
        from .conversation import Conversation  # (and threading) not needed for one answer

        ctx = Context.from_dict(state, self._known) if state is not None else None
        return Conversation(self, ctx)

    def names(self) -> tuple[str, ...]:
        """Every model, category and dimension name: for completion in front-ends."""
        out = [*self.kb.model_names, *(c.name for c in self.kb.categories)]
        out += [d.name for d in self.kb.dimensions]
        return tuple(dict.fromkeys(out))

    # -- the pipeline ---------------------------------------------------------------------
    def respond(self, text: str, ctx: Context) -> tuple[Reply, Context]:
        """One turn. The last line of defence lives here: whatever a stage raises becomes a
        short apology whose trace names the error, so a user never sees a traceback, a
        chat session never dies, and tests and fuzzers still fail on ``trace.error``."""
        if not isinstance(text, str):
            raise TypeError(f"ask() takes text, got {type(text).__name__}")
        try:
            return self._respond(text, ctx)
        except Exception as err:  # noqa: BLE001 - the one place every failure is caught
            return _apology(text, err), replace(
                ctx, pending_intent="", pending_candidates=(), pending_categories=(),
                pending_dimension="", turns=ctx.turns + 1)

    def _respond(self, text: str, ctx: Context) -> tuple[Reply, Context]:
        nt = normalise(text)
        res = self.resolver.resolve(nt)
        ranking = self.matcher.match(res.slot_text)
        decision = self.policy.decide(nt, res, ranking, ctx)
        if decision.intent == "fallback" and nt.truncated:
            decision = Decision("fallback", decision.confidence, note="truncated")
        seed = f"{ctx.turns}:{nt.text}"
        body, suggestions, sources, shown = self.composer.compose(decision, ctx, seed)
        if nt.truncated and decision.note != "truncated":
            body += (f"\n\n*(Your message was long; I read only its first "
                     f"{MAX_INPUT_CHARS:,} characters.)*")
        intent = ("clarify" if decision.ambiguity is not None else decision.intent)
        trace = Trace(normalised=nt.text, slot_text=res.slot_text, ranking=tuple(ranking[:5]),
                      entities=res.entities, unknown=res.unknown,
                      context_slots=decision.context_slots,
                      decision=decision.note or intent)
        reply = Reply(text=body, intent=intent, confidence=decision.confidence,
                      entities=res.entities, suggestions=suggestions, sources=sources,
                      trace=trace)
        return reply, self._next_context(ctx, decision, sources, shown)

    def _next_context(self, ctx: Context, d: Decision, sources: tuple[str, ...],
                      shown: tuple[str, ...]) -> Context:
        turns = ctx.turns + 1
        if d.pending:
            candidates = tuple(c.id for c in d.ambiguity.candidates) if d.ambiguity else ()
            return replace(ctx, pending_intent=d.pending, pending_candidates=candidates,
                           pending_categories=d.categories, pending_dimension=d.dimension,
                           turns=turns)
        if d.intent in _NO_TOPIC or d.unknown:
            # Small talk, fallbacks and unknown names leave the topic as it was.
            return replace(ctx, pending_intent="", pending_candidates=(), pending_categories=(),
                           pending_dimension="", turns=turns)
        return Context(intent=d.intent, models=d.models or ctx.models,
                       categories=d.categories or ctx.categories, excluded=d.excluded,
                       dimension=d.dimension or ctx.dimension, shown=shown,
                       sources=sources or ctx.sources, turns=turns)
