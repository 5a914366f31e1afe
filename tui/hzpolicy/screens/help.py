"""Help: the key table, generated from the bindings so it can never drift from them."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from ..core.i18n import N_, Locale

if TYPE_CHECKING:
    from ..app import HzPolicyApp


def key_table(screen: Screen[Any], loc: Locale | None = None) -> list[tuple[str, str, str]]:
    """(keys, action description, tooltip) for every binding active on ``screen``, one row an
    action, keys joined: the app's and the screen's own bindings; in ``loc``'s words if given
    (the bindings' own are English)."""
    rows: dict[str, list] = {}
    order: list[str] = []
    for node in (screen.app, screen):
        for binding in node.BINDINGS:
            if not isinstance(binding, Binding):
                binding = Binding(*binding)
            if binding.system or binding.action == "command_palette":
                continue
            # a screen's own key for an action of the app's is the same row as the app's
            binding = replace(binding, action=binding.action.removeprefix("app."))
            split = binding.key.split(",")
            shown = binding.key_display if len(split) == 1 else None  # a key's own display (Enter, not a glyph)
            keys = [screen.app.get_key_display(Binding(k.strip(), binding.action, key_display=shown)) for k in split]
            if binding.action not in rows:
                rows[binding.action] = [[], binding.description, binding.tooltip]
                order.append(binding.action)
            for k in keys:
                if k not in rows[binding.action][0]:
                    rows[binding.action][0].append(k)
            if not rows[binding.action][2] and binding.tooltip:
                rows[binding.action][2] = binding.tooltip
    tr = loc.tr if loc is not None else str
    return [(" ".join(rows[a][0]), tr(rows[a][1]), tr(rows[a][2]) if rows[a][2] else "") for a in order]


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", N_("Close"), id="help-close"),
        Binding("f1", "dismiss", N_("Close"), show=False, id="help-close-f1"),
        Binding("question_mark", "dismiss", N_("Close"), show=False, id="help-close-q"),
    ]

    def __init__(self, for_screen: Screen[Any]) -> None:
        super().__init__()
        self.for_screen = for_screen

    def compose(self) -> ComposeResult:
        app = cast("HzPolicyApp", self.app)
        loc = app.locale
        # No box: its line-drawing glyphs are ambiguous-width in CJK terminals.
        table = Table(title=loc.tr("Keys"), expand=True, box=None, padding=(0, 2, 0, 0), header_style="bold underline")
        table.add_column(loc.tr("Key"), style="bold", no_wrap=True)
        table.add_column(loc.tr("Action"))
        table.add_column(loc.tr("What it does"), style="dim")
        for keys, desc, tip in key_table(self.for_screen, loc):
            table.add_row(keys, desc, tip)
        intro = Text()
        intro.append("hzpolicy-tui", style="bold")
        intro.append(f" - {app.doc.title_in(app.script)}\n")
        # A screen says what it is about itself (HELP_INTRO, a msgid); the explorer's is search.
        own = getattr(self.for_screen, "HELP_INTRO", None)
        intro.append(
            loc.tr(own)
            if isinstance(own, str)
            else loc.tr(
                "Search finds what you mean in your own words: Traditional or Simplified, mainland "
                "or Taiwan wording, words of the same meaning (补贴 finds 补助), questions, clause "
                "numbers (14, 十四) and amounts in figures or words (1000万, 一千万), in the clauses, "
                "the domains, the preamble, the closing and your notes; each result says where it "
                "is and why it matched. Ctrl+P opens the command palette: every action by its "
                "Chinese or English name, and every clause."
            )
        )
        intro.append("\n")
        with VerticalScroll(id="help-body"):
            yield Static(intro)
            yield Static(table)
            yield Static(Text(loc.tr("Esc closes this screen."), style="dim"))

    # Screen's action_dismiss is async and takes a result; closing help has no result to give.
    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
