"""The facts behind answers the seed taxonomy cannot give, computed, never phrased.

Each function takes plain typed inputs (a model id, its licence text, its parameter counts,
its category ids) and returns a frozen value; the answer layer turns that into words. So
"can I use Vicuna commercially?" is decided here (no: inherited from LLaMA's licence) and
only said there.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from collections.abc import Set as AbstractSet
from typing import Literal, TypeVar

from .concepts import (
    Capability,
    Concept,
    Concepts,
    Contrast,
    Explanation,
    Licence,
    Purpose,
    language_key,
)
from .memory_fit import Fit as Fit
from .memory_fit import FitResult as FitResult
from .memory_fit import MemoryEstimate as MemoryEstimate
from .memory_fit import fits_in as fits_in
from .memory_fit import memory_estimate as memory_estimate
from .memory_fit import parameter_counts as parameter_counts
from .normalise import compact, words
from .values import value

ANSWER_NAMES = (
    "concept_describe", "concept_compare", "commercial_use", "language_support",
    "languages_of", "language_models", "generation_capability", "memory_fit", "model_memory",
    "why_explain", "fit_for_purpose", "concept_membership", "licence_terms", "derivation",
)
"""The answer names intents/concepts.yaml uses: the answer layer registers a composer for
each (beside bot.answer.ANSWER_NAMES)."""

T = TypeVar("T")
Outcome = Literal["yes", "no", "only_if", "not_released", "unknown"]
_VERDICT: dict[str, Outcome] = {"allowed": "yes", "conditional": "only_if", "not-allowed": "no"}
MAX_CHAIN = 8  # a derivation chain longer than this is a data error the loader reports


@value
class Verdict:
    """Can a model be used commercially, on whose licence, and on what condition.

    ``inherited_from`` is the base whose licence decided (empty when the model's own did);
    ``via`` the chain of bases walked; ``notes`` what the derivations' data adds (a later
    version on another base, extra terms); ``base_licence`` a permissive licence of a base
    that does not decide (it does not license the fine-tune's own weights); ``licence_text``
    the model's licence as its file writes it (unresolved when ``licence`` is None).
    """

    outcome: Outcome
    model_id: str
    licence: Licence | None = None
    condition: str = ""
    inherited_from: str = ""
    via: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    reference: str = ""
    licence_text: str = ""
    base_licence: Licence | None = None

    @property
    def open_source(self) -> bool | None:
        """True only under an OSI-approved licence; None when no licence is known."""
        return self.licence.osi if self.licence else None


def commercial_use(model_id: str, licence_text: str, access: str, concepts: Concepts,
                   licence_of: Callable[[str], str]) -> Verdict:
    """The commercial-use verdict for a model.

    A model's own licence decides. Without one, a derived model inherits what its base's
    licence imposes (a restriction binds the fine-tune; a permissive base licence does not
    license the fine-tune's own weights, so that stays unknown). API-only models are usable
    under the provider's terms; unreleased ones cannot be used at all.
    """
    own = concepts.licence_for(licence_text) if licence_text else None
    if own is not None:
        return Verdict(_VERDICT[own.commercial], model_id, own, own.condition,
                       reference=own.reference, licence_text=licence_text)
    if licence_text:  # not in the licence table (the loader reports it for bundled files)
        return Verdict("unknown", model_id, licence_text=licence_text)
    chain: list[str] = []
    notes: list[str] = []
    step = concepts.derivation_of(model_id)
    while step is not None and len(chain) < MAX_CHAIN:
        chain.append(step.base_id)
        if step.note:
            notes.append(step.note)
        base_text = licence_of(step.base_id)
        base = concepts.licence_for(base_text) if base_text else None
        if base is not None:
            if base.commercial == "allowed":
                return Verdict("unknown", model_id, via=tuple(chain), notes=tuple(notes),
                               reference=step.reference, base_licence=base)
            return Verdict(_VERDICT[base.commercial], model_id, base, base.condition,
                           inherited_from=step.base_id, via=tuple(chain), notes=tuple(notes),
                           reference=f"{step.reference}; {base.reference}")
        step = concepts.derivation_of(step.base_id)
    if access == "api":
        return Verdict("only_if", model_id, None, "through the developer's API, under its "
                       "terms of service; the weights are not released", via=tuple(chain),
                       notes=tuple(notes))
    if access == "proprietary":
        return Verdict("not_released", model_id, via=tuple(chain), notes=tuple(notes))
    return Verdict("unknown", model_id, via=tuple(chain), notes=tuple(notes))


# -- languages ------------------------------------------------------------------------------
LanguageOutcome = Literal["yes", "no", "unknown"]


@value
class LanguageVerdict:
    outcome: LanguageOutcome
    model_id: str
    language: str  # as the data names it ("Spanish"), or as asked when unknown
    count: int | None = None
    translation_into: tuple[str, ...] = ()
    note: str = ""
    reference: str = ""
    at_least: bool = False  # the count is a minimum: say "more than"


def supports_language(model_id: str, language: str, concepts: Concepts,
                      stated: Sequence[str] = (), stated_reference: str = "") -> LanguageVerdict:
    """Does the model cover ``language``? Only a complete published list can say no.

    ``stated`` is the model's own languages list from its model file (a list such as
    ["English"] is taken as complete; "multilingual" is not a list).
    """
    name = concepts.language_named(language) or language.strip()
    keys = concepts.same_language(language) | concepts.same_language(name)
    record = concepts.languages_of(model_id)
    if record is not None:
        listed = concepts.listed_language(model_id, keys)
        if listed:
            return LanguageVerdict("yes", model_id, listed.split(" (")[0], record.count,
                                   record.translation_into, record.note, record.reference,
                                   record.at_least)
        outcome: LanguageOutcome = "no" if record.complete else "unknown"
        return LanguageVerdict(outcome, model_id, name, record.count, record.translation_into,
                               record.note, record.reference, record.at_least)
    real = [s for s in stated if compact(s) not in ("multilingual", "")]
    if real and len(real) == len(stated):
        found = [s for s in real if language_key(s) in keys]
        return LanguageVerdict("yes" if found else "no", model_id,
                               found[0] if found else name, len(real),
                               reference=stated_reference)
    return LanguageVerdict("unknown", model_id, name)


def licences_in(text: str, concepts: Concepts, longest: int = 6) -> tuple[Licence, ...]:
    """Licences a question names ("is Phi-2 MIT licensed?" → MIT), in text order."""
    return tuple(dict.fromkeys(_names_in(text, longest, concepts.licence_for,
                                         concepts.licence_prefixes)))


def languages_in(text: str, concepts: Concepts, longest: int = 3) -> tuple[str, ...]:
    """Languages a question names ("does LLaMA speak Spanish?" → Spanish), in text order."""
    found = _names_in(text, longest, concepts.language_by_key)
    return tuple(dict.fromkeys(name.split(" (")[0] for name in found))


def models_supporting(language: str, concepts: Concepts) -> tuple[str, ...]:
    """Models whose published list includes the language (the curated table only)."""
    return tuple(s.model_id for s in concepts.languages
                 if supports_language(s.model_id, language, concepts).outcome == "yes")


# -- capabilities ---------------------------------------------------------------------------
CapabilityOutcome = Literal["yes", "not_directly", "no", "unknown"]


@value
class CapabilityVerdict:
    outcome: CapabilityOutcome
    model_id: str
    capability: Capability
    because: str = ""  # the category or concept id that decided
    explanation: str = ""
    reference: str = ""


def can_generate(model_id: str, placements: Collection[str], concepts: Concepts,
                 capability_id: str = "text-generation",
                 label: Callable[[str], str] = lambda x: x) -> CapabilityVerdict | None:
    """Whether a capability follows from where the model sits (its category ids plus its
    curated concepts); ``label`` names the deciding id in the explanation. None when the
    capability is not in the data."""
    cap = concepts.capability(capability_id)
    if cap is None:
        return None
    ids = list(placements) + [c.id for c in concepts.concepts_of_model(model_id)]
    by_name: dict[str, tuple[tuple[str, ...], CapabilityOutcome, str]] = {
        "yes": (cap.yes_when, "yes", cap.yes_text),
        "not_directly": (cap.not_directly_when, "not_directly", cap.not_directly_text),
        "no": (cap.no_when, "no", cap.no_text)}
    for rule, outcome, text in (by_name[k] for k in cap.order if k in by_name):
        hit = next((x for x in rule if x in ids), None)
        if hit is not None:
            return CapabilityVerdict(outcome, model_id, cap, hit,
                                     text.replace("{because}", label(hit)), cap.reference)
    return CapabilityVerdict("unknown", model_id, cap)


# -- concepts, comparisons, "why" and fit-for-purpose ----------------------------------------
def concepts_in(text: str, concepts: Concepts, longest: int = 6, weak: bool = False
                ) -> tuple[Concept, ...]:
    """Concepts named in a text, longest names first, without overlaps, in text order;
    ``weak`` lets weak aliases count ("LLM" in "LLM vs SLM")."""
    found = _names_in(text, longest, lambda key: concepts.concept_by_key(key, weak))
    return tuple(dict.fromkeys(found))


def _names_in(text: str, longest: int, look_up: Callable[[str], T | None],
              prefixes: AbstractSet[str] | None = None) -> list[T]:
    """What runs of up to ``longest`` words name, longest runs first, without overlaps, in
    text order. A run's key is its folded words joined, which is the names' compact key.

    ``prefixes``, when given, holds every beginning of every key ``look_up`` can find: a run
    is looked up only if its key is one, which spares most of the 6 x n look-ups."""
    tokens = words(text)
    n_tok = len(tokens)
    reach = [longest] * n_tok  # the longest run from each word that could name something
    if prefixes is not None and text.isascii():  # (an ASCII key is its own compact key)
        for i in range(n_tok):
            key, r = "", 0
            for tok in tokens[i:i + longest]:
                key += tok
                if key not in prefixes:
                    break
                r += 1
            reach[i] = r
    found: list[tuple[int, T]] = []
    taken = [False] * n_tok
    for n in range(min(longest, n_tok), 0, -1):
        for i in range(n_tok - n + 1):
            if reach[i] < n or any(taken[i:i + n]):
                continue
            hit = look_up("".join(tokens[i:i + n]))
            if hit is not None:
                found.append((i, hit))
                taken[i:i + n] = [True] * n
    return [hit for _, hit in sorted(found, key=lambda p: p[0])]


def concept_of(text: str, concepts: Concepts) -> Concept | None:
    """The first concept a text names, or None."""
    found = concepts_in(text, concepts)
    return found[0] if found else None


@value
class Comparison:
    first: str
    second: str
    contrast: Contrast | None


def compare_concepts(first: str, second: str, concepts: Concepts) -> Comparison:
    """Two concept or category ids and the curated difference, when the data has one.

    A seed category stands in for the concepts that name it as related ("SLM" may resolve to
    the small-scale category; the contrast is written for the small-language-model concept).
    """
    def stand_ins(x: str) -> list[str]:
        return [x] + [c.id for c in concepts.concepts if x in c.related and c.id != x]

    for a in stand_ins(first):
        for b in stand_ins(second):
            found = concepts.contrast(a, b) if a != b else None
            if found is not None:
                return Comparison(first, second, found)
    return Comparison(first, second, None)


def explain(mentioned: Collection[str], text: str, concepts: Concepts,
            implied: Collection[str] = ()) -> Explanation | None:
    """The curated answer to a "why" question, or None (the answer layer then says it cannot
    explain, rather than citing a source in its place).

    ``mentioned`` are the ids the question names; ``implied`` what follows from them (a
    named model's categories and concepts). An explanation applies when every id in its
    ``about`` is among them and, if it lists words, the question has one. The one naming
    most mentioned ids wins, then the one relying least on implied ids, then file order:
    "why is RAG hybrid?" gets RAG's own explanation, not the one for its category.
    """
    asked, direct = set(words(text)), set(mentioned)
    known = direct | set(implied)
    best: tuple[int, int] | None = None
    found: Explanation | None = None
    for e in concepts.explanations:
        about = set(e.about)
        if not about <= known or (e.words and not asked.intersection(e.words)):
            continue
        if not about & direct and not asked.intersection(set(e.words) - {"why"}):
            continue  # only implied ("why is Chinchilla better than Gopher?"), and no word
                      # but "why" points at it: not this explanation
        score = (len(about & direct), -len(about - direct))
        if best is None or score > best:
            best, found = score, e
    return found


def purpose_of(text: str, concepts: Concepts) -> Purpose | None:
    """The need a question names ("medical questions" → medical), by its words."""
    folded = f" {' '.join(words(text))} "
    for p in concepts.purposes:
        if any(f" {' '.join(words(w))} " in folded for w in p.words):
            return p
    return None
