"""Stage 4b: the policy's decision plus the message's mentions, as one Query (or None).

The policy says which intent and which names; the mentions say what the names are compared
with. A question that composes ("open models released after 2022", "is BERT older than
GPT-2?", "the newest Llama", "which of those came out in 2023?") becomes a Query; one that
does not is left to the intent's own answer (None). Rasa's knowledge-base actions resolve
"the second one" against the last listed objects; so does this.
"""

from __future__ import annotations

from dataclasses import dataclass

from .context import Context
from .entities import Resolution
from .knowledge import KnowledgeBase
from .mentions import Constraint, Mentions
from .normalise import NormalisedText
from .policy import Decision
from .query import Query

# Intents whose answer is one attribute of a model, and the attribute it is.
FACT_ATTRIBUTE = {"year": "released", "parameters": "parameters", "developer": "developer"}
LIST_INTENTS = ("category_examples", "filter", "describe_category", "more_examples",
                "developer_models")
STRUCTURE_WORDS = frozenset({"categories", "category", "dimensions", "dimension", "types",
                             "kinds", "classes", "groups", "classifications", "ways",
                             "axes", "criteria"})
LIST_WORDS = frozenset({"which", "what", "list", "show", "name", "models", "llms"})
MODEL_WORDS = frozenset({"model", "models", "llm", "llms", "lm", "lms"})
PRONOUNS = frozenset({"it", "its", "they", "them", "this", "that"})
NO_QUERY = ("fallback", "greet", "thanks", "goodbye", "help", "identity", "source", "clarify")


@dataclass(frozen=True)
class Reading:
    """What interpretation needs besides the decision: the words of the message."""

    nt: NormalisedText
    res: Resolution
    mentions: Mentions
    fact: str  # the decided intent's fact ("year", "parameters", …) or ""
    yes_no: bool  # the message opens like a yes/no question
    negated_developer: str = ""


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def interpret(d: Decision, r: Reading, ctx: Context, kb: KnowledgeBase) -> Query | None:
    m = r.mentions
    if d.unknown:
        return None
    named = _unique([e.id for e in r.res.of_kind("model") if e.id != m.alternative_to])
    cats = _unique([e.id for e in r.res.of_kind("category") if e.id not in d.excluded])
    excluded = d.excluded
    devs = [e.id for e in r.res.of_kind("developer") if e.id != r.negated_developer]
    developer = devs[0] if devs else ""
    toks = {t.text for t in r.nt.tokens}
    # "which of Google's models are open source?": a set, whatever the intent looked like
    set_like = bool((developer or r.negated_developer) and (cats or excluded)
                    and toks & LIST_WORDS and not named and d.intent != "developer_models")
    ranks_ambiguous = d.ambiguity is not None and (m.superlative or m.comparative) is not None
    if d.ambiguity is not None and not ranks_ambiguous:
        return None  # "tell me about Phi": ask which one
    if (d.intent in NO_QUERY and not (m.any and d.intent == "fallback") and not ranks_ambiguous
            and not set_like):
        return None

    # "the second one": an item of the last list shown.
    if m.ordinal and not named and ctx.shown:
        index = m.ordinal - 1 if m.ordinal > 0 else len(ctx.shown) - 1
        if 0 <= index < len(ctx.shown):
            return Query("describe", subjects=(ctx.shown[index],), ordinal=m.ordinal)
    # "is BERT older than GPT-2?", "is it bigger than GPT-3?"
    if m.comparison is not None:
        others = [x for x in named if x != m.comparison.other]
        subject = others[0] if others else (ctx.models[0] if ctx.models else "")
        if subject and subject != m.comparison.other:
            return Query("verdict" if r.yes_no else "pick",
                         subjects=(subject, m.comparison.other), comparison=m.comparison)
    order = m.superlative or m.comparative
    # "which is newer, Gemma or Phi-2?"; "which one is older?" after a comparison.
    if order is not None and len(named) >= 2 and not m.constraints and not cats:
        return Query("pick", subjects=named, order=order)
    if (m.comparative is not None and not named and len(ctx.models) >= 2
            and not cats and not m.constraints):
        return Query("pick", subjects=ctx.models, order=m.comparative)
    if r.fact:  # the intent asks for one fact: its own ("licence", "modality" are not ours)
        attribute = FACT_ATTRIBUTE.get(r.fact, "")
    else:
        attribute = m.attribute if m.attribute in FACT_ATTRIBUTE.values() else ""
    if m.count and toks & STRUCTURE_WORDS and not cats:
        return None  # "how many categories does deployment have?": the taxonomy's own answer
    subjects = named or (d.models if d.intent != "filter" else ())
    if not subjects and attribute and ctx.models and toks & PRONOUNS:
        subjects = ctx.models[:1]  # "tell me about BERT" -> "how big is it?"
    set_words = (m.constraints or m.count or m.group_developer or m.alternative_to
                 or m.sort or cats or excluded or developer)
    # "what's the biggest size of Galactica?" is a value; "the newest Llama" ranks a family.
    if (subjects and attribute and not set_words
            and (m.superlative is None or attribute == "parameters")):
        return Query("value", subjects=subjects, projection=attribute, order=m.superlative)
    if (m.alternative_to and not (cats or excluded or m.constraints or developer or order
                                  or m.count) and d.intent == "similar_models"):
        return None  # "which models are similar to BERT?": the intent's own answer
    last = _last_set(ctx, kb)
    refers = m.list_ref or m.narrow
    if not (m.any or set_like or (refers and last is not None
                                  and (cats or excluded or m.constraints))):
        return None
    family = ""
    if order is not None and len(named) == 1:
        family = _family(kb, named[0])
        named = () if family else named
    if order is not None and not named and r.res.ambiguities:
        named = tuple(c.id for c in r.res.ambiguities[0].candidates if c.kind == "model")
    if m.their and not developer and ctx.models and kb.has_model(ctx.models[0]):
        developer = _developer_name(kb, kb.model(ctx.models[0]).developer)
    from_last = False
    base = Query("list")
    names_a_set = bool(named or family or developer or cats or m.alternative_to)
    if last is not None and (refers or (order is not None and not names_a_set)
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
    about_models = bool(toks & MODEL_WORDS or r.res.of_kind("model") or cats or developer)
    if m.unrankable and not cats and not constraints and not developer and not family:
        # "which models are best at poetry?" is ours to decline; "translate good morning"
        # is not a question about models at all
        return Query("cannot", cannot=m.unrankable) if about_models else None
    if m.unrankable:
        cannot = m.unrankable
    limit = 1 if order is not None and m.superlative is not None and form == "list" else 0
    return Query(
        form, subjects=named if not from_last else base.subjects,
        family=family or base.family, from_last=from_last,
        seed_only=base.seed_only or (m.seed_only and bool(cats or m.count or order)),
        categories=_unique([*base.categories, *cats]),
        excluded=_unique([*base.excluded, *excluded]),
        developer=developer or base.developer,
        excluded_developer=r.negated_developer or base.excluded_developer,
        constraints=constraints, order=order if order is not None else m.sort, limit=limit,
        alternative_to=m.alternative_to or base.alternative_to, cannot=cannot)


def _family(kb: KnowledgeBase, model_id: str) -> str:
    """ "Llama" in "the newest Llama" stands for its family."""
    if not kb.has_model(model_id):
        return ""
    model = kb.model(model_id)
    if model.kind == "family":
        return model.id
    return model.family


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
    return None


def decode_terms(terms: tuple[str, ...], kb: KnowledgeBase) -> Query | None:
    """``Query.to_terms`` read back; ids the knowledge base does not hold are dropped, so a
    tampered state can narrow nothing it should not."""
    cat_ids = {c.id for c in kb.categories}
    dev_names = {dev.name for dev in kb.developers}
    subjects, cats, excluded, constraints = [], [], [], []
    family = developer = not_developer = like = ""
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
            not_developer = value
        elif kind == "like" and kb.has_model(value):
            like = value
        elif kind == "seed_only":
            seed_only = True
        elif kind == "constraint":
            parts = value.split(":", 3)
            if (len(parts) == 4 and parts[0] in ("date", "size")
                    and parts[1] in (">", ">=", "<", "<=", "=", "~")):
                try:
                    constraints.append(Constraint(parts[0], parts[1], float(parts[2]),
                                                  parts[3]))
                except ValueError:
                    continue
    return Query("list", subjects=tuple(subjects), family=family, categories=tuple(cats),
                 excluded=tuple(excluded), developer=developer,
                 excluded_developer=not_developer, constraints=tuple(constraints),
                 alternative_to=like, seed_only=seed_only)
