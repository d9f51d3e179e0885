"""Shared fixtures: one Bot for the whole run; building it takes a few hundred ms."""

from __future__ import annotations

import os
import tempfile

import pytest

# Tests never touch the user's own cache folder.
os.environ.setdefault("TAXOBOT_CACHE_DIR", tempfile.mkdtemp(prefix="taxobot-cache-"))

from bot import Bot  # noqa: E402


@pytest.fixture(scope="session")
def bot() -> Bot:
    return Bot()


@pytest.fixture(scope="session")
def kb(bot: Bot):  # type: ignore[no-untyped-def]
    return bot.kb
