"""A question generator (not random text) and the checks every reply must pass.

Questions are the bot's own intent examples (intents/*.yaml) with their slots filled from the
loaded knowledge: known models (names and aliases), categories (names, short forms, aliases),
dimensions, developers, and names the bot does not know ("Zorblax-9", "GPT-7"). On top of a
filled example it may add a negation ("isn't", "non-", "not"), a coordination ("X and Y"),
a constraint (a size like "100B", a year, a developer), or a typo. Dialogues chain 2-5
turns: a question, then follow-ups ("and T5?", "is it open source?", "which of those are
multilingual?", "why?") and sometimes a fresh question.

``check_reply`` says what is wrong with a reply, if anything: an error recorded in its trace
(the engine caught an exception), an empty text, or Markdown that does not hold together
(unbalanced ``**``, table rows whose cell counts differ). Used by
``tests/test_generated_questions.py`` (a fixed-seed sample) and ``tools/fuzz_questions.py``
(100,000 turns, counted).
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt

UNKNOWN_NAMES = ("Zorblax-9", "GPT-7", "Qwen3", "FooLM", "Llama 9", "Claude 7", "BERTina",
                 "T5000", "Mistral Ultra", "Gemini 9", "Z-LM 2")
SIZES = ("100B", "7B", "1.5B", "70 billion", "13B parameters", "a trillion parameters",
         "340M", "175B")
YEARS = ("2018", "2019", "2020", "2021", "2022", "2023", "2024", "2025", "1999")
CONSTRAINTS = ("with more than {size}", "with fewer than {size} parameters",
               "released after {year}", "released before {year}", "from {year}",
               "made by {developer}", "from {developer}", "that are newest",
               "larger than {size}", "sorted by size")
NEGATED = ("isn't {model} {category}?", "why isn't {model} {category}?",
           "{model} isn't {category}, right?", "is {model} not {category}?",
           "what is a non-{category_lower} model?", "which models are not {category}?",
           "which models aren't {category}?", "list non-{category_lower} models",
           "is {model} neither {category} nor {category2}?",
           "which {category} models are not {category2}?",
           "models other than {category} ones", "doesn't {model} count as {category}?")
FOLLOW_UPS = ("and {model}?", "what about {model}?", "is it {category}?", "isn't it {category}?",
              "is it open source?", "isn't it proprietary?", "who made it?", "why?",
              "which of those are {category}?", "which of those aren't {category}?",
              "and the other one?", "the first one", "more", "show me more", "compare them",
              "what else did they make?", "where does that come from?", "which one?",
              "{model}", "how many parameters does it have?", "when was it released?",
              "which of {developer}'s models are {category}?", "and {model} and {model2}?",
              "what does that mean?", "is that right?", "no, {model}", "thanks", "hmm")
TYPO_RATE = 0.12


@dataclass(frozen=True)
class Fills:
    """What a slot can be filled with, read from a loaded Bot."""

    models: tuple[str, ...]
    categories: tuple[str, ...]
    dimensions: tuple[str, ...]
    developers: tuple[str, ...]

    @classmethod
    def of(cls, bot: Any) -> Fills:
        kb = bot.kb
        models = list(kb.model_names)
        models += [a for mid in kb.model_ids[::7] for a in kb.model(mid).aliases[:1]]
        cats = [c.name for c in kb.categories] + [c.short for c in kb.categories if c.short]
        cats += [a for c in kb.categories for a in c.aliases[:2]]
        devs = [d.name for d in kb.developers] + [a for d in kb.developers for a in d.aliases]
        return cls(tuple(models), tuple(cats), tuple(d.name for d in kb.dimensions),
                   tuple(devs))


class QuestionGenerator:
    """Deterministic for a seed: the same seed gives the same dialogues."""

    def __init__(self, bot: Any, seed: int = 0) -> None:
        self.rng = random.Random(seed)
        self.fills = Fills.of(bot)
        self.templates = [(i.name, ex) for i in bot.catalog.intents for ex in i.examples]

    # -- pieces ----------------------------------------------------------------------------
    def _model(self) -> str:
        r = self.rng.random()
        if r < 0.12:
            return self.rng.choice(UNKNOWN_NAMES)
        if r < 0.22:  # coordination: two or three things at once
            n = self.rng.choice((2, 2, 3))
            names = self.rng.sample(self.fills.models, n)
            return ", ".join(names[:-1]) + self.rng.choice((" and ", " or ", " vs ")) + names[-1]
        return self.rng.choice(self.fills.models)

    def _category(self) -> str:
        c = self.rng.choice(self.fills.categories)
        r = self.rng.random()
        if r < 0.08:
            return f"non-{c.lower()}"
        if r < 0.14:
            return f"{c} and {self.rng.choice(self.fills.categories)}"
        return c if self.rng.random() < 0.5 else c.lower()

    def _value(self, slot: str) -> str:
        if slot in ("model", "model2"):
            return self._model()
        if slot in ("category", "category2"):
            return self._category()
        if slot == "category_lower":
            return self.rng.choice(self.fills.categories).lower()
        if slot == "dimension":
            return self.rng.choice(self.fills.dimensions)
        if slot == "developer":
            return self.rng.choice(self.fills.developers)
        if slot == "size":
            return self.rng.choice(SIZES)
        if slot == "year":
            return self.rng.choice(YEARS)
        return self.rng.choice(self.fills.models)

    def fill(self, template: str) -> str:
        return re.sub(r"\{(\w+)\}", lambda m: self._value(m.group(1)), template)

    def _typo(self, text: str) -> str:
        words = text.split()
        if not words:
            return text
        i = self.rng.randrange(len(words))
        w = words[i]
        if len(w) > 3:
            j = self.rng.randrange(len(w) - 1)
            kind = self.rng.randrange(3)
            w = (w[:j] + w[j + 1] + w[j] + w[j + 2:] if kind == 0  # swap
                 else w[:j] + w[j + 1:] if kind == 1  # drop
                 else w[:j] + w[j] + w[j:])  # double
        words[i] = w
        return " ".join(words)

    def _negate(self, text: str) -> str:
        for plain, negated in ((" is ", " isn't "), (" are ", " aren't "),
                               (" does ", " doesn't "), ("is ", "isn't "), (" are ", " are not ")):
            if plain in f" {text} ":
                return f" {text} ".replace(plain, negated, 1).strip()
        return f"{text} but not {self._category()}"

    # -- questions and dialogues -------------------------------------------------------------
    def question(self) -> str:
        r = self.rng.random()
        if r < 0.2:
            q = self.fill(self.rng.choice(NEGATED))
        else:
            q = self.fill(self.rng.choice(self.templates)[1])
            if self.rng.random() < 0.1:
                q = self._negate(q)
            if self.rng.random() < 0.12:
                q = f"{q} {self.fill(self.rng.choice(CONSTRAINTS))}"
        if self.rng.random() < TYPO_RATE:
            q = self._typo(q)
        return q if self.rng.random() < 0.6 else q.rstrip("?") + "?"

    def dialogue(self) -> list[str]:
        turns = [self.question()]
        for _ in range(self.rng.randint(1, 4)):
            if self.rng.random() < 0.75:
                turns.append(self.fill(self.rng.choice(FOLLOW_UPS)))
            else:
                turns.append(self.question())
        return turns

    def dialogues(self) -> Iterator[list[str]]:
        while True:
            yield self.dialogue()


# -- what a reply must be ----------------------------------------------------------------------
_MD = MarkdownIt("commonmark", {"html": False}).enable("table")
_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")


def _cells(row: str) -> int:
    row = row.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
    return len(re.split(r"(?<!\\)\|", _CODE.sub("c", row)))


def markdown_problems(text: str) -> list[str]:
    """What does not hold together in a reply's Markdown: ``**`` left literal (unbalanced
    bold), table rows whose cell counts differ from the header's."""
    problems = []
    for token in _MD.parse(text):
        if token.type == "inline" and token.children:
            literal = "".join(c.content for c in token.children if c.type == "text")
            if "**" in literal:
                problems.append(f"unbalanced ** in: {token.content[:80]!r}")
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].lstrip().startswith("|"):
            block = []
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                block.append(lines[i])
                i += 1
            counts = [_cells(r) for r in block]
            if len(set(counts)) > 1:
                problems.append(f"table rows with {sorted(set(counts))} cells: {block[0][:60]!r}")
        i += 1
    return problems


def check_reply(reply: Any) -> list[str]:
    """Every way ``reply`` falls short of "any text gets a proper reply"."""
    if reply.trace.error:
        return [f"error: {reply.trace.error}"]
    if not reply.text.strip():
        return ["empty reply"]
    return markdown_problems(reply.text)


def kind_of(problem: str) -> str:
    """A short label grouping problems of one cause (an exception's type and place)."""
    if problem.startswith("error: "):
        where = problem.rsplit(" at ", 1)[-1] if " at " in problem else ""
        return f"{problem[7:].split(':', 1)[0]} at {where}"
    return problem.split(" in:", 1)[0].split(":", 1)[0]
