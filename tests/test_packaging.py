"""A non-editable install carries intents/, knowledge/ and the web chat's page, and works
from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "-o", str(out),
                    str(ROOT)], check=True, capture_output=True)
    return next(out.glob("taxobot-*.whl"))


def test_the_wheel_carries_the_data_and_type_marker(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("intents", "knowledge"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file():
                rel = path.relative_to(ROOT).as_posix()
                assert f"bot/_data/{rel}" in names, rel
    assert "bot/py.typed" in names
    assert any(n.startswith("tui/") for n in names)
    for page_file in ("index.html", "chat.js", "chat.css", "docs.html", "docs.js"):
        assert f"web/static/{page_file}" in names, page_file
    assert "web/app.py" in names
    assert any(n.endswith("entry_points.txt") for n in names)


def test_the_installed_bot_answers_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = ("import bot, sys; from bot.cli import main; "
            "assert bot.__file__.startswith(sys.argv[1]), bot.__file__; "
            "main(['ask', 'what type of model is BERT?'])")
    env = {**os.environ, "PYTHONPATH": str(site)}
    out = subprocess.run([sys.executable, "-c", code, str(site)], cwd=elsewhere, env=env,
                         capture_output=True, text=True, check=True).stdout
    assert "Masked Language Models" in out
