"""A Bot that is dropped is freed at once, by reference counting.

A Bot whose parts held its bound methods (memos, call-backs) was a reference cycle: only the
cyclic collector freed it, and its walk over a whole knowledge base landed in the middle of
some later question (a 100-200 ms pause in the benchmark's p99).
"""

from __future__ import annotations

import gc
import weakref

from bot import Bot


def test_a_dropped_bot_and_its_parts_are_freed_without_the_cyclic_collector() -> None:
    bot = Bot()
    for question in ("what type of model is BERT?", "is distilbrt open source?",
                     "which models fit in 8 GB?", "is Phi-2 MIT licensed?",
                     "models similar to BERT", "which small models are not proprietary?"):
        bot.ask(question)
    conv = bot.conversation()
    conv.ask("compare GPT-2 and GPT-3")
    parts = [bot, bot.kb, bot.matcher, bot.resolver, bot.concepts, bot.policy, bot.composer,
             bot.executor, bot.renderer]
    refs = [weakref.ref(p) for p in parts]
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        del bot, conv, parts
        alive = [type(r()).__name__ for r in refs if r() is not None]
    finally:
        if was_enabled:
            gc.enable()
    assert alive == []
