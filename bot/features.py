"""What the intent matcher reads of a text: words, word pairs and character n-grams of words.

Two blocks, each sublinear TF-IDF and L2-normalised on its own (so the many character
n-grams do not drown the few words): word unigrams and bigrams, and character 2- to
5-grams within each word padded by a space (``" who"``, ``"who "``), which carry most of
what a word means through typos, inflections and compounds. Slot tokens (``{model}``)
count as words but are not spelled out.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from itertools import chain

from .normalise import fold
from .softmax import Block
from .values import value

_WORD = re.compile(r"\{[a-z_]+\}|[^\W_]+")
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ers", "er", "ed", "es", "ly", "s")
CHAR_SIZES = range(2, 6)
CHAR_SHARE = 1.0  # the character block's weight beside the word block's (1.0)
SPELL_SLOTS = True  # slot tokens give character n-grams too ({model} is not {category})


def tokenize(text: str) -> list[str]:
    # ASCII needs no NFKC and casefolds like lower(): the common case, made fast.
    return _WORD.findall(text.lower() if text.isascii() else fold(text))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude suffix strip: enough to let "deployed" meet "deployment"'s "deploy"."""
    if len(word) <= 4 or word.startswith("{"):
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=65536)
def char_grams(word: str) -> tuple[str, ...]:
    """The padded word's n-grams, sizes 2-5; a word shorter than a size gives itself once
    (as scikit-learn's ``char_wb`` analyser does)."""
    padded = f" {word} "
    out: list[str] = []
    for n in CHAR_SIZES:
        if len(padded) <= n:
            out.append(padded)
            break
        out.extend(padded[k : k + n] for k in range(len(padded) - n + 1))
    return tuple(out)


def word_terms(words: Sequence[str], weights: Sequence[float] | None = None
               ) -> dict[str, float]:
    """Term frequencies of words and word pairs (``"a b"``: no word holds a space)."""
    tf: dict[str, float] = {}
    conf = weights or [1.0] * len(words)
    for w, c in zip(words, conf, strict=True):
        tf[w] = tf.get(w, 0.0) + c
    for k in range(len(words) - 1):
        pair = words[k] + " " + words[k + 1]
        tf[pair] = tf.get(pair, 0.0) + min(conf[k], conf[k + 1])
    return tf


def char_terms(words: Iterable[str]) -> Counter[str]:
    return Counter(chain.from_iterable(char_grams(w) for w in words if SPELL_SLOTS or w[0] != "{"))


@value
class Vocabulary:
    """Feature ids and idf of both blocks (words and pairs; character n-grams)."""

    words: dict[str, tuple[int, float]]
    chars: dict[str, tuple[int, float]]

    @property
    def idf(self) -> list[float]:
        """Every feature's idf, by id."""
        out = [0.0] * (len(self.words) + len(self.chars))
        for table in (self.words, self.chars):
            for f, v in table.values():
                out[f] = v
        return out

    @classmethod
    def learn(cls, word_tfs: Sequence[Mapping[str, float]],
              char_tfs: Sequence[Mapping[str, int]]) -> Vocabulary:
        """Smoothed idf, ``ln((1 + n) / (1 + df)) + 1``; ids in first-seen order."""
        n = len(word_tfs)
        out: list[dict[str, tuple[int, float]]] = []
        start = 0
        for tfs in (word_tfs, char_tfs):
            df: dict[str, int] = {}
            for tf in tfs:
                for t in tf:
                    df[t] = df.get(t, 0) + 1
            out.append({t: (start + k, math.log((1 + n) / (1 + d)) + 1.0)
                        for k, (t, d) in enumerate(df.items())})
            start += len(df)
        return cls(out[0], out[1])

    def blocks(self, word_tf: Mapping[str, float], char_tf: Mapping[str, int],
               unseen: float = 0.0) -> tuple[Block, Block]:
        """A text's two blocks: the known terms' (id, sublinear tf), and each block's
        TF-IDF norm over its share. A term never seen in training has no id; with
        ``unseen`` > 0 it still counts in its block's norm (at that idf), so unfamiliar
        text weighs less."""
        return (_block(word_tf, self.words, 1.0, unseen),
                _block(char_tf, self.chars, CHAR_SHARE, unseen))


def _block(tf: Mapping[str, float] | Mapping[str, int], ids: Mapping[str, tuple[int, float]],
           share: float, unseen: float) -> Block:
    terms: list[tuple[int, float]] = []
    norm2 = 0.0
    for t, c in tf.items():
        s = 1.0 + math.log(c) if c > 1.0 else c
        hit = ids.get(t)
        if hit is None:
            norm2 += (s * unseen) ** 2
            continue
        terms.append((hit[0], s))
        v = s * hit[1]
        norm2 += v * v
    return Block(tuple(terms), math.sqrt(norm2) / share if terms else 1.0)


__all__ = ["Vocabulary", "char_grams", "char_terms", "stem", "tokenize", "word_terms"]
