"""Timeline: events placed on a year axis; events the source gives no year for are listed, not placed."""

from __future__ import annotations

import textwrap
from typing import Literal

import plotly.graph_objects as go
from markupsafe import escape
from pydantic import Field

from torchsite.charts.base import ChartBase, Event
from torchsite.charts.kind import Kind
from torchsite.charts.model import Palette, Part, Row, evidence
from torchsite.inputs.diagnostics import Key
from torchsite.inputs.figures import Figure
from torchsite.inputs.hedges import DATE_UNITS, period_date
from torchsite.render.formatting import format_date

LABEL_WIDTH = 36  # characters per line of a timeline label: fits a phone-width chart


class TimelineChart(ChartBase):
    """Events placed on a year axis; events the source gives no year for are listed, not placed."""

    type: Literal["timeline"]
    events: list[Event] = Field(min_length=1)


class Timeline(Kind[TimelineChart]):
    """Dated events as markers on a year axis, undated ones listed in words."""

    name = "timeline"
    spec_model = TimelineChart
    columns = (("When", "when"), ("Event", "label"), ("Source", "evidence"))

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

    def rows(self, spec: TimelineChart, figures: dict[str, Figure]) -> tuple[Row, ...]:
        """Dated events in time order, then the undated ones."""
        events = [event_row(e, figures[e.fact]) for e in spec.events]
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
        alt = f"Timeline from {ends[0]} to {ends[1]}: " + "; ".join(f"{r.when}, {event_text(r)}" for r in dated) + "."
        parts: list[Part] = ["Events on a year axis from ", (first.id, ends[0]), " to ", (last.id, ends[1]), ". "]
        for row in dated:
            parts += [(row.id, row.when[:1].upper() + row.when[1:]), f": {row.label}"]
            parts += [": ", (row.id, row.text)] if row.show_text else []
            parts.append(" (a goal). " if row.mark == "goal" else ". ")
        for row in undated:
            parts += [f"Not placed on the axis: {row.label}, on ", (row.id, row.text), "; the source gives no year. "]
        if undated:
            alt += " " + "; ".join(f"{r.label}, {r.when}, is not placed on the axis" for r in undated) + "."
        return alt, tuple(parts)

    def draw(self, fig: go.Figure, spec: TimelineChart, rows: tuple[Row, ...], p: Palette) -> None:
        """One row per dated event: its marker on a year axis, its label above, from the left edge (fits a phone)."""
        dated = [r for r in rows if r.sort is not None]
        xs = [r.sort or 0.0 for r in dated]
        lo, hi = min(xs), max(xs)
        symbol = {"": "circle", "by": "circle-open", "goal": "diamond-open"}
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=list(range(len(dated))),
                mode="markers",
                marker={
                    "size": 13,
                    "color": p.primary,
                    "symbol": [symbol[r.mark] for r in dated],
                    "line": {"width": 2, "color": p.primary},
                },
                hovertext=[f"{escape(r.when)}: {escape(event_text(r))}" for r in dated],
                hoverinfo="text",
                cliponaxis=False,
            )
        )
        for i, row in enumerate(dated):
            lines = textwrap.wrap(f"{row.when} · {event_text(row)}", LABEL_WIDTH)
            fig.add_annotation(
                x=0, xref="paper", xanchor="left", y=i, yanchor="bottom", yshift=9, showarrow=False, align="left",
                text="<br>".join(str(escape(line)) for line in lines), font={"color": p.fg, "size": 13},
            )  # fmt: skip
        years = sorted({int(x) for x in xs})
        fig.update_xaxes(
            range=[lo - 1.5, hi + 1.5],
            tickvals=years,
            ticktext=[str(y) for y in years],
            showgrid=True,
            fixedrange=True,
            tickangle=0,
        )
        fig.update_yaxes(visible=False, autorange="reversed", range=[len(dated) - 0.6, -1.1], fixedrange=True)
        fig.update_layout(margin={"l": 16, "r": 16, "t": 8})

    def key(self, rows: tuple[Row, ...]) -> tuple[str, ...]:
        """Filled, open and diamond markers, for the marks the timeline draws."""
        marks = {r.mark for r in rows if r.sort is not None}
        key = ["Filled circle: an event in that year or month."]
        if "by" in marks:
            key.append("Open circle: the source dates it only as “by” that year.")
        if "goal" in marks:
            key.append("Open diamond: a goal for that year.")
        return tuple(key)


def event_text(row: Row) -> str:
    """A timeline event in words: its label, and its figure when that is an amount."""
    return f"{row.label}: {row.text}" if row.show_text else row.label


def event_row(event: Event, figure: Figure) -> Row:
    """A row for a timeline event, dated by the fact's value or, failing that, its as_of year."""
    is_date = figure.unit in ("year", "month", "day")
    date = str(figure.value) if is_date else str(period_date(figure.as_of))
    unit = figure.unit if is_date else ("month" if "-" in date else "year")
    sort = date_position(date)
    when = format_date(date, unit) if unit != "year" else date
    if sort is None:
        when += " (the source gives no year)"
    elif event.by:
        when = f"by {when}"
    mark = "goal" if event.goal else "by" if event.by else ""
    return Row(
        figure.id,
        event.label,
        figure.value,
        figure.unit,
        figure.qualifier,
        figure.text,
        evidence(figure),
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
