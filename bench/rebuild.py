"""The preview server's loop, measured: how long a rebuild takes after a one-fact edit.

    python bench/rebuild.py [--runs N]

Copies the project into a temporary folder, builds once (as `torchsite serve` does on start),
then edits one fact's value N times, each followed by the same rebuild the server runs
(`torchsite.serve.rebuild`: a full, atomic `pipeline.build` into dist/), in this one process
(as the server keeps Jinja's compiled templates, any chart cache and one chart exporter between
rebuilds; one exporter serves both edits). The SVG cache is $TORCHSITE_CACHE when set, else an empty one. It
reports wall-clock and CPU time (median, min, max); on a busy machine the CPU time is the
steadier figure. The time for the page to reload in a browser (one long-poll answer) comes on
top, a few milliseconds on loopback. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from torchsite import serve  # noqa: E402
from torchsite.charts import export  # noqa: E402
from torchsite.inputs.config import Project  # noqa: E402

# (what the edit touches, the line edited, two values to alternate between)
EDITS = [
    ("a fact in the story, in no drawn chart (lenz_credit)", "value: 10000000\n", ("12000000", "10000000")),
    ("a fact drawn in a chart (fund_total), SVG already cached", "value: 9020000000", ("9520000000", "9020000000")),
]


def measure(
    session: export.Exporter, runs: int, edit: str = EDITS[0][1], values: tuple[str, str] = EDITS[0][2]
) -> dict[str, list[float]]:
    """Build once, then time `runs` rebuilds through the kept exporter, each after editing one fact (the values
    alternate)."""
    with tempfile.TemporaryDirectory(prefix="torchsite-rebuild-") as scratch:
        root = Path(scratch)
        shutil.copytree(ROOT / "content", root / "content")
        project, out = Project(root), root / "dist"
        first = serve.rebuild(project, out, session=session)
        assert first.ok, first.problems
        facts = project.facts
        text = facts.read_text(encoding="utf-8")
        edited = text.replace(edit, edit.replace(values[1], values[0]))
        facts.write_text(edited, encoding="utf-8")  # what a cached chart costs: its new drawings exported now
        serve.rebuild(project, out, session=session)
        wall, cpu = [], []
        for i in range(runs):
            facts.write_text(edited if i % 2 else text, encoding="utf-8")  # the edit undone, then redone
            started = time.process_time()
            outcome = serve.rebuild(project, out, session=session)
            cpu.append(time.process_time() - started)
            wall.append(outcome.seconds)
            assert outcome.ok, outcome.problems
        return {"first build": [first.seconds], "wall": wall, "cpu": cpu}


def main() -> int:
    """Run and print the report."""
    parser = argparse.ArgumentParser(description="Time the preview server's rebuild after a one-fact edit.")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="torchsite-rebuild-cache-") as scratch:
        cache = Path(os.environ.get(export.CACHE_ENV) or scratch)  # $TORCHSITE_CACHE, else an empty cache
        with export.Exporter(cache, "content/charts.yaml", export.PREVIEW_TABS) as session:  # kept, as the server's
            for what, edit, values in EDITS:
                report(what, measure(session, args.runs, edit, values))
    return 0


def report(what: str, result: dict[str, list[float]]) -> None:
    """Print one edit's times."""
    print(f"{what}:")
    print(f"  first build (in process): {result['first build'][0] * 1000:.0f} ms")
    for name in ("wall", "cpu"):
        times = result[name]
        print(
            f"  rebuild after a one-fact edit, {name:>4}: median {statistics.median(times) * 1000:.0f} ms, "
            f"min {min(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms ({len(times)} runs)"
        )


if __name__ == "__main__":
    sys.exit(main())
