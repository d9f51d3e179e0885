"""A compiled cache of the loaded data, so start-up skips YAML parsing and index building.

The key covers the Python version, the package version, the code files' size and time, and
the *contents* of every data file (path, size and a CRC-32 of its bytes), so any edit to
knowledge/, intents/ or a user file makes a new key, even one that keeps size and time
(``cp -p``, ``rsync -t``); so does any install or edit of bot/. The cache lives in the
user's cache folder (``$TAXOBOT_CACHE_DIR``, else ``$XDG_CACHE_HOME/taxobot``, else
``~/.cache/taxobot``), is written atomically, and is only ever a speed-up: a missing,
unreadable, damaged or stale file means building from YAML as usual. Set
``TAXOBOT_CACHE_DIR=off`` to disable it.

A file is ``MAGIC``, the whole key (compared on load), a checksum of the pickled bytes
(checked before unpickling: a damaged or edited file is never served), then the pickle.
The last MAX_ENTRIES keys are kept (alternating two knowledge sets rebuilds neither), and
temporary files left by a killed write are removed once stale.

zlib's CRC-32 is used rather than a cryptographic hash: over the bundled data (300 KB) it
costs about 0.8 ms more than the old size-and-time key at start-up, where importing
hashlib alone costs more. The pickle's own check (a CRC-32, 1.6 ms; with adler32 as well it
was 2.9 ms) reads its 4 MB once more, in chunks, before it is unpickled straight from the
file.
The cache is the user's own file in the user's own folder, so it guards against accidents
(a stale key, a torn or edited file), not against an attacker who can write there.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import stat
import sys
import time
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

FORMAT = 6
SUFFIX = ".pickle"
MAGIC = b"taxobot-cache\x00"
MAX_ENTRIES = 4
STALE_TMP_SECONDS = 600.0
"""A write takes well under a second: a temporary file this old was left by a killed one."""


def cache_dir() -> Path | None:
    explicit = os.environ.get("TAXOBOT_CACHE_DIR")
    if explicit is not None:
        return None if explicit.strip().lower() in ("", "off", "0", "none") else Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "taxobot"


def _open_regular(path: str) -> tuple[int, os.stat_result] | None:
    """An open descriptor and its stat, for a regular file only: a FIFO is never waited on
    (opened without blocking), a device never read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
    except OSError:
        info = None
    if info is None or not stat.S_ISREG(info.st_mode):
        os.close(fd)
        return None
    return fd, info


def _read_regular(path: str, limit: int = -1) -> bytes | os.stat_result | None:
    """The file's bytes; None for anything but a regular file; its stat alone when it is
    over ``limit`` bytes."""
    opened = _open_regular(path)
    if opened is None:
        return None
    fd, info = opened
    try:
        if 0 <= limit < info.st_size:
            return info
        chunks = []
        while chunk := os.read(fd, max(info.st_size + 1, 65536)):
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


def _checksum(data: bytes | memoryview) -> str:
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


MAX_HASHED_BYTES = 64 * 2**20
"""Past this a file is keyed by size and time alone: the loader refuses it anyway."""


def _stat(path: str) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return f"{path}|missing"
    return f"{path}|{st.st_size}|{st.st_mtime_ns}"


def _stamp(path: str) -> str:
    data = _read_regular(path, MAX_HASHED_BYTES)
    if data is None:  # missing, or not a file (/dev/zero, a FIFO): never read, never waited on
        return f"{path}|not a file"
    if isinstance(data, os.stat_result):
        return f"{path}|{data.st_size}|{data.st_mtime_ns}"
    return f"{path}|{len(data)}|{zlib.crc32(data):08x}"


def cache_key(files: Iterable[Path], extra: str = "") -> str:
    """Everything a compiled value depends on, as one string (compared whole on load)."""
    from . import __version__

    here = os.path.dirname(os.path.realpath(__file__))
    code = sorted(e.path for e in os.scandir(here) if e.name.endswith(".py"))
    parts = [f"{FORMAT}|{sys.version}|{__version__}|{extra}"]
    parts += [_stat(p) for p in code]  # the pickled classes' code: changed by installs
    parts += [_stamp(os.path.abspath(p)) for p in files]
    return "\n".join(parts)


def _file(folder: Path, key: str) -> Path:
    return folder / f"{_checksum(key.encode('utf-8', 'surrogateescape'))}{SUFFIX}"


def _payload_check(crc: int) -> bytes:
    """The 8 bytes written before the pickle: its CRC-32 in hex."""
    return f"{crc:08x}".encode("ascii")


def load(key: str) -> Any | None:
    """The value stored under ``key``, or None. The file is read twice from the page cache
    (its checksum in 1 MB chunks, then the pickle streamed) rather than held whole while
    it is unpickled: 4 MB less at the peak of a one-shot answer, for ~1 ms."""
    folder = cache_dir()
    if folder is None:
        return None
    want = key.encode("utf-8", "surrogateescape")
    path = _file(folder, key)
    opened = _open_regular(str(path))
    if opened is None:
        return None
    try:
        with os.fdopen(opened[0], "rb") as fh:
            head = fh.read(len(MAGIC) + 4)
            if not head.startswith(MAGIC) or len(head) < len(MAGIC) + 4:
                return None
            size = int.from_bytes(head[len(MAGIC):], "little")
            if size != len(want) or fh.read(size) != want:
                return None  # another key with the same checksum: build again
            check = fh.read(8)
            start = fh.tell()
            crc = 0
            while chunk := fh.read(1 << 20):
                crc = zlib.crc32(chunk, crc)
            if check != _payload_check(crc):
                return None  # torn or edited: never unpickled
            fh.seek(start)
            # The collector off while ~100,000 long-lived objects are made: it would walk
            # them (and, in the terminal chat, every widget) dozens of times for nothing.
            collecting = gc.isenabled()
            gc.disable()
            try:
                value = pickle.load(fh)  # noqa: S301 - our own file, checked, in our own cache
            finally:
                if collecting:
                    if not gc.get_freeze_count():
                        # The ~20,000 new long-lived objects go straight to the oldest
                        # generation (a list splice), rather than being walked by the next
                        # young collection (~10 ms) and the one after. Only when nothing is
                        # frozen: unfreeze would release what a caller froze.
                        gc.freeze()
                        gc.unfreeze()
                    gc.enable()
        with contextlib.suppress(OSError):
            os.utime(path)  # most recently used: kept longest
        return value
    except Exception:  # noqa: BLE001 - any trouble just means "build it again"
        return None


def _tidy(folder: Path, keep: str) -> None:
    """Remove stale temporary files and all but the newest entries (room for one more)."""
    now = time.time()
    entries: list[tuple[float, Path]] = []
    for entry in os.scandir(folder):
        with contextlib.suppress(OSError):
            mtime = entry.stat(follow_symlinks=False).st_mtime
            if entry.name.endswith(".tmp") and now - mtime > STALE_TMP_SECONDS:
                os.unlink(entry.path)
            elif entry.name.endswith(SUFFIX) and entry.name != keep:
                entries.append((mtime, Path(entry.path)))
    for _, old in sorted(entries, reverse=True)[MAX_ENTRIES - 1:]:
        with contextlib.suppress(OSError):
            old.unlink()


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
        _tidy(folder, target.name)
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(MAGIC + len(data).to_bytes(4, "little") + data)
            fh.write(_payload_check(zlib.crc32(payload)))
            fh.write(payload)
        os.replace(tmp, target)
    except Exception:  # noqa: BLE001 - a read-only home must not stop the bot
        if tmp:
            with contextlib.suppress(Exception):
                os.unlink(tmp)
