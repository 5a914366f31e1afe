"""The tree of domains and clauses."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.widgets import Tree

from ..core.models import Document
from ..messages import ClauseChosen
from .labels import fit


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
        self.only: set[int] | None = None  # a filter (an agency's clauses); None shows all
        self.bookmarks: set[int] = set()
        self.noted: set[int] = set()
        self._clause_nodes: dict[int, object] = {}
        self._width = 0

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
        self.relabel()

    def set_filter(self, numbers: set[int] | None) -> None:
        self.only = numbers
        self.populate()

    def set_marks(self, bookmarks: set[int], noted: set[int]) -> None:
        self.bookmarks, self.noted = set(bookmarks), set(noted)
        self.relabel()

    def _domain_label(self, d, shown: int | None = None) -> str:
        title = d.title_simplified if self.script == "simplified" else d.title
        total = len(d.clause_numbers)
        count = f"{shown}/{total}" if shown is not None and shown != total else str(total)
        return f"{d.numeral}、{title} ({count})"

    def _clause_label(self, n: int) -> str:
        c = self.doc.clause(n)
        title = c.title_simplified if self.script == "simplified" else c.title
        mark = "*" if n in self.bookmarks else " "
        note = "+" if n in self.noted else ""
        return f"{mark}({c.numeral}){note} {title}"

    def relabel(self) -> None:
        """Labels fitted to the current width, in the current script."""
        width = self.scrollable_content_region.width
        if width <= 0:
            return
        for dnode in self.root.children:
            first = dnode.children[0].data if dnode.children else None
            if first is None:
                continue
            d = self.doc.domain_of(self.doc.clause(first))
            dnode.set_label(Text(fit(self._domain_label(d, len(dnode.children)), width - 3), style="bold"))
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
