"""Then and now: two values of one quantity, start and end, and the multiple between them: never a series."""

from __future__ import annotations

from typing import Literal

import plotly.graph_objects as go
from markupsafe import escape
from pydantic import Field

from torchsite.charts.base import ChartBase, Mark
from torchsite.charts.kind import Kind, bar_fill, colour, hedge_note, hover, mark_rows, pattern
from torchsite.charts.model import Palette, Part, Row, plain
from torchsite.errors import Problem
from torchsite.inputs.diagnostics import Key
from torchsite.inputs.facts import Ident
from torchsite.inputs.figures import Figure
from torchsite.inputs.hedges import LOWER
from torchsite.inputs.yamldoc import Document


class ThenNowChart(ChartBase):
    """Two values of one quantity, start and end, and the multiple between them: never a series."""

    type: Literal["then_now"]
    start: Mark
    end: Mark
    multiple: Ident | None = Field(None, description="A derived figure in 'times' relating end to start")
    scale: Literal["linear", "log"] = "linear"


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

    def rows(self, spec: ThenNowChart, figures: dict[str, Figure]) -> tuple[Row, ...]:
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
        said = [f"{figures[r.id].label}, {r.text}" for r in (start, end)]
        alt = f"Two bars only: {said[0]}; {said[1]}{plain(ratio)}."
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

    def draw(self, fig: go.Figure, spec: ThenNowChart, rows: tuple[Row, ...], p: Palette) -> None:
        """Two bars (or two dots on a log axis), labelled, with the multiple between them as a note."""
        pair = list(rows[:2])
        x = [r.label for r in pair]
        y = [float(r.value) for r in pair]
        common = {
            "x": x,
            "y": y,
            "text": [r.text for r in pair],
            "hovertext": [hover(r) for r in pair],
            "hoverinfo": "text",
        }
        if spec.scale == "log":
            fig.add_trace(
                go.Scatter(
                    **common,
                    mode="markers+text",
                    textposition="middle right",
                    marker={"size": 14, "color": [colour(r, p) for r in pair]},
                    cliponaxis=False,
                )
            )
            fig.update_yaxes(type="log", showticklabels=False, showgrid=False)
        else:
            bar = {**common, "text": None, "marker": {"color": bar_fill(pair, p), "pattern": pattern(pair, p)}}
            fig.add_trace(go.Bar(**bar, marker_line={"color": [colour(r, p) for r in pair], "width": 2}))
            tip = max(y) * 0.1
            _lower_bound_tips(fig, pair, x, tip, p)
            for row, label, value in zip(pair, x, y, strict=True):
                top = value + (tip if row.qualifier in LOWER else 0)
                fig.add_annotation(
                    x=label, y=top, yanchor="bottom", showarrow=False, text=str(escape(row.text)), font={"color": p.fg}
                )
            fig.update_yaxes(
                range=[0, max(y) * 1.25], showticklabels=False, showgrid=False, zeroline=True, fixedrange=True
            )
            fig.update_layout(barmode="stack", bargap=0.45)
        fig.update_xaxes(fixedrange=True, tickfont={"color": p.fg}, ticks="")
        if len(rows) > 2:
            fig.add_annotation(
                x=0.5, y=0.6, xref="paper", yref="paper", xanchor="center", yanchor="middle", showarrow=False,
                text=f"<b>{escape(rows[2].text)}</b><br>the start", font={"color": p.fg, "size": 16},
            )  # fmt: skip


def _lower_bound_tips(fig: go.Figure, rows: list[Row], x: list[str], size: float, p: Palette) -> None:
    """A hatched, open-ended tip on each lower-bound bar: the true value lies beyond."""
    tips = [size if r.qualifier in LOWER else 0 for r in rows]
    if not any(tips):
        return
    fig.add_trace(
        go.Bar(
            y=tips,
            x=x,
            marker={
                "color": "rgba(0,0,0,0)",
                "line": {"width": 0},
                "pattern": {"shape": "/", "fgcolor": [colour(r, p) for r in rows], "solidity": 0.4, "size": 8},
            },
            hovertext=[f"{escape(r.label)}: the true value is higher than <b>{escape(r.text)}</b>" for r in rows],
            hoverinfo="text",
            showlegend=False,
        )
    )


KIND = ThenNow()
