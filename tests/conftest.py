"""Shared fixtures: a copy of the real project in tmp_path, a CLI runner, the real site built once.

Plain helpers live in the `helpers` package (`from helpers.project import edit`); no test imports this file.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable, Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from helpers.project import REPO, Result, Site, tree_hash
from torchsite import serve
from torchsite.cli import main
from torchsite.inputs.config import Project


@pytest.fixture(autouse=True, scope="session")
def _shared_svg_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One chart SVG cache for the whole run: a chart is exported once, not once per build."""
    patch = pytest.MonkeyPatch()
    cache = tmp_path_factory.mktemp("svg-cache")
    patch.setenv("TORCHSITE_CACHE", str(cache))
    yield cache
    patch.undo()


def copy_project(root: Path) -> Path:
    """Copy the real content into root (the templates are the package's)."""
    shutil.copytree(REPO / "content", root / "content")
    return root


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the real content in tmp_path, which is also the working folder."""
    copy_project(tmp_path)
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


@pytest.fixture(scope="session")
def real_site(_shared_svg_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The real project built once per session with `torchsite build` (no SOURCE_DATE_EPOCH), for the tests
    that only read it. A test that changes content builds its own copy with `project` and `cli`."""
    root = copy_project(tmp_path_factory.mktemp("real-site"))
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch, redirect_stdout(out), redirect_stderr(err):
        patch.chdir(root)
        patch.delenv("SOURCE_DATE_EPOCH", raising=False)
        code = main(["build"])
    assert code == 0, err.getvalue()
    return Site(root / "dist")


@pytest.fixture
def dist_before(project: Path, cli: Callable[..., Result]) -> str:
    """Build the project copy into its dist/ and return the hash of it: what a failed build must leave alone."""
    assert cli("build").code == 0
    return tree_hash(project / "dist")


@pytest.fixture
def preview(project: Path) -> Iterator[serve.Preview]:
    """A running preview of the project copy (port 0: any free port) with its watcher, stopped afterwards."""
    running = serve.Preview(Project(project), project / "dist", "127.0.0.1", 0, quiet=True)
    running.start()
    running.watch_in_thread()
    yield running
    running.stop()
