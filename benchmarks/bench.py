"""taxobot performance benchmark (issue 6): prints a table, writes JSON, checks the targets.

    .venv/bin/python benchmarks/bench.py            # full run (< 5 min on 2 cores)
    .venv/bin/python benchmarks/bench.py --quick    # CI smoke (< 60 s): fewer reps, 1k only
    .venv/bin/python benchmarks/bench.py --check    # exit 1 when a target is missed
    .venv/bin/python benchmarks/bench.py --json PATH   (default benchmarks/results/latest.json)

Sections: 1 per question in process (Bot.ask, Conversation.ask, per stage), 2 cold start
of ``taxobot ask`` (wall time, peak memory, no Textual on that path), 3 loading, 4 scale
(synthetic knowledge bases of 1k..100k models, each size in its own processes), 5 terminal
chat (benchmarks/tui_worker.py: first paint, start -> engine ready, engine replied -> answer
on screen for short and long answers, a log of 200 answers scrolled), 6 the peer parser
(adapt-parser).

Absolute times drift on a shared machine; every timing also comes as a ratio to a baseline
measured in the same run. The cache and data folders point at a temporary directory, so
the user's own ~/.cache/taxobot is never read or written. The scale section runs under a
time budget: a size that does not load in its share is reported as "> N s" (with where its
time went, from periodic stack dumps) and larger sizes are then not attempted, so the whole
run stays inside its time limit even when the engine is slow.

See benchmarks/hotspots.py for the cProfile profiles of the hot spots.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import questions as Q  # noqa: E402

COLD_QUESTION = "what type of model is BERT?"
COLD_OTHERS = {"a question that composes": "which open-source models came out after 2022?",
               "a typo'd name (fuzzy look-up: rapidfuzz imported)": "what type of model is BRET?"}
"""Informative cold rows beside the target's question: what other kinds of question cost."""


# -- statistics and the table ------------------------------------------------------------------

def pct(samples: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    s = sorted(samples)
    if not s:
        return float("nan")
    k = max(0, min(len(s) - 1, math.ceil(q / 100 * len(s)) - 1))
    return s[k]


@dataclass
class Row:
    section: str
    name: str
    unit: str  # "s" (values in seconds) or "MB"
    median: float
    p99: float | None = None
    lo: float | None = None  # min-max of repeated runs' medians
    hi: float | None = None
    baseline: str = ""
    baseline_median: float | None = None
    n: int = 0
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline_median and not math.isnan(self.median):
            return self.median / self.baseline_median
        return None


@dataclass
class Target:
    name: str
    value: float | None
    limit: float
    unit: str
    why: str = ""

    @property
    def ok(self) -> bool:
        return self.value is not None and not math.isnan(self.value) and self.value <= self.limit


@dataclass
class Results:
    rows: list[Row] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)

    def row(self, section: str, name: str, samples: list[float], unit: str = "s",
            reps: list[float] | None = None, baseline: Row | None = None, note: str = ""
            ) -> Row:
        r = Row(section, name, unit, statistics.median(samples) if samples else float("nan"),
                pct(samples, 99) if len(samples) > 1 else None,
                min(reps) if reps else None, max(reps) if reps else None,
                baseline.name if baseline else "", baseline.median if baseline else None,
                len(samples), note)
        self.rows.append(r)
        return r

    def single(self, section: str, name: str, value: float, unit: str = "s", note: str = "",
               baseline: Row | None = None) -> Row:
        r = Row(section, name, unit, value, baseline=baseline.name if baseline else "",
                baseline_median=baseline.median if baseline else None, n=1, note=note)
        self.rows.append(r)
        return r

    def skip(self, section: str, name: str, reason: str) -> None:
        self.rows.append(Row(section, name, "", float("nan"), note=f"skipped: {reason}"))


def fmt(v: float | None, unit: str) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    if unit == "MB":
        return f"{v:,.1f} MB"
    if unit == "x":
        return f"{v:.2f}"
    if v < 1e-3:
        return f"{v * 1e6:,.1f} µs"
    if v < 1:
        return f"{v * 1e3:,.2f} ms"
    return f"{v:,.2f} s"


def ratio_str(r: float | None) -> str:
    if r is None:
        return "-"
    return f"{r:,.0f}x" if r >= 100 else f"{r:,.2f}x"


def print_table(res: Results) -> None:
    head = ("measure", "median", "p99", "min-max (runs)", "ratio", "baseline (same run)")
    lines = []
    for r in res.rows:
        spread = (f"{fmt(r.lo, r.unit)}-{fmt(r.hi, r.unit)}" if r.lo is not None else "-")
        lines.append((r.section, (f"{r.name}", fmt(r.median, r.unit), fmt(r.p99, r.unit),
                                  spread, ratio_str(r.ratio),
                                  (f"{r.baseline} {fmt(r.baseline_median, r.unit)}"
                                   if r.baseline else "")), r.note))
    widths = [max(len(head[i]), *(len(c[1][i]) for c in lines)) for i in range(len(head))]
    sep = "  "
    print(sep.join(h.ljust(w) for h, w in zip(head, widths, strict=True)))
    print(sep.join("-" * w for w in widths))
    section = None
    for sec, cells, note in lines:
        if sec != section:
            section = sec
            print(f"\n[{sec}]")
        print(sep.join((c.ljust(w) if i in (0, 5) else c.rjust(w))
                       for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip())
        if note:
            print(f"    {note}")
    print()
    print("Targets (issues 6 and 17)")
    for t in res.targets:
        if t.value is None or math.isnan(t.value):
            status, got = "MISSED", "not measured"
        else:
            status = "ok" if t.ok else "MISSED"
            got = fmt(t.value, t.unit)
        over = ""
        if t.value is not None and not math.isnan(t.value) and not t.ok:
            over = (f"  ({t.value / t.limit:,.1f}x the limit, "
                    f"+{fmt(t.value - t.limit, t.unit)})")
        print(f"  {status:6}  {t.name}: {got} vs <= {fmt(t.limit, t.unit)}{over}"
              + (f"  [{t.why}]" if t.why else ""))
    for n in res.notes:
        print(f"  note: {n}")


# -- 1 and 6: per question in process, and the peer -------------------------------------------

def timed_pass(fn: Any, items: list[Any]) -> list[int]:
    out = []
    for x in items:
        t = time.perf_counter_ns()
        fn(x)
        out.append(time.perf_counter_ns() - t)
    return out


def section_per_question(res: Results, reps: int) -> None:
    from bot import Bot
    from bot.context import Context
    from bot.normalise import normalise

    sec = "1. per question, in process (bundled knowledge)"
    bot = Bot()
    turns = [t for _, t in Q.turns()]
    for _ in range(3):  # warm-up: caches, branch paths, allocator
        for t in turns:
            bot.ask(t)

    lookup = {t.casefold(): t for t in turns}

    def baseline(t: str) -> Any:
        return lookup.get(t.casefold())

    def runs(fn: Any, items: list[Any]) -> tuple[list[float], list[float]]:
        samples: list[float] = []
        medians: list[float] = []
        for _ in range(reps):
            rep = [x / 1e9 for x in timed_pass(fn, items)]
            samples += rep
            medians.append(statistics.median(rep))
        return samples, medians

    b_s, b_m = runs(baseline, turns)
    base = res.row(sec, "baseline: str.casefold + dict lookup", b_s, reps=b_m)

    # First sight: a fresh Bot per rep (from the compiled cache), so the per-instance memos
    # (recent rankings, fuzzy look-ups) never help: what a user's new question costs.
    fresh_s: list[float] = []
    fresh_m: list[float] = []
    by_kind: dict[str, list[float]] = {}
    conv_fresh: list[float] = []
    conv_fresh_m: list[float] = []
    st: dict[str, list[float]] = {"normalise": [], "entities": [], "intent matching": [],
                                  "policy": [], "mentions + interpret": [], "answer": []}
    dialogues = [ts for _, ts in Q.DIALOGUES]
    ctx = Context()
    # The peer answers the same questions right after each of taxobot's passes, so a busy
    # machine's drift stretches both alike and the ratio stays honest.
    sec6 = "6. peer: adapt-parser 1.0 (8 keyword intents, same vocabulary, same questions)"
    try:
        import peer_adapt
    except ImportError as err:
        res.skip(sec6, "adapt-parser", f"not importable ({err})")
        engine = None
    else:
        engine = peer_adapt.build(bot.kb)
        for t in turns:
            peer_adapt.parse(engine, t)
    p_s: list[float] = []
    p_m: list[float] = []
    for _ in range(reps):
        fresh = Bot()
        rep: list[float] = []
        peer_rep: list[float] = []
        for k, t in Q.turns():
            s = time.perf_counter_ns()
            fresh.ask(t)
            d_s = (time.perf_counter_ns() - s) / 1e9
            rep.append(d_s)
            by_kind.setdefault(k, []).append(d_s)
        if engine is not None:  # its own pass, as warm as it gets, right after taxobot's
            peer_rep = [x / 1e9 for x in timed_pass(lambda t: peer_adapt.parse(engine, t),
                                                    turns)]
        fresh_s += rep
        fresh_m.append(statistics.median(rep))
        if peer_rep:
            p_s += peer_rep
            p_m.append(statistics.median(peer_rep))
        fresh = Bot()
        rep = []
        for ts in dialogues:
            conv = fresh.conversation()
            rep += [x / 1e9 for x in timed_pass(conv.ask, ts)]
        conv_fresh += rep
        conv_fresh_m.append(statistics.median(rep))
        fresh = Bot()  # stages, as Bot.respond runs them (stateless context)
        for t in turns:
            t0 = time.perf_counter_ns()
            nt = normalise(t)
            ta = time.perf_counter_ns()
            r = fresh.resolver.resolve(nt)
            t1 = time.perf_counter_ns()
            ranking = fresh.matcher.match(r.slot_text)
            t2 = time.perf_counter_ns()
            d = fresh.policy.decide(nt, r, ranking, ctx)
            t3 = time.perf_counter_ns()
            query = fresh._interpret(nt, r, d, ctx)
            tb = time.perf_counter_ns()
            if query is not None and query.form not in ("describe", "dimension_list"):
                result = fresh.executor.run(query)
                fresh.renderer.render(result)
                fresh.composer.suggest(d.intent, result.models, query.categories)
            else:
                fresh.composer.compose(d, ctx, f"{ctx.turns}:{nt.text}")
            t4 = time.perf_counter_ns()
            stages = (("normalise", t0, ta), ("entities", ta, t1), ("intent matching", t1, t2),
                      ("policy", t2, t3), ("mentions + interpret", t3, tb), ("answer", tb, t4))
            for name, a, b in stages:
                st[name].append((b - a) / 1e9)
    first_row = res.row(sec, f"Bot.ask, first sight ({len(turns)} turns x {reps}, fresh Bot "
                        "per rep)", fresh_s, reps=fresh_m, baseline=base)
    conv_first = res.row(sec, "Conversation.ask, first sight (fresh conversation per "
                         "dialogue)", conv_fresh, reps=conv_fresh_m, baseline=base)
    for k, v in by_kind.items():
        res.row(sec, f"  first sight, {k} ({len(v) // reps})", v, baseline=base)
    total_mean = sum(statistics.fmean(v) for v in st.values())
    for name, v in st.items():
        res.row(sec, f"  stage (first sight): {name}", v, baseline=base,
                note=f"{statistics.fmean(v) / total_mean:.0%} of stage time (means)")

    # Repeated: the same Bot asked the same questions again (its memos warm).
    a_s, a_m = runs(bot.ask, turns)
    ask_row = res.row(sec, "Bot.ask, repeated questions (memos warm)", a_s, reps=a_m,
                      baseline=base)

    def converse(dialogues: list[list[str]]) -> tuple[list[float], list[float]]:
        samples: list[float] = []
        medians: list[float] = []
        for _ in range(reps):
            rep: list[float] = []
            for ts in dialogues:
                conv = bot.conversation()
                rep += [x / 1e9 for x in timed_pass(conv.ask, ts)]
            samples += rep
            medians.append(statistics.median(rep))
        return samples, medians

    c_s, c_m = converse(dialogues)
    res.row(sec, "Conversation.ask, repeated dialogues (memos warm)", c_s,
                       reps=c_m, baseline=base)
    follow = [ts for k, ts in Q.DIALOGUES if k == "follow-ups"]
    f_s, f_m = converse(follow)
    res.row(sec, "  of which follow-up dialogues", f_s, reps=f_m, baseline=base)
    res.raw["per_question_intents"] = {t: bot.ask(t).intent for t in turns}

    # 6. the peer, same questions, same process, measured beside the first sight above
    if engine is None:
        peer_row = None
    else:
        peer_row = res.row(sec6, "adapt determine_intent (intent + entities only)", p_s,
                           reps=p_m, baseline=base)
        res.single(sec6, "ratio taxobot Bot.ask first sight / adapt (median)",
                   first_row.median / peer_row.median, unit="x",
                   note="below 1.00 means taxobot is faster")
        res.single(sec6, "ratio taxobot Bot.ask repeated / adapt (median)",
                   ask_row.median / peer_row.median, unit="x")
        ent_int = [a + b + c for a, b, c in zip(st["normalise"], st["entities"],
                                                st["intent matching"], strict=True)]
        res.single(sec6, "ratio taxobot entities+intent / adapt (median)",
                   statistics.median(ent_int) / peer_row.median, unit="x",
                   note="like for like: adapt does no policy and writes no answer")
        agree = 0
        answered = 0
        for t in turns:
            pi = peer_adapt.parse(engine, t)
            if pi:
                answered += 1
                agree += res.raw["per_question_intents"][t] in peer_adapt.EQUIVALENT[pi]
        res.notes.append(f"adapt found an intent for {answered}/{len(turns)} turns "
                         f"(no typo tolerance, no follow-ups); it agreed with taxobot on "
                         f"{agree} of those")
    res.targets += [
        Target("per question median (Bot.ask, first sight)", first_row.median, 0.2e-3, "s"),
        Target("per question p99 (Bot.ask, first sight)", first_row.p99, 1e-3, "s"),
        Target("per question median (Conversation.ask, first sight)", conv_first.median,
               0.2e-3, "s"),
        Target("per question p99 (Conversation.ask, first sight)", conv_first.p99, 1e-3, "s"),
        Target("per question median (Bot.ask, repeated)", ask_row.median, 0.2e-3, "s"),
        Target("per question p99 (Bot.ask, repeated)", ask_row.p99, 1e-3, "s"),
    ]
    if peer_row is not None:
        res.targets.append(Target("per question median (first sight) at or below the "
                                  "peer's median", first_row.median, peer_row.median, "s",
                                  "limit = adapt median, same run"))


# -- 2: cold start ----------------------------------------------------------------------------

_LAUNCHER = r"""
import os, sys, time
t = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
_, status, ru = os.wait4(pid, 0)
print(time.perf_counter() - t, ru.ru_maxrss, os.waitstatus_to_exitcode(status),
      ru.ru_utime + ru.ru_stime)
"""


def spawn(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int, bytes]:
    """Wall seconds, peak RSS (MB) and exit code of exactly ``cmd``, and its stderr."""
    wall, rss, rc, err, _ = spawn_cpu(cmd, env)
    return wall, rss, rc, err


def spawn_cpu(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int, bytes, float]:
    """:func:`spawn`, and the child's CPU seconds (user + system).

    A small launcher forks and execs the command and times it: the child's ru_maxrss then
    starts from the launcher's few MB. Spawned straight from this (large) process, it would
    inherit this process's peak at exec and every child would seem as big as the benchmark.
    """
    exe = shutil.which(cmd[0], path=env.get("PATH")) or cmd[0]
    p = subprocess.run([sys.executable, "-c", _LAUNCHER, exe, *cmd[1:]], env=env,
                       capture_output=True)
    wall, rss_kb, rc, cpu = p.stdout.decode().strip().splitlines()[-1].split()
    return float(wall), int(rss_kb) / 1024, int(rc), p.stderr, float(cpu)


def taxobot_cmd() -> list[str]:
    exe = Path(sys.executable).parent / "taxobot"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "bot"]


def section_cold(res: Results, runs: int, env: dict[str, str]) -> None:
    sec = "2. cold start: taxobot ask (whole process)"
    env = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}  # .pyc as users
    py = sys.executable
    ask = [*taxobot_cmd(), "ask", COLD_QUESTION]
    spawn(ask, env)  # fill the compiled cache (in the benchmark's own cache folder)
    spawn([py, "-c", "import rapidfuzz, yaml"], env)
    cases = {"python -c pass": [py, "-c", "pass"],
             "baseline: python -c 'import rapidfuzz, yaml'": [py, "-c", "import rapidfuzz, yaml"],
             "taxobot ask (compiled cache warm)": ask}
    cases.update({f"taxobot ask, {kind}": [*taxobot_cmd(), "ask", q]
                  for kind, q in COLD_OTHERS.items()})
    walls: dict[str, list[float]] = {k: [] for k in cases}
    mems: dict[str, list[float]] = {k: [] for k in cases}
    cpus: dict[str, list[float]] = {k: [] for k in cases}
    for _ in range(runs):  # interleaved, so drift hits every case alike
        for k, cmd in cases.items():
            w, m, rc, err, c = spawn_cpu(cmd, env)
            if rc != 0:
                res.notes.append(f"{k} exited {rc}: {err.decode(errors='replace')[-300:]}")
            walls[k].append(w)
            mems[k].append(m)
            cpus[k].append(c)
    off = dict(env, TAXOBOT_CACHE_DIR="off")
    walls["taxobot ask (no cache: YAML)"] = []
    mems["taxobot ask (no cache: YAML)"] = []
    for _ in range(max(2, runs // 4)):
        w, m, _, _ = spawn(ask, off)
        walls["taxobot ask (no cache: YAML)"].append(w)
        mems["taxobot ask (no cache: YAML)"].append(m)
    base = None
    rows = {}
    for k in walls:
        rows[k] = res.row(sec, f"{k}: wall", walls[k], baseline=base if k != "python -c pass"
                          and base else None)
        if k.startswith("baseline"):
            base = rows[k]
    for k in list(walls):
        if k.startswith("taxobot"):
            rows[k].baseline, rows[k].baseline_median = base.name, base.median  # type: ignore[union-attr]
    # CPU time (user + system) is what load changes least: the same ratio, less noisy.
    cbase = res.row(sec, "baseline: python -c 'import rapidfuzz, yaml': CPU",
                    cpus["baseline: python -c 'import rapidfuzz, yaml'"])
    res.row(sec, "taxobot ask (compiled cache warm): CPU",
            cpus["taxobot ask (compiled cache warm)"], baseline=cbase,
            note="user + system seconds of the process; informative (the target is "
                 "on wall time)")
    mbase = None
    for k in mems:
        r = res.row(sec, f"{k}: peak RSS", mems[k], unit="MB", baseline=mbase)
        if k.startswith("baseline"):
            mbase = r
        if k.startswith("taxobot ask (compiled"):
            ask_mem = r
    # textual must not be imported on the one-shot path
    w, _, _, err = spawn(ask, dict(env, PYTHONPROFILEIMPORTTIME="1"))
    imports = []
    for line in err.decode(errors="replace").splitlines():
        m = re.match(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)", line)
        if m:
            imports.append((int(m.group(2)), len(m.group(3)), m.group(4)))
    textual = sorted({n for _, _, n in imports if n == "textual" or n.startswith("textual.")})
    roots: dict[str, int] = {}
    for cum, _, name in imports:  # slowest packages (outside bot itself), by cumulative time
        root = name.split(".")[0]
        if root not in ("bot", "site", "encodings"):
            roots[root] = max(roots.get(root, 0), cum)
    top = sorted(roots.items(), key=lambda kv: -kv[1])[:6]
    own = max((c for c, _, n in imports if n == "bot.cli"), default=0)
    res.single(sec, "modules imported by taxobot ask", len(imports), unit="x",
               note=("OK: textual is not imported on this path" if not textual else
                     f"FAIL: textual imported ({', '.join(textual[:5])})")
               + f"; importing bot.cli {own / 1000:.0f} ms, slowest packages: "
               + ", ".join(f"{n} {c / 1000:.0f} ms" for n, c in top))
    res.raw["cold_textual_imported"] = textual
    ratio = rows["taxobot ask (compiled cache warm)"].ratio
    res.targets += [
        Target("cold taxobot ask <= 2x import baseline (ratio)", ratio, 2.0, "x"),
        Target("cold taxobot ask peak memory", ask_mem.median, 30.0, "MB", "issue 17"),
        Target("textual modules imported by taxobot ask (count)", float(len(textual)), 0.0,
               "x"),
    ]


# -- 3: loading -------------------------------------------------------------------------------

def section_load(res: Results, reps: int) -> None:
    import yaml

    from bot import Bot, cache, datafiles
    from bot.answer import ANSWER_NAMES
    from bot.intents_loader import load_intents
    from bot.knowledge_loader import load_knowledge

    sec = "3. load: bundled knowledge and intents (in process)"
    files = [*datafiles.yaml_files(datafiles.knowledge_dir()),
             *datafiles.yaml_files(datafiles.intents_dir())]
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    def parse_only() -> None:
        for f in files:
            yaml.load(f.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506

    def times(fn: Any) -> list[float]:
        out = []
        for _ in range(reps):
            t = time.perf_counter()
            made = fn()
            out.append(time.perf_counter() - t)
            del made  # freed outside the timed region: the row is loading, not freeing
        return out

    base = res.row(sec, f"baseline: yaml.CSafeLoader parse of the same {len(files)} files",
                   times(parse_only))
    res.row(sec, "load_knowledge()", times(load_knowledge), baseline=base)
    res.row(sec, "load_intents()", times(lambda: load_intents(datafiles.intents_dir(),
                                                              ANSWER_NAMES)), baseline=base)
    res.row(sec, "Bot(use_cache=False): from YAML", times(lambda: Bot(use_cache=False)),
            baseline=base)
    Bot()  # make sure the cache holds this key
    hit = cache.cache_dir() is not None and any(cache.cache_dir().glob("*.pickle"))  # type: ignore[union-attr]
    res.row(sec, "Bot(): from the compiled cache", times(Bot), baseline=base,
            note="" if hit else "no cache file was written: this is a YAML load")


# -- 4: scale ---------------------------------------------------------------------------------

def _run_worker(args: list[str], env: dict[str, str], timeout: float
                ) -> tuple[dict[str, Any] | None, str, float]:
    t = time.perf_counter()
    env = dict(env, BENCH_STACKS=str(max(5.0, timeout / 4)))
    p = subprocess.Popen([sys.executable, str(HERE / "workers.py"), *args], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()  # our own child, by its handle
        out, err = p.communicate()
        return None, f"timeout after {timeout:.0f} s\n{err}", time.perf_counter() - t
    wall = time.perf_counter() - t
    if p.returncode != 0:
        return None, f"exit {p.returncode}\n{err}", wall
    try:
        return json.loads(out.strip().splitlines()[-1]), err, wall
    except (ValueError, IndexError):
        return None, f"no result\n{out[-500:]}\n{err[-2000:]}", wall


def _where(stderr: str) -> str:
    """The innermost bot/ frames of the last stack dump: where a slow case spent its time."""
    dumps = stderr.split("Thread 0x")
    last = dumps[-1] if len(dumps) > 1 else stderr
    frames = re.findall(r'File "([^"]+)", line (\d+) in (\S+)', last)
    mine = [f"{Path(f).parent.name}/{Path(f).name}:{ln} {fn}" for f, ln, fn in frames
            if "/bot/" in f]
    return " <- ".join(mine[:4]) if mine else "(no stack captured)"


def section_scale(res: Results, sizes: list[int], reps: int, budget: float,
                  build_cap: float, env: dict[str, str], tmp: Path) -> None:
    from synth import generate

    sec = "4. scale: synthetic knowledge bases (each size in fresh processes)"
    deadline = time.monotonic() + budget
    per_size: dict[int, dict[str, Any]] = {}
    stop_reason = ""
    for n in sizes:
        label = f"{n:,} models"
        if stop_reason:
            res.skip(sec, label, stop_reason)
            continue
        t = time.perf_counter()
        syn = generate(n, tmp / f"kb-{n}")
        gen_s = time.perf_counter() - t
        groups = Q.scale_questions(list(syn.names), reps + 1)
        qfile = tmp / f"questions-{n}.json"
        qfile.write_text(json.dumps(groups))
        cenv = dict(env, TAXOBOT_CACHE_DIR=str(tmp / f"cache-{n}"))
        left = deadline - time.monotonic()
        cap = min(left, build_cap)
        if cap < 5:
            stop_reason = "out of the scale section's time budget"
            res.skip(sec, label, stop_reason)
            continue
        built, err, wall = _run_worker(["scale-build", str(syn.folder)], cenv, cap)
        if built is None:
            where = _where(err)
            res.single(sec, f"{label}: load from YAML + write cache", float("nan"),
                       note=f"DID NOT FINISH: {err.splitlines()[0]}; busy in: {where}")
            per_size[n] = {"build_s": None, "build_error": err[-4000:], "busy_in": where,
                           "timeout_s": cap}
            stop_reason = (f"not attempted: {n:,} models did not load within {cap:.0f} s "
                           f"(growth is superlinear; see the note above)")
            continue
        res.single(sec, f"{label}: load from YAML + write cache", built["build_s"],
                   note=f"generated {syn.count:,} entries ({len(syn.families):,} families) "
                        f"in {gen_s:.1f} s; build peak RSS {built['peak_mb']:.0f} MB")
        left = deadline - time.monotonic()
        if left < 5:
            stop_reason = "out of the scale section's time budget"
            res.skip(sec, f"{label}: serve", stop_reason)
            per_size[n] = {"build_s": built["build_s"]}
            continue
        served, err, wall = _run_worker(["scale-serve", str(syn.folder), str(qfile),
                                         str(reps)], cenv, left)
        if served is None:
            where = _where(err)
            res.single(sec, f"{label}: serve", float("nan"),
                       note=f"DID NOT FINISH: {err.splitlines()[0]}; busy in: {where}")
            per_size[n] = {"build_s": built["build_s"], "serve_error": err[-4000:]}
            stop_reason = f"not attempted: {n:,} models did not serve within the budget"
            continue
        res.single(sec, f"{label}: Bot() from the compiled cache (fresh process)",
                   served["load_s"],
                   note=("CACHE MISS: the key changed between build and serve (bot/ or data "
                         "edited meanwhile), so this was a YAML build" if served["cache_miss"]
                         else ""))
        info: dict[str, Any] = {"build_s": built["build_s"], "load_s": served["load_s"],
                                "peak_mb": served["peak_mb"], "groups": {}}
        for g, d in served["groups"].items():
            s = [x / 1e9 for x in d["samples_ns"]]
            r = res.row(sec, f"{label}: per question, {g}", s,
                        reps=[x / 1e9 for x in d["rep_medians_ns"]],
                        note="intents: " + ", ".join(served["intents"][g]))
            info["groups"][g] = {"median": r.median, "p99": r.p99}
        res.single(sec, f"{label}: peak RSS (serving process)", served["peak_mb"], unit="MB",
                   note=f"RSS at start {served['rss_start_mb']:.0f} MB, after Bot() "
                        f"{served['rss_loaded_mb']:.0f} MB")
        per_size[n] = info
    res.raw["scale"] = {str(k): {kk: vv for kk, vv in v.items()} for k, v in per_size.items()}

    # growth: time at the largest loaded size / time at the smallest
    done = sorted(n for n, v in per_size.items() if v.get("groups"))
    if len(done) >= 2:
        a, b = done[0], done[-1]
        k = math.log(b / a)
        for what, get in (("load from cache", lambda v: v["load_s"]),
                          ("per question median, exact name",
                           lambda v: v["groups"]["exact name"]["median"]),
                          ("per question median, typo'd name",
                           lambda v: v["groups"]["typo'd name"]["median"]),
                          ("per question median, no name",
                           lambda v: v["groups"]["no name"]["median"])):
            ra = get(per_size[b]) / get(per_size[a])
            res.single(sec, f"growth {b:,}/{a:,} ({b // a}x names): {what}", ra, unit="x",
                       note=f"exponent {math.log(ra) / k:.2f} (1.00 = linear, "
                            f"< 1 sublinear)")
    built_sizes = sorted(n for n, v in per_size.items() if v.get("build_s"))
    if len(built_sizes) >= 2:
        a, b = built_sizes[0], built_sizes[-1]
        ra = per_size[b]["build_s"] / per_size[a]["build_s"]
        res.single(sec, f"growth {b:,}/{a:,}: load from YAML", ra, unit="x",
                   note=f"exponent {math.log(ra) / math.log(b / a):.2f}")
    if 100_000 not in sizes:
        res.notes.append("100k targets not checked: 100,000 is not among the sizes run "
                         "(--quick runs 1,000 only)")
        return
    big = per_size.get(100_000, {})
    p99s = [g["p99"] for g in big.get("groups", {}).values()]
    res.targets += [
        Target("100k models: per question p99 (worst group)", max(p99s) if p99s else None,
               20e-3, "s"),
        Target("100k models: load from cache", big.get("load_s"), 1.0, "s"),
        Target("100k models: peak memory", big.get("peak_mb"), 500.0, "MB"),
    ]
    if not big.get("groups"):
        res.notes.append("the 100k targets are MISSED as unmeasurable: the 100k knowledge "
                         "base never loaded within the benchmark's budget")


# -- 5: terminal chat -------------------------------------------------------------------------

def section_tui(res: Results, runs: int, env: dict[str, str], tmp: Path,
                scroll: int = 200) -> None:
    """The waits a person feels in the terminal chat (issue 17), from benchmarks/tui_worker.py:
    start -> engine ready, engine replied -> answer on screen (short and long answers), and
    one run with ``scroll`` answers in the log (one more answer, then paging to the top)."""
    sec = "5. terminal chat, headless (Textual run_test, 100x30, fresh process)"
    try:
        import tui.app  # noqa: F401
    except Exception as err:  # noqa: BLE001 - another engineer's work in progress
        res.skip(sec, "TaxobotApp", f"{type(err).__name__}: {err}")
        res.targets.append(Target("TUI first paint", None, 1.0, "s", "skipped"))
        return
    py = sys.executable
    qs = ["what type of model is BERT?", "is it open source?", "compare BERT and GPT-3",
          "which small transformer models are not proprietary?", "hello", "and T5?"]
    qfile = tmp / "tui-questions.json"
    qfile.write_text(json.dumps(qs))
    tenv = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}  # .pyc as users
    tenv["TAXOBOT_DATA_DIR"] = str(tmp / "tui-data")
    spawn([py, "-c", "import tui.app, bot.engine"], tenv)  # write the .pyc files once
    outs = []
    base_w: list[float] = []
    for i in range(runs):  # the baseline interleaved with the runs, so drift hits both
        base_w += [spawn([py, "-c", "import textual.app"], tenv)[0] for _ in range(3)]
        out, err = _run_worker_tui(qfile, tenv, scroll if i == runs - 1 else 0)
        if out is None:
            res.skip(sec, "TaxobotApp", err.strip().splitlines()[-1][:200] if err.strip()
                     else "worker failed")
            res.targets.append(Target("TUI first paint", None, 1.0, "s", "skipped"))
            return
        outs.append(out)
    base = res.row(sec, "baseline: python -c 'import textual.app'", base_w)
    paints = [o["first_paint_s"] for o in outs]
    fp = res.row(sec, "first paint (process spawn -> first refresh)", paints, reps=paints,
                 baseline=base)
    res.row(sec, "first paint (App() -> first refresh, app's own clock)",
            [o["first_paint_app_s"] for o in outs])
    ready = res.row(sec, "engine ready (spawn -> Bot loaded in its thread)",
                    [o["bot_loaded_s"] for o in outs], baseline=base,
                    note="the load starts before Textual is imported (tui.start_engine)")
    res.row(sec, "engine on screen (spawn -> the chat screen holds the conversation)",
            [o["bot_ready_s"] for o in outs], baseline=base,
            note="never before the first paint: the screen it joins is mounted then; a "
                 "question typed from the first paint is answered without waiting when "
                 "the row above is below first paint")
    answers = [a for o in outs for a in o["questions"]]
    res.row(sec, f"per answer: ask -> answer shown ({len(qs)} questions x {runs})",
            [a["e2e"] for a in answers])
    shown = res.row(sec, "per answer: render only (shown minus engine time)",
                    [a["shown"] for a in answers],
                    note="engine replied -> the last frame that changed the screen, encoded "
                         "for the terminal")
    res.row(sec, "  of which the UI thread's CPU time", [a["shown_cpu"] for a in answers],
            note="wall minus this is waiting for the CPU (load) or for the next frame")
    res.row(sec, "per answer: until the screen is quiet (the last frame of all)",
            [a["quiet"] for a in answers],
            note="includes Textual's second layout pass, which repaints the answer unchanged")
    long_all: list[float] = []
    for name in outs[0]["long"]:
        samples = [a["shown"] for o in outs for a in o["long"][name]]
        long_all += samples
        res.row(sec, f"per answer, long: {name}", samples)
    long_row = res.row(sec, "per answer, long answers together", long_all)
    big = outs[-1].get("scroll")
    rows_scroll: list[Row] = []
    if big:
        after = res.single(sec, f"per answer with {big['answers']} answers in the log",
                           big["answer_after"]["shown"],
                           note=f"{big['widgets']} widgets on the screen; filling the log "
                                f"took {big['fill_s']:.1f} s")
        pages = res.row(sec, f"scroll the whole log a page at a time ({len(big['pages'])} "
                        "pages): key -> frame", big["pages"],
                        note=f"whole log {sum(big['pages']):.2f} s of frames")
        rows_scroll = [after, pages]
    res.row(sec, "peak RSS", [o["peak_mb"] for o in outs], unit="MB")
    res.targets += [
        Target("TUI first paint", fp.median, 1.0, "s"),
        Target("TUI answer on screen, median (engine replied -> shown)", shown.median, 0.050,
               "s"),
        Target("TUI answer on screen, p99", shown.p99, 0.100, "s"),
        Target("TUI long answers on screen (20-row table, 80 models), median",
               long_row.median, 0.050, "s"),
        Target("TUI long answers on screen, p99", long_row.p99, 0.100, "s"),
        Target("TUI start -> engine ready, ratio to import textual.app", ready.ratio, 1.5, "x"),
    ]
    if rows_scroll:
        res.targets += [
            Target(f"TUI scroll through {big['answers']} answers, page frame median",  # type: ignore[index]
                   rows_scroll[1].median, 1 / 30, "s", "30 frames a second"),
            Target("TUI scroll, page frame p99", rows_scroll[1].p99, 0.100, "s"),
        ]
    res.notes.append(f"terminal chat measured at load average {os.getloadavg()[0]:.2f} "
                     "(absolute ms; the UI thread's CPU row shows what load does not)")


def _run_worker_tui(qfile: Path, env: dict[str, str], scroll: int
                    ) -> tuple[dict[str, Any] | None, str]:
    args = [sys.executable, str(HERE / "tui_worker.py"), repr(time.time()), str(qfile)]
    p = subprocess.Popen(args + (["--scroll", str(scroll)] if scroll else []), env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = p.communicate(timeout=300)
    except subprocess.TimeoutExpired:
        p.kill()  # our own child, by its handle
        out, err = p.communicate()
        return None, "timeout after 300 s"
    if p.returncode != 0:
        return None, err
    try:
        return json.loads(out.strip().splitlines()[-1]), err
    except (ValueError, IndexError):
        return None, f"no result: {err[-300:]}"


# -- main -------------------------------------------------------------------------------------

def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    commit = ""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True, timeout=10).stdout.strip()
    versions = {}
    for mod in ("rapidfuzz", "yaml", "textual", "adapt"):
        try:
            from importlib.metadata import version
            versions[mod] = version({"yaml": "PyYAML", "adapt": "adapt-parser"}.get(mod, mod))
        except Exception:  # noqa: BLE001
            versions[mod] = "?"
    return {"date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "python": platform.python_version(), "platform": platform.platform(),
            "cpu": cpu, "cores": os.cpu_count(), "loadavg_start": os.getloadavg(),
            "commit": commit, "versions": versions}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="CI smoke: fewer reps, 1k models only")
    ap.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    ap.add_argument("--json", default=str(HERE / "results" / "latest.json"), metavar="PATH")
    ap.add_argument("--sizes", help="scale sizes, comma-separated (default 1000,10000,"
                                    "100000; --quick: 1000)")
    ap.add_argument("--scale-budget", type=float, help="seconds for the whole scale section "
                                                        "(default 200; --quick 25)")
    ap.add_argument("--only", help="comma-separated section numbers to run (default all)")
    a = ap.parse_args(argv)
    quick = a.quick
    reps = 5 if quick else 30
    sizes = ([int(s) for s in a.sizes.split(",")] if a.sizes
             else [1000] if quick else [1000, 10_000, 100_000])
    budget = a.scale_budget or (25.0 if quick else 200.0)
    only = set(a.only.split(",")) if a.only else {"1", "2", "3", "4", "5", "6"}
    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="taxobot-bench-"))
    # Never touch the user's own cache or data: everything in this run's temp folder.
    os.environ["TAXOBOT_CACHE_DIR"] = str(tmp / "cache")
    os.environ["TAXOBOT_DATA_DIR"] = str(tmp / "data")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE), env.get("PYTHONPATH", "")]))
    res = Results()
    res.raw["machine"] = machine()
    res.raw["mode"] = "quick" if quick else "full"

    def step(name: str, fn: Any, *args: Any) -> None:
        t = time.perf_counter()
        print(f"... {name}", file=sys.stderr, flush=True)
        try:
            fn(*args)
        except Exception as err:  # noqa: BLE001 - one broken section must not hide the rest
            import traceback
            res.skip(name, "section", f"{type(err).__name__}: {err}")
            res.raw.setdefault("errors", {})[name] = traceback.format_exc()
        print(f"    {time.perf_counter() - t:.1f} s", file=sys.stderr, flush=True)

    try:
        if only & {"1", "6"}:
            step("1+6. per question and peer", section_per_question, res, reps)
        if "2" in only:
            step("2. cold start", section_cold, res, 4 if quick else 12, env)
        if "3" in only:
            step("3. load", section_load, res, 3 if quick else 10)
        if "4" in only:
            step("4. scale", section_scale, res, sizes, 2 if quick else 4, budget,
                 20.0 if quick else 150.0, env, tmp)
        if "5" in only:
            step("5. terminal chat", section_tui, res, 1 if quick else 3, env, tmp,
                 50 if quick else 200)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    elapsed = time.perf_counter() - started
    m = res.raw["machine"]
    print(f"\ntaxobot benchmark ({res.raw['mode']}), {m['date']}, commit {m['commit']}; "
          f"{m['cpu']}, {m['cores']} cores, Python {m['python']}; load average at start "
          f"{m['loadavg_start'][0]:.2f}; took {elapsed:.0f} s\n")
    print_table(res)
    out = Path(a.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = {"machine": m, "mode": res.raw["mode"], "elapsed_s": elapsed,
               "rows": [dict(asdict(r), ratio=r.ratio) for r in res.rows],
               "targets": [dict(asdict(t), ok=t.ok) for t in res.targets],
               "notes": res.notes, "raw": {k: v for k, v in res.raw.items() if k != "machine"}}
    out.write_text(json.dumps(payload, indent=1, default=str), encoding="utf-8")
    print(f"\nJSON: {out}")
    missed = [t for t in res.targets if not t.ok]
    if a.check and missed:
        print(f"\n--check: {len(missed)} of {len(res.targets)} targets missed", file=sys.stderr)
        for t in missed:
            got = "not measured" if t.value is None or math.isnan(t.value) else fmt(t.value, t.unit)
            by = ("" if got == "not measured" else
                  f" (by {fmt(t.value - t.limit, t.unit)}, {t.value / t.limit:.1f}x)")
            print(f"  MISSED {t.name}: {got} > {fmt(t.limit, t.unit)}{by}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
