"""Stage 5a: the knowledge base runs a Query, with indexes, and returns a typed Result.

Sets are row numbers (category member arrays, a developer's rows, a family's rows); dates and
sizes are read from sorted indexes built once, so "the newest open-source model" over 100,000
models walks the date index until it meets one, and "how many ..." counts rows without
making a Model for each. Only the rows an answer shows become Model values.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

from .attributes import Size, date_key, largest
from .knowledge import KnowledgeBase, Model
from .mentions import Constraint
from .query import Query

PAGE = 20
SIMILAR_POOL = 5000  # candidates scored for "alternatives to X"


@dataclass(frozen=True)
class Result:
    query: Query
    models: tuple[Model, ...] = ()  # what the answer shows, in order
    total: int = 0  # how many the set holds
    missing: int = 0  # of the set, how many lack the attribute ordered on
    groups: tuple[tuple[str, int], ...] = ()  # (developer, count), most first
    verdict: str = ""  # yes | no | unknown, for a comparison
    all_ids: tuple[str, ...] = field(default=(), repr=False)  # the set's shown ids


@dataclass(frozen=True)
class _Facts:
    """The columns a query reads, by row."""

    year: tuple[int | None, ...]
    month: tuple[int | None, ...]
    sizes: tuple[tuple[Size, ...], ...]

    def value(self, r: int, attribute: str) -> float | None:
        if attribute == "date":
            return date_key(self.year[r], self.month[r])
        return largest(self.sizes[r])


def _holds(c: Constraint, f: _Facts, r: int) -> bool:
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

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._facts = _Facts(kb.column("year"), kb.column("month"), kb.column("sizes"))
        # Sorted indexes: a bound on the year or the largest size is two bisections.
        by_year = sorted((y, r) for r, y in enumerate(self._facts.year) if y is not None)
        by_size = sorted((v, r) for r in range(len(kb.model_ids))
                         if (v := largest(self._facts.sizes[r])) is not None)
        self._index = {"date": ([float(v) for v, _ in by_year], [r for _, r in by_year]),
                       "size": ([v for v, _ in by_size], [r for _, r in by_size])}
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
        self._family_rows = {k: tuple(r for r in v if kinds[r] != "family"
                                      or not fam.get(ids[r])) for k, v in fam.items()}
        self._seeded = frozenset(kb.model_row(p.model_id) for c in kb.categories
                                 for p in kb.members(c.id, "seed"))

    # -- sets -----------------------------------------------------------------------------
    def rows(self, q: Query) -> list[int]:
        kb = self.kb
        if q.subjects:
            rows: list[int] = [kb.model_row(m) for m in q.subjects if kb.has_model(m)]
        elif q.family:
            rows = list(self._family_rows.get(q.family, ()))
            if not rows and kb.has_model(q.family):
                rows = [kb.model_row(q.family)]
        elif q.developer:
            rows = [kb.model_row(m.id) for m in kb.models_by(q.developer)]
        else:
            rows = list(range(len(kb.model_ids)))
        for cid in q.categories:
            keep = self._category_rows(cid, q.seed_only)
            rows = [r for r in rows if r in keep]
        if q.seed_only and not q.categories:
            keep = {kb.model_row(p.model_id) for c in kb.categories
                    for p in kb.members(c.id, "seed")}
            rows = [r for r in rows if r in keep]
        if q.excluded:
            banned = set().union(*(self._category_rows(c, False) for c in q.excluded))
            rows = [r for r in rows if r not in banned]
        if q.developer and (q.subjects or q.family):
            mine = {kb.model_row(m.id) for m in kb.models_by(q.developer)}
            rows = [r for r in rows if r in mine]
        if q.excluded_developer:
            theirs = {kb.model_row(m.id) for m in kb.models_by(q.excluded_developer)}
            rows = [r for r in rows if r not in theirs]
        for c in q.constraints:
            if c.op == "~":  # near a size: any published size counts, so it is read
                f = self._facts
                rows = [r for r in rows if _holds(c, f, r)]
            else:
                bounded = self._bounded(c)
                rows = [r for r in rows if r in bounded]
        return rows

    def _bounded(self, c: Constraint) -> frozenset[int]:
        """Rows whose year (or largest size) meets the bound, by bisecting its index."""
        values, rows = self._index[c.attribute]
        v = c.value
        lo, hi = {">": (bisect_right(values, v), len(values)),
                  ">=": (bisect_left(values, v), len(values)),
                  "<": (0, bisect_left(values, v)), "<=": (0, bisect_right(values, v)),
                  "=": (bisect_left(values, v), bisect_right(values, v))}[c.op]
        return frozenset(rows[lo:hi])

    def _category_rows(self, cid: str, seed_only: bool) -> set[int]:
        kb = self.kb
        if seed_only:
            return {kb.model_row(p.model_id) for p in kb.members(cid, "seed")}
        return {kb.model_row(mid) for mid in _member_ids(kb, cid)}

    # -- the query ------------------------------------------------------------------------
    def run(self, q: Query) -> Result:
        kb = self.kb
        if q.form == "verdict" or (q.form == "pick" and q.comparison is not None):
            return self._compare(q)
        if q.form == "value":
            return Result(q, tuple(kb.model(m) for m in q.subjects if kb.has_model(m)))
        rows = self.rows(q)
        if q.alternative_to and kb.has_model(q.alternative_to):
            rows = self._like(q.alternative_to, rows)
        total = len(rows)
        if q.form == "group":
            counts: dict[str, int] = {}
            developers = kb.column("developer")
            for r in rows:
                dev = developers[r]
                if dev:
                    name = next((d.name for d in kb.developers
                                 if d.name.casefold() in dev.casefold()), dev)
                    counts[name] = counts.get(name, 0) + 1
            groups = tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
            return Result(q, total=total, groups=groups[:8])
        missing = 0
        if q.order is not None:
            attr, desc = q.order.attribute, q.order.order == "desc"
            f = self._facts
            keyed = [(v, r) for r in rows if (v := f.value(r, attr)) is not None]
            missing = total - len(keyed)
            keyed.sort(key=lambda vr: (-vr[0] if desc else vr[0], kb.model_names[vr[1]]))
            rows = [r for _, r in keyed]
            if q.limit and rows:
                best = keyed[0][0]
                ties = [r for v, r in keyed if v == best]
                rows = ties[: max(q.limit, len(ties))]
        elif q.form in ("list", "count") and not q.alternative_to:
            rows = self._default_order(q, rows)
        shown = tuple(kb.models[r] for r in rows[:PAGE])
        return Result(q, shown, total=total, missing=missing,
                      all_ids=tuple(m.id for m in shown))

    def _default_order(self, q: Query, rows: list[int]) -> list[int]:
        """By the attribute the question constrains (smallest first for "fewer than"),
        otherwise the taxonomy's own examples first, then in catalogue order (the classic
        models before the newest, as the knowledge files list them)."""
        f, names = self._facts, self.kb.model_names
        size = next((c for c in q.constraints if c.attribute == "size"), None)
        if size is not None:
            sign = 1 if size.op in ("<", "<=") else -1
            return sorted(rows, key=lambda r: (sign * (f.value(r, "size") or 0),
                                               names[r].casefold()))
        seeded = self._seeded
        return sorted(rows, key=lambda r: (r not in seeded, r))

    def _like(self, target: str, rows: list[int]) -> list[int]:
        """Candidates ranked by categories shared with the target (ties by name)."""
        kb = self.kb
        mine = {p.category_id for p in kb.placements_of(target)}
        fam = kb.model(target).family
        scored = []
        ids, families, kinds = kb.model_ids, kb.column("family"), kb.column("kind")
        for r in rows[:SIMILAR_POOL]:
            if ids[r] == target or (fam and families[r] == fam) or kinds[r] == "family":
                continue
            shared = len(mine.intersection(p.category_id for p in kb.placements_of(ids[r])))
            scored.append((-shared, kb.model_names[r].casefold(), r))
        scored.sort()
        return [r for _, _, r in scored]

    def _compare(self, q: Query) -> Result:
        kb = self.kb
        c = q.comparison
        assert c is not None
        a, b = (kb.model(m) for m in q.subjects[:2])
        f = self._facts
        va = f.value(kb.model_row(a.id), c.attribute)
        vb = f.value(kb.model_row(b.id), c.attribute)
        verdict = "unknown"
        if va is not None and vb is not None:
            same_year = c.attribute == "date" and a.year == b.year and not (a.month and b.month)
            if va == vb or same_year:
                verdict = "same"
            else:
                verdict = "yes" if (va > vb) == (c.op == ">") else "no"
        return Result(q, (a, b), total=2, verdict=verdict)


def _member_ids(kb: KnowledgeBase, cid: str) -> Iterable[str]:
    members = kb.members(cid)
    model_ids = getattr(members, "model_ids", None)
    if callable(model_ids):
        return list(model_ids())
    return [p.model_id for p in members]
