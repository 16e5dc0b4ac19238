"""A chart from its spec and the figures: the kind's rows and words, and its light figure with the dark map."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import plotly.graph_objects as go

from torchsite.charts.base import ChartBase
from torchsite.charts.kind import LAYOUTS, WIDE, Layout
from torchsite.charts.model import DARK, LIGHT, Chart, Palette, Row, dark_map, recolor
from torchsite.charts.registry import kind_of
from torchsite.inputs.facts import FactSheet
from torchsite.inputs.figures import Figure
from torchsite.inputs.formatting import Formatter
from torchsite.inputs.messages import ENGLISH, Messages
from torchsite.inputs.story import plain_text

FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif'


def make_chart(spec: ChartBase, figures: dict[str, Figure], sheet: FactSheet, fmt: Formatter) -> Chart:
    """Turn one validated spec into a chart: rows, words, and (for drawn kinds) the light figure with its dark map."""
    kind = kind_of(spec)
    spec = kind.with_sources(spec, figures, sheet, fmt)
    rows = tuple(replace(r, named_as=fmt.words.mark_name(r.spoken, r.qualifier)) for r in kind.rows(spec, figures, fmt))
    title = plain_title(spec.title, figures)
    alt, description = kind.words(spec, rows, figures, fmt)
    source = chart_sources(rows, figures, sheet, fmt)
    key = kind.key(spec, rows, fmt.words)
    if not kind.drawn:
        return Chart(spec, rows, title, alt, description, source, key, figures=figures, columns=kind.columns)
    t = fmt.messages
    drawings = {layout.name: plotly_figure(spec, rows, LIGHT, alt, layout, t) for layout in LAYOUTS}
    light = drawings[WIDE.name]
    colors = dark_map()
    assert recolor(light, colors) == plotly_figure(spec, rows, DARK, alt, WIDE, t), "a colour outside the palette"
    sizes = {layout.name: (layout.width, kind.height(spec, rows, layout)) for layout in LAYOUTS}
    return Chart(
        spec, rows, title, alt, description, source, key, light, colors, figures, kind.columns, drawings, sizes
    )


def plain_title(title: str, figures: dict[str, Figure]) -> str:
    """The title as plain text, references replaced by their figures."""
    return plain_text(title, figures)


def chart_sources(
    rows: tuple[Row, ...], figures: dict[str, Figure], sheet: FactSheet, fmt: Formatter
) -> tuple[tuple[str, str, str], ...]:
    """The sources of the facts a chart draws: each title and where it comes from, as the fact sheet names them."""
    used = {figures[r.id].source for r in rows}
    return tuple((s.id, s.title, s.credit_said(fmt.messages.gettext)) for s in sheet.sources if s.id in used)


def template(p: Palette, size: int = 14) -> dict[str, Any]:
    """Our one Plotly template: system fonts at a layout's type size, the scheme's colours, quiet axes."""
    axis = {"gridcolor": p.grid, "linecolor": p.grid, "zerolinecolor": p.grid, "tickcolor": p.grid, "automargin": True}
    return {
        "layout": {
            "font": {"family": FONT, "size": size, "color": p.fg},
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
            "colorway": [p.primary, p.secondary],
            "hoverlabel": {"bgcolor": p.bg, "bordercolor": p.fg, "font": {"family": FONT, "color": p.fg}},
            "xaxis": {**axis, "tickfont": {"color": p.muted}},
            "yaxis": {**axis, "tickfont": {"color": p.muted}},
            "legend": {"font": {"color": p.fg}},
            "margin": {"l": 12, "r": 12, "t": 12, "b": 12},
            "separators": ".,",
        }
    }


def plotly_figure(
    spec: ChartBase, rows: tuple[Row, ...], p: Palette, alt: str, layout: Layout, t: Messages = ENGLISH
) -> dict[str, Any]:
    """The Plotly figure of a drawn chart at one layout, as plain JSON data (its size is the layout's).

    Kept in memory by what it is drawn from, so a preview rebuild redraws only the charts an edit changed.
    """
    key = (spec.model_dump_json(), rows, p, alt, layout, t)
    if key not in _DRAWN:
        if len(_DRAWN) > 256:
            _DRAWN.clear()
        _DRAWN[key] = json.dumps(_draw(spec, rows, p, alt, layout, t), sort_keys=True)
    plain: dict[str, Any] = json.loads(_DRAWN[key])
    return plain


_DRAWN: dict[tuple[str, tuple[Row, ...], Palette, str, Layout, Messages], str] = {}


def _draw(spec: ChartBase, rows: tuple[Row, ...], p: Palette, alt: str, layout: Layout, t: Messages) -> dict[str, Any]:
    """Draw the Plotly figure (slow: plotly validates every property)."""
    kind = kind_of(spec)
    fig = go.Figure(layout={"template": template(p, layout.font)})
    kind.draw(fig, spec, rows, p, layout, t)
    fig.update_annotations(bgcolor=p.bg, borderpad=0)  # every label on the page's colour: a line behind it stops
    fig.update_layout(showlegend=kind.legend, meta={"alt": alt}, dragmode=False)
    data: dict[str, Any] = fig.to_plotly_json()
    for i, trace in enumerate(data["data"]):
        trace["uid"] = f"{spec.id}-{i}"  # fixed ids: plotly.js would otherwise make random ones
    data["config"] = {"displaylogo": False, "responsive": True, "displayModeBar": False, "scrollZoom": False}
    plain: dict[str, Any] = json.loads(json.dumps(data, sort_keys=True))
    return plain
