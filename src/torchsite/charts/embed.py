"""How tall a chart's embed page is at a frame width, estimated from its drawn sizes and its words as site.css
lays them out: the embed snippet's fallback height, for hosts that do not load embed.js."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable

from torchsite.charts.model import Chart

HOST_WIDTHS = (320, 375, 480, 600, 768, 1280)  # frame widths a host page is likely to give an embed
MEASURE, SIDES = 640, 32  # main's max-width (--measure: 40rem) and its side padding (1rem each side)
NARROW = 480  # at most this wide, the chart frame shows the narrow drawing (site.css's @container)
MAX_DRAWN = {"narrow": 400, "wide": 600}  # each drawing's max-width
# Type as site.css sets it (px): the title 1.2rem at 1.3, captions and links 0.9rem at 1.6, cards' figures and labels.
TITLE, TITLE_LINE = 19.2, 24.96
SMALL, SMALL_LINE = 14.4, 23.04
CARD, CARD_LINE, CARD_LABEL, CARD_LABEL_LINE = 20.0, 24.0, 14.0, 22.4
CARD_PADDING = 24 + 3  # a card's padding (0.75rem above and below) and its top border
SWATCH = 43.2 + 8  # a key line's swatch (3em) and the gap after it
# Width of a character in ems: wide enough for DejaVu Sans, the widest of the system fonts site.css names, so
# that the estimate errs tall; bold (titles, card figures) is wider.
EM, BOLD_EM = 0.56, 0.62
# What is not words or drawing: main's padding (1.5rem + 3rem), the figure's gaps (0.5rem) and bottom margin
# (2rem), the title's margin, each caption paragraph's top margin (0.35rem), the table's and links' margins.
PADDING, GAP, FIGURE_MARGIN, TITLE_MARGIN, PARAGRAPH = 72.0, 8.0, 32.0, 4.0, 5.6
DATA_MARGIN, LINKS_MARGIN, TABLE_CELL = 12.0, 8.0, 12.2
LINKS = "The data   Download CSV   Share or embed"  # one row: the data disclosure's summary and the two links


def fallback_height(chart: Chart, drawn: bool) -> int:
    """The tallest the embed page is estimated to be at the likely host widths, to the next 10 px."""
    return math.ceil(max(page_height(chart, drawn, width) for width in HOST_WIDTHS) / 10) * 10


def page_height(chart: Chart, drawn: bool, frame: int) -> float:
    """The estimated height of the embed page in a frame of this width (with its drawings, or its table open)."""
    width = min(frame, MEASURE) - SIDES
    height = PADDING + FIGURE_MARGIN + TITLE_MARGIN + lines(chart.title_text, width, TITLE, BOLD_EM) * TITLE_LINE
    if chart.drawn:
        height += GAP + (drawing_height(chart, width) if drawn else 0)
        height += 0 if drawn else DATA_MARGIN + table_height(chart, width)
    else:
        height += GAP + cards_height(chart, width)
    # the description shows only inside the data disclosure, open when there is no drawing
    shown = "" if drawn and chart.drawn else chart.description_text() if chart.drawn else ""
    captions = [chart.spec.note or "", source_line(chart), shown]
    height += GAP + sum(PARAGRAPH + lines(t, width, SMALL, EM) * SMALL_LINE for t in captions if t)
    height += sum(PARAGRAPH + lines(k.text, width - SWATCH, SMALL, EM) * SMALL_LINE for k in chart.key)
    height += GAP + LINKS_MARGIN + lines(LINKS, width, SMALL, EM) * SMALL_LINE
    return height + SMALL_LINE  # the credit line under the figure


def lines(text: str, width: float, size: float, em: float) -> int:
    """How many lines a text wraps to at a width, its characters all as wide as `em` of its size."""
    return max(1, len(textwrap.wrap(text, max(1, int(width / (size * em))))))


def drawing_height(chart: Chart, width: float) -> float:
    """The height of the drawing the frame shows at this width, scaled to it as CSS scales it."""
    layout = "narrow" if width <= NARROW else "wide"
    drawn_width, drawn_height = chart.sizes.get(layout, (1, 0))
    return drawn_height * min(width, MAX_DRAWN[layout]) / drawn_width


def cards_height(chart: Chart, width: float) -> float:
    """A grid of cards (site.css: auto-fit columns of at least 9rem, 0.75rem apart), each its figure and label."""
    columns = max(1, int((width + 12) // (144 + 12)))
    inner = (width - 12 * (columns - 1)) / columns - 24
    cards = [card_height(row.text, row.label, inner) for row in chart.rows]
    rows = [max(cards[i : i + columns]) for i in range(0, len(cards), columns)]
    return sum(rows) + 12 * (len(rows) - 1)


def card_height(figure: str, label: str, width: float) -> float:
    """One card: its padding and top border, its figure, and its label under it."""
    figure_height = lines(figure, width, CARD, BOLD_EM) * CARD_LINE
    return CARD_PADDING + figure_height + PARAGRAPH + lines(label, width, CARD_LABEL, EM) * CARD_LABEL_LINE


def table_height(chart: Chart, width: float) -> float:
    """The data table, open when there is no drawing: each row as tall as its longest cell, columns shared evenly."""
    column = width / len(chart.columns)
    return SMALL_LINE + TABLE_CELL + sum(row_height(cells, column) for cells in table_cells(chart))


def row_height(cells: Iterable[str], column: float) -> float:
    """One table row: its tallest cell and the cell padding."""
    return max(lines(c, column - 8, SMALL, EM) for c in cells) * SMALL_LINE + TABLE_CELL


def table_cells(chart: Chart) -> list[list[str]]:
    """Each table row's cells as text."""
    return [[str(getattr(row, name)) for _, name in chart.columns] for row in chart.rows]


def source_line(chart: Chart) -> str:
    """The caption's source line in words (_chart.html writes it)."""
    cited = "; ".join(f"“{title}”, {credit}" for _, title, credit in chart.sources)
    derived = "; derived figures as the fact sheet computes them" if chart.has_derived else ""
    return f"Source: {cited}{derived}."
