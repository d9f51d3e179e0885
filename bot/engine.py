"""The Bot: loads knowledge and intents once, then runs the pipeline for each message.

normalise -> resolve entities -> match intent -> dialogue policy -> answer. Each stage is a
separate object built here and never changed afterwards, so one Bot can serve many threads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import cache, datafiles
from .answer import ANSWER_NAMES, Composer
from .answer_concepts import ConceptComposer
from .concept_answers import licences_in, purpose_of
from .concepts import Concepts
from .context import Context, KnownIds
from .decision import Decision
from .entities import EntityResolver
from .execute import Executor
from .frozen import evolve
from .intents import IntentCatalog
from .interpret import FACT_ATTRIBUTE, Reading, interpret
from .knowledge import KnowledgeBase
from .matcher import IntentMatcher
from .mentions import find_mentions
from .normalise import MAX_INPUT_CHARS, NormalisedText, normalise
from .policy import Policy
from .query import Query
from .query_indexes import QueryIndexes, query_indexes
from .render_query import QueryRenderer
from .reply import Reply, Trace
from .resolution import Ref, Resolution
from .values import value

if TYPE_CHECKING:
    from .citations import Citations
    from .conversation import Conversation

DEFAULT_THRESHOLD = 0.24
"""Below this matcher score (a softmax probability over the intents) a message is out of
scope. Chosen from data: ``bot.calibration.choose_threshold`` over held-out scores of the
bot's own intents (5-fold ``cross_validate``, seeds 0-2) gave per-fold thresholds of 0 or
0.21-0.37, mean 0.24. Most out-of-scope
messages never need it: the ``out_of_scope`` intent's examples claim them first."""

_QUERY_INTENT = {"list": "filter", "count": "filter", "group": "filter", "pick": "compare",
                 "verdict": "compare", "value": "model_about", "cannot": "filter",
                 "is_from": "model_developer", "no_such": "classify_model",
                 "holds": "model_about"}
_SET_FORMS = ("list", "count", "group")
_NO_TOPIC = frozenset({"fallback", "greet", "thanks", "goodbye", "help", "identity", "source",
                       "fit_for_purpose"})  # a need, not a model or category to follow up on


_NO_CONTEXT = Context()  # a stateless turn's (frozen: one value serves every turn)


@value
class _Built:
    """Everything slow to build, as one picklable value for the compiled cache."""

    kb: KnowledgeBase
    catalog: IntentCatalog
    matcher: IntentMatcher
    resolver: EntityResolver
    concepts: Concepts
    indexes: QueryIndexes


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
    from .concepts_loader import known_from, load_concepts
    from .intents_loader import load_intents
    from .knowledge_checks import reserved_words
    from .knowledge_loader import _shown as shown
    from .knowledge_loader import load_knowledge

    catalog = load_intents(idir, ANSWER_NAMES)  # first: its words may not name a user's model
    kb = load_knowledge(extra, kdir, reserved_words(catalog))
    users = {shown(f) for p in extra for f in (datafiles.yaml_files(p) if p.is_dir() else [p])}
    concepts = load_concepts(kdir, known_from(kb, lambda file: file not in users))
    matcher = IntentMatcher.from_examples(catalog.examples(), threshold)
    names = [Ref("concept", cid, name) for name, cid in concepts.names()]
    names += [Ref("language", lang, name) for name, lang in concepts.language_names()]
    weak = [Ref("concept", cid, name) for name, cid in concepts.weak_names()]
    resolver = EntityResolver(kb, catalog.common_words, matcher.vocabulary,
                              catalog.lexicon.stopwords, catalog.lexicon.category_heads,
                              catalog.lexicon.coordinators, names, weak,
                              catalog.lexicon.copulas)
    return _Built(kb, catalog, matcher, resolver, concepts, query_indexes(kb))


# The stages' call-backs into the knowledge are plain functions of the data, never methods
# of the Bot: a Bot whose stages held its own bound methods would be a reference cycle, freed
# only by the cyclic collector in the middle of some later question (see bot.memo).
def _commercial(concepts: Concepts, licence_text: str) -> str:
    licence = concepts.licence_for(licence_text)
    return licence.commercial if licence else ""


def _licence_id(concepts: Concepts, licence_text: str) -> str:
    licence = concepts.licence_for(licence_text)
    return licence.id if licence else ""


def _licence_name(concepts: Concepts, licence_id: str) -> str:
    licence = concepts.licence_for(licence_id)
    return licence.name if licence else licence_id


def _concept_name(concepts: Concepts, concept_id: str) -> str:
    return concepts.concept(concept_id).name if concepts.has_concept(concept_id) else concept_id


def _concept_models(concepts: Concepts, kb: KnowledgeBase, concept_id: str
                    ) -> tuple[str, ...]:
    """A curated concept's models: its members, or every model of its access."""
    if not concepts.has_concept(concept_id):
        return ()
    c = concepts.concept(concept_id)
    if c.access:
        return tuple(m for m, a in zip(kb.model_ids, kb.column("access"), strict=True)
                     if a == c.access)
    return c.members


def _developer_of(kb: KnowledgeBase, model_id: str) -> str:
    return kb.model(model_id).developer if kb.has_model(model_id) else ""


class _Sources:
    """Whether the bot could have cited a text (see bot.citations), built on first use:
    only a resumed conversation's state asks."""

    def __init__(self, seed_source: str, kb: KnowledgeBase, concepts: Concepts) -> None:
        self._args = (seed_source, kb, concepts)
        self._citations: Citations | None = None

    def __call__(self, text: str) -> bool:
        if self._citations is None:
            from .citations import Citations

            self._citations = Citations(*self._args)
        return self._citations.recognises(text)


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
                found = datafiles.yaml_files(p) if p.is_dir() else [p]
                if not found:  # refused even when the cache has the bundled set ready
                    from .knowledge_checks import folder_problem
                    from .problems import DataError, Problem

                    raise DataError([Problem(str(p), 1, folder_problem(p))])
                files.extend(found)
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
        self.concepts: Concepts = built.concepts
        self.policy = Policy(self.catalog, self.matcher.threshold,
                             {c.id: c.dimension_id for c in self.kb.categories},
                             partial(_developer_of, self.kb))
        concept_answers = ConceptComposer(self.kb, self.concepts,
                                          self.catalog.operators.word_sets,
                                          self.catalog.lexicon.yes_no_openers)
        self._capability_asked = concept_answers.capability_asked
        self.composer = Composer(self.kb, self.catalog, self.resolver.closest_names,
                                 concept_answers.handlers(), concept_answers.licence_note,
                                 concept_answers.curated_line)
        self.executor = Executor(self.kb, partial(_commercial, self.concepts),
                                 partial(_licence_id, self.concepts), built.indexes,
                                 partial(_concept_models, self.concepts, self.kb))
        self.renderer = QueryRenderer(self.kb, self.catalog.operators.wording,
                                      partial(_licence_name, self.concepts),
                                      partial(_concept_name, self.concepts),
                                      self.catalog.operators.ordinals)
        self._as_of_year = int(self.kb.as_of[:4]) if self.kb.as_of else 2026
        self._fact_intent = {FACT_ATTRIBUTE.get(i.fact, i.fact): i.name
                             for i in self.catalog.intents if i.fact}
        sets = self.catalog.operators.word_sets  # words that send a question to licences_in
        self._licence_cues = sets.get("licence", frozenset()) | sets.get("model", frozenset())
        self._known = KnownIds(
            models=self.kb.model_id_set,
            categories=frozenset(c.id for c in self.kb.categories),
            dimensions=frozenset(d.id for d in self.kb.dimensions),
            intents=frozenset(i.name for i in self.catalog.intents),
            concepts=frozenset(cid for _, cid in self.concepts.names()),
            pending_intents=frozenset(i.name for i in self.catalog.intents
                                      if i.slot("model") is not None),
            is_source=_Sources(self.composer.seed_source, self.kb, self.concepts))

    # -- public API -----------------------------------------------------------------------
    def ask(self, text: str) -> Reply:
        """One stateless turn."""
        return self.respond(text, _NO_CONTEXT)[0]

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
        picked = self._candidate_picked(nt, res, ctx) if ctx.pending_candidates else ""
        if picked:  # "which Mistral do you mean?" -> "the 7B one"
            decision = Decision(ctx.pending_intent, 0.9, models=(picked,),
                                categories=ctx.pending_categories,
                                dimension=ctx.pending_dimension,
                                note="answer to a clarifying question")
        else:
            decision = self.policy.decide(nt, res, ranking, ctx)
        if (decision.intent == "model_modality" and decision.models and nt.tokens
                and nt.tokens[0].text in self.catalog.lexicon.yes_no_openers
                and self._capability_asked(nt.text)):
            # "can GPT-4 understand images?": a yes/no on an ability, not the modality list
            decision = evolve(decision, intent="can_generate")
        if decision.intent == "fallback" and nt.truncated:
            decision = Decision("fallback", decision.confidence, note="truncated")
        # (a picked candidate is answered by the intent asked: "the 7B one" is no filter)
        query = None if picked else self._interpret(nt, res, decision, ctx)
        if query is not None and query.form == "describe":  # "the second one"
            decision = Decision("model_about", max(decision.confidence, 0.6),
                                models=query.subjects, note="an item of the last list")
            query = None
        elif (query is not None and query.form == "cannot" and not query.subjects
              and purpose_of(nt.text, self.concepts) is not None):
            # "good models for code generation?": the models built for that need, with the
            # caveat that nothing is ranked, rather than a refusal to rank
            decision = evolve(decision, intent="fit_for_purpose", question=nt.text,
                               confidence=max(decision.confidence, 0.5))
            query = None
        elif query is not None and query.form == "dimension_list":  # its categories, counted
            decision = Decision("list_categories", max(decision.confidence, 0.6),
                                dimension=query.dimension, note="how many categories")
            query = None
        seed = f"{ctx.turns}:{nt.text}"
        if query is not None:
            result = self.executor.run(query)
            body = self.renderer.render(result)
            suggestions = self.composer.suggest(decision.intent, result.models,
                                                query.categories)
            sources = tuple(dict.fromkeys(f"{m.name}: {m.reference}" for m in result.models))
            shown = result.all_ids
            spec = self.catalog.get(decision.intent)
            keep = query.form == "value" and spec is not None and bool(spec.fact)
            told = (self._fact_intent.get(query.projection.split(",")[0], "")
                    if query.form == "value" else "")  # "the sizes of X" -> "and Y?": sizes
            decision = evolve(decision,
                               intent=(decision.intent if keep
                                       else told or _QUERY_INTENT[query.form]),
                               confidence=max(decision.confidence, 0.5), unknown="",
                               ambiguity=None, pending="",
                               models=query.subjects or decision.models,
                               categories=query.categories, excluded=query.excluded)
        else:
            body, suggestions, sources, shown = self.composer.compose(decision, ctx, seed)
        if nt.truncated and decision.note != "truncated":
            body += (f"\n\n*(Your message was long; I read only its first "
                     f"{MAX_INPUT_CHARS:,} characters.)*")
        intent = ("clarify" if decision.ambiguity is not None else decision.intent)
        trace = Trace(normalised=nt.text, slot_text=res.slot_text, ranking=tuple(ranking[:5]),
                      entities=res.entities, unknown=res.unknown,
                      context_slots=decision.context_slots,
                      decision=decision.note or intent,
                      query=query.render() if query is not None else "")
        reply = Reply(text=body, intent=intent, confidence=decision.confidence,
                      entities=res.entities, suggestions=suggestions, sources=sources,
                      trace=trace)
        terms = query.to_terms() if query is not None and query.form in _SET_FORMS else ()
        if query is None and decision.intent == "developer_models" and decision.developer:
            terms = Query("list", developer=decision.developer, categories=decision.categories,
                          excluded=decision.excluded).to_terms()  # "which of those …" next
        return reply, self._next_context(ctx, decision, sources, shown, terms)

    def _interpret(self, nt: NormalisedText, res: Resolution, d: Decision, ctx: Context
                   ) -> Query | None:
        ops = self.catalog.operators
        mentions = find_mentions(nt, res, ops, self._as_of_year, self.resolver.is_word)
        toks = nt.words
        lex = self.catalog.lexicon
        devs = res.of_kind("developer")
        not_from = self.policy.negations.applied(nt.tokens, devs, res.entities)
        negated = tuple(e.id for e in devs if e.id in not_from)
        licences = licences_in(nt.text, self.concepts) if res.of_kind("model") or any(
            t in self._licence_cues for t in toks) or ctx.query else ()
        concept, concept_name = self._concept_filter(res)
        if not (mentions.any or licences or ctx.query or mentions.list_ref or mentions.narrow
                or (mentions.their and ctx.models)
                or (concept and (res.of_kind("category") or res.of_kind("developer")
                                 or d.intent == "describe_concept"))
                or mentions.attribute or mentions.variants or negated or d.intent == "filter"
                or len(res.of_kind("model")) > 1 or len(res.of_kind("category")) > 1
                or (res.of_kind("developer") and (res.of_kind("category")
                                                  or res.of_kind("model")))
                or (res.of_kind("model") and toks and toks[0] in lex.yes_no_openers)):
            return None
        # Off-topic text stays off topic; a follow-up is on the topic it follows.
        in_domain = (bool(res.entities) or bool(licences)
                     or any(t in ops.word_sets.get("domain", ()) for t in toks)
                     or bool(ctx.models or ctx.query or ctx.categories or ctx.excluded))
        if d.intent == "fallback" and not in_domain:
            return None
        spec = self.catalog.get(d.intent)
        reading = Reading(nt, res, mentions, fact=spec.fact if spec else "",
                          yes_no=bool(toks) and toks[0] in lex.yes_no_openers,
                          yes_no_intent=bool(spec and spec.form == "yes_no"),
                          negated_developers=negated, word_sets=ops.word_sets,
                          licence=licences[0].id if licences else "", concept=concept,
                          concept_name=concept_name,
                          concept_by_access=bool(concept)
                          and not self.concepts.concept(concept).members)
        return interpret(d, reading, ctx, self.kb)

    def _candidate_picked(self, nt: NormalisedText, res: Resolution, ctx: Context) -> str:
        """The one candidate of a clarifying question that a reply naming no model picks by
        a size, a year or a place ("the 7B one", "the 2024 one", "the second one")."""
        if res.of_kind("model") or not ctx.pending_intent or len(nt.tokens) > 6:
            return ""
        m = find_mentions(nt, res, self.catalog.operators, self._as_of_year)
        candidates = ctx.pending_candidates
        if m.ordinal and not m.constraints:
            index = m.ordinal - 1 if m.ordinal > 0 else len(candidates) - 1
            return candidates[index] if 0 <= index < len(candidates) else ""
        if m.superlative is not None and not m.constraints:  # "the biggest one"
            ranked = self.executor.run(Query("pick", subjects=candidates, order=m.superlative))
            best = ranked.models[:2]
            if best and self.renderer.fact(best[0], m.superlative.attribute) != (
                    self.renderer.fact(best[1], m.superlative.attribute) if len(best) > 1
                    else None) and not ranked.missing:
                return best[0].id
            return ""
        fits = [c for c in candidates if m.constraints and self.executor.meets(c, m.constraints)]
        return fits[0] if len(fits) == 1 else ""

    def _concept_filter(self, res: Resolution) -> tuple[str, str]:
        """The first curated concept named that stands for a set of models (its members, or
        an access: "open-weight"), and the name of one that does not."""
        usable = unusable = ""
        for e in res.of_kind("concept"):
            if not self.concepts.has_concept(e.id):
                continue
            c = self.concepts.concept(e.id)
            if c.members or c.access:
                usable = usable or c.id
            else:
                unusable = unusable or c.name
        return usable, unusable

    def _next_context(self, ctx: Context, d: Decision, sources: tuple[str, ...],
                      shown: tuple[str, ...], terms: tuple[str, ...] = ()) -> Context:
        turns = ctx.turns + 1
        if d.pending:
            candidates = tuple(c.id for c in d.ambiguity.candidates) if d.ambiguity else ()
            return evolve(ctx, pending_intent=d.pending, pending_candidates=candidates,
                           pending_categories=d.categories, pending_dimension=d.dimension,
                           turns=turns)
        if d.intent in _NO_TOPIC or d.unknown:
            # Small talk, fallbacks and unknown names leave the topic as it was.
            return evolve(ctx, pending_intent="", pending_candidates=(), pending_categories=(),
                           pending_dimension="", turns=turns)
        models = d.models or ctx.models
        if d.note == "follow-up" and d.models and ctx.models:
            # "and GPT-3?" after GPT-2: both stay in reach for "which one is newer?"
            models = tuple(dict.fromkeys((*d.models, *ctx.models)))[:4]
        return Context(intent=d.intent, models=models,
                       categories=d.categories or ctx.categories, excluded=d.excluded,
                       dimension=d.dimension or ctx.dimension, shown=shown,
                       sources=sources or ctx.sources, query=terms, turns=turns)
