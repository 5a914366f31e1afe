"""What changed between two editions: clauses aligned by content on edition pairs made from
the shipped text (tests/editions.py, each with its true alignment), money changes, domains,
the JSON shape, the command line and the export."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import date

import pytest

from hzpolicy.__main__ import run
from hzpolicy.cli_compare import comparison_text
from hzpolicy.core.compare import (
    KINDS,
    Comparison,
    change_text,
    char_diff,
    compare,
    comparison_export,
    comparison_records,
    document_lines,
    edition_year,
)
from hzpolicy.core.export import render
from hzpolicy.core.i18n import Locale
from hzpolicy.core.parser import parse
from hzpolicy.core.present import clause_page
from hzpolicy.core.script import search_key
from hzpolicy.core.store import prepare, write_store

from .conftest import STORE
from .editions import VARIANTS, Edition, Variant, source_text, variant, variant_of

ACCURACY = 0.95  # the least share of rows aligned right, per variant


def _fig(text: str | None) -> str | None:
    return search_key(text) if text else text


def _doc(text: str):
    return prepare(parse(text))


@pytest.fixture(scope="module")
def base():
    return _doc(source_text())


@pytest.fixture(scope="module")
def editions(base) -> dict[str, tuple[Variant, object]]:
    """Each variant parsed once: name -> (variant, new document)."""
    return {name: (v, _doc(v.new_text)) for name in VARIANTS for v in [variant(name)]}


@pytest.fixture(scope="module")
def compared(base, editions) -> dict[str, tuple[Variant, Comparison]]:
    return {name: (v, compare(base, new)) for name, (v, new) in editions.items()}


def _rows(cmp: Comparison) -> set[tuple[tuple[int, ...], int | None, str]]:
    return {(r.old, r.new, r.kind) for r in cmp.rows}


def _true_rows(v: Variant) -> set[tuple[tuple[int, ...], int | None, str]]:
    return {(r.old, r.new, r.kind) for r in v.truth.rows}


def accuracy(v: Variant, cmp: Comparison) -> float:
    """The share of true rows found exactly (old clauses, new clause and kind)."""
    return len(_rows(cmp) & _true_rows(v)) / len(v.truth.rows)


# --- Alignment ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(VARIANTS))
def test_each_variant_is_aligned_right(compared, name):
    v, cmp = compared[name]
    assert accuracy(v, cmp) >= ACCURACY, sorted(_true_rows(v) ^ _rows(cmp), key=str)
    # As many rows as the truth: every new clause once, every removed old clause once.
    assert sorted(r.new for r in cmp.rows if r.new is not None) == list(range(1, len(cmp.new.clauses) + 1))
    assert len(cmp.rows) == len(v.truth.rows)
    assert sum(cmp.counts().values()) == len(cmp.rows)


@pytest.mark.parametrize("name", list(VARIANTS))
def test_every_money_change_is_found_and_no_other(compared, name):
    v, cmp = compared[name]
    # The figures as each text writes them: a Simplified original writes 300万元 (compared
    # in one script).
    found = {(r.new, _fig(c.before), _fig(c.after)) for r in cmp.rows for c in r.changes if c.direction != "same"}
    truth = {(m.new, _fig(m.before), _fig(m.after)) for m in v.truth.money}
    assert truth <= found, truth - found
    assert found <= truth, found - truth  # figures that stayed are not reported


@pytest.mark.parametrize("name", list(VARIANTS))
def test_moves_to_another_domain_and_domains_are_found(compared, name):
    v, cmp = compared[name]
    assert {(r.old, r.new): r.moved for r in cmp.rows if r.moved} == {
        (r.old, r.new): r.moved for r in v.truth.rows if r.moved
    }
    assert [(d.old_number, d.new_number) for d in cmp.domains] == list(v.truth.domains)


def test_the_variants_change_what_they_say(compared):
    """The edition pairs are not trivial: each kind is exercised, and the mixed edition has them all."""
    kinds = {k for v, _ in compared.values() for k in v.truth.kinds}
    assert kinds == set(KINDS)
    mixed = compared["edition_2025"][0].truth.kinds
    assert all(mixed[k] for k in KINDS), mixed
    assert compared["renumbered"][0].truth.kinds["removed"] == 4


def test_a_package_compared_with_itself_is_all_same(doc):
    cmp = compare(doc, doc)
    assert [r.kind for r in cmp.rows] == ["same"] * 76
    assert all(r.old == (r.new,) and r.similarity == 1.0 and not r.changes and not r.moved for r in cmp.rows)
    assert not any(d.changed for d in cmp.domains) and cmp.total is None and not cmp.validity_changed
    assert cmp.counts() == {"new": 0, "changed": 0, "merged": 0, "split": 0, "removed": 0, "same": 76}


def test_a_renumbered_reordered_copy_recovers_the_mapping(base):
    def shuffle(e: Edition) -> None:
        e.reorder([5, 3, 8, 1, 2, 7, 6, 4])
        e.drop(9, 33)
        e.insert(
            "支援首臺套裝備推廣應用。對首次進入省級推廣目錄的裝備産品,給予研製企業最高200萬元獎勵。(責任單位:市經信局)",
            domain=3,
            first=True,
        )
        items = e.block(8).items
        items.reverse()

    v = variant_of(shuffle, "shuffled")
    cmp = compare(base, _doc(v.new_text))
    truth = {r.old: r.new for r in v.truth.rows if r.kind == "same"}
    assert {r.old: r.new for r in cmp.rows if r.kind == "same"} == truth
    assert len(truth) == 74 and any(old != (new,) for old, new in truth.items())
    assert _rows(cmp) == _true_rows(v)
    assert not any(r.moved for r in cmp.rows)  # the domains were reordered, no clause moved


def test_a_change_of_the_editions_year_only_is_same(compared):
    _, cmp = compared["year"]
    assert edition_year(cmp.old) == 2024 and edition_year(cmp.new) == 2025
    assert all(r.kind == "same" and not r.changes for r in cmp.rows)
    assert cmp.validity_changed and (cmp.new.valid_from, cmp.new.valid_to) == ("2025-01-01", "2025-12-31")
    # The text did change: the diff shows the year, and the domains' budgets are for 2025.
    row = cmp.row_for_new(2)
    assert ("delete", "2024") in cmp.diff(row, "traditional") and ("insert", "2025") in cmp.diff(row, "traditional")
    assert all(d.budget is None for d in cmp.domains)  # the same sums, another year


def test_removed_rows_follow_the_row_of_their_old_predecessor(compared):
    _, cmp = compared["renumbered"]
    rows = list(cmp.rows)
    at = next(i for i, r in enumerate(rows) if r.kind == "removed" and r.old == (3,))
    assert rows[at - 1].old == (2,)
    assert [r.new for r in rows if r.new is not None] == sorted(r.new for r in rows if r.new is not None)


def test_reversed_a_merge_is_a_split(base, editions):
    v, merged = editions["merged"]
    cmp = compare(merged, base)
    splits = {(r.old, r.new) for r in cmp.rows if r.kind == "split"}
    expected = {((t.new,), o) for t in v.truth.rows if t.kind == "merged" for o in t.old}
    assert splits == expected


# --- What each pair says --------------------------------------------------------------------------


def test_a_threshold_lowered_and_a_budget_raised(compared):
    _, cmp = compared["amounts"]
    row = cmp.row_for_new(14)
    assert row.kind == "changed" and row.old == (14,) and 0.9 < row.similarity < 1
    threshold = next(c for c in row.changes if c.before == "500萬元")
    assert (threshold.after, threshold.role, threshold.direction) == ("300萬元", "threshold", "down")
    assert (threshold.before_yuan, threshold.after_yuan, threshold.kind) == ("5000000", "3000000", "money")
    rate = next(c for c in cmp.row_for_new(15).changes)
    assert (rate.kind, rate.before_percent, rate.after_percent, rate.direction) == ("percent", "5", "8", "up")
    first = cmp.domains[0]
    assert first.budget is not None and (first.budget.before, first.budget.after) == ("177.1億元", "180億元")
    assert first.budget.direction == "up"
    assert cmp.total is not None and (cmp.total.before_yuan, cmp.total.after_yuan) == ("49000000000", "50200000000")


def test_merged_split_and_moved_rows_of_a_new_edition(compared):
    _, cmp = compared["edition_2025"]
    merged = cmp.of_kind("merged")
    assert sorted(r.old for r in merged) == [(12, 13), (70, 71)]
    split = cmp.of_kind("split")
    assert {r.old for r in split} == {(27,)} and len(split) == 2
    moved = [r for r in cmp.rows if r.moved]
    assert [(r.old, r.moved) for r in moved] == [((22,), (2, 3))]
    # Domains reordered: 科技 first, renamed; the rest only renumbered.
    science = cmp.domains[0]
    assert (science.old_number, science.new_number, science.title_changed) == (2, 1, True)
    assert not any(d.title_changed for d in cmp.domains[1:])


def test_the_diff_gives_back_both_texts(compared):
    for _, cmp in compared.values():
        for row in cmp.rows:
            for script in ("traditional", "simplified"):
                ops = cmp.diff(row, script)
                assert "".join(t for op, t in ops if op != "insert") == cmp.old_text(row, script)
                assert "".join(t for op, t in ops if op != "delete") == cmp.new_text(row, script)
    _, cmp = compared["amounts"]
    row = cmp.row_for_new(14)
    assert cmp.diff(row, "simplified") is cmp.diff(row, "simplified")  # made once
    assert ("delete", "500") in cmp.diff(row, "simplified")  # a number is changed whole


def test_char_diff_counts_a_lone_character_in_the_change():
    assert char_diff("最高補助200萬元", "最高獎勵300萬元") == [
        ("equal", "最高"),
        ("delete", "補助200"),
        ("insert", "獎勵300"),
        ("equal", "萬元"),
    ]
    assert char_diff("", "") == [] and char_diff("甲", "甲") == [("equal", "甲")]


# --- JSON -----------------------------------------------------------------------------------------


def test_json_has_the_readmes_shape(compared):
    _, cmp = compared["edition_2025"]
    data = json.loads(json.dumps(cmp.to_json("simplified", "hangzhou-2024", "hangzhou-2025"), ensure_ascii=False))
    assert set(data) >= {"old", "new", "clauses", "domains", "counts"}
    assert data["old"]["name"] == "hangzhou-2024" and data["new"]["validity"] == {
        "from": "2025-01-01",
        "to": "2025-12-31",
    }
    assert data["old"]["total"] == {"text": "490亿元", "yuan": "49000000000"}
    assert data["new"]["total"]["text"] == "502亿元"
    row = next(r for r in data["clauses"] if r["old"] == [14])
    assert set(row) >= {"old", "new", "kind", "similarity", "moved", "money_changes", "diff"}
    assert row["kind"] == "changed" and isinstance(row["new"], int) and 0 < row["similarity"] < 1
    assert row["money_changes"][0] == {
        "from": "500万元",
        "to": "300万元",
        "from_yuan": "5000000",
        "to_yuan": "3000000",
        "role": "threshold",
        "kind": "money",
        "direction": "down",
        "from_currency": "CNY",
        "to_currency": "CNY",
        "from_amount": "5000000",
        "to_amount": "3000000",
    }
    assert data["filter"] is None and data["related"] is True and data["matched"] > 0.9
    assert data["closing"] == [] and not (data["title_changed"] or data["number_changed"] or data["issuer_changed"])
    removed = [r for r in data["clauses"] if r["kind"] == "removed"]
    assert len(removed) == 5 and all(r["new"] is None and len(r["old"]) == 1 for r in removed)
    assert next(r for r in data["clauses"] if r["old"] == [22])["moved"] == {"from": 2, "to": 3}
    assert data["counts"] == dict(cmp.counts()) and sum(data["counts"].values()) == len(data["clauses"])
    # A clause the same but for the year has its diff (2024 -> 2025); one word for word, none.
    with_year = next(r for r in data["clauses"] if r["kind"] == "same" and r["old"] == [2])
    assert ["delete", "2024"] in with_year["diff"] and ["insert", "2025"] in with_year["diff"]
    assert next(r for r in data["clauses"] if r["kind"] == "same" and r["old"] == [1])["diff"] is None
    first = data["domains"][0]
    assert (first["old"], first["new"], first["title_changed"]) == (2, 1, True)
    assert first["leads"] == {"from": ["市科技局"], "to": ["市科技局"]} and not first["leads_changed"]
    assert first["partners"] == {"from": [], "to": []} and not first["partners_changed"]
    assert first["intro"] is None and first["targets"]["changed"] == []  # the same but for the year
    assert first["targets"]["to"] and all("2025" not in t or "2024" not in t for t in first["targets"]["to"])
    assert first["budget"] == {
        "from": "112.1亿元",
        "to": "112.1亿元",
        "from_yuan": "11210000000",
        "to_yuan": "11210000000",
        "role": "budget_line",
        "kind": "money",
        "direction": "same",
    }


def test_json_of_a_same_row_has_no_diff_when_the_text_is_identical(doc):
    data = compare(doc, doc).to_json("traditional")
    assert all(r["diff"] is None and r["money_changes"] == [] for r in data["clauses"])


# --- Export ---------------------------------------------------------------------------------------


def test_records_for_the_export(compared):
    """Markdown and HTML: the legend first, both editions in full, the domains under the
    document (not as headings the rows would seem to belong to), each row naming its domains."""
    _, cmp = compared["amounts"]
    loc = Locale("simplified")
    records, title, meta = comparison_records(cmp, loc, "hangzhou-2024", "edition")
    assert title == "版本对照: hangzhou-2024 -> edition"
    assert [r["kind"] for r in records[:1]] == ["document"] and len(records) == 1 + len(cmp.rows)
    md = render(records, "md", title, meta, loc)
    head = md.splitlines()
    assert head[0].startswith("# 版本对照") and head[3] == "[-...-] 删去的文字, {+...+} 新增的文字  "
    assert "旧版: hangzhou-2024 | 关于进一步推动经济高质量发展的若干政策 | 2024-01-01 ~ 2024-12-31  " in head
    assert "500万元 -> 300万元 [门槛, 下调]" in md and "[-500-]{+300+}万元" in md
    assert "- 一、扩大有效投资政策" in head and "  预算: 177.1亿元 -> 180亿元 (上调)  " in head
    assert not any(line.startswith("## 一、") for line in head)  # a domain is no heading of its own
    at = head.index(next(line for line in head if line.startswith("## 变化: (十四)")))
    assert head[at + 1] == "领域: 二、科技创新政策  "
    diff14 = next(line for line in head if "[-500-]{+300+}万元" in line)
    assert "，" in diff14 and not any(mark in diff14 for mark in ",;()")  # the screen's punctuation
    only = comparison_records(cmp, Locale("traditional", "en"), kinds=["changed"])[0]
    assert {r["kind"] for r in only} == {"document", "changed"}
    assert "Only these rows: changed" in only[0].page.text()


def test_the_export_in_each_format(compared):
    """JSON is compare --json's (filtered, saying so); CSV is in the reader's words; the
    quotes are what the screen shows (full-width punctuation)."""
    _, cmp = compared["amounts"]
    loc = Locale("simplified")
    data = json.loads(comparison_export(cmp, "json", loc, "a", "b", kinds=["changed"]))
    assert data == json.loads(json.dumps(cmp.to_json("simplified", "a", "b", kinds=["changed"]), ensure_ascii=False))
    assert data["filter"] == {"kinds": ["changed"], "moved": False} and {r["kind"] for r in data["clauses"]} == {
        "changed"
    }
    assert data["counts"]["same"] > 0  # the counts are the whole comparison's
    table = list(csv.reader(io.StringIO(comparison_export(cmp, "csv", loc, "a", "b"))))
    assert table[0][:3] == ["类别", "旧版条文", "新版条文"] and "kind" not in table[0]
    kinds = {row[0] for row in table[1:]}
    assert {"政策文件", "领域", "变化", "不变"} <= kinds and not kinds & set(KINDS)
    row14 = next(row for row in table if row[2] == "(十四)")
    assert row14[5] == row14[6] == "二、科技创新政策" and "500万元 -> 300万元 [门槛, 下调]" in row14[8]
    assert "，" in row14[9] and "," not in row14[9].replace("3,000", "")
    html = comparison_export(cmp, "html", loc, "a", "b")
    assert "[-...-]" in html and "，" in html


def test_every_text_is_punctuated_as_the_screen_shows_it(compared, editions):
    """The diff's pieces and the quotes are typeset as the clause page shows the body; a
    Simplified original reads as it is written, and against its Traditional twin every row
    is the same with no diff."""
    _, cmp = compared["amounts"]
    row = cmp.row_for_new(14)
    page_body = next(
        b.text for b in clause_page(cmp.new, 14, Locale("simplified"), date(2024, 6, 1)).blocks if b.kind == "body"
    )
    assert cmp.new_text(row, "simplified") == page_body
    assert "".join(t for op, t in cmp.diff(row, "simplified") if op != "delete") == page_body
    assert not any(ch in "".join(t for _, t in cmp.diff(row, "simplified")) for ch in ",;()")
    v, simp = compared["simplified_2025"]
    original = v.new_text
    for r in simp.rows:
        if r.new is not None:
            assert simp.new_text(r, "simplified") in original  # a Simplified original as it is written
    twin = compare(editions["edition_2025"][1], simp.new)
    assert {r.kind for r in twin.rows} == {"same"}
    # No diff of commas and brackets (the editor writes a ratio's 1:1 as 1：1, which typeset keeps).
    diffs = [r["diff"] for r in twin.to_json("simplified")["clauses"] if r["diff"]]
    assert len(diffs) <= 1 and all({t for op, t in d if op != "equal"} <= {":", "："} for d in diffs)


def test_a_ceiling_in_another_currency_is_a_change(compared):
    _, cmp = compared["outside"]
    row = cmp.row_for_new(15)
    (change,) = row.changes
    assert (change.before, change.after, change.direction) == ("500萬元", "500萬美元", "currency")
    assert (change.before_currency, change.after_currency, change.after_yuan) == ("CNY", "USD", None)
    assert change.to_json("traditional")["to_amount"] == "5000000"
    assert change_text(change, Locale("simplified")) == "500万元 -> 500万美元 [上限, 币种改变]"


def test_targets_partners_and_the_closing_are_compared(compared):
    _, cmp = compared["outside"]
    first, second = cmp.domains[0], cmp.domains[1]
    assert first.changed and first.intro is not None and len(first.targets) == 2
    assert [first.target_texts(p, "simplified") for p in first.targets] == [
        ("推进市重点项目800个左右", "推进市重点项目900个左右"),
        ("带动固定资产投资增长3%", "带动固定资产投资增长4.5%"),
    ]
    (rate,) = first.intro.changes
    assert (rate.before, rate.after, rate.direction, rate.kind) == ("3%", "4.5%", "up", "percent")
    assert second.partners_changed and second.new.partner_agencies == ("市財政局",)
    (closing,) = cmp.closing
    assert closing.kind == "changed" and closing.old == closing.new == (1,)
    assert ("insert", "在3个月内") in closing.diff("simplified")
    data = cmp.to_json("simplified")
    assert data["domains"][1]["partners"] == {"from": [], "to": ["市财政局"]}
    assert data["domains"][0]["targets"]["changed"][1] == {
        "from": "带动固定资产投资增长3%",
        "to": "带动固定资产投资增长4.5%",
    }
    assert data["closing"][0]["to"].count("在3个月内") == 1
    lines = comparison_text(cmp, Locale("simplified"), "a", "b")
    assert "    目标: 带动固定资产投资增长3% -> 带动固定资产投资增长4.5%" in lines
    assert "    导语: 3% -> 4.5% [目标, 上调]" in lines and "    配合单位: - -> 市财政局" in lines
    assert any("[-尽快-]{+在3个月内+}制定承接落实方案" in line and "..." in line for line in lines)
    # Nothing but a target changed: still a change.
    only = _doc(variant_of(lambda e: e.intro(1, "增長3%", "增長4%"), "target").new_text)
    alone = compare(cmp.old, only)
    assert alone.counts()["same"] == 76 and alone.domains[0].changed and len(comparison_text(alone, Locale())) > 2


def test_the_documents_number_and_issuer_and_unrelated_documents(base):
    renamed = replace(base, number="杭政函〔2025〕8號", issuer="杭州市人民政府辦公廳", title=base.title + "(修訂)")
    cmp = compare(base, renamed)
    assert cmp.number_changed and cmp.issuer_changed and cmp.title_changed and cmp.related
    lines = document_lines(cmp, Locale("simplified"))
    assert "文号: - -> 杭政函〔2025〕8号" in lines and "发文机关: 杭州市人民政府 -> 杭州市人民政府办公厅" in lines
    data = cmp.to_json("simplified")
    assert data["number_changed"] and data["new"]["number"] == "杭政函〔2025〕8号"
    # Two different documents: few clauses in common, and said so.
    half = replace(base, clauses=base.clauses[:3])
    other = compare(half, replace(base, clauses=base.clauses[60:]))
    assert not other.related and other.matched < 0.2
    assert other.to_json("traditional")["related"] is False
    note = comparison_text(other, Locale("simplified"))[2]
    assert note.startswith("这两个政策包看来是不同的文件") and "0%" in note


# --- Command line ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def stores(tmp_path_factory, editions):
    """The 2025-like edition as a store file beside the shipped store."""
    folder = tmp_path_factory.mktemp("stores")
    path = folder / "edition-2025.json"
    write_store(editions["edition_2025"][1], path, source_name="edition-2025.txt")
    return STORE, path


def _run(capsys, *argv):
    code = run(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_compare_text(capsys, stores):
    old, new = stores
    code, out, err = _run(capsys, "compare", str(old), str(new), "--script", "simplified")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == f"版本对照: hangzhou-2024 -> {new}"
    assert lines[1] == "新增 3、变化 5、合并 2、拆分 2、删除 5、不变 61"
    assert "  500万元 -> 300万元 [门槛, 下调]" in lines
    assert any(line.startswith("合并: (") and "<- (十二)、(十三)" in line for line in lines)
    assert any(line.startswith("删除: (七) ") for line in lines)
    # A clause that moved to another domain is shown, though its text is the same.
    at = lines.index("  移至其他领域: 二、科技创新政策 -> 三、五大产业生态圈建设培育政策")
    assert lines[at - 1].startswith("不变: (") and lines[at - 1].endswith(" 加强市属国有企业科技创新 <- (二十二)")
    assert lines[-3:] == [
        "[政策文件]",
        "  市级财政支持总额: 490亿元 -> 502亿元 (上调)",
        "  有效期: 2024-01-01 ~ 2024-12-31 -> 2025-01-01 ~ 2025-12-31",
    ]
    assert "    二、科技创新政策 -> 一、教育科技人才一体化发展政策" in lines
    assert not any(ch in out for ch in "→←↑↓…—·")  # no ambiguous-width characters


def test_cli_compare_json_and_kind(capsys, stores):
    old, new = stores
    code, out, _ = _run(capsys, "compare", str(old), str(new), "--json", "--kind", "merged")
    data = json.loads(out)
    assert code == 0 and {r["kind"] for r in data["clauses"]} == {"merged"} and len(data["clauses"]) == 2
    assert data["old"]["name"] == "hangzhou-2024" and data["counts"]["merged"] == 2
    code, out, _ = _run(capsys, "compare", "hangzhou-2024", str(old), "--kind", "same", "--lang", "en")
    assert code == 0 and out.splitlines()[1] == "unchanged 76"


def test_cli_compare_bad_input(capsys, stores, tmp_path):
    old, _ = stores
    code, out, err = _run(capsys, "compare", str(old), str(tmp_path / "missing.json"))
    assert code == 2 and out == "" and "missing.json" in err and "Traceback" not in err
    code, _, err = _run(capsys, "compare", str(old), "a\x00b", "--lang", "en")
    assert code == 2 and "cannot be a file name: it holds a NUL character" in err
    with pytest.raises(SystemExit) as exc:
        run(["compare", str(old)])
    assert exc.value.code == 2 and "新版" in capsys.readouterr().err


def test_editions_render_the_shipped_text_back():
    """The editor itself: read and written back unedited, the text parses to the same clauses."""
    e = Edition.read(source_text())
    assert [len(b.items) for b in e.blocks] == [8, 14, 10, 9, 5, 7, 15, 8]
    again = parse(e.render())
    shipped = parse(source_text())
    assert [c.text for c in again.clauses] == [c.text for c in shipped.clauses]
    assert (again.total_budget, again.valid_from) == (shipped.total_budget, shipped.valid_from)
