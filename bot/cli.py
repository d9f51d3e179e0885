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
from typing import Any, TextIO

from . import __version__
from .datafiles import readable_twice
from .problems import DataError, Problem
from .safe_text import escape_json_controls, strip_controls

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


_KNOWLEDGE_HELP = "add your own knowledge file or folder (repeatable)"


def _parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line. Given the subcommand the arguments name, only its own parser is
    built (the others are not needed to read them: ~2 ms of a one-shot answer's start);
    without one, all of them, for ``--help`` and for a precise error."""
    # The subcommands' --knowledge has no default, so it never overwrites the values given
    # before the subcommand (argparse copies a subparser's defaults over the parent's); the
    # two lists are joined in ``_knowledge``.
    common = argparse.ArgumentParser(add_help=False, formatter_class=_Formatter)
    common.add_argument("--knowledge", action="append", default=argparse.SUPPRESS,
                        metavar="PATH", help=_KNOWLEDGE_HELP)
    common.add_argument("--version", action="version", version=f"taxobot {__version__}")
    p = argparse.ArgumentParser(prog="taxobot", formatter_class=_Formatter,
                                description="Answers questions about the taxonomy of large "
                                            "language models.")
    p.add_argument("--knowledge", action="append", default=[], dest="knowledge_first",
                   metavar="PATH", help=_KNOWLEDGE_HELP)
    p.add_argument("--version", action="version", version=f"taxobot {__version__}")
    p.add_argument("--inline", action="store_true",
                   help="run the chat inline in the terminal instead of full screen")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for name, add in _SUBCOMMANDS.items():
        if command in (None, name):
            add(sub, common)
    return p


def _add_ask(sub: Any, common: argparse.ArgumentParser) -> None:
    ask = sub.add_parser("ask", parents=[common], formatter_class=_Formatter,
                         help="answer one question and exit",
                         description="Answer one question and exit.")
    ask.add_argument("question", nargs="+", help="the question (quotes optional)")
    ask.add_argument("--json", action="store_true", help="print the reply as JSON")
    ask.add_argument("--explain", action="store_true",
                     help="also print how the question was understood")


def _add_chat(sub: Any, common: argparse.ArgumentParser) -> None:
    sub.add_parser("chat", parents=[common], formatter_class=_Formatter,
                   help="a plain line-by-line conversation",
                   description="A conversation on stdin/stdout, one question per line; "
                               "follow-ups work across lines. Ends at end of input.")


def _add_validate(sub: Any, common: argparse.ArgumentParser) -> None:
    val = sub.add_parser("validate", parents=[common], formatter_class=_Formatter,
                         help="check knowledge and intents files",
                         description="Check knowledge/ and intents/ files and print every "
                                     "problem as file:line: message.")
    val.add_argument("paths", nargs="*", help="knowledge files or folders (default: bundled)")


def _add_eval(sub: Any, common: argparse.ArgumentParser) -> None:
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


def _add_serve(sub: Any, common: argparse.ArgumentParser) -> None:
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


_SUBCOMMANDS = {"ask": _add_ask, "chat": _add_chat, "validate": _add_validate,
                "eval": _add_eval, "serve": _add_serve}


def _command_in(argv: Sequence[str]) -> str | None:
    """The subcommand the arguments name (``--knowledge PATH`` may come first), or None
    when they name none or ask for help before it."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--knowledge":
            skip = True
        elif arg.startswith("--knowledge=") or arg == "--inline":
            continue
        elif arg.startswith("-"):
            return None  # --help, --version, or something argparse should report
        else:
            return arg if arg in _SUBCOMMANDS else None
    return None


def _tolerant_streams() -> None:
    """A reply holds characters an ASCII or Latin-1 terminal cannot show: print a stand-in
    for them rather than die on the first one."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (getattr(stream, "errors", "") or "strict") == "strict":
            reconfigure(errors="replace")


def run() -> None:
    """The ``taxobot`` command (the console script): :func:`main`, with a one-shot answer
    leaving without the interpreter's teardown."""
    sys.exit(main(exit_when_answered=True))


def main(argv: Sequence[str] | None = None, *, exit_when_answered: bool = False) -> int:
    """``exit_when_answered``: once ``ask`` has written its answer (and flushed it), end the
    process at once rather than return: freeing the knowledge base and the matcher object by
    object would add ~10 ms to a one-shot answer, with nothing left to do."""
    _tolerant_streams()
    words = list(sys.argv[1:] if argv is None else argv)
    args = _parser(_command_in(words)).parse_args(words)
    args.exit_when_answered = exit_when_answered
    knowledge = [Path(p) for p in (*args.knowledge_first, *getattr(args, "knowledge", []))]
    try:
        # A pipe (<(cat f.yaml)) is read once, here, so every check and load after sees it.
        with readable_twice(knowledge) as stable:
            args.knowledge = [str(p) for p in stable]
            return _run(args)
    except DataError as err:
        for problem in err.problems:
            print(strip_controls(str(problem)), file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except (OSError, ValueError) as err:
        print(strip_controls(f"taxobot: {err}"), file=sys.stderr)
        return EXIT_USAGE


def _run(args: argparse.Namespace) -> int:
    if args.command is None:
        return _tui(args)
    if args.command == "validate":
        return _validate(args)
    if args.command == "eval":
        return _eval(args)
    if args.command == "serve":
        return _serve(args)
    if args.command == "ask" and args.exit_when_answered:
        # One answer and out: what the engine loads lives until the process ends, and
        # the little garbage one question makes is not worth a collection.
        import gc

        gc.disable()
    bot = _bot(args.knowledge)
    if args.command == "ask":
        code = _ask(bot, " ".join(args.question), args.json, args.explain, sys.stdout)
        if args.exit_when_answered:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
        return code
    return _chat(bot, sys.stdin, sys.stdout)


def _check_exist(extra: list[str]) -> None:
    for path in extra:
        if not Path(path).exists():
            raise OSError(f"no such knowledge file: {path}")


def _bot(extra: list[str]):  # type: ignore[no-untyped-def]
    from .engine import Bot

    _check_exist(extra)
    return Bot(extra_knowledge=extra)


def _eval(args: argparse.Namespace) -> int:
    from .evaluation import run_cli

    uses_bot = bool(args.file) and not args.train
    if args.knowledge and not uses_bot:
        # --train and --cross-validate learn from utterances alone, where the knowledge
        # cannot change a score: the files are still checked, and the user told.
        from .knowledge_loader import load_knowledge

        _check_exist(args.knowledge)
        load_knowledge(args.knowledge)
        print("taxobot: note: --knowledge was checked, but it does not change the scores of "
              "--train or --cross-validate (those matchers learn from utterances alone)",
              file=sys.stderr)
    return run_cli(args, sys.stdout)


def _ask(bot, question: str, as_json: bool, explain: bool,  # type: ignore[no-untyped-def]
         out: TextIO) -> int:
    reply = bot.ask(question)
    if as_json:
        import json  # only this option needs it: not on every command's start-up path

        data = json.dumps(reply.to_dict(), ensure_ascii=False, indent=2)
        out.write(escape_json_controls(data) + "\n")
        return EXIT_OK
    out.write(strip_controls(reply.text) + "\n")
    if reply.suggestions:
        out.write("\nYou could also ask: " + strip_controls(" · ".join(reply.suggestions))
                  + "\n")
    if explain:
        out.write("\n" + strip_controls(reply.trace.render()) + "\n")
    return EXIT_OK


def _read_line(stdin: TextIO) -> str:
    """One line of input; bytes that are not UTF-8 become U+FFFD instead of ending the chat."""
    buffer = getattr(stdin, "buffer", None)
    if buffer is None:
        return stdin.readline()
    return bytes(buffer.readline()).decode("utf-8", "replace")


def _chat(bot, stdin: TextIO, out: TextIO) -> int:  # type: ignore[no-untyped-def]
    conv = bot.conversation()
    interactive = stdin.isatty()
    if interactive:
        out.write("taxobot: ask about the LLM taxonomy (Ctrl-D to quit)\n")
    code = EXIT_OK
    while True:
        if interactive:
            out.write("> ")
            out.flush()
        try:
            line = _read_line(stdin)
        except KeyboardInterrupt:
            code = 130
            break
        except EOFError:
            break
        if not line:
            break
        line = line.strip()
        if not line:
            continue
        reply = conv.ask(line)
        out.write(strip_controls(reply.text) + "\n\n")
        out.flush()
    if interactive:
        out.write("\n")
    return code


def _validate(args: argparse.Namespace) -> int:
    from .answer import ANSWER_NAMES
    from .datafiles import intents_dir
    from .intents_loader import load_intents
    from .knowledge_checks import is_knowledge_set, reserved_words
    from .knowledge_loader import load_knowledge

    problems: list[Problem] = []
    catalog = None
    try:
        catalog = load_intents(intents_dir(), ANSWER_NAMES)
    except DataError as err:
        problems.extend(err.problems)
    paths = [*args.knowledge, *args.paths]
    # A folder that is a whole knowledge set (a copy of knowledge/) is checked on its own,
    # not on top of the bundled set it would duplicate.
    whole = next((p for p in paths if is_knowledge_set(Path(p))), None)
    try:
        load_knowledge([p for p in paths if p != whole], Path(whole) if whole else None,
                       reserved_words(catalog) if catalog else None)
    except DataError as err:
        problems[:0] = err.problems
    for problem in problems:
        print(strip_controls(str(problem)))
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
    _check_exist(args.knowledge)
    # The engine starts loading before Textual is imported; a knowledge file of the user's
    # that does not load raises its DataError (file:line) before the screen is taken over.
    tui.run(inline=args.inline, extra_knowledge=args.knowledge)
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
