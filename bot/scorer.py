"""Scoring a text with a trained ``bot.softmax.Model``: one addition per known term.

A feature's stored weights (every class's, packed in one integer) are already multiplied by
its idf, so a block's logits are the plain sum of its terms' stored weights divided by the
block's norm. The spelling block is a sum over distinct words (``bot.features``), so each
word the examples use keeps its n-grams' summed weights and squared norm ready: a text's
spelling costs one look-up and one addition per word. A word the examples never use is
spelled out gram by gram, as training would have seen it.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .features import spelled_words, spelling
from .softmax import READ_SHIFT, TF_BITS, WEIGHT_BITS, Model, Packing, softmax

_ONE = 1 << TF_BITS


@dataclass(frozen=True)
class Scorer:
    """Term -> (packed weights, idf**2) for both blocks, word -> (packed spelling at
    ``2**TF_BITS``, its squared norm) for the example words, and the biases."""

    packing: Packing
    words: dict[str, tuple[int, float]]
    chars: dict[str, tuple[int, float]]
    spelled: dict[str, tuple[int, float]]
    bias: tuple[float, ...]
    unit: float
    share: float

    @classmethod
    def of(cls, model: Model, words: Mapping[str, tuple[int, float]],
           chars: Mapping[str, tuple[int, float]], share: float,
           vocabulary: Iterable[str]) -> Scorer:
        """``words`` and ``chars`` map a term to its feature id and idf; ``vocabulary``
        holds the words whose spelling is kept ready."""
        w = model.weights
        unit = float(1 << (WEIGHT_BITS + TF_BITS)) * model.scale
        char_table = {t: (w[f], v * v) for t, (f, v) in chars.items()}
        bias = tuple(model.packing.unpack(model.bias << TF_BITS, 1.0 / unit))
        out = cls(model.packing, {t: (w[f], v * v) for t, (f, v) in words.items()},
                  char_table, {}, bias, unit, share)
        spelled = {}
        for word in vocabulary:
            hit = out.spell(word, 0.0)
            if hit is not None:
                spelled[word] = hit
        out.spelled.update(spelled)  # filled once, here, before the scorer is shared
        return out

    def spell(self, word: str, unseen: float) -> tuple[int, float] | None:
        """The word's spelling: its known n-grams' packed weights at ``2**TF_BITS`` and
        its squared norm; None when none of its n-grams is known."""
        once = 0
        more = 0
        norm2 = 0.0
        known = False
        table = self.chars
        for g, s in spelling(word):
            hit = table.get(g)
            if hit is None:
                norm2 += (s * unseen) ** 2
            elif s == 1.0:
                once += hit[0]
                norm2 += hit[1]
                known = True
            else:
                more += hit[0] * round(s * _ONE)
                norm2 += s * s * hit[1]
                known = True
        return ((once << TF_BITS) + more, norm2) if known else None

    def probabilities(self, word_tf: Mapping[str, float], words: Sequence[str],
                      unseen: float = 0.0) -> list[float] | None:
        """The softmax over the classes for a text's word term frequencies and its words
        (for their spelling), scored exactly as training saw its examples
        (``bot.features.Vocabulary.blocks``); None when no term is known."""
        packed: list[array[float]] = []
        scales: list[float] = []
        once = 0
        more = 0
        norm2 = 0.0
        table = self.words
        for t, c in word_tf.items():
            hit = table.get(t)
            if hit is None:
                if unseen:
                    norm2 += ((1.0 + math.log(c) if c > 1.0 else c) * unseen) ** 2
            elif c == 1:
                once += hit[0]
                norm2 += hit[1]
            else:
                s = 1.0 + math.log(c) if c > 1.0 else c
                more += hit[0] * round(s * _ONE)
                norm2 += s * s * hit[1]
        if once or more:
            self._read((once << TF_BITS) + more, 1.0 / (self.unit * math.sqrt(norm2)),
                       packed, scales)
        total = 0
        norm2 = 0.0
        known = False
        ready = self.spelled
        for w in spelled_words(words):
            hit2 = ready.get(w) or self.spell(w, unseen)
            if hit2 is not None:
                total += hit2[0]
                norm2 += hit2[1]
                known = True
        if known:
            self._read(total, self.share / (self.unit * math.sqrt(norm2)), packed, scales)
        if not packed:
            return None
        shift = READ_SHIFT * sum(scales)
        exp = math.exp
        try:
            # One pass over the classes (logits of normalised text stay far from exp's
            # range limits; the careful softmax takes over if they do not).
            if len(packed) == 2:
                s1, s2 = scales
                e = [exp(a * s1 + b * s2 + c - shift)
                     for a, b, c in zip(*packed, self.bias, strict=True)]
            else:
                s1 = scales[0]
                e = [exp(a * s1 + c - shift) for a, c in zip(packed[0], self.bias, strict=True)]
            total_e = sum(e)
            if total_e > 1e-300:
                inv = 1.0 / total_e
                return [v * inv for v in e]
        except OverflowError:
            pass
        z = [sum((v - READ_SHIFT) * k for v, k in zip(fields, scales, strict=True)) + c
             for *fields, c in zip(*packed, self.bias, strict=True)]
        return softmax(z)

    def _read(self, total: int, scale: float, packed: list[array[float]],
              scales: list[float]) -> None:
        d = self.packing.floats(total)
        if d is None:  # a very long text: read the fields one by one
            d = array("d", (v + READ_SHIFT for v in self.packing.unpack(total, 1.0)))
        packed.append(d)
        scales.append(scale)


__all__ = ["Scorer"]
