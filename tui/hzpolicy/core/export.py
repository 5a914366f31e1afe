"""Export what a reader found: a clause, search results, bookmarks with notes, a calculator
result — as Markdown, CSV (UTF-8 with a BOM, so spreadsheets read the Chinese) or JSON."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .calculator import Result
from .files import UnsafeTarget, write_text_atomic
from .models import DEFAULT_SCRIPT, Document, Script
from .money import plain
from .numerals import to_numeral
from .script import typeset
from .search import Results

# An exported row: open by design, it becomes a JSON object, a CSV row or a Markdown block.
Record = dict[str, Any]


def clause_records(
    doc: Document,
    numbers: list[int],
    notes: dict[int, str] | None = None,
    bookmarks: set[int] | None = None,
    script: Script = DEFAULT_SCRIPT,
) -> list[Record]:
    """One record a clause, in ``script``; numbers this package has no clause for are left
    out (see :func:`missing_clauses`)."""
    out = []
    for n in numbers:
        c = doc.clause(n)
        if c is None:
            continue
        d = doc.domain_of(c)
        rec = {
            "clause": c.number,
            "numeral": c.numeral,
            "title": c.title_in(script),
            "domain": d.number,
            "domain_title": d.title_in(script),
            "lead_agencies": list(d.lead_agencies_in(script)),
            "units": list(c.units_in(script)),
            "text": typeset(c.body_in(script)),
            "money": [m["text"] for m in c.money] + [p["text"] for p in c.percentages],
            "valid_from": doc.valid_from,
            "valid_to": doc.valid_to,
        }
        if bookmarks is not None:
            rec["bookmarked"] = n in bookmarks
        if notes is not None:
            rec["note"] = notes.get(n, "")
        out.append(rec)
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


def calc_records(result: Result) -> list[Record]:
    return [i.to_json() for i in result.items]


def render(records: list[Record], fmt: str, title: str, meta: Record | None = None) -> str:
    """Records -> text as md, csv or json (CSV without its BOM; write() adds it)."""
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
        return _markdown(records, title, meta or {})
    raise ValueError(f"unknown format {fmt!r}: use md, csv or json")


def _cell(value: object) -> str:
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _markdown(records: list[Record], title: str, meta: Record) -> str:
    lines = [f"# {title}", ""]
    for k, v in meta.items():
        lines.append(f"- {k}: {_cell(v)}")
    if meta:
        lines.append("")
    for r in records:
        if "text" in r:  # a clause
            lines += [
                f"## ({r['numeral']}) {r['title']}",
                "",
                f"- 領域: {r['domain_title']}",
                f"- 牽頭單位: {'、'.join(r['lead_agencies'])}",
                f"- 責任單位: {'、'.join(r['units'])}",
                f"- 有效期: {r['valid_from']} ~ {r['valid_to']}",
            ]
            if r.get("money"):
                lines.append(f"- 金額與比例: {'、'.join(r['money'])}")
            if r.get("note"):
                lines.append(f"- 筆記: {r['note']}")
            lines += ["", r["text"], ""]
        elif "rule" in r:  # a calculator item
            amount = ("最高可得 " if r["ceiling"] else "") + f"{r['amount_wan']} 萬元"
            lines += [
                f"## ({to_numeral(r['clause'])}) {r['title']}",
                "",
                f"- 狀態: {r['status']}",
                f"- 金額: {amount}",
                f"- 計算: {r['formula'] or '-'}",
                f"- 說明: {r['reason'] or '-'}",
                f"- 依據: 「{r['quote']}」",
                "",
            ]
        else:  # a search hit
            lines += [f"- ({r['numeral']}) {r['title']}: {r['snippet']}"]
    return "\n".join(lines).rstrip() + "\n"


def write(text: str, fmt: str, path: Path) -> Path:
    """Write atomically; CSV gets a UTF-8 BOM so spreadsheet programs read it as UTF-8."""
    path = Path(path).expanduser()
    from .userdata import data_dir  # the user's own data is never an export's target

    if path.resolve().parent == data_dir().resolve():
        raise UnsafeTarget(f"{path} is in the folder of your own hzpolicy-tui data: choose another folder")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
    return path


def calc_meta(result: Result) -> Record:
    return {"as_of": result.as_of.isoformat(), "in_force": result.in_force, "total_wan": plain(result.total)}
