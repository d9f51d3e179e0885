"""YAML files to a KnowledgeBase, checked whole before anything is built.

Every problem is collected (not just the first) with file and line; if there is any, a
DataError is raised and nothing is returned, so a broken file is never half-loaded.
Model and ``extend`` entries are read in :mod:`model_entries`, the checks across the whole
set (names, families, dates) are in :mod:`knowledge_names`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .concepts import is_concepts_doc
from .datafiles import knowledge_dir, yaml_files
from .knowledge import (
    Category,
    Developer,
    Dimension,
    KnowledgeBase,
    Model,
    SeedExample,
    Source,
)
from .knowledge_checks import bundled_reserved_words, folder_problem
from .knowledge_names import (
    ambiguous_names,
    check_families_and_dates,
    check_names,
    check_user_names,
)
from .model_entries import apply_extends, model_entry
from .yaml_checker import Checker, list_items
from .yamlio import DataError, LineDict, Problem, line_of, load_yaml

_TOP_KEYS = {"source", "dimensions", "models", "extend", "ambiguous", "developers", "as_of"}
_DIMENSION_KEYS = {"id", "number", "name", "heading", "aliases", "categories"}
_CATEGORY_KEYS = {"id", "name", "short", "aliases", "weak", "description", "examples"}
_EXAMPLE_KEYS = {"text", "model"}


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def load_knowledge(extra: Iterable[str | Path] = (), bundled: Path | None = None,
                   reserved: frozenset[str] | None = None) -> KnowledgeBase:
    """Bundled knowledge (or the whole knowledge set ``bundled``) plus the user's files, or
    DataError with every problem in them. ``reserved``: the words a user's model may not be
    named by (``knowledge_checks.reserved_words``; by default the bundled intents')."""
    problems: list[Problem] = []
    base = bundled or knowledge_dir()
    files = yaml_files(base)
    user: list[Path] = []
    for folder in (base, *(Path(p) for p in extra)):
        why = folder_problem(folder) if folder.is_dir() or folder is base else ""
        if why:
            problems.append(Problem(_shown(folder), 1, why))
    for p in extra:
        path = Path(p)
        user.extend(yaml_files(path) if path.is_dir() else [path])
    files.extend(user)
    docs: list[tuple[str, Any]] = []
    for path in files:
        shown = _shown(path)
        try:
            docs.append((shown, load_yaml(path, shown)))
        except DataError as err:
            problems.extend(err.problems)
    if problems:
        raise DataError(problems)
    if reserved is None:
        reserved = bundled_reserved_words() if user else frozenset()
    return build_knowledge(docs, frozenset(_shown(p) for p in user), reserved)


def build_knowledge(docs: list[tuple[str, Any]], user_files: frozenset[str] = frozenset(),
                    reserved: frozenset[str] = frozenset()) -> KnowledgeBase:
    """Parsed documents (file name, data) to a KnowledgeBase; raises DataError on any problem.
    Models from ``user_files`` may not be named by ``reserved`` words."""
    ck = Checker()
    source: Source | None = None
    source_at = ""
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
        if "source" in top and source_at:
            ck.add(file, top, f"a 'source' section is already given at {source_at}: a knowledge "
                              "set has one source taxonomy (your files add to it)",
                   top.line_of_key("source"))
        elif "source" in top:
            src = ck.mapping(file, top["source"], "source", {"id", "title", "intro"}, ("title",))
            source_at = f"{file}:{top.line_of_key('source')}"
            if src is not None:
                source = Source(ck.text(file, src, "id", "source"),
                                ck.text(file, src, "title", "source"),
                                ck.text(file, src, "intro", "source"))
        for dnode, dline in list_items(ck, file, top, "dimensions"):
            d = ck.mapping(file, dnode, "dimension", _DIMENSION_KEYS, ("id", "name"), dline)
            if d is None:
                continue
            did = ck.ident(file, d, "dimension")
            if did in dimension_lines:
                ck.add(file, d, f"duplicate dimension id {did!r}")
            dimension_lines.setdefault(did, (file, d.line))
            cat_ids = []
            for cnode, cline in list_items(ck, file, d, "categories"):
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
                for enode, eline in list_items(ck, file, c, "examples"):
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
        for mnode, mline in list_items(ck, file, top, "models"):
            m = model_entry(ck, file, mnode, mline)
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
        extends.extend((file, n, ln) for n, ln in list_items(ck, file, top, "extend"))
        ambiguous.extend((file, n, ln) for n, ln in list_items(ck, file, top, "ambiguous"))
        for node, line in list_items(ck, file, top, "developers"):
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
    categories, alias_lines = apply_extends(ck, extends, models, categories)
    check_user_names(ck, models, model_lines, alias_lines, user_files, reserved)
    check_families_and_dates(ck, models, model_lines, as_of)
    amb = ambiguous_names(ck, ambiguous, models)
    lines = {("dimension", k): v for k, v in dimension_lines.items()}
    lines.update({("category", k): (v[1], v[2]) for k, v in category_home.items()})
    lines.update({("model", k): v for k, v in model_lines.items()})
    lines.update({("developer", k): v for k, v in developer_lines.items()})
    check_names(ck, dimensions, categories, models, lines, amb, developers, alias_lines,
                 user_files)
    if source is None:
        ck.add("knowledge", None, "no 'source' section: which taxonomy is this?", 1)
    if ck.problems:
        raise DataError(ck.problems)
    assert source is not None
    return KnowledgeBase(source, tuple(dimensions), tuple(categories), tuple(models.values()),
                         tuple(amb), tuple(developers),
                         as_of=f"{as_of[0]}-{as_of[1]:02d}" if as_of else "")


def _as_of(ck: Checker, file: str, top: LineDict) -> tuple[int, int] | None:
    """``as_of: 2026-11``: how current the knowledge is; answers about "newest" say so."""
    text = str(top["as_of"])
    m = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if not m or not 1 <= int(m.group(2)) <= 12:
        ck.add(file, top, f"'as_of' must be a month like 2026-11, got {text!r}",
               top.line_of_key("as_of"))
        return None
    return int(m.group(1)), int(m.group(2))
