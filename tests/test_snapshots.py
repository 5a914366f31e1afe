"""Snapshots of the screens a reader sees, at fixed sizes (Textual and Rich are pinned).

Review a changed snapshot before accepting it: `pytest --snapshot-update`."""

from __future__ import annotations

import pytest

from hzpolicy.app import build_app
from hzpolicy.core.userdata import UserData

from .conftest import TODAY

# A laptop's terminal, small and roomy.
LAPTOP = pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=lambda s: f"{s[0]}x{s[1]}")
# The laptop's terminal only, where the roomy one shows nothing the other screens do not.
SMALL = pytest.mark.parametrize("size", [(80, 24)], ids=lambda s: f"{s[0]}x{s[1]}")
# The tree: the document, then each domain and its clauses. Clause 14 is the 17th line:
# the document, domain 1, clauses 1-8, domain 2, clauses 9-14.
TO_CLAUSE_14 = ["down"] * 16


def _app(doc, tmp_path, script="traditional", lang="zh"):
    """The app as a reader left it: the script and language saved (what a restart reads)."""
    user = UserData(tmp_path / "user.sqlite3")
    assert user.set("script", script) is None
    assert user.set("lang", lang) is None
    return build_app(doc, user=user, today=TODAY)


def test_main_screen(snap_compare, doc, tmp_path):
    """The first clause (the document's line, the first domain's, then the clause)."""
    assert snap_compare(_app(doc, tmp_path), terminal_size=(80, 24), press=["down", "down"])


@LAPTOP
def test_document_page(snap_compare, doc, tmp_path, size):
    """What the app opens on: the document's page (title, source, validity, 490億元, 前言,
    the domains, 結語)."""
    assert snap_compare(_app(doc, tmp_path), terminal_size=size)


@SMALL
def test_domain_page(snap_compare, doc, tmp_path, size):
    """A domain's page: its leads, budget, introduction, targets and clauses."""
    assert snap_compare(_app(doc, tmp_path), terminal_size=size, press=["down"])


@LAPTOP
def test_clause_14(snap_compare, doc, tmp_path, size):
    assert snap_compare(_app(doc, tmp_path), terminal_size=size, press=TO_CLAUSE_14)


@SMALL
def test_clause_14_simplified_after_a_restart(snap_compare, doc, tmp_path, size):
    assert snap_compare(_app(doc, tmp_path, script="simplified"), terminal_size=size, press=TO_CLAUSE_14)


@SMALL
def test_search_preview(snap_compare, doc, tmp_path, size):
    """The second result highlighted: the pane previews it, its matches marked."""
    press = ["slash", *"研发 补助", "down", "down"]
    assert snap_compare(_app(doc, tmp_path), terminal_size=size, press=press)


@SMALL
def test_english_interface(snap_compare, doc, tmp_path, size):
    assert snap_compare(_app(doc, tmp_path, lang="en"), terminal_size=size)


def test_search(snap_compare, doc, tmp_path):
    assert snap_compare(_app(doc, tmp_path), terminal_size=(80, 24), press=["slash", *"高质量 发展"])


def test_search_opened_clause(snap_compare, doc, tmp_path):
    assert snap_compare(_app(doc, tmp_path), terminal_size=(80, 24), press=["slash", *"研发 补助", "enter", "n"])


def test_simplified_view(snap_compare, doc, tmp_path):
    assert snap_compare(_app(doc, tmp_path), terminal_size=(80, 24), press=["down", "down", "s"])


def test_narrow_terminal(snap_compare, doc, tmp_path):
    assert snap_compare(_app(doc, tmp_path), terminal_size=(40, 12), press=["f6"])


@LAPTOP
def test_calculator_results(snap_compare, doc, tmp_path, size):
    """A firm's figures on the expired package: the date is its last valid day (the banner
    says so), what applies comes first with its amount, the first-quarter expo aid is shown
    but not in the total."""
    from hzpolicy.widgets.choice import Choice

    app = build_app(doc, user=UserData(tmp_path / "user.sqlite3"), today=TODAY)

    async def fill(pilot):
        await pilot.press("f2")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#f-tech_sme_scale", Choice).value = True
        screen.query_one("#f-rd_spend").value = "1234.56"
        screen.query_one("#f-rd_spend_prev").value = "1000"
        screen.query_one("#f-key_software_first", Choice).value = True
        screen.query_one("#f-expo_booth_fee_q1").value = "100"
        await pilot.pause()
        screen.query_one("#calc-list").focus()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=fill)


def test_overview_agencies(snap_compare, doc, tmp_path):
    assert snap_compare(_app(doc, tmp_path), terminal_size=(100, 30), press=["ctrl+g"])


def test_overview_money(snap_compare, doc, tmp_path):
    assert snap_compare(_app(doc, tmp_path), terminal_size=(100, 30), press=["ctrl+g", "2", "slash", *"上限"])


def test_overview_budget(snap_compare, doc, tmp_path):
    assert snap_compare(_app(doc, tmp_path), terminal_size=(100, 40), press=["ctrl+g", "3"])


def test_bookmarked_clause_with_note(snap_compare, doc, tmp_path):
    user = UserData(tmp_path / "user.sqlite3")
    user.set_bookmark(14, True)
    user.set_note(14, "申報前核對研發投入台賬")
    app = build_app(doc, user=user, today=TODAY)
    assert snap_compare(app, terminal_size=(80, 24), press=["slash", *"14", "enter"])


def test_overview_targets(snap_compare, doc, tmp_path):
    assert snap_compare(_app(doc, tmp_path), terminal_size=(100, 30), press=["ctrl+g", "4"])


def test_comparison(snap_compare, doc, tmp_path, monkeypatch):
    """The README's screenshot: the shipped package against a 2025 edition made from it
    (tests/editions.py), on clause 14, whose threshold fell from 500萬元 to 300萬元."""
    from hzpolicy.core.library import Library

    from .editions import variant

    monkeypatch.setenv("HZPOLICY_DATA_DIR", str(tmp_path))
    source = tmp_path / "hangzhou-2025.txt"
    source.write_text(variant("edition_2025").new_text, encoding="utf-8")
    Library(tmp_path / "library").add(source, name="hangzhou-2025")

    async def on_clause_14(pilot):
        app = pilot.app
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        screen.query_one("#compare-rows").highlighted = next(i for i, r in enumerate(screen.rows, 1) if 14 in r.old)
        await pilot.pause()

    assert snap_compare(_app(doc, tmp_path), terminal_size=(120, 36), run_before=on_clause_14)
