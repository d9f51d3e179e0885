"""Compositional questions timed per question, on the bundled knowledge and on a synthetic
catalogue (default 100,000 models), beside a plain single-intent question in the same run.

    python benchmarks/queries.py                 # bundled, then 100,000 models
    python benchmarks/queries.py --models 10000  # a smaller catalogue
    python benchmarks/queries.py --bundled-only

Targets (issue 12): p99 <= 1 ms per question on the bundled knowledge; p99 <= 20 ms at
100,000 models, "which models are not proprietary?" and "newest open-source model" included.
Each question is asked REPS times with a varying suffix of spaces, so the matcher's and the
resolver's memos of the exact text do not answer for it (as a user's new question).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bot import Bot  # noqa: E402

QUESTIONS = (
    "which models are not proprietary?",
    "newest open-source model",
    "which open source models were released after 2022?",
    "which models have more than 100B parameters?",
    "how many models are multilingual?",
    "what is the largest open-source model?",
    "open-source alternatives to GPT-4",
    "is BERT older than GPT-2?",
    "which is bigger, GPT-3 or PaLM?",
    "who developed BERT and T5?",
    "which developer has the most open models?",
    "multimodal models that aren't from OpenAI",
    "Google's proprietary models released before 2021",
    "how many models came out in 2019?",
)
BASELINE = "what type of model is BERT?"
REPS = 25


def _time(bot: Bot, question: str, reps: int = REPS) -> list[float]:
    out = []
    for i in range(reps):
        text = question + " " * (i % 5)
        start = time.perf_counter()
        bot.ask(text)
        out.append(time.perf_counter() - start)
    return out


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


def report(bot: Bot, label: str, target_p99_ms: float) -> bool:
    for q in (*QUESTIONS, BASELINE):
        bot.ask(q)  # warm the code paths, not the memos (suffixes differ below)
    base = _time(bot, BASELINE)
    print(f"\n{label}: {len(bot.kb.model_ids):,} models; baseline '{BASELINE}' "
          f"median {statistics.median(base) * 1e3:.2f} ms")
    print(f"{'question':52} {'median ms':>9} {'p99 ms':>8} {'x base':>7}")
    everything = []
    for q in QUESTIONS:
        t = _time(bot, q)
        everything += t
        print(f"{q[:52]:52} {statistics.median(t) * 1e3:9.2f} {_p99(t) * 1e3:8.2f} "
              f"{statistics.median(t) / statistics.median(base):7.2f}")
    p99 = _p99(everything) * 1e3
    ok = p99 <= target_p99_ms
    print(f"all compositional questions: median {statistics.median(everything) * 1e3:.2f} ms, "
          f"p99 {p99:.2f} ms (target <= {target_p99_ms:g} ms: {'met' if ok else 'missed'})")
    return ok


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", type=int, default=100_000)
    ap.add_argument("--bundled-only", action="store_true")
    args = ap.parse_args()
    ok = report(Bot(), "bundled", 1.0)
    if not args.bundled_only:
        from synth import generate

        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            generate(args.models, Path(tmp))
            bot = Bot(extra_knowledge=[tmp])
            print(f"\nbuilt {args.models:,} synthetic models in "
                  f"{time.perf_counter() - start:.0f} s")
            ok = report(bot, f"{args.models:,} models", 20.0) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
