"""Answers about models: where one sits, its facts, comparisons, its developer's models and
the models like it."""

from __future__ import annotations

from collections.abc import Sequence

from .answer_base import Answer, Facts, join_names
from .attributes import render_date, render_sizes
from .context import Context
from .decision import Decision
from .knowledge import Dimension, Placement

CURATED_BESIDE = ("architecture", "training")  # seed dimensions curated kinds refine
MAX_MODELS = 4  # models one answer places, one paragraph each


class ModelAnswers(Facts):
    def classify(self, d: Decision, ctx: Context) -> Answer:
        mid = d.models[0]
        m = self.kb.model(mid)
        places = self.kb.placements_of(mid)
        fields = self._model_fields(mid)
        if not places and len(d.models) == 1:
            return Answer("none", fields, (f"{m.name}: {m.reference}",))
        fields["placements"], missing = self._placement_lines(mid)
        fields["also"] = (f"\n\nNot placed (no well-established category): "
                          f"{', '.join(missing)}." if missing else "")
        fields["kind_phrase"] = {"family": "is a model family", "technique": "is a technique"
                                 }.get(m.kind, "is classified")
        when = render_date(m.year, m.month)
        who = ", ".join(x for x in (m.developer, when) if x)
        fields["about"] = f" ({who})" if who else ""
        kinds = self.curated_kinds(mid)
        fields["curated"] = (f"\n\nBeyond the taxonomy (curated): {kinds}." if kinds else "")
        used = list(places)
        for other in d.models[1:5]:  # "what types are BERT and T5?": each gets its answer
            lines, _ = self._placement_lines(other)
            fields["also"] += (f"\n\n**{self._mname(other)}**:\n\n"
                               f"{lines or '- no category placed'}")
            used.extend(self.kb.placements_of(other))
        return Answer("answer", fields, self._sources_of(used))

    def model_dimension(self, d: Decision, ctx: Context) -> Answer:
        """One model's category in a dimension, or each named model's ("what architecture do
        RETRO and RAG use?": both, one paragraph each)."""
        dim = self.kb.dimension(d.dimension)
        fields = self._model_fields(d.models[0])
        fields.update(dimension=dim.name, dimension_lower=dim.name.lower(),
                      dimension_categories=join_names(
                          c.name for c in self.kb.categories_in(dim.id)))
        parts: list[str] = []
        sources: list[str] = []
        for mid in d.models[:MAX_MODELS]:
            places = self.kb.placements_of(mid, dim.id)
            if not places:
                if len(d.models) == 1:
                    return Answer("none", fields)
                parts.append(f"I don't know **{self.kb.name_of(mid)}**'s "
                             f"{dim.name.lower()} category.")
                continue
            parts += self._placed_in(mid, dim, places)
            sources += self._sources_of(places)
        fields["placements_sentence"] = "\n\n".join(parts)
        return Answer("answer", fields, tuple(dict.fromkeys(sources)))

    def _placed_in(self, mid: str, dim: Dimension, places: Sequence[Placement]) -> list[str]:
        name = self.kb.name_of(mid)
        parts = []
        for p in places:
            c = self.kb.category(p.category_id)
            if p.provenance == "seed":
                as_text = (f" (as “{p.seed_text}”)" if p.seed_text and p.seed_text != name
                           else "")
                parts.append(f"The taxonomy lists **{name}**{as_text} under "
                             f"**{c.name}** ({dim.name}): {c.description}")
            else:
                parts.append(f"**{name}** is one of the **{c.name}** ({dim.name}): "
                             f"{c.description} This is a curated fact; source: {p.reference}.")
        kinds = self.curated_kinds(mid) if dim.id in CURATED_BESIDE else ""
        if kinds:  # "what architecture does Whisper use?": also encoder-decoder
            parts.append(f"Beyond the taxonomy (curated): {kinds}.")
        return parts

    def compare(self, d: Decision, ctx: Context) -> Answer:
        if len(d.models) >= 2:
            return self._compare_models(d.models[:4])
        cats = d.categories
        if len(cats) < 2:
            return Answer("categories", {"names": "Nothing", "table": "Name two models or "
                                         "two categories to compare."})
        header = "| | " + " | ".join(f"**{self.kb.category(c).name}**" for c in cats) + " |"
        rows = [header, "|---" * (len(cats) + 1) + "|"]
        rows.append("| Dimension | " + " | ".join(self.kb.dimension_of(c).name for c in cats)
                    + " |")
        rows.append("| Definition | " + " | ".join(self.kb.category(c).description
                                                   for c in cats) + " |")
        rows.append("| Taxonomy's examples | " + " | ".join(
            ", ".join(e.text for e in self.kb.category(c).examples) for c in cats) + " |")
        fields = self._cat_fields(cats[0])
        fields.update(names=join_names(self.kb.category(c).name for c in cats),
                      table="\n".join(rows))
        return Answer("categories", fields, (self.seed_source,))

    def _compare_models(self, mids: tuple[str, ...]) -> Answer:
        ms = [self.kb.model(m) for m in mids]
        rows = ["| | " + " | ".join(f"**{m.name}**" for m in ms) + " |",
                "|---" * (len(ms) + 1) + "|"]
        differ = []
        used: list[Placement] = []
        for dim in self.kb.dimensions:
            cells = []
            placed = set()
            for m in ms:
                ps = self.kb.placements_of(m.id, dim.id)
                used.extend(ps)
                placed.add(frozenset(p.category_id for p in ps))
                cells.append("; ".join(f"{self.kb.category(p.category_id).short}"
                                       f"{'' if p.provenance == 'seed' else ' (curated)'}"
                                       for p in ps) or "–")
            if any(c != "–" for c in cells):
                rows.append(f"| {dim.name} | " + " | ".join(cells) + " |")
                if len(placed) > 1:
                    differ.append(dim.name.lower())
        rows.append("| Developer | " + " | ".join(m.developer or "–" for m in ms) + " |")
        rows.append("| Released | " + " | ".join(str(m.year or "–") for m in ms) + " |")
        rows.append("| Parameters | " + " | ".join(render_sizes(m.sizes) or "–" for m in ms)
                    + " |")
        fields = self._model_fields(ms[0].id)
        fields.update(names=join_names(m.name for m in ms), table="\n".join(rows),
                      differences=(f"\n\nThey differ in {join_names(differ)}." if differ
                                   else "\n\nThey sit in the same categories."))
        fields["similar"] = ms[1].name
        sources = self._sources_of(used) + tuple(f"{m.name}: {m.reference}" for m in ms)
        return Answer("models", fields, tuple(dict.fromkeys(sources)))

    def model_fact(self, d: Decision, ctx: Context) -> Answer:
        spec = self.catalog.get(d.intent)
        fact = spec.fact if spec else ""
        m = self.kb.model(d.models[0])
        fields = self._model_fields(m.id)
        value = self._fact_value(m, fact)
        if not value:
            return Answer("none", fields)
        fields["value"] = value
        extra = [self.kb.model(x) for x in d.models[1:]]
        ref = m.reference_for(fact if fact != "year" else "year")
        sources = (f"{m.name}: {ref}",) + tuple(f"{x.name}: {x.reference_for(fact)}"
                                                for x in extra)
        if extra:  # several models: one line each, never a list inside a sentence's bold
            fields["items"] = "\n".join(
                f"- **{x.name}**: {self._fact_value(x, fact) or 'unknown'}" for x in (m, *extra))
            return Answer("several", fields, sources)
        return Answer("answer", fields, sources)

    def model_about(self, d: Decision, ctx: Context) -> Answer:
        m = self.kb.model(d.models[0])
        fields = self._model_fields(m.id)
        sim = self.kb.similar(m.id, 1)
        fields["similar"] = sim[0].name if sim else ""
        facts = []
        for label, value in (("Developer", m.developer), ("Released", str(m.year or "")),
                             ("Parameters", render_sizes(m.sizes)),
                             ("Access", self._fact_value(m, "license")),
                             ("Modality", ", ".join(m.modality)),
                             ("Specialised for", join_names(m.domain)),
                             ("Languages", join_names(m.languages)
                              or (f"{m.language_count} languages" if m.language_count else ""))):
            if value:
                facts.append(f"- {label}: {value}")
        fields["facts"] = "\n".join(facts)
        places = self.kb.placements_of(m.id)
        seed = [self.kb.category(p.category_id).short for p in places if p.provenance == "seed"]
        cur = [self.kb.category(p.category_id).short for p in places
               if p.provenance == "curated"]
        line = []
        if seed:
            line.append(f"The taxonomy lists it as {join_names(seed)}.")
        if cur:
            line.append(f"{'It is also' if seed else 'It is'} {join_names(cur)} "
                        "(curated).")
        fields["placements_line"] = " ".join(line)
        fields["others"] = "".join(  # "what types are BERT and T5?": each one, briefly
            f"\n\n**{self._mname(x)}**: {self.kb.model(x).summary} "
            f"{self._placements_sentence(x)}" for x in d.models[1:5])
        return Answer("answer", fields,
                      self._sources_of(places) + (f"{m.name}: {m.reference}",))

    def developer_models(self, d: Decision, ctx: Context) -> Answer:
        found = self.kb.models_by(d.developer)
        if d.categories or d.excluded:
            keep = {m.id for m in self.kb.filter(d.categories, d.excluded)}
            found = tuple(m for m in found if m.id in keep)
        criteria = join_names(self.kb.category(c).short for c in d.categories)
        if d.excluded:
            criteria += (", " if criteria else "") + "not " + join_names(
                (self.kb.category(c).short for c in d.excluded), "or")
        fields = {"developer": d.developer, "count": str(len(found)),
                  "criteria": f" ({criteria})" if criteria else ""}
        if not found:
            return Answer("none", fields)
        fields["models"] = "\n".join(
            f"- **{m.name}**{f' ({m.year})' if m.year else ''}: {m.summary}" for m in found[:15])
        if len(found) > 15:
            fields["models"] += f"\n- … and {len(found) - 15} more"
        fields["model"] = found[-1].name
        return Answer("answer", fields, tuple(f"{m.name}: {m.reference}" for m in found[:15]))

    def similar(self, d: Decision, ctx: Context) -> Answer:
        mid = d.models[0]
        fields = self._model_fields(mid)
        sims = self.kb.similar(mid, 5)
        if not sims:
            return Answer("none", fields)
        fields["similar"] = sims[0].name
        mine = {p.category_id for p in self.kb.placements_of(mid)}
        lines = []
        for s in sims:
            shared = [self.kb.category(p.category_id).short for p in self.kb.placements_of(s.id)
                      if p.category_id in mine]
            lines.append(f"- **{s.name}**: shares {join_names(shared)}")
        fields["models"] = "\n".join(lines)
        return Answer("answer", fields, (self.seed_source,))

    def _placements_sentence(self, mid: str) -> str:
        places = self.kb.placements_of(mid)
        shorts = [self.kb.category(p.category_id).short for p in places]
        return f"It is {join_names(shorts)}." if shorts else ""
