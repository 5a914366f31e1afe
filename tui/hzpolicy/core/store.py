"""The TinyDB store: written once from the document by the build, read (never written) by the app.

The only module that imports TinyDB. The written file is deterministic: same source, same
bytes (no timestamps, insertion order fixed, UTF-8, ``ensure_ascii=False``). It is written
to a temporary file beside the target and renamed into place, so a failed build never
leaves a partial store behind.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import replace
from pathlib import Path

from tinydb import TinyDB
from tinydb.middlewares import CachingMiddleware
from tinydb.storages import JSONStorage, Storage
from tinydb.table import Table

from .models import Clause, Document, Domain
from .paths import default_aliases, default_rules
from .script import encode_alignment, search_key_aligned, simplified_aligned, to_simplified

SCHEMA_VERSION = 1
GENERATOR = "hzpolicy-tui build"


class StoreError(RuntimeError):
    """A store that cannot be used: missing, unreadable, corrupted or from another version."""


def rebuild_hint(path: Path | str) -> str:
    return f"rebuild it with: hzpolicy-tui build SOURCE -o {path}"


# --- Preparing search and display fields --------------------------------------------------


def prepare(doc: Document) -> Document:
    """Add the Simplified text and the search keys, so the app converts nothing large."""
    clauses = []
    for c in doc.clauses:
        simp, simp_align = simplified_aligned(c.body)
        key, key_align = search_key_aligned(simp)
        clauses.append(
            replace(
                c,
                title_simplified=to_simplified(c.title),
                body_simplified=simp,
                units_simplified=tuple(to_simplified(u) for u in c.units),
                search_key=key,
                search_title_key=search_key_aligned(c.title)[0],
                search_units_key=" ".join(search_key_aligned(u)[0] for u in c.units),
                key_to_simp=tuple(tuple(r) for r in encode_alignment(key_align)),
                simp_to_body=tuple(tuple(r) for r in encode_alignment(simp_align)),
            )
        )
    domains = [
        replace(
            d,
            title_simplified=to_simplified(d.title),
            lead_agencies_simplified=tuple(to_simplified(a) for a in d.lead_agencies),
            intro_simplified=to_simplified(d.intro),
            targets_simplified=tuple(to_simplified(t) for t in d.targets),
        )
        for d in doc.domains
    ]
    return replace(
        doc,
        clauses=tuple(clauses),
        domains=tuple(domains),
        title_simplified=to_simplified(doc.title),
        preamble_simplified=to_simplified(doc.preamble),
        closing_simplified=tuple(to_simplified(p) for p in doc.closing),
        clause_index={},
    )


# --- Records ------------------------------------------------------------------------------

_CLAUSE_FIELDS = [
    "number",
    "domain",
    "title",
    "text",
    "body",
    "units",
    "money",
    "percentages",
    "line",
    "title_simplified",
    "body_simplified",
    "units_simplified",
    "search_key",
    "search_title_key",
    "search_units_key",
    "key_to_simp",
    "simp_to_body",
]
_DOMAIN_FIELDS = [
    "number",
    "title",
    "lead_agencies",
    "intro",
    "targets",
    "first_clause",
    "last_clause",
    "budget",
    "line",
    "title_simplified",
    "lead_agencies_simplified",
    "intro_simplified",
    "targets_simplified",
]
_DOC_FIELDS = [
    "title",
    "preamble",
    "closing",
    "published",
    "source_line",
    "valid_from",
    "valid_to",
    "total_budget",
    "title_simplified",
    "preamble_simplified",
    "closing_simplified",
    "source_sha256",
]


def _jsonable(value):
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    return value


def _record(obj, fields: list[str]) -> dict:
    rec = {f: _jsonable(getattr(obj, f)) for f in fields}
    if isinstance(obj, Clause):
        rec["numeral"] = obj.numeral
    if isinstance(obj, Domain):
        rec["numeral"] = obj.numeral
    return rec


def clause_record(c: Clause) -> dict:
    """The public fields of a clause (what ``show --json`` prints)."""
    rec = _record(c, _CLAUSE_FIELDS)
    for internal in ("search_key", "search_title_key", "search_units_key", "key_to_simp", "simp_to_body"):
        rec.pop(internal)
    return rec


def _tupled(value):
    if isinstance(value, list):
        return tuple(_tupled(v) for v in value)
    return value


def _from_record(cls, rec: dict, fields: list[str]):
    kwargs = {}
    for f in fields:
        v = rec[f]
        if f in ("money", "percentages"):
            v = tuple(v)
        else:
            v = _tupled(v)
        kwargs[f] = v
    return cls(**kwargs)


# --- Writing ------------------------------------------------------------------------------


def build_store(source: Path, out: Path, rules: Path | None = None) -> Document:
    """Parse ``source`` and write the store to ``out`` atomically; return the document.

    Calculator rules come from ``rules`` (checked against the document: a bad rule fails the
    build, naming it) or, by default, from the shipped rules file when it was written for
    this very document (same SHA-256); another document builds without rules."""
    # Only the build needs these; the app, which only reads stores, starts without them.
    from .insights import check_aliases, load_aliases
    from .parser import parse
    from .rules import load_rules

    data = Path(source).read_bytes()
    doc = prepare(parse(data, name=str(source)))
    rules_path = Path(rules) if rules else default_rules()
    if rules_path.is_file():
        written_for = load_rules(rules_path, None)["document_sha256"]
        if rules or written_for == doc.source_sha256:
            loaded = load_rules(rules_path, doc)  # now every quote is checked against the text
            doc = replace(
                doc,
                rules=tuple(loaded["rules"]),
                not_calculable=tuple(sorted(loaded["not_calculable"].items())),
                clause_index={},
            )
    elif rules:
        raise FileNotFoundError(f"rules file not found: {rules}")
    aliases_path = default_aliases()
    if aliases_path.is_file():
        aliases = load_aliases(aliases_path)
        try:
            check_aliases(aliases, doc)
        except ValueError:
            aliases = ()  # written for another document
        doc = replace(doc, agency_aliases=aliases, clause_index={})
    write_store(doc, out, source_name=Path(source).name)
    return doc


def write_store(doc: Document, out: Path, source_name: str) -> None:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    try:
        db = TinyDB(tmp, storage=JSONStorage, ensure_ascii=False, indent=1, encoding="utf-8")
        money = sum(len(c.money) for c in doc.clauses)
        pct = sum(len(c.percentages) for c in doc.clauses)
        db.table("meta").insert(
            {
                "schema_version": SCHEMA_VERSION,
                "generator": GENERATOR,
                "source_name": source_name,
                "source_sha256": doc.source_sha256,
                "counts": {
                    "domains": len(doc.domains),
                    "clauses": len(doc.clauses),
                    "money": money,
                    "percentages": pct,
                    "rules": len(doc.rules),
                },
            }
        )
        db.table("document").insert({f: _jsonable(getattr(doc, f)) for f in _DOC_FIELDS})
        db.table("domains").insert_multiple(_record(d, _DOMAIN_FIELDS) for d in doc.domains)
        db.table("clauses").insert_multiple(_record(c, _CLAUSE_FIELDS) for c in doc.clauses)
        db.table("rules").insert_multiple(doc.rules)
        db.table("not_calculable").insert_multiple({"clause": n, "reason": r} for n, r in doc.not_calculable)
        db.table("agency_aliases").insert_multiple(doc.agency_aliases)
        db.close()
        with open(tmp, "a", encoding="utf-8") as fh:
            fh.write("\n")
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a store is for everyone to read
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- Reading ------------------------------------------------------------------------------


def load_store(path: Path | str) -> Document:
    """Read a store; any problem is a :class:`StoreError` naming the file and the fix."""
    path = Path(path)
    if not path.exists():
        raise StoreError(f"store not found: {path}; {rebuild_hint(path)}")
    if path.is_dir():
        raise StoreError(f"store {path} is a directory, not a file")
    try:
        # Read-only: the app never writes the shipped store.
        # Cached: without it TinyDB parses the whole file again for every table it reads.
        db = TinyDB(path, storage=CachingMiddleware(JSONStorage), access_mode="r", encoding="utf-8")
    except OSError as exc:
        raise StoreError(f"cannot read store {path}: {exc.strerror or exc}") from None
    try:
        try:
            tables = {
                name: db.table(name).all()
                for name in ("meta", "document", "domains", "clauses", "rules", "not_calculable", "agency_aliases")
            }
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise StoreError(f"store {path} is corrupted (not valid JSON: {exc}); {rebuild_hint(path)}") from None
        except (AttributeError, TypeError, ValueError) as exc:
            raise StoreError(f"store {path} is corrupted ({exc}); {rebuild_hint(path)}") from None
    finally:
        db.close()
    if not tables["meta"]:
        raise StoreError(f"store {path} has no meta table: it is not an hzpolicy store; {rebuild_hint(path)}")
    meta = tables["meta"][0]
    version = meta.get("schema_version")
    if version != SCHEMA_VERSION:
        raise StoreError(
            f"store {path} has schema version {version!r}, this hzpolicy-tui reads version "
            f"{SCHEMA_VERSION}; {rebuild_hint(path)}"
        )
    try:
        domains = tuple(_from_record(Domain, r, _DOMAIN_FIELDS) for r in tables["domains"])
        clauses = tuple(_from_record(Clause, r, _CLAUSE_FIELDS) for r in tables["clauses"])
        drec = tables["document"][0]
        doc = Document(
            **{f: _tupled(drec[f]) for f in _DOC_FIELDS},
            domains=domains,
            clauses=clauses,
            rules=tuple(dict(r) for r in tables["rules"]),
            not_calculable=tuple((r["clause"], r["reason"]) for r in tables["not_calculable"]),
            agency_aliases=tuple(
                {"name": r["name"], "aliases": list(r["aliases"]), "note": r.get("note", "")}
                for r in tables["agency_aliases"]
            ),
        )
    except (KeyError, IndexError, TypeError) as exc:
        raise StoreError(f"store {path} is corrupted (missing field {exc}); {rebuild_hint(path)}") from None
    counts = meta.get("counts", {})
    if counts.get("clauses") != len(clauses) or counts.get("domains") != len(domains):
        raise StoreError(f"store {path} is corrupted (its counts do not match its records); {rebuild_hint(path)}")
    return doc


# --- The user's own store (settings; later bookmarks, notes, profiles) ----------------------


class AtomicJSONStorage(Storage):
    """TinyDB storage that never leaves a half-written file: write a temp file, then rename."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def read(self):
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        if not raw.strip():
            return None
        data = json.loads(raw)
        if not isinstance(data, dict):
            raise ValueError("top level is not a JSON object")
        return data

    def write(self, data) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, ensure_ascii=False, indent=1, sort_keys=True)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def close(self) -> None:
        pass


def open_user_db(path: Path) -> tuple[TinyDB, str | None]:
    """Open the user's store; a corrupted one is moved aside (never emptied) with a message."""
    warning = None
    storage_probe = AtomicJSONStorage(path)
    try:
        storage_probe.read()
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError) as exc:
        stamp = 1
        aside = path.with_name(f"{path.name}.corrupt-{stamp}")
        while aside.exists():
            stamp += 1
            aside = path.with_name(f"{path.name}.corrupt-{stamp}")
        os.replace(path, aside)
        warning = f"your data file {path} was damaged ({exc}); it was moved to {aside} and a new one started"
    return TinyDB(path, storage=AtomicJSONStorage), warning


def fresh_table(db: TinyDB, name: str) -> Table:
    """A table object that knows nothing from earlier reads. TinyDB caches the next document
    id per Table object; with two instances of the app writing one file (under a lock), a
    cached id collides with the other's insert, so every write starts from a fresh view."""
    return Table(db.storage, name, cache_size=0)
