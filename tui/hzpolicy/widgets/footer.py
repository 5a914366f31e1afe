"""The footer, in the reader's language: Textual's own, with each key's words translated."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.widgets import Footer

if TYPE_CHECKING:
    from ..app import HzPolicyApp


class LocalFooter(Footer):
    """Bindings carry English descriptions (marked for the catalogs with ``N_``); the footer
    shows them translated. Textual recomposes it whenever the bindings change, and the app
    asks it to when the script or the language does (``App.refresh_bindings``)."""

    def compose(self) -> ComposeResult:
        loc = cast("HzPolicyApp", self.app).locale
        for widget in super().compose():
            # A key's words are its `description` (Textual's FooterKey, not a public name).
            description = getattr(widget, "description", None)
            if isinstance(description, str) and description:
                setattr(widget, "description", loc.tr(description))  # noqa: B010 - see above
            if isinstance(widget.tooltip, str) and widget.tooltip:
                widget.tooltip = loc.tr(widget.tooltip)
            yield widget
