"""Then and now: two values of one quantity, start and end, and the multiple between them: never a series."""

from __future__ import annotations

import math
import textwrap
from typing import Literal

import plotly.graph_objects as go
from pydantic import Field

from torchsite.charts.base import ChartBase, Mark
from torchsite.charts.kind import (
    SPACED_BOLD,
    Kind,
    Layout,
    bar_marks,
    colour,
    hedge_key,
    hedge_note,
    hover,
    mark_rows,
    phrase,
    safe,
)
from torchsite.charts.model import KeyLine, Palette, Part, Row, open_fill, plain
from torchsite.errors import Problem, Severity
from torchsite.inputs.diagnostics import Key
from torchsite.inputs.facts import Ident
from torchsite.inputs.figures import Figure
from torchsite.inputs.formatting import Formatter
from torchsite.inputs.languages import Language
from torchsite.inputs.messages import N_, Messages
from torchsite.inputs.yamldoc import Document

BETWEEN = N_(". The source gives these two values and no figures for the years between, so the chart draws only them.")


class ThenNowChart(ChartBase):
    """Two values of one quantity, start and end, and the multiple between them: never a series."""

    type: Literal["then_now"] = Field(description="The chart kind: a start value, an end value and their multiple")
    start: Mark = Field(description="The earlier value (often style: secondary, as the baseline)")
    end: Mark = Field(description="The later value of the same quantity, in the same unit")
    multiple: Ident | None = Field(None, description="A derived figure in 'times' relating end to start")
    scale: Literal["linear", "log"] = Field(
        "linear", description="The value axis: linear, or log when the end dwarfs the start"
    )


class ThenNow(Kind[ThenNowChart]):
    """Two bars (or two dots on a log axis) and the multiple between them."""

    name = "then_now"
    spec_model = ThenNowChart

    def references(self, spec: ThenNowChart) -> list[tuple[Key, str]]:
        """Start, end and the multiple if given."""
        refs: list[tuple[Key, str]] = [(("start", "fact"), spec.start.fact), (("end", "fact"), spec.end.fact)]
        return [*refs, (("multiple",), spec.multiple)] if spec.multiple else refs

    def unfit(self, spec: ThenNowChart, path: Key, figure: Figure) -> tuple[str, str] | None:
        """Start and end are amounts; the multiple is in times."""
        wrong = super().unfit(spec, path, figure)
        if wrong is None and path == ("multiple",) and figure.unit != "times":
            return f"'{figure.id}' is in {figure.unit}, not times", "the multiple is a derived figure with unit: times"
        return wrong

    def check(self, doc: Document, here: Key, spec: ThenNowChart, figures: dict[str, Figure]) -> list[Problem]:
        """Start and end are in one unit."""
        if figures[spec.start.fact].unit != figures[spec.end.fact].unit:
            return [doc.problem((*here, "end", "fact"), "start and end must have the same unit")]
        return []

    def rows(self, spec: ThenNowChart, figures: dict[str, Figure], fmt: Formatter) -> tuple[Row, ...]:
        """Start, end, and the multiple labelled as the fact sheet labels it."""
        marks = [spec.start, spec.end]
        if spec.multiple:
            marks.append(Mark(fact=spec.multiple, label=figures[spec.multiple].label))
        return mark_rows(marks, figures, fmt)

    def words(
        self, spec: ThenNowChart, rows: tuple[Row, ...], figures: dict[str, Figure], fmt: Formatter
    ) -> tuple[str, tuple[Part, ...]]:
        """The two values, the multiple, and why nothing is drawn between them."""
        t = fmt.messages
        start, end = rows[0], rows[1]
        multiple = rows[2] if len(rows) > 2 else None
        ratio = (
            phrase(t.gettext(", %(multiple)s the starting level"), multiple=(multiple.id, multiple.text))
            if multiple
            else []
        )
        said = [t.gettext("%(label)s: %(figure)s", label=figures[r.id].label, figure=r.text) for r in (start, end)]
        if spec.scale == "log":
            alt = t.gettext(
                "Two values only, as dots on a logarithmic scale. %(start)s. %(end)s%(ratio)s.",
                start=said[0],
                end=said[1],
                ratio=plain(ratio),
            )
        else:
            alt = t.gettext(
                "Two bars only. %(start)s. %(end)s%(ratio)s.", start=said[0], end=said[1], ratio=plain(ratio)
            )
        parts: list[Part] = [
            *phrase(t.gettext("%(label)s: %(figure)s"), label=figures[start.id].label, figure=(start.id, start.text)),
            *phrase(t.gettext(". ")),
            *phrase(t.gettext("%(label)s: %(figure)s"), label=figures[end.id].label, figure=(end.id, end.text)),
            hedge_note(end, fmt, "dot" if spec.scale == "log" else "bar"),
            *ratio,
            t.gettext(BETWEEN),
        ]
        return alt, tuple(parts)

    def key(self, spec: ThenNowChart, rows: tuple[Row, ...], words: Language) -> tuple[KeyLine, ...]:
        """The hedge language's one line: an open end on a bar, an open dot (log scale)."""
        if spec.scale == "linear":
            return hedge_key([r for r in rows if r.unit != "times"], words)
        scale = KeyLine("log", words.key.log, "secondary")
        return (scale, *hedge_key([r for r in rows if r.unit != "times"], words, "hedged-dot"))

    def height(self, spec: ThenNowChart, rows: tuple[Row, ...], layout: Layout) -> int:
        """The spec's height when wide; a little shorter on a phone."""
        return spec.height if layout.width >= 480 else round(spec.height * 0.9)

    def warnings(self, doc: Document, here: Key, spec: ThenNowChart, figures: dict[str, Figure]) -> list[Problem]:
        """A then-and-now that would mislead for its figures: a small change drawn as a multiple, or a start too
        small to see on a linear scale."""
        start, end = float(figures[spec.start.fact].value), float(figures[spec.end.fact].value)
        if start <= 0 or end <= 0:
            return []
        ratio = end / start
        if 1 / SMALL < ratio < SMALL:
            change = f"{abs(ratio - 1) * 100:.0f}%"
            return [
                doc.problem(
                    (*here, "type"),
                    f"a then_now chart of a {change} change draws two nearly equal values as if a multiple were "
                    "the point",
                    "say the change in the text, or show it where its size can be read (a shares or parts chart)",
                ).as_severity(Severity.WARNING)
            ]
        if spec.scale == "linear" and max(ratio, 1 / ratio) > STEEP:
            return [
                doc.problem(
                    (*here, "scale" if "scale" in spec.model_fields_set else "type"),
                    f"on a linear scale the smaller value is {max(ratio, 1 / ratio):,.0f} times shorter than the "
                    "larger: too small to see",
                    "add 'scale: log', which shows a multiple as a distance",
                ).as_severity(Severity.WARNING)
            ]
        return []

    def draw(
        self, fig: go.Figure, spec: ThenNowChart, rows: tuple[Row, ...], p: Palette, layout: Layout, t: Messages
    ) -> None:
        """Linear: two bars from zero, each labelled with its figure, the multiple under the end's figure. Log: two
        dots at their values with a line at every power of ten, and a bracket from the start's level to the end's
        labelled with the multiple; every mark at its stated value (a hedged one open, never drawn beyond)."""
        start, end = rows[0], rows[1]
        multiple = rows[2] if len(rows) > 2 else None
        chars = max(12, int(layout.width / 2 / (layout.font * 0.56)))  # a label fits under its half of the chart
        names = {row.id: textwrap.wrap(row.label, chars) for row in (start, end)}
        if spec.scale == "log":
            _log(fig, start, end, multiple, p, layout, names, t)
            names = {}  # each name stands with its value, above its dot
        else:
            _linear(fig, start, end, multiple, p, layout, t)
        for at, row in ((0, start), (1, end)) if names else ():
            fig.add_annotation(
                x=at, y=0, yref="paper", yanchor="top", yshift=-8, showarrow=False, name=row.id,
                text="<br>".join(safe(line) for line in names[row.id]), font={"color": p.fg, "size": layout.font},
            )  # fmt: skip
        fig.add_shape(
            type="line", xref="paper", yref="paper", x0=0, x1=1, y0=0, y1=0, line={"color": p.grid, "width": 1},
            layer="below",
        )  # fmt: skip
        lines = max((len(n) for n in names.values()), default=0)
        fig.update_layout(margin={"l": 4, "r": 4, "t": 8, "b": round(layout.font * 1.4 * lines) + 12})


SMALL = 1.25  # a change smaller than a quarter (either way) is not a multiple worth a then-and-now chart
STEEP = 20.0  # beyond this multiple, the smaller bar on a linear scale is a sliver


def _linear(
    fig: go.Figure, start: Row, end: Row, multiple: Row | None, p: Palette, layout: Layout, t: Messages
) -> None:
    """Two bars from zero; the multiple said under the end's figure, which it measures against the start."""
    top = max(float(start.value), float(end.value))
    bar_marks(fig, [start, end], [0.0, 1.0], p, top, horizontal=False)
    for at, row in ((0, start), (1, end)):
        text = f"<b>{safe(row.text)}</b>"
        if multiple is not None and row is end:
            text += "<br>" + t.gettext("%(multiple)s the start", multiple=safe(multiple.text))
        fig.add_annotation(
            x=at, y=float(row.value), yanchor="bottom", yshift=6, showarrow=False, name=row.id, text=text,
            font={"color": p.fg, "size": layout.font},
        )  # fmt: skip
    lines = 2 if multiple is not None else 1
    fig.update_yaxes(range=[0, top * (1 + 0.12 * (lines + 1))], visible=False, fixedrange=True)
    fig.update_xaxes(range=[-0.6, 1.6], visible=False, fixedrange=True)


BRACKET = 1.2  # where the log chart's bracket stands, on the x axis (start at 0, end at 1)
RANGE = (-0.3, 2.3)  # the log chart's x axis: room left of the start for its label, right of the bracket for its


def _log(
    fig: go.Figure,
    start: Row,
    end: Row,
    multiple: Row | None,
    p: Palette,
    layout: Layout,
    names: dict[str, list[str]],
    t: Messages,
) -> None:
    """Two dots on a log axis with a line at every power of ten; a bracket from the start's level to the end's,
    labelled with the multiple it measures."""
    low, high = sorted((float(start.value), float(end.value)))
    fig.add_trace(_dot(start, 0, p))
    fig.add_trace(_dot(end, 1, p))
    left, right = RANGE
    # The start's label runs right, up to the bracket where there is one (its tick stands BRACKET - 0.08 along); the
    # end's runs left, to the drawing's edge.
    stop = (BRACKET - 0.08 - left) / (right - left) * layout.width - 6 if multiple is not None else layout.width
    for at, row in ((0, start), (1, end)):
        place = (at - left) / (right - left) * layout.width  # the dot, in pixels from the drawing's left
        room = stop - place + 8 if at == 0 else place + 8
        chars = max(8, int(room / (layout.font * SPACED_BOLD)))
        lines = [*(safe(n) for n in textwrap.wrap(row.label, chars))]
        lines += [f"<b>{safe(w)}</b>" for w in textwrap.wrap(row.text, chars)]
        fig.add_annotation(
            x=at, y=math.log10(float(row.value)), yanchor="bottom", yshift=12, showarrow=False, name=row.id,
            xanchor="left" if at == 0 else "right", align="left" if at == 0 else "right", xshift=-8 if at == 0 else 8,
            text="<br>".join(lines), font={"color": p.fg, "size": layout.font},
        )  # fmt: skip
    if multiple is not None:
        line = {"color": p.fg, "width": 1.5}
        for y in (low, high):
            fig.add_shape(type="line", x0=BRACKET - 0.08, x1=BRACKET, y0=y, y1=y, line=line)
        fig.add_shape(type="line", x0=BRACKET, x1=BRACKET, y0=low, y1=high, line=line)
        fig.add_shape(
            type="line", x0=0.1, x1=BRACKET - 0.08, y0=float(start.value), y1=float(start.value),
            line={"color": p.muted, "width": 1, "dash": "dot"}, layer="below",
        )  # fmt: skip
        room = layout.width * (right - BRACKET) / (right - left) - 10
        words = textwrap.wrap(multiple.text, min(12, max(8, int(room / (layout.font * SPACED_BOLD)))))
        fig.add_annotation(
            x=BRACKET, xshift=6, xanchor="left", y=(math.log10(low) + math.log10(high)) / 2, yanchor="middle",
            showarrow=False, align="left", name=multiple.id, font={"color": p.fg, "size": layout.font},
            text="<b>" + "<br>".join(safe(w) for w in words) + "</b><br>" + safe(t.gettext("the start")),
        )  # fmt: skip
    bottom, top = math.log10(low) - 0.45, math.log10(high) + 0.5 + 0.3 * (len(names[end.id]) + 1)
    fig.update_yaxes(
        type="log", range=[bottom, top], dtick=1, showgrid=True, gridcolor=p.grid, gridwidth=1, showticklabels=False,
        showline=False, zeroline=False, ticks="", fixedrange=True,
    )  # fmt: skip
    fig.update_xaxes(range=list(RANGE), visible=False, fixedrange=True)


def _dot(row: Row, at: float, p: Palette) -> go.Scatter:
    """One value as a dot at its value: solid, or open (a ring in its colour) when the report hedges it."""
    hedged = row.qualifier != "exact"
    fill = open_fill(p) if hedged else colour(row, p)
    return go.Scatter(
        x=[at], y=[float(row.value)], mode="markers", customdata=[row.id], hovertext=[hover(row)], hoverinfo="text",
        marker={"size": 16, "color": fill, "line": {"width": 2.5, "color": colour(row, p)}}, cliponaxis=False,
    )  # fmt: skip


KIND = ThenNow()
