"""Stage 3: which intent a message expresses, learned from example utterances.

TF-IDF over words, light stems and word bigrams; a message is scored against every example
(nearest neighbour) and every intent's centroid, through inverted indexes so only examples
sharing a feature are touched. Words the examples never use are first corrected to the
closest example word (rapidfuzz), so typos like "examles" still count. Pure Python.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from .normalise import fold

_WORD = re.compile(r"\{[a-z_]+\}|[^\W_]+")
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ers", "er", "ed", "es", "ly", "s")

WORD_WEIGHT = 1.0
STEM_WEIGHT = 0.6
BIGRAM_WEIGHT = 0.8
NEIGHBOUR_SHARE = 0.6  # the rest of an intent's score comes from its centroid
TYPO_CUTOFF = 80.0


def stem(word: str) -> str:
    """A crude suffix strip: enough to let "deployed" meet "deployment"'s "deploy"."""
    if len(word) <= 4 or word.startswith("{"):
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def tokenize(text: str) -> list[str]:
    return _WORD.findall(fold(text))


@dataclass(frozen=True)
class _Index:
    """Everything ``match`` reads; built once by ``from_examples`` and never changed."""

    intents: tuple[str, ...]
    example_intent: tuple[int, ...]
    idf: dict[str, float]
    postings: dict[str, tuple[tuple[int, float], ...]]
    centroid_postings: dict[str, tuple[tuple[int, float], ...]]
    vocabulary: frozenset[str]
    frequency: dict[str, int]
    by_length: dict[int, tuple[str, ...]]
    default_idf: float
    examples: tuple[str, ...] = field(repr=False)


class IntentMatcher:
    """Ranks intents for a text; immutable after construction, so safe to share."""

    def __init__(self, index: _Index, threshold: float = 0.0) -> None:
        self._ix = index
        self.threshold = threshold

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
    def from_examples(cls, examples: Mapping[str, Iterable[str]], threshold: float = 0.0
                      ) -> IntentMatcher:
        intents: list[str] = []
        texts: list[str] = []
        owner: list[int] = []
        for intent, utterances in examples.items():
            intents.append(intent)
            for u in utterances:
                texts.append(u)
                owner.append(len(intents) - 1)
        raw = [_features(tokenize(t)) for t in texts]
        df: dict[str, int] = defaultdict(int)
        for feats in raw:
            for f in feats:
                df[f] += 1
        n = len(texts)
        idf = {f: math.log((n + 1) / (d + 1)) + 1.0 for f, d in df.items()}
        vectors = [_weigh(feats, idf, 0.0) for feats in raw]
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for i, vec in enumerate(vectors):
            for f, w in vec.items():
                postings[f].append((i, w))
        centroids: list[dict[str, float]] = [defaultdict(float) for _ in intents]
        for i, vec in enumerate(vectors):
            for f, w in vec.items():
                centroids[owner[i]][f] += w
        centroid_postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for j, c in enumerate(centroids):
            norm = math.sqrt(sum(w * w for w in c.values())) or 1.0
            for f, w in c.items():
                centroid_postings[f].append((j, w / norm))
        frequency: dict[str, int] = defaultdict(int)
        for t in texts:
            for word in tokenize(t):
                if not word.startswith("{"):
                    frequency[word] += 1
        vocab = frozenset(frequency)
        by_length: dict[int, list[str]] = defaultdict(list)
        for word in sorted(vocab):
            by_length[len(word)].append(word)
        index = _Index(
            intents=tuple(intents), example_intent=tuple(owner), idf=idf,
            postings={f: tuple(p) for f, p in postings.items()},
            centroid_postings={f: tuple(p) for f, p in centroid_postings.items()},
            vocabulary=vocab, frequency=dict(frequency),
            by_length={k: tuple(v) for k, v in by_length.items()},
            default_idf=math.log(n + 1) + 1.0, examples=tuple(texts))
        return cls(index, threshold)

    def correct(self, words: list[str]) -> list[tuple[str, float]]:
        """Each word, or the example word it is a typo of, with how sure that is."""
        out = []
        for w in words:
            if w in self._ix.vocabulary or w.startswith("{") or len(w) < 3 or w.isdigit():
                out.append((w, 1.0))
                continue
            pool = [c for k in range(len(w) - 2, len(w) + 3)
                    for c in self._ix.by_length.get(k, ())]
            hits = process.extract(w, pool, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF, limit=5)
            if not hits:
                out.append((w, 1.0))
                continue
            # Equally close: the word the examples use most is the likelier intent.
            word, score, _ = max(hits, key=lambda h: (h[1], self._ix.frequency.get(h[0], 0)))
            out.append((word, (score / 100.0) ** 2))
        return out

    def match(self, text: str, limit: int | None = None) -> list[tuple[str, float]]:
        """Intents ranked best first, each with a score in [0, 1]."""
        ix = self._ix
        corrected = self.correct(tokenize(text))
        query = _weigh(_features([w for w, _ in corrected], [c for _, c in corrected]),
                       ix.idf, ix.default_idf)
        nearest = [0.0] * len(ix.intents)
        if query:
            scores: dict[int, float] = defaultdict(float)
            for f, qw in query.items():
                for i, w in ix.postings.get(f, ()):
                    scores[i] += qw * w
            for i, s in scores.items():
                j = ix.example_intent[i]
                if s > nearest[j]:
                    nearest[j] = s
            central = [0.0] * len(ix.intents)
            for f, qw in query.items():
                for j, w in ix.centroid_postings.get(f, ()):
                    central[j] += qw * w
        else:
            central = nearest
        ranked = sorted(
            ((name, min(1.0, NEIGHBOUR_SHARE * nearest[j] + (1 - NEIGHBOUR_SHARE) * central[j]))
             for j, name in enumerate(ix.intents)),
            key=lambda pair: (-pair[1], pair[0]))
        return ranked[:limit] if limit else ranked


def _features(words: list[str], confidence: list[float] | None = None) -> dict[str, float]:
    """Raw (term-frequency) features of a token list."""
    conf = confidence or [1.0] * len(words)
    feats: dict[str, float] = defaultdict(float)
    for w, c in zip(words, conf, strict=True):
        feats["w:" + w] += WORD_WEIGHT * c
        s = stem(w)
        if s != w:  # an unchanged stem would only repeat the word feature
            feats["s:" + s] += STEM_WEIGHT * c
    pairs = list(zip(words, conf, strict=True))
    for (a, ca), (b, cb) in zip(pairs, pairs[1:], strict=False):
        feats["b:" + a + " " + b] += BIGRAM_WEIGHT * min(ca, cb)
    return feats


def _weigh(feats: Mapping[str, float], idf: Mapping[str, float], unseen: float
           ) -> dict[str, float]:
    """Sublinear tf times idf, L2-normalised; features never seen in training are dropped
    from the numerator but still count in the norm, so unfamiliar text scores low."""
    vec = {}
    norm2 = 0.0
    for f, tf in feats.items():
        w = (1.0 + math.log(tf)) if tf >= 1 else tf
        weight = idf.get(f)
        if weight is None:
            norm2 += (w * unseen) ** 2
            continue
        vec[f] = w * weight
        norm2 += vec[f] ** 2
    norm = math.sqrt(norm2) or 1.0
    return {f: w / norm for f, w in vec.items()}


__all__ = ["IntentMatcher", "stem", "tokenize"]
