"""Answers about the taxonomy's categories and dimensions: descriptions, examples, lists,
membership and choice, and filters over categories."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .answer_base import EXAMPLES_PAGE, Answer, Facts, join_names
from .context import Context
from .decision import NEGATED, Decision
from .knowledge import Model

_WORD = re.compile(r"[a-z0-9]+")
MAX_ASKED = 20  # "give me 2019 examples" is not a count


class CategoryAnswers(Facts):
    def examples(self, d: Decision, ctx: Context) -> Answer:
        cid = d.categories[0]
        fields = self._cat_fields(cid)
        seed, curated = self.kb.members(cid, "seed"), self.kb.members(cid, "curated")
        asked = self._asked_count(d.question)  # "give me three examples": the taxonomy's first
        page = [*seed, *curated][:asked] if asked else [*seed, *curated[:EXAMPLES_PAGE]]
        names = [self._mname(p.model_id) for p in page]
        rest = len(self.kb.members(cid)) - len(page)
        fields["members"] = self._members_text(page) + (
            f"\n\n{rest} more: ask *more examples*." if rest > 0 else "")
        fields["first_member"] = names[0] if names else ""
        fields["second_member"] = names[1] if len(names) > 1 else ""
        return Answer("answer", fields, self._sources_of(page),
                      shown=tuple(p.model_id for p in page))

    def _asked_count(self, question: str) -> int:
        """How many examples the question asks for, when it opens by saying so ("name two
        conversational models", "give me 3 examples of ..."); 0 when it does not."""
        cardinals = self.catalog.operators.cardinals
        for word in _WORD.findall(question)[:4]:
            n = int(word) if word.isdigit() else cardinals.get(word, 0)
            if 0 < n <= MAX_ASKED:
                return n
        return 0

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
        notes = [n for mid in d.models[:5] if (n := self.membership_note(mid, cid))]
        fields["why"] = why + "".join(f"\n\n{n}" for n in notes)
        if d.note == NEGATED and outcome in ("yes", "no", "no_record", "all_yes"):
            outcome = f"negated_{outcome}"  # "is BERT not a transformer?": "In fact it is."
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

    def filter(self, d: Decision, ctx: Context) -> Answer:
        include, exclude = d.categories, d.excluded
        found: Sequence[Model] = self.kb.filter(include, exclude)
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
