"""The real project, and small tools for editing a copy of it and reading what a CLI run returned."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest
from filelock import FileLock

from helpers.html import Page, pages_of, read_page
from torchsite.cli import main
from torchsite.render.templates import PACKAGE_TEMPLATES

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO.parent / "shared" / "sources" / "torch-zone-30-years.txt"


@dataclass
class Result:
    """What one CLI run returned and printed."""

    code: int
    out: str
    err: str


@dataclass(frozen=True)
class Site:
    """A built site, to be read and never changed: the real project's, shared by the whole session."""

    out: Path

    def text(self, path: str) -> str:
        """The text of one built file, by its path below the site root (`facts/index.html`)."""
        return (self.out / path).read_text(encoding="utf-8")

    def page(self, path: str) -> Page:
        """One built page, parsed."""
        return read_page(self.out / path)

    def pages(self) -> dict[str, Page]:
        """Every HTML page, parsed, by path."""
        return pages_of(self.out)


def copy_project(root: Path) -> Path:
    """Copy the real project's content (and its own templates, if it has any) into root."""
    shutil.copytree(REPO / "content", root / "content")
    if (REPO / "templates").is_dir():
        shutil.copytree(REPO / "templates", root / "templates")
    return root


def run_root(factory: pytest.TempPathFactory) -> Path:
    """A folder shared by every pytest-xdist worker of this run (pytest's own temporary folder without xdist)."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def shared_build(root: Path) -> Path:
    """The real project built once into `root`/real-site by whichever worker comes first; the others wait for it.

    A failed build fails every test that uses it, with the build's own messages.
    """
    folder, failed = root / "real-site", root / "real-site.failed"
    with FileLock(str(root / "real-site.lock")):
        if not (folder / "dist").is_dir() and not failed.exists():
            copy_project(folder)
            out, err = io.StringIO(), io.StringIO()
            with pytest.MonkeyPatch.context() as patch, redirect_stdout(out), redirect_stderr(err):
                patch.chdir(folder)
                patch.delenv("SOURCE_DATE_EPOCH", raising=False)
                code = main(["build"])
            if code != 0:
                failed.write_text(err.getvalue(), encoding="utf-8")
    if failed.exists():
        pytest.fail(f"the real project did not build:\n{failed.read_text(encoding='utf-8')}")
    return folder


def edit(path: Path, old: str, new: str) -> None:
    """Replace one exact, unique snippet of a file (fails loudly if it is not there once)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


EDITIONS = "\n# Further editions"  # where site.yaml's editions block starts


def one_edition(root: Path) -> Path:
    """The project at `root` in its main language alone: site.yaml's editions block left out."""
    site = root / "content" / "site.yaml"
    text = site.read_text(encoding="utf-8")
    site.write_text(text[: text.index(EDITIONS)] + "\n", encoding="utf-8")
    return root


def override(project: Path, name: str) -> Path:
    """Copy one of the package's default templates into the project's templates/, where it overrides the default."""
    path = project / "templates" / name
    path.parent.mkdir(exist_ok=True)
    shutil.copyfile(PACKAGE_TEMPLATES / name, path)
    return path


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


def leftovers(project: Path) -> list[str]:
    """Staging or old folders a build left beside dist/ (the lock file stays, empty)."""
    return sorted(p.name for p in project.iterdir() if p.name.startswith(".dist") and p.name != ".dist.lock")
