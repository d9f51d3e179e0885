"""Stage 5c, memory: what runs locally, as lists ("which open models fit in 12 GB at 4-bit?")
and as verdicts ("would Mistral 7B fit on a 12 GB card?"), always labelled as estimates with
their formula (the rule and the hardware budgets are in knowledge/concepts.yaml).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .answer import Answer
from .attributes import Size, format_count
from .concept_answers import Verdict, fits_in, memory_estimate
from .concepts import Concepts, Hardware
from .context import Context
from .decision import Decision
from .knowledge import KnowledgeBase
from .memo import memo
from .normalise import words

_GB = re.compile(r"(\d+(?:\.\d+)?)\s*(?:gb|gib|g)\b")
_BITS = re.compile(r"(\d+)\s*(?:bit|bits|-bit)\b|\bq(\d)(?:_k)?")
FIT_SHOWN = 15


class MemoryAnswers:
    def __init__(self, kb: KnowledgeBase, concepts: Concepts, local_words: frozenset[str],
                 yes_no_openers: frozenset[str], verdict: Callable[[str], Verdict]) -> None:
        self.kb = kb
        self.c = concepts
        self._local_words = local_words
        self._openers = yes_no_openers
        self._verdict = verdict
        # the models a memory question weighs, with their sizes, built once per category set
        self._sized = memo(self, MemoryAnswers._sized_uncached, 16)

    def _numbers(self, text: str) -> tuple[float | None, int]:
        gb = _GB.search(text)
        bits = _BITS.search(text)
        # "what quantisation should I use for 8 GB?": a quantised default, else 16-bit
        quantised = "quantis" in text or "quantiz" in text
        bit = int(bits.group(1) or bits.group(2)) if bits else (4 if quantised else 16)
        return (float(gb.group(1)) if gb else None), bit

    def memory_fit(self, d: Decision, ctx: Context) -> Answer:
        gigabytes, bits = self._numbers(d.question)
        fields = {"bits": str(bits)}
        if gigabytes is None:
            mm = self.c.memory
            fields["formula"] = mm.formula if mm else ""
            return Answer("no_budget", fields)
        pool = self._sized(tuple(d.categories or ("open-source",)), tuple(d.excluded))
        result = fits_in(gigabytes, bits, pool, self.c)
        if result is None:
            return Answer("no_rule", fields)
        rule = result.rule
        fields.update(gigabytes=f"{gigabytes:g}", formula=rule.formula,
                      overhead_note=rule.overhead_note, reference=rule.reference)
        if not result.fits:
            small = sorted(result.too_big, key=lambda f: f.gigabytes)[:3]
            fields["too_big"] = ", ".join(f"{self.kb.name_of(f.model_id)} "
                                          f"({format_count(f.parameters)}: ~{f.gigabytes:.1f} GB)"
                                          for f in small)
            return Answer("none", fields)
        lines = [f"- **{self.kb.name_of(f.model_id)}** at {format_count(f.parameters)}: "
                 f"~{f.gigabytes:.1f} GB" for f in result.fits[:FIT_SHOWN]]
        more = len(result.fits) - FIT_SHOWN
        fields["models"] = "\n".join(lines) + (f"\n- … and {more} more" if more > 0 else "")
        fields["too_big"] = ""
        fields["unknown_size"] = (f"\n\n{len(result.unknown_size)} open models have no "
                                  "published size." if result.unknown_size else "")
        if not _BITS.search(d.question) and bits == 16:  # no precision asked: 4-bit too
            q4 = fits_in(gigabytes, 4, pool, self.c)
            if q4 is not None and q4.fits:
                bigger = [f"{self.kb.name_of(f.model_id)} at {format_count(f.parameters)} "
                          f"(~{f.gigabytes:.1f} GB)" for f in q4.fits[:8]]
                fields["unknown_size"] += (f"\n\nQuantised to **4-bit**, the largest that "
                                           f"fit: {', '.join(bigger)}.")
        return Answer("answer", fields, (rule.reference,))

    def model_memory(self, d: Decision, ctx: Context) -> Answer:
        m = self.kb.model(d.models[0])
        fields = {"model": m.name, "access": {"api": "an API", "proprietary": "not public"
                                              }.get(m.access, "")}
        if m.access in ("api", "proprietary"):  # "can I run GPT-4 locally?": no weights
            return Answer("not_released", fields)
        toks = words(d.question)
        yes_no = bool(toks) and toks[0] in self._openers
        if not m.sizes:
            return Answer("runs_no_size" if yes_no and m.access == "open-weights"
                          else "no_size", fields)
        gigabytes, asked = self._numbers(d.question)
        hardware = self._hardware(d.question) if gigabytes is None else None
        budget = gigabytes if gigabytes is not None else (hardware.gigabytes if hardware
                                                          else None)
        sizes = _asked_sizes(d.question, m.sizes) or m.sizes[-3:]
        if budget is not None:
            return self._fit_verdict(m.name, sizes, budget, hardware.label if hardware
                                     else f"{budget:g} GB", hardware.reference if hardware
                                     else "")
        lines = []
        est = None
        for size in sizes:
            for bits in dict.fromkeys((asked, 16, 8, 4)):
                est = memory_estimate(size.total, bits, self.c)
                if est is not None:
                    lines.append(f"- {size.render()} at {bits}-bit: ~{est.gigabytes:.1f} GB "
                                 f"({est.worked})")
        if est is None:
            return Answer("no_size", fields)
        fields.update(formula=est.formula, overhead_note=est.overhead_note,
                      reference=est.reference, estimates="\n".join(lines))
        if yes_no and self._local_words.intersection(toks):  # "can I run Whisper offline?"
            v = self._verdict(m.id)
            fields["terms"] = f" ({v.licence.name})" if v.licence is not None else ""
            return Answer("runs_yes", fields, (est.reference,))
        return Answer("answer", fields, (est.reference,))

    def _sized_uncached(self, categories: tuple[str, ...], excluded: tuple[str, ...]
                        ) -> tuple[tuple[str, tuple[float, ...]], ...]:
        # From the columns: a Model made per open model would cost more than the answer.
        sizes, row = self.kb.column("sizes"), self.kb.model_row
        return tuple((mid, tuple([s.total for s in sizes[row(mid)]]))
                     for mid in self.kb.filter(categories, excluded).ids())

    def _hardware(self, question: str) -> Hardware | None:
        """ "at home", "on one GPU": the budget the data says those words mean."""
        mm = self.c.memory
        asked = f" {' '.join(words(question))} "
        for h in mm.hardware if mm else ():
            if any(f" {' '.join(words(w))} " in asked for w in h.words):
                return h
        return None

    def _fit_verdict(self, name: str, sizes: tuple[Size, ...], budget: float, label: str,
                     hardware_reference: str) -> Answer:
        """ "would Mistral 7B fit on a 12 GB card?": yes, only quantised, or no, per size."""
        lines, fitting = [], []
        for size in sizes:
            ests = [e for b in (16, 8, 4) if (e := memory_estimate(size.total, b, self.c))]
            if not ests:
                continue
            best = next((e for e in ests if e.gigabytes <= budget), None)
            if best is not None:
                fitting.append(best.bits)
            shown = ", ".join(f"~{e.gigabytes:.1f} GB at {e.bits}-bit" for e in ests)
            lines.append(f"- {size.render()}: {shown}"
                         + (f": fits at {best.bits}-bit" if best else ": does not fit"))
        mm = self.c.memory
        fields = {"model": name, "budget": label, "estimates": "\n".join(lines),
                  "formula": mm.formula if mm else "", "reference": mm.reference if mm else "",
                  "hardware": f" {hardware_reference}." if hardware_reference else "",
                  "bits": str(min(fitting, default=16)) if fitting else ""}
        if not lines:
            return Answer("no_size", {"model": name})
        outcome = ("fit_no" if not fitting else "fit_yes" if 16 in fitting
                   else "fit_only")
        if fitting and len(fitting) < len(lines):
            outcome = "fit_some"
        fields["bits"] = str(max(fitting)) if fitting else ""
        return Answer(outcome, fields, (fields["reference"],))


_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*(b|bn|billion|m|million)\b")


def _asked_sizes(question: str, sizes: tuple[Size, ...]) -> tuple[Size, ...]:
    """ "Llama 3.1 405B": the published size the question names, when it names one."""
    out = []
    for number, unit in _SIZE.findall(question):
        value = float(number) * (1e6 if unit.startswith("m") else 1e9)
        out += [s for s in sizes if abs(s.total - value) <= 0.1 * value]
    return tuple(dict.fromkeys(out))
