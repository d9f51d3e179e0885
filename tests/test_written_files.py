"""Every file the app writes, under any bytes, any kind of file at its path, and two writers
at once (issue 14): the app starts, nothing of the user's is lost, and a bad file is set aside
with a message that names it. History and settings here; transcripts via atomic_write_text;
the compiled cache in test_cache_integrity.py."""

from __future__ import annotations

import json
import os
import stat
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tui.storage import HISTORY_FILE, SETTINGS_FILE, NotAFile, Storage, atomic_write_text

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

# Bytes as they come: random, near-valid JSON, valid JSON of the wrong shape, deep nesting.
JSONISH = st.one_of(
    st.binary(max_size=300),
    st.builds(lambda e: json.dumps({"version": 1, "entries": e}).encode(),
              st.lists(st.text(max_size=20), max_size=5)),
    st.builds(lambda b, cut: b[:cut], st.just(b'{"version":1,"entries":["caf\xe9","x"]}'),
              st.integers(0, 40)),
    st.builds(lambda n: b"[" * n + b"]" * n, st.integers(1, 300_000)),
    st.builds(lambda v: json.dumps(v).encode(),
              st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                           lambda c: st.lists(c, max_size=3)
                           | st.dictionaries(st.text(max_size=5), c, max_size=3))),
)


def _load(storage: Storage, name: str) -> object:
    return storage.load_history() if name == HISTORY_FILE else storage.load_settings()


@SETTINGS
@given(content=JSONISH, name=st.sampled_from([HISTORY_FILE, SETTINGS_FILE]))
@example(content=b'{"":0,"entries":["q"]}', name=HISTORY_FILE)  # found by hypothesis
def test_any_bytes_in_a_data_file_load_or_are_set_aside_whole(content: bytes, name: str) -> None:
    root = Path(tempfile.mkdtemp(prefix="taxobot-prop-"))
    (root / name).write_bytes(content)
    storage = Storage(root)
    data = _load(storage, name)
    aside = list(root.glob(f"{name}.corrupt-*"))
    if aside:  # set aside: every byte kept, and the message names the file it went to
        assert [p.read_bytes() for p in aside] == [content]
        assert any(str(aside[0]) in w for w in storage.warnings), storage.warnings
        assert data in ([], {})
    else:  # read: what the file said
        assert (root / name).read_bytes() == content and storage.warnings == []
    # and the app goes on writing it, keeping what it read
    if name == HISTORY_FILE:
        assert isinstance(data, list)
        storage.save_history([*data, "q"])
        # a question repeated right after itself is kept once (as a shell's ignoredups)
        expected = data if data and data[-1] == "q" else [*data, "q"]
        assert Storage(root).load_history() == expected[-1000:]
    else:
        assert isinstance(data, dict)
        storage.save_settings({**data, "k": 1})
        assert Storage(root).load_settings() == {**data, "k": 1}


def _fifo(p: Path) -> None:
    os.mkfifo(p)


def _directory(p: Path) -> None:
    p.mkdir()
    (p / "inside").write_text("keep me")


def _to_dev_null(p: Path) -> None:
    p.symlink_to("/dev/null")


def _dangling(p: Path) -> None:
    p.symlink_to(p.parent / "nowhere" / "x.json")


def _huge(p: Path) -> None:
    with open(p, "wb") as f:
        f.truncate(17 * 2**20)


KINDS: dict[str, Callable[[Path], None]] = {
    "fifo": _fifo, "directory": _directory, "symlink-to-dev-null": _to_dev_null,
    "dangling-symlink": _dangling, "huge-sparse": _huge,
}


@pytest.mark.parametrize("name", [HISTORY_FILE, SETTINGS_FILE])
@pytest.mark.parametrize("kind", list(KINDS))
def test_any_kind_of_file_at_a_data_path_never_hangs_or_is_destroyed(
        tmp_path: Path, kind: str, name: str) -> None:
    path = tmp_path / name
    KINDS[kind](path)
    storage = Storage(tmp_path)
    assert _load(storage, name) in ([], {})
    if kind == "dangling-symlink":  # nothing there yet: a write goes where the link points
        storage.save_history(["q"]) if name == HISTORY_FILE else storage.save_settings({"k": 1})
        assert path.is_symlink() and path.resolve().is_file()
        return
    aside = list(tmp_path.glob(f"{name}.corrupt-*"))
    assert len(aside) == 1 and any(str(aside[0]) in w for w in storage.warnings)
    if kind == "directory":
        assert (aside[0] / "inside").read_text() == "keep me"
    if kind == "symlink-to-dev-null":
        assert aside[0].is_symlink() and stat.S_ISCHR(os.stat("/dev/null").st_mode)
    storage.save_history(["q"]) if name == HISTORY_FILE else storage.save_settings({"k": 1})
    assert path.is_file() and not path.is_symlink()


def test_a_symlinked_history_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "elsewhere" / "h.json"
    real.parent.mkdir()
    real.write_text(json.dumps({"version": 1, "entries": ["old"]}))
    (tmp_path / HISTORY_FILE).symlink_to(real)
    storage = Storage(tmp_path)
    entries = storage.load_history()
    entries.append("new")
    storage.save_history(entries)
    assert (tmp_path / HISTORY_FILE).is_symlink()
    assert json.loads(real.read_text())["entries"] == ["old", "new"]


def test_two_chats_asking_in_turn_keep_all_questions(tmp_path: Path) -> None:
    one, two = Storage(tmp_path), Storage(tmp_path)
    h1, h2 = one.load_history(), two.load_history()
    for storage, history, q in ((one, h1, "A"), (two, h2, "B"), (one, h1, "C")):
        history.append(q)
        storage.save_history(history)
    assert Storage(tmp_path).load_history() == ["A", "B", "C"]


def test_two_writers_at_once_lose_nothing(tmp_path: Path) -> None:
    def chat(n: int) -> None:
        storage = Storage(tmp_path)
        history = storage.load_history()
        for i in range(40):
            history.append(f"chat {n} question {i}")
            storage.save_history(history)

    threads = [threading.Thread(target=chat, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    saved = Storage(tmp_path).load_history()
    assert sorted(saved) == sorted(f"chat {n} question {i}" for n in range(3) for i in range(40))
    assert not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".*.tmp"))


def test_settings_changed_in_two_chats_are_both_kept(tmp_path: Path) -> None:
    one, two = Storage(tmp_path), Storage(tmp_path)
    s1, s2 = one.load_settings(), two.load_settings()
    s1["theme"] = "nord"
    one.save_settings(s1)
    s2["other"] = True
    two.save_settings(s2)
    assert Storage(tmp_path).load_settings() == {"theme": "nord", "other": True}


# -- transcripts: atomic_write_text ------------------------------------------------------------
@pytest.mark.parametrize("kind", ["fifo", "directory", "symlink-to-dev-null"])
def test_a_transcript_is_never_written_over_what_is_not_a_file(tmp_path: Path, kind: str
                                                               ) -> None:
    path = tmp_path / "t.md"
    KINDS[kind](path)
    with pytest.raises(NotAFile, match="not a file"):
        atomic_write_text(path, "x")
    with pytest.raises(NotAFile):
        atomic_write_text(path, "x", overwrite=False)


@SETTINGS
@given(old=st.binary(max_size=200), new=st.text(max_size=200))
def test_an_existing_transcript_is_kept_unless_replacing_is_asked(old: bytes, new: str) -> None:
    path = Path(tempfile.mkdtemp(prefix="taxobot-prop-")) / "t.md"
    path.write_bytes(old)
    with pytest.raises(FileExistsError):
        atomic_write_text(path, new, overwrite=False)
    assert path.read_bytes() == old
    atomic_write_text(path, new)
    assert path.read_bytes() == new.encode("utf-8")
    assert not list(path.parent.glob(".*.tmp"))
