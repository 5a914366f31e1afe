"""The parser on a corpus of small documents of the genre in the layouts it is published in
(tests/corpus/NAME.txt, written for these tests), each beside NAME.expected.toml, the
structure it must read; and documents that break the genre (tests/corpus/broken/), each with
the line the build must name and a phrase of its message."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from hzpolicy.__main__ import run
from hzpolicy.core.models import Document
from hzpolicy.core.parser import ParseError, parse
from hzpolicy.core.script import to_traditional
from hzpolicy.core.store import build_store, load_store

CORPUS = Path(__file__).parent / "corpus"
DOCUMENTS = sorted(CORPUS.glob("*.txt"))
BROKEN = sorted((CORPUS / "broken").glob("*.txt"))


def _expected(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.with_suffix(".expected.toml").read_text(encoding="utf-8"))


def _or_empty(value: object) -> object:
    """The parser's None as the expectation writes it ("": not stated)."""
    return "" if value is None else value


def test_the_corpus_is_there():
    assert len(DOCUMENTS) >= 10 and len(BROKEN) >= 4
    for path in DOCUMENTS + BROKEN:
        assert path.with_suffix(".expected.toml").is_file(), path.name


@pytest.fixture(scope="module", params=DOCUMENTS, ids=lambda p: p.stem)
def case(request) -> tuple[Document, dict[str, Any]]:
    path = request.param
    return parse(path.read_bytes(), name=path.name), _expected(path)


def test_document_fields(case):
    doc, want = case
    for key in ("title", "issuer", "number", "published", "valid_from", "valid_to", "source_script"):
        assert _or_empty(getattr(doc, key)) == want[key], key
    assert _or_empty(doc.total_budget and doc.total_budget["yuan"]) == want["total_yuan"]
    assert list(doc.closing) == want["closing"]


def test_domains(case):
    doc, want = case
    assert len(doc.domains) == len(want["domains"])
    for d, w in zip(doc.domains, want["domains"], strict=True):
        assert d.title == w["title"]
        assert list(d.lead_agencies) == w["leads"], d.title
        assert list(d.partner_agencies) == w["partners"], d.title
        assert _or_empty(d.budget and d.budget["yuan"]) == w["budget_yuan"], d.title
        if d.budget:
            assert d.budget["clause"] == w["budget_clause"], d.title
        assert list(d.clause_numbers) == w["clauses"], d.title
        if "targets" in w:  # targets counted in things (5万套, 2.1亿人次) as well as money
            assert list(d.targets) == w["targets"], d.title


def test_clauses(case):
    doc, want = case
    assert [c.number for c in doc.clauses] == [w["number"] for w in want["clauses"]]
    for c, w in zip(doc.clauses, want["clauses"], strict=True):
        assert c.title == w["title"]
        assert list(c.units) == w["units"], c.number
        assert [m["text"] for m in c.money] == w["money"], c.number
        # the exact amount in the figure's own currency (yuan, US or Hong Kong dollars)
        assert [m.get("yuan") or m.get("usd") or m.get("hkd") for m in c.money] == w["yuan"], c.number
        if "currencies" in w:
            assert [m["currency"] for m in c.money] == w["currencies"], c.number
        assert [p["text"] for p in c.percentages] == w["rates"], c.number
        assert [p["percent"] for p in c.percentages] == w["percent"], c.number
        if "roles" in w:
            assert [m["role"] for m in c.money] == w["roles"], c.number
        assert (_or_empty(c.valid_from), _or_empty(c.valid_to)) == (w.get("valid_from", ""), w.get("valid_to", ""))
        for m in (*c.money, *c.percentages):
            assert c.text[m["start"] : m["end"]] == m["text"]


def test_no_chrome_or_header_lands_in_the_text(case):
    doc, _ = case
    text = doc.title + doc.preamble + "".join(doc.closing) + "".join(c.text for c in doc.clauses)
    text += "".join(d.title + d.intro for d in doc.domains)
    for chrome in (
        "打印本页",
        "关闭窗口",
        "關閉窗口",
        "责任编辑",
        "扫一扫",
        "相关链接",
        "此件公开",
        "此件公開",
        "版权所有",
    ):
        assert chrome not in text
    for d in doc.domains:
        assert "牵头" not in d.title and "牽頭" not in d.title


def test_the_documents_tail_is_never_a_closing_paragraph(case):
    """抄送：…, the …印发 line, an attachment list (附件：1．… 2．…), contact lines and an
    attachment's or a table's own text after the closing are the document's tail."""
    doc, _ = case
    for paragraph in doc.closing:
        assert not re.match(r"(抄送|附件|附表|联系|聯繫|\d+．)", paragraph), paragraph
        assert not re.search(r"印[发發]$|\t", paragraph), paragraph


def test_a_table_in_an_introduction_stays_in_it_and_is_no_target():
    doc = parse((CORPUS / "table_in_intro.txt").read_bytes())
    intro = doc.domains[0].intro
    assert "人才层次\t补贴标准\t发放方式\nA类\t800万元\t分5年发放" in intro
    assert doc.domains[0].targets == ("全年新引进35周岁以下大学生30万人以上",)


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem)
def test_a_document_that_breaks_the_genre_names_the_line_and_the_problem(path):
    want = _expected(path)
    with pytest.raises(ParseError) as err:
        parse(path.read_bytes(), name=path.name)
    assert err.value.line == want["line"], str(err.value)
    assert want["message"] in str(err.value.message)


def test_a_broken_document_builds_no_store(tmp_path, capsys):
    out = tmp_path / "store.json"
    code = run(["--lang", "en", "build", str(CORPUS / "broken" / "units_unclosed.txt"), "-o", str(out)])
    _, stderr = capsys.readouterr()
    assert code == 2 and not out.exists()
    assert "line 7" in stderr and "is never closed" in stderr and "no store was written" in stderr


# --- through the store ---------------------------------------------------------------------------


def test_a_simplified_original_is_stored_as_it_is_and_in_traditional_characters(tmp_path):
    """The Simplified fields hold the original unchanged (no mainland wording applied: its
    高品质步行街, 提升消费品质, 对口支援 stay), the plain ones its Traditional characters, and
    every offset and alignment holds."""
    out = tmp_path / "store.json"
    built = build_store(CORPUS / "simplified_original.txt", out)
    doc = load_store(out)
    assert doc == built
    source = parse((CORPUS / "simplified_original.txt").read_bytes())
    assert doc.source_script == "simplified"
    assert doc.title_simplified == source.title == "关于提振消费的若干措施"
    assert doc.title == "關於提振消費的若干措施"
    assert doc.preamble_simplified == "为提升消费品质，扩大有效需求，制定以下措施。"  # not 质量
    c1, c3 = doc.clause(1), doc.clause(3)
    assert c1.body_simplified == source.clause(1).body and "高品质步行街" in c1.body_simplified
    assert "對口支援" in c3.body and "对口支援" in c3.body_simplified  # not 对口支持
    assert c1.body == to_traditional(source.clause(1).body)
    assert doc.domains[1].title_simplified == "对口协作" and doc.domains[0].lead_agencies == ("市商務局",)
    assert doc.domains[0].lead_agencies_simplified == ("市商务局",)
    for c in doc.clauses:
        assert c.body in c.text and c.text.startswith("（")
        for m in (*c.money, *c.percentages):
            assert c.text[m["start"] : m["end"]] == m["text"]
    assert [m["text"] for m in c1.money] == ["200萬元"]


def test_search_keys_and_alignments_of_a_simplified_original(tmp_path):
    from hzpolicy.core.script import decode_alignment, search_key

    out = tmp_path / "store.json"
    build_store(CORPUS / "simplified_original.txt", out)
    c = load_store(out).clause(3)
    key_to_simp = decode_alignment(c.key_to_simp)
    simp_to_body = decode_alignment(c.simp_to_body)
    assert len(key_to_simp) == len(c.search_key) and len(simp_to_body) == len(c.body_simplified)
    for word in ("对口支援", "產銷對接", "5萬元"):
        key = search_key(word)
        at = c.search_key.index(key)
        start, end = key_to_simp[at], key_to_simp[at + len(key) - 1] + 1
        assert c.body[simp_to_body[start] : simp_to_body[end - 1] + 1] == to_traditional(c.body_simplified[start:end])


def test_a_2025_edition_builds_and_loads_with_its_header_and_intro_budgets(tmp_path):
    out = tmp_path / "store.json"
    build_store(CORPUS / "official_2025.txt", out)
    doc = load_store(out)
    assert doc.number == "杭政函〔2025〕8號" and doc.issuer == "杭州市人民政府"
    assert doc.domains[0].budget == {"text": "12.5億元", "yuan": "1250000000", "clause": 0, "year": 2025}
    assert doc.domains[0].lead_agencies_simplified == ("市经信局",)
    assert doc.clause(6).units_simplified == ("市地方金融管理局", "各区、县（市）政府")


def test_a_traditional_corpus_document_builds_with_its_own_periods(tmp_path):
    out = tmp_path / "store.json"
    build_store(CORPUS / "clause_period.txt", out)
    doc = load_store(out)
    assert doc.source_script == "traditional"
    assert (doc.clause(1).valid_from, doc.clause(1).valid_to) == ("2025-01-01", "2025-06-30")
    assert (doc.clause(2).valid_from, doc.clause(2).valid_to) == ("2025-03-01", "2025-08-31")
    assert doc.clause(3).valid_from is None and doc.clause(3).valid_to is None


def test_an_open_ended_validity_builds(tmp_path):
    """自2025年1月1日起施行 with no end: the start is kept, the end is not invented."""
    out = tmp_path / "store.json"
    build_store(CORPUS / "signature_end.txt", out)
    doc = load_store(out)
    assert (doc.valid_from, doc.valid_to) == ("2025-01-01", None)
    assert doc.published == "2024-12-30" and doc.closing == ("本措施自2025年1月1日起施行。",)


# --- what a reader is shown of the new fields --------------------------------------------------------


def test_pages_show_the_number_the_partners_an_intro_budget_and_a_clauses_own_period(tmp_path):
    from datetime import date

    from hzpolicy.core.i18n import Locale
    from hzpolicy.core.insights import budget
    from hzpolicy.core.present import clause_page, document_fields, document_page, domain_page

    loc = Locale("simplified", "en")
    doc = build_store(CORPUS / "official_2025.txt", tmp_path / "a.json")
    today = date(2025, 6, 1)
    assert "Document number: 杭政函〔2025〕8号" in document_page(doc, loc, today).text()
    assert document_fields(doc, loc)["number"] == "杭政函〔2025〕8号"
    page = domain_page(doc, 1, loc).text()
    assert "12.5亿元" in page and "(in the introduction)" in page and "clause 0" not in page
    b = budget(doc)
    assert [(d.domain, d.clause) for d in b.domains] == [(1, 0), (2, 0)]  # no clause 0 is looked up
    partners = build_store(CORPUS / "partners_nested.txt", tmp_path / "b.json")
    partners_page = domain_page(partners, 1, loc).text()
    assert re.search(r"Working with the lead: 县财政局(、|, )县自然资源局", partners_page)
    periods = build_store(CORPUS / "clause_period.txt", tmp_path / "c.json")
    own = clause_page(periods, 1, loc, today).text()
    assert "2025-01-01 ~ 2025-06-30" in own and "[expired, as of 2025-06-01]" not in own
    assert "2025-01-01 ~ 2025-06-30  [in force" in own
    assert "2025-01-01 ~ 2025-12-31" in clause_page(periods, 3, loc, today).text()  # the document's
