"""The calculator: a form in the document's words, results that show their working.

Built once and kept by the app (an installed screen), so it opens at once and as it was left;
when the reader changed the script or the language meanwhile, its words catch up as it is
shown again (:meth:`CalculatorScreen.apply_locale`). Every word it shows is either the
interface's (a catalog message) or the document's (a fact's label, a rule's title, in the
reader's script); a result reads as :mod:`..core.report` describes it.

Returns through ``dismiss((clause, quote))`` when the reader opens a result's clause, so the
explorer can show it with the quoted sentence marked (modal results, not shared state)."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from ..core import report
from ..core.calculator import NOT_APPLICABLE, STATUS_ORDER, Item, Result, evaluate, in_reading_order, wan_text
from ..core.dates import ChosenDate, DateError, calculation_date, parse_date
from ..core.facts import FACTS, MAX_WAN, TOPICS, Fact, Facts, Problem, ProfileError, typed_figure, validate_value
from ..core.i18n import N_, Locale
from ..core.money import grouped, plain
from ..core.present import Block, Mark
from ..core.wrap import cell_width
from ..widgets.choice import Choice
from ..widgets.footer import LocalFooter
from ..widgets.labels import fit
from ..widgets.prose import Prose
from .base import OfTheApp

if TYPE_CHECKING:
    from .dialogs import ExportSource

TYPED = ("wan", "int")  # fact types typed into an Input; the others are chosen with a Choice
NOT_GIVEN = N_("not given")  # a fact the reader has not filled in (never a guess)
YES, NO = N_("yes"), N_("no")
MAX_NAME = 60  # a profile's name: a firm's name, not a paragraph
FOLD = "fold"  # the id of the line that shows or hides the results that do not apply
PLAIN_FIGURE = re.compile(r"[0-9]+(\.[0-9]+)?")  # ASCII: \d would take １２ too
WIDE = 64  # from this width of the list (120 columns), a result's first line also holds its working


def _typed_text(fact: Fact, value: object) -> str:
    """A fact's value as typed into its box."""
    if value is None:
        return ""
    return plain(Decimal(str(value))) if fact.type == "wan" else str(value)


def _topic_id(topic: str) -> str:
    return f"topic-{TOPICS.index(topic)}"


class CalculatorScreen(OfTheApp, Screen[tuple[int, str] | None]):
    # No automatic focus: Textual would centre the focused field, scrolling the profile and
    # the date out of view; on_mount focuses the first figure without scrolling.
    AUTO_FOCUS = ""
    FIRST_FIELD = "#f-rd_spend"  # the first figure typed (not a yes/no choice, which Enter cycles)
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
        # priority: a field's own Ctrl+E (cursor to the end) must not swallow it; End does that.
        Binding(
            "ctrl+e",
            "export",
            N_("Export"),
            id="calc-export",
            priority=True,
            tooltip=N_("Export this result as a report (md, csv, json, html)"),
        ),
        Binding(
            "f3", "profiles", N_("Profiles"), id="calc-profiles", tooltip=N_("Open, rename or delete a saved profile")
        ),
        Binding(
            "f4",
            "toggle_script",
            N_("Script"),
            show=False,  # the footer is full at 80 columns; help and the palette list it
            id="calc-script",
            tooltip=N_("Switch between Traditional and Simplified"),
        ),
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
        self.read_as: dict[str, str] = {}  # how each figure typed another way was read
        self._errors_shown: dict[str, str] = {}  # what each field's error line shows now
        self.shown_locale: Locale | None = None  # the words the screen was last put in
        self.chosen: ChosenDate | None = None  # the date given when the reader names none, and why
        self.unfolded = False  # whether the results that do not apply are listed one by one
        self.profile_label = ""  # the saved profile the figures came from (or were saved as)
        self._recalc_due = False  # a recalculation is scheduled (see _changed)
        self._listed: tuple[object, ...] = ()  # what the result list shows now (see _list)

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # Widgets are made here without words; apply_locale() gives them theirs on mount.
        doc = self.hz.doc
        self.chosen = calculation_date(doc.valid_from, doc.valid_to, self.hz.today)
        with Vertical(id="calc-head"):  # one docked block: docked widgets of one edge overlap
            yield Static(id="calc-too-small")
            yield Prose(id="calc-title")
            yield Prose(id="calc-banner")
        with Horizontal(id="calc-panes"):
            with VerticalScroll(id="calc-form", can_focus=False):  # Tab goes field to field
                yield Input(id="profile-name", max_length=MAX_NAME)
                with Horizontal(classes="profile-bar"):
                    yield Button("", id="profile-save", compact=True)
                    yield Button("", id="profile-open", compact=True)
                    yield Button("", id="profile-delete", compact=True)
                yield Static(id="as-of-label", classes="field-label")
                yield Input(value=self.chosen.day.isoformat(), id="as-of")
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
                yield OptionList(id="calc-list")
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
            # No restrict: a full-width digit from an input method, or 1500萬, is read (and
            # anything else named under the field), never silently dropped.
            yield Input(value=_typed_text(fact, value), id=f"f-{fact.name}", classes="fact")
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
        self.set_focus(self.query_one(self.FIRST_FIELD), scroll_visible=False)  # before the first frame
        self.apply_locale()

    # -- words -----------------------------------------------------------------------------

    def on_screen_resume(self) -> None:
        # Shown again: the script or the language may have changed while it was away.
        if self.shown_locale != self.loc:
            self.apply_locale()

    def apply_locale(self) -> None:
        """Put every word of the screen in the app's script and language: the form's labels
        and choices, the result (the app calls this on the screens it shows when the reader
        switches; a screen kept aside catches up on resume)."""
        loc = self.loc
        self.shown_locale = loc
        self.query_one("#profile-name", Input).placeholder = loc.tr("Profile name")
        self.query_one("#profile-save", Button).label = loc.tr("Save ^S")
        self.query_one("#profile-open", Button).label = loc.tr("Open F3")
        self.query_one("#profile-delete", Button).label = loc.tr("Delete")
        for button in self.query(".profile-bar Button"):  # their widths change with the language
            button.refresh(layout=True)
        self.query_one("#as-of-label", Static).update(loc.tr("Calculation date (2024-06-30)"))
        for topic in TOPICS:
            for widget in self.query(f"#{_topic_id(topic)}").results(Static):
                widget.update(loc.doc(topic))
        for fact in FACTS.values():
            self._label_field(fact, loc)
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
        self.read_as = {}
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
                typed = typed_figure(raw)
                value = typed if fact.type == "wan" else int(typed)
                facts[fact.name] = validate_value(fact.name, value)
            except ValueError as exc:
                self.errors[fact.name] = self._explain(raw, exc)
                continue
            if not PLAIN_FIGURE.fullmatch(raw):  # １２０００, 1.2亿, 1,500: say how it was read
                self.read_as[fact.name] = self._read_as(fact, facts[fact.name])
        return facts

    def _explain(self, raw: str, exc: Exception) -> str:
        """What is wrong with a typed figure, worded from its error code."""
        loc = self.loc
        code = exc.code if isinstance(exc, ProfileError) else Problem.NOT_A_NUMBER  # else int() refused it
        if code is Problem.NEGATIVE:
            return loc.tr("must not be negative")
        if code is Problem.TOO_LARGE:
            return loc.tr("too large: at most {maximum} (the unit is 10k yuan)").format(maximum=grouped(MAX_WAN))
        if code is Problem.NOT_A_FIGURE:  # too many digits, or a power of ten no amount has
            return loc.tr("not a figure: {value} (at most 15 digits, the unit is 10k yuan)").format(
                value=repr(fit(raw, 24))
            )
        if code is Problem.OUT_OF_RANGE and isinstance(exc, ProfileError):
            return loc.tr("must be between {minimum} and {maximum}").format(minimum=exc.minimum, maximum=exc.maximum)
        return loc.tr("not a number: {value}").format(value=repr(fit(raw, 24)))

    def as_of(self) -> date | None:
        """The date typed (2024-06-30, 2024-6-30, 2024/6/30, 2024年6月30日), or None."""
        try:
            return parse_date(self.query_one("#as-of", Input).value)
        except DateError:
            return None

    # -- recalculating -----------------------------------------------------------------------

    @on(Input.Changed, ".fact")
    @on(Input.Changed, "#as-of")
    @on(Choice.Changed)
    def _changed(self) -> None:
        # Once for all the changes of one turn of the event loop (a paste, a profile's
        # figures, keys typed faster than a frame), not once for each.
        if not self._recalc_due:
            self._recalc_due = True
            self.call_later(self._recalculate_due)

    def _recalculate_due(self) -> None:
        if self._recalc_due:
            self.recalculate()

    def recalculate(self) -> None:
        self._recalc_due = False
        facts = self.profile()
        for fact in FACTS.values():
            problem = self.errors.get(fact.name, "")
            if problem:
                self._error(f"#e-{fact.name}", problem)
            else:
                self._error(f"#e-{fact.name}", self.read_as.get(fact.name, ""), note=True)
        when = self.as_of()
        fallback = self.chosen.day if self.chosen else self.hz.today
        if when is None:
            problem = self.loc.tr("Not a date: write 2024-06-30 or 2024/6/30; calculated for {date} meanwhile")
            self._error("#e-as-of", problem.format(date=fallback.isoformat()))
        else:
            self._error("#e-as-of", "")
        when = when or fallback
        try:
            self.result = evaluate(list(self.hz.doc.rules), facts, when, self.hz.doc)
        except ProfileError as exc:  # the form validated each value; keep the message if not
            self.notify(self.loc.say(exc.notice), severity="error")
            return
        self.hz.calc_profile = facts
        self._show(self.result, self.given_date())

    def given_date(self) -> ChosenDate | None:
        """The date the screen chose (and why), while the date box still holds it; None once
        the reader typed another (their own choice needs no reason)."""
        box = self.query_one("#as-of", Input).value.strip()
        return self.chosen if self.chosen is not None and box == self.chosen.day.isoformat() else None

    def _read_as(self, fact: Fact, value: object) -> str:
        """读作 12000 万元: what the calculator took from a figure typed another way, never a
        guess the reader cannot see."""
        shown = wan_text(Decimal(str(value)), self.loc) if fact.type == "wan" else str(value)
        return self.loc.tr("read as {value}").format(value=shown)

    def _error(self, selector: str, message: str, *, note: bool = False) -> None:
        """An inline message beside its field (``note``: how a figure was read, not a
        problem); hidden when there is none. Only a message that changed is touched: each
        update lays the form out again, on every keystroke."""
        key = ("note:" if note and message else "") + message
        if self._errors_shown.get(selector, "") == key:
            return
        self._errors_shown[selector] = key
        widget = self.query_one(selector, Static)
        widget.update(Text(message, style="dim" if note else "bold red"))
        widget.display = bool(message)

    def _show(self, result: Result, chosen: ChosenDate | None) -> None:
        loc = self.loc
        name = loc.tr("Subsidy calculator")
        title = f" {name}  {report.date_line(result, loc)}"
        marks = [Mark(0, len(name) + 1, "strong")]
        if not result.in_force:
            badge = report.not_in_force_badge(loc)
            title += f"  {badge}"
            marks.append(Mark(len(title) - len(badge), len(title), "bad"))
        self.query_one("#calc-title", Prose).show([Block("title", title, tuple(marks))])
        banner = report.because_block(chosen, loc)
        self.query_one("#calc-banner", Prose).show([banner] if banner else [])
        self.query_one("#calc-banner").display = banner is not None
        counts = report.counts_text(result, loc)
        total = [report.total_block(result, loc)]
        left_out = report.left_out_block(result, loc)
        if left_out is not None:
            total.append(left_out)
        not_cash = report.not_cash_block(result, loc, short=True)
        if not_cash is not None:
            total.append(not_cash)
        total.append(Block("meta", counts, (Mark(0, len(counts), "dim"),)))
        if self.errors:
            n = len(self.errors)
            wrong = loc.trn(
                "{n} field has an error and is not counted", "{n} fields have errors and are not counted", n
            ).format(n=n)
            total.append(Block("meta", wrong, (Mark(0, len(wrong), "bad"),)))
        self.query_one("#calc-total", Prose).show(total)
        self._list(result)

    # -- the list of results -------------------------------------------------------------------

    def _style(self, status: str) -> str:
        return str(self.get_component_rich_style(f"calculator--{report.STATUS_TONE[status]}", partial=True))

    def _line(self, item: Item, width: int) -> Text:
        """A result in two lines that fit ``width``: its clause, status and what it gives
        (the amount beats the rule's name for room), then its name; in a wide list the first
        line also shows the working (or what is missing)."""
        loc = self.loc
        status = report.status_name(item.status, loc)
        first = Text(report.clause_label(item) + " ")
        first.append(status, style=self._style(item.status))
        what = report.amount_text(item, loc)
        if item.capped:
            what += " " + report.capped_note(loc)
        if item.left_out:
            what += " " + loc.tr("[not counted]")
        if not what or (width >= WIDE and item.kind != "priority"):  # a priority's working is its name
            extra = report.summary(item, loc)
            what = f"{what}  {extra}" if what and extra else (what or extra)
        room = width - cell_width(first.plain) - 2
        if what and room > 3:
            first.append("  ")
            style = "bold" if item.counted else ("dim" if not report.has_amount(item) else "")
            first.append(fit(what, room), style=style)
        second = Text("   " + fit(report.title(item, loc), max(4, width - 3)), style="dim")
        return Text("\n").join([first, second])

    def _list_width(self) -> int:
        box = self.query_one("#calc-list", OptionList)
        return max(20, box.scrollable_content_region.width - 1)

    def _list(self, result: Result) -> None:
        """The results by status, each group under its name and count; those that do not
        apply folded into one line unless the reader opened it (Enter on it)."""
        loc = self.loc
        box = self.query_one("#calc-list", OptionList)
        # The reader moving through the list keeps their place; otherwise the first result
        # (what applies) is the one explained as figures are typed.
        option = box.highlighted_option
        kept = option.id if option is not None and (box.has_focus or option.id == FOLD) else None
        width = self._list_width()
        items = in_reading_order(result.items)
        options: list[Option] = []
        for status in STATUS_ORDER:
            group = [i for i in items if i.status == status]
            if not group:
                continue
            heading = Text(f"{report.status_name(status, loc)} {len(group)}", style=self._style(status) + " underline")
            if status == NOT_APPLICABLE:
                hint = loc.tr("Enter: hide") if self.unfolded else loc.tr("Enter: show them")
                heading.append(f"  ({hint})", style="dim")
                options.append(Option(heading, id=FOLD))
                if not self.unfolded:
                    continue
            else:
                options.append(Option(heading, id=f"group-{status}", disabled=True))
            options += [Option(self._line(item, width), id=item.rule) for item in group]
        shown = (width, *((o.id, o.prompt) for o in options))
        if shown == self._listed:  # typing that changes no result does not redraw the list
            self._show_detail()
            return
        self._listed = shown
        with self.prevent(OptionList.OptionHighlighted):
            box.set_options(options)
            ids = [o.id for o in options]
            first = next((i for i, o in enumerate(options) if not o.disabled), None)
            box.highlighted = ids.index(kept) if kept in ids else first
        self._show_detail()

    MINIMUM = (40, 12)  # as the explorer's

    def on_resize(self) -> None:
        width, height = self.size
        notice = self.query_one("#calc-too-small", Static)
        words = self.loc.tr("Terminal too small ({width}x{height}): make it at least {min_width}x{min_height}")
        notice.update(
            Text(words.format(width=width, height=height, min_width=self.MINIMUM[0], min_height=self.MINIMUM[1]))
        )
        notice.display = width < self.MINIMUM[0] or height < self.MINIMUM[1]
        if self.result is not None:  # the lines are cut to the list's width
            self.call_after_refresh(self._list, self.result)

    @on(OptionList.OptionHighlighted, "#calc-list")
    def _row(self) -> None:
        self._show_detail()

    def selected_item(self) -> Item | None:
        box = self.query_one("#calc-list", OptionList)
        option = box.highlighted_option
        if self.result is None or option is None:
            return None
        return next((i for i in self.result.items if i.rule == option.id), None)

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

    @on(OptionList.OptionSelected, "#calc-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == FOLD:
            self.unfolded = not self.unfolded
            if self.result is not None:
                self._list(self.result)
            return
        self.action_open_clause()

    def action_open_clause(self) -> None:
        item = self.selected_item()
        if item is not None:
            self.dismiss((item.clause, item.quote))

    def action_close(self) -> None:
        self.dismiss(None)

    def action_toggle_script(self) -> None:
        self.hz.toggle_script()

    def report_facts(self) -> report.ReportFacts:
        """What the report says besides the result: the profile's name and figures, why the date."""
        return report.ReportFacts(
            facts=dict(self.hz.calc_profile),
            profile_name=self.profile_label,
            chosen=self.given_date(),
            made=datetime.now(),
            issuer=self.hz.doc.issuer or "",
        )

    def action_export(self) -> None:
        from .dialogs import ExportScreen

        result = self.result
        if result is None:
            return
        source = report_source(result, self.report_facts(), self.loc)
        self.hz.push_screen(ExportScreen({"calc": source}))  # it says where it wrote

    # -- saved profiles ----------------------------------------------------------------------

    def _profile_name(self) -> str:
        return self.query_one("#profile-name", Input).value.strip()

    @on(Button.Pressed, "#profile-save")
    def action_save(self) -> None:
        name = self._profile_name()
        if not name:
            self.notify(self.loc.tr("Type a profile name first"), severity="warning")
            self.query_one("#profile-name", Input).focus()
            return
        if name != self.profile_label and name in self.hz.user.profile_names():
            # another profile of that name (another firm's figures, or saved from another
            # window): replaced only when the reader says so
            from pathlib import Path

            from .dialogs import ReplaceScreen

            loc = self.loc
            ask = ReplaceScreen(
                Path(name),
                question=loc.tr('Replace the saved profile "{name}"?').format(name=name),
                why=loc.tr("A profile of this name is saved already. Replacing it loses its figures."),
            )
            self.hz.push_screen(ask, lambda yes: self._save(name) if yes else None)
            return
        self._save(name)

    def _save(self, name: str) -> None:
        problem = self.hz.user.save_profile(name, self.profile())
        if problem:
            self.notify(problem, severity="error")
            return
        self.profile_label = name
        self.notify(self.loc.tr('Saved profile "{name}"').format(name=name))

    @on(Button.Pressed, "#profile-open")
    def action_profiles(self) -> None:
        """The saved profiles, to open, rename or delete one (arrows, Enter)."""
        from .profiles import ProfilePickerScreen

        def chosen(name: str | None) -> None:
            if name:
                self.open_profile(name)

        self.hz.push_screen(ProfilePickerScreen(current=self._profile_name() or None), chosen)

    @on(Input.Submitted, "#profile-name")
    def _open_profile(self) -> None:
        """Enter in the name box opens a saved profile of that name, or the picker."""
        name = self._profile_name()
        if name and name in self.hz.user.profile_names():
            self.open_profile(name)
        else:
            self.action_profiles()

    def open_profile(self, name: str) -> None:
        facts = self.hz.user.load_profile(name)
        if facts is None:
            self.notify(
                self.loc.tr('No profile named "{name}"; Ctrl+S saves one').format(name=name), severity="warning"
            )
            return
        self.query_one("#profile-name", Input).value = name
        self.profile_label = name
        self.fill(facts)
        self.notify(self.loc.tr('Opened profile "{name}"').format(name=name))

    @on(Button.Pressed, "#profile-delete")
    def _delete_profile(self) -> None:
        name = self._profile_name()
        if not self.hz.user.delete_profile(name):
            self.notify(self.loc.tr('No profile named "{name}"').format(name=name), severity="warning")
            return
        if self.profile_label == name:
            self.profile_label = ""
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


def report_source(result: Result, about: report.ReportFacts, loc: Locale) -> ExportSource:
    """The calculator's result as the export dialog offers it: the report a consultant sends,
    in each format (:func:`.core.report.render_report`)."""
    from .dialogs import ExportSource

    return ExportSource(
        loc.tr("Calculator report"),
        None,
        "calc-" + (about.profile_name or "result"),
        lambda fmt: report.render_report(result, about, fmt, loc),
    )


class NoRulesScreen(OfTheApp, ModalScreen[None]):
    """What the calculator shows for a package without calculator rules: one plain message
    naming the package and those that have rules (never an empty result, and never another
    package's rules). Esc goes back; Ctrl+O opens the package picker."""

    AUTO_FOCUS = ""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "close", N_("Back"), id="norules-back", tooltip=N_("Back to the explorer")),
        Binding("f2", "close", N_("Back"), show=False, id="norules-back-f2", tooltip=N_("Back to the explorer")),
        Binding(
            "ctrl+o,p",
            "packages",
            N_("Package"),
            id="norules-packages",
            tooltip=N_("Open another policy package of the library"),
        ),
    ]
    DEFAULT_CSS = """
    NoRulesScreen {
        align: center middle;
    }
    """

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="norules"):
            yield Static(Text(self.loc.tr("Calculator"), style="bold"))
            yield Prose(Text(self.message), id="norules-message")
        yield LocalFooter(compact=True, show_command_palette=False)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_packages(self) -> None:
        self.dismiss(None)
        self.hz.call_next(self.hz.choose_package)
