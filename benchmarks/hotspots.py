"""Where the time goes: cProfile of the hot spots, top functions by own time.

    .venv/bin/python benchmarks/hotspots.py                    # everything below, 100k models
    .venv/bin/python benchmarks/hotspots.py --what question    # only (a)
    .venv/bin/python benchmarks/hotspots.py --size 10000 --top 20

(a) question:       Bot.ask over the benchmark's questions, first sight (fresh Bot per pass;
                    Bot() itself is not profiled).
(b) scale-build:    Bot(extra_knowledge=[synthetic N]) from YAML (cache empty).
    scale-load:     the same from the compiled cache.
    scale-question: Bot.ask on exact, typo'd and no-name questions against N models.

The synthetic catalogue and its cache are kept in --work (default /tmp/taxobot-hotspots), so
a second run skips generating and building. The user's own cache is never touched.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def show(prof: cProfile.Profile, title: str, top: int, wall: float) -> None:
    s = io.StringIO()
    st = pstats.Stats(prof, stream=s)
    st.strip_dirs().sort_stats("tottime").print_stats(top)
    text = s.getvalue()
    body = text[text.index("   ncalls"):] if "   ncalls" in text else text
    print(f"\n=== {title} (wall {wall:.2f} s under the profiler; top {top} by own time)")
    print(body.rstrip())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--what", default="question,scale-build,scale-load,scale-question")
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--passes", type=int, default=20)
    ap.add_argument("--work", default="/tmp/taxobot-hotspots")
    a = ap.parse_args()
    what = set(a.what.split(","))
    work = Path(a.work)
    os.environ["TAXOBOT_CACHE_DIR"] = str(work / f"cache-{a.size}")
    import questions as Q

    from bot import Bot

    if "question" in what:
        os.environ["TAXOBOT_CACHE_DIR"] = str(work / "cache-bundled")
        turns = [t for _, t in Q.turns()]
        Bot().ask("warm up")
        prof = cProfile.Profile()
        t0 = time.perf_counter()
        n = 0
        for _ in range(a.passes):
            bot = Bot()
            prof.enable()
            for t in turns:
                bot.ask(t)
                n += 1
            prof.disable()
        show(prof, f"(a) Bot.ask, bundled knowledge, first sight, {n} questions", a.top,
             time.perf_counter() - t0)
        os.environ["TAXOBOT_CACHE_DIR"] = str(work / f"cache-{a.size}")

    if what & {"scale-build", "scale-load", "scale-question"}:
        from synth import generate

        kb = work / f"kb-{a.size}"
        marker = kb / ".names"
        if not marker.exists():
            syn = generate(a.size, kb)
            marker.write_text("\n".join(syn.names))
        names = marker.read_text().splitlines()
        cache_dir = Path(os.environ["TAXOBOT_CACHE_DIR"])
        if "scale-build" in what or not any(cache_dir.glob("*.pickle")):
            for old in cache_dir.glob("*.pickle"):
                old.unlink()
            prof = cProfile.Profile()
            t0 = time.perf_counter()
            prof.enable()
            Bot(extra_knowledge=[kb])
            prof.disable()
            show(prof, f"(b) Bot() from YAML + cache write, {a.size:,} models", a.top,
                 time.perf_counter() - t0)
        prof = cProfile.Profile()
        t0 = time.perf_counter()
        prof.enable()
        bot = Bot(extra_knowledge=[kb])
        prof.disable()
        if "scale-load" in what:
            show(prof, f"(b) Bot() from the compiled cache, {a.size:,} models", a.top,
                 time.perf_counter() - t0)
        if "scale-question" in what:
            groups = Q.scale_questions(names, 4)
            for qs in groups.values():
                for q in qs[0]:
                    bot.ask(q)
            prof = cProfile.Profile()
            t0 = time.perf_counter()
            n = 0
            prof.enable()
            for qs in groups.values():
                for rnd in qs[1:]:
                    for q in rnd:
                        bot.ask(q)
                        n += 1
            prof.disable()
            show(prof, f"(b) Bot.ask, {a.size:,} models, {n} questions (exact, typo'd, "
                       "no name; all new texts)", a.top, time.perf_counter() - t0)


if __name__ == "__main__":
    main()
