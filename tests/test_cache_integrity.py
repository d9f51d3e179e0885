"""The compiled cache never serves a stale or damaged answer (issue 14, item 14), and any
bytes or any kind of file at its path only cost a rebuild."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import Bot, cache

MODEL = ("models:\n  - id: acme-lm\n    name: AcmeLM\n    developer: {dev}\n"
         "    summary: s.\n    reference: r\n")
QUESTION = "who developed AcmeLM?"


@pytest.fixture()
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("TAXOBOT_CACHE_DIR", str(folder))
    return folder


def test_an_edit_keeping_size_and_time_is_seen(cache_dir: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(MODEL.format(dev="AAAA"))
    stamp = mine.stat()
    assert "AAAA" in Bot(extra_knowledge=mine).ask(QUESTION).text
    mine.write_text(MODEL.format(dev="BBBB"))  # same length
    os.utime(mine, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # as cp -p / rsync -t leave it
    assert mine.stat().st_size == stamp.st_size
    assert "BBBB" in Bot(extra_knowledge=mine).ask(QUESTION).text


def test_a_same_length_edit_inside_the_cache_is_never_served(cache_dir: Path,
                                                             tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(MODEL.format(dev="AAAA"))
    Bot(extra_knowledge=mine)
    (entry,) = cache_dir.glob("*.pickle")
    data = entry.read_bytes()
    assert data.count(b"AAAA") == 1
    entry.write_bytes(data.replace(b"AAAA", b"EVIL"))
    assert "AAAA" in Bot(extra_knowledge=mine).ask(QUESTION).text


def test_several_knowledge_sets_are_kept_side_by_side(cache_dir: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(MODEL.format(dev="Acme"))
    Bot()
    Bot(extra_knowledge=mine)
    assert len(list(cache_dir.glob("*.pickle"))) == 2
    built: list[int] = []
    import bot.engine as engine

    real = engine._build
    monkeypatch.setattr(engine, "_build", lambda *a: built.append(1) or real(*a))
    for _ in range(3):  # alternating ask and ask --knowledge F
        Bot()
        Bot(extra_knowledge=mine)
    assert built == []


def test_only_the_most_recent_entries_are_kept(cache_dir: Path, tmp_path: Path) -> None:
    for i in range(cache.MAX_ENTRIES + 3):
        mine = tmp_path / f"m{i}.yaml"
        mine.write_text(MODEL.format(dev=f"Dev{i}"))
        Bot(extra_knowledge=mine)
        time.sleep(0.01)  # distinct modification times
    assert len(list(cache_dir.glob("*.pickle"))) == cache.MAX_ENTRIES


def test_stale_temporary_files_are_cleaned_up(cache_dir: Path, tmp_path: Path) -> None:
    cache_dir.mkdir()
    old, fresh = cache_dir / "killed.tmp", cache_dir / "writing.tmp"
    old.write_bytes(b"half a pickle")
    fresh.write_bytes(b"another writer's, in progress")
    long_ago = time.time() - cache.STALE_TMP_SECONDS - 60
    os.utime(old, (long_ago, long_ago))
    Bot(extra_knowledge=[])  # a key not yet stored: writes, and tidies
    assert not old.exists() and fresh.exists()


def _entry_path() -> Path:
    from bot import datafiles
    files = [*datafiles.yaml_files(datafiles.knowledge_dir()),
             *datafiles.data_files(datafiles.intents_dir())]
    from bot.engine import DEFAULT_THRESHOLD
    key = cache.cache_key(files, f"{DEFAULT_THRESHOLD}")
    folder = cache.cache_dir()
    assert folder is not None
    return cache._file(folder, key)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(content=st.one_of(st.binary(max_size=200),
                         st.builds(lambda n: cache.MAGIC + n, st.binary(max_size=200))))
def test_any_bytes_in_the_cache_file_cost_only_a_rebuild(content: bytes) -> None:
    folder = Path(os.environ["TAXOBOT_CACHE_DIR"]) / "prop"
    os.environ["TAXOBOT_CACHE_DIR"] = str(folder)
    try:
        path = _entry_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        assert Bot().ask("what type of model is BERT?").intent == "classify_model"
    finally:
        os.environ["TAXOBOT_CACHE_DIR"] = str(folder.parent)


@pytest.mark.parametrize("kind", ["fifo", "directory", "symlink-to-dev-zero", "truncated"])
def test_any_kind_of_file_at_the_cache_path_costs_only_a_rebuild(cache_dir: Path,
                                                                 kind: str) -> None:
    path = _entry_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
    elif kind == "symlink-to-dev-zero":
        path.symlink_to("/dev/zero")
    else:
        Bot()
        path.write_bytes(path.read_bytes()[:1000])
    assert Bot().ask("what type of model is BERT?").intent == "classify_model"
    if kind != "directory":
        assert Bot().ask("hi").intent == "greet"
    shutil.rmtree(cache_dir, ignore_errors=True)
