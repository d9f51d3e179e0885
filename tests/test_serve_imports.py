"""The server is an extra: the engine and the one-shot path never pull it in."""

from __future__ import annotations

import subprocess
import sys

SERVER = ("web", "fastapi", "uvicorn", "starlette", "pydantic")


def test_the_one_shot_path_never_imports_the_server() -> None:
    code = ("import sys; from bot.cli import main; main(['ask', 'hi']); "
            f"print(sorted(set({SERVER!r}) & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip().endswith("[]")


def test_the_engine_never_imports_the_server() -> None:
    code = ("import sys; from bot import Bot; Bot().conversation().ask('is BERT open source?'); "
            f"print(sorted(set({SERVER!r}) & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
