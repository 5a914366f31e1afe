"""Parse a policy package (一、domain / (由…牽頭實施) / intro / (一)clause…(責任單位:…)).

The parser knows the genre, not one file: it counts what it finds, reads Traditional or
Simplified characters and full- or half-width punctuation, and drops a web page's
navigation, headline and footer around the policy text. A damaged document fails with a
:class:`ParseError` that names the line and what was expected; nothing partial is returned.

A document must be whole. What the genre guarantees, and is checked:

* a title of its own above the preamble (a line of the page's header, such as
  ``發佈時間 | 2024-02-21``, is never taken for one);
* closing paragraphs after the last clause, one of which says when the policies apply
  (``…均為2024年全年有效``, ``自…起施行``, ``有效期…``): a normative document states its
  validity, so a document without it is cut off;
* where the domains state budgets (``市財政2024年預算安排…``), the closing states their
  total (``總額為490億元``); a package that states no budgets need not state a total;
* where the closing counts the domains (``上述8個領域政策``), the count matches;
* every year it states (validity, budgets, publication) lies in 1949–2100.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date

from .badinput import as_notice
from .i18n import Notice
from .models import BudgetRecord, Clause, Document, Domain, TotalRecord
from .money import _NUMBER, find_figures, money_value, plain
from .numerals import NUMERAL_CHARS, parse_numeral, to_numeral
from .storecheck import FIRST_YEAR, LAST_YEAR  # the years a store may hold


class ParseError(ValueError):
    """A document that is not a well-formed policy package: the line (None for the file as a
    whole) and what is wrong. ``message`` and ``notice`` (with the line) are
    notices (:class:`.i18n.Notice`): English as a ``str``, in the reader's words by ``Locale.say``."""

    def __init__(self, line: int | None, message: str) -> None:
        self.line = line
        self.message: Notice = as_notice(message)
        self.notice: Notice = (
            Notice("line {line}: {problem}", line=line, problem=self.message) if line else self.message
        )
        super().__init__(self.notice)


_NUM = "[" + "".join(sorted(NUMERAL_CHARS)) + "]+"
_WS = " \t\u3000\u00a0\ufeff"
DOMAIN_RE = re.compile(rf"^(?P<num>{_NUM})、(?P<title>[^。]{{1,80}})$")
LEAD_RE = re.compile(r"^[(（]由(?P<who>.+?)(?:牽頭|牵头)(?:實施|实施)?[)）]$")
CLAUSE_RE = re.compile(r"^[(（](?P<num>[^()（）]{1,8})[)）](?P<rest>.*)$")
UNITS_RE = re.compile(r"[(（](?:責任單位|责任单位)[:：](?P<units>[^()（）]+)[)）]$")
FOOTER_RE = re.compile(r"^(?:來源|来源)\s*[:：]")
# Who issued it, as a page's lead says: "日前,杭州市人民政府印發《關於…》".
ISSUER_RE = re.compile(
    r"(?:^|[,，。；;\s]|日前|近日)(?P<issuer>[^\s,，。；;《》]{2,30}?)(?:印發|印发|發佈|发布|出臺|出台)了?《"
)
PUBLISHED_RE = re.compile(r"(?:發佈時間|发布时间|發布時間)\s*[|｜:：]?\s*(\d{4}-\d{2}-\d{2})")
BUDGET_RE = re.compile(
    rf"市(?:級|级)?財政(?P<year>\d{{4}})年預算安排(?:資金)?(?P<num>{_NUMBER})(?P<unit>億元|萬元)"
    rf"|市(?:級|级)?财政(?P<year2>\d{{4}})年预算安排(?:资金)?(?P<num2>{_NUMBER})(?P<unit2>亿元|万元)"
)
TOTAL_RE = re.compile(rf"總額為(?P<num>{_NUMBER})(?P<unit>億元|萬元)|总额为(?P<num2>{_NUMBER})(?P<unit2>亿元|万元)")
VALID_RE = re.compile(r"(?P<year>\d{4})年全年有效")
# A closing paragraph that says when the policies apply, in any of the genre's wordings
# (施行 but not the 施行 of 實施行動).
IN_FORCE_RE = re.compile(
    r"全年有效|有效期|有效至|(?<![實实])施行|試行|试行|(?:實施|实施|執行|执行)(?:期限|期至)"
    r"|(?:起|之日)(?:實施|实施|執行|执行)"
)
# The closing's own count of the domains: 上述8個領域政策.
DOMAIN_COUNT_RE = re.compile(rf"(?:上述|以上|共|等)(?P<num>\d+|{_NUM})(?:個|个)(?:領域|领域)")
# A line of a web page's header or footer (never a title): publication time, source, author,
# editor, a breadcrumb, a date of its own, or |-separated metadata.
HEADER_RE = re.compile(
    r"發佈時間|发布时间|發布時間|您的位置|您现在的位置|當前位置|当前位置|[|｜]"
    r"|(?:來源|来源|撰稿|責編|责编|編輯|编辑|審核|审核|作者)\s*[:：]"
    r"|^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|^\d{4}年\d{1,2}月\d{1,2}日\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?$"
)
# What a document is called in a message when it has no file name.
DOCUMENT = Notice("the document")
_SPLIT_UNITS = re.compile(r"[、,，;；]")
_TARGET_SPLIT = re.compile(r"[,，;；。]")


@dataclass
class _DomainDraft:
    number: int
    title: str
    line: int
    lead: tuple[str, ...] = ()
    intro: list[str] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)


def decode(data: bytes, name: str = DOCUMENT) -> str:
    """Bytes -> text, refusing what is not a UTF-8 text document, naming the line."""
    if not data.strip():
        raise ParseError(None, Notice("{name} is empty: expected the text of a policy package", name=name))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ParseError(1, Notice("{name} is UTF-16: save it as UTF-8 and build again", name=name))
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise ParseError(line, Notice("{name} is binary (a NUL byte): expected UTF-8 text", name=name))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        for enc in ("gb18030", "big5"):
            try:
                data.decode(enc)
            except UnicodeDecodeError:
                continue
            message = Notice(
                "{name} is not valid UTF-8 text; it reads as {encoding}: convert it with "
                "`iconv -f {encoding} -t UTF-8`",
                name=name,
                encoding=enc.upper(),
            )
            raise ParseError(line, message) from None
        raise ParseError(line, Notice("{name} is not valid UTF-8 text", name=name)) from None
    return text.removeprefix("\ufeff")


def parse(data: bytes | str, name: str = DOCUMENT) -> Document:
    text = decode(data, name) if isinstance(data, bytes) else data
    stripped = [ln.strip(_WS) for ln in text.splitlines()]
    headings = [i for i, s in enumerate(stripped) if _numbered(DOMAIN_RE, s)]
    clause_lines = [i for i, s in enumerate(stripped) if _numbered(CLAUSE_RE, s)]
    h0 = _first_heading(headings, clause_lines, name)
    title, preamble, published = _front_matter(stripped, h0)
    issuer = _issuer(stripped, h0, title)
    body = _Body(last_marker=max(headings + clause_lines))
    for i in range(h0, len(stripped)):
        body.feed(i + 1, stripped[i])
    body.finish()
    domains = tuple(_domain(d) for d in body.domains)
    _check_whole(body, domains)
    valid_from, valid_to, total = _closing_figures(body)
    return Document(
        title=title,
        preamble=preamble,
        closing=tuple(body.closing),
        published=published,
        source_line=body.source_line,
        issuer=issuer,
        valid_from=valid_from,
        valid_to=valid_to,
        total_budget=total,
        domains=domains,
        clauses=tuple(body.clauses),
        source_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


def _numbered(pattern: re.Pattern[str], line: str) -> bool:
    """A domain heading or clause line whose number is a numeral (一、, (十四))."""
    m = pattern.match(line)
    return bool(m and parse_numeral(m["num"]))


def _first_heading(headings: list[int], clause_lines: list[int], name: str) -> int:
    """The index of the first domain heading; nothing numbered may come before it."""
    if not headings:
        if clause_lines:
            raise ParseError(clause_lines[0] + 1, Notice("a clause comes before any domain heading ('一、…')"))
        raise ParseError(
            None, Notice("{name} has no domain headings ('一、…'): it does not look like a policy package", name=name)
        )
    h0 = headings[0]
    if clause_lines and clause_lines[0] < h0:
        raise ParseError(clause_lines[0] + 1, Notice("a clause comes before the first domain heading ('一、…')"))
    return h0


def _front_matter(stripped: list[str], h0: int) -> tuple[str, str, str | None]:
    """(title, preamble, publication date) from above the first heading: reading up, the
    paragraphs ending in 。 are the preamble and the line above them is the title; a page's
    header above the title may give the publication date."""
    preamble: list[str] = []
    for i in range(h0 - 1, -1, -1):
        s = stripped[i]
        if not s:
            continue
        if s.endswith("。"):
            preamble.append(s)
            continue
        if HEADER_RE.search(s):
            if preamble:
                message = Notice(
                    "no title above the preamble: line {line} is a line of the page's header ({text}), "
                    "not a title; add the document's title on a line of its own above the preamble",
                    line=i + 1,
                    text=repr(s[:40]),
                )
            else:
                message = Notice(
                    "no title above the first domain heading: line {line} is a line of the page's header ({text}), "
                    "not a title; add the document's title on a line of its own above the first domain heading",
                    line=i + 1,
                    text=repr(s[:40]),
                )
            raise ParseError(_next_line(stripped, i), message)
        return s.strip("《》"), "\n".join(reversed(preamble)), _published(stripped, i)
    raise ParseError(h0 + 1, Notice("expected the document's title (a line of its own) above the first domain"))


def _next_line(stripped: list[str], i: int) -> int:
    """The line number of the first non-blank line below index ``i`` (there is one: the
    first domain heading is below)."""
    return next(j for j in range(i + 1, len(stripped)) if stripped[j]) + 1


def _issuer(stripped: list[str], first_heading: int, title: str) -> str | None:
    """The body that issued the document, where a line above the first heading says it
    issued this title ("杭州市人民政府印發《關於…》"); None when no line says so."""
    for line in stripped[:first_heading]:
        for m in ISSUER_RE.finditer(line):
            if line[m.end() :].startswith(title):
                return m.group("issuer")
    return None


def _published(stripped: list[str], title: int) -> str | None:
    """The publication date a page's header above the title gives (a real date, 1949–2100)."""
    header = "\n".join(stripped[:title])
    pub = PUBLISHED_RE.search(header)
    if pub is None:
        return None
    lineno = header.count("\n", 0, pub.start(1)) + 1
    try:
        day = date.fromisoformat(pub.group(1))
    except ValueError:
        message = Notice("the publication date {date} is not a date (YYYY-MM-DD)", date=repr(pub.group(1)))
        raise ParseError(lineno, message) from None
    _check_year(day.year, lineno, Notice("the publication date {date}", date=pub.group(1)))
    return day.isoformat()


def _check_year(year: int, lineno: int, what: Notice) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ParseError(
            lineno,
            Notice(
                "{what}: the year {year} is outside {first}–{last} (a typo?)",
                what=what,
                year=str(year).zfill(4),
                first=FIRST_YEAR,
                last=LAST_YEAR,
            ),
        )


class _Body:
    """Reads the policy from its first domain heading on, one line at a time.

    States: "intro" (after a heading: its lead line and introduction), "clauses", "closing"
    (text after the last clause) and "footer" (from 來源: on, ignored)."""

    def __init__(self, last_marker: int) -> None:
        self.last_marker = last_marker  # index of the last heading or clause line
        self.state = "domain"
        self.domains: list[_DomainDraft] = []
        self.clauses: list[Clause] = []
        self.seen: dict[int, int] = {}  # clause number -> its line
        self.closing: list[str] = []
        self.closing_lines: list[int] = []  # the line of each closing paragraph
        self.source_line: str | None = None
        self._current: _DomainDraft | None = None

    @property
    def current(self) -> _DomainDraft:
        assert self._current is not None, "the body starts at a domain heading"
        return self._current

    def feed(self, lineno: int, s: str) -> None:
        if not s or self.state == "footer":
            return
        if FOOTER_RE.match(s):
            self.source_line = s
            self.state = "footer"
            return
        if self.state != "closing" and self._heading(lineno, s):
            return
        if self.state == "intro" and self._lead(s):
            return
        if self.state != "closing" and self._clause(lineno, s):
            return
        self._text(lineno, s)

    def finish(self) -> None:
        self._check_has_clauses()

    def _check_has_clauses(self) -> None:
        d = self._current
        if d is not None and not d.clauses:
            raise ParseError(
                d.line, Notice("domain {numeral}、{title} has no clauses", numeral=to_numeral(d.number), title=d.title)
            )

    def _heading(self, lineno: int, s: str) -> bool:
        dm = DOMAIN_RE.match(s)
        n = parse_numeral(dm["num"]) if dm else None
        if dm is None or not n:
            return False
        expected = len(self.domains) + 1
        self._check_has_clauses()
        if n != expected:
            message = Notice(
                "expected domain {expected}、 next, found {found}、", expected=to_numeral(expected), found=dm["num"]
            )
            raise ParseError(lineno, message)
        self._current = _DomainDraft(n, dm["title"].strip(), lineno)
        self.domains.append(self._current)
        self.state = "intro"
        return True

    def _lead(self, s: str) -> bool:
        """The (由…牽頭實施) line right under a heading."""
        d = self.current
        lead = LEAD_RE.match(s) if not d.lead and not d.intro else None
        if lead is None:
            return False
        d.lead = tuple(u.strip() for u in _SPLIT_UNITS.split(lead["who"]) if u.strip())
        return True

    def _clause(self, lineno: int, s: str) -> bool:
        cm = CLAUSE_RE.match(s)
        if cm is None or not all(ch in NUMERAL_CHARS for ch in cm["num"]):
            return False
        n = parse_numeral(cm["num"])
        if n is None:
            message = Notice(
                "'({found})' is not a clause number: expected ({expected})",
                found=cm["num"],
                expected=to_numeral(len(self.clauses) + 1),
            )
            raise ParseError(lineno, message)
        d = self.current
        if n in self.seen:
            message = Notice(
                "clause ({numeral}) appears twice (first at line {first})", numeral=cm["num"], first=self.seen[n]
            )
            raise ParseError(lineno, message)
        expected = len(self.clauses) + 1
        if n != expected:
            message = Notice(
                "expected clause ({numeral}) ({number}) next, found ({found}) ({found_number})",
                numeral=to_numeral(expected),
                number=expected,
                found=cm["num"],
                found_number=n,
            )
            raise ParseError(lineno, message)
        self.seen[n] = lineno
        clause = _clause(n, d.number, s, cm, lineno)
        self.clauses.append(clause)
        d.clauses.append(clause)
        self.state = "clauses"
        return True

    def _text(self, lineno: int, s: str) -> None:
        """A line that is neither heading, lead nor clause."""
        if self.state == "intro":
            self.current.intro.append(s)
            return
        if self.state not in ("clauses", "closing"):  # pragma: no cover - the body starts at a heading
            raise ParseError(lineno, Notice("unexpected text"))
        # Text after a clause: only the closing paragraphs may follow the last clause.
        if self.state == "clauses" and lineno - 1 < self.last_marker:
            message = Notice(
                "unexpected text between clauses: expected a clause '(…)…(責任單位:…)' or a domain heading"
            )
            raise ParseError(lineno, message)
        self.closing.append(s)
        self.closing_lines.append(lineno)
        self.state = "closing"


def _closing_figures(body: _Body) -> tuple[str | None, str | None, TotalRecord | None]:
    """(valid from, valid to, total budget) as the closing paragraphs state them ("…2024年全年有效")."""
    total = next((m for s in body.closing if (m := TOTAL_RE.search(s))), None)
    budget = _money_record(total) if total else None
    for lineno, s in zip(body.closing_lines, body.closing, strict=True):
        valid = VALID_RE.search(s)
        if valid is not None:
            year = int(valid["year"])
            _check_year(year, lineno, Notice("'{words}'", words=valid.group()))
            return f"{year:04d}-01-01", f"{year:04d}-12-31", budget
    return None, None, budget


def _check_whole(body: _Body, domains: tuple[Domain, ...]) -> None:
    """Refuse a document that is cut off or lacks a part the genre always has (see the
    module's docstring), naming the line and what to check."""
    last = body.clauses[-1]
    if not body.closing:
        message = Notice(
            "the document ends after clause ({numeral}) with no closing paragraphs: is it cut off? "
            "(a policy package ends with paragraphs after its last clause that say when the policies apply)",
            numeral=to_numeral(last.number),
        )
        raise ParseError(last.line, message)
    first, end = body.closing_lines[0], body.closing_lines[-1]
    where = Notice("line {line}", line=first) if first == end else Notice("lines {first}–{last}", first=first, last=end)
    if not any(IN_FORCE_RE.search(s) for s in body.closing):
        message = Notice(
            "the closing paragraphs ({where}) do not say when the policies apply "
            "(such as '…均為2024年全年有效' or '自…起施行'): is the document cut off after line {end}?",
            where=where,
            end=end,
        )
        raise ParseError(end, message)
    budget = next((d.budget for d in domains if d.budget), None)
    if budget is not None and not any(TOTAL_RE.search(s) for s in body.closing):
        message = Notice(
            "the domains state their budgets (clause ({numeral}): {budget}) but the closing paragraphs ({where}) "
            "give no total (總額為…億元): is the document cut off or damaged?",
            numeral=to_numeral(budget["clause"]),
            budget=budget["text"],
            where=where,
        )
        raise ParseError(end, message)
    _check_domain_count(body, len(domains))


def _check_domain_count(body: _Body, found: int) -> None:
    """Where the closing counts the domains (上述8個領域政策), the document has that many."""
    for lineno, s in zip(body.closing_lines, body.closing, strict=True):
        m = DOMAIN_COUNT_RE.search(s)
        if m is None:
            continue
        stated = int(m["num"]) if m["num"].isdigit() else parse_numeral(m["num"])
        if stated is not None and stated != found:
            message = Notice(
                "the closing speaks of {stated} domains ({words}) but the document has {found} "
                "domain headings: is a domain missing?",
                stated=stated,
                words=m.group(),
                found=found,
            )
            raise ParseError(lineno, message)


def _money_record(m: re.Match[str]) -> TotalRecord:
    num = m["num"] or m["num2"]
    unit = m["unit"] or m["unit2"]
    value, currency = money_value(num, unit)
    return {"text": f"{num}{unit}", "yuan": plain(value), "currency": currency}


def _clause(n: int, domain: int, line: str, cm: re.Match[str], lineno: int) -> Clause:
    rest = cm["rest"]
    um = UNITS_RE.search(rest)
    if not um:
        raise ParseError(lineno, Notice("clause ({numeral}) has no (責任單位:…) at its end", numeral=cm["num"]))
    units = tuple(u.strip() for u in _SPLIT_UNITS.split(um["units"]) if u.strip())
    body = rest[: um.start()].strip()
    if not body:
        raise ParseError(lineno, Notice("clause ({numeral}) has no text", numeral=cm["num"]))
    title = body.split("。", 1)[0].strip()
    figures = find_figures(line)
    return Clause(
        number=n,
        domain=domain,
        title=title,
        text=line,
        body=body,
        units=units,
        money=tuple(f.money_record() for f in figures if f.kind == "money"),
        percentages=tuple(f.percent_record() for f in figures if f.kind != "money"),
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
    intro = "\n".join(d.intro)
    budget: BudgetRecord | None = None
    for c in d.clauses:
        m = BUDGET_RE.search(c.body)
        if m:
            num = m["num"] or m["num2"]
            unit = m["unit"] or m["unit2"]
            value, _ = money_value(num, unit)
            year = int(m["year"] or m["year2"])
            what = Notice("the budget '{words}' of clause ({numeral})", words=m.group(), numeral=to_numeral(c.number))
            _check_year(year, c.line, what)
            budget = {"text": f"{num}{unit}", "yuan": plain(value), "clause": c.number, "year": year}
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
