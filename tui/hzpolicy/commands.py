"""Command palette: jump to any clause, run any action (both generated, never hand-listed)."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from .core.script import say, typeset


class ClauseCommands(Provider):
    """'Jump to clause': every clause, found with the app's own search."""

    def _label(self, number: int) -> str:
        app = self.app
        c = app.doc.clause(number)
        title = c.title_in(app.script)
        return f"({c.numeral}) {title}"

    def _jump(self, number: int) -> None:
        self.app.jump_to_clause(number)

    async def discover(self) -> Hits:
        for c in self.app.doc.clauses:
            yield DiscoveryHit(
                self._label(c.number), partial(self._jump, c.number), help=say("跳到這一條", self.app.script)
            )

    async def search(self, query: str) -> Hits:
        results = self.app.index.search(query, script=self.app.script, limit=30)
        for rank, hit in enumerate(results.hits):
            yield Hit(
                1.0 - rank / 100,
                self._label(hit.clause),
                partial(self._jump, hit.clause),
                help=typeset(hit.snippet),  # the full-width punctuation the pane shows
            )
