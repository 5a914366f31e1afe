"""hzpolicy-tui: the command line. No subcommand opens the app.

Every command speaks the reader's script and language: ``--script`` and ``--lang``, or else
the settings saved in the app. The :class:`~hzpolicy.core.i18n.Locale` is found before the
parser is built, so that ``--help`` and argparse's own errors are in it too, and the one
Locale of the run is given to every command.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import hzpolicy

from .core.files import os_reason
from .core.i18n import LANGS, N_, Locale, as_lang
from .core.library import LibraryError
from .core.models import SCRIPTS, as_script
from .core.paths import SHIPPED_PACKAGE
from .core.store import StoreError
from .errors import UsageError

if TYPE_CHECKING:
    import argparse

    from .core.library import Package
    from .core.models import Document
    from .core.userdata import UserData

PROG = "hzpolicy-tui"
EXIT_USAGE = 2
READER_OPTIONS = ("--script", "--lang")
SHIPPED_TITLE = "關於進一步推動經濟高品質發展的若干政策"  # the document's own words, as the source has them

# What `export` needs after the kind of thing it exports (bookmarks need nothing).
EXPORT_NEEDS = {
    "clause": N_("export clause needs a clause number, e.g. export clause 14"),
    "search": N_("export search needs a query, e.g. export search 研发"),
    "calc": N_("export calc needs a profile, e.g. export calc profile.json, or --profile NAME"),
}

# argparse's own words: Python's argparse speaks through gettext, so its messages (these are
# its msgids, placeholders and all) are in our catalogs too and --help, its headings and its
# errors come out in the reader's language (see _argparse_speaks).
ARGPARSE_WORDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("expected one argument"),
    N_("invalid %(type)s value: %(value)r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("ignored explicit argument %r"),
)


# A usage error is one line: what is wrong, and where the command's help is.
USAGE_LINE = N_("{prog}: error: {message} ({prog} --help)")


class Reader:
    """Who reads this run: the script and language asked for on the command line, else
    saved in the app, and the user's data, opened at most once and only when needed. A
    warning about the user's data (moved aside, not writable) is printed once, in the
    reader's words, as soon as both the data is open and the language known."""

    def __init__(self, argv: list[str]) -> None:
        self.asked = asked_on_the_command_line(argv)
        self.opened: UserData | None = None
        self.package: str | None = None  # what the bookmarks and notes of this run are kept under
        self._saved: tuple[str, str] | None = None
        self._speaks: Locale | None = None  # the Locale, once known
        self._warned = False

    def user(self) -> UserData:
        """The user's data (what it cannot do, it says in its warning)."""
        user = self._open()
        self._warn()
        return user

    def _open(self) -> UserData:
        if self.opened is None:
            from .core.userdata import UserData

            self.opened = UserData()
            if self.package is not None:
                self.opened.package = self.package
        return self.opened

    def use_package(self, key: str) -> None:
        """The bookmarks and notes of this run are the package's (``library.data_key``)."""
        self.package = key
        if self.opened is not None:
            self.opened.package = key

    def saved_package(self) -> str | None:
        """The package the app opened last (None: none saved, or no user data yet)."""
        if not _user_data_exists():
            return None
        saved = self._open().get("package")
        return saved if isinstance(saved, str) and saved else None

    def _warn(self) -> None:
        if self._warned or self.opened is None or self._speaks is None:
            return
        self._warned = True
        warning = self.opened.warning_in(self._speaks)
        if warning:
            _error(f"{PROG}: {warning}")

    def locale(self, script: str | None = None, lang: str | None = None) -> Locale:
        """The Locale of the run: what was given (here or on the command line), else the
        saved setting, else the default."""
        script = script or self.asked.get("script")
        lang = lang or self.asked.get("lang")
        if script is None or lang is None:
            saved_script, saved_lang = self.saved_settings()
            script, lang = script or saved_script, lang or saved_lang
        loc = Locale(as_script(script), as_lang(lang))
        self._speaks = self._speaks or loc
        self._warn()
        return loc

    def saved_settings(self) -> tuple[str, str]:
        """The script and language saved in the app. No user data yet: the defaults, and
        nothing is created just to read them. Damaged or unusable: the defaults (and the
        user data's own warning)."""
        if self._saved is None:
            if _user_data_exists():
                user = self._open()
                self._saved = (user.script, user.lang)
            else:
                self._saved = (as_script(None), as_lang(None))
        return self._saved


def asked_on_the_command_line(argv: list[str]) -> dict[str, str]:
    """``--script``/``--lang`` wherever they are (before ``--``), valid values only: read
    before the parser exists, so that the parser itself speaks the reader's language."""
    valid = {"script": SCRIPTS, "lang": LANGS}
    found: dict[str, str] = {}
    args = iter(argv)
    for arg in args:
        if arg == "--":
            break
        name, eq, value = arg.partition("=")
        if name not in READER_OPTIONS:
            continue
        value = value if eq else next(args, "")
        key = name.removeprefix("--")
        if value in valid[key]:
            found[key] = value
    return found


def _notes(reader: Reader, package: str | None = None) -> dict[int, str]:
    """The reader's notes (on the run's package, or on the library package named
    ``package``), searched with the document (none, and nothing created, when the app has
    never saved anything)."""
    if not _user_data_exists():
        return {}
    if package is not None:
        from .core.library import Library, data_key

        package = data_key(Library().get(package))
    return reader.user().notes(package=package)


def _user_data_exists() -> bool:
    from .core.userdata import DB_NAME, LEGACY_JSON, data_dir

    try:
        folder = data_dir()
        return any((folder / name).exists() for name in (DB_NAME, LEGACY_JSON))
    except OSError:  # cannot even look: let the user data say what is wrong
        return True


@contextmanager
def _argparse_speaks(loc: Locale) -> Iterator[None]:
    """While the parser is built and used, argparse's own words come from our catalogs.
    argparse looks up ``_`` and ``ngettext`` among its module's globals each time it speaks;
    they are put back afterwards."""
    import argparse

    module = vars(argparse)
    ours: dict[str, Callable[..., str]] = {"_": loc.tr, "ngettext": loc.trn}
    saved = {name: module[name] for name in ours if name in module}
    module.update({name: ours[name] for name in saved})
    try:
        yield
    finally:
        module.update(saved)


def make_parser(loc: Locale) -> argparse.ArgumentParser:
    import argparse  # not needed to open the app with no arguments: start-up stays lean

    from .core.wrap import wrap

    class _Parser(argparse.ArgumentParser):
        def error(self, message: str) -> NoReturn:  # argparse's own errors: one line, no usage block
            self.exit(EXIT_USAGE, usage_line(loc, self.prog, message) + "\n")

    class _Formatter(argparse.HelpFormatter):
        """Help lines broken the Chinese way and measured in terminal cells (a Han character
        is two), where argparse would count characters and break only at spaces."""

        def _split_lines(self, text: str, width: int) -> list[str]:
            return wrap(" ".join(text.split()), width)

        def _fill_text(self, text: str, width: int, indent: str) -> str:
            return "\n".join(indent + line for line in wrap(" ".join(text.split()), width - len(indent)))

    tr = loc.tr
    p = _Parser(
        prog=PROG,
        description=tr(
            "Read, search and use Hangzhou's 2024 economic policy package ({title}). Without a command, opens the app."
        ).format(title=loc.doc(SHIPPED_TITLE)),
        formatter_class=_Formatter,
    )
    p.add_argument(
        "--version",
        action="version",
        version=f"%(prog)s {hzpolicy.__version__}",
        help=tr("show program's version number and exit"),  # argparse's own words, given before it reads them
    )
    p.add_argument(
        "--store",
        metavar=tr("PACKAGE"),
        help=tr(
            "the package to read: a name in the library (see: library) or a store file "
            "(default: the shipped one; the app opens the package it showed last)"
        ),
    )
    # Positional arguments are named in the reader's words (argparse names one by its metavar
    # in its errors, else by its dest: "clause", "what").
    sub = p.add_subparsers(dest="command", metavar=tr("COMMAND"), parser_class=_Parser)

    def reader_options(sp: argparse.ArgumentParser, default: object = argparse.SUPPRESS) -> None:
        # In a command, SUPPRESS: a value given before the command is not reset by it.
        sp.add_argument(
            "--script",
            choices=SCRIPTS,
            default=default,
            help=tr("characters to print in (default: as set in the app, else traditional)"),
        )
        sp.add_argument(
            "--lang",
            choices=LANGS,
            default=default,
            help=tr("language of messages and help: zh or en (default: as set in the app, else zh)"),
        )

    reader_options(p, default=None)

    def command(name: str, summary: str, store: bool = True) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=summary, description=summary, formatter_class=_Formatter)
        if store:
            sp.add_argument(
                "--store",
                metavar=tr("PACKAGE"),
                default=argparse.SUPPRESS,
                help=tr("the package to read: a name in the library or a store file (default: the shipped one)"),
            )
        reader_options(sp)
        return sp

    def calc_options(sp: argparse.ArgumentParser, saved: str) -> None:
        """--profile NAME and --date, for calc and export calc."""
        sp.add_argument("--profile", dest="saved", metavar=tr("NAME"), help=saved)
        sp.add_argument(
            "--date",
            metavar="YYYY-MM-DD",
            help=tr("evaluate as of this date (default: today, or the last valid day of an expired package)"),
        )

    def json_option(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--json", action="store_true", help=tr("print JSON"))

    def force_option(sp: argparse.ArgumentParser) -> None:
        sp.add_argument(
            "--force",
            action="store_true",
            help=tr("replace the -o file if it exists (never a folder, a link, a device or a read-only file)"),
        )

    b = command("build", tr("parse a policy document into a store"), store=False)
    b.add_argument("source", nargs="?", metavar=tr("SOURCE"), help=tr("the document (default: the shipped source)"))
    b.add_argument("-o", "--output", metavar="STORE", help=tr("where to write the store"))
    force_option(b)
    b.add_argument(
        "--verbose", action="store_true", help=tr("list the search thesaurus's groups this document never uses")
    )
    b.add_argument(
        "--rules",
        metavar="TOML",
        help=tr(
            "calculator rules to check and include (default: the shipped ones, for the document they were written for)"
        ),
    )

    json_option(command("list", tr("domains and clauses with numbers and titles")))
    json_option(command("overview", tr("the whole document: its domains, their leads, budgets and targets")))

    sh = command("show", tr("one clause in full"))
    sh.add_argument("clause", metavar=tr("CLAUSE"), help=tr("14, 十四 or (十四)"))
    sh.add_argument("--json", action="store_true", help=tr("print all fields as JSON"))

    se = command("search", tr("search the clauses"))
    se.add_argument(
        "query", metavar=tr("QUERY"), help=tr("words in Traditional or Simplified, a clause number or an amount")
    )
    json_option(se)
    se.add_argument("--limit", type=int, default=20, help=tr("at most this many results (default 20)"))
    se.add_argument(
        "--all",
        action="store_true",
        dest="all_packages",
        help=tr("search every package of the library; each result names its package"),
    )

    ca = command("calc", tr("which clauses apply to an enterprise, and the most each gives"))
    ca.add_argument(
        "profile",
        nargs="?",
        metavar=tr("PROFILE"),
        help=tr("a JSON profile of facts (calc --facts lists them)"),
    )
    calc_options(ca, tr("a profile saved in the app, by its name (see: profiles)"))
    json_option(ca)
    ca.add_argument(
        "--facts",
        action="store_true",
        help=tr("list the facts a profile may give: key, type, the document's words, clauses"),
    )

    json_option(command("agencies", tr("every lead and responsible agency, with its clauses")))

    ex = command("export", tr("a clause, search results, bookmarks or a calculator result as md/csv/json/html"))
    ex.add_argument(
        "what",
        choices=("clause", "search", "bookmarks", "calc"),
        metavar=tr("KIND"),
        help=tr("what to export: %(choices)s"),
    )
    ex.add_argument(
        "arg",
        nargs="?",
        metavar=tr("ITEM"),
        help=tr("the clause (export clause 14), query (export search 研发) or profile"),
    )
    ex.add_argument(
        "--format", choices=("md", "csv", "json", "html"), default="md", help=tr("the file format (default: md)")
    )
    ex.add_argument("-o", "--output", metavar="FILE", help=tr("write here (default: standard output)"))
    force_option(ex)
    calc_options(ex, tr("calc: a profile saved in the app, by its name"))

    bm = command("bookmarks", tr("list the bookmarks, or add or remove one"))
    bm.add_argument(
        "action", nargs="?", choices=("add", "remove"), metavar=tr("ACTION"), help=tr("%(choices)s (none: list them)")
    )
    bm.add_argument("clause", nargs="?", metavar=tr("CLAUSE"), help=tr("14, 十四 or (十四)"))
    json_option(bm)

    no = command("notes", tr("list the notes, or set or remove one"))
    no.add_argument(
        "action", nargs="?", choices=("set", "remove"), metavar=tr("ACTION"), help=tr("%(choices)s (none: list them)")
    )
    no.add_argument("clause", nargs="?", metavar=tr("CLAUSE"), help=tr("14, 十四 or (十四)"))
    no.add_argument("text", nargs="?", metavar=tr("TEXT"), help=tr("the note (notes set 14 TEXT)"))
    json_option(no)

    ad = command("add", tr("build a policy document into your library of packages"), store=False)
    ad.add_argument("source", metavar=tr("SOURCE"), help=tr("the document, a UTF-8 text file"))
    ad.add_argument(
        "--name", metavar=tr("NAME"), help=tr("the package's name (default: the file's name without its extension)")
    )
    li = command("library", tr("the packages in your library: the shipped one and those you added"), store=False)
    json_option(li)
    li.add_argument(
        "--repair",
        action="store_true",
        help=tr("rebuild the library's index from its package files (a damaged index is kept aside)"),
    )
    rm = command("remove", tr("remove a package you added from your library"), store=False)
    rm.add_argument("name", metavar=tr("NAME"), help=tr("the package's name (see: library)"))

    co = command("compare", tr("what changed from one edition of a package to another"), store=False)
    co.add_argument("old", metavar=tr("OLD"), help=tr("the older package: a name in the library or a store file"))
    co.add_argument("new", metavar=tr("NEW"), help=tr("the newer package: a name in the library or a store file"))
    json_option(co)
    co.add_argument(
        "--kind",
        choices=("new", "changed", "merged", "split", "removed", "same"),
        help=tr("only the clauses of this kind: %(choices)s"),
    )

    pr = command("profiles", tr("list the calculator profiles saved in the app, show or remove one"), store=False)
    pr.add_argument(
        "action", nargs="?", choices=("show", "remove"), metavar=tr("ACTION"), help=tr("%(choices)s (none: list them)")
    )
    pr.add_argument("name", nargs="?", metavar=tr("NAME"), help=tr("the profile's name"))
    json_option(pr)
    return p


def usage_line(loc: Locale, prog: str, message: str) -> str:
    """A mistake in the arguments, as one line: "hzpolicy-tui show: error: ... (hzpolicy-tui
    show --help)", in the reader's words."""
    return loc.tr(USAGE_LINE).format(prog=prog, message=message)


def _load(store: str | None, reader: Reader) -> Document:
    """The document ``--store`` names (a package of the library, or a store file; none: the
    shipped package); the run's bookmarks and notes become its."""
    from pathlib import Path

    from .core.library import data_key, open_document

    package, doc = open_document(store)
    reader.use_package(data_key(package, Path(store or "")))  # the path: only a store file has no package
    return doc


def _app_document(store: str | None, reader: Reader) -> tuple[Package | None, Document, list[str]]:
    """What the app opens: the package ``--store`` names, else the one opened last, else the
    shipped one. The one opened last that cannot be opened now (removed, damaged) is said
    once the app is up, and the shipped package is opened instead."""
    from .core.library import Library, data_key, open_document

    if store is not None:
        package, doc = open_document(store)
        if package is None:  # a store file outside the library: its own bookmarks and notes
            reader.use_package(data_key(None, Path(store)))
            reader.user()
        return package, doc, []
    saved = reader.saved_package()
    warnings = []
    if saved is not None and saved != SHIPPED_PACKAGE:
        library = Library()
        try:
            package = library.get(saved)
            return package, library.open(package), []
        except (LibraryError, StoreError) as exc:
            loc = reader.locale()
            said = loc.tr("the package opened last, {name}, cannot be opened ({problem}); the shipped one is open")
            warnings.append(said.format(name=saved, problem=loc.say(exc.notice)))
    package, doc = open_document(None)
    return package, doc, warnings


def _open_app(store: str | None, reader: Reader) -> int:
    package, doc, warnings = _app_document(store, reader)
    from .app import build_app  # the subcommands' modules are not loaded for the app

    # the user data, if the settings were read from it
    app = build_app(doc, user=reader.opened, package=package, warnings=warnings)
    app.run()
    if app.crashed is not None:  # Textual has printed its traceback; say where the report is
        from .core.crash import EXIT_INTERNAL, crash_line

        error, report = app.crashed
        _error(_in_words(reader, crash_line(error, report)))
        return EXIT_INTERNAL
    return app.return_code or 0


def run(argv: list[str] | None = None) -> int:
    """The command line; returns the exit status. A user's mistake or a fault of the
    environment (a closed pipe, a full disk) is one line and status 2 (a closed pipe is a
    quiet 0); the program's own failure writes a crash report and returns 70."""
    argv = sys.argv[1:] if argv is None else argv
    reader = Reader(argv)
    try:
        check_arguments(argv)
        code = _dispatch(argv, reader)
        sys.stdout.flush()  # inside the try: a reader that left is found here, not at exit
        return code
    except UsageError as exc:
        _fail(reader, exc.text(reader.locale()))
        return EXIT_USAGE
    except (StoreError, LibraryError) as exc:
        _fail(reader, reader.locale().say(exc.notice))
        return EXIT_USAGE
    except BrokenPipeError:  # `hzpolicy-tui list | head`: the reader has all it wanted
        _discard_stdout()
        return 0
    except OSError as exc:  # writing the output failed: `> /dev/full`, a full disk
        _discard_stdout()
        loc = reader.locale()
        _fail(reader, loc.tr("cannot write the output: {problem}").format(problem=loc.say(os_reason(exc))))
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - the last resort: a report instead of a traceback
        from .core.crash import EXIT_INTERNAL, crash_line, write_report

        _error(_in_words(reader, crash_line(exc, write_report(exc, argv))))
        return EXIT_INTERNAL


def check_arguments(argv: list[str]) -> None:
    """Arguments that are not valid UTF-8 (the terminal's encoding is off) are refused by
    name instead of failing later when they are printed or searched. The file ``add`` reads
    may have such a name (GBK, from a Chinese Windows zip): it is opened by its bytes."""
    for i, arg in enumerate(argv, 1):
        if "add" in argv[: i - 1] and os.path.lexists(arg):
            continue
        if any("\udc80" <= ch <= "\udcff" for ch in arg):
            raw = os.fsencode(arg)
            raise UsageError(
                N_("argument {number} ({raw}) is not valid UTF-8 text; set the terminal to UTF-8"),
                number=i,
                raw=repr(raw),
            )


def _discard_stdout() -> None:
    """Point standard output at the null device, so the interpreter's final flush of what is
    still buffered cannot fail again at exit (status 120 and a message)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, io.UnsupportedOperation):
        return  # not a real file (tests capture it): nothing is flushed at exit either


def _dispatch(argv: list[str], reader: Reader) -> int:
    if not argv:
        return _open_app(None, reader)
    loc = reader.locale()
    with _argparse_speaks(loc):
        args, extra = make_parser(loc).parse_known_args(argv)
        if extra:  # as parse_args would refuse them, but naming the command whose help to read
            prog = f"{PROG} {args.command}" if args.command else PROG
            _error(usage_line(loc, prog, loc.tr("unrecognized arguments: %s") % " ".join(extra)))
            return EXIT_USAGE
    if args.command is None:
        check_paths(args)
        return _open_app(args.store, reader)
    # As parsed: the same as read before, unless an option was abbreviated (--scr).
    return _run_command(args, reader.locale(args.script, args.lang), reader)


# The arguments that name a file (export's ITEM is one for ``export calc``).
PATH_ARGUMENTS = ("store", "source", "output", "rules", "profile")


def check_paths(args: argparse.Namespace) -> None:
    """A file name given with a NUL character (which only a program calling :func:`run` can
    pass; no shell can) is refused by name: the operating system would refuse it with a
    ValueError, not an OSError."""
    names = [getattr(args, name, None) for name in PATH_ARGUMENTS]
    if args.command == "export" and args.what == "calc":
        names.append(args.arg)
    for name in names:
        if isinstance(name, str) and "\x00" in name:
            raise UsageError(N_("{raw} cannot be a file name: it holds a NUL character"), raw=repr(name))


def _run_command(args: argparse.Namespace, loc: Locale, reader: Reader) -> int:
    """A subcommand, looked up in a table of what each one runs."""
    from . import cli  # the subcommands' modules are not loaded for the app

    check_paths(args)
    if args.command == "build":  # the commands that read no store
        return cli.cmd_build(args.source, args.output, args.rules, loc, force=args.force, verbose=args.verbose)
    if args.command == "profiles":
        from .cli_user import cmd_profiles

        return cmd_profiles(args.action, args.name, args.json, loc, reader.user())
    if args.command in ("add", "library", "remove"):
        return _library_command(args, loc)
    if args.command == "compare":
        from .cli_compare import cmd_compare

        return cmd_compare(args.old, args.new, args.json, args.kind, loc)
    doc = _load(args.store, reader)
    commands: dict[str, Callable[[], int]] = {
        "list": lambda: cli.cmd_list(doc, args.json, loc),
        "show": lambda: cli.cmd_show(doc, args.clause, args.json, loc),
        "search": lambda: (
            cli.cmd_search_all(args.query, args.json, args.limit, loc, lambda name: _notes(reader, name))
            if args.all_packages
            else cli.cmd_search(doc, args.query, args.json, args.limit, loc, _notes(reader))
        ),
        "calc": lambda: (
            cli.cmd_facts(args.json, loc)
            if args.facts
            else cli.cmd_calc(doc, args.profile, args.json, args.date, loc, args.saved, reader.user)
        ),
        "agencies": lambda: cli.cmd_agencies(doc, args.json, loc),
        "overview": lambda: cli.cmd_overview(doc, args.json, loc),
        "export": lambda: _export(doc, args, loc, reader),
        "bookmarks": lambda: _user_command(doc, args, loc, reader),
        "notes": lambda: _user_command(doc, args, loc, reader),
    }
    command = commands.get(args.command)
    if command is None:  # pragma: no cover - argparse allows no other
        raise AssertionError(f"unhandled command {args.command}")
    return command()


def _library_command(args: argparse.Namespace, loc: Locale) -> int:
    from . import cli_library

    if args.command == "add":
        return cli_library.cmd_add(args.source, args.name, loc)
    if args.command == "remove":
        return cli_library.cmd_remove(args.name, loc, user=_user_data_exists())
    return cli_library.cmd_library(args.json, args.repair, loc)


def _export(doc: Document, args: argparse.Namespace, loc: Locale, reader: Reader) -> int:
    from . import cli

    needs = EXPORT_NEEDS.get(args.what)
    if needs and not args.arg and not (args.what == "calc" and args.saved):
        raise UsageError(needs)
    calc = cli.CalcArgs(args.saved, args.date) if args.what == "calc" else None
    return cli.cmd_export(doc, args.what, args.arg, args.format, args.output, loc, reader.user, args.force, calc)


def _user_command(doc: Document, args: argparse.Namespace, loc: Locale, reader: Reader) -> int:
    from . import cli_user

    if args.command == "bookmarks":
        return cli_user.cmd_bookmarks(doc, args.action, args.clause, args.json, loc, reader.user())
    return cli_user.cmd_notes(doc, args.action, args.clause, args.text, args.json, loc, reader.user())


def _fail(reader: Reader, message: str) -> None:
    """The one line of a refused command: hzpolicy-tui: error: ..., in the reader's words."""
    _error(reader.locale().tr("{prog}: error: {message}").format(prog=PROG, message=message))


def _in_words(reader: Reader, notice: str) -> str:
    """A notice in the reader's words, when the program is failing: in English if even the
    reader's language cannot be found now."""
    try:
        return reader.locale().say(notice)
    except Exception:  # noqa: BLE001 - the failure may be in finding it; the English still says what happened
        return str(notice)


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
