"""The engine, loading in its own thread from the first moment of the chat.

``taxobot`` starts this before it imports Textual: importing Textual and building the first
screen take ~300 ms, loading the engine ~100 ms, and the two overlap, so the engine is ready
about when the screen is first painted instead of ~250 ms after it. Nothing here imports
Textual, so starting it costs nothing.
"""

from __future__ import annotations

import gc
import threading
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .protocol import BotLike


class EngineLoader:
    """One engine load, started at construction; :meth:`wait` gives its outcome."""

    def __init__(self, extra_knowledge: list[str] | None = None) -> None:
        self.extra_knowledge = list(extra_knowledge or [])
        self.bot: BotLike | None = None
        self.error: BaseException | None = None
        self.ended_at: float | None = None
        """Wall-clock time (``time.time()``) the load ended: what the benchmark reports."""
        self._done = threading.Event()
        # The collector pauses while the engine and Textual load: both make many objects
        # that live as long as the app, and collecting them over and over frees nothing.
        self._collecting = gc.isenabled()
        gc.disable()
        threading.Thread(target=self._load, name="load-bot", daemon=True).start()

    def _load(self) -> None:
        try:
            from bot import Bot

            self.bot = Bot(extra_knowledge=self.extra_knowledge)
        except Exception as err:  # a broken knowledge file must not take the app down
            self.error = err
        finally:
            # What is alive now (the engine, Textual's modules) lives as long as the app:
            # out of the collector's sight, so a full collection never walks it (it cost
            # 50-140 ms mid-answer).
            gc.freeze()
            if self._collecting:
                gc.enable()
            self.ended_at = time.time()
            self._done.set()

    def wait(self, timeout: float | None = None) -> bool:
        """True once the load has ended, with ``bot`` or ``error`` set."""
        return self._done.wait(timeout)

    @property
    def error_line(self) -> str:
        """The error as one short line for the screen ("DataError: bad.yaml:1: ...")."""
        if self.error is None:
            return ""
        first = (str(self.error).strip().splitlines() or [""])[0][:200]
        return f"{type(self.error).__name__}: {first}"
