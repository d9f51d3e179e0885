"""Stage 5a: the knowledge base runs a Query, with indexes, and returns a typed Result.

Sets are row numbers (category member arrays, a developer's rows, a family's rows); dates and
sizes are read from sorted indexes built once, so "the newest open-source model" over 100,000
models walks the date index until it meets one, and "how many ..." counts rows without
making a Model for each. Only the rows an answer shows become Model values.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from .attributes import Size, date_key, largest
from .knowledge import KnowledgeBase, Model
from .mentions import Constraint
from .query import Query

PAGE = 20
SIMILAR_POOL = 2000  # candidates scored for "alternatives to X"


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

    def __init__(self, kb: KnowledgeBase,
                 commercial: Callable[[str], str] = lambda licence: "") -> None:
        """``commercial`` tells what a licence text allows commercially ("allowed",
        "conditional", "not-allowed" or "" when unknown), from the licence table."""
        self.kb = kb
        texts = set(kb.column("license"))
        allows = {t: commercial(t) for t in texts if t}
        self._commercial: Callable[[str], str] = lambda t: allows.get(t, "")
        self._facts = _Facts(kb.column("year"), kb.column("month"), kb.column("sizes"))
        # Sorted indexes: a bound on the year or the largest size is two bisections.
        by_year = sorted((y, r) for r, y in enumerate(self._facts.year) if y is not None)
        by_size = sorted((v, r) for r in range(len(kb.model_ids))
                         if (v := largest(self._facts.sizes[r])) is not None)
        self._index = {"date": ([float(v) for v, _ in by_year], [r for _, r in by_year]),
                       "size": ([v for v, _ in by_size], [r for _, r in by_size])}
        # For "newest": release dates with months, sorted; and who has a date or a size.
        by_date = sorted((v, r) for r in range(len(kb.model_ids))
                         if (v := self._facts.value(r, "date")) is not None)
        self._order_index = {"date": ([v for v, _ in by_date], [r for _, r in by_date]),
                             "size": self._index["size"]}
        self._largest = [largest(s) or 0.0 for s in self._facts.sizes]
        self._known = {"date": frozenset(r for _, r in by_date),
                       "size": frozenset(r for _, r in by_size)}
        # Each distinct developer text ("Google Research and DeepMind") to its organisation.
        self._org = {text: next((d.name for d in kb.developers
                                 if d.name.casefold() in text.casefold()), text)
                     for text in set(kb.column("developer")) if text}
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
        """The query's set as row numbers, in catalogue order (seed examples first where a
        category starts it); the smallest set the query names is the starting point."""
        kb = self.kb
        keep: list[frozenset[int] | set[int]] = []
        start: list[int] | None = None
        if q.subjects:
            start = [kb.model_row(m) for m in q.subjects if kb.has_model(m)]
        elif q.family:
            start = list(self._family_rows.get(q.family, ()))
            if not start and kb.has_model(q.family):
                start = [kb.model_row(q.family)]
        if q.developer:
            dev = self._developer_rows(q.developer)
            if start is None:
                start = list(dev)
            else:
                keep.append(set(dev))
        cats = sorted(q.categories, key=lambda c: len(kb.member_rows(c)))
        for cid in cats:
            rows = self._category_rows(cid, q.seed_only)
            if start is None:
                start = rows
            else:
                keep.append(set(rows))
        bounds = [c for c in q.constraints if c.op != "~"]
        if start is None and bounds:  # "models released in 2019": the index's slice
            slices = sorted((self._bounded_rows(c) for c in bounds), key=len)
            start = slices[0]
            keep.extend(frozenset(s) for s in slices[1:])
        else:
            keep.extend(frozenset(self._bounded_rows(c)) for c in bounds)
        if start is None:
            start = list(range(len(kb.model_ids)))
        banned: set[int] = set()
        for cid in q.excluded:
            banned.update(kb.member_rows(cid))
        if q.excluded_developer:
            banned.update(self._developer_rows(q.excluded_developer))
        if q.seed_only and not q.categories:
            keep.append(self._seeded)
        if q.licence_use:
            wanted = {"allowed"} if q.licence_use == "permissive" else {"allowed", "conditional"}
            keep.append({r for r, text in enumerate(kb.column("license"))
                         if text and self._commercial(text) in wanted})
        if q.modality:
            keep.append({r for r, kinds in enumerate(kb.column("modality"))
                         if q.modality in kinds})
        out = [r for r in start if r not in banned and all(r in k for k in keep)]
        for c in q.constraints:
            if c.op == "~":  # near a size: any published size counts, so it is read
                f = self._facts
                out = [r for r in out if _holds(c, f, r)]
        return out

    def _developer_rows(self, developer: str) -> list[int]:
        kb = self.kb
        return [kb.model_row(m) for m in _ids(kb.models_by(developer))]

    def _bounded_rows(self, c: Constraint) -> list[int]:
        """Rows whose year (or largest size) meets the bound, by bisecting its index, in
        the index's order (by year, or by size)."""
        values, rows = self._index[c.attribute]
        v = c.value
        lo, hi = {">": (bisect_right(values, v), len(values)),
                  ">=": (bisect_left(values, v), len(values)),
                  "<": (0, bisect_left(values, v)), "<=": (0, bisect_right(values, v)),
                  "=": (bisect_left(values, v), bisect_right(values, v))}[c.op]
        return rows[lo:hi]

    def _category_rows(self, cid: str, seed_only: bool) -> list[int]:
        kb = self.kb
        if seed_only:
            return [kb.model_row(p.model_id) for p in kb.members(cid, "seed")]
        return kb.member_rows(cid)

    # -- the query ------------------------------------------------------------------------
    def run(self, q: Query) -> Result:
        kb = self.kb
        if q.form == "verdict" or (q.form == "pick" and q.comparison is not None):
            return self._compare(q)
        if q.form in ("value", "is_from", "no_such"):
            return Result(q, tuple(kb.model(m) for m in q.subjects if kb.has_model(m)))
        rows = self.rows(q)
        if q.alternative_to and kb.has_model(q.alternative_to):
            rows = self._like(q.alternative_to, rows)
        total = len(rows)
        if q.form == "group":
            counts: dict[str, int] = {}
            developers, org = kb.column("developer"), self._org
            for r in rows:
                dev = developers[r]
                if dev:
                    name = org.get(dev, dev)
                    counts[name] = counts.get(name, 0) + 1
            groups = tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
            return Result(q, total=total, groups=groups[:8])
        missing = 0
        if q.order is not None:
            attr, desc = q.order.attribute, q.order.order == "desc"
            f = self._facts
            if q.limit:  # "the newest …": walk the sorted index to the set's first rows
                rows, missing = self._top(rows, attr, desc)
            else:
                keyed = [(v, r) for r in rows if (v := f.value(r, attr)) is not None]
                missing = total - len(keyed)
                keyed.sort(key=lambda vr: (-vr[0] if desc else vr[0], kb.model_names[vr[1]]))
                known = {r for _, r in keyed}  # "sort them by size": unknown sizes go last
                rows = [r for _, r in keyed] + [r for r in rows if r not in known]
        elif q.form in ("list", "count") and not q.alternative_to:
            rows = self._default_order(q, rows)
        shown = tuple(kb.models[r] for r in rows[:PAGE])
        return Result(q, shown, total=total, missing=missing,
                      all_ids=tuple(m.id for m in shown))

    def _top(self, rows: list[int], attribute: str, desc: bool) -> tuple[list[int], int]:
        """The rows sharing the best value (ties all returned, by name), and how many of
        the set have no value; reads the index from its best end, not the whole set."""
        members = set(rows)
        values, order = self._order_index[attribute]
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
        known = self._known[attribute]
        missing = sum(1 for r in rows if r not in known)
        names = self.kb.model_names
        return sorted(ties, key=lambda r: names[r].casefold()), missing

    def _default_order(self, q: Query, rows: list[int]) -> list[int]:
        """By the attribute the question constrains (smallest first for "fewer than"),
        otherwise the taxonomy's own examples first, then in catalogue order (the classic
        models before the newest, as the knowledge files list them)."""
        size = next((c for c in q.constraints if c.attribute == "size"), None)
        if size is not None:
            big = self._largest
            return sorted(rows, key=lambda r: big[r], reverse=size.op not in ("<", "<="))
        seeded = self._seeded
        first = [r for r in rows if r in seeded]  # a page is all that is shown: stop there
        rest = []
        for r in rows:
            if r not in seeded:
                rest.append(r)
                if len(rest) >= PAGE:
                    break
        return [*first, *rest]

    def _like(self, target: str, rows: list[int]) -> list[int]:
        """Candidates ranked by categories shared with the target (ties by name)."""
        kb = self.kb
        mine = frozenset(p.category_id for p in kb.placements_of(target))
        fam = kb.model(target).family
        scored = []
        ids, families, kinds = kb.model_ids, kb.column("family"), kb.column("kind")
        cats, names = kb.column("categories"), kb.model_names
        overlap: dict[int, int] = {}  # equal category lists are one object (see _columns)
        for r in rows[:SIMILAR_POOL]:
            if ids[r] == target or (fam and families[r] == fam) or kinds[r] == "family":
                continue
            theirs = cats[r]
            shared = overlap.get(id(theirs))
            if shared is None:
                shared = overlap[id(theirs)] = len(mine.intersection(theirs))
            scored.append((-shared, names[r].casefold(), r))
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


def _ids(models: Sequence[Model]) -> Iterable[str]:
    """Model ids of a ModelList without making the models (or of any sequence of them)."""
    ids = getattr(models, "_ids", None)
    return ids() if callable(ids) else (m.id for m in models)
