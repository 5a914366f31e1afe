"""Beyond the text: agencies, every money figure, the budget as a chart, the 2024 targets.

Returns through ``dismiss``: ("agency", name) to filter the tree, or ("figure", clause,
start, end) to open a clause at a figure."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar, Literal, cast

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import ContentSwitcher, DataTable, Footer, Input, Static

from ..core.insights import FigureRow, agency_index, budget, figure_rows, targets, yi
from ..core.money import ROLE_WORDS, plain
from ..core.numerals import to_numeral
from ..core.script import say
from ..widgets.labels import fit

if TYPE_CHECKING:
    from ..app import HzPolicyApp

VIEWS = (("agencies", "機構"), ("money", "金額與比例"), ("budget", "預算"), ("targets", "目標"))
BAR_WIDTH = 40

# What the reader chose: an agency to filter the tree by, or a figure (clause, start, end) to open.
InsightsChoice = tuple[Literal["agency"], str] | tuple[Literal["figure"], int, int, int]


class InsightsScreen(Screen[InsightsChoice | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="insights-back", tooltip="Back to the explorer"),
        Binding("1", "view('agencies')", "Agencies", id="view-agencies", tooltip="Every agency and its clauses"),
        Binding("2", "view('money')", "Money", id="view-money", tooltip="Every money figure and percentage"),
        Binding("3", "view('budget')", "Budget", id="view-budget", tooltip="The 2024 city budget as a chart"),
        Binding("4", "view('targets')", "Targets", id="view-targets", tooltip="The targets each domain states"),
        Binding("ctrl+g", "close", "Back", show=False, id="insights-back-g", tooltip="Back to the explorer"),
        Binding(
            "o,ctrl+o",
            "cycle_sort",
            "Sort",
            id="money-sort",
            tooltip="Sort the money table by amount, kind or clause (or click a column header)",
        ),
    ]

    def __init__(self, view: str = "agencies") -> None:
        super().__init__()
        self.initial = view
        self.sort_key: tuple[str, bool] = ("clause", False)
        self.rows: list[FigureRow] = []  # every figure, filled on mount
        self.query_text = ""  # the money filter, as typed (stripped)

    @property
    def hz(self) -> HzPolicyApp:
        """The app, with its own attributes typed (``self.app`` is typed as any App)."""
        return cast("HzPolicyApp", self.app)

    def _s(self, text: str) -> str:
        return say(text, self.hz.script)

    def compose(self) -> ComposeResult:
        yield Static(id="insights-tabs")
        with ContentSwitcher(initial=self.initial, id="insights"):
            yield DataTable(id="agencies", cursor_type="row", zebra_stripes=True)
            with Vertical(id="money"):
                yield Input(placeholder=self._s("篩選: 條號、類別 (上限/預算/目標...) 或文字"), id="money-filter")
                yield DataTable(id="money-table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="budget"):
                yield Static(id="budget-chart")
            yield DataTable(id="targets", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        s = self._s
        doc = self.hz.doc
        agencies = self.query_one("#agencies", DataTable)
        agencies.add_columns(s("機構"), s("條數"), s("牽頭領域"), s("又名"), s("條款"))
        for a in agency_index(doc, doc.agency_aliases):
            agencies.add_row(
                s(a.name),
                a.count,
                ",".join(to_numeral(n) for n in a.leads),
                s("、".join(a.aliases)),
                fit(",".join(str(n) for n in a.clauses), 40),
                key=a.name,
            )
        self.rows = figure_rows(doc)
        money = self.query_one("#money-table", DataTable)
        money.add_column(s("金額"), key="amount")
        money.add_column(s("類別"), key="role")
        money.add_column(s("條"), key="clause")
        money.add_column(s("原文"), key="text")
        money.add_column(s("上下文"), key="context")
        self._fill_money("")
        targets_table = self.query_one("#targets", DataTable)
        targets_table.add_columns(s("領域"), s("目標"))
        for number, title, target in targets(doc):
            targets_table.add_row(f"{to_numeral(number)}、{s(title)}", s(target))
        self.query_one("#budget-chart", Static).update(self._chart())
        self.action_view(self.initial)

    # -- views -------------------------------------------------------------------------------

    def action_view(self, view: str) -> None:
        self.query_one(ContentSwitcher).current = view
        tabs = Text(" ")
        for i, (key, label) in enumerate(VIEWS, 1):
            style = "bold reverse" if key == view else "dim"
            tabs.append(f" {i} {self._s(label)} ", style=style)
            tabs.append(" ")
        tabs.append(self._s("  (數字鍵切換, Enter 打開, Esc 返回)"), style="dim")
        self.query_one("#insights-tabs", Static).update(tabs)
        target = {"agencies": "#agencies", "money": "#money-filter", "targets": "#targets"}.get(view)
        if target:
            self.query_one(target).focus()
        else:
            self.query_one("#budget").focus()

    # -- money -------------------------------------------------------------------------------

    def _amount(self, r: FigureRow) -> str:
        if r.kind == "percent":
            return f"{plain(r.value)}%"
        if r.currency == "USD":
            return f"USD {int(r.value):,}"
        return f"{int(r.value):,} {self._s('元')}"

    def _fill_money(self, query: str | None = None) -> None:
        """Rows that match the filter, in the chosen order (rebuilt: the order comes from the
        figures' values, which the cells only show as text)."""
        if query is not None:
            self.query_text = query.strip()
        q = self.query_text
        column, reverse = self.sort_key

        def order(i: int) -> tuple[object, ...]:
            r = self.rows[i]
            if column == "amount":  # money by value (yuan, then dollars), percentages after
                return (r.kind == "percent", r.currency == "USD", -r.value if reverse else r.value)
            if column == "role":
                return (r.role, r.clause, r.start)
            return (r.clause, -r.start if reverse else r.start)

        table = self.query_one("#money-table", DataTable)
        table.clear()
        for i in sorted(range(len(self.rows)), key=order):
            r = self.rows[i]
            role = self._s(ROLE_WORDS.get(r.role, r.role))
            if q and not (
                q == str(r.clause)
                or q in role
                or q == r.role
                or q in r.text
                or q in r.context
                or q in self._s(r.context)
            ):
                continue
            table.add_row(
                Text(self._amount(r), justify="right"),
                role,
                r.clause,
                self._s(r.text),
                self._s(r.context),
                key=str(i),
            )

    def on_key(self, event: events.Key) -> None:
        # Down from the filter moves into the table, as in the explorer's search.
        if event.key == "down" and self.focused is self.query_one("#money-filter"):
            self.query_one("#money-table").focus()
            event.stop()

    def action_cycle_sort(self) -> None:
        columns = ("clause", "amount", "role")
        current, _ = self.sort_key
        column = columns[(columns.index(current) + 1) % len(columns)]
        self.sort_key = (column, column == "amount")
        self._fill_money()
        self.notify(
            self._s({"clause": "按條號排序", "amount": "按金額排序 (大到小)", "role": "按類別排序"}[column]), timeout=2
        )

    @on(Input.Changed, "#money-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill_money(event.value)

    @on(DataTable.HeaderSelected, "#money-table")
    def _header(self, event: DataTable.HeaderSelected) -> None:
        column = str(event.column_key.value)
        if column not in ("amount", "role", "clause"):
            return
        current, reverse = self.sort_key
        self.sort_key = (column, not reverse if current == column else column == "amount")
        self._fill_money()

    # -- budget ------------------------------------------------------------------------------

    def _chart(self) -> Text:
        s = self._s
        b = budget(self.hz.doc)
        out = Text()
        if not b.domains:
            out.append(s("這份文件沒有載明各領域的市財政預算安排。"), style="bold")
            return out
        year = next((d.budget.get("year") for d in self.hz.doc.domains if d.budget), "")
        out.append(s(f"市財政{year}年預算安排, 按領域 (億元)") + "\n\n", style="bold")
        largest = max((d.yuan for d in b.domains), default=Decimal(1))
        for d in b.domains:
            width = int(BAR_WIDTH * d.yuan / largest) or 1
            out.append(f"{to_numeral(d.domain)}、{fit(s(d.title), 24)}\n")
            out.append(" " * width, style="on #d7875f")
            out.append(f" {yi(d.yuan)}  ({s('第')}{d.clause}{s('條')})\n", style="bold")
            for line in d.lines:
                sub = int(BAR_WIDTH * line.yuan / largest) or 1
                out.append("    ")
                out.append(" " * sub, style="on #5f87af")
                out.append(f" {yi(line.yuan)} {fit(s(line.label), 40)}\n", style="dim")
            out.append("\n")
        out.append(s(f"{len(b.domains)} 個領域合計: ") + yi(b.lines_sum) + "\n", style="bold")
        if b.stated_total is not None:
            out.append(s("文件所述總額: ") + yi(b.stated_total) + "\n", style="bold")
            out.append(s(f"差額 {yi(b.difference)}: 文件說明, 總額已扣除各領域之間交叉重疊的部分。") + "\n")
            out.append(f"「{s(b.explanation)}」\n", style="dim")
        return out

    # -- leaving -----------------------------------------------------------------------------

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

    def action_close(self) -> None:
        self.dismiss(None)
