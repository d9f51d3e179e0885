"""Operator words from intents/operators.yaml: what turns a question into a query.

"after 2022", "more than 100B", "the newest", "how many", "alternatives to" are phrases the
interpreter looks for; the phrases and what they mean are data, checked here with file:line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import field
from typing import Any

from .normalise import words
from .problems import Problem
from .values import value

Phrase = tuple[str, ...]
OPS = (">", ">=", "<", "<=", "=")
ATTRIBUTES = ("date", "size", "any")
TYPO_MIN_CHARS = 5  # operator words this long may be matched with a typo ("oldr", "nwest")
TYPO_CUTOFF = 85.0


@value
class Bound:
    op: str
    attribute: str  # date | size | any


@value
class Order:
    attribute: str  # date | size
    order: str  # asc | desc


@value
class PhraseTable:
    """Phrases by first token, longest first, each with what it means."""

    by_first: dict[str, tuple[tuple[Phrase, Any], ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, Any]]) -> PhraseTable:
        table: dict[str, list[tuple[Phrase, Any]]] = {}
        for text, meaning in pairs:
            phrase = tuple(words(text))
            if phrase:
                table.setdefault(phrase[0], []).append((phrase, meaning))
        return cls({k: tuple(sorted(v, key=lambda p: -len(p[0]))) for k, v in table.items()})

    def at(self, toks: list[str], i: int) -> tuple[int, Any] | None:
        """The longest phrase starting at token i: (its length, its meaning)."""
        for phrase, meaning in self.by_first.get(toks[i], ()):
            if tuple(toks[i : i + len(phrase)]) == phrase:
                return len(phrase), meaning
        return None

    def find(self, toks: list[str]) -> list[tuple[int, int, Any]]:
        """Every phrase in the tokens, left to right, not overlapping: (start, end, meaning)."""
        out = []
        i = 0
        while i < len(toks):
            hit = self.at(toks, i)
            if hit:
                out.append((i, i + hit[0], hit[1]))
                i += hit[0]
            else:
                i += 1
        return out


@value
class Operators:
    bounds: PhraseTable = PhraseTable()
    after_bounds: PhraseTable = PhraseTable()
    units: dict[str, float] = field(default_factory=dict)
    superlatives: PhraseTable = PhraseTable()
    comparatives: PhraseTable = PhraseTable()
    count: PhraseTable = PhraseTable()
    group_by_developer: PhraseTable = PhraseTable()
    most: PhraseTable = PhraseTable()
    alternatives: PhraseTable = PhraseTable()
    attributes: PhraseTable = PhraseTable()
    list_references: PhraseTable = PhraseTable()
    narrowers: PhraseTable = PhraseTable()
    sorting: PhraseTable = PhraseTable()
    ordinals: dict[str, int] = field(default_factory=dict)
    relative_years: PhraseTable = PhraseTable()
    recent_years: PhraseTable = PhraseTable()  # "the last two years": 2
    cardinals: dict[str, int] = field(default_factory=dict)  # "the three newest": 3
    recent: PhraseTable = PhraseTable()
    unrankable: PhraseTable = PhraseTable()
    seed_only: PhraseTable = PhraseTable()
    their: PhraseTable = PhraseTable()
    ranges: PhraseTable = PhraseTable()  # "between 2019 and 2021": both ends, inclusive
    idioms: PhraseTable = PhraseTable()  # "on top of": no operator ("top") inside
    wording: dict[str, str] = field(default_factory=dict)
    licence_use: PhraseTable = PhraseTable()
    modalities: PhraseTable = PhraseTable()
    domains: PhraseTable = PhraseTable()
    unknown_attributes: PhraseTable = PhraseTable()
    word_sets: dict[str, frozenset[str]] = field(default_factory=dict)
    combined: dict[str, tuple[tuple[Phrase, str, Any], ...]] = field(default_factory=dict)
    """First word -> (phrase, table, meaning), longest phrases first."""
    _by_length: dict[str, tuple[tuple[int, dict[Phrase, tuple[tuple[str, Any], ...]]], ...]] \
        = field(init=False, repr=False, compare=False)
    _spelled: dict[tuple[str, int], tuple[str, ...]] = field(init=False, repr=False,
                                                              compare=False)
    """The phrases' words of TYPO_MIN_CHARS or more by (first letter, length): what a
    typo'd operator word ("oldr", "nwest") may be meant as."""

    def __post_init__(self) -> None:
        """``combined`` as first word -> (length, phrase -> (table, meaning)), longest
        first: one look-up per length, not one comparison per phrase."""
        index = {}
        for first, entries in self.combined.items():
            by_len: dict[int, dict[Phrase, list[tuple[str, Any]]]] = {}
            for phrase, table, meaning in entries:
                by_len.setdefault(len(phrase), {}).setdefault(phrase, []).append((table, meaning))
            index[first] = tuple((n, {p: tuple(v) for p, v in d.items()})
                                 for n, d in sorted(by_len.items(), reverse=True))
        object.__setattr__(self, "_by_length", index)
        spelled: dict[tuple[str, int], list[str]] = {}
        for entries in self.combined.values():
            for phrase, _, _ in entries:
                for w in phrase:
                    if len(w) >= TYPO_MIN_CHARS and w.isalpha():
                        spelled.setdefault((w[0], len(w)), []).append(w)
        object.__setattr__(self, "_spelled", {k: tuple(dict.fromkeys(v))
                                              for k, v in spelled.items()})

    def corrected(self, token: str) -> str:
        """The operator word ``token`` is a typo of ("oldr" -> "older"), or "" when none is
        close: same first letter, one letter more or fewer at most."""
        if len(token) < TYPO_MIN_CHARS - 1 or not token.isalpha():
            return ""
        pool = [w for k in range(len(token) - 1, len(token) + 2)
                for w in self._spelled.get((token[0], k), ())]
        if not pool:
            return ""
        from rapidfuzz import fuzz, process  # only for a word nothing else knows

        hit = process.extractOne(token, pool, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF)
        return hit[0] if hit else ""

    def scan(self, toks: Sequence[str]) -> dict[str, list[tuple[int, int, Any]]]:
        """Every table's phrases in one pass over the tokens: per table, left to right,
        longest first, not overlapping (as ``PhraseTable.find`` gives them one by one)."""
        out: dict[str, list[tuple[int, int, Any]]] = {}
        free: dict[str, int] = {}
        for i, t in enumerate(toks):
            for n, phrases in self._by_length.get(t, ()):
                for table, meaning in phrases.get(tuple(toks[i:i + n]), ()):
                    if free.get(table, 0) <= i:
                        out.setdefault(table, []).append((i, i + n, meaning))
                        free[table] = i + n
        return out


_LISTS = ("count", "group_by_developer", "most", "alternatives", "list_references",
          "narrowers", "sorting", "recent", "unrankable", "seed_only", "their", "idioms",
          "ranges")
_KEYS = {*_LISTS, "bounds", "after_bounds", "units", "superlatives", "comparatives",
         "attributes", "ordinals", "relative_years", "recent_years", "cardinals", "ranges",
         "wording", "licence_use", "modalities",
         "domains", "unknown_attributes", "word_sets"}


def parse_operators(file: str, node: Any, problems: list[Problem]) -> Operators:
    """The ``operators:`` section; every problem goes to ``problems`` with its line."""
    from .yamlio import LineDict, line_of  # loading YAML only: not on the cached start-up

    if not isinstance(node, LineDict):
        problems.append(Problem(file, line_of(node), "'operators' must be a mapping"))
        return Operators()

    def bad(where: Any, message: str) -> None:
        problems.append(Problem(file, line_of(where, line_of(node)), f"operators: {message}"))

    for key in set(node) - _KEYS:
        bad(node, f"unknown key {key!r} (allowed: {', '.join(sorted(_KEYS))})")

    def texts(value: Any, where: str) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            bad(value, f"{where} must be a list of phrases")
            return []
        return value

    def entries(key: str, fields: tuple[str, ...], allowed: Mapping[str, tuple[str, ...]]
                ) -> list[tuple[str, tuple[str, ...]]]:
        out: list[tuple[str, tuple[str, ...]]] = []
        for item in node.get(key) or []:
            if not isinstance(item, dict) or set(item) != {*fields, "words"}:
                bad(item, f"each of {key!r} needs exactly {', '.join((*fields, 'words'))}")
                continue
            values = tuple(str(item[f]) for f in fields)
            for f, v in zip(fields, values, strict=True):
                if v not in allowed[f]:
                    bad(item, f"{key}: {f} must be one of {allowed[f]}, got {v!r}")
            out.extend((w, values) for w in texts(item["words"], key))
        return out

    ops = {"op": OPS, "attribute": ATTRIBUTES, "order": ("asc", "desc")}
    orders = {"attribute": ("date", "size"), "order": ("asc", "desc")}
    kw: dict[str, Any] = {k: PhraseTable.of((w, True) for w in texts(node.get(k) or [], k))
                          for k in _LISTS}
    kw["bounds"] = PhraseTable.of((w, Bound(*v)) for w, v in
                                  entries("bounds", ("op", "attribute"), ops))
    kw["after_bounds"] = PhraseTable.of((w, v[0]) for w, v in
                                        entries("after_bounds", ("op",), ops))
    for key in ("superlatives", "comparatives"):
        kw[key] = PhraseTable.of((w, Order(*v)) for w, v in
                                 entries(key, ("attribute", "order"), orders))
    for key in ("attributes", "licence_use", "modalities", "domains", "unknown_attributes"):
        kinds = node.get(key) or {}
        if not isinstance(kinds, dict):
            bad(kinds, f"{key} must map a name to its phrases")
            kinds = {}
        kw[key] = PhraseTable.of((w, str(a)) for a, ws in kinds.items()
                                 for w in texts(ws, f"{key}.{a}"))
    kw["units"] = _numbers(node.get("units") or {}, "units", float, bad)
    kw["ordinals"] = _numbers(node.get("ordinals") or {}, "ordinals", int, bad)
    rel = _numbers(node.get("relative_years") or {}, "relative_years", int, bad)
    kw["relative_years"] = PhraseTable.of(rel.items())
    within = _numbers(node.get("recent_years") or {}, "recent_years", int, bad)
    kw["recent_years"] = PhraseTable.of(within.items())
    kw["cardinals"] = _numbers(node.get("cardinals") or {}, "cardinals", int, bad)
    wording = node.get("wording") or {}
    if not isinstance(wording, dict) or not all(isinstance(v, str) for v in wording.values()):
        bad(wording, "wording must map an answer kind to its template text")
        wording = {}
    kw["wording"] = {str(k): v for k, v in wording.items()}
    sets = node.get("word_sets") or {}
    if not isinstance(sets, dict):
        bad(sets, "word_sets must map a name to its words")
        sets = {}
    kw["word_sets"] = {str(k): frozenset(w.casefold() for w in texts(v, f"word_sets.{k}"))
                       for k, v in sets.items()}
    combined: dict[str, list[tuple[Phrase, str, Any]]] = {}
    for name, table in kw.items():
        if isinstance(table, PhraseTable):
            for first, found in table.by_first.items():
                combined.setdefault(first, []).extend((p, name, mng) for p, mng in found)
    kw["combined"] = {k: tuple(sorted(v, key=lambda e: -len(e[0])))
                      for k, v in combined.items()}
    return Operators(**kw)


def _numbers(value: Any, key: str, kind: type, bad: Any) -> dict[str, Any]:
    if not isinstance(value, dict) or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in value.values()):
        bad(value, f"{key} must map words to numbers")
        return {}
    return {str(k).casefold(): kind(v) for k, v in value.items()}
