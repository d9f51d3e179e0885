"""The compiled cache only ever speeds start-up up; it never changes an answer."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot import Bot

MODEL = ("models:\n  - id: acme-lm\n    name: AcmeLM\n    developer: {dev}\n"
         "    summary: s.\n    reference: r\n")


@pytest.fixture()
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("TAXOBOT_CACHE_DIR", str(folder))
    return folder


def test_a_second_bot_loads_from_the_cache_and_answers_the_same(cache_dir: Path) -> None:
    first = Bot()
    assert len(list(cache_dir.glob("*.pickle"))) == 1
    second = Bot()
    question = "which models are open source and multilingual?"
    assert second.ask(question).to_dict() == first.ask(question).to_dict()


def test_editing_a_knowledge_file_makes_a_new_cache(cache_dir: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(MODEL.format(dev="Acme"), encoding="utf-8")
    assert "Acme" in Bot(extra_knowledge=[mine]).ask("who developed AcmeLM?").text
    mine.write_text(MODEL.format(dev="Umbrella Corp"), encoding="utf-8")
    os.utime(mine, ns=(1, 1))
    assert "Umbrella Corp" in Bot(extra_knowledge=[mine]).ask("who developed AcmeLM?").text


def test_a_damaged_cache_file_is_ignored(cache_dir: Path) -> None:
    Bot()
    for f in cache_dir.glob("*.pickle"):
        f.write_bytes(b"not a pickle")
    assert Bot().ask("what type of model is BERT?").intent == "classify_model"


def test_the_cache_can_be_turned_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TAXOBOT_CACHE_DIR", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    Bot()
    assert not list(tmp_path.rglob("*.pickle"))
