"""YAML files to a KnowledgeBase, checked whole before anything is built.

Every problem is collected (not just the first) with file and line; if there is any, a
DataError is raised and nothing is returned, so a broken file is never half-loaded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from .attributes import Size, parse_count, parse_size
from .concepts import is_concepts_doc
from .datafiles import knowledge_dir, yaml_files
from .knowledge import (
    AmbiguousName,
    Category,
    Developer,
    Dimension,
    KnowledgeBase,
    Model,
    SeedExample,
    Source,
)
from .normalise import compact
from .yamlio import DataError, LineDict, LineList, Problem, line_of, load_yaml

_ID = re.compile(r"^[a-z0-9][a-z0-9.\-]*$")
_TOP_KEYS = {"source", "dimensions", "models", "extend", "ambiguous", "developers", "as_of"}
_DIMENSION_KEYS = {"id", "number", "name", "heading", "aliases", "categories"}
_CATEGORY_KEYS = {"id", "name", "short", "aliases", "weak", "description", "examples"}
_EXAMPLE_KEYS = {"text", "model"}
_MODEL_KEYS = {
    "id", "name", "aliases", "kind", "developer", "year", "month", "parameters", "access",
    "license", "modality", "languages", "language_count", "family", "categories", "summary",
    "reference", "fact_references",
}
_MODEL_REQUIRED = ("id", "name", "summary", "reference")
_EXTEND_KEYS = {"model", "category", "aliases", "categories", "parameters", "license",
                "access", "developer", "year", "summary", "reference"}
_KINDS = {"model", "family", "technique"}
_ACCESS = {"", "open-weights", "api", "proprietary"}


class _Checker:
    """Collects problems while turning YAML mappings into values."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, file: str, node: object, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(file, line if line is not None else line_of(node),
                                     message))

    def mapping(self, file: str, node: object, what: str, allowed: set[str],
                required: Sequence[str] = (), line: int | None = None) -> LineDict | None:
        if not isinstance(node, LineDict):
            self.add(file, node, f"{what}: expected a mapping, got {type(node).__name__}", line)
            return None
        for key in node:
            if key not in allowed:
                self.add(file, node, f"{what}: unknown key {key!r} "
                                     f"(allowed: {', '.join(sorted(allowed))})",
                         node.line_of_key(key))
        for key in required:
            if key not in node or node[key] in (None, ""):
                self.add(file, node, f"{what}: missing required field {key!r}")
        return node

    def text(self, file: str, node: LineDict, key: str, what: str) -> str:
        value = node.get(key, "")
        if value is None:
            return ""
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.add(file, node, f"{what}: {key!r} must be text, got {type(value).__name__}",
                     node.line_of_key(key))
            return ""
        return str(value)

    def texts(self, file: str, node: LineDict, key: str, what: str) -> tuple[str, ...]:
        value = node.get(key, [])
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(
            isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value
        ):
            self.add(file, node, f"{what}: {key!r} must be a list of text", node.line_of_key(key))
            return ()
        return tuple(str(v) for v in value)

    def ident(self, file: str, node: LineDict, what: str) -> str:
        value = self.text(file, node, "id", what)
        if value and not _ID.match(value):
            self.add(file, node, f"{what}: id {value!r} must be lowercase letters, digits, "
                                 "'.' or '-'")
        return value


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def load_knowledge(extra: Iterable[str | Path] = (), bundled: Path | None = None
                   ) -> KnowledgeBase:
    """Bundled knowledge plus the user's files, or DataError with every problem in them."""
    files = yaml_files(bundled or knowledge_dir())
    for p in extra:
        path = Path(p)
        files.extend(yaml_files(path) if path.is_dir() else [path])
    docs: list[tuple[str, Any]] = []
    problems: list[Problem] = []
    for path in files:
        shown = _shown(path)
        try:
            docs.append((shown, load_yaml(path, shown)))
        except DataError as err:
            problems.extend(err.problems)
    if problems:
        raise DataError(problems)
    return build_knowledge(docs)


def build_knowledge(docs: list[tuple[str, Any]]) -> KnowledgeBase:
    """Parsed documents (file name, data) to a KnowledgeBase; raises DataError on any problem."""
    ck = _Checker()
    source: Source | None = None
    dimensions: list[Dimension] = []
    categories: list[Category] = []
    models: dict[str, Model] = {}
    model_lines: dict[str, tuple[str, int]] = {}
    category_lines: dict[str, int] = {}
    category_home: dict[str, tuple[str, str, int]] = {}
    dimension_lines: dict[str, tuple[str, int]] = {}
    example_refs: list[tuple[str, int, str]] = []
    extends: list[tuple[str, Any, int]] = []
    ambiguous: list[tuple[str, Any, int]] = []
    developers: list[Developer] = []
    developer_lines: dict[str, tuple[str, int]] = {}
    as_of: tuple[int, int] | None = None

    for file, doc in docs:
        if doc is None:
            ck.add(file, doc, "file is empty", 1)
            continue
        if is_concepts_doc(doc):
            continue  # curated concepts, licences, languages: bot/concepts_loader.py
        top = ck.mapping(file, doc, "file", _TOP_KEYS)
        if top is None:
            continue
        if "source" in top:
            src = ck.mapping(file, top["source"], "source", {"id", "title", "intro"}, ("title",))
            if src is not None:
                source = Source(ck.text(file, src, "id", "source"),
                                ck.text(file, src, "title", "source"),
                                ck.text(file, src, "intro", "source"))
        for dnode, dline in _items(ck, file, top, "dimensions"):
            d = ck.mapping(file, dnode, "dimension", _DIMENSION_KEYS, ("id", "name"), dline)
            if d is None:
                continue
            did = ck.ident(file, d, "dimension")
            if did in dimension_lines:
                ck.add(file, d, f"duplicate dimension id {did!r}")
            dimension_lines.setdefault(did, (file, d.line))
            cat_ids = []
            for cnode, cline in _items(ck, file, d, "categories"):
                c = ck.mapping(file, cnode, "category", _CATEGORY_KEYS,
                               ("id", "name", "description"), cline)
                if c is None:
                    continue
                cid = ck.ident(file, c, "category")
                if cid in category_home:
                    other = category_home[cid]
                    ck.add(file, c, f"category {cid!r} is already listed under dimension "
                                    f"{other[0]!r} ({other[1]}:{other[2]})")
                    continue
                category_home[cid] = (did, file, c.line)
                examples = []
                for enode, eline in _items(ck, file, c, "examples"):
                    e = ck.mapping(file, enode, "example", _EXAMPLE_KEYS, ("text", "model"),
                                   eline)
                    if e is not None:
                        mid = ck.text(file, e, "model", "example")
                        examples.append(SeedExample(ck.text(file, e, "text", "example"), mid))
                        example_refs.append((file, e.line, mid))
                cat_ids.append(cid)
                name = ck.text(file, c, "name", "category")
                categories.append(Category(
                    id=cid, dimension_id=did, name=name,
                    short=ck.text(file, c, "short", "category") or name,
                    description=ck.text(file, c, "description", "category"),
                    aliases=ck.texts(file, c, "aliases", "category"),
                    weak=ck.texts(file, c, "weak", "category"),
                    examples=tuple(examples)))
            number = d.get("number", len(dimensions) + 1)
            if not isinstance(number, int):
                ck.add(file, d, "dimension: 'number' must be an integer")
                number = len(dimensions) + 1
            dimensions.append(Dimension(
                id=did, number=number, name=ck.text(file, d, "name", "dimension"),
                heading=ck.text(file, d, "heading", "dimension"),
                aliases=ck.texts(file, d, "aliases", "dimension"), category_ids=tuple(cat_ids)))
        for mnode, mline in _items(ck, file, top, "models"):
            m = _model(ck, file, mnode, mline)
            if m is None:
                continue
            if m.id in models:
                f0, l0 = model_lines[m.id]
                ck.add(file, mnode, f"duplicate model id {m.id!r} (first defined at {f0}:{l0})")
                continue
            models[m.id] = m
            model_lines[m.id] = (file, line_of(mnode))
            if isinstance(mnode, LineDict):
                category_lines[m.id] = mnode.line_of_key("categories")
        if "as_of" in top:
            as_of = _as_of(ck, file, top)
        extends.extend((file, n, ln) for n, ln in _items(ck, file, top, "extend"))
        ambiguous.extend((file, n, ln) for n, ln in _items(ck, file, top, "ambiguous"))
        for node, line in _items(ck, file, top, "developers"):
            dv = ck.mapping(file, node, "developer", {"name", "aliases"}, ("name",), line)
            if dv is not None:
                developers.append(Developer(ck.text(file, dv, "name", "developer"),
                                            ck.texts(file, dv, "aliases", "developer")))
                developer_lines[developers[-1].name] = (file, dv.line)

    cat_ids_all = {c.id for c in categories}
    for file, line, mid in example_refs:
        if mid not in models:
            ck.add(file, None, f"example refers to unknown model {mid!r}", line)
    for mid, m in models.items():
        file, line = model_lines[mid]
        for cid in m.categories:
            if cid not in cat_ids_all:
                ck.add(file, None, f"model {mid!r} is placed in unknown category {cid!r}",
                       category_lines.get(mid, line))
    categories = _apply_extends(ck, extends, models, categories)
    _check_families_and_dates(ck, models, model_lines, as_of)
    amb = _ambiguous(ck, ambiguous, models)
    lines = {("dimension", k): v for k, v in dimension_lines.items()}
    lines.update({("category", k): (v[1], v[2]) for k, v in category_home.items()})
    lines.update({("model", k): v for k, v in model_lines.items()})
    lines.update({("developer", k): v for k, v in developer_lines.items()})
    _check_names(ck, dimensions, categories, models, lines, amb, developers)
    if source is None:
        ck.add("knowledge", None, "no 'source' section: which taxonomy is this?", 1)
    if ck.problems:
        raise DataError(ck.problems)
    assert source is not None
    return KnowledgeBase(source, tuple(dimensions), tuple(categories), tuple(models.values()),
                         tuple(amb), tuple(developers),
                         as_of=f"{as_of[0]}-{as_of[1]:02d}" if as_of else "")


def _as_of(ck: _Checker, file: str, top: LineDict) -> tuple[int, int] | None:
    """``as_of: 2026-11``: how current the knowledge is; answers about "newest" say so."""
    text = str(top["as_of"])
    m = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if not m or not 1 <= int(m.group(2)) <= 12:
        ck.add(file, top, f"'as_of' must be a month like 2026-11, got {text!r}",
               top.line_of_key("as_of"))
        return None
    return int(m.group(1)), int(m.group(2))


def _check_families_and_dates(ck: _Checker, models: dict[str, Model],
                              lines: dict[str, tuple[str, int]],
                              as_of: tuple[int, int] | None) -> None:
    """A member's family must be a family entry; no release after the knowledge's date."""
    for mid, m in models.items():
        file, line = lines[mid]
        if m.family:
            fam = models.get(m.family)
            if fam is None or fam.kind != "family":
                ck.add(file, None, f"model {mid!r}: family {m.family!r} is not a model entry "
                                   "of kind 'family'", line)
            elif fam.id == mid:
                ck.add(file, None, f"model {mid!r} cannot be its own family", line)
        if as_of and m.year is not None and (m.year, m.month or 1) > as_of:
            ck.add(file, None, f"model {mid!r}: released {m.year}-{m.month or 1:02d}, after the "
                               f"knowledge's as_of {as_of[0]}-{as_of[1]:02d}", line)


def _items(ck: _Checker, file: str, node: LineDict, key: str) -> list[tuple[Any, int]]:
    """The entries of a list, each with its own line (scalars too)."""
    value = node.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        ck.add(file, node, f"{key!r} must be a list")
        return []
    lines = value.lines if isinstance(value, LineList) else [node.line] * len(value)
    return list(zip(value, lines, strict=True))


def _model(ck: _Checker, file: str, node: object, line: int) -> Model | None:
    label = f"model {node['id']!r}" if isinstance(node, dict) and node.get("id") else "model"
    m = ck.mapping(file, node, label, _MODEL_KEYS, _MODEL_REQUIRED, line)
    if m is None:
        return None
    mid = ck.ident(file, m, "model")
    what = f"model {mid!r}"
    year = m.get("year")
    if year is not None and (type(year) is not int or not 1900 < year < 2100):
        ck.add(file, m, f"{what}: 'year' must be a year like 2023, got {year!r}",
               m.line_of_key("year"))
        year = None
    month = m.get("month")
    if month is not None and (type(month) is not int or not 1 <= month <= 12 or year is None):
        ck.add(file, m, f"{what}: 'month' must be 1-12, with a 'year', got {month!r}",
               m.line_of_key("month"))
        month = None
    count = m.get("language_count")
    if count is not None and (type(count) is not int or count < 1):
        ck.add(file, m, f"{what}: 'language_count' must be a positive whole number, "
                        f"got {count!r}", m.line_of_key("language_count"))
        count = None
    kind = ck.text(file, m, "kind", what) or "model"
    if kind not in _KINDS:
        ck.add(file, m, f"{what}: 'kind' must be one of {sorted(_KINDS)}, got {kind!r}")
    access = ck.text(file, m, "access", what)
    if access not in _ACCESS:
        ck.add(file, m, f"{what}: 'access' must be one of {sorted(_ACCESS - {''})}, "
                        f"got {access!r}")
    refs = m.get("fact_references") or {}
    if not isinstance(refs, dict):
        ck.add(file, m, f"{what}: 'fact_references' must be a mapping of fact to reference")
        refs = {}
    return Model(
        id=mid, name=ck.text(file, m, "name", what), summary=ck.text(file, m, "summary", what),
        reference=ck.text(file, m, "reference", what),
        aliases=ck.texts(file, m, "aliases", what), kind=kind,
        developer=ck.text(file, m, "developer", what), year=year, month=month,
        sizes=_sizes(ck, file, m, what), access=access,
        license=ck.text(file, m, "license", what), modality=ck.texts(file, m, "modality", what),
        languages=ck.texts(file, m, "languages", what), language_count=count,
        family=ck.text(file, m, "family", what),
        categories=ck.texts(file, m, "categories", what),
        fact_references=tuple((str(k), str(v)) for k, v in refs.items()), source_file=file)


def _sizes(ck: _Checker, file: str, m: LineDict, what: str) -> tuple[Size, ...]:
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
                size = Size(total, active, label)
        if size is None:
            ck.add(file, m, f"{what}: {item!r} is not a size: write \"7B\", \"110M (Base)\" "
                            "or {total: 671B, active: 37B}", at)
        else:
            out.append(size)
    return tuple(out)


def _apply_extends(ck: _Checker, extends: list[tuple[str, Any, int]], models: dict[str, Model],
                   categories: list[Category]) -> list[Category]:
    """User files may add aliases or facts to models and aliases to categories."""
    by_id = {c.id: c for c in categories}
    for file, node, line in extends:
        e = ck.mapping(file, node, "extend", _EXTEND_KEYS, line=line)
        if e is None:
            continue
        if "model" in e:
            mid = ck.text(file, e, "model", "extend")
            if mid not in models:
                ck.add(file, e, f"extend: unknown model {mid!r}")
                continue
            m = models[mid]
            changes: dict[str, Any] = {}
            for key in ("aliases", "categories"):
                if key in e:
                    changes[key] = getattr(m, key) + ck.texts(file, e, key, "extend")
            if "parameters" in e:
                changes["sizes"] = m.sizes + _sizes(ck, file, e, "extend")
            for key in ("license", "access", "developer", "summary", "reference"):
                if key in e:
                    changes[key] = ck.text(file, e, key, "extend")
            if "year" in e:
                changes["year"] = e["year"] if isinstance(e["year"], int) else m.year
            for cid in changes.get("categories", ()):
                if cid not in by_id:
                    ck.add(file, e, f"extend: model {mid!r} placed in unknown category {cid!r}")
            models[mid] = replace(m, **changes)
        elif "category" in e:
            cid = ck.text(file, e, "category", "extend")
            if cid not in by_id:
                ck.add(file, e, f"extend: unknown category {cid!r}")
                continue
            extra = set(e) - {"category", "aliases"}
            if extra:
                ck.add(file, e, f"extend: a category takes only 'aliases', not {sorted(extra)}")
            by_id[cid] = replace(by_id[cid], aliases=by_id[cid].aliases
                                 + ck.texts(file, e, "aliases", "extend"))
        else:
            ck.add(file, e, "extend: say which 'model' or 'category' to extend")
    return [by_id[c.id] for c in categories]


def _ambiguous(ck: _Checker, nodes: list[tuple[str, Any, int]], models: dict[str, Model]
               ) -> list[AmbiguousName]:
    out = []
    for file, node, line in nodes:
        a = ck.mapping(file, node, "ambiguous name", {"name", "models"}, ("name", "models"), line)
        if a is None:
            continue
        ids = ck.texts(file, a, "models", "ambiguous name")
        for mid in ids:
            if mid not in models:
                ck.add(file, a, f"ambiguous name refers to unknown model {mid!r}")
        if len(ids) < 2:
            ck.add(file, a, "ambiguous name needs at least two models")
        out.append(AmbiguousName(ck.text(file, a, "name", "ambiguous name"), ids))
    return out


def _check_names(ck: _Checker, dimensions: list[Dimension], categories: list[Category],
                 models: dict[str, Model], lines: dict[tuple[str, str], tuple[str, int]],
                 ambiguous: list[AmbiguousName], developers: list[Developer]) -> None:
    """No name or alias may lead to two different things."""
    owner: dict[str, tuple[str, str]] = {}

    def claim(name: str, thing: tuple[str, str]) -> None:
        file, line = lines.get(thing, ("knowledge", 1))
        key = compact(name)
        if not key:
            ck.add(file, None, f"{thing[0]} {thing[1]!r}: empty name or alias {name!r}", line)
            return
        prev = owner.setdefault(key, thing)
        if prev != thing:
            ck.add(file, None, f"alias {name!r} of {thing[0]} {thing[1]!r} already names "
                               f"{prev[0]} {prev[1]!r}", line)

    for d in dimensions:
        for n in (d.name, d.id, *d.aliases):
            claim(n, ("dimension", d.id))
    for c in categories:
        for n in (c.name, c.short, *c.aliases, *c.weak):
            claim(n, ("category", c.id))
    for mid, m in models.items():
        for n in (m.name, *m.aliases):
            claim(n, ("model", mid))
    for dev in developers:
        for n in (dev.name, *dev.aliases):
            claim(n, ("developer", dev.name))
    for a in ambiguous:
        if compact(a.name) in owner and owner[compact(a.name)][0] != "model":
            ck.add("knowledge", None, f"ambiguous name {a.name!r} already names "
                                      f"{owner[compact(a.name)]}", 1)
