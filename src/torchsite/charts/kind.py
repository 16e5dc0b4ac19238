"""What a chart kind provides, and the helpers the kinds share: rows, words, marks and the key of bounds."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar, Generic, TypeVar

import plotly.graph_objects as go
from markupsafe import escape

from torchsite.charts.base import ChartBase, Mark
from torchsite.charts.model import COLUMNS, KeyLine, Palette, Part, Row, pale, source_words
from torchsite.errors import Problem
from torchsite.inputs.diagnostics import Key
from torchsite.inputs.figures import Figure
from torchsite.inputs.formatting import Formatter
from torchsite.inputs.hedges import APPROX, HEDGE_WORDS, LOWER, UPPER, hedge
from torchsite.inputs.languages import KeyWords
from torchsite.inputs.yamldoc import Document

Spec = TypeVar("Spec", bound=ChartBase)


@dataclass(frozen=True)
class Layout:
    """One layout a chart is drawn in: its name (the drawing's class, chart-NAME) and width in pixels.

    The page shows the narrow drawing in frames up to 480 px wide (from 288 px, a 320 px phone) and the wide one
    above; `font` is the smallest type size drawn, so that text never shows under 12 px at either end.
    """

    name: str
    width: int
    font: int


NARROW = Layout("narrow", 320, 14)  # shown at 288-400 px (at most 1.25x; the frame leaves the rest empty)
WIDE = Layout("wide", 600, 15)  # shown at 481-640 px: 15 px x 481/600 = 12 px at the narrowest
LAYOUTS = (NARROW, WIDE)


class Kind(ABC, Generic[Spec]):
    """One chart kind: its spec model, checks, rows, words, Plotly drawing and key (defaults: a chart of amounts)."""

    name: ClassVar[str]  # the `type:` an editor writes in charts.yaml
    spec_model: ClassVar[type[ChartBase]]
    drawn: ClassVar[bool] = True  # False: HTML only, no Plotly figure
    legend: ClassVar[bool] = False  # whether the Plotly figure shows its legend
    columns: ClassVar[tuple[tuple[str, str], ...]] = COLUMNS  # the table's (heading, Row attribute)

    @abstractmethod
    def references(self, spec: Spec) -> list[tuple[Key, str]]:
        """Every figure id the chart draws, with its path inside the chart's entry."""

    def unfit(self, spec: Spec, path: Key, figure: Figure) -> tuple[str, str] | None:
        """Why a figure cannot be drawn where the spec puts it, or None (here: it must be an amount)."""
        if not figure.is_number or figure.unit in ("year",):
            return f"'{figure.id}' is a date, not an amount", "this chart draws amounts; dates belong on a timeline"
        return None

    def check(self, doc: Document, here: Key, spec: Spec, figures: dict[str, Figure]) -> list[Problem]:
        """Problems of the chart as a whole, once every figure it names is known and fit."""
        return []

    @abstractmethod
    def rows(self, spec: Spec, figures: dict[str, Figure], fmt: Formatter) -> tuple[Row, ...]:
        """The data the chart shows, one row per figure, in the order it is drawn."""

    @abstractmethod
    def words(self, spec: Spec, rows: tuple[Row, ...], figures: dict[str, Figure]) -> tuple[str, tuple[Part, ...]]:
        """The alt text and the longer description, from the rows."""

    def draw(self, fig: go.Figure, spec: Spec, rows: tuple[Row, ...], p: Palette, layout: Layout) -> None:
        """Add the chart's traces and layout to a Plotly figure at one layout's width (only for drawn kinds)."""
        raise NotImplementedError(f"{self.name} charts are not drawn")

    def height(self, spec: Spec, rows: tuple[Row, ...], layout: Layout) -> int:
        """The drawing's height at a layout: the spec's height when wide, what the rows need when narrow."""
        return spec.height

    def key(self, rows: tuple[Row, ...], words: KeyWords) -> tuple[KeyLine, ...]:
        """How to read the marks, for the hedges the chart actually draws (the same words in every chart)."""
        return hedge_key([r for r in rows if r.unit != "times"], words)


def hedge_key(drawn: list[Row], words: KeyWords) -> tuple[KeyLine, ...]:
    """The key's lines for the hedges drawn, in one order, from the one table of what each mark means (its words the
    language's); each swatch in the colour of the first mark drawn that way."""
    lines = []
    for qualifiers, mark in KEY:
        first = next((r for r in drawn if r.qualifier in qualifiers), None)
        if first is not None:
            lines.append(KeyLine(mark, getattr(words, mark), first.style))
    return tuple(lines)


# One visual language for hedged values, in every chart (see bar_marks; _chart.html draws each swatch the same way):
KEY = (
    (LOWER, "lower"),  # faded tip
    (UPPER, "upper"),  # pale bar with an outline
    (APPROX - {"nearly"}, "approx"),  # dotted end
    (frozenset({"nearly"}), "nearly"),  # thin line after a gap
)


def mark_refs(name: str, marks: list[Mark]) -> list[tuple[Key, str]]:
    """The figure ids of a list of marks, with their paths."""
    return [((name, i, "fact"), m.fact) for i, m in enumerate(marks)]


def mark_rows(marks: list[Mark], figures: dict[str, Figure]) -> tuple[Row, ...]:
    """A row for each bar, segment or card."""
    return tuple(mark_row(m, figures[m.fact]) for m in marks)


def mark_row(mark: Mark, figure: Figure) -> Row:
    """A row for a bar, segment or card."""
    return Row(
        figure.id,
        mark.label,
        figure.value,
        figure.unit,
        figure.qualifier,
        figure.text,
        source_words(figure),
        style=mark.style,
    )


# --- Words --------------------------------------------------------------------------------------


def hedge_note(row: Row) -> str:
    """How a hedged mark is drawn, for the description."""
    h, words = hedge(row.qualifier), HEDGE_WORDS[row.qualifier]  # an English sentence (descriptions are English)
    if h.side == "upper":
        return f" (an upper bound, drawn as a pale outlined bar: the source says only “{words}”)"
    if h.side == "lower":
        return f" (a lower bound, drawn with a faded tip: the source says “{words}”)"
    if h.below:
        return " (just below the value, drawn as a gap before a thin line)"
    if h.approx:
        return " (approximate, drawn with a dotted end)"
    return ""


def listing(rows: tuple[Row, ...] | list[Row], full: bool = False) -> list[Part]:
    """'Label: text. Label: text' as description parts: each label starts its own sentence, so one written with a
    capital (as charts and the fact sheet show labels) never lands mid-sentence."""
    parts: list[Part] = []
    for i, row in enumerate(rows):
        parts += [(". " if i else "") + row.label + ": ", (row.id, row.text)]
        if full:
            parts.append(hedge_note(row))
    return parts


# --- Marks --------------------------------------------------------------------------------------


def colour(row: Row, p: Palette) -> str:
    """The colour a row's mark is drawn in: the accent for the zone, the neutral for a baseline or the city."""
    return p.secondary if row.style == "secondary" else p.primary


def safe(text: str) -> str:
    """Text from content as Plotly shows it verbatim: its pseudo-HTML escaped, so no tag in it takes effect."""
    return str(escape(text))


def hover(row: Row) -> str:
    """Hover text (the Plotly view): label and the figure with its hedge, in the words of prose and table."""
    return f"{safe(row.label)}: <b>{safe(row.text)}</b>"


TIP = 0.07  # a lower bound's faded tip, as a share of the axis
GAP = 0.015  # the gap before a "nearly" value's line, as a share of the axis


def bar_marks(
    fig: go.Figure,
    rows: list[Row],
    where: list[float],
    p: Palette,
    span: float,
    horizontal: bool = True,
    thickness: float = 0.6,
) -> None:
    """Bars in the one hedge language: solid; a faded tip past a lower bound; a pale outlined bar up to an upper
    bound; a dotted end on an approximate value; a gap then a thin line for "nearly". Every mark names its fact
    (customdata), so the exported drawing can make it interactive; decorations carry an empty id."""
    shown = [float(r.value) - (span * GAP if hedge(r.qualifier).below else 0.0) for r in rows]
    main = {
        "base": 0,
        "customdata": [r.id for r in rows],
        "marker": {
            "color": [pale(colour(r, p), p) if r.qualifier in UPPER else colour(r, p) for r in rows],
            "line": {
                "color": [colour(r, p) for r in rows],
                "width": [1.5 if r.qualifier in UPPER else 0 for r in rows],
            },
        },
        "hovertext": [hover(r) for r in rows],
        "hoverinfo": "text",
        "width": thickness,
    }
    tips = [span * TIP if r.qualifier in LOWER else 0.0 for r in rows]
    if horizontal:
        fig.add_trace(go.Bar(orientation="h", x=shown, y=where, **main))
    else:
        fig.add_trace(go.Bar(x=where, y=shown, **main))
    fig.update_layout(barmode="overlay")
    if any(tips):
        tip = {
            "base": [float(r.value) for r in rows],
            "customdata": ["" for _ in rows],
            "marker": {"color": [pale(colour(r, p), p) for r in rows], "line": {"width": 0}},
            "hoverinfo": "skip",
            "width": thickness,
        }
        if horizontal:
            fig.add_trace(go.Bar(orientation="h", x=tips, y=where, **tip))
        else:
            fig.add_trace(go.Bar(x=where, y=tips, **tip))
    for row, at in zip(rows, where, strict=True):
        h = hedge(row.qualifier)
        if h.approx:
            end = float(row.value)
            line = {"color": colour(row, p), "width": 2, "dash": "solid" if h.below else "dot"}
            reach = thickness * 0.7
            box = (end, end, at - reach, at + reach) if horizontal else (at - reach, at + reach, end, end)
            fig.add_shape(type="line", x0=box[0], x1=box[1], y0=box[2], y1=box[3], line=line, layer="above")
