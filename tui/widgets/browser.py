"""The taxonomy browser: dimensions > categories > models, as a Tree."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Tree

if TYPE_CHECKING:
    from ..protocol import KnowledgeLike


@dataclass(frozen=True)
class NodeRef:
    """What a tree node stands for."""

    kind: str  # "dimension" | "category" | "model"
    id: str
    name: str


class TaxonomyTree(Tree[NodeRef]):
    """Enter or click on a label asks about it; Space or the arrow toggles a branch."""

    BINDINGS = [
        Binding("right", "expand_node", "Expand", show=False, id="tree-expand"),
        Binding("left", "collapse_node", "Collapse", show=False, id="tree-collapse"),
    ]

    def action_expand_node(self) -> None:
        node = self.cursor_node
        if node is not None and node.allow_expand:
            node.expand()

    def action_collapse_node(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.is_expanded and node.allow_expand:
            node.collapse()
        elif node.parent is not None and node.parent is not self.root:
            self.move_cursor(node.parent)


class TaxonomyBrowser(Vertical):
    """Side panel holding the tree; choosing a node posts :class:`TaxonomyBrowser.Chosen`."""

    class Chosen(Message):
        def __init__(self, node: NodeRef) -> None:
            super().__init__()
            self.node = node

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._kb: KnowledgeLike | None = None
        self._filled = False

    def set_knowledge(self, kb: KnowledgeLike) -> None:
        """The tree is filled from ``kb`` when the panel is first shown: a few thousand
        nodes the start-up need not build for a panel most sessions never open."""
        self._kb, self._filled = kb, False
        if self.display:
            self.fill()

    def fill(self) -> None:
        """Mount the tree (first time) and fill it from the knowledge base (once known)."""
        tree = self.taxonomy
        if self._kb is not None and not self._filled:
            self._filled = True
            self.populate(self._kb, tree)

    @property
    def taxonomy(self) -> TaxonomyTree:
        """The tree, mounted when first asked for: a Tree's styles are a fifth of what the
        first paint spends on CSS, for a panel that starts hidden."""
        found = self.query_children(TaxonomyTree)
        if found:
            return found.first()
        tree = TaxonomyTree(Text("LLM taxonomy"), id="taxonomy-tree")
        tree.show_root = False
        tree.auto_expand = False
        self.mount(tree)
        return tree

    def on_mount(self) -> None:
        self.border_title = "Taxonomy"
        self.border_subtitle = "Enter asks"

    def populate(self, kb: KnowledgeLike, tree: TaxonomyTree) -> None:
        """Fill the tree from a KnowledgeBase (dimensions, categories, members)."""
        tree.clear()
        model_names = {m.id: m.name for m in kb.models}
        for dimension in kb.dimensions:
            d_node = tree.root.add(Text(dimension.name, style="bold"),
                                   NodeRef("dimension", dimension.id, dimension.name))
            for category in kb.categories_in(dimension.id):
                members = kb.members(category.id)
                label = Text.assemble(category.name, (f" {len(members)}", "dim"))
                c_node = d_node.add(label, NodeRef("category", category.id, category.name))
                models = {p.model_id: model_names.get(p.model_id, p.model_id) for p in members}
                for model_id, name in sorted(models.items(), key=lambda kv: kv[1].casefold()):
                    c_node.add_leaf(Text(name), NodeRef("model", model_id, name))
        tree.root.expand()

    @on(Tree.NodeSelected)
    def _selected(self, event: Tree.NodeSelected[NodeRef]) -> None:
        event.stop()
        if event.node.data is not None:
            self.post_message(self.Chosen(event.node.data))
