"""Safe YAML loading that remembers line numbers, so every problem can name file and line.

The C loader is used when PyYAML has it (about six times faster). Only plain YAML types are
constructed: a tag asking for a Python object is refused, as is a duplicate key, and so is a
document whose aliases stand for more than MAX_ALIAS_NODES nodes ("billion laughs": 500
bytes can stand for a billion nodes). Only a regular file, or a pipe the process was
handed (``<(cat f)``), is read, and never more than MAX_FILE_BYTES of it: ``/dev/zero`` or
a named FIFO with no writer is refused by name instead of filling memory or waiting forever.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Hashable, Iterator
from pathlib import Path
from typing import Any

import yaml

from .datafiles import MAX_FILE_BYTES, inherited_pipe
from .problems import DataError as DataError
from .problems import Problem as Problem

try:
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader

MAX_ALIAS_NODES = 100_000
"""More nodes than aliases ever stand for in a real file (a shared list of categories for a
few hundred models is a few thousand); a bomb stands for billions."""
_ANCHOR = re.compile(r"(?:^|[\s\[{,:-])&[^\s\[\]{},]")
_ALIAS = re.compile(r"(?:^|[\s\[{,:-])\*[^\s\[\]{},]")


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


def _read_capped(path: Path, shown: str) -> bytes:
    try:
        info = os.stat(path)
    except OSError as exc:
        raise DataError([Problem(shown, 1, f"cannot read: {exc.strerror or exc}")]) from None
    if stat.S_ISFIFO(info.st_mode) and not inherited_pipe(path):
        raise DataError([Problem(shown, 1, "is a FIFO (named pipe), not a file: reading it "
                                           "could wait forever; give a regular file, or "
                                           "<(cat FIFO)")])
    if not (stat.S_ISREG(info.st_mode) or stat.S_ISFIFO(info.st_mode)):
        kind = "a directory" if stat.S_ISDIR(info.st_mode) else "a device or socket"
        raise DataError([Problem(shown, 1, f"is {kind}, not a file")])
    if info.st_size > MAX_FILE_BYTES:
        raise DataError([Problem(shown, 1, f"file is {info.st_size:,} bytes; the limit is "
                                          f"{MAX_FILE_BYTES:,}")])
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)  # a pipe's size is unknown: cap what is read
    except OSError as exc:
        raise DataError([Problem(shown, 1, f"cannot read: {exc.strerror or exc}")]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise DataError([Problem(shown, 1, f"file is over the limit of {MAX_FILE_BYTES:,} "
                                          "bytes")])
    return raw


def read_text(path: Path, shown: str) -> str:
    """Read a data file as UTF-8, turning kind, size and encoding trouble into a Problem."""
    raw = _read_capped(path, shown)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError([Problem(shown, line, f"not UTF-8 text (byte 0x{raw[exc.start]:02x} "
                                              f"at offset {exc.start})")]) from None


def _check_expansion(text: str, shown: str) -> None:
    """Refuse aliases that stand for more than MAX_ALIAS_NODES nodes in all, counted on the
    event stream (which stays as small as the text) before anything is built. Text without
    an anchor and an alias (every bundled file) skips the count."""
    if not (_ANCHOR.search(text) and _ALIAS.search(text)):
        return
    loader = _BaseLoader(text)
    sizes: dict[str, int] = {}
    stack: list[list[Any]] = [[None, 0]]  # [anchor, expanded nodes so far] per open node
    by_alias = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent):
                size = sizes.get(event.anchor or "", 1)
                stack[-1][1] += size
                by_alias += size
                if by_alias > MAX_ALIAS_NODES:
                    raise DataError([Problem(
                        shown, event.start_mark.line + 1 if event.start_mark else 1,
                        f"alias *{event.anchor} takes the aliases past {MAX_ALIAS_NODES:,} "
                        "nodes: an alias bomb, refused")])
            elif isinstance(event, yaml.ScalarEvent):
                if event.anchor:
                    sizes[event.anchor] = 1
                stack[-1][1] += 1
            elif isinstance(event, yaml.CollectionStartEvent):
                stack.append([event.anchor, 1])
            elif isinstance(event, yaml.CollectionEndEvent):
                anchor, size = stack.pop()
                if anchor:
                    sizes[anchor] = size
                stack[-1][1] += size
    except yaml.YAMLError:
        return  # the real load reports it, with its line
    finally:
        loader.dispose()


def load_yaml(path: Path, shown: str | None = None) -> Any:
    """Parse one YAML file; any failure becomes a DataError naming the file and line."""
    shown = shown or str(path)
    text = read_text(path, shown)
    _check_expansion(text, shown)
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except RecursionError:
        raise DataError([Problem(shown, 1, "nested too deeply to read")]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or "invalid YAML"
        if "could not determine a constructor" in str(exc):
            what = f"tag not allowed (only plain YAML is accepted): {exc.problem}"
        raise DataError([Problem(shown, line, what)]) from None
    except yaml.YAMLError as exc:
        raise DataError([Problem(shown, 1, f"invalid YAML: {exc}")]) from None
