"""Command-line subcommands: build, list, show, search. Plain text or JSON on standard output."""

from __future__ import annotations

import json
import stat
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .core import export
from .core.calculator import STATUS_ORDER, STATUS_WORDS, Result, evaluate, in_reading_order
from .core.facts import MAX_PROFILE_BYTES, ProfileError, ProfileFileError, read_profile
from .core.insights import AliasError, agency_index
from .core.models import Clause, Document, Script
from .core.money import plain
from .core.numerals import parse_numeral, to_numeral
from .core.parser import ParseError
from .core.paths import STORE_NAME, default_source
from .core.rules import RuleError, check_document_rules
from .core.script import say, typeset
from .core.search import SearchIndex, clause_number_query
from .core.store import StoreError, build_store, clause_record
from .core.wrap import cell_width
from .errors import UsageError

if TYPE_CHECKING:
    from .core.userdata import UserData


def dump_json(obj: object) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def open_user_data() -> UserData:
    """The user's data, with any warning about it (moved aside, not writable) on stderr."""
    from .core.userdata import UserData

    user = UserData()
    if user.warning:
        print(f"hzpolicy-tui: {user.warning}", file=sys.stderr)
    return user


def default_build_target(source: Path) -> Path:
    """Where ``build`` writes without ``-o``: in the current folder, the source's name with
    ``.json`` (``hangzhou-2024.json`` for the shipped source). Never inside the installed
    package or a checkout's data/ (``scripts/build_db.py`` regenerates the committed store)."""
    if source.resolve() == default_source().resolve():
        return Path(STORE_NAME)
    return Path(source.with_suffix(".json").name)


def cmd_build(source: str | None, out: str | None, rules: str | None = None) -> int:
    src = Path(source) if source else default_source()
    dst = Path(out) if out else default_build_target(src)
    if not src.exists():
        raise UsageError(f"source document not found: {src}")
    if not src.is_file():
        raise UsageError(f"source document {src} is not a regular file (a folder, a pipe or a device)")
    if rules and not Path(rules).is_file():
        raise UsageError(f"rules file not found: {rules}")
    if dst.exists() and dst.resolve() == src.resolve():
        raise UsageError(f"the store would overwrite its own source {src}: give another path with -o")
    try:
        doc = build_store(src, dst, Path(rules) if rules else None)
    except ParseError as exc:
        raise UsageError(f"{src}: {exc}; no store was written") from None
    except RuleError as exc:
        raise UsageError(f"{rules or 'calculator rules'}: {exc}; no store was written") from None
    except AliasError as exc:
        raise UsageError(f"{exc}; no store was written") from None
    except OSError as exc:
        doing = "read" if exc.filename and Path(exc.filename) == src else "write"
        raise UsageError(f"cannot {doing} {exc.filename or dst}: {exc.strerror or exc}") from None
    money = sum(len(c.money) for c in doc.clauses)
    print(
        f"wrote {dst}: {len(doc.domains)} domains, {len(doc.clauses)} clauses, {money} money figures, "
        f"{len(doc.rules)} calculator rules"
    )
    return 0


def cmd_list(doc: Document, as_json: bool, script: Script) -> int:
    if as_json:
        dump_json(
            {
                "title": doc.title_in(script),
                "domains": [
                    {
                        "number": d.number,
                        "numeral": d.numeral,
                        "title": d.title_in(script),
                        "clauses": [
                            {"number": c.number, "numeral": c.numeral, "title": c.title_in(script)}
                            for c in map(doc.require, d.clause_numbers)
                        ],
                    }
                    for d in doc.domains
                ],
            }
        )
        return 0
    print(doc.title_in(script))
    for d in doc.domains:
        print(f"\n{d.numeral}、{d.title_in(script)}")
        for n in d.clause_numbers:
            c = doc.require(n)
            print(f"  {n:>3} ({c.numeral}) {c.title_in(script)}")
    return 0


def resolve_clause(doc: Document, ref: str) -> Clause:
    number = clause_number_query(ref)
    if number is None:
        number = parse_numeral(ref.strip("()（）"))
    clause = doc.clause(number) if number else None
    if clause is None:
        last = doc.clauses[-1].number
        raise UsageError(f"no clause {ref!r}: give a number from 1 to {last}, e.g. 14, 十四 or (十四)")
    return clause


def cmd_show(doc: Document, ref: str, as_json: bool, script: Script) -> int:
    c = resolve_clause(doc, ref)
    d = doc.domain_of(c)
    if as_json:
        rec = clause_record(c)
        rec["domain_title"] = d.title
        rec["domain_title_simplified"] = d.title_simplified
        rec["lead_agencies"] = list(d.lead_agencies)
        rec["valid_from"] = doc.valid_from
        rec["valid_to"] = doc.valid_to
        dump_json(rec)
        return 0
    print(f"({c.numeral}) {c.title_in(script)}")
    print(say("領域: ", script) + f"{d.numeral}、{d.title_in(script)}")
    print(say("牽頭單位: ", script) + "、".join(d.lead_agencies_in(script)))
    print(say("責任單位: ", script) + "、".join(c.units_in(script)))
    if doc.valid_from:
        print(say("有效期: ", script) + f"{doc.valid_from} – {doc.valid_to}")
    if c.money:
        print(say("金額: ", script) + "、".join(say(m["text"], script) for m in c.money))
    print()
    print(typeset(c.body_in(script)))
    return 0


def cmd_search(doc: Document, query: str, as_json: bool, limit: int, script: Script) -> int:
    if limit < 1:
        raise UsageError("--limit must be 1 or more")
    results = SearchIndex(doc).search(query, script=script, limit=limit)
    if as_json:
        dump_json(results.to_json())
        return 0
    if not results.hits:
        print(f"no clause matches {query[:60]!r}")
        return 0
    shown = f"; showing {len(results.hits)}" if results.total > len(results.hits) else ""
    if results.relaxed:
        print(
            f"no clause has {query[:60]!r} as written; {results.total} clause(s) have "
            + " + ".join(results.relaxed)
            + shown
        )
    else:
        print(f"{results.total} clause(s) match" + shown)
    for h in results.hits:
        print(f"\n{h.clause:>3} {h.title}\n    {typeset(h.snippet)}")
    return 0


def load_profile(path: str) -> dict[str, object]:
    """A profile file -> dict, money kept exact (JSON numbers read as Decimal), bounded in
    size and nesting (see :func:`.core.facts.read_profile`)."""
    p = Path(path)
    try:
        info = p.stat()
    except FileNotFoundError:
        raise UsageError(f"profile not found: {p}") from None
    except OSError as exc:
        raise UsageError(f"cannot read profile {p}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise UsageError(f"profile {p} is not a regular file")
    try:
        with p.open("rb") as fh:
            data = fh.read(MAX_PROFILE_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"cannot read profile {p}: {exc.strerror or exc}") from None
    try:
        return read_profile(data)
    except ProfileFileError as exc:
        raise UsageError(f"profile {p}: {exc}") from None


def parse_date(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--date {text!r} is not a date: write YYYY-MM-DD, e.g. 2024-06-30") from None


def calculate(doc: Document, profile: dict[str, object], as_of: date) -> Result:
    if not doc.rules:
        raise UsageError("this store has no calculator rules (they are written for the 2024 Hangzhou package)")
    try:
        check_document_rules(doc)
    except RuleError as exc:
        raise UsageError(f"the store's calculator {exc}; rebuild the store with: hzpolicy-tui build") from None
    try:
        return evaluate(list(doc.rules), profile, as_of, doc)
    except ProfileError as exc:
        if len(exc.problems) > 1:
            lines = "".join(f"\n  {p}" for p in exc.problems)
            raise UsageError(f"bad profile, {len(exc.problems)} facts to fix:{lines}") from None
        raise UsageError(f"bad profile: {exc}") from None


def cmd_calc(doc: Document, profile_path: str, as_json: bool, when: str | None) -> int:
    result = calculate(doc, load_profile(profile_path), parse_date(when))
    if as_json:
        dump_json(result.to_json())
        return 0
    print(format_result(result))
    return 0


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - cell_width(text))


def format_result(result: Result) -> str:
    lines = [f"{result.document_title} ({result.valid_from} ~ {result.valid_to})"]
    if not result.in_force:
        lines.append(f"注意: 截至 {result.as_of.isoformat()} 本政策不在有效期內; 以下按條文計算, 僅供參考。")
    items = in_reading_order(result.items)
    for status in STATUS_ORDER:
        group = [i for i in items if i.status == status]
        if not group:
            continue
        lines.append("")
        lines.append(f"== {STATUS_WORDS[status]} ({len(group)}) ==")
        for i in group:
            amount = ""
            if status in ("applies", "needs_approval") and i.kind != "priority":
                amount = ("最高可得 " if i.ceiling else "") + f"{plain(i.amount)} 萬元"
            elif i.kind == "priority":
                amount = "優先安排"
            head = f"({to_numeral(i.clause)}) {i.title}"
            lines.append(f"{_pad(head, 56)} {amount}".rstrip())
            if i.formula and status != "not_applicable":
                lines.append(f"    計算: {i.formula}" + ("  [上限已封頂]" if i.capped else ""))
            if i.reason:
                lines.append(f"    {i.reason}")
            if status in ("applies", "needs_approval"):
                lines.append(f"    依據: 「{i.quote}」")
            if not i.in_force:
                lines.append(f"    有效期 {i.valid_from} ~ {i.valid_to}: 計算日 {result.as_of.isoformat()} 不在其內")
    lines.append("")
    lines.append(f"合計 (可疊加的現金與配套資金): 最高可得 {plain(result.total)} 萬元")
    return "\n".join(lines)


def cmd_agencies(doc: Document, as_json: bool, script: Script) -> int:
    index = agency_index(doc, doc.agency_aliases)
    if as_json:
        dump_json({"agencies": [a.to_json() for a in index]})
        return 0
    for a in index:
        aka = f"  (又名 {'、'.join(a.aliases)})" if a.aliases else ""
        lead = f"  牽頭領域 {','.join(to_numeral(n) for n in a.leads)}" if a.leads else ""
        print(say(f"{a.count:>3}  {_pad(a.name, 26)}{lead}{aka}", script))
    return 0


def cmd_export(doc: Document, what: str, arg: str | None, fmt: str, out: str | None, script: Script) -> int:
    if what == "clause":
        number = resolve_clause(doc, arg or "").number
        records = export.clause_records(doc, [number], script=script)
        title, meta = doc.title, {}
    elif what == "search":
        results = SearchIndex(doc).search(arg or "", script=script, limit=None)
        records, title, meta = export.search_records(results), f"search: {arg}", export.search_meta(results)
    elif what == "bookmarks":
        user = open_user_data()
        notes, bookmarks = user.notes(), set(user.bookmarks())
        numbers = sorted(bookmarks | set(notes))
        absent = export.missing_clauses(doc, numbers)
        if absent:
            listed = ", ".join(str(n) for n in absent)
            print(
                f"hzpolicy-tui: clauses {listed} are bookmarked or noted but not in this package; left out",
                file=sys.stderr,
            )
        records = export.clause_records(doc, numbers, notes=notes, bookmarks=bookmarks, script=script)
        title, meta = f"{doc.title}: bookmarks", {}
    elif what == "calc":
        result = calculate(doc, load_profile(arg or ""), date.today())
        records, title, meta = export.calc_records(result), result.document_title, export.calc_meta(result)
    else:  # pragma: no cover - argparse limits the choices
        raise UsageError(f"cannot export {what!r}")
    text = export.render(records, fmt, title, meta)
    if out:
        try:
            path = export.write(text, fmt, Path(out))
        except OSError as exc:
            raise UsageError(f"cannot write {out}: {exc.strerror or exc}") from None
        print(f"wrote {path} ({len(records)} record(s), {fmt})", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


__all__ = ["StoreError", "UsageError", "cmd_build", "cmd_list", "cmd_search", "cmd_show", "resolve_clause"]
