"""The sorted indexes and columns a query reads, made once with the compiled knowledge.

They are kept in the compiled cache beside the knowledge base: sorting 100,000 models' years,
dates and sizes at every start was most of a half-second of ``Bot()``."""

from __future__ import annotations

from .attributes import Size, date_key, largest
from .knowledge import KnowledgeBase
from .values import value


@value
class Facts:
    """The columns a query reads, by row."""

    year: tuple[int | None, ...]
    month: tuple[int | None, ...]
    sizes: tuple[tuple[Size, ...], ...]

    def value(self, r: int, attribute: str) -> float | None:
        if attribute == "date":
            return date_key(self.year[r], self.month[r])
        return largest(self.sizes[r])



@value
class QueryIndexes:
    facts: Facts
    index: dict[str, tuple[list[float], list[int]]]  # attribute: (sorted values, their rows)
    order_index: dict[str, tuple[list[float], list[int]]]  # "newest": dates with months
    largest: list[float]  # each row's largest size, 0 when none
    known: dict[str, frozenset[int]]  # the rows that have a date, a size
    row_org: tuple[str, ...]  # each row's developer organisation
    family_rows: dict[str, tuple[int, ...]]  # a family's members, its sub-families' too
    seeded: frozenset[int]  # the rows the seed taxonomy places
    every_size: tuple[list[float], list[int]]  # every published size: (sorted, its row)


def query_indexes(kb: KnowledgeBase) -> QueryIndexes:
    facts = Facts(kb.column("year"), kb.column("month"), kb.column("sizes"))
    # Sorted indexes: a bound on the year or the largest size is two bisections.
    by_year = sorted((y, r) for r, y in enumerate(facts.year) if y is not None)
    by_size = sorted((v, r) for r in range(len(kb.model_ids))
                     if (v := largest(facts.sizes[r])) is not None)
    index = {"date": ([float(v) for v, _ in by_year], [r for _, r in by_year]),
             "size": ([v for v, _ in by_size], [r for _, r in by_size])}
    # For "newest": release dates with months, sorted; and who has a date or a size.
    by_date = sorted((v, r) for r in range(len(kb.model_ids))
                     if (v := facts.value(r, "date")) is not None)
    order_index = {"date": ([v for v, _ in by_date], [r for _, r in by_date]),
                   "size": index["size"]}
    largest_size = [largest(s) or 0.0 for s in facts.sizes]
    known = {"date": frozenset(r for _, r in by_date),
             "size": frozenset(r for _, r in by_size)}
    # Each distinct developer text ("Google Research and DeepMind") to its organisation.
    org = {text: next((d.name for d in kb.developers
                       if d.name.casefold() in text.casefold()), text)
           for text in set(kb.column("developer")) if text}
    row_org = tuple(org.get(t, "") for t in kb.column("developer"))
    fam: dict[str, list[int]] = {}
    for r, f in enumerate(kb.column("family")):
        if f:
            fam.setdefault(f, []).append(r)
    # A family holds its sub-families' members too ("Llama" holds Llama 4 Scout).
    kinds = kb.column("kind")
    ids = kb.model_ids
    for f in list(fam):
        stack, seen = list(fam[f]), set(fam[f])
        while stack:
            r = stack.pop()
            for sub in fam.get(ids[r], ()) if kinds[r] == "family" else ():
                if sub not in seen:
                    seen.add(sub)
                    fam[f].append(sub)
                    stack.append(sub)
    family_rows = {k: tuple(r for r in v if kinds[r] != "family" or not fam.get(ids[r]))
                   for k, v in fam.items()}
    seeded = frozenset(kb.model_row(p.model_id) for c in kb.categories
                       for p in kb.members(c.id, "seed"))
    # "about 7B": any of a model's sizes may be near it, so every size is indexed
    every = sorted((size.total, r) for r, sizes in enumerate(facts.sizes) for size in sizes)
    every_size = ([v for v, _ in every], [r for _, r in every])
    return QueryIndexes(facts, index, order_index, largest_size, known, row_org, family_rows,
                        seeded, every_size)
