"""taxobot's terminal chat, a Textual app. ``taxobot`` (no arguments) calls :func:`run`.

Importing this package is cheap: Textual and the engine load when :func:`run` is called.
"""

from __future__ import annotations


def run(inline: bool = False, extra_knowledge: list[str] | None = None) -> None:
    """Run the chat full screen, or under the prompt with ``inline=True``."""
    from .app import TaxobotApp

    TaxobotApp(extra_knowledge=extra_knowledge).run(inline=inline)


__all__ = ["run"]
