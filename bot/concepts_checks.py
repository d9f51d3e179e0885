"""Cross-references of the concept files: every id they use must name something.

Kept apart from the readers in ``concepts_loader``: these checks see the whole Concepts
value and what the knowledge base knows, where a reader sees one entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import field
from typing import TYPE_CHECKING, Protocol

from .concepts import Concepts
from .normalise import compact
from .values import value

if TYPE_CHECKING:
    from .knowledge import KnowledgeBase
    from .yaml_checker import Checker
    from .yamlio import LineDict

Where = dict[tuple[str, str], tuple[str, "LineDict"]]


class _Report(Protocol):
    def __call__(self, kind: str, ident: str, message: str, key: str = "") -> None:
        """A problem at that entry's key (at the entry's first line when no key is given)."""


@value
class ModelLicence:
    """A model's ``license:`` text and where it is written, for "does not resolve" messages."""

    model_id: str
    licence: str
    file: str = "knowledge/models"
    line: int = 1


@value
class Known:
    """What the knowledge base holds, so references into it can be checked.

    ``claimed`` maps a compact name or alias to what it names ("model 'bert'"): a concept's
    name or alias must not lead there too.
    """

    model_ids: frozenset[str] = frozenset()
    category_ids: frozenset[str] = frozenset()
    model_licences: tuple[ModelLicence, ...] = ()
    claimed: Mapping[str, str] = field(default_factory=dict)


def known_from(kb: KnowledgeBase, licences_from: Callable[[str], bool] = lambda f: True
               ) -> Known:
    """What a loaded knowledge base knows, for ``build_concepts(docs, known)``.

    ``licences_from`` says whose licence texts must resolve in the licence table: the
    bundled files', not a user's own (a user's custom licence is theirs to name; "can I use
    it commercially?" then says it does not know that licence)."""
    claimed: dict[str, str] = {}
    for d in kb.dimensions:
        for n in (d.name, d.id, *d.aliases):
            claimed.setdefault(compact(n), f"dimension {d.id!r}")
    for c in kb.categories:
        for n in (c.name, c.short, *c.aliases, *c.weak):
            claimed.setdefault(compact(n), f"category {c.id!r}")
    for m in kb.models:
        for n in (m.name, *m.aliases):
            claimed.setdefault(compact(n), f"model {m.id!r}")
    for dev in kb.developers:
        for n in (dev.name, *dev.aliases):
            claimed.setdefault(compact(n), f"developer {dev.name!r}")
    licences = tuple(ModelLicence(m.id, m.license, m.source_file or "knowledge/models")
                     for m in kb.models if m.license and licences_from(m.source_file))
    return Known(frozenset(kb.model_ids), frozenset(c.id for c in kb.categories), licences,
                 claimed)


def check_references(ck: Checker, c: Concepts, known: Known, where: Where) -> None:
    concept_ids = {x.id for x in c.concepts}
    models, categories = known.model_ids, known.category_ids
    checking = bool(models or categories)  # without the knowledge base only concepts are known

    def report(kind: str, ident: str, message: str, key: str = "") -> None:
        found = where.get((kind, ident))
        if found is None:
            ck.add("knowledge", None, message, 1)
        else:
            ck.add(found[0], None, message, found[1].line_of_key(key) if key else found[1].line)

    def need(kind: str, ident: str, what: str, key: str, ids: Iterable[str],
             allowed: str) -> None:
        for x in ids:
            ok = (("concept" in allowed and x in concept_ids)
                  or ("category" in allowed and x in categories)
                  or ("model" in allowed and x in models))
            if not ok and (checking or allowed == "concept"):
                report(kind, ident, f"{what}: {x!r} in {key!r} is not a known "
                                    f"{allowed.replace('|', ' or ')}", key)

    dims = {d.id: d for d in c.dimensions}
    for d in c.dimensions:
        need("curated_dimensions", d.id, f"curated dimension {d.id!r}", "concepts",
             d.concept_ids, "concept")
    for x in c.concepts:
        what = f"concept {x.id!r}"
        if x.dimension_id and x.dimension_id not in dims:
            report("concepts", x.id, f"{what}: unknown curated dimension {x.dimension_id!r}",
                   "dimension")
        elif x.dimension_id and x.id not in dims[x.dimension_id].concept_ids:
            report("concepts", x.id, f"{what}: not listed in its dimension {x.dimension_id!r}",
                   "dimension")
        if x.id in models or x.id in categories:
            report("concepts", x.id, f"{what}: the id already names a "
                                     f"{'model' if x.id in models else 'category'}")
        need("concepts", x.id, what, "related", x.related, "concept|category|model")
        need("concepts", x.id, what, "members", x.members, "model")
    for i, k in enumerate(c.contrasts):
        for side in k.between:
            if side not in concept_ids and side not in categories and (checking or not side):
                report("contrasts", f"#{i}", f"contrast: {side!r} is not a known concept or "
                                             "category", "between")
    for e in c.explanations:
        need("explanations", e.id, f"explanation {e.id!r}", "about", e.about,
             "concept|category|model")
    for cap in c.capabilities:
        for key, ids in (("yes_when", cap.yes_when), ("not_directly_when",
                                                       cap.not_directly_when),
                         ("no_when", cap.no_when)):
            # "modality:image" and "text-only" are facts of a model's modality, not ids
            need("capabilities", cap.id, f"capability {cap.id!r}", key,
                 tuple(x for x in ids if not x.startswith("modality:") and x != "text-only"),
                 "concept|category")
    for p in c.purposes:
        need("purposes", p.id, f"purpose {p.id!r}", "models", p.model_ids, "model")
    _check_derivations(c, known, report)
    for s in c.languages:
        if checking and s.model_id not in models:
            report("languages", s.model_id, f"languages: unknown model {s.model_id!r}", "model")
    _check_licences(ck, c, known, report)
    _check_names(c, known, report)


def _check_derivations(c: Concepts, known: Known, report: _Report) -> None:
    base_of = {d.model_id: d.base_id for d in c.derivations}
    for d in c.derivations:
        for x in (d.model_id, d.base_id):
            if known.model_ids and x not in known.model_ids:
                report("derived", d.model_id, f"derived: unknown model {x!r}",
                       "model" if x == d.model_id else "base")
        seen, step = {d.model_id}, d.base_id
        while step in base_of:
            if step in seen:
                report("derived", d.model_id, f"derived: {d.model_id!r} derives from itself "
                                              "through its bases")
                break
            seen.add(step)
            step = base_of[step]


def _check_licences(ck: Checker, c: Concepts, known: Known, report: _Report) -> None:
    owner: dict[str, str] = {}
    for lic in c.licences:
        for n in (lic.id, lic.name, *lic.aliases):
            prev = owner.setdefault(compact(n), lic.id)
            if prev != lic.id:
                report("licences", lic.id, f"licence {lic.id!r}: alias {n!r} already names "
                                           f"licence {prev!r}", "aliases")
    for ml in known.model_licences:
        if ml.licence and c.licence_for(ml.licence) is None:
            ck.add(ml.file, None, f"model {ml.model_id!r}: licence {ml.licence!r} does not "
                                  "resolve to any entry of the licence table "
                                  "(add it as an alias in knowledge/licences.yaml)", ml.line)


def _check_names(c: Concepts, known: Known, report: _Report) -> None:
    """No concept name or alias may lead to two things, here or in the knowledge base."""
    owner: dict[str, str] = {}
    things: list[tuple[str, str, list[tuple[str, str]]]] = [
        ("concepts", x.id, [("name", x.name), *(("aliases", a) for a in x.aliases),
                            *(("weak", w) for w in x.weak)]) for x in c.concepts]
    things += [("curated_dimensions", d.id, [("name", d.name),
                                             *(("aliases", a) for a in d.aliases)])
               for d in c.dimensions]
    for kind, ident, names in things:
        label = f"{'concept' if kind == 'concepts' else 'curated dimension'} {ident!r}"
        for where_key, n in names:
            key = compact(n)
            if not key:
                report(kind, ident, f"{label}: empty name or alias {n!r}", where_key)
                continue
            prev = owner.setdefault(key, label)
            if prev != label:
                report(kind, ident, f"{label}: alias {n!r} already names {prev}", where_key)
            elif key in known.claimed:
                report(kind, ident, f"{label}: alias {n!r} already names {known.claimed[key]}",
                       where_key)
