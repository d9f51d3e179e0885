"""The knowledge base: typed, frozen facts and the queries the answer layer needs.

Nothing past the loader sees a YAML dict. Indexes are built once, in ``KnowledgeBase``'s
constructor, so every query is a dictionary look-up or a walk over one category's members.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Provenance = Literal["seed", "curated"]
SIMILAR_SCAN = 5000


@dataclass(frozen=True)
class SeedExample:
    """An example as the seed taxonomy prints it ("Claude by Anthropic") and the model it means."""

    text: str
    model_id: str


@dataclass(frozen=True)
class Category:
    id: str
    dimension_id: str
    name: str
    short: str
    description: str
    aliases: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()
    examples: tuple[SeedExample, ...] = ()


@dataclass(frozen=True)
class Dimension:
    id: str
    number: int
    name: str
    heading: str
    aliases: tuple[str, ...] = ()
    category_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Model:
    id: str
    name: str
    summary: str
    reference: str
    aliases: tuple[str, ...] = ()
    kind: str = "model"
    developer: str = ""
    year: int | None = None
    parameters: tuple[str, ...] = ()
    access: str = ""
    license: str = ""
    modality: tuple[str, ...] = ()
    languages: str = ""
    categories: tuple[str, ...] = ()
    fact_references: tuple[tuple[str, str], ...] = ()
    source_file: str = ""

    def reference_for(self, fact: str) -> str:
        return dict(self.fact_references).get(fact, self.reference)


@dataclass(frozen=True)
class Placement:
    """A model in a category, and who says so: the seed taxonomy or a curated reference."""

    model_id: str
    category_id: str
    provenance: Provenance
    seed_text: str = ""
    reference: str = ""


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    intro: str


@dataclass(frozen=True)
class AmbiguousName:
    """A name that honestly means several things ("Phi"): the bot asks which one."""

    name: str
    model_ids: tuple[str, ...]


@dataclass(frozen=True)
class Developer:
    """An organisation that makes models, and the other names it goes by."""

    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class KnowledgeBase:
    source: Source
    dimensions: tuple[Dimension, ...]
    categories: tuple[Category, ...]
    models: tuple[Model, ...]
    ambiguous: tuple[AmbiguousName, ...] = ()
    developers: tuple[Developer, ...] = ()
    _dimension: dict[str, Dimension] = field(init=False, repr=False, compare=False)
    _category: dict[str, Category] = field(init=False, repr=False, compare=False)
    _model: dict[str, Model] = field(init=False, repr=False, compare=False)
    _by_model: dict[str, tuple[Placement, ...]] = field(init=False, repr=False, compare=False)
    _by_category: dict[str, tuple[Placement, ...]] = field(init=False, repr=False,
                                                            compare=False)

    def __post_init__(self) -> None:
        put = object.__setattr__
        put(self, "_dimension", {d.id: d for d in self.dimensions})
        put(self, "_category", {c.id: c for c in self.categories})
        put(self, "_model", {m.id: m for m in self.models})
        by_model: dict[str, list[Placement]] = {m.id: [] for m in self.models}
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
        for m in self.models:
            for cid in m.categories:
                if (m.id, cid) in placed:
                    continue  # the seed already says so; seed wins
                placed.add((m.id, cid))
                p = Placement(m.id, cid, "curated", reference=m.reference)
                by_model[m.id].append(p)
                by_category.setdefault(cid, []).append(p)
        order = {c.id: i for i, c in enumerate(self.categories)}
        put(self, "_by_model", {k: tuple(sorted(v, key=lambda p: order.get(p.category_id, 0)))
                                for k, v in by_model.items()})
        put(self, "_by_category", {k: tuple(v) for k, v in by_category.items()})

    # -- look-ups -------------------------------------------------------------------------
    def dimension(self, dimension_id: str) -> Dimension:
        return self._dimension[dimension_id]

    def category(self, category_id: str) -> Category:
        return self._category[category_id]

    def model(self, model_id: str) -> Model:
        return self._model[model_id]

    def has_model(self, model_id: str) -> bool:
        return model_id in self._model

    def categories_in(self, dimension_id: str) -> tuple[Category, ...]:
        return tuple(self._category[c] for c in self._dimension[dimension_id].category_ids)

    def dimension_of(self, category_id: str) -> Dimension:
        return self._dimension[self._category[category_id].dimension_id]

    # -- placements -----------------------------------------------------------------------
    def placements_of(self, model_id: str, dimension_id: str | None = None
                      ) -> tuple[Placement, ...]:
        """Where a model sits, seed placements before curated ones, in taxonomy order."""
        found = self._by_model.get(model_id, ())
        if dimension_id is None:
            return found
        return tuple(p for p in found
                     if self._category[p.category_id].dimension_id == dimension_id)

    def placement(self, model_id: str, category_id: str) -> Placement | None:
        for p in self._by_model.get(model_id, ()):
            if p.category_id == category_id:
                return p
        return None

    def members(self, category_id: str, provenance: Provenance | None = None
                ) -> tuple[Placement, ...]:
        """Models of a category: the seed's examples first, then curated members."""
        found = self._by_category.get(category_id, ())
        if provenance is None:
            return found
        return tuple(p for p in found if p.provenance == provenance)

    def filter(self, include: Iterable[str] = (), exclude: Iterable[str] = ()
               ) -> tuple[Model, ...]:
        """Models in every included category and in none of the excluded ones."""
        include, exclude = tuple(include), set(exclude)
        if include:
            ids = [p.model_id for p in self.members(include[0])]
            for cid in include[1:]:
                keep = {p.model_id for p in self.members(cid)}
                ids = [i for i in ids if i in keep]
        else:
            ids = [m.id for m in self.models]
        if exclude:
            banned = {p.model_id for cid in exclude for p in self.members(cid)}
            ids = [i for i in ids if i not in banned]
        return tuple(self._model[i] for i in ids)

    def models_by(self, developer: str) -> tuple[Model, ...]:
        """Models whose developer text names this organisation or an alias, oldest first."""
        org = next((d for d in self.developers if d.name == developer), None)
        names = (org.name, *org.aliases) if org else (developer,)
        pattern = re.compile("|".join(rf"(?<!\w){re.escape(n)}(?!\w)" for n in names),
                             re.IGNORECASE)
        found = [m for m in self.models if pattern.search(m.developer)]
        return tuple(sorted(found, key=lambda m: (m.year or 0, m.name.casefold())))

    def similar(self, model_id: str, limit: int = 3) -> tuple[Model, ...]:
        """Models sharing the most categories with this one (ties by name, for determinism).

        Candidates come from the model's smallest categories first and at most
        SIMILAR_SCAN placements are read, so a catalogue of 100,000 models stays fast.
        """
        mine = {p.category_id for p in self.placements_of(model_id)}
        seen: set[str] = set()
        budget = SIMILAR_SCAN
        for cid in sorted(mine, key=lambda c: len(self._by_category.get(c, ()))):
            for q in self._by_category.get(cid, ())[:budget]:
                seen.add(q.model_id)
            budget -= len(self._by_category.get(cid, ()))
            if budget <= 0:
                break
        seen.discard(model_id)
        scored = []
        for other in seen:
            shared = sum(1 for p in self._by_model.get(other, ()) if p.category_id in mine)
            scored.append((-shared, self._model[other].name.casefold(), other))
        return tuple(self._model[o] for _, _, o in heapq.nsmallest(limit, scored))
