"""The benchmark keeps running: its quick mode on the real project, with its numbers checked for sense, not speed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.project import REPO


@pytest.mark.slow
def test_benchmark_quick_mode_reports_every_measure(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "--quick", "--json", str(tmp_path / "bench.json")],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads((tmp_path / "bench.json").read_text())
    first = result["first_view"]
    # The story's first view is its HTML plus what the HTML itself fetches before any chart script runs.
    assert first["files"][0]["url"] == "index.html" and first["requests"] == len(first["files"])
    assert first["raw"] == sum(f["raw"] for f in first["files"]) and 0 < first["gzip"] < first["raw"]
    assert not any("plotly" in f["url"] for f in first["files"])
    assert result["plotly_js"]["gzip"] > 100_000  # plotly.js, measured whether or not a page ships it
    assert [row["factor"] for row in result["scaling"]] == [1, 10]
    assert result["scaling"][1]["figures"] == 10 * result["scaling"][0]["figures"]
    assert result["lighthouse"] is None  # quick mode never starts Lighthouse
    for line in ("story first view", "plotly.js", "full build, cold", "full build, warm", "10x"):
        assert line in done.stdout
