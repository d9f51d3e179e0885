"""Cost of the curated-concept look-ups per question, and of loading the concept files.

    .venv/bin/python benchmarks/concepts_bench.py

Each answer function is timed over every model of the bundled knowledge (or every question
of a small set), many repetitions; the table gives median and p99 per call in microseconds,
with a dictionary look-up measured in the same run as the baseline, since the machine is
shared and absolute times drift. The per-question budget these calls live in is 1 ms p99.
"""

from __future__ import annotations

import os
import pickle
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.concept_answers import (  # noqa: E402
    can_generate,
    commercial_use,
    concepts_in,
    explain,
    fits_in,
    parameter_counts,
    purpose_of,
    supports_language,
)
from bot.concepts_loader import is_concepts_doc, known_from, load_concepts  # noqa: E402
from bot.datafiles import knowledge_dir, yaml_files  # noqa: E402
from bot.knowledge_loader import load_knowledge  # noqa: E402
from bot.yamlio import load_yaml  # noqa: E402

QUESTIONS = [
    "is BERT encoder-only?", "what is an enc-dec model?", "RLHF vs DPO", "what is Q4_K_M?",
    "why are most LLMs decoder-only?", "which open models fit in 12 GB at 4-bit?",
    "can I use LLaVA commercially?", "what is the difference between open weights and open "
    "source?", "which model for medical exam questions?", "does LLaMA speak Spanish?",
]


def timed(fn: Callable[[], object], reps: int) -> list[float]:
    out = []
    for _ in range(reps):
        t0 = time.perf_counter_ns()
        fn()
        out.append((time.perf_counter_ns() - t0) / 1000)
    return out


def row(name: str, samples: list[float], base: float) -> str:
    samples.sort()
    med, p99 = statistics.median(samples), samples[int(len(samples) * 0.99) - 1]
    return f"{name:<28} {med:>9.1f} {p99:>9.1f} {med / base:>9.0f}x"


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    for path in yaml_files(knowledge_dir()):
        if not is_concepts_doc(load_yaml(path)):
            target = folder / path.relative_to(knowledge_dir())
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
    kb = load_knowledge(bundled=folder)
    shutil.rmtree(folder)
    known = known_from(kb)
    t0 = time.perf_counter()
    cc = load_concepts(known=known)
    load_ms = (time.perf_counter() - t0) * 1000
    blob = pickle.dumps(cc)
    t0 = time.perf_counter()
    pickle.loads(blob)
    unpickle_ms = (time.perf_counter() - t0) * 1000

    models = list(kb.models)
    placements = {m.id: [p.category_id for p in kb.placements_of(m.id)] for m in models}
    sizes = [(m.id, parameter_counts(m.parameters)) for m in models]
    it = {"i": 0}

    def nxt() -> int:
        it["i"] = (it["i"] + 1) % len(models)
        return it["i"]

    table = {"i": 0}
    base = statistics.median(timed(lambda: table.get("i"), 20000))
    cases: list[tuple[str, Callable[[], object], int]] = [
        ("concepts_in (question)", lambda: concepts_in(QUESTIONS[nxt() % len(QUESTIONS)], cc),
         5000),
        ("commercial_use (model)", lambda: (m := models[nxt()]) and commercial_use(
            m.id, m.license, m.access, cc, lambda b: kb.model(b).license), 5000),
        ("supports_language (model)", lambda: supports_language(
            models[nxt()].id, "Spanish", cc), 5000),
        ("can_generate (model)", lambda: (m := models[nxt()]) and can_generate(
            m.id, placements[m.id], cc), 5000),
        ("explain (question)", lambda: explain({"decoder-only"}, QUESTIONS[4], cc), 5000),
        ("purpose_of (question)", lambda: purpose_of(QUESTIONS[8], cc), 5000),
        ("fits_in (all models)", lambda: fits_in(12, 4, sizes, cc), 1000),
    ]
    print(f"load: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    print(f"load_concepts: {load_ms:.1f} ms (YAML and checks); unpickle: {unpickle_ms:.2f} ms; "
          f"{len(models)} models")
    print(f"{'call':<28} {'median µs':>9} {'p99 µs':>9} {'vs dict':>10}")
    print(f"{'dict look-up (baseline)':<28} {base:>9.2f}")
    for name, fn, reps in cases:
        print(row(name, timed(fn, reps), base))


if __name__ == "__main__":
    main()
