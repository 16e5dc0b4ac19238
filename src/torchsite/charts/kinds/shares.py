"""Shares: horizontal bars of percentages of one whole (hedged bars drawn as bounds)."""

from __future__ import annotations

import textwrap
from typing import Literal

import plotly.graph_objects as go
from pydantic import Field

from torchsite.charts.base import MAX_MARKS, ChartBase, Mark
from torchsite.charts.kind import (
    SPACED,
    SPACED_BOLD,
    Kind,
    Layout,
    bar_marks,
    listing,
    mark_refs,
    mark_rows,
    phrase,
    safe,
)
from torchsite.charts.model import Palette, Part, Row
from torchsite.errors import Problem
from torchsite.inputs.diagnostics import Key
from torchsite.inputs.figures import Figure
from torchsite.inputs.formatting import Formatter
from torchsite.inputs.messages import Messages
from torchsite.inputs.yamldoc import Document


class SharesChart(ChartBase):
    """Horizontal bars of percentages of one whole (hedged bars drawn as bounds)."""

    type: Literal["shares"] = Field(description="The chart kind: horizontal bars of percentages of one whole")
    bars: list[Mark] = Field(
        min_length=1, max_length=MAX_MARKS, description="The percentage figures, one bar each, in the order drawn"
    )
    whole: str = Field(
        "one whole",
        min_length=1,
        max_length=120,
        description="What every bar is a percentage of, in words",
        examples=["the city's total"],
    )


class Shares(Kind[SharesChart]):
    """Bars on a 0-100% axis."""

    name = "shares"
    spec_model = SharesChart

    def references(self, spec: SharesChart) -> list[tuple[Key, str]]:
        """The bars' figures."""
        return mark_refs("bars", spec.bars)

    def unfit(self, spec: SharesChart, path: Key, figure: Figure) -> tuple[str, str] | None:
        """Every bar is an amount in percent."""
        wrong = super().unfit(spec, path, figure)
        if wrong is None and figure.unit != "percent":
            return f"'{figure.id}' is in {figure.unit}, not percent", "a shares chart draws percentages of a whole"
        return wrong

    def check(self, doc: Document, here: Key, spec: SharesChart, figures: dict[str, Figure]) -> list[Problem]:
        """Every bar is a share of one whole: from 0 to 100 percent."""
        return [
            doc.problem(
                (*here, "bars", i, "fact"),
                f"'{bar.fact}' is {figures[bar.fact].value:g}%, not a share between 0 and 100 percent",
                "a shares chart draws parts of one whole; check the figure's value and unit",
            )
            for i, bar in enumerate(spec.bars)
            if not 0 <= float(figures[bar.fact].value) <= 100
        ]

    def rows(self, spec: SharesChart, figures: dict[str, Figure], fmt: Formatter) -> tuple[Row, ...]:
        """One row per bar."""
        return mark_rows(spec.bars, figures, fmt)

    def words(
        self, spec: SharesChart, rows: tuple[Row, ...], figures: dict[str, Figure], fmt: Formatter
    ) -> tuple[str, tuple[Part, ...]]:
        """Every bar, then the longest and the shortest."""
        t = fmt.messages
        bars = t.gettext(". ").join(
            t.gettext("%(label)s: %(figure)s", label=figures[r.id].label, figure=r.text) for r in rows
        )
        alt = t.gettext("Horizontal bar chart. %(bars)s.", bars=bars)
        top = max(rows, key=lambda r: float(r.value))
        bottom = min(rows, key=lambda r: float(r.value))
        parts: list[Part] = [t.gettext("Each bar is a percentage of %(whole)s. ", whole=spec.whole)]
        parts += [*listing(rows, fmt, full=True), *phrase(t.gettext(". "))]
        if top is not bottom:
            parts += phrase(
                t.gettext("Longest bar: %(top)s, at %(top_figure)s. Shortest: %(bottom)s, at %(bottom_figure)s."),
                top=top.label,
                top_figure=(top.id, top.text),
                bottom=bottom.label,
                bottom_figure=(bottom.id, bottom.text),
            )
        return alt, tuple(parts)

    def height(self, spec: SharesChart, rows: tuple[Row, ...], layout: Layout) -> int:
        """Each bar with its label above it (wrapped to the layout's width), and the guide's line below."""
        return round(_layout(rows, layout)[1] * layout.font * LINE) + 12

    def draw(
        self, fig: go.Figure, spec: SharesChart, rows: tuple[Row, ...], p: Palette, layout: Layout, t: Messages
    ) -> None:
        """Bars on a 0-100% axis, each with its label above it and its hedged figure past its end (phone first).

        The y axis counts lines of text, so a label wrapped to two lines pushes the bars below it down."""
        bars = list(rows)
        (where, labels), bottom = _layout(rows, layout)
        bar_marks(fig, bars, where, p, 100.0, thickness=BAR)
        for row, at, lines in zip(bars, where, labels, strict=True):
            fig.add_annotation(
                x=0, y=at - BAR / 2, xanchor="left", yanchor="bottom", showarrow=False, name=row.id, align="left",
                text="<br>".join(safe(line) for line in lines), font={"color": p.fg, "size": layout.font},
            )  # fmt: skip
            fig.add_annotation(
                x=float(row.value), y=at, xanchor="left", xshift=6, showarrow=False, align="left", name=row.id,
                text=f"<b>{safe(row.text)}</b>", font={"color": p.fg, "size": layout.font},
            )  # fmt: skip
        guide = safe(t.gettext("dotted line: %(whole)s", whole=spec.whole))
        fig.add_annotation(
            x=100, y=bottom, xanchor="right", yanchor="bottom", showarrow=False, align="right",
            text=guide, font={"color": p.muted, "size": layout.font},
        )  # fmt: skip
        fig.update_xaxes(range=[0, _reach(rows, layout)], visible=False, fixedrange=True)
        fig.update_yaxes(visible=False, range=[bottom, 0], fixedrange=True)
        for x, dash in ((0, "solid"), (100, "dot")):
            fig.add_shape(
                type="line", x0=x, x1=x, y0=where[0] - BAR / 2, y1=where[-1] + BAR / 2,
                line={"color": p.grid if dash == "solid" else p.muted, "width": 1, "dash": dash}, layer="below",
            )  # fmt: skip
        fig.update_layout(margin={"l": 2, "r": 2, "t": 4, "b": 4})


def _reach(rows: tuple[Row, ...], layout: Layout) -> float:
    """How far the axis runs, in percent: to 100, or beyond when a figure past its bar's end needs the room (with
    WCAG 1.4.12's text spacing), so that no figure sits on a bar or past the drawing's edge."""
    width = layout.width - 4
    scale = min([width / 100] + [(width - 14 - len(r.text) * layout.font * SPACED_BOLD) / float(r.value) for r in rows
                                 if float(r.value) > 0])  # fmt: skip
    return width / max(scale, width / 200)


LINE = 1.4  # a line of text, in font sizes: the y axis's unit
BAR = 1.5  # a bar's thickness, in lines


def _layout(rows: tuple[Row, ...], layout: Layout) -> tuple[tuple[list[float], list[list[str]]], float]:
    """Each bar's centre and wrapped label (in lines from the top), and where the chart ends."""
    chars = max(16, int((layout.width - 8) / (layout.font * SPACED)))
    where: list[float] = []
    labels = [textwrap.wrap(row.label, chars) for row in rows]
    cursor = 0.0
    for lines in labels:
        cursor += len(lines)
        where.append(cursor + BAR / 2 + 0.1)
        cursor += BAR + 0.9
    return (where, labels), cursor + 0.6


KIND = Shares()
