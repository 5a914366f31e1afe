"""Help: the key table, generated from the bindings so it can never drift from them."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


def key_table(screen: Screen[Any]) -> list[tuple[str, str, str]]:
    """(keys, action description, tooltip) for every binding active on ``screen``, one row an
    action, keys joined: the app's and the screen's own bindings."""
    rows: dict[str, list] = {}
    order: list[str] = []
    for node in (screen.app, screen):
        for binding in node.BINDINGS:
            if not isinstance(binding, Binding):
                binding = Binding(*binding)
            if binding.system or binding.action == "command_palette":
                continue
            keys = [screen.app.get_key_display(Binding(k.strip(), binding.action)) for k in binding.key.split(",")]
            if binding.action not in rows:
                rows[binding.action] = [[], binding.description, binding.tooltip]
                order.append(binding.action)
            for k in keys:
                if k not in rows[binding.action][0]:
                    rows[binding.action][0].append(k)
            if not rows[binding.action][2] and binding.tooltip:
                rows[binding.action][2] = binding.tooltip
    return [(" ".join(rows[a][0]), rows[a][1], rows[a][2]) for a in order]


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close", id="help-close"),
        Binding("f1", "dismiss", "Close", show=False, id="help-close-f1"),
        Binding("question_mark", "dismiss", "Close", show=False, id="help-close-q"),
    ]

    def __init__(self, for_screen: Screen[Any]) -> None:
        super().__init__()
        self.for_screen = for_screen

    def compose(self) -> ComposeResult:
        # No box: its line-drawing glyphs are ambiguous-width in CJK terminals.
        table = Table(title="Keys", expand=True, box=None, padding=(0, 2, 0, 0), header_style="bold underline")
        table.add_column("Key", style="bold", no_wrap=True)
        table.add_column("Action")
        table.add_column("What it does", style="dim")
        for keys, desc, tip in key_table(self.for_screen):
            table.add_row(keys, desc, tip)
        intro = Text.from_markup(
            "[bold]hzpolicy-tui[/] - 杭州《關於進一步推動經濟高品質發展的若干政策》\n"
            "Search finds Traditional or Simplified, mainland or Taiwan wording, clause numbers "
            "(14, 十四, 第十四條) and amounts (1000万). Ctrl+P opens the command palette.\n"
        )
        with VerticalScroll(id="help-body"):
            yield Static(intro)
            yield Static(table)
            yield Static(Text("Esc closes this screen.", style="dim"))

    # Screen's action_dismiss is async and takes a result; closing help has no result to give.
    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
