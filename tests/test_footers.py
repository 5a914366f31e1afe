"""The overview's and the calculator's footers at 80 columns: every key shown is whole, in
Traditional, Simplified and English, in every state of the screen (each view, the filter,
the form and the results)."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.widgets._footer import FooterKey  # Textual's footer key (no public name)

from hzpolicy.core.userdata import UserData
from hzpolicy.screens.calculator import CalculatorScreen
from hzpolicy.screens.insights import InsightsScreen
from hzpolicy.widgets.footer import LocalFooter

from .conftest import make_app
from .test_reading import screen_lines

INTERFACES = [("traditional", "zh"), ("simplified", "zh"), ("traditional", "en")]
WIDTH, HEIGHT = 80, 24


def start(doc, tmp_path, script: str, lang: str):
    """The app as a reader left it: the script and language saved in the user data."""
    user = UserData(tmp_path / "user.sqlite3")
    assert user.set("script", script) is None
    assert user.set("lang", lang) is None
    return make_app(doc, tmp_path)


def footer_problems(app, state: str) -> list[str]:
    """What is wrong with the footer as drawn: a key past the right edge, two keys drawn over
    each other, or a key's words not whole on the footer row of the screenshot."""
    keys = [key for key in app.screen.query_one(LocalFooter).query(FooterKey) if key.display]
    assert keys, f"{state}: no keys in the footer"
    row = screen_lines(app)[-1]
    problems = []
    for key in keys:
        words = f"{key.key_display} {key.description}"  # compact: the key, a space, its words
        region = key.region
        if region.right > WIDTH:
            problems.append(f"{state}: {words!r} ends at column {region.right}, past {WIDTH}")
        if region.width < cell_len(words):
            problems.append(f"{state}: {words!r} is given {region.width} cells")
        if words not in row:
            problems.append(f"{state}: {words!r} is not whole in the footer {row!r}")
        problems.extend(
            f"{state}: {words!r} is drawn under {other.key_display} {other.description}"
            for other in keys
            if other is not key and other.region.overlaps(region) and region.x <= other.region.x
        )
    return problems


@pytest.mark.parametrize(("script", "lang"), INTERFACES, ids=lambda v: v)
async def test_the_overviews_footer_is_whole_at_80_columns(doc, tmp_path, script, lang):
    app = start(doc, tmp_path, script, lang)
    problems = []
    async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, InsightsScreen) and app.lang == lang
        for view in "1234":
            await pilot.press(view)
            await pilot.pause()
            problems += footer_problems(app, f"view {view}")
        await pilot.press("2", "slash")  # the money filter, where Ctrl+O sorts
        await pilot.pause()
        problems += footer_problems(app, "the money filter")
        shown = [key.key_display for key in app.screen.query(FooterKey)]
        assert "Esc" in shown and "/" in shown and "F1" in shown, shown  # what a reader needs here
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("script", "lang"), INTERFACES, ids=lambda v: v)
async def test_the_calculators_footer_is_whole_at_80_columns(doc, tmp_path, script, lang):
    app = start(doc, tmp_path, script, lang)
    problems = []
    async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, CalculatorScreen) and app.lang == lang
        problems += footer_problems(app, "a field")
        app.screen.query_one("#calc-list").focus()
        await pilot.pause()
        problems += footer_problems(app, "the results")
        app.screen.query_one("#profile-name").focus()
        await pilot.pause()
        problems += footer_problems(app, "the profile name")
        shown = [key.key_display for key in app.screen.query(FooterKey)]
        assert "Esc" in shown and "^s" in shown and "^e" in shown and "F3" in shown and "F1" in shown, shown
    assert not problems, "\n".join(problems)
