"""The calculator: a form in the document's words, results that show their working.

Built once and kept by the app (an installed screen), so it opens at once and as it was left;
when the reader changed the script or the language meanwhile, its words catch up as it is
shown again (:meth:`CalculatorScreen.apply_locale`). Every word it shows is either the
interface's (a catalog message) or the document's (a fact's label, a rule's title, in the
reader's script); a result reads as :mod:`..core.report` describes it.

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
from textual.widgets import Button, DataTable, Input, Static

from ..core import report
from ..core.calculator import Item, Result, evaluate, in_reading_order
from ..core.facts import FACTS, TOPICS, Fact, Facts, Problem, ProfileError, validate_value
from ..core.i18n import N_, Locale
from ..core.money import plain
from ..core.present import Block, Mark
from ..widgets.choice import Choice
from ..widgets.footer import LocalFooter
from ..widgets.prose import Prose

if TYPE_CHECKING:
    from pathlib import Path

    from ..app import HzPolicyApp
    from .dialogs import ExportSource

TYPED = ("wan", "int")  # fact types typed into an Input; the others are chosen with a Choice
NOT_GIVEN = N_("not given")  # a fact the reader has not filled in (never a guess)
YES, NO = N_("yes"), N_("no")
# The result table's columns: (key, heading).
COLUMNS = (
    ("clause", N_("Clause")),
    ("rule", N_("Rule")),
    ("status", N_("Status")),
    ("amount", N_("Amount (10k yuan)")),
    ("capped", N_("Capped")),
    ("working", N_("Working")),
)


def _typed_text(fact: Fact, value: object) -> str:
    """A fact's value as typed into its box."""
    if value is None:
        return ""
    return plain(Decimal(str(value))) if fact.type == "wan" else str(value)


def _topic_id(topic: str) -> str:
    return f"topic-{TOPICS.index(topic)}"


class CalculatorScreen(Screen[tuple[int, str] | None]):
    AUTO_FOCUS = "#f-tech_sme_scale"  # the first figure: what a reader came to enter
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", N_("Back"), id="calc-back", tooltip=N_("Back to the explorer")),
        Binding("f2", "close", N_("Back"), show=False, id="calc-back-f2", tooltip=N_("Back to the explorer")),
        Binding(
            "ctrl+s",
            "save",
            N_("Save profile"),
            id="calc-save",
            tooltip=N_("Save the figures under the profile name"),
        ),
        Binding("ctrl+e", "export", N_("Export"), id="calc-export", tooltip=N_("Export this result (md, csv, json)")),
        Binding(
            "ctrl+o",
            "open_clause",
            N_("Open clause"),
            id="calc-open",
            tooltip=N_("Open the selected result's clause with its sentence marked"),
        ),
    ]
    # Each status's colour in the table, from the theme (its name and order are the report's).
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "calculator--good",
        "calculator--figure",
        "calculator--bad",
        "calculator--dim",
    }
    DEFAULT_CSS = """
    CalculatorScreen > .calculator--good { color: $success; text-style: bold; }
    CalculatorScreen > .calculator--figure { color: $warning; text-style: bold; }
    CalculatorScreen > .calculator--bad { color: $error 70%; }
    CalculatorScreen > .calculator--dim { color: $text-muted; }
    """

    def __init__(self, profile: Facts | None = None) -> None:
        super().__init__()
        self.initial: Facts = dict(profile or {})
        self.result: Result | None = None
        self.errors: dict[str, str] = {}
        self._errors_shown: dict[str, str] = {}  # what each field's error line shows now
        self._profiles_shown: tuple[Locale, list[str]] | None = None  # the saved profiles as listed
        self.shown_locale: Locale | None = None  # the words the screen was last put in

    @property
    def hz(self) -> HzPolicyApp:
        """The app, with its own attributes typed (``self.app`` is typed as any App)."""
        return cast("HzPolicyApp", self.app)

    @property
    def loc(self) -> Locale:
        return self.hz.locale

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # Widgets are made here without words; apply_locale() gives them theirs on mount.
        yield Prose(id="calc-title")
        with Horizontal(id="calc-panes"):
            with VerticalScroll(id="calc-form", can_focus=False):  # Tab goes field to field
                yield Input(id="profile-name")
                with Horizontal(classes="profile-bar"):
                    yield Button("", id="profile-save", compact=True)
                    yield Button("", id="profile-delete", compact=True)
                yield Static(id="profile-list")
                yield Static(id="as-of-label", classes="field-label")
                yield Input(value=self.hz.today.isoformat(), id="as-of")
                yield self._error_line("e-as-of")
                for topic in TOPICS:
                    facts = [f for f in FACTS.values() if f.topic == topic]
                    if not facts:
                        continue
                    yield Static(id=_topic_id(topic), classes="topic")
                    for fact in facts:
                        yield Static(id=f"l-{fact.name}", classes="field-label")
                        yield from self._field(fact)
                        yield self._error_line(f"e-{fact.name}")
            with Vertical(id="calc-results"):
                yield Prose(id="calc-total")
                yield DataTable(id="calc-table", cursor_type="row", zebra_stripes=True)
                with VerticalScroll(id="calc-detail-scroll"):
                    yield Prose(id="calc-detail")
        # As the explorer's: no padding and no palette key, so it fits 80 columns in every language.
        yield LocalFooter(compact=True, show_command_palette=False)

    @staticmethod
    def _error_line(name: str) -> Static:
        """Where a field's problem is said, under it; hidden while there is none."""
        line = Static("", id=name, classes="field-error")
        line.display = False
        return line

    def _field(self, fact: Fact) -> ComposeResult:
        value = self.initial.get(fact.name)
        if fact.type in TYPED:
            yield Input(value=_typed_text(fact, value), id=f"f-{fact.name}", classes="fact", restrict=r"[0-9.,\-]*")
        elif fact.type == "enum_list":
            chosen = set(value) if isinstance(value, list) else set()
            for item in fact.choices:
                with Horizontal(classes="list-item"):
                    yield Static(id=f"l-{fact.name}--{item}", classes="item-label")
                    choice = Choice([("", True), ("", False)], id=f"f-{fact.name}--{item}", classes="fact")
                    if value is not None:
                        choice.value = item in chosen
                    yield choice
        else:
            values: list[object] = [True, False] if fact.type == "bool" else list(fact.choices)
            choice = Choice([("", v) for v in values], id=f"f-{fact.name}", classes="fact")
            if value is not None:
                choice.value = value
            yield choice

    def on_mount(self) -> None:
        self.apply_locale()

    # -- words -----------------------------------------------------------------------------

    def on_screen_resume(self) -> None:
        # Shown again: the script or the language may have changed while it was away, and
        # another window may have saved a profile.
        if self.shown_locale != self.loc:
            self.apply_locale()
        else:
            self._refresh_profiles()

    def apply_locale(self) -> None:
        """Put every word of the screen in the app's script and language: the form's labels
        and choices, the table's columns, the result (the app calls this on the screens it
        shows when the reader switches; a screen kept aside catches up on resume)."""
        loc = self.loc
        self.shown_locale = loc
        self.query_one("#profile-name", Input).placeholder = loc.tr("Profile name (Enter opens a saved one)")
        self.query_one("#profile-save", Button).label = loc.tr("Save Ctrl+S")
        self.query_one("#profile-delete", Button).label = loc.tr("Delete")
        self.query_one("#as-of-label", Static).update(loc.tr("Calculation date (YYYY-MM-DD)"))
        for topic in TOPICS:
            for widget in self.query(f"#{_topic_id(topic)}").results(Static):
                widget.update(loc.doc(topic))
        for fact in FACTS.values():
            self._label_field(fact, loc)
        table = self.query_one(DataTable)
        table.clear(columns=True)
        for key, heading in COLUMNS:
            table.add_column(report.amount_heading(loc) if key == "amount" else loc.tr(heading), key=key)
        self._refresh_profiles()
        self.refresh_bindings()  # the footer's words
        self.recalculate()

    def _label_field(self, fact: Fact, loc: Locale) -> None:
        """A fact's label (the document's words, and the clauses it comes from) and the words
        of its choices."""
        numbers = ",".join(str(c) for c in fact.clauses)
        where = loc.trn("(clause {numbers})", "(clauses {numbers})", len(fact.clauses)).format(numbers=numbers)
        label = f"{loc.doc(fact.label)} {where}"
        if fact.type == "wan":
            label += " " + loc.tr("[10k yuan]")
        self.query_one(f"#l-{fact.name}", Static).update(label)
        unset = loc.tr(NOT_GIVEN)
        yes_no = [loc.tr(YES), loc.tr(NO)]
        if fact.type in TYPED:
            self.query_one(f"#f-{fact.name}", Input).placeholder = unset
        elif fact.type == "enum_list":
            for item, item_label in zip(fact.choices, fact.choice_labels, strict=True):
                self.query_one(f"#l-{fact.name}--{item}", Static).update(loc.doc(item_label))
                self.query_one(f"#f-{fact.name}--{item}", Choice).relabel(yes_no, unset)
        elif fact.type == "bool":
            self.query_one(f"#f-{fact.name}", Choice).relabel(yes_no, unset)
        else:
            labels = [loc.doc(label) for label in fact.choice_labels]
            self.query_one(f"#f-{fact.name}", Choice).relabel(labels, unset)

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
            raw = self.query_one(f"#f-{fact.name}", Input).value.strip()
            if not raw:
                continue
            try:
                value = raw if fact.type == "wan" else int(raw)
                facts[fact.name] = validate_value(fact.name, value)
            except ValueError as exc:
                self.errors[fact.name] = self._explain(raw, exc)
        return facts

    def _explain(self, raw: str, exc: Exception) -> str:
        """What is wrong with a typed figure, worded from its error code."""
        loc = self.loc
        code = exc.code if isinstance(exc, ProfileError) else Problem.NOT_A_NUMBER  # else int() refused it
        if code is Problem.NEGATIVE:
            return loc.tr("must not be negative")
        if code is Problem.TOO_LARGE:
            return loc.tr("too large (the unit is 10k yuan)")
        if code is Problem.OUT_OF_RANGE and isinstance(exc, ProfileError):
            return loc.tr("must be between {minimum} and {maximum}").format(minimum=exc.minimum, maximum=exc.maximum)
        return loc.tr("not a number: {value}").format(value=repr(raw))

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
        self._error("#e-as-of", "" if when else self.loc.tr("Date format: YYYY-MM-DD; calculated for today meanwhile"))
        when = when or self.hz.today
        try:
            self.result = evaluate(list(self.hz.doc.rules), facts, when, self.hz.doc)
        except ProfileError as exc:  # the form validated each value; keep the message if not
            self.notify(self.loc.say(exc.notice), severity="error")
            return
        self.hz.calc_profile = facts
        self._show(self.result)

    def _error(self, selector: str, message: str) -> None:
        """An inline message beside its field; hidden when there is none. Only a message
        that changed is touched: each update lays the form out again, on every keystroke."""
        if self._errors_shown.get(selector, "") == message:
            return
        self._errors_shown[selector] = message
        widget = self.query_one(selector, Static)
        widget.update(Text(message, style="bold red"))
        widget.display = bool(message)

    def _show(self, result: Result) -> None:
        loc = self.loc
        name = loc.tr("Subsidy calculator")
        title = f" {name}  {report.date_line(result, loc)}"
        marks = [Mark(0, len(name) + 1, "strong")]
        if not result.in_force:
            badge = report.not_in_force_badge(loc)
            title += f"  {badge}"
            marks.append(Mark(len(title) - len(badge), len(title), "bad"))
        self.query_one("#calc-title", Prose).show([Block("title", title, tuple(marks))])
        counts = report.counts_text(result, loc)
        total = [report.total_block(result, loc), Block("meta", counts, (Mark(0, len(counts), "dim"),))]
        if self.errors:
            n = len(self.errors)
            wrong = loc.trn(
                "{n} field has an error and is not counted", "{n} fields have errors and are not counted", n
            ).format(n=n)
            total.append(Block("meta", wrong, (Mark(0, len(wrong), "bad"),)))
        self.query_one("#calc-total", Prose).show(total)
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        for item in in_reading_order(result.items):
            tone = report.STATUS_TONE[item.status]
            style = self.get_component_rich_style(f"calculator--{tone}", partial=True)
            table.add_row(
                report.clause_label(item),
                report.title(item, loc),
                Text(report.status_name(item.status, loc), style=style),
                report.amount_cell(item, loc),
                loc.tr(YES) if item.capped else "",
                report.summary(item, loc),
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
        blocks: list[Block] = []
        if item is not None and self.result is not None:
            loc = self.loc
            hint = loc.tr("Enter or Ctrl+O: open this sentence in its clause")
            blocks = [
                *report.detail_blocks(item, self.result.as_of, loc),
                Block("meta", hint, (Mark(0, len(hint), "dim"),)),
            ]
        self.query_one("#calc-detail", Prose).show(blocks)

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
        loc = self.loc
        sources: dict[str, ExportSource] = {
            "calc": (
                loc.tr("Calculator result"),
                lambda: (
                    export.calc_records(result, loc),
                    loc.doc(result.document_title),
                    export.calc_meta(result),
                ),
            )
        }

        def done(path: Path | None) -> None:
            if path is not None:
                words = self.loc.tr("Exported to {path}").format(path=path)
                self.notify(words, title=self.loc.tr("Export"), timeout=6)

        self.hz.push_screen(ExportScreen(sources), done)

    # -- saved profiles ----------------------------------------------------------------------

    def _refresh_profiles(self) -> None:
        loc = self.loc
        names = self.hz.user.profile_names()
        if self._profiles_shown == (loc, names):
            return
        self._profiles_shown = (loc, names)
        text = Text(loc.tr("Saved profiles:") + " ", style="dim")
        if not names:
            text.append(loc.tr("(none)"), style="dim")
        for name in names:
            text.append(f"[{name}] ", style="bold")
        self.query_one("#profile-list", Static).update(text)

    def _profile_name(self) -> str:
        return self.query_one("#profile-name", Input).value.strip()

    @on(Button.Pressed, "#profile-save")
    def action_save(self) -> None:
        name = self._profile_name()
        if not name:
            self.notify(self.loc.tr("Type a profile name first"), severity="warning")
            self.query_one("#profile-name", Input).focus()
            return
        problem = self.hz.user.save_profile(name, self.profile())
        if problem:
            self.notify(problem, severity="error")
            return
        self._refresh_profiles()
        self.notify(self.loc.tr('Saved profile "{name}"').format(name=name))

    @on(Input.Submitted, "#profile-name")
    def _open_profile(self) -> None:
        """Enter in the name box opens a saved profile of that name."""
        name = self._profile_name()
        facts = self.hz.user.load_profile(name)
        if facts is None:
            self.notify(
                self.loc.tr('No profile named "{name}"; Ctrl+S saves one').format(name=name), severity="warning"
            )
            return
        self.fill(facts)
        self.notify(self.loc.tr('Opened profile "{name}"').format(name=name))

    @on(Button.Pressed, "#profile-delete")
    def _delete_profile(self) -> None:
        name = self._profile_name()
        if not self.hz.user.delete_profile(name):
            self.notify(self.loc.tr('No profile named "{name}"').format(name=name), severity="warning")
            return
        self._refresh_profiles()
        self.notify(self.loc.tr('Deleted profile "{name}"').format(name=name))

    def fill(self, facts: Facts) -> None:
        """Put a profile's figures into the form (facts it lacks are cleared)."""
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
                    self.query_one(f"#f-{fact.name}", Input).value = _typed_text(fact, value)
        self.recalculate()
