"""Charts on the site: their files (SVGs, CSVs, plotly.js, charts.js) and what templates need of each."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from torchsite.charts.model import WIDTH, Chart
from torchsite.output.files import Site


@dataclass(frozen=True)
class ChartView:
    """One chart as templates see it: the chart, and the site paths of its files."""

    chart: Chart
    csv: str
    page: str
    light_svg: str | None = None
    dark_svg: str | None = None

    @property
    def id(self) -> str:
        """The chart's id, also the stem of its element ids."""
        return self.chart.id

    @property
    def width(self) -> int:
        """The width the chart is laid out at (it scales to its column)."""
        return WIDTH


def add_files(
    site: Site, charts: list[Chart], svgs: dict[str, tuple[bytes, bytes]]
) -> tuple[dict[str, ChartView], dict[str, str]]:
    """Add every chart's files to the site; return the views by chart id and the shared assets' paths."""
    views: dict[str, ChartView] = {}
    for chart in charts:
        csv = site.add(f"data/charts/{chart.id}.csv", chart.csv(), "content/charts.yaml")
        light = dark = None
        if chart.id in svgs:
            light = site.add_hashed(
                "assets/charts", f"{chart.id}-light", ".svg", svgs[chart.id][0], "content/charts.yaml"
            )
            dark = site.add_hashed(
                "assets/charts", f"{chart.id}-dark", ".svg", svgs[chart.id][1], "content/charts.yaml"
            )
        views[chart.id] = ChartView(chart, csv, f"charts/{chart.id}/", light, dark)
    assets: dict[str, str] = {}
    if any(chart.drawn for chart in charts):
        assets["charts_js"] = site.add_hashed(
            "assets", "charts", ".js", _static("charts.js"), "torchsite/static/charts.js"
        )
        assets["plotly"] = site.add_hashed("assets", "plotly", ".min.js", plotly_js(), "plotly (the installed package)")
    return views, assets


def plotly_js() -> bytes:
    """plotly.js as shipped inside the installed plotly package: nothing is downloaded."""
    from plotly.offline import get_plotlyjs

    text: str = get_plotlyjs()
    return text.encode("utf-8")


def _static(name: str) -> bytes:
    """A file from the package's static folder."""
    return resources.files("torchsite").joinpath("static", name).read_bytes()
