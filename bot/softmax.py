"""A multinomial logistic regression over sparse features, all classes packed in one integer.

Pure Python scores one feature against one class at a time; here the weights of a feature
for every class are fixed-point fields of a single big integer, so adding a feature's
contribution to all K class scores is one integer addition done at C speed. Training packs
the softmax gradient of all classes likewise, and each active feature takes it in one
multiply-add.

A text is two blocks of terms (words; character n-grams), each sublinear TF-IDF and
L2-normalised. A feature's stored weights are its idf times its weights for a normalised
input, so a block's score is the plain sum of the stored weights of its terms (a term seen
once, as most are) divided by the block's norm after unpacking: additions only (scoring
lives in ``bot.scorer``).

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
from collections.abc import Callable, Sequence

from .values import value

FIELD = 64  # bits per class; array("Q") reads the fields back in one call
OFFSET_BITS = FIELD - 2
WEIGHT_BITS = 26  # a stored weight w is round(w * 2**WEIGHT_BITS)
GRADIENT_BITS = 10  # a probability p is packed as round(p * 2**GRADIENT_BITS)
RATE_BITS = 4  # the learning rate is multiplied in as round(rate * 2**RATE_BITS)
STEP_DIGITS = 4  # significant bits of a term's step (see ``_plan``)
TF_BITS = 6  # a term seen more than once is multiplied in as round(tf weight * 2**TF_BITS)

EPOCHS_MIN = 5
EPOCHS_MAX = 100
UPDATES = 12000  # passes enough to converge on small data: epochs = UPDATES / examples
AVERAGED = 0.5  # the share of the last epochs whose end-of-epoch weights are averaged
SNAPSHOTS = 8  # at most this many (their sum is kept: fields must not outgrow FIELD bits)
RATE = 2.0  # the first epoch's learning rate; epoch e learns at RATE / (1 + DECAY * e)
DECAY = 0.1
SETTLED = 0.002  # an example whose label has all but this much probability is not updated on


@value
class Block:
    """One block of a text's terms: (feature id, sublinear tf) of the known terms, and the
    block's norm (its L2 norm over idf-weighted terms, divided by the block's share)."""

    terms: tuple[tuple[int, float], ...]
    norm: float


@value
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
    half: int = 0  # 2**51 in every field
    high: int = 0  # bits 52-63 of every field
    top: int = 0  # 2**52 in the last field

    @classmethod
    def of(cls, classes: int) -> Packing:
        every = [FIELD * k for k in range(classes)]
        return cls(classes, sum(1 << (OFFSET_BITS + k) for k in every),
                   sum(_PATTERN << k for k in every), sum(1 << (51 + k) for k in every),
                   sum(((1 << FIELD) - (1 << 52)) << k for k in every),
                   1 << (52 + FIELD * (classes - 1)))

    def floats(self, packed: int) -> array[float] | None:
        """Each field plus READ_SHIFT, as doubles; None when a field is beyond 2**51.

        Checked on the integer (two operations at C speed): with 2**51 added to every
        field, each lies in [0, 2**52) exactly when none borrowed from or carried into its
        neighbour, so no field may have a bit from 52 up."""
        t = packed + self.half
        if t < 0 or t >= self.top or t & self.high:
            return None
        return array("d", (packed + self.base).to_bytes(8 * self.classes, "little"))

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


@value
class Model:
    """What training leaves: per-feature packed weights (idf times the weight, at
    ``2**WEIGHT_BITS * scale``) and packed biases (at the same scale)."""

    packing: Packing
    weights: tuple[int, ...]
    bias: int
    scale: int  # the weights and bias are sums of this many snapshots


def softmax(z: Sequence[float]) -> list[float]:
    top = max(z)
    e = [math.exp(v - top) for v in z]
    s = sum(e)
    return [v / s for v in e]


def epochs_for(examples: int) -> int:
    return max(EPOCHS_MIN, min(EPOCHS_MAX, math.ceil(UPDATES / max(1, examples))))


def _merged(texts: Sequence[tuple[Block, Block]]) -> list[int]:
    """Each feature's representative: the first feature of its block whose column (the
    texts it occurs in, at which tf) is the same. Such features get the same update at
    every step from the same start, so they stay equal all through training and one
    integer can stand for them all: exactly the same model for less work. (A rare word's
    character n-grams are most of them.)"""
    columns: dict[int, array[float]] = {}
    word_ids: set[int] = set()  # the blocks' norms differ: a word and an n-gram never merge
    for i, (words, chars) in enumerate(texts):
        at = float(i)
        for b in (words, chars):
            for f, tf in b.terms:
                col = columns.get(f)
                if col is None:
                    col = columns[f] = array("d")
                col.append(at)
                col.append(tf)
        word_ids.update(f for f, _ in words.terms)
    first: dict[tuple[bool, bytes], int] = {}
    rep = list(range(max(columns, default=-1) + 1))
    for f in sorted(columns):
        rep[f] = first.setdefault((f in word_ids, columns[f].tobytes()), f)
    return rep


Sums = tuple[tuple[int, ...], tuple[tuple[int, tuple[int, ...]], ...]]


def _plan(b: Block, rep: Sequence[int], idf: Sequence[float], update_bits: int,
          moves: dict[int, list[int]]) -> Sums:
    """How a block's packed sum is added up, merged features counted once, and (into
    ``moves``, by multiplier) how its terms move. The sum is that of every term's weight
    times its tf weight at 2**TF_BITS, so representatives seen once are added as they are
    (the total then shifted by TF_BITS), the rest grouped by their integer factor (how
    many features one stands for, times the tf weight). The input is tf * idf / norm and
    the stored weight idf times the weight, so a stored weight moves by rate * gradient *
    tf * idf**2 / norm; a merged feature moves once, as each of its own does."""
    count: dict[tuple[int, float], int] = {}
    for f, tf in b.terms:
        key = (rep[f], tf)
        count[key] = count.get(key, 0) + 1
    ones: list[int] = []
    factors: dict[int, list[int]] = {}
    norm = b.norm
    unit = 1 << update_bits
    for (f, tf), n in count.items():
        if tf == 1.0 and n == 1:
            ones.append(f)
        else:
            k = n << TF_BITS if tf == 1.0 else n * round(tf * (1 << TF_BITS))
            factors.setdefault(k, []).append(f)
        v = idf[f]
        m = round(tf * v * v / norm * unit)
        # Rounded to STEP_DIGITS significant bits: terms of a text whose steps agree that
        # closely share one multiplication of the gradient (a per-term rate off by at most
        # half a part in 2**STEP_DIGITS, which SGD does not notice).
        spare = m.bit_length() - STEP_DIGITS
        if spare > 0:
            m = ((m + (1 << (spare - 1))) >> spare) << spare
        moves.setdefault(m, []).append(f)
    return tuple(ones), tuple((k, tuple(fs)) for k, fs in factors.items())


def _forward(plan: Sums, get: Callable[[int], int]) -> int:
    ones, factors = plan
    total = sum(map(get, ones)) << TF_BITS
    for k, fs in factors:
        total += k * sum(map(get, fs))
    return total


def train(texts: Sequence[tuple[Block, Block]], labels: Sequence[int], classes: int,
          idf: Sequence[float], seed: int = 0,
          class_weight: Sequence[float] | None = None) -> Model:
    """Fit by SGD on the softmax (cross-entropy) loss; deterministic for a given order of
    ``texts`` and ``seed``. ``class_weight`` scales the rate of a class's examples
    (default 1 for every class)."""
    pk = Packing.of(classes)
    features = len(idf)
    rep = _merged(texts)
    rep += range(len(rep), features)
    w = [0] * features
    bias = 0
    epochs = epochs_for(len(texts))
    keep = max(1, min(SNAPSHOTS, round(AVERAGED * epochs)))
    summed = [0] * features
    bias_sum = 0
    unit = float(1 << (WEIGHT_BITS + TF_BITS))
    one_hot = [(1 << GRADIENT_BITS) << (FIELD * k) for k in range(classes)]
    bias_scale = 1.0 / (1 << WEIGHT_BITS)
    # Per text: how its blocks add up, how its terms move, and the scales that read the
    # blocks back.
    update_bits = WEIGHT_BITS - GRADIENT_BITS - RATE_BITS
    plans = []
    for words, chars in texts:
        moves: dict[int, list[int]] = {}
        plans.append((_plan(words, rep, idf, update_bits, moves),
                      _plan(chars, rep, idf, update_bits, moves),
                      tuple((m, tuple(fs)) for m, fs in moves.items()),
                      1.0 / (unit * words.norm), 1.0 / (unit * chars.norm)))
    order = list(range(len(texts)))
    class_weight = class_weight or [1.0] * classes
    import random  # training only: not on a cached start-up

    rng = random.Random(seed)
    read = pk.floats
    exp = math.exp
    get = w.__getitem__
    shift = READ_SHIFT
    easy = [False] * len(texts)
    for epoch in range(epochs):
        rng.shuffle(order)
        base = RATE / (1.0 + DECAY * epoch) * (1 << RATE_BITS)
        rates = [max(1, round(base * cw)) for cw in class_weight]
        for i in order:
            if easy[i]:  # settled last epoch: most likely still settled, so sit this one out
                easy[i] = False
                continue
            word_plan, char_plan, update, sw, sc = plans[i]
            ws = read(_forward(word_plan, get))
            cs = read(_forward(char_plan, get))
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
            # The negative gradient, one-hot(label) - p, as the target minus the packed p
            # (each p * norm rounded to an integer by adding 1.5 * 2**52: ``floats`` in
            # reverse); times the rate, then each term's own multiplier.
            p = int.from_bytes(array("d", [v * norm + shift for v in e]).tobytes(),
                               "little") - pk.base
            grad = (one_hot[y] - p) * rates[y]
            for m, fs in update:
                step = grad * m
                for f in fs:
                    w[f] += step
            bias += grad << update_bits
        if epoch >= epochs - keep:
            for f in range(features):
                if rep[f] == f:
                    summed[f] += w[f]
            bias_sum += bias
    return Model(pk, tuple(summed[r] for r in rep), bias_sum, keep)


__all__ = ["Block", "Model", "Packing", "softmax", "train"]
