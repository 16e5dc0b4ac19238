"""Then and now: two values of one quantity, start and end, and the multiple between them: never a series."""

from __future__ import annotations

import textwrap
from typing import Literal

import plotly.graph_objects as go
from pydantic import Field

from torchsite.charts.base import ChartBase, Mark
from torchsite.charts.kind import TIP, Kind, Layout, bar_marks, colour, hedge_note, hover, mark_rows, safe
from torchsite.charts.model import Palette, Part, Row, plain
from torchsite.errors import Problem
from torchsite.inputs.diagnostics import Key
from torchsite.inputs.facts import Ident
from torchsite.inputs.figures import Figure
from torchsite.inputs.formatting import Formatter
from torchsite.inputs.hedges import LOWER
from torchsite.inputs.yamldoc import Document


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
        return mark_rows(marks, figures)

    def words(
        self, spec: ThenNowChart, rows: tuple[Row, ...], figures: dict[str, Figure]
    ) -> tuple[str, tuple[Part, ...]]:
        """The two values, the multiple, and why nothing is drawn between them."""
        start, end = rows[0], rows[1]
        multiple = rows[2] if len(rows) > 2 else None
        ratio: list[Part] = [", ", (multiple.id, multiple.text), " the starting level"] if multiple else []
        said = [f"{figures[r.id].label}: {r.text}" for r in (start, end)]
        alt = f"Two bars only. {said[0]}. {said[1]}{plain(ratio)}."
        parts: list[Part] = [
            f"{figures[start.id].label}: ",
            (start.id, start.text),
            f". {figures[end.id].label}: ",
            (end.id, end.text),
            hedge_note(end),
            *ratio,
            ". The source gives these two values and no figures for the years between, so the chart draws only them.",
        ]
        return alt, tuple(parts)

    def height(self, spec: ThenNowChart, rows: tuple[Row, ...], layout: Layout) -> int:
        """The spec's height when wide; a little shorter on a phone."""
        return spec.height if layout.width >= 480 else round(spec.height * 0.9)

    def draw(self, fig: go.Figure, spec: ThenNowChart, rows: tuple[Row, ...], p: Palette, layout: Layout) -> None:
        """The end as a bar (or dot on a log axis), the start as a dot on its value so it shows however small,
        each labelled, and the multiple in the free space above the start."""
        start, end = rows[0], rows[1]
        top = max(float(start.value), float(end.value))
        log = spec.scale == "log"
        if log:
            fig.add_trace(_dot(end, 1, p))
        else:
            bar_marks(fig, [end], [1.0], p, top, horizontal=False)
        fig.add_trace(_dot(start, 0, p))
        chars = max(12, int(layout.width / 2 / (layout.font * 0.56)))  # a label fits under its half of the chart
        names = {row.id: textwrap.wrap(row.label, chars) for row in (start, end)}
        for at, row in ((0, start), (1, end)):
            value = float(row.value) + (top * TIP if row.qualifier in LOWER and not log else 0.0)
            fig.add_annotation(
                x=at + 0.3 * at, xanchor="right" if at else "center", y=value, yanchor="bottom", yshift=10,
                showarrow=False, name=row.id, text=f"<b>{safe(row.text)}</b>",
                font={"color": p.fg, "size": layout.font},
            )  # fmt: skip
            fig.add_annotation(
                x=at, y=0, yanchor="top", yshift=-8, showarrow=False, name=row.id, yref="y" if not log else "paper",
                text="<br>".join(safe(line) for line in names[row.id]), font={"color": p.fg, "size": layout.font},
            )  # fmt: skip
        if len(rows) > 2:
            size = layout.font + (2 if layout.width >= 480 else 0)
            fig.add_annotation(
                x=0, y=0.55, xref="paper", yref="paper", xanchor="left", yanchor="middle", showarrow=False,
                align="left", name=rows[2].id, text=f"<b>{safe(rows[2].text)}</b><br>the start",
                font={"color": p.fg, "size": size},
            )  # fmt: skip
        if log:
            fig.update_yaxes(type="log", visible=False)
        else:
            fig.update_yaxes(range=[0, top * 1.22], visible=False, fixedrange=True)
        fig.update_xaxes(range=[-0.45, 1.45], visible=False, fixedrange=True)
        fig.add_shape(
            type="line", xref="paper", x0=0, x1=1, y0=0, y1=0, line={"color": p.grid, "width": 1}, layer="below"
        )
        lines = max(len(n) for n in names.values())
        fig.update_layout(margin={"l": 4, "r": 4, "t": 8, "b": round(layout.font * 1.4 * lines) + 12})


def _dot(row: Row, at: float, p: Palette) -> go.Scatter:
    """One value as a dot: the start (drawn at its value, however small beside the end) or a log-scale end."""
    return go.Scatter(
        x=[at], y=[float(row.value)], mode="markers", customdata=[row.id], hovertext=[hover(row)], hoverinfo="text",
        marker={"size": 14, "color": colour(row, p), "line": {"width": 2, "color": p.hover_bg}}, cliponaxis=False,
    )  # fmt: skip


KIND = ThenNow()
