"""Stage 3: which intent a message expresses, learned from example utterances.

Features are words, light stems, word bigrams and character n-grams of words. Each feature
is weighted by idf times how concentrated it is across intents (1 - the normalised entropy
of its intent distribution): "who" and "when" carry their weight, "the" and "what" do not.
A message is scored against every intent's centroid, then against the examples of the
best-scoring intents (mean of the nearest few), all through inverted indexes. An averaged
perceptron trained on the same examples then re-weighs those similarities: the similarity
says how familiar a text is (and so whether it is in scope at all), the perceptron which of
the familiar intents it is. Words the examples never use are first corrected to the closest
example word (rapidfuzz), so typos like "examles" still count. Pure Python.

The out-of-scope threshold is chosen from held-out scores of the examples themselves when
some are labelled out of scope (``bot.calibration``).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

from .normalise import fold

_WORD = re.compile(r"\{[a-z_]+\}|[^\W_]+")
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ers", "er", "ed", "es", "ly", "s")

WORD_WEIGHT = 1.0
STEM_WEIGHT = 0.6
BIGRAM_WEIGHT = 0.8
CHAR_WEIGHT = 0.5
CHAR_SIZES = (4, 5)
CONCENTRATION_FLOOR = 0.05  # the weight factor of a feature spread evenly over all intents
NEIGHBOUR_SHARE = 0.4  # the rest of an intent's score comes from its centroid
NEIGHBOURS = 2  # an intent's neighbour score: the mean of its best NEIGHBOURS example scores
SHORTLIST = 20  # only the intents with the best centroid scores are compared example by example
CENTROID_PRUNE = 0.4  # features less concentrated than this only count in norms, not in sums
CHAR_PRUNE = 0.6  # the same for character n-grams, which are many
EXAMPLE_PRUNE = 0.4  # the same for the example pass
TYPO_CUTOFF = 80.0
MEMO_SIZE = 1024  # recent texts whose ranking is kept (0: none)
LINEAR_EPOCHS = 4  # passes of the perceptron over the examples
LINEAR_MARGIN = 2.0  # how far ahead of its best rival the perceptron wants an example's intent
LINEAR_PRUNE = 0.2  # features less concentrated than this are left out of the linear model
LINEAR_LAMBDA = 8.0  # how strongly the linear scores re-weigh the similarity scores


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude suffix strip: enough to let "deployed" meet "deployment"'s "deploy"."""
    if len(word) <= 4 or word.startswith("{"):
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def tokenize(text: str) -> list[str]:
    # ASCII needs no NFKC and casefolds like lower(): the common case, made fast.
    return _WORD.findall(text.lower() if text.isascii() else fold(text))


@lru_cache(maxsize=65536)
def _char_grams(word: str) -> tuple[str, ...]:
    padded = f" {word} "
    return tuple("c:" + padded[k : k + n] for n in CHAR_SIZES
                 for k in range(len(padded) - n + 1))


@dataclass(frozen=True)
class _Index:
    """Everything ``match`` reads; built once by ``from_examples`` and never changed."""

    intents: tuple[str, ...]
    example_intent: tuple[int, ...]
    weight: dict[str, float]
    centroid_postings: dict[str, tuple[tuple[int, float], ...]]
    vocabulary: frozenset[str]
    frequency: dict[str, int]
    near_length: dict[int, tuple[str, ...]]
    unseen_weight: float
    example_by_feature: dict[str, tuple[tuple[int, tuple[tuple[int, float], ...]], ...]]
    linear: dict[str, tuple[tuple[int, float], ...]]
    idf: dict[str, float]
    by_name: tuple[int, ...]
    examples: tuple[str, ...] = field(repr=False)


class IntentMatcher:
    """Ranks intents for a text; immutable after construction, so safe to share."""

    def __init__(self, index: _Index, threshold: float = 0.0, memo: int = MEMO_SIZE) -> None:
        self._ix = index
        self.threshold = threshold
        self._memo_size = memo
        # Rankings of recent texts: the slot-tokenised questions a bot sees repeat a lot
        # ("what type of model is {model}"). Thread-safe; the values are immutable.
        self._ranked = lru_cache(maxsize=memo)(self._rank) if memo else self._rank

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
        tokens = [tokenize(t) for t in texts]
        raw = [_features(words) for words in tokens]
        count = len(intents)
        size = [0] * count
        # For each feature, in how many examples of each intent it occurs. Character n-grams
        # are counted through the words that hold them (per word type, not per example).
        per_intent: dict[str, dict[int, int]] = defaultdict(dict)
        word_docs: list[dict[str, int]] = [defaultdict(int) for _ in intents]
        for feats, words, j in zip(raw, tokens, owner, strict=True):
            size[j] += 1
            for f in feats:
                d = per_intent[f]
                d[j] = d.get(j, 0) + 1
            if CHAR_WEIGHT:
                docs = word_docs[j]
                for w in set(words):
                    if w[0] != "{":
                        docs[w] += 1
        for j, docs in enumerate(word_docs):
            grams: dict[str, int] = defaultdict(int)
            for w, c in docs.items():
                for g in _char_grams(w):
                    grams[g] += c
            for g, c in grams.items():
                per_intent[g][j] = min(c, size[j])
        weight, idf, conc = _weights(per_intent, size)
        linear_idf = {f: v for f, v in idf.items() if conc[f] >= LINEAR_PRUNE}
        char_norm2: dict[str, float] = {}
        centroids: list[dict[str, float]] = [defaultdict(float) for _ in intents]
        char_mass: list[dict[str, float]] = [defaultdict(float) for _ in intents]
        example_postings: list[dict[str, list[tuple[int, float]]]] = [
            defaultdict(list) for _ in intents]
        word_vectors: list[dict[str, float]] = []
        for i, (feats, words) in enumerate(zip(raw, tokens, strict=True)):
            j = owner[i]
            vec = {f: ((1.0 + math.log(tf)) if tf >= 1 else tf) * weight[f]
                   for f, tf in feats.items()}
            norm2 = word_norm2 = sum(v * v for v in vec.values())
            spelled = [w for w in words if w[0] != "{"] if CHAR_WEIGHT else []
            for w in spelled:  # the n-grams' share of the norm, word by word
                c2 = char_norm2.get(w)
                if c2 is None:
                    c2 = char_norm2[w] = sum((CHAR_WEIGHT * weight[g]) ** 2
                                             for g in _char_grams(w))
                norm2 += c2
            inv = 1.0 / math.sqrt(norm2) if norm2 else 1.0
            # Examples are compared on words alone (an exact match scores 1).
            inv_words = 1.0 / math.sqrt(word_norm2) if word_norm2 else 1.0
            word_vectors.append(_linear_vector(feats, linear_idf))
            centroid = centroids[j]
            postings = example_postings[j]
            for f, v in vec.items():
                centroid[f] += v * inv
                if conc[f] >= EXAMPLE_PRUNE:
                    postings[f].append((i, v * inv_words))
            mass = char_mass[j]
            for w in spelled:
                mass[w] += inv
        for j, mass in enumerate(char_mass):
            centroid = centroids[j]
            for w, m in mass.items():
                for g in _char_grams(w):
                    centroid[g] += m * CHAR_WEIGHT * weight[g]
        centroid_postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for j, vector in enumerate(centroids):
            norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
            for f, v in vector.items():
                if conc[f] >= (CHAR_PRUNE if f[0] == "c" else CENTROID_PRUNE):
                    centroid_postings[f].append((j, v / norm))
        frequency: dict[str, int] = defaultdict(int)
        for words in tokens:
            for word in words:
                if not word.startswith("{"):
                    frequency[word] += 1
        vocab = frozenset(frequency)
        near_length: dict[int, list[str]] = defaultdict(list)
        for word in sorted(vocab):  # a typo is at most two letters longer or shorter
            for k in range(len(word) - 2, len(word) + 3):
                near_length[k].append(word)
        n = len(texts)
        by_name = tuple(sorted(range(count), key=intents.__getitem__))
        index = _Index(
            intents=tuple(intents), example_intent=tuple(owner), weight=weight,
            centroid_postings={f: tuple(p) for f, p in centroid_postings.items()},
            vocabulary=vocab, frequency=dict(frequency),
            near_length={k: tuple(v) for k, v in near_length.items()},
            unseen_weight=math.log(n + 1) + 1.0,  # as rare as a feature can be
            example_by_feature=_by_feature(example_postings),
            linear=_train_linear(word_vectors, owner, intents, texts, by_name),
            idf={f: v for f, v in idf.items() if not f.startswith("c:")},
            by_name=by_name,
            examples=tuple(texts))
        return cls(index, threshold)

    def correct(self, words: list[str]) -> list[tuple[str, float]]:
        """Each word, or the example word it is a typo of, with how sure that is."""
        out = []
        for w in words:
            if w in self._ix.vocabulary or w.startswith("{") or len(w) < 3 or w.isdigit():
                out.append((w, 1.0))
                continue
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
        corrected = self.correct(words)
        feats = _features([w for w, _ in corrected], [c for _, c in corrected])
        word_query = _weigh(feats, ix.weight, ix.unseen_weight)
        # Normalised over every feature (unseen ones too), as unfamiliar text should sound
        # less sure; summed over the perceptron's own.
        linear_query = _weigh(feats, ix.idf, ix.unseen_weight)
        for w in words:
            if w[0] != "{":
                for g in _char_grams(w):
                    feats[g] = feats.get(g, 0.0) + CHAR_WEIGHT
        query = _weigh(feats, ix.weight, ix.unseen_weight)
        count = len(ix.intents)
        central = [0.0] * count
        if not query:
            return tuple((ix.intents[j], 0.0) for j in ix.by_name)
        for f, qw in query.items():
            for j, cw in ix.centroid_postings.get(f, ()):
                central[j] += qw * cw
        shortlist: Iterable[int] = range(count)
        if count > SHORTLIST:
            shortlist = sorted(shortlist, key=central.__getitem__, reverse=True)[:SHORTLIST]
        short = set(shortlist)
        scores: dict[int, float] = {}
        for f, qw in word_query.items():
            for j, postings in ix.example_by_feature.get(f, ()):
                if j in short:
                    for i, ew in postings:
                        scores[i] = scores.get(i, 0.0) + qw * ew
        per_intent: dict[int, list[float]] = defaultdict(list)
        for i, s in scores.items():
            per_intent[ix.example_intent[i]].append(s)
        mixed = {j: (1 - NEIGHBOUR_SHARE) * c for j, c in enumerate(central) if c > 0.0}
        for j, found in per_intent.items():
            found.sort(reverse=True)
            mixed[j] = mixed.get(j, 0.0) + NEIGHBOUR_SHARE * sum(found[:NEIGHBOURS]) / NEIGHBOURS
        if LINEAR_LAMBDA and linear_query:
            # Each intent's similarity, discounted by how far its linear score is behind the
            # best one: the similarity says how familiar the text is, the perceptron which
            # of the familiar intents it is.
            linear: dict[int, float] = {}
            for f, qw in linear_query.items():
                for j, lw in ix.linear.get(f, ()):
                    linear[j] = linear.get(j, 0.0) + qw * lw
            top = max(linear.values(), default=0.0)
            if len(linear) < count:  # an intent no feature has touched scores 0
                top = max(top, 0.0)
            mixed = {j: m * math.exp(LINEAR_LAMBDA * (linear.get(j, 0.0) - top))
                     for j, m in mixed.items()}
        # Best first; equal scores in name order (a stable sort of the name-ordered ids).
        ranked = sorted((j for j in ix.by_name if mixed.get(j, 0.0) > 0.0),
                        key=mixed.__getitem__, reverse=True)
        out = [(ix.intents[j], min(1.0, mixed[j])) for j in ranked]
        if len(out) < count:  # the rest score 0, in name order
            out += [(ix.intents[j], 0.0) for j in ix.by_name if mixed.get(j, 0.0) <= 0.0]
        return tuple(out)


def _train_linear(vectors: list[dict[str, float]], owner: list[int], names: list[str],
                  texts: list[str], by_name: tuple[int, ...]
                  ) -> dict[str, tuple[tuple[int, float], ...]]:
    """Weights of an averaged multiclass perceptron with a margin (Crammer and Singer's
    update against the best rival), kept feature first like every other index here.

    Discriminative weights learn what the similarity scores cannot: that a word shared by
    two intents says nothing, and which words make an utterance out of scope. An example
    that cleared the margin sits out the next epoch (it would most likely not update).
    """
    import random  # fitting only: not on the start-up path of a bot loaded from its cache

    w: dict[str, dict[int, float]] = defaultdict(dict)
    u: dict[str, dict[int, float]] = defaultdict(dict)  # update * step, for the average
    # The same weights whatever order the examples came in.
    order = sorted(range(len(vectors)), key=lambda i: (names[owner[i]], texts[i]))
    rng = random.Random(0)
    easy = [False] * len(vectors)
    step = 1
    for _ in range(LINEAR_EPOCHS):
        rng.shuffle(order)
        for i in order:
            step += 1
            if easy[i]:
                easy[i] = False
                continue
            x = vectors[i]
            y = owner[i]
            s: dict[int, float] = {}
            for f, v in x.items():
                wf = w.get(f)
                if wf:
                    for j, wj in wf.items():
                        s[j] = s.get(j, 0.0) + v * wj
            sy = s.pop(y, 0.0)
            rival = max(s, key=s.__getitem__) if s else -1  # ties: canonical insertion order
            sr = s[rival] if s else 0.0
            if sr < 0.0 or rival < 0:  # an intent no feature has touched scores 0
                rival = next((j for j in by_name if j != y and j not in s), rival)
                sr = 0.0 if rival >= 0 else sr
            if rival < 0:
                continue
            margin = sy - sr
            if margin >= LINEAR_MARGIN:
                easy[i] = True
                continue
            for f, v in x.items():
                wf = w[f]
                uf = u[f]
                cv = step * v
                wf[y] = wf.get(y, 0.0) + v
                uf[y] = uf.get(y, 0.0) + cv
                wf[rival] = wf.get(rival, 0.0) - v
                uf[rival] = uf.get(rival, 0.0) - cv
    out = {}
    for f, wf in w.items():
        uf = u[f]
        avg = tuple((j, a) for j, wj in wf.items() if abs(a := wj - uf[j] / step) > 1e-6)
        if avg:
            out[f] = avg
    return out


def _linear_vector(feats: Mapping[str, float], idf: Mapping[str, float]) -> dict[str, float]:
    """A training example as the perceptron sees it: sublinear tf-idf over the features
    concentrated enough to be worth a weight (plain idf: it learns for itself which features
    tell intents apart), L2-normalised."""
    vec = {f: ((1.0 + math.log(tf)) if tf >= 1 else tf) * idf[f]
           for f, tf in feats.items() if f in idf}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {f: v / norm for f, v in vec.items()}


def _by_feature(per_intent: list[dict[str, list[tuple[int, float]]]]
                ) -> dict[str, tuple[tuple[int, tuple[tuple[int, float], ...]], ...]]:
    """Example postings regrouped feature first, so a query visits only what it shares."""
    out: dict[str, list[tuple[int, tuple[tuple[int, float], ...]]]] = defaultdict(list)
    for j, postings in enumerate(per_intent):
        for f, plist in postings.items():
            out[f].append((j, tuple(plist)))
    return {f: tuple(v) for f, v in out.items()}


def _features(words: list[str], confidence: list[float] | None = None) -> dict[str, float]:
    """Raw (term-frequency) features of a token list."""
    conf = confidence or [1.0] * len(words)
    feats: dict[str, float] = defaultdict(float)
    for w, c in zip(words, conf, strict=True):
        feats["w:" + w] += WORD_WEIGHT * c
        s = stem(w)
        if s != w and STEM_WEIGHT:  # an unchanged stem would only repeat the word feature
            feats["s:" + s] += STEM_WEIGHT * c
    pairs = list(zip(words, conf, strict=True))
    for (a, ca), (b, cb) in zip(pairs, pairs[1:], strict=False):
        feats["b:" + a + " " + b] += BIGRAM_WEIGHT * min(ca, cb)
    return feats


def _weights(per_intent: Mapping[str, Mapping[int, int]], size: list[int]
             ) -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    """Each feature's similarity weight (idf times its concentration across intents), its
    idf, and its concentration."""
    n = sum(size)
    log_k = math.log(len(size)) if len(size) > 1 else 1.0
    weight = {}
    idf = {}
    concentration = {}
    for f, d in per_intent.items():
        idf[f] = math.log((n + 1) / (sum(d.values()) + 1)) + 1.0
        if len(d) > 1:
            rates = [c / size[j] for j, c in d.items()]
            total = sum(rates)
            h = -sum(r / total * math.log(r / total) for r in rates) / log_k
            conc = max(0.0, 1.0 - h)
        else:
            conc = 1.0
        concentration[f] = conc
        weight[f] = idf[f] * (CONCENTRATION_FLOOR + (1 - CONCENTRATION_FLOOR) * conc)
    return weight, idf, concentration


def _weigh(feats: Mapping[str, float], weight: Mapping[str, float], unseen: float
           ) -> dict[str, float]:
    """Sublinear tf times the feature's weight, L2-normalised; features never seen in
    training are dropped from the numerator but still count in the norm, so unfamiliar text
    scores low."""
    vec = {}
    norm2 = 0.0
    for f, tf in feats.items():
        w = (1.0 + math.log(tf)) if tf >= 1 else tf
        g = weight.get(f)
        if g is None:
            norm2 += (w * unseen) ** 2
            continue
        vec[f] = w * g
        norm2 += vec[f] ** 2
    norm = math.sqrt(norm2) or 1.0
    return {f: w / norm for f, w in vec.items()}


__all__ = ["IntentMatcher", "stem", "tokenize"]
