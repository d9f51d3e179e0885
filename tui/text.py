"""The words the app says on its own (not answers: those come from the engine)."""

from __future__ import annotations

EXAMPLES = (
    "What type of model is BERT?",
    "Compare BERT and GPT-3",
    "Which models are open source and multilingual?",
)

WELCOME = (
    "[b]Welcome to taxobot.[/b] Ask how large language models are classified (architecture, "
    "training, function, scale, deployment, access, languages, specialisation), what a "
    "category means, or which models belong where. Try one of these:"
)
"""Textual markup (our own text, never the user's)."""

WHAT_IT_ANSWERS = """\
taxobot answers questions about the taxonomy of large language models and the models in it:

- **what type of model** a model is — *What type of model is BERT?*
- **one dimension** of a model — *How is GPT-4 deployed?*
- **what a category means** — *What is a masked language model?*
- **examples and filters** — *Which models are open source and multilingual?*
- **yes / no** — *Is LLaMA open source?*
- **comparisons** — *Compare BERT and GPT-3*
- **model facts** — *Who developed T5?*, *How many parameters does Llama 2 have?*
- **the taxonomy itself** — *How are LLMs classified?*

Follow-ups use what was just talked about: *and RoBERTa?*, *is it open source?*, *why?*
Typos in names are fine: *what is distilbrt?*
"""

SLASH_COMMANDS = {
    "/help": "show this help",
    "/new": "start a new conversation",
    "/save": "save the transcript as Markdown (optionally: /save PATH)",
    "/copy": "copy the last answer to the clipboard",
    "/theme": "change the theme (or /theme NAME)",
    "/browser": "show or hide the taxonomy browser",
    "/explain": "show or hide the explain panel",
    "/quit": "leave taxobot",
}

TIPS = """\
- **Tab** or **→** accepts the grey completion of a model, category or dimension name; \
with nothing to complete, Tab moves to the suggestions under the last answer.
- **↑ / ↓** walk through earlier questions, kept between sessions.
- **Enter** on a suggestion chip, or a click, asks it. **Escape** returns to the input.
- In the browser, **Enter** asks about a node, **Space**, **→** and **←** open and close it.
- To select text with the mouse, hold **Shift** while dragging (most terminals), or use \
*Copy last answer*.
"""
