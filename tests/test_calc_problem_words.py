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
