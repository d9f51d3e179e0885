"""Load run of `taxobot serve` on 127.0.0.1: concurrent clients holding conversations.

    python benchmarks/load_serve.py [--clients 50] [--requests 20000] [--workers 1 2]

For each worker count: start a real server (signed state, as in production), warm it up,
then let N clients (keep-alive connections, asyncio) play the benchmark's dialogues
(benchmarks/questions.py) over and over, each turn carrying the state of the one before,
until the request budget or the time cap is spent. Reports throughput (total and per worker),
p50/p99/max latency per request as the client sees it, errors, and whether every reply and
state equals what an in-process ``Conversation`` gives for the same turns. Also measures the
longest a single request holds the event loop (all of its work is synchronous), in process.

Bounded: a fixed request budget, a time cap per run, loopback only. The machine is shared:
the load average is printed with each run.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))

import questions as Q  # noqa: E402
from live_server import serving  # noqa: E402

SECRET = "load-run-secret"
Expected = list[list[tuple[dict[str, Any], dict[str, Any]]]]


def expected_replies() -> Expected:
    """Per dialogue, per turn: the reply and state an in-process conversation gives."""
    from bot import Bot

    bot = Bot()
    out: Expected = []
    for _, turns in Q.DIALOGUES:
        conv = bot.conversation()
        out.append([(json.loads(json.dumps(conv.ask(t).to_dict())), conv.to_dict())
                    for t in turns])
    return out


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    lags: list[float] = field(default_factory=list)  # paced: how late each request went out
    errors: dict[str, int] = field(default_factory=dict)
    mismatches: int = 0
    sent: int = 0

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


async def _post(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                body: bytes) -> tuple[int, bytes]:
    writer.write(b"POST /v1/ask HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                 b"Content-Type: application/json\r\nContent-Length: "
                 + str(len(body)).encode() + b"\r\n\r\n" + body)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    return status, await reader.readexactly(length)


async def client(port: int, rng: random.Random, expected: Expected, budget: itertools.count,
                 limit: int, deadline: float, tally: Tally, interval: float) -> None:
    """Plays dialogues; ``interval`` > 0 paces it (one request every ``interval`` s on a fixed
    schedule; how late each went out is kept, so a server too slow for the rate shows as a
    growing lag rather than hiding in the client), 0 sends the next request as soon as the
    answer arrives."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    due = time.perf_counter() + rng.random() * interval
    try:
        while time.monotonic() < deadline:
            d = rng.randrange(len(Q.DIALOGUES))
            state = None
            for i, text in enumerate(Q.DIALOGUES[d][1]):
                if next(budget) >= limit:
                    return
                body = json.dumps({"text": text, "state": state}).encode()
                if interval:
                    await asyncio.sleep(max(0.0, due - time.perf_counter()))
                    tally.lags.append(time.perf_counter() - due)
                    due += interval
                t0 = time.perf_counter()
                try:
                    status, raw = await _post(reader, writer, body)
                except (OSError, asyncio.IncompleteReadError, ValueError) as err:
                    tally.error(type(err).__name__)
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                    break
                tally.latencies.append(time.perf_counter() - t0)
                tally.sent += 1
                if status != 200:
                    tally.error(f"HTTP {status}")
                    break
                answer = json.loads(raw)
                reply = dict(answer["reply"])
                reply.pop("html")
                state = answer["state"]
                if (reply, state["payload"]) != expected[d][i]:
                    tally.mismatches += 1
    finally:
        writer.close()


async def load(port: int, clients: int, requests: int, cap: float, expected: Expected,
               seed: int, rate: float = 0.0) -> tuple[Tally, float]:
    tally = Tally()
    budget = itertools.count()
    deadline = time.monotonic() + cap
    t0 = time.perf_counter()
    interval = clients / rate if rate else 0.0
    await asyncio.gather(*(client(port, random.Random(seed + c), expected, budget, requests,
                                  deadline, tally, interval) for c in range(clients)))
    return tally, time.perf_counter() - t0


def server_cpu(pid: int) -> float:
    """CPU seconds used so far by a process and all its descendants (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    stats: dict[int, tuple[int, float]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    family, total, grew = {pid}, 0.0, True
    while grew:
        more = {p for p, (ppid, _) in stats.items() if ppid in family} - family
        family |= more
        grew = bool(more)
    for p in family:
        total += stats.get(p, (0, 0.0))[1]
    return total


async def _ping(port: int, seconds: float, heavy: bytes | None) -> list[float]:
    """GET /v1/health every 10 ms for ``seconds``, while two clients (if ``heavy``) post that
    body back to back: how long the loop keeps a cheap request waiting."""
    stop = time.monotonic() + seconds

    async def hammer() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while time.monotonic() < stop:
            await _post(reader, writer, heavy or b"")
        writer.close()

    async def pinger() -> list[float]:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        out = []
        while time.monotonic() < stop:
            t0 = time.perf_counter()
            writer.write(b"GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
            await reader.readexactly(length)
            out.append(time.perf_counter() - t0)
            await asyncio.sleep(0.01)
        writer.close()
        return out

    tasks = [hammer(), hammer()] if heavy else []
    results = await asyncio.gather(pinger(), *tasks)
    return list(results[0])


def pct(samples: list[float], q: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, int(q * len(s)))] if s else float("nan")


def summary(tally: Tally, wall: float, workers: int) -> dict[str, Any]:
    return {
        "requests": tally.sent, "seconds": wall, "req_per_s": tally.sent / wall,
        "req_per_s_per_worker": tally.sent / wall / workers,
        "p50_ms": pct(tally.latencies, 0.50) * 1e3, "p99_ms": pct(tally.latencies, 0.99) * 1e3,
        "max_ms": max(tally.latencies, default=float("nan")) * 1e3,
        "errors": sum(tally.errors.values()), "error_kinds": tally.errors,
        "mismatches": tally.mismatches,
        "lag_p99_ms": pct(tally.lags, 0.99) * 1e3 if tally.lags else 0.0,
    }


def run(workers: int, clients: int, requests: int, cap: float, expected: Expected,
        rates: list[float]) -> dict[str, Any]:
    with serving("--workers", str(workers), env={"TAXOBOT_SECRET": SECRET}) as live:
        asyncio.run(load(live.port, clients, min(2000, requests), cap, expected, 1))  # warm-up
        load_before = os.getloadavg()[0]
        cpu0, mine0 = server_cpu(live.process.pid), sum(os.times()[:2])
        tally, wall = asyncio.run(load(live.port, clients, requests, cap, expected, 15))
        cpu1, mine1 = server_cpu(live.process.pid), sum(os.times()[:2])
        load_after = os.getloadavg()[0]
        paced = [{"rate": rate, **summary(*asyncio.run(
            load(live.port, clients, requests, cap, expected, 16, rate)), workers)}
            for rate in rates if rate]
        probe: dict[str, float] = {}
        if workers == 1:
            idle = asyncio.run(_ping(live.port, 3.0, None))
            busy = asyncio.run(_ping(live.port, 5.0, heavy_body()))
            probe = {"idle_p50_ms": pct(idle, 0.5) * 1e3, "idle_max_ms": max(idle) * 1e3,
                     "busy_p50_ms": pct(busy, 0.5) * 1e3, "busy_p99_ms": pct(busy, 0.99) * 1e3,
                     "busy_max_ms": max(busy) * 1e3, "pings": len(busy)}
    served = max(tally.sent, 1)
    return {
        "workers": workers, "clients": clients, **summary(tally, wall, workers),
        "load_avg": [load_before, load_after], "paced": paced,
        "server_cpu_ms_per_req": (cpu1 - cpu0) / served * 1e3,
        "client_cpu_ms_per_req": (mine1 - mine0) / served * 1e3,
        "loop_probe": probe,
    }


def heavy_body() -> bytes:
    """The slowest body of the in-process measurement: every known name at once, 16 KiB."""
    from bot import Bot

    return json.dumps({"text": " ".join(Bot().names())[:16_000]}).encode()


def loop_hold(reps: int) -> list[tuple[float, float, str]]:
    """(median ms, max ms, question) of the synchronous work of one request, slowest first:
    the time it holds the event loop. Dialogue turns with their real states, and the largest
    bodies the server accepts."""
    from bot import Bot
    from web.app import Answerer, renderer
    from web.state import StateCodec

    bot = Bot()
    answerer = Answerer(bot, StateCodec(SECRET.encode()), renderer(cache=0))  # never cached
    bodies: list[tuple[str, bytes]] = []
    for _, turns in Q.DIALOGUES:
        state = None
        for text in turns:
            raw = json.dumps({"text": text, "state": state}).encode()
            bodies.append((text, raw))
            state = json.loads(answerer.turn(raw))["state"]
    words = " ".join(["what", "type", "of", "model", "is", "BERT", "GPT-4", "and"] * 250)
    for label, text in [("16 KiB of question words", words[:16_000]),
                        ("16 KiB of one letter", "a" * 16_000),
                        ("every model name at once", " ".join(bot.names())[:16_000]),
                        ("16 KiB of markup", "<b>*x*</b> | " * 1200)]:
        bodies.append((label, json.dumps({"text": text}).encode()[:16_300]))
    out = []
    for label, raw in bodies:
        times = []
        for _ in range(reps):
            t0 = time.perf_counter()
            answerer.turn(raw)
            times.append(time.perf_counter() - t0)
        out.append((statistics.median(times) * 1e3, max(times) * 1e3, label))
    return sorted(out, key=lambda r: -r[0])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=20_000)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--cap", type=float, default=180.0, help="seconds per run at most")
    ap.add_argument("--rate", type=float, nargs="*", default=[500.0, 1000.0],
                    help="requests/s (in all) of the paced runs after the flat-out one")
    ap.add_argument("--loop-reps", type=int, default=20)
    ap.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    args = ap.parse_args()
    with __import__("contextlib").suppress(ImportError):
        import uvloop

        uvloop.install()
    print(f"cpus {os.cpu_count()}, load average {os.getloadavg()[0]:.2f} at start")
    holds = loop_hold(args.loop_reps)
    print("\nevent loop held by one request (in process; median / max of "
          f"{args.loop_reps} runs), slowest first:")
    for med, mx, label in holds[:6]:
        print(f"  {med:7.2f} ms  {mx:7.2f} ms  {label[:60]}")
    turns = sorted(m for m, _, label in holds
                   if not label.startswith(("16 KiB", "every model name")))
    print(f"  the {len(turns)} dialogue turns' medians: p50 {pct(turns, 0.5):.2f} ms, "
          f"p99 {pct(turns, 0.99):.2f} ms (uncached rendering)")
    expected = expected_replies()
    results = [run(w, args.clients, args.requests, args.cap, expected, args.rate)
               for w in args.workers]
    print(f"\n{args.clients} clients; flat out (each sends again as soon as answered), then "
          "paced (a fixed schedule; 'late' = how far behind it a request went out, ms)")
    print(f"{'workers':>7} {'mode':>11} {'requests':>9} {'req/s':>8} {'req/s/w':>8} {'p50 ms':>7} "
          f"{'p99 ms':>7} {'max ms':>7} {'errors':>6} {'mismatch':>8} {'late p99':>8}")
    for r in results:
        for mode, m in [("flat out", r), *((f"at {p['rate']:.0f}/s", p) for p in r["paced"])]:
            if m:
                print(f"{r['workers']:>7} {mode:>11} {m['requests']:>9} {m['req_per_s']:>8.0f} "
                      f"{m['req_per_s_per_worker']:>8.0f} {m['p50_ms']:>7.2f} "
                      f"{m['p99_ms']:>7.2f} {m['max_ms']:>7.1f} {m['errors']:>6} "
                      f"{m['mismatches']:>8} {m['lag_p99_ms']:>8.1f}")
        print(f"        load average {r['load_avg'][0]:.2f} -> {r['load_avg'][1]:.2f}")
        print(f"        server CPU {r['server_cpu_ms_per_req']:.2f} ms/request "
              f"(capacity {1e3 / max(r['server_cpu_ms_per_req'], 1e-9):.0f} req/s per free "
              f"core), client CPU {r['client_cpu_ms_per_req']:.2f} ms/request")
        if r["error_kinds"]:
            print(f"        errors: {r['error_kinds']}")
        if r["loop_probe"]:
            p = r["loop_probe"]
            print(f"        /v1/health while idle: p50 {p['idle_p50_ms']:.2f} ms, max "
                  f"{p['idle_max_ms']:.1f} ms; while two clients post 16 KiB bodies: p50 "
                  f"{p['busy_p50_ms']:.2f} ms, p99 {p['busy_p99_ms']:.1f} ms, max "
                  f"{p['busy_max_ms']:.1f} ms ({p['pings']:.0f} pings)")
    if args.json:
        Path(args.json).write_text(json.dumps({"loop_hold": holds, "runs": results}, indent=2))
    bad = any(m["errors"] or m["mismatches"] for r in results for m in [r, *r["paced"]])
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
