"""The knowledge base: typed, frozen facts and the queries the answer layer needs.

Nothing past the loader sees a YAML dict. Indexes are built once, in ``KnowledgeBase``'s
constructor, so every query is a dictionary look-up or a walk over one category's members.

Models are stored as columns (``bot.columns``) and category members as arrays of row
numbers; ``Model`` and ``Placement`` values (``bot.records``) are made when a query returns
them: a fraction of the memory of an object per model, and quick to read from the cache.
"""

from __future__ import annotations

import re
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, KeysView, Sequence
from dataclasses import field
from itertools import chain
from typing import Any

from .columns import (
    CATEGORIES_COL,
    DEVELOPER_COL,
    FIELDS,
    ID_COL,
    NAME_COL,
    NO_ROWS,
    REFERENCE_COL,
    YEAR_COL,
    Columns,
    ModelList,
    PlacementList,
    model_at,
    to_columns,
)
from .memo import memo
from .records import (
    AmbiguousName,
    Category,
    Developer,
    Dimension,
    Model,
    Placement,
    Provenance,
    SeedExample,
    Source,
)
from .values import value

__all__ = ["AmbiguousName", "Category", "Developer", "Dimension", "KnowledgeBase", "Model",
           "ModelList", "Placement", "Provenance", "SeedExample", "Source"]
SIMILAR_SCAN = 5000
MEMO_SIZE = 4096  # recent models and placement lists kept, per knowledge base


@value
class KnowledgeBase:
    source: Source
    dimensions: tuple[Dimension, ...]
    categories: tuple[Category, ...]
    models: Sequence[Model]
    ambiguous: tuple[AmbiguousName, ...] = ()
    developers: tuple[Developer, ...] = ()
    as_of: str = ""  # "2026-11": how current the curated models are
    _cols: Columns = field(init=False, repr=False, compare=False)
    _curated: dict[str, array[int]] = field(init=False, repr=False, compare=False)
    _by_developer: dict[str, array[int]] = field(init=False, repr=False, compare=False)
    _name_rank: array[int] = field(init=False, repr=False, compare=False)
    _dimension: dict[str, Dimension] = field(init=False, repr=False, compare=False)
    _category: dict[str, Category] = field(init=False, repr=False, compare=False)
    _order: dict[str, int] = field(init=False, repr=False, compare=False)
    _row: dict[str, int] = field(init=False, repr=False, compare=False)
    _seed_by_model: dict[str, tuple[Placement, ...]] = field(init=False, repr=False,
                                                            compare=False)
    _seed_by_category: dict[str, tuple[Placement, ...]] = field(init=False, repr=False,
                                                               compare=False)
    _by_dev_text: dict[str, tuple[int, ...]] = field(init=False, repr=False, compare=False)
    _model_memo: Callable[[str], Model] = field(init=False, repr=False, compare=False)
    _placements_memo: Callable[[str], tuple[Placement, ...]] = field(init=False, repr=False,
                                                                     compare=False)

    def __post_init__(self) -> None:
        put = object.__setattr__
        if isinstance(self.models, ModelList) and self.models._rows is None:
            cols = self.models._cols
        else:
            cols = to_columns(self.models)
        put(self, "_cols", cols)
        self._derive()
        # Curated members, per category, as row numbers in catalogue order; a placement
        # the seed already makes is not repeated (seed wins).
        seeded = {(p.model_id, p.category_id)
                  for ps in self._seed_by_category.values() for p in ps}
        curated: dict[str, list[int]] = {c.id: [] for c in self.categories}
        for r, (mid, cats) in enumerate(zip(cols[ID_COL], cols[CATEGORIES_COL], strict=True)):
            for cid in dict.fromkeys(cats):
                if (mid, cid) not in seeded:
                    curated.setdefault(cid, []).append(r)
        put(self, "_curated", {k: array("i", v) for k, v in curated.items()})
        put(self, "_by_developer", {d.name: array("i", self._developer_rows(d.name))
                                    for d in self.developers})
        # Each row's place in (case-folded name, id) order: similar()'s tie-break, without
        # case-folding thousands of candidates' names per question.
        names, ids = cols[NAME_COL], cols[ID_COL]
        rank = array("i", bytes(4 * len(ids)))
        for pos, r in enumerate(sorted(range(len(ids)),
                                       key=lambda r: (names[r].casefold(), ids[r]))):
            rank[r] = pos
        put(self, "_name_rank", rank)

    def _derive(self) -> None:
        """The small or cheap indexes: rebuilt on load rather than stored in the cache."""
        put = object.__setattr__
        cols = self._cols
        # Models and placements are made on demand; recent ones are remembered (bot.memo).
        put(self, "_model_memo", memo(self, KnowledgeBase._model_uncached, MEMO_SIZE))
        put(self, "_placements_memo", memo(self, KnowledgeBase._placements_uncached, MEMO_SIZE))
        put(self, "models", ModelList(cols))
        put(self, "_dimension", {d.id: d for d in self.dimensions})
        put(self, "_category", {c.id: c for c in self.categories})
        put(self, "_order", {c.id: i for i, c in enumerate(self.categories)})
        put(self, "_row", {mid: r for r, mid in enumerate(cols[ID_COL])})
        by_model: dict[str, list[Placement]] = {}
        by_category: dict[str, list[Placement]] = {c.id: [] for c in self.categories}
        placed: set[tuple[str, str]] = set()
        for c in self.categories:
            for ex in c.examples:
                if (ex.model_id, c.id) not in placed:
                    placed.add((ex.model_id, c.id))
                    p = Placement(ex.model_id, c.id, "seed", seed_text=ex.text,
                                  reference=self.source.title)
                    by_model.setdefault(ex.model_id, []).append(p)
                    by_category[c.id].append(p)
        put(self, "_seed_by_model", {k: tuple(v) for k, v in by_model.items()})
        put(self, "_seed_by_category", {k: tuple(v) for k, v in by_category.items()})
        by_text: dict[str, list[int]] = {}
        for r, text in enumerate(cols[DEVELOPER_COL]):
            by_text.setdefault(text, []).append(r)
        # Tuples, not lists: the cyclic GC stops tracking a tuple of ints, but walks every
        # item of a list in each full collection (at 100,000 models, ~1 ms each time).
        put(self, "_by_dev_text", {k: tuple(v) for k, v in by_text.items()})

    def __getstate__(self) -> dict[str, Any]:
        keep = ("source", "dimensions", "categories", "ambiguous", "developers", "as_of", "_cols",
                "_curated", "_by_developer", "_name_rank")
        return {k: getattr(self, k) for k in keep}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for k, v in state.items():
            object.__setattr__(self, k, v)
        self._derive()

    # -- look-ups -------------------------------------------------------------------------
    def dimension(self, dimension_id: str) -> Dimension:
        return self._dimension[dimension_id]

    def category(self, category_id: str) -> Category:
        return self._category[category_id]

    def model(self, model_id: str) -> Model:
        return self._model_memo(model_id)

    def _model_uncached(self, model_id: str) -> Model:
        return model_at(self._cols, self._row[model_id])

    def has_model(self, model_id: str) -> bool:
        return model_id in self._row

    def name_of(self, model_id: str) -> str:
        """The model's name from the names column (no Model made), or the id as given."""
        row = self._row.get(model_id)
        return model_id if row is None else self._cols[NAME_COL][row]

    def model_row(self, model_id: str) -> int:
        """The model's position in ``models``, ``model_ids`` and ``model_names``."""
        return self._row[model_id]

    @property
    def model_ids(self) -> tuple[str, ...]:
        """Every model id, in catalogue order, without making Model values."""
        return self._cols[ID_COL]

    @property
    def model_id_set(self) -> KeysView[str]:
        """Every model id, as a set (a view of the index: no 100,000-entry copy)."""
        return self._row.keys()

    def column(self, field_name: str) -> tuple[Any, ...]:
        """One field of every model, aligned with ``model_ids``: queries read facts of
        100,000 models without making a Model for each."""
        return self._cols[FIELDS.index(field_name)]

    @property
    def model_names(self) -> tuple[str, ...]:
        """Every model's name, aligned with ``model_ids``."""
        return self._cols[NAME_COL]

    def categories_in(self, dimension_id: str) -> tuple[Category, ...]:
        return tuple(self._category[c] for c in self._dimension[dimension_id].category_ids)

    def dimension_of(self, category_id: str) -> Dimension:
        return self._dimension[self._category[category_id].dimension_id]

    # -- placements -----------------------------------------------------------------------
    def placements_of(self, model_id: str, dimension_id: str | None = None
                      ) -> tuple[Placement, ...]:
        """Where a model sits, seed placements before curated ones, in taxonomy order."""
        found = self._placements_memo(model_id)
        if dimension_id is None:
            return found
        return tuple(p for p in found
                     if self._category[p.category_id].dimension_id == dimension_id)

    def _placements_uncached(self, model_id: str) -> tuple[Placement, ...]:
        seeds = self._seed_by_model.get(model_id, ())
        row = self._row.get(model_id)
        if row is None:
            found = seeds
        else:
            seeded = {p.category_id for p in seeds}
            ref = self._cols[REFERENCE_COL][row]
            curated = [Placement(model_id, cid, "curated", reference=ref)
                       for cid in dict.fromkeys(self._cols[CATEGORIES_COL][row])
                       if cid not in seeded]
            order = self._order
            found = tuple(sorted((*seeds, *curated),
                                 key=lambda p: order.get(p.category_id, 0)))
        return found

    def placement(self, model_id: str, category_id: str) -> Placement | None:
        for p in self._seed_by_model.get(model_id, ()):
            if p.category_id == category_id:
                return p
        row = self._row.get(model_id)
        if row is None or category_id not in self._cols[CATEGORIES_COL][row]:
            return None
        return Placement(model_id, category_id, "curated",
                         reference=self._cols[REFERENCE_COL][row])

    def members(self, category_id: str, provenance: Provenance | None = None
                ) -> Sequence[Placement]:
        """Models of a category: the seed's examples first, then curated members.

        A sequence that makes each Placement when it is read: ``len()`` and the first few
        cost nothing however large the category is.
        """
        seeds = self._seed_by_category.get(category_id, ())
        if provenance == "seed":
            return seeds
        rows = self._curated.get(category_id, NO_ROWS)
        return PlacementList(seeds if provenance is None else (), category_id, rows,
                             self._cols)

    def member_rows(self, category_id: str) -> list[int]:
        """A category's members as row numbers (seed examples first): for queries that
        intersect sets without making a Placement per member."""
        return self._member_rows(category_id)

    def _member_rows(self, category_id: str) -> list[int]:
        rows = [self._row[p.model_id] for p in self._seed_by_category.get(category_id, ())]
        rows.extend(self._curated.get(category_id, NO_ROWS))
        return rows

    def filter(self, include: Iterable[str] = (), exclude: Iterable[str] = ()
               ) -> ModelList:
        """Models in every included category and in none of the excluded ones."""
        include, exclude = tuple(include), set(exclude)
        rows: Sequence[int]
        if include:
            rows = self._member_rows(include[0])
            for cid in include[1:]:
                keep = set(self._member_rows(cid))
                rows = [r for r in rows if r in keep]
        else:
            rows = range(len(self._cols[ID_COL]))
        if exclude:
            banned = {r for cid in exclude for r in self._member_rows(cid)}
            rows = [r for r in rows if r not in banned]
        return ModelList(self._cols, rows)

    def _developer_rows(self, developer: str) -> list[int]:
        org = next((d for d in self.developers if d.name == developer), None)
        names = (org.name, *org.aliases) if org else (developer,)
        pattern = re.compile("|".join(rf"(?<!\w){re.escape(n)}(?!\w)" for n in names),
                             re.IGNORECASE)
        rows = [r for text, rs in self._by_dev_text.items() if pattern.search(text)
                for r in rs]
        year, name = self._cols[YEAR_COL], self._cols[NAME_COL]
        return sorted(rows, key=lambda r: (year[r] or 0, name[r].casefold()))

    def models_by(self, developer: str) -> Sequence[Model]:
        """Models whose developer text names this organisation or an alias, oldest first.

        Known organisations are answered from an index built with the catalogue; any other
        text is matched against each distinct developer text once, not against every model.
        """
        rows = self._by_developer.get(developer)
        return ModelList(self._cols, rows if rows is not None
                         else self._developer_rows(developer))

    def similar(self, model_id: str, limit: int = 3) -> tuple[Model, ...]:
        """Models sharing the most categories with this one (ties by name, for determinism).

        Past SIMILAR_SCAN placements, candidates come from the model's smallest categories
        first and only that many are read, so a catalogue of 100,000 models stays fast."""
        mine = {p.category_id for p in self.placements_of(model_id)}
        def size(cid: str) -> int:
            return (len(self._seed_by_category.get(cid, ()))
                    + len(self._curated.get(cid, NO_ROWS)))

        if sum(map(size, mine)) <= SIMILAR_SCAN:  # every member is read: counted in C
            shared_of: dict[int, int] = Counter(chain.from_iterable(map(self._member_rows, mine)))
        else:
            shared_of = {}
            seen: set[int] = set()
            budget = SIMILAR_SCAN
            for cid in sorted(mine, key=size):
                seeds = self._seed_by_category.get(cid, ())[:budget]
                seen.update(self._row[p.model_id] for p in seeds)
                seen.update(self._curated.get(cid, NO_ROWS)[: max(0, budget - len(seeds))])
                budget -= size(cid)
                if budget <= 0:
                    break
            ids, cats = self._cols[ID_COL], self._cols[CATEGORIES_COL]
            overlap: dict[int, int] = {}  # equal category lists are one object (_columns)
            for r in seen:
                theirs = cats[r]
                if ids[r] in self._seed_by_model:
                    seeded = {p.category_id for p in self._seed_by_model[ids[r]]}
                    shared_of[r] = len(mine.intersection(seeded.union(theirs)))
                elif (shared := overlap.get(id(theirs), -1)) >= 0:
                    shared_of[r] = shared
                else:
                    shared_of[r] = overlap[id(theirs)] = len(mine.intersection(theirs))
        shared_of.pop(self._row.get(model_id, -1), None)
        # The most shared first, then by (case-folded name, id) rank.
        rank, best = self._name_rank, list[int]()
        for level in sorted(set(shared_of.values()), reverse=True):
            tied = [r for r, n in shared_of.items() if n == level]
            best += sorted(tied, key=rank.__getitem__)[:limit - len(best)]
            if len(best) >= limit:
                break
        return tuple(model_at(self._cols, r) for r in best)
