"""Which source lines the bot could have cited: a resumed conversation state may carry only
those, since "where does that come from?" shows them again, verbatim, as Markdown.

A line is the source taxonomy's title, or reference texts the knowledge holds (several
joined by "; "), optionally after "Name: " where Name is a model, concept, category or
developer the knowledge knows. The references are gathered from every field named
``reference`` (or ending in it) of the knowledge and the concepts, so a new kind of curated
fact is covered without a change here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any


def _gather(root: Any) -> set[str]:
    out: set[str] = set()
    seen: set[int] = set()
    stack = [root]
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, (str, bytes, int, float, bool, type(None))):
            continue
        seen.add(id(obj))
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            for f in dataclasses.fields(obj):
                value = getattr(obj, f.name, None)
                if f.name.endswith("reference") and isinstance(value, str):
                    out.add(value)
                elif f.name == "fact_references" and isinstance(value, tuple):
                    out.update(v for _, v in value if isinstance(v, str))
                else:
                    stack.append(value)
        elif isinstance(obj, Mapping):
            stack.extend(obj.values())
        elif isinstance(obj, (list, tuple, set, frozenset)):
            stack.extend(obj)
    out.discard("")
    return out


class Citations:
    """Built on the first resumed state that has sources, then read only."""

    def __init__(self, seed_source: str, kb: Any, concepts: Any) -> None:
        self.seed_source = seed_source
        self.references = _gather(concepts)
        for mid in kb.model_ids:
            m = kb.model(mid)
            self.references.add(m.reference)
            self.references.update(r for _, r in m.fact_references)
            self.references.update(p.reference for p in kb.placements_of(mid))
        self.references.discard("")
        names: Iterable[str] = (*kb.model_names, *(c.name for c in kb.categories),
                                *(d.name for d in kb.developers),
                                *(n for n, _ in concepts.names()))
        self.names = frozenset(names)

    def _refs(self, text: str) -> bool:
        return text in self.references or all(p in self.references for p in text.split("; "))

    def recognises(self, text: str) -> bool:
        if text == self.seed_source or self._refs(text):
            return True
        name, sep, rest = text.partition(": ")
        return bool(sep) and name in self.names and self._refs(rest)
