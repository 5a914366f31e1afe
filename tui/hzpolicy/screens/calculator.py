"""The calculator: a form in the document's words, results that show their working.

Returns through ``dismiss((clause, quote))`` when the reader opens a result's clause, so the
explorer can show it with the quoted sentence marked (modal results, not shared state)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Input, Static

from ..core.calculator import STATUS_ORDER, STATUS_WORDS, Item, Result, evaluate, in_reading_order
from ..core.facts import FACTS, TOPICS, Fact, Facts, Problem, ProfileError, validate_value
from ..core.money import plain
from ..core.numerals import to_numeral
from ..core.script import say, typeset
from ..widgets.choice import Choice
from ..widgets.prose import Prose

if TYPE_CHECKING:
    from pathlib import Path

    from ..app import HzPolicyApp
    from .dialogs import ExportSource

# Each status's colour (its words and the order results are listed in are the calculator's).
STATUS_STYLE = {
    "applies": "bold green",
    "needs_approval": "bold yellow",
    "needs_input": "dim",
    "not_applicable": "dim red",
}
TYPED = ("wan", "int")  # fact types typed into an Input; the others are chosen with a Choice


def _choices(fact: Fact) -> list[tuple[str, object]]:
    if fact.type == "bool":
        return [("是", True), ("否", False)]
    return list(zip(fact.choice_labels, fact.choices, strict=True))


class CalculatorScreen(Screen[tuple[int, str] | None]):
    AUTO_FOCUS = "#f-tech_sme_scale"  # the first figure: what a reader came to enter
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="calc-back", tooltip="Back to the explorer"),
        Binding("f2", "close", "Back", show=False, id="calc-back-f2", tooltip="Back to the explorer"),
        Binding("ctrl+s", "save", "Save profile", id="calc-save", tooltip="Save the figures under the profile name"),
        Binding("ctrl+e", "export", "Export", id="calc-export", tooltip="Export this result (md, csv, json)"),
        Binding(
            "ctrl+o",
            "open_clause",
            "Open clause",
            id="calc-open",
            tooltip="Open the selected result's clause with its sentence marked",
        ),
    ]

    def __init__(self, profile: Facts | None = None) -> None:
        super().__init__()
        self.initial: Facts = dict(profile or {})
        self.result: Result | None = None
        self.errors: dict[str, str] = {}

    @property
    def hz(self) -> HzPolicyApp:
        """The app, with its own attributes typed (``self.app`` is typed as any App)."""
        return cast("HzPolicyApp", self.app)

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        s = self._say
        yield Static(id="calc-title")
        with Horizontal(id="calc-panes"):
            with VerticalScroll(id="calc-form", can_focus=False):  # Tab goes field to field
                yield Input(placeholder=s("方案名稱 (Enter 打開已存方案)"), id="profile-name")
                with Horizontal(classes="profile-bar"):
                    yield Button(s("儲存 Ctrl+S"), id="profile-save", compact=True)
                    yield Button(s("刪除"), id="profile-delete", compact=True)
                yield Static(id="profile-list")
                yield Static(s("計算日期 (YYYY-MM-DD)"), classes="field-label")
                yield Input(value=self.hz.today.isoformat(), id="as-of")
                yield Static("", id="e-as-of", classes="field-error")
                for topic in TOPICS:
                    facts = [f for f in FACTS.values() if f.topic == topic]
                    if not facts:
                        continue
                    yield Static(s(topic), classes="topic")
                    for fact in facts:
                        label = f"{s(fact.label)} ({s('第')}{','.join(str(c) for c in fact.clauses)}{s('條')})"
                        yield Static(label + (s(" [萬元]") if fact.type == "wan" else ""), classes="field-label")
                        yield from self._field(fact)
                        yield Static("", id=f"e-{fact.name}", classes="field-error")
            with Vertical(id="calc-results"):
                yield Static(id="calc-total")
                yield DataTable(id="calc-table", cursor_type="row", zebra_stripes=True)
                with VerticalScroll(id="calc-detail-scroll"):
                    yield Prose(id="calc-detail")
        yield Footer()

    def _say(self, text: str) -> str:
        return say(text, self.hz.script)

    def _field(self, fact: Fact) -> ComposeResult:
        value = self.initial.get(fact.name)
        if fact.type in TYPED:
            shown = "" if value is None else (plain(Decimal(str(value))) if fact.type == "wan" else str(value))
            # What was typed last time, even if it was not a valid figure: nothing typed is lost.
            shown = self.hz.calc_typed.get(fact.name, shown)
            yield Input(
                value=shown, id=f"f-{fact.name}", placeholder=self._say("未填"), classes="fact", restrict=r"[0-9.,\-]*"
            )
        elif fact.type == "enum_list":
            chosen = set(value) if isinstance(value, list) else set()
            for label, item in zip(fact.choice_labels, fact.choices, strict=True):
                with Horizontal(classes="list-item"):
                    yield Static(self._say(label), classes="item-label")
                    choice = Choice(
                        [("是", True), ("否", False)],
                        unset_label=self._say("未填"),
                        id=f"f-{fact.name}--{item}",
                        classes="fact",
                    )
                    if value is not None:
                        choice.value = item in chosen
                    yield choice
        else:
            choice = Choice(
                [(self._say(lab), v) for lab, v in _choices(fact)],
                unset_label=self._say("未填"),
                id=f"f-{fact.name}",
                classes="fact",
            )
            if value is not None:
                choice.value = value
            yield choice

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        s = self._say
        table.add_columns(s("條"), s("規則"), s("狀態"), s("金額(萬元)"), s("封頂"), s("計算"))
        self._refresh_profiles()
        self.recalculate()

    # -- the profile from the form ---------------------------------------------------------------

    def profile(self) -> Facts:
        """The valid facts in the form; invalid ones are left out and reported beside them."""
        facts: Facts = {}
        self.errors = {}
        for fact in FACTS.values():
            if fact.type == "enum_list":
                states = {item: self.query_one(f"#f-{fact.name}--{item}", Choice).value for item in fact.choices}
                if any(v is not None for v in states.values()):
                    facts[fact.name] = [item for item, v in states.items() if v]
                continue
            if fact.type not in TYPED:
                choice = self.query_one(f"#f-{fact.name}", Choice)
                if choice.value is not None:
                    facts[fact.name] = choice.value
                continue
            widget = self.query_one(f"#f-{fact.name}", Input)
            raw = widget.value.strip()
            self.hz.calc_typed[fact.name] = widget.value
            if not raw:
                continue
            try:
                value = raw if fact.type == "wan" else int(raw)
                facts[fact.name] = validate_value(fact.name, value)
            except ValueError as exc:
                self.errors[fact.name] = self._explain(fact, raw, exc)
        return facts

    def _explain(self, fact: Fact, raw: str, exc: Exception) -> str:
        code = exc.code if isinstance(exc, ProfileError) else Problem.NOT_A_NUMBER  # else int() refused it
        if code is Problem.NEGATIVE:
            return self._say("不能為負數")
        if code is Problem.TOO_LARGE:
            return self._say("數額過大 (單位是萬元)")
        if code is Problem.OUT_OF_RANGE and isinstance(exc, ProfileError):
            return self._say(f"須在 {exc.minimum} 到 {exc.maximum} 之間")
        return self._say(f"不是數字: {raw!r}")

    def as_of(self) -> date | None:
        raw = self.query_one("#as-of", Input).value.strip()
        try:
            return date.fromisoformat(raw)
        except ValueError:
            return None

    # -- recalculating -----------------------------------------------------------------------

    @on(Input.Changed, ".fact")
    @on(Input.Changed, "#as-of")
    @on(Choice.Changed)
    def _changed(self) -> None:
        self.recalculate()

    def recalculate(self) -> None:
        facts = self.profile()
        for fact in FACTS.values():
            self._error(f"#e-{fact.name}", self.errors.get(fact.name, ""))
        when = self.as_of()
        self._error("#e-as-of", "" if when else self._say("日期格式: YYYY-MM-DD, 暫按今天計算"))
        when = when or self.hz.today
        try:
            self.result = evaluate(list(self.hz.doc.rules), facts, when, self.hz.doc)
        except ProfileError as exc:  # the form validated each value; keep the message if not
            self.notify(str(exc), severity="error")
            return
        self.hz.calc_profile = facts
        self._show(self.result)

    def _error(self, selector: str, message: str) -> None:
        """An inline message beside its field; hidden when there is none."""
        widget = self.query_one(selector, Static)
        widget.update(Text(message, style="bold red"))
        widget.display = bool(message)

    def _show(self, result: Result) -> None:
        s = self._say
        title = Text(f" {s('補助計算器')}  ", style="bold")
        title.append(s(f"計算日期 {result.as_of.isoformat()}"))
        if not result.in_force:
            title.append(s("  [不在有效期內, 結果僅供參考]"), style="bold red")
        self.query_one("#calc-title", Static).update(title)
        counts = {k: sum(1 for i in result.items if i.status == k) for k in STATUS_ORDER}
        total = Text(s("可疊加的現金與配套: 最高可得 "), style="bold")
        total.append(f"{plain(result.total)} {s('萬元')}", style="bold green")
        total.append("   " + "  ".join(f"{s(STATUS_WORDS[k])} {n}" for k, n in counts.items()), style="dim")
        if self.errors:
            total.append("\n" + s(f"{len(self.errors)} 個欄位有誤, 未計入"), style="bold red")
        self.query_one("#calc-total", Static).update(total)
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        for item in in_reading_order(result.items):
            words, style = STATUS_WORDS[item.status], STATUS_STYLE[item.status]
            if item.kind == "priority" and item.status == "applies":
                amount = s("優先")
            elif item.status in ("applies", "needs_approval"):
                amount = ("<= " if item.ceiling else "") + plain(item.amount)
            else:
                amount = "-"
            table.add_row(
                f"({to_numeral(item.clause)})",
                s(item.title),
                Text(s(words), style=style),
                amount,
                s("是") if item.capped else "",
                s(item.formula) if item.status in ("applies", "needs_approval") else s(item.reason),
                key=item.rule,
            )
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))
        self._show_detail()

    @on(DataTable.RowHighlighted)
    def _row(self) -> None:
        self._show_detail()

    def selected_item(self) -> Item | None:
        table = self.query_one(DataTable)
        if self.result is None or not table.row_count:
            return None
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        return next((i for i in self.result.items if i.rule == key), None)

    def _show_detail(self) -> None:
        item = self.selected_item()
        out = Text()
        if item is not None:
            s = self._say
            out.append(f"({to_numeral(item.clause)}) {s(item.title)}\n", style="bold")
            if item.formula:
                label = s("最高可得" if item.ceiling else "可得")
                out.append(f"{s('計算')}: {s(item.formula)}" + (f"  [{s('已封頂')}]" if item.capped else "") + "\n")
                if item.status in ("applies", "needs_approval") and item.kind != "priority":
                    out.append(f"{label} {plain(item.amount)} {s('萬元')}\n", style="bold green")
            if item.reason:
                out.append(s(item.reason) + "\n", style="dim")
            if not item.in_force:
                out.append(s(f"有效期 {item.valid_from} ~ {item.valid_to}: 計算日不在其內") + "\n", style="bold red")
            out.append(s("依據") + ": ", style="bold")
            out.append(f"「{typeset(s(item.quote))}」\n")
            out.append(s("Enter 或 Ctrl+O: 在條文中打開這一句"), style="dim")
        self.query_one("#calc-detail", Prose).update(out)

    # -- actions -----------------------------------------------------------------------------

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_open_clause()

    def action_open_clause(self) -> None:
        item = self.selected_item()
        if item is not None:
            self.dismiss((item.clause, item.quote))

    def action_close(self) -> None:
        self.dismiss(None)

    def action_export(self) -> None:
        from ..core import export
        from .dialogs import ExportScreen

        result = self.result
        if result is None:
            return
        sources: dict[str, ExportSource] = {
            "calc": (
                self._say("計算結果"),
                lambda: (export.calc_records(result), result.document_title, export.calc_meta(result)),
            )
        }

        def done(path: Path | None) -> None:
            if path is not None:
                self.notify(self._say("已匯出到 ") + str(path), title="Export", timeout=6)

        self.hz.push_screen(ExportScreen(sources, self.hz.script), done)

    # -- saved profiles ----------------------------------------------------------------------

    def _refresh_profiles(self) -> None:
        names = self.hz.user.profile_names()
        text = Text(self._say("已存方案: "), style="dim")
        if not names:
            text.append(self._say("(無)"), style="dim")
        for name in names:
            text.append(f"[{name}] ", style="bold")
        self.query_one("#profile-list", Static).update(text)

    @on(Button.Pressed, "#profile-save")
    def action_save(self) -> None:
        name = self.query_one("#profile-name", Input).value.strip()
        if not name:
            self.notify(self._say("請先輸入方案名稱"), severity="warning")
            self.query_one("#profile-name", Input).focus()
            return
        problem = self.hz.user.save_profile(name, self.profile())
        if problem:
            self.notify(problem, severity="error")
            return
        self._refresh_profiles()
        self.notify(self._say(f"已儲存方案「{name}」"))

    @on(Input.Submitted, "#profile-name")
    def _open_profile(self) -> None:
        """Enter in the name box opens a saved profile of that name."""
        name = self.query_one("#profile-name", Input).value.strip()
        facts = self.hz.user.load_profile(name)
        if facts is None:
            self.notify(self._say(f"沒有名為「{name}」的方案; Ctrl+S 儲存"), severity="warning")
            return
        self.fill(facts)
        self.notify(self._say(f"已打開方案「{name}」"))

    @on(Button.Pressed, "#profile-delete")
    def _delete_profile(self) -> None:
        name = self.query_one("#profile-name", Input).value.strip()
        if not self.hz.user.delete_profile(name):
            self.notify(self._say(f"沒有名為「{name}」的方案"), severity="warning")
            return
        self._refresh_profiles()
        self.notify(self._say(f"已刪除方案「{name}」"))

    def fill(self, facts: Facts) -> None:
        """Put a profile's figures into the form (facts it lacks are cleared)."""
        self.hz.calc_typed.clear()
        with self.prevent(Input.Changed, Choice.Changed):
            for fact in FACTS.values():
                value = facts.get(fact.name)
                if fact.type == "enum_list":
                    for item in fact.choices:
                        choice = self.query_one(f"#f-{fact.name}--{item}", Choice)
                        choice.value = None if value is None else isinstance(value, list) and item in value
                    continue
                if fact.type not in TYPED:
                    self.query_one(f"#f-{fact.name}", Choice).value = value
                else:
                    self.query_one(f"#f-{fact.name}", Input).value = (
                        "" if value is None else (plain(Decimal(str(value))) if fact.type == "wan" else str(value))
                    )
        self.recalculate()
