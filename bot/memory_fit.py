"""Local-memory estimates: weights at a precision plus a stated overhead, never a measurement.

"Which open models fit in 12 GB at 4-bit?" and "how much memory does Llama 2 70B need?" are
answered from parameter counts and the rule in knowledge/concepts.yaml (bytes per parameter
by precision, +20% overhead); the formula travels with every estimate so the answer can
show its working.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .concepts import Concepts
from .values import value


@value
class MemoryEstimate:
    """Always an estimate: weights at a precision plus a stated overhead."""

    parameters: float
    bits: int
    bytes_per_parameter: float
    overhead: float
    bytes: float
    formula: str
    reference: str
    overhead_note: str = ""

    @property
    def gigabytes(self) -> float:
        return self.bytes / 1e9

    @property
    def worked(self) -> str:
        """The formula with this estimate's numbers ("7e9 × 0.5 B × 1.2 ≈ 4.2 GB")."""
        return (f"{_count(self.parameters)} parameters × {self.bytes_per_parameter:g} bytes × "
                f"{1 + self.overhead:g} ≈ {self.gigabytes:.1f} GB")


def memory_estimate(parameters: float, bits: int, concepts: Concepts) -> MemoryEstimate | None:
    """None when the data has no rule for that precision (or no memory model at all)."""
    mm = concepts.memory
    rule = mm.rule(bits) if mm else None
    if mm is None or rule is None or parameters <= 0:
        return None
    total = parameters * rule.bytes_per_parameter * (1 + mm.overhead)
    return MemoryEstimate(parameters, bits, rule.bytes_per_parameter, mm.overhead, total,
                          mm.formula, mm.reference, mm.overhead_note)


@dataclass(frozen=True, slots=True)
class Fit:
    """One model's size (its largest that fits, or its smallest when none does)."""

    model_id: str
    parameters: float
    gigabytes: float


@value
class FitResult:
    """Which models fit a memory budget at a precision, by one stated rule.

    ``fits`` holds each fitting model's largest size, largest first; ``too_big`` each
    remaining model's smallest size; ``unknown_size`` the models without a published
    parameter count. ``rule`` is the estimate for one parameter: its formula, overhead and
    reference apply to every row.
    """

    gigabytes: float
    bits: int
    fits: tuple[Fit, ...]
    too_big: tuple[Fit, ...]
    unknown_size: tuple[str, ...]
    rule: MemoryEstimate


def fits_in(gigabytes: float, bits: int, models: Iterable[tuple[str, Sequence[float]]],
            concepts: Concepts) -> FitResult | None:
    """``models`` are (model id, its parameter counts); None without a rule for ``bits``.

    One division gives the largest parameter count that fits; no estimate is built per size,
    so a whole catalogue is one pass over its numbers.
    """
    rule = memory_estimate(1.0, bits, concepts)
    if rule is None:
        return None
    per = rule.bytes / 1e9  # GB per parameter
    limit = gigabytes / per
    fits, too_big, unknown = [], [], []
    for mid, sizes in models:  # one plain loop per model: a catalogue is thousands of them
        best, small, known = 0.0, 0.0, False
        for s in sizes:
            if s > 0:
                if s <= limit and s > best:
                    best = s
                if not known or s < small:
                    small, known = s, True
        if not known:
            unknown.append(mid)
        elif best:
            fits.append(Fit(mid, best, best * per))
        else:
            too_big.append(Fit(mid, small, small * per))
    fits.sort(key=lambda f: -f.parameters)
    return FitResult(gigabytes, bits, tuple(fits), tuple(too_big), tuple(unknown), rule)


_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*([KMBT])\b", re.IGNORECASE)
_SCALE = {"k": 1e3, "m": 1e6, "b": 1e9, "t": 1e12}


def parameter_counts(texts: Iterable[str]) -> tuple[float, ...]:
    """Counts from the model files' size texts: "7B", "46.7B total (12.9B active)", "125M to
    175B". The first figure of each text is the size (for a mixture of experts, the total,
    which is what memory needs); a range gives both ends."""
    out: list[float] = []
    for text in texts:
        found = _SIZE.findall(text)
        if not found:
            continue
        picked = found[:2] if re.search(r"\bto\b", text) else found[:1]
        out.extend(float(n) * _SCALE[u.casefold()] for n, u in picked)
    return tuple(out)


def _count(n: float) -> str:
    for unit, scale in (("T", 1e12), ("B", 1e9), ("M", 1e6)):
        if n >= scale:
            return f"{n / scale:g}{unit}"
    return f"{n:g}"
