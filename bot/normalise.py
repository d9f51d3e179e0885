"""Stage 1: text to tokens. NFKC folds look-alike characters, casefold folds case.

Tokens are runs of letters and digits, so "GPT-4", "gpt 4" and "gpt4" all become spans whose
*compact key* (separators removed) is "gpt4": one look-up finds the name however it is typed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cached_property
from typing import NamedTuple

from .values import value

MAX_INPUT_CHARS = 2000
"""Longer input is cut here (the reply says so): a question is never this long."""

_TOKEN = re.compile(r"[^\W_]+")
_MARKUP = re.compile(r"\[/?[a-zA-Z@#$][^\[\]\n]{0,60}\]|\[/\]")
"""Rich/BBCode-style tags ("[bold]", "[/]", "[@click=...]"): read past, never interpreted."""
_SEPARATORS = re.compile(r"[\W_]+")
_SURROGATE = re.compile("[\ud800-\udfff]")


class Token(NamedTuple):
    """A named tuple rather than a frozen dataclass: every question makes a dozen, and a
    tuple is made in C."""

    text: str  # normalised (casefolded)
    raw: str  # as typed, NFKC only
    start: int  # offsets into NormalisedText.raw
    end: int


@value
class NormalisedText:
    raw: str
    text: str
    tokens: tuple[Token, ...]
    truncated: bool = False

    @cached_property
    def words(self) -> tuple[str, ...]:
        """The tokens' folded texts, made once for the stages that all read them."""
        return tuple(t.text for t in self.tokens)

    @cached_property
    def word_set(self) -> frozenset[str]:
        return frozenset(self.words)

    def span_raw(self, start: int, end: int) -> str:
        """The text as typed from token ``start`` to token ``end`` (exclusive)."""
        return self.raw[self.tokens[start].start : self.tokens[end - 1].end]

    def joined(self, start: int, end: int) -> bool:
        """True when tokens start..end are written without spaces ("gpt-4", "xlm-r")."""
        return not any(
            ch.isspace()
            for i in range(start, end - 1)
            for ch in self.raw[self.tokens[i].end : self.tokens[i + 1].start]
        )


    def splits(self, start: int, end: int) -> bool:
        """True when tokens start..end begin or end in the middle of a joined word."""
        def glued(i: int) -> bool:
            gap = self.raw[self.tokens[i].end : self.tokens[i + 1].start]
            return gap in ("-", "‐", "–", "_", "/")

        return (end < len(self.tokens) and glued(end - 1)) or (start > 0 and glued(start - 1))


def _blank(m: re.Match[str]) -> str:
    return " " * len(m.group())


def fold(text: str) -> str:
    """NFKC + casefold, with lone surrogates replaced so nothing downstream can choke."""
    if not text.isascii() and _SURROGATE.search(text):
        text = text.encode("utf-8", "replace").decode("utf-8", "replace")
    return unicodedata.normalize("NFKC", text).casefold()


def compact(text: str) -> str:
    """The look-up key of a name: folded, every separator removed ("GPT-4" -> "gpt4")."""
    return _SEPARATORS.sub("", fold(text))


ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$")  # "3rd", "10th": a place, never a name


def words(text: str) -> list[str]:
    """Folded word tokens, for matching features."""
    return _TOKEN.findall(fold(text))


def normalise(text: str) -> NormalisedText:
    truncated = len(text) > MAX_INPUT_CHARS
    if truncated:
        text = text[:MAX_INPUT_CHARS]
    ascii_only = text.isascii()
    if not ascii_only and _SURROGATE.search(text):
        text = text.encode("utf-8", "replace").decode("utf-8", "replace")
    raw = text if ascii_only else unicodedata.normalize("NFKC", text)
    if len(raw) > MAX_INPUT_CHARS:  # NFKC can expand a character up to 18-fold
        raw, truncated = raw[:MAX_INPUT_CHARS], True
    # Tags are blanked to spaces of the same length, so offsets into ``raw`` stay true.
    readable = _MARKUP.sub(_blank, raw) if "[" in raw else raw
    tokens = tuple(
        Token(g.casefold(), g, m.start(), m.end())
        for m in _TOKEN.finditer(readable) for g in (m.group(),)
    )
    return NormalisedText(raw, raw.casefold(), tokens, truncated)
