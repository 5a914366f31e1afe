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

from datetime import date

from .calculator import (
    APPLIES,
    NEEDS_APPROVAL,
    NEEDS_INPUT,
    NOT_APPLICABLE,
    STATUS_ORDER,
    STATUS_WORDS,
    WITH_AMOUNT,
    Item,
    Result,
    say_words,
    wan_text,
)
from .i18n import N_, Locale
from .numerals import to_numeral
from .present import Block, Mark, Tone
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


# The heading of a column of amounts (:func:`amount_cell`): its unit is the reader's.
AMOUNT_HEADING_WAN = N_("Amount (10k yuan)")
AMOUNT_HEADING_YUAN = N_("Amount (yuan)")


def amount_heading(loc: Locale) -> str:
    """金额 (万元) in Chinese, Amount (yuan) in English: the unit of :func:`amount_cell`."""
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


def amount_cell(item: Item, loc: Locale) -> str:
    """The amount in a table whose column says the unit (:func:`amount_heading`): <= 200,
    200 (萬元; in English <= 2,000,000 yuan), 优先安排, or -."""
    if not has_amount(item):
        return "-"
    if item.kind == "priority":
        return loc.tr(PRIORITY)
    return ("<= " if item.ceiling else "") + wan_text(item.amount, loc, unit=False)


def working(item: Item, loc: Locale) -> str:
    """The formula worked on the profile's figures: 234.56 x 5% = 11.728 万元 ('' if none)."""
    return say_words(item.working, loc)


def reason(item: Item, loc: Locale) -> str:
    """Why the item has its status: the conditions met or not, what is missing, what an
    approval decides, or which tier of the clause was counted instead."""
    return say_words(item.why, loc)


def summary(item: Item, loc: Locale) -> str:
    """One line for a table: the working where there is an amount, else the reason."""
    return working(item, loc) if has_amount(item) else reason(item, loc)


def capped_note(loc: Locale) -> str:
    return loc.tr("[capped at the ceiling]")


def working_block(item: Item, loc: Locale) -> Block | None:
    """计算: 8000 x 5% = 400 万元, 超过上限, 取 200 万元  [上限已封顶]"""
    text = working(item, loc)
    if not text or not has_amount(item):  # a tier not counted says why in its reason
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
    """有效期 2024-01-01 ~ 2024-03-31: 计算日 2024-06-30 不在其内 ('' when in force)."""
    if item.in_force:
        return ""
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
    return Block("meta", text, (Mark(0, start, "strong"), Mark(start, start + len(amount), "good")))


def total_line(result: Result, loc: Locale) -> str:
    return total_block(result, loc).text


def counts(result: Result) -> dict[str, int]:
    """How many items have each status, in reading order."""
    return {k: sum(1 for i in result.items if i.status == k) for k in STATUS_ORDER}


def counts_text(result: Result, loc: Locale) -> str:
    """适用 2  待认定 1  不适用 40  待填 3"""
    return "  ".join(f"{status_name(k, loc)} {n}" for k, n in counts(result).items())


def date_line(result: Result, loc: Locale) -> str:
    """计算日期 2024-06-30"""
    return loc.tr("Calculation date {date}").format(date=result.as_of.isoformat())


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


# --- Records for the export -------------------------------------------------------------------------


def records(result: Result, loc: Locale) -> list[dict[str, object]]:
    """One record an item, keys English, words in ``loc``; besides the engine's fields, the
    status's name and the amount as words (what a spreadsheet reader wants to see)."""
    out = []
    for item in result.items:
        rec = item.to_json(loc)
        rec["status_name"] = status_name(item.status, loc)
        rec["amount_text"] = amount_text(item, loc)
        out.append(rec)
    return out


def record_markdown(record: dict[str, object], loc: Locale) -> list[str]:
    """A calculator record (from :func:`records`) as Markdown lines: heading, then one labelled
    line each for the status, the amount, the working, the reason and the source."""
    clause = record["clause"]
    numeral = to_numeral(clause) if isinstance(clause, int) else str(clause)
    status = str(record["status"])
    name = record.get("status_name") or (status_name(status, loc) if status in STATUS_WORDS else status)
    quote = loc.tr(QUOTED).format(quote=record["quote"])

    def line(label: str, value: object) -> str:
        return f"- {loc.tr(label)} {value or '-'}"

    return [
        f"## ({numeral}) {record['title']}",
        "",
        line(STATUS_LABEL, name),
        line(AMOUNT_LABEL, record.get("amount_text")),
        line(WORKING, record.get("formula")),
        line(REASON_LABEL, record.get("reason")),
        line(SOURCE_LABEL, quote),
        "",
    ]
