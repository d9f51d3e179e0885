"""The terminal chat's waits, measured in a fresh process (run by bench.py, section 5).

    python benchmarks/tui_worker.py SPAWN_WALLCLOCK QUESTIONS_JSON [--scroll N]

Prints one JSON object as its last stdout line. The app runs headless (``run_test``), but
every screen update is also turned into the bytes a terminal would get
(``CompositorUpdate.render_segments``), so "on screen" means the frame is ready to write.

Answer on screen: from the moment the engine's ``Conversation.ask`` returns (in its worker
thread) to the last frame that changed what the screen shows, before the screen goes quiet
with the answer shown. Nothing else moves on this screen (cursor blink off, no clock), so
that frame is the one that completed the answer, whichever way the widget builds itself (one
frame, or several as parts mount). Each update is applied to a copy of the screen (its
strips, cell run by cell run) to tell a frame that changed something from one that sent the
same cells again (Textual lays a new widget out twice: the second pass, once its size is
known, usually repaints it unchanged); the last frame of all is reported too ("quiet").

Long answers are the engine's real replies with their text replaced by a 20-row comparison
table and a list of 80 models built from the knowledge base, so they take the same path.
``BENCH_PROFILE=questions:PATH`` (or ``long:PATH``, ``after:PATH``) writes a cProfile of that part;
``BENCH_FRAMES=1`` prints each answer's frame times to stderr.
With ``--scroll N`` the log is filled to N answers, one more is asked (the cost of a long
log), and the whole log is scrolled back a page at a time, each page timed to its frame.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import os
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

QUIET_S = 0.25  # no frame for this long: the answer is complete


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@contextlib.contextmanager
def profiled(part: str) -> Iterator[None]:
    """``BENCH_PROFILE=PART:PATH`` writes a cProfile of that part (questions, long, after)."""
    want, _, path = os.environ.get("BENCH_PROFILE", "").partition(":")
    if want != part:
        yield
        return
    import cProfile

    profiler = cProfile.Profile()
    profiler.enable()
    try:
        yield
    finally:
        profiler.disable()
        profiler.dump_stats(path)


def long_answers(kb: Any) -> dict[str, str]:
    """Markdown shaped like the engine's longest answers, from the bundled models."""
    models = [kb.model(i) for i in kb.model_ids]
    rows = ["| | **Developer** | **Released** | **Access** | **Licence** |",
            "|---|---|---|---|---|"]
    for m in models[:20]:
        rows.append(f"| **{m.name}** | {m.developer or '–'} | {m.year or '–'} | "
                    f"{m.access or '–'} | {m.license or '–'} |")
    table = ("**20 models** compared, fact by fact:\n\n" + "\n".join(rows)
             + "\n\nThey differ in developer, release year and access.")
    items = [f"- **{m.name}** ({m.developer or 'unknown'}, {m.year or '?'}) — curated: "
             + ", ".join(m.categories[:3]) for m in models[:80]]
    listing = "80 models are transformer-based:\n\n" + "\n".join(items)
    return {"20-row comparison table": table, "list of 80 models": listing}


def main() -> None:
    spawn_wall = float(sys.argv[1])
    questions: list[str] = json.loads(Path(sys.argv[2]).read_text())
    scroll_n = int(sys.argv[sys.argv.index("--scroll") + 1]) if "--scroll" in sys.argv else 0
    from tui import configure_textual, start_engine

    configure_textual()  # as tui.run does, before Textual is imported
    loading = start_engine()
    t_imp = time.perf_counter()
    from textual._compositor import CompositorUpdate

    from tui.app import TaxobotApp
    res: dict[str, Any] = {"import_s": time.perf_counter() - t_imp}
    frames: list[int] = []  # every frame
    frames_cpu: list[int] = []  # the main thread's CPU time at each frame
    updates: list[tuple[int, int, Any]] = []  # (time, CPU time, update) of every frame
    changed: list[int] = []  # the frames that changed what the screen shows
    changed_cpu: list[int] = []
    copy = ScreenCopy()

    def apply_updates() -> None:
        """The frames recorded so far, applied to the copy of the screen."""
        while updates:
            t, cpu, update = updates.pop(0)
            if copy.apply(update):
                changed.append(t)
                changed_cpu.append(cpu)

    async def run() -> None:
        app = TaxobotApp(cursor_blink=False, engine=loading)
        marks: dict[str, float] = {}
        original_paint = app.mark_first_paint
        original_display = app._display

        def mark() -> None:
            marks.setdefault("paint_wall", time.time())
            original_paint()

        def display(screen: Any, renderable: Any) -> None:
            original_display(screen, renderable)
            if isinstance(renderable, CompositorUpdate):  # what a real terminal is sent
                renderable.render_segments(app.console)
            t, cpu = time.perf_counter_ns(), time.thread_time_ns()
            frames.append(t)
            frames_cpu.append(cpu)
            updates.append((t, cpu, renderable))

        app.mark_first_paint = mark  # type: ignore[method-assign]
        app._display = display  # type: ignore[method-assign]
        async with app.run_test(size=(100, 30)) as pilot:
            screen = app.chat_screen
            deadline = time.monotonic() + 60
            while screen.conversation is None and not screen.bot_error:
                if time.monotonic() > deadline:
                    raise TimeoutError("the engine did not load in 60 s")
                await asyncio.sleep(0.002)
            res["bot_ready_s"] = time.time() - spawn_wall
            res["bot_loaded_s"] = (loading.ended_at or float("nan")) - spawn_wall
            if screen.bot_error:
                raise RuntimeError(f"engine failed to load: {screen.bot_error}")
            await pilot.pause()
            conv = screen.conversation
            real_ask = conv.ask
            engine: list[tuple[int, int, int]] = []
            main_clock = time.pthread_getcpuclockid(threading.main_thread().ident or 0)
            replace_text: list[str] = []

            def timed(text: str) -> Any:
                t = time.perf_counter_ns()
                reply = real_ask(text)
                if replace_text:
                    reply = dataclasses.replace(reply, text=replace_text.pop())
                engine.append((t, time.perf_counter_ns(), time.clock_gettime_ns(main_clock)))
                return reply

            conv.ask = timed

            async def one(question: str, text: str | None = None) -> dict[str, float]:
                replies = len(engine)
                if text is not None:
                    replace_text.append(text)
                t_ask = time.perf_counter_ns()
                screen.ask(question)
                # cheap checks only while waiting: a DOM query here would compete with the
                # app for the CPU (and grow with the log)
                while len(engine) == replies or screen._queue:
                    await asyncio.sleep(0.002)
                t_engine_start, t_engine_done, cpu_engine_done = engine[-1]
                while frames[-1] < t_engine_done or (
                        time.perf_counter_ns() - frames[-1]) / 1e9 < QUIET_S:
                    await asyncio.sleep(0.01)
                apply_updates()
                shown = max(changed[-1], t_engine_done)
                quiet = max(frames[-1], t_engine_done)
                if os.environ.get("BENCH_FRAMES"):
                    print("frames after the engine (ms, * changed the screen):",
                          [f"{(f - t_engine_done) / 1e6:.1f}" + "*" * (f in changed)
                           for f in frames if f > t_engine_done], file=sys.stderr)
                return {"e2e": (shown - t_ask) / 1e9, "engine": (t_engine_done -
                        t_engine_start) / 1e9, "shown": (shown - t_engine_done) / 1e9,
                        "shown_cpu": (changed_cpu[-1] - cpu_engine_done) / 1e9
                        if shown > t_engine_done else 0.0,
                        "quiet": (quiet - t_engine_done) / 1e9}

            with profiled("questions"):
                res["questions"] = [await one(q) for q in questions]
            res["long"] = {}
            with profiled("long"):
                for name, text in long_answers(screen.bot.kb).items():
                    # each repeat ends differently: the same answer again would leave the
                    # screen as it was (the log follows its end), and no frame changes it
                    res["long"][name] = [await one(questions[0],
                                                   f"{text}\n\n(Repeat {i + 1}.)")
                                         for i in range(3)]
            if scroll_n:
                res["scroll"] = await scroll(screen, questions, scroll_n, one, frames)
        res["first_paint_s"] = marks.get("paint_wall", float("nan")) - spawn_wall
        res["first_paint_app_s"] = app.first_paint_seconds

    asyncio.run(run())
    res["peak_mb"] = _peak_mb()
    sys.stdout.write(json.dumps(res) + "\n")


class ScreenCopy:
    """What a terminal shows after each update, a line (one Strip) per row: tells a frame
    that changed a cell from one that sent the same cells again. Updates are recorded as
    the app draws them (cheap) and applied afterwards, outside the timed path."""

    def __init__(self) -> None:
        self.lines: dict[int, Any] = {}

    def apply(self, update: Any) -> bool:
        """Apply a frame's update; True when it changed any cell."""
        from textual._compositor import ChopsUpdate, LayoutUpdate

        runs: list[tuple[int, int, Any]] = []  # (y, x, strip)
        if isinstance(update, ChopsUpdate):
            for y, x1, x2 in update.spans:
                ends = update.chop_ends[y]
                for end, (x, strip) in zip(ends, update.chops[y].items(), strict=False):
                    if strip is None or x > x2 or end <= x1:
                        continue
                    lo, hi = max(x, x1), min(end, x2 + 1)
                    runs.append((y, lo, strip.crop(lo - x, hi - x)))
        elif isinstance(update, LayoutUpdate):
            for y, line in enumerate(update.strips, update.region.y):
                x = update.region.x
                for strip in line:
                    runs.append((y, x, strip))
                    x += strip.cell_length
        else:  # None: nothing to draw; anything else (a full clear) counts as a change
            return update is not None
        from textual.strip import Strip

        change = False
        for y, x, strip in runs:
            old = self.lines.get(y, Strip([]))
            width = max(old.cell_length, x + strip.cell_length)
            new = Strip.join([old.crop(0, x).extend_cell_length(x), strip,
                              old.crop(x + strip.cell_length, width)]).simplify()
            if new.text != old.text or list(new) != list(old):
                change = True
            self.lines[y] = new
        return change


async def scroll(screen: Any, questions: list[str], n: int, one: Any,
                 frames: list[int]) -> dict[str, Any]:
    """Fill the log to ``n`` answers (the real replies, mounted as the screen mounts them),
    ask once more, then page from the bottom to the top."""
    from tui.widgets import BotMessage, UserMessage

    log = screen.log_view
    have = len(log.query(BotMessage))
    replies = [screen.bot.ask(q) for q in questions]
    widgets: list[Any] = []
    for i in range(have, n):
        reply = replies[i % len(replies)]
        widgets += [UserMessage(questions[i % len(questions)]),
                    BotMessage(reply.text, reply.suggestions)]
    t = time.perf_counter()
    await log.mount_all(widgets)
    for message in [w for w in widgets if isinstance(w, BotMessage)][:-1]:
        if hasattr(message, "archive_chips"):  # as the screen does when the next one comes
            await message.archive_chips()
    fill_s = time.perf_counter() - t
    log.scroll_end(animate=False)
    await asyncio.sleep(QUIET_S)
    with profiled("after"):
        after = await one(questions[0])
    pages: list[float] = []
    while log.scroll_y > 0:
        count = len(frames)
        t_ns = time.perf_counter_ns()
        log.scroll_page_up(animate=False)
        while len(frames) == count:
            await asyncio.sleep(0)
        pages.append((frames[count] - t_ns) / 1e9)
        await asyncio.sleep(0.005)  # a person's key repeat is slower than this
    return {"answers": n, "fill_s": fill_s, "answer_after": after, "pages": pages,
            "page_median": statistics.median(pages) if pages else None,
            "widgets": len(list(screen.walk_children()))}


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
