"""What every answer composer shares: the Answer value, inert user text, and the small facts
(names, sources, placements) the category and model answers are built from."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import field

from .attributes import render_sizes
from .intents import IntentCatalog
from .knowledge import KnowledgeBase, Model, Placement
from .safe_text import strip_controls
from .values import value

EXAMPLES_PAGE = 8


@value
class Answer:
    outcome: str
    fields: dict[str, str] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    shown: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()


def code_span(text: str) -> str:
    """User text as an inert Markdown code span, however many backticks it holds, without
    terminal control sequences (every front end shows the reply)."""
    text = strip_controls(text).replace("\n", " ").strip() or " "
    longest = 0
    current = 0
    for ch in text:
        current = current + 1 if ch == "`" else 0
        longest = max(longest, current)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def join_names(names: Iterable[str], conj: str = "and") -> str:
    items = list(names)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conj} " + items[-1]


def lower_name(name: str) -> str:
    """"Open-Source Models" -> "open-source models", keeping acronyms ("RNN", "MLMs")."""
    return re.sub(r"\b([A-Z])([a-z]+)\b", lambda m: m.group(1).lower() + m.group(2), name)


class Facts:
    """The knowledge and the intents, and the facts several answers phrase."""

    def __init__(self, kb: KnowledgeBase, catalog: IntentCatalog) -> None:
        self.kb = kb
        self.catalog = catalog
        self.membership_note: Callable[[str, str], str] = lambda model, category: ""
        self.curated_kinds: Callable[[str], str] = lambda model: ""
        self.seed_source = f"The source taxonomy: {kb.source.title}"

    def _mname(self, mid: str) -> str:
        return self.kb.model(mid).name

    def _where(self, p: Placement) -> str:
        if p.provenance == "seed":
            model = self.kb.model(p.model_id)
            if p.seed_text and p.seed_text != model.name:
                return f"taxonomy, as “{p.seed_text}”"
            return "taxonomy"
        return "curated"

    def _sources_of(self, placements: Iterable[Placement]) -> tuple[str, ...]:
        out: list[str] = []
        for p in placements:
            s = (self.seed_source if p.provenance == "seed"
                 else f"{self._mname(p.model_id)}: {p.reference}")
            if s not in out:
                out.append(s)
        return tuple(out)

    def _model_fields(self, mid: str) -> dict[str, str]:
        m = self.kb.model(mid)
        return {"model": m.name, "summary": m.summary}

    def _cat_fields(self, cid: str) -> dict[str, str]:
        c = self.kb.category(cid)
        d = self.kb.dimension(c.dimension_id)
        siblings = [x for x in self.kb.categories_in(d.id) if x.id != cid]
        return {"category": c.name, "category_lower": lower_name(c.name),
                "category_short": c.short, "dimension": d.name,
                "dimension_lower": d.name.lower(), "description": c.description,
                "sibling_short": siblings[0].short if siblings else ""}

    def _member_page(self, cid: str, skip: Iterable[str], size: int
                     ) -> tuple[list[Placement], int]:
        """The first ``size`` members not in ``skip``, and how many members are not in it.

        Reads no further than the page: a category of 30,000 models costs what one of 30
        does (members are unique per category, so the skipped ones are counted directly).
        """
        banned = set(skip)
        page: list[Placement] = []
        members = self.kb.members(cid)
        for p in members:
            if len(page) == size:
                break
            if p.model_id not in banned:
                page.append(p)
        hidden = sum(1 for mid in banned if self.kb.placement(mid, cid) is not None)
        return page, len(members) - hidden

    # -- composers ------------------------------------------------------------------------

    def _placement_lines(self, mid: str) -> tuple[str, list[str]]:
        """A model's categories, dimension by dimension, and the dimensions it lacks."""
        by_dim: dict[str, list[str]] = {}  # one pass over the placements, not one a dimension
        for p in self.kb.placements_of(mid):
            cat = self.kb.category(p.category_id)
            by_dim.setdefault(cat.dimension_id, []).append(f"{cat.name} ({self._where(p)})")
        lines = [f"- **{dim.name}**: {'; '.join(by_dim[dim.id])}"
                 for dim in self.kb.dimensions if dim.id in by_dim]
        missing = [dim.name for dim in self.kb.dimensions if dim.id not in by_dim]
        return "\n".join(lines), missing

    def _members_text(self, placements: list[Placement]) -> str:
        seed = [p for p in placements if p.provenance == "seed"]
        curated = [p for p in placements if p.provenance == "curated"]
        out = []
        if seed:
            out.append("The taxonomy's examples: " + ", ".join(
                f"**{p.seed_text or self._mname(p.model_id)}**" for p in seed) + ".")
        if curated:
            label = "Also, from curated facts" if seed else "From curated facts"
            out.append(f"{label}: " + ", ".join(self._mname(p.model_id) for p in curated) + ".")
        return "\n\n".join(out)

    def _verdict(self, mid: str, cid: str) -> tuple[str, str, tuple[Placement, ...]]:
        """(yes|no|no_record, why, placements used) for one model and one category."""
        name = self._mname(mid)
        c = self.kb.category(cid)
        dim = self.kb.dimension(c.dimension_id)
        p = self.kb.placement(mid, cid)
        m = self.kb.model(mid)
        if p is not None:
            if p.provenance == "seed":
                as_text = f" (as “{p.seed_text}”)" if p.seed_text and p.seed_text != name else ""
                why = (f"The taxonomy lists **{name}**{as_text} under **{c.name}** "
                       f"({dim.name}): {c.description}")
            else:
                why = (f"**{name}** is one of the **{c.name}** ({dim.name}): {c.description} "
                       f"This is a curated fact; source: {p.reference}.")
            if dim.id == "accessibility" and m.license:
                why += f" Licence: {m.license}."
            return "yes", why, (p,)
        others = self.kb.placements_of(mid, dim.id)
        if others:
            names = join_names(f"**{self.kb.category(o.category_id).name}**" for o in others)
            src = ("the taxonomy" if all(o.provenance == "seed" for o in others)
                   else "my curated facts")
            why = f"**{name}** is in {names}, not **{c.name}** ({dim.name}), according to {src}."
            return "no", why, others
        why = (f"neither the taxonomy nor my curated facts place **{name}** under **{c.name}** "
               f"or any other {dim.name.lower()} category.")
        return "no_record", why, ()

    def _seed_count(self, model_id: str, categories: Iterable[str]) -> int:
        return sum(1 for c in categories
                   if (p := self.kb.placement(model_id, c)) and p.provenance == "seed")

    def _fact_value(self, m: Model, fact: str) -> str:
        if fact == "developer":
            return m.developer
        if fact == "year":
            return str(m.year or "")
        if fact == "parameters":
            return render_sizes(m.sizes)
        if fact == "modality":
            return join_names(m.modality)
        if fact == "license":
            access = {"open-weights": "open weights", "api": "proprietary, offered through an "
                      "API", "proprietary": "proprietary, not publicly available"}.get(m.access)
            bits = [b for b in (access, f"licence {m.license}" if m.license else "") if b]
            return "; ".join(bits)
        return ""
