"""The HTML export: one self-contained page, well formed, escaped, in the reader's language
and script, that prints well; pages drawn from their blocks; a meta chart as bars (a table in
Markdown, a list in JSON, nothing in CSV)."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser

import pytest

from hzpolicy.__main__ import run
from hzpolicy.core import export, html
from hzpolicy.core.i18n import Locale
from hzpolicy.core.present import Block, Mark, Page

from .conftest import TODAY
from .test_simplified_output import assert_simplified, traditional_in

HANT = Locale("traditional", "zh")
HANS = Locale("simplified", "zh")
EN = Locale("simplified", "en")
VOID = {"meta", "br", "hr", "img", "link", "input", "wbr", "col", "area", "base", "source"}


class _Structure(HTMLParser):
    """Checks that every element is closed, in order, and records what a page must not have."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str | None]] = []
        self.problems: list[str] = []
        self.text: list[str] = []
        self.doctype = ""

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(tag, k, v) for k, v in attrs]
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(tag, k, v) for k, v in attrs]

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.open[-1] if self.open else 'nothing'}")
            return
        self.open.pop()

    def handle_data(self, data):
        if self.open and self.open[-1] not in ("style", "title"):
            self.text.append(data)


def parsed(page: str) -> _Structure:
    p = _Structure()
    p.feed(page)
    p.close()
    assert p.problems == [] and p.open == [], (p.problems, p.open)
    return p


def assert_self_contained(page: str, lang: str) -> _Structure:
    p = parsed(page)
    assert p.doctype.lower() == "doctype html"
    assert p.tags[:4] == ["html", "head", "meta", "meta"] and ("meta", "charset", "utf-8") in p.attrs
    assert ("html", "lang", lang) in p.attrs
    assert "script" not in p.tags and not any(k.startswith("on") for _, k, _ in p.attrs)  # no script at all
    assert not {"link", "img", "iframe", "object", "embed"} & set(p.tags)  # nothing from elsewhere
    assert not any(k in ("src", "href") for _, k, _ in p.attrs) and "url(" not in page and "@import" not in page
    assert "@media print" in page and "size: A4" in page and "break-inside: avoid" in page
    return p


def _overview(loc: Locale) -> str:
    from hzpolicy.core.store import load_store

    from .conftest import STORE

    doc = load_store(STORE)
    records, title, meta = export.overview_export(doc, loc, TODAY)
    return export.render(records, "html", title, meta, loc)


@pytest.fixture(scope="module")
def clauses_page(doc) -> dict[str, str]:
    """Clauses 14 and 36 with a note full of markup, in each language and script."""
    note = '<script>alert("x")</script> & "研发" <b>'
    out = {}
    for name, loc in (("hant", HANT), ("hans", HANS), ("en", EN)):
        records = export.clause_records(doc, [14, 36], notes={14: note}, bookmarks={14}, loc=loc, today=TODAY)
        out[name] = export.render(records, "html", doc.title_in(loc.script), {}, loc)
    return out


@pytest.mark.parametrize(("name", "lang"), [("hant", "zh-Hant"), ("hans", "zh-Hans"), ("en", "en")])
def test_the_page_is_well_formed_self_contained_and_in_the_readers_language(clauses_page, name, lang):
    page = clauses_page[name]
    p = assert_self_contained(page, lang)
    assert p.tags.count("article") == 2 and p.tags.count("h1") == 1
    fonts = re.search(r"font-family: ([^;]+);", page)
    assert fonts is not None
    first_chinese = re.search(r'"PingFang (TC|SC)"', fonts.group(1))
    assert first_chinese is not None and first_chinese.group(1) == ("SC" if lang == "zh-Hans" else "TC")


def test_everything_is_escaped(clauses_page):
    page = clauses_page["hant"]
    assert "<script>" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;研发&quot; &lt;b&gt;" in page
    text = "".join(parsed(page).text)
    assert '<script>alert("x")</script> & "研发" <b>' in text  # what the reader sees is the note


def test_a_clause_page_is_drawn_from_its_blocks(clauses_page):
    page = clauses_page["hant"]
    assert '<article class="page clause" id="clause-14" lang="zh-Hant">' in page
    assert "<h2>* (十四) 更大力度實施企業研發投入補助政策</h2>" in page
    assert "<h3>我的筆記</h3>" in page and "<h3>金額與比例</h3>" in page
    assert '<span class="figure">200萬元</span>' in page  # a figure in the text, marked
    assert '<span class="bad">[已失效, 截至 2026-11-26]</span>' in page  # the validity, as the app marks it
    assert page.count('<p class="body">') == 2


def test_simplified_html_has_no_traditional_and_traditional_stays_traditional(clauses_page):
    assert_simplified("".join(parsed(clauses_page["hans"]).text), "HTML export of clauses 14 and 36")
    assert traditional_in("".join(parsed(clauses_page["hant"]).text))  # the check would catch it
    assert "更大力度實施企業研發投入補助政策" in clauses_page["hant"]
    assert "更大力度实施企业研发投入补助政策" in clauses_page["hans"]


@pytest.mark.parametrize(("loc", "lang"), [(HANT, "zh-Hant"), (HANS, "zh-Hans"), (EN, "en")])
def test_the_overview_draws_the_budget_chart(loc, lang):
    page = _overview(loc)
    p = assert_self_contained(page, lang)
    assert p.tags.count("figure") == 1 and p.tags.count("article") == 9  # the document, then 8 domains
    widths = [Decimal(w) for w in re.findall(r'<span class="bar" style="width: ([\d.]+)%"></span>', page)]
    assert len(widths) == 8 and max(widths) == 100 and all(0 < w <= 100 for w in widths)
    assert widths[5] == Decimal("3.4")  # 6亿 of 177.1亿
    if loc is HANS:
        assert_simplified("".join(p.text), "HTML overview")
        assert "各领域市级财政预算" in page and '<td class="value">177.1亿元</td>' in page
    if loc is EN:
        assert "City budget by domain" in page and "17.71 billion yuan" in page


def test_search_hits_are_a_list_and_meta_lists_are_lists(index, doc):
    results = index.search("研发 补助 xyz 哪些", script="simplified", limit=None)
    records = export.search_records(results, doc, HANS)
    page = export.render(records, "html", "搜索: 研发补助", export.search_meta(results), HANS)
    p = assert_self_contained(page, "zh-Hans")
    assert p.tags.count("ol") == 1 and p.tags.count("li") == results.total + 2  # the hits, then xyz and 哪些
    assert "<dt>文件中没有的词语</dt><dd><ul><li>xyz</li></ul></dd>" in page
    assert "<dt>略去的疑问词</dt><dd><ul><li>哪些</li></ul></dd>" in page
    assert f"<dd>{results.total}</dd>" in page
    assert "<small>条文 | 含 研发 + 补助 | 部分符合 (2/3)</small>" in page  # why each matched


def test_a_block_with_overlapping_marks_gets_both_classes():
    block = Block("text", "ab<c>de", (Mark(0, 4, "figure"), Mark(2, 7, "dim")))
    assert html.marked_html(block) == (
        '<span class="figure">ab</span><span class="figure dim">&lt;c</span><span class="dim">&gt;de</span>'
    )
    page = Page(("clause", 1), "t", (Block("title", "T&"), Block("item", "a"), Block("item", "b"), Block("text", "p")))
    assert html.page_html(page, HANT, level=3) == (
        '<article class="page clause" id="clause-1" lang="zh-Hant">\n<h3>T&amp;</h3>\n'
        "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n<p>p</p>\n</article>"
    )


# --- the chart in the other formats ---------------------------------------------------------------

CHART = [("甲 | 乙", Decimal(17710000000), "177.1億元"), ("丙", Decimal("600000000.5"), "6億元")]


def test_a_chart_is_a_table_in_markdown_a_list_in_json_and_absent_from_csv():
    records = [{"clause": 1, "heading": "(一) t", "title": "t", "score": 1, "snippet": "s", "why": "條文"}]
    meta = {"total": 1, "chart_title": "預算", "chart": CHART}
    md = export.render(records, "md", "T", meta, HANT)
    assert "**預算**\n\n| 項目 | 金額 |\n| --- | ---: |\n| 甲 \\| 乙 | 177.1億元 |\n| 丙 | 6億元 |" in md
    assert "chart" not in md and "- 符合的位置: 1" in md
    data = json.loads(export.render(records, "json", "T", meta, HANT))
    assert data["chart"] == [
        {"label": "甲 | 乙", "value": 17710000000, "text": "177.1億元"},
        {"label": "丙", "value": 600000000.5, "text": "6億元"},
    ]
    table = export.render(records, "csv", "T", meta, HANT)
    assert "177.1" not in table and "chart" not in table
    assert next(iter(csv.DictReader(io.StringIO(table))))["clause"] == "1"
    page = export.render(records, "html", "T", meta, HANT)
    assert "<figcaption>預算</figcaption>" in page and "甲 | 乙" in page and 'style="width: 100.0%"' in page


def test_the_overview_in_markdown_json_and_csv(doc):
    records, title, meta = export.overview_export(doc, HANS, date(2026, 11, 26))
    md = export.render(records, "md", title, meta, HANS)
    assert "| 八、保障和改善民生政策 | 148.7亿元 |" in md and md.count("\n## ") == 9
    data = json.loads(export.render(records, "json", title, meta, HANS))
    assert [b["value"] for b in data["chart"]][:2] == [17710000000, 11210000000]
    rows = list(csv.DictReader(io.StringIO(export.render(records, "csv", title, meta, HANS))))
    assert [r["kind"] for r in rows] == ["document"] + ["domain"] * 8
    assert rows[0]["budget"] == "490亿元" and rows[1]["budget_yuan"] == "17710000000"


# --- the command line -----------------------------------------------------------------------------


def test_export_format_html_on_the_command_line(capsys, tmp_path):
    out = tmp_path / "s.html"
    assert run(["export", "search", "集成电路", "--format", "html", "-o", str(out), "--script", "simplified"]) == 0
    page = out.read_text(encoding="utf-8")
    p = assert_self_contained(page, "zh-Hans")
    assert p.tags.count("li") == 2 and "<title>搜索: 集成电路</title>" in page
    assert_simplified("".join(p.text), "HTML search export")
    capsys.readouterr()
    assert run(["export", "bookmarks", "--format", "html", "--lang", "en"]) == 0
    assert_self_contained(capsys.readouterr().out, "en")


def test_a_calculator_result_as_html(capsys, tmp_path):
    profile = tmp_path / "p.json"
    profile.write_text('{"key_software_first": true}', encoding="utf-8")
    assert run(["export", "calc", str(profile), "--format", "html"]) == 0
    page = capsys.readouterr().out
    p = assert_self_contained(page, "zh-Hant")
    assert "對首次入選的軟體企業給予200萬元一次性獎勵" in "".join(p.text)
