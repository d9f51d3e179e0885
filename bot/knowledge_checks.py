"""Checks on a user's knowledge files that need more than one entry to decide.

A user's model may not be named by an ordinary word ("what", "model", "is", "it"): every
question uses those, so such a name would take over answers about the bundled models. The
words reserved are the most common English ones (intents/common-words.txt, by rank) and
the lexicon's question words; a name is refused when every word of it is reserved.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from .normalise import words

RESERVED_RANK = 3000
"""Words at least this common are ordinary English ("model" is 729th, "chat" 2,537th), not
names; rarer ones can be ("mini" 3,287th, "Falcon" 10,354th)."""
_SOURCE_LINE = re.compile(r"^source\s*:", re.M)


def reserved_words(catalog: Any) -> frozenset[str]:
    """The words no user model name may consist of, from a loaded IntentCatalog."""
    lex = catalog.lexicon
    out = {w for w, rank in catalog.common_words.items() if rank <= RESERVED_RANK}
    for group in (lex.stopwords, lex.pronouns, lex.model_pronouns, lex.negations,
                  lex.category_heads, lex.coordinators, lex.yes_no_openers):
        for phrase in group:
            out.update(words(phrase))
    return frozenset(out)


def bundled_reserved_words() -> frozenset[str]:
    from .answer import ANSWER_NAMES
    from .datafiles import intents_dir
    from .intents_loader import load_intents

    return reserved_words(load_intents(intents_dir(), ANSWER_NAMES))


def ordinary_name(name: str, reserved: frozenset[str]) -> bool:
    """True when every word of ``name`` is an ordinary word: "What", "Open Model", "It"."""
    ws = words(name)
    return bool(ws) and all(w in reserved for w in ws)


def is_knowledge_set(folder: Path) -> bool:
    """A folder that is a whole knowledge set (it has the ``source`` section), not additions
    to the bundled one: ``validate`` checks it on its own."""
    from .datafiles import yaml_files

    if not folder.is_dir():
        return False
    for path in yaml_files(folder):
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                if _SOURCE_LINE.search(fh.read(1 << 20)):
                    return True
        except OSError:
            continue
    return False


def folder_problem(folder: Path) -> str:
    """Why a folder given as knowledge gives nothing to load ("" when it does)."""
    from .datafiles import yaml_files

    try:
        os.listdir(folder)
    except OSError as err:
        return f"cannot read folder: {err.strerror or err}"
    if not yaml_files(folder):
        return "folder holds no .yaml or .yml file: nothing to load"
    return ""
