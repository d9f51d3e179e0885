"""Inline completion for the chat input: the last word(s) typed, against known names."""

from __future__ import annotations

import re
from collections.abc import Iterable

from textual.suggester import Suggester

_WORD = re.compile(r"\S+")
MAX_WORDS = 4
"""The longest name tried spans this many typed words ("masked language mod…")."""
MIN_FRAGMENT = 2


class NameSuggester(Suggester):
    """Completes the last word or words of the input with a model, category or dimension name.

    Matching is case-insensitive, the words typed before the name are kept as typed, and the
    name takes its canonical spelling when accepted: ``what is ber`` -> ``what is BERT``.
    A leading ``/`` completes slash commands instead.
    """

    def __init__(self, names: Iterable[str], commands: Iterable[str] = ()) -> None:
        # case_sensitive=True so the value arrives as typed; we fold for matching ourselves.
        super().__init__(use_cache=True, case_sensitive=True)
        ordered = sorted(set(names), key=lambda n: (len(n), n.casefold(), n))
        self._names = [(n.casefold(), n) for n in ordered]
        self._commands = sorted(commands)

    async def get_suggestion(self, value: str) -> str | None:
        return self.complete(value)

    def complete(self, value: str) -> str | None:
        if not value or value[-1].isspace():
            return None
        if value.startswith("/"):
            if " " in value:
                return None
            return next((c for c in self._commands
                         if c.startswith(value.casefold()) and c != value), None)
        starts = [m.start() for m in _WORD.finditer(value)][-MAX_WORDS:]
        for start in starts:  # longest fragment first
            raw = value[start:].lstrip("\"'(«“")
            fragment = raw.casefold()
            if len(fragment) < MIN_FRAGMENT:
                continue
            offset = len(value) - len(raw)
            for folded, name in self._names:
                if len(folded) > len(fragment) and folded.startswith(fragment):
                    return value[:offset] + name
        return None
