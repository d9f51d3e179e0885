"""Scoring the intent matcher on labelled utterances, like ``rasa test nlu``.

    items = load_labelled(Path("tests/fixtures/eval/sample.yaml"))
    report = evaluate(matcher, items, threshold=0.42)
    print(report.render())

An utterance labelled ``out_of_scope`` (or ``fallback``, or with no intent) should be refused:
it counts as recognised when the best score is below the threshold or the best intent is
itself ``out_of_scope``. ``cross_validate`` runs stratified K-fold over an intents folder's
own examples, choosing the out-of-scope threshold from held-out scores of the training folds
only (``choose_threshold``), so the figures it gives are honest.

``taxobot eval FILE`` scores the bundled bot's matcher the way the bot uses it: names are
first replaced by slot tokens ({model}, {category}, ...) by the entity stage.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import field
from pathlib import Path
from typing import Any, TextIO

from .calibration import (
    OUT_OF_SCOPE_NAMES,
    choose_threshold,
    group,
    has_out_of_scope,
    stratified_folds,
    threshold_from_examples,
)
from .matcher import IntentMatcher
from .values import value
from .yamlio import DataError, LineDict, Problem, line_of, load_yaml

OUT_OF_SCOPE = "out_of_scope"
"""The label an out-of-scope utterance gets in reports."""

_ITEM_KEYS = {"text", "intent", "entities"}
MAX_CONFUSIONS = 10


# -- labelled data ----------------------------------------------------------------------------
@value
class Labelled:
    """One utterance and the intent it should get; ``intent`` is ``out_of_scope`` when the
    utterance should be refused. ``entities`` are kept as given (the matcher does not read
    them; the bot finds names itself)."""

    text: str
    intent: str
    entities: tuple[Mapping[str, Any], ...] = field(default=(), compare=False)
    line: int = field(default=0, compare=False)

    @property
    def in_scope(self) -> bool:
        return self.intent != OUT_OF_SCOPE


def label_of(intent: str | None) -> str:
    """The report label of an intent name: every out-of-scope spelling becomes one label."""
    if intent is None or intent in OUT_OF_SCOPE_NAMES:
        return OUT_OF_SCOPE
    return intent


def load_labelled(path: Path | str, shown: str | None = None) -> list[Labelled]:
    """Read a YAML list of ``{text, intent}`` items (optionally ``entities``).

    Every problem is collected and raised at once as a DataError naming file and line.
    """
    path = Path(path)
    shown = shown or str(path)
    doc = load_yaml(path, shown)
    if isinstance(doc, LineDict) and set(doc) == {"utterances"}:
        doc = doc["utterances"]
    if not isinstance(doc, list):
        raise DataError([Problem(shown, line_of(doc), "expected a list of {text, intent} items")])
    problems: list[Problem] = []
    items: list[Labelled] = []
    for n, node in enumerate(doc, 1):
        line = line_of(node)
        if not isinstance(node, LineDict):
            problems.append(Problem(shown, line, f"item {n}: expected a mapping with 'text' "
                                                 "and 'intent'"))
            continue
        bad = set(node) - _ITEM_KEYS
        if bad:
            problems.append(Problem(shown, line, f"item {n}: unknown keys {sorted(map(str, bad))}"
                                                 f" (allowed: {sorted(_ITEM_KEYS)})"))
        text = node.get("text")
        if not isinstance(text, str) or not text.strip():
            problems.append(Problem(shown, line, f"item {n}: 'text' must be non-empty text"))
            continue
        if "intent" not in node:
            problems.append(Problem(shown, line, f"item {n}: missing required field 'intent' "
                                                 f"(use {OUT_OF_SCOPE} for out of scope)"))
            continue
        intent = node["intent"]
        if intent is not None and (not isinstance(intent, str) or not intent.strip()):
            problems.append(Problem(shown, line, f"item {n}: 'intent' must be a name or "
                                                 f"{OUT_OF_SCOPE}"))
            continue
        entities = node.get("entities") or []
        if not isinstance(entities, list) or not all(isinstance(e, dict) for e in entities):
            problems.append(Problem(shown, line, f"item {n}: 'entities' must be a list of "
                                                 "mappings"))
            entities = []
        items.append(Labelled(text, label_of(intent.strip() if intent else None),
                              tuple(entities), line))
    if not items and not problems:
        problems.append(Problem(shown, line_of(doc), "no labelled utterances"))
    if problems:
        raise DataError(problems)
    return items


# -- the report -------------------------------------------------------------------------------
@value
class IntentScore:
    intent: str
    precision: float
    recall: float
    f1: float
    support: int


@value
class Misclassified:
    text: str
    expected: str
    predicted: str  # after the threshold: out_of_scope when refused
    top: str  # the best-ranked intent, even when below the threshold
    score: float


@value
class Prediction:
    """What the matcher made of one labelled utterance."""

    text: str
    expected: str
    top: str
    score: float
    predicted: str


@value
class Report:
    intents: tuple[IntentScore, ...]
    accuracy: float
    macro_f1: float
    weighted_f1: float
    total: int
    in_scope_accuracy: float | None
    in_scope_total: int
    out_of_scope_recall: float | None
    out_of_scope_total: int
    threshold: float
    confusions: tuple[tuple[str, str, int], ...]
    errors: tuple[Misclassified, ...]
    folds: int = 0
    fold_accuracy: tuple[float, ...] = ()
    fold_thresholds: tuple[float, ...] = ()

    @property
    def macro_precision(self) -> float:
        return _mean(s.precision for s in self.intents)

    @property
    def macro_recall(self) -> float:
        return _mean(s.recall for s in self.intents)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "total": self.total,
            "accuracy": _r(self.accuracy),
            "macro_f1": _r(self.macro_f1),
            "weighted_f1": _r(self.weighted_f1),
            "in_scope_accuracy": None if self.in_scope_accuracy is None
            else _r(self.in_scope_accuracy),
            "in_scope_total": self.in_scope_total,
            "out_of_scope_recall": None if self.out_of_scope_recall is None
            else _r(self.out_of_scope_recall),
            "out_of_scope_total": self.out_of_scope_total,
            "threshold": _r(self.threshold),
            "intents": {s.intent: {"precision": _r(s.precision), "recall": _r(s.recall),
                                   "f1": _r(s.f1), "support": s.support}
                        for s in self.intents},
            "confusions": [{"expected": a, "predicted": b, "count": c}
                           for a, b, c in self.confusions],
            "errors": [{"text": e.text, "expected": e.expected, "predicted": e.predicted,
                        "top": e.top, "score": _r(e.score)} for e in self.errors],
        }
        if self.folds:
            out["cross_validation"] = {
                "folds": self.folds,
                "fold_accuracy": [_r(a) for a in self.fold_accuracy],
                "fold_thresholds": [_r(t) for t in self.fold_thresholds],
            }
        return out

    def render(self) -> str:
        width = max([len("weighted avg"), *(len(s.intent) for s in self.intents)]) + 2
        head = f"{'':<{width}}{'precision':>10}{'recall':>10}{'f1-score':>10}{'support':>10}"
        lines = [head]
        for s in self.intents:
            lines.append(f"{s.intent:<{width}}{s.precision:>10.3f}{s.recall:>10.3f}"
                         f"{s.f1:>10.3f}{s.support:>10}")
        lines.append("")
        lines.append(f"{'accuracy':<{width}}{'':>20}{self.accuracy:>10.3f}{self.total:>10}")
        lines.append(f"{'macro avg':<{width}}{self.macro_precision:>10.3f}"
                     f"{self.macro_recall:>10.3f}{self.macro_f1:>10.3f}{self.total:>10}")
        lines.append(f"{'weighted avg':<{width}}{'':>20}{self.weighted_f1:>10.3f}"
                     f"{self.total:>10}")
        lines.append("")
        if self.in_scope_accuracy is not None:
            lines.append(f"in-scope accuracy:    {self.in_scope_accuracy:.3f} "
                         f"({self.in_scope_total} utterances)")
        if self.out_of_scope_recall is not None:
            lines.append(f"out-of-scope recall:  {self.out_of_scope_recall:.3f} "
                         f"({self.out_of_scope_total} utterances)")
        if self.folds:
            accs = ", ".join(f"{a:.3f}" for a in self.fold_accuracy)
            lines.append(f"cross-validation:     {self.folds} folds, accuracy per fold {accs}")
            if any(self.fold_thresholds):
                ths = ", ".join(f"{t:.3f}" for t in self.fold_thresholds)
                lines.append(f"thresholds chosen:    {ths}")
        else:
            lines.append(f"threshold:            {self.threshold:.3f}")
        if self.confusions:
            lines += ["", "Most confused (expected -> predicted):"]
            for a, b, c in self.confusions:
                lines.append(f"  {c:>4}  {a} -> {b}")
        lines += ["", f"Misclassified ({len(self.errors)}):" if self.errors
                  else "Misclassified: none"]
        for e in self.errors:
            why = (f"{e.predicted} ({e.score:.2f})" if e.predicted == e.top
                   else f"{e.predicted} (best {e.top} {e.score:.2f} < {self.threshold:.2f})")
            lines.append(f"  {e.expected} -> {why}: {e.text!r}")
        return "\n".join(lines)


def _r(x: float) -> float:
    return round(x, 4)


def _mean(xs: Iterable[float]) -> float:
    values = list(xs)
    return sum(values) / len(values) if values else 0.0


def predict(matcher: IntentMatcher, text: str, threshold: float,
            prepare: Callable[[str], str] | None = None) -> tuple[str, float, str]:
    """(best intent, its score, the label after the threshold) for one text."""
    ranking = matcher.match(prepare(text) if prepare else text, limit=1)
    if not ranking:
        return OUT_OF_SCOPE, 0.0, OUT_OF_SCOPE
    top, score = ranking[0]
    top = label_of(top)
    return top, score, (OUT_OF_SCOPE if score < threshold else top)


def report_from(predictions: Sequence[Prediction], threshold: float, folds: int = 0,
                fold_accuracy: Sequence[float] = (), fold_thresholds: Sequence[float] = ()
                ) -> Report:
    """Aggregate predictions into per-intent precision, recall and F1 and the rest."""
    gold = Counter(p.expected for p in predictions)
    said = Counter(p.predicted for p in predictions)
    right = Counter(p.expected for p in predictions if p.predicted == p.expected)
    labels = sorted(set(gold) | set(said), key=lambda x: (x == OUT_OF_SCOPE, x))
    scores = []
    for label in labels:
        tp = right[label]
        precision = tp / said[label] if said[label] else 0.0
        recall = tp / gold[label] if gold[label] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores.append(IntentScore(label, precision, recall, f1, gold[label]))
    total = len(predictions)
    inside = [p for p in predictions if p.expected != OUT_OF_SCOPE]
    outside = [p for p in predictions if p.expected == OUT_OF_SCOPE]
    pairs = Counter((p.expected, p.predicted) for p in predictions if p.predicted != p.expected)
    confusions = sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_CONFUSIONS]
    errors = tuple(Misclassified(p.text, p.expected, p.predicted, p.top, p.score)
                   for p in predictions if p.predicted != p.expected)
    return Report(
        intents=tuple(scores),
        accuracy=sum(right.values()) / total if total else 0.0,
        macro_f1=_mean(s.f1 for s in scores),
        weighted_f1=(sum(s.f1 * s.support for s in scores) / total) if total else 0.0,
        total=total,
        in_scope_accuracy=(sum(p.predicted == p.expected for p in inside) / len(inside)
                           if inside else None),
        in_scope_total=len(inside),
        out_of_scope_recall=(sum(p.predicted == OUT_OF_SCOPE for p in outside) / len(outside)
                             if outside else None),
        out_of_scope_total=len(outside),
        threshold=threshold,
        confusions=tuple((a, b, c) for (a, b), c in confusions),
        errors=errors, folds=folds, fold_accuracy=tuple(fold_accuracy),
        fold_thresholds=tuple(fold_thresholds))


def _predictions(matcher: IntentMatcher, items: Iterable[Labelled], threshold: float,
                 prepare: Callable[[str], str] | None = None) -> list[Prediction]:
    out = []
    for item in items:
        top, score, predicted = predict(matcher, item.text, threshold, prepare)
        out.append(Prediction(item.text, item.intent, top, score, predicted))
    return out


def evaluate(matcher: IntentMatcher, items: Iterable[Labelled], threshold: float,
             prepare: Callable[[str], str] | None = None) -> Report:
    """Score ``matcher`` on labelled items. ``prepare`` rewrites each text first (the bot
    replaces names by slot tokens); a best score below ``threshold`` means out of scope."""
    return report_from(_predictions(matcher, items, threshold, prepare), threshold)


# -- cross-validation ---------------------------------------------------------------------------
def cross_validate(examples: Mapping[str, Sequence[str]], k: int, seed: int = 0,
                   threshold: float | None = None,
                   fit: Callable[[Mapping[str, Sequence[str]]], IntentMatcher] | None = None
                   ) -> Report:
    """Stratified K-fold: fit on k-1 folds, predict the held-out one, pool the predictions.

    Examples of an ``out_of_scope`` intent are both trained on (as the bot does) and scored
    as utterances that should be refused. Unless ``threshold`` is given, each fold's
    threshold is chosen from data by ``bot.calibration.threshold_from_examples`` over that
    fold's training examples (the test fold is never used).
    Without out-of-scope examples the threshold is 0 (nothing refused).
    """
    fit = fit or _fit
    folds = stratified_folds(examples, k, seed)
    tune = threshold is None and has_out_of_scope(examples)
    pooled: list[Prediction] = []
    accuracies: list[float] = []
    thresholds: list[float] = []
    for f in range(k):
        train = group(p for g, fold in enumerate(folds) if g != f for p in fold)
        test = [Labelled(text, label_of(intent)) for intent, text in folds[f]]
        # Chosen exactly as IntentMatcher.from_examples would, from the training folds only.
        t = threshold_from_examples(train, fit, seed + 1) if tune else threshold or 0.0
        thresholds.append(t)
        preds = _predictions(fit(train), test, t)
        accuracies.append(sum(p.predicted == p.expected for p in preds) / len(preds)
                          if preds else 0.0)
        pooled.extend(preds)
    mean_t = _mean(thresholds)
    return report_from(pooled, mean_t, folds=k, fold_accuracy=accuracies,
                       fold_thresholds=thresholds if tune else ())


def _fit(examples: Mapping[str, Sequence[str]]) -> IntentMatcher:
    """A matcher whose threshold is left to the caller (chosen per fold, or given)."""
    return IntentMatcher.from_examples(examples, 0.0)


# -- the command ------------------------------------------------------------------------------
def bot_prepare(bot: Any) -> Callable[[str], str]:
    """The text the bot's matcher sees for a message: names replaced by slot tokens."""
    from .normalise import normalise

    def prepare(text: str) -> str:
        slot_text: str = bot.resolver.resolve(normalise(text)).slot_text
        return slot_text.replace("{", " {").replace("}", "} ")

    return prepare


def run_cli(args: argparse.Namespace, out: TextIO) -> int:
    """``taxobot eval [FILE] [--cross-validate K] [--intents DIR | --train TRAIN] [--json]``.

    With ``--train``, the matcher is learned from labelled utterances alone (no bot, no
    entity stage): the way to measure it on another domain's corpus."""
    import sys

    file: str | None = getattr(args, "file", None)
    k: int = getattr(args, "cross_validate", 0) or 0
    intents: str | None = getattr(args, "intents", None)
    knowledge: list[str] = list(getattr(args, "knowledge", []) or [])
    if not file and not k:
        raise ValueError("eval needs a FILE of labelled utterances or --cross-validate K")
    if k and k < 2:
        raise ValueError(f"--cross-validate needs K >= 2, not {k}")
    train: str | None = getattr(args, "train", None)
    reports: dict[str, Report] = {}
    try:
        if train and intents:
            raise ValueError("--train and --intents are alternatives: give one")
        examples: Mapping[str, Sequence[str]] | None = None
        if train:
            if not Path(train).is_file():
                raise OSError(f"no such file: {train}")
            examples = group((x.intent, x.text) for x in load_labelled(Path(train)))
        if file:
            if not Path(file).is_file():
                raise OSError(f"no such file: {file}")
            items = load_labelled(Path(file))
            if examples is not None:
                matcher = IntentMatcher.from_examples(examples)
                reports["evaluation"] = evaluate(matcher, items, matcher.threshold)
            else:
                from . import Bot

                for path in knowledge:
                    if not Path(path).exists():
                        raise OSError(f"no such knowledge file: {path}")
                bot = Bot(extra_knowledge=knowledge,
                          intents_dir=Path(intents) if intents else None)
                reports["evaluation"] = evaluate(bot.matcher, items, bot.matcher.threshold,
                                                 bot_prepare(bot))
        if k:
            if examples is None:
                from .intents_loader import load_intents

                examples = load_intents(Path(intents) if intents else None).examples()
            reports["cross_validation"] = cross_validate(examples, k)
    except DataError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return 1
    if getattr(args, "json", False):
        data: Any = (next(iter(reports.values())).to_dict() if len(reports) == 1
                     else {name: r.to_dict() for name, r in reports.items()})
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return 0
    parts = []
    for name, report in reports.items():
        title = (f"Intent evaluation of {file}" if name == "evaluation"
                 else f"Cross-validation ({k} folds) over the intents' own examples")
        parts.append(f"{title}\n{'=' * len(title)}\n{report.render()}")
    out.write("\n\n".join(parts) + "\n")
    return 0


__all__ = [
    "OUT_OF_SCOPE", "IntentScore", "Labelled", "Misclassified", "Prediction", "Report",
    "bot_prepare", "choose_threshold", "cross_validate", "evaluate", "load_labelled",
    "label_of", "predict", "report_from", "run_cli", "stratified_folds",
]
