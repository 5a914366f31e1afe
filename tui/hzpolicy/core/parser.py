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

The layouts of the genre that are read (Traditional or Simplified, ASCII or full-width
punctuation):

* the lead on its own line under the heading (``(由市發改委牽頭實施)``) or on the heading line
  (``一、扩大有效投资政策（由市发改委牵头实施）``), also as ``（牵头单位：…）`` and
  ``（由市建委牵头，市财政局配合）`` (the agencies after the comma are the partners);
* a header block above the title: the issuer (``杭州市人民政府``, ``…文件``), the document
  number (``杭政函〔2024〕16号``, also with ``[]``/``()`` and ``第…号``), a date, and
  ``（此件公开发布）``; the same signature (issuer, date) after the closing;
* a title over two lines (both kept, joined), a preamble whose last line ends in ``：``;
* validity as ``…均为2024年全年有效``, ``自2025年1月1日起施行，有效期至2025年12月31日``,
  ``自印发之日起施行`` (from the document's own date, see :func:`_validity`), ``有效期2年``;
  a clause's own period (``有效期至2025年6月30日``);
* a domain's budget in its introduction (``2025年，市财政预算安排132.3亿元。``), recorded
  with ``clause`` 0;
* a web page's header above the title and its footer after the closing
  (``【打印本页】``, ``责任编辑：…``, ``扫一扫在手机打开当前页``, ``相关链接`` …); a page's chrome
  (``分享到：微信 微博``, ``字号：大 中 小``, ``浏览次数``) is never a title;
* the lead labelled in any of the genre's forms (``牵头部门/牵头处室/主责单位：…``, partners
  ``配合部门：…``), also with a budget in the same brackets (``（由…牵头实施，市财政预算安排2亿元）``);
  a heading that is only a lead (``二、（由…牵头实施）``) is refused;
* a clause's units tail ``（牵头单位：甲；配合单位：乙）``: the units are 甲 and 乙 (the labels dropped);
* budgets of a city, district or county (``区财政预算安排1.2亿元``), with up to 12 characters
  between 安排 and the amount (``安排科技创新专项资金22.6亿元``);
* ends written ``2025年底``, ``2025年末``, ``2025年6月底``, ``执行至…``; ``自发布之日起30日后施行``;
  a clause's ``自2025年7月1日起执行`` ends with the document; two closing paragraphs stating
  different periods are refused (one about a clause, ``其中第（三）条…``, is not the document's);
* a date in Chinese numerals (``二〇二五年二月八日``), ``发布日期：2025年2月28日``; the document
  number on the line under the title;
* an introduction's targets counted in things (``5万套``, ``2.1亿人次``, ``500家``).
* the document's tail after the closing, never policy text: ``抄送：…`` and the ``…印发`` line (the rest
  ignored), contact lines (``联系人：…``), an attachment list (``附件：1．… 2．…``), and an attachment's
  or a table's own text (``附件1``, ``附表`` on a line of its own: the rest ignored); a validity
  paragraph under the signature;
* compound units (``各市、县（市、区）人民政府``: a place that is no body joins the body after it);
  a table's lines (cells apart by tabs) in an introduction, kept in it and never a target;
* a clause's own period as a range of dates (``2025年1月1日至2025年6月30日期间，…``).

What :func:`parse` returns holds the source's own text; :func:`.store.prepare` puts it in
the plain (Traditional) and Simplified fields according to ``Document.source_script``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from .badinput import as_notice
from .i18n import Notice
from .models import BudgetRecord, Clause, Document, Domain, TotalRecord
from .money import _NUMBER, find_figures, money_value, plain
from .numerals import NUMERAL_CHARS, parse_numeral, spoken_number, to_numeral
from .script import detect_script
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
DOMAIN_RE = re.compile(rf"^(?P<num>{_NUM})、(?P<title>[^。]{{1,160}})$")
CLAUSE_RE = re.compile(r"^[(（](?P<num>[^()（）]{1,8})[)）](?P<rest>.*)$")
# The forms of a clause's units tail: (責任單位:…), （责任单位：…）, （牵头单位：…）, （责任部门：…）.
UNITS_OPEN_RE = re.compile(r"[(（](?P<label>責任單位|责任单位|牽頭單位|牵头单位|責任部門|责任部门)\s*[:：]")
UNIT_FORMS = "(責任單位:…)、（责任单位：…）、（牵头单位：…）、（责任部门：…）"
# The lead of a domain, inside its brackets: 由市發改委牽頭實施; 由市建委牵头，市财政局配合;
# 牵头单位：市发改委；配合单位：市财政局; 市发改委牵头.
_LEAD = r"(?:牽頭|牵头)(?:實施|实施|負責|负责)?"
_PARTNERS = r"(?:配合|協同|协同|參與|参与)(?:實施|实施)?"
# The labels of a lead and of its partners: 牵头单位, 牵头部门, 牵头处室, 主责单位, 责任单位 ...
# and 配合单位, 协同部门, 参与处室 ... (单位/部门/处室/机构/科室).
_BODY = r"(?:單位|单位|部門|部门|處室|处室|機構|机构|科室)"
LEAD_LABEL = rf"(?:牽頭|牵头|主責|主责|責任|责任|主辦|主办){_BODY}"
PARTNER_LABEL = rf"(?:配合|協同|协同|參與|参与|協辦|协办){_BODY}"
LEAD_FORMS = (
    re.compile(rf"^由(?P<lead>.+?){_LEAD}(?:[,，;；]\s*(?P<partners>.+?){_PARTNERS})?$"),
    re.compile(rf"^{LEAD_LABEL}\s*[:：](?P<lead>.+?)(?:[,，;；]\s*{PARTNER_LABEL}\s*[:：](?P<partners>.+))?$"),
    re.compile(rf"^{PARTNER_LABEL}\s*[:：](?P<partners>.+)$"),  # partners alone, under a lead
    re.compile(rf"^(?P<lead>[^,，;；]+?){_LEAD}(?:[,，;；]\s*(?P<partners>.+?){_PARTNERS})?$"),
    re.compile(rf"^(?P<partners>.+?){_PARTNERS}$"),  # partners alone, on the line under a lead
)
FOOTER_RE = re.compile(r"^(?:來源|来源)\s*[:：]")
# The document's tail after its closing, never policy text: the distribution list and the print
# line (抄送：…; 杭州市人民政府办公厅  2025年3月1日印发), the rest of the file ignored from there;
# contact lines (联系人：…, 联系电话：…), each passed over.
COPIED_RE = re.compile(r"^(?:抄送|抄報|抄报|分送|主送)\s*[:：]")
CONTACT_RE = re.compile(
    r"^(?:聯繫人|联系人|聯絡人|联络人|聯繫電話|联系电话|聯絡電話|联络电话|聯繫方式|联系方式|諮詢電話|咨询电话)\s*[:：]"
)
# An attachment list (附件：1．…, its items on the lines under it: 2．…): passed over.
ATTACHMENT_LIST_RE = re.compile(r"^(?:附件|附表)\s*[:：]")
_LIST_ITEM_RE = re.compile(r"^\d{1,2}\s*[.．、]")
# An attachment's own text starts (附件1, 附件, 附表 on a line of its own): the rest is the tail.
ATTACHMENT_RE = re.compile(r"^(?:附件|附表)\s*\d{0,2}\s*[:：]?$")
# A line of a table: cells apart by a tab or by two or more full-width spaces.
TABLE_LINE_RE = re.compile(r"\S(?:\t+|\u3000{2,})\S")
# A web page's footer after the closing (never a closing paragraph): print and close
# buttons, the editor, a QR code, related links, sharing, copyright, the site's licence.
CHROME_RE = re.compile(
    r"^(?:【[^】]{1,16}】\s*)+$|^[【\[]?(?:打印|關閉|关闭|收藏|分享|返回頂部|返回顶部|字體|字体|字號|字号)"
    r"|^[【\[]?[大中小]\s*[大中小]\s*[大中小][】\]]?$|(?:瀏覽次數|浏览次数|閱讀次數|阅读次数|點擊數|点击数"
    r"|訪問量|访问量|瀏覽量|浏览量|閱讀量|阅读量)"
    r"|(?:責任編輯|责任编辑|編輯|编辑|責編|责编|審核|审核|校對|校对|撰稿|作者|信息來源|信息来源)\s*[:：]"
    r"|掃一掃|扫一扫|在手機打開|在手机打开|^(?:相關鏈接|相关链接|相關文件|相关文件|相關閱讀|相关阅读|分享到|上一篇|下一篇)"
    r"|版權所有|版权所有|網站標識碼|网站标识码|ICP備|ICP备|主辦單位|主办单位|聯繫我們|联系我们"
)
# Who issued it, as a page's lead says: "日前,杭州市人民政府印發《關於…》".
ISSUER_RE = re.compile(
    r"(?:^|[,，。；;\s]|日前|近日)(?P<issuer>[^\s,，。；;《》]{2,30}?)(?:印發|印发|發佈|发布|出臺|出台)了?《"
)
# A line that is only an issuing body (the signature, or the masthead 杭州市人民政府文件).
_ORGAN = (
    r"(?:人民政府辦公廳|人民政府办公厅|人民政府辦公室|人民政府办公室|人民政府|辦公廳|办公厅|委員會|委员会|局|廳|厅)"
)
ISSUER_LINE_RE = re.compile(
    rf"^(?:(?:發文機關|发文机关)\s*[:：]\s*)?(?P<issuer>[\u4e00-\u9fff]{{2,16}}?{_ORGAN})(?:文件)?$"
)
# "杭州市人民政府关于印发…的通知": the notice's issuer.
NOTICE_ISSUER_RE = re.compile(rf"^(?P<issuer>[\u4e00-\u9fff]{{2,16}}?{_ORGAN})(?:關於|关于)")
# The document number (文號): 杭政函〔2024〕16號, 杭政函[2024]16号, 杭政办函(2024)第3号.
DOC_NUMBER = r"[\u4e00-\u9fff]{1,10}\s*[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*第?\s*\d{1,4}\s*[號号]"
NUMBER_LINE_RE = re.compile(
    rf"^(?:(?:文號|文号)\s*[:：]\s*)?(?P<number>{DOC_NUMBER})$|(?:文號|文号)\s*[:：]\s*(?P<number2>{DOC_NUMBER})"
)
_DATE = r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
# A date in Chinese numerals, as a signature writes it: 二〇二五年二月八日.
_ZH_YEAR_DIGITS = "〇○零Ｏ一二三四五六七八九"
_ZH_DATE = (
    rf"(?P<zy>[{_ZH_YEAR_DIGITS}]{{4}})\s*年\s*(?P<zm>[一二三四五六七八九十]{{1,2}})\s*月"
    r"\s*(?P<zd>[一二三四五六七八九十]{1,3})\s*日"
)
_ZH_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0, "Ｏ": 0}
# A line that is only the document's date (成文日期), above the title or after the closing.
DATE_LINE_RE = re.compile(rf"^(?:(?:成文日期|印發日期|印发日期)\s*[:：]\s*)?[(（]?(?:{_DATE}|{_ZH_DATE})[)）]?$")
DATED_RE = re.compile(rf"成文日期\s*[:：]\s*{_DATE}")  # in a line of metadata
# The print line (版记) at a document's end: 杭州市人民政府办公厅  2025年3月1日印发.
PRINTED_RE = re.compile(rf"(?:{_DATE}|{_ZH_DATE})\s*(?:印發|印发)$")
PUBLIC_RE = re.compile(r"^[(（]此件(?:公開發佈|公开发布|公開發布|公開|公开)[)）]$")
PUBLISHED_RE = re.compile(
    r"(?:發佈時間|发布时间|發布時間|發佈日期|发布日期|發布日期)\s*[|｜:：]?\s*"
    rf"(?:(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})|{_DATE})"
)
# A domain's budget, in a clause (市財政2024年預算安排資金177.1億元) or in its introduction
# (2025年，市财政预算安排132.3亿元。 市级财政统筹安排资金3亿元), by a city, a district or a
# county (区财政预算安排1.2亿元), with a short phrase before the amount (安排科技创新专项资金22.6亿元).
BUDGET_RE = re.compile(
    rf"(?:(?P<year>\d{{4}})年[,，]?\s*)?(?P<level>市|區|区|縣|县|省|鎮|镇|本)[級级]?[財财]政"
    rf"(?:(?P<year2>\d{{4}})年)?[^。；;，,]{{0,10}}?安排"
    rf"[^。；;，,\d]{{0,12}}?(?P<num>{_NUMBER})(?P<unit>萬億元|万亿元|億元|亿元|萬元|万元)"
)
_YEAR_RE = re.compile(r"(\d{4})年")
TOTAL_RE = re.compile(
    rf"(?:總額為|总额为|總額|总额|總計|总计|合計|合计|共計|共计)(?:安排)?(?:資金|资金)?(?P<num>{_NUMBER})"
    r"(?P<unit>萬億元|万亿元|億元|亿元|萬元|万元)"
)
VALID_RE = re.compile(r"(?P<year>\d{4})年全年有效")
_START = r"(?:施行|實施|实施|執行|执行|試行|试行|生效)"
# 自2025年1月1日起施行; 自印發之日起施行 (from the document's own date); 自发布之日起30日后施行
# (30 days after it).
FROM_RE = re.compile(
    rf"自\s*{_DATE}\s*起\s*{_START}|(?P<issued>自(?:印發|印发|發佈|发布|發布|公佈|公布|發文|发文)之日起)"
    rf"\s*(?:(?P<after>\d{{1,3}}|[一二三四五六七八九十百兩两]{{1,4}})\s*(?:日|天)[後后])?\s*{_START}"
)
# The end of a year or a month: 2025年底, 2025年末, 2025年12月底 (its last day).
_YEAR_END = r"(?P<ey>\d{4})\s*年\s*(?:(?P<em>\d{1,2})\s*月\s*)?(?:底|末)"
# 有效期至2025年12月31日; 有效期为2025年1月1日至2025年12月31日; 执行期限至…; 执行至…; 有效期至2025年底.
_UNTIL = (
    r"(?:(?:有效期|執行期限|执行期限|實施期限|实施期限|執行期|执行期|實施期|实施期)(?:限)?(?:為|为)?"
    r"|執行|执行|實施|实施|施行|有效)"
)
UNTIL_RE = re.compile(
    rf"{_UNTIL}\s*(?:自?\s*(?P<from>\d{{4}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日)\s*起?\s*)?(?:至|到|截至|—|-|~)\s*"
    rf"(?:{_DATE}|{_YEAR_END})"
)
# A clause's own period as a range of dates, where the clause says its measure applies in it:
# 2025年1月1日至2025年6月30日期间，对…; 2025年1月1日至2025年6月30日，对… (the range opens the
# sentence). A range inside a sentence (对2024年1月1日至…购买的) says what qualifies, not when.
_DAY = r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
RANGE_RE = re.compile(
    rf"(?P<from>{_DAY})\s*(?:至|到|—|－|-|~|～)\s*(?P<to>{_DAY})\s*(?:(?:期間|期间|內|内)\s*[,，]?|[,，])"
)
# A closing sentence about some clauses only (其中第（三）条执行至…): not the document's period.
_ABOUT_A_CLAUSE = re.compile(r"第\s*[(（]?[0-9一二三四五六七八九十百]+[)）]?\s*[條条項项款]|^其中")
# 有效期2年, 有效期為兩年 (from the start).
YEARS_RE = re.compile(r"有效期(?:為|为)?\s*(?P<n>\d{1,2}|[一二三四五六七八九十兩两])\s*年(?![\d月])")
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
    r"發佈時間|发布时间|發布時間|發佈日期|发布日期|發布日期|成文日期|索引號|索引号|您的位置|您现在的位置|當前位置|当前位置|[|｜]"
    r"|(?:來源|来源|撰稿|責編|责编|編輯|编辑|審核|审核|作者|文號|文号)\s*[:：]"
    r"|^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|^\d{4}年\d{1,2}月\d{1,2}日\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?$"
)
# What a document is called in a message when it has no file name.
DOCUMENT = Notice("the document")
# Agencies are listed with 、 , ; — but 各區、縣(市) is one name (the districts and counties).
_SPLIT_UNITS = re.compile(r"[,，;；]|、(?![縣县]\s*[(（]\s*市\s*[)）])")
_TARGET_SPLIT = re.compile(r"[,，;；。]")
# A part of a list of units that is a place, not a body (各市, 各设区市, 市, 各区): with the part
# after it one unit (各市、县（市、区）人民政府: the governments of the cities and the counties).
_PLACE_PART = re.compile(r"^各?[\u4e00-\u9fff]{0,4}?(?:市|縣|县|區|区|鎮|镇|鄉|乡|街道)$")
# The ends of a body's name (局 委 办 厅 政府 院 会 部 中心 公司 集团 行 …).
_BODY_END = re.compile(
    r"(?:局|委|辦|办|廳|厅|政府|院|會|会|部|中心|公司|集團|集团|行|署|所|站|隊|队|處|处|室|組|组|館|馆|社|關|关"
    r"|門|门|校|台|臺|庫|库|企業|企业|單位|单位|機構|机构|協會|协会|聯合會|联合会|委員會|委员会)"
    r"(?:[(（][^()（）]*[)）])?$"
)
# A label inside a units tail, before the units it names: 配合单位：, 协同部门：
_UNIT_LABEL = re.compile(rf"^(?:{PARTNER_LABEL}|{LEAD_LABEL})\s*[:：]\s*")
# A target counted in things rather than money: 5万套, 2.1亿人次, 500家, 10个.
_COUNT_RE = re.compile(
    rf"{_NUMBER}\s*(?:[萬万億亿])?\s*(?:人次|家次|套|間|间|家|個|个|項|项|戶|户|人|輛|辆|台|座|所|條|条|公里|千米"
    r"|平方米|畝|亩|噸|吨|千瓦|兆瓦|場|场|批|款|艘|架|床|張|张)"
)
_OPEN, _CLOSE = "(（", ")）"


def _agencies(text: str) -> tuple[str, ...]:
    """Agencies as listed (市發改委、市財政局), split at 、 , ; outside brackets, so
    各區、縣(市)政府 and 市商务局（市口岸办） stay whole; a place that is no body joins the body
    after it (各市、县（市、区）人民政府, 各设区市、县（市、区）政府: one unit)."""
    parts: list[tuple[str, str]] = []  # (the separator before it, the part)
    depth = 0
    start = 0
    sep = ""
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and _SPLIT_UNITS.match(text, i):
            parts.append((sep, text[start:i].strip(_WS)))
            sep, start = ch, i + 1
    parts.append((sep, text[start:].strip(_WS)))
    out: list[str] = []
    for sep, part in parts:
        if not part:
            continue
        if out and sep == "、" and _PLACE_PART.match(out[-1]) and _BODY_END.search(part):
            out[-1] = out[-1] + "、" + part
        else:
            out.append(part)
    return tuple(out)


def _closing_bracket(text: str, start: int) -> int | None:
    """The index of the bracket that closes the one opened just before ``start`` (brackets
    nest: 各区、县（市）政府), or None when it is never closed."""
    depth = 1
    for i in range(start, len(text)):
        if text[i] in _OPEN:
            depth += 1
        elif text[i] in _CLOSE:
            depth -= 1
            if depth == 0:
                return i
    return None


def _lead_in(inner: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """(leads, partners) of a lead's words (由市建委牵头，市财政局配合), or None when the words are
    not a lead."""
    inner = inner.strip(_WS)
    for form in LEAD_FORMS:
        m = form.match(inner)
        if m is None:
            continue
        groups = m.groupdict()
        lead = _agencies(groups.get("lead") or "")
        partners = _agencies(groups.get("partners") or "")
        if lead or partners:
            return lead, partners
    return None


def _trailing_lead(title: str) -> tuple[str, tuple[str, ...], tuple[str, ...], str] | None:
    """A heading's title with its lead on the same line (扩大有效投资政策（由市发改委牵头实施）):
    (the title without it, which may be empty, leads, partners, a budget the brackets also
    state: 由市委宣传部牵头实施，市财政预算安排2亿元); None when the title ends with no lead."""
    if not title or title[-1] not in _CLOSE:
        return None
    for i in range(len(title) - 1, -1, -1):
        if title[i] in _OPEN and _closing_bracket(title, i + 1) == len(title) - 1:
            inner, budget = title[i + 1 : -1], ""
            parts = re.split(r"(?<=[,，;；])", inner)
            if len(parts) > 1 and BUDGET_RE.search(parts[-1]):
                inner, budget = "".join(parts[:-1]).rstrip(",，;；" + _WS), parts[-1].strip(_WS)
            found = _lead_in(inner)
            if found is None or not found[0]:
                return None
            return title[:i].strip(_WS), found[0], found[1], budget
    return None


@dataclass
class _DomainDraft:
    number: int
    title: str
    line: int
    lead: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    intro: list[str] = field(default_factory=list)
    intro_lines: list[int] = field(default_factory=list)
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
    """The policy package in ``data``, in the source's own script (``source_script`` says
    which); a :class:`ParseError` for a document that breaks the genre."""
    text = decode(data, name) if isinstance(data, bytes) else data
    stripped = [ln.strip(_WS) for ln in text.splitlines()]
    headings = [i for i, s in enumerate(stripped) if _numbered(DOMAIN_RE, s)]
    clause_lines = [i for i, s in enumerate(stripped) if _numbered(CLAUSE_RE, s)]
    h0 = _first_heading(headings, clause_lines, name)
    title, preamble, top = _front_matter(stripped, h0)
    header = _header(stripped, top, h0)
    end = _attachment_start(stripped, h0, headings, clause_lines)
    headings = [i for i in headings if i < end]
    clause_lines = [i for i in clause_lines if i < end]
    body = _Body(last_marker=max(headings + clause_lines), lines=stripped[:end])
    # A heading 一、 again after the first: where a second document would start (two run together).
    body.restart = next((i + 1 for i in headings[1:] if _heading_number(stripped[i]) == 1), None)
    if body.restart is not None:  # its title: the line above its preamble
        above = (
            j for j in range(body.restart - 2, h0, -1) if stripped[j] and not stripped[j].endswith(("。", "：", ":"))
        )
        body.second_title = next(((j + 1, stripped[j]) for j in above), None)
    for i in range(h0, end):
        body.feed(i + 1, stripped[i])
    body.finish()
    dated = body.signed_date or header.date
    published = dated or _published(stripped, top)
    valid_from, valid_to = _validity(body, dated or published)
    domains = tuple(_domain(d, _year_of(valid_from, published)) for d in body.domains)
    _check_whole(body, domains)
    total = next((m for s in body.closing if (m := TOTAL_RE.search(s))), None)
    return Document(
        title=title,
        preamble=preamble,
        closing=tuple(body.closing),
        published=published,
        source_line=body.source_line,
        issuer=_issuer(stripped, h0, title) or header.issuer or body.signed_issuer or header.notice_issuer,
        number=header.number,
        valid_from=valid_from,
        valid_to=valid_to,
        total_budget=_money_record(total) if total else None,
        domains=domains,
        clauses=tuple(_own_period(c, valid_from, valid_to) for c in body.clauses),
        source_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        source_script=detect_script("\n".join(stripped[h0:])),
    )


def _attachment_start(stripped: list[str], h0: int, headings: list[int], clause_lines: list[int]) -> int:
    """The index of the line where an attachment's own text starts (附件1, 附表 on a line of its
    own), after the closing: the rest of the file is the document's tail, never policy text
    (its 一、 and (一) are the attachment's). Only after a closing paragraph: a marker among the
    clauses is no such start (the text around it is then refused as it stands). ``len(stripped)``
    when there is none."""
    markers = sorted(headings + clause_lines)
    for i in range(h0 + 1, len(stripped)):
        if not ATTACHMENT_RE.match(stripped[i]):
            continue
        last = max((j for j in clause_lines if j < i), default=None)
        if last is None or any(h > last for h in headings if h < i):
            continue
        between = [k for k in range(last + 1, i) if stripped[k] and k not in markers]
        if between:
            return i
    return len(stripped)


def _year_of(*days: str | None) -> int | None:
    """The year of the first of ``days`` given (ISO dates): the year a budget stated without
    one is for."""
    return next((int(day[:4]) for day in days if day), None)


def _heading_number(line: str) -> int | None:
    m = DOMAIN_RE.match(line)
    return parse_numeral(m["num"]) if m else None


# A clause numbered in Arabic digits or as a list item ((1), （1）, 1., 1、): not read as a clause.
_ARABIC_CLAUSE_RE = re.compile(r"^[(（]\d{1,3}[)）]|^\d{1,3}[.．、](?!\d)")


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


def _front_matter(stripped: list[str], h0: int) -> tuple[str, str, int]:
    """(title, preamble, index of the title's first line) from above the first heading:
    reading up, the paragraphs ending in 。 (or, the last one, in ：) are the preamble and
    the line above them is the title, with the line right above it when the title runs
    over two lines; (此件公开发布) on the way is passed over."""
    preamble: list[str] = []
    below = h0  # the first line of the preamble read so far (the heading when there is none)
    for i in range(h0 - 1, -1, -1):
        s = stripped[i]
        if not s or PUBLIC_RE.match(s):
            continue
        if s.endswith("。") or (s.endswith(("：", ":")) and not _is_header(s)):
            preamble.append(s)
            below = i
            continue
        above = next((j for j in range(i - 1, -1, -1) if stripped[j]), None)
        if NUMBER_LINE_RE.match(s) and above is not None and _title_line(stripped[above]):
            continue  # the title, then its number (甬政发〔2025〕9号), then the preamble: _header reads it
        if _is_header(s) and DATE_LINE_RE.search(s):  # a notice's signature date, above the policy
            if preamble:
                message = Notice(
                    "no title above the preamble: line {line} is a date ({text}), the end of what comes above it "
                    "(a notice's signature), not a title; add the document's title on a line of its own above "
                    "the preamble",
                    line=i + 1,
                    text=repr(s[:40]),
                )
            else:
                message = Notice(
                    "no title above the first domain heading: line {line} is a date ({text}), the end of what "
                    "comes above it (a notice's signature), not a title; add the document's title on a line of "
                    "its own above the first domain heading",
                    line=i + 1,
                    text=repr(s[:40]),
                )
            raise ParseError(below + 1, message)
        if _is_header(s):
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
            raise ParseError(below + 1, message)
        if CHROME_RE.search(s):
            continue  # a page's chrome (分享到：微信 微博, 【打印】, 字号：大 中 小) is never a title
        top = i
        while top > 0 and i - top < 2 and _title_part(stripped[top - 1]):
            top -= 1
        title = "".join(stripped[top : i + 1]).strip("《》")
        return title, "\n".join(reversed(preamble)), top
    raise ParseError(h0 + 1, Notice("expected the document's title (a line of its own) above the first domain"))


def _title_line(s: str) -> bool:
    """Whether a line can be a title (no sentence, header or chrome of a page)."""
    return bool(
        s
        and not s.endswith(("。", "：", ":"))
        and not _is_header(s)
        and not CHROME_RE.search(s)
        and not PUBLIC_RE.match(s)
    )


def _is_header(s: str) -> bool:
    """A line of a page's or a document's header: never a title."""
    return bool(
        HEADER_RE.search(s)
        or PUBLIC_RE.match(s)
        or NUMBER_LINE_RE.search(s)
        or DATE_LINE_RE.search(s)
        or DATED_RE.search(s)
        or ISSUER_LINE_RE.match(s)
    )


def _title_part(s: str) -> bool:
    """Whether the line right above a title's line is its first line (a title over two
    lines): text of its own, no sentence, no header, no navigation (words apart)."""
    return bool(
        s
        and len(s) <= 60
        and not s.endswith(("。", "：", ":", "；", ";", "，", ","))
        and not any(ch in s for ch in _WS + ">》")
        and not _is_header(s)
        and not CHROME_RE.search(s)
        and not DOMAIN_RE.match(s)
    )


@dataclass
class _Header:
    """What the header block above the title states (each None where it says nothing)."""

    issuer: str | None = None  # a line that is only the issuer (the masthead 杭州市人民政府文件)
    notice_issuer: str | None = None  # 杭州市人民政府关于印发…的通知
    number: str | None = None
    date: str | None = None  # ISO


def _header(stripped: list[str], top: int, h0: int | None = None) -> _Header:
    """The issuer, document number and date the lines above the title give (and the number
    on a line of its own between the title and the first heading ``h0``)."""
    header = _Header()
    below = next((i for i in range(top + 1, h0 or top) if NUMBER_LINE_RE.match(stripped[i])), None)
    for i in [*range(top), *([below] if below is not None else [])]:  # and a number under the title
        s = stripped[i]
        if not s:
            continue
        number = NUMBER_LINE_RE.search(s)
        if number and header.number is None:
            header.number = re.sub(r"\s+", "", number["number"] or number["number2"])
            continue
        day = DATE_LINE_RE.search(s) or DATED_RE.search(s)
        if day and header.date is None:
            header.date = _iso_date(day, i + 1)
            continue
        issuer = ISSUER_LINE_RE.match(s)
        if issuer and header.issuer is None:
            header.issuer = issuer["issuer"]
            continue
        notice = NOTICE_ISSUER_RE.match(s)
        if notice and header.notice_issuer is None:
            header.notice_issuer = notice["issuer"]
    return header


def _iso_date(m: re.Match[str], lineno: int) -> str:
    """The date a match of ``_DATE`` (or ``_ZH_DATE``, 二〇二五年二月八日; or ``_YEAR_END``,
    2025年底: the last day of that year or month) states, checked (a real day, 1949–2100)."""
    words = m.group()
    groups = m.groupdict()
    try:
        if groups.get("ey"):  # 2025年底, 2025年末, 2025年6月底
            year, month = int(m["ey"]), int(m["em"] or 12)
            day = date(year, month, 1) + timedelta(days=31)
            day = day.replace(day=1) - timedelta(days=1)
        elif groups.get("zy"):
            year = int("".join(str(_ZH_DIGIT[c]) for c in m["zy"]))
            day = date(year, parse_numeral(m["zm"]) or 0, parse_numeral(m["zd"]) or 0)
        else:
            day = date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        raise ParseError(lineno, Notice("{words} is not a date", words=repr(words))) from None
    _check_year(day.year, lineno, Notice("'{words}'", words=words))
    return day.isoformat()


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
    lineno = header.count("\n", 0, pub.start()) + 1
    if pub["iso"] is None:  # 发布日期：2025年2月28日
        return _iso_date(pub, lineno)
    try:
        day = date.fromisoformat(pub["iso"])
    except ValueError:
        message = Notice("the publication date {date} is not a date (YYYY-MM-DD)", date=repr(pub["iso"]))
        raise ParseError(lineno, message) from None
    _check_year(day.year, lineno, Notice("the publication date {date}", date=pub["iso"]))
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
    (text after the last clause), "signed" (after the signature's date: only a footer may
    follow) and "footer" (from 來源: or a page's footer on, ignored)."""

    def __init__(self, last_marker: int, lines: list[str] | None = None) -> None:
        self.last_marker = last_marker  # index of the last heading or clause line
        self.lines = lines or []  # the document's lines (stripped), to look ahead in a message
        self.restart: int | None = None  # the line of a second 一、 heading (a second document?)
        self.second_title: tuple[int, str] | None = None  # (line, text) of the title above it
        self.state = "domain"
        self.domains: list[_DomainDraft] = []
        self.clauses: list[Clause] = []
        self.seen: dict[int, int] = {}  # clause number -> its line
        self.closing: list[str] = []
        self.closing_lines: list[int] = []  # the line of each closing paragraph
        self.source_line: str | None = None
        self.signed_issuer: str | None = None  # the signature after the closing
        self.signed_date: str | None = None
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
        if lineno - 1 > self.last_marker and self._after_the_text(lineno, s):
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

    def _after_the_text(self, lineno: int, s: str) -> bool:
        """After the last clause: a page's footer and the document's tail (抄送：…, the
        …印发 line: the rest is ignored), contact lines and an attachment list (附件：1．…
        2．…), the signature (issuer, date) and (此件公开发布), none of them a closing
        paragraph. After the signature only a paragraph stating the validity is read (a
        closing paragraph placed under the signature)."""
        if CHROME_RE.search(s) or COPIED_RE.match(s) or PRINTED_RE.search(s):
            self.state = "footer"
            return True
        if self.state == "attachments" and _LIST_ITEM_RE.match(s):
            return True  # 2．淳安县精品民宿评定标准, under 附件：1．…
        if self.state == "attachments":
            self.state = "closing"
        if ATTACHMENT_LIST_RE.match(s):
            self.state = "attachments"
            return True
        if CONTACT_RE.match(s):
            return True
        if self.state == "signed":
            if IN_FORCE_RE.search(s) and not _is_header(s):
                self.closing.append(s)
                self.closing_lines.append(lineno)
            return True
        if PUBLIC_RE.match(s):
            return True
        issuer = ISSUER_LINE_RE.match(s)
        if issuer:
            self.signed_issuer = self.signed_issuer or issuer["issuer"]
            return True
        day = DATE_LINE_RE.search(s)
        if day:
            self.signed_date = _iso_date(day, lineno)
            self.state = "signed"
            return True
        return False

    def _check_has_clauses(self) -> None:
        d = self._current
        arabic = (
            next((n for n, s in zip(d.intro_lines, d.intro, strict=True) if _ARABIC_CLAUSE_RE.match(s)), 0) if d else 0
        )
        if d is not None and not d.clauses and arabic:
            message = Notice(
                "domain {numeral}、{title} has no clauses: line {line} starts with a number in digits ({text}); "
                "clauses are numbered in Chinese numerals, (一)(二)(三)…",
                numeral=to_numeral(d.number),
                title=d.title,
                line=arabic,
                text=repr(d.intro[d.intro_lines.index(arabic)][:12]),
            )
            raise ParseError(d.line, message)
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
        self._current = _DomainDraft(n, dm["title"].strip(_WS), lineno)
        on_the_line = _trailing_lead(self._current.title)
        if on_the_line is not None:  # 一、扩大有效投资政策（由市发改委牵头实施）
            self._current.title, self._current.lead, self._current.partners, budget = on_the_line
            if budget:  # （由…牵头实施，市财政预算安排2亿元）: the budget is the intro's
                self._current.intro.append(budget)
                self._current.intro_lines.append(lineno)
        if not self._current.title:  # 二、（由市文化广电旅游局牵头实施）
            message = Notice(
                "domain {numeral} has no title: its heading {text} is only its lead; "
                "expected the domain's title before the brackets ('{numeral}、title（…牵头实施）')",
                numeral=dm["num"],
                text=repr(s[:40]),
            )
            raise ParseError(lineno, message)
        self.domains.append(self._current)
        self.state = "intro"
        return True

    def _lead(self, s: str) -> bool:
        """The (由…牽頭實施) line right under a heading (also （牵头单位：…）, （由…牵头，…配合）,
        and the partners alone, （…配合）, under a lead)."""
        d = self.current
        if d.intro or len(s) < 3 or s[0] not in _OPEN or _closing_bracket(s, 1) != len(s) - 1:
            return False
        found = _lead_in(s[1:-1])
        if found is None or (not found[0] and not d.lead) or (found[0] and d.lead):
            return False
        d.lead = d.lead or found[0]
        d.partners = d.partners + found[1]
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
        if n in self.seen and n == 1 and not d.clauses and d.number > 1:
            message = Notice(
                "clause (一) again at the start of domain {domain}: the clauses are numbered through the whole "
                "document, expected ({numeral}); renumber them ({numeral}), ({next})… (numbering that restarts "
                "in each domain is not read)",
                domain=to_numeral(d.number),
                numeral=to_numeral(len(self.clauses) + 1),
                next=to_numeral(len(self.clauses) + 2),
            )
            raise ParseError(lineno, message)
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
        if not UNITS_OPEN_RE.search(cm["rest"]):
            self._continued(lineno, cm["num"])
        clause = _clause(n, d.number, s, cm, lineno, self.last_marker)
        self.clauses.append(clause)
        d.clauses.append(clause)
        self.state = "clauses"
        return True

    def _continued(self, lineno: int, numeral: str) -> None:
        """Refuse a clause whose units tail is on a line below it (a clause over several lines,
        its sub-items 1.…2.… on lines of their own), naming both lines."""
        for j in range(lineno, min(len(self.lines), lineno + 30)):
            line = self.lines[j]
            if _numbered(CLAUSE_RE, line) or _numbered(DOMAIN_RE, line):
                return
            if UNITS_OPEN_RE.search(line):
                message = Notice(
                    "clause ({numeral}) continues on the lines below it: its units tail is on line {end}; "
                    "a clause is one line, from its number to its units tail: join lines {line}–{end} into one",
                    numeral=numeral,
                    end=j + 1,
                    line=lineno,
                )
                raise ParseError(lineno, message)

    def _text(self, lineno: int, s: str) -> None:
        """A line that is neither heading, lead nor clause."""
        if self.state == "intro":
            self.current.intro.append(s)
            self.current.intro_lines.append(lineno)
            return
        if self.state not in ("clauses", "closing"):  # pragma: no cover - the body starts at a heading
            raise ParseError(lineno, Notice("unexpected text"))
        # Text after a clause: only the closing paragraphs may follow the last clause.
        if self.state == "clauses" and lineno - 1 < self.last_marker:
            if self.restart is not None and lineno < self.restart:
                line, title = self.second_title or (self.restart, "一、")
                message = Notice(
                    "unexpected text after the clauses: a second document seems to start on line {line} ({title}), "
                    "with its domain 一、 again on line {restart}; build each document from a file of its own",
                    line=line,
                    title=repr(title[:30]),
                    restart=self.restart,
                )
                raise ParseError(lineno, message)
            message = Notice(
                "unexpected text between clauses: expected a clause '(…)…(責任單位:…)' or a domain heading"
            )
            raise ParseError(lineno, message)
        self.closing.append(s)
        self.closing_lines.append(lineno)
        self.state = "closing"


def _starts(begins: re.Match[str], dated: str | None, lineno: int) -> str | None:
    """The first day a match of ``FROM_RE`` states: its date; or the document's own date
    (``dated``), N days on for 自发布之日起N日后施行 (None when the document has no date)."""
    if not begins["issued"]:
        return _iso_date(begins, lineno)
    if dated is None:
        return None
    after = begins["after"]
    days = 0 if not after else int(after) if after.isdigit() else int(spoken_number(after) or 0)
    return (date.fromisoformat(dated) + timedelta(days=days)).isoformat()


def _validity(body: _Body, dated: str | None) -> tuple[str | None, str | None]:
    """(valid from, valid to) of the closing (see :func:`_validity_of`), refusing two
    paragraphs that state different starts or ends (two periods: which one applies?)."""
    said: dict[str, tuple[int, str]] = {}  # "start"/"end" -> (line, day) as first stated
    for lineno, s in zip(body.closing_lines, body.closing, strict=True):
        start, end = _validity_of(((lineno, s),), dated)
        for which, day in (("start", start), ("end", end)):
            if day is None:
                continue
            first, before = said.setdefault(which, (lineno, day))
            if day != before:
                message = Notice(
                    "two paragraphs state different periods: line {first} ({one}) and line {second} ({other}); "
                    "a document states one validity: remove the one that does not apply",
                    first=first,
                    one=repr(body.closing[body.closing_lines.index(first)][:40]),
                    second=lineno,
                    other=repr(s[:40]),
                )
                raise ParseError(lineno, message)
    return _validity_of(zip(body.closing_lines, body.closing, strict=True), dated)


def _validity_of(lines: Iterable[tuple[int, str]], dated: str | None) -> tuple[str | None, str | None]:
    """(valid from, valid to) as the closing paragraphs state them, ISO dates or None:
    ``…2024年全年有效`` (the year); ``自2025年1月1日起施行`` and ``有效期至2025年12月31日``, or
    ``有效期为…至…``; ``有效期2年`` (from the start, to the day before the same date 2 years
    on). ``自印发之日起施行`` starts on ``dated``: the document's own date (成文日期, from its
    header or its signature), else the page's publication date; None when it has neither
    (the start is then not stated)."""
    start: str | None = None
    end: str | None = None
    years: tuple[int, int] | None = None  # (line, years) of 有效期N年
    for lineno, s in lines:
        if _ABOUT_A_CLAUSE.search(s):
            continue
        valid = VALID_RE.search(s)
        if valid is not None:
            year = int(valid["year"])
            _check_year(year, lineno, Notice("'{words}'", words=valid.group()))
            return f"{year:04d}-01-01", f"{year:04d}-12-31"
        begins = FROM_RE.search(s)
        if begins is not None and start is None:
            start = _starts(begins, dated, lineno)
        until = UNTIL_RE.search(s)
        if until is not None and end is None:
            end = _iso_date(until, lineno)
            if until["from"] and start is None:
                start = _iso_date(re.match(_DATE, until["from"]) or until, lineno)
            if start and end < start:
                message = Notice(
                    "the validity ends on {end}, before it starts on {start}: is a date mistyped?", end=end, start=start
                )
                raise ParseError(lineno, message)
        many = YEARS_RE.search(s)
        if many is not None and years is None:
            n = int(many["n"]) if many["n"].isdigit() else spoken_number(many["n"])
            years = (lineno, int(n or 0))
    if end is None and years is not None and start is not None and years[1] > 0:
        first = date.fromisoformat(start)
        last_year = first.year + years[1]
        _check_year(last_year, years[0], Notice("'{words}'", words="有效期" + str(years[1]) + "年"))
        try:
            end = (date(last_year, first.month, first.day) - timedelta(days=1)).isoformat()
        except ValueError:  # from 29 February: to 28 February
            end = date(last_year, first.month, 28).isoformat()
    return start, end


def _own_period(c: Clause, valid_from: str | None, valid_to: str | None = None) -> Clause:
    """A clause with the period its text states (有效期至2025年6月30日, 执行至2025年底: from the
    document's start to that day; 有效期为…至…; 自2025年7月1日起执行: from that day to the
    document's end, never open-ended where the document ends), else as it is (the document's
    validity applies)."""
    until = UNTIL_RE.search(c.body)
    begins = FROM_RE.search(c.body)
    ranged = next((m for m in RANGE_RE.finditer(c.body) if _opens_or_spans(c.body, m)), None)
    if until is None and ranged is not None:
        first, last = (_iso_date(re.match(_DATE, ranged[k]) or ranged, c.line) for k in ("from", "to"))
        return _checked_period(c, first, last)
    if until is None and (begins is None or begins["issued"]):
        return c
    start: str | None = _iso_date(begins, c.line) if begins is not None and not begins["issued"] else None
    end = _iso_date(until, c.line) if until is not None else None
    if until is not None and until["from"]:
        start = _iso_date(re.match(_DATE, until["from"]) or until, c.line)
    if start is None and end is not None and valid_from is not None and valid_from <= end:
        start = valid_from
    if end is None and start is not None and valid_to is not None and start <= valid_to:
        end = valid_to
    return _checked_period(c, start, end)


def _opens_or_spans(body: str, m: re.Match[str]) -> bool:
    """Whether a range of dates in a clause is its period: it ends in 期间/内, or it opens a
    sentence (at the start, or after 。；： of the one before)."""
    if re.search(r"(?:期間|期间|內|内)\s*[,，]?$", m.group()):
        return True
    before = body[: m.start()].rstrip(_WS)
    return not before or before.endswith(("。", "；", ";", "：", ":"))


def _checked_period(c: Clause, start: str | None, end: str | None) -> Clause:
    if start and end and end < start:
        message = Notice(
            "clause ({numeral}): its period ends on {end}, before it starts on {start}: is a date mistyped?",
            numeral=to_numeral(c.number),
            end=end,
            start=start,
        )
        raise ParseError(c.line, message)
    return replace(c, valid_from=start, valid_to=end)


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
    budgeted = next((d for d in domains if d.budget), None)
    if budgeted is not None and budgeted.budget and not any(TOTAL_RE.search(s) for s in body.closing):
        budget = budgeted.budget
        if budget["clause"]:
            place = Notice("clause ({numeral})", numeral=to_numeral(budget["clause"]))
        else:
            place = Notice("the introduction of domain {numeral}", numeral=budgeted.numeral)
        message = Notice(
            "the domains state their budgets ({place}: {budget}) but the closing paragraphs ({where}) "
            "give no total (總額為…億元): is the document cut off or damaged?",
            place=place,
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
    num, unit = m["num"], m["unit"]
    value, currency = money_value(num, unit)
    return {"text": f"{num}{unit}", "yuan": plain(value), "currency": currency}


def _units_tail(rest: str, numeral: str, lineno: int, last_marker: int) -> tuple[int, str]:
    """(where the units tail starts in ``rest``, the units' words): the clause's last
    （责任单位：…） (brackets may nest inside it: 各区、县（市）政府), which ends the line."""
    opened = list(UNITS_OPEN_RE.finditer(rest))
    if not opened:
        message = Notice(
            "clause ({numeral}) has no responsible units at its end: expected one of {forms}",
            numeral=numeral,
            forms=UNIT_FORMS,
        )
        if lineno - 1 >= last_marker:
            message = Notice(
                "{problem}; is the document cut off after it?",
                problem=message,
            )
        raise ParseError(lineno, message)
    m = opened[-1]
    close = _closing_bracket(rest, m.end())
    if close is None:
        message = Notice(
            "clause ({numeral}): its units tail {tail} is never closed: expected {close} at the end of the line",
            numeral=numeral,
            tail=repr(rest[m.start() : m.end() + 12] + ("…" if len(rest) > m.end() + 12 else "")),
            close="'）'",
        )
        raise ParseError(lineno, message)
    after = rest[close + 1 :].strip(_WS + "。.")
    if after:
        message = Notice(
            "clause ({numeral}): text after its units tail ({text}): the tail {form} ends the clause's line",
            numeral=numeral,
            text=repr(after[:20]),
            form=repr(m.group() + "…）"),
        )
        raise ParseError(lineno, message)
    return m.start(), rest[m.end() : close]


def _clause(n: int, domain: int, line: str, cm: re.Match[str], lineno: int, last_marker: int = 0) -> Clause:
    rest = cm["rest"]
    at, words = _units_tail(rest, cm["num"], lineno, last_marker)
    # （牵头单位：市委宣传部；配合单位：市财政局）: the units are the lead and its partners, each
    # without its label (a clause records its responsible units, not their roles).
    units = tuple(u for u in (_UNIT_LABEL.sub("", a) for a in _agencies(words)) if u)
    if not units:
        raise ParseError(lineno, Notice("clause ({numeral}) names no responsible units", numeral=cm["num"]))
    body = rest[:at].strip(_WS)
    if not body:
        raise ParseError(lineno, Notice("clause ({numeral}) has no text", numeral=cm["num"]))
    title = body.split("。", 1)[0].strip(_WS)
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
    """The promises an introduction makes: its 2024 sentence, else phrases with amounts
    (never its budget: 2025年，市财政预算安排132.3亿元 is the domain's budget)."""
    out: list[str] = []
    for sentence in re.split(r"(?<=。)", intro):
        m = re.search(r"\d{4}年[,，]", sentence)
        if m and not BUDGET_RE.search(sentence):
            out.extend(p.strip() for p in _TARGET_SPLIT.split(sentence[m.end() :]) if p.strip())
    if out:
        return tuple(out)
    for phrase in _TARGET_SPLIT.split(intro):
        unquoted = re.sub(r"“[^”]*”", "", phrase)
        counted = find_figures(unquoted) or _COUNT_RE.search(re.sub(r"\d{4}年", "", unquoted))
        if re.search(r"\d", unquoted) and counted and not BUDGET_RE.search(phrase):
            out.append(phrase.strip())
    return tuple(out)


def _budget(text: str, clause: int, line: int, year: int | None) -> BudgetRecord | None:
    """The budget ``text`` states (市財政2024年預算安排…億元), for the year it names, else for
    ``year`` (the document's); None when it states none (or no year can be told)."""
    for m in BUDGET_RE.finditer(text):
        stated = m["year"] or m["year2"]
        if stated is None:
            sentence = text[: m.start()].rsplit("。", 1)[-1]
            earlier = _YEAR_RE.findall(sentence)
            stated = earlier[-1] if earlier else None
        which = int(stated) if stated else year
        if which is None:
            continue
        if clause:
            what = Notice("the budget '{words}' of clause ({numeral})", words=m.group(), numeral=to_numeral(clause))
        else:
            what = Notice("the budget '{words}'", words=m.group())
        _check_year(which, line, what)
        value, _ = money_value(m["num"], m["unit"])
        return {"text": f"{m['num']}{m['unit']}", "yuan": plain(value), "clause": clause, "year": which}
    return None


def _domain(d: _DomainDraft, year: int | None = None) -> Domain:
    """A domain; its budget as its introduction states it (``clause`` 0) or else its first
    clause that states one; ``year``: the document's, for a budget that names none."""
    intro = "\n".join(d.intro)
    # A table's lines (cells apart by tabs) stay in the introduction as written, never a target.
    prose = "\n".join(line for line in d.intro if not TABLE_LINE_RE.search(line))
    budget = _budget(prose, 0, d.line, year)
    for c in d.clauses:
        if budget is not None:
            break
        budget = _budget(c.body, c.number, c.line, year)
    return Domain(
        number=d.number,
        title=d.title,
        lead_agencies=d.lead,
        partner_agencies=d.partners,
        intro=intro,
        targets=_targets(prose),
        first_clause=d.clauses[0].number,
        last_clause=d.clauses[-1].number,
        budget=budget,
        line=d.line,
    )
