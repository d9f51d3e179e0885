"""A compiled cache of the loaded data, so start-up skips YAML parsing and index building.

The key covers the package version and every data file's path, size and modification time,
so any edit to knowledge/, intents/ or a user file makes a new key. The cache lives in the
user's cache folder (``$TAXOBOT_CACHE_DIR``, else ``$XDG_CACHE_HOME/taxobot``, else
``~/.cache/taxobot``), is written atomically, and is only ever a speed-up: a missing,
unreadable or stale file means building from YAML as usual. Set ``TAXOBOT_CACHE_DIR=off``
to disable it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

FORMAT = 1


def cache_dir() -> Path | None:
    explicit = os.environ.get("TAXOBOT_CACHE_DIR")
    if explicit is not None:
        return None if explicit.strip().lower() in ("", "off", "0", "none") else Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "taxobot"


def cache_key(files: Iterable[Path], extra: str = "") -> str:
    from . import __version__

    h = hashlib.sha256(f"{FORMAT}|{__version__}|{extra}".encode())
    code = sorted(Path(__file__).resolve().parent.glob("*.py"))  # the pickled classes' code
    for path in [*code, *files]:
        try:
            st = path.stat()
        except OSError:
            h.update(f"{path}|missing".encode())
            continue
        h.update(f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}".encode())
    return h.hexdigest()[:32]


def load(key: str) -> Any | None:
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with open(folder / f"{key}.pickle", "rb") as fh:
            return pickle.load(fh)  # noqa: S301 - our own file, in the user's own cache
    except Exception:  # noqa: BLE001 - any trouble just means "build it again"
        return None


def store(key: str, value: Any) -> None:
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.pickle"):
            if old.stem != key:
                with contextlib.suppress(OSError):
                    old.unlink()
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, folder / f"{key}.pickle")
    except Exception:  # noqa: BLE001 - a read-only home must not stop the bot
        with contextlib.suppress(Exception):
            os.unlink(tmp)
