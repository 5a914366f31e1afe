"""A calculator result described once, in the reader's language and script.

The engine (:mod:`.calculator`) keeps what it says as messages and values; here they become
words for a :class:`~.i18n.Locale`: a status's name, an item's amount ("最高可得 200 万元"),
its working, why it has its status, the sentence it rests on, a validity warning, the total
and the notice for a date outside the policy's period. The calculator screen, the command
line (``calc``) and the calculator export all read a result through these functions, so each
says the same words in the same order.

The document's own words (a rule's title, a fact's label, the quoted sentence) are shown in
the reader's script and never translated; the interface's words are catalog messages.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from .calculator import (
    APPLIES,
    COUNTED_KINDS,
    NEEDS_APPROVAL,
    NEEDS_INPUT,
    NOT_APPLICABLE,
    STATUS_ORDER,
    STATUS_WORDS,
    WITH_AMOUNT,
    Item,
    Result,
    entered,
    in_reading_order,
    say_words,
    wan_text,
)
from .dates import ChosenDate
from .facts import Facts
from .i18n import N_, Locale
from .models import DOCUMENT
from .money import plain
from .numerals import to_numeral
from .present import BLANK, Block, Mark, Page, Tone
from .script import typeset

# How a status reads beside its name: what the enterprise gets, what it may get, what it does
# not, what is still to fill in.
STATUS_TONE: dict[str, Tone] = {
    APPLIES: "good",
    NEEDS_APPROVAL: "figure",
    NOT_APPLICABLE: "bad",
    NEEDS_INPUT: "dim",
}

PRIORITY = N_("priority arrangement")
UP_TO = N_("up to {amount}")
# Labels, each followed by its value: 计算: ..., 依据: ...
STATUS_LABEL = N_("Status:")
AMOUNT_LABEL = N_("Amount:")
WORKING = N_("Working:")
REASON_LABEL = N_("Reason:")
SOURCE_LABEL = N_("Source:")
QUOTED = N_('"{quote}"')


def status_name(status: str, loc: Locale) -> str:
    """适用, 待认定, 不适用, 待填 (applies, needs approval, ...)."""
    return loc.tr(STATUS_WORDS[status])


# The heading of a column of amounts as plain numbers: its unit is the reader's.
AMOUNT_HEADING_WAN = N_("Amount (10k yuan)")
AMOUNT_HEADING_YUAN = N_("Amount (yuan)")


def amount_heading(loc: Locale) -> str:
    """金额 (万元) in Chinese, Amount (yuan) in English: the unit of :func:`wan_text` without
    its unit (``unit=False``)."""
    # Chosen before tr(): the catalogs' extractor takes any string literal inside tr() for a message.
    heading = AMOUNT_HEADING_YUAN if loc.lang == "en" else AMOUNT_HEADING_WAN
    return loc.tr(heading)


def title(item: Item, loc: Locale) -> str:
    """The rule's title (the rules file's words), in the reader's script."""
    return loc.doc(item.title)


def clause_label(item: Item) -> str:
    """(十四): the clause the item comes from, as the document numbers it."""
    return f"({to_numeral(item.clause)})"


def heading(item: Item, loc: Locale) -> str:
    """(十四) 科技型中小企业规模: 研发投入新增额补助"""
    return f"{clause_label(item)} {title(item, loc)}"


def has_amount(item: Item) -> bool:
    """Whether an item shows an amount: it applies, or may once approved."""
    return item.status in WITH_AMOUNT


def amount_text(item: Item, loc: Locale) -> str:
    """What the item gives: 最高可得 200 万元 (a ceiling), 200 万元 (exact), 优先安排 (not money),
    or '' (nothing: it does not apply, or the profile does not yet say)."""
    if not has_amount(item):
        return ""
    if item.kind == "priority":
        return loc.tr(PRIORITY)
    money = wan_text(item.amount, loc)
    return loc.tr(UP_TO).format(amount=money) if item.ceiling else money


def working(item: Item, loc: Locale) -> str:
    """The formula worked on the profile's figures: 234.56 x 5% = 11.728 万元 ('' if none)."""
    return say_words(item.working, loc)


def shown_working(item: Item, loc: Locale) -> str:
    """The working worth showing beside an amount: '' where the item gives nothing (a tier
    not counted says why in its reason) and where it is only the amount (a fixed award)."""
    text = working(item, loc)
    if not text or not has_amount(item) or text == wan_text(item.amount, loc):
        return ""
    return text


def reason(item: Item, loc: Locale) -> str:
    """Why the item has its status: the conditions met or not, what is missing, what an
    approval decides, or which tier of the clause was counted instead."""
    return say_words(item.why, loc)


def summary(item: Item, loc: Locale) -> str:
    """One line for a list: the working where there is an amount (none for a fixed award,
    whose working is its amount), else the reason."""
    return shown_working(item, loc) if has_amount(item) else reason(item, loc)


def capped_note(loc: Locale) -> str:
    return loc.tr("[capped at the ceiling]")


def working_block(item: Item, loc: Locale) -> Block | None:
    """计算: 8000 x 5% = 400 万元, 超过上限, 取 200 万元  [上限已封顶]"""
    text = shown_working(item, loc)
    if not text:
        return None
    line = f"{loc.tr(WORKING)} {text}"
    marks: tuple[Mark, ...] = ()
    if item.capped:
        note = capped_note(loc)
        line += f"  {note}"
        marks = (Mark(len(line) - len(note), len(line), "figure"),)
    return Block("text", line, marks)


def amount_block(item: Item, loc: Locale) -> Block | None:
    """最高可得 200 万元, for an item with money."""
    if not has_amount(item) or item.kind == "priority":
        return None
    text = amount_text(item, loc)
    return Block("text", text, (Mark(0, len(text), "good"),))


def reason_block(item: Item, loc: Locale) -> Block | None:
    text = reason(item, loc)
    return Block("text", text, (Mark(0, len(text), "dim"),)) if text else None


def validity_note(item: Item, as_of: date, loc: Locale) -> str:
    """有效期 2024-01-01 ~ 2024-03-31: 计算日 2024-06-30 不在其内, 不计入合计 ('' when in
    force)."""
    if item.in_force:
        return ""
    if item.left_out:
        return loc.tr("Valid {start} ~ {end}: the date {date} is outside it, so it is not in the total").format(
            start=item.valid_from, end=item.valid_to, date=as_of.isoformat()
        )
    return loc.tr("Valid {start} ~ {end}: the date {date} is outside it").format(
        start=item.valid_from, end=item.valid_to, date=as_of.isoformat()
    )


def validity_block(item: Item, as_of: date, loc: Locale) -> Block | None:
    text = validity_note(item, as_of, loc)
    return Block("text", text, (Mark(0, len(text), "bad"),)) if text else None


def quote_block(item: Item, loc: Locale) -> Block:
    """依据: 「对首次入选的软件企业给予200万元一次性奖励」"""
    label = loc.tr(SOURCE_LABEL)
    quote = loc.tr(QUOTED).format(quote=typeset(loc.doc(item.quote)))
    return Block("text", f"{label} {quote}", (Mark(0, len(label), "strong"),))


def item_blocks(item: Item, as_of: date, loc: Locale, *, amount: bool = True, quote: bool = True) -> list[Block]:
    """An item explained, after its heading: the working, the amount, why, a validity warning,
    and the sentence it rests on. ``amount=False`` where the heading line carries it already."""
    blocks = [
        working_block(item, loc),
        amount_block(item, loc) if amount else None,
        reason_block(item, loc),
        validity_block(item, as_of, loc),
        quote_block(item, loc) if quote else None,
    ]
    return [b for b in blocks if b is not None]


def detail_blocks(item: Item, as_of: date, loc: Locale) -> list[Block]:
    """An item in full: its heading, then :func:`item_blocks`."""
    return [Block("title", heading(item, loc)), *item_blocks(item, as_of, loc)]


# --- The whole result --------------------------------------------------------------------------


def total_block(result: Result, loc: Locale) -> Block:
    """合计 (可叠加的现金与配套资金): 最高可得 211.728 万元, the amount marked."""
    amount = wan_text(result.total, loc)
    text = loc.tr("Total (cash and matching funds, which add up): up to {amount}").format(amount=amount)
    start = text.rfind(amount)
    up_to = loc.tr(UP_TO).format(amount=amount)
    whole = text.rfind(up_to)  # 最高可得 200 万元 is never broken across lines
    keep = ((whole, whole + len(up_to)),) if whole >= 0 else ((start, start + len(amount)),)
    return Block("meta", text, (Mark(0, start, "strong"), Mark(start, start + len(amount), "good")), keep=keep)


def total_line(result: Result, loc: Locale) -> str:
    return total_block(result, loc).text


def left_out_lines(result: Result, loc: Locale) -> list[str]:
    """What applies but is not in the total, and why: an item outside its own period on the
    date (shown with its amount), and what is no cash (a fee saved, a guarantee, a priority)."""
    words = loc.tr("{item}: {amount}, not counted: valid {start} ~ {end}, the date {date} is outside it")
    lines = [
        words.format(
            item=heading(item, loc),
            amount=wan_text(item.amount, loc),
            start=item.valid_from,
            end=item.valid_to,
            date=result.as_of.isoformat(),
        )
        for item in result.left_out
    ]
    not_cash = not_cash_block(result, loc)
    if not_cash is not None:
        lines.append(not_cash.text)
    return lines


def not_cash_block(result: Result, loc: Locale, *, short: bool = False) -> Block | None:
    """(十四)、(四十五): 费用减免、担保与优先安排不是现金, 不计入合计 (None when none applies);
    ``short``: (十四)、(四十五): 非现金, 不计入合计, for the screen's total."""
    other = [i for i in result.items if i.status == APPLIES and i.kind not in COUNTED_KINDS]
    if not other:
        return None
    names = loc.tr(", ").join(clause_label(i) for i in other)
    if short:
        text = loc.tr("{items}: not cash, not added").format(items=names)
    else:
        text = loc.tr("{items}: fee reductions, guarantees and priority arrangements are not cash, not added")
        text = text.format(items=names)
    return Block("meta", text, (Mark(0, len(text), "dim"),))


def left_out_block(result: Result, loc: Locale) -> Block | None:
    """未计入合计: 70 万元 (有效期外), for the screen's total (the report lists each item)."""
    if not result.left_out:
        return None
    n = len(result.left_out)
    text = loc.trn(
        "Not in the total: {amount} from {n} item outside its period on this date",
        "Not in the total: {amount} from {n} items outside their period on this date",
        n,
    ).format(amount=wan_text(result.left_out_total, loc), n=n)
    return Block("meta", text, (Mark(0, len(text), "bad"),))


def counts(result: Result) -> dict[str, int]:
    """How many items have each status, in reading order."""
    return {k: sum(1 for i in result.items if i.status == k) for k in STATUS_ORDER}


def counts_text(result: Result, loc: Locale) -> str:
    """适用 2  待认定 1  不适用 40  待填 3"""
    return "  ".join(f"{status_name(k, loc)} {n}" for k, n in counts(result).items())


def date_line(result: Result, loc: Locale) -> str:
    """计算日期 2024-06-30"""
    return loc.tr("Calculation date {date}").format(date=result.as_of.isoformat())


def because_block(chosen: ChosenDate | None, loc: Locale) -> Block | None:
    """Why the calculation is for this date, when the reader did not choose it: the package
    expired (or is not yet in force), so its last (or first) valid day."""
    if chosen is None or chosen.because is None:
        return None
    text = loc.say(chosen.because)
    return Block("meta", text, (Mark(0, len(text), "figure"),))


def not_in_force_badge(loc: Locale) -> str:
    """[不在有效期内, 结果仅供参考], for a title bar."""
    return loc.tr("[not in force on this date: for reference only]")


def not_in_force_notice(result: Result, loc: Locale) -> str:
    """The sentence that heads a result dated outside the policy's period ('' inside it)."""
    if result.in_force:
        return ""
    return loc.tr(
        "Note: on {date} this policy is not in force; the results below follow its text, for reference only."
    ).format(date=result.as_of.isoformat())


def document_line(result: Result, loc: Locale) -> str:
    """The document and its period: 关于进一步推动经济高质量发展的若干政策 (2024-01-01 ~ 2024-12-31)"""
    return f"{loc.doc(result.document_title)} ({result.valid_from} ~ {result.valid_to})"


# --- The report a consultant sends --------------------------------------------------------------

# The report's sections, by status: what the enterprise gets first, what is not for it last.
SECTION_TITLES: dict[str, str] = {
    APPLIES: N_("Applies ({n})"),
    NEEDS_APPROVAL: N_("Needs approval or review ({n})"),
    NEEDS_INPUT: N_("Needs more figures ({n})"),
    NOT_APPLICABLE: N_("Does not apply ({n})"),
}
DISCLAIMER = N_(
    "Worked out from the policy text by hzpolicy-tui; amounts are the most the text allows, and the "
    "agencies named in each clause decide. For reference only."
)


@dataclass(frozen=True)
class ReportFacts:
    """What a report says besides the result: the profile's name and figures, why the date."""

    facts: Facts
    profile_name: str = ""
    chosen: ChosenDate | None = None
    made: datetime | None = None  # when the report was made (None: not said)
    issuer: str = ""


def _item_lines(item: Item, as_of: date, loc: Locale) -> list[Block]:
    """A result under its heading (its section names its status), one line each: amount,
    working, why, period, and for what gives something the sentence it rests on."""

    def line(label: str, value: str, tone: Tone | None = None) -> Block:
        name = loc.tr(label)
        text = f"{name} {value}"
        marks = [Mark(0, len(name), "strong")]
        if tone:
            marks.append(Mark(len(name) + 1, len(text), tone))
        return Block("item", text, tuple(marks))

    blocks: list[Block] = []  # the status is the section's title
    amount = amount_text(item, loc)
    if amount:
        blocks.append(line(AMOUNT_LABEL, amount, "good" if item.counted else None))
    text = shown_working(item, loc)
    if text:
        blocks.append(line(WORKING, text + ("  " + capped_note(loc) if item.capped else "")))
    why = reason(item, loc)
    if why:
        blocks.append(line(REASON_LABEL, why))
    period = validity_note(item, as_of, loc)
    if period:
        blocks.append(Block("item", period, (Mark(0, len(period), "bad"),)))
    if has_amount(item):  # what is not (yet) for the enterprise needs no quote to be sent
        blocks.append(line(SOURCE_LABEL, loc.tr(QUOTED).format(quote=typeset(loc.doc(item.quote)))))
    return blocks


def report_title(about: ReportFacts, loc: Locale) -> str:
    if about.profile_name:
        return loc.tr("Subsidy estimate: {profile}").format(profile=about.profile_name)
    return loc.tr("Subsidy estimate")


def report_page(result: Result, about: ReportFacts, loc: Locale) -> Page:
    """The whole result as a page to send: the package and its validity, the date (and why),
    the profile and the figures entered, the total and what it leaves out, then the results
    by status (those that apply first, with working and the sentence they rest on), and a
    line saying what the amounts are."""
    as_of = result.as_of
    title = report_title(about, loc)

    def meta(label: str, value: str) -> Block:
        text = loc.tr(label).format(value=value)
        return Block("meta", text, (Mark(0, text.find(value), "strong"),) if value in text else ())

    period = f"{result.valid_from} ~ {result.valid_to}" if result.valid_from else loc.tr("not stated")
    state = loc.tr("in force on this date") if result.in_force else loc.tr("not in force on this date")
    if about.made is not None and result.valid_to and about.made.date().isoformat() > result.valid_to:
        state += loc.tr("; expired on {date}").format(date=result.valid_to)  # as the reader reads it
    blocks: list[Block] = [Block("title", title)]
    blocks.append(meta(N_("Package: {value}"), loc.doc(result.document_title)))
    if about.issuer:
        blocks.append(meta(N_("Issued by: {value}"), loc.doc(about.issuer)))
    blocks.append(meta(N_("Valid: {value}"), f"{period} ({state})"))
    blocks.append(meta(N_("Calculation date: {value}"), as_of.isoformat()))
    because = because_block(about.chosen, loc)
    if because is not None:
        blocks.append(because)
    blocks.append(meta(N_("Profile: {value}"), about.profile_name or loc.tr("(not saved)")))
    if about.made is not None:
        blocks.append(meta(N_("Made: {value}"), about.made.strftime("%Y-%m-%d %H:%M")))
    blocks += [BLANK, Block("section", loc.tr("Figures entered"))]
    figures = entered(about.facts)
    if not figures:
        blocks.append(Block("item", loc.tr("(none: every result needs figures)")))
    for label, value in figures:
        name = say_words(label, loc)
        blocks.append(Block("item", f"{name}: {say_words(value, loc)}", (Mark(0, len(name), "strong"),)))
    blocks += [BLANK, Block("section", loc.tr("Total")), total_block(result, loc)]
    blocks += [Block("item", line, (Mark(0, len(line), "bad"),)) for line in left_out_lines(result, loc)]
    blocks += [BLANK, Block("meta", counts_text(result, loc))]  # a paragraph, not the list's last line
    items = in_reading_order(result.items)
    for status in STATUS_ORDER:
        group = [i for i in items if i.status == status]
        if not group:
            continue
        blocks += [BLANK, Block("section", loc.tr(SECTION_TITLES[status]).format(n=len(group)))]
        for item in group:
            blocks.append(Block("subsection", heading(item, loc)))
            blocks += _item_lines(item, as_of, loc)
    blocks += [BLANK, Block("meta", loc.tr(DISCLAIMER))]
    return Page(DOCUMENT, title, tuple(blocks))


def report_chart(result: Result, loc: Locale) -> list[tuple[str, Decimal, str]]:
    """The amounts of what applies, largest first, as a chart draws them (label, value in
    萬元, the amount in words); empty when nothing gives money."""
    rows = [i for i in result.items if i.status in WITH_AMOUNT and i.kind != "priority" and i.amount > 0]
    rows.sort(key=lambda i: (-i.amount, i.clause))
    return [(heading(i, loc), i.amount, amount_text(i, loc)) for i in rows]


# The report's table (CSV): the key of each column and its heading in the reader's words.
REPORT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("clause", N_("Clause")),
    ("title", N_("Rule")),
    ("status", N_("Status")),
    ("amount", N_("Amount")),
    ("figure", AMOUNT_HEADING_WAN),  # the amount as a number a spreadsheet adds up
    ("counted", N_("In the total")),
    ("working", N_("Working")),
    ("reason", N_("Reason")),
    ("valid", N_("Valid")),
    ("quote", N_("Source")),
)


def report_rows(result: Result, loc: Locale) -> list[dict[str, str]]:
    """One row a result, in reading order, every cell in words (no codes): a spreadsheet a
    client opens. Keys are :data:`REPORT_COLUMNS`' keys."""
    return [
        {
            "clause": clause_label(item),
            "title": title(item, loc),
            "status": status_name(item.status, loc),
            "amount": amount_text(item, loc),
            "figure": _figure_cell(item, loc),
            "counted": loc.tr("yes") if item.counted else loc.tr("no"),
            "working": working(item, loc) if has_amount(item) else "",
            "reason": reason(item, loc),
            "valid": validity_note(item, result.as_of, loc)
            or (f"{item.valid_from} ~ {item.valid_to}" if item.valid_from else ""),
            "quote": typeset(loc.doc(item.quote)),
        }
        for item in in_reading_order(result.items)
    ]


def _figure_cell(item: Item, loc: Locale) -> str:
    """The amount as a plain number in the column's unit (萬元; yuan in English), '' where
    the item gives no money."""
    if not has_amount(item) or item.kind == "priority":
        return ""
    return wan_text(item.amount, loc, unit=False).replace(",", "")


def report_columns(loc: Locale) -> list[tuple[str, str]]:
    """The CSV's columns: (key, heading in the reader's words; the amount's unit is theirs)."""
    return [(key, amount_heading(loc) if key == "figure" else loc.tr(heading)) for key, heading in REPORT_COLUMNS]


def report_json(result: Result, about: ReportFacts, loc: Locale) -> dict[str, Any]:
    """The result as data (the engine's :meth:`Result.to_json`), with what the report says
    besides: the profile (its name, the facts as given and as words), why the date, the
    status and amount of each item in words."""
    data = result.to_json(loc)
    data["as_of"]["because"] = loc.say(about.chosen.because) if about.chosen and about.chosen.because else None
    data["profile"] = {
        "name": about.profile_name or None,
        "facts": {k: _json_value(v) for k, v in about.facts.items()},
        "entered": [{"label": say_words(a, loc), "value": say_words(b, loc)} for a, b in entered(about.facts)],
    }
    record = {id(item): rec for item, rec in zip(result.items, data["items"], strict=True)}
    ordered = in_reading_order(result.items)  # what applies first, as the report reads
    data["items"] = [record[id(item)] for item in ordered]
    for rec, item in zip(data["items"], ordered, strict=True):
        rec["status_name"] = status_name(item.status, loc)
        rec["amount_text"] = amount_text(item, loc)
    data["total_text"] = wan_text(result.total, loc)
    return data


def _json_value(value: object) -> object:
    return plain(value) if isinstance(value, Decimal) else value


REPORT_FORMATS = ("md", "csv", "json", "html")
CHART_CAPTION = N_("What each result gives (the most the text allows)")


def render_report(result: Result, about: ReportFacts, fmt: str, loc: Locale) -> str:
    """The report as a file's text: Markdown and HTML (a page that prints, with a chart of
    what each result gives) as :func:`report_page`; CSV as :func:`report_rows` under the
    reader's headings (its BOM is the writer's); JSON as :func:`report_json`."""
    if fmt == "json":
        return json.dumps(report_json(result, about, loc), ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        columns = report_columns(loc)
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow([heading for _, heading in columns])
        writer.writerows([[row[key] for key, _ in columns] for row in report_rows(result, loc)])
        return buf.getvalue()
    page = report_page(result, about, loc)
    if fmt == "md":
        return page.markdown(level=1)
    if fmt == "html":
        from . import html

        body = Page(page.target, page.heading, page.blocks[1:])  # the title is the document's <h1>
        chart = report_chart(result, loc)
        parts = [html.page_html(body, loc, level=1)]
        if chart:
            parts.append(html.chart_html(chart, loc.tr(CHART_CAPTION)))
        return html.document_html(page.heading, "\n".join(parts), loc)
    raise ValueError(f"unknown format {fmt!r}: use {', '.join(REPORT_FORMATS)}")
