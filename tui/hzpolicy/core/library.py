"""The reader's library of policy packages: the shipped one, and every document they added.

The library lives beside the user's data (``data_dir() / "library"``). Each package added is
a store file built by :func:`.store.build_store`, named after the package (``NAME.json``); an
SQLite index (``index.sqlite3``: a rollback journal, so reading never writes and a read-only
folder or a full disk can still be read; a busy timeout, one transaction per change, a
``user_version`` schema) holds each package's summary (:class:`Package`), so listing the
packages never reads a store: start-up costs the same with ten packages as with one. Every
change (add, remove, ``--repair``) holds the folder's lock file (``.lock``): they take turns,
and a reader sees the index before a change or after it, never half made.

- The shipped package (:data:`.paths.SHIPPED_PACKAGE`) is always listed first and is
  read-only: it cannot be removed, and no package may take its name.
- Adding is all or nothing: the store is built into a temporary file in the library folder
  and renamed into place inside the index's transaction; a document that cannot be read
  leaves the library exactly as it was. The same document (same source SHA-256) is never
  added twice.
- A damaged index is reported with its path and the cure (``library --repair``, which
  moves it aside, never deletes it, and rebuilds it from the store files in the folder); a
  damaged or missing store is reported by package, and the other packages stay usable.

Every message is a :class:`.i18n.Notice` (English as a ``str``, the reader's words by
``Locale.say``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from .files import SQLITE_HEADER, file_head, os_reason
from .i18n import N_, Notice
from .models import Document, Script, validity_status
from .paths import SHIPPED_PACKAGE, default_store
from .store import StoreError, load_store
from .userdata import disk_full, read_only_connection, sqlite_reason

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows: the index's own locking alone
    fcntl = None  # type: ignore[assignment]

LIBRARY_DIR = "library"
INDEX_NAME = "index.sqlite3"
INDEX_VERSION = 1
STORE_SUFFIX = ".json"
MAX_NAME = 60
BUSY_TIMEOUT_S = 10.0
LOCK_NAME = ".lock"  # every change (add, remove, --repair) holds it: they take turns
STALE_AFTER_S = 3600  # a temporary file of a process still running, but this old, is left over
# What an add or a repair leaves while it works: .adding-PID-..., the store's own temporary
# file ..adding-PID-...tmp, a repair's new index .index-new-PID-...
_TEMPORARY = re.compile(r"^\.\.?(?:adding|index-new)-(\d+)-")

_COLUMNS = (
    "name",
    "file",
    "title",
    "title_simplified",
    "issuer",
    "number",
    "valid_from",
    "valid_to",
    "domains",
    "clauses",
    "source_sha256",
    "rules",
    "source_script",
    "source_name",
    "size",
    "problem",
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS packages (
    name TEXT PRIMARY KEY CHECK (length(name) > 0),
    file TEXT NOT NULL UNIQUE,               -- the store's file name in the library folder
    title TEXT NOT NULL,                     -- Traditional, as every plain field
    title_simplified TEXT NOT NULL,
    issuer TEXT,
    number TEXT,
    valid_from TEXT,                         -- ISO dates
    valid_to TEXT,
    domains INTEGER NOT NULL,
    clauses INTEGER NOT NULL,
    source_sha256 TEXT NOT NULL,             -- '' for a store that could not be read at --repair
    rules INTEGER NOT NULL,
    source_script TEXT NOT NULL,
    source_name TEXT NOT NULL,
    size INTEGER NOT NULL,                   -- the store file's size when it was added
    problem TEXT                             -- 'unreadable': --repair could not read the store
) STRICT;
CREATE INDEX IF NOT EXISTS packages_by_source ON packages (source_sha256);
"""


class LibraryError(RuntimeError):
    """The library cannot do what was asked: a name that is not there or not allowed, a
    document that cannot be added, a damaged index. ``notice`` says what, naming the path
    and how to fix it."""

    def __init__(self, notice: Notice) -> None:
        self.notice: Notice = notice
        super().__init__(notice)


@dataclass(frozen=True)
class Package:
    """One package of the library, as its index summarises it (no store is read)."""

    name: str  # "hangzhou-2024" for the shipped one
    path: Path  # its store file
    title: str  # Traditional (as every plain field)
    title_simplified: str
    issuer: str | None
    number: str | None  # 文号
    valid_from: str | None  # ISO
    valid_to: str | None
    domains: int
    clauses: int
    source_sha256: str
    rules: int  # number of calculator rules (0: the calculator has nothing for it)
    shipped: bool  # read-only, always there
    source_script: str  # "traditional" | "simplified"
    # What is wrong with its store, when something is known to be (missing, changed, not
    # readable): the package is listed, marked, and cannot be opened. None: nothing known.
    problem: Notice | None = None

    def title_in(self, script: Script) -> str:
        return self.title_simplified if script == "simplified" else self.title

    def status(self, today: date) -> str:
        """ "in_force", "expired", "not_yet", or "unknown" (no period stated)."""
        return validity_status(self.valid_from, self.valid_to, today)

    def to_json(self, script: Script, today: date) -> dict[str, Any]:
        """What ``library --json`` prints for it."""
        return {
            "name": self.name,
            "title": self.title_in(script),
            "issuer": self.issuer,
            "number": self.number,
            "valid_from": self.valid_from,
            "valid_to": self.valid_to,
            "status": self.status(today),
            "domains": self.domains,
            "clauses": self.clauses,
            "rules": self.rules,
            "source_sha256": self.source_sha256,
            "source_script": self.source_script,
            "read_only": self.shipped,
            "path": str(self.path),
            "problem": str(self.problem) if self.problem is not None else None,
        }


@dataclass(frozen=True)
class Repaired:
    """What ``--repair`` did: where the damaged index went (None: it was not damaged), the
    packages indexed, and the store files that could not be read (kept, marked)."""

    aside: Path | None
    packages: tuple[str, ...]
    damaged: tuple[tuple[str, Notice], ...]


# --- Names ------------------------------------------------------------------------------------


def name_key(name: str) -> str:
    """A package name as it is stored and looked up: NFC, without surrounding spaces. Names
    match exactly after that (a name that differs from another only by case is refused when
    added, so a lookup never has to guess)."""
    return unicodedata.normalize("NFC", name.strip())


def check_name(name: str) -> str:
    """A package name as the reader gave it (NFC), or a :class:`LibraryError` saying why it
    cannot be one. Chinese is welcome; what cannot be a file name is not."""
    name = name_key(name)
    if not name:
        raise LibraryError(Notice("a package needs a name"))
    if any("\udc80" <= ch <= "\udcff" for ch in name):
        raise LibraryError(Notice("a package name must be valid UTF-8 text: {name}", name=shown_path(name)))
    if len(name) > MAX_NAME:
        raise LibraryError(
            Notice(
                "the package name {name} is longer than {limit} characters",
                name=repr(name[:20] + "..."),
                limit=MAX_NAME,
            )
        )
    if "/" in name or "\\" in name:
        raise LibraryError(Notice("a package name cannot hold / or \\: {name}", name=repr(name)))
    if name.startswith("."):
        raise LibraryError(Notice("a package name cannot start with a dot: {name}", name=repr(name)))
    if name.casefold().endswith(STORE_SUFFIX):
        raise LibraryError(
            Notice(
                "a package name cannot end in {suffix} (it would read as a file): {name}",
                suffix=STORE_SUFFIX,
                name=repr(name),
            )
        )
    if any(not ch.isprintable() for ch in name):
        raise LibraryError(Notice("a package name cannot hold control characters: {name}", name=repr(name)))
    if name.casefold() == SHIPPED_PACKAGE.casefold():
        raise LibraryError(
            Notice("{name} is the shipped package's name: choose another with --name", name=SHIPPED_PACKAGE)
        )
    return name


def default_name(source: Path) -> str:
    """The name a document gets without ``--name``: its file name without the extension,
    checked (a file name that cannot be a package's says to give one with ``--name``)."""
    stem = Path(source).stem
    if any("\udc80" <= ch <= "\udcff" for ch in stem):
        raise LibraryError(
            Notice(
                "the file name {file} is not UTF-8 text, so it cannot be the package's name; "
                "give the package a name with --name NAME",
                file=shown_path(Path(source).name),
            )
        )
    try:
        return check_name(stem)
    except LibraryError as exc:
        raise LibraryError(
            Notice("{problem}; give the package another name with --name NAME", problem=exc.notice)
        ) from None


def shown_path(path: Path | str) -> str:
    """A file name to print: bytes that are not UTF-8 (a name from a Chinese Windows zip, in
    GBK) as escapes, so printing it cannot fail."""
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


# --- The shipped package ---------------------------------------------------------------------------


def shipped_package() -> Package:
    """The shipped package's summary, from its store's header (not a full load), cached
    while the file is unchanged."""
    path = default_store()
    try:
        info = path.stat()
    except OSError:
        return _shipped(path, None, Notice("the shipped store {path} is missing: reinstall hzpolicy-tui", path=path))
    return _shipped_summary(path, info.st_mtime_ns, info.st_size)


@lru_cache(maxsize=2)
def _shipped_summary(path: Path, _mtime: int, _size: int) -> Package:
    try:
        data = json.loads(path.read_bytes())
        meta = next(iter(data["meta"].values()))
        document = next(iter(data["document"].values()))
        counts = meta["counts"]
        return Package(
            name=SHIPPED_PACKAGE,
            path=path,
            title=document["title"],
            title_simplified=document["title_simplified"],
            issuer=document.get("issuer"),
            number=document.get("number"),
            valid_from=document.get("valid_from"),
            valid_to=document.get("valid_to"),
            domains=int(counts["domains"]),
            clauses=int(counts["clauses"]),
            source_sha256=str(meta["source_sha256"]),
            rules=int(counts.get("rules", 0)),
            shipped=True,
            source_script=str(document.get("source_script", "traditional")),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError, StopIteration):
        problem = Notice("the shipped store {path} cannot be read: reinstall hzpolicy-tui", path=path)
        return _shipped(path, None, problem)


def _shipped_from(doc: Document, path: Path) -> Package:
    return Package(
        name=SHIPPED_PACKAGE,
        path=path,
        title=doc.title,
        title_simplified=doc.title_simplified,
        issuer=doc.issuer,
        number=doc.number,
        valid_from=doc.valid_from,
        valid_to=doc.valid_to,
        domains=len(doc.domains),
        clauses=len(doc.clauses),
        source_sha256=doc.source_sha256,
        rules=len(doc.rules),
        shipped=True,
        source_script=doc.source_script,
    )


def _shipped(path: Path, sha: str | None, problem: Notice | None) -> Package:
    return Package(
        name=SHIPPED_PACKAGE,
        path=path,
        title="",
        title_simplified="",
        issuer=None,
        number=None,
        valid_from=None,
        valid_to=None,
        domains=0,
        clauses=0,
        source_sha256=sha or "",
        rules=0,
        shipped=True,
        source_script="traditional",
        problem=problem,
    )


# --- The library ----------------------------------------------------------------------------------


def repair_hint(folder: Path) -> Notice:
    return Notice("run `hzpolicy-tui library --repair` to rebuild it from the packages in {folder}", folder=folder)


def package_hint(name: str) -> Notice:
    return Notice(
        "add its source again (hzpolicy-tui add SOURCE --name {name}) or remove it (hzpolicy-tui remove {name})",
        name=name,
    )


class _IndexDamage(Exception):
    """The index opened, but is not what this program writes (or fails SQLite's check)."""


class IndexDamaged(LibraryError):
    """The index is damaged (its cure: ``library --repair``), as opposed to a disk that is
    full or cannot be written, which --repair must not take for damage."""


_FULL = N_("the disk is full")
_QUOTA = N_("the disk quota is used up")
_READ_ONLY = N_("the file or its folder cannot be written")


class Library:
    """The packages in ``folder`` (default: ``library`` in the user's data folder), with the
    shipped one. Reading never creates anything; the first ``add`` creates the folder and
    the index."""

    def __init__(self, folder: Path | None = None) -> None:
        if folder is None:
            from .userdata import data_dir

            folder = data_dir() / LIBRARY_DIR
        self.folder = Path(folder)
        self.index = self.folder / INDEX_NAME

    # -- reading ------------------------------------------------------------------------------

    def packages(self) -> list[Package]:
        """Every package, the shipped one first, the others by name; reads only the index
        (and looks at each store file's size, so one missing or cut short is marked)."""
        return [shipped_package(), *self._indexed()]

    def names(self) -> list[str]:
        return [p.name for p in self.packages()]

    def get(self, name: str) -> Package:
        """A package by name (exact, after NFC and without surrounding spaces); a
        :class:`LibraryError` naming the packages there are."""
        key = name_key(name)
        if key == SHIPPED_PACKAGE:
            return shipped_package()
        for package in self._indexed():
            if package.name == key:
                return package
        raise LibraryError(
            Notice("no package named {name}; packages: {names}", name=repr(name), names=", ".join(self.names()))
        )

    def load(self, name: str) -> Document:
        """The package's document; a :class:`.store.StoreError` naming its store's path (and
        for a package the reader added, how to add it again or remove it)."""
        return self.open(self.get(name))

    def open(self, package: Package) -> Document:
        """The package's document. Its store must hold the document the index says it does
        (the same source SHA-256 and counts): a store replaced by another document's is
        refused, naming its path and the cure."""
        if package.shipped:
            return load_store(package.path)
        doc, problem = self._read_store(package)
        if doc is None or problem is not None:
            raise StoreError(_store_problem(package, problem or Notice("the file is not there")))
        return doc

    def _read_store(self, package: Package) -> tuple[Document | None, Notice | None]:
        """The package's store read and checked against the index: the document, or what is
        wrong with it."""
        if not package.path.exists():
            return None, Notice("the file is not there")
        try:
            doc = load_store(package.path)
        except StoreError as exc:
            return None, _problem_of(exc.notice)
        if package.source_sha256 and doc.source_sha256 != package.source_sha256:
            return doc, Notice(
                "it holds another document ({title}), not the one added as {name}", title=doc.title, name=package.name
            )
        if package.source_sha256 and (len(doc.domains), len(doc.clauses)) != (package.domains, package.clauses):
            return doc, Notice("its counts of domains and clauses are not those the library recorded")
        return doc, None

    def find_path(self, path: Path) -> Package | None:
        """The package whose store is this file, if it is one of the library's."""
        try:
            wanted = path.resolve()
        except OSError:
            return None
        if wanted == default_store().resolve():
            return shipped_package()
        if wanted.parent != self.folder.resolve():
            return None
        return next((p for p in self._indexed() if p.path.resolve() == wanted), None)

    # -- changing -------------------------------------------------------------------------------

    def add(self, source: Path, name: str | None = None) -> tuple[Package, bool]:
        """Build ``source`` into the library as ``name`` (default: its file name's stem).
        Returns the package and whether the library changed: False when the same document
        (same source SHA-256) is there already, sound, under the name returned. A name taken
        by another document, or a document that cannot be read, is a :class:`LibraryError`,
        and the library is as it was. :meth:`add_source` says also whether a damaged store
        was rebuilt."""
        package, outcome = self.add_source(source, name)
        return package, outcome != "there"

    def add_source(self, source: Path, name: str | None = None) -> tuple[Package, str]:
        """:meth:`add`, saying what happened: "added", "there" (nothing changed) or "rebuilt":
        the document was in the index but its store was missing or damaged (or, after
        ``--repair``, unreadable under this name), and the store was built again from it."""
        source = Path(source)
        if name is not None:
            name = check_name(name)
        # The bytes' SHA-256 is the document's when it has no byte-order mark: most files
        # added twice are found without a build; the others are, under the lock, after it.
        there = self._by_source(hashlib.sha256(_read_source(source)).hexdigest())
        if there is not None and (there.shipped or self._read_store(there)[1] is None):
            return there, "there"
        if name is None:  # needed only now: a file there already needs no name of its own
            name = default_name(source)
        if there is None:
            self._check_free(name, rebuildable=True)
        self._prepare_folder()
        if not os.access(self.folder, os.W_OK):
            raise self._cannot_write(Notice(_READ_ONLY))
        with self._locked():
            self._clean_stale()
            return self._add_locked(source, name)

    def _add_locked(self, source: Path, name: str) -> tuple[Package, str]:
        tmp = self.folder / f".adding-{os.getpid()}-{os.urandom(8).hex()}{STORE_SUFFIX}"
        moved: tuple[Path, Path | None] | None = None  # (the store put in place, the one it replaced, kept aside)
        try:
            doc = _build(source, tmp, self.folder)
            with self._write() as db:
                # Looked at again under the lock: another process may have added it.
                if doc.source_sha256 == shipped_package().source_sha256:
                    return shipped_package(), "there"
                query = f"SELECT {', '.join(_COLUMNS)} FROM packages WHERE source_sha256 = ?"
                found = db.execute(query, (doc.source_sha256,)).fetchone()
                if found is None:  # an unreadable store of this name (as --repair left it): its document is unknown
                    query = f"SELECT {', '.join(_COLUMNS)} FROM packages WHERE name = ? AND source_sha256 = ''"
                    found = db.execute(query, (name,)).fetchone()
                if found is not None:
                    package = self._package(found)
                    if self._read_store(package)[1] is None:
                        return package, "there"
                    target, outcome = package.path, "rebuilt"
                    values = _row(package.name, target.name, doc, shown_path(source.name), tmp.stat().st_size)
                    db.execute("DELETE FROM packages WHERE name = ?", (package.name,))
                else:
                    self._check_free(name, db)
                    target, outcome = self.folder / (name + STORE_SUFFIX), "added"
                    if os.path.lexists(target):
                        raise LibraryError(
                            Notice(
                                "{path} is in the library folder but not in its index; {hint}",
                                path=target,
                                hint=repair_hint(self.folder),
                            )
                        )
                    values = _row(name, target.name, doc, shown_path(source.name), tmp.stat().st_size)
                db.execute(
                    f"INSERT INTO packages ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})", values
                )
                kept = None
                if os.path.lexists(target):  # the damaged store: kept until the index has the new one
                    kept = tmp.with_name(tmp.name + ".old")
                    os.replace(target, kept)
                os.replace(tmp, target)
                moved = (target, kept)
        except BaseException:
            if moved is not None:  # the index did not take it (its COMMIT failed): neither does the folder
                target, kept = moved
                os.replace(target, tmp)
                if kept is not None:
                    os.replace(kept, target)
            raise
        finally:
            tmp.unlink(missing_ok=True)
        if moved is not None and moved[1] is not None:
            moved[1].unlink(missing_ok=True)
        return self._package(values), outcome

    def remove(self, name: str) -> Package:
        """Remove a package the reader added (its store file too); the shipped one is
        refused."""
        if name_key(name).casefold() == SHIPPED_PACKAGE.casefold():
            raise LibraryError(
                Notice("{name} is the shipped package: it is read-only and cannot be removed", name=SHIPPED_PACKAGE)
            )
        package = self.get(name)
        with self._locked(), self._write() as db:
            if db.execute("DELETE FROM packages WHERE name = ?", (package.name,)).rowcount == 0:
                raise LibraryError(Notice("no package named {name}", name=repr(name)))
            try:
                package.path.unlink(missing_ok=True)
            except OSError as exc:
                raise LibraryError(
                    Notice("cannot remove {path}: {why}", path=package.path, why=os_reason(exc))
                ) from None
        return package

    def repair(self) -> Repaired:
        """Rebuild the index from the store files in the folder, holding the lock every change
        holds (an add waits; it never meets a half-made index). A healthy index is rebuilt in
        place, in one transaction; a damaged or missing one is built anew in a temporary
        file, and only then is the damaged one moved aside (never deleted; :attr:`Repaired.aside`
        says where) and the new one renamed into place. A repair that fails (a full disk)
        leaves everything as it was. A store that cannot be read is kept and listed, marked,
        with what the old index knew of it (so adding its source again rebuilds it)."""
        if not self.folder.is_dir():
            if self.folder.exists():
                raise LibraryError(Notice("the library folder {path} is not a folder", path=self.folder))
            return Repaired(None, (), ())
        with self._locked():
            self._clean_stale()
            damaged_index = False
            known: dict[str, tuple[Any, ...]] = {}
            if os.path.lexists(self.index):
                try:
                    self._check_index()
                    with self._reading() as db:
                        known = {r[1]: r for r in db.execute(f"SELECT {', '.join(_COLUMNS)} FROM packages")}
                except IndexDamaged:
                    damaged_index = True
            rows, indexed, damaged = self._scan(known)
            insert = f"INSERT OR IGNORE INTO packages ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"
            if os.path.lexists(self.index) and not damaged_index:
                with self._write() as db:
                    db.execute("DELETE FROM packages")
                    db.executemany(insert, rows)
                return Repaired(None, tuple(indexed), tuple(damaged))
            new = self._new_index(rows)
            aside = None
            try:
                if damaged_index:
                    aside = _aside(self.index, "damaged")
                os.replace(new, self.index)
            except OSError as exc:
                new.unlink(missing_ok=True)
                raise LibraryError(
                    Notice("could not change {path}: {why}", path=self.index, why=os_reason(exc))
                ) from None
        return Repaired(aside, tuple(indexed), tuple(damaged))

    def _scan(
        self, known: dict[str, tuple[Any, ...]]
    ) -> tuple[list[tuple[Any, ...]], list[str], list[tuple[str, Notice]]]:
        indexed: list[str] = []
        damaged: list[tuple[str, Notice]] = []
        rows = []
        for path in sorted(self.folder.glob(f"*{STORE_SUFFIX}")):
            if path.name.startswith(".") or not path.is_file():
                continue
            name = name_key(path.stem)
            try:
                doc = load_store(path)
            except StoreError as exc:
                damaged.append((name, _problem_of(exc.notice)))
                old = known.get(path.name)
                if old is not None and old[0] == name:  # what the index knew of it, marked
                    rows.append((*old[:-2], -1, "unreadable"))
                else:
                    rows.append(
                        (
                            name,
                            path.name,
                            "",
                            "",
                            None,
                            None,
                            None,
                            None,
                            0,
                            0,
                            "",
                            0,
                            "traditional",
                            "",
                            -1,
                            "unreadable",
                        )
                    )
                continue
            rows.append(_row(name, path.name, doc, _source_name(path), path.stat().st_size))
            indexed.append(name)
        return rows, indexed, damaged

    # -- the index ------------------------------------------------------------------------------

    def _indexed(self) -> list[Package]:
        if not os.path.lexists(self.index):
            self._no_index_but_stores()
            return []
        with self._reading() as db:
            rows = db.execute(f"SELECT {', '.join(_COLUMNS)} FROM packages ORDER BY name").fetchall()
        return [self._package(r) for r in rows]

    def _no_index_but_stores(self) -> None:
        """No index, yet store files in the folder: the index was lost, not never made."""
        if not self.folder.is_dir():
            if os.path.lexists(self.folder):
                raise LibraryError(Notice("the library folder {path} is not a folder", path=self.folder))
            return
        if any(not p.name.startswith(".") for p in self.folder.glob(f"*{STORE_SUFFIX}")):
            raise LibraryError(
                Notice("the library index {path} is missing; {hint}", path=self.index, hint=repair_hint(self.folder))
            )

    def _by_source(self, sha: str) -> Package | None:
        if sha == shipped_package().source_sha256:
            return shipped_package()
        if not os.path.lexists(self.index):
            self._no_index_but_stores()
            return None
        with self._reading() as db:
            row = db.execute(f"SELECT {', '.join(_COLUMNS)} FROM packages WHERE source_sha256 = ?", (sha,)).fetchone()
        return self._package(row) if row else None

    def _check_free(self, name: str, db: sqlite3.Connection | None = None, rebuildable: bool = False) -> None:
        """A name another document has (or that differs from one only by case) is refused,
        naming the ways out. ``rebuildable``: an unreadable store of exactly this name (its
        document unknown since --repair) is not refused here: adding rebuilds it."""
        query = "SELECT name, source_sha256 FROM packages"
        if db is not None:
            rows = db.execute(query).fetchall()
        elif os.path.lexists(self.index):
            with self._reading() as reading:
                rows = reading.execute(query).fetchall()
        else:
            rows = []
        for taken, sha in rows:
            if taken.casefold() != name.casefold() or (rebuildable and taken == name and not sha):
                continue
            raise LibraryError(
                Notice(
                    "the library has another document named {name}: choose another name with --name, "
                    "or remove it first (hzpolicy-tui remove {name})",
                    name=taken,
                )
            )

    def _package(self, row: tuple[Any, ...]) -> Package:
        r = dict(zip(_COLUMNS, row, strict=True))
        path = self.folder / r["file"]
        problem = _file_problem(path, r["size"])
        if problem is None and r["problem"]:  # a store --repair could not read
            problem = Notice("its store {path} cannot be read", path=path)
        return Package(
            name=r["name"],
            path=path,
            title=r["title"],
            title_simplified=r["title_simplified"],
            issuer=r["issuer"],
            number=r["number"],
            valid_from=r["valid_from"],
            valid_to=r["valid_to"],
            domains=r["domains"],
            clauses=r["clauses"],
            source_sha256=r["source_sha256"],
            rules=r["rules"],
            shipped=False,
            source_script=r["source_script"],
            problem=problem,
        )

    def _damaged(self, why: object) -> LibraryError:
        return IndexDamaged(
            Notice(
                "the library index {path} is damaged ({why}); {hint}",
                path=self.index,
                why=why,
                hint=repair_hint(self.folder),
            )
        )

    def _failed(self, exc: sqlite3.Error, writing: bool) -> LibraryError:
        """An SQLite failure in the reader's words: damage (with its cure), or what stopped
        the read or the write, naming the file."""
        code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
        if code in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT) or "no such table" in str(exc):
            return self._damaged(sqlite_reason(exc))
        why = sqlite_reason(exc, self.index)
        if writing:
            return self._cannot_write(why)
        return LibraryError(Notice("cannot read {path}: {why}", path=self.index, why=why))

    def _cannot_write(self, why: Notice) -> LibraryError:
        if why.message in (_FULL, _QUOTA) or disk_full(self.folder):
            return LibraryError(
                Notice(
                    "cannot change the library in {path}: the disk is full; the library was not changed. "
                    "Free some space and try again",
                    path=self.folder,
                )
            )
        return LibraryError(
            Notice(
                "cannot change the library in {path} ({why}); the library was not changed. "
                "Make the folder and the files in it writable (chmod u+w) and try again",
                path=self.folder,
                why=why,
            )
        )

    def _connect(self, writing: bool) -> sqlite3.Connection:
        """The index: read-write to change it (the lock held), else read-write where it can
        be (so a journal left by a killed writer is rolled back), read-only where not."""
        if not self.index.is_file():
            raise self._damaged(Notice("it is not a regular file"))
        if file_head(self.index) != SQLITE_HEADER:
            raise self._damaged(Notice("it is not an SQLite database"))
        writable = os.access(self.folder, os.W_OK) and os.access(self.index, os.W_OK)
        if writing and not writable:
            raise self._cannot_write(Notice(_READ_ONLY))
        db: sqlite3.Connection | None = None
        try:
            db = self._open_index(writing, writable)
            self._check_schema(db)
        except _IndexDamage as exc:
            if db is not None:
                db.close()
            raise self._damaged(exc.args[0]) from None
        except sqlite3.Error as exc:
            if db is not None:
                db.close()
            fallback = read_only_connection(self.index) if not writing and writable else None
            if fallback is None:  # else a full disk, an odd lock: it is read as it is on disk
                raise self._failed(exc, writing) from None
            return fallback
        except BaseException:
            if db is not None:
                db.close()
            raise
        return db

    def _open_index(self, writing: bool, writable: bool) -> sqlite3.Connection:
        if not writable:
            db = read_only_connection(self.index)
            if db is None:
                raise LibraryError(
                    Notice(
                        "cannot read {path}: its folder cannot be written, and SQLite needs to write there to "
                        "read it; make {folder} writable (chmod u+w) and try again",
                        path=self.index,
                        folder=self.folder,
                    )
                )
            return db
        uri = self.index.resolve().as_uri() + "?mode=rw"
        db = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            if writing:
                db.execute("PRAGMA synchronous=FULL")
                with suppress(sqlite3.OperationalError):  # an index of earlier versions was in WAL mode
                    db.execute("PRAGMA journal_mode=DELETE")
        except BaseException:
            db.close()
            raise
        return db

    def _check_schema(self, db: sqlite3.Connection) -> None:
        """The index is this version's; a newer one is left alone, anything else is damage."""
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > INDEX_VERSION:
            raise LibraryError(
                Notice(
                    "the library index {path} was written by a newer hzpolicy-tui (version {version}); "
                    "upgrade hzpolicy-tui to use it",
                    path=self.index,
                    version=version,
                )
            )
        if version == 0:
            raise _IndexDamage(Notice("its table of packages is missing"))
        columns = tuple(r[1] for r in db.execute("PRAGMA table_info(packages)"))
        if columns != _COLUMNS:
            raise _IndexDamage(Notice("its table of packages is not the one this version writes"))

    def _new_index(self, rows: list[tuple[Any, ...]]) -> Path:
        """A new index holding ``rows``, built in a temporary file of the folder (renamed into
        place by the caller); a failure leaves nothing behind."""
        new = self.folder / f".index-new-{os.getpid()}-{os.urandom(4).hex()}.sqlite3"
        try:
            db = sqlite3.connect(new, isolation_level=None)
            try:
                db.execute("PRAGMA journal_mode=DELETE")
                db.execute("BEGIN")
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        db.execute(statement)
                insert = (
                    f"INSERT OR IGNORE INTO packages ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"
                )
                db.executemany(insert, rows)
                db.execute(f"PRAGMA user_version={INDEX_VERSION}")
                db.execute("COMMIT")
            finally:
                db.close()
            with open(new, "rb") as fh:
                os.fsync(fh.fileno())
        except (sqlite3.Error, OSError) as exc:
            for leftover in (new, Path(f"{new}-journal")):
                leftover.unlink(missing_ok=True)
            why = sqlite_reason(exc, new) if isinstance(exc, sqlite3.Error) else os_reason(exc)
            raise self._cannot_write(why) from None
        return new

    def _check_index(self) -> None:
        if os.path.lexists(self.index):
            with self._reading() as db:
                check = db.execute("PRAGMA quick_check").fetchone()[0]
                if check != "ok":
                    raise self._damaged(Notice("its content is damaged"))

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        db = self._connect(writing=False)
        try:
            yield db
        except sqlite3.Error as exc:
            raise self._failed(exc, writing=False) from None
        finally:
            db.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction (the caller holds :meth:`_locked`); a new library's index is made
        first, whole, in a temporary file, so no reader ever sees it half made."""
        if not os.path.lexists(self.index):
            self._no_index_but_stores()
            os.replace(self._new_index([]), self.index)
        db = self._connect(writing=True)
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                with suppress(sqlite3.Error):
                    db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise self._failed(exc, writing=True) from None
        finally:
            db.close()

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """The library's lock, held by every change: adds, removes and repairs take turns."""
        try:
            fd = os.open(self.folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise self._cannot_write(os_reason(exc)) from None
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def _clean_stale(self) -> None:
        """Remove what killed adds and repairs left behind: their temporary files, when the
        process that made them is gone (or they are more than an hour old)."""
        now = time.time()
        for path in self.folder.iterdir():
            found = _TEMPORARY.match(path.name)
            if found is None:
                continue
            try:
                if _running(int(found.group(1))) and now - path.lstat().st_mtime < STALE_AFTER_S:
                    continue
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path)
                else:
                    path.unlink()
            except OSError:
                continue  # gone already, or not ours to remove

    def _prepare_folder(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except FileExistsError:
            raise LibraryError(
                Notice("cannot make the library folder {path}: a file of that name is in the way", path=self.folder)
            ) from None
        except OSError as exc:
            raise LibraryError(
                Notice("cannot make the library folder {path}: {why}", path=self.folder, why=os_reason(exc))
            ) from None


# --- Opening a package by name or path ------------------------------------------------------------


def looks_like_a_path(text: str) -> bool:
    return "/" in text or os.sep in text or text.endswith(STORE_SUFFIX) or text.startswith(".")


def resolve_store(name_or_path: str | None, library: Library | None = None) -> tuple[Package | None, Path]:
    """What ``--store NAME_OR_PATH`` names: a library package (the shipped one included)
    first, else a store file. None: the shipped package. The Package is None for a store
    file that is not one of the library's."""
    if name_or_path is None or name_or_path == SHIPPED_PACKAGE:
        package = shipped_package()
        return package, package.path
    if not name_or_path.strip():
        raise LibraryError(
            Notice("the package name is empty: give a package's name (see: hzpolicy-tui library) or a store file")
        )
    library = library or Library()
    try:
        return _resolve(name_or_path, library)
    except LibraryError:
        if Path(name_or_path).is_file():  # the library is damaged, the file is still a file
            return None, Path(name_or_path)
        raise


def _resolve(name_or_path: str, library: Library) -> tuple[Package | None, Path]:
    key = name_key(name_or_path)
    packages = library.packages()
    for package in packages:
        if package.name == key:
            return package, package.path
    path = Path(name_or_path).expanduser()
    if path.exists() or looks_like_a_path(name_or_path):
        return library.find_path(path), path
    raise LibraryError(
        Notice(
            "no package or store file named {name}; packages: {names}",
            name=repr(name_or_path),
            names=", ".join(p.name for p in packages),
        )
    )


def open_document(name_or_path: str | None, library: Library | None = None) -> tuple[Package | None, Document]:
    """The document ``--store NAME_OR_PATH`` names, and its package (None: a store file that
    is not in the library)."""
    if name_or_path is not None and not name_or_path.strip():
        resolve_store(name_or_path, library)  # says the name is empty
    if name_or_path is None or name_or_path == SHIPPED_PACKAGE:  # its summary from the document read
        path = default_store()
        doc = load_store(path)
        return _shipped_from(doc, path), doc
    library = library or Library()
    package, path = resolve_store(name_or_path, library)
    if package is not None:
        return package, library.open(package)
    return None, load_store(path)


def data_key(package: Package | None, path: Path | None = None) -> str:
    """What the reader's bookmarks and notes on a document are kept under:

    - the shipped package: its name (``hangzhou-2024``, as before there was a library);
    - a package the reader added: its name and its document, ``NAME@`` and the first 16 hex
      digits of its source's SHA-256. A note is about a clause of one document: removed and
      added again, the same document gets its bookmarks and notes back; a different
      document added later under the same name starts with none;
    - a store file outside the library: ``path:`` and the file's full path (so they never
      mix with a package's)."""
    if package is not None:
        if package.shipped:
            return package.name
        return f"{package.name}@{package.source_sha256[:16]}"
    if path is None:
        return SHIPPED_PACKAGE
    try:
        return "path:" + str(Path(path).resolve())
    except OSError:
        return "path:" + os.path.abspath(path)


# --- Helpers ---------------------------------------------------------------------------------------


def _read_source(source: Path) -> bytes:
    shown = shown_path(source)
    try:
        if not source.is_file():
            if not source.exists():
                raise LibraryError(Notice("source document not found: {path}", path=shown))
            raise LibraryError(
                Notice("source document {path} is not a regular file (a folder, a pipe or a device)", path=shown)
            )
        return source.read_bytes()
    except OSError as exc:
        raise LibraryError(Notice("cannot read {path}: {problem}", path=shown, problem=os_reason(exc))) from None


def _build(source: Path, out: Path, folder: Path) -> Document:
    """Build the store, every failure a :class:`LibraryError` as ``build`` words it. A file
    name that is not UTF-8 (GBK, from a Chinese Windows zip) is read through a link of a
    printable name (the store records the name it was built from)."""
    from .insights import AliasError
    from .parser import ParseError
    from .rules import RuleError
    from .store import build_store

    link_dir = None
    built_from = source
    if shown_path(source.name) != source.name:
        link_dir = out.with_name(out.stem + ".src")
        link_dir.mkdir()
        built_from = link_dir / shown_path(source.name)
        built_from.symlink_to(Path(os.path.abspath(source)))
    try:
        return build_store(built_from, out)
    except (ParseError, RuleError, AliasError) as exc:
        raise LibraryError(
            Notice("{file}: {problem}; the library was not changed", file=shown_path(source), problem=exc.notice)
        ) from None
    except OSError as exc:
        problem = os_reason(exc)
        if problem.message == _FULL or disk_full(folder):
            raise LibraryError(
                Notice(
                    "cannot add {path}: the disk holding the library ({folder}) is full; the library was not "
                    "changed. Free some space and try again",
                    path=shown_path(source),
                    folder=folder,
                )
            ) from None
        raise LibraryError(
            Notice(
                "cannot add {path}: {problem}; the library was not changed", path=shown_path(source), problem=problem
            )
        ) from None
    finally:
        if link_dir is not None:
            shutil.rmtree(link_dir, ignore_errors=True)


def _running(pid: int) -> bool:
    """Whether a process of this id is running (ours counts)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's: running
        return True
    return True


def _row(name: str, file: str, doc: Document, source_name: str, size: int) -> tuple[Any, ...]:
    return (
        name,
        file,
        doc.title,
        doc.title_simplified,
        doc.issuer,
        doc.number,
        doc.valid_from,
        doc.valid_to,
        len(doc.domains),
        len(doc.clauses),
        doc.source_sha256,
        len(doc.rules),
        doc.source_script,
        source_name,
        size,
        None,
    )


def _source_name(path: Path) -> str:
    """The name of the document a store was built from, as its meta table says."""
    try:
        meta = json.loads(path.read_bytes())["meta"]
        return str(next(iter(meta.values()))["source_name"])
    except (OSError, ValueError, KeyError, TypeError, StopIteration):
        return ""


def _file_problem(path: Path, size: int) -> Notice | None:
    """What a look at the store file (no reading) shows is wrong with it."""
    try:
        actual = path.stat().st_size
    except FileNotFoundError:
        return Notice("its store {path} is missing", path=path)
    except OSError as exc:
        return Notice("cannot read {path}: {problem}", path=path, problem=os_reason(exc))
    if size >= 0 and actual != size:
        return Notice("its store {path} was changed after it was added", path=path)
    return None


def _problem_of(notice: Notice) -> Notice:
    """The problem a store's error states, without its own rebuild hint."""
    problem = notice.params.get("problem") if isinstance(notice, Notice) else None
    return problem if isinstance(problem, Notice) else notice


def _store_problem(package: Package, problem: Notice) -> Notice:
    return Notice(
        "package {name} cannot be opened: its store {path} is damaged or missing ({problem}); {hint}",
        name=package.name,
        problem=problem,
        path=package.path,
        hint=package_hint(package.name),
    )


def _aside(path: Path, why: str) -> Path:
    """Move a damaged index out of the way (never delete it), with its WAL; where it went."""
    n = 1
    while (aside := path.with_name(f"{path.name}.{why}-{n}")).exists():
        n += 1
    for suffix in ("-wal", "-shm", "-journal"):  # first: they must never meet the new index
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            os.replace(companion, aside.with_name(aside.name + suffix))
    os.replace(path, aside)
    return aside


__all__ = [
    "INDEX_NAME",
    "LIBRARY_DIR",
    "IndexDamaged",
    "Library",
    "LibraryError",
    "Package",
    "Repaired",
    "check_name",
    "data_key",
    "name_key",
    "open_document",
    "resolve_store",
    "shipped_package",
]
