"""Shared fixtures: one Bot for the whole run; building it takes a few hundred ms."""

from __future__ import annotations

import pytest

from bot import Bot


@pytest.fixture(scope="session")
def bot() -> Bot:
    return Bot()


@pytest.fixture(scope="session")
def kb(bot: Bot):  # type: ignore[no-untyped-def]
    return bot.kb
