"""A compiled cache of the loaded data, so start-up skips YAML parsing and index building.

The key covers the Python version, the package version and every code and data file's path,
size and modification time, so any edit to bot/, knowledge/, intents/ or a user file makes a
new key. The cache lives in the user's cache folder (``$TAXOBOT_CACHE_DIR``, else
``$XDG_CACHE_HOME/taxobot``, else ``~/.cache/taxobot``), is written atomically, and is only
ever a speed-up: a missing, unreadable or stale file means building from YAML as usual. Set
``TAXOBOT_CACHE_DIR=off`` to disable it.

The file name is a checksum of the key, and the file starts with the whole key, which a load
compares: a checksum collision can only cost a rebuild, never a wrong answer. That keeps a
cryptographic hash (and its import, a few ms of every cold start) off the start-up path.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

FORMAT = 2
SUFFIX = ".pickle"


def cache_dir() -> Path | None:
    explicit = os.environ.get("TAXOBOT_CACHE_DIR")
    if explicit is not None:
        return None if explicit.strip().lower() in ("", "off", "0", "none") else Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "taxobot"


def _stamp(path: str) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return f"{path}|missing"
    return f"{path}|{st.st_size}|{st.st_mtime_ns}"


def cache_key(files: Iterable[Path], extra: str = "") -> str:
    """Everything a compiled value depends on, as one string (compared whole on load)."""
    from . import __version__

    here = os.path.dirname(os.path.realpath(__file__))
    code = sorted(e.path for e in os.scandir(here) if e.name.endswith(".py"))
    parts = [f"{FORMAT}|{sys.version}|{__version__}|{extra}"]
    parts += [_stamp(p) for p in code]  # the pickled classes' code
    parts += [_stamp(os.path.abspath(p)) for p in files]
    return "\n".join(parts)


def _file(folder: Path, key: str) -> Path:
    data = key.encode("utf-8", "surrogateescape")
    return folder / f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}{SUFFIX}"


def load(key: str) -> Any | None:
    folder = cache_dir()
    if folder is None:
        return None
    want = key.encode("utf-8", "surrogateescape")
    try:
        with open(_file(folder, key), "rb") as fh:
            size = int.from_bytes(fh.read(4), "little")
            if size != len(want) or fh.read(size) != want:
                return None  # another key with the same checksum: build again
            return pickle.load(fh)  # noqa: S301 - our own file, in the user's own cache
    except Exception:  # noqa: BLE001 - any trouble just means "build it again"
        return None


def store(key: str, value: Any) -> None:
    folder = cache_dir()
    if folder is None:
        return
    import tempfile  # writing happens once per key; keep it off the start-up path

    tmp = ""
    data = key.encode("utf-8", "surrogateescape")
    target = _file(folder, key)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob(f"*{SUFFIX}"):
            if old.name != target.name:
                with contextlib.suppress(OSError):
                    old.unlink()
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(len(data).to_bytes(4, "little"))
            fh.write(data)
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target)
    except Exception:  # noqa: BLE001 - a read-only home must not stop the bot
        if tmp:
            with contextlib.suppress(Exception):
                os.unlink(tmp)
