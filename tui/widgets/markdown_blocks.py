"""Markdown parsed once into plain values (blocks of Textual ``Content``), for
:mod:`markdown_view` to lay out at any width.

Textual's ``Markdown`` widget mounts a widget per block, list item and table cell: an
answer with a table cost ~150 ms of CSS matching and layout. Here an answer is one
widget, and this module is its document model. Text is never read as markup: words come
from markdown-it's tokens into ``Content`` as literal text, links keep their text and lose
their action, raw HTML is shown as typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from textual.content import Content, Span

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

# Inline styles: plain style names, or component classes (".name") that the view styles.
INLINE_STYLES = {"em_open": "italic", "strong_open": "bold", "s_open": "strike",
                 "link_open": "underline"}
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Paragraph:
    text: Content


@dataclass(frozen=True)
class Heading:
    level: int
    text: Content


@dataclass(frozen=True)
class Code:
    text: str


@dataclass(frozen=True)
class Rule:
    pass


@dataclass(frozen=True)
class Quote:
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Item:
    marker: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class ItemList:
    items: tuple[Item, ...]
    tight: bool


@dataclass(frozen=True)
class Table:
    header: tuple[Content, ...]
    rows: tuple[tuple[Content, ...], ...]
    align: tuple[str, ...]  # "left" | "center" | "right", per column


Block = Paragraph | Heading | Code | Rule | Quote | ItemList | Table

BULLETS = ("•", "▪", "‣", "◦")


UNUSED_RULES = ["html_block", "html_inline", "reference", "lheading", "code", "autolink",
                "image", "entity", "link"]
"""CommonMark rules no answer uses (the engine writes no links, images, entities, setext
headings or indented code): off, they cost the 20-row table a third of its parse, and text
that looks like a link or an entity is shown as typed."""


@cache
def parser() -> MarkdownIt:
    """CommonMark with tables and strikethrough; raw HTML off (shown as text)."""
    from markdown_it import MarkdownIt

    return (MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
            .disable(UNUSED_RULES))


def parse(markdown: str) -> tuple[Block, ...]:
    return _Builder(parser().parse(markdown)).blocks()


def inline_content(token: Token) -> Content:
    """An inline token's children as one ``Content``: literal text plus style spans."""
    text: list[str] = []
    spans: list[Span] = []
    opened: list[tuple[str, int]] = []
    position = 0

    def add(part: str) -> None:
        nonlocal position
        text.append(part)
        position += len(part)

    for child in token.children or ():
        kind = child.type
        if kind == "text":
            add(_SPACES.sub(" ", child.content))
        elif kind == "softbreak":
            add(" ")
        elif kind == "hardbreak":
            add("\n")
        elif kind == "code_inline":
            start = position
            add(child.content)
            spans.append(Span(start, position, ".code_inline"))
        elif kind == "image":
            add(f"[{child.content or child.attrs.get('alt', '') or 'image'}]")
        elif kind == "html_inline":
            add(child.content)
        elif kind in INLINE_STYLES:
            opened.append((INLINE_STYLES[kind], position))
        elif kind.endswith("_close") and opened:
            style, start = opened.pop()
            if position > start:
                spans.append(Span(start, position, style))
    return Content("".join(text), spans=spans)


@dataclass
class _Builder:
    """Walks the token stream once; each method consumes the tokens of one block."""

    tokens: Sequence[Token]
    at: int = 0
    depth: int = 0  # bullet lists open around the current token

    def blocks(self, until: str = "") -> tuple[Block, ...]:
        return tuple(self._blocks(until))

    def _blocks(self, until: str) -> Iterator[Block]:
        while self.at < len(self.tokens):
            token = self.tokens[self.at]
            self.at += 1
            kind = token.type
            if kind == until:
                return
            if kind == "paragraph_open":
                yield Paragraph(self._inline("paragraph_close"))
            elif kind == "heading_open":
                yield Heading(int(token.tag[1:]), self._inline("heading_close"))
            elif kind in ("fence", "code_block"):
                yield Code(token.content.rstrip("\n"))
            elif kind == "hr":
                yield Rule()
            elif kind == "blockquote_open":
                yield Quote(self.blocks("blockquote_close"))
            elif kind in ("bullet_list_open", "ordered_list_open"):
                yield self._list(token)
            elif kind == "table_open":
                yield self._table()
            elif kind == "html_block":
                yield Paragraph(Content(token.content.rstrip("\n")))
            elif kind == "inline":  # a bare inline (tight list items' paragraphs)
                yield Paragraph(inline_content(token))

    def _inline(self, close: str) -> Content:
        content = Content("")
        while self.at < len(self.tokens):
            token = self.tokens[self.at]
            self.at += 1
            if token.type == close:
                break
            if token.type == "inline":
                content = inline_content(token)
        return content

    def _list(self, opener: Token) -> ItemList:
        ordered = opener.type == "ordered_list_open"
        close = "ordered_list_close" if ordered else "bullet_list_close"
        number = int(opener.attrs.get("start", 1) or 1)
        # markdown-it hides the paragraphs of a tight list (no blank lines between items)
        tight = next((t.hidden for t in self.tokens[self.at:] if t.type == "paragraph_open"),
                     True)
        bullet = BULLETS[self.depth % len(BULLETS)]
        self.depth += not ordered
        items: list[Item] = []
        while self.at < len(self.tokens):
            token = self.tokens[self.at]
            self.at += 1
            if token.type == close:
                break
            if token.type == "list_item_open":
                marker = f"{number}{token.markup or '.'}" if ordered else bullet
                number += 1
                items.append(Item(marker, self.blocks("list_item_close")))
        self.depth -= not ordered
        return ItemList(tuple(items), tight)

    def _table(self) -> Table:
        header: list[Content] = []
        rows: list[list[Content]] = []
        align: list[str] = []
        in_head = False
        while self.at < len(self.tokens):
            token = self.tokens[self.at]
            self.at += 1
            kind = token.type
            if kind == "table_close":
                break
            if kind == "thead_open":
                in_head = True
            elif kind == "thead_close":
                in_head = False
            elif kind == "tr_open" and not in_head:
                rows.append([])
            elif kind in ("th_open", "td_open"):
                cell = self._inline(kind.replace("_open", "_close"))
                if in_head:
                    header.append(cell)
                    style = str(token.attrs.get("style", ""))
                    align.append(style.partition("text-align:")[2].strip() or "left")
                elif rows:
                    rows[-1].append(cell)
        width = len(header)
        body = tuple(tuple((row + [Content("")] * width)[:width]) for row in rows)
        return Table(tuple(header), body, tuple(align))
