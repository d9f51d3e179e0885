"""The out-of-scope threshold, chosen from data: held-out scores of the examples themselves.

A matcher fitted without some examples ranks them as it would rank new text; the best scores
of the in-scope ones it got right, against those of the out-of-scope ones it did not send to
an out-of-scope intent, say where "not understood" should begin. Used by
``IntentMatcher.from_examples`` (when no threshold is given) and by ``bot.evaluation``.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .matcher import IntentMatcher

OUT_OF_SCOPE_NAMES = frozenset({"out_of_scope", "oos", "fallback"})
"""Intent names that mean "not a question to answer" (``oos`` as in CLINC150)."""

MAX_REFUSED = 0.01
"""The share of answerable questions the threshold may turn away. Refusing a question that
was understood is the failure users notice most (a dead end after asking well), so the
threshold refuses as many out-of-scope messages as it can within this bound on held-out
in-scope ones: a false-rejection target, as in speaker verification."""

FOLDS = 5
LARGE = 3000  # up to this many examples, each is held out once; above, one fold only


def choose_threshold(in_scope_scores: Sequence[float], out_scope_scores: Sequence[float],
                     in_scope_total: int = 0, max_refused: float = MAX_REFUSED) -> float:
    """The out-of-scope threshold, from held-out scores.

    ``in_scope_scores``: best scores of in-scope utterances the matcher ranked correctly
    (an in-scope utterance ranked wrongly is lost whatever the threshold).
    ``out_scope_scores``: best scores of out-of-scope utterances that were matched to an
    in-scope intent (the threshold is what must refuse them; those sent to an out-of-scope
    intent are refused anyway).
    ``in_scope_total``: how many in-scope utterances there were in all, the ranked-wrongly
    ones included (default: as many as scores given).
    The highest-refusing threshold that turns away at most ``max_refused`` of the in-scope
    utterances; among thresholds refusing as many, the middle of their range, for margin.
    Returns 0.0 (refuse nothing) without out-of-scope scores.
    """
    if not out_scope_scores:
        return 0.0
    ins = sorted(in_scope_scores)
    outs = sorted(out_scope_scores)
    allowed = int(max_refused * max(in_scope_total, len(ins)) + 1e-9)
    # Below the (allowed + 1)-th lowest in-scope score, at most ``allowed`` are refused.
    ceiling = ins[allowed] if allowed < len(ins) else math.inf
    refusable = [o for o in outs if o < ceiling]
    if not refusable:
        return 0.0
    low = refusable[-1]  # refuse up to and including this one...
    high = ceiling if ceiling != math.inf else low + 2e-6
    return max(0.0, (low + high) / 2)  # ...stopping midway to the in-scope score above


def stratified_folds(examples: Mapping[str, Sequence[str]], k: int, seed: int = 0
                     ) -> list[list[tuple[str, str]]]:
    """Split (intent, text) pairs into ``k`` folds, each intent spread evenly over the folds.

    Deterministic: the shuffle depends only on ``seed`` and the intent's name, and each
    intent starts on a different fold so small intents do not all land in fold 0.
    """
    if k < 2:
        raise ValueError(f"cross-validation needs at least 2 folds, not {k}")
    folds: list[list[tuple[str, str]]] = [[] for _ in range(k)]
    start = 0
    for intent in sorted(examples):
        texts = list(dict.fromkeys(examples[intent]))  # a duplicate would leak into training
        random.Random(f"{seed}:{intent}").shuffle(texts)
        for i, text in enumerate(texts):
            folds[(start + i) % k].append((intent, text))
        start = (start + len(texts)) % k
    return folds


def group(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """(intent, text) pairs back into examples by intent."""
    out: dict[str, list[str]] = defaultdict(list)
    for intent, text in pairs:
        out[intent].append(text)
    return dict(out)


def has_out_of_scope(examples: Mapping[str, Sequence[str]]) -> bool:
    return any(i in OUT_OF_SCOPE_NAMES and v for i, v in examples.items())


def threshold_from_examples(examples: Mapping[str, Sequence[str]],
                            fit: Callable[[Mapping[str, Sequence[str]]], IntentMatcher],
                            seed: int = 0) -> float:
    """``choose_threshold`` over the examples' own held-out scores; 0.0 (refuse nothing)
    when no intent holds out-of-scope examples, as there is then nothing to learn from."""
    if not has_out_of_scope(examples):
        return 0.0
    n = sum(len(v) for v in examples.values())
    folds = stratified_folds(examples, FOLDS, seed)
    rounds = range(FOLDS) if n <= LARGE else range(1)  # fit time stays linear
    ins: list[float] = []
    outs: list[float] = []
    n_in = 0
    for f in rounds:
        train = group(p for g, fold in enumerate(folds) if g != f for p in fold)
        if len(train) < 2:
            continue
        matcher = fit(train)
        for intent, text in folds[f]:
            ranking = matcher.match(text, limit=1)
            top, score = ranking[0] if ranking else ("", 0.0)
            if intent in OUT_OF_SCOPE_NAMES:
                if top not in OUT_OF_SCOPE_NAMES:
                    outs.append(score)
            else:
                n_in += 1
                if top == intent:
                    ins.append(score)
    return choose_threshold(ins, outs, n_in)


__all__ = ["MAX_REFUSED", "OUT_OF_SCOPE_NAMES", "choose_threshold", "group",
           "has_out_of_scope", "stratified_folds", "threshold_from_examples"]
