"""Where the chat keeps the user's things: question history, settings, saved transcripts.

Files live in the user's data directory: ``$TAXOBOT_DATA_DIR`` if set (tests use it),
else ``$XDG_DATA_HOME/taxobot``, else ``~/.local/share/taxobot``.

Every write is atomic (a temporary file in the same directory, then ``os.replace``), so a
crash never leaves half a file. A damaged JSON file is renamed aside to
``NAME.corrupt-<timestamp>`` and reported in :attr:`Storage.warnings`; it is never fatal.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HISTORY_FILE = "history.json"
SETTINGS_FILE = "settings.json"
HISTORY_LIMIT = 1000


def data_dir() -> Path:
    """The directory for taxobot's user data (not created here)."""
    override = os.environ.get("TAXOBOT_DATA_DIR")
    if override:
        return Path(override).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local",
                                                           "share")
    return Path(base) / "taxobot"


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically: temp file in the same directory, then replace."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class Storage:
    """JSON files in one directory, read forgivingly and written atomically."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root is not None else data_dir()
        self.warnings: list[str] = []
        """Problems met while reading (damaged files set aside); the app shows them."""

    def path(self, name: str) -> Path:
        return self.root / name

    def read_json(self, name: str, default: Any, valid: Callable[[Any], bool]) -> Any:
        """The parsed contents of ``name``, or ``default`` if missing or damaged."""
        path = self.path(name)
        try:
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return default
        except OSError as err:
            self.warnings.append(f"Could not read {path}: {err.strerror or err}")
            return default
        try:
            data = json.loads(raw)
        except ValueError:
            data = _INVALID
        if data is _INVALID or not valid(data):
            self._set_aside(path)
            return default
        return data

    def write_json(self, name: str, data: Any) -> Path:
        path = self.path(name)
        atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return path

    def _set_aside(self, path: Path) -> None:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = path.with_name(f"{path.name}.corrupt-{stamp}")
        try:
            os.replace(path, aside)
        except OSError as err:
            self.warnings.append(f"{path} is damaged and could not be moved aside: {err}")
        else:
            self.warnings.append(f"{path.name} was damaged; set aside as {aside.name}. "
                                 "Starting afresh.")

    # -- history ---------------------------------------------------------------------------

    def load_history(self) -> list[str]:
        data = self.read_json(HISTORY_FILE, {"entries": []}, _valid_history)
        return list(data["entries"])[-HISTORY_LIMIT:]

    def save_history(self, entries: list[str]) -> None:
        self.write_json(HISTORY_FILE, {"version": 1, "entries": entries[-HISTORY_LIMIT:]})

    # -- settings --------------------------------------------------------------------------

    def load_settings(self) -> dict[str, Any]:
        return dict(self.read_json(SETTINGS_FILE, {}, lambda d: isinstance(d, dict)))

    def save_settings(self, settings: dict[str, Any]) -> None:
        self.write_json(SETTINGS_FILE, settings)


_INVALID = object()


def _valid_history(data: Any) -> bool:
    return (isinstance(data, dict) and isinstance(data.get("entries"), list)
            and all(isinstance(e, str) for e in data["entries"]))
