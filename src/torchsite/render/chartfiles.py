"""Charts on the site: their files (the Plotly and embed scripts) and what templates need of each."""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from torchsite.charts.drawing import inline
from torchsite.charts.embed import fallback_height
from torchsite.charts.model import Chart
from torchsite.inputs.messages import ENGLISH, Messages
from torchsite.render.downloads import chart_csv_path
from torchsite.render.site import Site, script_file, static_file

EMBED_JS = "assets/embed.js"  # a stable name: embed snippets on other sites load it
# Drawings the story fetches instead of inlining (drawings.js loads one when its frame is wide enough to show it):
# the story's first view carries only the narrow drawing, the one a phone shows.
FETCHED = ("wide",)


@dataclass(frozen=True)
class ChartView:
    """One chart as templates see it: the chart, its inline drawings by layout, and the site paths of its files."""

    chart: Chart
    csv: str
    page: str
    embed: str
    drawings: tuple[tuple[str, Markup], ...] = field(default=())
    files: dict[str, str] = field(default_factory=dict)  # layout -> the drawing as a file, for pages that fetch it

    @property
    def id(self) -> str:
        """The chart's id, also the stem of its element ids."""
        return self.chart.id

    @property
    def embed_height(self) -> int:
        """The embed snippet's fallback frame height: the embed page's tallest estimate at the widths hosts give it."""
        return fallback_height(self.chart, bool(self.drawings))


def add_files(
    site: Site, charts: list[Chart], svgs: dict[str, dict[str, bytes]], messages: Messages = ENGLISH
) -> tuple[dict[str, ChartView], dict[str, str]]:
    """Add the charts' scripts (charts.js: a chart page's copy button and live chart); return the views and assets."""
    views: dict[str, ChartView] = {}
    for chart in charts:
        drawn = tuple((name, inline(svg, chart, name)) for name, svg in svgs.get(chart.id, {}).items())
        files = {
            name: site.add_hashed(
                "assets", f"drawing-{chart.id}-{name}", ".svg", str(markup).encode(), "content/charts.yaml"
            )
            for name, markup in drawn
            if name in FETCHED
        }
        page = f"charts/{chart.id}/"
        views[chart.id] = ChartView(chart, chart_csv_path(chart), page, f"{page}embed/", drawn, files)
    assets: dict[str, str] = {}
    if charts:
        assets["embed_js"] = site.add(EMBED_JS, static_file("embed.js"), "torchsite/static/embed.js")
        assets["charts_js"] = site.add_hashed(
            "assets", "charts", ".js", script_file("charts.js", messages), "torchsite/static/charts.js"
        )
    if any(view.files for view in views.values()):
        assets["drawings_js"] = site.add_hashed(
            "assets", "drawings", ".js", static_file("drawings.js"), "torchsite/static/drawings.js"
        )
    if any(chart.drawn for chart in charts):
        assets["plotly"] = site.add_hashed("assets", "plotly", ".min.js", plotly_js(), "plotly (the installed package)")
    return views, assets


def plotly_js() -> bytes:
    """plotly.js as shipped inside the installed plotly package: nothing is downloaded (for "Explore the data")."""
    from plotly.offline import get_plotlyjs

    text: str = get_plotlyjs()
    return text.encode("utf-8")
