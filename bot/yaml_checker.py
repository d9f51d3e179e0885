"""Checks a YAML mapping's keys and values while turning it into values, collecting every
problem with its file and line: what the knowledge and concepts loaders build with."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from .yamlio import LineDict, LineList, Problem, line_of

_ID = re.compile(r"[a-z0-9][a-z0-9.\-]*")  # matched whole: "acme-lm\n" is not an id


class Checker:
    """Collects problems while turning YAML mappings into values."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, file: str, node: object, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(file, line if line is not None else line_of(node),
                                     message))

    def mapping(self, file: str, node: object, what: str, allowed: set[str],
                required: Sequence[str] = (), line: int | None = None) -> LineDict | None:
        if not isinstance(node, LineDict):
            self.add(file, node, f"{what}: expected a mapping, got {type(node).__name__}", line)
            return None
        for key in node:
            if key not in allowed:
                self.add(file, node, f"{what}: unknown key {key!r} "
                                     f"(allowed: {', '.join(sorted(allowed))})",
                         node.line_of_key(key))
        for key in required:
            if key not in node or node[key] in (None, ""):
                self.add(file, node, f"{what}: missing required field {key!r}")
        return node

    def text(self, file: str, node: LineDict, key: str, what: str) -> str:
        value = node.get(key, "")
        if value is None:
            return ""
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.add(file, node, f"{what}: {key!r} must be text, got {type(value).__name__}",
                     node.line_of_key(key))
            return ""
        return str(value)

    def texts(self, file: str, node: LineDict, key: str, what: str) -> tuple[str, ...]:
        value = node.get(key, [])
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(
            isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value
        ):
            self.add(file, node, f"{what}: {key!r} must be a list of text", node.line_of_key(key))
            return ()
        return tuple(str(v) for v in value)

    def ident(self, file: str, node: LineDict, what: str) -> str:
        value = self.text(file, node, "id", what)
        if value and not _ID.fullmatch(value):
            self.add(file, node, f"{what}: id {value!r} must be lowercase letters, digits, "
                                 "'.' or '-'")
        return value


def list_items(ck: Checker, file: str, node: LineDict, key: str) -> list[tuple[Any, int]]:
    """The entries of a list, each with its own line (scalars too)."""
    value = node.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        ck.add(file, node, f"{key!r} must be a list")
        return []
    lines = value.lines if isinstance(value, LineList) else [node.line] * len(value)
    return list(zip(value, lines, strict=True))
