"""Reproducible builds: the same inputs give byte-identical sites, wherever and whenever they are built."""

from __future__ import annotations

import difflib
import io
import os
import re
import shutil
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from helpers.chromium import need_chromium
from helpers.project import copy_project
from torchsite.cli import main

RANDOM_UID = re.compile(r'id="defs-[0-9a-f]+"')  # plotly.js names a figure's defs by a random hex uid


def build(project: Path, out: Path, cwd: Path, **env: str) -> None:
    """Run `torchsite build` in a fresh interpreter, from `cwd`, with extra environment variables."""
    environ = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "TORCHSITE_CACHE")} | env
    done = subprocess.run(
        [sys.executable, "-m", "torchsite", "build", "--project", str(project), "--out", str(out)],
        cwd=cwd,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def build_here(project: Path, out: Path, cwd: Path, monkeypatch: pytest.MonkeyPatch, **env: str) -> None:
    """Run `torchsite build` in this process, from `cwd`, with extra environment variables."""
    monkeypatch.chdir(cwd)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()) as err:
        code = main(["build", "--project", str(project), "--out", str(out)])
    assert code == 0, err.getvalue()


def files(root: Path) -> dict[str, bytes]:
    """Every file below root by its relative path."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def assert_identical(a: Path, b: Path) -> None:
    """Same paths, same bytes; on a difference, show it as a diff."""
    first, second = files(a), files(b)
    assert sorted(first) == sorted(second)
    for path in first:
        if first[path] != second[path]:
            diff = difflib.unified_diff(
                first[path].decode("utf-8", "replace").splitlines(),
                second[path].decode("utf-8", "replace").splitlines(),
                f"a/{path}",
                f"b/{path}",
                lineterm="",
            )
            raise AssertionError("\n".join(list(diff)[:40]))


@pytest.mark.slow
def test_two_builds_in_different_places_are_byte_identical(
    tmp_path: Path, built_project: Path, _shared_svg_cache: Path
) -> None:
    """The run's own build (in this process, exporting into the run's SVG cache, which a fresh run starts empty)
    against one in a fresh interpreter, from another project folder, working folder, output name and hash seed
    (set iteration order), with its own empty SVG cache: each exports every chart afresh."""
    need_chromium()  # the point is a cold SVG export
    two = copy_project(tmp_path / "elsewhere" / "two")
    build(two, tmp_path / "out" / "site", cwd=tmp_path, PYTHONHASHSEED="2")
    assert len(files(built_project / "dist")) >= 5
    assert_identical(built_project / "dist", tmp_path / "out" / "site")
    svgs = sorted((two / ".torchsite-cache" / "svg").glob("*.svg"))
    # The same drawings by name (key); the run's cache also holds other tests' drawings. Their raw bytes are not
    # compared: once, on a loaded machine, one cold export differed in bytes that inlining normalises, while the
    # sites (above) stayed byte-identical.
    assert svgs and {p.name for p in svgs} <= {p.name for p in _shared_svg_cache.glob("*.svg")}
    for site in (built_project / "dist", tmp_path / "out" / "site"):
        for path, data in files(site).items():
            assert str(built_project).encode() not in data and str(tmp_path).encode() not in data, (
                f"{path} records where it was built"
            )
    # What makes two exports repeat: plotly.js's random figure uid (in its defs and clip-path ids) replaced by the
    # chart's id in every drawing (two sessions' uids differ, so the sites above would differ without it).
    drawn = [p.read_text(encoding="utf-8") for p in svgs]
    assert not [m.group(0) for text in drawn for m in RANDOM_UID.finditer(text)]
    assert all('id="defs--' in text for text in drawn)


def test_the_build_date_comes_only_from_source_date_epoch(
    tmp_path: Path, _shared_svg_cache: Path, built_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = copy_project(tmp_path / "p")  # its SVG cache seeded from the run's: this test is about dates
    shutil.copytree(_shared_svg_cache, project / ".torchsite-cache" / "svg")
    monkeypatch.delenv("TORCHSITE_CACHE")
    # One build in this process and one in a fresh interpreter with another hash seed, from other folders.
    build_here(project, tmp_path / "a", cwd=project, monkeypatch=monkeypatch, SOURCE_DATE_EPOCH="1795000000")
    build(project, tmp_path / "b", cwd=tmp_path, SOURCE_DATE_EPOCH="1795000000", PYTHONHASHSEED="4")
    assert_identical(tmp_path / "a", tmp_path / "b")
    sitemap = (tmp_path / "a" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<lastmod>2026-11-18</lastmod>" in sitemap
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    build_here(project, tmp_path / "c", cwd=project, monkeypatch=monkeypatch)
    assert "<lastmod>" not in (tmp_path / "c" / "sitemap.xml").read_text(encoding="utf-8")
