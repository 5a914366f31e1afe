"""Command palette: every action with a key, and a jump to any clause (both generated from
the bindings and the document, never hand-listed). Actions are found by their words in the
reader's language and in the others (书签, 書籤 and bookmark all find the same command)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from .core.i18n import LANGS, Locale
from .core.models import SCRIPTS
from .core.script import to_simplified, typeset

if TYPE_CHECKING:
    from .app import HzPolicyApp

# Actions the palette does not offer: leaving a screen, and the palette itself.
NOT_IN_PALETTE = frozenset({"back", "close", "command_palette", "dismiss", "cancel"})


class ActionCommands(Provider):
    """Every action of the screen the palette was opened on, and the app's, named as their
    bindings name them, in the reader's words."""

    @property
    def hz(self) -> HzPolicyApp:
        return cast("HzPolicyApp", self.app)

    def _actions(self) -> Iterator[tuple[Binding, Callable[[], object]]]:
        seen: set[str] = set()
        for node in (self.screen, self.app):
            for entry in node.BINDINGS:
                binding = entry if isinstance(entry, Binding) else Binding(*entry)
                if binding.action in seen or binding.action in NOT_IN_PALETTE:
                    continue
                seen.add(binding.action)
                yield binding, partial(node.run_action, binding.action)

    def _names(self, binding: Binding) -> list[str]:
        """The action's name in every language and script, the reader's first."""
        names = [self.hz.locale.tr(binding.description)]
        for lang in LANGS:
            for script in SCRIPTS:
                name = Locale(script, lang).tr(binding.description)
                if name not in names:
                    names.append(name)
        return names

    def _help(self, binding: Binding) -> str:
        key = self.app.get_key_display(binding)
        return f"{key}  {self.hz.locale.tr(binding.tooltip)}" if binding.tooltip else key

    async def discover(self) -> Hits:
        for binding, run in self._actions():
            yield DiscoveryHit(self._names(binding)[0], run, help=self._help(binding))

    async def search(self, query: str) -> Hits:
        # The query as typed, and in Simplified: 導出 (mainland word, Traditional characters)
        # finds 导出 as 书籤 finds 书签.
        matchers = [self.matcher(query)]
        simplified = to_simplified(query)
        if simplified != query:
            matchers.append(self.matcher(simplified))
        for binding, run in self._actions():
            names = self._names(binding)
            score = max(m.match(name) for m in matchers for name in names)
            if score <= 0:
                continue
            shown = names[0]
            english = binding.description
            # Found by its English name (in a Chinese interface): say which, so the match shows.
            by_english = max(m.match(english) for m in matchers) == score
            if english != shown and by_english and max(m.match(shown) for m in matchers) < score:
                shown = f"{shown} ({english})"
            yield Hit(score, matchers[0].highlight(shown), run, help=self._help(binding))


class ClauseCommands(Provider):
    """'Jump to clause': every clause, found with the app's own search."""

    @property
    def hz(self) -> HzPolicyApp:
        """The app, with its own attributes typed (``self.app`` is typed as any App)."""
        return cast("HzPolicyApp", self.app)

    def _label(self, number: int) -> str:
        app = self.hz
        c = app.doc.require(number)
        return f"({c.numeral}) {c.title_in(app.script)}"

    def _jump(self, number: int) -> None:
        self.hz.jump_to_clause(number)

    async def discover(self) -> Hits:
        words = self.hz.locale.tr("Go to this clause")
        for c in self.hz.doc.clauses:
            yield DiscoveryHit(self._label(c.number), partial(self._jump, c.number), help=words)

    async def search(self, query: str) -> Hits:
        from .core.found import hit_heading, hit_why  # with the search index: on first need

        app = self.hz
        results = app.index.search(query, script=app.script, limit=30, notes=app.notes)
        for rank, hit in enumerate(results.hits):
            yield Hit(
                1.0 - rank / 100,
                hit_heading(app.doc, hit, app.locale),
                partial(app.open_found, hit, results.marks),
                # the full-width punctuation the pane shows, and why it matched
                help=f"{typeset(hit.snippet)}\n{hit_why(hit, app.locale)}",
            )


class PackageCommands(Provider):
    """'Open package ...': every other package of the library, found by its name or title in
    either script (the picker, Ctrl+O, lists them all)."""

    @property
    def hz(self) -> HzPolicyApp:
        return cast("HzPolicyApp", self.app)

    async def search(self, query: str) -> Hits:
        app = self.hz
        loc = app.locale
        matchers = [self.matcher(query)]
        simplified = to_simplified(query)
        if simplified != query:
            matchers.append(self.matcher(simplified))
        for package in app.packages():
            if package.name == app.package_name:
                continue
            label = loc.tr("Open package {name}").format(name=package.name)
            names = [label, package.name, package.title, package.title_simplified]
            score = max(m.match(name) for m in matchers for name in names if name)
            if score <= 0:
                continue
            help_text = package.title_in(app.script) + (f"  {loc.doc(package.number)}" if package.number else "")
            run = partial(app.open_package_named, package.name)
            yield Hit(score, matchers[0].highlight(label), run, help=help_text)
