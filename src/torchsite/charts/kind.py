"""What a chart kind provides, and the helpers the kinds share: rows, words, marks and the key of bounds."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar, Generic, TypeVar

import plotly.graph_objects as go
from markupsafe import escape

from torchsite.charts.base import ChartBase, Mark
from torchsite.charts.model import COLUMNS, KeyLine, Palette, Part, Row, open_fill, source_words
from torchsite.errors import Problem
from torchsite.inputs.diagnostics import Key
from torchsite.inputs.facts import FactSheet
from torchsite.inputs.figures import Figure
from torchsite.inputs.formatting import Formatter
from torchsite.inputs.hedges import HEDGE_WORDS
from torchsite.inputs.languages import Language
from torchsite.inputs.messages import Messages
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


# A character's width in ems with room for WCAG 1.4.12's text spacing (letter-spacing 0.12em, word-spacing 0.16em)
# on top of the widest system font's: labels are wrapped and placed by it, so a reader's spacing never pushes them
# out of their drawing; each label grows away from the edge it is anchored to (its text aligned to that side).
SPACED, SPACED_BOLD = 0.72, 0.78

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

    def warnings(self, doc: Document, here: Key, spec: Spec, figures: dict[str, Figure]) -> list[Problem]:
        """Warnings for a chart that is valid but would mislead for its figures (the kind's guard)."""
        return []

    def with_sources(self, spec: Spec, figures: dict[str, Figure], sheet: FactSheet, fmt: Formatter) -> Spec:
        """The spec with what the kind draws from the sheet's sources (a timeline: its report's date); as given."""
        return spec

    @abstractmethod
    def rows(self, spec: Spec, figures: dict[str, Figure], fmt: Formatter) -> tuple[Row, ...]:
        """The data the chart shows, one row per figure, in the order it is drawn."""

    @abstractmethod
    def words(
        self, spec: Spec, rows: tuple[Row, ...], figures: dict[str, Figure], fmt: Formatter
    ) -> tuple[str, tuple[Part, ...]]:
        """The alt text and the longer description, from the rows, in the site's language."""

    def draw(self, fig: go.Figure, spec: Spec, rows: tuple[Row, ...], p: Palette, layout: Layout, t: Messages) -> None:
        """Add the chart's traces and layout to a Plotly figure at one layout's width (only for drawn kinds); its
        words (a total, a guide line's name) in the catalog's language."""
        raise NotImplementedError(f"{self.name} charts are not drawn")

    def height(self, spec: Spec, rows: tuple[Row, ...], layout: Layout) -> int:
        """The drawing's height at a layout: the spec's height when wide, what the rows need when narrow."""
        return spec.height

    def key(self, spec: Spec, rows: tuple[Row, ...], words: Language) -> tuple[KeyLine, ...]:
        """How to read the marks, for the hedges the chart actually draws (the same words in every chart)."""
        return hedge_key([r for r in rows if r.unit != "times"], words)


def hedge_key(drawn: list[Row], words: Language, mark: str = "hedged") -> tuple[KeyLine, ...]:
    """The one key line of the one hedge language, when a drawn mark is hedged: what an open mark means, naming the
    hedges drawn (in the site's language); its swatch in the colour of the first hedged mark (a bar's open end, or an
    open dot)."""
    hedged = [r for r in drawn if r.qualifier != "exact"]
    if not hedged:
        return ()
    names = dict.fromkeys(words.key.hedge_quoted.format(words=getattr(words.hedges, r.qualifier)) for r in hedged)
    said = words.key.hedge_separator.join(names)
    text = (words.key.hedged if mark == "hedged" else words.key.hedged_dot).format(hedges=said)
    return (KeyLine(mark, text, hedged[0].style),)


def mark_refs(name: str, marks: list[Mark]) -> list[tuple[Key, str]]:
    """The figure ids of a list of marks, with their paths."""
    return [((name, i, "fact"), m.fact) for i, m in enumerate(marks)]


def mark_rows(marks: list[Mark], figures: dict[str, Figure], fmt: Formatter) -> tuple[Row, ...]:
    """A row for each bar, segment or card."""
    return tuple(mark_row(m, figures[m.fact], fmt) for m in marks)


def mark_row(mark: Mark, figure: Figure, fmt: Formatter) -> Row:
    """A row for a bar, segment or card."""
    return Row(
        figure.id,
        mark.label,
        figure.value,
        figure.unit,
        figure.qualifier,
        figure.text,
        source_words(figure, fmt.messages),
        style=mark.style,
        pair=fmt.messages.gettext("%(label)s: %(figure)s"),
    )


# --- Words --------------------------------------------------------------------------------------


def hedge_note(row: Row, fmt: Formatter, mark: str = "bar") -> str:
    """How a hedged mark is drawn, for the description: a bar's open end, or an open dot, at the value stated."""
    if row.qualifier == "exact":
        return ""
    t = fmt.messages
    words = getattr(fmt.words.hedges, row.qualifier) if fmt.lang != "en" else HEDGE_WORDS[row.qualifier]
    if mark == "dot":
        return t.gettext(" (drawn as an open dot at the stated value: the source says only “%(words)s”)", words=words)
    return t.gettext(" (drawn to the stated value with an open end: the source says only “%(words)s”)", words=words)


def phrase(template: str, **values: str | tuple[str, str]) -> list[Part]:
    """A translated sentence as description parts: each %(name)s filled with its words, or with a figure
    (id, text) that the page links; a translation may put them in any order."""
    parts: list[Part] = []
    for piece in _PLACE.split(template):
        name = _NAME.fullmatch(piece)
        value = values[name[1]] if name else piece.replace("%%", "%")
        if isinstance(value, str) and parts and isinstance(parts[-1], str):
            parts[-1] += value
        elif value:
            parts.append(value)
    return parts


_PLACE = re.compile(r"(%\(\w+\)s)")
_NAME = re.compile(r"%\((\w+)\)s")


def listing(rows: tuple[Row, ...] | list[Row], fmt: Formatter, full: bool = False) -> list[Part]:
    """'Label: text. Label: text' as description parts: each label starts its own sentence, so one written with a
    capital (as charts and the fact sheet show labels) never lands mid-sentence."""
    t = fmt.messages
    parts: list[Part] = []
    for i, row in enumerate(rows):
        if i:
            parts += phrase(t.gettext(". "))
        parts += phrase(t.gettext("%(label)s: %(figure)s"), label=row.label, figure=(row.id, row.text))
        if full:
            parts.append(hedge_note(row, fmt))
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


FADE = 0.06  # a hedged bar's open end, as a share of the axis (at most half the bar)
OUTLINE = 1.5  # an open mark's outline, in pixels


def fade(row: Row, span: float) -> float:
    """How much of a bar's end is open: none when exact; when hedged a share of the axis, at most half the bar."""
    return min(span * FADE, float(row.value) / 2) if row.qualifier != "exact" else 0.0


def bar_marks(
    fig: go.Figure,
    rows: list[Row],
    where: list[float],
    p: Palette,
    span: float,
    horizontal: bool = True,
    thickness: float = 0.6,
) -> None:
    """Bars in the one hedge language: every bar drawn from zero to its stated value, never beyond; a hedged one
    ends in an open stretch, outlined in its colour and filled with the page (its label says the hedge). The mark
    is the whole bar (customdata: its fact), open when hedged, with its solid part drawn over it as decoration (an
    empty id)."""
    values = [float(r.value) for r in rows]
    main = {
        "base": 0,
        "customdata": [r.id for r in rows],
        "marker": {
            "color": [open_fill(p) if fade(r, span) else colour(r, p) for r in rows],
            "line": {"width": [OUTLINE if fade(r, span) else 0 for r in rows], "color": [colour(r, p) for r in rows]},
        },
        "hovertext": [hover(r) for r in rows],
        "hoverinfo": "text",
        "width": thickness,
    }
    solid = {
        "base": 0,
        "customdata": ["" for _ in rows],
        "marker": {"color": [colour(r, p) for r in rows], "line": {"width": 0}},
        "hoverinfo": "skip",
        "width": thickness,
    }
    cut = [v - fade(r, span) for r, v in zip(rows, values, strict=True)]
    if horizontal:
        fig.add_trace(go.Bar(orientation="h", x=values, y=where, **main))
    else:
        fig.add_trace(go.Bar(x=where, y=values, **main))
    if any(fade(r, span) for r in rows):
        if horizontal:
            fig.add_trace(go.Bar(orientation="h", x=cut, y=where, **solid))
        else:
            fig.add_trace(go.Bar(x=where, y=cut, **solid))
    fig.update_layout(barmode="overlay")
