"""hzpolicy-tui: the command line. No subcommand opens the app."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import hzpolicy

from .core.models import as_script
from .core.paths import default_store
from .core.store import StoreError, load_store
from .errors import UsageError

if TYPE_CHECKING:
    import argparse

    from .core.models import Document

EXIT_USAGE = 2

# What `export` needs after the kind of thing it exports (bookmarks need nothing).
EXPORT_NEEDS = {"clause": "clause number", "search": "query", "calc": "profile"}


def make_parser() -> argparse.ArgumentParser:
    import argparse  # not needed to open the app with no arguments: start-up stays lean

    class _Parser(argparse.ArgumentParser):
        def error(self, message: str) -> NoReturn:  # argparse's own errors, in our one-line style
            self.print_usage(sys.stderr)
            self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")

    p = _Parser(
        prog="hzpolicy-tui",
        description="Read, search and use Hangzhou's 2024 economic policy package "
        "(關於進一步推動經濟高品質發展的若干政策). Without a command, opens the app.",
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {hzpolicy.__version__}")
    p.add_argument("--store", metavar="FILE", help="the policy store to read (default: the shipped one)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    b = sub.add_parser("build", help="parse a policy document into a store")
    b.add_argument("source", nargs="?", help="the document (default: the shipped source)")
    b.add_argument("-o", "--output", metavar="STORE", help="where to write the store")
    b.add_argument(
        "--rules",
        metavar="TOML",
        help="calculator rules to check and include (default: the shipped ones, "
        "for the document they were written for)",
    )

    def script_opt(sp: argparse.ArgumentParser) -> None:
        sp.add_argument(
            "--script",
            choices=("traditional", "simplified"),
            default="traditional",
            help="characters to print in (default: traditional, as the source)",
        )
        sp.add_argument("--store", metavar="FILE", default=argparse.SUPPRESS, help="the policy store to read")

    ls = sub.add_parser("list", help="domains and clauses with numbers and titles")
    ls.add_argument("--json", action="store_true", help="print JSON")
    script_opt(ls)

    sh = sub.add_parser("show", help="one clause in full")
    sh.add_argument("clause", help="14, 十四 or (十四)")
    sh.add_argument("--json", action="store_true", help="print all fields as JSON")
    script_opt(sh)

    se = sub.add_parser("search", help="search the clauses")
    se.add_argument("query", help="words in Traditional or Simplified, a clause number or an amount")
    se.add_argument("--json", action="store_true", help="print JSON")
    se.add_argument("--limit", type=int, default=20, help="at most this many results (default 20)")
    script_opt(se)
    ca = sub.add_parser("calc", help="which clauses apply to an enterprise, and the most each gives")
    ca.add_argument("profile", help="a JSON profile of facts (see calculator-facts in the README)")
    ca.add_argument("--json", action="store_true", help="print JSON")
    ca.add_argument("--date", metavar="YYYY-MM-DD", help="evaluate as of this date (default: today)")
    ca.add_argument("--store", metavar="FILE", default=argparse.SUPPRESS, help="the policy store to read")
    ag = sub.add_parser("agencies", help="every lead and responsible agency, with its clauses")
    ag.add_argument("--json", action="store_true", help="print JSON")
    script_opt(ag)

    ex = sub.add_parser("export", help="a clause, search results, bookmarks or a calculator result as md/csv/json")
    ex.add_argument("what", choices=("clause", "search", "bookmarks", "calc"))
    ex.add_argument("arg", nargs="?", help="the clause (export clause 14), query (export search 研发) or profile")
    ex.add_argument("--format", choices=("md", "csv", "json"), default="md", help="default md")
    ex.add_argument("-o", "--output", metavar="FILE", help="write here (default: standard output)")
    script_opt(ex)

    bm = sub.add_parser("bookmarks", help="list the bookmarks, or add or remove one")
    bm.add_argument("action", nargs="?", choices=("add", "remove"))
    bm.add_argument("clause", nargs="?", help="14, 十四 or (十四)")
    bm.add_argument("--json", action="store_true", help="print JSON")
    script_opt(bm)
    no = sub.add_parser("notes", help="list the notes, or set or remove one")
    no.add_argument("action", nargs="?", choices=("set", "remove"))
    no.add_argument("clause", nargs="?", help="14, 十四 or (十四)")
    no.add_argument("text", nargs="?", help="the note (notes set 14 TEXT)")
    no.add_argument("--json", action="store_true", help="print JSON")
    script_opt(no)
    pr = sub.add_parser("profiles", help="list the calculator profiles saved in the app, show or remove one")
    pr.add_argument("action", nargs="?", choices=("show", "remove"))
    pr.add_argument("name", nargs="?", help="the profile's name")
    pr.add_argument("--json", action="store_true", help="print JSON")
    return p


def _load(path: str | None) -> Document:
    return load_store(Path(path) if path else default_store())


def _open_app(store: str | None) -> int:
    try:
        doc = _load(store)
    except StoreError as exc:
        _error(f"hzpolicy-tui: error: {exc}")
        return EXIT_USAGE
    from .app import build_app  # the subcommands' modules are not loaded for the app

    app = build_app(doc)
    app.run()
    if app.crashed is not None:  # Textual has printed its traceback; say where the report is
        from .core.crash import EXIT_INTERNAL, crash_line

        error, report = app.crashed
        _error(crash_line(error, report))
        return EXIT_INTERNAL
    return app.return_code or 0


def run(argv: list[str] | None = None) -> int:
    """The command line; returns the exit status. A user's mistake or a fault of the
    environment (a closed pipe, a full disk) is one line and status 2 (a closed pipe is a
    quiet 0); the program's own failure writes a crash report and returns 70."""
    argv = sys.argv[1:] if argv is None else argv
    try:
        check_arguments(argv)
        code = _dispatch(argv)
        sys.stdout.flush()  # inside the try: a reader that left is found here, not at exit
        return code
    except (UsageError, StoreError) as exc:
        _error(f"hzpolicy-tui: error: {exc}")
        return EXIT_USAGE
    except BrokenPipeError:  # `hzpolicy-tui list | head`: the reader has all it wanted
        _discard_stdout()
        return 0
    except OSError as exc:  # writing the output failed: `> /dev/full`, a full disk
        _discard_stdout()
        _error(f"hzpolicy-tui: error: cannot write the output: {exc.strerror or exc}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - the last resort: a report instead of a traceback
        from .core.crash import EXIT_INTERNAL, crash_line, write_report

        _error(crash_line(exc, write_report(exc, argv)))
        return EXIT_INTERNAL


def check_arguments(argv: list[str]) -> None:
    """Arguments that are not valid UTF-8 (the terminal's encoding is off) are refused by
    name instead of failing later when they are printed or searched."""
    for i, arg in enumerate(argv, 1):
        if any("\udc80" <= ch <= "\udcff" for ch in arg):
            raw = os.fsencode(arg)
            raise UsageError(f"argument {i} ({raw!r}) is not valid UTF-8 text; set the terminal to UTF-8")


def _discard_stdout() -> None:
    """Point standard output at the null device, so the interpreter's final flush of what is
    still buffered cannot fail again at exit (status 120 and a message)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, io.UnsupportedOperation):
        return  # not a real file (tests capture it): nothing is flushed at exit either


def _dispatch(argv: list[str]) -> int:
    if not argv:
        return _open_app(None)
    args = make_parser().parse_args(argv)
    if args.command is None:
        return _open_app(args.store)
    return _run_command(args)


def _run_command(args: argparse.Namespace) -> int:
    """A subcommand, looked up in a table of what each one runs."""
    from . import cli  # the subcommands' modules are not loaded for the app

    if args.command == "build":  # the commands that read no store
        return cli.cmd_build(args.source, args.output, args.rules)
    if args.command == "profiles":
        from .cli_user import cmd_profiles

        return cmd_profiles(args.action, args.name, args.json)
    doc = _load(args.store)
    commands: dict[str, Callable[[], int]] = {
        "list": lambda: cli.cmd_list(doc, args.json, as_script(args.script)),
        "show": lambda: cli.cmd_show(doc, args.clause, args.json, as_script(args.script)),
        "search": lambda: cli.cmd_search(doc, args.query, args.json, args.limit, as_script(args.script)),
        "calc": lambda: cli.cmd_calc(doc, args.profile, args.json, args.date),
        "agencies": lambda: cli.cmd_agencies(doc, args.json, as_script(args.script)),
        "export": lambda: _export(doc, args),
        "bookmarks": lambda: _user_command(doc, args),
        "notes": lambda: _user_command(doc, args),
    }
    command = commands.get(args.command)
    if command is None:  # pragma: no cover - argparse allows no other
        raise AssertionError(f"unhandled command {args.command}")
    return command()


def _export(doc: Document, args: argparse.Namespace) -> int:
    from . import cli

    needs = EXPORT_NEEDS.get(args.what)
    if needs and not args.arg:
        raise UsageError(f"export {args.what} needs a {needs}")
    return cli.cmd_export(doc, args.what, args.arg, args.format, args.output, as_script(args.script))


def _user_command(doc: Document, args: argparse.Namespace) -> int:
    from . import cli_user

    script = as_script(args.script)
    if args.command == "bookmarks":
        return cli_user.cmd_bookmarks(doc, args.action, args.clause, args.json, script)
    return cli_user.cmd_notes(doc, args.action, args.clause, args.text, args.json, script)


def _error(line: str) -> None:
    """One line on standard error; if even that cannot be written (2>/dev/full), the exit
    status still says what happened."""
    try:
        print(line, file=sys.stderr)
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        return


def main() -> None:
    # Started with standard output or error closed (`>&-`): write into the null device
    # rather than fail on the first print; the exit status still tells the outcome.
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    sys.exit(run())


if __name__ == "__main__":
    main()
