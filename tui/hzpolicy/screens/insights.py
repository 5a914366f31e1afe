"""Beyond the text: agencies, every money figure, the budget as a chart, the 2024 targets.

Returns through ``dismiss``: ("agency", name) to filter the tree, ("figure", clause, start,
end) to open a clause at a figure, or ("domain", number) to open a domain's page.

The app builds this screen once and shows the same one again (``App.install_screen``): each
view is laid out for the width and the words (script, language) it was last shown in, and
laid out again only when one of them has changed since.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, ClassVar, Literal

from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import ContentSwitcher, DataTable, Input, Static

from ..core.i18n import N_, Locale
from ..core.insights import Agency, FigureRow, agency_index, budget, figure_rows
from ..core.money import phrase_around, plain
from ..core.numerals import to_numeral
from ..core.present import amount_text, budget_place, domain_heading, role_name, yi_text
from ..core.script import search_key, typeset
from ..core.wrap import break_lines, cell_width, wrap
from ..widgets.footer import LocalFooter
from .base import OfTheApp

if TYPE_CHECKING:
    from rich.console import JustifyMethod


View = Literal["agencies", "money", "budget", "targets"]
VIEWS: tuple[tuple[View, str], ...] = (
    ("agencies", N_("Agencies")),
    ("money", N_("Money and percentages")),
    ("budget", N_("Budget")),
    ("targets", N_("Targets")),
)
# What the reader chose: an agency to filter the tree by, a figure (clause, start, end) to open
# the clause at, or a domain (by number) to open.
InsightsChoice = tuple[Literal["agency"], str] | tuple[Literal["figure"], int, int, int] | tuple[Literal["domain"], int]

# The money table's orders: a column and whether it runs largest (or last) first.
SortKey = tuple[Literal["clause", "amount", "role"], bool]
SORT_CYCLE: tuple[SortKey, ...] = (("clause", False), ("amount", True), ("role", False))
ROLE_ORDER = ("budget_line", "ceiling", "fixed_award", "threshold", "rate", "target", "replaced", "other")

# Keys the header names, by the state they work in.
HINT_VIEWS = N_("1-4 views")
HINT_FILTER = N_("/ filter")
HINT_SORT = N_("o sort")
HINT_BACK = N_("Esc back")
HINT_ENTER: dict[View, str] = {
    "agencies": N_("Enter: its clauses in the tree"),
    "money": N_("Enter: open the clause at the figure"),
    "targets": N_("Enter: open the domain"),
}
HINT_LEAVE_FILTER = N_("Enter/Down: to the table")
HINT_CLEAR_FILTER = N_("Esc: clear the filter")


# --- Laying out a table in the width there is -------------------------------------------------

NARROWEST = 16  # a wrapped column is never made narrower (the widest figure, 10,000,000,000元, fits)
CLAUSE_LIST_SEPARATOR = ", "


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    wraps: bool = False  # its cells may be wrapped over several lines (else shown whole)
    justify: JustifyMethod = "left"
    narrowest: int = NARROWEST  # a wrapping column is not narrowed below this (nor its label's words)


def _label_lines(label: str, width: int) -> list[str]:
    """A column's label over as many lines as it needs, broken only at spaces."""
    lines: list[str] = []
    for word in label.split(" "):
        if lines and cell_width(lines[-1]) + 1 + cell_width(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def column_widths(columns: Sequence[Column], rows: Sequence[Sequence[str]], room: int) -> list[int]:
    """Each column's width in cells, all together at most ``room`` where they can be: a column
    starts as wide as its widest cell and its label; the widest wrapping column gives up a
    cell at a time, never below :data:`NARROWEST` (or its own widest cell) nor a label's
    longest word. A column that does not wrap is never narrowed below its widest cell."""
    widths: list[int] = []
    floors: list[int] = []
    for i, column in enumerate(columns):
        content = max((cell_width(row[i]) for row in rows), default=0)
        label_word = max(cell_width(word) for word in column.label.split(" "))
        widths.append(max(content, cell_width(column.label)))
        floors.append(max(label_word, min(content, column.narrowest) if column.wraps else content))
    excess = sum(widths) - room
    while excess > 0:
        shrinkable = [i for i in range(len(widths)) if widths[i] > floors[i]]
        if not shrinkable:
            break  # too narrow for the table: it scrolls sideways, nothing is cut
        widest = max(shrinkable, key=lambda i: (columns[i].wraps, widths[i]))
        widths[widest] -= 1
        excess -= 1
    return widths


def wrap_cell(text: str, width: int) -> list[str]:
    """A cell's lines: broken the Chinese way (never inside a number or a word)."""
    return [text[s:e].rstrip() for s, e in break_lines(text, width)] or [""]


def wrap_list(items: Sequence[str], width: int) -> list[str]:
    """Items (clause numbers, ranges like 9-22) joined by commas, broken only between items."""
    lines: list[str] = []
    for n, item in enumerate(items):
        piece = item + (CLAUSE_LIST_SEPARATOR.rstrip() if n < len(items) - 1 else "")
        if lines and cell_width(lines[-1]) + 1 + cell_width(piece) <= width:
            lines[-1] += " " + piece
        else:
            lines.append(piece)
    return lines or [""]


def clause_ranges(numbers: Sequence[int]) -> list[str]:
    """[9, 10, 11, 12, 30] -> ['9-12', '30']: runs of three or more as a range."""
    out: list[str] = []
    run: list[int] = []
    for n in [*numbers, -1]:
        if run and n == run[-1] + 1:
            run.append(n)
            continue
        if len(run) >= 3:
            out.append(f"{run[0]}-{run[-1]}")
        else:
            out.extend(str(r) for r in run)
        run = [n]
    return out


def fill_table(
    table: DataTable[Text],
    columns: Sequence[Column],
    rows: Sequence[tuple[str, Sequence[str | list[str]]]],
    room: int,
) -> None:
    """Fill ``table`` with ``rows`` (key, cells), each column as wide as :func:`column_widths`
    allows and each cell wrapped to it; a cell given as a list is a list of items
    (:func:`wrap_list`). The row under the cursor stays under it (by key)."""
    keep = _cursor_key(table)
    flat = [[CLAUSE_LIST_SEPARATOR.join(c) if isinstance(c, list) else c for c in cells] for _, cells in rows]
    padding = 2 * table.cell_padding * len(columns)
    widths = column_widths(columns, flat, room - padding)
    labels = [_label_lines(c.label, w) for c, w in zip(columns, widths, strict=True)]
    table.clear(columns=True)
    table.header_height = max((len(lines) for lines in labels), default=1)
    for column, width, lines in zip(columns, widths, labels, strict=True):
        table.add_column(Text("\n".join(lines), justify=column.justify), width=width, key=column.key)
    for key, cells in rows:
        shown: list[list[str]] = []
        for column, width, cell in zip(columns, widths, cells, strict=True):
            if isinstance(cell, list):
                shown.append(wrap_list(cell, width))
            elif column.wraps:
                shown.append(wrap_cell(cell, width))
            else:
                shown.append([cell])
        table.add_row(
            *(Text("\n".join(lines), justify=c.justify) for c, lines in zip(columns, shown, strict=True)),
            height=max(len(lines) for lines in shown),
            key=key,
        )
    if keep is not None and keep in table.rows:
        table.move_cursor(row=table.get_row_index(keep), animate=False)


def _cursor_key(table: DataTable[Text]) -> str | None:
    if not table.row_count or not table.is_valid_row_index(table.cursor_row):
        return None
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


# --- The money filter -----------------------------------------------------------------------

# Every interface a reader may have: a figure's kind is found by its name in any of them, so a
# filter finds the same rows whatever the language (the document's text is Chinese in all).
EVERY_LOCALE = (Locale("traditional", "zh"), Locale("simplified", "zh"), Locale("traditional", "en"))


@lru_cache(maxsize=16)
def role_keys(role: str) -> frozenset[str]:
    """A figure kind's names in every interface, as search keys (script and case folded)."""
    return frozenset(search_key(role_name(role, loc)) for loc in EVERY_LOCALE)


# --- The screen -----------------------------------------------------------------------------


class BudgetChart(Static):
    """The budget as bars; their colours come from the theme (app.tcss)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"budget-chart--bar", "budget-chart--part"}


class InsightsScreen(OfTheApp, Screen[InsightsChoice | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        # The footer shows only what the header does not (the views are its tabs, keys and
        # all): every key is in the help (F1) all the same.
        Binding("escape", "close", N_("Back"), id="insights-back", tooltip=N_("Back to the explorer")),
        Binding(
            "1",
            "view('agencies')",
            N_("Agencies"),
            show=False,
            id="view-agencies",
            tooltip=N_("Every agency and its clauses"),
        ),
        Binding(
            "2",
            "view('money')",
            N_("Money"),
            show=False,
            id="view-money",
            tooltip=N_("Every money figure and percentage"),
        ),
        Binding(
            "3", "view('budget')", N_("Budget"), show=False, id="view-budget", tooltip=N_("The city budget as a chart")
        ),
        Binding(
            "4",
            "view('targets')",
            N_("Targets"),
            show=False,
            id="view-targets",
            tooltip=N_("The targets each domain states"),
        ),
        Binding("ctrl+g", "close", N_("Back"), show=False, id="insights-back-g", tooltip=N_("Back to the explorer")),
        Binding(
            "slash",
            "filter",
            N_("Filter"),
            id="money-filter",
            tooltip=N_("Filter the money table by clause number, kind or text"),
        ),
        Binding(
            "ctrl+f",
            "filter",
            N_("Filter"),
            show=False,
            id="money-filter-ctrl",
            tooltip=N_("Filter the money table (works with an input method on)"),
        ),
        Binding(
            "o,ctrl+o",
            "cycle_sort",
            N_("Sort"),
            id="money-sort",
            tooltip=N_("Sort the money table by clause, amount or kind (or click a column header)"),
        ),
    ]

    def __init__(self, view: View = "agencies") -> None:
        super().__init__()
        self.view: View = view
        self.sort_key: SortKey = SORT_CYCLE[0]
        self.rows: list[FigureRow] = []  # every figure, read on mount
        self.agencies: list[Agency] = []
        self.query_text = ""  # the money filter, as typed (stripped)
        self.phrases: list[str] = []  # each figure's phrase in its clause (Traditional, as stored)
        self._row_keys: list[str] | None = None  # each figure's search key (its phrase), on first filter
        # What each view (and the header) was last laid out for: the words, the width and
        # the theme (the chart's bars take their colours from it).
        self._laid_out: dict[str, tuple[Locale, int, str]] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="insights-tabs")
        with ContentSwitcher(initial=self.view, id="insights"):
            yield DataTable[Text](id="agencies", cursor_type="row", zebra_stripes=True)
            with Vertical(id="money"):
                yield Input(id="money-filter")
                yield DataTable[Text](id="money-table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="budget"):
                yield BudgetChart(id="budget-chart")
            yield DataTable[Text](id="targets", cursor_type="row", zebra_stripes=True)
        # As the explorer's: no padding and no palette key, so it fits 80 columns in every language.
        yield LocalFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        doc = self.hz.doc
        self.agencies = agency_index(doc, doc.agency_aliases)
        self.rows = figure_rows(doc)
        self.phrases = [self._phrase(r) for r in self.rows]
        self.action_view(self.view)

    # -- keeping up with the width and the words ---------------------------------------------

    def _width(self) -> int:
        return self.app.size.width

    def _lay_out(self, part: str) -> None:
        """Lay ``part`` (a view, or "chrome": the header and the filter's placeholder) out
        again if the words, the width or the theme changed since it was last laid out."""
        stamp = (self.loc, self._width(), self.app.theme)
        if self._laid_out.get(part) == stamp:
            return
        self._laid_out[part] = stamp
        if part == "chrome":
            self._show_header()
            self.query_one("#money-filter", Input).placeholder = self.loc.tr(
                "Filter: clause number, kind (ceiling, budget...) or text"
            )
        elif part == "agencies":
            self._fill_agencies()
        elif part == "money":
            self._fill_money()
        elif part == "budget":
            self.query_one(BudgetChart).update(self._chart(self._chart_width()))
        elif part == "targets":
            self._fill_targets()

    def _catch_up(self) -> None:
        self._lay_out("chrome")
        self._lay_out(self.view)

    def apply_locale(self) -> None:
        """The app's script or language changed (the app calls this on every screen shown)."""
        self._catch_up()
        self.refresh_bindings()

    def on_screen_resume(self) -> None:
        # Shown again: the script, the language or the terminal may have changed meanwhile.
        self._catch_up()

    def on_resize(self, event: events.Resize) -> None:
        self._catch_up()

    # -- views and keys ------------------------------------------------------------------------

    def action_view(self, view: View) -> None:
        self.view = view
        self.query_one(ContentSwitcher).current = view
        self._catch_up()
        target = {"agencies": "#agencies", "money": "#money-table", "targets": "#targets"}.get(view, "#budget")
        self.query_one(target).focus()
        self._show_header()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("filter", "cycle_sort"):
            return self.view == "money"  # the money table's own keys
        return True

    def _in_filter(self) -> bool:
        return self.focused is not None and self.focused.id == "money-filter"

    def _show_header(self) -> None:
        """The views, the current one marked, and the keys that work now, laid in the width
        (a key's words are never split)."""
        loc = self.loc
        width = max(self._width(), 10)
        pieces: list[tuple[str, str]] = []  # (words, style); a key's words are never split
        for i, (key, label) in enumerate(VIEWS, 1):
            pieces.append((f" {i} {loc.tr(label)} ", "bold reverse" if key == self.view else "dim"))
        if self._in_filter():
            hints = [HINT_LEAVE_FILTER, HINT_CLEAR_FILTER]
        else:
            hints = [HINT_VIEWS]
            if self.view == "money":
                hints += [HINT_FILTER, HINT_SORT]
            if self.view in HINT_ENTER:
                hints.append(HINT_ENTER[self.view])
            hints.append(HINT_BACK)
        pieces += [(loc.tr(hint), "") for hint in hints]
        out = Text()
        used = 0
        for n, (text, style) in enumerate(pieces):
            gap = (1 if n < len(VIEWS) else 2) if used else 0  # keys set apart more than views
            w = cell_width(text)
            if used and used + gap + w > width:
                out.append("\n")
                used, gap = 0, 0
            out.append(" " * gap)
            if w > width:  # a key's words wider than the whole line: broken the Chinese way
                lines = wrap_cell(text, width)
                out.append("\n".join(lines), style=style)
                used = cell_width(lines[-1])
            else:
                out.append(text, style=style)
                used += gap + w
        self.query_one("#insights-tabs", Static).update(out)

    @on(events.DescendantFocus)
    @on(events.DescendantBlur)
    def _focus_moved(self) -> None:
        self._show_header()

    def action_filter(self) -> None:
        self.query_one("#money-filter", Input).focus()

    def action_close(self) -> None:
        if self._in_filter():  # Esc in the filter clears it and goes back to the table
            self.query_one("#money-filter", Input).value = ""
            self._fill_money("")
            self.query_one("#money-table").focus()
            return
        self.dismiss(None)

    def on_key(self, event: events.Key) -> None:
        # Down from the filter moves into the table, as in the explorer's search.
        if event.key == "down" and self._in_filter():
            self.query_one("#money-table").focus()
            event.stop()

    @on(Input.Submitted, "#money-filter")
    def _filter_done(self) -> None:
        self.query_one("#money-table").focus()

    # -- agencies ------------------------------------------------------------------------------

    def _room(self, table_id: str) -> int:
        """The width a table's columns share: the terminal's, less its vertical scrollbar."""
        table = self.query_one(table_id, DataTable)
        return self._width() - table.styles.scrollbar_size_vertical

    def _fill_agencies(self) -> None:
        loc = self.loc
        columns = [
            Column("name", loc.tr("Agency"), wraps=True),
            Column("count", loc.tr("Clause count"), justify="right"),
            Column("leads", loc.tr("Leads domains"), wraps=True),
            Column("aliases", loc.tr("Also called"), wraps=True, narrowest=8),  # few agencies have one
            Column("clauses", loc.tr("Clauses"), wraps=True),
        ]
        rows: list[tuple[str, Sequence[str | list[str]]]] = [
            (
                a.name,
                [
                    loc.doc(a.name),
                    str(a.count),
                    "、".join(to_numeral(n) for n in a.leads),
                    "、".join(loc.doc(alias) for alias in a.aliases),
                    clause_ranges(a.clauses),
                ],
            )
            for a in self.agencies
        ]
        fill_table(self.query_one("#agencies", DataTable), columns, rows, self._room("#agencies"))

    # -- money ---------------------------------------------------------------------------------

    def _phrase(self, r: FigureRow) -> str:
        """The figure's phrase (between the commas around it): whole words, never a window
        that starts or ends inside a number."""
        text = self.hz.doc.require(r.clause).text
        before, after = phrase_around(text, r.start, r.end)
        return (before + text[r.start : r.end] + after).strip()

    def _amount(self, r: FigureRow) -> str:
        if r.kind == "percent" or r.currency is None:
            return f"{plain(r.value)}%"
        return amount_text(r.value, r.currency, self.loc)

    def _sorted_label(self, column: str, label: str) -> str:
        """A column's label, with the order in words when the table is sorted by it."""
        current, reverse = self.sort_key
        if column != current:
            return label
        if column == "role":
            return self.loc.tr("{column} (grouped)").format(column=label)
        if reverse:
            return self.loc.tr("{column} (descending)").format(column=label)
        return self.loc.tr("{column} (ascending)").format(column=label)

    def _matches(self, i: int, query: str, key: str) -> bool:
        """Whether figure ``i`` answers the filter: its clause number, its kind by its code or
        its name in any interface (上限, ceiling...), or its text and phrase (in either
        script), whatever the interface's language: a query finds the same rows in all."""
        r = self.rows[i]
        if query == str(r.clause) or query == r.role:
            return True
        if self._row_keys is None:  # made when first needed: the conversion takes a while
            self._row_keys = [search_key(phrase) for phrase in self.phrases]
        return bool(key) and (key in self._row_keys[i] or any(key in name for name in role_keys(r.role)))

    def _fill_money(self, query: str | None = None) -> None:
        """Rows that match the filter, in the chosen order (rebuilt: the order comes from the
        figures' values, which the cells only show as text)."""
        if query is not None:
            self.query_text = query.strip()
        loc = self.loc
        q = self.query_text
        key = search_key(q)
        column, reverse = self.sort_key

        def order(i: int) -> tuple[object, ...]:
            r = self.rows[i]
            if column == "amount":  # money by value (yuan, then dollars), percentages after
                return (r.kind == "percent", r.currency == "USD", -r.value if reverse else r.value)
            if column == "role":
                rank = ROLE_ORDER.index(r.role) if r.role in ROLE_ORDER else len(ROLE_ORDER)
                return (rank, r.clause, r.start)
            return (-r.clause, -r.start) if reverse else (r.clause, r.start)

        columns = [
            Column("amount", self._sorted_label("amount", loc.tr("Amount")), justify="right"),
            Column("role", self._sorted_label("role", loc.tr("Kind")), wraps=True),
            Column("clause", self._sorted_label("clause", loc.tr("Clause")), justify="right"),
            Column("text", loc.tr("As written"), wraps=True),
            Column("context", loc.tr("Context"), wraps=True),
        ]
        rows: list[tuple[str, Sequence[str | list[str]]]] = []
        for i in sorted(range(len(self.rows)), key=order):
            if q and not self._matches(i, q, key):
                continue
            r = self.rows[i]
            cells = [
                self._amount(r),
                role_name(r.role, loc),
                str(r.clause),
                loc.doc(r.text),
                typeset(loc.doc(self.phrases[i])),
            ]
            rows.append((str(i), cells))
        table = self.query_one("#money-table", DataTable)
        fill_table(table, columns, rows, self._room("#money-table"))

    def action_cycle_sort(self) -> None:
        at = next((i for i, (column, _) in enumerate(SORT_CYCLE) if column == self.sort_key[0]), -1)
        self.sort_key = SORT_CYCLE[(at + 1) % len(SORT_CYCLE)]
        self._fill_money()
        self.query_one("#money-table", DataTable).move_cursor(row=0, animate=False)

    @on(Input.Changed, "#money-filter")
    def _filter(self, event: Input.Changed) -> None:
        if event.value.strip() != self.query_text:
            self._fill_money(event.value)

    @on(DataTable.HeaderSelected, "#money-table")
    def _header(self, event: DataTable.HeaderSelected) -> None:
        column = str(event.column_key.value)
        if column not in ("amount", "role", "clause"):
            return
        current, reverse = self.sort_key
        if current == column:
            self.sort_key = (current, column != "role" and not reverse)
        else:
            self.sort_key = next(k for k in SORT_CYCLE if k[0] == column)
        self._fill_money()
        self.query_one("#money-table", DataTable).move_cursor(row=0, animate=False)

    # -- budget --------------------------------------------------------------------------------

    def _chart_width(self) -> int:
        scroll = self.query_one("#budget", VerticalScroll)
        padding = scroll.styles.padding
        return max(self._width() - padding.left - padding.right - scroll.styles.scrollbar_size_vertical, 20)

    def _chart(self, width: int) -> Text:
        """The city budget by domain, largest first, each with its parts: bars as long as the
        width allows, every label whole (wrapped, never cut)."""
        loc = self.loc
        doc = self.hz.doc
        chart = self.query_one(BudgetChart)
        bar_style = chart.get_component_rich_style("budget-chart--bar", partial=True)
        part_style = chart.get_component_rich_style("budget-chart--part", partial=True)
        b = budget(doc)
        out = Text()

        def paragraph(text: str, style: str = "", indent: int = 0) -> None:
            for line in wrap(text, width - indent):
                out.append(" " * indent + line + "\n", style=style)

        if not b.domains:
            paragraph(loc.tr("This document states no budget for its domains."), "bold")
            return out
        year = next((d.budget.get("year") for d in doc.domains if d.budget), "")
        heading = loc.tr("City budget {year} by domain") if doc.city_budget else loc.tr("Budget {year} by domain")
        paragraph(heading.format(year=year), "bold")  # amounts carry their unit
        out.append("\n")
        suffixes = {d.domain: f" {yi_text(d.yuan, loc)} ({budget_place(d.clause, loc)})" for d in b.domains}
        room = width - max(cell_width(s) for s in suffixes.values())
        own_line = room < 10  # too narrow for a bar and its amount side by side
        if own_line:
            room = width
        largest = max(d.yuan for d in b.domains)

        def bar(yuan: Decimal, most: int) -> int:
            return max(1, min(most, round(room * yuan / largest)))

        for d in b.domains:
            paragraph(domain_heading(doc.domains[d.domain - 1], loc))
            out.append(" " * bar(d.yuan, room), style=bar_style)
            out.append(("\n" + suffixes[d.domain].lstrip()) if own_line else suffixes[d.domain], style="bold")
            out.append("\n")
            for line in d.lines:
                self._budget_part(
                    out,
                    width,
                    bar(line.yuan, max(room - 4, 1)),
                    yi_text(line.yuan, loc),
                    loc.doc(line.label),
                    part_style,
                )
            out.append("\n")
        count = len(b.domains)
        total = loc.trn("{count} domain together: {amount}", "{count} domains together: {amount}", count)
        paragraph(total.format(count=count, amount=yi_text(b.lines_sum, loc)), "bold")
        if b.stated_total is not None:
            paragraph(
                loc.tr("Total stated in the document: {amount}").format(amount=yi_text(b.stated_total, loc)), "bold"
            )
            paragraph(
                loc.tr("Difference {amount}: the document's total leaves out what the domains share.").format(
                    amount=yi_text(b.difference, loc)
                )
            )
            if b.explanation:
                paragraph(f"「{loc.doc(b.explanation)}」", "dim")
        return out

    @staticmethod
    def _budget_part(out: Text, width: int, bar: int, amount: str, label: str, style: Style) -> None:
        """One part of a domain's budget: an indented bar, its amount, and its label beside it
        (continued under itself) or, with too little room, below it."""
        indent = 4
        out.append(" " * indent)
        out.append(" " * bar, style=style)
        used = indent + bar
        if used + 1 + cell_width(amount) > width:  # the amount does not fit after the bar
            out.append("\n" + " " * (indent - 1))
            used = indent - 1
        out.append(" " + amount, style="bold")
        column = used + 1 + cell_width(amount) + 1
        if width - column >= 12:
            lines = wrap_cell(label, width - column)
            out.append(" " + lines[0] + "\n", style="dim")
            for more in lines[1:]:
                out.append(" " * column + more + "\n", style="dim")
        else:
            out.append("\n")
            for more in wrap_cell(label, width - indent - 2):
                out.append(" " * (indent + 2) + more + "\n", style="dim")

    # -- targets -------------------------------------------------------------------------------

    def _fill_targets(self) -> None:
        loc = self.loc
        columns = [Column("domain", loc.tr("Domain"), wraps=True), Column("target", loc.tr("Target"), wraps=True)]
        rows: list[tuple[str, Sequence[str | list[str]]]] = []
        for d in self.hz.doc.domains:
            for i, target in enumerate(d.targets_in(loc.script)):
                # The domain is named on its first target only: the rows below are its own.
                rows.append((f"{d.number}-{i}", [domain_heading(d, loc) if i == 0 else "", typeset(target)]))
        fill_table(self.query_one("#targets", DataTable), columns, rows, self._room("#targets"))

    # -- leaving -------------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#agencies")
    def _agency(self, event: DataTable.RowSelected) -> None:
        name = event.row_key.value  # each row is keyed by its agency's name
        if name is not None:
            self.dismiss(("agency", name))

    @on(DataTable.RowSelected, "#money-table")
    def _figure(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value  # each row is keyed by its index in self.rows
        if key is not None:
            r = self.rows[int(key)]
            self.dismiss(("figure", r.clause, r.start, r.end))

    @on(DataTable.RowSelected, "#targets")
    def _target(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value  # each row is keyed "domain-index"
        if key is not None:
            self.dismiss(("domain", int(key.split("-")[0])))
