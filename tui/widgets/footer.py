"""The footer, with the keys a newcomer needs most first when the terminal is narrow.

Textual's Footer lays the keys out in binding order and cuts whatever passes the right edge:
on a narrow terminal those would be the app's own keys, Quit and Help. Below
``FIRST_BELOW`` columns they come first; the Help screen lists every key anyway.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

FIRST = ("quit", "help")
FIRST_BELOW = 60
"""The compact footer's keys need 60 columns in binding order (measured at Textual 8.2)."""


class ChatFooter(Footer):
    def compose(self) -> ComposeResult:
        widgets = list(super().compose())
        if self.app.size.width < FIRST_BELOW:
            widgets.sort(key=lambda w: not (isinstance(w, FooterKey) and w.action in FIRST))
        yield from widgets
