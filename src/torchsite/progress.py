"""What a build tells its user: the summary, per-stage timings, and progress on long steps."""

from __future__ import annotations

from .errors import display_path
from .pipeline import Report


def summary(report: Report) -> str:
    """One line after a build: what was built, from what, and how fast."""
    return (
        f"Built {report.pages} pages ({report.files} files, {report.bytes / 1024:.0f} KB) from "
        f"{report.facts} facts and {report.derived} derived figures in {report.seconds:.2f} s"
    )


def location(report: Report) -> str:
    """Where the built site is and how to look at it."""
    out = display_path(report.out)
    return f"The site is in {out}/ -- open {display_path(report.out / 'index.html')}, or preview it: torchsite serve"


def stages(report: Report) -> str:
    """The time each stage of the build took (for -v)."""
    return "\n".join(f"  {name}: {seconds * 1000:.0f} ms" for name, seconds in report.stages.items())
