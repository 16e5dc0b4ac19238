"""The preview's chart-edit loop, measured: from saving an edit that changes a chart to the new page being served.

    python bench/chart_edit.py [--runs N] [--no-compare]

Copies the project into a temporary folder with an empty chart-image cache, starts the preview
(`serve.Preview`: watcher, HTTP server, and the one chart exporter it keeps open across rebuilds:
one Chromium whose two kaleido tabs export a chart's narrow and wide SVG side by side),
then N times writes a new value of `fund_total` (a fact the fund chart draws, so both of its SVGs
must be exported afresh: no cache hit) and polls the served story over HTTP until it shows the
new figure. That is what an open page waits for; its reload then adds one long-poll answer and a
page load on loopback. For comparison it also times the same edits rebuilt the old way, each build
starting its own browser (`serve.rebuild` without an exporter); --no-compare skips that. On a shared
machine run it several times and compare medians; for where the time goes, time the build's stages
(`torchsite serve -v` prints them after each rebuild). Reported, never asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from torchsite import serve  # noqa: E402
from torchsite.inputs.config import Project  # noqa: E402

EDIT = "value: 9020000000"


def copy(root: Path) -> Project:
    """The real content in root (the templates are the package's)."""
    shutil.copytree(ROOT / "content", root / "content")
    return Project(root)


def save(path: Path, text: str) -> None:
    """Save as editors do: write a temporary file beside it, then rename it over (the watcher never sees half)."""
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


def served(url: str) -> str:
    """The served page's text."""
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def edit_to_page(runs: int) -> list[float]:
    """Seconds from each save to the served story showing the new value, through the running preview."""
    with tempfile.TemporaryDirectory(prefix="torchsite-chart-edit-") as scratch:
        os.environ["TORCHSITE_CACHE"] = str(Path(scratch) / "cache")
        project = copy(Path(scratch))
        preview = serve.Preview(project, Path(scratch) / "dist", "127.0.0.1", 0, quiet=True)
        preview.start()
        preview.watch_in_thread()
        text = project.facts.read_text(encoding="utf-8")
        times = []
        try:
            for i in range(runs):
                generation = preview.generation
                value = round((9.1 + i / 10) * 1e9)  # a new value every run: the chart's SVGs are exported afresh
                save(project.facts, text.replace(EDIT, f"value: {value}"))
                started = time.perf_counter()
                while preview.generation == generation:  # what the page's long poll waits for
                    time.sleep(0.005)
                assert preview.outcome is not None and preview.outcome.ok, preview.outcome
                served(preview.url)  # the reload
                times.append(time.perf_counter() - started)
        finally:
            preview.stop()
        return times


def without_exporter(runs: int) -> list[float]:
    """Seconds per rebuild when each build starts its own browser (the preview before the kept exporter)."""
    with tempfile.TemporaryDirectory(prefix="torchsite-chart-edit-") as scratch:
        os.environ["TORCHSITE_CACHE"] = str(Path(scratch) / "cache")
        project = copy(Path(scratch))
        out = Path(scratch) / "dist"
        serve.rebuild(project, out)
        text = project.facts.read_text(encoding="utf-8")
        times = []
        for i in range(runs):
            save(project.facts, text.replace(EDIT, f"value: {round((9.1 + i / 10) * 1e9)}"))
            times.append(serve.rebuild(project, out).seconds)
        return times


def report(what: str, times: list[float]) -> str:
    """One line: median, min and max in milliseconds."""
    return (
        f"{what}: median {statistics.median(times) * 1000:.0f} ms, min {min(times) * 1000:.0f} ms, "
        f"max {max(times) * 1000:.0f} ms ({len(times)} runs)"
    )


def main() -> int:
    """Run and print the report."""
    parser = argparse.ArgumentParser(description="Time the preview from a chart-changing edit to the served page.")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-compare", action="store_true", help="skip the rebuilds with a browser per build")
    args = parser.parse_args()
    print(report("edit that changes a chart -> new page served (kept exporter)", edit_to_page(args.runs)))
    if not args.no_compare:
        print(report("the same rebuild, a browser started per build (before)", without_exporter(args.runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
