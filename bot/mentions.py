"""Stage 2b: numbers, years and operator words in a message, as typed values.

"open models with more than 100B parameters released after 2022" holds two constraints
(size > 1e11, date > 2022); "is BERT older than GPT-2?" a comparison with another model; "the
newest Llama" an order. The entity stage found the names; this stage finds what the names are
compared with, so that nothing that carries meaning is dropped on the way to the query.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from .frozen import evolve
from .normalise import ORDINAL, NormalisedText
from .operators import Bound, Operators, Order
from .resolution import Resolution
from .values import value

_GLUED = re.compile(r"^(\d+)([a-z]+)$")  # "100b", "7bn"
_DIGIT = re.compile(r"\d")
YEAR_MIN, YEAR_MAX = 1950, 2100
PLURAL_RANKED = 5  # how many "the newest models" ranks, no number given
MAX_RANKED = 50  # "the 50 largest" at most; a bigger number is not a count of ranks
_JOINERS = frozenset({"to", "through", "until", "till"})  # "2019 to 2021"; "and" after "between"


@value
class Constraint:
    """``date > 2022``, ``size >= 1e11``: a typed comparison on one attribute."""

    attribute: str  # date | size
    op: str  # > >= < <= =
    value: float
    text: str  # as typed, for the reply: "after 2022"

    def render(self) -> str:
        return f"{self.attribute} {self.op} {self.value:g}"


@value
class ModelComparison:
    """ "older than GPT-2": the subject's attribute against another model's."""

    attribute: str  # date | size
    op: str  # > or <
    other: str  # model id


@value
class Mentions:
    constraints: tuple[Constraint, ...] = ()
    comparison: ModelComparison | None = None
    superlative: Order | None = None
    comparative: Order | None = None  # "which is newer, A or B?"
    count: bool = False
    group_developer: bool = False
    most: bool = False
    alternative_to: str = ""  # model id after "alternatives to", "like"
    attribute: str = ""  # released | parameters | developer
    attributes: tuple[str, ...] = ()  # every one asked: "when was Codex released and by whom?"
    list_ref: bool = False
    narrow: bool = False
    sort: Order | None = None
    ordinal: int = 0
    recent: bool = False
    unrankable: tuple[str, ...] = ()
    seed_only: bool = False
    their: bool = False
    licence_use: str = ""  # commercial | permissive
    modality: str = ""  # image | audio | video
    domain: str = ""  # code | medicine | ...: "models for coding"
    unknown_attribute: str = ""  # "context window": a fact the knowledge does not hold
    top_n: int = 0  # "the three newest": how many the superlative ranks
    rank: int = 0  # "the second largest": which one it picks
    quantities: tuple[str, ...] = ()  # raw texts read as numbers: never unknown names
    variants: tuple[tuple[str, float], ...] = ()  # "Llama 2 13B": (model id, size named)
    words: tuple[str, ...] = ()  # every operator phrase found, for the trace

    @property
    def any(self) -> bool:
        return bool(self.constraints or self.comparison or self.superlative or self.comparative
                    or self.count or self.group_developer or self.alternative_to
                    or self.sort or self.ordinal or self.unrankable or self.recent
                    or self.licence_use or self.modality or self.domain
                    or self.unknown_attribute)


def find_mentions(nt: NormalisedText, res: Resolution, ops: Operators, as_of_year: int,
                  is_word: Callable[[str], bool] | None = None) -> Mentions:
    """``is_word``: whether a token is a word the bot knows; any other token that no name
    covers may be a typo of an operator word ("whch one is oldr" -> "older")."""
    toks: Sequence[str] = nt.words
    if is_word is not None:
        toks = _typos_corrected(toks, res, ops, is_word)
    n = len(toks)
    scanned = ops.scan(toks)
    digits = _DIGIT.search(nt.text) is not None or any(map(str.isdigit, toks))
    if not (scanned or digits) and ops.ordinals.keys().isdisjoint(toks):
        return _NOTHING  # most questions: no operator word, no number, no ordinal
    entity_at = {e.start: e for e in res.entities}
    covered = {i for e in res.entities for i in range(e.start, e.end)}
    # Numbers first: "1.5 trillion", "100B", "7 billion", "2022".
    numbers: dict[int, tuple[int, str, float]] = {}  # start -> (end, kind, value)
    raw_numbers: list[str] = []
    variants: list[tuple[str, float]] = []  # a size written after a name: "Llama 3 8B"
    model_ending = {e.end: e.id for e in res.entities if e.kind == "model"}
    for ent in res.entities:  # an alias with a size: "Falcon 7B" is Falcon at 7B
        last = toks[ent.end - 1] if ent.kind == "model" and ent.end - ent.start > 1 else ""
        size = _glued_size(last, ops) if last else None
        if size is not None and last not in ent.name.casefold().replace("-", " ").split():
            variants.append((ent.id, size))
    i = 0 if digits else n
    while i < n:
        if i in covered:
            i += 1
            continue
        t = toks[i]
        glued_size = _glued_size(t, ops)
        if glued_size is not None:
            if i not in model_ending:
                numbers[i] = (i + 1, "size", glued_size)
            else:  # a size written after a name picks that size of the model
                variants.append((model_ending[i], glued_size))
            raw_numbers.append(nt.tokens[i].raw)
            i += 1
            continue
        if t.isdigit():
            value, end = float(t), i + 1
            while (end < n and len(toks[end]) == 3 and toks[end].isdigit() and len(t) <= 3
                   and nt.raw[nt.tokens[end - 1].end:nt.tokens[end].start] == ","):
                value, end = value * 1000 + float(toks[end]), end + 1  # "1,000 million"
            if (end + 1 < n and toks[end].isdigit()
                    and nt.raw[nt.tokens[i].end:nt.tokens[end].start] == "."):
                value, end = float(f"{t}.{toks[end]}"), end + 1
            glued = _GLUED.match(toks[end]) if end < n else None
            if (glued and glued.group(2) in ops.units and end == i + 1
                    and nt.raw[nt.tokens[i].end:nt.tokens[end].start] == "."):
                # "1.3B": the digits after the point are glued to the unit
                numbers[i] = (end + 1, "size",
                              float(f"{t}.{glued.group(1)}") * ops.units[glued.group(2)])
                raw_numbers.append(nt.span_raw(i, end + 1))
                i = end + 1
                continue
            if end < n and toks[end] in ops.units and i in model_ending:  # "Llama 2 13 billion"
                variants.append((model_ending[i], value * ops.units[toks[end]]))
                raw_numbers.append(nt.span_raw(i, end + 1))
                i = end + 1
                continue
            if end < n and toks[end] in ops.units:
                numbers[i] = (end + 1, "size", value * ops.units[toks[end]])
                raw_numbers.append(nt.span_raw(i, end + 1))
                i = end + 1
                continue
            if glued is None and len(t) == 4 and YEAR_MIN <= value <= YEAR_MAX and end == i + 1:
                numbers[i] = (end, "year", value)
            i = end
            continue
        i += 1
    found_words: list[str] = []

    names = {i for e in res.entities if e.kind != "dimension" for i in range(e.start, e.end)}

    licence_words = ops.word_sets.get("licence", frozenset())
    idiom = {k for s, e, _ in scanned.get("idioms", ()) for k in range(s, e)}

    def phrases(table_name: str) -> list[tuple[int, int, object]]:
        found = scanned.get(table_name)
        if not found:
            return []
        # "how big" holds a dimension's alias ("big": scale) and still asks for a size
        blocked = (names if table_name == "attributes" else covered) | idiom
        hits = [h for h in found
                if not any(k in blocked for k in range(h[0], h[1]))]
        found_words.extend(" ".join(toks[s:e]) for s, e, _ in hits)
        return hits

    constraints: list[Constraint] = []
    comparison: ModelComparison | None = None
    used_numbers: set[int] = set()
    ranges = _ranges(nt, toks, numbers, {e: s for s, e, _ in phrases("ranges")})
    for c, j1, j2 in ranges:  # "between 2019 and 2021": both ends, before any bound
        constraints += c
        used_numbers |= {j1, j2}
    bound_hits = phrases("bounds")
    after = {s: (e, op) for s, e, op in phrases("after_bounds")}
    # "2020 or later": the words after a number belong to it, never a sort or a comparison
    bound_tokens = {k for s, e, _ in bound_hits for k in range(s, e)}
    bound_tokens |= {k for s, (e, _) in after.items() for k in range(s, e)}
    for s, e, meaning in bound_hits:
        assert isinstance(meaning, Bound)
        j = e + (1 if e < n and toks[e] in ("the", "year") else 0)
        if j in numbers and j not in used_numbers:
            end, kind, value = numbers[j]
            attr = "date" if kind == "year" else "size"
            if meaning.attribute not in (attr, "any"):
                continue
            used_numbers.add(j)
            op, text_end = meaning.op, end
            if op == "=" and end in after:  # "released in 2024 or later": from 2024 on
                text_end, op = after[end][0], str(after[end][1])
            constraints.append(Constraint(attr, op, value, nt.span_raw(s, text_end)))
        elif (j in entity_at and entity_at[j].kind == "model" and comparison is None
              and not (entity_at[j].end < n and toks[entity_at[j].end] in licence_words)):
            # "under the LLaMA licence" names a licence, not a size to compare with
            attr = "date" if meaning.attribute == "date" else "size"
            if meaning.op in (">", "<"):
                comparison = ModelComparison(attr, meaning.op, entity_at[j].id)
    for _s, e, meaning in phrases("comparatives"):
        assert isinstance(meaning, Order)
        if e + 1 < n and toks[e] == "than" and e + 1 in entity_at and comparison is None:
            other = entity_at[e + 1]
            if other.kind == "model":
                op = ">" if meaning.order == "desc" else "<"
                comparison = ModelComparison(meaning.attribute, op, other.id)
    # A year or a size with no bound word: "models from 2019" is caught above; "2019 models"
    # and "7B models" mean equality, or the bound written after ("2020 or later").
    for j, (end, kind, value) in sorted(numbers.items()):
        if j in used_numbers:  # "since 2020 (or later)": the bound already said it
            continue
        attr = "date" if kind == "year" else "size"
        # "the 7B model": a size with no bound is a size near it
        op = str(after[end][1]) if end in after else ("=" if attr == "date" else "~")
        constraints.append(Constraint(attr, op, value, nt.span_raw(j, after[end][0]
                                                                  if end in after else end)))
    same_year = [k for k, c in enumerate(constraints) if c.attribute == "date" and c.op == "="]
    if len(same_year) > 1:  # "from 2019 and 2021": either year, one text for the group
        joint = " / ".join(constraints[k].text for k in same_year)
        for k in same_year:
            constraints[k] = evolve(constraints[k], text=joint)
    for s, e, years in phrases("relative_years"):
        assert isinstance(years, int)
        y = as_of_year + years
        constraints.append(Constraint("date", "=", float(y), nt.span_raw(s, e)))
    for s, e, span in phrases("recent_years"):  # "in the last two years": this one and 1 more
        assert isinstance(span, int)
        constraints.append(Constraint("date", ">=", float(as_of_year - span + 1),
                                      nt.span_raw(s, e)))
    supers = phrases("superlatives")
    comps = [h for h in phrases("comparatives") if comparison is None
             and not any(k in bound_tokens for k in range(h[0], h[1]))
             and h[1] not in numbers and not (h[1] < n and toks[h[1]] == "than")]
    alternative = ""
    for _s, e, _ in phrases("alternatives"):
        j = e + (1 if e < n and toks[e] in ("the", "a", "an") else 0)
        if j in entity_at and entity_at[j].kind == "model":
            alternative = entity_at[j].id
            break
    attrs = phrases("attributes")
    spans = {k for s, e, _ in attrs for k in range(s, e)}
    if any(e.kind == "dimension" and e.start not in spans for e in res.entities):
        attrs = []  # "how big is Llama 3.1 according to the scale dimension?" asks the scale
    ordinal = 0
    for k, t in enumerate(toks):
        if t in ops.ordinals and k + 1 <= n and (k + 1 == n or toks[k + 1] in ("one", "model",
                                                                            "ones", "item")):
            ordinal = ops.ordinals[t]
            found_words.append(t)
    sort_hits = phrases("sorting")
    sort = None
    if sort_hits:
        by_size = any(t in ("size", "parameters", "params", "big", "biggest") for t in toks)
        by_date = any(t in ("date", "year", "age", "release", "released", "newest", "oldest")
                      for t in toks)
        if by_size or by_date:
            sort = Order("size" if by_size else "date", "desc" if by_size else "asc")
    superlative = supers[0][2] if supers else None
    unrank = phrases("unrankable")
    top_n = rank = 0
    if superlative is not None and supers[0][0] >= 1:  # "the three newest", "top 5 largest",
        before = toks[supers[0][0] - 1]  # "the second largest"
        if before.isdigit() and 1 < int(before) <= MAX_RANKED:
            top_n = int(before)
        elif 1 < ops.cardinals.get(before, 0) <= MAX_RANKED:
            top_n = ops.cardinals[before]
        elif 1 < ops.ordinals.get(before, 0) <= MAX_RANKED:
            rank = ops.ordinals[before]
        elif (place := ORDINAL.match(before)) and 1 < int(place.group(1)) <= MAX_RANKED:
            rank = int(place.group(1))  # "the 10th largest"
        if top_n or rank:
            found_words.append(before)
        if top_n and supers[0][0] >= 2 and toks[supers[0][0] - 2] == "top":
            top_words = {supers[0][0] - 2}  # "top 3 largest": "top" is the count's, not a
            unrank = [h for h in unrank if h[0] not in top_words]  # judgement of quality
    end = supers[0][1] if supers else n
    while end < n and end in covered:  # "the newest open-source models": a category's words
        end += 1
    plural = ops.word_sets.get("models", frozenset())
    if (superlative is not None and not (top_n or rank) and supers
            and any(t in plural for t in toks[supers[0][1]:end + 1])):
        top_n = PLURAL_RANKED  # "list the largest models": a few, not the one largest
    if superlative is not None and ordinal and supers[0][0] <= ordinal:
        superlative = None
    if ordinal == 1 and superlative is not None:
        ordinal = 0
    return evolve(  # (a copy of the empty value: a 25-field __init__ is the slow way)
        _NOTHING, constraints=tuple(constraints), comparison=comparison,
        superlative=superlative if isinstance(superlative, Order) else None,
        comparative=comps[0][2] if comps and isinstance(comps[0][2], Order) else None,
        count=any(e >= n or toks[e] not in ("parameters", "params", "parameter", "sizes",
                                            "versions", "variants")
                  for _, e, _ in phrases("count")),
        group_developer=bool(phrases("group_by_developer")),
        most=bool(phrases("most")), alternative_to=alternative,
        attribute=str(attrs[0][2]) if attrs else "",
        attributes=tuple(dict.fromkeys(str(a[2]) for a in attrs)),
        list_ref=bool(phrases("list_references")), narrow=bool(phrases("narrowers")),
        sort=sort, ordinal=ordinal, recent=bool(phrases("recent")),
        unrankable=tuple(" ".join(toks[s:e]) for s, e, _ in unrank),
        seed_only=bool(phrases("seed_only")), their=bool(phrases("their")),
        licence_use=_first(phrases("licence_use")), modality=_first(phrases("modalities")),
        domain=_first(phrases("domains")),
        unknown_attribute=_first(phrases("unknown_attributes")),
        quantities=tuple(raw_numbers), words=tuple(dict.fromkeys(found_words)),
        variants=tuple(dict.fromkeys(variants)),
        top_n=top_n, rank=rank)


_NOTHING = Mentions()


def _ranges(nt: NormalisedText, toks: Sequence[str], numbers: dict[int, tuple[int, str, float]],
            range_starts: dict[int, int]) -> list[tuple[tuple[Constraint, ...], int, int]]:
    """ "between 2019 and 2021", "from 1B to 10B", "2019-2021": two numbers of one kind
    joined as a range, as an inclusive pair of bounds (the smaller first)."""
    out: list[tuple[tuple[Constraint, ...], int, int]] = []
    for j1, (end1, kind1, v1) in sorted(numbers.items()):
        if end1 < len(toks) and end1 + 1 in numbers and (
                toks[end1] in _JOINERS or (toks[end1] == "and" and j1 in range_starts)):
            j2 = end1 + 1
        elif end1 in numbers and nt.raw[nt.tokens[end1 - 1].end:nt.tokens[end1].start] == "-":
            j2 = end1  # "2019-2021"
        else:
            continue
        end2, kind2, v2 = numbers[j2]
        if kind1 != kind2 or v1 == v2:
            continue
        attr = "date" if kind1 == "year" else "size"
        lo, hi = sorted((v1, v2))
        text = nt.span_raw(range_starts.get(j1, j1), end2)
        out.append(((Constraint(attr, ">=", lo, text), Constraint(attr, "<=", hi, text)), j1, j2))
    return out


def _typos_corrected(toks: Sequence[str], res: Resolution, ops: Operators,
                     is_word: Callable[[str], bool]) -> Sequence[str]:
    unknown = [i for i, t in enumerate(toks) if len(t) >= 4 and not is_word(t)
               and not t.isdigit()]
    if not unknown:
        return toks  # nearly every question: no look-up at all
    named = {i for e in res.entities for i in range(e.start, e.end)}
    out = list(toks)
    for i in unknown:
        if i not in named and (fixed := ops.corrected(toks[i])):
            out[i] = fixed
    return out


def _glued_size(token: str, ops: Operators) -> float | None:
    """ "100b", "7bn": a count glued to its unit; None for any other token."""
    m = _GLUED.match(token)
    return int(m.group(1)) * ops.units[m.group(2)] if m and m.group(2) in ops.units else None


def _first(hits: list[tuple[int, int, object]]) -> str:
    return str(hits[0][2]) if hits else ""
