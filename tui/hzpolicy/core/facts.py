"""Calculator profile facts: the contract (names, types, units, the document's words) and
validation of a profile. Money facts are in 萬元, exact decimals; a missing fact is "not
provided", never a guess."""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from .badinput import as_notice, joined, json_said
from .i18n import Notice

MAX_WAN = Decimal(100000000)  # 1萬億元: anything larger is a typing mistake, not a company


@dataclass(frozen=True)
class Fact:
    name: str
    type: str  # wan, bool, int, enum, enum_list
    label: str  # the document's words
    topic: str
    clauses: tuple[int, ...]
    choices: tuple[str, ...] = ()
    choice_labels: tuple[str, ...] = ()
    minimum: int = 0
    maximum: int | None = None


def _f(
    name: str,
    type_: str,
    label: str,
    topic: str,
    clauses: list[int],
    choices: tuple[str, ...] = (),
    choice_labels: tuple[str, ...] = (),
    minimum: int = 0,
    maximum: int | None = None,
) -> Fact:
    return Fact(name, type_, label, topic, tuple(clauses), tuple(choices), tuple(choice_labels), minimum, maximum)


# Topics, in the order the form shows them.
TOPICS = ("研發投入", "研發機構與平臺", "科技攻關", "成果轉化", "孵化與培育", "人才", "企業升級", "外貿", "其他")

FACTS: dict[str, Fact] = {
    f.name: f
    for f in [
        _f("tech_sme_scale", "bool", "經營規模符合國家科技型中小企業認定標準 (否: 超過該標準)", "研發投入", [14]),
        _f("rd_spend", "wan", "年度研發投入額", "研發投入", [14, 15]),
        _f("rd_spend_prev", "wan", "上一年度研發投入額", "研發投入", [14]),
        _f("revenue", "wan", "營業收入", "研發投入", [14]),
        _f("new_rd_hq", "bool", "新引進的企業研發總部", "研發機構與平臺", [15]),
        _f("new_provincial_key_lab", "bool", "企業牽頭建設新獲批的省重點實驗室", "研發機構與平臺", [15]),
        _f(
            "overseas_rd_provincial_funds",
            "wan",
            "省級認定的企業海外研發機構等: 實到省補助資金",
            "研發機構與平臺",
            [15],
        ),
        _f("foreign_rd_center_provincial_funds", "wan", "省級外資研發中心: 實到省補助資金", "研發機構與平臺", [15]),
        _f("hq_star_rating", "int", "總部企業星級", "研發機構與平臺", [15], maximum=5),
        _f("provincial_tech_center_subsidy", "wan", "省技術創新中心: 省財政補助額", "研發機構與平臺", [10]),
        _f("major_project_jiebang", "bool", "主動設計、揭榜挂帥方式組織的重大項目", "科技攻關", [12]),
        _f("competitive_project_investment", "wan", "競爭類重點科研項目: 實際投入額", "科技攻關", [12]),
        _f("national_task_funds", "wan", "承擔國家、省重點科研任務: 國家、省實際到賬補助資金", "科技攻關", [12]),
        _f("tech_insurance_premium", "wan", "購買科技保險産品的保費", "成果轉化", [16]),
        _f(
            "sci_award",
            "enum",
            "獲獎的重大科技成果落地産業化項目",
            "成果轉化",
            [16],
            ("national_first", "national_second", "china_patent_gold", "provincial_first"),
            (
                "國家技術發明獎/科學技術進步獎一等獎",
                "國家技術發明獎/科學技術進步獎二等獎",
                "中國專利金獎",
                "省技術發明獎/科學技術進步獎一等獎",
            ),
        ),
        _f(
            "concept_center",
            "enum",
            "概念驗證中心",
            "成果轉化",
            [16],
            ("listed", "recognized"),
            ("列入創建名單", "經認定"),
        ),
        _f("tech_trade_amount", "wan", "年度累計實際技術交易額 (認定登記)", "成果轉化", [16]),
        _f(
            "maker_space_rating",
            "enum",
            "眾創空間年度績效考核",
            "孵化與培育",
            [17],
            ("excellent", "good"),
            ("優秀", "良好"),
        ),
        _f("incubator_stars", "int", "市級科技企業孵化器年度績效評價星級", "孵化與培育", [17], maximum=5),
        _f(
            "incubated_hitech_count",
            "int",
            "在孵或畢業1年內通過高新/技術先進型服務企業備案的企業數",
            "孵化與培育",
            [17],
            maximum=100000,
        ),
        _f(
            "incubator_upgrade",
            "enum",
            "孵化器升級",
            "孵化與培育",
            [17],
            ("to_provincial", "to_national"),
            ("市級升級為省級", "省級升級為國家級"),
        ),
        _f("new_eagle_first", "bool", "首次認定的新雛鷹企業", "孵化與培育", [18]),
        _f("hitech_first", "bool", "首次認定的高新技術企業", "孵化與培育", [18]),
        _f("hitech_recert", "bool", "重新認定通過的高新技術企業", "孵化與培育", [18]),
        _f("hitech_first_above_scale", "bool", "首次上規模的高新技術企業", "孵化與培育", [18]),
        _f("leading_team", "bool", "新入選的市領軍型創新創業團隊", "人才", [19]),
        _f(
            "postdoc_station",
            "enum",
            "新設立的博士後工作站",
            "人才",
            [19],
            ("provincial", "national"),
            ("省級", "國家級"),
        ),
        _f("postdoc_independent_recruitment", "bool", "獲博士後獨立招收資格", "人才", [19]),
        _f("first_above_scale_industrial", "bool", "首次上規納統的工業企業", "企業升級", [30]),
        _f("above_scale_three_years", "bool", "上規後連續3年保持在規", "企業升級", [30]),
        _f(
            "converted_to_legal_person",
            "bool",
            "業務部門、分公司或個體工商戶轉為獨立法人企業並首次上規納統",
            "企業升級",
            [30],
        ),
        _f("little_giant_first", "bool", "首次認定的國家級專精特新“小巨人”企業", "企業升級", [30]),
        _f("hidden_champion_first", "bool", "首次認定的省隱形冠軍企業", "企業升級", [30]),
        _f("provincial_srdi_first", "bool", "首次認定的省級“專精特新”中小企業", "企業升級", [30]),
        _f("key_software_first", "bool", "首次入選“國家鼓勵的重點軟體企業”", "企業升級", [36]),
        _f(
            "design_awards",
            "enum_list",
            "獲得的工業設計獎項",
            "企業升級",
            [37],
            ("if_gold", "red_dot_best_of_best", "china_excellent_design_gold", "china_design_zhizao_gold"),
            ("iF金獎", "紅點至尊獎", "中國優秀工業設計獎金獎", "中國設計智造大獎金獎"),
        ),
        _f("manufacturer", "bool", "符合條件的製造業企業", "外貿", [48]),
        _f("export_credit_premium", "wan", "2024年短期出口信用保險投保費", "外貿", [48]),
        _f("expo_booth_fee_q1", "wan", "2024年一季度國際專業展會展位費", "外貿", [48]),
        _f("expo_airfare_q1", "wan", "2024年一季度往返經濟艙機票", "外貿", [48]),
        _f("fx_settlement", "wan", "外貿小微企業等的結售匯總額", "外貿", [48]),
        _f("hitech_investment_project", "bool", "符合規定的高新技術産業投資項目", "其他", [5]),
        _f("high_reliability_power_fee", "wan", "高可靠性供電費用 (按標準收取)", "其他", [5]),
        _f("market_operator_pilot", "bool", "爭取到國家金融管理部門批准創新市場試點的市場運營機構", "其他", [41]),
        _f("container_truck_toll", "wan", "國標標準集裝箱運輸車輛通行費 (全額)", "其他", [45]),
    ]
}

# Values the engine derives from facts; each names what it needs.
DERIVED: dict[str, tuple[tuple[str, ...], str]] = {
    "rd_increase": (("rd_spend", "rd_spend_prev"), "年度研發投入新增額 (年度研發投入額 - 上一年度研發投入額)"),
    "rd_intensity": (("rd_spend", "revenue"), "研發費用佔營業收入比重"),
}

# A fact's value once validated: Decimal 萬元 (wan), bool, int, a choice (enum) or choices (enum_list).
FactValue = Decimal | bool | int | str | list[str]
Facts = dict[str, FactValue]


class Problem(StrEnum):
    """What is wrong with a profile value (a :class:`ProfileError`'s ``code``)."""

    NOT_AN_OBJECT = "not_an_object"  # the profile itself is not a JSON object
    UNKNOWN_FACT = "unknown_fact"
    NOT_A_NUMBER = "not_a_number"
    NEGATIVE = "negative"
    TOO_LARGE = "too_large"  # more than MAX_WAN: a typing mistake
    NOT_WHOLE = "not_whole"  # a count or rating that is not a whole number
    OUT_OF_RANGE = "out_of_range"  # outside the fact's minimum..maximum
    NOT_BOOL = "not_bool"
    NOT_A_CHOICE = "not_a_choice"
    NOT_A_LIST = "not_a_list"
    NOT_A_FIGURE = "not_a_figure"  # more digits, or a larger or smaller exponent, than a figure has
    TOO_MANY_FACTS = "too_many_facts"  # far more keys than there are facts: not a profile


# The shape of a figure a person types: at most 15 significant digits, and no power of ten
# beyond ±12 (1e12 萬元 is far past MAX_WAN; 1e-12 萬元 is a billionth of a fen). Anything else
# is refused before any arithmetic, so 1e-999999999 cannot make the engine allocate gigabytes.
MAX_DIGITS = 15
MAX_EXPONENT = 12
MAX_PROFILE_FACTS = 200  # a profile names each fact once; hundreds of keys is not a profile
_FIGURE_CHARS = re.compile(r"[+-]?[\d,]*\.?\d*(?:[eE][+-]?\d+)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")


EXAMPLE = '{"rd_spend": 1500}'  # a profile, as a message shows one
NOT_AN_OBJECT = Notice("a profile is a JSON object of facts, e.g. {example}", example=EXAMPLE)


class ProfileError(ValueError):
    """A profile value that is not what its fact takes; names the fact.

    ``code`` says what is wrong, so a caller words it its own way without reading the
    message; ``minimum`` and ``maximum`` are the bounds the value broke, when it broke one.
    ``notice`` is the message as a :class:`.i18n.Notice`: English as a ``str``, in the
    reader's words by ``Locale.say``."""

    def __init__(
        self,
        fact: str,
        message: str,
        code: Problem,
        *,
        minimum: Decimal | int | None = None,
        maximum: Decimal | int | None = None,
    ) -> None:
        self.fact = fact
        self.code = code
        self.minimum = minimum
        self.maximum = maximum
        self.problems: list[ProfileError] = [self]
        self.notice: Notice = as_notice(message)
        super().__init__(self.notice)


def nearest(name: str) -> str | None:
    close = difflib.get_close_matches(name, FACTS, n=1, cutoff=0.5)
    return close[0] if close else None


def _not_a_number(fact: str, shown: str) -> ProfileError:
    return ProfileError(
        fact,
        Notice("{fact}: expected a number (in 10k yuan), got {value}", fact=fact, value=shown),
        Problem.NOT_A_NUMBER,
    )


def _from_text(text: str, fact: str) -> Decimal:
    """A typed figure: digits with an optional decimal point, thousands grouped by commas
    only where they belong (1,000 and 1,234,567.5; never 1,0,0,0)."""
    t = text.strip()
    if not _FIGURE_CHARS.fullmatch(t):  # Decimal() would also take 1_000, ' 1e3' or 'Infinity'
        raise _not_a_number(fact, repr(text))
    if "," in t:
        if not _GROUPED.fullmatch(t):
            raise _not_a_number(fact, Notice("{value} (commas may only group thousands: 1,000)", value=repr(text)))
        t = t.replace(",", "")
    try:
        return Decimal(t)
    except InvalidOperation:
        raise _not_a_number(fact, repr(text)) from None


# Units a reader may type after a figure in a box that counts in 萬元 (an input method gives
# them as easily as digits): 萬/萬元 say the box's own unit, 億 is ten thousand of it.
_TYPED_UNITS = {"萬元": 1, "万元": 1, "萬": 1, "万": 1, "億元": 10000, "亿元": 10000, "億": 10000, "亿": 10000}


def typed_figure(text: str) -> str:
    """A figure as typed into the calculator's form, made plain for :func:`to_decimal`:
    full-width digits and signs (an input method's １２３４．５) become ASCII, spaces go, and a
    unit the box counts in is read (1500萬 -> 1500, 1.2億 -> 12000). Anything else stays as
    typed, for the validator to name."""
    t = unicodedata.normalize("NFKC", text).replace(" ", "").replace("，", ",").replace("．", ".")
    for unit, times in _TYPED_UNITS.items():
        if t.endswith(unit) and len(t) > len(unit):
            number = t[: -len(unit)]
            if times == 1:
                return number
            try:
                return format(to_decimal(number, "") * times, "f")
            except ProfileError:
                return t
    return t


def to_decimal(value: object, fact: str) -> Decimal:
    """A JSON number (int, float, Decimal) or numeric string -> Decimal, exactly as written.

    Refused: true/false, null, NaN and infinities, and numbers no figure has (more than
    MAX_DIGITS significant digits, or a power of ten beyond ±MAX_EXPONENT). -0 is 0."""
    if isinstance(value, bool) or value is None:
        raise _not_a_number(fact, json_repr(value))
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, int):
        if abs(value) >= 10 ** (MAX_DIGITS + MAX_EXPONENT):  # before str(): 5000 digits would raise
            raise _not_a_figure(fact, Notice("a whole number of more digits than any figure"))
        d = Decimal(value)
    elif isinstance(value, float):
        d = Decimal(repr(value))
    elif isinstance(value, str):
        if len(value) > 64:
            raise _not_a_figure(fact, Notice("{count} characters", count=len(value)))
        d = _from_text(value, fact)
    else:
        raise _not_a_number(fact, json_repr(value))
    if not d.is_finite():
        raise _not_a_number(fact, repr(value))
    if d.is_zero():
        return Decimal(0)  # -0 and 0E-5 are 0
    if len(d.as_tuple().digits) > MAX_DIGITS or not -MAX_EXPONENT <= d.adjusted() <= MAX_EXPONENT:
        raise _not_a_figure(fact, _short(d))
    return d


def _short(d: Decimal) -> str:
    return _clip(str(d), 40)


def _not_a_figure(fact: str, shown: str) -> ProfileError:
    return ProfileError(
        fact,
        Notice(
            "{fact}: {value} is not a figure (at most {digits} significant digits, "
            "between 1e-{exponent} and 1e{exponent})",
            fact=fact,
            value=shown,
            digits=MAX_DIGITS,
            exponent=MAX_EXPONENT,
        ),
        Problem.NOT_A_FIGURE,
    )


def json_repr(value: object) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, Decimal):
        return _short(value)
    if isinstance(value, list | dict):  # as JSON, the way the profile wrote it
        return _clip(json.dumps(value, ensure_ascii=False, default=str), 60)
    return repr(value)


def _clip(text: str, limit: int) -> str:
    """A value as shown in a message: whole if short, else its start and its last 12 characters."""
    return text if len(text) <= limit else f"{text[: limit - 20]}…{text[-12:]}"


# --- One validator a fact type: (fact, value as given) -> the value normalised ---------------------


def _wan(fact: Fact, value: object) -> Decimal:
    name = fact.name
    d = to_decimal(value, name)
    if d < 0:
        message = Notice("{fact}: cannot be negative ({value})", fact=name, value=value)
        raise ProfileError(name, message, Problem.NEGATIVE, minimum=0)
    if d > MAX_WAN:
        raise ProfileError(
            name,
            Notice(
                "{fact}: {value} (in 10k yuan) is absurdly large (more than a trillion yuan); amounts are in 10k yuan",
                fact=name,
                value=value,
            ),
            Problem.TOO_LARGE,
            maximum=MAX_WAN,
        )
    return d


def _bool(fact: Fact, value: object) -> bool:
    if not isinstance(value, bool):
        message = Notice("{fact}: expected true or false, got {value}", fact=fact.name, value=json_repr(value))
        raise ProfileError(fact.name, message, Problem.NOT_BOOL)
    return value


def _whole(fact: Fact, value: object) -> int:
    """An int as given, or a float or Decimal that is a whole number (3.0)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, (float, Decimal)):
        d = Decimal(repr(value)) if isinstance(value, float) else value
        if d.is_finite() and abs(d.adjusted()) <= MAX_DIGITS and d == d.to_integral_value():
            return int(d)
    message = Notice("{fact}: expected a whole number, got {value}", fact=fact.name, value=json_repr(value))
    raise ProfileError(fact.name, message, Problem.NOT_WHOLE)


def _int(fact: Fact, value: object) -> int:
    n = _whole(fact, value)
    if n < fact.minimum or (fact.maximum is not None and n > fact.maximum):
        raise ProfileError(
            fact.name,
            Notice(
                "{fact}: expected {minimum} to {maximum}, got {value}",
                fact=fact.name,
                minimum=fact.minimum,
                maximum=fact.maximum,
                value=n,
            ),
            Problem.OUT_OF_RANGE,
            minimum=fact.minimum,
            maximum=fact.maximum,
        )
    return n


def _enum(fact: Fact, value: object) -> str:
    if not isinstance(value, str) or value not in fact.choices:
        raise ProfileError(
            fact.name,
            Notice(
                "{fact}: expected one of {choices}, got {value}",
                fact=fact.name,
                choices=", ".join(fact.choices),
                value=json_repr(value),
            ),
            Problem.NOT_A_CHOICE,
        )
    return value


def _enum_list(fact: Fact, value: object) -> list[str]:
    name = fact.name
    if not isinstance(value, list):
        message = Notice(
            "{fact}: expected a list of {choices}, got {value}",
            fact=name,
            choices=", ".join(fact.choices),
            value=json_repr(value),
        )
        raise ProfileError(name, message, Problem.NOT_A_LIST)
    chosen: list[str] = []
    for item in value:
        if not isinstance(item, str) or item not in fact.choices:
            message = Notice(
                "{fact}: {value} is not one of {choices}",
                fact=name,
                value=json_repr(item),
                choices=", ".join(fact.choices),
            )
            raise ProfileError(name, message, Problem.NOT_A_CHOICE)
        if item not in chosen:  # each once, in the order given
            chosen.append(item)
    return chosen


VALIDATORS: dict[str, Callable[[Fact, object], FactValue]] = {
    "wan": _wan,
    "bool": _bool,
    "int": _int,
    "enum": _enum,
    "enum_list": _enum_list,
}


def validate_value(name: str, value: object) -> FactValue:
    """Check one fact's value; returns it normalised (Decimal for money)."""
    fact = FACTS.get(name)
    if fact is None:
        hint = nearest(name)
        if hint:
            message = Notice("unknown fact {fact}; did you mean {hint}?", fact=repr(name), hint=repr(hint))
        else:
            message = Notice("unknown fact {fact}", fact=repr(name))
        raise ProfileError(name, message, Problem.UNKNOWN_FACT)
    return VALIDATORS[fact.type](fact, value)


def validate_profile(profile: object) -> Facts:
    """A whole profile (a JSON object) -> normalised facts.

    Every bad fact is reported at once, so a user fixes the file in one go: the ProfileError
    names the first (and carries its code), and its ``problems`` hold one error a fact, each
    on a line of the message."""
    if not isinstance(profile, dict):
        raise ProfileError("(profile)", NOT_AN_OBJECT, Problem.NOT_AN_OBJECT)
    if len(profile) > MAX_PROFILE_FACTS:
        raise ProfileError(
            "(profile)",
            Notice(
                "a profile names each of the {count} facts at most once; this one has {keys} keys",
                count=len(FACTS),
                keys=len(profile),
            ),
            Problem.TOO_MANY_FACTS,
        )
    facts: Facts = {}
    problems: list[ProfileError] = []
    for name, value in profile.items():
        if value is None:
            continue
        try:
            facts[name] = validate_value(name, value)
        except ProfileError as exc:
            problems.append(exc)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        first = problems[0]
        error = ProfileError(
            first.fact,
            joined([p.notice for p in problems], "\n"),
            first.code,
            minimum=first.minimum,
            maximum=first.maximum,
        )
        error.problems = problems
        raise error
    return facts


# --- Reading a profile file -------------------------------------------------------------------------

MAX_PROFILE_BYTES = 256 * 1024  # a profile is a few hundred bytes


class ProfileFileError(ValueError):
    """A profile file that is not a JSON object of facts; the message says why, and
    ``notice`` says it in the reader's words (through ``Locale.say``)."""

    def __init__(self, message: str) -> None:
        self.notice: Notice = as_notice(message)
        super().__init__(self.notice)


def _refuse_constant(name: str) -> object:
    raise ProfileFileError(Notice("{name} is not a number a profile can hold", name=name))


def read_profile(data: bytes) -> dict[str, object]:
    """A profile file's bytes -> its JSON object, numbers as exact Decimals (validated later by
    :func:`validate_profile`). Bounded: its size, its nesting, NaN and Infinity refused."""
    if len(data) > MAX_PROFILE_BYTES:
        raise ProfileFileError(Notice("it is {size} bytes; a profile is a small JSON object of facts", size=len(data)))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProfileFileError(Notice("it is not UTF-8 text (byte {byte})", byte=exc.start)) from None
    try:
        value = json.loads(text, parse_float=Decimal, parse_int=Decimal, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        message = Notice(
            "it is not valid JSON: {problem} at line {line} column {column}",
            problem=json_said(exc),
            line=exc.lineno,
            column=exc.colno,
        )
        raise ProfileFileError(message) from None
    except RecursionError:
        raise ProfileFileError(Notice("it is nested far too deeply to be a profile")) from None
    if not isinstance(value, dict):
        raise ProfileFileError(Notice("it must be a JSON object of facts, e.g. {example}", example=EXAMPLE))
    return {k: _whole_numbers(v) for k, v in value.items()}


def _whole_numbers(value: object) -> object:
    """JSON integers were read as Decimal (so a 5000-digit one is refused, not converted):
    a small whole Decimal written without a point becomes an int again."""
    if not isinstance(value, Decimal) or not value.is_finite():
        return value
    shape = value.as_tuple()
    return int(value) if shape.exponent == 0 and len(shape.digits) <= MAX_DIGITS else value
