"""Agencies, money, budget and targets against the document; bookmarks and notes that
survive a killed writer and a second instance; exports that round-trip."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from hzpolicy.__main__ import run
from hzpolicy.core import export
from hzpolicy.core.i18n import Locale
from hzpolicy.core.insights import agency_index, budget, figure_rows, targets
from hzpolicy.core.present import yi_text
from hzpolicy.core.userdata import UserData

from .conftest import ROOT


def test_agency_index_counts_and_merges_aliases(doc):
    index = {a.name: a for a in agency_index(doc, doc.agency_aliases)}
    assert index["市財政局"].count == sum(1 for c in doc.clauses if "市財政局" in c.units)
    grid = index["國網杭州供電公司"]
    assert grid.aliases == ("國家電網杭州公司",) and grid.clauses == (5, 60)
    assert "國家電網杭州公司" not in index
    assert index["市投資促進局"].leads == (6,)
    assert index["杭州海關"].clauses != index["錢江海關"].clauses  # not merged: different bodies
    everyone = {u for c in doc.clauses for u in c.units} | {a for d in doc.domains for a in d.lead_agencies}
    assert everyone == {a.name for a in index.values()} | {"國家電網杭州公司"}


def test_money_table_has_every_figure(doc):
    rows = figure_rows(doc)
    assert len(rows) == sum(len(c.money) + len(c.percentages) for c in doc.clauses)
    for r in rows:
        assert doc.clause(r.clause).text[r.start : r.end] == r.text
    usd = [r for r in rows if r.currency == "USD"]
    assert usd and all(r.text.endswith("美元") for r in usd)


def test_budget_sum_and_the_documents_explanation(doc):
    b = budget(doc)
    assert len(b.domains) == 8
    assert [d.yuan for d in b.domains] == sorted((d.yuan for d in b.domains), reverse=True)
    yi = lambda yuan: yi_text(yuan, Locale())  # noqa: E731 - as the chart writes an amount
    assert yi(b.lines_sum) == "569億元" and yi(b.stated_total) == "490億元" and yi(b.difference) == "79億元"
    assert "除交叉重疊部分外" in b.explanation
    first = b.domains[0]
    assert first.title == "擴大有效投資政策" and sum(line.yuan for line in first.lines) == first.yuan


def test_targets(doc):
    t = targets(doc)
    assert (2, "科技創新政策", "新增高新技術企業2000家") in t
    assert {d for d, _, _ in t} == set(range(1, 9))


def test_bookmarks_and_notes_persist(tmp_path):
    user = UserData(tmp_path / "u.sqlite3")
    assert user.set_bookmark(14, True) is None and user.set_note(14, "申報截止前核對研發台賬") is None
    again = UserData(tmp_path / "u.sqlite3")
    assert again.bookmarks() == [14] and again.notes() == {14: "申報截止前核對研發台賬"}
    again.set_bookmark(14, False)
    again.set_note(14, "")
    assert UserData(tmp_path / "u.sqlite3").bookmarks() == [] and UserData(tmp_path / "u.sqlite3").notes() == {}


def test_two_instances_do_not_corrupt_or_lose_each_others_writes(tmp_path):
    path = tmp_path / "u.sqlite3"
    script = """
import sys
sys.path.insert(0, {tui!r})
from pathlib import Path
from hzpolicy.core.userdata import UserData
user = UserData(Path({path!r}))
for n in range({start}, {start} + 30):
    assert user.set_bookmark(n, True) is None
"""
    procs = [
        subprocess.Popen([sys.executable, "-c", script.format(tui=str(ROOT / "tui"), path=str(path), start=s)])
        for s in (1, 31)
    ]
    assert [p.wait() for p in procs] == [0, 0]
    assert UserData(path).bookmarks() == list(range(1, 61))


@pytest.mark.parametrize("fmt", ["json", "csv", "md"])
def test_export_clause_round_trip(doc, tmp_path, fmt):
    records = export.clause_records(doc, [14, 48], notes={14: "筆記"}, bookmarks={14})
    text = export.render(records, fmt, doc.title)
    path = export.write(text, fmt, tmp_path / f"out.{fmt}")
    raw = path.read_bytes()
    if fmt == "json":
        assert json.loads(raw.decode("utf-8"))["records"] == records
    elif fmt == "csv":
        assert raw.startswith(b"\xef\xbb\xbf")  # a BOM: spreadsheets open it as UTF-8
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
        assert [int(r["clause"]) for r in rows] == [14, 48]
        assert rows[0]["text"] == records[0]["text"] and rows[0]["note"] == "筆記"
        assert rows[0]["units"] == "、".join(records[0]["units"])
    else:
        md = raw.decode("utf-8")
        assert "## * (十四) 更大力度實施企業研發投入補助政策" in md  # bookmarked: marked as in the app
        assert "## (四十八) " in md and "筆記" in md and records[1]["text"] in md


def test_cli_agencies_json(capsys):
    assert run(["agencies", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    names = [a["name"] for a in data["agencies"]]
    assert names[0] == "市財政局" and "國網杭州供電公司" in names and "國家電網杭州公司" not in names


def test_cli_exports(capsys, tmp_path):
    assert run(["export", "clause", "十四", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["records"][0]["clause"] == 14
    out = tmp_path / "s.csv"
    assert run(["export", "search", "集成电路", "--format", "csv", "-o", str(out), "--lang", "en"]) == 0
    assert "wrote" in capsys.readouterr().err
    assert [r["clause"] for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")))] == ["24", "33"]
    assert run(["export", "search", "研发补助", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["all_words"] == 5 and data["records"][0]["clause"] == 14
    assert data["records"][0]["why"] == "條文 | 含 研发 + 补助"  # the query's words as typed
    assert run(["export", "search", "研发补助", "--format", "md"]) == 0
    assert "(條文 | 含 研发 + 补助)" in capsys.readouterr().out
    assert run(["export", "search", "研发补助", "--format", "md", "--lang", "en"]) == 0
    assert "- With every word: 5\n" in (out := capsys.readouterr().out) and "(clause | has 研发 + 补助)" in out
    user = UserData()
    user.set_bookmark(36, True)
    user.set_note(36, "軟體企業")
    assert run(["export", "bookmarks", "--format", "json"]) == 0
    recs = json.loads(capsys.readouterr().out)["records"]
    assert recs == [r for r in recs if r["clause"] == 36] and recs[0]["note"] == "軟體企業"
    profile = tmp_path / "p.json"
    profile.write_text('{"key_software_first": true}', encoding="utf-8")
    assert run(["export", "calc", str(profile), "--format", "md"]) == 0
    assert "對首次入選的軟體企業給予200萬元一次性獎勵" in capsys.readouterr().out
    assert run(["export", "search"]) == 2
    assert run(["export", "clause", "99"]) == 2
    assert run(["export", "clause", "1", "-o", str(tmp_path)]) == 2  # a directory
