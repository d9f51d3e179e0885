"""Stage 5c, languages: which languages a model handles, which models handle a language,
and translation in a stated direction, from the curated language table (with the seed's own
``languages`` as a fallback), each answer with its reference."""

from __future__ import annotations

from dataclasses import replace

from .answer import Answer, join_names
from .concept_answers import models_supporting, supports_language
from .concepts import Concepts, LanguageSupport
from .context import Context
from .decision import Decision
from .knowledge import KnowledgeBase, Model
from .normalise import words

SHOWN = 20  # models named in one answer; the rest are counted


class LanguageAnswers:
    def __init__(self, kb: KnowledgeBase, concepts: Concepts,
                 translate_words: frozenset[str]) -> None:
        self.kb, self.c = kb, concepts
        self._translate_words = translate_words

    def language(self, d: Decision, ctx: Context) -> Answer:
        m = self.kb.model(d.models[0])
        lang = d.languages[0] if d.languages else ""
        record = self.c.languages_of(m.id)
        if not lang and d.other_languages:
            return self._besides(m, d.other_languages[0], record)
        if not lang and d.excluded_languages:  # "does BERT not support French?"
            lang = d.excluded_languages[0]
        target = _translation_target(d.question, d.languages,
                                     self._translate_words)
        if record is not None and record.translation_into and target:
            # "can Whisper translate English speech into French?": the direction decides
            into = [x for x in record.translation_into
                    if self.c.same_language(x) & self.c.same_language(target)]
            return Answer("translation_yes" if into else "translation_no",
                          {"model": m.name, "language": target,
                           "translation_into": join_names(record.translation_into),
                           "reference": record.reference}, (record.reference,))
        v = supports_language(m.id, lang, self.c, stated=m.languages,
                              stated_reference=m.reference_for("languages"))
        count = (f"more than {v.count}" if v.at_least else str(v.count)) if v.count else "stated"
        others = [self.kb.name_of(x) for x in models_supporting(v.language, self.c) if x != m.id]
        instead = (f" Models whose stated languages include {v.language}: "
                   f"{join_names(others[:6])}." if others and v.outcome == "no" else "")
        single = (record.languages if record is not None else m.languages)
        if v.outcome == "no" and len(single) == 1:
            fields = {"model": m.name, "language": v.language, "only": single[0],
                      "instead": instead, "reference": v.reference,
                      "note": f" ({v.note})" if v.note else ""}
            return Answer("no_single", fields, (v.reference,) if v.reference else ())
        if v.outcome == "no" and m.languages and len(m.languages) <= 5:
            # "does the original BERT handle French?": say which it has
            instead = f" Its stated language{'s are' if len(m.languages) > 1 else ' is'} " \
                      f"{join_names(list(m.languages))}.{instead}"
        fields = {"model": m.name, "language": v.language, "count": count, "instead": instead,
                  "count_phrase": "one language" if count == "1" else f"{count} languages",
                  "note": f" ({v.note})" if v.note else "", "reference": v.reference}
        if v.outcome == "unknown" and record is not None and record.languages:
            # "does Qwen2.5 support Hindi?": a partial list that does not name it
            fields["known"] = (f"my references name only some of {m.name}'s languages "
                               f"({count} in all; named: {', '.join(record.languages[:12])}"
                               f"{', …' if len(record.languages) > 12 else ''}), and "
                               f"{v.language} is not among those named.")
        elif v.outcome == "unknown":
            placed = "; it is placed as multilingual" if self._is(m.id, "multilingual") else ""
            fields["known"] = (f"no list of {m.name}'s languages is published in my "
                               f"references{placed}.")
        return Answer(v.outcome, fields, (v.reference,) if v.reference else ())

    def _besides(self, m: Model, lang: str, record: LanguageSupport | None) -> Answer:
        """ "does BLOOM support languages other than English?": its other stated languages."""
        stated = tuple(record.languages if record is not None and record.languages
                       else m.languages)
        count = (record.count if record is not None and record.count else 0) or \
            m.language_count or len(stated)
        same = self.c.same_language(lang)
        others = [x for x in stated if not (self.c.same_language(x) & same)]
        reference = record.reference if record is not None else m.reference_for("languages")
        fields = {"model": m.name, "language": lang, "reference": reference,
                  "note": "", "instead": ""}
        if len(stated) == 1 and not others and count <= 1:
            return Answer("no_besides", {**fields, "only": stated[0]}, (reference,))
        if others or count > 1:
            shown = others[:12]
            listed = (f": {', '.join(shown)}{', …' if len(others) > len(shown) else ''}"
                      if shown else "")
            return Answer("besides_yes", {**fields, "count": str(count), "others": listed},
                          (reference,))
        fields["known"] = f"no list of {m.name}'s languages is published in my references."
        return Answer("unknown", fields)

    def _is(self, mid: str, cid: str) -> bool:
        return self.kb.placement(mid, cid) is not None

    def languages_of(self, d: Decision, ctx: Context) -> Answer:
        if len(d.models) > 1:  # one line each: "- **AraBERT**: Arabic"
            lines = []
            for mid in d.models[:5]:
                a = self._languages_of(replace(d, models=(mid,)))
                known = a.fields.get("languages") or (
                    f"{a.fields['count']} languages" if a.fields.get("count") else "not listed")
                lines.append(f"- **{self.kb.name_of(mid)}**: {known}")
            return Answer("several", {"items": "\n".join(lines)})
        answer = self._languages_of(d)
        count = answer.fields.get("count", "")
        answer.fields["count_phrase"] = f"{count} language" + ("" if count == "1" else "s")
        return answer

    def _languages_of(self, d: Decision) -> Answer:
        m = self.kb.model(d.models[0])
        record = self.c.languages_of(m.id)
        fields = {"model": m.name}
        if record is None:
            stated = join_names(m.languages) if m.languages else ""
            if stated:
                fields.update(count=str(len(m.languages)), languages=stated, note="",
                              reference=m.reference_for("languages"))
                return Answer("answer", fields, (fields["reference"],))
            fields["stated"] = (f"{m.name} covers {m.language_count} languages; I don't have "
                                "the list." if m.language_count else
                                "my references do not list them.")
            return Answer("none", fields)
        count = (f"more than {record.count}" if record.at_least else str(record.count)
                 if record.count else str(len(record.languages)))
        fields.update(count=count, languages=", ".join(record.languages),
                      note=_sentence(record.note), reference=record.reference,
                      translation_into=join_names(record.translation_into))
        outcome = ("translation" if record.translation_into
                   else "answer" if record.languages else "count_only")
        return Answer(outcome, fields, (record.reference,))

    def _models_without(self, d: Decision) -> Answer:
        """ "models that don't support English": those known to leave it out; "models for
        languages other than English": those with some other stated language. A model whose
        languages are not stated is never assumed either way."""
        other = bool(d.other_languages)
        lang = (d.other_languages or d.excluded_languages)[0]
        keep = {m.id for m in self.kb.filter(d.categories, d.excluded)} if (
            d.categories or d.excluded) else None
        test = self._has_another if other else self._lacks
        ids = [m.id for m in self.kb.models if (keep is None or m.id in keep) and test(m, lang)]
        kinds = [self.kb.category(c).short for c in d.categories]
        fields = {"language": lang, "kinds": f" ({join_names(kinds)})" if kinds else ""}
        if not ids:
            return Answer("none_other" if other else "none_without", fields)
        ids.sort(key=self._breadth)
        fields["models"] = self._lines(ids)
        return Answer("other" if other else "without", fields)

    def _has_another(self, m: Model, lang: str) -> bool:
        same = self.c.same_language(lang)
        record = self.c.languages_of(m.id)
        stated = record.languages if record is not None and record.languages else m.languages
        count = (record.count if record is not None else 0) or m.language_count
        return (count or 0) > 1 or any(not (self.c.same_language(x) & same) for x in stated)

    def _lacks(self, m: Model, lang: str) -> bool:
        """Known not to cover ``lang``: a "no" from the curated table, or a full stated list
        without it (a count with no list, or a partial list, says nothing)."""
        outcome = supports_language(m.id, lang, self.c).outcome
        if outcome != "unknown":
            return outcome == "no"
        return (bool(m.languages) and not m.language_count
                and self.c.languages_of(m.id) is None
                and not any(self.c.same_language(x) & self.c.same_language(lang)
                            for x in m.languages))

    def _lines(self, ids: list[str], with_languages: bool = True) -> str:
        """The first SHOWN models, one a line (with their few languages), then how many
        more."""
        def line(i: str) -> str:
            m = self.kb.model(i)
            few = with_languages and 0 < len(m.languages) <= 3
            return f"- **{m.name}**" + (f" ({join_names(m.languages)})" if few else "")

        lines = [line(i) for i in ids[:SHOWN]]
        if len(ids) > SHOWN:
            lines.append(f"- … and {len(ids) - SHOWN} more")
        return "\n".join(lines)

    def _breadth(self, model_id: str) -> int:
        """How many languages a model states (its count, else its list): fewer is more
        focused."""
        m = self.kb.model(model_id) if self.kb.has_model(model_id) else None
        if m is None:
            return 1_000_000
        return m.language_count or len(m.languages) or 1_000_000

    def language_models(self, d: Decision, ctx: Context) -> Answer:
        if not d.languages and (d.excluded_languages or d.other_languages):
            return self._models_without(d)
        lang = d.languages[0] if d.languages else ""
        ids = list(models_supporting(lang, self.c))
        ids += [m.id for m in self.kb.models if m.id not in ids and lang
                and any(x.casefold() == lang.casefold() for x in m.languages)]
        keep = {m.id for m in self.kb.filter(d.categories, d.excluded)} if (
            d.categories or d.excluded) else None
        fields = {"language": lang}
        kept = [i for i in ids if keep is None or i in keep]
        if ids and not kept:
            # "a chatbot that speaks Arabic?": none placed so, but say which models list it
            fields.update(kinds=join_names([self.kb.category(c).short for c in d.categories]
                                           or ["such"]),
                          models="\n".join(f"- **{self.kb.name_of(i)}**: {self.kb.model(i).summary}"
                                           for i in ids[:8]))
            return Answer("none_of_kind", fields)
        if not kept:
            return Answer("none", fields)
        # "French language models": those made for French (CamemBERT) before the ones that
        # list it among a hundred (Whisper); a stable sort keeps the order otherwise.
        fields["models"] = self._lines(sorted(kept, key=self._breadth), with_languages=False)
        return Answer("answer", fields)


def _translation_target(question: str, languages: tuple[str, ...],
                        translate_words: frozenset[str]) -> str:
    """ "translate English speech into French" → French: the language after "into"/"to" in a
    question about translating, or ""."""
    toks = words(question)
    if not translate_words.intersection(toks):
        return ""
    for i, t in enumerate(toks[:-1]):
        if t in ("into", "to"):
            rest = " ".join(toks[i + 1:i + 4])
            for lang in languages:
                if rest.startswith(" ".join(words(lang))):
                    return lang
    return ""


def _sentence(note: str) -> str:
    """A data note as a sentence of its own: " Speech recognition in these languages …." """
    note = note.strip()
    if not note:
        return ""
    return f" {note[0].upper()}{note[1:]}{'' if note.endswith('.') else '.'}"
