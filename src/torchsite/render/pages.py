"""Rendering: the page list, and every page and asset in memory."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import jinja2

from torchsite.charts.assets import ChartView, add_files
from torchsite.charts.export import ShareImage
from torchsite.charts.model import Chart
from torchsite.errors import ContentError, Problem, display_path
from torchsite.inputs.config import Project, SiteConfig
from torchsite.inputs.facts import FactSheet
from torchsite.inputs.figures import Figure, explain
from torchsite.inputs.hedges import HEDGES as HEDGE_TABLE
from torchsite.inputs.story import Story
from torchsite.output.files import Origin, Site
from torchsite.render import corrections, discovery
from torchsite.render.downloads import Download, downloads
from torchsite.render.templates import environment, template_problem

# plotly.js writes its styles into a <style> element at run time, which needs 'unsafe-inline' for
# styles (never for scripts); pages without charts would not need it, but one policy is simpler.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'none'"
)
NAV = [
    {"title": "Story", "url": ""},
    {"title": "Fact sheet", "url": "facts/"},
    {"title": "Methodology", "url": "methodology/"},
    {"title": "Data", "url": "data/"},
]
HEDGES = {q: h.name for q, h in HEDGE_TABLE.items()}


@dataclass(frozen=True)
class Page:
    """One page: its URL below the site root, the template, and what it shows."""

    url: str
    template: str
    context: dict[str, Any]
    base: str | None = None  # a fixed prefix to the site root, for pages served at any URL (404.html)
    origin: Origin | None = None  # the input that asks for this page (e.g. a chart's id), for error messages

    @property
    def path(self) -> str:
        """The file the page is written to."""
        return f"{self.url}index.html" if self.url.endswith("/") or not self.url else self.url

    @property
    def root(self) -> str:
        """The prefix from this page back to the site root: relative, or the fixed base when set."""
        return self.base if self.base is not None else "../" * self.url.count("/")

    @property
    def indexable(self) -> bool:
        """Whether the page belongs in the sitemap and carries a canonical URL."""
        return self.base is None


def static_file(name: str) -> bytes:
    """A file shipped in the package's static folder."""
    return resources.files("torchsite").joinpath("static", name).read_bytes()


def pages(
    config: SiteConfig,
    sheet: FactSheet,
    figures: dict[str, Figure],
    story: Story,
    methodology: Story | None = None,
    files: list[Download] | None = None,
    modified: dt.date | None = None,
    image: str | None = None,
    charts: dict[str, ChartView] | None = None,
) -> list[Page]:
    """Every page of the site, with its context."""
    charts = charts or {}
    groups = [
        {
            "theme": theme,
            "facts": [f for f in sheet.facts if f.theme == theme.id],
            "derived": [d for d in sheet.derived if d.theme == theme.id],
        }
        for theme in sheet.themes
    ]
    explanations = {d.id: explain(figures[d.id], figures) for d in sheet.derived}
    files = files or []
    article = discovery.news_article(config, story, image, modified, sheet)
    data = discovery.dataset(config, sheet, files, modified)
    listed = [
        Page(
            "",
            "story.html",
            {
                "story": story,
                "key_figures": [figures[i] for i in config.key_figures],
                "updated": corrections.latest(sheet),
                "json_ld": [discovery.json_ld(article)],
                "og_type": "article",
            },
        ),
        Page(
            "facts/",
            "facts.html",
            {
                "sheet": sheet,
                "groups": groups,
                "explanations": explanations,
                "hedges": HEDGES,
                "corrections": corrections.history(sheet),
                "json_ld": [discovery.json_ld(data)],
            },
        ),
        *(Page(view.page, "chart.html", {"chart": view}) for view in charts.values()),
    ]
    if methodology is not None:
        listed.append(Page("methodology/", "methodology.html", {"doc": methodology}))
    listed.append(Page("data/", "data.html", {"downloads": files}))
    listed.append(Page("404.html", "404.html", {}, base=urlsplit(config.base_url).path))
    return listed


def render(
    project: Project,
    config: SiteConfig,
    sheet: FactSheet,
    figures: dict[str, Figure],
    story: Story,
    methodology: Story | None = None,
    charts: list[Chart] | None = None,
    svgs: dict[str, tuple[bytes, bytes]] | None = None,
    share_image: ShareImage | None = None,
) -> Site:
    """Render every page and asset into memory; template problems are collected, not raised one by one."""
    site = Site()
    site.base_path = urlsplit(config.base_url).path
    assets = {"css": site.add_hashed("assets", "site", ".css", static_file("site.css"), "torchsite/static/site.css")}
    icon = static_file("favicon.svg")
    assets["icon"] = site.add_hashed("assets", "icon", ".svg", icon, "torchsite/static/favicon.svg")
    views, chart_assets = add_files(site, charts or [], svgs or {})
    assets.update(chart_assets)
    shared: dict[str, Any] | None = None
    if share_image is not None:
        path = site.add_hashed("assets", "share", ".png", share_image.data, "content/charts.yaml")
        shared = {"path": path, "width": share_image.width, "height": share_image.height, "alt": share_image.alt}
    env = environment(project.templates)
    problems: list[Problem] = []
    modified = discovery.source_date()
    files = downloads(sheet, figures, config.base_url)
    for file in files:
        site.add(file.path, file.data, display_path(project.facts))
    listed = pages(
        config,
        sheet,
        figures,
        story,
        methodology,
        [*files, *chart_downloads(views)],
        modified,
        config.base_url + shared["path"] if shared else None,
        charts=views,
    )
    urls = {page.url for page in listed}
    nav = [item for item in NAV if item["url"] in urls]
    for page in listed:
        context = {
            "config": config,
            "page": page,
            "assets": assets,
            "nav": nav,
            "csp": CSP,
            "figures": figures,
            "json_ld": [],
            "og_type": "website",
            "share_image": shared,
            "charts": views,
            **page.context,
        }
        try:
            html = env.get_template(page.template).render(context)
        except jinja2.TemplateError as exc:
            problems.append(template_problem(exc, project.templates, page.template, context))
            continue
        html = discovery.print_urls(html, page.url, config.base_url)
        site.add(page.path, html, page.origin or display_path(project.templates / page.template))
    if problems:
        raise ContentError(problems)
    indexable = [page.url for page in listed if page.indexable]
    site.add("sitemap.xml", discovery.sitemap(config, indexable, modified), "torchsite/discovery.py")
    site.add("robots.txt", discovery.robots(config), "torchsite/discovery.py")
    return site


def chart_downloads(views: dict[str, ChartView]) -> list[Download]:
    """Each chart's CSV (already written by the charts) as the data page lists it."""
    return [
        Download(
            view.csv,
            f"Chart data: {view.chart.title_text}",
            f"The rows of the chart's table, with value, unit and hedge in their own columns. "
            f"{view.chart.description_text()}",
            "text/csv",
            view.chart.csv().encode("utf-8"),
            list(view.chart.csv_columns),
        )
        for view in views.values()
    ]
