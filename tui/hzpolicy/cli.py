"""Command-line subcommands: build, list, show, search, overview, agencies, export. Plain text
or JSON on standard output, in the reader's script and language (the run's one :class:`Locale`)."""

from __future__ import annotations

import json
import stat
import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .core import dates, export, found, present, report
from .core.badinput import joined
from .core.calculator import STATUS_ORDER, Result, evaluate, in_reading_order
from .core.facts import FACTS, MAX_PROFILE_BYTES, ProfileError, ProfileFileError, read_profile, validate_profile
from .core.files import TargetExists, check_user_target, os_reason
from .core.i18n import N_
from .core.insights import AliasError, agency_index
from .core.models import Clause, Document, Domain
from .core.numerals import parse_numeral
from .core.parser import ParseError
from .core.paths import STORE_NAME, default_rules, default_source
from .core.rules import RuleError, check_document_rules
from .core.script import typeset
from .core.search import SearchIndex, clause_number_query
from .core.store import StoreError, build_store, clause_record
from .core.wrap import cell_width
from .errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from .core.i18n import Locale
    from .core.insights import Agency
    from .core.userdata import UserData


def dump_json(obj: object) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def shown(text: str, limit: int = 60) -> str:
    """What a user typed, safe to quote in a message: cut at ``limit`` characters, and
    control characters written as escapes rather than sent to the terminal."""
    cut = text[:limit] + ("..." if len(text) > limit else "")
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in cut)


def warn(message: str) -> None:
    """A warning that does not stop the command, on standard error."""
    print(f"hzpolicy-tui: {message}", file=sys.stderr)


def default_build_target(source: Path) -> Path:
    """Where ``build`` writes without ``-o``: in the current folder, the source's name with
    ``.json`` (``hangzhou-2024.json`` for the shipped source). Never inside the installed
    package or a checkout's data/ (``scripts/build_db.py`` regenerates the committed store)."""
    if source.resolve() == default_source().resolve():
        return Path(STORE_NAME)
    return Path(source.with_suffix(".json").name)


NOT_WRITTEN = N_("{file}: {problem}; no store was written")
EXISTS = N_("{path} exists already: add --force to replace it")


def check_output(path: Path, force: bool) -> None:
    """A file the reader named with ``-o``: what :func:`.core.files.check_user_target`
    refuses, as one line; a file that is there needs ``--force``."""
    try:
        check_user_target(path, replace=force)
    except TargetExists:
        raise UsageError(EXISTS, path=path) from None
    except OSError as exc:
        raise UsageError(N_("cannot write {path}: {problem}"), path=path, problem=os_reason(exc)) from None


def cmd_build(
    source: str | None, out: str | None, rules: str | None, loc: Locale, force: bool = False, verbose: bool = False
) -> int:
    """``build``: the document parsed into a store, written atomically. A path given with
    ``-o`` is the reader's: an existing file there needs ``force``, and what is not a file
    is refused (the default name in the current folder is the program's own)."""
    src = Path(source) if source else default_source()
    dst = Path(out) if out else default_build_target(src)
    if not src.exists():
        raise UsageError(N_("source document not found: {path}"), path=src)
    if not src.is_file():
        raise UsageError(N_("source document {path} is not a regular file (a folder, a pipe or a device)"), path=src)
    if rules and not Path(rules).is_file():
        raise UsageError(N_("rules file not found: {path}"), path=rules)
    if dst.exists() and dst.resolve() == src.resolve():
        raise UsageError(N_("the store would overwrite its own source {path}: give another path with -o"), path=src)
    if out:
        check_output(dst, force)
    try:
        doc = build_store(src, dst, Path(rules) if rules else None)
    except ParseError as exc:
        raise UsageError(NOT_WRITTEN, file=src, problem=exc.notice) from None
    except RuleError as exc:
        raise UsageError(NOT_WRITTEN, file=rules or default_rules(), problem=exc.notice) from None
    except AliasError as exc:
        raise UsageError(N_("{problem}; no store was written"), problem=exc.notice) from None
    except OSError as exc:
        problem = os_reason(exc)
        if exc.filename and Path(exc.filename) == src:
            raise UsageError(N_("cannot read {path}: {problem}"), path=src, problem=problem) from None
        raise UsageError(N_("cannot write {path}: {problem}"), path=exc.filename or dst, problem=problem) from None
    figures = sum(len(c.money) for c in doc.clauses)
    counts = counts_text(loc, len(doc.domains), len(doc.clauses), len(doc.rules), figures)
    print(loc.tr("wrote {path}: {counts}").format(path=dst, counts=counts))
    _check_thesaurus(doc, loc, verbose=verbose)
    return 0


def counts_text(loc: Locale, domains: int, clauses: int, rules: int, figures: int | None = None) -> str:
    """A package's size as the command line says it: 8 個領域, 76 條, 96 個金額, 46 條計算規則
    (the money figures where they are known)."""
    counts = [
        loc.trn("{count} domain", "{count} domains", domains).format(count=domains),
        loc.trn("{count} clause", "{count} clauses", clauses).format(count=clauses),
    ]
    if figures is not None:
        counts.append(loc.trn("{count} money figure", "{count} money figures", figures).format(count=figures))
    counts.append(loc.trn("{count} calculator rule", "{count} calculator rules", rules).format(count=rules))
    return ", ".join(counts)


def _check_thesaurus(doc: Document, loc: Locale, verbose: bool = True) -> None:
    """Say which groups of the search thesaurus this document has no word of (they can
    never help a search in it), and whether the thesaurus itself cannot be read. Not
    ``verbose``: only how many, in one short line (a document other than the shipped one
    always leaves groups unused), and how to see them."""
    from .core.search import document_keys
    from .core.thesaurus import ThesaurusError, shipped_thesaurus, unused_groups

    try:
        thesaurus = shipped_thesaurus()
    except ThesaurusError as exc:
        warn(loc.say(exc.notice))
        return
    unused = unused_groups(thesaurus, document_keys(doc))
    if unused and not verbose:
        said = loc.trn(
            "search thesaurus: {n} of {total} group has no word in this document (build --verbose lists them)",
            "search thesaurus: {n} of {total} groups have no word in this document (build --verbose lists them)",
            len(unused),
        )
        warn(said.format(n=len(unused), total=len(thesaurus.groups)))
        return
    if unused:
        names = "、".join("/".join(g.words[:3]) for g in unused)
        said = loc.trn(
            "search thesaurus: {n} group has no word in this document: {groups}",
            "search thesaurus: {n} groups have no word in this document: {groups}",
            len(unused),
        )
        warn(said.format(n=len(unused), groups=names))


def cmd_list(doc: Document, as_json: bool, loc: Locale) -> int:
    script = loc.script
    if as_json:
        dump_json(
            {
                "title": doc.title_in(script),
                "number": loc.doc(doc.number) if doc.number else None,
                "issuer": loc.doc(doc.issuer) if doc.issuer else None,
                "valid_from": doc.valid_from,
                "valid_to": doc.valid_to,
                "domains": [
                    {
                        "number": d.number,
                        "numeral": d.numeral,
                        "title": d.title_in(script),
                        "leads": list(d.lead_agencies_in(script)),
                        "partners": list(d.partner_agencies_in(script)),
                        "budget": _budget_json(d, loc),
                        "clause_numbers": list(d.clause_numbers),
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
        print(f"\n{present.domain_heading(d, loc)}")
        for n in d.clause_numbers:
            print(f"  {n:>3} {present.clause_heading(doc.require(n), loc)}")
    return 0


def _budget_json(domain: Domain, loc: Locale) -> dict[str, object] | None:
    """A domain's budget for ``list --json``: the text (in the reader's script), the exact
    yuan and the year; None when the document states none."""
    budget = domain.budget
    if budget is None:
        return None
    return {"text": loc.doc(budget["text"]), "yuan": budget["yuan"], "year": budget["year"]}


def resolve_clause(doc: Document, ref: str) -> Clause:
    number = clause_number_query(ref)
    if number is None:
        number = parse_numeral(ref.strip("()（）"))
    clause = doc.clause(number) if number else None
    if clause is None:
        last = doc.clauses[-1].number
        raise UsageError(
            N_("no clause '{ref}': give a number from 1 to {last}, e.g. 14, 十四 or (十四)"), ref=shown(ref), last=last
        )
    return clause


def cmd_show(doc: Document, ref: str, as_json: bool, loc: Locale, today: date | None = None) -> int:
    """A clause's page, as the app shows it; ``--json``: its stored fields (both scripts),
    its domain's, and ``shown``, the clause as the reader's script gives it. ``valid_from``/
    ``valid_to`` are the clause's period (its own where it states one: ``period_of`` says
    "clause" or "document"); ``document_valid_from``/``document_valid_to`` the document's."""
    c = resolve_clause(doc, ref)
    d = doc.domain_of(c)
    if as_json:
        rec = clause_record(c)
        rec["domain_title"] = d.title
        rec["domain_title_simplified"] = d.title_simplified
        rec["lead_agencies"] = list(d.lead_agencies)
        if loc.script == "simplified":  # the plain keys in the chosen script; *_simplified as stored
            at = c.text.find(c.body)
            head, tail = (c.text[:at], c.text[at + len(c.body) :]) if at >= 0 else ("", "")
            rec["title"] = c.title_simplified
            rec["body"] = c.body_simplified
            rec["text"] = loc.doc(head) + c.body_simplified + loc.doc(tail) if at >= 0 else loc.doc(c.text)
            rec["units"] = list(c.units_simplified)
            rec["domain_title"] = d.title_simplified
            rec["lead_agencies"] = list(d.lead_agencies_simplified)
            for m in rec["money"] + rec["percentages"]:
                m["text"], m["context"] = loc.doc(m["text"]), loc.doc(m["context"])
        # valid_from/valid_to: the period that applies to this clause, its own where it states
        # one (period_of "clause"), else the document's ("document"); the document's own period
        # is always under document_valid_from/document_valid_to.
        own = c.valid_from is not None or c.valid_to is not None
        rec["valid_from"] = c.valid_from if own else doc.valid_from
        rec["valid_to"] = c.valid_to if own else doc.valid_to
        rec["period_of"] = "clause" if own else "document"
        rec["document_valid_from"] = doc.valid_from
        rec["document_valid_to"] = doc.valid_to
        rec["shown"] = present.clause_fields(doc, c.number, loc)
        dump_json(rec)
        return 0
    sys.stdout.write(present.clause_page(doc, c.number, loc, today or date.today()).text())
    return 0


def cmd_search(
    doc: Document, query: str, as_json: bool, limit: int, loc: Locale, notes: Mapping[int, str] | None = None
) -> int:
    """``search``: every place that holds what the query means, best first, each with where
    it is and why it matched (the reader's notes are searched too)."""
    if limit < 1:
        raise UsageError(N_("--limit must be 1 or more"))
    if not query.strip():
        raise UsageError(N_("search needs a query, e.g. search 研发"))
    results = SearchIndex(doc).search(query, script=loc.script, limit=limit, notes=notes)
    if as_json:
        dump_json(results.to_json())
        return 0
    head, lines = found.summary(results, loc)
    if results.total > len(results.hits):
        head += loc.tr("; showing {count}").format(count=len(results.hits))
    print("\n".join([head, *lines]))
    for h in results.hits:
        number = f"{h.clause:>3}" if h.clause is not None else "  -"
        heading = found.hit_heading(doc, h, loc)
        snippet = h.snippet if h.place == "note" else typeset(h.snippet)  # a note as the reader wrote it
        print(f"\n{number} {heading}\n    {snippet}\n    {found.hit_why(h, loc)}")
    return 0


def cmd_search_all(
    query: str, as_json: bool, limit: int, loc: Locale, notes_of: Callable[[str], Mapping[int, str]]
) -> int:
    """``search --all``: every package of the library searched, the results in one list,
    each naming its package (a package whose store cannot be read is named, not searched)."""
    from .core.library import Library
    from .core.searchall import search_all

    if limit < 1:
        raise UsageError(N_("--limit must be 1 or more"))
    if not query.strip():
        raise UsageError(N_("search needs a query, e.g. search 研发"))
    library = Library()
    searched = []
    docs = {}
    unreadable = []
    for package in library.packages():
        try:
            doc = docs[package.name] = library.open(package)
        except StoreError as exc:
            unreadable.append((package.name, exc.notice))
            continue
        notes = notes_of(package.name)
        searched.append((package.name, SearchIndex(doc).search(query, script=loc.script, limit=limit, notes=notes)))
    every = search_all(query, searched, unreadable, limit)
    if as_json:
        dump_json(every.to_json())
        return 0
    total = every.total
    if total:
        head = loc.trn("{n} place matches", "{n} places match", total).format(n=total)
        k = every.packages_found
        head += " " + loc.trn("({k} package)", "({k} packages)", k).format(k=k)
        if total > len(every.found):
            head += loc.tr("; showing {count}").format(count=len(every.found))
        lines: list[str] = []
    else:
        head, lines = loc.tr("Nothing matches {query}").format(query=f"「{query.strip()}」"), []
    lines += [
        loc.tr("Not searched: {name} ({problem})").format(name=name, problem=loc.say(problem))
        for name, problem in unreadable
    ]
    print("\n".join([head, *lines]))
    for f in every.found:
        h = f.hit
        number = f"{h.clause:>3}" if h.clause is not None else "  -"
        heading = found.hit_heading(docs[f.package], h, loc)
        snippet = h.snippet if h.place == "note" else typeset(h.snippet)
        print(f"\n{number} [{f.package}] {heading}\n    {snippet}\n    {found.hit_why(h, loc)}")
    return 0


def load_profile(path: str) -> dict[str, object]:
    """A profile file -> dict, money kept exact (JSON numbers read as Decimal), bounded in
    size and nesting (see :func:`.core.facts.read_profile`)."""
    p = Path(path)
    try:
        info = p.stat()
    except FileNotFoundError:
        raise UsageError(N_("profile not found: {path}"), path=p) from None
    except OSError as exc:
        raise UsageError(N_("cannot read profile {path}: {problem}"), path=p, problem=os_reason(exc)) from None
    if not stat.S_ISREG(info.st_mode):
        raise UsageError(N_("profile {path} is not a regular file"), path=p)
    try:
        with p.open("rb") as fh:
            data = fh.read(MAX_PROFILE_BYTES + 1)
    except OSError as exc:
        raise UsageError(N_("cannot read profile {path}: {problem}"), path=p, problem=os_reason(exc)) from None
    try:
        return read_profile(data)
    except ProfileFileError as exc:
        raise UsageError(N_("profile {path}: {problem}"), path=p, problem=exc.notice) from None


def parse_date(text: str) -> date:
    """A date given with --date: 2024-06-30, 2024-6-30, 2024/6/30 or 2024年6月30日."""
    try:
        return dates.parse_date(text)
    except dates.DateError as exc:
        raise UsageError(N_("--date: {problem}"), problem=exc.notice) from None


def calc_date(doc: Document, when: str | None) -> dates.ChosenDate:
    """The date a calculation is for: the one given, else today while the package is in
    force, else its last (or first) valid day, with why (:func:`.core.dates.calculation_date`)."""
    if when is not None:
        return dates.ChosenDate(parse_date(when))
    return dates.calculation_date(doc.valid_from, doc.valid_to, date.today())


def profile_facts(path: str | None, saved: str | None, user: Callable[[], UserData]) -> tuple[dict[str, object], str]:
    """The profile a calculation is for, and its name: a JSON file (named by its file name) or
    a profile saved in the app (``--profile NAME``), never both."""
    if path and saved:
        raise UsageError(N_("give a profile file or --profile NAME, not both"))
    if saved:
        data = user()
        facts = data.load_profile(saved)
        if facts is None:
            names = data.profile_names()
            if not names:
                raise UsageError(
                    N_("no profile named {name}: none is saved yet (save one in the app with Ctrl+S)"), name=repr(saved)
                )
            raise UsageError(
                N_("no profile named {name}; saved profiles: {names}"), name=repr(saved), names=", ".join(names)
            )
        return facts, saved
    if not path:
        raise UsageError(N_("calc needs a profile: a JSON file, or --profile NAME for one saved in the app"))
    return load_profile(path), Path(path).stem


def calculate(doc: Document, profile: dict[str, object], as_of: date) -> Result:
    if not doc.rules:
        from .core.library import Library, LibraryError, shipped_package
        from .core.norules import no_rules_notice, package_name_of

        try:
            packages = Library().packages()
        except LibraryError:  # a damaged index: the shipped package is still there
            packages = [shipped_package()]
        raise UsageError(no_rules_notice(package_name_of(doc, packages), packages))
    try:
        check_document_rules(doc)
    except RuleError as exc:
        rebuild = N_("the store's calculator {problem}; rebuild the store with: hzpolicy-tui build")
        raise UsageError(rebuild, problem=exc.notice) from None
    try:
        return evaluate(list(doc.rules), profile, as_of, doc)
    except ProfileError as exc:
        if len(exc.problems) > 1:
            lines = joined([p.notice for p in exc.problems], "\n  ")
            many = N_("bad profile, {count} facts to fix:\n  {problems}")
            raise UsageError(many, count=len(exc.problems), problems=lines) from None
        raise UsageError(N_("bad profile: {problem}"), problem=exc.notice) from None


@dataclass(frozen=True)
class CalcArgs:
    """What ``calc`` and ``export calc`` take besides a profile file: a saved profile's name
    (``--profile``), a date (``--date``)."""

    saved: str | None = None
    when: str | None = None


def calculated(
    doc: Document, path: str | None, calc: CalcArgs, user: Callable[[], UserData], made: datetime | None = None
) -> tuple[Result, report.ReportFacts]:
    """A profile (a file, or one saved in the app) worked out on its date (:func:`calc_date`),
    and what a report of it says besides (its name, its figures, why the date)."""
    facts, name = profile_facts(path, calc.saved, user)
    chosen = calc_date(doc, calc.when)
    result = calculate(doc, facts, chosen.day)
    return result, report.ReportFacts(validate_profile(facts), name, chosen, made, doc.issuer or "")


def cmd_calc(
    doc: Document,
    profile_path: str | None,
    as_json: bool,
    when: str | None,
    loc: Locale,
    saved: str | None,
    user: Callable[[], UserData],
) -> int:
    """``calc``: a profile file, or one saved in the app (``--profile NAME``), on the date given
    or the package's own (:func:`calc_date`); text in the report's words, or JSON."""
    result, about = calculated(doc, profile_path, CalcArgs(saved, when), user)
    if as_json:
        dump_json(report.report_json(result, about, loc))
        return 0
    print(format_result(result, loc, about.chosen))
    return 0


def cmd_facts(as_json: bool, loc: Locale) -> int:
    """``calc --facts``: the keys a profile file may hold, each with its type, the document's
    words for it (in the reader's script), its choices and the clauses it serves."""
    rows: list[dict[str, Any]] = []
    for fact in FACTS.values():
        kind = loc.tr(FACT_TYPES[fact.type])
        if fact.type == "int" and fact.maximum is not None:
            kind += f" {fact.minimum}-{fact.maximum}"
        rows.append(
            {
                "key": fact.name,
                "type": fact.type,
                "type_text": kind,
                "label": loc.doc(fact.label),
                "choices": dict(zip(fact.choices, (loc.doc(c) for c in fact.choice_labels), strict=True)),
                "clauses": list(fact.clauses),
            }
        )
    if as_json:
        dump_json({"facts": rows})
        return 0
    for row in rows:
        choices = "; ".join(f"{k} = {v}" for k, v in row["choices"].items())
        clauses = ",".join(str(c) for c in row["clauses"])
        print(f"{row['key']}  [{row['type_text']}]  {row['label']}  ({clauses})")
        if choices:
            print(f"    {choices}")
    return 0


# What each type of fact is, as ``calc --facts`` says it.
FACT_TYPES = {
    "wan": N_("amount in 10k yuan"),
    "bool": N_("true or false"),
    "int": N_("whole number"),
    "enum": N_("one of"),
    "enum_list": N_("a list of"),
}


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - cell_width(text))


def format_result(result: Result, loc: Locale, chosen: dates.ChosenDate | None = None) -> str:
    """A result as text, in the words of :mod:`.core.report`: by status, each item with its
    amount on its heading line and its explanation indented below; the total and what it
    leaves out last."""
    lines = [report.document_line(result, loc), report.date_line(result, loc)]
    because = report.because_block(chosen, loc)
    if because is not None:
        lines.append(because.text)
    notice = report.not_in_force_notice(result, loc)
    if notice:
        lines.append(notice)
    items = in_reading_order(result.items)
    for status in STATUS_ORDER:
        group = [i for i in items if i.status == status]
        if not group:
            continue
        lines.append("")
        lines.append(f"== {report.status_name(status, loc)} ({len(group)}) ==")
        for i in group:
            lines.append(f"{_pad(report.heading(i, loc), 56)} {report.amount_text(i, loc)}".rstrip())
            # the sentence a result rests on, where it gives something (not for 40 that do not)
            blocks = report.item_blocks(i, result.as_of, loc, amount=False, quote=report.has_amount(i))
            lines.extend(f"    {b.text}" for b in blocks)
            if i.missing:  # who writes the profile file needs its keys (the report says labels only)
                keys = loc.tr("keys in a profile file: {keys}").format(keys=", ".join(i.missing))
                lines.append(f"    {keys}")
    lines.append("")
    lines.append(report.total_line(result, loc))
    lines += [f"    {line}" for line in report.left_out_lines(result, loc)]
    return "\n".join(lines)


def cmd_agencies(doc: Document, as_json: bool, loc: Locale) -> int:
    """Every agency with how many clauses name it, the domains it leads and its other names
    (the document's own words, in the reader's script)."""
    index = agency_index(doc, doc.agency_aliases)
    if as_json:
        dump_json({"agencies": [_agency_fields(a, loc) for a in index]})
        return 0
    for a in index:
        line = f"{a.count:>3}  {_pad(loc.doc(a.name), 26)}"
        if a.leads:
            domains = "; ".join(present.domain_heading(doc.domains[n - 1], loc) for n in a.leads)
            line += "  " + loc.tr("leads {domains}").format(domains=domains)
        if a.aliases:
            line += "  " + loc.tr("(also called {names})").format(names="、".join(loc.doc(x) for x in a.aliases))
        print(line.rstrip())
    return 0


def _agency_fields(agency: Agency, loc: Locale) -> dict[str, object]:
    """An agency's JSON, its names and note in the reader's script (the keys unchanged)."""
    fields = agency.to_json()
    fields.update(name=loc.doc(agency.name), aliases=[loc.doc(x) for x in agency.aliases], note=loc.doc(agency.note))
    return fields


def cmd_overview(doc: Document, as_json: bool, loc: Locale, today: date | None = None) -> int:
    """The document's page, then each domain in brief; ``--json``: the document's fields."""
    if as_json:
        dump_json(present.document_fields(doc, loc))
        return 0
    pages = [present.document_page(doc, loc, today or date.today())]
    pages += [present.domain_page(doc, d.number, loc, brief=True) for d in doc.domains]
    sys.stdout.write("\n".join(page.text() for page in pages))
    return 0


def _calc_report(
    doc: Document, path: str | None, calc: CalcArgs, fmt: str, loc: Locale, user: Callable[[], UserData]
) -> tuple[str, int]:
    """``export calc``: the report of a profile (a file or a saved one) on its date, and how
    many results it holds."""
    result, about = calculated(doc, path, calc, user, made=datetime.now())
    return report.render_report(result, about, fmt, loc), len(result.items)


def cmd_export(
    doc: Document,
    what: str,
    arg: str | None,
    fmt: str,
    out: str | None,
    loc: Locale,
    user: Callable[[], UserData],
    force: bool = False,
    calc: CalcArgs | None = None,
) -> int:
    """Export to a file (``out``) or to standard output. ``user`` opens the user's data,
    needed for bookmarks and saved profiles. A file that is there is replaced only with
    ``force``. A calculator result is written as its report (:func:`.core.report.render_report`)."""
    if out:  # refused before anything is worked out
        check_output(Path(out).expanduser(), force)
    if what == "calc":
        text, count = _calc_report(doc, arg, calc or CalcArgs(), fmt, loc, user)
    else:
        records, title, meta = _exported(doc, what, arg or "", loc, user)
        text, count = export.render(records, fmt, title, meta, loc), len(records)
    if out:
        try:
            path = export.write(text, fmt, Path(out), replace=force)
        except TargetExists:  # made meanwhile by another program: still not replaced
            raise UsageError(EXISTS, path=out) from None
        except OSError as exc:
            raise UsageError(N_("cannot write {path}: {problem}"), path=out, problem=os_reason(exc)) from None
        wrote = loc.trn("wrote {path} ({n} record, {format})", "wrote {path} ({n} records, {format})", count)
        print(wrote.format(path=path, n=count, format=fmt), file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _exported(
    doc: Document, what: str, arg: str, loc: Locale, user: Callable[[], UserData]
) -> tuple[list[export.Record], str, export.Record]:
    """What ``export WHAT ARG`` writes: its records, its title and what it says of itself."""
    if what == "clause":
        number = resolve_clause(doc, arg).number
        return export.clause_records(doc, [number], loc=loc), doc.title_in(loc.script), {}
    if what == "search":
        results = SearchIndex(doc).search(arg, script=loc.script, limit=None, notes=user().notes())
        title = loc.tr("Search: {query}").format(query=arg)
        return export.search_records(results, doc, loc), title, export.search_meta(results)
    if what == "bookmarks":
        data = user()
        notes, bookmarks = data.notes(), set(data.bookmarks())
        numbers = sorted(bookmarks | set(notes))
        absent = export.missing_clauses(doc, numbers)
        if absent:
            left_out = loc.trn(
                "clause {numbers} is bookmarked or noted but not in this package; left out",
                "clauses {numbers} are bookmarked or noted but not in this package; left out",
                len(absent),
            )
            warn(left_out.format(numbers=", ".join(str(n) for n in absent)))
        records = export.clause_records(doc, numbers, notes=notes, bookmarks=bookmarks, loc=loc)
        title = loc.tr("{title}: bookmarks and notes").format(title=doc.title_in(loc.script))
        return records, title, {}
    raise AssertionError(f"cannot export {what!r}")  # pragma: no cover - argparse limits the choices


__all__ = [
    "StoreError",
    "UsageError",
    "cmd_build",
    "cmd_list",
    "cmd_overview",
    "cmd_search",
    "cmd_show",
    "resolve_clause",
]
