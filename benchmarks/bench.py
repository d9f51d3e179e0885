"""taxobot's benchmark: per-question time, cold start, load, scale, terminal chat, a peer.

Every timing is printed as median and p99 and as a ratio against a baseline measured in the
same run, since absolute times on a shared machine drift.

    python benchmarks/bench.py              # full run (1k, 10k and 100k synthetic models)
    python benchmarks/bench.py --quick      # smaller and fewer repetitions (1k, 10k)
    python benchmarks/bench.py --check      # exit 1 when a target is missed
    python benchmarks/bench.py --json PATH  # results as JSON (default benchmarks/results/)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

QUESTIONS = [
    "what type of model is BERT?", "how would you categorise FinBERT?",
    "what is BERT's training approach?", "how is GPT-4 deployed?",
    "which deployment category does GPT-J belong to?", "examples of multimodal models",
    "name some conversational models", "what is a masked language model?",
    "explain hybrid models", "how are LLMs classified?", "what types exist based on deployment?",
    "list every category", "how many dimensions are there?", "is GPT-4 proprietary?",
    "is TinyBERT a large-scale model?", "does LaMDA count as a conversational model?",
    "compare BERT and GPT-3", "difference between autoregressive and masked models",
    "which models are open source and multilingual?",
    "which transformer models are not autoregressive?", "who developed GPT-J?",
    "when was GPT-3 released?", "how many parameters does Llama 2 have?",
    "tell me about Mistral 7B", "is XLM-R monolingual or multilingual?",
    "which of BERT, GPT-3 and T5 is seq2seq?", "BERT?", "multimodal",
    "examles of conversatonal models", "is falcon deployd on premis?", "wat is XLnet",
    "what is distilbrt?", "who made llama2?", "hey there", "thanks", "what can you do?",
    "what's a good pasta recipe?", "who is the president of France?", "play some music",
    "what kind of model is Frobnitz-12?", "is Splendorax open source?", "GPT-5?",
    "which models are made by Google?", "what does LLM stand for?",
]
DIALOGUE = ["what kind of model is BART?", "and XLNet?", "is it open source?", "why?",
            "its architecture?", "tell me about domain-specific models", "can you name one?",
            "give me more examples", "what does that mean?", "and RoBERTa?"]
TARGETS = {
    "ask_median_ms": 0.2, "ask_p99_ms": 1.0, "cold_ratio": 2.0, "cold_peak_mb": 60.0,
    "scale_p99_ms": 20.0, "scale_load_cached_s": 1.0, "scale_memory_mb": 500.0,
    "tui_first_paint_s": 1.0, "load_bundled_ms": 50.0,
}


def stats(samples: list[float]) -> dict[str, float]:
    s = sorted(samples)
    return {"median": statistics.median(s), "p99": s[min(len(s) - 1, int(len(s) * 0.99))],
            "min": s[0], "max": s[-1]}


def timed(fn: Callable[[str], object], items: Iterable[str], reps: int) -> list[float]:
    items = list(items)
    out = []
    for _ in range(reps):
        for it in items:
            t = time.perf_counter()
            fn(it)
            out.append(time.perf_counter() - t)
    return out


def row(name: str, st: dict[str, float], unit: float, unit_name: str,
        base: dict[str, float] | None = None) -> str:
    ratio = f"{st['median'] / base['median']:8.1f}x" if base and base["median"] else " " * 9
    return (f"  {name:44} {st['median'] * unit:9.3f} {st['p99'] * unit:9.3f} {unit_name:3} "
            f"{ratio}")


def header(title: str) -> None:
    print(f"\n{title}\n  {'':44} {'median':>9} {'p99':>9}     {'ratio':>8}")


# -- 1. per question ------------------------------------------------------------------------
def per_question(reps: int, results: dict[str, object]) -> None:
    from bot import Bot
    from bot.context import Context
    from bot.normalise import normalise

    bot = Bot()
    baseline = stats(timed(lambda q: {q.casefold(): 1}.get(q), QUESTIONS, reps * 20))
    for q in QUESTIONS:
        bot.ask(q)
    ask = stats(timed(bot.ask, QUESTIONS, reps))

    def dialogue(_: str) -> None:
        conv = bot.conversation()
        for q in DIALOGUE:
            conv.ask(q)

    conv = stats([t / len(DIALOGUE) for t in timed(dialogue, ["x"], reps * 3)])
    # Novel questions: the memo of recent rankings and fuzzy look-ups does not help these.
    rng = random.Random(1)
    novel = [f"{q} {rng.choice(['please', 'now', 'thanks', 'ok'])} {i}"
             for i, q in enumerate(QUESTIONS * reps)]
    cold = stats(timed(bot.ask, novel, 1))
    nts = {q: normalise(q) for q in QUESTIONS}
    res = {q: bot.resolver.resolve(nts[q]) for q in QUESTIONS}
    rk = {q: bot.matcher.match(res[q].slot_text) for q in QUESTIONS}
    ctx = Context()
    dec = {q: bot.policy.decide(nts[q], res[q], rk[q], ctx) for q in QUESTIONS}
    stages = {
        "normalise": stats(timed(normalise, QUESTIONS, reps)),
        "entities": stats(timed(lambda q: bot.resolver.resolve(nts[q]), QUESTIONS, reps)),
        "intent (memo warm)": stats(timed(lambda q: bot.matcher.match(res[q].slot_text),
                                          QUESTIONS, reps)),
        "intent (no memo)": stats(timed(lambda q: bot.matcher._rank(res[q].slot_text),
                                        QUESTIONS, reps)),
        "policy": stats(timed(lambda q: bot.policy.decide(nts[q], res[q], rk[q], ctx),
                              QUESTIONS, reps)),
        "answer": stats(timed(lambda q: bot.composer.compose(dec[q], ctx, q), QUESTIONS, reps)),
    }
    header(f"1. Per question, bundled knowledge ({len(QUESTIONS)} questions x {reps})")
    print(row("baseline: casefold + dict look-up", baseline, 1e3, "ms"))
    print(row("Bot.ask (after warm-up)", ask, 1e3, "ms", baseline))
    print(row("Conversation.ask (10-turn dialogue)", conv, 1e3, "ms", baseline))
    print(row("Bot.ask, never-seen wording", cold, 1e3, "ms", baseline))
    for name, st in stages.items():
        print(row(f"  stage: {name}", st, 1e3, "ms", baseline))
    results["per_question"] = {"baseline": baseline, "ask": ask, "conversation": conv,
                               "novel": cold, "stages": stages}


# -- 2. cold start --------------------------------------------------------------------------
def run_wall(cmd: list[str], reps: int, env: dict[str, str]) -> tuple[dict[str, float], float]:
    walls, peak = [], 0.0
    for _ in range(reps):
        t = time.perf_counter()
        out = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], capture_output=True,
                             text=True, env=env, cwd=tempfile.gettempdir())
        walls.append(time.perf_counter() - t)
        with contextlib.suppress(ValueError, IndexError):
            peak = max(peak, int(out.stderr.strip().splitlines()[-1]) / 1024)
    return stats(walls), peak


def cold_start(reps: int, results: dict[str, object]) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    py = sys.executable
    subprocess.run([py, "-m", "compileall", "-q", str(ROOT / "bot")], check=False)
    base, base_mem = run_wall([py, "-c", "import rapidfuzz, yaml"], reps, env)
    run_wall([py, "-m", "bot", "ask", "hi"], 1, env)  # fills the compiled cache
    ask, ask_mem = run_wall([py, "-m", "bot", "ask", "what type of model is BERT?"], reps, env)
    nocache_env = {**env, "TAXOBOT_CACHE_DIR": "off"}
    nocache, _ = run_wall([py, "-m", "bot", "ask", "what type of model is BERT?"],
                          max(3, reps // 3), nocache_env)
    imported = subprocess.run(
        [py, "-c", "import sys; from bot.cli import main; main(['ask', 'hi']); "
                   "print('TEXTUAL' if 'textual' in sys.modules else 'NO-TEXTUAL')"],
        capture_output=True, text=True, env=env).stdout.strip().splitlines()[-1]
    header(f"2. Cold start, whole process ({reps} runs)")
    print(row("baseline: python -c 'import rapidfuzz, yaml'", base, 1e3, "ms"))
    print(row("taxobot ask (compiled cache)", ask, 1e3, "ms", base))
    print(row("taxobot ask (no cache: YAML)", nocache, 1e3, "ms", base))
    print(f"  peak memory: taxobot ask {ask_mem:.1f} MB, baseline {base_mem:.1f} MB; "
          f"one-shot path imports Textual: {'yes' if imported == 'TEXTUAL' else 'no'}")
    results["cold_start"] = {"baseline": base, "ask": ask, "ask_no_cache": nocache,
                             "peak_mb": ask_mem, "baseline_peak_mb": base_mem,
                             "ratio": ask["median"] / base["median"],
                             "imports_textual": imported == "TEXTUAL"}


# -- 3. load --------------------------------------------------------------------------------
def load(reps: int, results: dict[str, object]) -> None:
    from bot import Bot
    from bot.answer import ANSWER_NAMES
    from bot.intents import load_intents
    from bot.knowledge_loader import load_knowledge

    with tempfile.TemporaryDirectory() as cache:
        os.environ["TAXOBOT_CACHE_DIR"] = cache
        kb = stats(timed(lambda _: load_knowledge(), ["k"], reps))
        it = stats(timed(lambda _: load_intents(answers=ANSWER_NAMES), ["i"], reps))
        full = stats(timed(lambda _: Bot(use_cache=False), ["b"], max(3, reps // 2)))
        Bot()
        cached = stats(timed(lambda _: Bot(), ["c"], reps))
        del os.environ["TAXOBOT_CACHE_DIR"]
    header("3. Load, bundled data")
    print(row("knowledge/ from YAML", kb, 1e3, "ms"))
    print(row("intents/ from YAML", it, 1e3, "ms"))
    print(row("Bot() from YAML (indexes built)", full, 1e3, "ms"))
    print(row("Bot() from the compiled cache", cached, 1e3, "ms", full))
    results["load"] = {"knowledge": kb, "intents": it, "bot_yaml": full, "bot_cached": cached}


# -- 4. scale -------------------------------------------------------------------------------
_SCALE_CHILD = r"""
import json, random, resource, statistics, sys, time
sys.path.insert(0, sys.argv[3])
folder, names_file = sys.argv[1], sys.argv[2]
t = time.perf_counter()
from bot import Bot
bot = Bot(extra_knowledge=[folder])
load = time.perf_counter() - t
names = json.load(open(names_file))
from synth import typo
rng = random.Random(3)
exact = [f"what type of model is {n}?" for n in rng.sample(names, 60)]
typos = [f"who developed {typo(n, rng)}?" for n in rng.sample(names, 60)]
plain = ["how are LLMs classified?", "what is a masked language model?", "thanks",
         "which dimension does on-premise belong to?", "what's a good pasta recipe?"] * 12
out = {"load_s": load}
for label, qs in (("exact", exact), ("typo", typos), ("no_name", plain)):
    ts = []
    for i, q in enumerate(qs):
        q = q + f" {i}"  # never the same text twice: no memo hits
        s = time.perf_counter(); bot.ask(q); ts.append(time.perf_counter() - s)
    ts.sort()
    out[label] = {"median": statistics.median(ts), "p99": ts[min(len(ts) - 1, int(len(ts) * .99))]}
out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def scale(sizes: list[int], results: dict[str, object]) -> None:
    import synth

    header("4. Scale: synthetic catalogues (questions never repeat, so no memo hits)")
    out: dict[str, object] = {}
    work = Path(tempfile.mkdtemp(prefix="taxobot-scale-"))
    for n in sizes:
        folder = work / f"n{n}"
        s = synth.generate(n, folder)
        names = folder.parent / f"names-{n}.json"
        names.write_text(json.dumps(list(s.names)))
        cache = work / f"cache-{n}"
        env = {**os.environ, "TAXOBOT_CACHE_DIR": str(cache)}
        runs = []
        for _ in range(2):  # first from YAML (fills the cache), then from the cache
            p = subprocess.run([sys.executable, "-c", _SCALE_CHILD, str(folder), str(names),
                                str(ROOT / "benchmarks")], capture_output=True, text=True,
                               env=env)
            if p.returncode:
                print(f"  {n}: failed: {p.stderr.strip()[-300:]}")
                break
            runs.append(json.loads(p.stdout.strip().splitlines()[-1]))
        if len(runs) < 2:
            continue
        yaml_run, cached = runs
        print(f"  {n:>7,} models: load {yaml_run['load_s']:6.2f} s from YAML, "
              f"{cached['load_s']:6.2f} s from cache; memory {cached['rss_mb']:6.0f} MB")
        for label in ("exact", "typo", "no_name"):
            st = cached[label]
            print(f"           {label:8} median {st['median'] * 1e3:7.3f} ms  "
                  f"p99 {st['p99'] * 1e3:7.3f} ms")
        out[str(n)] = {"yaml": yaml_run, "cached": cached}
    if len(out) >= 2:
        lo, hi = min(out, key=int), max(out, key=int)
        for label in ("exact", "typo", "no_name"):
            a = out[lo]["cached"][label]["median"]  # type: ignore[index]
            b = out[hi]["cached"][label]["median"]  # type: ignore[index]
            print(f"  growth {label:8}: {b / a:5.1f}x time for {int(hi) / int(lo):,.0f}x models")
    results["scale"] = out


# -- 5. terminal chat -----------------------------------------------------------------------
def terminal(results: dict[str, object]) -> None:
    header("5. Terminal chat (headless)")
    try:
        from tui.app import TaxobotApp
    except Exception as exc:  # noqa: BLE001
        print(f"  skipped: {exc}")
        return

    async def run() -> dict[str, float]:
        data = tempfile.mkdtemp()
        os.environ["TAXOBOT_DATA_DIR"] = data
        t = time.perf_counter()
        app = TaxobotApp()
        async with app.run_test(size=(100, 30)) as pilot:
            first = time.perf_counter() - t
            await app.workers.wait_for_complete()
            answers = []
            for q in ("what type of model is BERT?", "compare BERT and GPT-3",
                      "which models are open source and multilingual?"):
                s = time.perf_counter()
                await pilot.press(*q)
                await pilot.press("enter")
                await app.workers.wait_for_complete()
                await pilot.pause()
                answers.append(time.perf_counter() - s)
        return {"first_paint_s": first, "answer_s": statistics.median(answers)}

    try:
        got = asyncio.run(run())
    except Exception as exc:  # noqa: BLE001
        print(f"  skipped: {type(exc).__name__}: {exc}")
        return
    print(f"  first paint {got['first_paint_s']:.3f} s; typing + answer + render "
          f"{got['answer_s']:.3f} s (median of 3, includes simulated key presses)")
    results["terminal"] = got


# -- 6. peer --------------------------------------------------------------------------------
PEER_INTENTS = {
    "classify_model": (["type", "kind", "sort", "categorize", "categorise", "classify"], True),
    "model_developer": (["developed", "made", "created", "built", "company"], True),
    "model_release": (["released", "when", "year", "out"], True),
    "describe_category": (["what is", "explain", "define", "mean"], False),
    "greet": (["hi", "hello", "hey"], False),
    "thanks": (["thanks", "thank"], False),
}
PEER_QUESTIONS = ["what type of model is BERT?", "how would you categorize T5?",
                  "who developed GPT-J?", "which company makes Gemini?",
                  "when was GPT-3 released?", "what year did LLaMA come out?",
                  "explain hybrid models", "what is a masked language model?", "hey there",
                  "thank you", "what kind of model is XLNet?", "who created DALL-E?"]


def peer(reps: int, results: dict[str, object]) -> None:
    header("6. Peer intent parser, same questions")
    try:
        from adapt.engine import IntentDeterminationEngine
        from adapt.intent import IntentBuilder
    except ImportError:
        print("  skipped: adapt-parser is not installed (pip install adapt-parser)")
        return
    from bot import Bot

    engine = IntentDeterminationEngine()
    bot = Bot()
    for m in bot.kb.models:
        engine.register_entity(m.name.lower(), "Model")
    for intent, (words, needs_model) in PEER_INTENTS.items():
        kw = f"{intent}_kw"
        for w in words:
            engine.register_entity(w, kw)
        b = IntentBuilder(intent).require(kw)
        engine.register_intent_parser((b.require("Model") if needs_model else b).build())

    def adapt(q: str) -> object:
        return next(engine.determine_intent(q.lower()), None)

    for q in PEER_QUESTIONS:
        bot.ask(q)
        adapt(q)
    theirs = stats(timed(adapt, PEER_QUESTIONS, reps))
    ours_ask = stats(timed(bot.ask, PEER_QUESTIONS, reps))
    ours_match = stats(timed(lambda q: bot.matcher._rank(
        bot.resolver.resolve(__import__("bot.normalise").normalise.normalise(q)).slot_text),
        PEER_QUESTIONS, reps))
    print(row("adapt-parser 1.0 determine_intent", theirs, 1e3, "ms"))
    print(row("taxobot entities + intent (no memo)", ours_match, 1e3, "ms", theirs))
    print(row("taxobot whole Bot.ask (with the answer)", ours_ask, 1e3, "ms", theirs))
    results["peer"] = {"adapt": theirs, "taxobot_understanding": ours_match,
                       "taxobot_ask": ours_ask}


def check(results: dict[str, object]) -> list[str]:
    missed = []

    def need(name: str, value: float, target: float) -> None:
        if value > target:
            missed.append(f"{name}: {value:.3f} > target {target} ({value / target:.1f}x)")

    pq = results.get("per_question", {})
    if pq:
        need("ask median ms", pq["ask"]["median"] * 1e3, TARGETS["ask_median_ms"])  # type: ignore[index]
        need("ask p99 ms", pq["ask"]["p99"] * 1e3, TARGETS["ask_p99_ms"])  # type: ignore[index]
    cs = results.get("cold_start", {})
    if cs:
        need("cold ask / import baseline", cs["ratio"], TARGETS["cold_ratio"])  # type: ignore[index]
        need("cold ask peak MB", cs["peak_mb"], TARGETS["cold_peak_mb"])  # type: ignore[index]
    for n, r in results.get("scale", {}).items():  # type: ignore[union-attr]
        c = r["cached"]
        for label in ("exact", "typo", "no_name"):
            need(f"{n} models {label} p99 ms", c[label]["p99"] * 1e3, TARGETS["scale_p99_ms"])
        need(f"{n} models load from cache s", c["load_s"], TARGETS["scale_load_cached_s"])
        need(f"{n} models memory MB", c["rss_mb"], TARGETS["scale_memory_mb"])
    tm = results.get("terminal")
    if tm:
        need("terminal first paint s", tm["first_paint_s"], TARGETS["tui_first_paint_s"])  # type: ignore[index]
    return missed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repetitions, no 100k catalogue")
    ap.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    ap.add_argument("--json", default=str(ROOT / "benchmarks" / "results" / "latest.json"))
    ap.add_argument("--sizes", default="", help="catalogue sizes, e.g. 1000,10000")
    a = ap.parse_args()
    reps = 5 if a.quick else 20
    sizes = [int(x) for x in a.sizes.split(",") if x] or (
        [1000, 10000] if a.quick else [1000, 10000, 100000])
    started = time.perf_counter()
    print(f"taxobot benchmark, {time.strftime('%Y-%m-%d %H:%M')}, Python "
          f"{platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.2f}")
    results: dict[str, object] = {"date": time.strftime("%Y-%m-%d"),
                                  "machine": f"{platform.machine()} {os.cpu_count()} cores"}
    per_question(reps, results)
    cold_start(10 if a.quick else 20, results)
    load(reps, results)
    scale(sizes, results)
    terminal(results)
    peer(reps * 5, results)
    missed = check(results)
    results["missed"] = missed
    out = Path(a.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1, default=str))
    print(f"\nTargets missed: {len(missed)}")
    for m in missed:
        print(f"  - {m}")
    print(f"benchmark took {time.perf_counter() - started:.0f} s; results in {out}")
    return 1 if a.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
