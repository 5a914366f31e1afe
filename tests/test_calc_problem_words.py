"""The calculator form words each refused value from its error code, not its message."""

from __future__ import annotations

from datetime import date

from hzpolicy.screens.calculator import CalculatorScreen

from . import conftest
from .test_calc_ui import _fill


async def test_counts_out_of_range_and_a_negative_amount(doc, tmp_path):
    app = conftest.make_app(doc, tmp_path, date(2024, 6, 30))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")
        screen = app.screen
        assert isinstance(screen, CalculatorScreen)
        await _fill(pilot, screen, hq_star_rating="7", incubated_hitech_count="100001", rd_spend="-1")
        assert screen.errors == {
            "hq_star_rating": "須在 0 到 5 之間",
            "incubated_hitech_count": "須在 0 到 100000 之間",
            "rd_spend": "不能為負數",
        }
