"""What a reader is shown of the document, described once: a clause, a domain, the whole
document, a money figure, the validity. Each page is a list of :class:`Block` s in the
reader's script and language; the app draws them (styled, wrapped the Chinese way), the
command line prints them (:meth:`Page.text`), and the exports write them
(:meth:`Page.markdown`, :func:`clause_fields`).

A page carries no styling, only what each line *is* (a title, a meta line, the clause's own
text, an item) and marks on spans (a figure, a good or bad status), so every surface shows
the same words in the same order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from .i18n import N_, Locale
from .models import (
    DOCUMENT,
    Clause,
    Document,
    Domain,
    MoneyRecord,
    PercentRecord,
    Target,
    record_amount,
    validity_status,
)
from .money import figure_spans, grouped, plain
from .script import typeset

# What a line is. "body" is a clause's own text (search marks are laid over it by offset).
# "subsection": a heading under a section (a result in a calculator report).
BlockKind = Literal["title", "meta", "section", "subsection", "text", "body", "item", "blank"]
# How a span reads: a money figure, a status that is fine or not, something secondary.
Tone = Literal["figure", "good", "bad", "dim", "strong"]


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    tone: Tone


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str = ""
    marks: tuple[Mark, ...] = ()
    opens: Target | None = None  # a line that leads somewhere (a clause on a domain page)
    keep: tuple[tuple[int, int], ...] = ()  # spans a line break never splits (a name, a status)


BLANK = Block("blank")


@dataclass(frozen=True)
class Page:
    target: Target
    heading: str  # the page in one line (the palette, a window title, an export's title)
    blocks: tuple[Block, ...]

    def _lines(self, around: dict[str, tuple[str, str]]) -> str:
        """The blocks one a line, each kind between its ``around`` (before, after)."""
        lines = []
        for b in self.blocks:
            before, after = around.get(b.kind, ("", ""))
            lines.append(f"{before}{b.text}{after}")
        return "\n".join(lines).strip("\n") + "\n"

    def text(self) -> str:
        """Plain text, as the command line prints it and the clipboard takes it."""
        return self._lines({"item": ("- ", ""), "section": ("[", "]")})

    def markdown(self, level: int = 2) -> str:
        """Markdown: the title a heading of ``level``, sections one level below; a meta line
        ends in a hard line break, so each stays on its own line."""
        return self._lines(
            {
                "title": ("#" * level + " ", ""),
                "section": ("#" * (level + 1) + " ", ""),
                "subsection": ("#" * (level + 2) + " ", ""),
                "item": ("- ", ""),
                "meta": ("", "  "),
            }
        )


# --- Words --------------------------------------------------------------------------------------

ROLE_NAMES: dict[str, str] = {
    "budget_line": N_("budget"),
    "ceiling": N_("ceiling"),
    "threshold": N_("threshold"),
    "fixed_award": N_("fixed award"),
    "rate": N_("rate"),
    "target": N_("target"),
    # TRANSLATORS: a limit or rate the text says was raised or lowered (由200萬元提高至500萬元: 200萬元).
    "replaced": N_("replaced (old value)"),
    "other": N_("other"),
}
VALIDITY_NAMES: dict[str, str] = {
    "in_force": N_("in force"),
    "expired": N_("expired"),
    "not_yet": N_("not yet in force"),
    "unknown": N_("validity not stated"),
}


def role_name(role: str, loc: Locale) -> str:
    """What a figure is (上限, 门槛 …), in the reader's language."""
    return loc.tr(ROLE_NAMES.get(role, ROLE_NAMES["other"]))


def yuan_text(yuan: Decimal, loc: Locale) -> str:
    """An exact amount in yuan with thousands separators: 17,710,000,000元."""
    return loc.tr("{amount} yuan").format(amount=grouped(yuan))


def yi_text(yuan: Decimal, loc: Locale) -> str:
    """A budget-sized amount as a reader counts it: in 億元 (hundreds of millions) in Chinese,
    as the document states budgets (177.1亿元); in billions in English (17.71 billion yuan)."""
    if loc.lang == "en":
        # TRANSLATORS: shown only in English; {amount} is in billions (10^9 yuan, 十億元).
        return loc.tr("{amount} billion yuan").format(amount=plain(yuan / Decimal(1000000000)))
    # TRANSLATORS: {amount} is in 億元 (10^8 yuan); shown only in Chinese.
    return loc.tr("{amount} 100M yuan").format(amount=plain(yuan / Decimal(100000000)))


def figure_text(record: MoneyRecord | PercentRecord, loc: Locale) -> str:
    """A figure as the document writes it, in the reader's script: 200万元, 50%."""
    return loc.doc(record["text"])


def rate_text(record: PercentRecord, loc: Locale) -> str:
    """What a rate written without % states, as a percent of its base: 六五折 -> pays 65% (35%
    off); 2倍 -> 200% of the base; 1:1 -> 100% of the base; "" for a percentage (it says so)."""
    kind = record["kind"]
    percent = Decimal(record["percent"])
    if kind == "discount":
        # TRANSLATORS: {percent} and {off} are percentages with their sign: pays 65% (35% off).
        return loc.tr("pays {percent} ({off} off)").format(percent=f"{plain(percent)}%", off=f"{plain(100 - percent)}%")
    if kind in ("multiple", "ratio"):
        # TRANSLATORS: {percent} is a percentage with its sign: 200% of the base (2倍).
        return loc.tr("{percent} of the base").format(percent=f"{plain(percent)}%")
    return ""


def amount_text(amount: Decimal, currency: str, loc: Locale) -> str:
    """An exact amount in its currency: 17,710,000,000元, or USD 100,000,000."""
    if currency in ("USD", "HKD"):
        return f"{currency} {grouped(amount)}"
    return yuan_text(amount, loc)


def exact_text(record: MoneyRecord, loc: Locale) -> str:
    """A money figure's exact amount: 17,710,000,000元, or USD 100,000,000."""
    return amount_text(record_amount(record), record["currency"], loc)


def figure_block(record: MoneyRecord | PercentRecord, loc: Locale, exact: str = "") -> Block:
    """One figure of a clause: its text, what it is, and its exact amount (money) or what it
    states (a rate written without %: 六五折 = pays 65%)."""
    shown = figure_text(record, loc)
    text = f"{shown} [{role_name(record['role'], loc)}]" + (f" = {exact}" if exact else "")
    return Block("item", text, (Mark(0, len(shown), "figure"), Mark(len(shown), len(text), "dim")))


@dataclass(frozen=True)
class Validity:
    status: str  # in_force, expired, not_yet, unknown
    valid_from: str | None
    valid_to: str | None
    as_of: date

    @property
    def in_force(self) -> bool:
        return self.status == "in_force"

    def word(self, loc: Locale) -> str:
        return loc.tr(VALIDITY_NAMES[self.status])

    def period(self, loc: Locale, sep: str = " ~ ") -> str:
        """2024-01-01 ~ 2024-12-31; an open end says so: 2025-01-01 起, 至 2025-12-31."""
        if self.valid_from and self.valid_to:
            return f"{self.valid_from}{sep}{self.valid_to}"
        if self.valid_from:
            return loc.tr("from {start}").format(start=self.valid_from)
        if self.valid_to:
            return loc.tr("until {end}").format(end=self.valid_to)
        return ""

    def badge(self, loc: Locale) -> str:
        """[已失效 2024-01-01~2024-12-31], for a title bar."""
        if self.status == "unknown":
            return ""
        return f"[{self.word(loc)} {self.period(loc, '~')}]"

    def block(self, loc: Locale) -> Block:
        """有效期: 2024-01-01 ~ 2024-12-31 [已失效, 截至 2026-11-28]"""
        if self.status == "unknown":
            return Block("meta", self.word(loc), (Mark(0, len(self.word(loc)), "dim"),))
        head = loc.tr("Valid: {period}").format(period=self.period(loc)) + "  "
        status = "[" + loc.tr("{status}, as of {date}").format(status=self.word(loc), date=self.as_of.isoformat()) + "]"
        tone: Tone = "good" if self.in_force else "bad"
        span = (len(head), len(head) + len(status))
        return Block("meta", head + status, (Mark(*span, tone),), keep=(span,))


def validity(doc: Document, today: date) -> Validity:
    return Validity(doc.validity_status(today), doc.valid_from, doc.valid_to, today)


def clause_validity(doc: Document, clause: Clause, today: date) -> Validity:
    """The period a clause applies in: its own where its text states one (有效期至2025年6月30日),
    else the document's."""
    if not clause.valid_from and not clause.valid_to:
        return validity(doc, today)
    start, end = clause.valid_from, clause.valid_to
    return Validity(validity_status(start, end, today), start, end, today)


def _figures_marked(text: str) -> tuple[Mark, ...]:
    return tuple(Mark(s, e, "figure") for s, e in figure_spans(text))


def _text_blocks(text: str) -> list[Block]:
    return [Block("text", typeset(p), _figures_marked(p)) for p in text.splitlines() if p.strip()]


# --- A clause -----------------------------------------------------------------------------------


def clause_heading(clause: Clause, loc: Locale) -> str:
    """(十四) 更大力度支持…"""
    return f"({clause.numeral}) {clause.title_in(loc.script)}"


def domain_heading(domain: Domain, loc: Locale) -> str:
    """三、科技创新政策"""
    return f"{domain.numeral}、{domain.title_in(loc.script)}"


def name_spans(text: str, names: Iterable[str]) -> tuple[tuple[int, int], ...]:
    """Where each of ``names`` stands in ``text``, in order: spans a line never breaks
    (an agency's name reads as one word: 市规划和自然资源局, not 市规划和自然资源 / 局)."""
    spans = []
    at = 0
    for name in names:
        found = text.find(name, at)
        if found >= 0:
            spans.append((found, found + len(name)))
            at = found + len(name)
    return tuple(spans)


def agencies_block(doc: Document, clause: Clause, loc: Locale) -> Block:
    """Who leads the domain and who carries the clause out, on one line, each name kept whole."""
    leads = doc.domain_of(clause).lead_agencies_in(loc.script)
    units = clause.units_in(loc.script)
    parts = []
    if leads:
        parts.append(loc.tr("Lead: {agencies}").format(agencies="、".join(leads)))
    parts.append(loc.tr("Responsible: {agencies}").format(agencies="、".join(units) or "-"))
    line = " | ".join(parts)
    return Block("meta", line, keep=name_spans(line, [*leads, *units]))


def clause_page(
    doc: Document,
    number: int,
    loc: Locale,
    today: date,
    note: str = "",
    bookmarked: bool = False,
) -> Page:
    """A clause in full, text first: heading, where it stands, validity, its own words, the
    reader's note, the agencies on one line, then every figure with what it is."""
    c = doc.require(number)
    d = doc.domain_of(c)
    title = ("* " if bookmarked else "") + clause_heading(c, loc)
    place = loc.tr("Clause {number}").format(number=c.number) + f" | {domain_heading(d, loc)}"
    body = typeset(c.body_in(loc.script))  # same length as the stored text: search spans line up
    blocks = [
        Block("title", title),
        Block("meta", place, (Mark(0, len(place), "dim"),)),
    ]
    if c.valid_from or c.valid_to:
        own = clause_validity(doc, c, today)
        line = loc.tr("Own period: {start} ~ {end}").format(start=c.valid_from or "?", end=c.valid_to or "?")
        if own.status != "unknown":
            line += "  [" + loc.tr("{status}, as of {date}").format(status=own.word(loc), date=today.isoformat()) + "]"
        blocks.append(Block("meta", line))
    elif doc.valid_from:
        blocks.append(validity(doc, today).block(loc))
    blocks += [BLANK, Block("body", body, _figures_marked(body)), BLANK]
    if note.strip():
        blocks.append(Block("section", loc.tr("My note")))
        blocks.extend(Block("text", line) for line in note.splitlines() if line.strip())
        blocks.append(BLANK)
    blocks.append(agencies_block(doc, c, loc))
    if c.money or c.percentages:
        blocks += [BLANK, Block("section", loc.tr("Money and percentages"))]
        blocks.extend(figure_block(m, loc, exact_text(m, loc)) for m in c.money)
        blocks.extend(figure_block(p, loc, rate_text(p, loc)) for p in c.percentages)
    return Page(("clause", c.number), clause_heading(c, loc), tuple(blocks))


def clause_fields(doc: Document, number: int, loc: Locale) -> dict[str, object]:
    """A clause as data for JSON and CSV (keys stay English; values in the reader's script)."""
    c = doc.require(number)
    d = doc.domain_of(c)
    return {
        "clause": c.number,
        "numeral": c.numeral,
        "title": c.title_in(loc.script),
        "domain": d.number,
        "domain_title": d.title_in(loc.script),
        "lead_agencies": list(d.lead_agencies_in(loc.script)),
        "units": list(c.units_in(loc.script)),
        "text": typeset(c.body_in(loc.script)),
        "money": [figure_text(m, loc) for m in c.money] + [figure_text(p, loc) for p in c.percentages],
        "valid_from": c.valid_from or doc.valid_from if (c.valid_from or c.valid_to) else doc.valid_from,
        "valid_to": c.valid_to if (c.valid_from or c.valid_to) else doc.valid_to,
    }


def money_summary(clause: Clause, loc: Locale, most: int = 2) -> str:
    """A clause's largest awards in a few words: 上限 500万元、定额 100万元 (budgets, ceilings
    and fixed awards, largest first; never a sum, which would add a ceiling to a threshold)."""
    awards = [m for m in clause.money if m["role"] in ("budget_line", "ceiling", "fixed_award")]
    awards.sort(key=lambda m: (m["currency"] != "CNY", -record_amount(m)))
    seen: set[str] = set()
    parts = []
    for m in awards:
        if m["text"] in seen:
            continue
        seen.add(m["text"])
        parts.append(f"{role_name(m['role'], loc)} {figure_text(m, loc)}")
        if len(parts) == most:
            break
    return "、".join(parts)


# --- A domain -----------------------------------------------------------------------------------


def budget_place(clause: int, loc: Locale) -> str:
    """Where a domain states its budget: 第2条, or its introduction (clause 0)."""
    if not clause:
        # TRANSLATORS: where a domain states its budget: in its introduction, not in a clause.
        return loc.tr("in the introduction")
    return loc.tr("Clause {number}").format(number=clause)


def budget_line(domain: Domain, loc: Locale, city: bool = True) -> str:
    """2024年市财政预算安排 177.1亿元 (第2条), or '' when the domain states none; a budget
    stated in the domain's introduction (``clause`` 0) says so instead of a clause. Not a
    city's (``city`` false: a district's, a county's): said without the level."""
    if not domain.budget:
        return ""
    b = domain.budget
    amount = loc.doc(b["text"])
    if not b["clause"]:
        words = (
            loc.tr("City budget {year}: {amount} (in the introduction)")
            if city
            else loc.tr("Budget {year}: {amount} (in the introduction)")
        )
        return words.format(year=b["year"], amount=amount)
    words = (
        loc.tr("City budget {year}: {amount} (clause {clause})")
        if city
        else loc.tr("Budget {year}: {amount} (clause {clause})")
    )
    return words.format(year=b["year"], amount=amount, clause=b["clause"])


def domain_page(doc: Document, number: int, loc: Locale, brief: bool = False) -> Page:
    """A domain: who leads it, its budget, its introduction and targets, and its clauses
    with their largest awards (each line opens its clause). ``brief``: without the
    introduction and the clauses (``overview`` lists every domain so)."""
    d = doc.domains[number - 1]
    count = len(d.clause_numbers)
    blocks = [Block("title", domain_heading(d, loc))]
    span = loc.trn("{count} clause: {first}-{last}", "{count} clauses: {first}-{last}", count).format(
        count=count, first=d.first_clause, last=d.last_clause
    )
    blocks.append(Block("meta", span, (Mark(0, len(span), "dim"),)))
    leads = "、".join(d.lead_agencies_in(loc.script))
    if leads:
        line = loc.tr("Lead: {agencies}").format(agencies=leads)
        blocks.append(Block("meta", line, keep=name_spans(line, d.lead_agencies_in(loc.script))))
    partners = d.partner_agencies_in(loc.script)
    if partners:
        line = loc.tr("Working with the lead: {agencies}").format(agencies=loc.listed(partners))
        blocks.append(Block("meta", line, keep=name_spans(line, partners)))
    budget = budget_line(d, loc, doc.city_budget)
    if budget:
        blocks.append(Block("meta", budget, _figures_marked(budget)))
    intro = d.intro_in(loc.script)
    if intro.strip() and not brief:
        blocks += [BLANK, Block("section", loc.tr("Introduction")), *_text_blocks(intro)]
    targets = d.targets_in(loc.script)
    if targets:
        blocks += [BLANK, Block("section", loc.tr("Targets"))]
        blocks.extend(Block("item", typeset(t), _figures_marked(t)) for t in targets)
    if brief:
        return Page(("domain", d.number), domain_heading(d, loc), tuple(blocks))
    blocks += [BLANK, Block("section", loc.tr("Clauses"))]
    for n in d.clause_numbers:
        c = doc.require(n)
        line = clause_heading(c, loc)
        summary = money_summary(c, loc)
        marks: tuple[Mark, ...] = ()
        if summary:
            start = len(line) + 3
            line += f" | {summary}"
            marks = (Mark(start, len(line), "figure"),)
        blocks.append(Block("item", line, marks, opens=("clause", n)))
    return Page(("domain", d.number), domain_heading(d, loc), tuple(blocks))


# --- The document -------------------------------------------------------------------------------


def total_line(doc: Document, loc: Locale) -> str:
    if not doc.total_budget:
        return ""
    words = loc.tr("Total city funding: {amount}") if doc.city_budget else loc.tr("Total funding: {amount}")
    return words.format(amount=loc.doc(doc.total_budget["text"]))


def document_page(doc: Document, loc: Locale, today: date) -> Page:
    """The document: title, where it comes from, validity, the total, the preamble, its
    domains (each line opens the domain) and the closing paragraphs."""
    title = doc.title_in(loc.script)
    blocks = [Block("title", title)]
    sizes = loc.tr("{domains} domains, {clauses} clauses").format(domains=len(doc.domains), clauses=len(doc.clauses))
    blocks.append(Block("meta", sizes, (Mark(0, len(sizes), "dim"),)))
    if doc.issuer:
        blocks.append(Block("meta", loc.tr("Issued by: {issuer}").format(issuer=loc.doc(doc.issuer))))
    if doc.number:
        blocks.append(Block("meta", loc.tr("Document number: {number}").format(number=loc.doc(doc.number))))
    if doc.published:
        blocks.append(Block("meta", loc.tr("Published: {date}").format(date=doc.published)))
    if doc.source_line:
        source = " ".join(loc.doc(doc.source_line).split())  # the page's no-break spaces
        blocks.append(Block("meta", source, (Mark(0, len(source), "dim"),)))
    if doc.valid_from or doc.valid_to:
        blocks.append(validity(doc, today).block(loc))
    total = total_line(doc, loc)
    if total:
        blocks.append(Block("meta", total, _figures_marked(total)))
    preamble = doc.preamble_in(loc.script)
    if preamble.strip():
        blocks += [BLANK, Block("section", loc.tr("Preamble")), *_text_blocks(preamble)]
    blocks += [BLANK, Block("section", loc.tr("Domains"))]
    for d in doc.domains:
        count = loc.trn("{count} clause", "{count} clauses", len(d.clause_numbers)).format(count=len(d.clause_numbers))
        line = f"{domain_heading(d, loc)} ({count})"
        marks: tuple[Mark, ...] = ()
        if d.budget:
            start = len(line) + 1
            line += f" {loc.doc(d.budget['text'])}"
            marks = (Mark(start, len(line), "figure"),)
        blocks.append(Block("item", line, marks, opens=("domain", d.number)))
    closing = doc.closing_in(loc.script)
    if closing:
        blocks += [BLANK, Block("section", loc.tr("Closing"))]
        for para in closing:
            blocks.extend(_text_blocks(para))
    return Page(DOCUMENT, title, tuple(blocks))


def page_for(doc: Document, target: Target, loc: Locale, today: date) -> Page:
    """The page of a target (notes and bookmarks are the app's to add to a clause page)."""
    kind, number = target
    if kind == "clause":
        return clause_page(doc, number, loc, today)
    if kind == "domain":
        return domain_page(doc, number, loc)
    return document_page(doc, loc, today)


def document_fields(doc: Document, loc: Locale) -> dict[str, object]:
    """The document and its domains as data: what ``overview --json`` prints."""
    total = doc.total_budget
    return {
        "title": doc.title_in(loc.script),
        "issuer": loc.doc(doc.issuer) if doc.issuer else None,
        "number": loc.doc(doc.number) if doc.number else None,
        "published": doc.published,
        "source": " ".join(loc.doc(doc.source_line).split()) if doc.source_line else None,
        "valid_from": doc.valid_from,
        "valid_to": doc.valid_to,
        "total": {"text": loc.doc(total["text"]), "yuan": total["yuan"]} if total else None,
        "preamble": doc.preamble_in(loc.script),
        "closing": list(doc.closing_in(loc.script)),
        "domains": [
            {
                "number": d.number,
                "numeral": d.numeral,
                "title": d.title_in(loc.script),
                "lead_agencies": list(d.lead_agencies_in(loc.script)),
                "partner_agencies": list(d.partner_agencies_in(loc.script)),
                "budget": (
                    {"text": loc.doc(d.budget["text"]), "yuan": d.budget["yuan"], "year": d.budget["year"]}
                    if d.budget
                    else None
                ),
                "targets": list(d.targets_in(loc.script)),
                "clauses": list(d.clause_numbers),
            }
            for d in doc.domains
        ],
    }
