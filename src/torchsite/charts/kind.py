"""What a chart kind provides, and the helpers the kinds share: rows, words, marks and the key of bounds."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar, Generic, TypeVar

import plotly.graph_objects as go
from markupsafe import escape

from torchsite.charts.base import ChartBase, Mark
from torchsite.charts.model import COLUMNS, Palette, Part, Row, evidence
from torchsite.errors import Problem
from torchsite.inputs.diagnostics import Key
from torchsite.inputs.figures import Figure
from torchsite.inputs.hedges import APPROX, LOWER, UPPER, hedge
from torchsite.inputs.yamldoc import Document

Spec = TypeVar("Spec", bound=ChartBase)


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
    def rows(self, spec: Spec, figures: dict[str, Figure]) -> tuple[Row, ...]:
        """The data the chart shows, one row per figure, in the order it is drawn."""

    @abstractmethod
    def words(self, spec: Spec, rows: tuple[Row, ...], figures: dict[str, Figure]) -> tuple[str, tuple[Part, ...]]:
        """The alt text and the longer description, from the rows."""

    def draw(self, fig: go.Figure, spec: Spec, rows: tuple[Row, ...], p: Palette) -> None:
        """Add the chart's traces and layout to a Plotly figure (only for drawn kinds)."""
        raise NotImplementedError(f"{self.name} charts are not drawn")

    def key(self, rows: tuple[Row, ...]) -> tuple[str, ...]:
        """How to read the marks, for the hedges the chart actually draws."""
        drawn = {r.qualifier for r in rows if r.unit != "times"}
        key = []
        if drawn & UPPER:
            key.append("Hatched bar: an upper bound; the true value is below its end.")
        if drawn & LOWER:
            key.append("Hatched tip: a lower bound; the true value is beyond the solid bar.")
        if drawn & APPROX:
            key.append("Dotted bar: an approximate value.")
        return tuple(key)


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
        evidence(figure),
        style=mark.style,
    )


# --- Words --------------------------------------------------------------------------------------


def hedge_note(row: Row) -> str:
    """How a hedged mark is drawn, for the description."""
    h = hedge(row.qualifier)
    if h.side == "upper":
        return f" (an upper bound, drawn hatched: the source says only “{h.words}”)"
    if h.side == "lower":
        return f" (a lower bound, drawn with an open-ended hatched tip: the source says “{h.words}”)"
    if h.approx:
        return " (approximate, drawn dotted)"
    return ""


def listing(rows: tuple[Row, ...] | list[Row], full: bool = False) -> list[Part]:
    """'label, text; label, text' as description parts."""
    parts: list[Part] = []
    for i, row in enumerate(rows):
        parts += [("; " if i else "") + row.label + ", ", (row.id, row.text)]
        if full:
            parts.append(hedge_note(row))
    return parts


# --- Marks --------------------------------------------------------------------------------------


def colour(row: Row, p: Palette) -> str:
    """The colour a row's mark is drawn in."""
    return p.secondary if row.style == "secondary" else p.primary


def pattern(rows: list[Row], p: Palette) -> dict[str, Any]:
    """Hatching for upper bounds, dots for approximate values, solid fill otherwise."""
    shapes = ["/" if r.qualifier in UPPER else "." if r.qualifier in APPROX else "" for r in rows]
    return {
        "shape": shapes,
        "fgcolor": [colour(r, p) for r in rows],
        "fillmode": "overlay",
        "solidity": 0.5,
        "size": 8,
    }


def bar_fill(rows: list[Row], p: Palette) -> list[str]:
    """Bars are filled with their colour, except upper bounds, which are only hatched."""
    return ["rgba(0,0,0,0)" if r.qualifier in UPPER else colour(r, p) for r in rows]


def hover(row: Row) -> str:
    """Hover text: label and the figure with its hedge, plus what a bound means."""
    side = hedge(row.qualifier).side
    extra = f"<br>{'an upper' if side == 'upper' else 'a lower'} bound" if side else ""
    return f"{escape(row.label)}: <b>{escape(row.text)}</b>{extra}"
