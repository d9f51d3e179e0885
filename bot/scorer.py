"""Scoring a text with a trained ``bot.softmax.Model``: a few additions per word.

A feature's stored weights (every class's, packed in one integer) are already multiplied by
its idf, so a block's logits are the plain sum of its terms' stored weights divided by the
block's norm. The character block counts each n-gram over the whole text (sublinear tf,
``bot.features``); a text's n-gram counts are the sum of its words' counts, so each word the
examples use keeps its n-grams' summed weights and squared idf ready, and only an n-gram
that occurs more than once in the text needs its own correction (its tf is sublinear).
Exactly the model training fitted, at one look-up per word rather than per n-gram.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from itertools import chain

from .features import SPELL_SLOTS, char_grams
from .softmax import READ_SHIFT, TF_BITS, WEIGHT_BITS, Model, Packing, softmax
from .values import value

_ONE = 1 << TF_BITS


def _repeated(c: int) -> tuple[int, float, float]:
    """For a term seen c > 1 times, which counts 1 + ln(c) rather than c: the correction
    of the packed sum (at 2**TF_BITS), its square in the norm, and the norm's correction."""
    s = 1.0 + math.log(c)
    return round(s * _ONE) - c * _ONE, s * s, s * s - c


_REPEATED = tuple(_repeated(c) if c > 1 else (0, 1.0, 0.0) for c in range(32))


Spelling = tuple[int, float, int, bool]
"""A word's n-grams, each counted once per occurrence in the word: their packed weights (at
``2**TF_BITS``), their squared idfs, how many were unknown, and whether any was known. A
plain tuple: hundreds of them are unpickled with every Bot."""


@value
class Scorer:
    """Term -> (packed weights, idf**2) for both blocks, word -> its Spelling for the
    example words, and the biases."""

    packing: Packing
    words: dict[str, tuple[int, float]]
    chars: dict[str, tuple[int, float]]
    spelled: dict[str, Spelling]
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
        bias = tuple(model.packing.unpack(model.bias << TF_BITS, 1.0 / unit))
        out = cls(model.packing, {t: (w[f], v * v) for t, (f, v) in words.items()},
                  {t: (w[f], v * v) for t, (f, v) in chars.items()}, {}, bias, unit, share)
        spelled = {word: out.spell(word) for word in vocabulary}
        out.spelled.update(spelled)  # filled once, here, before the scorer is shared
        return out

    def spell(self, word: str) -> Spelling:
        table = self.chars
        packed = 0
        norm2 = 0.0
        unknown = 0
        for g in char_grams(word):
            hit = table.get(g)
            if hit is None:
                unknown += 1
            else:
                packed += hit[0]
                norm2 += hit[1]
        return packed << TF_BITS, norm2, unknown, unknown < len(char_grams(word))

    def probabilities(self, word_tf: Mapping[str, float], words: Sequence[str],
                      unseen: float = 0.0) -> list[float] | None:
        """The softmax over the classes for a text's word term frequencies and its words
        (spelled out for the character block), scored exactly as training saw its
        examples (``bot.features.Vocabulary.blocks``); None when no term is known. An
        unknown term counts in its block's norm at idf ``unseen``."""
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
        spelled = words if SPELL_SLOTS else [w for w in words if w[0] != "{"]
        if spelled:
            total = 0
            norm2 = 0.0
            unknown = 0
            known = False
            ready = self.spelled
            for w in spelled:
                sp = ready.get(w) or self.spell(w)
                total += sp[0]
                norm2 += sp[1]
                unknown += sp[2]
                known = known or sp[3]
            every = list(chain.from_iterable(map(char_grams, spelled)))
            if len(set(every)) < len(every):  # (most texts repeat no n-gram: no counting)
                grams = Counter(every)
                # An n-gram seen c > 1 times counts 1 + ln(c), not c: correct the sums.
                table = self.chars
                for g, c in grams.items():
                    if c > 1:
                        step, square, excess = _REPEATED[c] if c < 32 else _repeated(c)
                        hit = table.get(g)
                        if hit is None:  # counted with the unknown ones below, as 1 + ln(c)
                            norm2 += square * unseen * unseen
                            unknown -= c
                        else:
                            total += hit[0] * step
                            norm2 += excess * hit[1]
            if known:
                norm2 += unknown * unseen * unseen
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
