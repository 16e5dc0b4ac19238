"""What the long main-thread tasks are while a throttled phone reads the story: a CDP trace, tasks by type.

    python bench/reading_trace.py --dist DIR             # read a built site, as bench/run.py does, 3 times
    python bench/reading_trace.py --dist DIR --rate 1    # unthrottled: CPU time is then the page's own work
    python bench/reading_trace.py --dist DIR --page 404.html   # any other page of the site, read the same way

bench/run.py reports the longest task from the page's Long Tasks API, which cannot say what a task was. This
reads the story the same way (375 px phone, 4x CPU, slow 4G, a second's glance at the first screen, each chart
scrolled to and a mark focused, then a scroll through the whole page) under a Chromium trace, and sorts every
task over 50 ms by what started it:
the benchmark's own DevTools commands (its evaluate/focus calls), page loading, rendering (style, layout,
paint), page script (timers, events, animation frames). Wall time and the thread's CPU time are both shown:
wall far above CPU means the thread waited for a core (a shared machine), not that the page worked.

The same reading of the site's 404 page (a heading and a few links, the same stylesheet, no chart) follows as
the floor: what the browser itself costs to start a page under this throttle, which no page can go under.
"""

from __future__ import annotations

import argparse
import collections
import json
import statistics
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import CHART_READY, CHROME_FLAGS, GLANCE_MS, PHONE, SLOW_4G, serve

CATS = "devtools.timeline,disabled-by-default-devtools.timeline,toplevel,v8.execute,blink.user_timing,loading,blink"
SCROLL = (
    "async () => { for (let y = 0; y < document.body.scrollHeight; y += innerHeight / 2) {"
    " scrollTo(0, y); await new Promise((d) => setTimeout(d, 50)); } }"
)
LOADING = (
    "ParseHTML",
    "EvaluateScript",
    "ResponseBodyLoader::DidFinishLoadingBody",
    "DocumentLoader::CommitNavigation",
)
SCRIPT = ("TimerFire", "FireAnimationFrame", "EventDispatch", "FunctionCall", "FireIdleCallback")


def trace_reading(url: str, rate: int) -> list[dict[str, Any]]:
    """Read the story once under a trace; the trace's events."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path="/usr/bin/chromium", args=CHROME_FLAGS.split()[1:])
        context = browser.new_context(**PHONE)  # type: ignore[arg-type]
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
        if rate > 1:
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", SLOW_4G)
        browser.start_tracing(page=page, categories=CATS.split(","))
        page.goto(url, wait_until="load", timeout=300_000)
        page.wait_for_timeout(GLANCE_MS)
        page.evaluate("performance.mark('reading')")
        charts = page.evaluate(
            "() => Array.from(document.querySelectorAll('.chart-frame[data-chart]'), (f) => f.dataset.chart)"
        )
        for chart in charts:
            page.evaluate(CHART_READY, [chart, 20_000])
        page.evaluate("performance.mark('scrolling')")
        page.evaluate(SCROLL)
        page.wait_for_load_state("networkidle", timeout=300_000)
        events: list[dict[str, Any]] = json.loads(browser.stop_tracing())["traceEvents"]
        browser.close()
    return events


def main_thread(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The complete events of the page's renderer main thread (the one that parsed the story), by start."""
    parse = next(e for e in events if e.get("name") == "ParseHTML")
    key = (parse["pid"], parse["tid"])
    return sorted((e for e in events if (e["pid"], e["tid"]) == key and e.get("ph") == "X"), key=lambda e: e["ts"])


def kind(task: dict[str, Any], inside: list[dict[str, Any]]) -> str:
    """What started a task: the benchmark's DevTools command, loading, rendering, page script or other."""
    names = {e["name"] for e in inside}
    mojo = [e for e in inside if e["name"] == "Receive mojo message"]
    tag = mojo[0].get("args", {}).get("chrome_mojo_event_info", {}).get("mojo_interface_tag", "") if mojo else ""
    if tag == "blink.mojom.DevToolsSession":
        return "benchmark command"
    if names & set(LOADING) or tag == "content.mojom.NavigationClient":
        return "loading"
    if "ProxyMain::BeginMainFrame" in names or "WebFrameWidgetImpl::UpdateLifecycle" in names:
        return "rendering"
    if names & set(SCRIPT):
        return "page script"
    return "other"


def long_tasks(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every top-level main-thread task over 50 ms: phase, kind, wall and CPU ms, and its heaviest events."""
    thread = main_thread(events)
    marks = {
        e["name"]: e["ts"]
        for e in events
        if "user_timing" in e.get("cat", "") and e["name"] in ("reading", "scrolling")
    }
    tasks, end = [], -1.0
    for e in thread:
        if e["name"] == "ThreadControllerImpl::RunTask" and e["ts"] >= end:
            tasks.append(e)
            end = e["ts"] + e["dur"]
    out = []
    for task in (t for t in tasks if t["dur"] > 50_000):
        start, stop = task["ts"], task["ts"] + task["dur"]
        inside = [e for e in thread if start <= e["ts"] and e["ts"] + e.get("dur", 0) <= stop and e is not task]
        heavy: collections.Counter[str] = collections.Counter()
        for e in inside:
            if e["name"] in (
                "Layout",
                "UpdateLayoutTree",
                "Paint",
                "PrePaint",
                "ParseHTML",
                "EventDispatch",
                "FunctionCall",
                "TimerFire",
            ):
                heavy[e["name"]] += e.get("dur", 0) / 1000
        phase = (
            "loading"
            if start < marks.get("reading", 0)
            else "charts"
            if start < marks.get("scrolling", 0)
            else "scrolling"
        )
        out.append(
            {
                "phase": phase,
                "kind": kind(task, inside),
                "wall_ms": task["dur"] / 1000,
                "cpu_ms": task.get("tdur", 0) / 1000,
                "heavy": {k: round(v) for k, v in heavy.most_common(3)},
            }
        )
    return out


def main(argv: list[str] | None = None) -> int:
    """Trace the reading of the page, then of the floor page, `--runs` times each, and report both."""
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--dist", type=Path, required=True, help="a built site (torchsite build --out DIR)")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument(
        "--rate", type=int, default=4, help="CPU slowdown (4: a mid-range phone; 1: none, no network throttle)"
    )
    p.add_argument("--page", default="", help="the page to read, relative to the site (default: the story)")
    args = p.parse_args(argv)
    with serve(args.dist.resolve()) as url:
        for page, title in ((args.page, args.page or "the story"), ("404.html", "the floor: the site's 404 page")):
            print(f"== {title}")
            report(url + page, args.rate, args.runs)
    return 0


def report(url: str, rate: int, runs: int) -> None:
    """Read one page `runs` times; print each long task, then the longest per phase and kind (median, range)."""
    longest: dict[tuple[str, str], list[float]] = collections.defaultdict(list)
    for run in range(runs):
        tasks = long_tasks(trace_reading(url, rate))
        print(f"run {run + 1}: {len(tasks)} tasks over 50 ms")
        for t in tasks:
            wall, cpu = f"{t['wall_ms']:6.0f} ms wall", f"{t['cpu_ms']:6.0f} ms cpu"
            print(f"  {t['phase']:<9} {t['kind']:<17} {wall} {cpu}  {t['heavy']}")
        for phase in ("loading", "charts", "scrolling"):
            for k in ("benchmark command", "loading", "rendering", "page script", "other"):
                walls = [t["wall_ms"] for t in tasks if t["phase"] == phase and t["kind"] == k]
                longest[(phase, k)].append(max(walls, default=0.0))
    print(f"longest task over 50 ms per phase and kind, median of {runs} (range); none listed: none over 50 ms")
    for (phase, k), values in longest.items():
        if any(values):
            print(f"  {phase:<9} {k:<17} {statistics.median(values):6.0f} ms  ({min(values):.0f}-{max(values):.0f})")


if __name__ == "__main__":
    sys.exit(main())
