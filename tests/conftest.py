"""Shared fixtures: a copy of the real project in tmp_path, a CLI runner, the real site built once.

The real project is built once per run, by whichever pytest-xdist worker gets there first (the others wait on a
file lock and read it), with one chart image cache for the whole run. Tests that only read the site use
`real_site`; a test that needs a previous build to protect copies it (`dist_before`) instead of building again.
Plain helpers live in the `helpers` package (`from helpers.project import edit`); no test imports this file.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from helpers.project import Result, Site, copy_project, one_edition, run_root, shared_build, tree_hash
from torchsite import serve
from torchsite.charts import export
from torchsite.cli import main
from torchsite.inputs.config import Project


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slow tests first (a stable sort: every other order kept), so neither worker is left running one at the
    end while the other has nothing left to do; each test's xdist group where the scheduler reads it."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
    for item in items:
        group_in_id(item)


def group_in_id(item: pytest.Item) -> None:
    """Carry a test's xdist group where pytest-xdist's scheduler reads it, the node id's '@group' suffix, on pytest 9.

    pytest-xdist (3.8) appends the suffix to `item._nodeid`, but pytest 9 builds node ids from a structured
    `item._id`, so `--dist loadgroup` silently stopped grouping: a page's browser tests ran on both workers, each
    loading the page (pytest-xdist#1386; its fix, #1388, is not released). Remove this once it is.
    """
    mark, structured = item.get_closest_marker("xdist_group"), getattr(item, "_id", None)
    if mark and getattr(item.config.option, "loadgroup", False) and structured is not None and "@" not in item.nodeid:
        item._id = type(structured).parse(f"{item.nodeid}@{mark.args[0]}")


@pytest.fixture(autouse=True, scope="session")
def _shared_svg_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One chart SVG cache for the whole run, all workers: a chart is exported once, not once per build.

    $TORCHSITE_TEST_CACHE names a folder that keeps it between runs (the workflow's test job caches it).
    """
    patch = pytest.MonkeyPatch()
    kept = os.environ.get("TORCHSITE_TEST_CACHE")
    cache = Path(kept) if kept else run_root(tmp_path_factory) / "svg-cache"
    cache.mkdir(parents=True, exist_ok=True)
    patch.setenv("TORCHSITE_CACHE", str(cache))
    with export.kept_open(cache):  # one chart-export browser per worker for every build that draws a new chart
        yield cache
    patch.undo()


@pytest.fixture(scope="session")
def built_project(_shared_svg_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project built once for the whole run (no SOURCE_DATE_EPOCH): its folder, with content/ and dist/."""
    return shared_build(run_root(tmp_path_factory))


@pytest.fixture
def whole_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the real content in tmp_path with every edition, which is also the working folder."""
    copy_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def project(whole_project: Path) -> Path:
    """The copy in its main edition alone, as most tests are about one build's behaviour, not its editions."""
    return one_edition(whole_project)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """Run `torchsite ARGS...` in-process and capture its exit code and output."""

    def run(*args: str) -> Result:
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="session")
def real_site(built_project: Path) -> Site:
    """The real project's site built once per run with `torchsite build`, for the tests that only read it.
    A test that changes content builds its own copy with `project` and `cli`."""
    return Site(built_project / "dist")


@pytest.fixture
def dist_before(project: Path, built_project: Path) -> str:
    """The project copy with a previous build in its dist/ (the run's build of the real content, copied: builds
    are byte-identical wherever they run), and the hash of it: what a failed build must leave alone."""
    shutil.copytree(built_project / "dist", project / "dist", symlinks=True)
    return tree_hash(project / "dist")


@pytest.fixture
def preview(project: Path) -> Iterator[serve.Preview]:
    """A running preview of the project copy (port 0: any free port) with its watcher, stopped afterwards."""
    running = serve.Preview(Project(project), project / "dist", "127.0.0.1", 0, quiet=True)
    running.start()
    running.watch_in_thread()
    yield running
    running.stop()
