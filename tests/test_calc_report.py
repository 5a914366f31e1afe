"""The calculator's totals on a date, the date it is made for, and the report a consultant
sends: what it must say (the package, the date and why, the profile and its figures, results
that apply first with working and quote, the total and what it leaves out), in words a
client reads (no codes, no fact ids), in either script."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime
from decimal import Decimal

import pytest

from hzpolicy.__main__ import run
from hzpolicy.core import report
from hzpolicy.core.calculator import (
    APPLIES,
    COUNTED_KINDS,
    NEEDS_APPROVAL,
    NEEDS_INPUT,
    NOT_APPLICABLE,
    STATUS_ORDER,
    evaluate,
    in_reading_order,
)
from hzpolicy.core.dates import DateError, calculation_date, parse_date
from hzpolicy.core.facts import FACTS, typed_figure, validate_profile
from hzpolicy.core.i18n import Locale
from hzpolicy.core.userdata import UserData, data_dir

from .test_simplified_output import traditional_in

# A firm with figures for most of the 2024 clauses: every status, money that is capped,
# matching funds, a fee saved, a priority, and the two first-quarter expo aids of (四十八).
FIRM = {
    "hitech_investment_project": True,
    "high_reliability_power_fee": 100,
    "provincial_tech_center_subsidy": 100,
    "major_project_jiebang": True,
    "competitive_project_investment": 1000,
    "tech_sme_scale": True,
    "rd_spend": 12000,
    "rd_spend_prev": 10000,
    "revenue": 100000,
    "new_rd_hq": False,
    "hq_star_rating": 2,
    "sci_award": "national_second",
    "concept_center": "recognized",
    "maker_space_rating": "good",
    "incubator_stars": 3,
    "incubated_hitech_count": 2,
    "design_awards": [],
    "manufacturer": True,
    "export_credit_premium": 1000,
    "expo_booth_fee_q1": 100,
    "expo_airfare_q1": 10,
    "container_truck_toll": 50,
}
EXPO = {"c48-expo-booth", "c48-expo-airfare"}
DATES = [
    date(2024, 1, 1),
    date(2024, 2, 15),
    date(2024, 3, 31),
    date(2024, 4, 1),
    date(2024, 6, 30),
    date(2024, 12, 31),
]
DATES += [date(2023, 12, 31), date(2025, 1, 1)]


def result_on(doc, day, profile=FIRM):
    return evaluate(list(doc.rules), profile, day, doc)


# --- The total holds on the date ------------------------------------------------------------------


@pytest.mark.parametrize("day", DATES, ids=str)
def test_the_total_counts_only_what_applies_within_its_own_period(doc, day):
    result = result_on(doc, day)
    expected = Decimal(0)
    for item in result.items:
        start, end = date.fromisoformat(item.valid_from), date.fromisoformat(item.valid_to)
        inside = start <= day <= end
        assert item.in_force is inside, item.rule
        counted = item.status == APPLIES and item.kind in COUNTED_KINDS and inside
        assert item.counted is counted, item.rule
        assert item.left_out is (item.status == APPLIES and item.kind in COUNTED_KINDS and not inside)
        if counted:
            expected += item.amount
    assert result.total == expected
    assert result.left_out_total == sum((i.amount for i in result.left_out), Decimal(0))


def test_the_first_quarter_expo_aid_counts_in_the_quarter_and_not_after(doc):
    feb, june = result_on(doc, date(2024, 2, 15)), result_on(doc, date(2024, 6, 30))
    expo = {i.rule: i for i in june.items if i.rule in EXPO}
    assert {i.amount for i in expo.values()} == {Decimal(70), Decimal(7)}
    assert all(i.status == APPLIES for i in expo.values())  # still shown with its amount
    assert {i.rule for i in june.left_out} == EXPO
    assert feb.total - june.total == Decimal(77)
    assert june.left_out_total == Decimal(77)
    assert feb.left_out == []
    data = june.to_json()
    assert data["left_out_wan"] == "77" and set(data["left_out"]) == EXPO
    assert all(not i["counted"] for i in data["items"] if i["rule"] in EXPO)


def test_outside_the_package_nothing_is_counted_and_each_amount_says_why(doc):
    result = result_on(doc, date(2025, 1, 1))
    assert result.total == 0
    assert result.left_out and all(i.amount > 0 for i in result.left_out)
    lines = report.left_out_lines(result, Locale("simplified"))
    for item in result.left_out:
        assert any(report.heading(item, Locale("simplified")) in line and "2025-01-01" in line for line in lines)


def test_results_read_applies_approval_input_then_not_applicable(doc):
    assert STATUS_ORDER == (APPLIES, NEEDS_APPROVAL, NEEDS_INPUT, NOT_APPLICABLE)
    ordered = in_reading_order(result_on(doc, date(2024, 6, 30)).items)
    ranks = [STATUS_ORDER.index(i.status) for i in ordered]
    assert ranks == sorted(ranks) and set(ranks) == {0, 1, 2, 3}


# --- The date -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["2024-06-30", "2024-6-30", "2024/6/30", "2024.6.30", "2024年6月30日", "２０２４－６－３０", " 2024 / 06 / 30 "],
)
def test_a_date_is_read_as_readers_write_it(text):
    assert parse_date(text) == date(2024, 6, 30)


@pytest.mark.parametrize("text", ["2024-02-30", "2024-13-01", "30/6/2024", "明天", "", "2024-6", "20240630x"])
def test_a_wrong_date_is_refused_with_a_reason(text):
    with pytest.raises(DateError) as caught:
        parse_date(text)
    said = Locale("simplified").say(caught.value.notice)
    assert repr(text) in said
    assert not traditional_in(said)


def test_the_date_is_today_in_force_else_the_packages_own_last_or_first_day():
    inside = calculation_date("2024-01-01", "2024-12-31", date(2024, 5, 1))
    assert inside.day == date(2024, 5, 1) and inside.because is None
    after = calculation_date("2024-01-01", "2024-12-31", date(2026, 11, 28))
    assert after.day == date(2024, 12, 31)
    assert "2024-12-31" in Locale("simplified").say(after.because)
    before = calculation_date("2025-01-01", "2025-12-31", date(2024, 11, 28))
    assert before.day == date(2025, 1, 1) and before.because is not None
    assert calculation_date(None, None, date(2026, 1, 2)).day == date(2026, 1, 2)


# --- Figures typed into the form -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "plain"),
    [("１２０００", "12000"), ("1,500", "1,500"), ("1500萬", "1500"), ("1500万元", "1500"), ("1.2億", "12000.0")],
)
def test_a_typed_figure_reads_full_width_digits_and_units(typed, plain):
    assert typed_figure(typed) == plain


# --- The report ----------------------------------------------------------------------------------


def about(doc, day=None, name="华夏电子"):
    chosen = calculation_date(doc.valid_from, doc.valid_to, date(2026, 11, 28)) if day is None else None
    return report.ReportFacts(validate_profile(FIRM), name, chosen, datetime(2026, 11, 28, 18, 5), doc.issuer)


CODES = re.compile(r"\b(as_of|total_wan|needs_input|not_applicable|needs_approval|amount_wan)\b")


@pytest.mark.parametrize("script", ["traditional", "simplified"])
def test_the_report_says_what_a_client_needs_in_the_readers_script(doc, script):
    loc = Locale(script)
    chosen = calculation_date(doc.valid_from, doc.valid_to, date(2026, 11, 28))
    result = result_on(doc, chosen.day)
    text = report.report_page(result, about(doc), loc).markdown(level=1)
    assert "华夏电子" in text and "2024-12-31" in text
    assert loc.doc(doc.title_in("traditional")) in text or doc.title_in(script) in text
    assert loc.say(chosen.because) in text  # why this date
    for name, value in validate_profile(FIRM).items():  # every figure entered, by its label
        if value not in ([], None):
            assert loc.doc(FACTS[name].label) in text, name
        assert name not in text, f"fact id {name} shown"
    assert not CODES.search(text)
    assert report.total_block(result, loc).text in text
    sections = [loc.tr(report.SECTION_TITLES[s]).split(" (")[0] for s in STATUS_ORDER]
    found = [text.index(f"## {s} (") for s in sections if f"## {s} (" in text]
    assert found == sorted(found) and len(found) >= 3  # applies first, does-not-apply last
    for item in result.items:  # what gives something carries the sentence it rests on
        if item.status == APPLIES:
            assert report.heading(item, loc) in text
            assert loc.doc(item.quote).replace(",", "，")[:8] in text or loc.doc(item.quote)[:8] in text
    if script == "simplified":
        assert not traditional_in(text)


def test_the_report_in_june_lists_the_expo_aid_as_left_out(doc):
    loc = Locale("simplified")
    result = result_on(doc, date(2024, 6, 30))
    text = report.report_page(result, about(doc, day=date(2024, 6, 30)), loc).markdown(level=1)
    total_at = text.index(report.total_block(result, loc).text)
    for line in report.left_out_lines(result, loc):
        assert line in text and text.index(line) > total_at
    assert "70 万元" in text and "不计入合计" in text


def test_the_report_in_english_has_words_not_codes(doc):
    loc = Locale("traditional", "en")
    result = result_on(doc, date(2024, 6, 30))
    text = report.report_page(result, about(doc, day=date(2024, 6, 30)), loc).markdown(level=1)
    assert "Subsidy estimate: 华夏电子" in text
    assert "Figures entered" in text and "Does not apply (" in text
    assert not CODES.search(text)


def test_the_report_table_has_the_readers_headings_and_words(doc):
    loc = Locale("simplified")
    result = result_on(doc, date(2024, 6, 30))
    rows = report.report_rows(result, loc)
    assert len(rows) == len(result.items)
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([h for _, h in report.report_columns(loc)])
    writer.writerows([[r[k] for k, _ in report.report_columns(loc)] for r in rows])
    text = buf.getvalue()
    assert text.startswith("条,规则,状态,金额,金额(万元),计入合计")
    assert not CODES.search(text) and not traditional_in(text)
    first = rows[0]
    assert first["status"] == "适用"


def test_the_report_json_keeps_codes_and_adds_the_profile_and_words(doc):
    loc = Locale("simplified")
    result = result_on(doc, date(2024, 12, 31))
    data = report.report_json(result, about(doc), loc)
    assert data["profile"]["name"] == "华夏电子"
    assert data["profile"]["facts"]["rd_spend"] == "12000"
    assert {"label": "年度研发投入额", "value": "12000 万元"} in data["profile"]["entered"]
    assert data["as_of"]["because"] and "2024-12-31" in data["as_of"]["because"]
    assert all("status_name" in i and "amount_text" in i for i in data["items"])
    json.dumps(data, ensure_ascii=False)  # all of it is JSON


def test_needs_input_names_the_figures_by_their_labels_not_ids(doc):
    result = result_on(doc, date(2024, 6, 30), {})
    loc = Locale("simplified")
    for item in result.items:
        assert item.status == NEEDS_INPUT
        words = report.reason(item, loc)
        assert not any(name in words for name in item.missing), words


# --- The command line ----------------------------------------------------------------------------


def test_calc_uses_a_profile_saved_in_the_app(capsys):
    UserData(data_dir() / "user.sqlite3").save_profile("华夏电子", validate_profile(FIRM))
    assert run(["calc", "--profile", "华夏电子", "--date", "2024/6/30", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["profile"]["name"] == "华夏电子" and data["as_of"]["date"] == "2024-06-30"
    assert set(data["left_out"]) == EXPO


def test_calc_refuses_an_unknown_profile_or_two_profiles(capsys, tmp_path):
    assert run(["calc", "--profile", "无此方案", "--script", "simplified"]) == 2
    err = capsys.readouterr().err
    assert "无此方案" in err and "Ctrl+S" in err and len(err.strip().splitlines()) == 1
    UserData(data_dir() / "user.sqlite3").save_profile("甲", {"rd_spend": Decimal(1)})
    assert run(["calc", "--profile", "乙"]) == 2
    assert "甲" in capsys.readouterr().err
    path = tmp_path / "p.json"
    path.write_text("{}", encoding="utf-8")
    assert run(["calc", str(path), "--profile", "甲"]) == 2
    assert run(["calc"]) == 2
    assert "--profile" in capsys.readouterr().err


def test_calc_on_an_expired_package_is_for_its_last_day_and_says_so(capsys, tmp_path):
    path = tmp_path / "firm.json"
    path.write_text(json.dumps(FIRM), encoding="utf-8")
    assert run(["calc", str(path), "--script", "simplified"]) == 0
    out = capsys.readouterr().out
    assert "计算日期 2024-12-31" in out and "2024-12-31 失效" in out
    assert run(["calc", str(path), "--date", "2024-6-31"]) == 2
    assert "2024-6-31" in capsys.readouterr().err


def test_export_calc_writes_the_report_of_a_saved_profile_in_each_format(capsys, tmp_path):
    UserData(data_dir() / "user.sqlite3").save_profile("华夏电子", validate_profile(FIRM))
    for fmt in ("md", "csv", "json", "html"):
        out = tmp_path / f"report.{fmt}"
        argv = ["export", "calc", "--profile", "华夏电子", "--format", fmt, "-o", str(out), "--script", "simplified"]
        assert run(argv) == 0, capsys.readouterr().err
        text = out.read_text(encoding="utf-8-sig")
        assert not traditional_in(text), fmt
        assert "2024-12-31" in text  # the expired package's last valid day
        if fmt != "json":
            assert not CODES.search(text) and "rd_spend" not in text, fmt
    assert "华夏电子" in (tmp_path / "report.md").read_text(encoding="utf-8")
    assert (tmp_path / "report.csv").read_text(encoding="utf-8-sig").startswith("条,规则,状态,金额")
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert data["profile"]["name"] == "华夏电子" and data["as_of"]["because"]
    assert run(["export", "calc", "--profile", "华夏电子", "-o", str(tmp_path / "report.md")]) == 2  # exists
    assert run(["export", "calc"]) == 2
    assert "--profile" in capsys.readouterr().err


def test_a_tier_not_counted_names_the_tier_counted_by_its_title(doc):
    result = result_on(doc, date(2024, 6, 30))
    tier = next(i for i in result.items if i.rule == "c14-sme-increment")
    words = report.reason(tier, Locale("simplified"))
    assert "(十四) 科技型中小企业规模: 研发投入1亿元以上直接补助" in words and "c14-" not in words


def test_the_report_table_adds_a_number_column_and_says_why_an_item_is_not_counted(doc):
    loc = Locale("simplified")
    result = result_on(doc, date(2024, 6, 30))
    rows = {r["title"]: r for r in report.report_rows(result, loc)}
    booth = rows["2024年一季度国际专业展会展位费补助"]
    assert booth["figure"] == "70" and booth["counted"] == "否" and "不计入合计" in booth["valid"]
    headings = [h for _, h in report.report_columns(loc)]
    assert "金额(万元)" in headings
    english = dict(report.report_columns(Locale(lang="en")))
    assert english["figure"] == "Amount (yuan)"
    booths = [r for r in report.report_rows(result, Locale(lang="en")) if r["title"].endswith("展位費補助")]
    assert [r["figure"] for r in booths] == ["700000"]


def test_the_report_json_lists_what_applies_first(doc):
    data = report.report_json(result_on(doc, date(2024, 6, 30)), about(doc), Locale("simplified"))
    ranks = [STATUS_ORDER.index(i["status"]) for i in data["items"]]
    assert ranks == sorted(ranks) and data["items"][0]["status"] == APPLIES


def test_a_report_made_after_the_package_expired_says_so(doc):
    loc = Locale("simplified")
    text = report.report_page(result_on(doc, date(2024, 6, 30)), about(doc), loc).markdown(level=1)
    assert "计算日在有效期内; 已于 2024-12-31 失效" in text
    made_in_force = report.ReportFacts(validate_profile(FIRM), "x", made=datetime(2024, 7, 1, 9, 0))
    text = report.report_page(result_on(doc, date(2024, 6, 30)), made_in_force, loc).markdown(level=1)
    assert "失效" not in text.split("\n", 5)[3]


def test_calc_facts_lists_every_key_a_profile_may_hold(capsys):
    assert run(["calc", "--facts", "--json", "--script", "simplified"]) == 0
    facts = json.loads(capsys.readouterr().out)["facts"]
    assert [f["key"] for f in facts] == list(FACTS)
    award = next(f for f in facts if f["key"] == "sci_award")
    assert award["choices"]["national_first"].startswith("国家技术发明奖")
    assert run(["calc", "--facts"]) == 0
    out = capsys.readouterr().out
    assert "rd_spend" in out and "年度研發投入額" in out


def test_profiles_remove_says_it_removed(capsys):
    UserData(data_dir() / "user.sqlite3").save_profile("甲", {"rd_spend": Decimal(1)})
    assert run(["profiles", "remove", "甲", "--script", "simplified"]) == 0
    assert "已删除方案" in capsys.readouterr().err


def test_the_users_data_folder_is_private_when_made():
    UserData(data_dir() / "user.sqlite3").save_profile("甲", {"rd_spend": Decimal(1)})
    assert data_dir().stat().st_mode & 0o077 == 0
