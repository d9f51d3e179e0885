"""Data-file problems, kept apart from the YAML reader so that importing them is free.

The one-shot command must be able to catch a DataError without importing PyYAML: when the
compiled cache answers, no YAML is read at all.
"""

from __future__ import annotations

from .values import value


@value
class Problem:
    """One thing wrong with a data file, printable as ``file:line: message``."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class DataError(Exception):
    """Raised when data files are refused; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in problems))
