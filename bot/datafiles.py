"""Where the bundled intents/ and knowledge/ folders live.

In a wheel they are packed as ``bot/_data/``; in a source checkout they sit beside ``bot/``.
Looking in both keeps ``pip install .`` and ``pip install -e .`` equally able to find them
from any working directory.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

_HERE = Path(__file__).resolve().parent
MAX_FILE_BYTES = 5 * 1024 * 1024
"""The most of one data file ever read, a pipe's included: a larger one is refused."""


def data_root() -> Path:
    packed = _HERE / "_data"
    if (packed / "knowledge").is_dir():
        return packed
    return _HERE.parent


def knowledge_dir() -> Path:
    return data_root() / "knowledge"


def intents_dir() -> Path:
    return data_root() / "intents"


def _files(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    # os.walk, not Path.rglob: this runs on every start, and rglob costs ~1 ms per folder.
    found = [Path(root, name) for root, _, names in os.walk(folder) for name in names
             if os.path.splitext(name)[1].lower() in suffixes]  # Models.YAML too
    return sorted(p for p in found if p.is_file())


def yaml_files(folder: Path) -> list[Path]:
    """Every YAML file under a folder, in a stable order so loading is deterministic."""
    return _files(folder, (".yaml", ".yml"))


def data_files(folder: Path) -> list[Path]:
    """YAML files plus the plain word lists beside them (what a cache key must cover)."""
    return _files(folder, (".yaml", ".yml", ".txt"))


def inherited_pipe(path: Path) -> bool:
    """A pipe handed to this process (``<(cat f)`` is ``/dev/fd/63``; ``/dev/stdin``): its
    writer exists, so reading it ends. A named FIFO elsewhere may never get a writer."""
    real = os.path.realpath(path)
    return str(path).startswith(("/dev/fd/", "/dev/std", "/proc/")) or real.startswith("/proc/")


def _is_inherited_pipe(path: Path) -> bool:
    try:
        return stat.S_ISFIFO(os.stat(path).st_mode) and inherited_pipe(path)
    except OSError:
        return False


@contextlib.contextmanager
def readable_twice(paths: list[Path]) -> Iterator[list[Path]]:
    """``paths``, with each pipe (``<(cat f.yaml)``) copied to a temporary file named after
    it, removed afterwards. A pipe can be read once, but loading reads a file twice (the
    cache key hashes it first) and a front end may check it before the engine loads it."""
    pipes = [p for p in paths if _is_inherited_pipe(p)]
    if not pipes:
        yield paths
        return
    import shutil
    import tempfile


    folder = tempfile.mkdtemp(prefix="taxobot-pipe-")
    try:
        out = []
        for p in paths:
            if p in pipes:
                copy = Path(folder, str(p).lstrip("/"))
                copy.parent.mkdir(parents=True, exist_ok=True)
                with open(p, "rb") as src:  # one byte past the limit: the load refuses it
                    copy.write_bytes(src.read(MAX_FILE_BYTES + 1))
                p = copy
            out.append(p)
        yield out
    finally:
        shutil.rmtree(folder, ignore_errors=True)
