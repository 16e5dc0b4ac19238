"""The performance benchmark: one command, one report.

    python bench/run.py            # the full run (a few minutes)
    python bench/run.py --quick    # one build of each kind, no Lighthouse, no 100x sheet (seconds)

It builds the real project and reports the story's first-view weight (raw and gzip) and request
count, plotly.js's weight, the full build time (median of several runs, in a fresh process each,
with a cold and a warm SVG cache), the same story built the naive way (every chart's
`to_html(include_plotlyjs=True)` concatenated) side by side, Lighthouse's mobile scores for both
pages when Lighthouse is installed, and how the build time grows with a 10x and a 100x synthetic
fact sheet. Nothing here is asserted: the numbers are reported.

Lighthouse is optional: `npm install --prefix /tmp/lh lighthouse`, then pass
`--lighthouse /tmp/lh/node_modules/.bin/lighthouse` (or set LIGHTHOUSE=...). It runs headless
Chromium (/usr/bin/chromium, or CHROME_PATH) against a local server on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
IDENT = re.compile(r"[a-z][a-z0-9_]*")
GZIP_TYPES = (".html", ".css", ".js", ".json", ".svg", ".csv", ".xml", ".txt")


# --- measuring bytes -------------------------------------------------------------------------


def gz(data: bytes) -> int:
    """The gzip size of some bytes, at the level a typical host serves (6), with no timestamp."""
    return len(gzip.compress(data, compresslevel=6, mtime=0))


class FirstView(HTMLParser):
    """The files a browser fetches for a page before any chart script runs: stylesheets, scripts, images."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fetched: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Record what the parser would request on its own (not what a script loads later)."""
        a = dict(attrs)
        if tag == "link" and a.get("rel") in ("stylesheet", "preload", "modulepreload", "icon") and a.get("href"):
            self.fetched.append(str(a["href"]))
        elif tag in ("script", "img") and a.get("src") and "plotly" not in str(a.get("src")):
            self.fetched.append(str(a["src"]))


def first_view(dist: Path, page: str = "index.html") -> dict[str, Any]:
    """Bytes (raw, gzip) and requests of a page's first view: its HTML and what the HTML itself fetches."""
    html = (dist / page).read_bytes()
    parser = FirstView()
    parser.feed(html.decode("utf-8"))
    files = [(page, html)]
    base = (dist / page).parent
    for url in parser.fetched:
        path = (dist / url.lstrip("/")) if url.startswith("/") else (base / url)
        files.append((url, path.resolve().read_bytes()))
    return {
        "requests": len(files),
        "raw": sum(len(data) for _, data in files),
        "gzip": sum(gz(data) for _, data in files),
        "files": [{"url": url, "raw": len(data), "gzip": gz(data)} for url, data in files],
    }


def plotly_js(dist: Path) -> dict[str, Any]:
    """The weight of plotly.js as the site ships it (or as the plotly package has it, if no chart needs it)."""
    shipped = sorted((dist / "assets").glob("plotly*.js"))
    if shipped:
        data, where = shipped[0].read_bytes(), shipped[0].relative_to(dist).as_posix()
    else:
        from plotly.offline import get_plotlyjs

        data, where = get_plotlyjs().encode("utf-8"), "plotly package (not shipped: no chart on main yet)"
    return {"where": where, "raw": len(data), "gzip": gz(data)}


# --- timing builds ---------------------------------------------------------------------------


def build_once(project: Path, out: Path, env: dict[str, str] | None = None) -> float:
    """Seconds of one `torchsite build` in a fresh Python process: the build's own timing, without Python's start."""
    done = subprocess.run(
        [sys.executable, "-m", "torchsite", "build", "--project", str(project), "--out", str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO / "src"), "TORCHSITE_CACHE": str(cache_of(project)), **(env or {})},
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"bench: the build of {project} failed:\n{done.stderr}")
    seconds = re.search(r" in ([\d.]+) s$", done.stdout.splitlines()[0])
    assert seconds, done.stdout
    return float(seconds[1])


def python_start() -> float:
    """Wall time of a Python process that only imports torchsite's command line (the floor under any build)."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "import torchsite.cli, torchsite.pipeline"],
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
        check=True,
    )
    return time.perf_counter() - started


def cache_of(project: Path) -> Path:
    """The SVG cache the benchmark's builds of a project use (TORCHSITE_CACHE points there)."""
    return project / ".torchsite-cache" / "svg"


def cache_dirs(project: Path) -> list[Path]:
    """The caches a build of this project has left (deleted for a cold build)."""
    return [p for p in (cache_of(project),) if p.exists()]


def median_build(project: Path, out: Path, runs: int, cold: bool) -> list[float]:
    """Build `runs` times; a cold run first deletes every cache, a warm one keeps what the last run left."""
    times = []
    if not cold and not cache_dirs(project):
        build_once(project, out)  # fill the cache
    for _ in range(runs):
        if cold:
            for folder in cache_dirs(project):
                shutil.rmtree(folder)
        times.append(build_once(project, out))
    return times


def copy_project(dest: Path) -> Path:
    """A scratch copy of the repository's content (the templates are the package's)."""
    shutil.copytree(REPO / "content", dest / "content")
    return dest


# --- synthetic fact sheets -------------------------------------------------------------------


def rename(ident: str, ids: set[str], k: int) -> str:
    """The id of a fact's k-th synthetic copy (anything else in a formula is kept)."""
    return f"{ident}_x{k}" if ident in ids else ident


def scale_sheet(project: Path, factor: int) -> int:
    """Multiply the facts and derived figures of a scratch copy by `factor` (fabricated ids, never published)."""
    path = project / "content" / "facts.yaml"
    sheet = yaml.safe_load(path.read_text(encoding="utf-8"))
    facts, derived = list(sheet["facts"]), list(sheet.get("derived", []))
    ids = {f["id"] for f in facts} | {d["id"] for d in derived}
    for k in range(1, factor):
        facts += [{**f, "id": f"{f['id']}_x{k}"} for f in sheet["facts"]]
        derived += [
            {**d, "id": f"{d['id']}_x{k}", "formula": IDENT.sub(lambda m, k=k: rename(m[0], ids, k), d["formula"])}
            for d in sheet.get("derived", [])
        ]
    sheet["facts"], sheet["derived"] = facts, derived
    path.write_text(yaml.safe_dump(sheet, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return len(facts) + len(derived)


# --- serving and Lighthouse ------------------------------------------------------------------


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """A static server that gzips text files, as any real host would."""

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet."""

    def send_head(self) -> Any:
        """Serve text files gzipped when the client accepts it; everything else as the base class does."""
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the base class redirects to the slash form
            path = path / "index.html"
        if not path.is_file() or path.suffix not in GZIP_TYPES or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=31536000" if "/assets/" in self.path else "no-cache")
        self.end_headers()
        return io.BytesIO(body)


@contextlib.contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 (a free port) for as long as the block runs."""
    handler = functools.partial(GzipHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def find_lighthouse(given: str | None, default: str | None = None) -> str | None:
    """The Lighthouse command: --lighthouse, $LIGHTHOUSE, a default install, or `lighthouse` on PATH."""
    for candidate in (given, os.environ.get("LIGHTHOUSE"), default, shutil.which("lighthouse")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def lighthouse_report(command: str, url: str, scratch: Path, preset: str = "mobile") -> dict[str, Any]:
    """One Lighthouse run's JSON report (mobile, or `desktop`), or {"error": the last line it printed}."""
    report = scratch / "lighthouse.json"
    report.unlink(missing_ok=True)
    args = [command, url, "--quiet", "--output=json", f"--output-path={report}"]
    args += [f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"]
    if preset == "desktop":
        args.append("--preset=desktop")
    done = subprocess.run(
        args,
        capture_output=True,
        text=True,
        env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
        timeout=300,
        check=False,
    )
    if done.returncode != 0 or not report.exists():
        return {"error": (done.stderr.strip().splitlines() or ["no output"])[-1]}
    data: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    return data


def lighthouse(command: str, url: str, scratch: Path) -> dict[str, Any]:
    """Lighthouse's mobile scores (0-100) and a few metrics for one URL."""
    data = lighthouse_report(command, url, scratch)
    if "error" in data:
        return data
    scores = {c: round(100 * (data["categories"][c]["score"] or 0)) for c in CATEGORIES}
    audits = data["audits"]
    for key in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift"):
        scores[key] = audits[key]["displayValue"]
    scores["transferred"] = audits["total-byte-weight"]["displayValue"]
    return scores


# --- the naive page ----------------------------------------------------------------------------


CHART_BLOCK = re.compile(r'<figure class="chart[ "].*?</figure>', re.S)
CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n?')


def naive_page(project: Path, dist: Path, out: Path) -> dict[str, Any] | None:
    """The story with each chart as `fig.to_html(include_plotlyjs=True)`, the way a notebook exports it.

    The page keeps our text and stylesheet; each chart block becomes Plotly's own HTML. plotly.js is
    inlined once (the most charitable naive page); `every_figure` gives the size when each figure
    carries its own copy, as a literal concatenation of `to_html(include_plotlyjs=True)` does.
    None when this checkout has no charts.
    """
    from torchsite import pipeline
    from torchsite.inputs.config import Project

    if not hasattr(pipeline, "make_charts"):
        return None
    import plotly.graph_objects as go

    built = [c for c in pipeline.make_charts(pipeline.gather(Project(project))).charts if c.figure is not None]
    if not built:
        return None
    story = (dist / "index.html").read_text(encoding="utf-8")
    blocks = [
        go.Figure(chart.figure).to_html(full_html=False, include_plotlyjs=i == 0, div_id=f"naive-{chart.id}")
        for i, chart in enumerate(built)
    ]
    found = iter(blocks)
    html = CSP_META.sub("", CHART_BLOCK.sub(lambda m: next(found, ""), story))
    html = html.replace("</main>", "".join(found) + "</main>")  # charts the story does not place
    out.mkdir(parents=True, exist_ok=True)
    shutil.copytree(dist / "assets", out / "assets")
    (out / "index.html").write_text(html, encoding="utf-8")
    view = first_view(out)  # the HTML (with plotly.js inside) and what it fetches itself
    extra = plotly_js(dist)
    copies = len(blocks) - 1
    return {
        "charts": len(blocks),
        "raw": view["raw"],
        "gzip": view["gzip"],
        "requests": view["requests"],
        "every_figure_raw": view["raw"] + extra["raw"] * copies,
        "every_figure_gzip": view["gzip"] + extra["gzip"] * copies,
    }


# --- the report ------------------------------------------------------------------------------


# --- reading the story on a throttled phone ------------------------------------------------------

PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
# Slow-4G-like: 400 ms latency, about 400 kbit/s down and up (bytes per second for the protocol).
SLOW_4G = {"offline": False, "latency": 400, "downloadThroughput": 50_000, "uploadThroughput": 50_000}
# Every main-thread task over 50 ms from the start of the page (buffered): [start, duration] in ms; and the
# layout shift of the whole visit, scrolling included (figures laid out only as they near the screen must not
# move what the reader sees).
LONG_TASKS = """window.__longTasks = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.__longTasks.push([e.startTime, e.duration]);
}).observe({type: 'longtask', buffered: true});
window.__shift = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value;
}).observe({type: 'layout-shift', buffered: true});"""
# A reader looks at the first screen (headline, key figures) for a moment before scrolling to the first chart.
GLANCE_MS = 1000
# Scroll one chart into view and wait until its drawing shows and focusing a mark opens the reader's card:
# the milliseconds that took, or null when the chart has no mark within the limit. The scroll, the focus (a
# reader's tap or Tab) and the blur each run in a task of their own, as a reader's would, so a trace charges the
# opening of the card to its own task and not to the benchmark's scroll.
CHART_READY = """async ([id, limit]) => {
  const task = () => new Promise((done) => setTimeout(done, 0));
  const frame = document.querySelector(`.chart-frame[data-chart="${id}"]`);
  const start = performance.now();
  frame.scrollIntoView({block: 'center'});
  await new Promise((done) => requestAnimationFrame(done));
  while (performance.now() - start < limit) {
    await task();
    const drawing = Array.from(frame.querySelectorAll('svg.chart-drawing')).find((s) => s.checkVisibility());
    const mark = drawing && Array.from(drawing.querySelectorAll('.mark')).find((m) => m.checkVisibility());
    if (mark) {
      mark.focus();
      const card = document.getElementById('reader-card');
      const open = card && card.checkVisibility();
      const took = performance.now() - start;
      await task();
      mark.blur();
      if (open) return took;
    }
    await new Promise((done) => requestAnimationFrame(done));
  }
  return null;
}"""


def read_story(url: str, throttled: bool, limit_ms: int = 20_000) -> dict[str, Any]:
    """Read the story as a phone does, scrolling to each chart: the script it downloads, each chart's time to
    interactive after scrolling to it, and the longest main-thread task (throttled: 4x CPU, slow 4G)."""
    from playwright.sync_api import sync_playwright

    scripts: dict[str, int] = {}
    with sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=os.environ.get("CHROME_PATH", "/usr/bin/chromium"), args=CHROME_FLAGS.split()[1:]
        )
        context = browser.new_context(**PHONE)  # type: ignore[arg-type]
        context.add_init_script(LONG_TASKS)
        page = context.new_page()
        page.on(
            "response",
            lambda r: r.request.resource_type == "script" and scripts.setdefault(r.url, len(r.body())),
        )
        if throttled:
            cdp = context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", SLOW_4G)
        page.goto(url, wait_until="load", timeout=300_000)
        page.wait_for_timeout(GLANCE_MS)
        charts = page.evaluate(
            "() => Array.from(document.querySelectorAll('.chart-frame[data-chart]'), (f) => f.dataset.chart)"
        )
        ready = {chart: page.evaluate(CHART_READY, [chart, limit_ms]) for chart in charts}
        page.evaluate(
            "async () => { for (let y = 0; y < document.body.scrollHeight; y += innerHeight / 2) {"
            " scrollTo(0, y); await new Promise((d) => setTimeout(d, 50)); } }"
        )
        page.wait_for_load_state("networkidle", timeout=300_000)
        loaded = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
        tasks = page.evaluate("window.__longTasks")
        shift = page.evaluate("window.__shift")
        browser.close()
    return {
        "throttled": throttled,
        "scripts": [{"url": u.rsplit("/", 1)[-1], "raw": n} for u, n in sorted(scripts.items())],
        "script_raw": sum(scripts.values()),
        "charts": ready,
        "longest_task_loading_ms": max((d for t, d in tasks if t < loaded), default=0.0),
        "longest_task_reading_ms": max((d for t, d in tasks if t >= loaded), default=0.0),
        "layout_shift": round(shift, 4),
    }


def reading(out_url: str, quick: bool) -> dict[str, Any] | None:
    """The phone measures, unthrottled in quick mode; None (with the reason printed) without Playwright or Chromium."""
    try:
        return read_story(out_url, throttled=not quick)
    except Exception as exc:
        print(f"reading the story on a phone: not measured ({type(exc).__name__}: {exc})", file=sys.stderr)
        return None


def kb(count: float) -> str:
    """Bytes as kilobytes (1 KB = 1,000 bytes) with one decimal."""
    return f"{count / 1000:,.1f} KB"


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Measure everything once and return the results."""
    runs = 1 if args.quick else args.runs
    result: dict[str, Any] = {"quick": args.quick, "runs": runs}
    with tempfile.TemporaryDirectory(prefix="torchsite-bench-") as scratch_name:
        scratch = Path(scratch_name)
        project = copy_project(scratch / "real")
        out = scratch / "real-dist"
        cold = median_build(project, out, runs, cold=True)  # the cold runs also leave the site and its cache
        warm = median_build(project, out, runs, cold=False)
        result["first_view"] = first_view(out)
        result["plotly_js"] = plotly_js(out)
        result["python_start"] = statistics.median(python_start() for _ in range(runs))
        result["build"] = {"cold": statistics.median(cold), "warm": statistics.median(warm), "caches": []}
        result["build"]["caches"] = [p.name for p in cache_dirs(project)]
        naive = result["naive"] = naive_page(project, out, scratch / "naive")
        figures = len(json.loads((out / "data" / "facts.json").read_text())["facts"])
        figures += len(json.loads((out / "data" / "facts.json").read_text())["derived"])
        one = {"factor": 1, "figures": figures, "seconds": result["build"]["warm"]}
        result["scaling"] = [one, *scaling(scratch, cache_of(project), [10] if args.quick else [10, 100], runs)]
        with serve(scratch) as url:
            result["reading"] = reading(url + "real-dist/", args.quick)
        command = None if args.quick else find_lighthouse(args.lighthouse)
        if command:
            with serve(scratch) as url:
                result["lighthouse"] = {"ours": lighthouse(command, url + "real-dist/", scratch)}
                if naive is not None:
                    result["lighthouse"]["naive"] = lighthouse(command, url + "naive/", scratch)
        else:
            result["lighthouse"] = None
    return result


def scaling(scratch: Path, drawn: Path, factors: list[int], runs: int) -> list[dict[str, Any]]:
    """Build time (warm, median; at most 3 runs at 100x) of the real sheet multiplied by each factor.

    The charts are the real project's, so each scaled copy starts with its drawings (`drawn`): a warm build.
    """
    rows = []
    for factor in factors:
        project = copy_project(scratch / f"x{factor}")
        figures = scale_sheet(project, factor)
        out = scratch / f"x{factor}-dist"
        shutil.copytree(drawn, cache_of(project))
        seconds = statistics.median(build_once(project, out) for _ in range(max(1, runs if factor < 100 else 3)))
        rows.append({"factor": factor, "figures": figures, "seconds": seconds})
    return rows


def report(result: dict[str, Any]) -> str:
    """The results as the text the README quotes."""
    fv, pj, b = result["first_view"], result["plotly_js"], result["build"]
    lines = [
        f"torchsite benchmark ({'quick' if result['quick'] else 'full'}: median of {result['runs']} run(s))",
        "",
        f"story first view      {kb(fv['raw'])} raw, {kb(fv['gzip'])} gzip, {fv['requests']} requests"
        " (budget: under 50 KB gzip)",
    ]
    lines += [f"  {f['url']:<40} {kb(f['raw']):>10} raw {kb(f['gzip']):>10} gzip" for f in fv["files"]]
    lines += [
        f"plotly.js             {kb(pj['raw'])} raw, {kb(pj['gzip'])} gzip ({pj['where']})",
        "",
        f"python start + import {result['python_start']:.2f} s (paid once per `torchsite build`, not counted below)",
        f"full build, cold      {b['cold']:.2f} s (every SVG cache deleted first)",
        f"full build, warm      {b['warm']:.2f} s (caches kept: {', '.join(b['caches']) or 'none'})",
    ]
    lines += reading_report(result.get("reading"))
    naive = result.get("naive")
    if naive:
        lines += [
            "",
            f"naive page            {kb(naive['raw'])} raw, {kb(naive['gzip'])} gzip, {naive['requests']} requests"
            f" ({naive['charts']} charts, plotly.js inlined once)",
            f"ratio naive / ours    {naive['gzip'] / fv['gzip']:.0f}x the gzip bytes of our first view",
            f"  with plotly.js in every figure, as each to_html(include_plotlyjs=True) carries it: "
            f"{kb(naive['every_figure_gzip'])} gzip, {naive['every_figure_gzip'] / fv['gzip']:.0f}x",
        ]
    else:
        lines += ["", "naive page            not built: no charts on this branch yet"]
    lines += ["", "build time against fact-sheet size (warm, median):"]
    base = result["scaling"][0]["seconds"]
    for row in result["scaling"]:
        growth = row["seconds"] / base
        lines.append(
            f"  {row['factor']:>4}x {row['figures']:>6} figures {row['seconds']:7.2f} s  ({growth:.2f}x the 1x time)"
        )
    lh = result.get("lighthouse")
    lines.append("")
    if not lh:
        lines.append("lighthouse            skipped (quick mode or not installed; see the docstring)")
    else:
        for name, scores in lh.items():
            if "error" in scores:
                lines.append(f"lighthouse {name:<6}     failed: {scores['error']}")
                continue
            cats = ", ".join(f"{c} {scores[c]}" for c in CATEGORIES)
            lines.append(f"lighthouse {name:<6}     {cats}")
            lines.append(
                f"{'':22}FCP {scores['first-contentful-paint']}, LCP {scores['largest-contentful-paint']}, "
                f"TBT {scores['total-blocking-time']}, CLS {scores['cumulative-layout-shift']}, {scores['transferred']}"
            )
    return "\n".join(lines)


def reading_report(read: dict[str, Any] | None) -> list[str]:
    """The phone measures as report lines."""
    if read is None:
        return ["", "reading on a phone    not measured (no Playwright or Chromium)"]
    how = "4x CPU, slow 4G" if read["throttled"] else "unthrottled (quick mode)"
    lines = [
        "",
        f"reading on a phone    {how}",
        f"  script downloaded   {kb(read['script_raw'])} raw while reading the whole story (budget: 60 KB)",
        *(f"    {s['url']:<38} {kb(s['raw']):>10} raw" for s in read["scripts"]),
    ]
    for chart, ms in read["charts"].items():
        shown = f"{ms:,.0f} ms" if ms is not None else "never (no drawn mark opened a card)"
        lines.append(f"  {chart:<19} visible and interactive {shown} after scrolling to it (budget: 1 s)")
    lines.append(
        f"  longest main-thread task {read['longest_task_loading_ms']:,.0f} ms while the page loads, "
        f"{read['longest_task_reading_ms']:,.0f} ms while reading (budget: 50 ms; 0: none over 50 ms)"
    )
    lines.append(f"  layout shift        {read['layout_shift']} over the whole visit, scrolling included (good: < 0.1)")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Parse options, measure, print the report (and write JSON when asked)."""
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="one run of each, no Lighthouse, no 100x sheet")
    p.add_argument("--runs", type=int, default=5, help="builds per median (default 5)")
    p.add_argument("--lighthouse", default=None, help="path to the lighthouse command (or set LIGHTHOUSE)")
    p.add_argument("--json", type=Path, default=None, help="also write the results as JSON here")
    args = p.parse_args(argv)
    result = run(args)
    print(report(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
