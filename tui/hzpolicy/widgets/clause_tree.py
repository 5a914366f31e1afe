"""The tree of domains and clauses."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.style import Style
from rich.text import Text
from textual import on
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from ..core.models import Document, Domain, Script
from ..messages import ClauseChosen
from .labels import fit_text


class ClauseTree(Tree[int]):
    """Domains (with clause counts) and their clauses; node data is the clause number (0 for
    a domain). Highlighting a clause posts :class:`ClauseChosen`."""

    # ASCII icons: ▶/▼ and box-drawing guides are ambiguous-width in CJK terminals.
    ICON_NODE = "+ "
    ICON_NODE_EXPANDED = "- "

    def __init__(
        self,
        doc: Document,
        script: Script,
        bookmarks: Iterable[int] = (),
        noted: Iterable[int] = (),
        **kwargs: Any,  # Tree's own: name, id, classes, disabled
    ) -> None:
        super().__init__("doc", **kwargs)
        self.doc = doc
        self.script = script
        self.show_root = False
        self.show_guides = False
        self.guide_depth = 2
        self.only: set[int] | None = None  # a filter (an agency's clauses); None shows all
        self.bookmarks: set[int] = set(bookmarks)
        self.noted: set[int] = set(noted)
        self._clause_nodes: dict[int, TreeNode[int]] = {}

    def on_mount(self) -> None:
        self.populate()
        self.cursor_line = 1  # the first clause (line 0 is its domain), as the pane shows

    def populate(self) -> None:
        """(Re)build the nodes: every clause, or only the filtered ones."""
        self.clear()
        self._clause_nodes = {}
        for d in self.doc.domains:
            shown = [n for n in d.clause_numbers if self.only is None or n in self.only]
            if not shown:
                continue
            dnode = self.root.add(self._domain_label(d, len(shown)), data=0, expand=True)
            for n in shown:
                self._clause_nodes[n] = dnode.add_leaf(self._clause_label(n), data=n)
        self.root.expand()

    def set_filter(self, numbers: set[int] | None) -> None:
        self.only = numbers
        self.populate()

    def set_marks(self, bookmarks: set[int], noted: set[int]) -> None:
        """Relabel only the clauses whose star or note changed."""
        changed = (self.bookmarks ^ set(bookmarks)) | (self.noted ^ set(noted))
        self.bookmarks, self.noted = set(bookmarks), set(noted)
        for n in changed:
            node = self._clause_nodes.get(n)
            if node is not None:
                node.set_label(self._clause_label(n))

    def _domain_label(self, d: Domain, shown: int | None = None) -> str:
        title = d.title_in(self.script)
        total = len(d.clause_numbers)
        count = f"{shown}/{total}" if shown is not None and shown != total else str(total)
        return f"{d.numeral}、{title} ({count})"

    def _clause_label(self, n: int) -> str:
        c = self.doc.require(n)
        title = c.title_in(self.script)
        mark = "*" if n in self.bookmarks else " "
        note = "+" if n in self.noted else ""
        return f"{mark}({c.numeral}){note} {title}"

    def set_script(self, script: Script) -> None:
        self.script = script
        for dnode in self.root.children:
            first = dnode.children[0].data if dnode.children else None
            if first is None:
                continue
            d = self.doc.domain_of(self.doc.require(first))
            dnode.set_label(self._domain_label(d, len(dnode.children)))
            for node in dnode.children:
                if node.data is not None:  # always a clause number here; TreeNode.data is optional
                    node.set_label(self._clause_label(node.data))

    def render_label(self, node: TreeNode[int], base_style: Style, style: Style) -> Text:
        """Labels are fitted to the width when drawn (with '...'), so a resize relabels
        nothing; Textual's line cache is keyed by width."""
        text = super().render_label(node, base_style, style)
        if node.data == 0:
            text.stylize("bold")
        width = self.scrollable_content_region.width - (self.guide_depth if node.data else 0) - 1
        return fit_text(text, width) if width > 4 else text

    def select_clause(self, number: int) -> None:
        node = self._clause_nodes.get(number)
        if node is None:
            return
        if node.parent is not None and not node.parent.is_expanded:
            node.parent.expand()
        self.move_cursor(node)
        self.scroll_to_node(node, animate=False)

    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted) -> None:
        event.stop()
        if event.node.data:
            self.post_message(ClauseChosen(event.node.data))

    @on(Tree.NodeSelected)
    def _selected(self, event: Tree.NodeSelected) -> None:
        event.stop()
        if event.node.data:
            self.post_message(ClauseChosen(event.node.data, focus_detail=True))
