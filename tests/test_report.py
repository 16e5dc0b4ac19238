"""What builds print: the summary, -q for problems only, -v for stage timings and tracebacks."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers.chromium import need_chromium
from helpers.project import Result, edit
from torchsite import report
from torchsite.render import pages


def test_summary_says_what_was_built_and_where(project: Path, cli: Callable[..., Result]) -> None:
    need_chromium()  # the exact output assumes the static chart export works
    result = cli("build")
    assert result.code == 0 and result.err == ""
    first, where = result.out.splitlines()
    assert re.fullmatch(
        r"Built \d+ pages \(\d+ files, \d+ KB\) from 30 facts, 5 derived figures and 4 charts in [\d.]+ s", first
    )
    assert where == "The site is in dist/ -- preview it: torchsite serve (or python -m http.server -d dist)"


def test_quiet_prints_nothing_on_success_and_only_problems_on_failure(
    project: Path, cli: Callable[..., Result]
) -> None:
    need_chromium()  # the exact output assumes the static chart export works
    ok = cli("build", "-q")
    assert (ok.code, ok.out, ok.err) == (0, "", "")
    assert cli("check", "-q").out == ""
    edit(project / "content" / "facts.yaml", "value: 43\n", "value: forty-three\n")
    failed = cli("build", "-q")
    assert failed.code == 1 and failed.out == ""
    assert "facts.output_share.value: expected a number, got 'forty-three'" in failed.err


def test_verbose_shows_each_stage_with_its_time(cli: Callable[..., Result], project: Path) -> None:
    result = cli("build", "-v")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0].startswith("Built ")
    assert [re.sub(r"\d+ ms$", "N ms", line) for line in lines[1:5]] == [
        "  read and validate: N ms",
        "  charts: N ms",
        "  render: N ms",
        "  check and write: N ms",
    ]
    assert lines[5].startswith("The site is in dist/")


def test_verbose_shows_the_whole_traceback_of_a_bug(
    project: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug in a page")

    monkeypatch.setattr(pages, "render", broken)
    short = cli("build")
    assert short.code == 3 and "RuntimeError: a bug in a page" in short.err
    assert "in main" not in short.err  # only the last frames without -v
    full = cli("build", "-v")
    assert full.code == 3
    assert "Traceback (most recent call last)" in full.err and "in main" in full.err and "in broken" in full.err


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_long_steps_show_progress_only_on_a_terminal() -> None:
    terminal, pipe = Terminal(), io.StringIO()
    assert list(report.steps(["a", "b", "c"], "Exporting charts", terminal)) == ["a", "b", "c"]
    assert terminal.getvalue() == ("\rExporting charts 1/3\rExporting charts 2/3\rExporting charts 3/3\r\033[K")
    assert list(report.steps(["a", "b"], "Exporting charts", pipe)) == ["a", "b"]
    assert pipe.getvalue() == ""


def test_progress_shows_on_a_terminal_and_quiet_hides_it() -> None:
    shown, hidden = Terminal(), Terminal()
    assert list(report.steps([1, 2], "Exporting charts", shown)) == [1, 2]
    assert "Exporting charts 2/2" in shown.getvalue()
    with report.progress(False):  # what -q sets for the whole command
        assert list(report.steps([1, 2], "Exporting charts", hidden)) == [1, 2]
    assert hidden.getvalue() == ""
