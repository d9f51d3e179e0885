"""taxobot's terminal chat, a Textual app. ``taxobot`` (no arguments) calls :func:`run`.

Importing this package is cheap: Textual and the engine load when :func:`run` is called.
"""

from __future__ import annotations

import os

from .engine_loader import EngineLoader

FRAMES_PER_SECOND = 120
"""Textual draws at most 60 frames a second unless told (``TEXTUAL_FPS``): a finished answer
then waited for the next frame, up to 17 ms, once or twice. At 120 the median answer is on
screen in 28-36 ms instead of 45 (a list of 80 models: 34-40 instead of 44-57); a screen
with nothing changing draws no frames at either rate. ``TEXTUAL_FPS`` set by the user wins."""


def configure_textual() -> None:
    """What Textual reads when it is imported, set before it is (``run`` and
    ``benchmarks/tui_worker.py`` call this first)."""
    os.environ.setdefault("TEXTUAL_FPS", str(FRAMES_PER_SECOND))


def start_engine(extra_knowledge: list[str] | None = None) -> EngineLoader:
    """The engine's load, begun now in its thread. Called before Textual is imported, so the
    two overlap (``benchmarks/tui_worker.py`` starts the chat the same way)."""
    return EngineLoader(extra_knowledge)


def run(inline: bool = False, extra_knowledge: list[str] | None = None) -> None:
    """Run the chat full screen, or under the prompt with ``inline=True``.

    With knowledge files of the user's own, a file that does not load raises its error here
    (the command line prints it as file:line) before the screen is taken over; a bundled
    file that does not load is reported on the chat screen."""
    configure_textual()
    engine = start_engine(extra_knowledge)
    from .app import TaxobotApp

    if extra_knowledge:
        engine.wait()
        if engine.error is not None:
            raise engine.error
    TaxobotApp(engine=engine).run(inline=inline)


__all__ = ["FRAMES_PER_SECOND", "EngineLoader", "configure_textual", "run", "start_engine"]
