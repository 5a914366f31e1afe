"""The library on the command line: ``add FILE [--name NAME]``, ``library [--json] [--repair]``
and ``remove NAME``. Each is given the run's :class:`Locale`; a mistake is a
:class:`.core.library.LibraryError` (one line, exit status 2, printed by ``__main__``)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .cli import counts_text, dump_json
from .core.library import Library, Package, data_key, package_hint, shown_path
from .core.present import Validity

if TYPE_CHECKING:
    from .core.i18n import Locale


def _say(line: str, err: bool = False) -> None:
    """A line of output (the results on standard output, what --repair did on standard error)."""
    stream = sys.stderr if err else sys.stdout
    stream.write(line + "\n")


def _counts(package: Package, loc: Locale) -> str:
    return counts_text(loc, package.domains, package.clauses, package.rules)


def cmd_add(source: str, name: str | None, loc: Locale, library: Library | None = None) -> int:
    """``add``: the document built into the library; the same document a second time
    changes nothing and says under which name it is there; the same document whose store
    was lost or damaged has its store rebuilt."""
    package, outcome = (library or Library()).add_source(Path(source), name)
    if outcome == "rebuilt":
        _say(loc.tr("rebuilt {name} from {path}").format(name=package.name, path=shown_path(source)))
    elif outcome == "added":
        _say(
            loc.tr("added {name}: {title} ({counts})").format(
                name=package.name, title=package.title_in(loc.script), counts=_counts(package, loc)
            )
        )
    else:
        _say(
            loc.tr("{path} is in the library already, as {name}; nothing changed").format(
                path=shown_path(source), name=package.name
            )
        )
    return 0


def cmd_remove(name: str, loc: Locale, library: Library | None = None, user: bool = True) -> int:
    """``remove``: the package and its store go; its bookmarks and notes are kept (under its
    document: :func:`.core.library.data_key`), and the line says how many, and that adding
    the same document again brings them back. ``user``: whether there is user data to count
    (none is created for it)."""
    package = (library or Library()).remove(name)
    _say(loc.tr("removed {name} ({path})").format(name=package.name, path=package.path))
    marks, notes = _user_counts(data_key(package)) if user else (0, 0)
    if marks or notes:
        kept = loc.tr(
            "its {bookmarks} and {notes} are kept: they come back if the same document is added again"
        ).format(
            bookmarks=loc.trn("{n} bookmark", "{n} bookmarks", marks).format(n=marks),
            notes=loc.trn("{n} note", "{n} notes", notes).format(n=notes),
        )
        _say(kept)
    return 0


def _user_counts(key: str) -> tuple[int, int]:
    from .core.userdata import UserData

    user = UserData()
    try:
        return user.counts(key)
    finally:
        user.close()


def cmd_library(
    as_json: bool, repair: bool, loc: Locale, library: Library | None = None, today: date | None = None
) -> int:
    """``library``: every package with its title, issuer and number, validity (and whether it
    is in force today), counts and the source's SHA-256; ``--repair`` rebuilds the index
    first (a damaged one is kept aside, named)."""
    library = library or Library()
    today = today or date.today()
    if repair:
        _repair(library, loc)
    packages = library.packages()
    if as_json:
        rows = []
        for p in packages:
            row = p.to_json(loc.script, today)
            row["problem"] = loc.say(p.problem) if p.problem is not None else None
            row["issuer"] = loc.doc(p.issuer) if p.issuer else p.issuer  # the document's words, in the script
            row["number"] = loc.doc(p.number) if p.number else p.number
            rows.append(row)
        dump_json({"folder": str(library.folder), "packages": rows})
        return 0
    for p in packages:
        _say(_package_text(p, loc, today))
    return 0


def _package_text(p: Package, loc: Locale, today: date) -> str:
    head = p.name + ("  " + loc.tr("[read-only]") if p.shipped else "")
    if p.problem is not None:
        damaged = loc.tr("[damaged]")
        lines = [f"{head}  {damaged}", f"    {loc.say(p.problem)}"]
        if not p.shipped:
            lines.append(f"    {loc.say(package_hint(p.name))}")
        return "\n".join(lines)
    about = [x for x in (loc.doc(p.issuer or ""), loc.doc(p.number or "")) if x]
    validity = Validity(p.status(today), p.valid_from, p.valid_to, today)
    lines = [
        f"{head}  {p.title_in(loc.script)}",
        "    " + " | ".join([*about, validity.badge(loc) or validity.word(loc), _counts(p, loc)]),
        f"    sha256 {p.source_sha256}  {p.path}",
    ]
    return "\n".join(lines)


def _repair(library: Library, loc: Locale) -> None:
    done = library.repair()
    if done.aside is not None:
        said = loc.tr("the damaged library index was moved to {aside}")
        _say(said.format(aside=done.aside), err=True)
    count = len(done.packages)
    said = loc.trn("library index rebuilt: {n} package", "library index rebuilt: {n} packages", count)
    _say(said.format(n=count), err=True)
    for name, problem in done.damaged:
        said = loc.tr("{name}: its store cannot be read ({problem}); add its source again or remove it")
        _say(said.format(name=name, problem=loc.say(problem)), err=True)


__all__ = ["cmd_add", "cmd_library", "cmd_remove"]
