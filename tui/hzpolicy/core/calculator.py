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
from .models import Document, Rule
from .money import plain
from .quantity import parse_quantity

# --- What a result says about a rule ---------------------------------------------------------

APPLIES = "applies"
NOT_APPLICABLE = "not_applicable"
NEEDS_INPUT = "needs_input"
NEEDS_APPROVAL = "needs_approval"
# The words for each status, in the source's script (``script.say`` puts them into Simplified).
STATUS_WORDS: dict[str, str] = {
    APPLIES: "適用",
    NEEDS_APPROVAL: "待認定",
    NOT_APPLICABLE: "不適用",
    NEEDS_INPUT: "待填",
}
# The order results are read in: what the enterprise gets, what it may get once approved,
# what does not apply, and last what the profile does not yet say.
STATUS_ORDER: tuple[str, ...] = (APPLIES, NEEDS_APPROVAL, NOT_APPLICABLE, NEEDS_INPUT)
_STATUS_RANK = {status: rank for rank, status in enumerate(STATUS_ORDER)}
# Statuses whose amount is shown (an amount the enterprise gets, or could get).
WITH_AMOUNT = (APPLIES, NEEDS_APPROVAL)
COUNTED_KINDS = ("cash", "matching")

# A rule's formula as written in the rules file: {"shape": "rate_cap", "base": "rd_spend", ...}.
Formula = dict[str, Any]
# What a formula gives: (amount in 萬元, the formula worked on the profile's figures, whether a cap bit).
Computed = tuple[Decimal, str, bool]


@dataclass
class Item:
    rule: str
    clause: int
    title: str
    status: str
    amount: Decimal
    ceiling: bool
    kind: str
    formula: str
    quote: str
    reason: str = ""
    capped: bool = False
    frequency: str = "once"
    valid_from: str | None = None
    valid_to: str | None = None
    in_force: bool = True
    group: str | None = None
    missing: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "clause": self.clause,
            "title": self.title,
            "status": self.status,
            "amount_wan": plain(self.amount),
            "ceiling": self.ceiling,
            "capped": self.capped,
            "kind": self.kind,
            "frequency": self.frequency,
            "formula": self.formula,
            "quote": self.quote,
            "reason": self.reason,
            "missing": list(self.missing),
            "valid_from": self.valid_from,
            "valid_to": self.valid_to,
            "in_force": self.in_force,
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

    def to_json(self) -> dict[str, Any]:
        return {
            "document": {"title": self.document_title, "valid_from": self.valid_from, "valid_to": self.valid_to},
            "as_of": {"date": self.as_of.isoformat(), "in_force": self.in_force},
            "items": [i.to_json() for i in self.items],
            "total_wan": plain(self.total),
        }


def in_reading_order(items: Iterable[Item]) -> list[Item]:
    """Items by status (in :data:`STATUS_ORDER`), then by clause."""
    return sorted(items, key=lambda i: (_STATUS_RANK[i.status], i.clause))


# --- Facts and the words for them ---------------------------------------------------------------


class _Missing(Exception):
    def __init__(self, names: list[str]) -> None:
        self.names = names


class _NotApplicable(Exception):
    pass


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


def _label(name: str) -> str:
    if name in DERIVED:
        return DERIVED[name][1]
    return FACTS[name].label


def _show(value: object) -> str:
    if value is True:
        return "是"
    if value is False:
        return "否"
    if isinstance(value, Decimal):
        return _w(value)
    return str(value)


# --- Conditions ----------------------------------------------------------------------------

# The comparisons a condition may make (the rules checker refuses any other op).
COMPARISONS: dict[str, Callable[[Decimal | int, Decimal], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
}


def _check(cond: dict[str, Any], facts: Facts) -> tuple[bool, str]:
    """(met, words for the reason)."""
    name = cond["fact"]
    value = _value(name, facts)
    if "equals" in cond:
        want = cond["equals"]
        ok = value == want
        return ok, f"{_label(name)} = {_show(value)} (須為 {_show(want)})"
    if "one_of" in cond:
        ok = value in cond["one_of"]
        return ok, f"{_label(name)} = {_show(value)}"
    threshold, unit = parse_quantity(cond["value"])
    number = _numeric(name, value)
    ok = COMPARISONS[cond["op"]](number, threshold)
    shown = _pct(number) if unit == "ratio" else (f"{_w(number)} 萬元" if unit == "wan" else _show(value))
    limit = cond.get("words", cond["value"])
    return ok, f"{_label(name)} {shown} {'符合' if ok else '不符'} 「{limit}」"


# --- Formula shapes ----------------------------------------------------------------------------


def _fixed(formula: Formula, facts: Facts) -> Computed:
    amount, _ = parse_quantity(formula["amount"])
    return amount, f"{_w(amount)} 萬元", False


def _priority(formula: Formula, facts: Facts) -> Computed:
    return Decimal(0), "優先安排 (非現金)", False


def _rate_cap(formula: Formula, facts: Facts) -> Computed:
    base = _number(formula["base"], facts)
    rate, _ = parse_quantity(formula["rate"])
    raw = base * rate
    text = f"{_w(base)} × {_pct(rate)} = {_w(raw)} 萬元"
    if "cap" in formula:
        cap, _ = parse_quantity(formula["cap"])
        return _capped(raw, cap, text)
    return raw, text, False


def _matching(formula: Formula, facts: Facts) -> Computed:
    base = _number(formula["base"], facts)
    multiple, _ = parse_quantity(formula["multiple"])
    amount = base * multiple
    how = f"{_w(multiple)} 倍" if formula["multiple"].endswith("倍") else _pct(multiple)
    return amount, f"{_w(base)} × {how} = {_w(amount)} 萬元", False


def _reduced_fee(formula: Formula, facts: Facts) -> Computed:
    base = _number(formula["base"], facts)
    pay, _ = parse_quantity(formula["pay"])
    saved = base * (1 - pay)
    return saved, f"{_w(base)} × (1 - {_pct(pay)}) = 節省 {_w(saved)} 萬元 (實付 {_w(base * pay)} 萬元)", False


def _by_category(formula: Formula, facts: Facts) -> Computed:
    value = _value(formula["category"], facts)
    amounts = formula["amounts"]
    key = str(value)
    if key not in amounts:
        raise _NotApplicable(f"{_label(formula['category'])} = {_show(value)}: 只適用 {', '.join(amounts)}")
    amount, _ = parse_quantity(amounts[key])
    return amount, f"{_show(value)}: {_w(amount)} 萬元", False


def _per_unit(formula: Formula, facts: Facts) -> Computed:
    count = _number(formula["count"], facts)
    each, _ = parse_quantity(formula["amount"])
    if count <= 0:
        raise _NotApplicable(f"{_label(formula['count'])} = {count}")
    amount = each * count
    return amount, f"{count} 家 × {_w(each)} 萬元 = {_w(amount)} 萬元", False


def _per_item(formula: Formula, facts: Facts) -> Computed:
    items = _chosen(formula["items"], facts)
    amounts = formula["amounts"]
    chosen = [i for i in items if i in amounts]
    if not chosen:
        raise _NotApplicable(f"{_label(formula['items'])}: 無")
    parts = [parse_quantity(amounts[i])[0] for i in chosen]
    total = sum(parts, Decimal(0))
    return total, " + ".join(f"{_w(p)}" for p in parts) + f" = {_w(total)} 萬元", False


def _category_rate(formula: Formula, facts: Facts) -> Computed:
    base = _number(formula["base"], facts)
    category = _value(formula["category"], facts)
    rate, _ = parse_quantity(formula["rates"][str(category).lower()])
    cap, _ = parse_quantity(formula["cap"])
    raw = base * rate
    who = f"{_label(formula['category'])}: {_show(category)}"
    text = f"{_w(base)} × {_pct(rate)} ({who}) = {_w(raw)} 萬元"
    return _capped(raw, cap, text)


def _capped(raw: Decimal, cap: Decimal, text: str) -> Computed:
    """A computed amount held to its ceiling, the formula saying which bit. (Words, not an
    arrow: arrows are ambiguous-width and misalign CJK terminals.)"""
    if raw > cap:
        return cap, f"{text}, 超過上限, 取 {_w(cap)} 萬元", True
    return raw, f"{text} (上限 {_w(cap)} 萬元)", False


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
        formula="",
        quote=rule["quote"],
        frequency=rule["frequency"],
        valid_from=rule.get("valid_from"),
        valid_to=rule.get("valid_to"),
        group=rule.get("group"),
    )
    missing: list[str] = []
    met_reasons: list[str] = []
    for cond in rule.get("conditions", []):
        try:
            ok, words = _check(cond, facts)
        except _Missing as m:
            missing.extend(n for n in m.names if n not in missing)
            continue
        if not ok:
            item.status = NOT_APPLICABLE
            item.reason = words
            return item
        met_reasons.append(words)
    try:
        amount, text, capped = _compute(rule["formula"], facts)
    except _Missing as m:
        missing.extend(n for n in m.names if n not in missing)
        amount, text, capped = Decimal(0), "", False
    except _NotApplicable as exc:
        item.status = NOT_APPLICABLE
        item.reason = str(exc)
        return item
    if missing:
        item.status = NEEDS_INPUT
        item.missing = tuple(missing)
        item.reason = "需要: " + "、".join(f"{_label(n)} ({n})" for n in missing)
        return item
    item.amount = amount
    item.formula = text
    item.capped = capped
    if rule.get("approval"):
        item.status = NEEDS_APPROVAL
        item.reason = f"須經認定/評審: {rule['approval']}; 最高可得 {_w(amount)} 萬元"
    else:
        item.reason = "; ".join(met_reasons)
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
                it.reason = f"同一條款分檔, 只適用一檔: 已按 {best.rule} 計算 (本檔 {_w(it.amount)} 萬元, 不疊加)"
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
    total = sum((i.amount for i in items if i.status == APPLIES and i.kind in COUNTED_KINDS), Decimal(0))
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
