"""Benchmark the intent matcher on public corpora, side by side with TF-IDF + linear SVM.

    .venv/bin/python benchmarks/matcher_corpora.py [--corpora DIR] [--json]

1. Braun et al. (2017) NLU evaluation corpora (Chatbot, AskUbuntu, WebApplications): train on
   the sentences flagged ``training``, test on the rest; accuracy (= micro F1), macro F1.
   "None" is an ordinary intent here, as in the paper. Reported for the best services:
   intent F1 about 0.98 / 0.90 / 0.81.
2. Open set: the same splits, with the *other* corpora's sentences as out-of-scope examples
   (their training sentences to learn from, their test sentences to refuse). In-scope
   accuracy and out-of-scope recall; the matcher chooses its threshold from the training
   split (``IntentMatcher.from_examples`` does, given out-of-scope examples), the SVM
   learns an ``out_of_scope`` class.
3. Timing: fit, and per-match median and p99 on the test sentences (memo off: every match
   costs what a never-seen text costs).
4. Scale: 150 synthetic intents x 100 examples: fit time, match time, accuracy.
5. The bot's own intents: 5-fold cross-validation (threshold chosen from data), against the
   SVM on the same folds.

scikit-learn is only for the baseline (``pip install scikit-learn``); without it the
baseline is skipped. It is never a runtime dependency of taxobot.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from bot.evaluation import (
    OUT_OF_SCOPE,
    Labelled,
    Prediction,
    Report,
    cross_validate,
    evaluate,
    report_from,
    stratified_folds,
)
from bot.intents_loader import load_intents
from bot.matcher import IntentMatcher
from bot.yamlio import DataError

CORPORA_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "nlu-evaluation-corpora"
CORPORA = ("ChatbotCorpus", "AskUbuntuCorpus", "WebApplicationsCorpus")
PUBLISHED = {"ChatbotCorpus": 0.98, "AskUbuntuCorpus": 0.90, "WebApplicationsCorpus": 0.81}

Fit = Callable[[Mapping[str, Sequence[str]]], IntentMatcher]
Split = tuple[dict[str, list[str]], list[Labelled]]


# -- data -------------------------------------------------------------------------------------
def load_corpus(path: Path) -> Split:
    doc = json.loads(path.read_text(encoding="utf-8"))
    train: dict[str, list[str]] = {}
    test: list[Labelled] = []
    for s in doc["sentences"]:
        if s["training"]:
            train.setdefault(s["intent"], []).append(s["text"])
        else:
            test.append(Labelled(s["text"], s["intent"]))
    return train, test


def open_set(name: str, corpora: Mapping[str, Split]) -> Split:
    """``name``'s split plus every other corpus as out-of-scope (train and test alike)."""
    train, test = corpora[name]
    train = {k: list(v) for k, v in train.items()}
    test = list(test)
    for other, (otrain, otest) in corpora.items():
        if other == name:
            continue
        train.setdefault(OUT_OF_SCOPE, []).extend(t for ts in otrain.values() for t in ts)
        test.extend(Labelled(x.text, OUT_OF_SCOPE) for x in otest)
    return train, test


# -- the baseline -----------------------------------------------------------------------------
def sklearn_available() -> bool:
    try:
        import sklearn  # noqa: F401
    except ImportError:
        return False
    return True


def svm_predictions(train: Mapping[str, Sequence[str]], test: Sequence[Labelled]
                    ) -> list[Prediction]:
    """TF-IDF (word 1-2 grams and within-word character 2-5 grams, sublinear tf) +
    LinearSVC: the usual strong baseline, with the character features that are the largest
    single gain for linear models on this kind of data (words alone understate it)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion
    from sklearn.svm import LinearSVC

    texts = [t for ts in train.values() for t in ts]
    labels = [k for k, ts in train.items() for _ in ts]
    vec = FeatureUnion([
        ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
    ])
    x = vec.fit_transform(texts)
    if len(set(labels)) < 2:
        only = labels[0]
        return [Prediction(t.text, t.intent, only, 1.0, only) for t in test]
    clf = LinearSVC(C=1.0)
    clf.fit(x, labels)
    predicted = clf.predict(vec.transform([t.text for t in test]))
    return [Prediction(t.text, t.intent, str(p), 1.0, str(p))
            for t, p in zip(test, predicted, strict=True)]


def svm_timing(train: Mapping[str, Sequence[str]], queries: Sequence[str]) -> dict[str, float]:
    """The SVM's fit (vectoriser included) and its per-utterance predict, one at a time as
    a chat would ask."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion, make_pipeline
    from sklearn.svm import LinearSVC

    texts = [t for ts in train.values() for t in ts]
    labels = [k for k, ts in train.items() for _ in ts]
    t0 = time.perf_counter()
    model = make_pipeline(FeatureUnion([
        ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
    ]), LinearSVC(C=1.0))
    model.fit(texts, labels)
    fit = time.perf_counter() - t0
    per = []
    for q in queries:
        t0 = time.perf_counter()
        model.predict([q])
        per.append(time.perf_counter() - t0)
    return {"fit_ms": 1000 * fit, "match_median_ms": 1000 * statistics.median(per)}


def svm_cross_validate(examples: Mapping[str, Sequence[str]], k: int, seed: int = 0) -> Report:
    folds = stratified_folds(examples, k, seed)
    pooled: list[Prediction] = []
    for f in range(k):
        train: dict[str, list[str]] = {}
        for g, fold in enumerate(folds):
            if g != f:
                for intent, text in fold:
                    train.setdefault(intent, []).append(text)
        pooled += svm_predictions(train, [Labelled(t, i) for i, t in folds[f]])
    return report_from(pooled, 0.0, folds=k)


# -- the matcher ------------------------------------------------------------------------------
def matcher_open_set(train: Mapping[str, Sequence[str]], test: Sequence[Labelled], fit: Fit
                     ) -> Report:
    """Fit on ``train``; the matcher chooses its own threshold from ``train`` alone
    (held-out scores of its examples, ``bot.calibration``)."""
    matcher = fit(train)
    return evaluate(matcher, test, matcher.threshold)


def timing(fit: Fit, train: Mapping[str, Sequence[str]], queries: Sequence[str],
           repeats: int = 5) -> dict[str, float]:
    fits = []
    cpu = []
    matcher = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        c0 = time.process_time()
        matcher = fit(train)
        fits.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    assert matcher is not None
    # First sight: no memo of earlier rankings, so repeats cost what a new text costs.
    matcher = matcher.with_memo(0)
    per: list[float] = []
    for _ in range(repeats):
        for q in queries:
            t0 = time.perf_counter()
            matcher.match(q)
            per.append(time.perf_counter() - t0)
    per.sort()
    return {"fit_ms": 1000 * statistics.median(fits),
            "fit_cpu_ms": 1000 * statistics.median(cpu),
            "match_median_ms": 1000 * statistics.median(per),
            "match_p99_ms": 1000 * per[min(len(per) - 1, int(0.99 * len(per)))]}


# -- synthetic scale test ---------------------------------------------------------------------
def _word(rng: random.Random) -> str:
    consonants, vowels = "bcdfghklmnprstvz", "aeiou"
    return "".join(rng.choice(consonants) + rng.choice(vowels)
                   for _ in range(rng.randint(2, 4)))


def synthetic(n_intents: int = 150, per_intent: int = 100, n_queries: int = 2000,
              seed: int = 7, oos: tuple[int, int] = (0, 0)
              ) -> tuple[dict[str, list[str]], list[Labelled]]:
    """Intents with their own key words amid a shared vocabulary; queries drawn alike, some
    with a typo (which exercises the rapidfuzz correction path). ``oos`` = (train, test)
    counts of out-of-scope utterances, as in CLINC150 (100, 1000): shared words only, no
    intent's key words."""
    rng = random.Random(seed)
    vocab = sorted({_word(rng) for _ in range(4000)})
    common = vocab[:60]
    shared = vocab[60:]
    keys = {f"intent_{i:03d}": rng.sample(shared, 10) for i in range(n_intents)}

    def utterance(intent: str) -> str:
        n = rng.randint(4, 10)
        words = [rng.choice(keys[intent]) if rng.random() < 0.4
                 else rng.choice(common) if rng.random() < 0.7 else rng.choice(shared)
                 for _ in range(n)]
        return " ".join(words)

    def stray() -> str:
        return " ".join(rng.choice(common) if rng.random() < 0.5 else rng.choice(shared)
                        for _ in range(rng.randint(4, 10)))

    train = {i: [utterance(i) for _ in range(per_intent)] for i in keys}
    if oos[0]:
        train["oos"] = [stray() for _ in range(oos[0])]
    test = []
    for _ in range(n_queries):
        intent = rng.choice(list(keys))
        text = utterance(intent)
        if rng.random() < 0.2:
            words = text.split()
            j = rng.randrange(len(words))
            w = words[j]
            p = rng.randrange(len(w))
            words[j] = w[:p] + w[p + 1:] if len(w) > 4 else w + "x"
            text = " ".join(words)
        test.append(Labelled(text, intent))
    test += [Labelled(stray(), OUT_OF_SCOPE) for _ in range(oos[1])]
    return train, test


# -- the run ----------------------------------------------------------------------------------
def run(corpora_dir: Path = CORPORA_DIR, fit: Fit = IntentMatcher.from_examples,
        scale: bool = True, own: bool = True, out: Any = sys.stdout) -> dict[str, Any]:
    results: dict[str, Any] = {}
    baseline = sklearn_available()
    if not baseline:
        print("baseline skipped: scikit-learn is not installed "
              "(.venv/bin/pip install scikit-learn)", file=out)
    corpora = {name: load_corpus(corpora_dir / f"{name}.json") for name in CORPORA}
    import os

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    results["load_average"] = load
    print(f"load average at start {load:.2f} on {os.cpu_count()} cores (wall times stretch "
          "with it; CPU times less)", file=out)

    print("\n1. Closed set: train / test split of Braun et al. (2017)", file=out)
    print(f"{'corpus':<24}{'n test':>7} | {'matcher acc':>11}{'macroF1':>9} | "
          f"{'SVM acc':>8}{'macroF1':>9} | published F1", file=out)
    for name, (train, test) in corpora.items():
        rep = evaluate(fit(train), test, 0.0)
        row: dict[str, Any] = {"matcher": {"accuracy": rep.accuracy, "micro_f1": rep.accuracy,
                                           "macro_f1": rep.macro_f1}}
        svm = "skipped"
        if baseline:
            b = report_from(svm_predictions(train, test), 0.0)
            row["svm"] = {"accuracy": b.accuracy, "micro_f1": b.accuracy, "macro_f1": b.macro_f1}
            svm = f"{b.accuracy:>8.3f}{b.macro_f1:>9.3f}"
        print(f"{name:<24}{len(test):>7} | {rep.accuracy:>11.3f}{rep.macro_f1:>9.3f} | {svm} |"
              f" ~{PUBLISHED[name]:.2f}", file=out)
        results[name] = row

    print("\n2. Open set: other corpora as out-of-scope (threshold chosen on training data)",
          file=out)
    print(f"{'corpus':<24}{'in/oos':>8} | {'matcher in-acc':>14}{'oos-rec':>8}{'thr':>6} | "
          f"{'SVM in-acc':>10}{'oos-rec':>8}", file=out)
    for name in corpora:
        train, test = open_set(name, corpora)
        rep = matcher_open_set(train, test, fit)
        row = {"matcher": {"in_scope_accuracy": rep.in_scope_accuracy,
                           "out_of_scope_recall": rep.out_of_scope_recall,
                           "threshold": rep.threshold}}
        svm = "skipped"
        if baseline:
            b = report_from(svm_predictions(train, test), 0.0)
            row["svm"] = {"in_scope_accuracy": b.in_scope_accuracy,
                          "out_of_scope_recall": b.out_of_scope_recall}
            svm = f"{b.in_scope_accuracy or 0:>10.3f}{b.out_of_scope_recall or 0:>8.3f}"
        print(f"{name:<24}{rep.in_scope_total:>4}/{rep.out_of_scope_total:<3} | "
              f"{rep.in_scope_accuracy or 0:>14.3f}{rep.out_of_scope_recall or 0:>8.3f}"
              f"{rep.threshold:>6.2f} | {svm}", file=out)
        results[name]["open_set"] = row

    print("\n3. Timing (fit: median of 5; match: over the test sentences x 5)", file=out)
    for name, (train, test) in corpora.items():
        t = timing(fit, train, [x.text for x in test])
        results[name]["timing"] = t
        svm = ""
        if baseline:
            st = svm_timing(train, [x.text for x in test])
            results[name]["svm_timing"] = st
            svm = f" | SVM fit {st['fit_ms']:.1f} ms, predict one {st['match_median_ms']:.3f} ms"
        print(f"{name:<24} fit {t['fit_ms']:7.2f} ms   match median {t['match_median_ms']:.3f}"
              f" ms  p99 {t['match_p99_ms']:.3f} ms{svm}", file=out)

    if scale:
        train, test = synthetic()
        n = sum(map(len, train.values()))
        t = timing(fit, train, [x.text for x in test], repeats=3)
        rep = evaluate(fit(train), test, 0.0)
        results["synthetic"] = {**t, "examples": n, "intents": len(train),
                                "accuracy": rep.accuracy}
        print(f"\n4. Scale: {len(train)} intents x {n // len(train)} examples ({n:,}): fit "
              f"{t['fit_ms'] / 1000:.2f} s (CPU {t['fit_cpu_ms'] / 1000:.2f} s), match median "
              f"{t['match_median_ms']:.3f} ms, p99 {t['match_p99_ms']:.3f} ms, accuracy "
              f"{rep.accuracy:.3f} ({len(test)} queries, 20% with a typo)", file=out)
        growth = []
        for per in (25, 50):  # fit time against the number of examples
            part, _ = synthetic(per_intent=per, n_queries=1)
            t0 = time.perf_counter()
            fit(part)
            growth.append((150 * per, time.perf_counter() - t0))
        growth.append((n, t["fit_ms"] / 1000))
        results["fit_growth"] = growth
        per_ex = ", ".join(f"{k:,}: {s:.2f} s ({1e6 * s / k:.0f} us/example)" for k, s in growth)
        print(f"   fit time by examples: {per_ex}", file=out)
        train, test = synthetic(oos=(100, 1000))
        t0 = time.perf_counter()
        m = IntentMatcher.from_examples(train)
        fit_s = time.perf_counter() - t0
        rep = evaluate(m, test, m.threshold)
        row = {"fit_s": fit_s, "threshold": m.threshold,
               "in_scope_accuracy": rep.in_scope_accuracy,
               "out_of_scope_recall": rep.out_of_scope_recall}
        svm = "SVM skipped"
        if baseline:
            b = report_from(svm_predictions(train, test), 0.0)
            row["svm"] = {"in_scope_accuracy": b.in_scope_accuracy,
                          "out_of_scope_recall": b.out_of_scope_recall}
            svm = (f"SVM in-acc {b.in_scope_accuracy or 0:.3f} "
                   f"oos-rec {b.out_of_scope_recall or 0:.3f}")
        results["synthetic_oos"] = row
        print(f"   with 100 'oos' examples to learn from and 1,000 to refuse (CLINC150's shape):"
              f" fit with threshold choice {fit_s:.2f} s, threshold {m.threshold:.3f}, in-acc "
              f"{rep.in_scope_accuracy or 0:.3f} oos-rec {rep.out_of_scope_recall or 0:.3f}"
              f" | {svm}", file=out)

    examples: dict[str, tuple[str, ...]] = {}
    if own:
        try:
            examples = load_intents().examples()
        except DataError as err:
            print(f"\n5. The bot's intents: skipped, they do not load ({err})", file=out)
    if examples:
        rep = cross_validate(examples, 5)
        row = {"matcher": {"accuracy": rep.accuracy, "macro_f1": rep.macro_f1,
                           "in_scope_accuracy": rep.in_scope_accuracy,
                           "out_of_scope_recall": rep.out_of_scope_recall,
                           "thresholds": list(rep.fold_thresholds)}}
        r0 = cross_validate(examples, 5, threshold=0.0)
        row["matcher_no_threshold"] = {"accuracy": r0.accuracy, "macro_f1": r0.macro_f1,
                                       "in_scope_accuracy": r0.in_scope_accuracy,
                                       "out_of_scope_recall": r0.out_of_scope_recall}
        print(f"\n5. The bot's intents ({len(examples)} intents, "
              f"{sum(map(len, examples.values()))} examples), 5-fold cross-validation",
              file=out)
        print(f"{'':<28}{'accuracy':>9}{'macroF1':>9}{'in-acc':>8}{'oos-rec':>8}", file=out)
        lines = [("matcher, threshold from data", rep), ("matcher, threshold 0", r0)]
        if baseline:
            b = svm_cross_validate(examples, 5)
            row["svm"] = {"accuracy": b.accuracy, "macro_f1": b.macro_f1,
                          "in_scope_accuracy": b.in_scope_accuracy,
                          "out_of_scope_recall": b.out_of_scope_recall}
            lines.append(("TF-IDF word+char + SVM", b))
        for label, r in lines:
            print(f"{label:<28}{r.accuracy:>9.3f}{r.macro_f1:>9.3f}"
                  f"{r.in_scope_accuracy or 0:>8.3f}{r.out_of_scope_recall or 0:>8.3f}",
                  file=out)
        print(f"thresholds chosen per fold: "
              f"{', '.join(f'{t:.3f}' for t in rep.fold_thresholds)}", file=out)
        t = timing(fit, examples, [x for xs in examples.values() for x in xs])
        row["timing"] = t
        print(f"timing: fit {t['fit_ms']:.1f} ms, match median {t['match_median_ms']:.3f} ms, "
              f"p99 {t['match_p99_ms']:.3f} ms", file=out)
        results["own_intents"] = row
    return results


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--corpora", type=Path, default=CORPORA_DIR)
    p.add_argument("--json", action="store_true", help="also print the figures as JSON")
    p.add_argument("--no-scale", action="store_true", help="skip the synthetic scale test")
    args = p.parse_args(argv)
    results = run(args.corpora, scale=not args.no_scale)
    if args.json:
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
