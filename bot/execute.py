"""Stage 5a: the knowledge base runs a Query, with indexes, and returns a typed Result.

Sets are row numbers (category member arrays, a developer's rows, a family's rows); dates and
sizes are read from sorted indexes built once, so "the newest open-source model" over 100,000
models walks the date index until it meets one, and "how many ..." counts rows without
making a Model for each. Only the rows an answer shows become Model values.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import field

from .knowledge import KnowledgeBase, Model
from .memo import memo
from .mentions import Constraint
from .query import Query
from .query_indexes import Facts, QueryIndexes, query_indexes
from .values import value

PAGE = 20
MAX_COMPARED = 5  # "is Falcon bigger than LLaMA, BLOOM and OPT?": the subject and 4 more
SIMILAR_POOL = 2000  # candidates scored for "alternatives to X"
SET_MEMO = 16  # category, developer and bound sets kept per executor


@value
class Result:
    query: Query
    models: tuple[Model, ...] = ()  # what the answer shows, in order
    total: int = 0  # how many the set holds
    missing: int = 0  # of the set, how many lack the attribute ordered on
    groups: tuple[tuple[str, int], ...] = ()  # (developer, count), most first
    verdict: str = ""  # yes | no | unknown, for a comparison
    ties: int = 0  # how many share the best value of "the newest …"
    all_ids: tuple[str, ...] = field(default=(), repr=False)  # the set's shown ids
    checks: tuple[str, ...] = ()  # yes | no | unknown per (model, constraint) of a "holds"


def _holds(c: Constraint, f: Facts, r: int) -> bool:
    if c.attribute == "date":
        y = f.year[r]
        if y is None:
            return False
        if c.op == "=":
            return y == int(c.value)
        year = float(y)
        return {">": year > c.value, ">=": year >= c.value, "<": year < c.value,
                "<=": year <= c.value}.get(c.op, False)
    sizes = [s.total for s in f.sizes[r]]
    if not sizes:
        return False
    if c.op == "~" or c.op == "=":
        return any(abs(s - c.value) <= 0.1 * c.value for s in sizes)
    top = max(sizes)  # "fewer than 1B parameters": every published size is under 1B
    return {">": top > c.value, ">=": top >= c.value, "<": top < c.value,
            "<=": top <= c.value}.get(c.op, False)


class Executor:
    """Built once per Bot from its knowledge base; read-only afterwards."""

    def __init__(self, kb: KnowledgeBase,
                 commercial: Callable[[str], str] = lambda licence: "",
                 licence_id: Callable[[str], str] = lambda licence: "",
                 indexes: QueryIndexes | None = None,
                 concept_models: Callable[[str], tuple[str, ...]] = lambda cid: ()) -> None:
        """``commercial`` tells what a licence text allows commercially ("allowed",
        "conditional", "not-allowed" or "" when unknown), from the licence table.
        ``indexes``: made with the compiled knowledge (``query_indexes``), else here.
        ``concept_models``: the ids of a curated concept's models (none if unknown)."""
        self.kb = kb
        texts = set(kb.column("license"))
        allows = {t: commercial(t) for t in texts if t}
        self._commercial: Callable[[str], str] = lambda t: allows.get(t, "")
        licence_ids = {t: licence_id(t) for t in texts if t}
        self._licence_of: Callable[[str], str] = lambda t: licence_ids.get(t, "")
        self._ix = indexes if indexes is not None else query_indexes(kb)
        self._all = frozenset(range(len(kb.model_ids)))
        # The sets questions name, remembered (lru_cache is thread-safe; the sets frozen):
        # "open-source" at 100,000 models is built once, not per question.
        self._category_set = memo(self, Executor._category_set_uncached, SET_MEMO)
        self._developer_set = memo(self, Executor._developer_set_uncached, SET_MEMO)
        self._bounded_set = memo(self, Executor._bounded_set_uncached, SET_MEMO)
        self._licence_set = memo(self, Executor._licence_set_uncached, 4)
        self._modality_set = memo(self, Executor._modality_set_uncached, 4)
        self._domain_set = memo(self, Executor._domain_set_uncached, 4)
        self._concept_models = concept_models
        self._licence_id_set = memo(self, Executor._licence_id_set_uncached, 8)

    # -- sets -----------------------------------------------------------------------------
    def members(self, q: Query) -> frozenset[int]:
        """The query's set as row numbers, by set algebra in C: each thing the query names
        is a (cached) frozenset, intersected smallest first, the exclusions taken away."""
        kb = self.kb
        sets: list[frozenset[int]] = []
        if q.subjects:
            sets.append(frozenset(kb.model_row(m) for m in q.subjects if kb.has_model(m)))
        if q.family:
            rows = self._ix.family_rows.get(q.family, ())
            if not rows and kb.has_model(q.family):
                rows = (kb.model_row(q.family),)
            sets.append(frozenset(rows))
        if q.developer:
            sets.append(self._developer_set(q.developer))
        sets += [self._category_set(cid, q.seed_only) for cid in q.categories]
        # "models from 2019 and 2021": the years one message names are either year (they
        # share their text); a follow-up's year narrows them ("which of those … in 2019?")
        either: dict[str, list[Constraint]] = {}
        for c in q.constraints:
            if c.attribute == "date" and c.op == "=":
                either.setdefault(c.text, []).append(c)
        for group in either.values():
            sets.append(frozenset().union(*map(self._bounded_set, group)))
        sets += [self._bounded_set(c) for c in q.constraints
                 if c.op != "~" and not (c.attribute == "date" and c.op == "=")]
        if q.seed_only and not q.categories:
            sets.append(self._ix.seeded)
        if q.licence_use:
            sets.append(self._licence_set(q.licence_use))
        if q.modality:
            sets.append(self._modality_set(q.modality))
        if q.domain:
            sets.append(self._domain_set(q.domain))
        if q.concept:
            sets.append(frozenset(kb.model_row(m) for m in self._concept_models(q.concept)
                                  if kb.has_model(m)))
        if q.licence:
            sets.append(self._licence_id_set(q.licence))
        if not sets:
            result = self._all
        else:
            sets.sort(key=len)
            result = sets[0].intersection(*sets[1:]) if len(sets) > 1 else sets[0]
        banned = [self._category_set(cid, False) for cid in q.excluded]
        banned += [self._developer_set(d) for d in q.excluded_developers]
        if banned:
            result = result.difference(*banned)
        for c in q.constraints:
            if c.op == "~":  # near a size: the rows with a size in the window, each checked
                f = self._ix.facts
                result = frozenset(r for r in result & self._near_rows(c) if _holds(c, f, r))
        return result

    def _near_rows(self, c: Constraint) -> frozenset[int]:
        """Rows with a published size within 10% of the value ("about 7B"), by bisecting
        the index of every size; the window is a hair wider, and each row is checked."""
        values, rows = self._ix.every_size
        margin = abs(c.value) * 0.1 * (1 + 1e-9)
        return frozenset(rows[bisect_left(values, c.value - margin):
                              bisect_right(values, c.value + margin)])

    def rows(self, q: Query) -> list[int]:
        """The set in order: the named models as named, otherwise catalogue order."""
        found = self.members(q)
        if q.subjects:
            kb = self.kb
            return [r for r in dict.fromkeys(kb.model_row(m) for m in q.subjects
                                             if kb.has_model(m)) if r in found]
        return sorted(found)

    def _developer_set_uncached(self, developer: str) -> frozenset[int]:
        kb = self.kb
        return frozenset(kb.model_row(m) for m in _ids(kb.models_by(developer)))

    def _category_set_uncached(self, cid: str, seed_only: bool) -> frozenset[int]:
        kb = self.kb
        if seed_only:
            return frozenset(kb.model_row(p.model_id) for p in kb.members(cid, "seed"))
        return frozenset(kb.member_rows(cid))

    def _bounded_set_uncached(self, c: Constraint) -> frozenset[int]:
        return frozenset(self._bounded_rows(c))

    def _licence_set_uncached(self, use: str) -> frozenset[int]:
        wanted = {"allowed"} if use == "permissive" else {"allowed", "conditional"}
        return frozenset(r for r, text in enumerate(self.kb.column("license"))
                         if text and self._commercial(text) in wanted)

    def _licence_id_set_uncached(self, licence_id: str) -> frozenset[int]:
        return frozenset(r for r, text in enumerate(self.kb.column("license"))
                         if text and self._licence_of(text) == licence_id)

    def _domain_set_uncached(self, domain: str) -> frozenset[int]:
        return frozenset(r for r, kinds in enumerate(self.kb.column("domain")) if domain in kinds)

    def _modality_set_uncached(self, modality: str) -> frozenset[int]:
        return frozenset(r for r, kinds in enumerate(self.kb.column("modality"))
                         if modality in kinds)

    def _bounded_rows(self, c: Constraint) -> list[int]:
        """Rows whose year (or largest size) meets the bound, by bisecting its index, in
        the index's order (by year, or by size)."""
        values, rows = self._ix.index[c.attribute]
        v = c.value
        lo, hi = {">": (bisect_right(values, v), len(values)),
                  ">=": (bisect_left(values, v), len(values)),
                  "<": (0, bisect_left(values, v)), "<=": (0, bisect_right(values, v)),
                  "=": (bisect_left(values, v), bisect_right(values, v))}[c.op]
        return rows[lo:hi]

    def meets(self, model_id: str, constraints: Sequence[Constraint]) -> bool:
        """Whether a model meets every bound ("the 7B one" among the candidates asked)."""
        if not self.kb.has_model(model_id):
            return False
        row = self.kb.model_row(model_id)
        return all(self._check(c, row) == "yes" for c in constraints)

    def _check(self, c: Constraint, row: int) -> str:
        f = self._ix.facts
        if (f.year[row] is None) if c.attribute == "date" else not f.sizes[row]:
            return "unknown"
        return "yes" if _holds(c, f, row) else "no"

    def run(self, q: Query) -> Result:
        kb = self.kb
        if q.form == "verdict" or (q.form == "pick" and q.comparison is not None):
            return self._compare(q)
        if q.form in ("value", "is_from", "no_such", "holds"):
            named = tuple(kb.model(m) for m in q.subjects if kb.has_model(m))
            checks = tuple(self._check(c, kb.model_row(m.id)) for m in named
                           for c in q.constraints) if q.form == "holds" else ()
            return Result(q, named, checks=checks)
        if q.variants and q.order is not None and q.order.attribute == "size":
            return self._pick_at_sizes(q)
        if q.subjects:  # a pick or a list among named models keeps their order
            found = self.members(q)
            rows = [r for r in self.rows(q) if r in found]
            pool: frozenset[int] = frozenset(rows)
        else:
            pool = self.members(q)
            rows = []
        if q.alternative_to and kb.has_model(q.alternative_to):
            rows = self._like(q.alternative_to, sorted(pool)[:SIMILAR_POOL])
            pool = frozenset(rows)
        total = len(pool)
        if q.form == "group":
            counts = Counter(map(self._ix.row_org.__getitem__, pool))  # counted in C
            counts.pop("", None)
            groups = tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
            return Result(q, total=total, groups=groups[:8])
        missing = ties = 0
        if q.order is not None:
            attr, desc = q.order.attribute, q.order.order == "desc"
            if q.limit == 1 and not q.rank:  # "the newest …": the set's first rows, ties all
                rows, missing, ties = self._top(pool, attr, desc)
            elif q.limit:  # "the three newest", "the second largest": the first n by value
                f, names = self._ix.facts, kb.model_names
                known = pool & self._ix.known[attr]
                missing = total - len(known)
                sign = -1.0 if desc else 1.0
                rows = heapq.nsmallest(max(q.limit, q.rank), known, key=lambda r: (
                    sign * (f.value(r, attr) or 0.0), names[r].casefold()))
                rows = rows[q.rank - 1:q.rank] if q.rank else rows
            else:  # "sort them by size": the page by value, unknown values last
                f, names = self._ix.facts, kb.model_names
                known = pool & self._ix.known[attr]
                missing = total - len(known)
                sign = -1.0 if desc else 1.0
                rows = heapq.nsmallest(PAGE, known, key=lambda r: (
                    sign * (f.value(r, attr) or 0.0), names[r].casefold()))
                if len(rows) < PAGE:
                    rows += sorted(pool - known)[: PAGE - len(rows)]
        elif not rows:
            rows = self._default_order(q, pool)
        shown = tuple(kb.models[r] for r in rows[:PAGE])
        return Result(q, shown, total=total, missing=missing, ties=ties,
                      all_ids=tuple(m.id for m in shown))

    def _top(self, members: frozenset[int], attribute: str, desc: bool
             ) -> tuple[list[int], int, int]:
        """The rows sharing the best value (ties all returned, by name), and how many of
        the set have no value; reads the index from its best end, not the whole set."""
        values, order = self._ix.order_index[attribute]
        span = range(len(order) - 1, -1, -1) if desc else range(len(order))
        best: float | None = None
        ties: list[int] = []
        for i in span:
            r = order[i]
            if r not in members:
                continue
            if best is None:
                best = values[i]
            elif values[i] != best:
                break
            ties.append(r)
        missing = len(members) - len(members & self._ix.known[attribute])
        names = self.kb.model_names
        page = heapq.nsmallest(PAGE, ties, key=lambda r: names[r].casefold())
        return page, missing, len(ties)

    def _default_order(self, q: Query, pool: frozenset[int]) -> list[int]:
        """The page to show: by the size a question bounds (smallest first for "fewer
        than"), otherwise the taxonomy's own examples first, then catalogue order (the
        classic models before the newest, as the knowledge files list them)."""
        size = next((c for c in q.constraints if c.attribute == "size"), None)
        if size is not None:
            big = self._ix.largest
            sign = 1.0 if size.op in ("<", "<=") else -1.0
            return heapq.nsmallest(PAGE, pool, key=lambda r: (sign * big[r], r))
        page = sorted(pool & self._ix.seeded)[:PAGE]  # (sorted in C: no key call per row)
        if len(page) < PAGE:
            page += sorted(pool - self._ix.seeded)[:PAGE - len(page)]
        return page

    def _like(self, target: str, rows: list[int]) -> list[int]:
        """Candidates ranked by categories shared with the target (ties by name)."""
        kb = self.kb
        mine = frozenset(p.category_id for p in kb.placements_of(target))
        # A rare category shared says more than a common one: "multimodal" over
        # "transformer-based" (each weighed by how few models it holds).
        weight = {c: math.log((1 + len(self._all)) / (1 + len(kb.member_rows(c))))
                  for c in mine}
        fam = kb.model(target).family
        # What it is specialised for counts the same way: Codex is most like other code
        # models, not like a finance model that shares "domain-specific".
        own_domains = kb.model(target).domain
        domain_weight = {d: math.log((1 + len(self._all)) / (1 + len(self._domain_set(d))))
                         for d in own_domains}
        # and what else than text it handles: DALL-E is most like other image models
        own_modalities = [x for x in kb.model(target).modality if x != "text"]
        domain_weight.update({x: math.log((1 + len(self._all))
                                          / (1 + len(self._modality_set(x))))
                              for x in own_modalities})
        scored = []
        ids, families, kinds = kb.model_ids, kb.column("family"), kb.column("kind")
        cats, names, domains = kb.column("categories"), kb.model_names, kb.column("domain")
        modalities = kb.column("modality")
        overlap: dict[int, float] = {}  # equal category lists are one object (see _columns)
        for r in rows[:SIMILAR_POOL]:
            if ids[r] == target or (fam and families[r] == fam) or kinds[r] == "family":
                continue
            theirs = cats[r]
            shared = overlap.get(id(theirs))
            if shared is None:
                shared = overlap[id(theirs)] = sum(weight[c] for c in mine.intersection(theirs))
            if own_domains and domains[r]:
                shared += sum(domain_weight.get(d, 0.0) for d in domains[r])
            if own_modalities:
                shared += sum(domain_weight.get(x, 0.0) for x in modalities[r] if x != "text")
            scored.append((-shared, names[r].casefold(), r))
        scored.sort()
        return [r for _, _, r in scored]

    def _value(self, q: Query, model_id: str, attribute: str) -> float | None:
        """A model's date or size; the size it was named at when it was ("Llama 2 13B")."""
        at = q.variant(model_id) if attribute == "size" else None
        return at if at is not None else self._ix.facts.value(self.kb.model_row(model_id),
                                                               attribute)

    def _pick_at_sizes(self, q: Query) -> Result:
        """ "which is bigger, Llama 2 13B or Mistral 7B?": each at the size it was named at."""
        assert q.order is not None
        sign = -1.0 if q.order.order == "desc" else 1.0
        ids = [m for m in q.subjects if self.kb.has_model(m)]
        sizes = {m: self._value(q, m, "size") for m in ids}
        ranked = sorted((m for m in ids if sizes[m] is not None),
                        key=lambda m: sign * (sizes[m] or 0.0))
        models = tuple(self.kb.model(m) for m in ranked + [m for m in ids if sizes[m] is None])
        return Result(q, models, total=len(models), missing=len(ids) - len(ranked),
                      all_ids=tuple(x.id for x in models))

    def _compare(self, q: Query) -> Result:
        kb = self.kb
        c = q.comparison
        assert c is not None
        a, *rest = (kb.model(m) for m in q.subjects[:MAX_COMPARED])
        va = self._value(q, a.id, c.attribute)
        verdicts = []
        for b in rest:  # the subject against each other model named
            vb = self._value(q, b.id, c.attribute)
            verdict = "unknown"
            if va is not None and vb is not None:
                same_year = (c.attribute == "date" and a.year == b.year
                             and not (a.month and b.month))
                if va == vb or same_year:
                    verdict = "same"
                else:
                    verdict = "yes" if (va > vb) == (c.op == ">") else "no"
            verdicts.append(verdict)
        return Result(q, (a, *rest), total=1 + len(rest), verdict=verdicts[0],
                      checks=tuple(verdicts))


def _ids(models: Sequence[Model]) -> Iterable[str]:
    """Model ids of a ModelList without making the models (or of any sequence of them)."""
    ids = getattr(models, "_ids", None)
    return ids() if callable(ids) else (m.id for m in models)
