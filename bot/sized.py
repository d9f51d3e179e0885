"""A model named at one of its sizes ("Llama 2 13B") and another model's fact used as a
bound ("bigger than GPT-3"): the two places where a question's model stands for one number."""

from __future__ import annotations

from .attributes import largest, size_named
from .frozen import evolve
from .knowledge import KnowledgeBase
from .mentions import Constraint, Mentions, ModelComparison
from .query import Query


def bound_by(kb: KnowledgeBase, c: ModelComparison) -> Constraint | None:
    """ "bigger than GPT-3": more than its largest size; "released after Llama 2": after its
    year (a year is what every model has; months only some); None without that fact."""
    if not kb.has_model(c.other):
        return None
    model = kb.model(c.other)
    if c.attribute == "date":
        return (Constraint("date", c.op, float(model.year), f"than {model.name}")
                if model.year is not None else None)
    top = largest(model.sizes)
    return Constraint("size", c.op, top, f"than {model.name}") if top else None


def at_sizes(q: Query, m: Mentions, kb: KnowledgeBase, sized: bool) -> Query:
    """A size named after a subject ("is Llama 2 13B bigger than Mistral 7B?") is that
    subject's size in a size question, at its published figure. A size it does not have
    ("Llama 2 30B") turns the question into what is known of its sizes, never an answer
    about another size of it."""
    if not sized or not m.variants:
        return q
    held = []
    for mid, count in m.variants:
        if mid not in q.subjects or not kb.has_model(mid):
            continue
        size = size_named(kb.model(mid).sizes, count)
        if size is None:
            return Query("value", subjects=(mid,), projection="parameters",
                         variants=((mid, count),))
        held.append((mid, size.total))
    return evolve(q, variants=tuple(held)) if held else q
