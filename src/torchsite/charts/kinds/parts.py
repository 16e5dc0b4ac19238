"""Parts: parts stacked into a total; the parts must add up to the total."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

import plotly.graph_objects as go
from pydantic import Field

from torchsite.charts.base import MAX_MARKS, ChartBase, Mark
from torchsite.charts.kind import SPACED_BOLD, Kind, Layout, colour, hover, listing, mark_refs, mark_rows, phrase, safe
from torchsite.charts.model import Palette, Part, Row, plain
from torchsite.errors import Problem
from torchsite.inputs.diagnostics import Key
from torchsite.inputs.facts import Ident
from torchsite.inputs.figures import Figure
from torchsite.inputs.formatting import Formatter
from torchsite.inputs.hedges import decimal
from torchsite.inputs.messages import Messages
from torchsite.inputs.yamldoc import Document


class PartsChart(ChartBase):
    """Parts stacked into a total; the parts must add up to the total."""

    type: Literal["parts"] = Field(description="The chart kind: parts stacked into a total")
    parts: list[Mark] = Field(
        min_length=2,
        max_length=MAX_MARKS,
        description="The parts, in stacking order; their values must add up to the total",
    )
    total: Ident = Field(description="The id of the figure the parts add up to", examples=["fund_total"])


class Parts(Kind[PartsChart]):
    """One stacked bar, with a legend of its parts."""

    name = "parts"
    spec_model = PartsChart

    def references(self, spec: PartsChart) -> list[tuple[Key, str]]:
        """The parts, then the total."""
        return [*mark_refs("parts", spec.parts), (("total",), spec.total)]

    def check(self, doc: Document, here: Key, spec: PartsChart, figures: dict[str, Figure]) -> list[Problem]:
        """The parts are in the total's unit and add up to it."""
        total = figures[spec.total]
        units = {figures[m.fact].unit for m in spec.parts} | {total.unit}
        if len(units) > 1:
            return [
                doc.problem((*here, "total"), "parts and total must share one unit, got " + ", ".join(sorted(units)))
            ]
        added = sum((decimal(_number(figures[m.fact])) for m in spec.parts), Decimal(0))
        if added != decimal(_number(total)):
            return [
                doc.problem(
                    (*here, "total"),
                    f"the parts add up to {added:,f}, not to {total.id} ({decimal(_number(total)):,f})",
                    "a parts chart shows a whole split into parts; check the facts or the parts listed",
                )
            ]
        return []

    def rows(self, spec: PartsChart, figures: dict[str, Figure], fmt: Formatter) -> tuple[Row, ...]:
        """The parts, then the total labelled as the fact sheet labels it."""
        return mark_rows([*spec.parts, Mark(fact=spec.total, label=figures[spec.total].label)], figures, fmt)

    def words(
        self, spec: PartsChart, rows: tuple[Row, ...], figures: dict[str, Figure], fmt: Formatter
    ) -> tuple[str, tuple[Part, ...]]:
        """Each part, then the total they make together (each label starts its own sentence)."""
        t = fmt.messages
        *pieces, total = rows
        listed = listing(pieces, fmt)
        alt = t.gettext("One stacked bar. %(listed)s. In all: %(total)s.", listed=plain(listed), total=total.text)
        label = figures[total.id].label
        together = phrase(
            t.gettext(". %(label)s: %(total)s, the parts together."), label=label, total=(total.id, total.text)
        )
        return alt, (*listed, *together)

    def height(self, spec: PartsChart, rows: tuple[Row, ...], layout: Layout) -> int:
        """The total above, the bar, then a band of two-line labels for each row of labels below it."""
        return round((max(_lines(rows, layout)) + 1) * layout.font * 3.4 + layout.font * 2 + 64)

    def draw(
        self, fig: go.Figure, spec: PartsChart, rows: tuple[Row, ...], p: Palette, layout: Layout, t: Messages
    ) -> None:
        """One horizontal bar stacked from its parts, the total above it, each part's label and figure below,
        one per line, starting where the part starts (or ending where it ends, past the middle)."""
        *parts, total = rows
        whole = float(total.value)
        starts = [sum(float(r.value) for r in parts[:i]) for i in range(len(parts))]
        fig.add_trace(
            go.Bar(
                orientation="h", y=[0.0] * len(parts), x=[float(r.value) for r in parts], base=starts, width=0.9,
                customdata=[r.id for r in parts], hovertext=[hover(r) for r in parts], hoverinfo="text",
                marker={"color": [colour(r, p) for r in parts], "line": {"color": p.bg, "width": 2}},
            )
        )  # fmt: skip
        lines = _lines(rows, layout)
        for i, (row, start) in enumerate(zip(parts, starts, strict=True)):
            left = start + float(row.value) / 2 <= whole / 2
            fig.add_annotation(
                x=start if left else start + float(row.value), xanchor="left" if left else "right",
                y=0.6 + lines[i] * 1.45, yanchor="top", showarrow=False, align="left" if left else "right", name=row.id,
                text=f"{safe(row.label)}<br><b>{safe(row.text)}</b>", font={"color": p.fg, "size": layout.font},
            )  # fmt: skip
        said = t.gettext("Total: %(total)s", total="<b>" + safe(total.text) + "</b>")
        fig.add_annotation(
            x=0, y=-0.55, xanchor="left", yanchor="bottom", showarrow=False, name=total.id, align="left",
            text=said, font={"color": p.fg, "size": layout.font + 1},
        )  # fmt: skip
        fig.update_xaxes(visible=False, range=[0, whole], fixedrange=True)
        fig.update_yaxes(visible=False, range=[0.6 + (max(lines) + 1) * 1.45, -1.4], fixedrange=True)
        fig.update_layout(barmode="overlay", margin={"l": 2, "r": 2, "t": 4, "b": 4}, showlegend=False)


def _lines(rows: tuple[Row, ...], layout: Layout) -> list[int]:
    """Which line of labels below the bar each part's label goes on: the first where it overlaps no other label
    (side by side when they fit, one under another when they would touch)."""
    *parts, total = rows
    scale = (layout.width - 4) / float(total.value)
    taken: list[list[tuple[float, float]]] = []
    found = []
    start = 0.0
    for row in parts:
        width = max(len(row.label), len(row.text)) * layout.font * SPACED_BOLD + 16  # bold figures are the widest
        end = start + float(row.value)
        left = (start + end) / 2 <= float(total.value) / 2
        span = (start * scale, start * scale + width) if left else (end * scale - width, end * scale)
        line = next((i for i, spans in enumerate(taken) if all(span[1] <= a or span[0] >= b for a, b in spans)), None)
        if line is None:
            taken.append([])
            line = len(taken) - 1
        taken[line].append(span)
        found.append(line)
        start = end
    return found


def _number(figure: Figure) -> float | int:
    """A figure's value, known to be a number."""
    assert not isinstance(figure.value, str)
    return figure.value


KIND = Parts()
