"""A finished message as one widget: its text laid out once per width, its follow-up
suggestions drawn as chips under it, and only the lines on screen turned into strips.

Why not Textual's ``Markdown`` (or a container of ``Static`` and ``Button`` widgets): it
mounts a widget per block, list item, table cell and chip (an answer with a comparison
table is ~40 widgets, a list of 80 models ~250), and CSS matching and layout of those took
100-500 ms per answer and made a long log slow to scroll. Here a message is one widget; the
look (bold, italics, code spans, bullets with hanging indents, tables with thin lines and a
bold header, chips) is kept, styled from the theme by component classes. The chips are
reached with Tab like buttons (a cursor moved with the arrows, Enter asks), clicked by
index, and never hold the question as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.binding import Binding
from textual.content import Content
from textual.css.styles import RulesMap
from textual.message import Message
from textual.reactive import reactive
from textual.selection import Selection
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widget import Widget

from .markdown_blocks import Block
from .markdown_layout import BLANK, lay_out, wrap

MARKDOWN_STYLES = {"code_inline", "code_block", "bullet", "table-header", "table-lines",
                   "quote", "h1", "h2", "h3"}
"""The component classes Markdown text is styled with (see :mod:`markdown_blocks`)."""
CHIP_STYLES = {"chip", "chip--cursor"}
"""The component classes of drawn suggestions."""

INDENT = Content(" ")  # where a chip starts, under the text
PAD = Content(" ")  # a chip's padding, inside its background


def suggestion_lines(questions: Sequence[str], width: int
                     ) -> tuple[list[Content], list[range]]:
    """Suggestions drawn as chips (a blank line, then one per line), each line clicking
    through to ``ask_suggestion(i)``: an index, never the question's text. A long question
    wraps inside its chip, a box as wide as its widest line, padded one cell each side.
    Also each chip's rows, counted from the first line returned."""
    lines = [BLANK] if questions else []
    rows: list[range] = []
    for i, question in enumerate(questions):
        parts = wrap(Content.assemble(("› ", "dim"), question), max(width - 3, 1))
        box = max(part.cell_length for part in parts)
        click = Style.from_meta({"@click": f"ask_suggestion({i})"})
        start = len(lines)
        lines += [INDENT + (PAD + part.pad_right(box - part.cell_length) + PAD)
                  .stylize_before(".chip").stylize(click) for part in parts]
        rows.append(range(start, len(lines)))
    return lines, rows


class MarkdownVisual(Visual):
    """Blocks laid out on demand. The lines of the last few widths are kept: a message is
    laid out again only at a new width (Textual measures a new message at the log's width
    with and without its scrollbar, so two widths alternate)."""

    WIDTHS_KEPT = 3

    def __init__(self, blocks: Sequence[Block], suggestions: Sequence[str] = ()) -> None:
        self.blocks = tuple(blocks)
        self.suggestions = tuple(suggestions)
        self._laid_out: dict[int, tuple[list[Content], list[range]]] = {}

    def _at(self, width: int) -> tuple[list[Content], list[range]]:
        laid = self._laid_out.get(width)
        if laid is None:
            lines = lay_out(self.blocks, width) if self.blocks else []
            chips, rows = suggestion_lines(self.suggestions, width)
            laid = (lines + chips,
                    [range(r.start + len(lines), r.stop + len(lines)) for r in rows])
            if len(self._laid_out) >= self.WIDTHS_KEPT:
                del self._laid_out[next(iter(self._laid_out))]  # the oldest width
            self._laid_out[width] = laid
        return laid

    def lines(self, width: int) -> list[Content]:
        return self._at(width)[0]

    def chip_rows(self, width: int) -> list[range]:
        """The lines each suggestion takes at ``width``."""
        return self._at(width)[1]

    def text(self, width: int) -> str:
        return "\n".join(line.plain for line in self.lines(width))

    def render_strips(self, width: int, height: int | None, style: Style,
                      options: RenderOptions) -> list[Strip]:
        # Not on the widget's path (it renders line by line): for anything else that asks.
        return Content("\n").join(self.lines(width)).render_strips(width, height, style,
                                                                   options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max((line.cell_length for line in self.lines(container_width)), default=0)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return len(self.lines(width))


class MarkdownView(Widget, can_focus=False):
    """Blocks of text shown read-only, with suggestion chips under them. Selecting text with
    the mouse copies what is shown. Focusable only while :attr:`chips_active` (the newest
    message's chips): then the arrows move between chips and Enter asks one."""

    FOCUS_ON_CLICK = False  # a click on a chip asks it; a click on the text selects

    BINDINGS = [
        Binding("up,left", "move(-1)", "Previous suggestion", show=False,
                id="chips-previous"),
        Binding("down,right", "move(1)", "Next suggestion", show=False, id="chips-next"),
        Binding("enter,space", "choose", "Ask the suggestion", show=False,
                id="chips-choose"),
    ]

    # Each component class is a node Textual styles whenever a widget is mounted: a
    # subclass names only those its text can use (a user's message none).
    COMPONENT_CLASSES: ClassVar[set[str]] = set()

    DEFAULT_CSS = """
    MarkdownView {
        height: auto;
        link-style: none;  /* the only links are drawn chips: hovered as a chip is */
        link-color: $text-secondary;
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
        & > .chip--cursor { background: $secondary; color: $text; text-style: bold; }
    }
    """

    cursor: reactive[int] = reactive(0)

    class Chosen(Message):
        """A suggestion was chosen (click, or Enter on the chip cursor)."""

        def __init__(self, question: str) -> None:
            super().__init__()
            self.question = question

    def __init__(self, blocks: Sequence[Block], suggestions: Sequence[str] = (), *,
                 id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self.visual = MarkdownVisual(blocks, suggestions)
        self.can_focus = bool(self.visual.suggestions)

    @property
    def suggestions(self) -> tuple[str, ...]:
        return self.visual.suggestions

    @property
    def chips_active(self) -> bool:
        return self.can_focus

    @chips_active.setter
    def chips_active(self, active: bool) -> None:
        """Only the newest message's chips are reached with Tab; older ones stay drawn and
        clickable."""
        self.can_focus = active and bool(self.visual.suggestions)
        if not self.can_focus and self.has_focus:
            self.blur()

    def focus_first(self) -> bool:
        """Put the chip cursor on the first suggestion and focus it (False: no chips)."""
        if not self.can_focus:
            return False
        self.cursor = 0
        self.focus()
        return True

    def action_move(self, step: int) -> None:
        self.cursor = max(0, min(len(self.suggestions) - 1, self.cursor + step))

    def action_choose(self) -> None:
        self.action_ask_suggestion(self.cursor)

    def action_ask_suggestion(self, index: int) -> None:
        if 0 <= index < len(self.suggestions):
            self.post_message(self.Chosen(self.suggestions[index]))

    def watch_cursor(self) -> None:
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

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
        strip = Visual.to_strips(self, line, width, 1, self.visual_style,
                                 apply_selection=False)[0]
        if self.has_focus:
            rows = self.visual.chip_rows(width)
            if self.cursor < len(rows) and y in rows[self.cursor]:
                # over the link colour Textual gives every clickable line
                cursor = self.get_component_rich_style("chip--cursor")
                at, end = len(INDENT), line.cell_length
                strip = Strip.join([strip.crop(0, at), strip.crop(at, end).apply_style(cursor),
                                    strip.crop(end)])
        return strip

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        return selection.extract(self.visual.text(self.content_region.width)), "\n"
