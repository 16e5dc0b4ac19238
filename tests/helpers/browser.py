"""What the browser tests share besides fixtures: the browser set-up, the scripts they run in pages,
the pages the real site has, the test server's handler, and opening and settling a page."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Request,
)

from helpers.project import REPO
from torchsite.charts.export import BROWSER_ENV, find_browser
from torchsite.errors import TorchsiteError
from torchsite.inputs.config import Project
from torchsite.pipeline import gather, make_charts, render

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # No host but the test server's resolves, so nothing leaves the machine: in the browser itself, where routing
    # every request through Playwright cost a round trip to Python per request (a page is recorded trying).
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
SCHEMES = ("light", "dark")
# The chart markup (torchsite/templates/_chart.html): a frame holding one inline drawing per layout, one of them shown.
CHART = ".chart-frame[data-chart]"
STATIC = ".chart-drawing"
# Runs before any page script: records every Content-Security-Policy violation the page reports.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(
    `${e.effectiveDirective} blocked ${e.blockedURI || 'inline code'} (${e.sourceFile || 'page'}:${e.lineNumber})`);
});
"""
# Resolves after two animation frames: whatever a change of scheme, size or scroll triggers has painted.
NEXT_FRAMES = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
# Scrolls through the page a screen at a time, letting each step paint, so anything that loads or draws
# on scroll does so before the page is judged; then back to the top.
SCROLL_THROUGH = """async () => {
  const frame = () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight) {
    window.scrollTo(0, y);
    await frame();
  }
  window.scrollTo(0, 0);
  await frame();
}"""
# Focus a stand-in at the very start of the page and remove it: Tab then starts from the top, as on a new page.
TO_THE_TOP = """() => {
  const start = document.createElement('span');
  start.tabIndex = -1;
  document.body.prepend(start);
  start.focus({preventScroll: true});
  start.remove();
  scrollTo(0, 0);
}"""
# How each chart's static view stands: present, shown, of some size, its image loaded.
STATIC_VIEWS = """([chart, still]) => Promise.all(Array.from(document.querySelectorAll(chart), async (frame) => {
  const drawn = Array.from(frame.querySelectorAll(still));
  const view = drawn.find((d) => d.checkVisibility()) || drawn[0];
  const img = null;
  const box = view ? view.getBoundingClientRect() : {width: 0, height: 0};
  const shown = Boolean(view) && view.checkVisibility({opacityProperty: true, visibilityProperty: true});
  const loaded = img ? img.complete && img.naturalWidth > 0 : Boolean(view);
  return {
    chart: frame.dataset.chart,
    ok: shown && loaded && box.width > 0 && box.height > 0,
    state: `present=${Boolean(view)} visible=${shown} size=${Math.round(box.width)}x${Math.round(box.height)}` +
      ` image loaded=${loaded}`,
  };
}))"""
SHOTS_KEY = pytest.StashKey[Path]()


@dataclass(frozen=True)
class Pages:
    """The real site's pages, known before anything is built: every page's URL, and those showing a drawn chart."""

    urls: list[str]
    chart_urls: list[str]


@functools.cache
def site_pages() -> Pages:
    """The real project's pages of its main edition, from its site rendered in memory at collection (nothing
    written, no browser). A further edition's pages (zh-hans/...) are the same templates again: the browser matrix
    leaves them out, and tests/browser/test_editions.py loads the one page that checks them.

    Content that does not render gives one placeholder page, whose tests then fail with the build's messages.
    """
    project = Project(REPO)
    try:
        build = gather(project)
        files = render(project, make_charts(build)).site.files
    except TorchsiteError:
        return Pages(["(build failed)"], ["(build failed)"])
    editions = tuple(own.prefix for own in build.config.edition_configs)
    html = {page_url(path): data for path, data in files.items() if path.endswith(".html")}
    html = {url: data for url, data in html.items() if not url.startswith(editions)}
    return Pages(sorted(html), sorted(u for u, data in html.items() if b"data-chart=" in data))


def built_urls(root: Path) -> list[str]:
    """Every page of a built site, as a URL path below the site root."""
    return sorted(page_url(p.relative_to(root).as_posix()) for p in root.rglob("*.html"))


@dataclass(frozen=True)
class Server:
    """The built site served over HTTP on 127.0.0.1, below its published base path (`/torchsite/`)."""

    origin: str
    base: str

    def owns(self, url: str) -> bool:
        """Whether a URL is served by this server (data: and blob: URLs never leave the page)."""
        return url.startswith((self.origin + "/", "data:", "blob:"))

    def url(self, page: str) -> str:
        """The absolute URL of a page."""
        return f"{self.origin}{self.base}{page}"


@dataclass
class Visit:
    """One page opened in a fresh context, with everything the browser reported about it."""

    page: Page
    context: BrowserContext
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    csp_messages: list[str] = field(default_factory=list)
    first_paint: list[dict[str, Any]] = field(default_factory=list)
    loading: set[Request] = field(default_factory=set)  # requests sent and not yet finished or failed

    def settle(self, timeout: float = 30.0) -> None:
        """Wait until what the page fetches once loaded is there and nothing it asked for is still loading, over
        two painted frames in a row: the quiet that "networkidle" finds by waiting out 500 ms of silence."""
        self.page.wait_for_function(LOADED, timeout=timeout * 1000)
        deadline, quiet = time.monotonic() + timeout, 0
        while quiet < 2:
            self.page.evaluate(NEXT_FRAMES)  # the page's events (a request sent, one finished) arrive before this
            quiet = 0 if self.loading else quiet + 1
            if time.monotonic() > deadline:
                pytest.fail(f"still loading after {timeout:.0f} s: {sorted(r.url for r in self.loading)}")

    def show(self, scheme: str, viewport: dict[str, int]) -> None:
        """Switch the open page to the screen in a colour scheme and viewport (no reload) and let it repaint."""
        self.page.emulate_media(media="screen", color_scheme=scheme)  # type: ignore[arg-type]
        self.page.set_viewport_size(viewport)  # type: ignore[arg-type]
        self.page.evaluate(NEXT_FRAMES)

    def put_down(self) -> None:
        """Close what a keyboard walk left open (the reader's card), let go of focus and go back to the top, where
        the next Tab starts again (the browser's starting point moves to a focused element removed there)."""
        self.page.keyboard.press("Escape")
        self.page.evaluate(TO_THE_TOP)

    def csp_violations(self) -> list[str]:
        """CSP violations from the page's event listener and from the console."""
        events: list[str] = self.page.evaluate("window.__cspViolations || []")
        return events + self.csp_messages

    def close(self) -> None:
        """Close the page's context."""
        self.context.close()


def page_url(path: str) -> str:
    """The URL path of an HTML file: `facts/index.html` -> `facts/`, `index.html` -> ``."""
    return path.removesuffix("index.html")


def chromium_path() -> tuple[str | None, str]:
    """The Chromium to drive (the build's own choice: $TORCHSITE_BROWSER, else one on PATH), or None and why."""
    found = find_browser()
    if found is not None:
        return found, ""
    configured = os.environ.get(BROWSER_ENV)
    if configured is not None:
        return None, f"{BROWSER_ENV}={configured} is not an executable"
    return None, f"no Chromium found (install Debian's chromium, or set {BROWSER_ENV} to a Chromium executable)"


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site's files below its base path (anything else is not found), without logging."""

    base = "/"

    def translate_path(self, path: str) -> str:
        """Map `/torchsite/facts/` to `facts/` in the site folder; paths outside the base map to nothing."""
        if not path.startswith(self.base):
            return str(Path(self.directory) / "(outside the site's base path)")
        return super().translate_path("/" + path.removeprefix(self.base))

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet."""

    def handle(self) -> None:
        """Serve one connection; a browser that drops it mid-answer (a page closed while loading) is no error."""
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().handle()


def open_page(browser: Browser, server: Server, url: str, wait_until: str = "load", **options: Any) -> Visit:
    """Open a page in a fresh context that records errors, failed and foreign requests (which fail: no other host
    resolves), and CSP reports."""
    context = browser.new_context(**{"viewport": DESKTOP, **options})
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    visit = Visit(page, context)

    def request(request: Request) -> None:
        """Record every request the page makes (or tries, even if the CSP blocks it) to another host."""
        if not server.owns(request.url):
            visit.foreign_requests.append(f"{request.method} {request.url}")

    def console(message: ConsoleMessage) -> None:
        """Record console errors, and anything about the Content Security Policy."""
        if "Content Security Policy" in message.text:
            visit.csp_messages.append(message.text)
        if message.type == "error":
            visit.console_errors.append(f"{message.text} ({message.location.get('url')})")

    def failed(request: Request) -> None:
        """Record a request that got no response."""
        visit.loading.discard(request)
        visit.failed_requests.append(f"{request.url}: {request.failure}")

    page.on("request", request)
    page.on("request", lambda r: visit.loading.add(r))
    page.on("requestfinished", lambda r: visit.loading.discard(r))
    page.on("console", console)
    page.on("pageerror", lambda error: visit.console_errors.append(f"uncaught: {error}"))
    page.on("requestfailed", failed)
    page.on("response", lambda r: r.status >= 400 and visit.failed_requests.append(f"{r.url}: HTTP {r.status}"))
    page.goto(server.url(url), wait_until=wait_until)  # type: ignore[arg-type]
    if wait_until == "load" and options.get("java_script_enabled", True):  # without scripts nothing more comes
        page.wait_for_function(LOADED, timeout=30_000)
    return visit


# What a page fetches once loaded, there: the card data (reader.js) and each wide frame's drawing (drawings.js).
LOADED = """() => {
  const b = document.getElementById('card-data');
  const cards = !b || !b.hasAttribute('data-src') || b.textContent !== '';
  const drawn = Array.from(document.querySelectorAll('.chart-slot')).every((s) =>
    s.getAttribute('data-state') === 'failed' || s.parentElement.getBoundingClientRect().width <= 480);
  return cards && drawn;
}"""


def settled(browser: Browser, server: Server, url: str) -> Visit:
    """Open a page, note how its static chart views look at first paint, scroll through it and let it settle."""
    # Measured once the HTML is parsed and the static images decoded, before any chart could have drawn.
    visit = open_page(browser, server, url, wait_until="domcontentloaded")
    visit.first_paint = visit.page.evaluate(STATIC_VIEWS, [CHART, STATIC])
    visit.page.wait_for_load_state("load")
    visit.page.evaluate(SCROLL_THROUGH)
    visit.settle()
    return visit


class Views:
    """The page under test, opened and settled once and shared by every check of that page."""

    def __init__(self, browser: Browser, server: Server):
        self.browser = browser
        self.server = server
        self.url: str | None = None
        self.visit: Visit | None = None

    def of(self, url: str, scheme: str = "light", viewport: dict[str, int] = DESKTOP) -> Visit:
        """The settled page at `url` in a scheme and viewport (the previous page is closed)."""
        if self.url != url or self.visit is None:
            self.close()
            self.visit, self.url = settled(self.browser, self.server, url), url
        self.visit.show(scheme, viewport)
        return self.visit

    def close(self) -> None:
        """Close the open page, if any."""
        if self.visit is not None:
            self.visit.close()
        self.visit = self.url = None


def lines(items: list[str]) -> str:
    """A list as indented lines for a failure message."""
    return "".join(f"\n  {item}" for item in items)


def expect_none(items: list[str], heading: str) -> None:
    """Fail with the heading and one line per item, if there are any (no traceback: the lines say it all)."""
    if items:
        pytest.fail(f"{heading}:{lines(items)}", pytrace=False)


def axe_report(violations: list[dict[str, Any]]) -> list[str]:
    """One line per axe violation and element: rule, impact, what it asks, where."""
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {' '.join(map(str, node['target']))}"
        for v in violations
        for node in v["nodes"]
    ]


def page_cards(page: Page) -> dict[str, Any]:
    """The page's card data as reader.js has it, once fetched ({} for a page without a card-data block)."""
    page.wait_for_function(LOADED, timeout=30_000)
    data: dict[str, Any] = page.evaluate(
        "() => { const b = document.getElementById('card-data'); return b ? JSON.parse(b.textContent) : {}; }"
    )
    return data
