"""Blocks of a parsed Markdown answer laid out as lines of ``Content`` at a width: paragraphs
wrapped, bullets with hanging indents, tables with thin lines and a bold header.

Pure functions of (blocks, width), so a message is laid out once per width and kept; the
widget that shows the lines is :mod:`markdown_view`.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from textual.content import Content

from .markdown_blocks import (
    Block,
    Code,
    Heading,
    ItemList,
    Paragraph,
    Quote,
    Rule,
    Table,
)

BLANK = Content("")


def lay_out(blocks: Sequence[Block], width: int, tight: bool = False) -> list[Content]:
    """The lines of ``blocks`` at ``width`` cells; a blank line between blocks unless
    ``tight`` (the paragraphs of a tight list item)."""
    width = max(width, 1)
    lines: list[Content] = []
    for block in blocks:
        if lines and not tight:
            lines.append(BLANK)
        lines += _block(block, width)
    return lines


def wrap(text: Content, width: int) -> list[Content]:
    """``Content.wrap``, skipped for the common line that already fits."""
    if text.cell_length <= width and "\n" not in text.plain:
        return [text]
    return text.wrap(width)


def _block(block: Block, width: int) -> list[Content]:
    if isinstance(block, Paragraph):
        return wrap(block.text, width) if block.text else []
    if isinstance(block, Heading):
        return wrap(block.text.stylize_before(f".h{min(block.level, 3)}"), width)
    if isinstance(block, ItemList):
        return _list(block, width)
    if isinstance(block, Table):
        return table_lines(block, width)
    if isinstance(block, Code):
        return [part.stylize_before(".code_block") for line in block.text.split("\n")
                for part in Content(line).fold(width)]
    if isinstance(block, Quote):
        bar = Content.styled("▌ ", ".quote")
        return [bar + line for line in lay_out(block.blocks, width - 2)]
    if isinstance(block, Rule):
        return [Content.styled("─" * width, ".table-lines")]
    raise TypeError(f"not a block: {block!r}")


def _list(block: ItemList, width: int) -> list[Content]:
    size = max(cell_len(item.marker) for item in block.items) + 1
    indent = Content(" " * size)
    lines: list[Content] = []
    for item in block.items:
        if lines and not block.tight:
            lines.append(BLANK)
        marker = Content.styled(item.marker.rjust(size - 1) + " ", ".bullet")
        body = lay_out(item.blocks, width - size, tight=block.tight) or [BLANK]
        lines.append(marker + body[0])
        lines += [indent + line if line else line for line in body[1:]]
    return lines


# -- tables ---------------------------------------------------------------------------------


def column_widths(natural: Sequence[int], minimal: Sequence[int], room: int) -> list[int]:
    """Cell widths (padding included) filling ``room``: wider than natural when there is
    space (shared in proportion, as Textual's grid does), else the widest columns give
    way first, down to their longest word, then down to 3 cells."""
    widths = list(natural)
    extra = room - sum(widths)
    if extra >= 0:
        total = sum(widths) or 1
        shares = [extra * w // total for w in widths]
        for i in range(extra - sum(shares)):  # the remainder, one cell each from the left
            shares[i % len(shares)] += 1
        return [w + s for w, s in zip(widths, shares, strict=True)]
    for floor in (minimal, [3] * len(widths)):
        while sum(widths) > room:
            i = max(range(len(widths)), key=lambda k: widths[k] - floor[k])
            if widths[i] <= floor[i]:
                break
            widths[i] -= 1
    return widths


_SPACE = Content(" ")
_NOTHING = Content("")


def table_lines(table: Table, width: int) -> list[Content]:
    columns = len(table.header)
    if not columns:
        return []
    rows = [table.header, *table.rows]
    natural = [max(cell_len(row[c].plain) for row in rows) + 2 for c in range(columns)]
    minimal = [max((cell_len(word) for row in rows for word in row[c].plain.split()),
                   default=1) + 2 for c in range(columns)]
    minimal = [min(m, n) for m, n in zip(minimal, natural, strict=True)]
    widths = column_widths(natural, minimal, width - columns - 1)

    def rule(left: str, middle: str, right: str) -> Content:
        return Content.styled(left + middle.join("─" * w for w in widths) + right,
                              ".table-lines")

    bar = Content.styled("│", ".table-lines")
    lines = [rule("┌", "┬", "┐")]
    for r, row in enumerate(rows):
        if r:
            lines.append(rule("├", "┼", "┤"))
        cells = []
        for c, cell in enumerate(row):
            if r == 0:
                cell = cell.stylize_before(".table-header")
            cells.append(wrap(cell, max(widths[c] - 2, 1)) or [BLANK])
        for y in range(max(len(cell) for cell in cells)):
            # one Content per line, joined once (adding cell by cell copied the line each time)
            parts = [bar]
            for c, column in enumerate(cells):
                text = column[y] if y < len(column) else BLANK
                parts += [_SPACE, _aligned(text, widths[c] - 2, table.align[c]), _SPACE, bar]
            lines.append(_NOTHING.join(parts))
    lines.append(rule("└", "┴", "┘"))
    return lines


def _aligned(text: Content, width: int, align: str) -> Content:
    space = max(width - text.cell_length, 0)
    if align == "right":
        return text.pad_left(space)
    if align == "center":
        return text.pad(space // 2, space - space // 2)
    return text.pad_right(space)
