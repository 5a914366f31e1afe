"""Export what a reader found: a clause, a domain, the document's overview, search results,
bookmarks with notes, a calculator result — as Markdown, CSV (UTF-8 with a BOM, so
spreadsheets read the Chinese), JSON or a self-contained HTML page (:mod:`.html`).

A clause is described once, in :mod:`.present`: its fields (JSON, CSV) are
:func:`.present.clause_fields` and its Markdown and HTML are its page
(:func:`.present.clause_page`), so an export reads as the app and the command line show it,
in the reader's script and language.

An export never destroys a file (:func:`write`): an existing file is replaced only when the
reader says so, keeping its permissions; a folder, a link, a device, a read-only file or a
folder that is not there is refused. Default names (:func:`default_name`) say what was
exported and when, so one export does not replace the last."""

from __future__ import annotations

import csv
import io
import json
import os
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from . import html
from .files import UnsafeTarget, check_target, check_user_target, write_text_atomic
from .found import hit_heading, hit_why, via_text
from .i18n import N_, Locale, Notice
from .models import DEFAULT_SCRIPT, Document, Script
from .present import Page, clause_fields, clause_page, document_page, domain_heading, domain_page, yi_text
from .search import Results

# An exported row: open by design, it becomes a JSON object, a CSV row or a Markdown block.
Record = dict[str, Any]
# The formats, as the command line and the file names spell them.
FORMATS = ("md", "csv", "json", "html")


class PageRecord(dict[str, Any]):
    """A record with a page (a clause's, a domain's): its items are the fields JSON and CSV
    write, and it carries the page, which is how Markdown and HTML write it."""

    def __init__(self, fields: dict[str, Any], page: Page) -> None:
        super().__init__(fields)
        self.page = page


ClauseRecord = PageRecord  # its first name, when only clauses had pages


class ChartBar(NamedTuple):
    """One bar of a meta "chart": what it is, its size (any unit, all bars the same) and its
    value as words (177.1亿元)."""

    label: str
    value: Decimal
    text: str


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
        out.append(PageRecord(rec, page))
    return out


def missing_clauses(doc: Document, numbers: Iterable[int]) -> list[int]:
    """The numbers among ``numbers`` that this package has no clause for."""
    return sorted(n for n in set(numbers) if doc.clause(n) is None)


def search_records(results: Results, doc: Document, loc: Locale) -> list[Record]:
    """Each result: where it is, its heading, the passage, and why it matched (the words it
    has, those it has as other words of their group, and how many of the query's)."""
    return [
        {
            "place": h.place,
            "clause": h.clause,
            "heading": hit_heading(doc, h, loc),
            "title": h.title,
            "score": round(h.score, 4),
            "snippet": h.snippet,
            "matched_in": list(h.where),
            "matched": list(h.matched),
            "via": [via_text(typed, found) for typed, found in h.via],
            "why": hit_why(h, loc),
        }
        for h in results.hits
    ]


def search_meta(results: Results) -> Record:
    """What a search export says of itself: how many places matched and how many have every
    word; the words the document has nowhere and those left out (question words)."""
    meta: Record = {"total": results.total, "all_words": results.full}
    if results.unknown:
        meta["not_in_document"] = list(results.unknown)
    if results.dropped:
        meta["left_out"] = list(results.dropped)
    return meta


def domain_fields(doc: Document, number: int, loc: Locale) -> Record:
    """A domain as data for JSON and CSV (keys English; values in the reader's script)."""
    d = doc.domains[number - 1]
    return {
        "kind": "domain",
        "domain": d.number,
        "numeral": d.numeral,
        "title": d.title_in(loc.script),
        "lead_agencies": list(d.lead_agencies_in(loc.script)),
        "budget": loc.doc(d.budget["text"]) if d.budget else None,
        "budget_yuan": d.budget["yuan"] if d.budget else None,
        "targets": list(d.targets_in(loc.script)),
        "clauses": list(d.clause_numbers),
    }


def domain_records(doc: Document, number: int, loc: Locale) -> list[Record]:
    """A domain as one record: its fields, and its page (who leads it, its budget, targets
    and clauses)."""
    return [PageRecord(domain_fields(doc, number, loc), domain_page(doc, number, loc))]


def overview_export(doc: Document, loc: Locale, today: date) -> tuple[list[Record], str, Record]:
    """The document in brief, as ``overview`` prints it: the document's record and page, then
    one a domain (brief); its meta holds a chart of the domains' budgets. In CSV one row
    each, the document's total in the same budget column as the domains' budgets."""
    total = doc.total_budget
    fields: Record = {
        "kind": "document",
        "title": doc.title_in(loc.script),
        "budget": loc.doc(total["text"]) if total else None,
        "budget_yuan": total["yuan"] if total else None,
        "issuer": loc.doc(doc.issuer) if doc.issuer else None,
        "published": doc.published,
        "valid_from": doc.valid_from,
        "valid_to": doc.valid_to,
    }
    records: list[Record] = [PageRecord(fields, document_page(doc, loc, today))]
    records += [
        PageRecord(domain_fields(doc, d.number, loc), domain_page(doc, d.number, loc, brief=True)) for d in doc.domains
    ]
    meta: Record = {}
    bars = budget_chart(doc, loc)
    if bars:
        meta["chart_title"] = loc.tr("City budget by domain") if doc.city_budget else loc.tr("Budget by domain")
        meta["chart"] = bars
    title = loc.tr("{title}: overview and budgets").format(title=doc.title_in(loc.script))
    return records, title, meta


def budget_chart(doc: Document, loc: Locale) -> list[ChartBar]:
    """The domains that state a budget, as chart bars in yuan."""
    return [
        ChartBar(domain_heading(d, loc), Decimal(d.budget["yuan"]), yi_text(Decimal(d.budget["yuan"]), loc))
        for d in doc.domains
        if d.budget
    ]


def render(records: list[Record], fmt: str, title: str, meta: Record | None = None, loc: Locale | None = None) -> str:
    """Records -> text as md, csv, json or html (CSV without its BOM; write() adds it).
    ``loc`` gives the words Markdown and HTML add (what each meta line is) and the page's
    language; JSON and CSV keys stay English. A meta "chart" (a list of :class:`ChartBar`, or
    of ``(label, value, text)`` tuples) is drawn as bars in HTML, a table in Markdown, kept as
    a list of objects in JSON and left out of CSV, as all meta is."""
    meta = meta or {}
    loc = loc or Locale()
    if fmt == "json":
        return json.dumps({"title": title, **_json_meta(meta), "records": records}, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        fields = list(dict.fromkeys(k for r in records for k in r))
        writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\r\n")
        writer.writeheader()
        for r in records:
            writer.writerow({k: _cell(v) for k, v in r.items()})
        return buf.getvalue()
    if fmt == "md":
        return _markdown(records, title, meta, loc)
    if fmt == "html":
        return _html(records, title, meta, loc)
    raise ValueError(f"unknown format {fmt!r}: use md, csv, json or html")


def _cell(value: object) -> str:
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


# What each line of an export's meta says, in Markdown and HTML (JSON keeps the key).
META_LABELS = {
    "total": N_("Places found"),
    "all_words": N_("With every word"),
    "not_in_document": N_("Not in the document"),
    "left_out": N_("Left out (question words)"),
}
CHART_KEYS = ("chart", "chart_title")  # drawn, not listed


def chart_bars(meta: Record) -> list[ChartBar]:
    """The meta's chart as bars (none when it has none)."""
    return [ChartBar(str(label), Decimal(value), str(text)) for label, value, text in meta.get("chart") or ()]


def _chart_title(meta: Record, loc: Locale) -> str:
    return str(meta.get("chart_title") or loc.tr("Chart"))


def _number(value: Decimal) -> int | float:
    """A chart's value in JSON: a whole number as it is, else as near as a JSON number gets."""
    return int(value) if value == value.to_integral_value() else float(value)


def _json_meta(meta: Record) -> Record:
    if "chart" not in meta:
        return meta
    bars = [{"label": b.label, "value": _number(b.value), "text": b.text} for b in chart_bars(meta)]
    return {**meta, "chart": bars}


def _meta_value(value: object, loc: Locale) -> str:
    if isinstance(value, bool):
        return loc.tr("yes") if value else loc.tr("no")
    return _cell(value)


def _meta_lines(meta: Record, loc: Locale) -> list[tuple[str, object]]:
    """Each meta line as (what it is in the reader's words, its value); a list stays a list."""
    out: list[tuple[str, object]] = []
    for key, value in meta.items():
        if key in CHART_KEYS:
            continue
        label = loc.tr(META_LABELS[key]) if key in META_LABELS else key
        out.append((label, [str(v) for v in value] if isinstance(value, list) else _meta_value(value, loc)))
    return out


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _markdown_chart(bars: Sequence[ChartBar], caption: str, loc: Locale) -> list[str]:
    """A chart as a two-column table: what each bar is, and its value in words."""
    item, amount = loc.tr("Item"), loc.tr("Amount")
    lines = [f"**{caption}**", "", f"| {item} | {amount} |", "| --- | ---: |"]
    lines += [f"| {_md_cell(b.label)} | {_md_cell(b.text)} |" for b in bars]
    return [*lines, ""]


def _markdown(records: list[Record], title: str, meta: Record, loc: Locale) -> str:
    lines = [f"# {title}", ""]
    meta_lines = _meta_lines(meta, loc)
    lines += [f"- {label}: {_cell(value)}" for label, value in meta_lines]
    if meta_lines:
        lines.append("")
    bars = chart_bars(meta)
    if bars:
        lines += _markdown_chart(bars, _chart_title(meta, loc), loc)
    for r in records:
        if isinstance(r, PageRecord):  # a clause, a domain, the document: its page
            lines += [r.page.markdown(level=2).rstrip("\n"), ""]
        elif "snippet" in r:  # a search hit
            heading, snippet, why = (" ".join(str(r[k]).split("\n")) for k in ("heading", "snippet", "why"))
            lines += [f"- **{heading}**: {snippet} ({why})"]
        else:
            raise ValueError(f"cannot write record {r.get('clause')!r} as Markdown: not a page or a hit")
    return "\n".join(lines).rstrip() + "\n"


def _html(records: list[Record], title: str, meta: Record, loc: Locale) -> str:
    """A self-contained page (:mod:`.html`): the title, the meta as a definition list, the
    chart as bars, then each record: a page, or a list of search hits. (A calculator result
    is its report's: :func:`.report.render_report`.)"""
    parts = [html.meta_html(_meta_lines(meta, loc))]
    bars = chart_bars(meta)
    if bars:
        parts.append(html.chart_html(bars, _chart_title(meta, loc)))
    hits: list[Record] = []
    for r in records:
        if "snippet" in r and not isinstance(r, PageRecord):  # hits in a row make one list
            hits.append(r)
            continue
        if hits:
            parts.append(html.hits_html(hits))
            hits = []
        if isinstance(r, PageRecord):
            parts.append(html.page_html(r.page, loc, level=2))
        else:
            raise ValueError(f"cannot write record {r.get('clause')!r} as HTML: not a page or a hit")
    if hits:
        parts.append(html.hits_html(hits))
    return html.document_html(title, "\n".join(p for p in parts if p), loc)


# --- Writing ------------------------------------------------------------------------------------


def write(text: str, fmt: str, path: Path, *, replace: bool = False) -> Path:
    """Write atomically; CSV gets a UTF-8 BOM so spreadsheet programs read it as UTF-8.

    Nothing is destroyed: a file that exists is replaced only with ``replace`` (the app asks
    first, the command line needs ``--force``), keeping its permissions; otherwise it is
    :class:`.files.TargetExists`. A folder, a link, a device, a pipe, a read-only file, a
    database, the user's own data folder and a folder that is not there (nothing is created)
    are refused whatever ``replace`` says. What cannot be written is an ``OSError``:
    :func:`.files.os_reason` says why in the reader's words (a refusal,
    :class:`.files.UnsafeTarget`, carries its own notice)."""
    path = Path(path).expanduser()
    check_target(path)  # before anything else looks at the path: what it is decides
    from .userdata import data_dir  # the user's own data is never an export's target

    # realpath, not Path.resolve(), which raises RuntimeError for a link that loops.
    if Path(os.path.realpath(path)).parent == Path(os.path.realpath(data_dir())):
        raise UnsafeTarget(path, Notice("it is in the folder of your own hzpolicy-tui data: choose another folder"))
    check_user_target(path, replace=replace)
    write_text_atomic(path, text, encoding="utf-8-sig" if fmt == "csv" else "utf-8", replace=replace)
    return path


NAME_CHARS = 40  # at most this many characters of what was exported in a default name
NAME_BYTES = 120  # and this many bytes (file systems allow 255; Chinese is 3 bytes a character)
_NOT_IN_NAMES = set('/\\:*?"<>|')  # separators, and what Windows refuses in a name


def safe_stem(stem: str) -> str:
    """What was exported, fit for a file name: no separators or control characters, spaces
    as "-", Chinese kept, at most :data:`NAME_CHARS` characters and :data:`NAME_BYTES` bytes."""
    out = []
    for ch in unicodedata.normalize("NFC", stem):
        if ch in _NOT_IN_NAMES or ch.isspace():
            out.append("-")
        elif unicodedata.category(ch)[0] != "C":  # control, format, surrogate, unassigned
            out.append(ch)
    name = "-".join(part for part in "".join(out).split("-") if part).strip(".-")
    name = name[:NAME_CHARS]
    while len(name.encode("utf-8")) > NAME_BYTES:
        name = name[:-1]
    return name.strip(".-") or "export"


def default_name(stem: str, fmt: str, when: datetime) -> str:
    """hzpolicy-search-人才补贴-20261128-1805.md: what was exported, and when to the minute."""
    return f"hzpolicy-{safe_stem(stem)}-{when:%Y%m%d-%H%M}.{fmt}"


def default_path(folder: Path, stem: str, fmt: str, when: datetime) -> Path:
    """:func:`default_name` in ``folder``; if that is taken (two exports in one minute), the
    first free one of -2, -3, ..."""
    name = default_name(stem, fmt, when)
    path = folder / name
    base = name.removesuffix(f".{fmt}")
    n = 2
    while os.path.lexists(path) and n < 100:
        path = folder / f"{base}-{n}.{fmt}"
        n += 1
    return path
