"""Writing the site: safe paths, a staging folder, output checks, then one swap into place."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from .errors import ContentError, Problem, TorchsiteError, display_path


class Site:
    """Every output file in memory, by its path under dist/; a path can be written once."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.origins: dict[str, str] = {}
        self.problems: list[Problem] = []
        self.base_path = "/"  # the site root's path on its host: where root-relative links start

    def add(self, path: str, content: bytes | str, origin: str) -> str:
        """Add a file; record a problem if the path is unsafe or already taken."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        clean = safe_path(path)
        if clean is None:
            self.problems.append(
                Problem(
                    origin,
                    None,
                    None,
                    None,
                    f"output path '{path}' escapes the output folder",
                    "use a relative path of plain names, without '..'",
                )
            )
        elif clean in self.files:
            self.problems.append(
                Problem(
                    origin,
                    None,
                    None,
                    None,
                    f"output path '{clean}' is written twice (also by {self.origins[clean]})",
                    "give each page its own slug",
                )
            )
        else:
            self.files[clean], self.origins[clean] = data, origin
        return clean or path

    def add_hashed(self, folder: str, stem: str, suffix: str, content: bytes, origin: str) -> str:
        """Add an asset under a content-hashed name; return its path."""
        digest = hashlib.sha256(content).hexdigest()[:10]
        return self.add(f"{folder}/{stem}.{digest}{suffix}", content, origin)


def safe_path(path: str) -> str | None:
    """The normalized relative path, or None if it could leave the output folder."""
    if not path or "\\" in path or "\x00" in path:
        return None
    pure = PurePosixPath(path)
    if pure.is_absolute() or any(part in ("..", "") for part in pure.parts) or pure.parts[0].startswith("."):
        return None
    return pure.as_posix()


def check_links(files: dict[str, bytes], base_path: str = "/") -> list[Problem]:
    """Every internal link, asset and anchor in the HTML pages resolves within the site.

    A root-relative link ('/torchsite/facts/') must start with the site's base path, which is stripped.
    """
    problems = []
    anchors = {path: _Links.parse(data).ids for path, data in files.items() if path.endswith(".html")}
    for page, data in files.items():
        if not page.endswith(".html"):
            continue
        for url in _Links.parse(data).urls:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or url.startswith("//"):
                if parts.scheme not in ("http", "https", "mailto"):
                    problems.append(Problem(f"dist/{page}", None, None, None, f"link '{url}' has a disallowed scheme"))
                continue
            path = unquote(parts.path)
            outside = path.startswith("/") and not path.startswith(base_path)
            target = None if outside else _resolve(page, "/" + path[len(base_path) :] if path[:1] == "/" else path)
            if target is None or target not in files:
                problems.append(
                    Problem(
                        f"dist/{page}",
                        None,
                        None,
                        None,
                        f"link '{url}' points to a missing file",
                        "a template or the story links to a page that is not built",
                    )
                )
            elif parts.fragment and parts.fragment not in anchors.get(target, set()):
                problems.append(
                    Problem(
                        f"dist/{page}", None, None, None, f"link '{url}' points to a missing anchor '#{parts.fragment}'"
                    )
                )
    return problems


def _resolve(page: str, path: str) -> str | None:
    """The file a relative URL on `page` refers to (a folder means its index.html)."""
    if not path:
        return page
    base = PurePosixPath(page).parent
    parts: list[str] = [] if path.startswith("/") else list(base.parts)
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(part)
    joined = "/".join(parts)
    if path.endswith("/") or not joined:
        joined = f"{joined}/index.html".lstrip("/")
    return joined


class _Links(HTMLParser):
    """Collects the URLs a page refers to and the ids it defines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.ids: set[str] = set()

    @classmethod
    def parse(cls, data: bytes) -> _Links:
        """Parse one page."""
        parser = cls()
        parser.feed(data.decode("utf-8"))
        return parser

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Record href/src values and ids."""
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids.add(value)
            elif name in ("href", "src") and not (tag == "link" and ("rel", "canonical") in attrs):
                self.urls.append(value)


@contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """Hold an exclusive lock beside the output folder, or fail at once if another build has it."""
    out.parent.mkdir(parents=True, exist_ok=True)
    lock_path = out.parent / f".{out.name}.lock"
    with open(lock_path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise TorchsiteError(
                f"another build is writing {display_path(out)} right now "
                f"(lock {display_path(lock_path)}); wait for it to finish"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def publish(site: Site, out: Path) -> None:
    """Write the site to a staging folder beside `out`, check it there, then swap it in."""
    problems = site.problems + check_links(site.files, site.base_path)
    if problems:
        raise ContentError(problems)
    with build_lock(out):
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-staging-", dir=out.parent))
        try:
            write_tree(site.files, staging)
            swap(staging, out)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def write_tree(files: dict[str, bytes], root: Path) -> None:
    """Write every file below root, in sorted order."""
    for rel in sorted(files):
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(files[rel])
    os.chmod(root, 0o755)


def swap(staging: Path, out: Path) -> None:
    """Move the staging folder into place; the old output is removed only once the new one is there."""
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}-old-", dir=out.parent))
        os.rename(out, old / "site")
    try:
        os.rename(staging, out)
    except BaseException:
        if old is not None:
            os.rename(old / "site", out)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
