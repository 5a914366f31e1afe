"""Command-line access to the user's own data: bookmarks, notes and saved profiles.

For scripts and for tests as much as for people: ``--json`` prints what is stored, and an
exit status of 0 after a change means the change is on disk (each one is a committed
transaction of the user database). Each command is given the run's :class:`Locale` and the
user's data, opened once by the caller (``__main__``), which has printed any warning about it.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from .cli import dump_json, resolve_clause, shown
from .core import present
from .core.i18n import N_
from .errors import UsageError

if TYPE_CHECKING:
    from .core.i18n import Locale
    from .core.models import Document
    from .core.userdata import UserData


def _saved(problem: str | None) -> None:
    if problem:
        raise UsageError(problem)


def _readable(user: UserData) -> None:
    """A list read from user data that could not be read is not shown as the truth (an
    empty list would say there is nothing)."""
    if user.unreadable is not None:
        raise UsageError(user.unreadable)


def _clause_row(doc: Document, number: int, loc: Locale) -> dict[str, Any]:
    c = doc.clause(number)
    return {
        "clause": number,
        "numeral": c.numeral if c else None,
        "title": c.title_in(loc.script) if c else None,  # None: a clause this package lacks
    }


def _print_row(doc: Document, number: int, loc: Locale) -> None:
    c = doc.clause(number)
    heading = present.clause_heading(c, loc) if c else loc.tr("(not in this package)")
    print(f"{number:>3} {heading}")


def _needs_clause(command: str, action: str, ref: str | None) -> None:
    if not ref:
        raise UsageError(
            N_("{command} {action} needs a clause: e.g. {command} {action} 14"), command=command, action=action
        )


def cmd_bookmarks(
    doc: Document, action: str | None, ref: str | None, as_json: bool, loc: Locale, user: UserData
) -> int:
    if action is not None:
        _needs_clause("bookmarks", action, ref)
        number = resolve_clause(doc, ref or "").number
        _saved(user.set_bookmark(number, action == "add"))
    numbers = user.bookmarks()
    _readable(user)
    if as_json:
        dump_json({"bookmarks": [_clause_row(doc, n, loc) for n in numbers]})
    elif action is None:
        for n in numbers:
            _print_row(doc, n, loc)
        if not numbers:
            print(loc.tr("no bookmarks in this package"))
    return 0


def cmd_notes(
    doc: Document, action: str | None, ref: str | None, text: str | None, as_json: bool, loc: Locale, user: UserData
) -> int:
    if action is not None:
        _needs_clause("notes", action, ref)
        number = resolve_clause(doc, ref or "").number
        if action == "set":
            if not text or not text.strip():
                raise UsageError(N_("notes set needs the note's text (notes remove N deletes a note)"))
            _saved(user.set_note(number, text))
        else:
            _saved(user.set_note(number, ""))
    notes = sorted(user.notes().items())
    _readable(user)
    if as_json:
        dump_json({"notes": [{**_clause_row(doc, n, loc), "note": t} for n, t in notes]})
    elif action is None:
        for n, t in notes:
            _print_row(doc, n, loc)
            for line in t.splitlines():
                print(f"    {line}")
        if not notes:
            print(loc.tr("no notes in this package"))
    return 0


def cmd_profiles(action: str | None, name: str | None, as_json: bool, loc: Locale, user: UserData) -> int:
    if action is not None and not name:
        raise UsageError(N_("profiles {action} needs the profile's name"), action=action)
    if action == "remove":
        if not user.delete_profile(name or ""):
            warning = user.warning_in(loc)
            if warning:
                raise UsageError(warning)
            raise UsageError(N_("no profile named '{name}'"), name=shown(name or ""))
        print(loc.tr("removed profile {name}").format(name=shown(name or "")), file=sys.stderr)
        return 0
    if action == "show":
        facts = user.load_profile(name or "")
        if facts is None:
            raise UsageError(
                N_("no profile named '{name}'; `hzpolicy-tui profiles` lists them"), name=shown(name or "")
            )
        dump_json(facts)
        return 0
    names = user.profile_names()
    _readable(user)
    if as_json:
        dump_json({"profiles": [{"name": n, "facts": user.load_profile(n)} for n in names]})
    elif action is None:
        for n in names:
            print(n)
        if not names:
            print(loc.tr("no saved profiles"))
    return 0
