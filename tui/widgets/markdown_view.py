"""A finished Markdown answer as one widget: parsed once, laid out once per width.

Why not Textual's ``Markdown``: it mounts a widget per block, list item and table cell
(an answer with a comparison table is ~40 widgets, a list of 80 models ~250), and CSS
matching and layout of those took 100-500 ms per answer and made a long log slow to
scroll. Here the whole answer is one :class:`MarkdownView` whose visual renders lines of
``Content``; the look (bold, italics, code spans, bullets with hanging indents, tables with
thin lines and a bold header) is kept, and styled from the theme by component classes.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from textual.content import Content
from textual.selection import Selection
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, RulesMap, Visual
from textual.widget import Widget

from .markdown_blocks import (
    Block,
    Code,
    Heading,
    ItemList,
    Paragraph,
    Quote,
    Rule,
    Table,
    parse,
)

BLANK = Content("")
INDENT = Content(" ")  # where a chip widget's button starts


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
            line = bar
            for c, cell in enumerate(cells):
                text = cell[y] if y < len(cell) else BLANK
                line += Content(" ") + _aligned(text, widths[c] - 2, table.align[c]) + " "
                line += bar
            lines.append(line)
    lines.append(rule("└", "┴", "┘"))
    return lines


def _aligned(text: Content, width: int, align: str) -> Content:
    space = max(width - text.cell_length, 0)
    if align == "right":
        return text.pad_left(space)
    if align == "center":
        return text.pad(space // 2, space - space // 2)
    return text.pad_right(space)


# -- the visual and the widget ---------------------------------------------------------------


def suggestion_lines(questions: Sequence[str], width: int) -> list[Content]:
    """Suggestions drawn as the chips look (a blank line, then one per line), each line
    clicking through to ``ask_suggestion(i)``: an index, never the question's text."""
    lines = [BLANK] if questions else []
    for i, question in enumerate(questions):
        chip = Content.assemble(" ", ("› ", "dim"), question, " ").stylize_before(".chip")
        click = Style.from_meta({"@click": f"ask_suggestion({i})"})
        lines += [INDENT + line.stylize(click) for line in wrap(chip, width - 1)]
    return lines


class MarkdownVisual(Visual):
    """Blocks laid out on demand; the last width's lines are kept (an answer is rendered
    again only when its width changes or its styles do)."""

    def __init__(self, blocks: Sequence[Block], suggestions: Sequence[str] = ()) -> None:
        self.blocks = tuple(blocks)
        self.suggestions = tuple(suggestions)
        self._width = -1
        self._lines: list[Content] = []
        self._joined = BLANK

    def lines(self, width: int) -> list[Content]:
        if width != self._width:
            self._lines = (lay_out(self.blocks, width)
                           + suggestion_lines(self.suggestions, width))
            self._joined = Content("\n").join(self._lines)
            self._width = width
        return self._lines

    def text(self, width: int) -> str:
        return "\n".join(line.plain for line in self.lines(width))

    def render_strips(self, width: int, height: int | None, style: Style,
                      options: RenderOptions) -> list[Strip]:
        self.lines(width)
        return self._joined.render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max((line.cell_length for line in self.lines(container_width)), default=0)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return len(self.lines(width))


class MarkdownView(Widget):
    """Markdown shown read-only. Selecting text with the mouse copies what is shown."""

    COMPONENT_CLASSES = {"code_inline", "code_block", "bullet", "table-header",
                         "table-lines", "quote", "h1", "h2", "h3", "chip"}

    DEFAULT_CSS = """
    MarkdownView {
        height: auto;
        link-style: none;  /* the only links are drawn chips: hovered as a chip is */
        link-background-hover: $secondary 30%;
        link-color-hover: $text;
        link-style-hover: none;
        & > .code_inline { background: $warning 10%; color: $text-warning 95%; }
        &:light > .code_inline { background: $error 5%; color: $text-error 95%; }
        & > .code_block { background: $boost; color: $text; }
        & > .bullet { color: $text-primary; }
        &:light > .bullet { color: $text-secondary; }
        & > .table-header { color: $primary; text-style: bold; }
        & > .table-lines { color: $foreground 20%; }
        & > .quote { color: $text-muted; }
        & > .h1 { color: $primary; text-style: bold underline; }
        & > .h2 { color: $primary; text-style: bold; }
        & > .h3 { text-style: bold; }
        & > .chip { background: $boost; color: $text-secondary; }
    }
    """

    def __init__(self, markdown: str, *, id: str | None = None,  # noqa: A002
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.markdown = markdown
        self.visual = MarkdownVisual(parse(markdown))

    def show_suggestions(self, questions: Sequence[str]) -> None:
        """Draw the suggestions inside this widget (an older answer's chips: the same look,
        clickable, and no widgets of their own for the log to lay out)."""
        self.visual = MarkdownVisual(self.visual.blocks, questions)
        self.refresh(layout=True)

    def action_ask_suggestion(self, index: int) -> None:
        from .chips import SuggestionChips

        if 0 <= index < len(self.visual.suggestions):
            self.post_message(SuggestionChips.Chosen(self.visual.suggestions[index]))

    def render(self) -> Visual:
        return self.visual  # what Textual measures the height with (get_height)

    def render_line(self, y: int) -> Strip:
        """One line, on demand: only the lines on screen are ever turned into strips (a long
        answer scrolled past costs nothing), and Textual keeps them until a refresh."""
        width = self.size.width
        lines = self.visual.lines(width)
        if y >= len(lines):
            return Strip.blank(width, self.visual_style.rich_style)
        line = lines[y]
        selection = self.text_selection
        if selection is not None and (span := selection.get_span(y)) is not None:
            start, end = span
            style = Style.from_styles(self.screen.get_component_styles("screen--selection"))
            line = line.stylize(style, start, len(line.plain) if end == -1 else end)
        return Visual.to_strips(self, line, width, 1, self.visual_style,
                                apply_selection=False)[0]

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        return selection.extract(self.visual.text(self.content_region.width)), "\n"

