"""Text from a user, made safe to echo to a terminal.

A question can carry terminal control sequences (``ESC [2J`` clears the screen, OSC 0 sets
the window title, OSC 8 plants a hyperlink). Whatever the bot echoes from user text, in any
front end, goes through ``strip_controls`` so that it is shown as text and never obeyed.
"""

from __future__ import annotations

import re

_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"  # CSI: cursor moves, colours, clear screen
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?"
    # ^ OSC (title, hyperlink), DCS, SOS, PM, APC: a string up to BEL or ST
    r"|\x1b[ -/]*[0-~]?"  # any other escape (charset switches, keypad modes, ESC c reset)
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""C0 (but tab and newline), DEL and C1: each alone can move the cursor or start a sequence."""
_C1_AND_DEL = re.compile(r"[\x7f-\x9f]")


def strip_controls(text: str) -> str:
    """``text`` with every terminal control sequence and control character removed
    (tab and newline kept); text without any is returned as it is, cheaply."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub("", _SEQUENCE.sub("", text))


def escape_json_controls(json_text: str) -> str:
    """JSON as ``json.dumps(..., ensure_ascii=False)`` writes it, with DEL and C1 characters
    (which it leaves raw) written as ``\\u00XX`` escapes: the same data, inert on a terminal."""
    return _C1_AND_DEL.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text)
