"""The query layer's indexes give the same sets as reading every row would."""

from __future__ import annotations

import pytest

from bot import Bot
from bot.execute import _holds
from bot.mentions import Constraint
from bot.query import Query


@pytest.fixture(scope="module")
def bot() -> Bot:
    return Bot()


@pytest.mark.parametrize("value", [1e8, 3.5e8, 1.1e9, 7e9, 7.5e9, 1.3e10, 7e10, 1.75e11, 5e11,
                                   1e12, 1.6e12, 123.0])
def test_about_a_size_is_every_row_with_a_size_within_ten_percent(bot: Bot, value: float):
    """Given "about 7B", the set is the rows a full scan finds, read from the size index."""
    near = Constraint("size", "~", value, "about that many parameters")
    ex = bot.executor
    scanned = {r for r in range(len(bot.kb.model_ids)) if _holds(near, ex._ix.facts, r)}
    assert ex.members(Query("list", constraints=(near,))) == scanned


def test_the_compiled_cache_keeps_the_indexes(bot: Bot):
    """Given a Bot from the compiled cache, its indexes are the ones its knowledge makes."""
    from bot.query_indexes import query_indexes

    assert Bot().executor._ix.every_size == query_indexes(bot.kb).every_size
