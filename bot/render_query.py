"""Stage 5b: a query's Result to Markdown, by the answer's form; wording from intents/.

Every fact comes from the Result's models; every sentence frame from the ``wording`` of
intents/operators.yaml. The criteria the query used are said back ("released after 2022,
with more than 100B parameters"), so the reader sees what was taken into account.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

from .attributes import format_count, largest, render_date, render_sizes, size_named
from .execute import Result
from .knowledge import KnowledgeBase, Model
from .mentions import Constraint
from .query import Query

_DATE_OPS = {">": "released after {y}", ">=": "released in or after {y}",
             "<": "released before {y}", "<=": "released in or before {y}",
             "=": "released in {y}"}
_SIZE_OPS = {">": "with more than {n} parameters", ">=": "with at least {n} parameters",
             "<": "with fewer than {n} parameters", "<=": "with at most {n} parameters",
             "=": "with about {n} parameters", "~": "with about {n} parameters"}
_SUPER = {("date", "desc"): "newest", ("date", "asc"): "oldest",
          ("size", "desc"): "largest", ("size", "asc"): "smallest"}
_COMPARE = {("date", "desc"): "newer", ("date", "asc"): "older",
            ("size", "desc"): "bigger", ("size", "asc"): "smaller"}
_RELATION = {("date", ">"): "came out after", ("date", "<"): "came out before",
             ("size", ">"): "is bigger than", ("size", "<"): "is smaller than"}
_INVERSE = {("date", ">"): "came out before", ("date", "<"): "came out after",
            ("size", ">"): "is smaller than", ("size", "<"): "is bigger than"}
_ATTRIBUTE = {"released": "the release date", "parameters": "the size",
              "developer": "the developer", "license": "the licence",
              "modality": "the modalities"}
_ACCESS = {"open-weights": "open weights", "api": "proprietary, offered through an API",
           "proprietary": "proprietary, not publicly available"}


def _join(items: list[str], conj: str = "and") -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conj} " + items[-1]


def _constraints(cs: tuple[Constraint, ...]) -> list[str]:
    """Each bound as words; the two ends of one range ("between 2019 and 2021") as one."""
    out: list[str] = []
    i = 0
    while i < len(cs):
        c = cs[i]
        nxt = cs[i + 1] if i + 1 < len(cs) else None
        if (nxt is not None and c.op == ">=" and nxt.op == "<=" and c.text == nxt.text
                and c.attribute == nxt.attribute):
            if c.attribute == "date":
                out.append(f"released between {int(c.value)} and {int(nxt.value)}")
            else:
                out.append(f"with between {format_count(c.value)} and "
                           f"{format_count(nxt.value)} parameters")
            i += 2
            continue
        years = [c]
        while (c.attribute == "date" and c.op == "=" and i + len(years) < len(cs)
               and cs[i + len(years)].attribute == "date" and cs[i + len(years)].op == "="
               and cs[i + len(years)].text == c.text):
            years.append(cs[i + len(years)])
        if len(years) > 1:  # "models from 2019 and 2021": either year
            named = list(dict.fromkeys(str(int(y.value)) for y in years))  # "2019-2019"
            out.append("released in " + _join(named, "or"))
            i += len(years)
            continue
        out.append(_constraint(c))
        i += 1
    return out


def _constraint(c: Constraint) -> str:
    if c.attribute == "date":
        return _DATE_OPS[c.op].format(y=int(c.value))
    return _SIZE_OPS[c.op].format(n=format_count(c.value))


class QueryRenderer:
    def __init__(self, kb: KnowledgeBase, wording: dict[str, str],
                 licence_name: Callable[[str], str] = lambda licence_id: licence_id,
                 concept_name: Callable[[str], str] = lambda concept_id: concept_id,
                 ordinals: Mapping[str, int] | None = None) -> None:
        """``ordinals``: operators.yaml's words for places ("second": 2), to say them."""
        self.kb = kb
        self.wording = wording
        self._ordinal_word = {v: k for k, v in (ordinals or {}).items()
                              if k.isalpha() and v > 0}
        self._licence_name = licence_name
        self._concept_name = concept_name

    def _say(self, key: str, **fields: str) -> str:
        text = self.wording.get(key, "").format_map(_Blank(fields)).strip()
        return (text.replace("  ", " ").replace(" ,", ",").replace(" .", ".")
                .replace(" :", ":"))

    def criteria(self, q: Query, one: bool = False) -> str:
        kb = self.kb
        kinds = [kb.category(c).short for c in q.categories]
        kinds += [f"not {kb.category(c).short}" for c in q.excluded]
        parts = [f"that {'is' if one else 'are'} {_join(kinds)}"] if kinds else []
        if q.seed_only:
            parts.append("that the taxonomy lists as examples")
        if q.family and kb.has_model(q.family):
            name = kb.model(q.family).name
            parts.append(f"in the {name if 'famil' in name.lower() else name + ' family'}")
        if q.developer:
            parts.append(f"from {q.developer}")
        if q.excluded_developers:
            parts.append(f"not from {_join(list(q.excluded_developers), 'or')}")
        parts += _constraints(q.constraints)
        if q.bound_model and kb.has_model(q.bound_model):  # "bigger than GPT-3": its 175B
            bound = kb.model(q.bound_model)
            dated = any(c.attribute == "date" and c.text == f"than {bound.name}"
                        for c in q.constraints)
            parts[-1] += f" (**{bound.name}**'s {'release year' if dated else 'largest size'})"
        if q.alternative_to and kb.has_model(q.alternative_to):
            parts.append(f"like **{kb.model(q.alternative_to).name}**")
        if q.licence_use:
            parts.append("under a licence that allows commercial use"
                         + (" without conditions" if q.licence_use == "permissive"
                            else " (some on conditions)"))
        if q.modality:
            what = "images" if q.modality == "image" else q.modality  # (audio, video)
            parts.append(f"that {'handles' if one else 'handle'} {what}")
        if q.domain:
            parts.append(f"specialised for {q.domain}")
        if q.concept:
            parts.append(f"curated as {self._concept_name(q.concept)}")
        if q.licence:
            parts.append(f"under the {self._licence_name(q.licence)}")
        if q.subjects and q.form not in ("value", "verdict"):
            parts.append("among " + _join([kb.model(m).name for m in q.subjects
                                           if kb.has_model(m)]))
        return ", ".join(parts)

    def _facts(self, m: Model) -> str:
        bits = [b for b in (m.developer, render_date(m.year, m.month),
                            render_sizes(m.sizes)) if b]
        return f" ({'; '.join(bits)})" if bits else ""

    def _items(self, models: tuple[Model, ...]) -> str:
        return "\n".join(f"- **{m.name}**{self._facts(m)}" for m in models)

    def fact(self, m: Model, attribute: str, q: Query | None = None) -> str:
        at = q.variant(m.id) if q is not None and attribute == "size" else None
        if at is not None:  # "Llama 2 13B": the size it was named at
            return format_count(at)
        if attribute == "date":
            return render_date(m.year, m.month) or "release date unknown"
        top = largest(m.sizes)
        return format_count(top) if top is not None else "size not published"

    @staticmethod
    def _label(m: Model, q: Query) -> str:
        """A model as the question named it: "Llama 2 13B", not the whole family's name."""
        at = q.variant(m.id)
        return m.name if at is None else f"{m.name} {format_count(at)}"

    def _as_of(self, q: Query) -> str:
        dated = q.order is not None and q.order.attribute == "date" and q.order.order == "desc"
        recent = any(c.text == "recent" for c in q.constraints)
        return f", as of {self.kb.as_of}" if (dated or recent) and self.kb.as_of else ""

    def render(self, r: Result) -> str:
        q = r.query
        form = q.form
        if form == "cannot" and q.projection == "unknown":
            names = _join([self.kb.model(m).name for m in q.subjects if self.kb.has_model(m)])
            if not names:  # "which models have the biggest context window?"
                return self._say("unknown_rank", what=q.cannot[0])
            return self._say("unknown_attribute", what=q.cannot[0], models=names)
        if form == "cannot":
            return self._say("cannot", what=", ".join(f"“{w}”" for w in q.cannot))
        if form == "verdict" or (form == "pick" and q.comparison is not None):
            return self._verdict(r)
        if form == "value":
            return self._value(r)
        if form == "is_from":
            return self._is_from(r)
        if form == "holds":
            return self._holds(r)
        if form == "no_such":
            return self._no_such(r)
        if form == "pick":
            return self._pick(r)
        criteria = self.criteria(q)
        text = self._set(r, criteria)
        if q.cannot:  # (a caveat is a paragraph of its own: _say strips the template's)
            text += "\n\n" + self._say("caveat", words=", ".join(q.cannot))
        if q.unheld:
            text += "\n\n" + self._say("unheld", words=", ".join(q.unheld))
        if q.unknown_facts:
            text += "\n\n" + self._say("unknown_fact", what=", ".join(q.unknown_facts))
        return text

    def _set(self, r: Result, criteria: str) -> str:
        q = r.query
        as_of = self._as_of(q)
        if q.form == "group":
            if not r.groups:
                return self._say("group_none", criteria=criteria)
            items = "\n".join(f"- {name}: {n}" for name, n in r.groups)
            top = [name for name, n in r.groups if n == r.groups[0][1]]
            if len(top) > 1:  # "Google and OpenAI have the most": a tie, said
                return self._say("group_tie", top_developers=_join([f"**{t}**" for t in top]),
                                 top_count=str(r.groups[0][1]), criteria=criteria, items=items)
            return self._say("group", top_developer=f"**{r.groups[0][0]}**",
                             top_count=str(r.groups[0][1]), criteria=criteria, items=items)
        if not r.total:
            return self._say("list_none", criteria=criteria, as_of_note=as_of)
        if q.form == "count":
            names = [m.name for m in r.models[:5]]
            more = "…" if r.total > 5 else ""
            examples = f" They include {_join(names)}{more}." if r.total > 1 else \
                f" It is {names[0]}." if names else ""
            word = "example models" if q.seed_only else ("model" if r.total == 1 else "models")
            return self._say("count", count=str(r.total), model_word=word, criteria=criteria,
                             as_of_note=as_of, examples=examples)
        more = (f"\n- … and {r.total - len(r.models)} more" if r.total > len(r.models)
                else "")
        if q.order is not None and q.limit:
            key = (q.order.attribute, q.order.order)
            fact_word = "size" if key[0] == "size" else "date"
            if not r.models:  # "the second largest Anthropic model": no sizes published
                return self._say("top_none", count=str(r.total), fact_word=fact_word,
                                 criteria=self.criteria(q))
            if q.limit > 1:  # "the three newest Anthropic models"
                missing = (f" ({r.missing} of them {_have(r.missing)} no published "
                           f"{fact_word})"
                           if r.missing else "")
                lines = "\n".join(f"- **{m.name}**: {self.fact(m, key[0])}" for m in r.models)
                return self._say("top_n", superlative_phrase=(
                    f"The {len(r.models)} {_SUPER[key]} models I know"),
                    criteria=self.criteria(q), as_of_note=as_of + missing, items=lines)
            first = r.models[0]
            ties = ""
            if r.ties > 1:
                names = [m.name for m in r.models[:5]]
                more = f" and {r.ties - len(names)} more" if r.ties > len(names) else ""
                ties = (f" {r.ties} models share that: {', '.join(names)}{more}."
                        if more else f" {r.ties} models share that: {_join(names)}.")
            missing = (f" ({r.missing} of them {_have(r.missing)} no published "
                       f"{'size' if key[0] == 'size' else 'date'})" if r.missing else "")
            place = f"{self._ordinal_word.get(q.rank, f'#{q.rank}')} " if q.rank else ""
            return self._say("top", superlative_phrase=f"The {place}{_SUPER[key]} model I know",
                             criteria=self.criteria(q, one=True), first=first.name,
                             first_fact=f" ({self.fact(first, key[0])})",
                             as_of_note=as_of + missing, ties=ties,
                             items=self._items(r.models[:1]))
        count_phrase = f"I know {r.total} models" if r.total != 1 else "I know 1 model"
        frame = "alternatives" if q.alternative_to else "list"
        if r.total == 1 and frame == "list":
            return self._say("list_one", first=r.models[0].name,
                             criteria=self.criteria(q, one=True),
                             items=self._items(r.models))
        target = self.kb.model(q.alternative_to).name if q.alternative_to else ""
        return self._say(frame, count_phrase=count_phrase, criteria=criteria,
                         items=self._items(r.models), more=more, target=target)

    def _pick(self, r: Result) -> str:
        q = r.query
        assert q.order is not None
        attr = q.order.attribute
        key = (attr, q.order.order)
        known = [m for m in r.models if self.fact(m, attr, q)[0].isdigit()
                 or (attr == "date" and m.year is not None)]
        items = "\n".join(f"- **{self._label(m, q)}**: {self.fact(m, attr, q)}" for m in r.models)
        if not known or r.missing:
            missing = [self._label(m, q) for m in r.models if m not in known]
            what = "size" if attr == "size" else "release date"
            return self._say("pick_unknown", pick_question=f"is {_SUPER[key]}",
                             missing=f"no published {what} for {_join(missing)}",
                             items=items)
        best = self.fact(r.models[0], attr, q)
        tied = [self._label(m, q) for m in r.models if self.fact(m, attr, q) == best]
        if len(tied) > 1:  # "which is older: T5, BART or GPT-2?" with three times "2019"
            same = ("came out in" if attr == "date" else "have")
            return self._say("pick_tie", names=_join([f"**{n}**" for n in tied]),
                             same=f"{'both' if len(tied) == 2 else 'all'} {same} {best}",
                             items=items)
        phrase = (f"is {_COMPARE[key]}" if len(r.models) == 2
                  else f"is the {_SUPER[key]}")
        return self._say("pick", first=self._label(r.models[0], q),
                         pick_phrase=f"{phrase} ({self.fact(r.models[0], attr, q)})",
                         items=items)

    def _verdict(self, r: Result, line: str = "") -> str:
        """A comparison's verdict; ``line``: "line_" for one line of several (no yes/no)."""
        q = r.query
        c = q.comparison
        assert c is not None
        if len(r.models) > 2:  # one line per model compared with
            a = r.models[0]
            lines = [self._verdict(replace(r, models=(a, b), verdict=v, checks=(v,)), "line_")
                     for b, v in zip(r.models[1:], r.checks, strict=True)]
            head = ({"yes": "Yes.", "no": "No."}.get(r.checks[0], "Not all:")
                    if len(set(r.checks)) == 1 else "Not all:")
            return head + "\n\n" + "\n".join(f"- {x}" for x in lines)
        a, b = r.models
        fa, fb = self.fact(a, c.attribute, q), self.fact(b, c.attribute, q)
        if r.verdict == "unknown":
            lacking = [f"{self.fact(m, c.attribute, q)} for {self._label(m, q)}" for m in (a, b)
                       if not (m.year if c.attribute == "date" else m.sizes)]
            return self._say(f"verdict_{line}unknown", missing=_join(lacking))
        same = "came out in the same year" if c.attribute == "date" else "are the same size"
        key = f"verdict_{line}{r.verdict}"
        return self._say(key, a=self._label(a, q), b=self._label(b, q), a_fact=fa, b_fact=fb,
                         relation=_RELATION[(c.attribute, c.op)],
                         inverse=_INVERSE[(c.attribute, c.op)], same_phrase=same)

    def _holds(self, r: Result) -> str:
        """ "was GPT-2 released after 2020?": the fact, and whether it meets the bound."""
        lines, verdicts = [], set(r.checks)
        pairs = [(m, c) for m in r.models for c in r.query.constraints]
        for (m, c), check in zip(pairs, r.checks, strict=True):
            if check == "unknown":
                lines.append(f"I don't know **{m.name}**'s "
                             f"{'release date' if c.attribute == 'date' else 'size'}")
                continue
            if c.attribute == "date":
                fact = f"**{m.name}** was released in {render_date(m.year, m.month)}"
            elif len(m.sizes) > 1 and c.op not in ("~", "="):  # bounds use the largest
                fact = f"**{m.name}**'s largest size is {format_count(largest(m.sizes) or 0)}"
            else:
                fact = f"**{m.name}** has {render_sizes(m.sizes)} parameters"
            bound = _constraint(c).removeprefix("released ").removeprefix("with ")
            lines.append(fact if check == "yes" else f"{fact}, not {bound}")
        head = ({"yes": "Yes:", "no": "No:"}.get(verdicts.pop(), "I can't say:")
                if len(verdicts) == 1 else "Not all:")
        if len(lines) == 1:
            return f"{head} {lines[0]}."
        return f"{head}\n\n" + "\n".join(f"- {x}." for x in lines)

    def _is_from(self, r: Result) -> str:
        q = r.query
        theirs = {m.id for m in self.kb.models_by(q.developer)}
        lines, verdicts = [], set()
        for m in r.models:
            yes = m.id in theirs
            verdicts.add(yes)
            lines.append(f"**{m.name}** was developed by {m.developer or 'an unknown developer'}"
                         f"{'' if yes else f', not {q.developer}'}.")
        head = "Yes." if verdicts == {True} else "No."
        return f"{head} " + (lines[0] if len(lines) == 1 else "\n\n" + "\n".join(
            f"- {x}" for x in lines))

    def _no_such(self, r: Result) -> str:
        m = r.models[0]
        kinds = [self.kb.category(p.category_id).short for p in self.kb.placements_of(m.id)]
        where = f" It is {_join(kinds)}." if kinds else ""
        if m.modality:  # "is Whisper a text-only model?": what it does handle answers it
            where += f" It handles {_join(list(m.modality))}."
        return self._say("no_such", word=r.query.word, model=m.name, where=where)

    def _value(self, r: Result) -> str:
        q = r.query
        attrs = q.projection.split(",")
        if len(attrs) > 1:
            return self._values(r, attrs)
        attr = attrs[0]

        def value(m: Model) -> str:
            if attr == "released":
                return render_date(m.year, m.month)
            if attr == "developer":
                return m.developer
            if attr == "modality":
                return _join(list(m.modality))
            if attr == "license":
                access = _ACCESS.get(m.access, "")
                return "; ".join(b for b in (access, f"licence {m.license}" if m.license
                                             else "") if b)
            if q.order is not None and m.sizes:  # "the biggest size of Galactica"
                pick = max if q.order.order == "desc" else min
                return pick(m.sizes, key=lambda s: s.total).render()
            return render_sizes(m.sizes)

        if not r.models:
            return ""
        if (len(r.models) == 1 and attr == "parameters"
                and (at := q.variant(r.models[0].id)) is not None):
            return self._variant(r.models[0], at)
        if len(r.models) == 1:
            m = r.models[0]
            v = value(m)
            if not v:
                return self._say("value_none", attribute_phrase=_ATTRIBUTE[attr], first=m.name)
            sentence = {"released": f"**{m.name}** was released in **{v}**.",
                        "developer": f"**{m.name}** was developed by **{v}**.",
                        "parameters": f"**{m.name}** has **{v}** parameters.",
                        "license": f"**{m.name}**: {v}.",
                        "modality": f"**{m.name}** handles: {v}."}[attr]
            if attr == "parameters" and len(m.sizes) > 1 and q.order is None:
                sentence = (f"**{m.name}** comes in {len(m.sizes)} sizes: **{v}** parameters; "
                            f"the largest is {format_count(largest(m.sizes) or 0)}.")
            elif attr == "parameters" and len(m.sizes) > 1:  # "the smallest size of Llama 2"
                which = "largest" if q.order is not None and q.order.order == "desc" else "smallest"
                sentence = (f"**{m.name}**'s {which} size is **{v}** (of "
                            f"{render_sizes(m.sizes)}).")
            return sentence
        lines = [f"- **{m.name}**: {value(m) or 'not published'}" for m in r.models]
        return self._say("value", items="\n".join(lines))

    def _variant(self, m: Model, count: float) -> str:
        """ "how many parameters does Llama 2 13B have?": that size, and the model's others;
        a size the model does not have is said to be unknown, never answered by another."""
        sizes = render_sizes(m.sizes)
        phrase = (f"**{m.name}** comes in {sizes}" if len(m.sizes) > 1
                  else f"the one published size of **{m.name}** is {sizes}" if sizes
                  else f"no size of **{m.name}** is published")
        size = size_named(m.sizes, count)
        if size is None:
            return self._say("variant_unknown", size=format_count(count), first=m.name,
                             sizes_phrase=phrase)
        return self._say("variant_size", name=m.name, size=size.render(), sizes_phrase=phrase)

    def _values(self, r: Result, attrs: list[str]) -> str:
        """ "when was Codex released and by whom?": each attribute asked, per model."""
        lines = []
        for m in r.models:
            facts = {"released": render_date(m.year, m.month), "developer": m.developer,
                     "parameters": render_sizes(m.sizes)}
            told = [f"{_ATTRIBUTE[a].removeprefix('the ')} {facts.get(a) or 'not published'}"
                    for a in attrs]
            lines.append(f"- **{m.name}**: {'; '.join(told)}")
        return "\n".join(lines)


def _have(n: int) -> str:
    return "has" if n == 1 else "have"  # "(1 of them has no published size)"


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""
