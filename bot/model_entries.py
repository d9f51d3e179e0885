"""Model entries and ``extend`` entries of a knowledge file, checked field by field: a value
is never guessed from prose, and every problem names its file and line."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .attributes import Size, parse_count, parse_size
from .knowledge import Category, Model
from .yaml_checker import Checker
from .yamlio import LineDict, LineList

_MODEL_KEYS = {
    "id", "name", "aliases", "kind", "developer", "year", "month", "parameters", "access",
    "license", "modality", "domain", "languages", "language_count", "family", "categories",
    "summary", "reference", "fact_references",
}
_MODEL_REQUIRED = ("id", "name", "summary", "reference")
_EXTEND_KEYS = {"model", "category", "aliases", "categories", "parameters", "license",
                "access", "developer", "year", "month", "summary", "reference"}
_KINDS = {"model", "family", "technique"}
_ACCESS = {"", "open-weights", "api", "proprietary"}


def model_entry(ck: Checker, file: str, node: object, line: int) -> Model | None:
    label = f"model {node['id']!r}" if isinstance(node, dict) and node.get("id") else "model"
    m = ck.mapping(file, node, label, _MODEL_KEYS, _MODEL_REQUIRED, line)
    if m is None:
        return None
    mid = ck.ident(file, m, "model")
    what = f"model {mid!r}"
    year, month = entry_dates(ck, file, m, what, None)
    count = m.get("language_count")
    if count is not None and (type(count) is not int or count < 1):
        ck.add(file, m, f"{what}: 'language_count' must be a positive whole number, "
                        f"got {count!r}", m.line_of_key("language_count"))
        count = None
    kind = ck.text(file, m, "kind", what) or "model"
    if kind not in _KINDS:
        ck.add(file, m, f"{what}: 'kind' must be one of {sorted(_KINDS)}, got {kind!r}")
    access = entry_access(ck, file, m, what)
    return Model(
        id=mid, name=ck.text(file, m, "name", what), summary=ck.text(file, m, "summary", what),
        reference=ck.text(file, m, "reference", what),
        aliases=ck.texts(file, m, "aliases", what), kind=kind,
        developer=ck.text(file, m, "developer", what), year=year, month=month,
        sizes=entry_sizes(ck, file, m, what), access=access,
        license=ck.text(file, m, "license", what), modality=ck.texts(file, m, "modality", what),
        domain=ck.texts(file, m, "domain", what),
        languages=ck.texts(file, m, "languages", what), language_count=count,
        family=ck.text(file, m, "family", what),
        categories=ck.texts(file, m, "categories", what),
        fact_references=entry_fact_references(ck, file, m, what), source_file=file)


def entry_dates(ck: Checker, file: str, m: LineDict, what: str, known_year: int | None
           ) -> tuple[int | None, int | None]:
    """``year`` and ``month``, checked as numbers (``true`` and ``"2023"`` are not years);
    ``known_year`` is the year already on record (an ``extend`` may give a month alone)."""
    year = m.get("year")
    if year is not None and (type(year) is not int or not 1900 < year < 2100):
        ck.add(file, m, f"{what}: 'year' must be a year like 2023, got {year!r}",
               m.line_of_key("year"))
        year = None
    month = m.get("month")
    if month is not None and (type(month) is not int or not 1 <= month <= 12
                              or (year or known_year) is None):
        ck.add(file, m, f"{what}: 'month' must be 1-12, with a 'year', got {month!r}",
               m.line_of_key("month"))
        month = None
    return year, month


def entry_access(ck: Checker, file: str, m: LineDict, what: str) -> str:
    access = ck.text(file, m, "access", what)
    if access not in _ACCESS:
        ck.add(file, m, f"{what}: 'access' must be one of {sorted(_ACCESS - {''})}, "
                        f"got {access!r}", m.line_of_key("access"))
    return access


def entry_fact_references(ck: Checker, file: str, m: LineDict, what: str
                     ) -> tuple[tuple[str, str], ...]:
    """Fact name to reference, both text: a list or mapping is refused, never turned to text
    with ``str()`` (an alias bomb there would become a 40 MB string)."""
    refs = m.get("fact_references") or {}
    if not isinstance(refs, dict):
        ck.add(file, m, f"{what}: 'fact_references' must be a mapping of fact to reference",
               m.line_of_key("fact_references"))
        return ()
    out = []
    for k, v in refs.items():
        if not isinstance(k, str) or not isinstance(v, str):
            line = refs.line_of_key(k) if isinstance(refs, LineDict) and isinstance(k, str) \
                else m.line_of_key("fact_references")
            ck.add(file, m, f"{what}: fact_references: {str(k)[:40]!r} must map a fact to a "
                            f"reference text, got {type(v).__name__}", line)
            continue
        out.append((k, v))
    return tuple(out)


def entry_sizes(ck: Checker, file: str, m: LineDict, what: str) -> tuple[Size, ...]:
    """``["110M (Base)", {total: 671B, active: 37B}]`` to sizes; anything else is refused,
    so a size is never a guess made from prose ("125M to 175B" lists its sizes instead)."""
    value = m.get("parameters")
    if value is None:
        return ()
    line = m.line_of_key("parameters")
    if not isinstance(value, list):
        ck.add(file, m, f"{what}: 'parameters' must be a list of sizes like \"7B\"", line)
        return ()
    lines = value.lines if isinstance(value, LineList) else [line] * len(value)
    out: list[Size] = []
    for item, at in zip(value, lines, strict=True):
        size: Size | None = None
        if isinstance(item, str):
            size = parse_size(item)
        elif isinstance(item, LineDict) and set(item) <= {"total", "active", "label"}:
            total = parse_count(str(item.get("total", "")))
            active = parse_count(str(item["active"])) if "active" in item else None
            label = item.get("label", "")
            if total and total > 0 and isinstance(label, str) and (
                    "active" not in item or (active and 0 < active <= total)):
                size = Size(total, active, label, str(item.get("total", "")).replace(" ", ""))
        if size is None:
            ck.add(file, m, f"{what}: {item!r} is not a size: write \"7B\", \"110M (Base)\" "
                            "or {total: 671B, active: 37B}", at)
        else:
            out.append(size)
    return tuple(out)


AliasLines = dict[tuple[str, str, str], tuple[str, int]]
"""(kind, id, alias) to where an ``extend`` added it: a collision names that file and line."""


def apply_extends(ck: Checker, extends: list[tuple[str, Any, int]], models: dict[str, Model],
                   categories: list[Category]) -> tuple[list[Category], AliasLines]:
    """User files may add aliases or facts to models and aliases to categories; every value
    is checked as it is in a model entry."""
    by_id = {c.id: c for c in categories}
    alias_lines: AliasLines = {}
    for file, node, line in extends:
        e = ck.mapping(file, node, "extend", _EXTEND_KEYS, line=line)
        if e is None:
            continue
        if "model" in e and "category" in e:
            ck.add(file, e, "extend: an entry extends one 'model' or one 'category', not both: "
                            "write two entries")
        elif "model" in e:
            _extend_model(ck, file, e, models, by_id, alias_lines)
        elif "category" in e:
            cid = ck.text(file, e, "category", "extend")
            if cid not in by_id:
                ck.add(file, e, f"extend: unknown category {cid!r}")
                continue
            extra = set(e) - {"category", "aliases"}
            if extra:
                ck.add(file, e, f"extend: a category takes only 'aliases', not {sorted(extra)}")
            added = ck.texts(file, e, "aliases", "extend")
            alias_lines.update({("category", cid, a): (file, e.line_of_key("aliases"))
                                for a in added})
            by_id[cid] = replace(by_id[cid], aliases=by_id[cid].aliases + added)
        else:
            ck.add(file, e, "extend: say which 'model' or 'category' to extend")
    return [by_id[c.id] for c in categories], alias_lines


def _extend_model(ck: Checker, file: str, e: LineDict, models: dict[str, Model],
                  categories: dict[str, Category], alias_lines: AliasLines) -> None:
    mid = ck.text(file, e, "model", "extend")
    if mid not in models:
        ck.add(file, e, f"extend: unknown model {mid!r}")
        return
    m = models[mid]
    what = f"extend: model {mid!r}"
    changes: dict[str, Any] = {}
    for key in ("aliases", "categories"):
        if key in e:
            added = ck.texts(file, e, key, what)
            changes[key] = getattr(m, key) + added
            if key == "aliases":
                alias_lines.update({("model", mid, a): (file, e.line_of_key(key))
                                    for a in added})
    if "parameters" in e:
        changes["sizes"] = m.sizes + entry_sizes(ck, file, e, what)
    for key in ("license", "developer", "summary", "reference"):
        if key in e:
            changes[key] = ck.text(file, e, key, what)
    if "access" in e:
        changes["access"] = entry_access(ck, file, e, what)
    if "year" in e or "month" in e:
        year, month = entry_dates(ck, file, e, what, m.year)
        if year is not None and year != m.year:
            changes.update(year=year, month=None)  # a month of the old year no longer holds
        if month is not None:
            changes["month"] = month
    for cid in changes.get("categories", ()):
        if cid not in categories:
            ck.add(file, e, f"{what} placed in unknown category {cid!r}",
                   e.line_of_key("categories"))
    models[mid] = replace(m, **changes)
