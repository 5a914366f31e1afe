"""Command palette: jump to any clause, run any action (both generated, never hand-listed)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from .core.script import say, typeset

if TYPE_CHECKING:
    from .app import HzPolicyApp


class ClauseCommands(Provider):
    """'Jump to clause': every clause, found with the app's own search."""

    @property
    def hz(self) -> HzPolicyApp:
        """The app, with its own attributes typed (``self.app`` is typed as any App)."""
        return cast("HzPolicyApp", self.app)

    def _label(self, number: int) -> str:
        app = self.hz
        c = app.doc.require(number)
        title = c.title_in(app.script)
        return f"({c.numeral}) {title}"

    def _jump(self, number: int) -> None:
        self.hz.jump_to_clause(number)

    async def discover(self) -> Hits:
        for c in self.hz.doc.clauses:
            yield DiscoveryHit(
                self._label(c.number), partial(self._jump, c.number), help=say("跳到這一條", self.hz.script)
            )

    async def search(self, query: str) -> Hits:
        results = self.hz.index.search(query, script=self.hz.script, limit=30)
        for rank, hit in enumerate(results.hits):
            yield Hit(
                1.0 - rank / 100,
                self._label(hit.clause),
                partial(self._jump, hit.clause),
                help=typeset(hit.snippet),  # the full-width punctuation the pane shows
            )
