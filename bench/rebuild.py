"""The preview server's loop, measured: how long a rebuild takes after a one-fact edit.

    python bench/rebuild.py [--runs N]

Copies the project into a temporary folder, builds once (as `torchsite serve` does on start),
then edits one fact's value N times, each followed by the same rebuild the server runs
(`torchsite.serve.rebuild`: a full, atomic `pipeline.build` into dist/), in this one process
(as the server keeps Jinja's compiled templates and any chart cache between rebuilds). It
reports wall-clock and CPU time (median, min, max); on a busy machine the CPU time is the
steadier figure. The time for the page to reload in a browser (one long-poll answer) comes on
top, a few milliseconds on loopback. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from torchsite import serve  # noqa: E402
from torchsite.project import Project  # noqa: E402

FACT, VALUES = "value: 9020000000", ("9520000000", "9020000000")


def measure(runs: int) -> dict[str, list[float]]:
    """Build once, then time `runs` rebuilds, each after editing one fact."""
    with tempfile.TemporaryDirectory(prefix="torchsite-rebuild-") as scratch:
        root = Path(scratch)
        for folder in ("content", "templates"):
            shutil.copytree(ROOT / folder, root / folder)
        project, out = Project(root), root / "dist"
        first = serve.rebuild(project, out)
        assert first.ok, first.problems
        facts = project.facts
        text = facts.read_text(encoding="utf-8")
        wall, cpu = [], []
        for i in range(runs):
            facts.write_text(text.replace(FACT, f"value: {VALUES[i % 2]}"), encoding="utf-8")
            started = time.process_time()
            outcome = serve.rebuild(project, out)
            cpu.append(time.process_time() - started)
            wall.append(outcome.seconds)
            assert outcome.ok, outcome.problems
        return {"first build": [first.seconds], "wall": wall, "cpu": cpu}


def main() -> int:
    """Run and print the report."""
    parser = argparse.ArgumentParser(description="Time the preview server's rebuild after a one-fact edit.")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    result = measure(args.runs)
    print(f"first build (cold, in process): {result['first build'][0] * 1000:.0f} ms")
    for name in ("wall", "cpu"):
        values = result[name]
        print(
            f"rebuild after a one-fact edit, {name:>4}: median {statistics.median(values) * 1000:.0f} ms, "
            f"min {min(values) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms ({len(values)} runs)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
