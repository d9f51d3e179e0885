"""intents/*.yaml and the common-word list to an IntentCatalog, every problem with file:line.

Kept apart from ``intents`` (the values) so that a Bot loaded from the compiled cache never
imports PyYAML.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .datafiles import intents_dir, yaml_files
from .intents import (
    COMMON_WORDS_FILE,
    REDIRECT_CONDITIONS,
    IntentCatalog,
    IntentSpec,
    Lexicon,
    Redirect,
    SlotSpec,
)
from .operators import Operators, parse_operators
from .yamlio import DataError, LineDict, Problem, line_of, load_yaml, read_text

_INTENT_KEYS = {"name", "slots", "answer", "fact", "examples", "templates", "suggestions",
                "description", "form", "instead"}
_SLOT_KEYS = {"kind", "required", "many", "from_context"}
_KINDS = {"model", "category", "dimension", "developer", "concept", "language"}
_LEXICON_KEYS = {"negations", "negation_reach", "pronouns", "category_heads", "stopwords",
                 "yes_no_openers", "model_pronouns", "coordinators", "other_than",
                 "copulas"}


def load_intents(folder: Path | None = None, answers: Iterable[str] = ()) -> IntentCatalog:
    """Every intent and the lexicon from a folder, or DataError with every problem in it."""
    folder = folder or intents_dir()
    known_answers = set(answers)
    problems: list[Problem] = []
    intents: list[IntentSpec] = []
    lexicon = Lexicon()
    operators = Operators()
    seen: dict[str, str] = {}
    for path in yaml_files(folder):
        shown = str(path)
        try:
            doc = load_yaml(path, shown)
        except DataError as err:
            problems.extend(err.problems)
            continue
        if not isinstance(doc, LineDict) or not set(doc) <= {"intents", "lexicon", "operators"}:
            problems.append(Problem(shown, line_of(doc), "expected a mapping with 'intents', "
                                                         "'lexicon' and/or 'operators'"))
            continue
        if "operators" in doc:
            operators = parse_operators(shown, doc["operators"], problems)
        for node in doc.get("intents") or []:
            spec = _intent(shown, node, problems, known_answers)
            if spec is None:
                continue
            if spec.name in seen:
                problems.append(Problem(shown, line_of(node), f"duplicate intent {spec.name!r} "
                                                              f"(also in {seen[spec.name]})"))
                continue
            seen[spec.name] = shown
            intents.append(spec)
        if "lexicon" in doc:
            lexicon = _lexicon(shown, doc["lexicon"], problems)
    common: dict[str, int] = {}
    words_path = folder / COMMON_WORDS_FILE
    if words_path.exists():
        try:
            rank = 0
            for line in read_text(words_path, str(words_path)).splitlines():
                word = line.strip()
                if word and not word.startswith("#"):
                    rank += 1
                    common.setdefault(word, rank)
        except DataError as err:
            problems.extend(err.problems)
    names = {i.name for i in intents}
    for spec in intents:
        for r in spec.instead:
            if r.intent not in names:
                problems.append(Problem(seen[spec.name], r.line, f"intent {spec.name!r}: 'instead' "
                                        f"names an unknown intent {r.intent!r}"))
    if problems:
        raise DataError(problems)
    return IntentCatalog(tuple(intents), lexicon, common, operators)


def _intent(file: str, node: Any, problems: list[Problem], answers: set[str]
            ) -> IntentSpec | None:
    line = line_of(node)
    if not isinstance(node, LineDict):
        problems.append(Problem(file, line, "an intent must be a mapping"))
        return None
    bad = set(node) - _INTENT_KEYS
    if bad:
        problems.append(Problem(file, line, f"intent: unknown keys {sorted(bad)}"))
    name = node.get("name")
    if not isinstance(name, str) or not name:
        problems.append(Problem(file, line, "intent: missing required field 'name'"))
        return None
    answer = node.get("answer")
    if not isinstance(answer, str):
        problems.append(Problem(file, line, f"intent {name!r}: missing required field 'answer'"))
        return None
    if answers and answer not in answers:
        problems.append(Problem(file, line, f"intent {name!r}: unknown answer {answer!r} "
                                            f"(known: {', '.join(sorted(answers))})"))
    examples = node.get("examples") or []
    if not isinstance(examples, list) or not all(isinstance(e, str) for e in examples):
        problems.append(Problem(file, line, f"intent {name!r}: 'examples' must be a list of "
                                            "text (quote an example that starts with '{')"))
        examples = []
    slots = []
    raw_slots = node.get("slots") or {}
    if not isinstance(raw_slots, dict):
        problems.append(Problem(file, line, f"intent {name!r}: 'slots' must be a mapping"))
        raw_slots = {}
    for sname, sdef in raw_slots.items():
        if not isinstance(sdef, dict) or set(sdef) - _SLOT_KEYS or sdef.get("kind") not in _KINDS:
            problems.append(Problem(file, line_of(sdef, line), f"intent {name!r}: slot "
                                    f"{sname!r} needs kind one of {sorted(_KINDS)} and only "
                                    f"keys {sorted(_SLOT_KEYS)}"))
            continue
        slots.append(SlotSpec(str(sname), sdef["kind"], bool(sdef.get("required")),
                              bool(sdef.get("many"))))
    templates = []
    raw_t = node.get("templates") or {}
    if not isinstance(raw_t, dict):
        problems.append(Problem(file, line, f"intent {name!r}: 'templates' must be a mapping "
                                            "of outcome to a list of text"))
        raw_t = {}
    for outcome, variants in raw_t.items():
        if isinstance(variants, str):
            variants = [variants]
        if not isinstance(variants, list) or not all(isinstance(v, str) for v in variants):
            problems.append(Problem(file, line_of(raw_t, line), f"intent {name!r}: template "
                                    f"{outcome!r} must be text or a list of text"))
            continue
        templates.append((str(outcome), tuple(variants)))
    suggestions = node.get("suggestions") or []
    if not isinstance(suggestions, list) or not all(isinstance(s, str) for s in suggestions):
        problems.append(Problem(file, line, f"intent {name!r}: 'suggestions' must be a list"))
        suggestions = []
    return IntentSpec(name=name, answer=answer, examples=tuple(examples), slots=tuple(slots),
                      fact=str(node.get("fact") or ""), form=str(node.get("form") or ""),
                      templates=tuple(templates),
                      suggestions=tuple(suggestions),
                      instead=_redirects(file, name, node.get("instead"), line, problems))


def _redirects(file: str, name: str, node: Any, line: int, problems: list[Problem]
               ) -> tuple[Redirect, ...]:
    """``instead``: a list of {intent, when}; ``when`` one condition or a list of them."""
    if node is None:
        return ()
    if not isinstance(node, list):
        problems.append(Problem(file, line_of(node, line), f"intent {name!r}: 'instead' must "
                                "be a list of {intent, when}"))
        return ()
    out = []
    for item in node:
        at = line_of(item, line)
        when = item.get("when") if isinstance(item, dict) else None
        when = [when] if isinstance(when, str) else when
        if (not isinstance(item, dict) or set(item) != {"intent", "when"}
                or not isinstance(item["intent"], str) or not isinstance(when, list)
                or not when or not all(isinstance(w, str) for w in when)):
            problems.append(Problem(file, at, f"intent {name!r}: each 'instead' rule needs "
                                    "'intent' and 'when' (a condition or a list of them)"))
            continue
        bad = sorted(set(when) - REDIRECT_CONDITIONS)
        if bad:
            problems.append(Problem(file, at, f"intent {name!r}: unknown 'when' condition "
                                    f"{', '.join(map(repr, bad))} (known: "
                                    f"{', '.join(sorted(REDIRECT_CONDITIONS))})"))
            continue
        out.append(Redirect(item["intent"], tuple(when), at))
    return tuple(out)


def _lexicon(file: str, node: Any, problems: list[Problem]) -> Lexicon:
    if not isinstance(node, LineDict) or set(node) - _LEXICON_KEYS:
        problems.append(Problem(file, line_of(node), f"lexicon: expected a mapping with keys "
                                                     f"{sorted(_LEXICON_KEYS)}"))
        return Lexicon()

    def words(key: str) -> tuple[str, ...]:
        value = node.get(key) or []
        if not isinstance(value, list):
            problems.append(Problem(file, node.line, f"lexicon: {key!r} must be a list"))
            return ()
        return tuple(str(v).casefold() for v in value)

    reach = node.get("negation_reach", 3)
    if not isinstance(reach, int) or reach < 1:
        problems.append(Problem(file, node.line, "lexicon: 'negation_reach' must be a positive "
                                                 "integer"))
        reach = 3
    return Lexicon(negations=words("negations"), negation_reach=reach,
                   pronouns=frozenset(words("pronouns")),
                   category_heads=frozenset(words("category_heads")),
                   stopwords=frozenset(words("stopwords")),
                   yes_no_openers=frozenset(words("yes_no_openers")),
                   model_pronouns=frozenset(words("model_pronouns")),
                   coordinators=frozenset(words("coordinators")),
                   copulas=frozenset(words("copulas")),
                   other_than=words("other_than"))
