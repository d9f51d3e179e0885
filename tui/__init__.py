"""taxobot's terminal chat, a Textual app. ``taxobot`` (no arguments) calls :func:`run`.

Importing this package is cheap: Textual and the engine load when :func:`run` is called.
"""

from __future__ import annotations

from .engine_loader import EngineLoader


def start_engine(extra_knowledge: list[str] | None = None) -> EngineLoader:
    """The engine's load, begun now in its thread. Called before Textual is imported, so the
    two overlap (``benchmarks/tui_worker.py`` starts the chat the same way)."""
    return EngineLoader(extra_knowledge)


def run(inline: bool = False, extra_knowledge: list[str] | None = None) -> None:
    """Run the chat full screen, or under the prompt with ``inline=True``.

    With knowledge files of the user's own, a file that does not load raises its error here
    (the command line prints it as file:line) before the screen is taken over; a bundled
    file that does not load is reported on the chat screen."""
    engine = start_engine(extra_knowledge)
    from .app import TaxobotApp

    if extra_knowledge:
        engine.wait()
        if engine.error is not None:
            raise engine.error
    TaxobotApp(engine=engine).run(inline=inline)


__all__ = ["EngineLoader", "run", "start_engine"]
