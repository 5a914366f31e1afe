"""Export what a reader found: a clause, search results, bookmarks with notes, a calculator
result — as Markdown, CSV (UTF-8 with a BOM, so spreadsheets read the Chinese) or JSON.

A clause is described once, in :mod:`.present`: its fields (JSON, CSV) are
:func:`.present.clause_fields` and its Markdown is its page (:func:`.present.clause_page`),
so an export reads as the app and the command line show it, in the reader's script and
language."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from . import report
from .calculator import Result
from .files import UnsafeTarget, check_target, write_text_atomic
from .i18n import N_, Locale, Notice
from .models import DEFAULT_SCRIPT, Document, Script
from .money import plain
from .numerals import to_numeral
from .present import Page, clause_fields, clause_page
from .search import Results

# An exported row: open by design, it becomes a JSON object, a CSV row or a Markdown block.
Record = dict[str, Any]


class ClauseRecord(dict[str, Any]):
    """A clause's record: its items are the fields JSON and CSV write, and it carries the
    clause's page, which is how Markdown writes it."""

    def __init__(self, fields: dict[str, Any], page: Page) -> None:
        super().__init__(fields)
        self.page = page


def clause_records(
    doc: Document,
    numbers: list[int],
    notes: dict[int, str] | None = None,
    bookmarks: set[int] | None = None,
    script: Script = DEFAULT_SCRIPT,
    *,
    loc: Locale | None = None,
    today: date | None = None,
) -> list[Record]:
    """One record a clause, in ``loc`` (else Chinese in ``script``), its validity as of
    ``today``; numbers this package has no clause for are left out (see
    :func:`missing_clauses`)."""
    loc = loc or Locale(script)
    today = today or date.today()
    out: list[Record] = []
    for n in numbers:
        if doc.clause(n) is None:
            continue
        note = (notes or {}).get(n, "")
        rec = clause_fields(doc, n, loc)
        if bookmarks is not None:
            rec["bookmarked"] = n in bookmarks
        if notes is not None:
            rec["note"] = note
        page = clause_page(doc, n, loc, today, note=note, bookmarked=bookmarks is not None and n in bookmarks)
        out.append(ClauseRecord(rec, page))
    return out


def missing_clauses(doc: Document, numbers: Iterable[int]) -> list[int]:
    """The numbers among ``numbers`` that this package has no clause for."""
    return sorted(n for n in set(numbers) if doc.clause(n) is None)


def search_records(results: Results) -> list[Record]:
    return [
        {
            "clause": h.clause,
            "numeral": to_numeral(h.clause),
            "title": h.title,
            "score": h.score,
            "snippet": h.snippet,
            "matched_in": list(h.where),
        }
        for h in results.hits
    ]


def search_meta(results: Results) -> Record:
    """What a search export says of itself: how many matched, and (for words typed together
    that matched only as pieces) which pieces."""
    meta: Record = {"total": results.total}
    if results.relaxed:
        meta["matched_pieces"] = list(results.relaxed)
    return meta


def calc_records(result: Result, loc: Locale | None = None) -> list[Record]:
    """One record a calculator item, words in ``loc`` (see :func:`.report.records`)."""
    return report.records(result, loc or Locale())


def render(records: list[Record], fmt: str, title: str, meta: Record | None = None, loc: Locale | None = None) -> str:
    """Records -> text as md, csv or json (CSV without its BOM; write() adds it). ``loc``
    gives the words Markdown adds (what each meta line is); JSON and CSV keys stay English."""
    if fmt == "json":
        return json.dumps({"title": title, **(meta or {}), "records": records}, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        fields = list(dict.fromkeys(k for r in records for k in r))
        writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\r\n")
        writer.writeheader()
        for r in records:
            writer.writerow({k: _cell(v) for k, v in r.items()})
        return buf.getvalue()
    if fmt == "md":
        return _markdown(records, title, meta or {}, loc or Locale())
    raise ValueError(f"unknown format {fmt!r}: use md, csv or json")


def _cell(value: object) -> str:
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


# What each line of an export's meta says, in Markdown (JSON keeps the key).
META_LABELS = {
    "total": N_("Clauses found"),
    "matched_pieces": N_("Matched as separate words"),
    "as_of": N_("As of"),
    "in_force": N_("In force"),
    "total_wan": N_("Total (10,000 yuan)"),
}


def _meta_line(key: str, value: object, loc: Locale) -> str:
    label = loc.tr(META_LABELS[key]) if key in META_LABELS else key
    if isinstance(value, bool):
        return f"- {label}: {loc.tr('yes') if value else loc.tr('no')}"
    return f"- {label}: {_cell(value)}"


def _markdown(records: list[Record], title: str, meta: Record, loc: Locale) -> str:
    lines = [f"# {title}", ""]
    lines += [_meta_line(k, v, loc) for k, v in meta.items()]
    if meta:
        lines.append("")
    for r in records:
        if isinstance(r, ClauseRecord):  # a clause: its page
            lines += [r.page.markdown(level=2).rstrip("\n"), ""]
        elif "rule" in r:  # a calculator item, as the report words it
            lines += report.record_markdown(r, loc)
        elif "snippet" in r:  # a search hit
            lines += [f"- ({r['numeral']}) {r['title']}: {r['snippet']}"]
        else:
            raise ValueError(f"cannot write record {r.get('clause')!r} as Markdown: not a clause, hit or result")
    return "\n".join(lines).rstrip() + "\n"


def write(text: str, fmt: str, path: Path) -> Path:
    """Write atomically; CSV gets a UTF-8 BOM so spreadsheet programs read it as UTF-8. What
    cannot be written is an ``OSError``: :func:`.files.os_reason` says why in the reader's
    words (a target refused, :class:`.files.UnsafeTarget`, carries its own notice)."""
    path = Path(path).expanduser()
    check_target(path)  # before anything else looks at the path: what it is decides
    from .userdata import data_dir  # the user's own data is never an export's target

    # realpath, not Path.resolve(), which raises RuntimeError for a link that loops.
    if Path(os.path.realpath(path)).parent == Path(os.path.realpath(data_dir())):
        raise UnsafeTarget(path, Notice("it is in the folder of your own hzpolicy-tui data: choose another folder"))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file stands where a folder of the path should be: say that
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path.parent)) from None
    write_text_atomic(path, text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
    return path


def calc_meta(result: Result) -> Record:
    return {"as_of": result.as_of.isoformat(), "in_force": result.in_force, "total_wan": plain(result.total)}
