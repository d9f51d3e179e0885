"""Stage 5c: answers beyond the seed taxonomy (curated concepts, licences, languages,
capabilities, memory estimates, "why" and fit-for-purpose) from bot/concept_answers.py's
verdicts, worded by intents/concepts.yaml. Every one of them says it is curated. Languages
and memory have their own modules (``answer_languages``, ``answer_memory``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

from .answer import Answer, join_names
from .answer_languages import LanguageAnswers
from .answer_memory import MemoryAnswers
from .attributes import render_sizes
from .concept_answers import (
    Verdict,
    can_generate,
    commercial_use,
    compare_concepts,
    explain,
    licences_in,
    purpose_of,
)
from .concepts import Concept, Concepts
from .context import Context
from .decision import Decision
from .knowledge import KnowledgeBase
from .memo import weakly
from .normalise import words

OPEN_CATEGORY = "open-source"  # the seed category a licence note qualifies


class ConceptComposer:
    def __init__(self, kb: KnowledgeBase, concepts: Concepts,
                 word_sets: Mapping[str, frozenset[str]] | None = None,
                 yes_no_openers: frozenset[str] = frozenset()) -> None:
        self.kb, self.c = kb, concepts
        self._word_sets: Mapping[str, frozenset[str]] = word_sets or {}
        self._weights_words = self._word_sets.get("weights", frozenset())
        self.memory = MemoryAnswers(kb, concepts, self._word_sets.get("local", frozenset()),
                                    yes_no_openers, weakly(self._verdict))
        self.languages = LanguageAnswers(kb, concepts,
                                         self._word_sets.get("translate", frozenset()))
        self._openers = yes_no_openers
        self._category_ids = frozenset(c.id for c in kb.categories)

    def handlers(self) -> dict[str, Callable[[Decision, Context], Answer]]:
        return {"concept_describe": self.describe, "concept_compare": self.compare,
                "commercial_use": self.commercial, "language_support": self.languages.language,
                "languages_of": self.languages.languages_of,
                "language_models": self.languages.language_models,
                "generation_capability": self.generation,
                "memory_fit": self.memory.memory_fit, "model_memory": self.memory.model_memory,
                "why_explain": self.why,
                "fit_for_purpose": self.purpose, "concept_membership": self.membership,
                "licence_terms": self.licence_terms, "derivation": self.derivation}

    def _members(self, ids: tuple[str, ...], limit: int = 8) -> str:
        names = [self.kb.name_of(m) for m in ids if self.kb.has_model(m)]
        if not names:
            return ""
        more = f" and {len(names) - limit} more" if len(names) > limit else ""
        return f"\n\nModels I place here: {', '.join(names[:limit])}{more}."

    # -- concepts -------------------------------------------------------------------------
    def describe(self, d: Decision, ctx: Context) -> Answer:
        if not d.concepts:
            return Answer("answer")
        concept = self.c.concept(d.concepts[0])
        fields = {"concept": concept.name, "definition": concept.definition,
                  "reference": concept.reference, "members_line": self._members(concept.members)}
        if concept.dimension_id:
            dim = self.c.dimension(concept.dimension_id)
            fields["dimension"] = dim.name
            fields["siblings"] = ", ".join(self.c.concept(x).name for x in dim.concept_ids)
            return Answer("in_dimension", fields, (f"{concept.name}: {concept.reference}",))
        return Answer("answer", fields, (f"{concept.name}: {concept.reference}",))

    def _definition(self, thing: str) -> str:
        if self.c.has_concept(thing):
            x = self.c.concept(thing)
            return f"- **{x.name}** (curated): {x.definition}"
        cat = self.kb.category(thing)
        return f"- **{cat.name}** (the source taxonomy): {cat.description}"

    def compare(self, d: Decision, ctx: Context) -> Answer:
        things = [*d.concepts, *d.categories][:2]
        if len(things) < 2:
            return Answer("definitions_only", {"definitions": "\n".join(
                self._definition(t) for t in things) or "Name two things to compare."})
        found = compare_concepts(things[0], things[1], self.c)
        fields = {"definitions": "\n".join(self._definition(t) for t in things)}
        if found.contrast is None:
            return Answer("definitions_only", fields)
        fields.update(contrast=found.contrast.text, reference=found.contrast.reference)
        return Answer("answer", fields, (found.contrast.reference,))

    def membership(self, d: Decision, ctx: Context) -> Answer:
        """ "is GPT-2 decoder-only?": from the concept's members, or a sibling's."""
        concept = self.c.concept(d.concepts[0])
        siblings = (self.c.dimension(concept.dimension_id).concept_ids
                    if concept.dimension_id else ())
        lines, outcomes = [], set()
        for mid in d.models[:5]:
            name = self.kb.name_of(mid)
            other = next((self.c.concept(s) for s in siblings if s != concept.id
                          and mid in self.c.concept(s).members), None)
            seed = self._by_related_category(concept, mid) if not concept.members else ""
            if seed:  # "is Phi-3 a small language model?": the taxonomy's small-scale says so
                outcomes.add("yes")
                lines.append(f"**{name}** is placed under **{seed}**, which is what "
                             f"**{concept.name}** means here.")
            elif mid in concept.members:
                outcomes.add("yes")
                lines.append(f"**{name}** is among the models I place under **{concept.name}**"
                             f": {concept.definition.split('. ')[0].rstrip('.')}.")
            elif other is not None:
                outcomes.add("no")
                lines.append(f"I place **{name}** under **{other.name}**, not "
                             f"**{concept.name}**.")
            else:
                outcomes.add("unknown")
                lines.append(f"my curated facts don't place **{name}** under "
                             f"**{concept.name}** or beside it.")
        outcome = ("yes" if outcomes == {"yes"} else "no" if "no" in outcomes
                   else "unknown" if outcomes == {"unknown"} else "no")
        why = lines[0] if len(lines) == 1 else "\n".join(f"- {x}" for x in lines)
        return Answer(outcome, {"why": why, "reference": concept.reference,
                                "concept": concept.name, "model": self.kb.name_of(d.models[0])},
                      (concept.reference,))

    def _by_related_category(self, concept: Concept, model_id: str) -> str:
        """A concept with no members of its own, related to a seed category the model is
        placed in: that category's name."""
        for rel in concept.related:
            if rel in self._category_ids and self.kb.placement(model_id, rel) is not None:
                return self.kb.category(rel).name
        return ""

    # -- licences -------------------------------------------------------------------------
    def commercial(self, d: Decision, ctx: Context) -> Answer:
        m = self.kb.model(d.models[0])

        v = self._verdict(m.id)
        via = (f", inherited from **{self.kb.name_of(v.inherited_from)}**" if v.inherited_from
               else "")
        notes = "".join(f" {n}" for n in v.notes)
        fields = {"model": m.name, "licence": v.licence.name if v.licence else v.licence_text,
                  "condition": v.condition, "via": via, "notes": notes,
                  "reference": v.reference or m.reference_for("license"),
                  "open_source": (" It is an OSI-approved open-source licence."
                                  if v.open_source else "")}
        outcome: str = v.outcome
        if outcome == "only_if" and v.licence is None:
            outcome = "only_if_api"
        if outcome == "unknown" and v.base_licence is not None and v.via:
            outcome = "unknown_base_permissive"
            fields.update(base=self.kb.name_of(v.via[-1]), base_licence=v.base_licence.name)
        return Answer(outcome, fields, (fields["reference"],) if fields["reference"] else ())

    def kinds_of(self, model_id: str) -> str:
        """The curated concepts a model is placed in ("decoder-only transformer, mixture of
        experts"), for its classification."""
        return join_names([c.name for c in self.c.concepts_of_model(model_id)])

    def curated_line(self, model_id: str) -> str:
        """The curated kinds, and the base a fine-tune derives from ("what is Vicuna?":
        trained from LLaMA's weights), for a classification."""
        kinds = self.kinds_of(model_id)
        chain = self._bases(model_id)
        base = (f"trained from the weights of **{self.kb.name_of(chain[0])}**" if chain else "")
        return "; ".join(x for x in (kinds, base) if x)

    def licence_note(self, model_id: str, category_id: str) -> str:
        """ "Is Vicuna open source?": the taxonomy's open-source category means open weights
        here; say when the licence is not an open-source one (OSI) or restricts use."""
        if category_id != OPEN_CATEGORY or not self.kb.has_model(model_id):
            return ""
        m = self.kb.model(model_id)

        v = self._verdict(m.id)
        if v.licence is None or v.licence.osi:
            return ""
        inherited = (f", inherited from {self.kb.name_of(v.inherited_from)}," if v.inherited_from
                     else "")
        use = {"no": "commercial use is not allowed",
               "only_if": "commercial use only on conditions"}.get(v.outcome, "")
        return (f"_Curated note: the weights are open, but the {v.licence.name}{inherited} is "
                f"not an OSI open-source licence{'; ' + use if use else ''}: open weights "
                "rather than open source in the strict sense._")

    def licence_terms(self, d: Decision, ctx: Context) -> Answer:
        """ "what licence does Vicuna have?": its own licence, or the one it inherits, and
        what that allows commercially."""
        m = self.kb.model(d.models[0])

        v = self._verdict(m.id)
        access = {"open-weights": "open weights", "api": "offered through an API only",
                  "proprietary": "not publicly released"}.get(m.access, "")
        toks = words(d.question)
        yes_no = self._yes_no(toks)
        named = licences_in(d.question, self.c) if yes_no else ()
        if named:  # "is Phi-2 MIT licensed?": its licence against the one named
            own = v.licence
            fields = {"model": m.name, "asked": named[0].name,
                      "licence": own.name if own else "", "access": access,
                      "via": (f", inherited from **{self.kb.name_of(v.inherited_from)}**"
                              if v.inherited_from else ""),
                      "reference": v.reference or m.reference_for("license"),
                      "notes": "".join(f" {n}" for n in v.notes)}
            outcome = ("licence_unknown" if own is None
                       else "licence_yes" if own.id == named[0].id else "licence_no")
            if own is None and m.access in ("api", "proprietary"):
                outcome = "licence_no_weights"
            elif own is not None and own.by_size and outcome == "licence_no":
                outcome = "licence_by_size"  # "is Qwen2.5 Apache licensed?": some sizes
                fields["condition"] = own.condition
            return Answer(outcome, fields, (fields["reference"],) if fields["reference"] else ())
        if yes_no and self._weights_words.intersection(toks):
            # "can I download GPT-4's weights?", "are Llama 2's weights public?"
            terms = (f" under the {v.licence.name}" if v.licence is not None else "")
            outcome = ("weights_yes" if m.access == "open-weights"
                       else "weights_no" if m.access in ("api", "proprietary")
                       else "weights_unknown")
            fields = {"model": m.name, "access": access, "terms": terms,
                      "reference": v.reference or m.reference}
            return Answer(outcome, fields, (fields["reference"],) if fields["reference"] else ())
        allows = {"yes": "commercial use allowed", "no": "commercial use not allowed",
                  "only_if": "commercial use allowed on conditions"}.get(v.outcome, "")
        if v.licence is not None and v.inherited_from:
            terms = (f"no licence of its own in my references; it derives from "
                     f"**{self.kb.name_of(v.inherited_from)}**, whose {v.licence.name} applies")
        elif v.licence is not None:
            terms = f"licence {v.licence.name}"
        else:
            terms = f"licence {m.license}" if m.license else ""
        value = "; ".join(x for x in (access, terms, allows) if x)
        fields = {"model": m.name, "value": value}
        if not value:
            return Answer("none", fields)
        ref = v.reference or m.reference_for("license")
        return Answer("answer", fields, (ref,) if ref else ())

    # -- derivations ----------------------------------------------------------------------
    def _bases(self, model_id: str) -> list[str]:
        """The chain of bases a fine-tune was trained from: LLaVA → Vicuna → LLaMA."""
        chain: list[str] = []
        d = self.c.derivation_of(model_id)
        while d is not None and d.base_id not in chain and len(chain) < 8:
            chain.append(d.base_id)
            d = self.c.derivation_of(d.base_id)
        return chain

    def derivation(self, d: Decision, ctx: Context) -> Answer:
        """ "is Vicuna just a fine-tuned LLaMA?", "what is Alpaca based on?", "which models
        are fine-tuned from LLaMA?": from licences.yaml's derivations."""
        m = self.kb.model(d.models[0])
        toks = words(d.question)
        children = [x.model_id for x in self.c.derivations if x.base_id == m.id]
        chain = self._bases(m.id)
        first = self.c.derivation_of(m.id)
        kinds = self.kinds_of(m.id)
        fields = {"model": m.name, "summary": m.summary,
                  "kinds": f"\n\nCurated kinds: {kinds}." if kinds else "",
                  "base": self.kb.name_of(chain[0]) if chain else "",
                  "chain": " → ".join(f"**{self.kb.name_of(x)}**" for x in [m.id, *chain]),
                  "note": f" {first.note}" if first is not None and first.note else "",
                  "reference": first.reference if first is not None else m.reference}
        fields["children"] = (f" Models I know to derive from it: "
                              f"{join_names([self.kb.name_of(x) for x in children])}."
                              if children else "")
        asks_list = bool(self._word_sets.get("derived", frozenset()).intersection(toks)
                         and self._word_sets.get("list", frozenset()).intersection(toks[:2]))
        if len(d.models) < 2 and children and asks_list:
            fields["models"] = "\n".join(f"- **{self.kb.name_of(x)}**" for x in children)
            return Answer("fine_tunes", fields)
        yes_no = self._yes_no(toks)
        if len(d.models) > 1 and yes_no:
            other = d.models[1]
            fields["other"] = self.kb.name_of(other)
            outcome = ("yes" if other in chain else "no" if chain else "unknown")
            return Answer(outcome, fields, (fields["reference"],))
        return Answer("answer" if chain else "none", fields, (fields["reference"],))

    # -- capability, memory, why, purpose ---------------------------------------------------
    def capability_asked(self, question: str) -> str:
        """The capability a question is about, by the words its data lists, first in file
        order ("can LLaVA answer questions about a photo?" is about images, not text)."""
        asked = f" {' '.join(words(question))} "
        for cap in self.c.capabilities:
            if any(f" {' '.join(words(w))} " in asked for w in cap.words):
                return cap.id
        return ""

    def generation(self, d: Decision, ctx: Context) -> Answer:
        m = self.kb.model(d.models[0])
        cats = [p.category_id for p in self.kb.placements_of(m.id)]
        facts = [f"modality:{x}" for x in m.modality]
        if m.modality and set(m.modality) <= {"text", "code"}:
            facts.append("text-only")

        def label(x: str) -> str:
            if self.c.has_concept(x):
                return self.c.concept(x).name
            if x.startswith("modality:"):
                return f"it handles {x.split(':', 1)[1]}"
            if x == "text-only":
                return "it handles text only"
            return self.kb.category(x).name if x in {c.id for c in self.kb.categories} else x

        asked_id = self.capability_asked(d.question)
        v = can_generate(m.id, [*cats, *facts], self.c, asked_id or "text-generation",
                         label=label)
        fields = {"model": m.name}
        if v is None:
            return Answer("unknown", fields)
        if v.outcome == "unknown" and v.capability.unknown_text:
            fields["unknown"] = v.capability.unknown_text.replace("{model}", m.name).replace(
                "{modalities}", join_names(list(m.modality)) or "text")
            return Answer("unknown_capability", fields)
        if not asked_id and v.capability.words:
            # "can GPT-3 classify text?": not the capability the data decides
            where = ", ".join(label(c) for c in cats[:4])
            fields["placed"] = f" It is placed as: {where}." if where else ""
            return Answer("other_capability", fields)
        fields.update(explanation=v.explanation, because=label(v.because) if v.because else "",
                      reference=v.reference)
        return Answer(v.outcome, fields, (v.reference,) if v.reference else ())

    def _licence_of(self, mid: str) -> str:
        return self.kb.model(mid).license if self.kb.has_model(mid) else ""

    def _verdict(self, model_id: str) -> Verdict:
        """What the model's licence (its own, or the one it inherits) allows."""
        m = self.kb.model(model_id)
        return commercial_use(m.id, m.license, m.access, self.c, self._licence_of)

    def _yes_no(self, toks: list[str]) -> bool:
        """ "is Phi-2 MIT licensed?" opens like a yes/no question (intents/lexicon.yaml)."""
        return bool(toks) and toks[0] in self._openers

    def why(self, d: Decision, ctx: Context) -> Answer:
        if not (d.models or d.categories or d.concepts):  # "why?" after an answer
            d = replace(d, models=ctx.models[:1], categories=ctx.categories[:1])
        mentioned = [*d.models, *d.categories, *d.concepts]
        implied = [p.category_id for mid in d.models for p in self.kb.placements_of(mid)]
        implied += [c.id for mid in d.models for c in self.c.concepts_of_model(mid)]
        e = explain(mentioned, d.question, self.c, implied)
        if e is not None:
            # "why is RETRO considered hybrid?": the general reason, then what RETRO does
            own = [f"**{self.kb.name_of(m)}**: {self.kb.model(m).summary}" for m in d.models[:2]
                   if m not in e.about and self.kb.has_model(m)]
            text = "\n\n".join([e.text, *own])
            return Answer("answer", {"explanation": text, "reference": e.reference},
                          (e.reference,))
        things = [self.kb.name_of(m) for m in d.models] + [
            self.kb.category(c).name for c in d.categories] + [
            self.c.concept(c).name for c in d.concepts]
        facts = [f"- **{self.kb.name_of(m)}**: {self.kb.model(m).summary}" for m in d.models[:3]]
        facts += [f"- **{self.kb.category(c).name}**: {self.kb.category(c).description}"
                  for c in d.categories[:3]]
        facts += [f"- **{self.c.concept(c).name}** (curated): {self.c.concept(c).definition}"
                  for c in d.concepts[:3]]
        return Answer("cannot", {"things": join_names(things) or "the question",
                                 "facts": "\n".join(facts) or "- nothing yet"})

    def purpose(self, d: Decision, ctx: Context) -> Answer:
        p = purpose_of(d.question, self.c)
        if p is None:
            return Answer("none", {"fallback": "Ask about a category, such as *domain-specific "
                                               "models*."})
        lines = []
        for mid in p.model_ids:
            if self.kb.has_model(mid):
                m = self.kb.model(mid)
                size = render_sizes(m.sizes)
                lines.append(f"- **{m.name}** ({m.developer}{', ' + size if size else ''}): "
                             f"{m.summary}")
        return Answer("answer", {"purpose": p.name, "models": "\n".join(lines)},
                      (p.reference,))
