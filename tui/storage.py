"""Where the chat keeps the user's things: question history, settings, saved transcripts.

Files live in the user's data directory: ``$TAXOBOT_DATA_DIR`` if set (tests use it),
else ``$XDG_DATA_HOME/taxobot``, else ``~/.local/share/taxobot``.

Nothing of the user's is ever lost to the app:
- every write is atomic (a temporary file beside the target, then ``os.replace``) and goes
  through a symlink to the file it names, keeping the link; a target that is not a regular
  file (a FIFO, a device, a directory) is refused, never replaced;
- a file that cannot be read back (not UTF-8, not JSON, nested too deep, too large, not a
  regular file) is renamed aside to ``NAME.corrupt-<timestamp>`` and named in
  :attr:`Storage.warnings`; it is never fatal;
- history and settings are merged with what is on disk, under a lock on the directory, so
  two chats open at once keep each other's questions.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks, writes stay atomic
    fcntl = None  # type: ignore[assignment]

HISTORY_FILE = "history.json"
SETTINGS_FILE = "settings.json"
HISTORY_LIMIT = 1000
MAX_DATA_BYTES = 16 * 2**20
"""A history of HISTORY_LIMIT long questions is well under 4 MB: a bigger file is not ours."""


def data_dir() -> Path:
    """The directory for taxobot's user data (not created here)."""
    override = os.environ.get("TAXOBOT_DATA_DIR")
    if override:
        return Path(override).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local",
                                                           "share")
    return Path(base) / "taxobot"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


class NotAFile(OSError):
    """The path names something that is not a regular file: writing would destroy it."""

    def __init__(self, path: Path, mode: int) -> None:
        super().__init__(errno.EINVAL, f"{path} is {_kind(mode)}, not a file; not replaced")


def atomic_write_text(path: Path, text: str, *, overwrite: bool = True) -> Path:
    """Write ``text`` to ``path`` atomically and return the file written.

    A symlink is followed (the file it names is replaced, the link kept); anything but a
    regular file is refused with :class:`NotAFile`. With ``overwrite=False`` an existing
    file is refused with ``FileExistsError``, even one created a moment before."""
    target = Path(os.path.realpath(path))
    try:
        old: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        old = None
    if old is not None and not stat.S_ISREG(old.st_mode):
        raise NotAFile(Path(path), old.st_mode)
    if old is not None and not overwrite:
        raise FileExistsError(errno.EEXIST, "a file is already there", str(path))
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if old is not None:
            os.chmod(tmp, stat.S_IMODE(old.st_mode))  # replacing keeps the file's permissions
        if overwrite:
            os.replace(tmp, target)
        else:
            _publish_new(tmp, target, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    return target


def _publish_new(tmp: str, target: Path, shown: Path) -> None:
    """Move ``tmp`` to ``target`` only if nothing is there: a hard link fails if it is."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise FileExistsError(errno.EEXIST, "a file is already there", str(shown)) from None
    except OSError:  # a file system without hard links
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, "a file is already there", str(shown)) from None
        os.replace(tmp, target)


class Storage:
    """JSON files in one directory, read forgivingly, written atomically and merged."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root is not None else data_dir()
        self.warnings: list[str] = []
        """Problems met (damaged files set aside); the app shows them."""
        self._history_synced = 0  # how many of the app's entries the file already has
        self._settings_base: dict[str, Any] = {}  # the settings as last read or written

    def path(self, name: str) -> Path:
        return self.root / name

    def read_json(self, name: str, default: Any, valid: Callable[[Any], bool]) -> Any:
        """The parsed contents of ``name``, or ``default`` if missing or damaged."""
        path = self.path(name)
        try:
            info = os.stat(path)
        except FileNotFoundError:
            return default
        except OSError as err:
            self.warnings.append(f"Could not read {path}: {err.strerror or err}")
            return default
        if not stat.S_ISREG(info.st_mode):
            self._set_aside(path, f"it is {_kind(info.st_mode)}")
            return default
        if info.st_size > MAX_DATA_BYTES:
            self._set_aside(path, f"it is {info.st_size:,} bytes, too large")
            return default
        try:
            raw = path.read_bytes()
        except OSError as err:
            self.warnings.append(f"Could not read {path}: {err.strerror or err}")
            return default
        try:
            data = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            self._set_aside(path, "it is not UTF-8 text")
            return default
        except (ValueError, RecursionError):
            self._set_aside(path, "it is not valid JSON")
            return default
        if not valid(data):
            self._set_aside(path, "it does not hold what taxobot writes there")
            return default
        return data

    def write_json(self, name: str, data: Any) -> Path:
        return atomic_write_text(self.path(name),
                                 json.dumps(data, ensure_ascii=False, indent=2) + "\n")

    def _set_aside(self, path: Path, reason: str) -> None:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = path.with_name(f"{path.name}.corrupt-{stamp}")
        n = 1
        while os.path.lexists(aside):
            n += 1
            aside = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        try:
            os.rename(path, aside)  # the entry itself: a symlink is moved, not its target
        except OSError as err:
            self.warnings.append(f"{path} could not be read ({reason}) and could not be "
                                 f"moved aside: {err.strerror or err}")
        else:
            self.warnings.append(f"{path.name} could not be read ({reason}); set aside as "
                                 f"{aside}. Starting afresh.")

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """An exclusive lock on the data directory itself (no lock file to leave behind)."""
        self.root.mkdir(parents=True, exist_ok=True)
        if fcntl is None:  # pragma: no cover
            yield
            return
        fd = os.open(self.root, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    # -- history ---------------------------------------------------------------------------

    def load_history(self) -> list[str]:
        data = self.read_json(HISTORY_FILE, {"entries": []}, _valid_history)
        entries = list(data["entries"])[-HISTORY_LIMIT:]
        self._history_synced = len(entries)
        return entries

    def save_history(self, entries: list[str]) -> None:
        """Add the entries appended since the last load or save to the file's own, so another
        chat's questions written meanwhile are kept."""
        with self._locked():
            merged = list(self.read_json(HISTORY_FILE, {"entries": []},
                                         _valid_history)["entries"])
            for entry in entries[self._history_synced:]:
                if not merged or merged[-1] != entry:
                    merged.append(entry)
            self.write_json(HISTORY_FILE, {"version": 1, "entries": merged[-HISTORY_LIMIT:]})
            self._history_synced = len(entries)

    # -- settings --------------------------------------------------------------------------

    def load_settings(self) -> dict[str, Any]:
        settings = dict(self.read_json(SETTINGS_FILE, {}, lambda d: isinstance(d, dict)))
        self._settings_base = dict(settings)
        return settings

    def save_settings(self, settings: dict[str, Any]) -> None:
        """Write the settings changed since the last load or save over the file's own."""
        with self._locked():
            merged = dict(self.read_json(SETTINGS_FILE, {}, lambda d: isinstance(d, dict)))
            merged.update({k: v for k, v in settings.items()
                           if k not in self._settings_base or self._settings_base[k] != v})
            self.write_json(SETTINGS_FILE, merged)
            self._settings_base = merged


def _valid_history(data: Any) -> bool:
    return (isinstance(data, dict) and isinstance(data.get("entries"), list)
            and all(isinstance(e, str) for e in data["entries"]))
