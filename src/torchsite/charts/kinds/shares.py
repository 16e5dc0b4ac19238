"""Shares: horizontal bars of percentages of one whole (hedged bars drawn as bounds)."""

from __future__ import annotations

from typing import Literal

import plotly.graph_objects as go
from markupsafe import escape
from pydantic import Field

from torchsite.charts.base import ChartBase, Mark
from torchsite.charts.kind import Kind, bar_fill, colour, hover, listing, mark_refs, mark_rows, pattern
from torchsite.charts.model import Palette, Part, Row
from torchsite.inputs.diagnostics import Key
from torchsite.inputs.figures import Figure


class SharesChart(ChartBase):
    """Horizontal bars of percentages of one whole (hedged bars drawn as bounds)."""

    type: Literal["shares"]
    bars: list[Mark] = Field(min_length=1)
    whole: str = Field("one whole", min_length=1, description="What every bar is a percentage of, in words")


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

    def rows(self, spec: SharesChart, figures: dict[str, Figure]) -> tuple[Row, ...]:
        """One row per bar."""
        return mark_rows(spec.bars, figures)

    def words(
        self, spec: SharesChart, rows: tuple[Row, ...], figures: dict[str, Figure]
    ) -> tuple[str, tuple[Part, ...]]:
        """Every bar, then the longest and the shortest."""
        alt = "Horizontal bar chart: " + "; ".join(f"{figures[r.id].label}, {r.text}" for r in rows) + "."
        top = max(rows, key=lambda r: float(r.value))
        bottom = min(rows, key=lambda r: float(r.value))
        parts: list[Part] = [f"Each bar is a percentage of {spec.whole}. ", *listing(rows, full=True), ". "]
        if top is not bottom:
            parts += [
                f"The longest bar is {top.label}, at ",
                (top.id, top.text),
                f"; the shortest is {bottom.label}, at ",
                (bottom.id, bottom.text),
                ".",
            ]
        return alt, tuple(parts)

    def draw(self, fig: go.Figure, spec: SharesChart, rows: tuple[Row, ...], p: Palette) -> None:
        """Horizontal bars on a 0-100% axis, each labelled with its hedged figure."""
        bars = list(rows)
        fig.add_trace(
            go.Bar(
                orientation="h",
                y=[r.label for r in bars],
                x=[float(r.value) for r in bars],
                marker={
                    "color": bar_fill(bars, p),
                    "line": {"color": [colour(r, p) for r in bars], "width": 2},
                    "pattern": pattern(bars, p),
                },
                text=[str(escape(r.text)) for r in bars],
                textposition="outside",
                cliponaxis=False,
                textfont={"color": p.fg},
                hovertext=[hover(r) for r in bars],
                hoverinfo="text",
            )
        )
        ticks = [0, 25, 50, 75, 100]
        fig.update_xaxes(range=[0, 100], tickvals=ticks, ticktext=[f"{t}%" for t in ticks], fixedrange=True)
        fig.update_yaxes(
            autorange="reversed",
            fixedrange=True,
            tickfont={"color": p.fg},
            ticks="",
            showgrid=False,
            ticklabelstandoff=8,
        )
        fig.update_layout(bargap=0.35, margin={"r": 96})


KIND = Shares()
