"""The tree: the document at the top, its domains, and their clauses."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.style import Style
from rich.text import Text
from textual import on
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from ..core.models import DOCUMENT, Document, Domain, Script, Target
from ..messages import TargetChosen
from .labels import fit_text


class ClauseTree(Tree[Target]):
    """The document, its domains (with clause counts) and their clauses; each node's data is
    its :data:`Target`. Highlighting a node posts :class:`TargetChosen`, so the pane shows
    the document's, a domain's or a clause's page."""

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
        super().__init__("doc", data=DOCUMENT, **kwargs)
        self.doc = doc
        self.script = script
        self.show_root = False
        self.show_guides = False
        self.guide_depth = 2
        self.only: set[int] | None = None  # a filter (an agency's clauses); None shows all
        self.bookmarks: set[int] = set(bookmarks)
        self.noted: set[int] = set(noted)
        self._clause_nodes: dict[int, TreeNode[Target]] = {}
        self._doc_node: TreeNode[Target] | None = None

    def on_mount(self) -> None:
        self.populate()
        self.cursor_line = 0  # the document, as the pane shows at start

    def populate(self) -> None:
        """(Re)build the nodes: every clause, or only the filtered ones."""
        self.clear()
        self._clause_nodes = {}
        self._doc_node = self.root.add_leaf(self._document_label(), data=DOCUMENT)
        for d in self.doc.domains:
            shown = [n for n in d.clause_numbers if self.only is None or n in self.only]
            if not shown:
                continue
            dnode = self.root.add(self._domain_label(d, len(shown)), data=("domain", d.number), expand=True)
            for n in shown:
                self._clause_nodes[n] = dnode.add_leaf(self._clause_label(n), data=("clause", n))
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

    def _document_label(self) -> str:
        return f"《{self.doc.title_in(self.script)}》"

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
        for node in self.root.children:
            if node.data is None or node.data[0] == "document":
                node.set_label(self._document_label())
                continue
            d = self.doc.domains[node.data[1] - 1]
            node.set_label(self._domain_label(d, len(node.children)))
            for leaf in node.children:
                if leaf.data is not None:  # always a clause here; TreeNode.data is optional
                    leaf.set_label(self._clause_label(leaf.data[1]))

    def render_label(self, node: TreeNode[Target], base_style: Style, style: Style) -> Text:
        """Labels are fitted to the width when drawn (with '...'), so a resize relabels
        nothing; Textual's line cache is keyed by width."""
        text = super().render_label(node, base_style, style)
        leaf = node.data is not None and node.data[0] == "clause"
        if not leaf:
            text.stylize("bold")
        width = self.scrollable_content_region.width - (self.guide_depth if leaf else 0) - 1
        return fit_text(text, width) if width > 4 else text

    def select(self, target: Target) -> None:
        """Put the cursor on the node of a target (the document, a domain or a clause)."""
        kind, number = target
        if kind == "clause":
            self.select_clause(number)
            return
        node = self._doc_node
        if kind == "domain":
            node = next((n for n in self.root.children if n.data == target), None)
        if node is not None:
            self.move_cursor(node)
            self.scroll_to_node(node, animate=False)

    def select_clause(self, number: int) -> None:
        node = self._clause_nodes.get(number)
        if node is None:
            return
        if node.parent is not None and not node.parent.is_expanded:
            node.parent.expand()
        self.move_cursor(node)
        self.scroll_to_node(node, animate=False)

    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted[Target]) -> None:
        event.stop()
        if event.node.data is not None:
            self.post_message(TargetChosen(event.node.data))

    @on(Tree.NodeSelected)
    def _selected(self, event: Tree.NodeSelected[Target]) -> None:
        """Enter on a clause or the document reads it (focus to the pane); on a domain it
        folds or unfolds,
        as a tree does."""
        event.stop()
        if event.node.data is not None and event.node.data[0] in ("clause", "document"):
            self.post_message(TargetChosen(event.node.data, focus_detail=True))
