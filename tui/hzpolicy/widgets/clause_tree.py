"""The tree of domains and clauses."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.widgets import Tree

from ..core.models import Document
from ..messages import ClauseChosen
from .labels import fit, say


class ClauseTree(Tree[int]):
    """Domains (with clause counts) and their clauses; node data is the clause number (0 for
    a domain). Highlighting a clause posts :class:`ClauseChosen`."""

    # ASCII icons: ▶/▼ and box-drawing guides are ambiguous-width in CJK terminals.
    ICON_NODE = "+ "
    ICON_NODE_EXPANDED = "- "

    def __init__(self, doc: Document, script: str, **kwargs) -> None:
        super().__init__("doc", **kwargs)
        self.doc = doc
        self.script = script
        self.show_root = False
        self.show_guides = False
        self.guide_depth = 2
        self.marked: set[int] = set()  # clauses to show (None of a filter means all)
        self._clause_nodes: dict[int, object] = {}
        self._width = 0

    def on_mount(self) -> None:
        for d in self.doc.domains:
            dnode = self.root.add(self._domain_label(d), data=0, expand=True)
            for n in d.clause_numbers:
                self._clause_nodes[n] = dnode.add_leaf(self._clause_label(n), data=n)
        self.root.expand()
        self.cursor_line = 1  # the first clause (line 0 is its domain), as the pane shows

    def _domain_label(self, d) -> str:
        title = d.title_simplified if self.script == "simplified" else d.title
        return f"{d.numeral}、{title} ({len(d.clause_numbers)})"

    def _clause_label(self, n: int) -> str:
        c = self.doc.clause(n)
        title = c.title_simplified if self.script == "simplified" else c.title
        return f"({c.numeral}) {title}"

    def relabel(self) -> None:
        """Labels fitted to the current width, in the current script."""
        width = self.scrollable_content_region.width
        if width <= 0:
            return
        for dnode, d in zip(self.root.children, self.doc.domains):
            dnode.set_label(Text(fit(self._domain_label(d), width - 3), style="bold"))
            for node in dnode.children:
                node.set_label(fit(self._clause_label(node.data), width - self.guide_depth - 1))

    def set_script(self, script: str) -> None:
        self.script = script
        self.relabel()

    def on_resize(self) -> None:
        if self.scrollable_content_region.width != self._width:
            self._width = self.scrollable_content_region.width
            self.relabel()

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
