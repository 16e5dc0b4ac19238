"""Shares: horizontal bars of percentages of one whole (hedged bars drawn as bounds)."""

from __future__ import annotations

from typing import Literal

import plotly.graph_objects as go
from pydantic import Field

from torchsite.charts.base import ChartBase, Mark
from torchsite.charts.kind import Kind, Layout, bar_marks, listing, mark_refs, mark_rows, safe
from torchsite.charts.model import Palette, Part, Row
from torchsite.inputs.diagnostics import Key
from torchsite.inputs.figures import Figure
from torchsite.inputs.hedges import LOWER


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

    def height(self, spec: SharesChart, rows: tuple[Row, ...], layout: Layout) -> int:
        """A row per bar (its label above it) and the axis below."""
        return round(len(rows) * layout.font * 4.2) + 44

    def draw(self, fig: go.Figure, spec: SharesChart, rows: tuple[Row, ...], p: Palette, layout: Layout) -> None:
        """Bars on a 0-100% axis, each with its label above it and its hedged figure past its end (phone first)."""
        bars = list(rows)
        where = [float(i) for i in range(len(bars))]
        bar_marks(fig, bars, where, p, 100.0)
        for row, at in zip(bars, where, strict=True):
            fig.add_annotation(
                x=0, y=at - 0.3, xanchor="left", yanchor="bottom", showarrow=False, name=row.id,
                text=safe(row.label), font={"color": p.fg, "size": layout.font},
            )  # fmt: skip
            end = float(row.value) + (7.0 if row.qualifier in LOWER else 0.0)
            inside = end > 72
            fig.add_annotation(
                x=end, y=at, xanchor="right" if inside else "left", xshift=-6 if inside else 6, showarrow=False,
                name=row.id, text=f"<b>{safe(row.text)}</b>", font={"color": p.hover_bg if inside else p.fg,
                "size": layout.font},
            )  # fmt: skip
        fig.add_annotation(
            x=100, y=len(bars) - 0.6, xanchor="right", yanchor="top", showarrow=False,
            text="dotted line: the city's total", font={"color": p.muted, "size": layout.font},
        )  # fmt: skip
        fig.update_xaxes(range=[0, 100], visible=False, fixedrange=True)
        fig.update_yaxes(visible=False, range=[len(bars) - 0.6, -0.85], fixedrange=True)
        for x, dash in ((0, "solid"), (100, "dot")):
            fig.add_shape(
                type="line", x0=x, x1=x, y0=-0.4, y1=len(bars) - 0.6, line={"color": p.grid, "width": 1, "dash": dash},
                layer="below",
            )  # fmt: skip
        fig.update_layout(margin={"l": 2, "r": 2, "t": 4, "b": layout.font * 2})


KIND = Shares()
