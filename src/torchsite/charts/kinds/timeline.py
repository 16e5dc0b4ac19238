"""Timeline: events placed on a year axis; events the source gives no year for are listed, not placed."""

from __future__ import annotations

import itertools
import textwrap
from typing import Literal

import plotly.graph_objects as go
from pydantic import Field

from torchsite.charts.base import MAX_MARKS, ChartBase, Event
from torchsite.charts.kind import Kind, Layout, safe
from torchsite.charts.model import KeyLine, Palette, Part, Row, source_words
from torchsite.inputs.diagnostics import Key
from torchsite.inputs.figures import Figure
from torchsite.inputs.formatting import Formatter
from torchsite.inputs.hedges import DATE_UNITS, period_date
from torchsite.inputs.languages import KeyWords

LINE = 1.45  # a line of label text, in font sizes
YEAR_FROM_PUBLISHED = " (the source gives no year: this is the year it was published)"


class TimelineChart(ChartBase):
    """Events placed on a year axis; events the source gives no year for are listed, not placed."""

    type: Literal["timeline"] = Field(description="The chart kind: dated events on a year axis")
    events: list[Event] = Field(
        min_length=1, max_length=MAX_MARKS, description="The events, each a dated fact and a label"
    )


class Timeline(Kind[TimelineChart]):
    """Dated events as markers on a year axis, undated ones listed in words."""

    name = "timeline"
    spec_model = TimelineChart
    columns = (("When", "when"), ("Event", "label"), ("Source", "source"))

    def references(self, spec: TimelineChart) -> list[tuple[Key, str]]:
        """The events' figures."""
        return [(("events", i, "fact"), e.fact) for i, e in enumerate(spec.events)]

    def unfit(self, spec: TimelineChart, path: Key, figure: Figure) -> tuple[str, str] | None:
        """An event needs a date: its value, or an as_of year."""
        if figure.unit in ("year", *DATE_UNITS) or period_date(figure.as_of):
            return None
        return (
            f"'{figure.id}' has no date: its unit is {figure.unit} and its as_of is {figure.as_of or 'not set'}",
            "a timeline event needs a fact whose value is a year, month or day, or whose as_of is 'YYYY' or 'by YYYY'",
        )

    def rows(self, spec: TimelineChart, figures: dict[str, Figure], fmt: Formatter) -> tuple[Row, ...]:
        """Dated events in time order, then the undated ones."""
        events = [event_row(e, figures[e.fact], fmt) for e in spec.events]
        dated = sorted((r for r in events if r.sort is not None), key=lambda r: r.sort or 0.0)
        return (*dated, *(r for r in events if r.sort is None))

    def words(
        self, spec: TimelineChart, rows: tuple[Row, ...], figures: dict[str, Figure]
    ) -> tuple[str, tuple[Part, ...]]:
        """The span, each dated event, then the events not placed."""
        dated = [r for r in rows if r.sort is not None]
        undated = [r for r in rows if r.sort is None]
        first, last = dated[0], dated[-1]
        ends = (first.when.removeprefix("by "), last.when.removeprefix("by "))
        dated_by = {r.id: YEAR_FROM_PUBLISHED if figures[r.id].year_note else "" for r in dated}
        alt = f"Timeline from {ends[0]} to {ends[1]}. "
        alt += ". ".join(f"{_cap(r.when)}: {r.event}{dated_by[r.id]}" for r in dated) + "."
        parts: list[Part] = ["Events in time order, from ", (first.id, ends[0]), " to ", (last.id, ends[1]), ". "]
        for row in dated:
            parts += [(row.id, _cap(row.when)), f": {row.label}{dated_by[row.id]}"]
            parts += [": ", (row.id, row.text)] if row.show_text else []
            parts.append(" (a goal). " if row.mark == "goal" else ". ")
        for row in undated:
            parts += [f"Not placed on the axis: {row.label}, on ", (row.id, row.text), "; the source gives no year. "]
        if undated:
            alt += " " + " ".join(f"Not placed on the axis: {r.label}, {r.when}." for r in undated)
        return alt, tuple(parts)

    def height(self, spec: TimelineChart, rows: tuple[Row, ...], layout: Layout) -> int:
        """As tall as the list of dated events, their labels wrapped to the layout's width."""
        return round(_slots(rows, layout)[-1] * layout.font * LINE) + 16

    def draw(self, fig: go.Figure, spec: TimelineChart, rows: tuple[Row, ...], p: Palette, layout: Layout) -> None:
        """A vertical list of dated events in time order: each marker on a line, its date and label beside it."""
        dated = [r for r in rows if r.sort is not None]
        slots = _slots(rows, layout)
        symbol = {"": "circle", "by": "circle-open", "goal": "diamond-open"}
        middles = [(a + b - 0.6) / 2 for a, b in itertools.pairwise(slots)]
        fig.add_trace(
            go.Scatter(
                x=[0.0] * len(dated), y=middles, mode="markers", customdata=[r.id for r in dated],
                marker={"size": 13, "color": p.primary, "symbol": [symbol[r.mark] for r in dated],
                        "line": {"width": 2, "color": p.primary}},
                hovertext=[safe(r.spoken) for r in dated], hoverinfo="text",
                cliponaxis=False,
            )
        )  # fmt: skip
        for row, middle, lines in zip(dated, middles, _wrapped(dated, layout), strict=True):
            text = f"<b>{safe(lines[0])}</b>" + "".join(f"<br>{safe(line)}" for line in lines[1:])
            fig.add_annotation(
                x=0, xshift=16, xanchor="left", y=middle, yanchor="middle", showarrow=False, align="left",
                name=row.id, text=text, font={"color": p.fg, "size": layout.font},
            )  # fmt: skip
        fig.update_xaxes(visible=False, range=[0, 1], fixedrange=True)
        fig.update_yaxes(visible=False, range=[slots[-1], 0], fixedrange=True)
        fig.add_shape(
            type="line", x0=0, x1=0, y0=middles[0], y1=middles[-1], line={"color": p.grid, "width": 2}, layer="below"
        )
        fig.update_layout(margin={"l": 10, "r": 4, "t": 8, "b": 8})

    def key(self, rows: tuple[Row, ...], words: KeyWords) -> tuple[KeyLine, ...]:
        """Filled, open and diamond markers, for the marks the timeline draws."""
        marks = {r.mark for r in rows if r.sort is not None}
        key = [KeyLine("event", words.event)] if "" in marks else []
        if "by" in marks:
            key.append(KeyLine("by", words.by))
        if "goal" in marks:
            key.append(KeyLine("goal", words.goal))
        return tuple(key)


def _cap(when: str) -> str:
    """A date starting a sentence ("by 2020" -> "By 2020")."""
    return when[:1].upper() + when[1:]


def _wrapped(dated: list[Row], layout: Layout) -> list[list[str]]:
    """Each event's date and label, wrapped to the layout's width (the date alone on the first line)."""
    chars = max(20, int((layout.width - 40) / (layout.font * 0.55)))
    return [[row.when, *textwrap.wrap(row.event, chars)] for row in dated]


def _slots(rows: tuple[Row, ...], layout: Layout) -> list[float]:
    """Where each dated event's lines start, in lines from the top, and (last) where the list ends."""
    dated = [r for r in rows if r.sort is not None]
    slots = [0.0]
    for lines in _wrapped(dated, layout):
        slots.append(slots[-1] + len(lines) + 0.6)
    return slots


def event_row(event: Event, figure: Figure, fmt: Formatter) -> Row:
    """A row for a timeline event, dated by the fact's value or, failing that, its as_of year."""
    is_date = figure.unit in ("year", "month", "day")
    date = str(figure.value) if is_date else str(period_date(figure.as_of))
    unit = figure.unit if is_date else ("month" if "-" in date else "year")
    sort = date_position(date)
    when = fmt.date(date, unit)
    if sort is None:
        when = fmt.words.period.no_year.format(date=when)
    elif event.by:
        when = fmt.words.by(when)
    mark = "goal" if event.goal else "by" if event.by else ""
    return Row(
        figure.id,
        event.label,
        figure.value,
        figure.unit,
        figure.qualifier,
        figure.text,
        source_words(figure),
        when,
        sort,
        mark=mark,
        show_text=not is_date,
    )


def date_position(date: str) -> float | None:
    """Where a date sits on a year axis: a year at its start, a month at its middle; no year, None."""
    if date.startswith("--"):
        return None
    parts = date.split("-")
    year = float(parts[0])
    return year + (int(parts[1]) - 0.5) / 12 if len(parts) > 1 else year


KIND = Timeline()
