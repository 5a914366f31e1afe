"""The TinyDB store: written once from the document by the build, read (never written) by the app.

The only module that imports TinyDB for the document. The written file is deterministic:
same source, same bytes (no timestamps, insertion order fixed, UTF-8,
``ensure_ascii=False``). It is written through :func:`.files.atomic_replace`, so a failed
build never leaves a partial store behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar, cast

from tinydb import TinyDB
from tinydb.middlewares import CachingMiddleware
from tinydb.storages import JSONStorage

from .badinput import as_notice, json_problem
from .files import atomic_replace, os_reason
from .i18n import Notice
from .models import AliasRecord, BudgetRecord, Clause, Document, Domain, MoneyRecord, PercentRecord, TotalRecord
from .paths import default_aliases, default_rules, default_store
from .script import encode_alignment, search_key_aligned, simplified_aligned, to_simplified, to_traditional
from .storecheck import CLAUSE_FIELDS, DOC_FIELDS, DOMAIN_FIELDS, StoreDamage, check_meta, check_tables

# 2: meta.content_sha256, and every table checked on load; 3: the issuer; 4: a rate's kind
# (percent, multiple, discount, ratio), 1分 as money, the role "replaced"; 5: the document
# number and source script, a clause's own period, a domain's partner agencies
SCHEMA_VERSION = 5
GENERATOR = "hzpolicy-tui build"
STORE_MODE = 0o644  # a store is for everyone to read
MAX_STORE_BYTES = 64 * 1024 * 1024  # a package is well under 1 MiB; anything this big is not one

# The checksum is the SHA-256 of the file's bytes with its own value written as zeros, so it
# covers every byte of every table (a flipped bit in a clause's text is found, not shown).
_CHECKSUM_KEY = b'"content_sha256": "'
_CHECKSUM_BLANK = b"0" * 64
_CHECKSUM_RE = re.compile(rb'"content_sha256": "([0-9a-f]{64})"')

_TABLES = ("meta", "document", "domains", "clauses", "rules", "not_calculable", "agency_aliases")


class StoreError(RuntimeError):
    """A store that cannot be used: missing, unreadable, corrupted or from another version.
    ``notice`` says so (:class:`.i18n.Notice`): English as a ``str``, in the reader's words
    by ``Locale.say``."""

    def __init__(self, message: str) -> None:
        self.notice: Notice = as_notice(message)
        super().__init__(self.notice)


def rebuild_hint(path: Path | str) -> Notice:
    return Notice("rebuild it with: hzpolicy-tui build SOURCE -o {path}", path=path)


def _damaged(path: Path, problem: Notice) -> StoreError:
    return StoreError(
        Notice("store {path} is damaged ({problem}); {hint}", path=path, problem=problem, hint=rebuild_hint(path))
    )


# --- Preparing search and display fields --------------------------------------------------

_F = TypeVar("_F", MoneyRecord, PercentRecord)


def _prepare_clause(c: Clause) -> Clause:
    simp, simp_align = simplified_aligned(c.body)
    key, key_align = search_key_aligned(simp)
    return replace(
        c,
        title_simplified=to_simplified(c.title),
        body_simplified=simp,
        units_simplified=tuple(to_simplified(u) for u in c.units),
        search_key=key,
        search_title_key=search_key_aligned(c.title)[0],
        search_units_key=" ".join(search_key_aligned(u)[0] for u in c.units),
        key_to_simp=encode_alignment(key_align),
        simp_to_body=encode_alignment(simp_align),
    )


def _prepare_domain(d: Domain) -> Domain:
    return replace(
        d,
        title_simplified=to_simplified(d.title),
        lead_agencies_simplified=tuple(to_simplified(a) for a in d.lead_agencies),
        partner_agencies_simplified=tuple(to_simplified(a) for a in d.partner_agencies),
        intro_simplified=to_simplified(d.intro),
        targets_simplified=tuple(to_simplified(t) for t in d.targets),
    )


def _traditional_figure(record: _F, line: str) -> _F:
    """A money figure or rate of a Simplified original, in Traditional characters: its text
    is the same span of the converted line (the conversion keeps every offset)."""
    out = dict(record)
    out["text"] = line[record["start"] : record["end"]]
    out["unit"] = to_traditional(record["unit"])
    out["context"] = to_traditional(record["context"])
    return cast(_F, out)


def _from_simplified_clause(c: Clause) -> Clause:
    """A clause of a Simplified original: the Simplified fields are the original as it is
    (no vocabulary changed), the plain ones its Traditional characters; the search keys are
    made from the original as for any Simplified text, aligned to it."""
    line = to_traditional(c.text)  # same length: the figures' offsets hold
    at = c.text.index(c.body)
    body = line[at : at + len(c.body)]
    key, key_align = search_key_aligned(c.body)
    return replace(
        c,
        title=body[: len(c.title)] if c.body.startswith(c.title) else to_traditional(c.title),
        text=line,
        body=body,
        units=tuple(to_traditional(u) for u in c.units),
        money=tuple(_traditional_figure(m, line) for m in c.money),
        percentages=tuple(_traditional_figure(p, line) for p in c.percentages),
        title_simplified=c.title,
        body_simplified=c.body,
        units_simplified=c.units,
        search_key=key,
        search_title_key=search_key_aligned(c.title)[0],
        search_units_key=" ".join(search_key_aligned(u)[0] for u in c.units),
        key_to_simp=encode_alignment(key_align),
        simp_to_body=encode_alignment(list(range(len(c.body)))),  # character for character
    )


def _from_simplified_domain(d: Domain) -> Domain:
    budget = d.budget
    if budget is not None:
        budget = BudgetRecord(
            text=to_traditional(budget["text"]), yuan=budget["yuan"], clause=budget["clause"], year=budget["year"]
        )
    return replace(
        d,
        title=to_traditional(d.title),
        lead_agencies=tuple(to_traditional(a) for a in d.lead_agencies),
        partner_agencies=tuple(to_traditional(a) for a in d.partner_agencies),
        intro=to_traditional(d.intro),
        targets=tuple(to_traditional(t) for t in d.targets),
        budget=budget,
        title_simplified=d.title,
        lead_agencies_simplified=d.lead_agencies,
        partner_agencies_simplified=d.partner_agencies,
        intro_simplified=d.intro,
        targets_simplified=d.targets,
    )


def _from_simplified(doc: Document) -> Document:
    """A Simplified original: its text as it is in the *_simplified fields, and in
    Traditional characters (OpenCC s2t, no vocabulary) in the plain ones."""
    total = doc.total_budget

    def trad(text: str | None) -> str | None:
        return None if text is None else to_traditional(text)

    return replace(
        doc,
        clauses=tuple(_from_simplified_clause(c) for c in doc.clauses),
        domains=tuple(_from_simplified_domain(d) for d in doc.domains),
        title=to_traditional(doc.title),
        preamble=to_traditional(doc.preamble),
        closing=tuple(to_traditional(p) for p in doc.closing),
        source_line=trad(doc.source_line),
        issuer=trad(doc.issuer),
        number=trad(doc.number),
        total_budget=(
            TotalRecord(text=to_traditional(total["text"]), yuan=total["yuan"], currency=total["currency"])
            if total
            else None
        ),
        title_simplified=doc.title,
        preamble_simplified=doc.preamble,
        closing_simplified=doc.closing,
    )


def prepare(doc: Document) -> Document:
    """Add the Simplified text and the search keys, so the app converts nothing large. A
    Traditional source (``source_script``) is converted to Simplified with mainland wording
    (:func:`.script.to_simplified`); a Simplified original is kept as it is for the
    Simplified fields and converted to Traditional characters for the plain ones."""
    if doc.source_script == "simplified":
        return _from_simplified(doc)
    return replace(
        doc,
        clauses=tuple(_prepare_clause(c) for c in doc.clauses),
        domains=tuple(_prepare_domain(d) for d in doc.domains),
        title_simplified=to_simplified(doc.title),
        preamble_simplified=to_simplified(doc.preamble),
        closing_simplified=tuple(to_simplified(p) for p in doc.closing),
    )


# --- Records ------------------------------------------------------------------------------
# A record holds a dataclass's fields in their declared order; the document's nested parts
# (domains, clauses, rules, …) are tables of their own.

_SEARCH_FIELDS = ("search_key", "search_title_key", "search_units_key", "key_to_simp", "simp_to_body")


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    return value


def _record(obj: Clause | Domain | Document, names: tuple[str, ...]) -> dict[str, Any]:
    rec = {f: _jsonable(getattr(obj, f)) for f in names}
    if isinstance(obj, Clause | Domain):
        rec["numeral"] = obj.numeral
    return rec


def clause_record(c: Clause) -> dict[str, Any]:
    """The public fields of a clause (what ``show --json`` prints)."""
    rec = _record(c, CLAUSE_FIELDS)
    for internal in _SEARCH_FIELDS:
        rec.pop(internal)
    return rec


def _tupled(value: Any) -> Any:
    """JSON lists back to tuples (the dataclasses are frozen); money records stay dicts."""
    if isinstance(value, list):
        return tuple(_tupled(v) for v in value)
    return value


_T = TypeVar("_T", Clause, Domain)


def _from_record(cls: type[_T], rec: dict[str, Any], names: tuple[str, ...]) -> _T:
    values: dict[str, Any] = {f: tuple(rec[f]) if f in ("money", "percentages") else _tupled(rec[f]) for f in names}
    return cls(**values)


# --- Writing ------------------------------------------------------------------------------


def _with_rules(doc: Document, rules: Path | None) -> Document:
    """The calculator rules from ``rules`` (every quote checked against the document: a bad
    rule fails the build, naming it) or, by default, from the shipped rules file when it was
    written for this very document (same SHA-256); another document gets no rules."""
    from .rules import RuleError, load_rules  # only the build needs it

    rules_path = Path(rules) if rules else default_rules()
    if not rules_path.is_file():
        if rules:
            raise RuleError(None, Notice("rules file not found: {path}", path=rules))
        return doc
    if not rules and load_rules(rules_path, None)["document_sha256"] != doc.source_sha256:
        return doc
    loaded = load_rules(rules_path, doc)
    return replace(doc, rules=tuple(loaded["rules"]), not_calculable=tuple(sorted(loaded["not_calculable"].items())))


def _with_aliases(doc: Document) -> Document:
    """The reviewed agency aliases, when the list was written for this document. A list
    written for it that does not match it fails the build (:class:`.insights.AliasError`):
    a typo must never silently drop the list."""
    from .insights import alias_list_for

    path = default_aliases()
    if not path.is_file():
        return doc
    aliases: tuple[AliasRecord, ...] = alias_list_for(path, doc)
    return replace(doc, agency_aliases=aliases)


def build_store(source: Path, out: Path, rules: Path | None = None) -> Document:
    """Parse ``source`` and write the store to ``out`` atomically; return the document."""
    from .parser import parse  # the app, which only reads stores, starts without it

    data = Path(source).read_bytes()
    doc = prepare(parse(data, name=str(source)))
    doc = _with_aliases(_with_rules(doc, rules))
    write_store(doc, out, source_name=Path(source).name)
    return doc


def write_store(doc: Document, out: Path, source_name: str) -> None:
    out = Path(out)
    # A new store is for everyone to read; one replaced (build -o FILE --force) keeps the
    # permissions its owner gave it.
    mode = None if out.exists() else STORE_MODE
    with atomic_replace(out, mode=mode) as tmp:
        db = TinyDB(tmp, storage=JSONStorage, ensure_ascii=False, indent=1, encoding="utf-8")
        db.table("meta").insert(
            {
                "schema_version": SCHEMA_VERSION,
                "generator": GENERATOR,
                "source_name": source_name,
                "source_sha256": doc.source_sha256,
                "content_sha256": _CHECKSUM_BLANK.decode(),
                "counts": {
                    "domains": len(doc.domains),
                    "clauses": len(doc.clauses),
                    "money": sum(len(c.money) for c in doc.clauses),
                    "percentages": sum(len(c.percentages) for c in doc.clauses),
                    "rules": len(doc.rules),
                },
            }
        )
        db.table("document").insert(_record(doc, DOC_FIELDS))
        db.table("domains").insert_multiple(_record(d, DOMAIN_FIELDS) for d in doc.domains)
        db.table("clauses").insert_multiple(_record(c, CLAUSE_FIELDS) for c in doc.clauses)
        db.table("rules").insert_multiple(doc.rules)
        db.table("not_calculable").insert_multiple({"clause": n, "reason": r} for n, r in doc.not_calculable)
        db.table("agency_aliases").insert_multiple(dict(a) for a in doc.agency_aliases)
        db.close()
        data = tmp.read_bytes() + b"\n"
        tmp.write_bytes(_with_checksum(data))


def _checksum(data: bytes) -> tuple[str, str] | None:
    """(the checksum the file states, the one its bytes have), or None if it states none."""
    found = list(_CHECKSUM_RE.finditer(data))
    if len(found) != 1:
        return None
    start, end = found[0].span(1)
    actual = hashlib.sha256(data[:start] + _CHECKSUM_BLANK + data[end:]).hexdigest()
    return found[0].group(1).decode(), actual


def _with_checksum(data: bytes) -> bytes:
    at = data.index(_CHECKSUM_KEY + _CHECKSUM_BLANK) + len(_CHECKSUM_KEY)
    digest = hashlib.sha256(data).hexdigest().encode()
    return data[:at] + digest + data[at + len(digest) :]


# --- Reading ------------------------------------------------------------------------------


def _read_tables(path: Path, data: bytes) -> dict[str, list[dict[str, Any]]]:
    try:
        # Read-only: the app never writes the shipped store.
        # Cached: without it TinyDB parses the whole file again for every table it reads.
        db = TinyDB(path, storage=CachingMiddleware(JSONStorage), access_mode="r", encoding="utf-8")
    except OSError as exc:
        raise StoreError(Notice("cannot read store {path}: {why}", path=path, why=os_reason(exc))) from None
    try:
        return {name: [dict(r) for r in db.table(name).all()] for name in _TABLES}
    except json.JSONDecodeError as exc:
        raise _unreadable(path, data, Notice("not valid JSON: {problem}", problem=json_problem(exc))) from None
    except UnicodeDecodeError as exc:
        raise _unreadable(path, data, Notice("not UTF-8 text at byte {byte}", byte=exc.start)) from None
    except (AttributeError, TypeError, ValueError):
        raise _unreadable(path, data, Notice("its JSON is not the tables of a store")) from None
    finally:
        db.close()


# What every store this program has written holds near its start (the meta table's fields).
_STORE_MARKS = (GENERATOR.encode(), b'"schema_version"')


def _was_a_store(data: bytes) -> bool:
    """Whether a file that cannot be read as a store was written as one (damaged: rebuilding
    it is the cure) rather than being some other file given by mistake (which the reader
    must never be invited to overwrite)."""
    return any(mark in data for mark in _STORE_MARKS)


def _unreadable(path: Path, data: bytes, problem: Notice) -> StoreError:
    """A file that is not a usable store: a damaged store (how to rebuild it), or not a store
    at all (check the path; no rebuild hint, which would overwrite the reader's file)."""
    if _was_a_store(data):
        return StoreError(
            Notice("store {path} is corrupted ({problem}); {hint}", path=path, problem=problem, hint=rebuild_hint(path))
        )
    return StoreError(
        Notice("{path} is not an hzpolicy-tui store ({problem}); check the path", path=path, problem=problem)
    )


def _document(tables: dict[str, list[dict[str, Any]]]) -> Document:
    drec = tables["document"][0]
    return Document(
        **{f: _tupled(drec[f]) for f in DOC_FIELDS},
        domains=tuple(_from_record(Domain, r, DOMAIN_FIELDS) for r in tables["domains"]),
        clauses=tuple(_from_record(Clause, r, CLAUSE_FIELDS) for r in tables["clauses"]),
        rules=tuple(tables["rules"]),
        not_calculable=tuple((r["clause"], r["reason"]) for r in tables["not_calculable"]),
        agency_aliases=tuple(
            AliasRecord(name=r["name"], aliases=list(r["aliases"]), note=r.get("note", ""))
            for r in tables["agency_aliases"]
        ),
    )


def _not_found(path: Path) -> Notice:
    """A store that is not there: the shipped one is a broken installation; any other is
    most likely a mistyped path (not a reason to build a store there)."""
    if os.path.abspath(path) == os.path.abspath(default_store()):
        return Notice("the shipped store {path} is missing: reinstall hzpolicy-tui", path=path)
    return Notice("store not found: {path}; check the path", path=path)


def _read_bytes(path: Path) -> bytes:
    """The store's bytes; only a regular file of a sane size is opened (a FIFO or a device
    given as the store is refused at once instead of blocking)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise StoreError(_not_found(path)) from None
    except OSError as exc:
        raise StoreError(Notice("cannot read store {path}: {why}", path=path, why=os_reason(exc))) from None
    if stat.S_ISDIR(info.st_mode):
        raise StoreError(Notice("store {path} is a directory, not a file", path=path))
    if not stat.S_ISREG(info.st_mode):
        raise StoreError(
            Notice("store {path} is not a regular file (a pipe or a device?); give the path of a store file", path=path)
        )
    if info.st_size > MAX_STORE_BYTES:
        raise StoreError(
            Notice(
                "store {path} is {size} bytes, far more than a policy package; is it the right file?",
                path=path,
                size=info.st_size,
            )
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise StoreError(Notice("cannot read store {path}: {why}", path=path, why=os_reason(exc))) from None


def load_store(path: Path | str) -> Document:
    """Read a store; any problem is a :class:`StoreError` naming the file and the first
    problem, and saying how to rebuild a store that is damaged or of another version (never
    for a file that is not a store, or not there: the path is what to check). Checked before
    use: the schema version, the content checksum (any changed byte), and every table's
    types, ranges, references and numbering."""
    path = Path(path)
    data = _read_bytes(path)
    tables = _read_tables(path, data)
    if not tables["meta"]:
        raise _unreadable(path, data, Notice("it has no meta table"))
    try:
        meta = check_meta(tables["meta"][0], SCHEMA_VERSION)
    except StoreDamage as exc:
        if not _was_a_store(data):  # another program's TinyDB file with a "meta" table
            raise _unreadable(path, data, exc.notice) from None
        raise _damaged(path, exc.notice) from None
    version = meta["schema_version"]
    if version != SCHEMA_VERSION:
        raise StoreError(
            Notice(
                "store {path} has schema version {version}, this hzpolicy-tui reads version {ours}; {hint}",
                path=path,
                version=repr(version),
                ours=SCHEMA_VERSION,
                hint=rebuild_hint(path),
            )
        )
    try:
        check_tables(tables)
    except StoreDamage as exc:
        raise _damaged(path, exc.notice) from None
    counts = meta["counts"]
    if counts["clauses"] != len(tables["clauses"]) or counts["domains"] != len(tables["domains"]):
        raise _damaged(path, Notice("its counts do not match its records"))
    sums = _checksum(data)
    if sums is None:
        raise _damaged(path, Notice("it has no content checksum"))
    if sums[0] != sums[1]:
        raise _damaged(path, Notice("its content does not match its checksum: it was changed after it was built"))
    return _document(tables)
