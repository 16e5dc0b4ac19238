"""The story's first view, against the site's 404 page: does the first screen come in one round trip?

    python bench/firstview.py --dist dist               # the story and the 404 page, 5 loads each
    python bench/firstview.py --dist dist --runs 9 --json out.json

For each page, measured on a built site served gzipped from 127.0.0.1 below its base path:
- bytes: the page's HTML gzipped (level 6, as a host serves it) with the critical CSS inlined in it, against the
  14 KB (14,336 bytes) a fresh connection's first round trip carries (TCP's initial window of 10 segments), and
  the gzipped bytes of every render-blocking stylesheet or script the HTML asks for before it can paint;
- render-blocking requests: the ones the HTML's <head> makes paint wait for (a stylesheet without a non-screen
  media, a script without defer or async), counted from the HTML and as Chromium reports them
  (PerformanceResourceTiming.renderBlockingStatus);
- first paint and first contentful paint, on a phone (375 px) with its CPU slowed 4x and a slow-4G network
  (400 ms latency, about 400 kbit/s), through the DevTools protocol (Emulation.setCPUThrottlingRate,
  Network.emulateNetworkConditions);
- the longest main-thread task from navigation to the load event under the same throttle, from a Chromium trace:
  wall time and the thread's CPU time (on a shared machine wall time includes waiting for a core; CPU does not);
- how many chart drawings are laid out (rendered boxes) at 375 and at 1280 px, against the number of charts.

Each figure is the median of `--runs` fresh loads (range in brackets). The 404 page (a heading and a few links)
is the floor: what a page costs this browser under this throttle.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import statistics
import sys
import tempfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reading_trace import main_thread
from run import CHROME_FLAGS, PHONE, SLOW_4G, gz, serve

ROUND_TRIP = 14 * 1024  # bytes: TCP's initial congestion window, 10 segments of 1,460 bytes, rounded down
CATS = "devtools.timeline,disabled-by-default-devtools.timeline,toplevel,loading,blink"
# Laid-out drawings: those with a box (display: none, or not in the page, has none), per chart frame.
DRAWINGS = """() => ({
  charts: document.querySelectorAll('.chart-frame[data-chart]').length,
  laid_out: Array.from(document.querySelectorAll('.chart-frame[data-chart] .chart-drawing'))
    .filter((d) => d.getClientRects().length > 0).length,
  in_page: document.querySelectorAll('.chart-frame[data-chart] .chart-drawing').length,
})"""
PAINTS = """() => Object.fromEntries(performance.getEntriesByType('paint').map((e) => [e.name, e.startTime]))"""
BLOCKING = """() => performance.getEntriesByType('resource')
  .filter((e) => e.renderBlockingStatus === 'blocking').map((e) => e.name)"""


class Head(HTMLParser):
    """The requests a page's <head> makes paint wait for: stylesheets for screens, and scripts run in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_head = True
        self.blocking: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Note a blocking stylesheet or script while still in the head."""
        a = {k: v or "" for k, v in attrs}
        if tag == "body":
            self.in_head = False
        if not self.in_head:
            return
        if tag == "link" and a.get("rel") == "stylesheet" and a.get("media", "all") in ("all", "screen", ""):
            self.blocking.append(a["href"])
        elif tag == "script" and a.get("src") and "defer" not in a and "async" not in a and a.get("type") != "module":
            self.blocking.append(a["src"])


def html_bytes(dist: Path, page: str) -> dict[str, Any]:
    """A page's HTML gzipped, and the render-blocking files its head asks for, gzipped."""
    html = (dist / page).read_bytes()
    head = Head()
    head.feed(html.decode("utf-8"))
    base = (dist / page).parent
    blocking = []
    for url in head.blocking:
        path = (base / url) if not url.startswith("/") else dist / url.split("/", 2)[-1]
        blocking.append({"url": url, "gzip": gz(path.resolve().read_bytes())})
    return {
        "html_gzip": gz(html),
        "blocking": blocking,
        "first_view_gzip": gz(html) + sum(b["gzip"] for b in blocking),
    }


@contextlib.contextmanager
def serve_below(dist: Path, base: str) -> Iterator[str]:
    """Serve a built site gzipped on 127.0.0.1 below its base path (`/torchsite/`); the site's root URL."""
    with tempfile.TemporaryDirectory(prefix="firstview-") as scratch:
        root = Path(scratch)
        mount = root / base.strip("/") if base.strip("/") else root / "site"
        mount.parent.mkdir(parents=True, exist_ok=True)
        mount.symlink_to(dist.resolve(), target_is_directory=True)
        with serve(root) as url:  # bench/run.py's one gzip server
            yield f"{url}{mount.relative_to(root).as_posix()}/"


def load_once(browser: Any, url: str) -> dict[str, Any]:
    """Load a page once on a throttled phone under a trace: paints, blocking requests, the longest loading task."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    cdp.send("Network.emulateNetworkConditions", SLOW_4G)
    browser.start_tracing(page=page, categories=CATS.split(","))
    page.goto(url, wait_until="load", timeout=300_000)
    page.wait_for_timeout(500)  # the paint after load, and any task the load event starts
    paints = page.evaluate(PAINTS)
    blocking = page.evaluate(BLOCKING)
    events: list[dict[str, Any]] = json.loads(browser.stop_tracing())["traceEvents"]
    context.close()
    wall, cpu = longest_task(events)
    return {
        "first_paint_ms": paints.get("first-paint", 0.0),
        "first_contentful_paint_ms": paints.get("first-contentful-paint", 0.0),
        "blocking_requests": blocking,
        "longest_task_wall_ms": wall,
        "longest_task_cpu_ms": cpu,
    }


def longest_task(events: list[dict[str, Any]]) -> tuple[float, float]:
    """The longest top-level task on the page's main thread up to its load event, by wall time and by CPU (ms)."""
    thread = main_thread(events)
    loaded = max((e["ts"] for e in events if e.get("name") == "MarkLoad"), default=float("inf"))
    tasks = [e for e in thread if e["name"] == "ThreadControllerImpl::RunTask" and e["ts"] <= loaded]
    if not tasks:
        return 0.0, 0.0
    top = max(tasks, key=lambda e: e["dur"])
    return top["dur"] / 1000, max(t.get("tdur", 0) for t in tasks) / 1000


def drawings(browser: Any, url: str) -> dict[str, Any]:
    """How many chart drawings have a box at 375 and at 1280 px (one per chart is the aim)."""
    out = {}
    for width in (375, 1280):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        page.goto(url, wait_until="networkidle")  # the wide drawings a wide frame fetches are in
        page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
        out[str(width)] = page.evaluate(DRAWINGS)
        context.close()
    return out


def summary(values: list[float]) -> dict[str, float]:
    """Median and range."""
    return {"median": round(statistics.median(values), 1), "min": round(min(values), 1), "max": round(max(values), 1)}


def measure(dist: Path, base: str, runs: int, chromium: str) -> dict[str, Any]:
    """Both pages, `runs` loads each."""
    from playwright.sync_api import sync_playwright

    result: dict[str, Any] = {}
    with serve_below(dist, base) as root, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=CHROME_FLAGS.split()[1:])
        for name, page in (("story", "index.html"), ("404", "404.html")):
            loads = [load_once(browser, root + page) for _ in range(runs)]
            result[name] = {
                **html_bytes(dist, page),
                "blocking_in_browser": sorted({u.rsplit("/", 1)[-1] for x in loads for u in x["blocking_requests"]}),
                **{key: summary([x[key] for x in loads]) for key in loads[0] if key != "blocking_requests"},
            }
        result["story"]["drawings"] = drawings(browser, root + "index.html")
        browser.close()
    return result


def report(result: dict[str, Any]) -> str:
    """The measures as lines a reader can paste into the README."""
    lines = []
    for name in ("story", "404"):
        r = result[name]
        blocking = ", ".join(f"{b['url'].rsplit('/', 1)[-1]} ({b['gzip']:,} B)" for b in r["blocking"]) or "none"
        fits = "fits" if r["first_view_gzip"] <= ROUND_TRIP else "does NOT fit"
        lines.append(f"== {name}")
        lines.append(
            f"  HTML with its inlined CSS: {r['html_gzip']:,} B gzip; render-blocking in <head>: {blocking}; "
            f"first view {r['first_view_gzip']:,} B: {fits} in one round trip ({ROUND_TRIP:,} B)"
        )
        lines.append(f"  render-blocking as Chromium reports: {', '.join(r['blocking_in_browser']) or 'none'}")
        for key, words in (
            ("first_paint_ms", "first paint"),
            ("first_contentful_paint_ms", "first contentful paint"),
            ("longest_task_wall_ms", "longest loading task, wall"),
            ("longest_task_cpu_ms", "longest loading task, CPU"),
        ):
            s = r[key]
            lines.append(f"  {words}: {s['median']:,.0f} ms ({s['min']:,.0f}-{s['max']:,.0f})")
    for width, d in result["story"]["drawings"].items():
        laid = f"{d['laid_out']} drawings laid out, {d['in_page']} in the page"
        lines.append(f"  story at {width} px: {laid}, {d['charts']} charts")
    ratio = result["story"]["longest_task_cpu_ms"]["median"] / max(result["404"]["longest_task_cpu_ms"]["median"], 1)
    lines.append(f"longest loading task (CPU), story against the 404 page: {ratio:.1f}x (aim: at most 2x)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Measure a built site's story and 404 page; print the report (and write JSON when asked)."""
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--dist", type=Path, required=True, help="a built site (torchsite build)")
    p.add_argument("--base", default="/torchsite/", help="the base path of the site's base_url")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    p.add_argument("--json", type=Path, help="also write the measures here as JSON")
    args = p.parse_args(argv)
    result = measure(args.dist, args.base, args.runs, args.chromium)
    print(report(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
