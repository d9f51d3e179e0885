"""knowledge/concepts.yaml, licences.yaml and languages.yaml to a Concepts value.

Checked whole before anything is built, the way the knowledge loader checks its files: every
problem is collected with file and line (unknown keys, missing fields, wrong types, ids that
name no model or concept, licence texts in the model files that no licence entry resolves),
and a DataError carries them all. Given what the knowledge base already knows (``Known``),
references to models, categories and names are checked too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .concepts import (
    COMMERCIAL_VALUES,
    CONCEPT_TOP_KEYS,
    Capability,
    Commercial,
    Concept,
    Concepts,
    Contrast,
    CuratedDimension,
    Derivation,
    Explanation,
    Hardware,
    LanguageSupport,
    Licence,
    MemoryModel,
    MemoryRule,
    Purpose,
    is_concepts_doc,
)
from .concepts_checks import Known as Known
from .concepts_checks import ModelLicence as ModelLicence
from .concepts_checks import check_references
from .concepts_checks import known_from as known_from
from .datafiles import knowledge_dir, yaml_files
from .knowledge_loader import _shown
from .yaml_checker import Checker, list_items
from .yamlio import DataError, LineDict, Problem, load_yaml

_DIMENSION_KEYS = {"id", "name", "aliases", "description", "concepts", "reference"}
_CONCEPT_KEYS = {"id", "name", "aliases", "weak", "definition", "dimension", "related",
                 "members", "reference", "access"}
_CONTRAST_KEYS = {"between", "text", "reference"}
_EXPLANATION_KEYS = {"id", "question", "about", "words", "text", "reference"}
_CAPABILITY_KEYS = {"id", "name", "yes_when", "not_directly_when", "yes_text",
                    "not_directly_text", "reference", "words", "no_when", "no_text",
                    "unknown_text", "order"}
_RULES = ("yes", "not_directly", "no")
_PURPOSE_KEYS = {"id", "name", "words", "models", "reference"}
_MEMORY_KEYS = {"overhead", "overhead_note", "formula", "reference", "precisions", "hardware"}
_HARDWARE_KEYS = {"gigabytes", "label", "words", "reference"}
_PRECISION_KEYS = {"bits", "bytes_per_parameter", "label"}
_LICENCE_KEYS = {"id", "name", "aliases", "commercial", "condition", "osi", "reference",
                 "by_size"}
_DERIVED_KEYS = {"model", "base", "note", "reference"}
_LANGUAGE_KEYS = {"model", "languages", "count", "at_least", "complete", "translation_into",
                  "note", "reference"}

def load_concepts(folder: Path | None = None, known: Known | None = None) -> Concepts:
    """The concept files under a folder (knowledge/ by default), or DataError."""
    docs: list[tuple[str, Any]] = []
    problems: list[Problem] = []
    for path in yaml_files(folder or knowledge_dir()):
        shown = _shown(path)
        try:
            doc = load_yaml(path, shown)
        except DataError as err:
            problems.extend(err.problems)
            continue
        if is_concepts_doc(doc):
            docs.append((shown, doc))
    if problems:
        raise DataError(problems)
    return build_concepts(docs, known)


def build_concepts(docs: Iterable[tuple[str, Any]], known: Known | None = None) -> Concepts:
    """Parsed concept files (file name, data) to Concepts; raises DataError on any problem."""
    ck = Checker()
    parts: dict[str, list[Any]] = {k: [] for k in CONCEPT_TOP_KEYS}
    memory: MemoryModel | None = None
    where: dict[tuple[str, str], tuple[str, LineDict]] = {}  # (kind, id) -> file, entry
    for file, doc in docs:
        top = ck.mapping(file, doc, "file", set(CONCEPT_TOP_KEYS))
        if top is None:
            continue
        readers: dict[str, Callable[[Checker, str, LineDict], Any]] = {
            "curated_dimensions": _dimension, "concepts": _concept, "contrasts": _contrast,
            "explanations": _explanation, "capabilities": _capability, "purposes": _purpose,
            "licences": _licence, "derived": _derived, "languages": _language,
        }
        for key, reader in readers.items():
            for node, line in list_items(ck, file, top, key):
                what = _label(key, node)
                m = ck.mapping(file, node, what, _KEYS[key], _REQUIRED[key], line)
                if m is None:
                    continue
                value = reader(ck, file, m)
                parts[key].append(value)
                ident = (getattr(value, "id", "") or getattr(value, "model_id", "")
                         or f"#{len(parts[key]) - 1}")
                if ident:
                    if (key, ident) in where:
                        f0, n0 = where[(key, ident)]
                        ck.add(file, m, f"duplicate {what} (first at {f0}:{n0.line})")
                    where.setdefault((key, ident), (file, m))
        if "memory" in top:
            if memory is not None:
                ck.add(file, top, "a second 'memory' section", top.line_of_key("memory"))
            memory = _memory(ck, file, top["memory"], top.line_of_key("memory"))
        if "language_aliases" in top:
            parts["language_aliases"].extend(_aliases(ck, file, top))
    concepts = Concepts(
        dimensions=tuple(parts["curated_dimensions"]), concepts=tuple(parts["concepts"]),
        contrasts=tuple(parts["contrasts"]), explanations=tuple(parts["explanations"]),
        capabilities=tuple(parts["capabilities"]), purposes=tuple(parts["purposes"]),
        licences=tuple(parts["licences"]), derivations=tuple(parts["derived"]),
        memory=memory, languages=tuple(parts["languages"]),
        language_aliases=tuple(parts["language_aliases"]))
    check_references(ck, concepts, known or Known(), where)
    if ck.problems:
        raise DataError(ck.problems)
    return concepts


def _label(key: str, node: object) -> str:
    """How an entry is named in messages: "concept 'encoder-only'", "languages of 'bert'"."""
    what = {"curated_dimensions": "curated dimension", "derived": "derived",
            "languages": "languages of", "licences": "licence"}.get(key, key.rstrip("s"))
    name = node.get("id") or node.get("model") if isinstance(node, dict) else None
    return f"{what} {name!r}" if name else what


# -- one reader per entry kind --------------------------------------------------------------
def _dimension(ck: Checker, file: str, m: LineDict) -> CuratedDimension:
    what = f"curated dimension {m.get('id')!r}"
    return CuratedDimension(
        id=ck.ident(file, m, what), name=ck.text(file, m, "name", what),
        description=ck.text(file, m, "description", what),
        reference=ck.text(file, m, "reference", what), aliases=ck.texts(file, m, "aliases", what),
        concept_ids=ck.texts(file, m, "concepts", what))


def _concept(ck: Checker, file: str, m: LineDict) -> Concept:
    what = f"concept {m.get('id')!r}"
    return Concept(
        id=ck.ident(file, m, what), name=ck.text(file, m, "name", what),
        definition=ck.text(file, m, "definition", what),
        reference=ck.text(file, m, "reference", what), aliases=ck.texts(file, m, "aliases", what),
        dimension_id=ck.text(file, m, "dimension", what),
        related=ck.texts(file, m, "related", what), members=ck.texts(file, m, "members", what),
        weak=ck.texts(file, m, "weak", what), access=ck.text(file, m, "access", what))


def _contrast(ck: Checker, file: str, m: LineDict) -> Contrast:
    between = ck.texts(file, m, "between", "contrast")
    if len(between) != 2:
        ck.add(file, m, f"contrast: 'between' must name exactly two ids, got {len(between)}",
               m.line_of_key("between"))
        between = (between + ("", ""))[:2]
    return Contrast((between[0], between[1]), ck.text(file, m, "text", "contrast"),
                    ck.text(file, m, "reference", "contrast"))


def _explanation(ck: Checker, file: str, m: LineDict) -> Explanation:
    what = f"explanation {m.get('id')!r}"
    about = ck.texts(file, m, "about", what)
    if not about:
        ck.add(file, m, f"{what}: 'about' must name at least one id")
    return Explanation(
        id=ck.ident(file, m, what), question=ck.text(file, m, "question", what), about=about,
        text=ck.text(file, m, "text", what), reference=ck.text(file, m, "reference", what),
        words=tuple(w.casefold() for w in ck.texts(file, m, "words", what)))


def _capability(ck: Checker, file: str, m: LineDict) -> Capability:
    what = f"capability {m.get('id')!r}"
    return Capability(
        id=ck.ident(file, m, what), name=ck.text(file, m, "name", what),
        yes_when=ck.texts(file, m, "yes_when", what),
        not_directly_when=ck.texts(file, m, "not_directly_when", what),
        yes_text=ck.text(file, m, "yes_text", what),
        not_directly_text=ck.text(file, m, "not_directly_text", what),
        reference=ck.text(file, m, "reference", what), words=ck.texts(file, m, "words", what),
        no_when=ck.texts(file, m, "no_when", what), no_text=ck.text(file, m, "no_text", what),
        unknown_text=ck.text(file, m, "unknown_text", what), order=_order(ck, file, m, what))


def _order(ck: Checker, file: str, m: LineDict, what: str) -> tuple[str, ...]:
    """Which rule of a capability is tried first: ``order: [not_directly, yes, no]``."""
    if "order" not in m:
        return _RULES
    order = ck.texts(file, m, "order", what)
    if sorted(order) != sorted(_RULES):
        ck.add(file, m, f"{what}: 'order' must list each of {', '.join(_RULES)} once",
               m.line_of_key("order"))
        return _RULES
    return order


def _purpose(ck: Checker, file: str, m: LineDict) -> Purpose:
    what = f"purpose {m.get('id')!r}"
    return Purpose(
        id=ck.ident(file, m, what), name=ck.text(file, m, "name", what),
        words=tuple(w.casefold() for w in ck.texts(file, m, "words", what)),
        model_ids=ck.texts(file, m, "models", what), reference=ck.text(file, m, "reference", what))


def _licence(ck: Checker, file: str, m: LineDict) -> Licence:
    what = f"licence {m.get('id')!r}"
    lid = ck.text(file, m, "id", what)  # SPDX ids have capitals ("Apache-2.0"): not ck.ident
    commercial = ck.text(file, m, "commercial", what)
    if commercial not in COMMERCIAL_VALUES:
        ck.add(file, m, f"{what}: 'commercial' must be one of {', '.join(COMMERCIAL_VALUES)}, "
                        f"got {commercial!r}", m.line_of_key("commercial"))
        commercial = "not-allowed"  # never reached as a value: the load fails
    return Licence(
        id=lid, name=ck.text(file, m, "name", what), commercial=_as_commercial(commercial),
        condition=ck.text(file, m, "condition", what),
        osi=_flag(ck, file, m, "osi", what), reference=ck.text(file, m, "reference", what),
        aliases=ck.texts(file, m, "aliases", what), by_size=_flag(ck, file, m, "by_size", what))


def _as_commercial(value: str) -> Commercial:
    for c in COMMERCIAL_VALUES:
        if c == value:
            return c
    return "not-allowed"


def _derived(ck: Checker, file: str, m: LineDict) -> Derivation:
    return Derivation(model_id=ck.text(file, m, "model", "derived"),
                      base_id=ck.text(file, m, "base", "derived"),
                      reference=ck.text(file, m, "reference", "derived"),
                      note=ck.text(file, m, "note", "derived"))


def _language(ck: Checker, file: str, m: LineDict) -> LanguageSupport:
    what = f"languages of {m.get('model')!r}"
    listed = ck.texts(file, m, "languages", what)
    count = m.get("count")
    if count is not None and (not isinstance(count, int) or isinstance(count, bool)
                              or count < 1):
        ck.add(file, m, f"{what}: 'count' must be a positive whole number, got {count!r}",
               m.line_of_key("count"))
        count = None
    complete = _flag(ck, file, m, "complete", what)
    if complete and not listed:
        ck.add(file, m, f"{what}: 'complete: true' needs the 'languages' list",
               m.line_of_key("complete"))
    if complete and count is not None and count != len(listed):
        ck.add(file, m, f"{what}: a complete list of {len(listed)} does not match "
                        f"'count: {count}'", m.line_of_key("count"))
    if complete and m.get("at_least") is True:
        ck.add(file, m, f"{what}: a complete list cannot also be 'at_least'",
               m.line_of_key("at_least"))
    if not listed and count is None:
        ck.add(file, m, f"{what}: give 'languages' or 'count'")
    return LanguageSupport(
        model_id=ck.text(file, m, "model", what), reference=ck.text(file, m, "reference", what),
        languages=listed, count=count if count is not None else (len(listed) or None),
        complete=complete, translation_into=ck.texts(file, m, "translation_into", what),
        note=ck.text(file, m, "note", what), at_least=_flag(ck, file, m, "at_least", what))


def _aliases(ck: Checker, file: str, top: LineDict) -> list[tuple[str, str]]:
    node = top["language_aliases"]
    if not isinstance(node, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in node.items()):
        ck.add(file, top, "'language_aliases' must map a name to a language name",
               top.line_of_key("language_aliases"))
        return []
    return list(node.items())


def _memory(ck: Checker, file: str, node: object, line: int) -> MemoryModel | None:
    m = ck.mapping(file, node, "memory", _MEMORY_KEYS, ("overhead", "formula", "reference",
                                                        "precisions"), line)
    if m is None:
        return None
    overhead = _number(ck, file, m, "overhead", "memory")
    if not 0 <= overhead < 10:
        ck.add(file, m, f"memory: 'overhead' is a fraction like 0.2, got {overhead!r}",
               m.line_of_key("overhead"))
    rules = []
    for pnode, pline in list_items(ck, file, m, "precisions"):
        p = ck.mapping(file, pnode, "precision", _PRECISION_KEYS,
                       ("bits", "bytes_per_parameter"), pline)
        if p is None:
            continue
        bits = p.get("bits")
        if not isinstance(bits, int) or isinstance(bits, bool) or bits < 1:
            ck.add(file, p, f"precision: 'bits' must be a whole number of bits, got {bits!r}")
            continue
        per = _number(ck, file, p, "bytes_per_parameter", "precision")
        if per <= 0:
            ck.add(file, p, "precision: 'bytes_per_parameter' must be positive",
                   p.line_of_key("bytes_per_parameter"))
        rules.append(MemoryRule(bits, per, ck.text(file, p, "label", "precision")
                                or f"{bits}-bit"))
    if len({r.bits for r in rules}) != len(rules):
        ck.add(file, m, "memory: each precision's 'bits' may appear once",
               m.line_of_key("precisions"))
    hardware = []
    for hnode, hline in list_items(ck, file, m, "hardware"):
        h = ck.mapping(file, hnode, "hardware", _HARDWARE_KEYS,
                       ("gigabytes", "label", "words", "reference"), hline)
        if h is None:
            continue
        gb = _number(ck, file, h, "gigabytes", "hardware")
        if gb <= 0:
            ck.add(file, h, "hardware: 'gigabytes' must be positive", h.line_of_key("gigabytes"))
        said = h.get("words")
        if not isinstance(said, list) or not all(isinstance(w, str) and w for w in said):
            ck.add(file, h, "hardware: 'words' must be a list of phrases", h.line_of_key("words"))
            said = []
        hardware.append(Hardware(gb, ck.text(file, h, "label", "hardware"),
                                 tuple(str(w) for w in said),
                                 ck.text(file, h, "reference", "hardware")))
    return MemoryModel(tuple(rules), overhead, ck.text(file, m, "overhead_note", "memory"),
                       ck.text(file, m, "formula", "memory"),
                       ck.text(file, m, "reference", "memory"), tuple(hardware))


def _flag(ck: Checker, file: str, m: LineDict, key: str, what: str) -> bool:
    value = m.get(key, False)
    if not isinstance(value, bool):
        ck.add(file, m, f"{what}: {key!r} must be true or false, got {value!r}",
               m.line_of_key(key))
        return False
    return value


def _number(ck: Checker, file: str, m: LineDict, key: str, what: str) -> float:
    value = m.get(key)
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        ck.add(file, m, f"{what}: {key!r} must be a number, got {value!r}", m.line_of_key(key))
        return 0.0
    return float(value)


_KEYS = {"curated_dimensions": _DIMENSION_KEYS, "concepts": _CONCEPT_KEYS,
         "contrasts": _CONTRAST_KEYS, "explanations": _EXPLANATION_KEYS,
         "capabilities": _CAPABILITY_KEYS, "purposes": _PURPOSE_KEYS,
         "licences": _LICENCE_KEYS, "derived": _DERIVED_KEYS, "languages": _LANGUAGE_KEYS}
_REQUIRED: dict[str, tuple[str, ...]] = {
    "curated_dimensions": ("id", "name", "description", "concepts", "reference"),
    "concepts": ("id", "name", "definition", "reference"),
    "contrasts": ("between", "text", "reference"),
    "explanations": ("id", "question", "about", "text", "reference"),
    "capabilities": ("id", "name", "yes_when", "not_directly_when", "yes_text",
                     "not_directly_text", "reference"),
    "purposes": ("id", "name", "words", "models", "reference"),
    "licences": ("id", "name", "commercial", "condition", "osi", "reference"),
    "derived": ("model", "base", "reference"),
    "languages": ("model", "reference"),
}

