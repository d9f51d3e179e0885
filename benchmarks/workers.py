"""Subprocess entry points of the benchmark, so memory and start-up are measured per case.

    python benchmarks/workers.py scale-build KB_DIR
    python benchmarks/workers.py scale-serve KB_DIR QUESTIONS_JSON REPS

Each prints one JSON object as its last stdout line. TAXOBOT_CACHE_DIR / TAXOBOT_DATA_DIR
come from the parent. With ``BENCH_STACKS=SECONDS`` the worker prints the main thread's
stack to stderr every SECONDS, so a case that runs out of time still shows where its time
went.

The stacks come from a Python thread (``sys._current_frames``, under the GIL), not from
``faulthandler.dump_traceback_later``: that one's watchdog thread walks the other threads'
frames *without* the GIL while they run, and reading a frame that is being freed crashes the
process. That was the 100k build worker's SIGSEGV (exit -11, its stderr cut off mid-dump),
and a loop of ``load_knowledge`` with a 2 ms dump interval reproduces it within seconds.
faulthandler stays enabled for real crashes, which it reports safely.
"""

from __future__ import annotations

import faulthandler
import json
import os
import resource
import statistics
import sys
import threading
import time
import traceback
from pathlib import Path


def _rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _peak_mb() -> float:
    """This process's own high-water RSS (VmHWM). Not ru_maxrss: after a vfork-style spawn
    that also counts the *parent's* peak, inherited at exec."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _emit(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def scale_build(kb_dir: str) -> None:
    t0 = time.perf_counter()
    from bot import Bot
    t1 = time.perf_counter()
    Bot(extra_knowledge=[kb_dir])  # from YAML (cache empty), then written to the cache
    t2 = time.perf_counter()
    _emit({"import_s": t1 - t0, "build_s": t2 - t1, "peak_mb": _peak_mb()})


def scale_serve(kb_dir: str, qfile: str, reps: int) -> None:
    """Round 0 of every group warms up; rounds 1..reps are timed (all texts new)."""
    groups: dict[str, list[list[str]]] = json.loads(Path(qfile).read_text())
    rss0 = _rss_mb()
    cache = Path(os.environ.get("TAXOBOT_CACHE_DIR", "/nonexistent"))
    before = {p.name for p in cache.glob("*.pickle")}
    t0 = time.perf_counter()
    from bot import Bot
    t1 = time.perf_counter()
    bot = Bot(extra_knowledge=[kb_dir])
    t2 = time.perf_counter()
    rss_loaded = _rss_mb()
    # A pickle that was not there before means the key changed (code or data edited since
    # the build step) and this load was a YAML build, not a cache load.
    rebuilt = bool({p.name for p in cache.glob("*.pickle")} - before)
    out: dict[str, object] = {"import_s": t1 - t0, "load_s": t2 - t1, "rss_start_mb": rss0,
                              "cache_miss": rebuilt,
                              "rss_loaded_mb": rss_loaded, "groups": {}, "intents": {}}
    first = {}
    for name, rounds in groups.items():  # warm-up round
        for q in rounds[0]:
            t = time.perf_counter_ns()
            bot.ask(q)
            first[name] = first.get(name, 0) + time.perf_counter_ns() - t
    for name, rounds in groups.items():
        samples: list[int] = []
        rep_medians: list[float] = []
        intents: set[str] = set()
        for qs in rounds[1 : reps + 1]:
            rep: list[int] = []
            for q in qs:
                t = time.perf_counter_ns()
                r = bot.ask(q)
                rep.append(time.perf_counter_ns() - t)
                intents.add(r.intent)
            samples.extend(rep)
            rep_medians.append(statistics.median(rep))
        out["groups"][name] = {"samples_ns": samples, "rep_medians_ns": rep_medians}  # type: ignore[index]
        out["intents"][name] = sorted(intents)  # type: ignore[index]
    out["peak_mb"] = _peak_mb()
    _emit(out)


def _print_stacks(every: float) -> None:
    """Every ``every`` seconds, the main thread's stack in faulthandler's format (which
    bench.py's ``_where`` reads), taken safely under the GIL."""
    main_id = threading.main_thread().ident

    def loop() -> None:
        while True:
            time.sleep(every)
            frame = sys._current_frames().get(main_id)  # noqa: SLF001
            if frame is None:
                return
            lines = [f"Timeout ({every:.1f} s)!", f"Thread 0x{main_id:016x} (most recent "
                     "call first):"]
            for fs in reversed(traceback.extract_stack(frame)):
                lines.append(f'  File "{fs.filename}", line {fs.lineno} in {fs.name}')
            sys.stderr.write("\n".join(lines) + "\n")
            sys.stderr.flush()

    threading.Thread(target=loop, name="bench-stacks", daemon=True).start()


def main() -> None:
    faulthandler.enable()  # a real crash still prints its stack
    every = os.environ.get("BENCH_STACKS")
    if every:
        _print_stacks(float(every))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    cmd, *args = sys.argv[1:]
    if cmd == "scale-build":
        scale_build(args[0])
    elif cmd == "scale-serve":
        scale_serve(args[0], args[1], int(args[2]))
    else:
        raise SystemExit(f"unknown worker {cmd!r}")


if __name__ == "__main__":
    main()
