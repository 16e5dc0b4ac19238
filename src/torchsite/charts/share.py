"""The share image: the lead chart as a PNG for link previews (Open Graph, Twitter cards)."""

from __future__ import annotations

import copy
import textwrap
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from torchsite.charts.build import Chart
from torchsite.charts.export import Exporter
from torchsite.errors import Problem, Severity

# Exported at 600 x 315 CSS pixels and twice the pixel density: 1200 x 630, what link previews expect.
WIDTH, HEIGHT = 600, 315


@dataclass(frozen=True)
class ShareImage:
    """A PNG for link previews and what the page says about it."""

    data: bytes
    alt: str
    width: int = 2 * WIDTH
    height: int = 2 * HEIGHT


def lead_chart(charts: list[Chart]) -> Chart | None:
    """The chart a link preview shows: the first drawn chart in content/charts.yaml."""
    return next((chart for chart in charts if chart.figure is not None), None)


def titled(chart: Chart) -> dict[str, Any]:
    """The chart's light figure with its finding as the title, wrapped to the image's width."""
    assert chart.figure is not None
    figure = copy.deepcopy(chart.figure)
    layout = figure.setdefault("layout", {})
    lines = textwrap.wrap(chart.title_text, 62)
    layout["title"] = {"text": "<br>".join(escape(line) for line in lines), "x": 0.03, "xanchor": "left"}
    layout["title"] |= {"yref": "container", "y": 0.95, "yanchor": "top"}
    layout["title"]["font"] = {"size": 17}
    margin = dict(layout.get("margin") or {})
    margin["t"] = 40 + 24 * len(lines)
    layout["margin"] = margin
    layout.pop("height", None)
    layout.pop("width", None)
    return figure


def export(charts: list[Chart], cache: Path, origin: str) -> tuple[ShareImage | None, list[Problem]]:
    """The lead chart as a share image (cached like the SVGs); None and one warning when it cannot be made."""
    chart = lead_chart(charts)
    if chart is None:
        return None, []
    with Exporter(cache, origin) as exporter:
        png = exporter.image(titled(chart), WIDTH, HEIGHT, f"{chart.id}-share", "png")
    if png is None:
        return None, [missing(exporter.problem, origin)]
    return ShareImage(png, chart.alt), []


def missing(cause: Problem | None, origin: str) -> Problem:
    """The warning for a build without a share image: no og:image is written, never a broken one."""
    reason = cause.message if cause else "the lead chart could not be exported"
    hint = cause.hint if cause else None
    return Problem(
        origin,
        None,
        None,
        "share image",
        f"no share image ({reason}); links are shared without one",
        hint,
        Severity.WARNING,
    )
