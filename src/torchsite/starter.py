"""`torchsite init`: a new project from the small, generic sample story shipped in the package."""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from torchsite.errors import UsageError, display_path

# What a story's repository never commits: the built site, the chart cache, the build lock, the staging folder.
GITIGNORE = """\
# Written by `torchsite init`: what the build makes, never committed.
dist/
.torchsite-cache/
.dist.lock
.dist-staging-*/
.dist-old-*/
__pycache__/
.venv/
"""


def files(folder: Traversable, prefix: str = "") -> list[tuple[str, bytes]]:
    """Every file below a package folder, as (relative path, bytes), in name order."""
    out: list[tuple[str, bytes]] = []
    for item in sorted(folder.iterdir(), key=lambda i: i.name):
        if item.is_dir():
            out += files(item, f"{prefix}{item.name}/")
        elif not item.name.startswith(("_", ".")):
            out.append((prefix + item.name, item.read_bytes()))
    return out


def init(folder: Path) -> list[Path]:
    """Write the sample story into `folder` (new or empty); return the files written."""
    try:
        return _write(folder)
    except OSError as exc:  # under a file, on a read-only disk, a name too long...
        why = exc.strerror or type(exc).__name__
        raise UsageError(f"{display_path(folder)} cannot be written ({why}); give a folder that can be") from None


def _write(folder: Path) -> list[Path]:
    """Write the sample story into a new or empty folder."""
    if folder.is_symlink() and not folder.exists():
        raise UsageError(f"{display_path(folder)} is a link to nothing; give a new or empty folder for the new story")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        what = "is not a folder" if not folder.is_dir() else "is not empty"
        raise UsageError(f"{display_path(folder)} {what}; give a new or empty folder for the new story")
    written = []
    for name, data in files(resources.files("torchsite").joinpath("scaffold")):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    ignore = folder / ".gitignore"
    ignore.write_text(GITIGNORE, encoding="utf-8")
    return [*written, ignore]
