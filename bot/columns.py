"""The catalogue stored as columns (one tuple per ``Model`` field) and category members as
row numbers: ``Model`` and ``Placement`` values are made only when a query returns them, so
100,000 models are a few dozen long tuples rather than about a million small objects."""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import fields
from typing import Any, overload

from .records import Model, Placement

FIELDS = tuple(f.name for f in fields(Model))
ID_COL, NAME_COL = FIELDS.index("id"), FIELDS.index("name")
REFERENCE_COL = FIELDS.index("reference")
DEVELOPER_COL, YEAR_COL = FIELDS.index("developer"), FIELDS.index("year")
CATEGORIES_COL = FIELDS.index("categories")
Columns = tuple[tuple[Any, ...], ...]
"""One tuple per ``Model`` field, in field order; row r of every column is model r."""


def to_columns(models: Iterable[Model]) -> Columns:
    """Models to columns. Equal values are stored once (most catalogues repeat developers,
    licences, modalities and category lists), in memory and in the compiled cache."""
    pool: dict[Any, Any] = {}
    rows = [tuple(pool.setdefault(v, v) for v in (getattr(m, f) for f in FIELDS))
            for m in models]
    if not rows:
        return tuple(() for _ in FIELDS)
    return tuple(zip(*rows, strict=True))


def model_at(cols: Columns, row: int) -> Model:
    # As unpickling does (no generated __init__), key by key: a third of update(zip(...)).
    m = object.__new__(Model)
    state = m.__dict__
    for name, column in zip(FIELDS, cols, strict=True):
        state[name] = column[row]
    return m


class ModelList(Sequence[Model]):
    """Models made on demand from the columns, in catalogue order (or a chosen order of
    rows): behaves like the tuple of models it stands for, without holding them."""

    __slots__ = ("_cols", "_rows")

    def __init__(self, cols: Columns, rows: Sequence[int] | None = None) -> None:
        self._cols = cols
        self._rows = rows

    def __len__(self) -> int:
        return len(self._cols[ID_COL]) if self._rows is None else len(self._rows)

    @overload
    def __getitem__(self, index: int) -> Model: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Model, ...]: ...
    def __getitem__(self, index: int | slice) -> Model | tuple[Model, ...]:
        rows = range(len(self._cols[ID_COL])) if self._rows is None else self._rows
        if isinstance(index, slice):
            return tuple(model_at(self._cols, r) for r in rows[index])
        return model_at(self._cols, rows[index])

    def __iter__(self) -> Iterator[Model]:
        rows = range(len(self._cols[ID_COL])) if self._rows is None else self._rows
        cols = self._cols
        return (model_at(cols, r) for r in rows)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ModelList) and other._cols is self._cols:
            return list(self.ids()) == list(other.ids())
        if isinstance(other, (ModelList, tuple, list)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self.ids()))

    def __repr__(self) -> str:
        return f"ModelList({len(self)} models)"

    def ids(self) -> Iterator[str]:  # without making Model values
        ids = self._cols[ID_COL]
        return iter(ids) if self._rows is None else (ids[r] for r in self._rows)


class PlacementList(Sequence[Placement]):
    """A category's members: its seed placements, then curated ones made on demand."""

    __slots__ = ("_seed", "_category", "_rows", "_ids", "_refs")

    def __init__(self, seed: tuple[Placement, ...], category_id: str, rows: Sequence[int],
                 cols: Columns) -> None:
        self._seed = seed
        self._category = category_id
        self._rows = rows
        self._ids = cols[ID_COL]
        self._refs = cols[REFERENCE_COL]

    def __len__(self) -> int:
        return len(self._seed) + len(self._rows)

    def _at(self, i: int) -> Placement:
        if i < len(self._seed):
            return self._seed[i]
        r = self._rows[i - len(self._seed)]
        return Placement(self._ids[r], self._category, "curated", reference=self._refs[r])

    @overload
    def __getitem__(self, index: int) -> Placement: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Placement, ...]: ...
    def __getitem__(self, index: int | slice) -> Placement | tuple[Placement, ...]:
        if isinstance(index, slice):
            return tuple(self._at(i) for i in range(len(self))[index])
        return self._at(range(len(self))[index])

    def __iter__(self) -> Iterator[Placement]:
        yield from self._seed
        cid, ids, refs = self._category, self._ids, self._refs
        for r in self._rows:
            yield Placement(ids[r], cid, "curated", reference=refs[r])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (PlacementList, tuple, list)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"PlacementList({self._category!r}, {len(self)} placements)"

    def model_ids(self) -> Iterator[str]:
        """The members' model ids, without making Placement values."""
        yield from (p.model_id for p in self._seed)
        ids = self._ids
        yield from (ids[r] for r in self._rows)


NO_ROWS = array("i")
