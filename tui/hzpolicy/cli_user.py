"""Command-line access to the user's own data: bookmarks, notes and saved profiles.

For scripts and for tests as much as for people: ``--json`` prints what is stored, and an
exit status of 0 after a change means the change is on disk (each one is a committed
transaction of the user database).
"""

from __future__ import annotations

from typing import Any

from .cli import dump_json, open_user_data, resolve_clause
from .core.models import Document, Script
from .errors import UsageError


def _saved(problem: str | None) -> None:
    if problem:
        raise UsageError(problem)


def _clause_row(doc: Document, number: int, script: Script) -> dict[str, Any]:
    c = doc.clause(number)
    return {
        "clause": number,
        "numeral": c.numeral if c else None,
        "title": c.title_in(script) if c else None,  # None: a clause this package lacks
    }


def _print_row(row: dict[str, Any]) -> None:
    print(f"{row['clause']:>3} ({row['numeral'] or '?'}) {row['title'] or '(not in this package)'}")


def cmd_bookmarks(doc: Document, action: str | None, ref: str | None, as_json: bool, script: Script) -> int:
    user = open_user_data()
    if action is not None:
        if not ref:
            raise UsageError(f"bookmarks {action} needs a clause: e.g. bookmarks {action} 14")
        number = resolve_clause(doc, ref).number
        _saved(user.set_bookmark(number, action == "add"))
    rows = [_clause_row(doc, n, script) for n in user.bookmarks()]
    if as_json:
        dump_json({"bookmarks": rows})
    elif action is None:
        for r in rows:
            _print_row(r)
    return 0


def cmd_notes(
    doc: Document, action: str | None, ref: str | None, text: str | None, as_json: bool, script: Script
) -> int:
    user = open_user_data()
    if action is not None:
        if not ref:
            raise UsageError(f"notes {action} needs a clause: e.g. notes {action} 14")
        number = resolve_clause(doc, ref).number
        if action == "set":
            if not text or not text.strip():
                raise UsageError("notes set needs the note's text (notes remove N deletes a note)")
            _saved(user.set_note(number, text))
        else:
            _saved(user.set_note(number, ""))
    notes = user.notes()
    rows = [{**_clause_row(doc, n, script), "note": t} for n, t in sorted(notes.items())]
    if as_json:
        dump_json({"notes": rows})
    elif action is None:
        for r in rows:
            _print_row(r)
            for line in str(r["note"]).splitlines():
                print(f"    {line}")
    return 0


def cmd_profiles(action: str | None, name: str | None, as_json: bool) -> int:
    user = open_user_data()
    if action == "remove":
        if not name:
            raise UsageError("profiles remove needs the profile's name")
        if not user.delete_profile(name):
            raise UsageError(user.warning or f"no profile named {name!r}")
    if action == "show":
        if not name:
            raise UsageError("profiles show needs the profile's name")
        facts = user.load_profile(name)
        if facts is None:
            raise UsageError(f"no profile named {name!r}; `hzpolicy-tui profiles` lists them")
        dump_json(facts)
        return 0
    names = user.profile_names()
    if as_json:
        dump_json({"profiles": [{"name": n, "facts": user.load_profile(n)} for n in names]})
    elif action is None:
        for n in names:
            print(n)
    return 0
