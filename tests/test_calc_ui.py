"""Pilot tests of the calculator screen: typing, validation, results, jumping to the clause,
saved profiles."""

from __future__ import annotations

from datetime import date

from textual.widgets import DataTable, Input

from hzpolicy.screens.calculator import CalculatorScreen
from hzpolicy.widgets.choice import Choice
from hzpolicy.widgets.clause_view import ClauseView

from . import conftest

IN_2024 = date(2024, 6, 30)


def make_app(doc, tmp_path, today=IN_2024):
    return conftest.make_app(doc, tmp_path, today)


async def _fill(pilot, screen, **values):
    for name, value in values.items():
        widget = screen.query_one(f"#f-{name}")
        widget.focus()
        if isinstance(widget, Choice):
            widget.value = value
        else:
            widget.value = ""
            await pilot.press(*str(value))
    await pilot.pause()


async def test_typing_figures_shows_results_with_the_working(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")
        screen = app.screen
        assert isinstance(screen, CalculatorScreen)
        await pilot.pause()
        assert app.focused.id == "f-tech_sme_scale"  # ready for the first figure
        await _fill(pilot, screen, tech_sme_scale=True, rd_spend="1234.56", rd_spend_prev="1000")
        item = next(i for i in screen.result.items if i.rule == "c14-sme-increment")
        assert item.status == "applies" and str(item.amount) == "11.7280"
        assert "234.56 × 5% = 11.728" in item.formula
        total = str(screen.query_one("#calc-total").render())
        assert "11.728" in total and "最高可得" in total
        table = screen.query_one(DataTable)
        first_row = table.get_row_at(0)
        assert "(十四)" in str(first_row[0]) and "11.728" in str(first_row[3])


async def test_inline_validation_names_the_problem_and_keeps_the_rest(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")
        screen = app.screen
        await _fill(
            pilot,
            screen,
            key_software_first=True,
            revenue="-5",
            tech_insurance_premium="1..2",
            national_task_funds="999999999999",
        )
        assert screen.errors == {
            "revenue": "不能為負數",
            "tech_insurance_premium": "不是數字: '1..2'",
            "national_task_funds": "數額過大 (單位是萬元)",
        }
        error = screen.query_one("#e-revenue")
        assert error.display and "不能為負數" in str(error.render())
        assert not screen.query_one("#e-rd_spend").display
        assert screen.result.total == 200  # the valid figures still count
        screen.query_one("#as-of", Input).value = "2024-13-01"
        await pilot.pause()
        assert screen.query_one("#e-as-of").display
        # leaving and coming back loses nothing typed, valid or not
        await pilot.press("escape", "f2")
        await pilot.pause()
        again = app.screen
        assert again.query_one("#f-revenue", Input).value == "-5"
        assert again.query_one("#f-tech_insurance_premium", Input).value == "1..2"
        assert again.errors["revenue"] == "不能為負數"


async def test_selecting_a_result_opens_its_clause_with_the_sentence_marked(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")
        screen = app.screen
        await _fill(pilot, screen, key_software_first=True)
        screen.query_one(DataTable).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, CalculatorScreen)
        view = app.screen.query_one(ClauseView)
        assert view.clause == 36
        ((start, end),) = view.matches
        assert doc.clause(36).body[start:end] == "對首次入選的軟體企業給予200萬元一次性獎勵"
        # the figures are kept for the next visit
        await pilot.press("f2")
        assert app.screen.query_one("#f-key_software_first", Choice).value is True


async def test_simplified_calculator_and_marked_sentence(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s", "f2")
        screen = app.screen
        assert "补助计算器" in str(screen.query_one("#calc-title").render())
        await _fill(pilot, screen, key_software_first=True)
        screen.query_one(DataTable).focus()
        await pilot.press("ctrl+o")
        await pilot.pause()
        view = app.screen.query_one(ClauseView)
        ((start, end),) = view.matches
        assert doc.clause(36).body_simplified[start:end] == "对首次入选的软件企业给予200万元一次性奖励"


async def test_profiles_save_reopen_delete(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")
        screen = app.screen
        await _fill(pilot, screen, rd_spend="1500.5", manufacturer=False)
        await _fill(pilot, screen, **{"design_awards--if_gold": True})
        screen.query_one("#profile-name", Input).value = "甲公司"
        await pilot.press("ctrl+s")
        assert app.user.load_profile("甲公司") == {
            "rd_spend": "1500.5",
            "manufacturer": False,
            "design_awards": ["if_gold"],
        }
        await pilot.press("escape")
    again = make_app(doc, tmp_path)
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")
        screen = again.screen
        assert "甲公司" in str(screen.query_one("#profile-list").render())
        screen.query_one("#profile-name", Input).focus()
        screen.query_one("#profile-name", Input).value = "甲公司"
        await pilot.press("enter")
        await pilot.pause()
        assert screen.query_one("#f-rd_spend", Input).value == "1500.5"
        assert screen.query_one("#f-manufacturer", Choice).value is False
        assert screen.query_one("#f-design_awards--if_gold", Choice).value is True
        await pilot.click("#profile-delete")
        await pilot.pause()
        assert again.user.profile_names() == []


async def test_outside_the_validity_results_are_marked(doc, tmp_path):
    app = make_app(doc, tmp_path, today=date(2026, 11, 26))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")
        assert "不在有效期內" in str(app.screen.query_one("#calc-title").render())


async def test_tiny_terminal_calculator(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("f2", "tab", "tab", "escape")
        await pilot.pause()
        assert not isinstance(app.screen, CalculatorScreen)


async def test_tab_goes_from_field_to_field_and_the_form_follows(doc, tmp_path):
    from textual.widgets import Button

    app = make_app(doc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        screen = app.screen
        chain = screen.focus_chain
        others = [w.id for w in chain if not isinstance(w, (Input, Button, Choice, DataTable))]
        assert others == ["calc-detail-scroll"]  # the result's explanation scrolls; the form does not stop Tab
        fields = [w for w in chain if w.id and w.id.startswith("f-")]
        assert app.focused is fields[0]
        fields[-2].focus()
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is fields[-1]
        form = screen.query_one("#calc-form")
        assert form.scroll_y > 0 and form.region.contains_region(app.focused.region)
