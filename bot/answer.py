"""Stage 5: a decision to Markdown, facts from the knowledge base, wording from intents/.

Each composer gathers facts into named fields; the template (trusted text from intents/)
is filled with them. User text only ever appears as a field value, inside an inert code span.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .attributes import render_sizes
from .concept_answers import ANSWER_NAMES as CONCEPT_ANSWER_NAMES
from .context import Context
from .intents import IntentCatalog
from .knowledge import KnowledgeBase, Model, Placement
from .normalise import MAX_INPUT_CHARS
from .policy import NEGATED, Decision

EXAMPLES_PAGE = 8
ANSWER_NAMES = (
    "classify", "model_dimension", "examples", "more_examples", "describe_category",
    "list_dimensions", "list_categories", "list_all_categories", "taxonomy_size",
    "category_dimension", "membership", "choice", "compare", "filter", "model_fact",
    "model_about", "similar", "source", "static", "fallback", "clarify", "unknown", "followup",
    "explain_that", "developer_models", *CONCEPT_ANSWER_NAMES,
)


@dataclass(frozen=True)
class Answer:
    outcome: str
    fields: dict[str, str] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    shown: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()


def code_span(text: str) -> str:
    """User text as an inert Markdown code span, however many backticks it holds."""
    text = text.replace("\n", " ").strip() or " "
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


class Composer:
    """Holds the knowledge and the intents; every method is a pure function of its inputs."""

    def __init__(self, kb: KnowledgeBase, catalog: IntentCatalog,
                 closest: Callable[[str, int], list[str]],
                 extra: dict[str, Callable[[Decision, Context], Answer]] | None = None
                 ) -> None:
        self.kb = kb
        self.catalog = catalog
        self._closest = closest
        self.seed_source = f"The source taxonomy: {kb.source.title}"
        self._handlers: dict[str, Callable[[Decision, Context], Answer]] = {
            "classify": self.classify, "model_dimension": self.model_dimension,
            "examples": self.examples, "more_examples": self.more_examples,
            "describe_category": self.describe_category,
            "list_dimensions": self.list_dimensions, "list_categories": self.list_categories,
            "list_all_categories": self.list_all_categories,
            "taxonomy_size": self.taxonomy_size, "category_dimension": self.category_dimension,
            "membership": self.membership, "choice": self.choice, "compare": self.compare,
            "filter": self.filter, "model_fact": self.model_fact,
            "model_about": self.model_about, "similar": self.similar, "source": self.source,
            "static": self.static, "fallback": self.static, "clarify": self.static,
            "unknown": self.static, "followup": self.static, "explain_that": self.static,
            "developer_models": self.developer_models,
            **(extra or {}),
        }

    # -- entry point ----------------------------------------------------------------------
    def compose(self, decision: Decision, ctx: Context, seed: str
                ) -> tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """Text, suggestions, sources and the model ids shown (for "more examples")."""
        name = decision.intent
        if decision.unknown:
            name = "unknown"
            answer = self.unknown(decision)
        elif decision.ambiguity is not None:
            name = "clarify"
            answer = self.clarify(decision)
        else:
            spec = self.catalog.get(name)
            answer = self._handlers[spec.answer](decision, ctx) if spec else Answer("answer")
        spec = self.catalog.get(name)
        if spec is None:
            spec = self.catalog.get("fallback")
            assert spec is not None
        variants = spec.template(answer.outcome) or spec.template("answer")
        if not variants:
            return "", (), answer.sources, answer.shown
        template = variants[zlib.crc32(seed.encode("utf-8", "replace")) % len(variants)]
        text = template.format_map(_Fields(answer.fields))
        suggestions = answer.suggestions or tuple(
            s for s in (_fill(t, answer.fields) for t in spec.suggestions) if s)
        return text.strip(), suggestions, answer.sources, answer.shown

    # -- small helpers --------------------------------------------------------------------
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
        used = list(places)
        for other in d.models[1:5]:  # "what types are BERT and T5?": each gets its answer
            lines, _ = self._placement_lines(other)
            fields["also"] += (f"\n\n**{self._mname(other)}**:\n\n"
                               f"{lines or '- no category placed'}")
            used.extend(self.kb.placements_of(other))
        return Answer("answer", fields, self._sources_of(used))

    def _placement_lines(self, mid: str) -> tuple[str, list[str]]:
        """A model's categories, dimension by dimension, and the dimensions it lacks."""
        places = self.kb.placements_of(mid)
        lines = []
        placed_dims = []
        for dim in self.kb.dimensions:
            here = [p for p in places if self.kb.category(p.category_id).dimension_id == dim.id]
            if not here:
                continue
            placed_dims.append(dim.id)
            cats = "; ".join(f"{self.kb.category(p.category_id).name} ({self._where(p)})"
                             for p in here)
            lines.append(f"- **{dim.name}**: {cats}")
        missing = [dim.name for dim in self.kb.dimensions if dim.id not in placed_dims]
        return "\n".join(lines), missing

    def model_dimension(self, d: Decision, ctx: Context) -> Answer:
        mid = d.models[0]
        dim = self.kb.dimension(d.dimension)
        places = self.kb.placements_of(mid, dim.id)
        fields = self._model_fields(mid)
        fields.update(dimension=dim.name, dimension_lower=dim.name.lower(),
                      dimension_categories=join_names(
                          c.name for c in self.kb.categories_in(dim.id)))
        if not places:
            return Answer("none", fields)
        parts = []
        for p in places:
            c = self.kb.category(p.category_id)
            if p.provenance == "seed":
                as_text = (f" (as “{p.seed_text}”)" if p.seed_text
                           and p.seed_text != fields["model"] else "")
                parts.append(f"The taxonomy lists **{fields['model']}**{as_text} under "
                             f"**{c.name}** ({dim.name}): {c.description}")
            else:
                parts.append(f"**{fields['model']}** is one of the **{c.name}** ({dim.name}): "
                             f"{c.description} This is a curated fact; source: {p.reference}.")
        fields["placements_sentence"] = "\n\n".join(parts)
        return Answer("answer", fields, self._sources_of(places))

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

    def examples(self, d: Decision, ctx: Context) -> Answer:
        cid = d.categories[0]
        fields = self._cat_fields(cid)
        page = [*self.kb.members(cid, "seed"), *self.kb.members(cid, "curated")[:EXAMPLES_PAGE]]
        names = [self._mname(p.model_id) for p in page]
        rest = len(self.kb.members(cid)) - len(page)
        fields["members"] = self._members_text(page) + (
            f"\n\n{rest} more: ask *more examples*." if rest > 0 else "")
        fields["first_member"] = names[0] if names else ""
        fields["second_member"] = names[1] if len(names) > 1 else ""
        return Answer("answer", fields, self._sources_of(page),
                      shown=tuple(p.model_id for p in page))

    def more_examples(self, d: Decision, ctx: Context) -> Answer:
        cid = d.categories[0]
        fields = self._cat_fields(cid)
        same = ctx.categories[:1] == (cid,)
        already = ctx.shown if same and ctx.intent in ("category_examples", "more_examples") else ()
        page, left = self._member_page(cid, already, EXAMPLES_PAGE)
        if not left:
            everything = self.kb.members(cid)
            fields["members_inline"] = join_names(self._mname(p.model_id) for p in everything)
            return Answer("none", fields, shown=already)
        rest = left - len(page)
        fields["members"] = self._members_text(page) + (
            f"\n\n{rest} more: ask *more examples*." if rest > 0 else "")
        fields["first_member"] = self._mname(page[0].model_id)
        return Answer("answer", fields, self._sources_of(page),
                      shown=already + tuple(p.model_id for p in page))

    def describe_category(self, d: Decision, ctx: Context) -> Answer:
        cid = d.categories[0]
        c = self.kb.category(cid)
        fields = self._cat_fields(cid)
        if d.note == NEGATED:  # "what is a non-autoregressive model?"
            others = [x for x in self.kb.categories_in(c.dimension_id) if x.id != cid]
            fields["siblings"] = "; ".join(f"**{x.name}** ({x.description.rstrip('.')})"
                                           for x in others)
            return Answer("negated", fields, (self.seed_source,))
        fields["seed_examples"] = ", ".join(f"**{e.text}**" for e in c.examples)
        curated = self.kb.members(cid, "curated")
        if curated:
            names = [self._mname(p.model_id) for p in curated[:5]]
            more = f" and {len(curated) - 5} more" if len(curated) > 5 else ""
            fields["curated_note"] = (f"\n\nFrom curated facts I also know {', '.join(names)}"
                                      f"{more}.")
        else:
            fields["curated_note"] = ""
        return Answer("answer", fields, (self.seed_source,),
                      shown=tuple(e.model_id for e in c.examples))

    def list_dimensions(self, d: Decision, ctx: Context) -> Answer:
        lines = []
        for dim in self.kb.dimensions:
            cats = ", ".join(c.short for c in self.kb.categories_in(dim.id))
            lines.append(f"{dim.number}. **{dim.name}**: {cats}")
        return Answer("answer", {"intro": self.kb.source.intro, "count": str(len(lines)),
                                 "dimensions": "\n".join(lines)}, (self.seed_source,))

    def list_categories(self, d: Decision, ctx: Context) -> Answer:
        dim = self.kb.dimension(d.dimension)
        cats = self.kb.categories_in(dim.id)
        lines = [f"- **{c.name}**: {c.description} Examples: "
                 f"{', '.join(e.text for e in c.examples)}." for c in cats]
        return Answer("answer", {"dimension": dim.name, "dimension_lower": dim.name.lower(),
                                 "count": str(len(cats)), "categories": "\n".join(lines),
                                 "first_category_short": cats[0].short if cats else ""},
                      (self.seed_source,))

    def list_all_categories(self, d: Decision, ctx: Context) -> Answer:
        lines = []
        for dim in self.kb.dimensions:
            cats = ", ".join(c.name for c in self.kb.categories_in(dim.id))
            lines.append(f"- **{dim.name}**: {cats}")
        return Answer("answer", {"count": str(len(self.kb.categories)),
                                 "dimension_count": str(len(self.kb.dimensions)),
                                 "categories": "\n".join(lines)}, (self.seed_source,))

    def taxonomy_size(self, d: Decision, ctx: Context) -> Answer:
        seed_models = {e.model_id for c in self.kb.categories for e in c.examples}
        return Answer("answer", {"dimension_count": str(len(self.kb.dimensions)),
                                 "category_count": str(len(self.kb.categories)),
                                 "model_count": str(len(self.kb.models)),
                                 "seed_model_count": str(len(seed_models))},
                      (self.seed_source,))

    def category_dimension(self, d: Decision, ctx: Context) -> Answer:
        cid = d.categories[0]
        fields = self._cat_fields(cid)
        dim = self.kb.dimension_of(cid)
        fields.update(number=str(dim.number), dimension_count=str(len(self.kb.dimensions)),
                      siblings=join_names(c.name for c in self.kb.categories_in(dim.id)
                                          if c.id != cid) or "no other category")
        return Answer("answer", fields, (self.seed_source,))

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

    def membership(self, d: Decision, ctx: Context) -> Answer:
        cid = d.categories[0]
        fields = self._cat_fields(cid)
        fields.update(self._model_fields(d.models[0]))
        verdicts = [self._verdict(mid, cid) for mid in d.models]
        outcomes = {v[0] for v in verdicts}
        used = tuple(p for v in verdicts for p in v[2])
        if len(verdicts) == 1:
            outcome, why, _ = verdicts[0]
        else:  # "are GPT-2 and GPT-Neo both open source?": "Yes, both are …", then each
            outcome = "all_yes" if outcomes == {"yes"} else "some_no"
            why = "\n".join(f"- {v[1][0].upper()}{v[1][1:]}" for v in verdicts)
            fields["all_phrase"] = "both are" if len(verdicts) == 2 else "all of them are"
            nots = [self._mname(mid) for mid, v in zip(d.models, verdicts, strict=True)
                    if v[0] != "yes"]
            fields["not_names"] = join_names(f"**{n}**" for n in nots)
            fields["not_verb"] = "is not" if len(nots) == 1 else "are not"
        fields["why"] = why
        return Answer(outcome, fields, self._sources_of(used))

    def choice(self, d: Decision, ctx: Context) -> Answer:
        if len(d.models) == 1 and len(d.categories) >= 1:
            mid = d.models[0]
            results = [(cid, *self._verdict(mid, cid)) for cid in d.categories]
            hits = [r for r in results if r[1] == "yes"]
            name = self._mname(mid)
            if len(hits) == 1:
                verdict = f"**{self.kb.category(hits[0][0]).short.capitalize()}.**"
            elif hits:
                verdict = "Both: " + join_names(self.kb.category(h[0]).short for h in hits) + "."
            else:
                verdict = (f"Neither, as far as I know: {name} is not placed in "
                           f"{join_names((self.kb.category(r[0]).short for r in results), 'or')}.")
            details = "\n\n".join(r[2] for r in (hits or results))
            used = tuple(p for r in results for p in r[3])
        else:
            cid = d.categories[0]
            results = [(mid, *self._verdict(mid, cid)) for mid in d.models]
            hits = [r for r in results if r[1] == "yes"]
            short = self.kb.category(cid).short
            if d.note == NEGATED:  # "which is non-proprietary, BERT or GPT-4?"
                hits = [r for r in results if r[1] == "no"]
                short = f"not {short}"
            if hits:
                verdict = (f"**{join_names(self._mname(h[0]) for h in hits)}** "
                           f"{'is' if len(hits) == 1 else 'are'} {short}.")
            else:
                verdict = f"None of them is {short}, as far as I know."
            details = "\n".join(f"- {r[2][0].upper()}{r[2][1:]}" for r in results)
            used = tuple(p for r in results for p in r[3])
        fields = self._model_fields(d.models[0])
        fields.update(self._cat_fields(d.categories[0]), verdict=verdict, details=details)
        return Answer("answer", fields, self._sources_of(used))

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

    def filter(self, d: Decision, ctx: Context) -> Answer:
        include, exclude = d.categories, d.excluded
        found = self.kb.filter(include, exclude)
        parts = [self.kb.category(c).short for c in include]
        criteria = join_names(parts)
        if exclude:
            negated = "not " + join_names((self.kb.category(c).short for c in exclude), "or")
            criteria = f"{criteria}, {negated}" if criteria else negated
        fields = {"criteria": criteria}
        if include:
            fields.update(self._cat_fields(include[0]))
        if not found:
            near: list[str] = []
            for c in include:
                rest = [x for x in include if x != c]
                near += [m.name for m in self.kb.filter(rest, exclude) if m.name not in near][:3]
            fields["nearest"] = (f"models matching all but one condition: {', '.join(near[:5])}."
                                 if near else "nothing.")
            return Answer("none", fields)
        found = tuple(sorted(found, key=lambda m: -self._seed_count(m.id, include)))
        lines = []
        for m in found[:12]:
            by_source: dict[str, list[str]] = {"taxonomy": [], "curated": []}
            for c in include:
                p = self.kb.placement(m.id, c)
                if p is not None:
                    key = "taxonomy" if p.provenance == "seed" else "curated"
                    by_source[key].append(self.kb.category(c).short)
            why = "; ".join(f"{k}: {', '.join(v)}" for k, v in by_source.items() if v)
            extra = ", ".join(x for x in (m.developer, str(m.year or "")) if x)
            lines.append(f"- **{m.name}**{f' ({extra})' if extra else ''}"
                         f"{f' — {why}' if why else ''}")
        if len(found) > 12:
            lines.append(f"- … and {len(found) - 12} more")
        fields["models"] = "\n".join(lines)
        fields["count_phrase"] = (f"{len(found)} models are" if len(found) != 1
                                  else "1 model is")
        fields["first_model"] = found[0].name
        fields["second_model"] = found[1].name if len(found) > 1 else ""
        used = [p for m in found for c in include if (p := self.kb.placement(m.id, c))]
        return Answer("answer", fields, self._sources_of(used))

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
        text_extra = "".join(f"\n- **{x.name}**: {self._fact_value(x, fact) or 'unknown'}"
                             for x in extra)
        fields["value"] += ("" if not extra else "; and" + text_extra)
        ref = m.reference_for(fact if fact != "year" else "year")
        return Answer("answer", fields, (f"{m.name}: {ref}",)
                      + tuple(f"{x.name}: {x.reference_for(fact)}" for x in extra))

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

    def source(self, d: Decision, ctx: Context) -> Answer:
        if not ctx.sources:
            return Answer("none")
        return Answer("answer", {"sources": "\n".join(f"- {s}" for s in ctx.sources)},
                      ctx.sources)

    def static(self, d: Decision, ctx: Context) -> Answer:
        if d.intent == "fallback" and d.note == "truncated":
            return Answer("truncated", {"limit": f"{MAX_INPUT_CHARS:,}"})
        if d.intent == "clarify":
            return Answer("which_model")
        return Answer("answer")

    def unknown(self, d: Decision) -> Answer:
        close = self._closest(d.unknown, 3)
        tail = f" Did you mean {join_names(close, 'or')}?" if close else ""
        spec = self.catalog.get(d.intent)
        suggestions: tuple[str, ...] = ()
        if close and spec is not None and spec.examples:
            suggestions = tuple(f"Tell me about {c}" for c in close)
        return Answer("answer", {"name": code_span(d.unknown), "close": tail},
                      suggestions=suggestions)

    def clarify(self, d: Decision) -> Answer:
        assert d.ambiguity is not None
        names = [c.name for c in d.ambiguity.candidates]
        return Answer("answer", {"text": code_span(d.ambiguity.text),
                                 "candidates": join_names(names, "or")},
                      suggestions=tuple(names))


class _Fields(dict[str, str]):
    """Missing template fields render empty rather than raising mid-answer."""

    def __missing__(self, key: str) -> str:
        return ""


def _fill(template: str, fields: dict[str, str]) -> str:
    """A suggestion whose fields are not all known is dropped, not shown half-filled."""
    try:
        text = template.format_map(fields)
    except (KeyError, IndexError, ValueError):
        return ""
    return text if "  " not in text and not text.endswith(" ?") else ""
