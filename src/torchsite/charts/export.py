"""Static images, cached by content and exported by kaleido in one headless Chromium: chart SVGs, the share PNG."""

from __future__ import annotations

import asyncio
import copy
import hashlib
import json
import os
import re
import shutil
import tempfile
import textwrap
import threading
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
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
CLOSE_SECONDS = 20  # the most a build waits for the export browser to close
_QUIET_FLAGS = ("--disable-background-networking",)  # kaleido's browser already gets the brief's other flags
# Browser tabs, each loaded with plotly.js. A build starts one: a second tab costs more to load (about 1.2 s on two
# cores) than it saves on a whole site's exports (8 SVGs in 0.2 s). The preview keeps two open, so an edit to a
# chart exports its two layouts side by side (about 60 ms sooner).
BUILD_TABS, PREVIEW_TABS = 1, 2
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
    charts: dict[str, ShareImage] = field(default_factory=dict)  # each drawn chart's own share image, by chart id


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

    def __init__(self, cache: Path, origin: str, tabs: int = BUILD_TABS) -> None:
        self.cache = cache
        self.origin = origin
        self.tabs = tabs
        self.server: Server | None = None
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
        return self.images([(figure, width, height, ident, fmt)])[0]

    def images(self, wanted: list[tuple[dict[str, Any], int, int, str, str]]) -> list[bytes | None]:
        """Several images (figure, width, height, ident, format): cached ones read, the others exported side by side."""
        paths = [self.cache / f"{cache_key(figure, width, height)}.{fmt}" for figure, width, height, _, fmt in wanted]
        found: list[bytes | None] = [path.read_bytes() if path.is_file() else None for path in paths]
        self.cached += sum(data is not None for data in found)
        missing = [i for i, data in enumerate(found) if data is None]
        if not missing or self.problem is not None or not self._start():
            return found
        assert self.server is not None
        made = self.server.calc([(*wanted[i][:3], wanted[i][4]) for i in missing])
        for i, raw in zip(missing, made, strict=True):
            ident, fmt = wanted[i][3], wanted[i][4]
            if isinstance(raw, BaseException):  # kaleido raises many kinds; any of them means "no static view"
                self.problem = self.problem or _warning(
                    self.origin, f"exporting chart '{ident}' to SVG failed ({type(raw).__name__}: {raw})"
                )
                continue
            data = normalize(raw, ident) if fmt == "svg" else raw
            _write_atomic(paths[i], data)
            self.exported += 1
            found[i] = data
        return found

    def _start(self) -> bool:
        """Start kaleido's browser on the browser found; record one warning if there is none or it fails."""
        if self.server is not None:
            return True
        browser = find_browser()
        if browser is None:
            self.problem = _warning(
                self.origin, "no Chrome or Chromium found, so the charts' first view is their data table"
            )
            return False
        try:
            self.server = Server(browser, self.tabs)
        except Exception as exc:  # a browser that does not start is a warning, like one that is missing
            self.problem = _warning(self.origin, f"the browser {browser} did not start ({type(exc).__name__}: {exc})")
            return False
        return True

    @property
    def running(self) -> bool:
        """True while the browser is open."""
        return self.server is not None

    def close(self) -> None:
        """Stop the browser."""
        if self.server is not None:
            self.server.close()
            self.server = None


class Server:
    """Kaleido in one headless Chromium with `tabs` tabs, on an event loop of its own thread: renders run side by side.

    Kaleido would reload a tab (parse plotly.js afresh) after every image before handing the image back;
    here a tab is reused as it is, so an edit pays for its renders only (the images are the same bytes).
    """

    def __init__(self, browser: str, tabs: int) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="torchsite-kaleido", daemon=True)
        self.thread.start()
        try:
            self.kaleido = self.run(_open(browser, tabs))
        except BaseException:
            self._stop_loop()
            raise

    def run(self, work: Coroutine[Any, Any, Any], timeout: float | None = None) -> Any:
        """Run a coroutine on the server's loop and wait for its result (at most `timeout` seconds, if given)."""
        return asyncio.run_coroutine_threadsafe(work, self.loop).result(timeout)

    def calc(self, jobs: list[tuple[dict[str, Any], int, int, str]]) -> list[bytes | BaseException]:
        """Images of (figure, width, height, format), all at once, each its bytes or the exception it raised."""
        result: list[bytes | BaseException] = self.run(_calc_all(self.kaleido, jobs))
        return result

    def close(self) -> None:
        """Close the browser and stop the loop; a browser that does not close in time is left to its own exit."""
        try:
            self.run(_close(self.kaleido), timeout=CLOSE_SECONDS)
        except TimeoutError:  # a loaded machine's Chromium: never hold up the end of a build or a preview
            pass
        finally:
            self._stop_loop()

    def _stop_loop(self) -> None:
        """Stop the loop and its thread."""
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=30)
        if not self.thread.is_alive():
            self.loop.close()


async def _open(browser: str, tabs: int) -> Any:
    """Open kaleido on `browser` with `tabs` tabs, each loaded with plotly.js."""
    import kaleido
    from choreographer.browsers.chromium import Chromium

    class QuietChromium(Chromium):
        """Chromium with background networking off: a build makes no request."""

        def get_cli(self) -> list[str]:
            """Kaleido's command line plus our flags."""
            return [*super().get_cli(), *_QUIET_FLAGS]

    class Kaleido(kaleido.Kaleido):  # type: ignore[misc]
        """Kaleido that reuses a tab as it is: plotly.js is not loaded afresh after every image."""

        async def _return_kaleido_tab(self, tab: Any) -> None:
            """Put the tab back without reloading it (each render makes and purges its own plot)."""
            await self.tabs_ready.put(tab)

    k = Kaleido(n=tabs, path=browser, browser_cls=QuietChromium, mathjax=False, timeout=60)
    await k.open()
    return k


async def _calc_all(k: Any, jobs: list[tuple[dict[str, Any], int, int, str]]) -> list[bytes | BaseException]:
    """Render every job at once across the tabs."""

    async def one(figure: dict[str, Any], width: int, height: int, fmt: str) -> bytes:
        """One SVG (or PNG, at twice the pixels for sharp text)."""
        fig = {"data": figure["data"], "layout": figure["layout"]}
        scale = 2 if fmt == "png" else 1
        data = await k.calc_fig(fig, opts={"format": fmt, "width": width, "height": height, "scale": scale})
        assert isinstance(data, bytes)
        return data

    found = await asyncio.gather(*(one(*job) for job in jobs), return_exceptions=True)
    return list(found)


async def _close(k: Any) -> None:
    """Close the browser."""
    await k.close()


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


_KEPT: list[tuple[Exporter, str | None]] = []  # the exporter kept_open() holds, and the browser it was opened for


@contextmanager
def kept_open(cache: Path) -> Iterator[Exporter]:
    """One exporter for every build of this process that exports into `cache` with the same browser (a batch of
    builds, a test run): its browser starts once, not once per build. Closed when the block ends."""
    with Exporter(cache, "") as exporter:
        _KEPT.append((exporter, find_browser()))
        try:
            yield exporter
        finally:
            _KEPT.pop()


def kept(cache: Path) -> Exporter | None:
    """The exporter kept open for `cache` and the browser that would be chosen now, if any."""
    return next((e for e, browser in _KEPT if e.cache == cache and browser == find_browser()), None)


def export_all(charts: list[Chart], cache: Path, origin: str, session: Exporter | None = None) -> Exports:
    """Every drawn chart's SVGs, then the share image, in one browser session (`session`, kept open, if given).

    Charts without SVGs fall back to their table, with one warning; that warning covers the share image too
    (pages then carry no og:image at all, never a broken one).
    """
    session = session or kept(cache)
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
    own = _chart_shares(exporter, charts) if share is not None else {}
    return Exports(svgs, share, problems, own)


def _svgs(exporter: Exporter, charts: list[Chart]) -> dict[str, dict[str, bytes]]:
    """Every drawn chart's SVG at each layout (light only: the page recolours them by CSS), exported together."""
    drawn = [c for c in charts if c.figure is not None]
    wanted = [
        (chart.id, name, (figure, *chart.sizes[name], f"{chart.id}-{name}", "svg"))
        for chart in steps(drawn, "Exporting charts")
        for name, figure in chart.drawings.items()
    ]
    made = exporter.images([job for _, _, job in wanted])
    svgs: dict[str, dict[str, bytes]] = {}
    for (ident, name, _), svg in zip(wanted, made, strict=True):
        svgs.setdefault(ident, {})[name] = svg if svg is not None else b""
    return {ident: views for ident, views in svgs.items() if all(views.values())}


def _share(exporter: Exporter, charts: list[Chart], origin: str) -> tuple[ShareImage | None, list[Problem]]:
    """The lead chart as a share image (cached like the SVGs); None and one warning when it cannot be made."""
    chart = lead_chart(charts)
    if chart is None:
        return None, []
    png = exporter.image(titled(chart), SHARE_WIDTH, SHARE_HEIGHT, f"{chart.id}-share", "png")
    if png is None:
        return None, [missing(exporter.problem, origin)]
    return ShareImage(png, chart.alt), []


def _chart_shares(exporter: Exporter, charts: list[Chart]) -> dict[str, ShareImage]:
    """Each drawn chart as its own share image, for its page and its embed (the lead chart's is the site's)."""
    drawn = [c for c in charts if c.figure is not None]
    made = exporter.images([(titled(c), SHARE_WIDTH, SHARE_HEIGHT, f"{c.id}-share", "png") for c in drawn])
    return {c.id: ShareImage(png, c.alt) for c, png in zip(drawn, made, strict=True) if png is not None}


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
