"""Safe YAML loading that remembers line numbers, so every problem can name file and line.

The C loader is used when PyYAML has it (about six times faster). Only plain YAML types are
constructed: a tag asking for a Python object is refused, as is a duplicate key.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from pathlib import Path
from typing import Any

import yaml

from .problems import DataError as DataError
from .problems import Problem as Problem

try:
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader

MAX_FILE_BYTES = 5 * 1024 * 1024


class LineDict(dict[str, Any]):
    """A mapping that knows the line it started on."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of_key(self, key: str) -> int:
        lines: dict[str, int] = getattr(self, "key_lines", {})
        return lines.get(key, self.line)


class LineList(list[Any]):
    """A sequence that knows the line of each of its items, scalars included."""

    lines: list[int]


class _LineLoader(_BaseLoader):  # type: ignore[misc]
    pass


def _construct_map(loader: Any, node: yaml.MappingNode) -> Iterator[LineDict]:
    data = LineDict()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    yield data
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, Hashable):
            continue
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
        if isinstance(key, str):
            data.key_lines[key] = key_node.start_mark.line + 1
    data.update(loader.construct_mapping(node, deep=True))


def _construct_seq(loader: Any, node: yaml.SequenceNode) -> Iterator[LineList]:
    data = LineList()
    data.lines = [item.start_mark.line + 1 for item in node.value]
    yield data
    data.extend(loader.construct_sequence(node, deep=True))


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


def line_of(value: object, default: int = 1) -> int:
    return value.line if isinstance(value, LineDict) else default


def read_text(path: Path, shown: str) -> str:
    """Read a data file as UTF-8, turning size and encoding trouble into a Problem."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DataError([Problem(shown, 1, f"file is {size:,} bytes; the limit is "
                                              f"{MAX_FILE_BYTES:,}")])
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError([Problem(shown, 1, f"cannot read: {exc.strerror or exc}")]) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError([Problem(shown, line, f"not UTF-8 text (byte 0x{raw[exc.start]:02x} "
                                              f"at offset {exc.start})")]) from None


def load_yaml(path: Path, shown: str | None = None) -> Any:
    """Parse one YAML file; any failure becomes a DataError naming the file and line."""
    shown = shown or str(path)
    text = read_text(path, shown)
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or "invalid YAML"
        if "could not determine a constructor" in str(exc):
            what = f"tag not allowed (only plain YAML is accepted): {exc.problem}"
        raise DataError([Problem(shown, line, what)]) from None
    except yaml.YAMLError as exc:
        raise DataError([Problem(shown, 1, f"invalid YAML: {exc}")]) from None
