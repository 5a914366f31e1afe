"""The App: stylesheet, app-wide keys, command palette, settings. Screens do the rest."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from .commands import ActionCommands, ClauseCommands
from .core.i18n import N_, Lang, Locale
from .core.models import Document, Script, other_script
from .core.userdata import UserData
from .screens.main import MainScreen

if TYPE_CHECKING:
    from textual.theme import Theme

    from .core.facts import Facts
    from .core.search import Hit, SearchIndex
    from .screens.insights import InsightsChoice


# Textual's own words on the command palette's key, for the catalogs (the footer translates them).
TEXTUAL_WORDS = (N_("palette"), N_("Open the command palette"))


class HzPolicyApp(App[None]):
    """The app's own state lives here; screens and widgets reach it through a typed ``hz``
    property (``cast("HzPolicyApp", self.app)``), as Textual types ``self.app`` as any App."""

    CSS_PATH = "app.tcss"
    TITLE = "hzpolicy-tui"
    # Textual's own system commands are replaced by ours: the same actions, in the reader's words.
    COMMANDS: ClassVar = {ActionCommands, ClauseCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", N_("Help"), id="help", tooltip=N_("Show the keys and what they do")),
        Binding("question_mark", "help", N_("Help"), show=False, id="help-q", tooltip=N_("Show the keys")),
        Binding(
            "f2",
            "calculator",
            N_("Calculator"),
            id="calculator",
            tooltip=N_("Which clauses apply to an enterprise, and the most each gives"),
        ),
        Binding(
            "ctrl+g",
            "insights",
            N_("Overview"),
            show=False,
            id="insights",
            tooltip=N_("Agencies, every money figure, the budget chart and the targets"),
        ),
        Binding(
            "g",
            "insights",
            N_("Overview"),
            show=False,
            id="insights-g",
            tooltip=N_("Agencies, every money figure, the budget chart and the targets"),
        ),
        Binding(
            "f8",
            "change_theme",
            N_("Theme"),
            show=False,
            id="theme",
            tooltip=N_("Choose a colour theme (kept for next time)"),
        ),
        Binding(
            "f12",
            "toggle_language",
            N_("Language"),
            show=False,
            id="language",
            tooltip=N_("Interface in Chinese or English (kept for next time)"),
        ),
        Binding("ctrl+q", "quit", N_("Quit"), id="quit", tooltip=N_("Quit")),
        Binding("q", "quit", N_("Quit"), show=False, id="quit-q", tooltip=N_("Quit")),
    ]

    def __init__(self, doc: Document, user: UserData | None = None, today: date | None = None) -> None:
        super().__init__()
        self.doc = doc
        self._index: SearchIndex | None = None
        self.user = user if user is not None else UserData()
        self.today = today or date.today()
        self.script: Script = self.user.script
        self.lang: Lang = self.user.lang
        self.export_format = "md"  # the format last exported, offered first in the export dialog
        self.calc_profile: Facts = {}  # the calculator's figures (the screen itself is kept once built)
        self.bookmarks: set[int] = set(self.user.bookmarks())
        self.notes: dict[int, str] = self.user.notes()
        self.crashed: tuple[Exception, Path | None] | None = None  # the first internal error, and its report

    def get_key_display(self, binding: Binding) -> str:
        """Keys as printed on keyboards: F4, Esc, Shift+F3 (Textual writes f4, esc, shift+f3);
        Ctrl stays a caret (^e), and a single character as it is (/ ? n N)."""
        display = super().get_key_display(binding)
        if display.startswith("^"):
            return display
        return "+".join(part.capitalize() if len(part) > 1 else part for part in display.split("+"))

    def _handle_exception(self, error: Exception) -> None:
        """An error of the program's own: keep a report on disk before Textual stops the app
        (it prints the traceback; the command line then says where the report is)."""
        if self.crashed is None:
            from .core.crash import write_report

            self.crashed = (error, write_report(error, sys.argv[1:]))
        super()._handle_exception(error)

    @property
    def locale(self) -> Locale:
        """The reader's script and language: what every screen speaks and shows."""
        return Locale(self.script, self.lang)

    @property
    def index(self) -> SearchIndex:
        """The search index, built (and its module imported) on first use, not at start-up."""
        if self._index is None:
            from .core.search import SearchIndex

            self._index = SearchIndex(self.doc)
        return self._index

    def on_mount(self) -> None:
        theme = self.user.get("theme")
        if isinstance(theme, str) and theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        warning = self.user.warning_in(self.locale)
        if warning:
            self.notify(warning, severity="warning", timeout=10)

    def on_app_focus(self, event: events.AppFocus) -> None:
        """Back in this window: show what another instance saved meanwhile."""
        main = self._main()
        if main is not None and main.is_mounted:
            main.reload_user_data()

    def get_default_screen(self) -> Screen[Any]:
        # The explorer is the default screen itself: pushing it over an empty one costs a
        # second layout at start-up.
        return MainScreen()

    def _theme_changed(self, theme: Theme) -> None:
        problem = self.user.set("theme", theme.name)
        if problem:
            self.notify(self.locale.say(problem), severity="error")

    # -- actions -----------------------------------------------------------------------------

    def action_command_palette(self) -> None:
        """Textual's palette, asking in the reader's words (its placeholder is English)."""
        from textual.command import CommandPalette

        if self.use_command_palette and not any(isinstance(s, CommandPalette) for s in self.screen_stack):
            words = self.locale.tr("Search for actions and clauses...")
            self.push_screen(CommandPalette(placeholder=words, id="--command-palette"))

    def search_themes(self) -> None:
        """Textual's theme picker, asking in the reader's words."""
        from textual.command import CommandPalette
        from textual.theme import ThemeProvider

        self.push_screen(CommandPalette(providers=[ThemeProvider], placeholder=self.locale.tr("Search for themes...")))

    def action_help(self) -> None:
        from .screens.help import HelpScreen  # imported on first use: start-up stays lean

        if isinstance(self.screen, HelpScreen):
            return
        # Built once per screen and language, and kept (installed): opening it again only
        # draws it. The key table depends on the screen it is for and on the reader's words.
        name = f"help-{type(self.screen).__name__}-{self.locale.catalog or 'en'}"
        if not self.is_screen_installed(name):
            self.install_screen(HelpScreen(self.screen), name)
        self.push_screen(name)

    def action_calculator(self) -> None:
        from .screens.calculator import CalculatorScreen  # imported on first use

        if isinstance(self.screen, CalculatorScreen):
            return
        # Built once and kept (an installed screen is not destroyed when closed): it opens
        # again at once, with the figures as they were typed, in the words of the moment.
        if not self.is_screen_installed("calculator"):
            if not self.doc.rules:
                self.notify(self.locale.tr("This store has no calculator rules."), severity="warning")
                return
            from .core.rules import RuleError, check_document_rules

            try:
                check_document_rules(self.doc)
            except RuleError as exc:
                words = self.locale.tr("The store's calculator rules are wrong ({problem}); rebuild the store.")
                self.notify(words.format(problem=self.locale.say(exc.notice)), severity="error", timeout=10)
                return
            self.install_screen(CalculatorScreen(self.calc_profile), "calculator")
        self.push_screen("calculator", self._calculator_done)

    def action_insights(self) -> None:
        from .screens.insights import InsightsScreen  # imported on first use

        if isinstance(self.screen, InsightsScreen):
            return
        # Built once and kept (an installed screen is not destroyed when closed): it opens
        # again as it was left, and catches up with the words and the width when shown.
        if not self.is_screen_installed("insights"):
            self.install_screen(InsightsScreen(), "insights")
        self.push_screen("insights", self._insights_done)

    def _insights_done(self, chosen: InsightsChoice | None) -> None:
        main = self._main()
        if not chosen or main is None:
            return
        match chosen:
            case ("agency", name):
                main.filter_agency(name)
            case ("figure", clause, start, end):
                main.open_clause(clause, text_span=(start, end))
            case ("domain", number):
                main.open_target(("domain", number))

    def _calculator_done(self, chosen: tuple[int, str] | None) -> None:
        main = self._main()
        if chosen is not None and main is not None:
            clause, quote = chosen
            main.open_clause(clause, quote=quote)

    def toggle_script(self) -> None:
        self.script = other_script(self.script)
        problem = self.user.set("script", self.script)
        if problem:
            self.notify(self.locale.say(problem), severity="error")
        self._locale_changed()

    def action_toggle_language(self) -> None:
        self.lang = "en" if self.lang == "zh" else "zh"
        problem = self.user.set("lang", self.lang)
        if problem:
            self.notify(self.locale.say(problem), severity="error")
        self._locale_changed()
        language = "English" if self.lang == "en" else "中文"
        self.notify(self.locale.tr("Interface language: {language}").format(language=language), timeout=3)

    def _locale_changed(self) -> None:
        """Every screen on the stack speaks the new script and language now; screens kept
        for later (the calculator, the overview) catch up when shown again."""
        for screen in self.screen_stack:
            apply = getattr(screen, "apply_locale", None)
            if callable(apply):
                apply()
        self.refresh_bindings()  # the footers, in the new words

    def jump_to_clause(self, number: int) -> None:
        main = self._main()
        if main is not None:
            main.open_clause(number)

    def open_found(self, hit: Hit, marks: tuple[str, ...]) -> None:
        """Show a search result (a clause, a domain, the document's page), its matches marked."""
        main = self._main()
        if main is not None:
            main.open_found(hit, marks)

    def _main(self) -> MainScreen | None:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        return None


def build_app(doc: Document, user: UserData | None = None, today: date | None = None) -> HzPolicyApp:
    """The one factory: the command line and the tests both build the app here."""
    return HzPolicyApp(doc, user=user, today=today)
