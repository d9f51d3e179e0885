"""Where the bundled intents/ and knowledge/ folders live.

In a wheel they are packed as ``bot/_data/``; in a source checkout they sit beside ``bot/``.
Looking in both keeps ``pip install .`` and ``pip install -e .`` equally able to find them
from any working directory.
"""

from __future__ import annotations

import os
from pathlib import Path

_HERE = Path(__file__).resolve().parent


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
             if os.path.splitext(name)[1] in suffixes]
    return sorted(p for p in found if p.is_file())


def yaml_files(folder: Path) -> list[Path]:
    """Every YAML file under a folder, in a stable order so loading is deterministic."""
    return _files(folder, (".yaml", ".yml"))


def data_files(folder: Path) -> list[Path]:
    """YAML files plus the plain word lists beside them (what a cache key must cover)."""
    return _files(folder, (".yaml", ".yml", ".txt"))
