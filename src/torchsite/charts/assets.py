"""Charts on the site: their files (CSVs, the Plotly and embed scripts) and what templates need of each."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources

from markupsafe import Markup

from torchsite.charts.drawing import inline
from torchsite.charts.embed import fallback_height
from torchsite.charts.model import Chart
from torchsite.output.files import Site
from torchsite.render.downloads import chart_csv
from torchsite.render.formatting import ENGLISH, Formatter

EMBED_JS = "assets/embed.js"  # a stable name: embed snippets on other sites load it


@dataclass(frozen=True)
class ChartView:
    """One chart as templates see it: the chart, its inline drawings by layout, and the site paths of its files."""

    chart: Chart
    csv: str
    page: str
    embed: str
    drawings: tuple[tuple[str, Markup], ...] = field(default=())

    @property
    def id(self) -> str:
        """The chart's id, also the stem of its element ids."""
        return self.chart.id

    @property
    def embed_height(self) -> int:
        """The embed snippet's fallback frame height: the embed page's tallest estimate at the widths hosts give it."""
        return fallback_height(self.chart, bool(self.drawings))


def add_files(
    site: Site, charts: list[Chart], svgs: dict[str, dict[str, bytes]], fmt: Formatter = ENGLISH
) -> tuple[dict[str, ChartView], dict[str, str]]:
    """Add every chart's files to the site (its CSV in the site's language); return the views and shared assets."""
    views: dict[str, ChartView] = {}
    for chart in charts:
        csv = site.add(f"data/charts/{chart.id}.csv", chart_csv(chart, fmt), "content/charts.yaml")
        drawn = tuple((name, inline(svg, chart, name)) for name, svg in svgs.get(chart.id, {}).items())
        views[chart.id] = ChartView(chart, csv, f"charts/{chart.id}/", f"charts/{chart.id}/embed/", drawn)
    assets: dict[str, str] = {}
    if charts:
        assets["embed_js"] = site.add(EMBED_JS, _static("embed.js"), "torchsite/static/embed.js")
    if any(chart.drawn for chart in charts):
        assets["charts_js"] = site.add_hashed(
            "assets", "charts", ".js", _static("charts.js"), "torchsite/static/charts.js"
        )
        assets["plotly"] = site.add_hashed("assets", "plotly", ".min.js", plotly_js(), "plotly (the installed package)")
    return views, assets


def plotly_js() -> bytes:
    """plotly.js as shipped inside the installed plotly package: nothing is downloaded (for "Explore in Plotly")."""
    from plotly.offline import get_plotlyjs

    text: str = get_plotlyjs()
    return text.encode("utf-8")


def _static(name: str) -> bytes:
    """A file from the package's static folder."""
    return resources.files("torchsite").joinpath("static", name).read_bytes()
