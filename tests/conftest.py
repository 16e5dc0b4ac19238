"""Shared fixtures: a copy of the real project in tmp_path, and a CLI runner."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from torchsite import serve
from torchsite.charts.export import find_browser
from torchsite.cli import main
from torchsite.inputs.config import Project

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO.parent / "shared" / "sources" / "torch-zone-30-years.txt"


@dataclass
class Result:
    """What one CLI run returned and printed."""

    code: int
    out: str
    err: str


@pytest.fixture(autouse=True, scope="session")
def _shared_svg_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One chart SVG cache for the whole run: a chart is exported once, not once per build."""
    patch = pytest.MonkeyPatch()
    cache = tmp_path_factory.mktemp("svg-cache")
    patch.setenv("TORCHSITE_CACHE", str(cache))
    yield cache
    patch.undo()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the real content and templates in tmp_path, which is also the working folder."""
    for folder in ("content", "templates"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """Run `torchsite ARGS...` in-process and capture its exit code and output."""

    def run(*args: str) -> Result:
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def edit(path: Path, old: str, new: str) -> None:
    """Replace one exact, unique snippet of a file (fails loudly if it is not there once)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(path: Path, snippet: str) -> int:
    """The 1-based line where a snippet first occurs."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if snippet in line:
            return number
    raise AssertionError(f"{snippet!r} not in {path}")


def tree_hash(root: Path) -> str:
    """A hash of every file's path and bytes below root."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def need_chromium() -> str:
    """The Chromium that exports charts and runs browser tests; skip without one (fail in CI, which installs it)."""
    path = find_browser()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install Chromium (apt-get install chromium)")
        pytest.skip("no Chromium on this machine: static chart export is not available")
    return path


@pytest.fixture
def preview(project: Path) -> Iterator[serve.Preview]:
    """A running preview of the project copy (port 0: any free port) with its watcher, stopped afterwards."""
    running = serve.Preview(Project(project), project / "dist", "127.0.0.1", 0, quiet=True)
    running.start()
    running.watch_in_thread()
    yield running
    running.stop()
