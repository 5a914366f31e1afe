"""Parse a policy package (一、domain / (由…牽頭實施) / intro / (一)clause…(責任單位:…)).

The parser knows the genre, not one file: it counts what it finds, reads Traditional or
Simplified characters and full- or half-width punctuation, and drops a web page's
navigation, headline and footer around the policy text. A damaged document fails with a
:class:`ParseError` that names the line and what was expected; nothing partial is returned.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from .models import Clause, Document, Domain
from .money import _NUMBER, find_figures, money_value, plain
from .numerals import NUMERAL_CHARS, parse_numeral, to_numeral


class ParseError(ValueError):
    """A document that is not a well-formed policy package."""

    def __init__(self, line: int | None, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(f"line {line}: {message}" if line else message)


_NUM = "[" + "".join(sorted(NUMERAL_CHARS)) + "]+"
_WS = " \t\u3000\u00a0\ufeff"
DOMAIN_RE = re.compile(rf"^(?P<num>{_NUM})、(?P<title>[^。]{{1,80}})$")
LEAD_RE = re.compile(r"^[(（]由(?P<who>.+?)(?:牽頭|牵头)(?:實施|实施)?[)）]$")
CLAUSE_RE = re.compile(r"^[(（](?P<num>[^()（）]{1,8})[)）](?P<rest>.*)$")
UNITS_RE = re.compile(r"[(（](?:責任單位|责任单位)[:：](?P<units>[^()（）]+)[)）]$")
FOOTER_RE = re.compile(r"^(?:來源|来源)\s*[:：]")
PUBLISHED_RE = re.compile(r"(?:發佈時間|发布时间|發布時間)\s*[|｜:：]?\s*(\d{4}-\d{2}-\d{2})")
BUDGET_RE = re.compile(
    rf"市(?:級|级)?財政(?P<year>\d{{4}})年預算安排(?:資金)?(?P<num>{_NUMBER})(?P<unit>億元|萬元)"
    rf"|市(?:級|级)?财政(?P<year2>\d{{4}})年预算安排(?:资金)?(?P<num2>{_NUMBER})(?P<unit2>亿元|万元)"
)
TOTAL_RE = re.compile(rf"總額為(?P<num>{_NUMBER})(?P<unit>億元|萬元)|总额为(?P<num2>{_NUMBER})(?P<unit2>亿元|万元)")
VALID_RE = re.compile(r"(?P<year>\d{4})年全年有效")
_SPLIT_UNITS = re.compile(r"[、,，;；]")
_TARGET_SPLIT = re.compile(r"[,，;；。]")


@dataclass
class _DomainDraft:
    number: int
    title: str
    line: int
    lead: tuple[str, ...] = ()
    intro: list[str] | None = None
    clauses: list[Clause] | None = None


def decode(data: bytes, name: str = "document") -> str:
    """Bytes -> text, refusing what is not a UTF-8 text document, naming the line."""
    if not data.strip():
        raise ParseError(None, f"{name} is empty: expected the text of a policy package")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ParseError(1, f"{name} is UTF-16: save it as UTF-8 and build again")
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise ParseError(line, f"{name} is binary (a NUL byte): expected UTF-8 text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        hint = ""
        for enc in ("gb18030", "big5"):
            try:
                data.decode(enc)
            except UnicodeDecodeError:
                continue
            hint = f"; it reads as {enc.upper()}: convert it with `iconv -f {enc.upper()} -t UTF-8`"
            break
        raise ParseError(line, f"{name} is not valid UTF-8 text{hint}") from None
    return text.removeprefix("\ufeff")


def parse(data: bytes | str, name: str = "document") -> Document:
    text = decode(data, name) if isinstance(data, bytes) else data
    raw = text.encode("utf-8")
    lines = text.splitlines()
    stripped = [ln.strip(_WS) for ln in lines]

    headings = [i for i, s in enumerate(stripped) if DOMAIN_RE.match(s) and parse_numeral(DOMAIN_RE.match(s)["num"])]
    clause_lines = [
        i for i, s in enumerate(stripped) if CLAUSE_RE.match(s) and parse_numeral(CLAUSE_RE.match(s)["num"])
    ]
    if not headings:
        if clause_lines:
            raise ParseError(clause_lines[0] + 1, "a clause comes before any domain heading ('一、…')")
        raise ParseError(None, f"{name} has no domain headings ('一、…'): it does not look like a policy package")
    h0 = headings[0]
    if clause_lines and clause_lines[0] < h0:
        raise ParseError(clause_lines[0] + 1, "a clause comes before the first domain heading ('一、…')")

    # Title and preamble: above the first heading, paragraphs ending in 。 then the title.
    preamble: list[str] = []
    title_idx = None
    for i in range(h0 - 1, -1, -1):
        s = stripped[i]
        if not s:
            continue
        if s.endswith("。"):
            preamble.append(s)
            continue
        title_idx = i
        break
    if title_idx is None:
        raise ParseError(h0 + 1, "expected the document's title (a line of its own) above the first domain")
    title = stripped[title_idx].strip("《》")
    header = "\n".join(stripped[:title_idx])
    pub = PUBLISHED_RE.search(header)

    domains: list[_DomainDraft] = []
    clauses: list[Clause] = []
    seen: dict[int, int] = {}
    closing: list[str] = []
    source_line = None
    current: _DomainDraft | None = None
    state = "domain"  # domain -> lead/intro -> clauses -> closing -> footer
    for i in range(h0, len(lines)):
        s = stripped[i]
        lineno = i + 1
        if not s:
            continue
        if state == "footer":
            continue
        if FOOTER_RE.match(s):
            source_line = s
            state = "footer"
            continue
        dm = DOMAIN_RE.match(s)
        if dm and parse_numeral(dm["num"]) and state != "closing":
            n = parse_numeral(dm["num"])
            expected = len(domains) + 1
            if current is not None and not current.clauses:
                raise ParseError(current.line, f"domain {to_numeral(current.number)}、{current.title} has no clauses")
            if n != expected:
                raise ParseError(lineno, f"expected domain {to_numeral(expected)}、 next, found {dm['num']}、")
            current = _DomainDraft(n, dm["title"].strip(), lineno, intro=[], clauses=[])
            domains.append(current)
            state = "intro"
            continue
        if state == "intro" and not current.lead and not current.intro:
            lead = LEAD_RE.match(s)
            if lead:
                current.lead = tuple(u.strip() for u in _SPLIT_UNITS.split(lead["who"]) if u.strip())
                continue
        cm = CLAUSE_RE.match(s)
        if cm and not all(ch in NUMERAL_CHARS for ch in cm["num"]):
            cm = None
        if cm and state != "closing":
            n = parse_numeral(cm["num"])
            if n is None:
                raise ParseError(
                    lineno, f"'({cm['num']})' is not a clause number: expected ({to_numeral(len(clauses) + 1)})"
                )
            assert current is not None
            if n in seen:
                raise ParseError(lineno, f"clause ({cm['num']}) appears twice (first at line {seen[n]})")
            expected = len(clauses) + 1
            if n != expected:
                raise ParseError(
                    lineno,
                    f"expected clause ({to_numeral(expected)}) ({expected}) next, found ({cm['num']}) ({n})",
                )
            seen[n] = lineno
            clause = _clause(n, current.number, s, cm, lineno)
            clauses.append(clause)
            current.clauses.append(clause)
            state = "clauses"
            continue
        if state == "intro":
            current.intro.append(s)
            continue
        if state in ("clauses", "closing"):
            # Text after a clause: only the closing paragraphs may follow the last clause.
            if state == "clauses" and any(j > i for j in headings + clause_lines):
                raise ParseError(
                    lineno,
                    "unexpected text between clauses: expected a clause '(…)…(責任單位:…)' or a domain heading",
                )
            closing.append(s)
            state = "closing"
            continue
        raise ParseError(lineno, "unexpected text")  # pragma: no cover - states above are exhaustive

    if current is not None and not current.clauses:
        raise ParseError(current.line, f"domain {to_numeral(current.number)}、{current.title} has no clauses")

    closing_text = "\n".join(closing)
    total = TOTAL_RE.search(closing_text)
    valid = VALID_RE.search(closing_text)
    return Document(
        title=title,
        preamble="\n".join(reversed(preamble)),
        closing=tuple(closing),
        published=pub.group(1) if pub else None,
        source_line=source_line,
        valid_from=f"{valid['year']}-01-01" if valid else None,
        valid_to=f"{valid['year']}-12-31" if valid else None,
        total_budget=_money_record(total) if total else None,
        domains=tuple(_domain(d) for d in domains),
        clauses=tuple(clauses),
        source_sha256=hashlib.sha256(raw).hexdigest(),
    )


def _money_record(m: re.Match) -> dict:
    num = m["num"] or m["num2"]
    unit = m["unit"] or m["unit2"]
    value, currency = money_value(num, unit)
    return {"text": f"{num}{unit}", "yuan": plain(value), "currency": currency}


def _clause(n: int, domain: int, line: str, cm: re.Match, lineno: int) -> Clause:
    rest = cm["rest"]
    um = UNITS_RE.search(rest)
    if not um:
        raise ParseError(lineno, f"clause ({cm['num']}) has no (責任單位:…) at its end")
    units = tuple(u.strip() for u in _SPLIT_UNITS.split(um["units"]) if u.strip())
    body = rest[: um.start()].strip()
    if not body:
        raise ParseError(lineno, f"clause ({cm['num']}) has no text")
    title = body.split("。", 1)[0].strip()
    figures = find_figures(line)
    return Clause(
        number=n,
        domain=domain,
        title=title,
        text=line,
        body=body,
        units=units,
        money=tuple(f.to_record() for f in figures if f.kind == "money"),
        percentages=tuple(f.to_record() for f in figures if f.kind == "percent"),
        line=lineno,
    )


def _targets(intro: str) -> tuple[str, ...]:
    """The promises an introduction makes: its 2024 sentence, else phrases with amounts."""
    out: list[str] = []
    for sentence in re.split(r"(?<=。)", intro):
        m = re.search(r"\d{4}年[,，]", sentence)
        if m:
            out.extend(p.strip() for p in _TARGET_SPLIT.split(sentence[m.end() :]) if p.strip())
    if out:
        return tuple(out)
    for phrase in _TARGET_SPLIT.split(intro):
        unquoted = re.sub(r"“[^”]*”", "", phrase)
        if re.search(r"\d", unquoted) and find_figures(unquoted):
            out.append(phrase.strip())
    return tuple(out)


def _domain(d: _DomainDraft) -> Domain:
    intro = "\n".join(d.intro or [])
    budget = None
    for c in d.clauses or []:
        m = BUDGET_RE.search(c.body)
        if m:
            num = m["num"] or m["num2"]
            unit = m["unit"] or m["unit2"]
            value, _ = money_value(num, unit)
            budget = {
                "text": f"{num}{unit}",
                "yuan": plain(value),
                "clause": c.number,
                "year": int(m["year"] or m["year2"]),
            }
            break
    return Domain(
        number=d.number,
        title=d.title,
        lead_agencies=d.lead,
        intro=intro,
        targets=_targets(intro),
        first_clause=d.clauses[0].number,
        last_clause=d.clauses[-1].number,
        budget=budget,
        line=d.line,
    )
