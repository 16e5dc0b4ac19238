"""Lighthouse scores of the built site: the story, a chart page, the fact sheet and the data page, mobile and desktop.

    python bench/lighthouse.py                 # build the project into a scratch folder, serve it, score it
    python bench/lighthouse.py --dist dist     # score an existing build instead
    python bench/lighthouse.py --runs 3        # median of three runs per page and preset

Lighthouse is not part of the project or its tests. Install it outside the repository
(`mkdir -p /work/tools/lh && cd /work/tools/lh && npm install lighthouse`); this script finds it through
$LIGHTHOUSE, /work/tools/lh/node_modules/.bin/lighthouse or PATH, and skips with a message otherwise. It runs
headless Chromium ($CHROME_PATH, default /usr/bin/chromium) against a local gzip server on 127.0.0.1 (the
benchmark's: no HTTP/2, so the audit `uses-http2`, when Lighthouse reports it, is the server's, not the page's).
Every audit that keeps a category under 100 is listed with its score, so a page's own faults can be told apart
from the local server's. Nothing is asserted: the numbers are reported.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import CATEGORIES, build_once, copy_project, find_lighthouse, lighthouse_report, serve

DEFAULT = Path("/work/tools/lh/node_modules/.bin/lighthouse")
PRESETS = ("mobile", "desktop")
# Audits about how the page is served, not what it is: a local http.server cannot pass them.
SERVER_AUDITS = {"uses-http2", "uses-long-cache-ttl", "uses-text-compression", "redirects-http", "is-on-https"}


def pages(dist: Path) -> dict[str, str]:
    """The pages scored, by name: the story, the first chart page, the fact sheet and the data page."""
    found = {"story": ""}
    charts = sorted(p.parent.name for p in (dist / "charts").glob("*/index.html"))
    if charts:
        found[f"chart {charts[0]}"] = f"charts/{charts[0]}/"
    for name, folder in (("facts", "facts"), ("data", "data")):
        if (dist / folder / "index.html").exists():
            found[name] = f"{folder}/"
    return found


def lighthouse(command: str, url: str, preset: str, scratch: Path) -> dict[str, Any]:
    """One Lighthouse run: the four category scores (0-100), the key metrics and every failing audit."""
    data = lighthouse_report(command, url, scratch, preset)
    if "error" in data:
        return data
    scores: dict[str, Any] = {c: round(100 * (data["categories"][c]["score"] or 0)) for c in CATEGORIES}
    audits = data["audits"]
    metrics = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift")
    scores["metrics"] = {key: audits[key].get("displayValue", "") for key in metrics}
    scores["failing"] = failing(data)
    # Lighthouse's own measure of the machine's speed at the time (a few hundred on a loaded shared machine,
    # 1,000-2,000 on a typical desktop): its simulated throttling scales tasks observed here, so a low index
    # means a slower, noisier score, not a heavier page.
    scores["benchmark_index"] = round(data.get("environment", {}).get("benchmarkIndex", 0))
    return scores


def failing(data: dict[str, Any]) -> list[str]:
    """Audits under a full score that count towards a category, as 'category: audit (score) value'."""
    out = []
    for cat in CATEGORIES:
        for ref in data["categories"][cat]["auditRefs"]:
            audit = data["audits"][ref["id"]]
            score = audit.get("score")
            if ref.get("weight", 0) > 0 and score is not None and score < 1:
                where = "server" if ref["id"] in SERVER_AUDITS else "page"
                shown = audit.get("displayValue", "")
                out.append(f"{cat}: {ref['id']} ({score:.2f}) {shown} [{where}]".rstrip())
    return out


def score_site(command: str, dist: Path, runs: int) -> dict[str, dict[str, Any]]:
    """Every page under every preset: the median of `runs` runs per category, the last run's metrics and failures."""
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="torchsite-lh-") as scratch_name, serve(dist) as url:
        scratch = Path(scratch_name)
        for name, path in pages(dist).items():
            for preset in PRESETS:
                print(f"lighthouse: {name} / {preset} ({runs} run(s))...", file=sys.stderr, flush=True)
                done = [lighthouse(command, url + path, preset, scratch) for _ in range(runs)]
                good = [r for r in done if "error" not in r]
                if not good:
                    results[f"{name} / {preset}"] = done[-1]
                    continue
                merged: dict[str, Any] = {c: statistics.median(r[c] for r in good) for c in CATEGORIES}
                merged["spread"] = {c: [r[c] for r in good] for c in CATEGORIES}
                merged.update(metrics=good[-1]["metrics"], failing=good[-1]["failing"])
                merged["benchmark_index"] = [r["benchmark_index"] for r in good]
                results[f"{name} / {preset}"] = merged
    return results


def report(results: dict[str, dict[str, Any]]) -> str:
    """The scores as text: one line per page and preset, then its metrics and failing audits."""
    lines = [f"{'page / preset':<28} " + " ".join(f"{c:>14}" for c in CATEGORIES)]
    for key, r in results.items():
        if "error" in r:
            lines.append(f"{key:<28} failed: {r['error']}")
            continue
        lines.append(f"{key:<28} " + " ".join(f"{r[c]:>14g}" for c in CATEGORIES))
        if any(len(set(v)) > 1 for v in r["spread"].values()):
            lines.append(f"{'':28} runs: {r['spread']}")
        lines.append(f"{'':28} " + ", ".join(f"{k} {v}" for k, v in r["metrics"].items()))
        lines.append(f"{'':28} machine benchmark index {r['benchmark_index']}")
        lines += [f"{'':30}{f}" for f in r["failing"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Find Lighthouse (or skip), build or take a site, score it, print the report."""
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--lighthouse", default=None, help="path to the lighthouse command (or set LIGHTHOUSE)")
    p.add_argument("--dist", type=Path, default=None, help="score this built site instead of a fresh build")
    p.add_argument("--runs", type=int, default=1, help="runs per page and preset (median reported)")
    p.add_argument("--json", type=Path, default=None, help="also write the results as JSON here")
    args = p.parse_args(argv)
    command = find_lighthouse(args.lighthouse, str(DEFAULT))
    if command is None:
        print("lighthouse: skipped, not found (set LIGHTHOUSE, or npm install lighthouse in /work/tools/lh)")
        return 0
    with tempfile.TemporaryDirectory(prefix="torchsite-lh-build-") as scratch_name:
        dist = args.dist
        if dist is None:
            project = copy_project(Path(scratch_name) / "real")
            dist = Path(scratch_name) / "dist"
            build_once(project, dist)
        results = score_site(command, dist.resolve(), max(1, args.runs))
    print(report(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
