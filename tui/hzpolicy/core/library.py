"""The reader's library of policy packages: the shipped one, and every document they added.

The library lives beside the user's data (``data_dir() / "library"``). Each package added is
a store file built by :func:`.store.build_store`, named after the package (``NAME.json``); an
SQLite index (``index.sqlite3``: WAL, a busy timeout, one transaction per change, a
``user_version`` schema) holds each package's summary (:class:`Package`), so listing the
packages never reads a store: start-up costs the same with ten packages as with one.

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
import sqlite3
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from .files import SQLITE_HEADER, file_head, os_reason
from .i18n import Notice
from .models import Document, Script, validity_status
from .paths import SHIPPED_PACKAGE, default_store
from .store import StoreError, load_store

LIBRARY_DIR = "library"
INDEX_NAME = "index.sqlite3"
INDEX_VERSION = 1
STORE_SUFFIX = ".json"
MAX_NAME = 60
BUSY_TIMEOUT_S = 10.0

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


def check_name(name: str) -> str:
    """A package name as the reader gave it (NFC), or a :class:`LibraryError` saying why it
    cannot be one. Chinese is welcome; what cannot be a file name is not."""
    name = unicodedata.normalize("NFC", name.strip())
    if not name:
        raise LibraryError(Notice("a package needs a name"))
    if len(name) > MAX_NAME:
        raise LibraryError(
            Notice("the package name {name} is longer than {limit} characters", name=repr(name), limit=MAX_NAME)
        )
    if "/" in name or "\\" in name:
        raise LibraryError(Notice("a package name cannot hold / or \\: {name}", name=repr(name)))
    if name.startswith("."):
        raise LibraryError(Notice("a package name cannot start with a dot: {name}", name=repr(name)))
    if any(not ch.isprintable() for ch in name):
        raise LibraryError(Notice("a package name cannot hold control characters: {name}", name=repr(name)))
    if name.casefold() == SHIPPED_PACKAGE.casefold():
        raise LibraryError(
            Notice("{name} is the shipped package's name: choose another with --name", name=SHIPPED_PACKAGE)
        )
    return name


def default_name(source: Path) -> str:
    """The name a document gets without ``--name``: its file name without the extension."""
    return unicodedata.normalize("NFC", Path(source).stem)


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
        """A package by name; a :class:`LibraryError` naming the packages there are."""
        if name == SHIPPED_PACKAGE:
            return shipped_package()
        key = unicodedata.normalize("NFC", name)
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
        if package.shipped:
            return load_store(package.path)
        if not package.path.exists():
            raise StoreError(_store_problem(package, Notice("the file is not there")))
        try:
            return load_store(package.path)
        except StoreError as exc:
            raise StoreError(_store_problem(package, _problem_of(exc.notice))) from None

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
        Returns the package and whether it was added: False when the same document (same
        source SHA-256) is there already, under the name returned; nothing changed. A name
        taken by another document, or a document that cannot be read, is a
        :class:`LibraryError`, and the library is as it was."""
        source = Path(source)
        name = check_name(name if name is not None else default_name(source))
        # The bytes' SHA-256 is the document's when it has no byte-order mark: most files
        # added twice are found without a build; the others are, under the lock, after it.
        there = self._by_source(hashlib.sha256(_read_source(source)).hexdigest())
        if there is not None:
            return there, False
        self._check_free(name)
        self._prepare_folder()
        tmp = self.folder / f".adding-{os.getpid()}-{os.urandom(8).hex()}{STORE_SUFFIX}"
        target = self.folder / (name + STORE_SUFFIX)
        moved = False
        try:
            doc = _build(source, tmp)
            with self._write() as db:
                # Looked at again under the write lock: another process may have added it.
                query = f"SELECT {', '.join(_COLUMNS)} FROM packages WHERE source_sha256 = ?"
                found = db.execute(query, (doc.source_sha256,)).fetchone()
                if found is not None:
                    return self._package(found), False
                if doc.source_sha256 == shipped_package().source_sha256:
                    return shipped_package(), False
                self._check_free(name, db)
                if os.path.lexists(target):
                    raise LibraryError(
                        Notice(
                            "{path} is in the library folder but not in its index; {hint}",
                            path=target,
                            hint=repair_hint(self.folder),
                        )
                    )
                values = _row(name, target.name, doc, source.name, tmp.stat().st_size)
                db.execute(
                    f"INSERT INTO packages ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})", values
                )
                os.replace(tmp, target)
                moved = True
        except BaseException:
            if moved:  # the index did not take it (its COMMIT failed): neither does the folder
                os.replace(target, tmp)
            raise
        finally:
            tmp.unlink(missing_ok=True)
        return self._package(values), True

    def remove(self, name: str) -> Package:
        """Remove a package the reader added (its store file too); the shipped one is
        refused."""
        if unicodedata.normalize("NFC", name).casefold() == SHIPPED_PACKAGE.casefold():
            raise LibraryError(
                Notice("{name} is the shipped package: it is read-only and cannot be removed", name=SHIPPED_PACKAGE)
            )
        package = self.get(name)
        with self._write() as db:
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
        """Rebuild the index from the store files in the folder. A damaged index is moved
        aside first (never deleted; :attr:`Repaired.aside` says where); a healthy one is
        rebuilt in place. A store that cannot be read is kept and listed, marked."""
        if not self.folder.is_dir():
            return Repaired(None, (), ())
        aside = None
        try:
            self._check_index()
        except LibraryError:
            aside = _aside(self.index, "damaged")
        indexed: list[str] = []
        damaged: list[tuple[str, Notice]] = []
        rows = []
        for path in sorted(self.folder.glob(f"*{STORE_SUFFIX}")):
            if path.name.startswith(".") or not path.is_file():
                continue
            name = unicodedata.normalize("NFC", path.stem)
            try:
                doc = load_store(path)
            except StoreError as exc:
                problem = _problem_of(exc.notice)
                damaged.append((name, problem))
                rows.append(
                    (name, path.name, "", "", None, None, None, None, 0, 0, "", 0, "traditional", "", -1, "unreadable")
                )
                continue
            meta_name = _source_name(path)
            rows.append(_row(name, path.name, doc, meta_name, path.stat().st_size))
            indexed.append(name)
        self._prepare_folder()
        with self._write() as db:
            db.execute("DELETE FROM packages")
            db.executemany(
                f"INSERT OR IGNORE INTO packages ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
                rows,
            )
        return Repaired(aside, tuple(indexed), tuple(damaged))

    # -- the index ------------------------------------------------------------------------------

    def _indexed(self) -> list[Package]:
        if not self.index.exists():
            self._no_index_but_stores()
            return []
        with self._reading() as db:
            rows = db.execute(f"SELECT {', '.join(_COLUMNS)} FROM packages ORDER BY name").fetchall()
        return [self._package(r) for r in rows]

    def _no_index_but_stores(self) -> None:
        """No index, yet store files in the folder: the index was lost, not never made."""
        if not self.folder.is_dir():
            return
        if any(not p.name.startswith(".") for p in self.folder.glob(f"*{STORE_SUFFIX}")):
            raise LibraryError(
                Notice("the library index {path} is missing; {hint}", path=self.index, hint=repair_hint(self.folder))
            )

    def _by_source(self, sha: str) -> Package | None:
        if sha == shipped_package().source_sha256:
            return shipped_package()
        if not self.index.exists():
            self._no_index_but_stores()
            return None
        with self._reading() as db:
            row = db.execute(f"SELECT {', '.join(_COLUMNS)} FROM packages WHERE source_sha256 = ?", (sha,)).fetchone()
        return self._package(row) if row else None

    def _check_free(self, name: str, db: sqlite3.Connection | None = None) -> None:
        """A name another document has is refused, naming the ways out."""
        query = "SELECT name FROM packages WHERE lower(name) = lower(?)"
        if db is not None:
            row = db.execute(query, (name,)).fetchone()
        elif self.index.exists():
            with self._reading() as reading:
                row = reading.execute(query, (name,)).fetchone()
        else:
            row = None
        if row is not None:
            raise LibraryError(
                Notice(
                    "the library has another document named {name}: choose another name with --name, "
                    "or remove it first (hzpolicy-tui remove {name})",
                    name=row[0],
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
        return LibraryError(
            Notice(
                "the library index {path} is damaged ({why}); {hint}",
                path=self.index,
                why=why,
                hint=repair_hint(self.folder),
            )
        )

    def _connect(self, create: bool) -> sqlite3.Connection:
        if self.index.exists() and not self.index.is_file():
            raise self._damaged(Notice("it is not a regular file"))
        if file_head(self.index) not in (b"", SQLITE_HEADER):
            raise self._damaged(Notice("it is not an SQLite database"))
        uri = self.index.resolve().as_uri() + ("?mode=rwc" if create else "?mode=rw")
        try:
            db = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as exc:
            raise LibraryError(Notice("cannot open {path}: {why}", path=self.index, why=str(exc))) from None
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            self._check_schema(db, create)
        except _IndexDamage as exc:
            db.close()
            raise self._damaged(exc.args[0]) from None
        except sqlite3.DatabaseError as exc:
            db.close()
            code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
            if code in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
                raise self._damaged(str(exc)) from None
            raise LibraryError(Notice("cannot read {path}: {why}", path=self.index, why=str(exc))) from None
        except BaseException:
            db.close()
            raise
        return db

    def _check_schema(self, db: sqlite3.Connection, create: bool) -> None:
        """The index is this version's (created here when new and ``create``); a newer one is
        left alone, anything else is damage."""
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version == 0 and create:
            db.execute("BEGIN IMMEDIATE")  # two first adders: one creates, the other sees it made
            try:
                version = db.execute("PRAGMA user_version").fetchone()[0]
                if version == 0:
                    self._check_empty(db)
                    for statement in _SCHEMA.split(";"):
                        if statement.strip():
                            db.execute(statement)
                    db.execute(f"PRAGMA user_version={INDEX_VERSION}")
                    version = INDEX_VERSION
            except BaseException:
                with suppress(sqlite3.Error):
                    db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
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
            self._check_empty(db)
            return
        columns = tuple(r[1] for r in db.execute("PRAGMA table_info(packages)"))
        if columns != _COLUMNS:
            raise _IndexDamage(Notice("its table of packages is not the one this version writes"))

    @staticmethod
    def _check_empty(db: sqlite3.Connection) -> None:
        if db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise _IndexDamage(Notice("it holds tables that are not a library index"))

    def _check_index(self) -> None:
        if self.index.exists():
            with self._reading() as db:
                check = db.execute("PRAGMA quick_check").fetchone()[0]
                if check != "ok":
                    raise self._damaged(check)

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        db = self._connect(create=False)
        try:
            yield db
        except sqlite3.DatabaseError as exc:
            raise self._damaged(str(exc)) from None
        finally:
            db.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction, the write lock taken at once (two adders take turns)."""
        db = self._connect(create=True)
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
            raise LibraryError(Notice("could not change {path}: {why}", path=self.index, why=str(exc))) from None
        finally:
            db.close()

    def _prepare_folder(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
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
    library = library or Library()
    try:
        return _resolve(name_or_path, library)
    except LibraryError:
        if Path(name_or_path).is_file():  # the library is damaged, the file is still a file
            return None, Path(name_or_path)
        raise


def _resolve(name_or_path: str, library: Library) -> tuple[Package | None, Path]:
    key = unicodedata.normalize("NFC", name_or_path)
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
    if name_or_path is None or name_or_path == SHIPPED_PACKAGE:  # its summary from the document read
        path = default_store()
        doc = load_store(path)
        return _shipped_from(doc, path), doc
    library = library or Library()
    package, path = resolve_store(name_or_path, library)
    if package is not None:
        return package, library.open(package)
    return None, load_store(path)


def data_key(package: Package | None, path: Path) -> str:
    """What the reader's bookmarks and notes on a document are kept under: its package's
    name, or for a store file outside the library ``path:`` and the file's full path (so
    they never mix with a package's)."""
    if package is not None:
        return package.name
    try:
        return "path:" + str(Path(path).resolve())
    except OSError:
        return "path:" + os.path.abspath(path)


# --- Helpers ---------------------------------------------------------------------------------------


def _read_source(source: Path) -> bytes:
    try:
        if not source.is_file():
            if not source.exists():
                raise LibraryError(Notice("source document not found: {path}", path=source))
            raise LibraryError(
                Notice("source document {path} is not a regular file (a folder, a pipe or a device)", path=source)
            )
        return source.read_bytes()
    except OSError as exc:
        raise LibraryError(Notice("cannot read {path}: {problem}", path=source, problem=os_reason(exc))) from None


def _build(source: Path, out: Path) -> Document:
    """Build the store, every failure a :class:`LibraryError` as ``build`` words it."""
    from .insights import AliasError
    from .parser import ParseError
    from .rules import RuleError
    from .store import build_store

    try:
        return build_store(source, out)
    except (ParseError, RuleError, AliasError) as exc:
        raise LibraryError(
            Notice("{file}: {problem}; the library was not changed", file=source, problem=exc.notice)
        ) from None
    except OSError as exc:
        raise LibraryError(
            Notice("cannot add {path}: {problem}; the library was not changed", path=source, problem=os_reason(exc))
        ) from None


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
    os.replace(path, aside)
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            os.replace(companion, aside.with_name(aside.name + suffix))
    return aside


__all__ = [
    "INDEX_NAME",
    "LIBRARY_DIR",
    "Library",
    "LibraryError",
    "Package",
    "Repaired",
    "check_name",
    "data_key",
    "open_document",
    "resolve_store",
    "shipped_package",
]
