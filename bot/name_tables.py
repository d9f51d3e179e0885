"""The names a message may use, as exact look-up tables: every model, alias, category,
dimension and developer by its compact key ("gpt4", "largescale"), built once from the
knowledge base for the entity stage (and stored in the compiled cache)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from .knowledge import KnowledgeBase
from .normalise import compact
from .resolution import Ref
from .values import value


@value
class NameTables:
    exact: dict[str, int]  # key -> a model's row, or -1 - its index in ``multi``
    multi: tuple[tuple[Ref, ...], ...]
    weak: dict[str, Ref]  # found only before a head noun: "open", "small"


def name_tables(kb: KnowledgeBase, extra: Iterable[Ref] = (),
                extra_weak: Iterable[Ref] = ()) -> NameTables:
    """``extra``: names beyond the knowledge base's own (curated concepts, languages), each a
    Ref whose ``name`` is the text to find; ``extra_weak`` the same, found only before a head
    noun, like a category's weak aliases."""
    ids, names = kb.model_ids, kb.model_names

    def ref_of(entry: Ref | int) -> Ref:
        return Ref("model", ids[entry], names[entry]) if isinstance(entry, int) else entry

    exact: dict[str, list[Ref | int]] = defaultdict(list)
    weak: dict[str, Ref] = {}

    def add(name: str, ref: Ref | int) -> None:
        key = compact(name)
        if key and ref not in exact[key]:
            exact[key].append(ref)

    for d in kb.dimensions:
        for n in (d.name, d.id, *d.aliases):
            add(n, Ref("dimension", d.id, d.name))
    for c in kb.categories:
        ref = Ref("category", c.id, c.name)
        for n in (c.name, c.short, *c.aliases):
            if n not in c.weak:
                add(n, ref)
        for n in c.weak:
            weak[compact(n)] = ref
    for row, m in enumerate(kb.models):
        for n in (m.name, *m.aliases):
            add(n, row)
    for dev in kb.developers:
        for n in (dev.name, *dev.aliases):
            add(n, Ref("developer", dev.name, dev.name))
    for a in kb.ambiguous:
        for mid in a.model_ids:
            add(a.name, kb.model_row(mid))
    for ref in extra:
        if not exact.get(compact(ref.name)):  # the taxonomy's own names come first
            add(ref.name, Ref(ref.kind, ref.id, ref.id))
    for ref in extra_weak:
        weak.setdefault(compact(ref.name), Ref(ref.kind, ref.id, ref.id))
    # A name of one model (nearly every key) is stored as its row number alone: a Ref
    # per name would be 400,000 objects in a 100,000-model catalogue. Anything else is
    # -1 - its index in multi. A dict of only str keys and int values is also one the
    # cyclic GC stops tracking, so full collections never walk it.
    multi: list[tuple[Ref, ...]] = []
    table: dict[str, int] = {}
    for k, entries in exact.items():
        if len(entries) == 1 and isinstance(entries[0], int):
            table[k] = entries[0]
        else:
            multi.append(tuple(ref_of(e) for e in entries))
            table[k] = -len(multi)
    return NameTables(table, tuple(multi), weak)
