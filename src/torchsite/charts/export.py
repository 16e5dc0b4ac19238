"""Static images, cached by content and exported by kaleido in one headless Chromium: chart SVGs, the share PNG."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import shutil
import tempfile
import textwrap
from dataclasses import dataclass, field
from html import escape
from importlib.metadata import version
from pathlib import Path
from types import TracebackType
from typing import Any

from torchsite.charts.model import Chart
from torchsite.errors import Problem, Severity
from torchsite.report import steps

CACHE_ENV = "TORCHSITE_CACHE"
BROWSER_ENV = "TORCHSITE_BROWSER"  # the one browser variable: builds, the preview and the tests
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
NORMALIZATION = "1"  # change when normalize() changes, so cached SVGs are made again
_UID = re.compile(r'id="defs-([0-9a-f]+)"')
_QUIET_FLAGS = ("--disable-background-networking",)  # kaleido's browser already gets the brief's other flags
# The share image: 600 x 315 CSS pixels at twice the pixel density, 1200 x 630, what link previews expect.
SHARE_WIDTH, SHARE_HEIGHT = 600, 315


@dataclass(frozen=True)
class ShareImage:
    """The lead chart as a PNG for link previews (Open Graph, Twitter cards) and what the page says about it."""

    data: bytes
    alt: str
    width: int = 2 * SHARE_WIDTH
    height: int = 2 * SHARE_HEIGHT


@dataclass(frozen=True)
class Exports:
    """What one export session made: each chart's SVG per layout, the share image, and any warnings."""

    svgs: dict[str, dict[str, bytes]] = field(default_factory=dict)
    share: ShareImage | None = None
    problems: list[Problem] = field(default_factory=list)


def find_browser() -> str | None:
    """The browser kaleido should drive: $TORCHSITE_BROWSER if set (and only it), else the first one on PATH."""
    chosen = os.environ.get(BROWSER_ENV)
    if chosen is not None:
        return chosen if os.path.isfile(chosen) and os.access(chosen, os.X_OK) else None
    return next((path for name in BROWSER_NAMES if (path := shutil.which(name))), None)


def cache_folder(project_root: Path) -> Path:
    """Where exported SVGs are kept between builds: $TORCHSITE_CACHE, or .torchsite-cache/svg in the project."""
    override = os.environ.get(CACHE_ENV)
    return Path(override) if override else project_root / ".torchsite-cache" / "svg"


def cache_key(figure: dict[str, Any], width: int, height: int) -> str:
    """A hash of everything an exported SVG depends on: the figure, its size and the tools' versions."""
    basis = {
        "figure": {"data": figure["data"], "layout": figure["layout"]},
        "size": [width, height],
        "plotly": version("plotly"),
        "kaleido": version("kaleido"),
        "normalization": NORMALIZATION,
    }
    return hashlib.sha256(json.dumps(basis, sort_keys=True).encode()).hexdigest()[:24]


def normalize(svg: bytes, ident: str) -> bytes:
    """Replace plotly.js's random figure uid with the chart's id, so exports repeat byte for byte."""
    text = svg.decode("utf-8")
    found = _UID.search(text)
    if found:
        text = text.replace(found.group(1), f"-{ident}-")
    return text.encode("utf-8")


class Exporter:
    """Exports SVGs through one kaleido server, started only when the cache lacks an SVG.

    A build opens one for its charts and closes it; the preview keeps one open across rebuilds
    (begin() before each), so an edit to a chart does not wait for a browser to start.
    """

    def __init__(self, cache: Path, origin: str) -> None:
        self.cache = cache
        self.origin = origin
        self.running = False
        self.problem: Problem | None = None  # set once, when export is impossible
        self.exported = 0
        self.cached = 0

    def begin(self, origin: str) -> None:
        """Start a new build's exports on this (possibly running) exporter: forget the last build's problem."""
        self.origin, self.problem, self.exported, self.cached = origin, None, 0, 0

    def __enter__(self) -> Exporter:
        """Use as a context manager so the browser is always stopped."""
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        """Stop the browser if it was started."""
        self.close()

    def svg(self, figure: dict[str, Any], width: int, height: int, ident: str) -> bytes | None:
        """The chart as SVG, from the cache or freshly exported; None when no browser can export it."""
        return self.image(figure, width, height, ident, "svg")

    def image(self, figure: dict[str, Any], width: int, height: int, ident: str, fmt: str) -> bytes | None:
        """The chart as an SVG or PNG, from the cache or freshly exported; None when no browser can export it."""
        path = self.cache / f"{cache_key(figure, width, height)}.{fmt}"
        if path.is_file():
            self.cached += 1
            return path.read_bytes()
        if self.problem is not None or not self._start():
            return None
        try:
            raw = _calc(figure, width, height, fmt)
        except Exception as exc:  # kaleido raises many kinds; any of them means "no static view"
            self.problem = _warning(
                self.origin, f"exporting chart '{ident}' to SVG failed ({type(exc).__name__}: {exc})"
            )
            return None
        data = normalize(raw, ident) if fmt == "svg" else raw
        _write_atomic(path, data)
        self.exported += 1
        return data

    def _start(self) -> bool:
        """Start kaleido's server on the browser found; record one warning if there is none."""
        if self.running:
            return True
        browser = find_browser()
        if browser is None:
            self.problem = _warning(
                self.origin, "no Chrome or Chromium found, so the charts' first view is their data table"
            )
            return False
        import kaleido
        from choreographer.browsers.chromium import Chromium

        class QuietChromium(Chromium):
            """Chromium with background networking off: a build makes no request."""

            def get_cli(self) -> list[str]:
                """Kaleido's command line plus our flags."""
                return [*super().get_cli(), *_QUIET_FLAGS]

        kaleido.start_sync_server(
            path=browser, browser_cls=QuietChromium, mathjax=False, timeout=60, silence_warnings=True
        )
        self.running = True
        return True

    def close(self) -> None:
        """Stop kaleido's server."""
        if self.running:
            import kaleido

            kaleido.stop_sync_server(silence_warnings=True)
            self.running = False


def _calc(figure: dict[str, Any], width: int, height: int, fmt: str = "svg") -> bytes:
    """One SVG (or PNG, at twice the pixels for sharp text) from the running kaleido server."""
    import kaleido

    fig = {"data": figure["data"], "layout": figure["layout"]}
    scale = 2 if fmt == "png" else 1
    result = kaleido.calc_fig_sync(fig, opts={"format": fmt, "width": width, "height": height, "scale": scale})
    if isinstance(result, Exception):
        raise result
    assert isinstance(result, bytes)
    return result


def _warning(origin: str, message: str) -> Problem:
    """The one warning a build without static chart images prints."""
    return Problem(
        origin,
        None,
        None,
        "charts",
        message,
        "install Chromium (apt-get install chromium) or set TORCHSITE_BROWSER; with --strict this is an error",
        severity=Severity.WARNING,
    )


def _write_atomic(path: Path, data: bytes) -> None:
    """Write a cache file so a reader never sees half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temp, path)


def export_all(charts: list[Chart], cache: Path, origin: str, session: Exporter | None = None) -> Exports:
    """Every drawn chart's SVGs, then the share image, in one browser session (`session`, kept open, if given).

    Charts without SVGs fall back to their table, with one warning; that warning covers the share image too
    (pages then carry no og:image at all, never a broken one).
    """
    if session is not None:
        session.begin(origin)
        return _export(session, charts, origin)
    with Exporter(cache, origin) as exporter:
        return _export(exporter, charts, origin)


def _export(exporter: Exporter, charts: list[Chart], origin: str) -> Exports:
    """The SVGs and the share image through one exporter."""
    svgs = _svgs(exporter, charts)
    if exporter.problem is not None:
        return Exports(svgs, None, [exporter.problem])
    share, problems = _share(exporter, charts, origin)
    return Exports(svgs, share, problems)


def _svgs(exporter: Exporter, charts: list[Chart]) -> dict[str, dict[str, bytes]]:
    """Every drawn chart's SVG at each of its layouts (light only: the page recolours them by CSS)."""
    svgs: dict[str, dict[str, bytes]] = {}
    for chart in steps([c for c in charts if c.figure is not None], "Exporting charts"):
        drawn = {
            name: exporter.svg(figure, *chart.sizes[name], f"{chart.id}-{name}")
            for name, figure in chart.drawings.items()
        }
        if all(svg is not None for svg in drawn.values()):
            svgs[chart.id] = {name: svg for name, svg in drawn.items() if svg is not None}
    return svgs


def _share(exporter: Exporter, charts: list[Chart], origin: str) -> tuple[ShareImage | None, list[Problem]]:
    """The lead chart as a share image (cached like the SVGs); None and one warning when it cannot be made."""
    chart = lead_chart(charts)
    if chart is None:
        return None, []
    png = exporter.image(titled(chart), SHARE_WIDTH, SHARE_HEIGHT, f"{chart.id}-share", "png")
    if png is None:
        return None, [missing(exporter.problem, origin)]
    return ShareImage(png, chart.alt), []


def lead_chart(charts: list[Chart]) -> Chart | None:
    """The chart a link preview shows: the first drawn chart in content/charts.yaml."""
    return next((chart for chart in charts if chart.figure is not None), None)


def titled(chart: Chart) -> dict[str, Any]:
    """The chart's light figure with its finding as the title, wrapped to the share image's width."""
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
