"""Stage 4: from ranked intents, entities and context to one decision.

The matcher says what the words look like; the policy checks what the message can support:
an intent whose required slots cannot be filled (from the message, or from context when the
message points back) loses to one that can. It also handles follow-ups, unknown names,
ambiguity and the out-of-scope threshold.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from .context import Context
from .decision import NEGATED, Decision
from .decision import unique as _unique
from .frozen import evolve
from .intents import IntentCatalog, IntentSpec
from .negation import Negations
from .normalise import NormalisedText
from .resolution import Entity, Resolution
from .resolution import name_like as looks_like_name

CONSIDER = 6  # how many top-ranked intents the policy weighs
CONTEXT_PENALTY = 0.08  # per slot filled from context rather than the message
UNUSED_PENALTY = 0.12  # per kind of entity the intent would ignore
RERANK_FLOOR = 0.5  # share of the top score kept when the intent taking the names is lower
YES_NO_BONUS = 0.08  # for yes/no intents when the message opens like a yes/no question
SMALLTALK = {"greet", "thanks", "goodbye", "help", "identity"}
REFERS_BACK = {"followup", "more_examples", "explain_that", "source"}
NARROWABLE = {"category_examples", "filter", "describe_category"}  # answers naming models


class Policy:
    def __init__(self, catalog: IntentCatalog, threshold: float,
                 dimension_of: Mapping[str, str],
                 developer_of: Callable[[str], str] = lambda model_id: "") -> None:
        self._catalog = catalog
        self._dimension_of = dict(dimension_of)
        self._developer_of = developer_of  # a model's developer, for "what else did they make?"
        self._lex = catalog.lexicon
        self.threshold = threshold
        self._language_words = catalog.operators.word_sets.get("language", frozenset())
        self.negations = Negations.of(self._lex.negations, self._lex.negation_reach)
        self._other_than = Negations.of(self._lex.other_than, self._lex.negation_reach)
        self._nouns = self._lex.category_heads | catalog.operators.word_sets.get("model",
                                                                             frozenset())

    # -- helpers --------------------------------------------------------------------------
    def _excluded(self, nt: NormalisedText, cats: tuple[Entity, ...],
                  other_than: bool = False, names: tuple[Entity, ...] = ()
                  ) -> set[str]:
        """Categories (or languages) a negation applies to ("not proprietary", "other than
        English") are excluded, not wanted; ``other_than``: only "other than" and its kin
        count; ``names``: every name of the message, which bound a negation's reach."""
        reader = self._other_than if other_than else self.negations
        return reader.applied(nt.tokens, cats, names or cats)

    def _refers_back(self, nt: NormalisedText) -> bool:
        """A pronoun points back ("which of those …", "is it …"), but not the "that" of
        "models that are neither proprietary nor cloud-based", which starts a clause."""
        toks = nt.tokens
        return any(t.text in self._lex.pronouns
                   and not (t.text in ("that", "which") and i and toks[i - 1].text in self._nouns)
                   for i, t in enumerate(toks))

    def _content_words(self, nt: NormalisedText, res: Resolution) -> int:
        covered = {i for e in res.entities for i in range(e.start, e.end)}
        return sum(1 for i, t in enumerate(nt.tokens)
                   if i not in covered and t.text not in self._lex.stopwords)

    # -- the stage ------------------------------------------------------------------------
    def decide(self, nt: NormalisedText, res: Resolution, ranking: list[tuple[str, float]],
               ctx: Context) -> Decision:
        d = self._decide(nt, res, ranking, ctx)
        if not 0.0 <= d.confidence <= 1.0:
            d = evolve(d, confidence=max(0.0, min(1.0, d.confidence)))
        d = self._positive(d)
        if (d.intent in ("model_dimension", "membership") and d.models
                and d.dimension in (LANGUAGE_DIMENSION, "")
                and nt.word_set & self._language_words
                and nt.tokens[0].text not in self._lex.yes_no_openers):
            # "what languages do AraBERT and CamemBERT cover?", "how many languages can BLOOM
            # handle?": the languages, not the category ("is BLOOM multilingual?" stays)
            d = evolve(d, intent="languages_of")
        elif (d.intent == "list_categories" and d.dimension == LANGUAGE_DIMENSION
              and not d.models and res.of_kind("language")):
            # "are there any French language models?": the models for French, not the
            # dimension's two categories
            d = evolve(d, intent="models_for_language")
        if (d.intent in ("memory_fit",) and d.categories
                and not _MEMORY_BUDGET.search(nt.text)):
            # "which LLMs can I run on-premise?" names no memory budget: the category's models
            d = evolve(d, intent="category_examples")
        if (d.intent == "memory_fit" and not d.models and not d.categories and ctx.models
                and self._refers_back(nt)):
            # "tell me about Mistral 7B" -> "would it fit on a 12 GB card?": that model
            d = evolve(d, intent="model_memory", models=ctx.models[:1],
                        context_slots=(*d.context_slots, ("model", ctx.models[0])))
        langs = res.of_kind("language")
        not_langs = self._excluded(nt, langs, names=res.entities) if langs else set()
        besides = (self._excluded(nt, langs, True, res.entities) if not_langs
                   else set())
        d = evolve(d, question=nt.text,
                    concepts=_unique(e.id for e in res.of_kind("concept")),
                    languages=_unique(e.id for e in langs if e.id not in not_langs),
                    excluded_languages=tuple(sorted(not_langs - besides)),
                    other_languages=tuple(sorted(besides)))
        spec = self._catalog.get(d.intent)
        if spec is None or d.unknown or d.ambiguity is not None:
            return d
        have = {"model": d.models, "category": d.categories or d.excluded,
                "dimension": (d.dimension,) if d.dimension else (),
                "developer": (d.developer,) if d.developer else (),
                "concept": d.concepts,
                "language": d.languages or d.excluded_languages or d.other_languages}
        missing = [k for k in spec.required_kinds if not have[k]]
        if missing == ["model"]:
            return Decision("clarify", d.confidence, categories=d.categories,
                            dimension=d.dimension, pending=d.intent, note="which model")
        if missing:
            return Decision("fallback", d.confidence, note=f"no {' or '.join(missing)} to use")
        return d

    def _positive(self, d: Decision) -> Decision:
        """A question about one thing that names only a negated category ("Claude isn't open
        source, right?", "is GPT-4 not open source?") is answered on the positive fact, which
        the reply states plainly; "what is a non-autoregressive model?" describes the rest of
        that dimension."""
        if d.categories or not d.excluded:
            return d
        spec = self._catalog.get(d.intent)
        answer = spec.answer if spec else ""
        if answer == "filter" and d.models:
            answer = "membership"
            d = evolve(d, intent="membership")
        if answer in ("examples", "more_examples") and not d.models:
            return evolve(d, intent="filter")  # "models other than conversational ones"
        if answer in ("membership", "choice", "category_dimension", "describe_category",
                      "model_dimension"):
            note = NEGATED if answer in ("describe_category", "choice", "membership") else d.note
            return evolve(d, categories=d.excluded[:1] if answer != "choice" else d.excluded,
                           excluded=(), note=note)
        return d

    def _decide(self, nt: NormalisedText, res: Resolution, ranking: list[tuple[str, float]],
                ctx: Context) -> Decision:
        if not nt.tokens:
            return Decision("fallback", 0.0, note="nothing to read")
        models = _unique(e.id for e in res.of_kind("model"))
        cat_entities = res.of_kind("category")
        dims = _unique(e.id for e in res.of_kind("dimension"))
        devs = _unique(e.id for e in res.of_kind("developer"))
        excluded = self._excluded(nt, cat_entities, names=res.entities)
        cats = _unique(e.id for e in cat_entities if e.id not in excluded)
        weak_cats = _unique(w.id for w in res.weak if w.kind == "category")
        name_like = tuple(u for u in res.unknown if looks_like_name(u))

        # Answering a clarifying question: the message picks one of the candidates.
        if (ctx.pending_intent and models and len(nt.tokens) <= 6
                and (models[0] in ctx.pending_candidates or not ctx.pending_candidates
                     or (self._content_words(nt, res) == 0
                         and len(nt.tokens) - sum(e.end - e.start for e in res.entities) <= 2))):
            # (another model named with words of its own, "tell me about GPT-5", asks anew)
            # ("wen was bert relesed" after "which Mistral do you mean?" is a new question)
            return Decision(ctx.pending_intent, 0.9, models=models[:1],
                            categories=ctx.pending_categories, dimension=ctx.pending_dimension,
                            note="answer to a clarifying question")

        top_score = ranking[0][1] if ranking else 0.0
        top = self._catalog.get(ranking[0][0]) if ranking else None
        if (top is not None and "model" in top.required_kinds and not models and not ctx.models
                and not res.unknown and not res.ambiguities and top_score >= self.threshold
                and any(t.text in self._lex.model_pronouns for t in nt.tokens)):
            # "is it open source?" with nothing said yet: ask rather than guess.
            return Decision("clarify", top_score, categories=cats,
                            dimension=dims[0] if dims else "", pending=top.name,
                            note="which model")
        best: tuple[float, IntentSpec, tuple[tuple[str, str], ...]] | None = None
        have = _by_kind(models, cats, excluded, dims, devs, res)
        fit_have = have if cats or not weak_cats else {**have, "category": weak_cats}
        for name, score in ranking[:CONSIDER]:
            spec = self._catalog.get(name)
            if spec is None or score < top_score - 0.35:
                continue
            adjusted, filled = self._fit(spec, score, models, cats or weak_cats, fit_have,
                                         res, ctx, nt)
            if adjusted is None:
                continue
            if best is None or adjusted > best[0]:
                best = (adjusted, spec, filled)
        if (best is not None and ranking and best[1].name != ranking[0][0]
                and (best[2] or any(have[slot.kind] for slot in best[1].slots))):
            # The intent that takes the message's names (or the context's) is not the
            # best-looking one: how in-scope the message looked still counts for it.
            best = (max(best[0], RERANK_FLOOR * top_score), best[1], best[2])

        # A bare name ("BERT?", "multimodal") is a question about that thing.
        bare = self._content_words(nt, res) == 0 and (models or cats or dims or excluded
                                                      or devs)
        # A name the knowledge base knows is itself evidence the question is in scope.
        strong = any(e.score >= 0.9 for e in res.entities)
        threshold = self.threshold * (0.6 if strong else 1.0)
        if best is None or best[0] < threshold:
            if bare or (models and not name_like) or (cats and not res.unknown):
                # Unsure what is asked, sure what about: the most useful answer about it.
                return self._bare(models, cats, excluded, dims, ctx, top_score, devs)
            versioned = [u for u in name_like if any(ch.isdigit() or ch == "-" for ch in u)]
            if versioned and not models and not cats:  # "what is GPT-7?": a name, not noise
                return Decision("model_about", top_score, unknown=versioned[0],
                                note="an unknown versioned name")
            if name_like and len(nt.tokens) <= 3:
                return Decision("model_about", top_score, unknown=name_like[0],
                                note="a lone unknown name")
            return Decision("fallback", best[0] if best else top_score,
                            note=f"best intent below threshold {threshold:.2f}")
        score, spec, filled = best
        name = spec.name
        confidence = max(0.0, min(1.0, score))
        if name == "out_of_scope":
            return Decision("fallback", confidence, note="out of scope")
        if name in SMALLTALK or name == "source":
            return Decision(name, confidence)

        if name == "followup":
            if name_like and not models:  # "and T55?": a name we do not know
                return Decision(ctx.intent or "model_about", confidence, categories=cats,
                                unknown=name_like[0], note="unknown name in a follow-up")
            return self._followup(models, cats, excluded, dims, devs, ctx, confidence)
        if name == "explain_that":
            if ctx.categories:
                return Decision("describe_category", confidence, categories=ctx.categories[:1],
                                context_slots=(("category", ctx.categories[0]),))
            if ctx.models:
                return Decision("model_about", confidence, models=ctx.models[:1],
                                context_slots=(("model", ctx.models[0]),))
            if ctx.dimension:
                return Decision("list_categories", confidence, dimension=ctx.dimension,
                                context_slots=(("dimension", ctx.dimension),))
            if self._content_words(nt, res) > 1:  # "explain quantum computing"
                return Decision("fallback", confidence, note="nothing of ours to explain")
            return Decision("help", confidence, note="nothing to explain yet")

        # Unknown names and ambiguity matter only where the intent wants a model.
        wants_model = spec.slot("model") is not None
        if wants_model:
            for amb in res.ambiguities:
                if amb.candidates[0].kind == "model":
                    return Decision("clarify", confidence, categories=cats,
                                    dimension=dims[0] if dims else "", ambiguity=amb,
                                    pending=name, note="ambiguous name")
            unknown = name_like[0] if name_like else (res.unknown[0] if res.unknown and not
                                                      models else "")
            if unknown and (not models or name_like):
                return Decision(name, confidence, categories=cats, unknown=unknown,
                                note="unknown name")

        d_models = models or tuple(v for k, v in filled if k == "model")
        d_cats = cats or tuple(v for k, v in filled if k == "category")
        if not cats and spec.slot("category") and weak_cats and not excluded:
            d_cats = weak_cats
        d_dim = dims[0] if dims else next((v for k, v in filled if k == "dimension"), "")
        if (spec.slot("category") and (cats or excluded) and not models
                and ctx.intent in NARROWABLE and self._refers_back(nt)
                and (ctx.categories or ctx.excluded)):
            # "which of those are open source?" after a list: narrow the list, don't restart.
            d_cats = tuple(dict.fromkeys((*ctx.categories, *d_cats)))
            excluded = excluded | set(ctx.excluded)
            name = "filter"
        facts = redirect_facts(d_models, d_cats, excluded, d_dim)
        for rule in spec.instead:  # declared in intents/: "membership of two categories
            if any(facts[c] for c in rule.when):  # is a choice", and so on
                name = rule.intent
                break
        if name == "compare" and len(d_models) < 2 and len(d_cats) < 2:
            if d_models and ctx.models and ctx.models[0] not in d_models:
                filled = (*filled, ("model", ctx.models[0]))
                d_models = (ctx.models[0], *d_models)
            elif d_cats and ctx.categories and ctx.categories[0] not in d_cats:
                filled = (*filled, ("category", ctx.categories[0]))
                d_cats = (ctx.categories[0], *d_cats)
        return Decision(name, confidence, models=d_models, categories=d_cats,
                        excluded=tuple(sorted(excluded)), dimension=d_dim,
                        developer=devs[0] if devs else next(
                            (v for k, v in filled if k == "developer"), ""),
                        context_slots=filled)

    def _fit(self, spec: IntentSpec, score: float, models: tuple[str, ...],
             cats: tuple[str, ...], have: dict[str, tuple[str, ...]], res: Resolution,
             ctx: Context, nt: NormalisedText
             ) -> tuple[float | None, tuple[tuple[str, str], ...]]:
        """Score an intent against what the message can fill (``have``: its names by
        kind, see _by_kind); None when it cannot be met."""
        if spec.slot("category") is not None and have["dimension"]:
            # "deployed on premise": the dimension only restates the category's own.
            restated = {self._dimension_of[c] for c in cats}
            have = {**have, "dimension": tuple(d for d in have["dimension"]
                                               if d not in restated)}
        filled: list[tuple[str, str]] = []
        adjusted = score
        for kind in spec.required_kinds:
            if have[kind]:
                continue
            if kind == "model" and (res.unknown or res.ambiguities):
                continue  # the answer will say it does not know the name
            if kind == "category" and res.weak:
                continue
            remembered = self._from_context(kind, ctx)
            if remembered and (self._refers_back(nt) or len(nt.tokens) <= 6
                               or spec.name in REFERS_BACK):
                filled.append((kind, remembered))
                adjusted -= CONTEXT_PENALTY
                continue
            return None, ()
        # A name the message holds and the intent would ignore counts against it; not
        # against out-of-scope, which ignores everything ("should I buy Nvidia stock?").
        for kind, present in have.items():
            if (present and spec.slot(kind) is None and spec.name not in REFERS_BACK
                    and spec.answer != "fallback"):
                adjusted -= UNUSED_PENALTY
        if spec.form == "yes_no" and nt.tokens[0].text in self._lex.yes_no_openers:
            adjusted += YES_NO_BONUS
        if spec.name == "compare" and len(models) < 2 and len(cats) < 2:
            if not (res.unknown or res.ambiguities or ctx.models or ctx.categories):
                return None, ()  # "open models from Europe": nothing to compare it with
            adjusted -= UNUSED_PENALTY
        return adjusted, tuple(filled)

    def _from_context(self, kind: str, ctx: Context) -> str:
        """What the conversation last named of this kind ("they" of a model: its maker)."""
        if kind == "model":
            return ctx.models[0] if ctx.models else ""
        if kind == "category":
            return ctx.categories[0] if ctx.categories else ""
        if kind == "dimension":
            return ctx.dimension
        if kind != "developer":
            return ""  # a concept or a language is never assumed from context
        return self._developer_of(ctx.models[0]) if ctx.models else ""

    def _bare(self, models: tuple[str, ...], cats: tuple[str, ...], excluded: set[str],
              dims: tuple[str, ...], ctx: Context, score: float,
              devs: tuple[str, ...] = ()) -> Decision:
        conf = max(score, 0.6)
        if models:
            return Decision("model_about", conf, models=models, note="a bare model name")
        if cats or excluded:
            return Decision("describe_category", conf, categories=cats or tuple(excluded),
                            note="a bare category name")
        if dims:
            return Decision("list_categories", conf, dimension=dims[0], note="a bare dimension")
        if devs:
            return Decision("developer_models", conf, developer=devs[0], note="a bare maker")
        return Decision("fallback", min(score, 1.0), note="nothing to follow up")

    def _followup(self, models: tuple[str, ...], cats: tuple[str, ...], excluded: set[str],
                  dims: tuple[str, ...], devs: tuple[str, ...], ctx: Context, conf: float
                  ) -> Decision:
        """"and T5?": the last question again, with the new name in place of the old."""
        last = ctx.intent
        if devs and not models:
            return Decision("developer_models", conf, developer=devs[0], categories=cats,
                            excluded=tuple(sorted(excluded)), note="follow-up")
        if not last or last in SMALLTALK or last in ("fallback", "clarify"):
            return self._bare(models, cats, excluded, dims, ctx, conf)
        spec = self._catalog.get(last)
        slots = {s.kind for s in spec.slots} if spec else set()
        new_models = models if models else ctx.models
        new_cats = cats if cats else ctx.categories
        new_dim = dims[0] if dims else ctx.dimension
        if (models and "model" not in slots) or (cats and "category" not in slots) or (
                dims and "dimension" not in slots):
            if models and last in ("describe_category", "category_examples", "filter") and cats:
                return Decision("membership", conf, models=models, categories=cats)
            if dims and ctx.models:
                return Decision("model_dimension", conf, models=ctx.models[:1],
                                dimension=dims[0], context_slots=(("model", ctx.models[0]),))
            if models and ctx.categories and last in ("describe_category", "category_examples"):
                return Decision("membership", conf, models=models, categories=ctx.categories[:1],
                                context_slots=(("category", ctx.categories[0]),))
            return self._bare(models, cats, excluded, dims, ctx, conf)
        if last == "compare" and models and ctx.models and ctx.models[0] not in models:
            return Decision("compare", conf, models=(ctx.models[0], *models),
                            context_slots=(("model", ctx.models[0]),), note="follow-up")
        filled = []
        if not models and ctx.models and "model" in slots:
            filled.append(("model", ctx.models[0]))
        if not cats and ctx.categories and "category" in slots:
            filled.extend(("category", c) for c in ctx.categories)
        if not dims and ctx.dimension and "dimension" in slots:
            filled.append(("dimension", ctx.dimension))
        return Decision(last, conf, models=new_models, categories=new_cats,
                        excluded=tuple(sorted(excluded)) or (ctx.excluded if not cats else ()),
                        dimension=new_dim, context_slots=tuple(filled), note="follow-up")


LANGUAGE_DIMENSION = "language"  # the seed's Multilingual Capabilities dimension
_MEMORY_BUDGET = re.compile(r"\d\s*(?:gb|gib|g\b|gigabytes?)")


def _by_kind(models: tuple[str, ...], cats: tuple[str, ...], excluded: set[str],
             dims: tuple[str, ...], devs: tuple[str, ...], res: Resolution | None = None
             ) -> dict[str, tuple[str, ...]]:
    """The message's names by slot kind (an excluded category still fills a category)."""
    return {"model": models, "category": cats or tuple(sorted(excluded)), "dimension": dims,
            "developer": devs,
            "concept": _unique(e.id for e in res.of_kind("concept")) if res else (),
            "language": _unique(e.id for e in res.of_kind("language")) if res else ()}


def redirect_facts(models: tuple[str, ...], cats: tuple[str, ...], excluded: set[str],
                   dimension: str) -> dict[str, bool]:
    """Each condition an ``instead`` rule in intents/ may test (``REDIRECT_CONDITIONS``)."""
    return {"several_categories": len(cats) > 1, "excluded_category": bool(excluded),
            "plain_category": len(cats) <= 1 and not excluded,
            "category_without_dimension": bool(cats) and not dimension,
            "nothing_to_choose": len(models) <= 1 and len(cats) <= 1 and not excluded}
