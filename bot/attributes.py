"""Typed facts that questions compare and filter on: sizes as numbers, dates as (year, month).

"Which models have more than 100B parameters?" and "is BERT older than GPT-2?" need numbers,
not the text a model card prints; the text shown ("110M (Base)") is rendered from these.
"""

from __future__ import annotations

import re

from .values import value

_UNITS = {"k": 1e3, "m": 1e6, "b": 1e9, "t": 1e12, "thousand": 1e3, "million": 1e6,
          "billion": 1e9, "trillion": 1e12, "bn": 1e9, "mn": 1e6}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(k|m|b|t|bn|mn|thousand|million|billion|trillion)\s*$",
                   re.IGNORECASE)
_LABELLED = re.compile(r"^\s*([^()]+?)\s*(?:\(([^()]*)\))?\s*$")


@value
class Size:
    """One published size of a model: total parameters, and active ones for mixture-of-experts."""

    total: float
    active: float | None = None
    label: str = ""
    text: str = ""  # the total as the model card writes it ("0.5B", "1550M"), if given

    def render(self) -> str:
        text = self.text or format_count(self.total)
        if self.active is not None:
            text += f" total, {format_count(self.active)} active"
        return f"{text} ({self.label})" if self.label else text


def parse_count(text: str) -> float | None:
    """ "7B" -> 7e9, "1.5 trillion" -> 1.5e12, "110M" -> 1.1e8; None when it is not a count."""
    m = _SIZE.match(text)
    if not m:
        return None
    return float(m.group(1)) * _UNITS[m.group(2).lower()]


def parse_size(text: str) -> Size | None:
    """ "110M (Base)" -> Size(1.1e8, label="Base"); None when the text is not a size."""
    m = _LABELLED.match(text)
    if not m:
        return None
    total = parse_count(m.group(1))
    if total is None or total <= 0:
        return None
    return Size(total, None, (m.group(2) or "").strip(), m.group(1).replace(" ", ""))


def format_count(n: float) -> str:
    """1.1e8 -> "110M", 1.75e11 -> "175B", 1.6e12 -> "1.6T"."""
    for unit, scale in (("T", 1e12), ("B", 1e9), ("M", 1e6), ("K", 1e3)):
        if n >= scale:
            value = n / scale
            text = f"{value:.2f}".rstrip("0").rstrip(".")
            return f"{text}{unit}"
    return f"{n:g}"


def render_sizes(sizes: tuple[Size, ...]) -> str:
    """ "110M (Base) and 340M (Large)"; "" when no size is published."""
    items = [s.render() for s in sizes]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def size_named(sizes: tuple[Size, ...], count: float) -> Size | None:
    """The published size a name's number stands for ("Mistral 7B": 7.3B; "Llama 2 13B"),
    within a tenth of it; None when the model has no such size."""
    return next((s for s in sizes if abs(s.total - count) <= 0.1 * count
                 or (s.active is not None and abs(s.active - count) <= 0.1 * count)), None)


def largest(sizes: tuple[Size, ...]) -> float | None:
    return max((s.total for s in sizes), default=None)


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def render_date(year: int | None, month: int | None) -> str:
    """ "July 2023", "2019", or "" when unknown."""
    if year is None:
        return ""
    return f"{MONTHS[month - 1]} {year}" if month else str(year)


def date_key(year: int | None, month: int | None) -> float | None:
    """A sortable release date; a year without a month sorts at its middle, never guessed
    earlier or later than the year itself."""
    if year is None:
        return None
    return year + ((month - 0.5) / 12 if month else 0.5)
