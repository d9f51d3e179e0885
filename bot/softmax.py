"""A multinomial logistic regression over sparse features, all classes packed in one integer.

Pure Python scores one feature against one class at a time; here the weights of a feature
for every class are fixed-point fields of a single big integer, so adding a feature's
contribution to all K class scores is one integer addition done at C speed. Training packs
the softmax gradient of all classes likewise, and each active feature takes it in one
multiply-add.

A text is two blocks of terms (words; character n-grams), each sublinear TF-IDF and
L2-normalised. A feature's stored weights are its idf times its weights for a normalised
input, so a block's score is the plain sum of the stored weights of its terms (a term seen
once, as most are) divided by the block's norm after unpacking: additions only.

Fields are FIELD bits wide and hold signed values: a packed sum is exact integer arithmetic
while every field stays well inside +-2**OFFSET_BITS, and reading one back adds 2**OFFSET_BITS
to every field first so each is a plain unsigned number. Shifts left and multiplications by
an integer are exact on packed values; division and right shifts are not (borrows would cross
fields) and are never used.

Trained by SGD with a decaying rate over shuffled epochs, the end-of-epoch weights of the
last epochs averaged. An example the model already gives nearly all its probability to is
not updated on (its gradient is negligible): this saves most of the work of later epochs and
keeps weights from growing without bound on separable data, in place of a penalty term.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

FIELD = 64  # bits per class; array("Q") reads the fields back in one call
OFFSET_BITS = FIELD - 2
WEIGHT_BITS = 26  # a stored weight w is round(w * 2**WEIGHT_BITS)
GRADIENT_BITS = 10  # a probability p is packed as round(p * 2**GRADIENT_BITS)
RATE_BITS = 4  # the learning rate is multiplied in as round(rate * 2**RATE_BITS)
STEP_DIGITS = 4  # significant bits of a term's step (see ``_coarse``)
TF_BITS = 6  # a term seen more than once is multiplied in as round(tf weight * 2**TF_BITS)

EPOCHS_MIN = 5
EPOCHS_MAX = 100
UPDATES = 12000  # passes enough to converge on small data: epochs = UPDATES / examples
AVERAGED = 0.5  # the share of the last epochs whose end-of-epoch weights are averaged
SNAPSHOTS = 8  # at most this many (their sum is kept: fields must not outgrow FIELD bits)
RATE = 2.0  # the first epoch's learning rate; epoch e learns at RATE / (1 + DECAY * e)
DECAY = 0.1
SETTLED = 0.002  # an example whose label has all but this much probability is not updated on


@dataclass(frozen=True)
class Block:
    """One block of a text's terms: (feature id, sublinear tf) of the known terms, and the
    block's norm (its L2 norm over idf-weighted terms, divided by the block's share)."""

    terms: tuple[tuple[int, float], ...]
    norm: float


@dataclass(frozen=True)
class Packing:
    """How K signed fields sit in one integer, with the constants to read them back.

    ``floats`` reads every field as a double at once: a double whose bits are
    0x4338000000000000 + v is exactly 1.5 * 2**52 + v for |v| < 2**51 (the mantissa is
    linear at a fixed exponent), so adding that pattern to every field and reading the bytes
    as doubles gives each field plus READ_SHIFT, with no integer conversion per class.
    """

    classes: int
    offset: int  # 2**OFFSET_BITS in every field
    base: int  # the double pattern of READ_SHIFT in every field

    @classmethod
    def of(cls, classes: int) -> Packing:
        return cls(classes, sum(1 << (OFFSET_BITS + FIELD * k) for k in range(classes)),
                   sum(_PATTERN << (FIELD * k) for k in range(classes)))

    def floats(self, packed: int) -> array[float] | None:
        """Each field plus READ_SHIFT, as doubles; None when a field is beyond 2**51."""
        d = array("d", (packed + self.base).to_bytes(8 * self.classes, "little"))
        return d if min(d) >= _LOW and max(d) < _HIGH else None

    def unpack(self, packed: int, scale: float) -> list[float]:
        """The K field values of ``packed``, each times ``scale`` (any magnitude)."""
        raw = array("Q", (packed + self.offset).to_bytes(8 * self.classes, "little"))
        off = 1 << OFFSET_BITS
        return [(v - off) * scale for v in raw]

    def pack(self, values: Sequence[int]) -> int:
        """Non-negative field values into one integer."""
        return int.from_bytes(array("Q", values).tobytes(), "little")


_PATTERN = 0x4338000000000000  # the bits of the double 1.5 * 2**52
READ_SHIFT = 1.5 * 2.0**52
_LOW = 2.0**52  # a field read back lies in [2**52, 2**53) when |field| < 2**51
_HIGH = 2.0**53


def block_sum(terms: Sequence[tuple[int, float]], weights: Sequence[int]) -> int:
    """Sum of the terms' packed weights at 2**TF_BITS times their scale: a term seen once
    is added, the rest multiplied in."""
    once = 0
    more = 0
    for f, tf in terms:
        if tf == 1.0:
            once += weights[f]
        else:
            more += round(tf * (1 << TF_BITS)) * weights[f]
    return (once << TF_BITS) + more


@dataclass(frozen=True)
class Model:
    """What training leaves: per-feature packed weights (idf times the weight, at
    ``2**WEIGHT_BITS * scale``) and packed biases (at the same scale)."""

    packing: Packing
    weights: tuple[int, ...]
    bias: int
    scale: int  # the weights and bias are sums of this many snapshots

    def scorer(self, words: Mapping[str, tuple[int, float]],
               chars: Mapping[str, tuple[int, float]], share: float) -> Scorer:
        """The model keyed by term, for scoring: ``words`` and ``chars`` map a term to its
        feature id and idf."""
        w = self.weights
        unit = float(1 << (WEIGHT_BITS + TF_BITS)) * self.scale
        return Scorer(self.packing, {t: (w[f], v * v) for t, (f, v) in words.items()},
                      {t: (w[f], v * v) for t, (f, v) in chars.items()},
                      tuple(self.packing.unpack(self.bias << TF_BITS, 1.0 / unit)), unit, share)


@dataclass(frozen=True)
class Scorer:
    """Term -> (packed weights, idf**2) for both blocks, and the biases: one dictionary
    look-up and one integer addition per term of a text."""

    packing: Packing
    words: dict[str, tuple[int, float]]
    chars: dict[str, tuple[int, float]]
    bias: tuple[float, ...]
    unit: float
    share: float

    def probabilities(self, word_tf: Mapping[str, float], char_tf: Mapping[str, float],
                      unseen: float = 0.0) -> list[float] | None:
        """The softmax over the classes for a text's term frequencies, scored exactly as
        training saw its examples (``bot.features.Vocabulary.blocks``); None when no term
        is known."""
        packed = []
        scales = []
        shift = 0.0
        for tf, table, share in ((word_tf, self.words, 1.0), (char_tf, self.chars, self.share)):
            once = 0
            more = 0
            norm2 = 0.0
            for t, c in tf.items():
                hit = table.get(t)
                if hit is None:
                    if unseen:
                        norm2 += ((1.0 + math.log(c) if c > 1.0 else c) * unseen) ** 2
                elif c == 1:
                    once += hit[0]
                    norm2 += hit[1]
                else:
                    s = 1.0 + math.log(c) if c > 1.0 else c
                    more += hit[0] * round(s * (1 << TF_BITS))
                    norm2 += s * s * hit[1]
            if once or more:
                total = (once << TF_BITS) + more
                d = self.packing.floats(total)
                scale = share / (self.unit * math.sqrt(norm2))
                if d is None:  # a very long text: read the fields one by one
                    d = array("d", (v + READ_SHIFT for v in self.packing.unpack(total, 1.0)))
                packed.append(d)
                scales.append(scale)
                shift += READ_SHIFT * scale
        if not packed:
            return None
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
        z = [sum(v * k for v, k in zip(fields, scales, strict=True)) + c
             for *fields, c in zip(*packed, self.bias, strict=True)]
        return softmax(z)


def softmax(z: Sequence[float]) -> list[float]:
    top = max(z)
    e = [math.exp(v - top) for v in z]
    s = sum(e)
    return [v / s for v in e]


def _coarse(x: float) -> int:
    """``x`` rounded to STEP_DIGITS significant bits: terms of a text whose steps agree
    that closely share one multiplication of the gradient (a per-term rate off by at most
    half a part in 2**STEP_DIGITS, which SGD does not notice)."""
    n = round(x)
    spare = n.bit_length() - STEP_DIGITS
    return n if spare <= 0 else ((n + (1 << (spare - 1))) >> spare) << spare


def epochs_for(examples: int) -> int:
    return max(EPOCHS_MIN, min(EPOCHS_MAX, math.ceil(UPDATES / max(1, examples))))


def train(texts: Sequence[tuple[Block, Block]], labels: Sequence[int], classes: int,
          idf: Sequence[float], seed: int = 0) -> Model:
    """Fit by SGD on the softmax (cross-entropy) loss; deterministic for a given order of
    ``texts`` and ``seed``."""
    pk = Packing.of(classes)
    features = len(idf)
    w = [0] * features
    bias = 0
    epochs = epochs_for(len(texts))
    keep = max(1, min(SNAPSHOTS, round(AVERAGED * epochs)))
    summed = [0] * features
    bias_sum = 0
    unit = float(1 << (WEIGHT_BITS + TF_BITS))
    one_hot = [(1 << GRADIENT_BITS) << (FIELD * k) for k in range(classes)]
    bias_scale = 1.0 / (1 << WEIGHT_BITS)
    # Per text: its blocks, each term's update multiplier and the scales that read the
    # blocks back. The input is tf * idf / norm and the stored weight idf times the
    # weight, so a stored weight moves by rate * gradient * tf * idf**2 / norm.
    update_bits = WEIGHT_BITS - GRADIENT_BITS - RATE_BITS
    plans = []
    for words, chars in texts:
        groups: dict[int, list[int]] = {}
        for b in (words, chars):
            for f, tf in b.terms:
                m = _coarse(tf * idf[f] * idf[f] / b.norm * (1 << update_bits))
                groups.setdefault(m, []).append(f)
        plans.append((words.terms, chars.terms, tuple((m, tuple(fs)) for m, fs in groups.items()),
                      1.0 / (unit * words.norm), 1.0 / (unit * chars.norm)))
    order = list(range(len(texts)))
    import random  # training only: not on a cached start-up

    rng = random.Random(seed)
    read = pk.floats
    exp = math.exp
    easy = [False] * len(texts)
    for epoch in range(epochs):
        rng.shuffle(order)
        rate = round(RATE / (1.0 + DECAY * epoch) * (1 << RATE_BITS))
        for i in order:
            if easy[i]:  # settled last epoch: most likely still settled, so sit this one out
                easy[i] = False
                continue
            word_terms, char_terms, update, sw, sc = plans[i]
            ws = read(block_sum(word_terms, w))
            cs = read(block_sum(char_terms, w))
            bs = read(bias)
            if ws is None or cs is None or bs is None:
                raise OverflowError("weights outgrew their fields: lower RATE or WEIGHT_BITS")
            # Each class's logit plus the same READ_SHIFT terms: the max removes them.
            z = [a * sw + b * sc + c * bias_scale for a, b, c in zip(ws, cs, bs, strict=True)]
            top = max(z)
            e = [exp(v - top) for v in z]
            total = sum(e)
            y = labels[i]
            if e[y] >= (1.0 - SETTLED) * total:
                easy[i] = True
                continue
            norm = (1 << GRADIENT_BITS) / total
            # The negative gradient, one-hot(label) - p, as the target minus the packed p;
            # times the rate, then each term's own multiplier.
            grad = (one_hot[y] - pk.pack([round(v * norm) for v in e])) * rate
            for m, fs in update:
                step = grad * m
                for f in fs:
                    w[f] += step
            bias += grad << update_bits
        if epoch >= epochs - keep:
            for f in range(features):
                summed[f] += w[f]
            bias_sum += bias
    return Model(pk, tuple(summed), bias_sum, keep)


__all__ = ["Block", "Model", "Packing", "Scorer", "softmax", "train"]
