"""Run generated dialogues through the bot and count what goes wrong (issue 14).

    python tools/fuzz_questions.py [TURNS] [--seed N] [--examples K]

TURNS (default 100,000) turns of dialogues from ``tests/generators.py`` go through
``Bot().conversation()``, each dialogue in a fresh conversation whose state is also
resumed from JSON after every turn. Printed: turns, exceptions (raised, or caught by the
engine and recorded in the trace), empty replies, bad Markdown, refused states, then the
most common failure kinds with up to K example dialogues each.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from generators import QuestionGenerator, check_reply, kind_of  # noqa: E402

from bot import Bot  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("turns", nargs="?", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--examples", type=int, default=3)
    args = ap.parse_args(argv)
    bot = Bot()
    gen = QuestionGenerator(bot, args.seed)
    counts: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    examples: dict[str, list[list[str]]] = defaultdict(list)
    start = time.perf_counter()
    while counts["turns"] < args.turns:
        dialogue = gen.dialogue()
        conv = bot.conversation()
        for n, text in enumerate(dialogue):
            counts["turns"] += 1
            try:
                reply = conv.ask(text)
            except Exception as err:  # noqa: BLE001 - counted, never expected
                problems = [f"error: raised {type(err).__name__}: {err}"]
            else:
                problems = check_reply(reply)
                try:
                    bot.conversation(json.loads(json.dumps(conv.to_dict())))
                except ValueError as err:
                    problems.append(f"state refused: {err}")
            for p in problems:
                label = ("exceptions" if p.startswith("error") else "empty" if p == "empty reply"
                         else "refused states" if p.startswith("state refused")
                         else "bad markdown")
                counts[label] += 1
                kind = kind_of(p)
                kinds[kind] += 1
                if len(examples[kind]) < args.examples and dialogue[:n + 1] not in examples[kind]:
                    examples[kind].append(dialogue[:n + 1])
            if counts["turns"] >= args.turns:
                break
    seconds = time.perf_counter() - start
    print(f"turns: {counts['turns']:,} in {seconds:.0f} s")
    for label in ("exceptions", "empty", "bad markdown", "refused states"):
        print(f"{label}: {counts[label]:,}")
    if kinds:
        print("\nfailure kinds (count, kind, example dialogues; the last turn failed):")
    for kind, n in kinds.most_common(15):
        print(f"\n{n:6,}  {kind}")
        for d in examples[kind]:
            print("        " + " -> ".join(repr(t) for t in d))
    return 1 if any(counts[k] for k in ("exceptions", "empty", "bad markdown",
                                         "refused states")) else 0


if __name__ == "__main__":
    sys.exit(main())
