"""The explorer reads right at laptop sizes (80x24 and 120x36), in both scripts: every clause's
own text starts on the first screen, the document's and the domains' pages say what they
should, search previews what is highlighted, a restart keeps the script from the first frame,
the footer names the main keys in the reader's words, and the focused pane is marked.

What is on screen is read from the app's own screenshot (``App.export_screenshot``), cell by
cell, so a check holds for what a reader sees, not only for what a widget holds."""

from __future__ import annotations

import html
import re

import pytest
from rich.cells import cell_len
from textual.widgets import Input, OptionList, Static

from hzpolicy.core.found import hit_heading
from hzpolicy.core.i18n import Locale
from hzpolicy.core.present import clause_heading, domain_heading
from hzpolicy.core.script import search_key, typeset
from hzpolicy.core.userdata import UserData
from hzpolicy.widgets.clause_tree import ClauseTree
from hzpolicy.widgets.clause_view import ClauseView

from .conftest import make_app

SIZES = [(80, 24), (120, 36)]
# Each script at one size, each size in one script: what depends on the width (wrapping,
# cutting) and what depends on the script (the words) are each tried, without every pair.
SIZE_AND_SCRIPT = pytest.mark.parametrize(
    ("size", "script"),
    [((80, 24), "simplified"), ((120, 36), "traditional")],
    ids=["80x24-simplified", "120x36-traditional"],
)
TITLE = {
    "traditional": "關於進一步推動經濟高品質發展的若干政策",
    "simplified": "关于进一步推动经济高质量发展的若干政策",
}
# The interface's words a reader expects on each page, per script (the catalogs' Chinese).
WORDS = {
    "traditional": {
        "preamble": "前言",
        "domains": "領域",
        "closing": "結語",
        "total": "490億元",
        "lead": "牽頭單位: ",
        "responsible": "責任單位: ",
        "intro": "導語",
        "targets": "目標",
        "clauses": "條文",
        "money": "金額與比例",
        "note": "我的筆記",
        "clause": "第{n}條",
        "valid": "有效期: 2024-01-01 ~ 2024-12-31",
        "published": "發佈: 2024-02-21",
    },
    "simplified": {
        "preamble": "前言",
        "domains": "领域",
        "closing": "结语",
        "total": "490亿元",
        "lead": "牵头单位: ",
        "responsible": "责任单位: ",
        "intro": "导语",
        "targets": "目标",
        "clauses": "条文",
        "money": "金额与比例",
        "note": "我的笔记",
        "clause": "第{n}条",
        "valid": "有效期: 2024-01-01 ~ 2024-12-31",
        "published": "发布: 2024-02-21",
    },
}
LONG_NOTE = "\n".join(["申報前核對研發投入台賬，並準備好近三年的審計報告與納稅證明。" * 4] * 6)

_SVG_TEXT = re.compile(
    r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="[\d.]+" clip-path="url\(#[^)]*-line-(\d+)\)">(.*?)</text>'
)
_SVG_CHAR_WIDTH = 20 * 0.61  # Rich's export_svg: font size 20, aspect ratio 0.61


def screen_lines(app) -> list[str]:
    """The screen as a reader sees it, one string a row, each piece of text at its column
    (a Han character takes two): read back from the app's SVG screenshot."""
    rows: dict[int, list[tuple[int, str]]] = {}
    for x, row, text in _SVG_TEXT.findall(app.export_screenshot()):
        rows.setdefault(int(row), []).append((round(float(x) / _SVG_CHAR_WIDTH), html.unescape(text)))
    lines = []
    for y in range(app.size.height):
        line = ""
        for column, text in sorted(rows.get(y, [])):
            line += " " * max(column - cell_len(line), 0) + text.replace("\xa0", " ")
        lines.append(line.rstrip())
    return lines


def from_column(line: str, column: int, width: int | None = None) -> str:
    """``line`` from the cell ``column`` on (a Han character is two cells), at most ``width``
    cells of it."""
    cells = 0
    for i, ch in enumerate(line):
        if cells >= column:
            rest = line[i:]
            break
        cells += cell_len(ch)
    else:
        return ""
    if width is None:
        return rest
    out, used = "", 0
    for ch in rest:
        used += cell_len(ch)
        if used > width:
            break
        out += ch
    return out


def start(doc, tmp_path, script="traditional", lang="zh"):
    """The app as a reader left it: the script and language saved in the user data."""
    user = UserData(tmp_path / "user.sqlite3")
    assert user.set("script", script) is None
    assert user.set("lang", lang) is None
    return make_app(doc, tmp_path)


def pane(app) -> tuple[ClauseView, list[str]]:
    view = app.screen.query_one(ClauseView)
    return view, [line.plain for line in view.lines_for(view.content_region.width)]


def visible_rows(app) -> int:
    """How many lines of the page the pane shows at once."""
    return app.screen.query_one("#detail-scroll").scrollable_content_region.height


def row_on_screen(app, line: int) -> int | None:
    """The screen row where the page's ``line`` is drawn, or None if it is scrolled out of view."""
    view = app.screen.query_one(ClauseView)
    region = app.screen.query_one("#detail-scroll").scrollable_content_region
    row = view.region.y + line  # the view's region moves up as the pane scrolls
    return row if region.y <= row < region.bottom else None


def joined(lines: list[str]) -> str:
    """A page's lines run together: Chinese wraps between any two characters."""
    return "".join(line.strip() for line in lines)


def index_of(lines: list[str], start: str) -> int:
    """The first line that starts with ``start``."""
    found = [i for i, line in enumerate(lines) if line.startswith(start)]
    assert found, f"no line starts with {start!r}:\n" + "\n".join(lines)
    return found[0]


def line_of(lines: list[str], text: str) -> int:
    """The line where ``text`` starts, though it may run on over line ends."""
    whole = joined(lines)
    at = whole.find(text)
    assert at >= 0, f"{text!r} is not on the page:\n" + "\n".join(lines)
    for i, line in enumerate(lines):
        at -= len(line.strip())
        if at < 0:
            return i
    raise AssertionError("unreachable")


# --- (a) + (b): every page of the tree ------------------------------------------------------


def check_document(app, doc, script: str) -> None:
    words = WORDS[script]
    view, lines = pane(app)
    assert view.target == ("document", 0)
    text = joined(lines)
    assert lines[0] == TITLE[script]
    for expected in (words["published"], words["valid"], words["total"]):
        assert any(expected in line for line in lines), f"{expected} not on the document page:\n" + "\n".join(lines)
    total_row = line_of(lines, words["total"])
    assert row_on_screen(app, total_row) is not None, "the total is not on the first screen"
    for section in ("preamble", "domains", "closing"):
        assert words[section] in lines, f"no section {words[section]} on the document page"
    assert index_of(lines, words["preamble"]) < index_of(lines, words["domains"]) < index_of(lines, words["closing"])
    assert joined(typeset(doc.preamble_in(script)).splitlines())[:30] in text
    for para in doc.closing_in(script):
        assert joined(typeset(para).splitlines())[:20] in text
    loc = Locale(script, "zh")
    for d in doc.domains:
        assert domain_heading(d, loc) in text
        if d.budget:
            assert loc.doc(d.budget["text"]) in text


def check_domain(app, doc, script: str, number: int) -> None:
    words = WORDS[script]
    loc = Locale(script, "zh")
    d = doc.domains[number - 1]
    view, lines = pane(app)
    assert view.target == ("domain", number)
    text = joined(lines)
    assert text.startswith(domain_heading(d, loc)), lines[:2]
    leads = "、".join(d.lead_agencies_in(script))
    if leads:
        row = index_of(lines, words["lead"])
        assert row_on_screen(app, row) is not None, f"domain {number}: its leads are not on the first screen"
        assert (words["lead"] + leads).replace(" ", "") in text.replace(" ", "")
    if d.budget:
        amount = loc.doc(d.budget["text"])
        row = line_of(lines, amount)
        assert row_on_screen(app, row) is not None, f"domain {number}: its budget is not on the first screen"
    if d.intro_in(script).strip():
        assert words["intro"] in lines
        assert joined(typeset(d.intro_in(script)).splitlines())[:20] in text
    if d.targets_in(script):
        assert words["targets"] in lines
        for target in d.targets_in(script):
            assert typeset(target).replace(" ", "") in text.replace(" ", "")
    assert words["clauses"] in lines
    for n in d.clause_numbers:
        heading = clause_heading(doc.require(n), loc)
        assert heading.replace(" ", "") in text.replace(" ", ""), f"domain {number} does not list {heading}"


def check_clause(app, doc, script: str, number: int, noted: bool) -> int:
    """The clause's page in order, its own text starting on the first screen; returns the
    line its text starts on."""
    words = WORDS[script]
    loc = Locale(script, "zh")
    c = doc.require(number)
    view, lines = pane(app)
    what = f"clause {number} ({script}{', with a note' if noted else ''})"
    assert view.target == ("clause", number), what
    assert app.screen.query_one("#detail-scroll").scroll_y == 0, f"{what} did not open at its top"
    heading = clause_heading(c, loc)
    title = ("* " if noted else "") + heading  # a star before a bookmarked clause's heading
    assert joined(lines).replace(" ", "").startswith(title.replace(" ", "")), f"{what}: {lines[:3]}"
    first = view.body_first_line
    body = typeset(c.body_in(script))
    assert lines[first] and body.startswith(lines[first]), f"{what}: line {first} is not its text: {lines[first]!r}"
    # Heading, where it stands, validity, then the text; the agencies and the figures after it.
    place = index_of(lines, words["clause"].format(n=number))
    valid = index_of(lines, words["valid"])
    agencies = line_of(lines, words["responsible"].strip())
    if doc.domain_of(c).lead_agencies:
        agencies = line_of(lines, words["lead"].strip())  # both on one line, the leads first
    assert place < valid < first < agencies, what
    if c.money or c.percentages:
        assert agencies < lines.index(words["money"]), what
    if noted:
        assert first < lines.index(words["note"]) < agencies, what
    # What the task is about: the text's first line is within the pane's height, on screen.
    assert first < visible_rows(app), f"{what}: its text starts on line {first} of {visible_rows(app)}"
    assert row_on_screen(app, first) is not None, f"{what}: its first line is not on screen"
    return first


# A note and a star lengthen a clause's header: checked on the clauses whose headers are
# longest anyway (long titles, many agencies), and a few others (each note is a saved write).
NOTED = {1, 7, 14, 26, 48, 49, 55, 58, 60, 76}
KEYED = 12  # pages reached with the Down key; the rest are shown directly, and checked the same


@SIZE_AND_SCRIPT
async def test_every_page_reads_from_its_first_screen(doc, tmp_path, size, script):
    """Down the whole tree: the document, each domain, every clause (once as it is, once with
    a long note and a star), each opening at its top even when the one before was scrolled."""
    app = start(doc, tmp_path, script)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.screen
        scroll = screen.query_one("#detail-scroll")
        check_document(app, doc, script)
        seen = {"domain": 0, "clause": 0}
        worst = (0, 0)  # (the line a clause's text starts on, the clause)
        pages = [t for d in doc.domains for t in [("domain", d.number)] + [("clause", n) for n in d.clause_numbers]]
        for step, target in enumerate(pages):
            scroll.scroll_end(animate=False)  # the reader had read down the page before
            if step < KEYED:  # the way a reader goes: a key, and what the tree posts
                await pilot.press("down")
                await pilot.pause()
            else:  # the same page the same way, without a frame drawn for each (speed)
                screen.show_target(target)
            kind, number = screen.query_one(ClauseView).target
            assert (kind, number) == target
            seen[kind] += 1
            if kind == "domain":
                check_domain(app, doc, script, number)
                continue
            assert kind == "clause"
            first = check_clause(app, doc, script, number, noted=False)
            worst = max(worst, (first, number))
            if number in NOTED:
                assert app.user.set_note(number, LONG_NOTE) is None
                assert app.user.set_bookmark(number, True) is None
                screen.reload_user_data()  # the page's lines follow at once; its place is as it was
                worst = max(worst, (check_clause(app, doc, script, number, noted=True), number))
        assert seen == {"domain": len(doc.domains), "clause": len(doc.clauses)}

        # The clause whose text starts lowest, read off the screen itself.
        first, number = worst
        screen.show_clause(number)
        await pilot.pause()
        view, lines = pane(app)
        row = row_on_screen(app, first)
        assert row is not None
        drawn = from_column(screen_lines(app)[row], view.content_region.x)
        assert drawn.rstrip().startswith(lines[first]), f"clause {number}: row {row} shows {drawn!r}"


# --- (c) + (d): search previews, opens, steps back ------------------------------------------


def marked(view: ClauseView) -> set[str]:
    """The pieces of text drawn reversed (search matches) in the pane, line by line (a
    match may run over a line end)."""
    out = set()
    for line in view.lines_for(view.content_region.width):
        for span in line.spans:
            style = span.style
            if not isinstance(style, str) and style.reverse:
                out.add(line.plain[span.start : span.end])
    return out


def marks_are(view: ClauseView, pieces: set[str], marks: tuple[str, ...] = ()) -> bool:
    """Something is marked, whole pieces of the query among it, and nothing else but words
    that count as them (``marks``: search keys, the thesaurus words of the query's words)."""
    seen = marked(view)
    words = re.compile(
        "(?:" + "|".join(map(re.escape, sorted({*marks, *map(search_key, pieces)}, key=len)[::-1])) + ")+"
    )
    keys = {*marks, *map(search_key, pieces)}  # a match cut by a line end: a part of one
    return bool(seen & pieces) and all(words.fullmatch(k) or any(k in w for w in keys) for k in map(search_key, seen))


@SIZE_AND_SCRIPT
async def test_search_previews_opens_and_steps_back(doc, tmp_path, size, script):
    query = "研发 补助"
    pieces = {"traditional": {"研發", "補助"}, "simplified": {"研发", "补助"}}[script]
    loc = Locale(script, "zh")
    app = start(doc, tmp_path, script)
    async with app.run_test(size=size) as pilot:
        screen = app.screen
        search = screen.query_one("#search", Input)
        results = screen.query_one("#results", OptionList)
        view = screen.query_one(ClauseView)
        await pilot.press("slash", *query)
        await pilot.pause()
        hits = screen.results.hits
        assert results.display and len(hits) >= 3
        # The first result is previewed at once, its matches marked; the focus stays in the box.
        assert view.target == ("clause", hits[0].clause)
        assert view.matches and marks_are(view, pieces, screen.results.marks)
        assert app.focused is search
        await pilot.press("down")  # into the list
        assert app.focused is results
        for i in (1, 2):
            await pilot.press("down")
            await pilot.pause()
            assert results.highlighted == i
            number = hits[i].clause
            assert view.target == ("clause", number), f"the pane does not preview result {i}"
            assert view.matches and marks_are(view, pieces, screen.results.marks)
            assert app.focused is results  # a preview, not an opening
            heading = clause_heading(doc.require(number), loc)
            top = screen.query_one("#detail-scroll").scrollable_content_region.y
            shown = from_column(screen_lines(app)[top], view.content_region.x)
            assert shown.startswith(heading[: len(heading) // 2]), f"the pane shows {shown!r}, not {heading}"
        # Enter opens the highlighted result: the focus goes to the pane.
        await pilot.press("enter")
        await pilot.pause()
        assert view.target == ("clause", hits[2].clause)
        assert app.focused is screen.query_one("#detail-scroll")
        # Esc: back to the list, the query and the results as they were.
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is results and results.display
        assert search.value == query and results.highlighted == 2
        assert len(screen.results.hits) == len(hits)
        assert not screen.query_one(ClauseTree).display
        # Esc again: the search is left for the tree, on the clause that was open.
        await pilot.press("escape")
        await pilot.pause()
        tree = screen.query_one(ClauseTree)
        assert app.focused is tree and tree.display and not results.display
        assert search.value == ""
        assert tree.cursor_node is not None and tree.cursor_node.data == ("clause", hits[2].clause)
        # `/` with the box empty brings the last query and its results back.
        await pilot.press("slash")
        await pilot.pause()
        assert app.focused is search and search.value == query
        assert results.display and results.option_count == len(hits)
        count = str(screen.query_one("#count", Static).render())
        assert str(len(hits)) in count


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_many_results_read_one_heading_and_one_snippet_each(doc, tmp_path, size):
    """More results than the list holds (it scrolls): each still reads as its number and
    title on one line, its snippet on the next and why it matched on the third, the
    scrollbar beside them."""
    app = start(doc, tmp_path)
    async with app.run_test(size=size) as pilot:
        await pilot.press("slash", *"高质量 发展")
        await pilot.pause()
        results = app.screen.query_one("#results", OptionList)
        hits = app.screen.results.hits
        area = results.scrollable_content_region
        assert len(hits) * 3 > area.height, "the list should need to scroll here"
        rows = screen_lines(app)
        loc = Locale()
        for i, hit in enumerate(hits[: area.height // 3]):
            heading = hit_heading(doc, hit, loc)
            head = from_column(rows[area.y + 3 * i], area.x, area.width)
            assert head.startswith(heading[:5]), f"result {i} heading reads {head!r}, not {heading}"
            snippet = from_column(rows[area.y + 3 * i + 1], area.x, area.width)
            assert snippet and not snippet.startswith("("), f"result {i} snippet reads {snippet!r}"
            why = from_column(rows[area.y + 3 * i + 2], area.x, area.width)
            assert why.startswith(("條文 | ", "領域 | ", "前言 | ", "結語 | ")), f"result {i} why reads {why!r}"


# --- (e): a restart in Simplified -----------------------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_a_restart_in_simplified_shows_simplified_from_the_first_frame(doc, tmp_path, size):
    first = make_app(doc, tmp_path)
    async with first.run_test(size=size) as pilot:
        await pilot.press("f4")
        assert first.script == "simplified"
    again = make_app(doc, tmp_path)  # the same user data: the script was saved
    async with again.run_test(size=size):
        # No pause, no key: what the first frame shows.
        rows = screen_lines(again)
        screen = "\n".join(rows)
        assert TITLE["simplified"] in rows[0], rows[0]  # the title bar
        sidebar = again.screen.query_one("#sidebar").region
        tree = "\n".join(from_column(row, sidebar.x, sidebar.width) for row in rows[sidebar.y : sidebar.bottom])
        assert "《关于进一步推动经济高质量" in tree and "一、扩大有效投资政策" in tree, tree
        assert "(一) 发挥省市重大建设项" in tree, tree
        view = again.screen.query_one(ClauseView)
        body = "\n".join(from_column(row, view.content_region.x) for row in rows[1:-1])
        assert TITLE["simplified"] in body and "前言" in body and "领域" in body, body
        assert "推动高质量发展" in body.replace("\n", "")  # the preamble, in Simplified
        for traditional in (TITLE["traditional"], "《關於", "擴大有效投資", "發揮省市", "領域", "搜尋"):
            assert traditional not in screen, f"{traditional} on the first Simplified screen:\n{screen}"


# --- (f): the footer at 80 columns ----------------------------------------------------------

FOOTER = {
    ("traditional", "zh"): [
        "/ 搜尋",
        "F4 繁/簡",
        "F7 書籤",
        "F9 筆記",
        "^e 匯出",
        "F2 補助計算器",
        "F1 說明",
        "^q 離開",
    ],
    ("simplified", "zh"): [
        "/ 搜索",
        "F4 繁/简",
        "F7 书签",
        "F9 笔记",
        "^e 导出",
        "F2 补助计算器",
        "F1 帮助",
        "^q 退出",
    ],
    ("traditional", "en"): [
        "/ Search",
        "F4 Script",
        "F7 Bookmark",
        "F9 Note",
        "^e Export",
        "F2 Calculator",
        "F1 Help",
        "^q Quit",
    ],
}


@pytest.mark.parametrize(("script", "lang"), list(FOOTER), ids=lambda v: v)
async def test_the_footer_names_the_main_keys_at_80_columns(doc, tmp_path, script, lang):
    app = start(doc, tmp_path, script, lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.lang == lang
        footer = screen_lines(app)[-1]
        missing = [key for key in FOOTER[script, lang] if key not in footer]
        assert not missing, f"not in the footer at 80 columns: {missing}; it reads {footer!r}"


async def test_f12_switches_the_footer_to_english_and_keeps_it(doc, tmp_path):
    app = start(doc, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("f12")
        await pilot.pause()
        assert app.lang == "en"
        footer = screen_lines(app)[-1]
        assert "/ Search" in footer and "F1 Help" in footer and "搜尋" not in footer, footer
    assert UserData(tmp_path / "user.sqlite3").lang == "en"


# --- (g): the focused pane is marked --------------------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_focused_pane_is_marked(doc, tmp_path, size):
    app = start(doc, tmp_path)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.screen
        sidebar = screen.query_one("#sidebar")
        detail = screen.query_one("#detail-scroll")
        assert app.focused is screen.query_one(ClauseTree)
        tree_focused = (sidebar.styles.border_left, detail.styles.border_left)
        row = screen_lines(app)[detail.region.y + 2]
        assert row.startswith("|") and not from_column(row, detail.region.x).startswith("|"), row
        await pilot.press("enter")  # the document: reading it moves the focus to the pane
        await pilot.pause()
        assert app.focused is detail
        pane_focused = (sidebar.styles.border_left, detail.styles.border_left)
        # Each pane's edge differs between focused and not, and the focused one is the marked one.
        assert tree_focused[0] != pane_focused[0] and tree_focused[1] != pane_focused[1]
        assert tree_focused[0] == pane_focused[1] and tree_focused[1] == pane_focused[0]
        row = screen_lines(app)[detail.region.y + 2]
        assert not row.startswith("|") and from_column(row, detail.region.x).startswith("|"), row
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is screen.query_one(ClauseTree)
        assert (sidebar.styles.border_left, detail.styles.border_left) == tree_focused
