"""The calculator form words each refused value from its error code, not its message, in the
reader's language and script."""

from __future__ import annotations

from datetime import date

import pytest

from hzpolicy.screens.calculator import CalculatorScreen

from . import conftest
from .test_calc_ui import _fill

WORDS = {
    ("traditional", "zh"): ("須在 0 到 5 之間", "須在 0 到 100000 之間", "不能為負數", "不是數字: '1-2'"),
    ("simplified", "zh"): ("须在 0 到 5 之间", "须在 0 到 100000 之间", "不能为负数", "不是数字: '1-2'"),
    ("simplified", "en"): (
        "must be between 0 and 5",
        "must be between 0 and 100000",
        "must not be negative",
        "not a number: '1-2'",
    ),
}


@pytest.mark.parametrize(("script", "lang"), list(WORDS))
async def test_counts_out_of_range_a_negative_amount_and_not_a_number(doc, tmp_path, script, lang):
    app = conftest.make_app(doc, tmp_path, date(2024, 6, 30))
    app.script, app.lang = script, lang
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")
        screen = app.screen
        assert isinstance(screen, CalculatorScreen)
        await _fill(pilot, screen, hq_star_rating="7", incubated_hitech_count="100001", rd_spend="-1", revenue="1-2")
        stars, count, negative, not_a_number = WORDS[script, lang]
        assert screen.errors == {
            "hq_star_rating": stars,
            "incubated_hitech_count": count,
            "rd_spend": negative,
            "revenue": not_a_number,
        }
        for fact, message in screen.errors.items():
            line = screen.query_one(f"#e-{fact}")
            assert line.display and message in str(line.render())


# --- money in the reader's unit: 萬元 in Chinese, yuan in English -------------------------------------

PROFILE = {"tech_sme_scale": True, "rd_spend": 234.56, "rd_spend_prev": 0, "revenue": 1000}


def _rd_increase_item(doc):
    from decimal import Decimal

    from hzpolicy.core.calculator import evaluate

    profile = {k: Decimal(str(v)) if isinstance(v, float) else v for k, v in PROFILE.items()}
    result = evaluate(list(doc.rules), profile, date(2024, 6, 30), doc)
    item = next(i for i in result.items if i.clause == 14 and i.status == "applies" and i.kind != "priority")
    return result, item


@pytest.mark.parametrize(
    ("script", "lang", "amount", "working"),
    [
        (
            "traditional",
            "en",
            "up to 117,280 yuan",
            "2,345,600 x 5% = 117,280 yuan (ceiling 2,000,000 yuan)",
        ),
        (
            "simplified",
            "en",
            "up to 117,280 yuan",
            "2,345,600 x 5% = 117,280 yuan (ceiling 2,000,000 yuan)",
        ),
        (
            "simplified",
            "zh",
            "最高可得 11.728 万元",
            "234.56 x 5% = 11.728 万元 (上限 200 万元)",
        ),
        (
            "traditional",
            "zh",
            "最高可得 11.728 萬元",
            "234.56 x 5% = 11.728 萬元 (上限 200 萬元)",
        ),
    ],
)
def test_calculator_amounts_read_in_the_readers_unit(doc, script, lang, amount, working):
    from hzpolicy.core import report
    from hzpolicy.core.i18n import Locale

    loc = Locale(script, lang)
    result, item = _rd_increase_item(doc)
    assert report.amount_text(item, loc) == amount
    assert report.working(item, loc) == working
    total = report.total_line(result, loc)
    assert total.endswith(amount), total  # the only amount: the other item is a priority
    if lang == "en":
        assert "2,345,600 yuan meets" in report.reason(item, loc)
        record = next(
            r for r in report.report_json(result, report.ReportFacts({}), loc)["items"] if r["rule"] == item.rule
        )
        assert (record["amount_text"], record["formula"]) == (amount, working)
        assert record["amount_wan"] == "11.728"  # the data keeps its unit, named by its key


def test_english_calc_on_the_command_line_counts_in_yuan(capsys, tmp_path):
    import json

    import opencc

    from hzpolicy.__main__ import run

    path = tmp_path / "p.json"
    path.write_text(json.dumps(PROFILE), encoding="utf-8")
    assert run(["calc", str(path), "--lang", "en", "--date", "2024-06-30", "--script", "simplified"]) == 0
    out = capsys.readouterr().out
    assert "10k yuan" not in out and opencc.OpenCC("t2s").convert(out) == out  # nothing in Traditional
    assert "up to 117,280 yuan" in out and "(ceiling 2,000,000 yuan)" in out
    assert "\nTotal (cash and matching funds, which add up): up to 117,280 yuan\n" in out
