"""What a build tells its user: the summary, per-stage timings, and progress on long steps."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO, TypeVar

from torchsite.errors import Problem, display_path

T = TypeVar("T")


@dataclass(frozen=True)
class Report:
    """What a build wrote, for the summary line."""

    out: Path
    pages: int
    files: int
    bytes: int
    facts: int
    derived: int
    seconds: float
    warnings: tuple[Problem, ...] = ()
    stages: dict[str, float] = field(default_factory=dict)  # seconds per stage, in order
    charts: int = 0


def summary(report: Report) -> str:
    """One line after a build: what was built, from what, and how fast."""
    return (
        f"Built {report.pages} pages ({report.files} files, {report.bytes / 1024:.0f} KB) from "
        f"{report.facts} facts, {report.derived} derived figures and {report.charts} charts in {report.seconds:.2f} s"
    )


def location(report: Report) -> str:
    """Where the built site is and how to look at it: over HTTP (a page opened from disk cannot fetch its cards and
    wide drawings)."""
    out = display_path(report.out)
    return f"The site is in {out}/ -- preview it: torchsite serve (or python -m http.server -d {out})"


def stages(report: Report) -> str:
    """The time each stage of the build took (for -v)."""
    return "\n".join(f"  {name}: {seconds * 1000:.0f} ms" for name, seconds in report.stages.items())


_PROGRESS: ContextVar[bool] = ContextVar("progress", default=True)


@contextmanager
def progress(shown: bool) -> Iterator[None]:
    """Show (or, for -q, hide) the progress lines of long steps within the block."""
    token = _PROGRESS.set(shown)
    try:
        yield
    finally:
        _PROGRESS.reset(token)


def steps(items: Sequence[T], what: str, stream: TextIO | None = None) -> Iterator[T]:
    """Yield each item; on a terminal, show `what i/n` on one line of stderr while it runs (not with -q)."""
    out = sys.stderr if stream is None else stream
    live = _PROGRESS.get() and out.isatty() and len(items) > 0
    for number, item in enumerate(items, start=1):
        if live:
            print(f"\r{what} {number}/{len(items)}", end="", file=out, flush=True)
        yield item
    if live:
        print("\r\033[K", end="", file=out, flush=True)  # clear the line for the summary
