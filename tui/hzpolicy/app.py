"""The App: stylesheet, app-wide keys, command palette, settings. Screens do the rest."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from .commands import ActionCommands, ClauseCommands, PackageCommands
from .core.i18n import N_, Lang, Locale, Notice
from .core.models import Document, Script, other_script
from .core.paths import SHIPPED_PACKAGE
from .core.userdata import UserData
from .screens.main import MainScreen

if TYPE_CHECKING:
    from textual.theme import Theme

    from .core.facts import Facts
    from .core.library import Library, Package
    from .core.search import Hit, SearchIndex
    from .screens.compare import CompareOpen
    from .screens.insights import InsightsChoice
    from .screens.packages import PackageChosen


# Textual's own words on the command palette's key, for the catalogs (the footer translates them).
TEXTUAL_WORDS = (N_("palette"), N_("Open the command palette"))


class HzPolicyApp(App[None]):
    """The app's own state lives here; screens and widgets reach it through a typed ``hz``
    property (``cast("HzPolicyApp", self.app)``), as Textual types ``self.app`` as any App."""

    CSS_PATH = "app.tcss"
    TITLE = "hzpolicy-tui"
    # Textual's own system commands are replaced by ours: the same actions, in the reader's words.
    COMMANDS: ClassVar = {ActionCommands, ClauseCommands, PackageCommands}
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
            "ctrl+d",
            "compare",
            N_("Compare"),
            show=False,
            id="compare",
            tooltip=N_(
                "What changed between two packages: clauses new, merged, split or removed, amounts raised or cut"
            ),
        ),
        Binding(
            "d",
            "compare",
            N_("Compare"),
            show=False,
            id="compare-d",
            tooltip=N_("Compare two packages of the library"),
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

    def __init__(
        self,
        doc: Document,
        user: UserData | None = None,
        today: date | None = None,
        package: Package | None = None,
        library: Library | None = None,
        warnings: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.doc = doc
        # The package open (None: the shipped one, or a store file given by its path).
        self.package = package
        self._library = library
        self._index: SearchIndex | None = None  # the open package's
        self._indexes: dict[str, SearchIndex] = {}  # every package's searched so far, by name
        self._docs: dict[str, Document] = {}  # the other packages' documents read for a search of all
        self.known_packages: list[Package] | None = None  # the library's packages as last read
        # Why the library's index could not be read when it was last (None: it could): the
        # screens that list packages say so, with the index's path and the repair.
        self.library_problem: Notice | None = None
        # The package open was removed from the library (by another window) since it was
        # opened: its document stays on the screen, marked, and no bookmark or note is saved.
        self.package_removed = False
        self.startup_warnings = list(warnings)  # in the reader's words, shown once the app is up
        self._help_names: set[str] = set()
        self.search_all = False  # whether a search covers every package of the library
        self.user = user if user is not None else UserData()
        self.today = today or date.today()
        self.script: Script = self.user.script
        self.lang: Lang = self.user.lang
        self.export_format = "md"  # the format last exported, offered first in the export dialog
        self.calc_profile: Facts = {}  # the calculator's figures (the screen itself is kept once built)
        self.bookmarks: set[int] = set(self.user.bookmarks(package=self.data_key))
        self.notes: dict[int, str] = self.user.notes(package=self.data_key)
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
            self._index = self.index_of(self.package_name, self.doc)
        return self._index

    # -- packages -------------------------------------------------------------------------------

    @property
    def package_name(self) -> str:
        """The open package's name (for a store file outside the library, the user data's
        own key for it: ``path:`` and its path). Bookmarks and notes are kept under
        :attr:`data_key`, not under the name."""
        if self.package is not None:
            return self.package.name
        return self.user.package or SHIPPED_PACKAGE

    @property
    def data_key(self) -> str:
        """What the open package's bookmarks and notes are kept under (``library.data_key``:
        the name and the document, so a different document added later under the same
        name does not inherit them)."""
        if self.package is not None:
            from .core.library import data_key

            return data_key(self.package)
        return self.user.package or SHIPPED_PACKAGE

    @property
    def package_label(self) -> str:
        """The open package as the title bar names it: its name, or a store file's name."""
        name = self.package_name
        return Path(name.removeprefix("path:")).name if name.startswith("path:") else name

    @property
    def library(self) -> Library:
        """The reader's library, opened on first use (reading it reads only its index)."""
        if self._library is None:
            from .core.library import Library

            self._library = Library()
        return self._library

    def packages(self, fresh: bool = False) -> list[Package]:
        """The library's packages (the shipped one first), read once and kept until read
        ``fresh``; a damaged index gives the shipped package alone, its notice kept in
        ``library_problem`` for the screens to say."""
        if self.known_packages is None or fresh:
            from .core.library import LibraryError, shipped_package

            try:
                self.known_packages = self.library.packages()
                self.library_problem = None
            except LibraryError as exc:
                self.known_packages = [shipped_package()]
                self.library_problem = exc.notice
        return self.known_packages

    def refresh_library(self) -> list[Package]:
        """Read the library afresh (another window may have added or removed a package):
        documents kept of packages gone or replaced are forgotten, and the open package
        being gone is said once (its document stays on the screen, marked removed)."""
        packages = self.packages(fresh=True)
        if self.library_problem is not None:
            return packages  # nothing can be told of the others while the index is unreadable
        by_name = {p.name: p for p in packages}
        for name, doc in list(self._docs.items()):
            now = by_name.get(name)
            if now is None or now.source_sha256 != doc.source_sha256:
                del self._docs[name]
                self._indexes.pop(name, None)
        if self.package is not None and not self.package.shipped:
            now = by_name.get(self.package.name)
            gone = now is None or now.source_sha256 != self.package.source_sha256
            if gone != self.package_removed:
                self.package_removed = gone
                if gone:
                    words = self.locale.tr(
                        "The package {name} was removed from the library (from another window): its "
                        "document stays on the screen; bookmarks and notes are no longer saved. "
                        "Ctrl+O opens another."
                    )
                    self.notify(words.format(name=self.package.name), severity="warning", timeout=15)
                main = self._main()
                if main is not None and main.is_mounted:
                    main.refresh_chrome()
        return packages

    def package_now(self, name: str) -> Package | None:
        """The package ``name`` as the library holds it now; None, said to the reader, when
        it was removed meanwhile, its store is damaged or the library cannot be read."""
        packages = self.refresh_library()
        package = next((p for p in packages if p.name == name), None)
        loc = self.locale
        if package is None and self.library_problem is not None:
            self.notify(loc.say(self.library_problem), severity="error", timeout=10)
        elif package is None:
            words = loc.tr("The package {name} is no longer in the library: it was removed (from another window)")
            self.notify(words.format(name=name), severity="error", timeout=10)
        elif package.problem is not None:
            self.notify(loc.say(package.problem), severity="error", timeout=10)
            return None
        return package

    def package_gone(self) -> bool:
        """Whether the open package was removed from the library (read afresh); said."""
        self.refresh_library()
        if self.package_removed and self.package is not None:
            words = self.locale.tr(
                "The package {name} was removed from the library: bookmarks and notes are not saved for it"
            )
            self.notify(words.format(name=self.package.name), severity="error", timeout=10)
        return self.package_removed

    def index_of(self, name: str, doc: Document) -> SearchIndex:
        """A package's search index, built on first need and kept (switching back to a
        package, or searching all of them again, builds nothing)."""
        index = self._indexes.get(name)
        if index is None or index.doc is not doc:
            from .core.search import SearchIndex

            index = self._indexes[name] = SearchIndex(doc)
        return index

    def document_of(self, package: Package) -> Document:
        """A package's document: the open one, or read (once) for a search of all packages;
        a StoreError when its store cannot be read."""
        if package.name == self.package_name:
            return self.doc
        doc = self._docs.get(package.name)
        if doc is None:
            doc = self._docs[package.name] = self.library.open(package)
        return doc

    def choose_package(self) -> None:
        """Choose another package of the library to read (the picker)."""
        from .screens.packages import PackagePickerScreen  # imported on first use

        if not isinstance(self.screen, PackagePickerScreen):
            self.push_screen(PackagePickerScreen(self.package_name), self._package_chosen)

    def _package_chosen(self, chosen: PackageChosen | None) -> None:
        if chosen is not None:
            self.open_package(chosen.package, chosen.doc)

    def open_package(self, package: Package, doc: Document, then: Callable[[MainScreen], object] | None = None) -> None:
        """Read ``package`` (its ``doc`` read already) in the explorer: its bookmarks and
        notes, its search index, the explorer rebuilt on it (``then`` is called with the
        explorer once it is, to open a place there); screens built for the package left
        (the calculator, the overview, help) are dropped. The choice is kept for next time."""
        self.doc = doc
        self.package = package
        self.package_removed = False
        self._docs.pop(package.name, None)
        index = self._indexes.get(package.name)
        self._index = index if index is not None and index.doc is doc else None
        self.bookmarks = set(self.user.bookmarks(package=self.data_key))
        self.notes = self.user.notes(package=self.data_key)
        problem = self.user.set("package", package.name)
        if problem:
            self.notify(self.locale.say(problem), severity="error")
        while len(self.screen_stack) > 1 and not isinstance(self.screen, MainScreen):
            self.pop_screen()
        for name in ("calculator", "insights", *self._help_names):
            self._drop_screen(name)
        self._help_names.clear()
        main = self._main()
        if main is not None:
            main.call_later(main.show_package, then)
        words = self.locale.tr("Opened {name}: {title}")
        self.notify(words.format(name=package.name, title=doc.title_in(self.script)), timeout=3)

    def open_package_named(self, name: str) -> bool:
        """Read the package ``name`` in the explorer; a package that cannot be opened is said
        to be so (its path, the cure) and the open one stays. Whether it was opened."""
        from .core.library import LibraryError
        from .core.store import StoreError

        try:
            package = self.library.get(name)
            doc = self.library.open(package)
        except (StoreError, LibraryError) as exc:
            self.notify(self.locale.say(exc.notice), severity="error", timeout=10)
            return False
        self.open_package(package, doc)
        return True

    def _drop_screen(self, name: str) -> None:
        """Forget a screen kept for later (it shows the package left)."""
        if not self.is_screen_installed(name):
            return
        screen = self.get_screen(name)
        self.uninstall_screen(name)
        if screen.is_mounted:
            screen.remove()

    def on_mount(self) -> None:
        theme = self.user.get("theme")
        if isinstance(theme, str) and theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        warning = self.user.warning_in(self.locale)
        if warning:
            self.notify(warning, severity="warning", timeout=10)
        for words in self.startup_warnings:
            self.notify(words, severity="warning", timeout=15)

    def on_app_focus(self, event: events.AppFocus) -> None:
        """Back in this window: show what another instance saved meanwhile (bookmarks,
        notes, and the library: a package added or removed)."""
        main = self._main()
        if main is not None and main.is_mounted:
            main.reload_user_data()
        if self.known_packages is not None or self.package is not None:
            self.refresh_library()

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
            self._help_names.add(name)
        self.push_screen(name)

    def action_calculator(self) -> None:
        from .screens.calculator import CalculatorScreen  # imported on first use

        if isinstance(self.screen, CalculatorScreen):
            return
        # Built once and kept (an installed screen is not destroyed when closed): it opens
        # again at once, with the figures as they were typed, in the words of the moment.
        if not self.is_screen_installed("calculator"):
            if not self.doc.rules:
                from .core.norules import no_rules_notice
                from .screens.calculator import NoRulesScreen

                self.push_screen(NoRulesScreen(self.locale.say(no_rules_notice(self.package_name, self.packages()))))
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
        # It catches up with the words and the width when shown.
        self._push_kept("insights", InsightsScreen, self._insights_done)

    def _push_kept(self, name: str, make: Callable[[], Screen[Any]], done: Callable[[Any], None]) -> None:
        """Show the screen ``name``, built once by ``make`` and kept (an installed screen is
        not destroyed when closed): it opens again as it was left."""
        if not self.is_screen_installed(name):
            self.install_screen(make(), name)
        self.push_screen(name, done)

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

    def action_compare(self) -> None:
        from .screens.compare import CompareScreen  # imported on first use

        if isinstance(self.screen, CompareScreen):
            return
        # The packages chosen, the filter and the row stay as left.
        self._push_kept("compare", CompareScreen, self._compare_done)

    def _compare_done(self, chosen: CompareOpen | None) -> None:
        """A side of a comparison to read in the explorer: its package opened there if it
        is another, and the clause shown."""
        if chosen is None:
            return
        if chosen.package.name == self.package_name:
            self.jump_to_clause(chosen.clause)
            return
        clause = chosen.clause
        self.open_package(chosen.package, chosen.doc, then=lambda main: main.open_clause(clause))

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


def build_app(
    doc: Document,
    user: UserData | None = None,
    today: date | None = None,
    package: Package | None = None,
    library: Library | None = None,
    warnings: Sequence[str] = (),
) -> HzPolicyApp:
    """The one factory: the command line and the tests both build the app here. ``package``
    is the library's package ``doc`` is (None: the shipped one, or a store file outside the
    library); ``warnings`` (in the reader's words) are shown once the app is up."""
    return HzPolicyApp(doc, user=user, today=today, package=package, library=library, warnings=warnings)
