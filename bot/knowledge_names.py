"""Checks across a whole knowledge set once it is read: names that lead to two things,
ordinary words used as a user's model names, families and release dates."""

from __future__ import annotations

from typing import Any

from .knowledge import AmbiguousName, Category, Developer, Dimension, Model
from .knowledge_checks import ordinary_name
from .model_entries import AliasLines
from .normalise import compact
from .yaml_checker import Checker


def check_families_and_dates(ck: Checker, models: dict[str, Model],
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


def check_user_names(ck: Checker, models: dict[str, Model],
                      lines: dict[str, tuple[str, int]], alias_lines: AliasLines,
                      user_files: frozenset[str], reserved: frozenset[str]) -> None:
    """A user's model name or alias made only of ordinary words would take over questions."""
    if not reserved:
        return
    for mid, m in models.items():
        for name in (m.name, *m.aliases):
            file, line = alias_lines.get(("model", mid, name)) or lines[mid]
            if file in user_files and ordinary_name(name, reserved):
                ck.add(file, None, f"model {mid!r}: {name!r} is an ordinary word (common "
                                   "English, or a word questions are made of): it cannot "
                                   "name a model; choose a more distinctive name", line)


def ambiguous_names(ck: Checker, nodes: list[tuple[str, Any, int]], models: dict[str, Model]
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


def check_names(ck: Checker, dimensions: list[Dimension], categories: list[Category],
                 models: dict[str, Model], lines: dict[tuple[str, str], tuple[str, int]],
                 ambiguous: list[AmbiguousName], developers: list[Developer],
                 alias_lines: AliasLines | None = None,
                 user_files: frozenset[str] = frozenset()) -> None:
    """No name or alias may lead to two different things. Names written in the bundled
    files are claimed first, so a collision is reported in the user's file, at its line."""
    owner: dict[str, tuple[str, str]] = {}
    added = alias_lines or {}
    later: list[tuple[str, tuple[str, str]]] = []

    def where(name: str, thing: tuple[str, str]) -> tuple[str, int]:
        return added.get((*thing, name)) or lines.get(thing, ("knowledge", 1))

    def claim(name: str, thing: tuple[str, str], deferred: bool = False) -> None:
        file, line = where(name, thing)
        if file in user_files and not deferred:
            later.append((name, thing))
            return
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
    for name, thing in later:
        claim(name, thing, deferred=True)
    for a in ambiguous:
        if compact(a.name) in owner and owner[compact(a.name)][0] != "model":
            ck.add("knowledge", None, f"ambiguous name {a.name!r} already names "
                                      f"{owner[compact(a.name)]}", 1)
