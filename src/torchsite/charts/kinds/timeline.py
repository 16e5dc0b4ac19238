"""Timeline: events placed on a year axis; events the source gives no year for are listed, not placed."""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, replace
from typing import Literal

import plotly.graph_objects as go
from pydantic import Field, PrivateAttr

from torchsite.charts.base import MAX_MARKS, ChartBase, Event
from torchsite.charts.kind import SPACED, SPACED_BOLD, Kind, Layout, phrase, safe
from torchsite.charts.model import KeyLine, Palette, Part, Row, source_words
from torchsite.inputs.diagnostics import Key
from torchsite.inputs.facts import FactSheet
from torchsite.inputs.figures import Figure
from torchsite.inputs.formatting import Formatter
from torchsite.inputs.hedges import DATE_UNITS, period_date
from torchsite.inputs.languages import Language
from torchsite.inputs.messages import N_, Messages

LINE = 1.45  # a line of label text, in font sizes
YEAR_FROM_PUBLISHED = N_(" (the source gives no year: this is the year it was published)")


class TimelineChart(ChartBase):
    """Events placed on a year axis; events the source gives no year for are listed, not placed."""

    type: Literal["timeline"] = Field(description="The chart kind: dated events on a year axis")
    events: list[Event] = Field(
        min_length=1, max_length=MAX_MARKS, description="The events, each a dated fact and a label"
    )
    _reported: Row | None = PrivateAttr(None)  # the report's own date, drawn as a reference (Timeline.with_sources)


class Timeline(Kind[TimelineChart]):
    """Dated events as markers on a year axis, undated ones listed in words."""

    name = "timeline"
    spec_model = TimelineChart
    columns = ((N_("When"), "when"), (N_("Event"), "label"), (N_("Source"), "source"))

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

    def with_sources(
        self, spec: TimelineChart, figures: dict[str, Figure], sheet: FactSheet, fmt: Formatter
    ) -> TimelineChart:
        """The spec with its report's own date, when every event comes from one source and it states its date."""
        sources = {figures[e.fact].source for e in spec.events if e.fact in figures}
        if len(sources) != 1 or None in sources:
            return spec
        source = sheet.source(next(iter(s for s in sources if s)))
        sort = date_position(source.published) if source.published else None
        if source.published is None or sort is None:
            return spec
        unit = {1: "year", 2: "month"}.get(source.published.count("-") + 1, "day")
        when = fmt.date(source.published, unit)
        made = spec.model_copy()
        made._reported = Row(
            "", fmt.words.key.reported, source.published, unit, "exact", when, "", when, sort, mark="reported"
        )
        return made

    def rows(self, spec: TimelineChart, figures: dict[str, Figure], fmt: Formatter) -> tuple[Row, ...]:
        """Dated events in time order, then the undated ones."""
        events = [event_row(e, figures[e.fact], fmt) for e in spec.events]
        dated = sorted((r for r in events if r.sort is not None), key=lambda r: r.sort or 0.0)
        dated = [replace(r, year_alone=_year_alone(r, dated)) for r in dated]
        return (*dated, *(r for r in events if r.sort is None))

    def words(
        self, spec: TimelineChart, rows: tuple[Row, ...], figures: dict[str, Figure], fmt: Formatter
    ) -> tuple[str, tuple[Part, ...]]:
        """The span, each dated event, then the events not placed."""
        dated = [r for r in rows if r.sort is not None]
        undated = [r for r in rows if r.sort is None]
        first, last = dated[0], dated[-1]
        before, _, after = fmt.words.period.by.partition("{date}")  # a "by" date without its words: the span's ends
        ends = tuple(r.when.removeprefix(before).removesuffix(after) for r in (first, last))
        t = fmt.messages
        dated_by = {r.id: t.gettext(YEAR_FROM_PUBLISHED) if figures[r.id].year_note else "" for r in dated}
        stop = t.gettext(". ")
        events = [t.gettext("%(when)s: %(event)s", when=_cap(r.when), event=r.event + dated_by[r.id]) for r in dated]
        listed = stop.join(events) + t.gettext(".")
        parts: list[Part]
        if ends[0] == ends[1]:  # one date: no span to tell
            alt = (
                t.ngettext(
                    "Timeline of one event in %(date)s. ", "Timeline of events in %(date)s. ", len(dated), date=ends[0]
                )
                + listed
            )
            parts = phrase(t.gettext("Events in %(date)s. "), date=(first.id, ends[0])) if len(dated) > 1 else []
        else:
            alt = t.gettext("Timeline from %(start)s to %(end)s. ", start=ends[0], end=ends[1]) + listed
            parts = phrase(
                t.gettext("Events in time order, from %(start)s to %(end)s. "),
                start=(first.id, ends[0]),
                end=(last.id, ends[1]),
            )
        for row in dated:
            given = t.gettext(" (the report gives only the year)") if row.year_alone else ""
            parts += [(row.id, _cap(row.when)), given, t.gettext(": %(label)s", label=row.label + dated_by[row.id])]
            parts += phrase(t.gettext(": %(figure)s"), figure=(row.id, row.text)) if row.show_text else []
            parts.append(t.gettext(" (a goal). ") if row.mark == "goal" else stop)
        for row in undated:
            parts += phrase(
                t.gettext("Not placed on the axis: %(label)s, on %(figure)s; the source gives no year. "),
                label=row.label,
                figure=(row.id, row.text),
            )
        if undated:
            alt += " " + " ".join(
                t.gettext("Not placed on the axis: %(label)s, %(when)s.", label=r.label, when=r.when) for r in undated
            )
        if spec._reported is not None:  # the report's own time, a reference the chart draws
            said = t.gettext("The report was published on %(date)s, marked on the axis. ", date=spec._reported.when)
            alt += " " + said.strip()
            parts.append(said)
        return alt, tuple(parts)

    def height(self, spec: TimelineChart, rows: tuple[Row, ...], layout: Layout) -> int:
        """As tall as the time axis with its labels needs at the layout (vertical when narrow, across when wide)."""
        return _plan(rows, layout, spec._reported).height

    def draw(
        self, fig: go.Figure, spec: TimelineChart, rows: tuple[Row, ...], p: Palette, layout: Layout, t: Messages
    ) -> None:
        """Dated events on a time axis drawn to scale (down the page when narrow, across when wide), in pixels: each
        marker at its date, its label beside it or led to it by a thin line; a year-only event spans its year, a
        "by" date points back from its bound, goals lie past a dashed stretch of the axis."""
        plan = _plan(rows, layout, spec._reported)
        down = layout.width < 480
        events = [m for m in plan.marks if m.row.mark != "reported"]
        along = [m.at for m in events]
        across = [plan.axis] * len(events)
        xs, ys = (across, along) if down else (along, across)
        line = {"color": p.grid, "width": 2}
        solid_end = plan.scale(plan.present)
        first, last = plan.scale(plan.start), plan.scale(plan.end)
        for a, b, dash in ((first, solid_end, "solid"), (solid_end, last, "dash")):
            if b > a:
                box = (plan.axis, plan.axis, a, b) if down else (a, b, plan.axis, plan.axis)
                fig.add_shape(type="line", x0=box[0], x1=box[1], y0=box[2], y1=box[3], line={**line, "dash": dash},
                              layer="below")  # fmt: skip
        for mark in plan.marks:
            if mark.row.mark == "reported":  # the report's date: a dotted tick across the axis, no marker
                a, b = plan.axis - 9, plan.axis + 9
                box = (a, b, mark.at, mark.at) if down else (mark.at, mark.at, a, b)
                fig.add_shape(type="line", x0=box[0], x1=box[1], y0=box[2], y1=box[3],
                              line={"color": p.fg, "width": 1.5, "dash": "dot"})  # fmt: skip
            if mark.row.mark == "" and mark.year_only:
                a, b = plan.scale(mark.row.sort or 0.0), plan.scale((mark.row.sort or 0.0) + 1)
                box = (plan.axis, plan.axis, a, b) if down else (a, b, plan.axis, plan.axis)
                fig.add_shape(type="line", x0=box[0], x1=box[1], y0=box[2], y1=box[3],
                              line={"color": p.primary, "width": 7})  # fmt: skip
            if mark.label_at != mark.at or not down:
                fig.add_shape(
                    type="line", line={"color": p.muted, "width": 1},
                    **(dict(x0=plan.axis + 8, x1=plan.text_at - 4, y0=mark.at, y1=mark.label_at) if down else
                       dict(x0=mark.at, x1=mark.at, y0=plan.axis - 8, y1=mark.label_at)),
                )  # fmt: skip
        fig.add_trace(
            go.Scatter(
                x=xs, y=ys, mode="markers", customdata=[m.row.id for m in events],
                marker={"size": 13, "color": p.primary, "symbol": [_symbol(m, down) for m in events],
                        # a filled marker ringed in the page's colour stays apart from one it touches; an open one
                        # (a goal) is its ring
                        "line": {"width": 2, "color": [p.primary if m.row.mark == "goal" else p.bg
                                                       for m in events]}},
                hovertext=[safe(m.row.spoken) for m in events], hoverinfo="text", cliponaxis=False,
            )
        )  # fmt: skip
        for mark in plan.marks:
            text = f"<b>{safe(mark.lines[0])}</b>" + "".join(f"<br>{safe(line)}" for line in mark.lines[1:])
            fig.add_annotation(
                x=plan.text_at if down else mark.at, y=mark.label_at, showarrow=False, align=mark.align,
                name=mark.row.id,
                xanchor="left" if down else mark.align, yanchor="middle" if down else "bottom",
                xshift=0 if down else (-4 if mark.align == "right" else 4),
                text=text, font={"color": p.fg, "size": layout.font},
            )  # fmt: skip
        fig.update_xaxes(visible=False, range=[0, layout.width], fixedrange=True)
        fig.update_yaxes(visible=False, range=[plan.height, 0], fixedrange=True)
        fig.update_layout(margin={"l": 0, "r": 0, "t": 0, "b": 0})

    def key(self, spec: TimelineChart, rows: tuple[Row, ...], words: Language) -> tuple[KeyLine, ...]:
        """One line for each way the timeline dates an event, for the marks it draws (in the site's language)."""
        marks = [m for m in _plan(rows, NARROW_PLAN).marks if m.row.mark != "reported"]
        kinds = {"year" if m.year_only and not m.row.mark else m.row.mark or "event" for m in marks}
        return tuple(KeyLine(k, getattr(words.key, k)) for k in ("event", "year", "by", "goal") if k in kinds)


def _cap(when: str) -> str:
    """A date starting a sentence ("by 2020" -> "By 2020")."""
    return when[:1].upper() + when[1:]


def _symbol(mark: Placed, down: bool) -> str:
    """A marker's shape: a circle on its date, a square on a year-only span, a triangle pointing back from a bound,
    an open diamond for a goal."""
    if mark.row.mark == "goal":
        return "diamond-open"
    if mark.row.mark == "by":
        return "triangle-up" if down else "triangle-left"
    return "square" if mark.year_only else "circle"


@dataclass(frozen=True)
class Placed:
    """One dated event as drawn: its row, its label's lines, where its marker and label sit along the time axis."""

    row: Row
    lines: list[str]
    at: float  # the marker, in pixels along the time axis
    label_at: float  # the label's middle (narrow) or bottom (wide)
    year_only: bool
    align: str = "left"


@dataclass(frozen=True)
class Plan:
    """A timeline's layout in pixels: the axis, the year scale and every placed event (each label gives its date:
    the axis has no year numbers of its own, as every number shown is a figure of the fact sheet)."""

    start: float
    end: float
    present: float  # where the solid axis ends and the goals' dashed stretch begins
    origin: float
    per_year: float
    axis: float  # the axis's position across it
    text_at: float  # narrow: where labels start
    height: int
    marks: list[Placed]

    def scale(self, year: float) -> float:
        """A date's position along the axis, in pixels: proportional to time."""
        return self.origin + (year - self.start) * self.per_year


NARROW_PLAN = Layout("narrow", 320, 14)


def _plan(rows: tuple[Row, ...], layout: Layout, reported: Row | None = None) -> Plan:
    """Where every dated event and label goes at a layout: time to scale along the axis, labels clear of each other;
    the report's own date, when known, placed with them as a reference."""
    dated = sorted(
        [r for r in rows if r.sort is not None] + ([reported] if reported else []), key=lambda r: r.sort or 0.0
    )
    years = [r.sort or 0.0 for r in dated]
    only = [r.mark == "" and (r.sort or 0.0).is_integer() for r in dated]
    start = math.floor(min(years))
    end = max(y + (1 if o else 0) for y, o in zip(years, only, strict=True))
    end = max(end, start + 1)
    past = [y + (1 if o else 0) for r, y, o in zip(dated, years, only, strict=True) if r.mark != "goal"]
    present = max(past) if past else start
    line = layout.font * LINE
    if layout.width < 480:
        return _down(dated, only, start, end, present, layout, line)
    return _across(dated, only, start, end, present, layout, line)


def _down(
    dated: list[Row],
    only: list[bool],
    start: float,
    end: float,
    present: float,
    layout: Layout,
    line: float,
) -> Plan:
    """Narrow: time runs down the page at a scale that gives every label room, labels beside the axis."""
    axis, text_at = 12.0, 36.0
    chars = max(16, int((layout.width - text_at - 4) / (layout.font * SPACED)))
    lines = [_label(r, chars) for r in dated]
    heights = [len(ls) * line + 8 for ls in lines]
    per_year = max(8.0, min(14.0, sum(heights) / max(end - start, 1) * 1.6))
    origin = line
    spots = [
        origin + ((r.sort or 0.0) + (0.5 if o else 0.0) - start) * per_year for r, o in zip(dated, only, strict=True)
    ]
    order = sorted(range(len(dated)), key=lambda i: spots[i])  # labels in the order of their marks
    middles = _dodge([spots[i] for i in order], [heights[i] for i in order])
    placed = [Placed(dated[i], lines[i], spots[i], middle, only[i]) for i, middle in zip(order, middles, strict=True)]
    bottom = max(m + heights[i] / 2 for i, m in zip(order, middles, strict=True))
    height = round(max(bottom, origin + (end - start) * per_year) + line)
    return Plan(start, end, present, origin, per_year, axis, text_at, height, placed)


def _dodge(wanted: list[float], heights: list[float]) -> list[float]:
    """Label middles as near their marks as they can be without overlapping, in the marks' order: labels that would
    touch form a block centred on their marks (never above the top), so a crowd of marks has its labels around it."""
    blocks: list[list[int]] = []
    tops: list[float] = []
    for i in range(len(wanted)):
        blocks.append([i])
        tops.append(wanted[i] - heights[i] / 2)
        while len(blocks) > 1 and tops[-1] < tops[-2] + sum(heights[j] for j in blocks[-2]):
            merged = blocks[-2] + blocks.pop()
            tops.pop()
            blocks[-1] = merged
            centre = sum(wanted[j] for j in merged) / len(merged)
            tops[-1] = centre - sum(heights[j] for j in merged) / 2
        tops[-1] = max(tops[-1], 0.0)
    middles = []
    for block, top in zip(blocks, tops, strict=True):
        for j in block:
            middles.append(top + heights[j] / 2)
            top += heights[j]
    return middles


def _across(
    dated: list[Row],
    only: list[bool],
    start: float,
    end: float,
    present: float,
    layout: Layout,
    line: float,
) -> Plan:
    """Wide: time runs across; labels stand above the axis in tiers, each on a thin line down to its marker, no
    label over another and no line through a label (a label whose line would pass under another's stands lower)."""
    pad = layout.font * 2.5
    per_year = (layout.width - 2 * pad) / max(end - start, 1)
    spots = [pad + (_middle(r, o) - start) * per_year for r, o in zip(dated, only, strict=True)]
    tiers = None
    for chars, left in ((22, False), (22, True), (18, False), (18, True), (14, False), (14, True)):
        # narrower labels, or labels to the left of their lines, when no order of tiers is free of crossings
        lines = [_label(r, chars) for r in dated]
        widths = [max(len(x) for x in ls) * layout.font * SPACED_BOLD + 8 for ls in lines]
        boxes = _sides(spots, widths, layout.width, left)
        tiers = _tiers(spots, boxes)
        if tiers is not None:
            break
    if tiers is None:  # no order frees every line: stack the labels in time order, the last highest
        tiers = list(range(len(spots)))
    heights = [len(ls) * line + 10 for ls in lines]
    tier_h = max(heights) + 6
    axis = (max(tiers) + 1) * tier_h + 16
    placed = [
        Placed(row, ls, at, axis - 12 - tier * tier_h, o, "left" if box[0] > at else "right")
        for row, o, at, ls, box, tier in zip(dated, only, spots, lines, boxes, tiers, strict=True)
    ]
    height = round(axis + 16)
    return Plan(start, end, present, pad, per_year, axis, 0.0, height, placed)


def _sides(spots: list[float], widths: list[float], width: float, left: bool = False) -> list[tuple[float, float]]:
    """Each label's span across the drawing: on its preferred side of its line (the right, or the left) where it
    fits, else on the other."""
    spans = []
    for at, w in zip(spots, widths, strict=True):
        right, leftward = (at + 4, at + 4 + w), (at - 4 - w, at - 4)
        fits_right, fits_left = right[1] <= width, leftward[0] >= 0
        spans.append(leftward if (left and fits_left) or not fits_right else right)
    return spans


def _tiers(spots: list[float], boxes: list[tuple[float, float]]) -> list[int] | None:
    """The tier of each label (0 next to the axis): a label whose line rises through another's span stands below
    it, labels in one tier do not touch; None when two lines each rise through the other's label (no order works)."""
    n = len(spots)
    under = [{j for j in range(n) if j != i and boxes[j][0] - 3 <= spots[i] <= boxes[j][1] + 3} for i in range(n)]
    # under[i]: the labels mark i's line passes under, so they stand above label i
    waiting = {i: {j for j in range(n) if i in under[j]} for i in range(n)}  # the labels that must stand below i
    tiers: dict[int, int] = {}
    while len(tiers) < n:
        ready = [i for i in range(n) if i not in tiers and waiting[i] <= tiers.keys()]
        if not ready:
            return None
        i = min(ready, key=lambda k: spots[k])
        tier = max((tiers[j] + 1 for j in waiting[i]), default=0)
        while any(t == tier and boxes[i][0] < boxes[j][1] + 6 and boxes[j][0] < boxes[i][1] + 6
                  for j, t in tiers.items()):  # fmt: skip
            tier += 1
        tiers[i] = tier
    return [tiers[i] for i in range(n)]


def _shared(row: Row, dated: list[Row]) -> bool:
    """Whether another event falls in the year of one dated only by that year (so its label must say it is not
    placed within the year)."""
    year = math.floor(row.sort or 0.0)
    return any(r is not row and r.mark not in ("by", "reported") and math.floor(r.sort or 0.0) == year for r in dated)


def _middle(row: Row, year_only: bool) -> float:
    """Where an event's marker sits in time: its date, or the middle of the year it is dated only by."""
    return (row.sort or 0.0) + (0.5 if year_only else 0.0)


def _year_alone(row: Row, dated: list[Row]) -> bool:
    """Whether an event is dated by its year alone in a year with other events: its label, its mark's name and the
    description say so, as the order within the year is unknown."""
    return row.mark == "" and (row.sort or 0.0).is_integer() and _shared(row, dated)


def _label(row: Row, chars: int) -> list[str]:
    """An event's label: its date (one dated by a shared year alone says it is not placed within it), its words."""
    return [row.dated, *textwrap.wrap(row.event, chars)]


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
        source_words(figure, fmt.messages),
        when,
        sort,
        mark=mark,
        show_text=not is_date,
        within_year=fmt.messages.gettext(", month not given"),
        pair=fmt.messages.gettext("%(label)s: %(figure)s"),
    )


def date_position(date: str) -> float | None:
    """Where a date sits on a year axis: a year at its start, a month at its middle; no year, None."""
    if date.startswith("--"):
        return None
    parts = date.split("-")
    year = float(parts[0])
    return year + (int(parts[1]) - 0.5) / 12 if len(parts) > 1 else year


KIND = Timeline()
