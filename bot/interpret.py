"""Stage 4b: the policy's decision plus the message's mentions, as one Query (or None).

The policy says which intent and which names; the mentions say what the names are compared
with. A question that composes ("open models released after 2022", "is BERT older than
GPT-2?", "the newest Llama", "which of those came out in 2023?") becomes a Query; one that
does not is left to the intent's own answer (None). Rasa's knowledge-base actions resolve
"the second one" against the last listed objects; so does this.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import field

from .context import Context
from .decision import Decision
from .decision import unique as _unique
from .frozen import evolve
from .knowledge import KnowledgeBase
from .mentions import Constraint, Mentions
from .normalise import NormalisedText, compact
from .query import Query
from .resolution import Resolution
from .safe_text import strip_controls
from .sized import at_sizes, bound_by
from .values import value

# Intents whose answer is one attribute of a model, and the attribute it is.
FACT_ATTRIBUTE = {"year": "released", "parameters": "parameters", "developer": "developer"}
SEVERAL_ONLY = {"license": "license", "modality": "modality"}  # one model: the intent's own
LIST_INTENTS = ("category_examples", "filter", "describe_category", "more_examples",
                "developer_models")
NO_QUERY = ("fallback", "greet", "thanks", "goodbye", "help", "identity", "source", "clarify")


@value
class Reading:
    """What interpretation needs besides the decision: the words of the message."""

    nt: NormalisedText
    res: Resolution
    mentions: Mentions
    fact: str  # the decided intent's fact ("year", "parameters", …) or ""
    yes_no: bool  # the message opens like a yes/no question
    yes_no_intent: bool = False  # the decided intent answers yes or no ("is BART encoder-only?")
    negated_developers: tuple[str, ...] = ()  # "models that aren't from OpenAI or Google"
    word_sets: Mapping[str, frozenset[str]] = field(default_factory=dict)  # operators.yaml
    licence: str = ""  # a licence the message names ("MIT"), by its id
    concept: str = ""  # a curated concept named that has models: a filter ("encoder-only")
    concept_name: str = ""  # a concept named that has none: said, when a set is asked
    concept_by_access: bool = False  # its models are every model of an access: "open-weight"

    def words(self, name: str) -> frozenset[str]:
        return self.word_sets.get(name, frozenset())


def interpret(d: Decision, r: Reading, ctx: Context, kb: KnowledgeBase) -> Query | None:
    m = r.mentions
    if d.unknown and not (m.unknown_attribute and d.unknown.casefold() in m.words):
        return None  # (but "the accuracy of GPT-4 on MMLU": MMLU is a fact not held)
    models = r.res.of_kind("model")
    toks_list = r.nt.words
    bound_model = ""  # "bigger than GPT-3": the model a bound was read from
    licence_words = r.words("licence")
    about_sets = bool(r.licence) and bool({*toks_list} & r.words("model"))
    named = _unique([e.id for k, e in enumerate(models) if e.id != m.alternative_to
                     and not ((k or about_sets) and e.end < len(toks_list)
                              and toks_list[e.end] in licence_words)])
    # "is Vicuna under the LLaMA licence?", "which models use the Llama 2 licence?": the
    # name before "licence" names the licence, not a model asked about
    cats = _unique([e.id for e in r.res.of_kind("category") if e.id not in d.excluded])
    excluded = d.excluded
    devs = [e.id for e in r.res.of_kind("developer") if e.id not in r.negated_developers]
    developer = devs[0] if devs else ""
    if not named:  # "who made Gemma?" -> "which of their models are multimodal?": its maker's
        developer = developer or _their_developer(m, ctx, kb)
    toks = r.nt.word_set
    # "which of Google's models are open source?": a set, whatever the intent looked like
    set_like = bool((developer or r.negated_developers) and (cats or excluded)
                    and toks & r.words("list") and not named
                    and (d.intent != "developer_models" or r.negated_developers))
    set_like = set_like or bool(r.negated_developers and not named)  # "models not by Google"
    # "which models are not proprietary?": the policy's own filter, run as a query
    set_like = set_like or (d.intent == "filter" and not d.models
                            and bool(d.categories or d.excluded))
    # "which large-scale models can be deployed on-premise?": two categories, a set
    # (two of one dimension, "small-scale and large-scale models", are compared instead)
    dims_named = {kb.category(c).dimension_id for c in (*cats, *excluded)}
    set_like = set_like or bool(len(dims_named) >= 2 and not named and d.intent != "compare"
                                and toks & r.words("list") and toks & r.words("model"))
    # "which models are MIT licensed?": a licence named, no model asked about
    set_like = set_like or bool(r.licence and not named and toks & r.words("list"))
    # "which encoder-only models are open source?": a curated concept's models, filtered
    set_like = set_like or bool(r.concept and not named and (cats or excluded or developer)
                                and toks & r.words("list")
                                and d.intent not in ("concept_compare", "compare"))
    # "which models came out in 2020?" -> "which of those are from Google?": the list, narrowed
    set_like = set_like or bool(developer and devs and not named and (m.list_ref or m.narrow)
                                and ctx.query)
    # "which models are open weights?": no member list to show beside the notion, so a set
    set_like = set_like or bool(r.concept_by_access and not named and toks & r.words("list")
                                and toks & r.words("model"))
    words = r.nt.word_set
    if ((d.intent == "why_question" and "why" in words)
            or (d.intent == "fit_for_purpose" and not (
                m.constraints or m.comparison or m.superlative or m.count
                or (m.domain and (cats or excluded or developer))))):
        # "best model for biomedical text?": the curated answer, with its caveat ("open
        # models for finance" is a query: the domain and the category both filter)
        return None
    ranks_ambiguous = d.ambiguity is not None and (m.superlative or m.comparative) is not None
    if d.ambiguity is not None and not ranks_ambiguous:
        return None  # "tell me about Phi": ask which one
    # "sort them by size", "which of them are open source?" after a list: "them" is the list
    list_follow_up = (d.intent == "clarify" and d.ambiguity is None and not named
                      and (m.list_ref or m.narrow or m.sort is not None)
                      and _last_set(ctx, kb) is not None)
    if (d.intent in NO_QUERY and not (m.any and d.intent == "fallback") and not ranks_ambiguous
            and not set_like and not list_follow_up):
        return None

    dims = [e.id for e in r.res.of_kind("dimension")]
    if m.count and dims and not (cats or named or developer or m.constraints):
        return Query("dimension_list", dimension=dims[0])  # "how many training approaches?"
    if r.yes_no and named and developer and not (cats or m.any):
        return Query("is_from", subjects=named, developer=developer)  # "is Claude from OpenAI?"
    if m.unknown_attribute and (named or d.models):  # "the context window of GPT-4?"
        return Query("cannot", subjects=named or d.models, cannot=(m.unknown_attribute,),
                     projection="unknown")
    if m.unknown_attribute and (m.superlative or m.comparative or m.sort):
        # "which models have the biggest context window?": not the biggest models
        return Query("cannot", cannot=(m.unknown_attribute,), projection="unknown")
    word = _unknown_kind(r, named)
    if word:
        return Query("no_such", subjects=named[:1], word=word)
    # "the second one": an item of the last list shown.
    if m.ordinal and not named and ctx.shown:
        index = m.ordinal - 1 if m.ordinal > 0 else len(ctx.shown) - 1
        if 0 <= index < len(ctx.shown):
            return Query("describe", subjects=(ctx.shown[index],), ordinal=m.ordinal)
    # "is BERT older than GPT-2?", "is it bigger than GPT-3?"
    if (comparison := m.comparison) is not None:
        # "is Falcon bigger than LLaMA and BLOOM?": each model after "than" is compared
        other = comparison.other
        after = next((e.start for e in models if e.id == other), len(toks_list))
        compared = _unique([e.id for e in models if e.start > after and e.id in named
                            and e.id != other])
        others = [x for x in named if x != other and x not in compared]
        subject = others[0] if others else (ctx.models[0] if ctx.models else "")
        bound = (bound_by(kb, comparison) if not others and (
            toks & r.words("models") or (not subject and toks & r.words("model"))) else None)
        if bound is not None:
            # "which open models are bigger than GPT-3?": a bound at the other model's fact,
            # read like any other bound from here on
            m = evolve(m, comparison=None, constraints=(*m.constraints, bound))
            named = tuple(x for x in named if x != other)
            bound_model = other
        elif subject and subject != other:
            sized = comparison.attribute == "size"
            return at_sizes(Query("verdict" if r.yes_no else "pick",
                                   subjects=_unique([subject, other, *compared]),
                                   comparison=comparison), m, kb, sized)
    order = m.superlative or m.comparative
    # "which is newer, Gemma or Phi-2?"; "which one is older?" after a comparison.
    if order is not None and len(named) >= 2 and not m.constraints and not cats:
        return at_sizes(Query("pick", subjects=named, order=order), m, kb,
                         order.attribute == "size")
    if (m.comparative is not None and not named and len(ctx.models) >= 2
            and not cats and not m.constraints):
        return Query("pick", subjects=ctx.models, order=m.comparative)
    several = len(named or d.models) > 1
    if r.fact:  # the intent asks for one fact: its own
        attribute = FACT_ATTRIBUTE.get(r.fact, "") or (SEVERAL_ONLY.get(r.fact, "")
                                                       if several else "")
    else:
        attribute = m.attribute if m.attribute in FACT_ATTRIBUTE.values() else ""
    if m.count and toks & r.words("structure") and not cats:
        return None  # "how many categories does deployment have?": the taxonomy's own answer
    subjects = named or (d.models if d.intent != "filter" else ())
    if (named and attribute and ctx.models and ctx.models[0] not in named
            and toks & {"it", "its"} & r.words("pronouns")):
        subjects = (ctx.models[0], *named)  # "how big is it compared to BERT?": both
    if (not subjects and attribute and ctx.models and toks & r.words("pronouns")
            and d.intent not in LIST_INTENTS):  # "what else have they released?" lists
        subjects = ctx.models[:1]  # "tell me about BERT" -> "how big is it?"
    set_words = (m.constraints or m.count or m.group_developer or m.alternative_to
                 or m.sort or cats or excluded or developer)
    # "what's the biggest size of Galactica?" is a value; "the newest Llama" ranks a family.
    # "the largest Llama" ranks the Llamas (LLaMA is the family's namesake); "the smallest
    # Qwen2" tells Qwen2's smallest size
    ranks_family = m.superlative is not None and len(named) == 1 and _namesake(kb, named[0])
    if (subjects and attribute and not set_words and not ranks_family
            and (m.superlative is None or attribute == "parameters")):
        also = [a for a in m.attributes if a in FACT_ATTRIBUTE.values() and a != attribute]
        return at_sizes(Query("value", subjects=subjects,
                               projection=",".join([attribute, *also]), order=m.superlative),
                         m, kb, attribute == "parameters" and not also)
    if (named and (m.licence_use or m.modality or m.domain) and not set_words
            and order is None):
        return None  # "can I use LLaVA commercially?", "can GPT-4 see images?": the intent's
    if (r.yes_no_intent and named and order is None and d.intent not in LIST_INTENTS
            and not (m.constraints or m.count or m.group_developer or cats or excluded)):
        # "is BART encoder-only like BERT?", "Command R weights are on Hugging Face: can my
        # company use them commercially?": "like BERT" and "Hugging Face" are asides to a
        # yes/no about the named model, not a set to list
        return None
    if (m.alternative_to and not (cats or excluded or m.constraints or developer or order
                                  or m.count or m.domain or m.modality or m.licence_use)
            and d.intent == "similar_models"):
        return None  # "which models are similar to BERT?": the intent's own answer
    if (r.yes_no and named and m.constraints and order is None
            and not (cats or excluded or developer or m.count or m.group_developer
                     or m.alternative_to or m.comparison or toks & r.words("list"))):
        # "was GPT-2 released after 2020?": each named model's fact against the bound
        return Query("holds", subjects=named, constraints=m.constraints)
    last = _last_set(ctx, kb)
    # "which of those …" narrows the last list; "which of the taxonomy's examples …" names
    # its own set
    refers = m.list_ref or (m.narrow and not m.seed_only)
    if not (m.any or set_like or (refers and last is not None
                                  and (cats or excluded or m.constraints or r.concept
                                       or (developer and devs)))):
        return None
    family = ""
    if order is not None and len(named) == 1 and r.res.unknown:
        return None  # "which is older, BRET or GPT-2?": the other name is unknown
    # "the newest Llama", "list Mistral models from 2024", "how many Qwen models are open
    # source?": a family entry (or its namesake) with a set word stands for its members
    family_set = (len(named) == 1 and _namesake(kb, named[0])
                  and bool(m.constraints or m.count or m.sort or cats or excluded)
                  and bool(toks & r.words("list") or m.count))
    if (order is not None and m.superlative is not None and len(named) == 1 and not family_set
            and not _namesake(kb, named[0]) and kb.has_model(named[0])
            and not (m.constraints or cats or excluded or developer or m.count)):
        # "the largest Llama 2 model", "the smallest Qwen2.5": that model's own sizes, not
        # its family ranked (Llama 2 is one model of the Llama family, not all of it)
        told = "parameters" if order.attribute == "size" else "released"
        return Query("value", subjects=named, projection=told,
                     order=order if told == "parameters" else None)
    if (order is not None or family_set) and len(named) == 1:
        family = _family(kb, named[0])
        named = () if family else named
    if order is not None and not named and r.res.ambiguities:
        named = tuple(c.id for c in r.res.ambiguities[0].candidates if c.kind == "model")
        families = [c for c in named if kb.has_model(c) and kb.model(c).kind == "family"]
        if families and not family:  # "which DeepSeek model is the largest?": the family
            family, named = families[0], ()
    developer = developer or _their_developer(m, ctx, kb)
    from_last = False
    base = Query("list")
    names_a_set = bool(named or family or developer or cats or m.alternative_to)
    # "how many are there?" after a list counts that list ("how many models are there?"
    # names models: every model)
    counts_last = (m.count and not names_a_set and not m.constraints and not excluded
                   and not toks & r.words("model"))
    # "the biggest?" after a list ranks that list; "list the largest models" asks anew
    ranks_last = order is not None and not names_a_set and not toks & r.words("models")
    if last is not None and (refers or ranks_last or counts_last
                             or (m.constraints and not names_a_set and m.list_ref)):
        base, from_last = last, True
    constraints = (*base.constraints, *m.constraints)
    if m.recent and not m.constraints and not order and kb.as_of:
        year = int(kb.as_of[:4])
        constraints = (*constraints, Constraint("date", ">=", float(year - 1), "recent"))
    form = "list"
    if m.count:
        form = "count"
    if m.group_developer and (m.most or order is None):
        form = "group"
    cannot: tuple[str, ...] = ()
    about_models = bool(toks & r.words("model") or r.res.of_kind("model") or cats
                        or developer)
    if m.unrankable and not cats and not constraints and not developer and not family:
        # "which models are best at poetry?" is ours to decline; "translate good morning"
        # is not a question about models at all
        return Query("cannot", cannot=m.unrankable) if about_models else None
    if m.unrankable:
        cannot = m.unrankable
    # "the largest fully open-source AI model": a concept whose models I do not hold
    unheld = (r.concept_name,) if r.concept_name and not r.concept and not named else ()
    # "cheap open models": the list, and a word that price is not a fact I hold
    unknown_facts = (m.unknown_attribute,) if m.unknown_attribute and not named else ()
    ranked = order is not None and m.superlative is not None and form == "list"
    limit = (m.top_n or 1) if ranked else 0  # "the three newest": 3; "the newest": 1
    if d.intent == "filter" and not from_last:  # the policy may have narrowed a list
        cats = _unique([*d.categories, *cats])
    return Query(
        form, subjects=named if not from_last else base.subjects,
        family=family or base.family, from_last=from_last,
        seed_only=base.seed_only or (m.seed_only and bool(cats or m.count or order)),
        categories=_unique([*base.categories, *cats]),
        excluded=_unique([*base.excluded, *excluded]),
        developer=developer or base.developer,
        excluded_developers=_unique([*base.excluded_developers, *r.negated_developers]),
        constraints=constraints, order=order if order is not None else m.sort, limit=limit,
        rank=m.rank if ranked else 0, bound_model=bound_model,
        alternative_to=m.alternative_to or base.alternative_to, cannot=cannot,
        licence_use=(m.licence_use or base.licence_use) if not named else "",
        modality=(m.modality or base.modality) if not named else "",
        domain=(m.domain or base.domain) if not named else "",
        concept=(r.concept or base.concept) if not named else "", unheld=unheld,
        unknown_facts=unknown_facts,
        licence=(r.licence or base.licence) if not named else "")


def _unknown_kind(r: Reading, named: tuple[str, ...]) -> str:
    """ "is BERT a diffusion model?": the word naming a kind of model nothing in the
    knowledge names (no category, concept or model), for an honest "No"."""
    if (not (r.yes_no and named) or r.res.of_kind("category") or r.res.of_kind("concept")
            or r.mentions.unrankable  # "is BERT a good model?" is a judgement, not a kind
            or r.mentions.constraints):  # "is Llama 2 a 7B model?" asks a size
        return ""
    toks = [t.text for t in r.nt.tokens]
    model_words = r.words("model")
    covered = {i for e in r.res.entities for i in range(e.start, e.end)}
    for i in range(len(toks) - 1, 1, -1):
        if toks[i] in model_words and toks[i - 1] not in model_words:
            j = i - 1
            while j >= 0 and toks[j] not in ("a", "an") and j not in covered:
                j -= 1
            words = toks[j + 1:i]
            if j >= 0 and toks[j] in ("a", "an") and 0 < len(words) <= 2:
                return " ".join(words)
    return ""


def _namesake(kb: KnowledgeBase, model_id: str) -> bool:
    """A family entry, or the model the family is named after (LLaMA for the Llama family)."""
    family = _family(kb, model_id)
    if not family:
        return False
    if family == model_id:
        return True
    return compact(kb.model(family).name).startswith(compact(kb.model(model_id).name))


def _family(kb: KnowledgeBase, model_id: str) -> str:
    """ "Llama" in "the newest Llama" stands for its family."""
    if not kb.has_model(model_id):
        return ""
    model = kb.model(model_id)
    if model.kind == "family":
        return model.id
    return model.family


def _their_developer(m: Mentions, ctx: Context, kb: KnowledgeBase) -> str:
    """ "their models": the maker of the model talked about, or "" without one."""
    if m.their and ctx.models and kb.has_model(ctx.models[0]):
        return _developer_name(kb, kb.model(ctx.models[0]).developer)
    return ""


def _developer_name(kb: KnowledgeBase, text: str) -> str:
    for dev in kb.developers:
        if dev.name.casefold() in text.casefold():
            return dev.name
    return text


def _last_set(ctx: Context, kb: KnowledgeBase) -> Query | None:
    """The set the last answer listed, as a query to narrow ("which of those …")."""
    if ctx.query:
        return decode_terms(ctx.query, kb)
    if ctx.intent in LIST_INTENTS and (ctx.categories or ctx.excluded):
        return Query("list", categories=ctx.categories, excluded=ctx.excluded)
    if len(ctx.models) > 1:  # "compare BERT, GPT-2 and T5" -> "which of them are open?"
        return Query("list", subjects=ctx.models)
    return None


def decode_terms(terms: tuple[str, ...], kb: KnowledgeBase) -> Query | None:
    """``Query.to_terms`` read back; ids the knowledge base does not hold are dropped, so a
    tampered state can narrow nothing it should not."""
    cat_ids = {c.id for c in kb.categories}
    dev_names = {dev.name for dev in kb.developers}
    subjects, cats, excluded, constraints = [], [], [], []
    family = developer = like = licence_use = modality = licence = ""
    not_developers: list[str] = []
    domain = concept = ""
    seed_only = False
    for term in terms:
        kind, _, value = term.partition(":")
        if kind == "model" and kb.has_model(value):
            subjects.append(value)
        elif kind == "family" and kb.has_model(value):
            family = value
        elif kind == "category" and value in cat_ids:
            cats.append(value)
        elif kind == "excluded" and value in cat_ids:
            excluded.append(value)
        elif kind == "developer" and value in dev_names:
            developer = value
        elif kind == "not_developer" and value in dev_names:
            not_developers.append(value)
        elif kind == "like" and kb.has_model(value):
            like = value
        elif kind == "seed_only":
            seed_only = True
        elif kind == "licence" and 0 < len(value) <= 60 and value.replace("-", "").replace(
                ".", "").isalnum():
            licence = value
        elif kind == "licence_use" and value in ("commercial", "permissive"):
            licence_use = value
        elif kind == "modality" and value in ("image", "audio", "video"):
            modality = value
        elif kind == "domain" and 0 < len(value) <= 30 and value.isalpha():
            domain = value
        elif kind == "concept" and 0 < len(value) <= 60 and value.replace("-", "").isalnum():
            concept = value
        elif kind == "constraint":
            parts = value.split(":", 3)
            if (len(parts) == 4 and parts[0] in ("date", "size")
                    and parts[1] in (">", ">=", "<", "<=", "=", "~")):
                try:
                    number = float(parts[2])
                except ValueError:
                    continue
                if math.isfinite(number) and 0 <= number < 1e15:  # a year or a size, no nan
                    constraints.append(Constraint(parts[0], parts[1], number,
                                                  strip_controls(parts[3])[:60]))
    return Query("list", subjects=tuple(subjects), family=family, categories=tuple(cats),
                 excluded=tuple(excluded), developer=developer,
                 excluded_developers=tuple(not_developers), constraints=tuple(constraints),
                 alternative_to=like, seed_only=seed_only, licence_use=licence_use,
                 licence=licence,
                 modality=modality, domain=domain, concept=concept)
