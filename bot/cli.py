"""The ``taxobot`` command. The ask, chat and validate paths never import Textual.

    taxobot                      open the terminal chat
    taxobot ask QUESTION...      one answer (--json, --explain)
    taxobot chat                 line-by-line conversation on stdin/stdout
    taxobot validate [PATH...]   check knowledge/ and intents/ files
    taxobot eval FILE            score the intent matcher on labelled utterances
    taxobot serve                the HTTP API and the web chat (pip install 'taxobot[serve]')
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from . import __version__
from .problems import DataError, Problem

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class _Formatter(argparse.HelpFormatter):
    """argparse's formatter, given the terminal width up front: left to itself it imports
    shutil (with bz2 and lzma, ~3 ms) on every start, whether help is printed or not."""

    def __init__(self, prog: str) -> None:
        try:
            columns = int(os.environ.get("COLUMNS", "")) or os.get_terminal_size().columns
        except (ValueError, OSError):
            columns = 80
        super().__init__(prog, width=max(columns - 2, 20))


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False, formatter_class=_Formatter)
    common.add_argument("--knowledge", action="append", default=[], metavar="PATH",
                        help="add your own knowledge file or folder (repeatable)")
    p = argparse.ArgumentParser(prog="taxobot", parents=[common], formatter_class=_Formatter,
                                description="Answers questions about the taxonomy of large "
                                            "language models.")
    p.add_argument("--version", action="version", version=f"taxobot {__version__}")
    p.add_argument("--inline", action="store_true",
                   help="run the chat inline in the terminal instead of full screen")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    ask = sub.add_parser("ask", parents=[common], formatter_class=_Formatter,
                         help="answer one question and exit",
                         description="Answer one question and exit.")
    ask.add_argument("question", nargs="+", help="the question (quotes optional)")
    ask.add_argument("--json", action="store_true", help="print the reply as JSON")
    ask.add_argument("--explain", action="store_true",
                     help="also print how the question was understood")
    sub.add_parser("chat", parents=[common], formatter_class=_Formatter,
                   help="a plain line-by-line conversation",
                   description="A conversation on stdin/stdout, one question per line; "
                               "follow-ups work across lines. Ends at end of input.")
    val = sub.add_parser("validate", parents=[common], formatter_class=_Formatter,
                         help="check knowledge and intents files",
                         description="Check knowledge/ and intents/ files and print every "
                                     "problem as file:line: message.")
    val.add_argument("paths", nargs="*", help="knowledge files or folders (default: bundled)")
    ev = sub.add_parser("eval", parents=[common], formatter_class=_Formatter,
                        help="score the intent matcher",
                        description="Score intent matching on labelled utterances "
                                    "(like `rasa test nlu`).")
    ev.add_argument("file", nargs="?", help="YAML of {text, intent} items")
    ev.add_argument("--json", action="store_true", help="print the report as JSON")
    ev.add_argument("--cross-validate", type=int, metavar="K", default=0,
                    help="K-fold cross-validation over an intents folder's own examples")
    ev.add_argument("--intents", metavar="DIR", help="intents folder (default: bundled)")
    ev.add_argument("--train", metavar="TRAIN",
                    help="learn a matcher from this YAML of {text, intent} items instead of "
                         "the bot's intents (any domain; 'oos' / out_of_scope items teach it "
                         "its threshold); with --cross-validate, cross-validate over it")
    srv = sub.add_parser("serve", parents=[common], formatter_class=_Formatter,
                         help="serve the HTTP API and the web chat",
                         description="Serve the JSON API (/v1/ask, /docs) and the web chat "
                                     "(/). Needs: pip install 'taxobot[serve]'.")
    srv.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s)")
    srv.add_argument("--port", type=int, default=8000, help="port (default: %(default)s)")
    srv.add_argument("--workers", type=int, default=1, metavar="N",
                     help="worker processes, each with its own bot (default: %(default)s)")
    srv.add_argument("--cors-origin", action="append", default=[], metavar="ORIGIN",
                     help="let pages from ORIGIN call the API (repeatable; default: none)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command is None:
            return _tui(args)
        if args.command == "validate":
            return _validate(args)
        if args.command == "eval":
            from .evaluation import run_cli

            return run_cli(args, sys.stdout)
        if args.command == "serve":
            return _serve(args)
        bot = _bot(args.knowledge)
        if args.command == "ask":
            return _ask(bot, " ".join(args.question), args.json, args.explain, sys.stdout)
        return _chat(bot, sys.stdin, sys.stdout)
    except DataError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except (OSError, ValueError) as err:
        print(f"taxobot: {err}", file=sys.stderr)
        return EXIT_USAGE


def _bot(extra: list[str]):  # type: ignore[no-untyped-def]
    from .engine import Bot

    for path in extra:
        if not Path(path).exists():
            raise OSError(f"no such knowledge file: {path}")
    return Bot(extra_knowledge=extra)


def _ask(bot, question: str, as_json: bool, explain: bool,  # type: ignore[no-untyped-def]
         out: TextIO) -> int:
    reply = bot.ask(question)
    if as_json:
        import json  # only this option needs it: not on every command's start-up path

        out.write(json.dumps(reply.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    out.write(reply.text + "\n")
    if reply.suggestions:
        out.write("\nYou could also ask: " + " · ".join(reply.suggestions) + "\n")
    if explain:
        out.write("\n" + reply.trace.render() + "\n")
    return EXIT_OK


def _chat(bot, stdin: TextIO, out: TextIO) -> int:  # type: ignore[no-untyped-def]
    conv = bot.conversation()
    interactive = stdin.isatty()
    if interactive:
        out.write("taxobot: ask about the LLM taxonomy (Ctrl-D to quit)\n")
    while True:
        if interactive:
            out.write("> ")
            out.flush()
        try:
            line = stdin.readline()
        except (KeyboardInterrupt, EOFError):
            break
        if not line:
            break
        line = line.strip()
        if not line:
            continue
        reply = conv.ask(line)
        out.write(reply.text + "\n\n")
        out.flush()
    if interactive:
        out.write("\n")
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    from .answer import ANSWER_NAMES
    from .datafiles import intents_dir
    from .intents import load_intents
    from .knowledge_loader import load_knowledge

    problems: list[Problem] = []
    try:
        load_knowledge([*args.knowledge, *args.paths])
    except DataError as err:
        problems.extend(err.problems)
    try:
        load_intents(intents_dir(), ANSWER_NAMES)
    except DataError as err:
        problems.extend(err.problems)
    for problem in problems:
        print(problem)
    if not problems:
        print("ok: knowledge and intents are valid")
    return EXIT_PROBLEMS if problems else EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    try:
        from web.server import run
    except ImportError as err:
        print(f"taxobot: the server needs its extra: pip install 'taxobot[serve]' ({err})",
              file=sys.stderr)
        return EXIT_USAGE
    if args.workers < 1 or not 0 <= args.port <= 65535:
        raise ValueError("--workers must be at least 1 and --port in 0-65535")
    _bot(args.knowledge)  # fail with file:line before any worker starts
    run(args.host, args.port, args.workers, args.knowledge, args.cors_origin)
    return EXIT_OK


def _tui(args: argparse.Namespace) -> int:
    try:
        import tui
    except ImportError as err:  # pragma: no cover - tui ships in the same wheel
        print(f"taxobot: the terminal chat is not available ({err})", file=sys.stderr)
        return EXIT_USAGE
    from .knowledge_loader import load_knowledge

    for path in args.knowledge:
        if not Path(path).exists():
            raise OSError(f"no such knowledge file: {path}")
    load_knowledge(args.knowledge)  # fail with file:line before the screen is taken over
    tui.run(inline=args.inline, extra_knowledge=args.knowledge)
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
