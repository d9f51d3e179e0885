"""What the knowledge base holds, as frozen values: models, categories, dimensions, where a
model is placed and on whose word, the sources, ambiguous names and developers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .attributes import Size
from .values import value

Provenance = Literal["seed", "curated"]


@value
class SeedExample:
    """An example as the seed taxonomy prints it ("Claude by Anthropic") and the model it means."""

    text: str
    model_id: str


@value
class Category:
    id: str
    dimension_id: str
    name: str
    short: str
    description: str
    aliases: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()
    examples: tuple[SeedExample, ...] = ()


@value
class Dimension:
    id: str
    number: int
    name: str
    heading: str
    aliases: tuple[str, ...] = ()
    category_ids: tuple[str, ...] = ()


@value
class Model:
    id: str
    name: str
    summary: str
    reference: str
    aliases: tuple[str, ...] = ()
    kind: str = "model"
    developer: str = ""
    year: int | None = None
    month: int | None = None
    sizes: tuple[Size, ...] = ()
    access: str = ""
    license: str = ""
    modality: tuple[str, ...] = ()
    domain: tuple[str, ...] = ()  # what it is specialised for: code, medicine, finance
    languages: tuple[str, ...] = ()
    language_count: int | None = None
    family: str = ""
    categories: tuple[str, ...] = ()
    fact_references: tuple[tuple[str, str], ...] = ()
    source_file: str = ""

    def reference_for(self, fact: str) -> str:
        return dict(self.fact_references).get(fact, self.reference)


@dataclass(frozen=True, slots=True)
class Placement:
    """A model in a category, and who says so: the seed taxonomy or a curated reference."""

    model_id: str
    category_id: str
    provenance: Provenance
    seed_text: str = ""
    reference: str = ""


@value
class Source:
    id: str
    title: str
    intro: str


@value
class AmbiguousName:
    """A name that honestly means several things ("Phi"): the bot asks which one."""

    name: str
    model_ids: tuple[str, ...]


@value
class Developer:
    """An organisation that makes models, and the other names it goes by."""

    name: str
    aliases: tuple[str, ...] = ()
