"""Coverage-guided fuzzing of taxobot with atheris (not part of the unit suite).

Two targets:

    python tools/fuzz_bot.py ask  [libFuzzer options] [CORPUS_DIR...]
    python tools/fuzz_bot.py load [libFuzzer options] [CORPUS_DIR...]

``ask``  turns the fuzzer's bytes into Unicode text (UTF-8 with invalid bytes as lone
         surrogates, or, after a leading 0xff byte, atheris' ConsumeUnicode) and asks it,
         statelessly and inside a conversation followed by a follow-up; every reply must be a
         Reply whose ``to_dict()`` is JSON-serialisable, and the conversation state must
         round-trip through ``bot.conversation(state)``.
``load`` writes the bytes to a temporary YAML file and loads it next to the bundled
         knowledge, as ``Bot(extra_knowledge=[tmp])`` does: the only exception allowed is
         ``DataError``, and each of its problems must name the file and a line inside it.
         When the file is accepted, a full ``Bot`` is built from it and asked a question.

Without a corpus directory a seed corpus is written under the system temp folder. Typical run:

    .venv/bin/pip install atheris
    .venv/bin/python tools/fuzz_bot.py ask -max_total_time=600
    .venv/bin/python tools/fuzz_bot.py load -max_total_time=600

A finding is written by libFuzzer as ``crash-<sha1>`` in the working directory; replay it with
``python tools/fuzz_bot.py MODE crash-<sha1>``. With ``TAXOBOT_FUZZ_FINDINGS=DIR`` the run
records each distinct finding in DIR and goes on (libFuzzer's -fork mode does not work with
atheris); ``TAXOBOT_FUZZ_KNOWN=confidence`` skips a check whose bug is already reported.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path

import atheris  # type: ignore[import-untyped]

with atheris.instrument_imports():
    from bot import Bot, DataError, Reply
    from bot.datafiles import knowledge_dir, yaml_files
    from bot.knowledge_loader import build_knowledge
    from bot.yamlio import load_yaml

SEED_QUESTIONS = [
    "what type of model is BERT?", "and T5?", "is it open source?", "compare GPT-4 and LLaMA",
    "what is a masked language model?", "which models are multimodal?", "hi", "thanks",
    "what type of model is [@click=app.quit]Zorblax[/]?", "{model} {0} {__class__} %s",
    "**x** `y` [bold]z[/]", "مرحبا what is BERT", "\u202eRTL\u202c", "GPT-4o vs Claude 3",
]

SEED_FILES = [
    b"models:\n  - id: zorblax\n    name: Zorblax\n    summary: A test model.\n"
    b"    reference: Me, 2024\n    year: 2024\n    aliases: [Zorb]\n"
    b"    categories: [transformer-based]\n",
    b"extend:\n  - model: bert\n    aliases: [Bertie]\n",
    b"extend:\n  - category: hybrid\n    aliases: [mixed model]\n",
    b"models:\n  - id: a\n    name: A\n    summary: s\n    reference: r\n"
    b"  - id: a\n    name: B\n    summary: s\n    reference: r\n",
    b"models: [\n", b"", b"!!python/object:os.system {}\n", b"models: 5\n",
    b"ambiguous:\n  - name: Foo\n    models: [bert, t5]\n",
]


def _seed_corpus(mode: str) -> str:
    folder = Path(tempfile.gettempdir()) / f"taxobot-fuzz-{mode}-corpus"
    folder.mkdir(exist_ok=True)
    seeds = ([q.encode("utf-8") for q in SEED_QUESTIONS] if mode == "ask" else SEED_FILES)
    for i, seed in enumerate(seeds):
        (folder / f"seed-{i:02d}").write_bytes(seed)
    return str(folder)


# -- target: Bot.ask ------------------------------------------------------------------------
BOT: Bot | None = None


KNOWN = set(filter(None, os.environ.get("TAXOBOT_FUZZ_KNOWN", "").split(",")))
"""Checks to skip while a reported bug is open, so a run can look for new ones, e.g.
``TAXOBOT_FUZZ_KNOWN=confidence`` (a fallback reply's confidence can be below 0)."""


def _check_reply(reply: object) -> None:
    assert isinstance(reply, Reply), type(reply)
    assert isinstance(reply.text, str) and reply.text, reply
    assert isinstance(reply.intent, str)
    if "confidence" not in KNOWN:
        assert 0.0 <= reply.confidence <= 1.0, reply.confidence
    json.dumps(reply.to_dict())
    assert "class 'str'" not in reply.text, reply.text


def fuzz_ask(data: bytes) -> None:
    assert BOT is not None
    if data[:1] == b"\xff":  # atheris' own Unicode mix: ASCII, UTF-16 or UTF-32 code points
        fdp = atheris.FuzzedDataProvider(data[1:])
        text = fdp.ConsumeUnicode(fdp.remaining_bytes())
    else:  # UTF-8, where an invalid byte becomes a lone surrogate (U+DC80..U+DCFF)
        text = data.decode("utf-8", "surrogateescape")
    _check_reply(BOT.ask(text))
    conv = BOT.conversation()
    _check_reply(conv.ask("what type of model is BERT?"))
    _check_reply(conv.ask(text))
    follow = conv.ask("and T5?")
    _check_reply(follow)
    state = conv.to_dict()
    json.dumps(state)
    BOT.conversation(state)


# -- target: the knowledge loader ---------------------------------------------------------
BUNDLED: list[tuple[str, object]] = []
_YAML_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
TMP = Path(tempfile.gettempdir()) / f"taxobot-fuzz-{os.getpid()}.yaml"


def fuzz_load(data: bytes) -> None:
    TMP.write_bytes(data)
    shown = str(TMP)
    try:
        # The same two steps as load_knowledge(), with the bundled files parsed only once.
        doc = load_yaml(TMP, shown)
        build_knowledge([*BUNDLED, (shown, doc)])
    except DataError as err:
        assert err.problems, "DataError without problems"
        # YAML also breaks lines at a lone CR, NEL, LS and PS: count the larger way.
        text = data.decode("utf-8", "replace")
        lines = max(data.count(b"\n"), len(_YAML_BREAK.findall(text))) + 1
        for p in err.problems:
            assert isinstance(p.line, int) and p.line >= 1, p
            if p.file == shown:
                assert p.line <= lines + 1, (p, lines)
            str(p)
        return
    # Accepted: the real path must accept it too, and the bot built from it must answer.
    bot = Bot(extra_knowledge=[TMP])
    _check_reply(bot.ask("what type of model is BERT?"))
    _check_reply(bot.ask(data.decode("utf-8", "replace")[:200]))


FINDINGS = os.environ.get("TAXOBOT_FUZZ_FINDINGS", "")
"""When set to a folder, a failure is written there (input + traceback, one per distinct
exception type and place) and the run goes on, instead of stopping at the first finding."""
_seen: set[tuple[str, str]] = set()


def _keep_going(target: Callable[[bytes], None]) -> Callable[[bytes], None]:
    folder = Path(FINDINGS)
    folder.mkdir(parents=True, exist_ok=True)

    def run(data: bytes) -> None:
        try:
            target(data)
        except Exception as exc:  # noqa: BLE001 - a finding is recorded, not raised
            frames = traceback.extract_tb(exc.__traceback__)
            ours = [f for f in frames if "/bot/" in f.filename] or frames
            where = f"{ours[-1].filename}:{ours[-1].lineno}"
            key = (type(exc).__name__, where)
            if key in _seen:
                return
            _seen.add(key)
            name = hashlib.sha1(data).hexdigest()[:12]
            (folder / f"finding-{name}").write_bytes(data)
            (folder / f"finding-{name}.txt").write_text(
                f"{key}\ninput: {data!r}\n\n{traceback.format_exc()}", encoding="utf-8")
            print(f"FINDING {key} -> {folder / ('finding-' + name)}", file=sys.stderr)

    return run


def main() -> None:
    global BOT
    if len(sys.argv) < 2 or sys.argv[1] not in ("ask", "load"):
        sys.exit(__doc__)
    mode = sys.argv.pop(1)
    args = list(sys.argv)
    if not any(not a.startswith("-") for a in args[1:]):
        args.append(_seed_corpus(mode))
    if not any(a.startswith("-max_len=") for a in args):
        args.append("-max_len=12000" if mode == "ask" else "-max_len=4096")
    target: Callable[[bytes], None]
    if mode == "ask":
        BOT = Bot()
        target = fuzz_ask
    else:
        BUNDLED.extend((str(p), load_yaml(p, str(p))) for p in yaml_files(knowledge_dir()))
        target = fuzz_load
    if FINDINGS:
        target = _keep_going(target)
    atheris.Setup(args, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
