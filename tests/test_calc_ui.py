"""Pilot tests of the calculator screen: typing, validation, results, jumping to the clause,
saved profiles; the screen kept between visits; its words in either script and in English,
and the command line's result in the same words."""

from __future__ import annotations

import json
import re
from datetime import date

import opencc
from textual.widgets import Button, Input, OptionList, Static

from hzpolicy.cli import format_result
from hzpolicy.core import report
from hzpolicy.core.calculator import STATUS_ORDER, evaluate
from hzpolicy.core.facts import DERIVED, FACTS, TOPICS
from hzpolicy.core.i18n import Locale
from hzpolicy.core.script import typeset
from hzpolicy.core.userdata import UserData
from hzpolicy.core.wrap import cell_width
from hzpolicy.screens.calculator import CalculatorScreen
from hzpolicy.widgets.choice import Choice
from hzpolicy.widgets.clause_view import ClauseView
from hzpolicy.widgets.prose import Prose

from . import conftest

IN_2024 = date(2024, 6, 30)
T2S = opencc.OpenCC("t2s")
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

# A profile that gives every status, and every kind of working and reason: rules that apply
# (exact, a ceiling that bites, a matching fund, a saved fee, per company, by category, a
# priority), need approval, do not apply (a condition failed, a tier not counted, a category
# not listed, nothing chosen) or need input; and one outside its own period (expo, Q1).
EVERY_KIND = {
    "hitech_investment_project": True,
    "high_reliability_power_fee": "100",
    "provincial_tech_center_subsidy": "100",
    "major_project_jiebang": True,
    "competitive_project_investment": "1000",
    "tech_sme_scale": True,
    "rd_spend": "12000",
    "rd_spend_prev": "10000",
    "revenue": "100000",
    "new_rd_hq": False,
    "hq_star_rating": "2",
    "sci_award": "national_second",
    "concept_center": "recognized",
    "maker_space_rating": "good",
    "incubator_stars": "3",
    "incubated_hitech_count": "2",
    "design_awards--if_gold": False,
    "manufacturer": True,
    "export_credit_premium": "1000",
    "expo_booth_fee_q1": "10",
}


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


async def _set(pilot, screen, **values):
    """Like _fill, without typing each figure key by key (for many fields at once)."""
    for name, value in values.items():
        screen.query_one(f"#f-{name}").value = value
    await pilot.pause()


def _profile(values: dict[str, object]) -> dict[str, object]:
    """EVERY_KIND as a profile for the engine (the form's per-item choices as a list)."""
    out = {k: v for k, v in values.items() if "--" not in k}
    out["design_awards"] = [k.split("--")[1] for k, v in values.items() if "--" in k and v]
    for name, value in out.items():
        if isinstance(value, str) and FACTS[name].type == "int":
            out[name] = int(value)
    return out


def _options(screen) -> list[tuple[str | None, str]]:
    """The result list as (id, text): group headings (disabled), the fold line, results."""
    box = screen.query_one("#calc-list", OptionList)
    return [(o.id, str(o.prompt)) for o in box.options]


def _result_line(screen, rule: str) -> str:
    return dict(_options(screen))[rule]


async def _screen_text(pilot, screen) -> str:
    """Every word the calculator shows: title, total, the table (headings and cells), each
    result's explanation (the cursor on each row in turn), and the form's labels, choices,
    placeholders and buttons."""
    # (the explanation before it is wrapped to the pane: the words, not where lines break)
    parts = [str(screen.query_one(f"#calc-{part}", Prose).content()) for part in ("title", "banner", "total")]
    box = screen.query_one("#calc-list", OptionList)
    if not screen.unfolded:  # the results that do not apply too
        box.highlighted = box.get_option_index("fold")
        box.action_select()
        await pilot.pause()
    for index, option in enumerate(box.options):
        parts.append(str(option.prompt))
        if not option.disabled:
            box.highlighted = index  # what the highlight message shows, without a frame for each
            screen._show_detail()
            parts.append(str(screen.query_one("#calc-detail", Prose).content()))
    form = screen.query_one("#calc-form")
    parts += [str(w.content) for w in form.query(Static) if not isinstance(w, Button)]
    parts += [str(b.label) for b in form.query(Button)]
    parts += [label for choice in form.query(Choice) for label, _ in choice.options]
    parts += [str(i.placeholder) for i in form.query(Input)]
    return "\n".join(parts)


def _document_words(doc) -> list[str]:
    """The document's and the rules file's own words the calculator shows (never translated),
    longest first: rule titles and quotes, approvals, condition words, fact labels and topics."""
    words: set[str] = set(TOPICS)
    for fact in FACTS.values():
        words |= {fact.label, *fact.choice_labels}
    words |= {label for _, label in DERIVED.values()}
    for rule in doc.rules:
        words |= {rule["title"], rule["quote"], typeset(rule["quote"]), rule.get("approval", "")}
        words |= {c.get("words", c.get("value", "")) for c in rule.get("conditions", [])}
    words.discard("")
    return sorted(words, key=len, reverse=True)


NUMERAL = re.compile(r"\([一二三四五六七八九十]+\)")  # a clause as the document numbers it: (十四)


def _without(text: str, words: list[str], loc: Locale) -> str:
    """``text`` without the document's words (in ``loc``'s script) and clause numerals."""
    for word in words:
        text = text.replace(loc.doc(word), "")
    return NUMERAL.sub("", text)


async def test_typing_figures_shows_results_with_the_working(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")
        screen = app.screen
        assert isinstance(screen, CalculatorScreen)
        await pilot.pause()
        assert app.focused.id == "f-rd_spend"  # ready for the first figure (not a yes/no Enter cycles)
        await _fill(pilot, screen, tech_sme_scale=True, rd_spend="1234.56", rd_spend_prev="1000")
        item = next(i for i in screen.result.items if i.rule == "c14-sme-increment")
        assert item.status == "applies" and str(item.amount) == "11.7280"
        assert "234.56 x 5% = 11.728 萬元" in item.formula  # ASCII x: the sign × is ambiguous-width
        total = str(screen.query_one("#calc-total").render())
        assert "11.728 萬元" in total and "最高可得" in total
        options = _options(screen)
        assert options[0] == ("group-applies", "適用 1")
        first = options[1][1]  # the first result: its clause, status and amount, then its name
        assert first.startswith("(十四) 適用  最高可得 11.728 萬元")
        assert "234.56 x 5% = 11.728" in first  # a wide list shows the working too
        assert first.splitlines()[1].strip() == "科技型中小企業規模: 研發投入新增額補助"


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
            "national_task_funds": "過大: 最多 100,000,000 (單位為萬元)",
        }
        error = screen.query_one("#e-revenue")
        assert error.display and "不能為負數" in str(error.render())
        assert not screen.query_one("#e-rd_spend").display
        assert screen.result.total == 200  # the valid figures still count
        assert "3 個欄位有誤, 未計入" in str(screen.query_one("#calc-total").render())
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


async def test_the_list_puts_what_applies_first_and_folds_what_does_not(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        screen = app.screen
        await _set(pilot, screen, **EVERY_KIND)
        ids = [i for i, _ in _options(screen)]
        groups = [i for i in ids if i.startswith("group-") or i == "fold"]
        assert groups == ["group-applies", "group-needs_approval", "group-needs_input", "fold"]
        assert not any(i.rule in ids for i in screen.result.items if i.status == "not_applicable")
        width = screen.query_one("#calc-list").scrollable_content_region.width
        for rule, text in _options(screen):
            assert all(cell_width(line) <= width for line in text.splitlines()), (rule, text)
            item = next((i for i in screen.result.items if i.rule == rule), None)
            if item is not None and item.status == "applies" and item.kind != "priority":
                assert report.amount_text(item, app.locale) in text  # the amount, at 80 columns
        box = screen.query_one("#calc-list", OptionList)
        box.focus()
        box.highlighted = box.get_option_index("fold")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.unfolded and app.screen is screen
        ids = [i for i, _ in _options(screen)]
        assert all(i.rule in ids for i in screen.result.items)
        assert ids.index("fold") < ids.index(next(i.rule for i in screen.result.items if i.status == "not_applicable"))


async def test_selecting_a_result_opens_its_clause_with_the_sentence_marked(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")
        screen = app.screen
        await _fill(pilot, screen, key_software_first=True)
        screen.query_one("#calc-list").focus()
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
        screen.query_one("#calc-list").focus()
        await pilot.press("ctrl+o")
        await pilot.pause()
        view = app.screen.query_one(ClauseView)
        ((start, end),) = view.matches
        assert doc.clause(36).body_simplified[start:end] == "对首次入选的软件企业给予200万元一次性奖励"


async def test_the_screen_is_built_once_and_catches_up_with_the_script(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")
        first = app.screen
        await _fill(pilot, first, rd_spend="1500.5", key_software_first=True)
        assert "補助計算器" in str(first.query_one("#calc-title").render())
        await pilot.press("escape")
        await pilot.pause()
        app.toggle_script()
        await pilot.press("f2")
        await pilot.pause()
        assert app.screen is first  # the same screen, not composed again
        assert first.query_one("#f-rd_spend", Input).value == "1500.5"
        assert first.query_one("#f-key_software_first", Choice).value is True
        assert "补助计算器" in str(first.query_one("#calc-title").render())
        assert str(first.query_one("#l-rd_spend", Static).content) == "年度研发投入额 (第14,15条) [万元]"
        assert _result_line(first, "c36-key-software").startswith("(三十六) 适用  200 万元")
        assert str(first.query_one("#calc-total").render()).startswith(
            "合计 (可叠加的现金与配套资金): 最高可得 200 万元"
        )
        # back again: the same screen once more, in Traditional
        await pilot.press("escape")
        await pilot.pause()
        app.toggle_script()
        await pilot.press("f2")
        await pilot.pause()
        assert app.screen is first and "補助計算器" in str(first.query_one("#calc-title").render())


async def test_switching_the_language_on_the_calculator_changes_its_words_at_once(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")
        screen = app.screen
        await _fill(pilot, screen, revenue="-5", key_software_first=True)
        app.action_toggle_language()
        await pilot.pause()
        assert app.screen is screen and screen.errors == {"revenue": "must not be negative"}
        assert "Subsidy calculator" in str(screen.query_one("#calc-title").render())
        assert str(screen.query_one("#l-revenue", Static).content) == "營業收入 (clause 14) [10k yuan]"
        assert screen.query_one("#f-key_software_first", Choice).render().plain == "< yes >"
        assert _options(screen)[0] == ("group-applies", "applies 1")
        assert _result_line(screen, "c36-key-software").startswith("(三十六) applies  2,000,000 yuan")


async def test_simplified_shows_no_traditional_only_character(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s", "f2")
        screen = app.screen
        await _set(pilot, screen, **EVERY_KIND)
        assert {i.status for i in screen.result.items} == set(STATUS_ORDER)
        assert any(i.capped for i in screen.result.items) and not all(i.in_force for i in screen.result.items)
        text = await _screen_text(pilot, screen)
        assert "补助计算器" in text and "最高可得" in text and "只适用一档" in text and "有效期" in text
        leaks = {ch for ch in text if T2S.convert(ch) != ch}
        assert not leaks, sorted(leaks)
        assert T2S.convert(text) == text


async def test_english_leaves_only_the_documents_words_in_chinese(doc, tmp_path):
    app = make_app(doc, tmp_path)
    app.lang = "en"
    async with app.run_test(size=(250, 40)) as pilot:  # wide: no line of the list is cut
        await pilot.press("f2")
        screen = app.screen
        await _set(pilot, screen, **EVERY_KIND)
        text = await _screen_text(pilot, screen)
        assert "Subsidy calculator" in text and "up to" in text and "not applicable" in text
        assert "Total (cash and matching funds, which add up): up to" in text
        rest = _without(text, _document_words(doc), app.locale)
        assert not HAN.findall(rest), sorted(set(HAN.findall(rest)))


async def test_english_profile_notices_and_problems(doc, tmp_path):
    app = make_app(doc, tmp_path)
    app.lang = "en"
    seen = conftest.record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")
        screen = app.screen
        await _fill(pilot, screen, revenue="-5", hq_star_rating="9")
        assert screen.errors == {"revenue": "must not be negative", "hq_star_rating": "must be between 0 and 5"}
        await pilot.press("ctrl+s")
        assert seen[-1] == ("Type a profile name first", "warning")
        screen.query_one("#profile-name", Input).value = "A Ltd"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert seen[-1] == ('Saved profile "A Ltd"', "information")
        assert app.user.profile_names() == ["A Ltd"]


async def test_exporting_the_result_from_the_screen_in_simplified(doc, tmp_path):
    app = make_app(doc, tmp_path)
    seen = conftest.record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s", "f2")
        await _set(pilot, app.screen, key_software_first=True)
        await pilot.press("ctrl+e")
        await pilot.pause()
        target = tmp_path / "result.md"
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CalculatorScreen)
        assert seen[-1] == (f"已导出到 {target}", "information")
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# 补助测算报告\n")  # no profile saved: no name
    assert "方案: (未保存)" in text and "- 首次入选“国家鼓励的重点软件企业”: 是" in text  # the figures entered
    assert "## 适用 (1)" in text and "### (三十六) 首次入选“国家鼓励的重点软件企业”一次性奖励" in text
    assert "- 金额: 200 万元" in text and "- 依据: 「对首次入选的软件企业" in text
    assert "按最后有效日" not in text  # a date the reader set (2024-06-30) needs no reason
    assert T2S.convert(text) == text


async def test_the_report_from_the_screen_names_the_profile_and_why_the_date(doc, tmp_path):
    app = make_app(doc, tmp_path, today=date(2026, 11, 26))
    UserData(tmp_path / "user.sqlite3").save_profile("乙公司", {"key_software_first": True, "rd_spend": "12000"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        app.screen.open_profile("乙公司")
        await pilot.pause()
        await pilot.press("ctrl+e")
        await pilot.pause()
        path = app.screen.query_one("#export-path", Input).value
        assert "hzpolicy-calc-乙公司-" in path and path.endswith(".md")
        app.screen.query_one("#export-format").value = "html"
        await pilot.pause()
        target = tmp_path / "report.html"
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
    page = target.read_text(encoding="utf-8")
    assert "<h1>補助測算報告: 乙公司</h1>" in page and "2024-12-31 失效" in page
    assert "年度研發投入額" in page and "rd_spend" not in page


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


async def test_an_expired_package_is_calculated_on_its_last_day_and_says_why(doc, tmp_path):
    app = make_app(doc, tmp_path, today=date(2026, 11, 26))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#as-of", Input).value == "2024-12-31"
        assert "計算日期 2024-12-31" in str(screen.query_one("#calc-title").render())
        banner = screen.query_one("#calc-banner")
        assert banner.display and "2024-12-31 失效" in str(banner.render())
        # a date the reader types, in any common form: the banner goes; outside the period, a badge
        for typed, shown in (("2024/6/30", "2024-06-30"), ("2024年3月1日", "2024-03-01")):
            screen.query_one("#as-of", Input).value = typed
            await pilot.pause()
            assert screen.result.as_of.isoformat() == shown and not banner.display
            assert not screen.query_one("#e-as-of").display
        screen.query_one("#as-of", Input).value = "2025-01-01"
        await pilot.pause()
        assert "不在有效期內" in str(screen.query_one("#calc-title").render())
        screen.query_one("#as-of", Input).value = "2024-02-30"
        await pilot.pause()
        error = screen.query_one("#e-as-of")
        assert error.display and "2024-12-31" in str(error.render())  # what it is calculated for meanwhile
        assert screen.result.as_of == date(2024, 12, 31)


async def test_a_quarter_only_aid_dated_after_it_is_shown_but_not_counted(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "f2")
        screen = app.screen
        await _set(pilot, screen, expo_booth_fee_q1="100", key_software_first=True)
        assert screen.result.total == 200 and screen.result.left_out_total == 70
        total = str(screen.query_one("#calc-total").render())
        assert "最高可得 200 万元" in total and "未计入合计: 最高可得 70 万元" not in total
        assert "未计入合计: 70 万元" in total
        line = _result_line(screen, "c48-expo-booth")
        assert "最高可得 70 万元" in line and "[未计入]" in line


async def test_ctrl_e_exports_from_a_field_and_f3_opens_the_profiles(doc, tmp_path):
    from hzpolicy.screens.dialogs import ExportScreen
    from hzpolicy.screens.profiles import ProfilePickerScreen

    app = make_app(doc, tmp_path)
    UserData(tmp_path / "user.sqlite3").save_profile("甲公司", {"rd_spend": "1500.5", "key_software_first": True})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        assert app.focused.id == "f-rd_spend"
        await pilot.press("1", "ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("escape")
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#f-rd_spend", Input).value == "1"  # nothing typed was lost
        screen.query_one("#profile-name", Input).focus()
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("escape", "f3")
        await pilot.pause()
        assert isinstance(app.screen, ProfilePickerScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert screen.query_one("#f-rd_spend", Input).value == "1500.5"
        assert screen.query_one("#profile-name", Input).value == "甲公司" and screen.profile_label == "甲公司"
        assert screen.result.total == 200


async def test_full_width_digits_and_units_are_read_not_dropped(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")
        screen = app.screen
        # as an input method commits them (a whole string at once)
        await _set(pilot, screen, rd_spend="１２３４．５６", rd_spend_prev="0.1億")
        facts = screen.profile()
        assert str(facts["rd_spend"]) == "1234.56" and facts["rd_spend_prev"] == 1000
        await _set(pilot, screen, revenue="1e")
        assert screen.errors == {"revenue": "不是數字: '1e'"}


async def test_tiny_terminal_calculator(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("f2", "tab", "tab", "escape")
        await pilot.pause()
        assert not isinstance(app.screen, CalculatorScreen)


async def test_tab_goes_from_field_to_field_and_the_form_follows(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        screen = app.screen
        chain = screen.focus_chain
        others = [w.id for w in chain if not isinstance(w, (Input, Button, Choice))]
        # the results and their explanation; the form itself does not stop Tab
        assert others == ["calc-list", "calc-detail-scroll"]
        fields = [w for w in chain if w.id and w.id.startswith("f-")]
        assert app.focused is screen.query_one("#f-rd_spend")  # the first figure, not a yes/no
        fields[-2].focus()
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is fields[-1]
        form = screen.query_one("#calc-form")
        assert form.scroll_y > 0 and form.region.contains_region(app.focused.region)


# --- The same result on the command line and in an export -------------------------------------------


def test_command_line_result_in_simplified_has_no_traditional_character(doc):
    result = evaluate(list(doc.rules), _profile(EVERY_KIND), IN_2024, doc)
    text = format_result(result, Locale("simplified"))
    assert "== 适用 (" in text and "最高可得" in text and "依据: 「" in text and "计算日 2024-06-30 不在其内" in text
    total = report.total_line(result, Locale("simplified"))
    left_out = report.left_out_lines(result, Locale("simplified"))
    assert text.splitlines()[-1 - len(left_out)] == total and left_out  # the expo aid of Q1, dated June
    assert text.endswith("\n".join(f"    {line}" for line in left_out))
    assert T2S.convert(text) == text


def test_command_line_result_in_english_and_after_the_validity(doc):
    for script in ("traditional", "simplified"):
        loc = Locale(script, "en")
        result = evaluate(list(doc.rules), _profile(EVERY_KIND), IN_2024, doc)
        text = format_result(result, loc)
        assert "== applies (" in text and "== needs input (" in text and "Source: " in text
        rest = _without(text, [*_document_words(doc), doc.title], loc)
        assert not HAN.findall(rest), sorted(set(HAN.findall(rest)))
    late = evaluate(list(doc.rules), {"key_software_first": True}, date(2026, 11, 26), doc)
    assert "Note: on 2026-11-26 this policy is not in force" in format_result(late, Locale(lang="en"))
    assert "注意: 截至 2026-11-26 本政策不在有效期內" in format_result(late, Locale())


def test_the_report_speaks_the_readers_words(doc):
    result = evaluate(list(doc.rules), _profile(EVERY_KIND), IN_2024, doc)
    loc = Locale("simplified")
    about = report.ReportFacts(_profile(EVERY_KIND), "甲公司")
    md = report.render_report(result, about, "md", loc)
    assert "# 补助测算报告: 甲公司" in md and "- 金额: 200 万元" in md and "- 依据: 「" in md
    assert T2S.convert(md) == md
    data = json.loads(report.render_report(result, about, "json", loc))
    item = next(r for r in data["items"] if r["rule"] == "c14-sme-total")
    assert (item["status"], item["status_name"], item["amount_text"]) == ("applies", "适用", "200 万元")
    english = report.render_report(result, about, "md", Locale(lang="en"))
    assert "## Applies (" in english and "- Working: " in english and "- Source: " in english


async def test_saving_over_another_profile_asks_first(doc, tmp_path):
    from hzpolicy.screens.dialogs import ReplaceScreen

    UserData(tmp_path / "user.sqlite3").save_profile("甲公司", {"rd_spend": "12000"})  # another window's
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#profile-name", Input).value = "甲公司"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReplaceScreen)
        await pilot.press("enter")  # No has the focus
        await pilot.pause()
        assert app.screen is screen and app.user.load_profile("甲公司") == {"rd_spend": "12000"}
        await pilot.press("ctrl+s", "y")
        await pilot.pause()
        assert app.user.load_profile("甲公司") == {}  # replaced, as asked
        # the profile the figures came from (opened or saved here) is saved over without asking
        await _set(pilot, screen, rd_spend="8000")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen and app.user.load_profile("甲公司") == {"rd_spend": "8000"}


async def test_f4_switches_the_script_in_the_calculator_and_junk_is_named(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        screen = app.screen
        await pilot.press("f4")
        await pilot.pause()
        assert app.script == "simplified" and "补助计算器" in str(screen.query_one("#calc-title").render())
        await _set(pilot, screen, rd_spend="0.0000000000001", revenue="垃圾junk１２３" * 10)
        assert screen.errors["rd_spend"].startswith("不是可读的数字: '0.0000000000001'")
        assert screen.errors["revenue"].startswith("不是可读的数字: '垃圾junk１２３垃圾jun...'")  # cut, named


async def test_the_total_says_what_is_not_cash_and_a_tiny_terminal_says_it_is_too_small(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        screen = app.screen
        await _set(pilot, screen, container_truck_toll="50")
        assert "(四十五): 非現金, 不計入合計" in str(screen.query_one("#calc-total").render())
        assert not screen.query_one("#calc-too-small").display
        await pilot.resize_terminal(39, 11)
        await pilot.pause()
        notice = screen.query_one("#calc-too-small")
        assert notice.display and "39x11" in str(notice.render())


async def test_the_profile_buttons_fit_their_words_in_either_language(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        for _ in range(2):  # Chinese, then English, then Chinese again
            app.action_toggle_language()
            await pilot.pause()
            bar = app.screen.query_one(".profile-bar")
            for button in app.screen.query(".profile-bar Button").results(Button):
                assert button.region.width == cell_width(str(button.label)) + 2, str(button.label)
                assert bar.region.contains_region(button.region)


async def test_a_figure_typed_another_way_says_how_it_was_read(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "f2")
        await pilot.pause()
        screen = app.screen
        await _set(pilot, screen, rd_spend="１２０００", revenue="1.2亿", rd_spend_prev="5000")
        assert str(screen.query_one("#e-rd_spend").render()) == "读作 12000 万元"
        assert str(screen.query_one("#e-revenue").render()) == "读作 12000 万元"
        assert not screen.query_one("#e-rd_spend_prev").display  # plain digits need no echo
        await _set(pilot, screen, rd_spend="12000")
        assert not screen.query_one("#e-rd_spend").display
