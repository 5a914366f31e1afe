"""The subsidy calculator: one generic engine over rules-as-data.

Every amount is an exact Decimal in 萬元. Thresholds read as the law does (以上/達 include,
超過 excludes). Tiers of one clause never add up: the one the text gives the enterprise
is chosen and the others are shown as not applicable. Results dated outside a rule's
validity are still computed, and marked.

What a formula can be is the registry :data:`SHAPES`: each shape names the fields that hold
numbers (which the rules checker finds in the quote) and facts, and how it computes. The
rules checker (:mod:`.rules`) and the engine both read it, so a new shape is one entry.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from .facts import DERIVED, FACTS, Facts, FactValue, validate_profile
from .i18n import LIST_SEPARATOR, N_, Locale
from .models import Document, Rule
from .money import grouped, plain
from .numerals import to_numeral
from .present import yuan_text
from .quantity import parse_quantity

# --- What a result says about a rule ---------------------------------------------------------

APPLIES = "applies"
NOT_APPLICABLE = "not_applicable"
NEEDS_INPUT = "needs_input"
NEEDS_APPROVAL = "needs_approval"
# The name of each status: a message, translated where it is shown (``report.status_name``).
STATUS_WORDS: dict[str, str] = {
    APPLIES: N_("applies"),
    NEEDS_APPROVAL: N_("needs approval"),
    NOT_APPLICABLE: N_("not applicable"),
    NEEDS_INPUT: N_("needs input"),
}
# The order results are read in: what the enterprise gets, what it may get once approved,
# what the profile does not yet say (what to find out next), and last what does not apply.
STATUS_ORDER: tuple[str, ...] = (APPLIES, NEEDS_APPROVAL, NEEDS_INPUT, NOT_APPLICABLE)
_STATUS_RANK = {status: rank for rank, status in enumerate(STATUS_ORDER)}
# Statuses whose amount is shown (an amount the enterprise gets, or could get).
WITH_AMOUNT = (APPLIES, NEEDS_APPROVAL)
COUNTED_KINDS = ("cash", "matching")


# --- What a result says, kept as messages so that each reader gets it in their own words ------


@dataclass(frozen=True)
class Doc:
    """Words of the document or of the rules file (in the source's Traditional): shown in the
    reader's script, never translated (a fact's label, a rule's title, 達1000萬元)."""

    text: str


@dataclass(frozen=True)
class Phrase:
    """An interface message (an English msgid marked with ``N_``) and the words for its
    ``{placeholders}``."""

    message: str
    values: tuple[tuple[str, Words], ...] = ()


@dataclass(frozen=True)
class Joined:
    """Pieces side by side: figures and signs (which need no translation) around words."""

    parts: tuple[Words, ...]


@dataclass(frozen=True)
class Listing:
    """Items one after another, between them ``separator`` or (None) the language's own list
    separator (、 in Chinese)."""

    items: tuple[Words, ...]
    separator: str | None = None


@dataclass(frozen=True)
class Wan:
    """An amount of money in 萬元, the calculator's unit, said as each reader counts money:
    200 萬元 in Chinese, 2,000,000 yuan in English ("10k yuan" is no unit an English reader
    counts in). ``unit=False``: the figure alone (a formula's base: 234.56 / 2,345,600)."""

    amount: Decimal
    unit: bool = True


# Words a result holds: figures as plain text ("5%"), and the kinds above.
Words = str | Doc | Phrase | Joined | Listing | Wan

# TRANSLATORS: an amount in 萬元 (ten thousand yuan), the calculator's unit; shown only in
# Chinese (English shows the amount in yuan).
WAN = N_("{amount} 10k yuan")


def wan_text(amount: Decimal, loc: Locale, *, unit: bool = True) -> str:
    """An amount in 萬元 for a reader: 11.728 万元 in Chinese, 117,280 yuan in English;
    ``unit=False``: 11.728 / 117,280."""
    if loc.lang == "en":
        yuan = Decimal(amount) * 10000
        return yuan_text(yuan, loc) if unit else grouped(yuan)
    figure = plain(Decimal(amount))
    return loc.tr(WAN).format(amount=figure) if unit else figure


def phrase(message: str, **values: Words) -> Phrase:
    """A message (``N_("...")``, so the catalogs find it) with its values."""
    return Phrase(message, tuple(values.items()))


def say_words(words: Words, loc: Locale) -> str:
    """Words of a result in the reader's language and script."""
    if isinstance(words, str):
        return words
    if isinstance(words, Doc):
        return loc.doc(words.text)
    if isinstance(words, Phrase):
        return loc.tr(words.message).format(**{k: say_words(v, loc) for k, v in words.values})
    if isinstance(words, Joined):
        return "".join(say_words(p, loc) for p in words.parts)
    if isinstance(words, Wan):
        return wan_text(words.amount, loc, unit=words.unit)
    separator = loc.tr(LIST_SEPARATOR) if words.separator is None else words.separator
    return separator.join(say_words(i, loc) for i in words.items)


# The words a result's Traditional text is in when no reader is named (``Item.formula``).
SOURCE_LOCALE = Locale()

# A rule's formula as written in the rules file: {"shape": "rate_cap", "base": "rd_spend", ...}.
Formula = dict[str, Any]
# What a formula gives: (amount in 萬元, the formula worked on the profile's figures, whether a cap bit).
Computed = tuple[Decimal, Words, bool]


@dataclass
class Item:
    rule: str
    clause: int
    title: str
    status: str
    amount: Decimal
    ceiling: bool
    kind: str
    quote: str
    working: Words = ""  # the formula worked on the profile's figures
    why: Words = ""  # why the status: conditions met or not, what is missing, what is approved
    capped: bool = False
    frequency: str = "once"
    valid_from: str | None = None
    valid_to: str | None = None
    in_force: bool = True
    group: str | None = None
    missing: tuple[str, ...] = ()
    counted: bool = False  # in the total: it applies on the date, and is cash or matching funds

    @property
    def left_out(self) -> bool:
        """It applies and would be counted, but the calculation date is outside its period:
        shown with its amount, never added to the total."""
        return self.status == APPLIES and self.kind in COUNTED_KINDS and not self.in_force

    @property
    def formula(self) -> str:
        """The working, in the source's words (Traditional Chinese)."""
        return say_words(self.working, SOURCE_LOCALE)

    @property
    def reason(self) -> str:
        """Why the status, in the source's words (Traditional Chinese)."""
        return say_words(self.why, SOURCE_LOCALE)

    def to_json(self, loc: Locale = SOURCE_LOCALE) -> dict[str, Any]:
        """The item as data: keys and codes in English, words in ``loc``."""
        return {
            "rule": self.rule,
            "clause": self.clause,
            "title": loc.doc(self.title),
            "status": self.status,
            "amount_wan": plain(self.amount),
            "ceiling": self.ceiling,
            "capped": self.capped,
            "kind": self.kind,
            "frequency": self.frequency,
            "formula": say_words(self.working, loc),
            "quote": loc.doc(self.quote),
            "reason": say_words(self.why, loc),
            "missing": list(self.missing),
            "valid_from": self.valid_from,
            "valid_to": self.valid_to,
            "in_force": self.in_force,
            "counted": self.counted,
        }


@dataclass
class Result:
    items: list[Item]
    as_of: date
    in_force: bool
    document_title: str
    valid_from: str | None
    valid_to: str | None
    total: Decimal = field(default=Decimal(0))

    @property
    def left_out(self) -> list[Item]:
        """Items that apply but are outside their own period on the date: not in the total."""
        return [i for i in self.items if i.left_out]

    @property
    def left_out_total(self) -> Decimal:
        return sum((i.amount for i in self.left_out), Decimal(0))

    def to_json(self, loc: Locale = SOURCE_LOCALE) -> dict[str, Any]:
        title = loc.doc(self.document_title)
        return {
            "document": {"title": title, "valid_from": self.valid_from, "valid_to": self.valid_to},
            "as_of": {"date": self.as_of.isoformat(), "in_force": self.in_force},
            "items": [i.to_json(loc) for i in self.items],
            "total_wan": plain(self.total),
            "left_out_wan": plain(self.left_out_total),
            "left_out": [i.rule for i in self.left_out],
        }


def in_reading_order(items: Iterable[Item]) -> list[Item]:
    """Items by status (in :data:`STATUS_ORDER`), then by clause."""
    return sorted(items, key=lambda i: (_STATUS_RANK[i.status], i.clause))


# --- Facts and the words for them ---------------------------------------------------------------


class _Missing(Exception):
    def __init__(self, names: list[str]) -> None:
        self.names = names


class _NotApplicable(Exception):
    def __init__(self, why: Words) -> None:
        self.why = why


def _w(d: Decimal | int) -> str:
    return plain(Decimal(d))


def _pct(ratio: Decimal | int) -> str:
    return plain(Decimal(ratio) * 100) + "%"


def _numeric(name: str, value: FactValue) -> Decimal | int:
    """A fact a rule computes or compares with: a number (萬元, a count, a rating)."""
    if isinstance(value, Decimal | int):
        return value
    raise TypeError(f"a rule computes with {name}, which is not a number: {value!r}")


def _value(name: str, facts: Facts) -> FactValue:
    """A fact or a derived value; raises _Missing naming what is not provided."""
    if name in DERIVED:
        needs, _ = DERIVED[name]
        missing = [n for n in needs if n not in facts]
        if missing:
            raise _Missing(missing)
        if name == "rd_increase":
            return _wan("rd_spend", facts) - _wan("rd_spend_prev", facts)
        if name == "rd_intensity":
            revenue = _wan("revenue", facts)
            return Decimal(0) if revenue == 0 else _wan("rd_spend", facts) / revenue
        raise AssertionError(name)  # pragma: no cover
    if name not in facts:
        raise _Missing([name])
    return facts[name]


def _number(name: str, facts: Facts) -> Decimal | int:
    return _numeric(name, _value(name, facts))


def _wan(name: str, facts: Facts) -> Decimal:
    """A money fact (validated facts hold 萬元 as Decimal)."""
    return Decimal(_number(name, facts))


def _chosen(name: str, facts: Facts) -> list[str]:
    """A fact that is a list of choices (enum_list)."""
    value = _value(name, facts)
    if isinstance(value, list):
        return value
    raise TypeError(f"a rule reads {name} as a list of choices, which it is not: {value!r}")


def _label(name: str) -> Doc:
    if name in DERIVED:
        return Doc(DERIVED[name][1])
    return Doc(FACTS[name].label)


def _show(value: object, name: str | None = None) -> Words:
    """A fact's value in words: yes or no, a figure, or a choice by its label in the document."""
    if value is True:
        return phrase(N_("yes"))
    if value is False:
        return phrase(N_("no"))
    if isinstance(value, Decimal):
        return _w(value)
    fact = FACTS.get(name) if name else None
    if fact is not None and isinstance(value, str) and value in fact.choices:
        return Doc(fact.choice_labels[fact.choices.index(value)])
    return str(value)


def fact_words(name: str, value: FactValue) -> tuple[Words, Words]:
    """A fact the reader entered, as a report lists it: (its label in the document's words,
    its value: 8000 万元, yes, a choice's label, a list of choices)."""
    fact = FACTS[name]
    shown: Words
    if fact.type == "wan" and isinstance(value, Decimal | int):
        shown = _wan_words(value)
    elif isinstance(value, list):
        shown = Listing(tuple(_show(v, name) for v in value)) if value else phrase(N_("none"))
    else:
        shown = _show(value, name)
    return Doc(fact.label), shown


def entered(facts: Facts) -> list[tuple[Words, Words]]:
    """The figures a profile gives, in the form's order (:data:`.facts.FACTS`)."""
    return [fact_words(name, facts[name]) for name in FACTS if name in facts]


def _wan_words(amount: Decimal | int) -> Wan:
    return Wan(Decimal(amount))


def _figure(amount: Decimal | int) -> Wan:
    """A money figure a formula starts from (the amount, without the unit its result names)."""
    return Wan(Decimal(amount), unit=False)


# --- Conditions ----------------------------------------------------------------------------

# The comparisons a condition may make (the rules checker refuses any other op).
COMPARISONS: dict[str, Callable[[Decimal | int, Decimal], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
}


def _check(cond: dict[str, Any], facts: Facts) -> tuple[bool, Words]:
    """(met, words for the reason)."""
    name = cond["fact"]
    value = _value(name, facts)
    if "equals" in cond:
        want = cond["equals"]
        ok = value == want
        return ok, phrase(
            N_("{fact} = {value} (must be {wanted})"),
            fact=_label(name),
            value=_show(value, name),
            wanted=_show(want, name),
        )
    if "one_of" in cond:
        ok = value in cond["one_of"]
        return ok, Joined((_label(name), " = ", _show(value, name)))
    threshold, unit = parse_quantity(cond["value"])
    number = _numeric(name, value)
    ok = COMPARISONS[cond["op"]](number, threshold)
    shown = _pct(number) if unit == "ratio" else (_wan_words(number) if unit == "wan" else _show(value, name))
    limit = Doc(cond.get("words", cond["value"]))
    if ok:
        return ok, phrase(N_('{fact} {value} meets "{limit}"'), fact=_label(name), value=shown, limit=limit)
    return ok, phrase(N_('{fact} {value} does not meet "{limit}"'), fact=_label(name), value=shown, limit=limit)


# --- Formula shapes ----------------------------------------------------------------------------


# The working is written with ASCII signs ("x", "-"): the multiplication sign is ambiguous-width
# and misaligns a table in a CJK terminal.


def _fixed(formula: Formula, facts: Facts) -> Computed:
    amount, _ = parse_quantity(formula["amount"])
    return amount, _wan_words(amount), False


def _priority(formula: Formula, facts: Facts) -> Computed:
    return Decimal(0), phrase(N_("priority arrangement (not cash)")), False


def _rate_cap(formula: Formula, facts: Facts) -> Computed:
    base = _number(formula["base"], facts)
    rate, _ = parse_quantity(formula["rate"])
    raw = base * rate
    text = Joined((_figure(base), f" x {_pct(rate)} = ", _wan_words(raw)))
    if "cap" in formula:
        cap, _ = parse_quantity(formula["cap"])
        return _capped(raw, cap, text)
    return raw, text, False


def _matching(formula: Formula, facts: Facts) -> Computed:
    base = _number(formula["base"], facts)
    multiple, _ = parse_quantity(formula["multiple"])
    amount = base * multiple
    how: Words = _pct(multiple)
    if formula["multiple"].endswith("倍"):
        how = phrase(N_("{multiple} times"), multiple=_w(multiple))
    return amount, Joined((_figure(base), " x ", how, " = ", _wan_words(amount))), False


def _reduced_fee(formula: Formula, facts: Facts) -> Computed:
    base = _number(formula["base"], facts)
    pay, _ = parse_quantity(formula["pay"])
    saved = base * (1 - pay)
    words = phrase(
        N_("{base} x (1 - {pay}) = saves {saved} (pays {paid})"),
        base=_figure(base),
        pay=_pct(pay),
        saved=_wan_words(saved),
        paid=_wan_words(base * pay),
    )
    return saved, words, False


def _by_category(formula: Formula, facts: Facts) -> Computed:
    name = formula["category"]
    value = _value(name, facts)
    amounts = formula["amounts"]
    key = str(value)
    if key not in amounts:
        raise _NotApplicable(
            phrase(
                N_("{fact} = {value}: only for {choices}"),
                fact=_label(name),
                value=_show(value, name),
                choices=Listing(tuple(_show(k, name) for k in amounts)),
            )
        )
    amount, _ = parse_quantity(amounts[key])
    return amount, Joined((_show(value, name), ": ", _wan_words(amount))), False


def _per_unit(formula: Formula, facts: Facts) -> Computed:
    count = _number(formula["count"], facts)
    each, _ = parse_quantity(formula["amount"])
    if count <= 0:
        raise _NotApplicable(Joined((_label(formula["count"]), f" = {count}")))
    amount = each * count
    words = phrase(
        N_("{count} companies x {each} = {amount}"), count=str(count), each=_wan_words(each), amount=_wan_words(amount)
    )
    return amount, words, False


def _per_item(formula: Formula, facts: Facts) -> Computed:
    items = _chosen(formula["items"], facts)
    amounts = formula["amounts"]
    chosen = [i for i in items if i in amounts]
    if not chosen:
        raise _NotApplicable(phrase(N_("{fact}: none"), fact=_label(formula["items"])))
    parts = [parse_quantity(amounts[i])[0] for i in chosen]
    total = sum(parts, Decimal(0))
    figures = Listing(tuple(_figure(p) for p in parts), " + ")
    return total, Joined((figures, " = ", _wan_words(total))), False


def _category_rate(formula: Formula, facts: Facts) -> Computed:
    base = _number(formula["base"], facts)
    name = formula["category"]
    category = _value(name, facts)
    rate, _ = parse_quantity(formula["rates"][str(category).lower()])
    cap, _ = parse_quantity(formula["cap"])
    raw = base * rate
    who = Joined((_label(name), ": ", _show(category, name)))
    text = Joined((_figure(base), f" x {_pct(rate)} (", who, ") = ", _wan_words(raw)))
    return _capped(raw, cap, text)


def _capped(raw: Decimal, cap: Decimal, text: Words) -> Computed:
    """A computed amount held to its ceiling, the formula saying which bit. (Words, not an
    arrow: arrows are ambiguous-width and misalign CJK terminals.)"""
    if raw > cap:
        return cap, phrase(N_("{formula}, over the ceiling: {cap}"), formula=text, cap=_wan_words(cap)), True
    return raw, phrase(N_("{formula} (ceiling {cap})"), formula=text, cap=_wan_words(cap)), False


@dataclass(frozen=True)
class Shape:
    """One kind of formula: how it computes and which of its fields hold what."""

    compute: Callable[[Formula, Facts], Computed]
    numbers: tuple[str, ...] = ()  # one quantity each ("200萬元", "5%"): its quote must state it
    tables: tuple[str, ...] = ()  # {key: quantity}: its quote must state every quantity
    facts: tuple[str, ...] = ()  # the name of a fact (or a derived value) the formula reads
    optional: tuple[str, ...] = ()  # the fields above a formula may leave out

    @property
    def fields(self) -> frozenset[str]:
        """Every field a formula of this shape may hold (besides ``shape``)."""
        return frozenset(self.numbers + self.tables + self.facts)


SHAPES: dict[str, Shape] = {
    "fixed": Shape(_fixed, numbers=("amount",)),
    "rate_cap": Shape(_rate_cap, numbers=("rate", "cap"), facts=("base",), optional=("cap",)),
    "matching": Shape(_matching, numbers=("multiple",), facts=("base",)),
    "reduced_fee": Shape(_reduced_fee, numbers=("pay",), facts=("base",)),
    "by_category": Shape(_by_category, tables=("amounts",), facts=("category",)),
    "per_unit": Shape(_per_unit, numbers=("amount",), facts=("count",)),
    "per_item": Shape(_per_item, tables=("amounts",), facts=("items",)),
    "category_rate": Shape(_category_rate, numbers=("cap",), tables=("rates",), facts=("base", "category")),
    "priority": Shape(_priority),
}


def _compute(formula: Formula, facts: Facts) -> Computed:
    """(amount in 萬元, the formula worked on the profile's figures, whether a cap bit)."""
    return SHAPES[formula["shape"]].compute(formula, facts)


# --- The engine ----------------------------------------------------------------------------


def _evaluate_rule(rule: Rule, facts: Facts) -> Item:
    item = Item(
        rule=rule["id"],
        clause=rule["clause"],
        title=rule["title"],
        status=APPLIES,
        amount=Decimal(0),
        ceiling=not rule["exact"],
        kind=rule["kind"],
        quote=rule["quote"],
        frequency=rule["frequency"],
        valid_from=rule.get("valid_from"),
        valid_to=rule.get("valid_to"),
        group=rule.get("group"),
    )
    missing: list[str] = []
    met_reasons: list[Words] = []
    for cond in rule.get("conditions", []):
        try:
            ok, words = _check(cond, facts)
        except _Missing as m:
            missing.extend(n for n in m.names if n not in missing)
            continue
        if not ok:
            item.status = NOT_APPLICABLE
            item.why = words
            return item
        met_reasons.append(words)
    try:
        amount, text, capped = _compute(rule["formula"], facts)
    except _Missing as m:
        missing.extend(n for n in m.names if n not in missing)
        amount, text, capped = Decimal(0), "", False
    except _NotApplicable as exc:
        item.status = NOT_APPLICABLE
        item.why = exc.why
        return item
    if missing:
        item.status = NEEDS_INPUT
        item.missing = tuple(missing)
        needed = Listing(tuple(_label(n) for n in missing))  # the form's labels, never fact ids
        item.why = phrase(N_("needs: {facts}"), facts=needed)
        return item
    item.amount = amount
    item.working = text
    item.capped = capped
    if rule.get("approval"):
        item.status = NEEDS_APPROVAL
        item.why = phrase(
            N_("needs approval or review: {how}; up to {amount}"), how=Doc(rule["approval"]), amount=_wan_words(amount)
        )
    else:
        item.why = Listing(tuple(met_reasons), "; ")
    return item


def _resolve_groups(items: list[Item]) -> None:
    """Tiers of one clause: keep the one the enterprise gets (the largest; an exact amount
    before a ceiling of the same size), show the others as not applicable."""
    groups: dict[str, list[Item]] = {}
    for it in items:
        if it.group and it.status in WITH_AMOUNT:
            groups.setdefault(it.group, []).append(it)
    for members in groups.values():
        if len(members) < 2:
            continue
        best = max(members, key=lambda i: (i.amount, not i.ceiling, -items.index(i)))
        for it in members:
            if it is not best:
                it.status = NOT_APPLICABLE
                it.why = phrase(
                    N_("tiers of one clause, only one applies: counted as {rule} (this tier {amount}, not added)"),
                    rule=Joined((f"({to_numeral(best.clause)}) ", Doc(best.title))),
                    amount=_wan_words(it.amount),
                )
                it.amount = Decimal(0)


def evaluate(rules: list[Rule], profile: Mapping[str, object], as_of: date, document: Document | None = None) -> Result:
    """Evaluate every rule on a profile (validated here: ProfileError names a bad fact)."""
    facts = validate_profile(profile)
    items = [_evaluate_rule(r, facts) for r in rules]
    _resolve_groups(items)
    for it in items:
        if it.valid_from and it.valid_to:
            it.in_force = date.fromisoformat(it.valid_from) <= as_of <= date.fromisoformat(it.valid_to)
    for it in items:
        if it.status not in WITH_AMOUNT:
            it.amount = Decimal(0)
        # What the text supports on the date: an item outside its own period is shown with
        # its amount but never added up (a Q1-only aid dated June is not money to be had).
        it.counted = it.status == APPLIES and it.kind in COUNTED_KINDS and it.in_force
    total = sum((i.amount for i in items if i.counted), Decimal(0))
    valid_from = document.valid_from if document is not None else None
    valid_to = document.valid_to if document is not None else None
    in_force = bool(valid_from and valid_to and date.fromisoformat(valid_from) <= as_of <= date.fromisoformat(valid_to))
    return Result(
        items=items,
        as_of=as_of,
        in_force=in_force,
        document_title=document.title if document is not None else "",
        valid_from=valid_from,
        valid_to=valid_to,
        total=total,
    )
