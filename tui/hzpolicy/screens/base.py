"""What every screen of the app reads of it: the app with its own attributes typed, and the
reader's script and language."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from ..app import HzPolicyApp
    from ..core.i18n import Locale

    _Node = DOMNode
else:
    _Node = object  # a mixin: the screen class it joins is the DOM node


class OfTheApp(_Node):
    """Mixed into a screen: ``self.hz`` (``self.app`` is typed as any App) and ``self.loc``."""

    @property
    def hz(self) -> HzPolicyApp:
        return cast("HzPolicyApp", self.app)

    @property
    def loc(self) -> Locale:
        return self.hz.locale
