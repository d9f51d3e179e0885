"""Stage 3: which intent a message expresses, learned from example utterances.

A multinomial logistic regression (``bot.softmax``) over sublinear TF-IDF of words, word
pairs and character n-grams within words (``bot.features``); an intent's score is its
softmax probability, so the best score says how sure the matcher is, and a text unlike
every intent's examples spreads its probability and scores low. Words the examples never
use are first corrected to the closest example word (rapidfuzz), so typos like "examles"
still count as words (their character n-grams count as they are). Pure Python; scoring
costs a few integer additions per word (``bot.scorer``).

The out-of-scope threshold is chosen from held-out scores of the examples themselves when
some are labelled out of scope (``bot.calibration``); an out-of-scope class that outnumbers
every in-scope example together is weighed down to their total (``_class_weights``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import field
from operator import itemgetter

from . import softmax
from .features import CHAR_SHARE, Vocabulary, char_terms, stem, tokenize, word_terms
from .memo import memo as memoise
from .memo import weakly
from .scorer import Scorer
from .values import value

TYPO_CUTOFF = 80.0
MEMO_SIZE = 1024  # recent texts whose ranking is kept (0: none)
UNSEEN_IDF = 0.0  # how much a term never seen in training weighs in its block's norm


@value
class _Index:
    """Everything ``match`` reads; built once by ``from_examples`` and never changed."""

    intents: tuple[str, ...]
    example_intent: tuple[int, ...]
    scorer: Scorer
    vocabulary: frozenset[str]
    frequency: dict[str, int]
    near_length: dict[int, tuple[str, ...]]
    names: tuple[str, ...]  # the model's classes: the intents in name order
    examples: tuple[str, ...] = field(repr=False)


class IntentMatcher:
    """Ranks intents for a text; immutable after construction, so safe to share."""

    def __init__(self, index: _Index, threshold: float = 0.0, memo: int = MEMO_SIZE) -> None:
        self._ix = index
        self.threshold = threshold
        self._memo_size = memo
        # Rankings of recent texts: the slot-tokenised questions a bot sees repeat a lot
        # ("what type of model is {model}"). Thread-safe; the values are immutable.
        # (Through bot.memo: a bound method held here would make the matcher a reference
        # cycle, freed only by the cyclic collector in the middle of a later question.)
        self._ranked = memoise(self, IntentMatcher._rank, memo) if memo else weakly(self._rank)

    def __getstate__(self) -> dict[str, object]:
        return {"index": self._ix, "threshold": self.threshold, "memo": self._memo_size}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__init__(state["index"], state["threshold"], state["memo"])  # type: ignore[misc]

    def with_memo(self, size: int) -> IntentMatcher:
        """The same matcher with a memo of ``size`` rankings (0: none, as benchmarks of
        never-seen text need); the index is shared, not copied."""
        return IntentMatcher(self._ix, self.threshold, size)

    @property
    def intents(self) -> tuple[str, ...]:
        return self._ix.intents

    @property
    def vocabulary(self) -> frozenset[str]:
        """Every word the examples use (slot tokens aside)."""
        return self._ix.vocabulary

    @property
    def examples(self) -> Mapping[str, tuple[str, ...]]:
        out: dict[str, list[str]] = defaultdict(list)
        for text, i in zip(self._ix.examples, self._ix.example_intent, strict=True):
            out[self._ix.intents[i]].append(text)
        return {k: tuple(v) for k, v in out.items()}

    @classmethod
    def from_examples(cls, examples: Mapping[str, Iterable[str]],
                      threshold: float | None = None) -> IntentMatcher:
        """Learn from example utterances by intent. ``threshold`` is the score below which
        a text is out of scope; by default it is chosen from the examples themselves when
        some intent holds out-of-scope examples (``out_of_scope``, ``oos``, ``fallback``:
        see ``bot.calibration``), and 0.0 (nothing refused) otherwise."""
        if threshold is None:
            from .calibration import threshold_from_examples

            listed = {k: list(v) for k, v in examples.items()}  # read more than once
            threshold = threshold_from_examples(
                listed, lambda part: cls.from_examples(part, 0.0))
            examples = listed
        intents: list[str] = []
        texts: list[str] = []
        owner: list[int] = []
        for intent, utterances in examples.items():
            intents.append(intent)
            for u in utterances:
                texts.append(u)
                owner.append(len(intents) - 1)
        names = sorted(intents)  # the model's classes, in name order
        label = {name: k for k, name in enumerate(names)}
        # The same model whatever order the intents and examples came in.
        order = sorted(range(len(texts)), key=lambda i: (intents[owner[i]], texts[i]))
        tokens = [tokenize(texts[i]) for i in order]
        word_tfs = [word_terms(words) for words in tokens]
        char_tfs = [char_terms(words) for words in tokens]
        vocab = Vocabulary.learn(word_tfs, char_tfs)
        blocks = [vocab.blocks(w, c) for w, c in zip(word_tfs, char_tfs, strict=True)]
        labels = [label[intents[owner[i]]] for i in order]
        model = softmax.train(blocks, labels, len(names), vocab.idf,
                              class_weight=_class_weights(names, labels))
        frequency: dict[str, int] = defaultdict(int)
        spelled: set[str] = set()
        for words in tokens:
            spelled.update(words)
            for word in words:
                if not word.startswith("{"):
                    frequency[word] += 1
        scorer = Scorer.of(model, vocab.words, vocab.chars, CHAR_SHARE, sorted(spelled))
        known = frozenset(frequency)
        near_length: dict[int, list[str]] = defaultdict(list)
        for word in sorted(known):  # a typo is at most a letter longer or shorter
            for k in range(len(word) - 1, len(word) + 2):
                near_length[k].append(word)
        index = _Index(
            intents=tuple(intents), example_intent=tuple(owner), scorer=scorer,
            vocabulary=known, frequency=dict(frequency),
            near_length={k: tuple(v) for k, v in near_length.items()},
            names=tuple(names), examples=tuple(texts))
        return cls(index, threshold)

    def correct(self, words: list[str]) -> list[tuple[str, float]]:
        """Each word, or the example word it is a typo of, with how sure that is."""
        out = []
        for w in words:
            if w in self._ix.vocabulary or w.startswith("{") or len(w) < 3 or w.isdigit():
                out.append((w, 1.0))
                continue
            from rapidfuzz import fuzz, process  # only for a word the examples lack

            hits = process.extract(w, self._ix.near_length.get(len(w), ()), scorer=fuzz.ratio,
                                   score_cutoff=TYPO_CUTOFF, limit=5)
            if not hits:
                out.append((w, 1.0))
                continue
            # Equally close: the word the examples use most is the likelier intent.
            word, score, _ = max(hits, key=lambda h: (h[1], self._ix.frequency.get(h[0], 0)))
            out.append((word, (score / 100.0) ** 2))
        return out

    def match(self, text: str, limit: int | None = None) -> list[tuple[str, float]]:
        """Intents ranked best first, each with a score in [0, 1]."""
        ranked = self._ranked(text)
        return list(ranked[:limit] if limit else ranked)

    def _rank(self, text: str) -> tuple[tuple[str, float], ...]:
        ix = self._ix
        words = tokenize(text)
        known = ix.vocabulary
        if all(w in known or w[0] == "{" or len(w) < 3 or w.isdigit() for w in words):
            terms = word_terms(words)  # nothing to correct: every confidence is 1
        else:
            corrected = self.correct(words)
            terms = word_terms([w for w, _ in corrected], [c for _, c in corrected])
        p = ix.scorer.probabilities(terms, words, UNSEEN_IDF)
        if p is None:  # nothing the examples know: no evidence for any intent
            return tuple((name, 0.0) for name in ix.names)
        # Best first; equal scores in name order (a stable sort of the name-ordered classes).
        return tuple(sorted(zip(ix.names, p, strict=True), key=itemgetter(1), reverse=True))


def _class_weights(names: list[str], labels: list[int]) -> list[float]:
    """Out of scope is one class standing for everything else: when its examples outnumber
    all the in-scope ones together (a corpus borrowed as "other" text), it learns at the
    rate that makes its total weight theirs, not a prior that most questions are out of
    scope. Every other class, and out of scope when it is the minority, learns at 1."""
    from .calibration import OUT_OF_SCOPE_NAMES

    counts = [0] * len(names)
    for y in labels:
        counts[y] += 1
    ins = sum(c for n, c in zip(names, counts, strict=True) if n not in OUT_OF_SCOPE_NAMES)
    return [min(1.0, ins / c) if n in OUT_OF_SCOPE_NAMES and c else 1.0
            for n, c in zip(names, counts, strict=True)]


__all__ = ["IntentMatcher", "stem", "tokenize"]
