"""Writing the site: safe paths, a staging folder, output checks, then one swap into place."""

from __future__ import annotations

import ctypes
import errno
import fcntl
import hashlib
import os
import re
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from .errors import ContentError, Problem, TorchsiteError, UsageError, display_path


@dataclass(frozen=True)
class Origin:
    """Where an output file comes from: the input file and, when known, the line, column and field."""

    file: str
    line: int | None = None
    col: int | None = None
    field: str | None = None

    def problem(self, message: str, hint: str | None = None) -> Problem:
        """A problem located at this origin."""
        return Problem(self.file, self.line, self.col, self.field, message, hint)

    def __str__(self) -> str:
        """The origin as `file:line`."""
        return f"{self.file}:{self.line}" if self.line else self.file


class OutputError(TorchsiteError):
    """Writing the site failed (disk full, no permission): the previous output is untouched."""


class Site:
    """Every output file in memory, by its path under dist/; a path can be written once."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.origins: dict[str, str] = {}
        self.problems: list[Problem] = []
        self.base_path = "/"  # the site root's path on its host: where root-relative links start

    def add(self, path: str, content: bytes | str, origin: str | Origin) -> str:
        """Add a file; record a problem if the path is unsafe or already taken."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        source = origin if isinstance(origin, Origin) else Origin(origin)
        clean = safe_path(path)
        if clean is None:
            self.problems.append(
                source.problem(
                    f"output path '{path}' escapes the output folder",
                    "use a relative path of plain names, without '..'",
                )
            )
        elif clean in self.files:
            self.problems.append(
                source.problem(
                    f"output path '{clean}' is written twice (also by {self.origins[clean]})",
                    "give each page its own slug",
                )
            )
        else:
            self.files[clean], self.origins[clean] = data, str(source)
        return clean or path

    def add_hashed(self, folder: str, stem: str, suffix: str, content: bytes, origin: str | Origin) -> str:
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


def check_links(files: dict[str, bytes], base_path: str = "/", shown: str = "dist") -> list[Problem]:
    """Every internal link, asset and anchor in the pages and stylesheets resolves within the site.

    A root-relative link ('/torchsite/facts/') must start with the site's base path, which is stripped.
    """
    problems = []
    parsed = {path: _Links.parse(data) for path, data in files.items() if path.endswith(".html")}
    for path, data in files.items():
        if path.endswith(".css"):
            parsed[path] = _Links.css(data)
    for page, links in parsed.items():
        for url, line, col in links.urls:
            parts = urlsplit(url)
            where = (f"{shown}/{page}", line, col, None)
            if parts.scheme or parts.netloc or url.startswith("//"):
                if parts.scheme not in ("http", "https", "mailto"):
                    problems.append(Problem(*where, f"link '{url}' has a disallowed scheme"))
                continue
            path = unquote(parts.path)
            outside = path.startswith("/") and not path.startswith(base_path)
            target = None if outside else _resolve(page, "/" + path[len(base_path) :] if path[:1] == "/" else path)
            if target is None or target not in files:
                problems.append(
                    Problem(
                        *where,
                        f"link '{url}' points to a missing file",
                        "a template or the story links to a page or asset that is not built",
                    )
                )
            elif parts.fragment and target in parsed and parts.fragment not in parsed[target].ids:
                problems.append(Problem(*where, f"link '{url}' points to a missing anchor '#{parts.fragment}'"))
    return problems


def check_tree(root: Path, files: dict[str, bytes], shown: str = "dist") -> list[Problem]:
    """The staged folder holds exactly the site's files, byte for byte, as regular files inside it."""
    problems = []
    found = set()
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink() or not (path.is_dir() or path.is_file()):
            problems.append(Problem(f"{shown}/{rel}", None, None, None, "not a regular file or folder"))
        elif path.is_file():
            found.add(rel)
            if rel not in files:
                problems.append(Problem(f"{shown}/{rel}", None, None, None, "written but not part of the site"))
            elif path.read_bytes() != files[rel]:
                problems.append(Problem(f"{shown}/{rel}", None, None, None, "the written file differs from the site"))
    for rel in sorted(set(files) - found):
        problems.append(Problem(f"{shown}/{rel}", None, None, None, "missing from the written site"))
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
    """Collects the URLs a page refers to (with line and column) and the ids it defines."""

    URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "poster", "data", "cite"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, int, int]] = []
        self.ids: set[str] = set()

    @classmethod
    def parse(cls, data: bytes) -> _Links:
        """Parse one page."""
        parser = cls()
        parser.feed(data.decode("utf-8"))
        parser.close()
        return parser

    @classmethod
    def css(cls, data: bytes) -> _Links:
        """The url(...) references of a stylesheet."""
        links = cls()
        text = data.decode("utf-8")
        for match in _CSS_URL.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            col = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
            if not match["url"].startswith("data:"):
                links.urls.append((match["url"], line, col))
        return links

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Record URL attributes and ids."""
        line, offset = self.getpos()
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids.add(value)
            elif name == "srcset":
                self.urls += [(c.split()[0], line, offset + 1) for c in value.split(",") if c.strip()]
            elif name in self.URL_ATTRIBUTES and not (tag == "link" and ("rel", "canonical") in attrs):
                self.urls.append((value, line, offset + 1))


_CSS_URL = re.compile(r"""url\(\s*['"]?(?P<url>[^'")\s]+)['"]?\s*\)""")


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
    if site.problems:
        raise ContentError(site.problems)  # unsafe or doubled paths: refused before anything is written
    shown = display_path(out)
    if out.exists() and (out.is_symlink() or not out.is_dir()):
        raise UsageError(f"the output {shown} exists and is not a folder; choose another --out")
    try:
        with build_lock(out):
            staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-staging-", dir=out.parent))
            try:
                write_tree(site.files, staging)
                problems = check_tree(staging, site.files, shown) + check_links(site.files, site.base_path, shown)
                if problems:
                    raise ContentError(problems)
                swap(staging, out)
            finally:
                with held_interrupts():
                    shutil.rmtree(staging, ignore_errors=True)
    except OSError as exc:
        where = display_path(exc.filename) if exc.filename else shown
        raise OutputError(
            f"cannot write the site ({exc.strerror or exc} at {where}); {shown}/ was left as it was"
        ) from exc


def write_tree(files: dict[str, bytes], root: Path) -> None:
    """Write every file below root, in sorted order."""
    for rel in sorted(files):
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(files[rel])
    os.chmod(root, 0o755)


class LateInterrupt(KeyboardInterrupt):
    """Ctrl-C that came while the new site was being swapped in: the swap finished first."""


@contextmanager
def held_interrupts(late: type[KeyboardInterrupt] = KeyboardInterrupt) -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM until the block is done, then raise `late` if one came."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    signals = (signal.SIGINT, signal.SIGTERM)
    previous = {s: signal.signal(s, lambda number, frame: received.append(number)) for s in signals}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    if received:
        raise late


def swap(staging: Path, out: Path) -> None:
    """Put the staging folder in place of `out`: in one step where the system can, else in two.

    In one step (Linux), `out` is never missing, not even for a moment, and the old site ends up
    in `staging`, which the caller removes. In two, the old output is moved aside first and put
    back if the second step fails; it is removed only once the new one is there.
    """
    with held_interrupts(LateInterrupt):
        if out.exists() and exchange(staging, out):
            return
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}-old-", dir=out.parent)) if out.exists() else None
        try:
            if old is not None:
                os.rename(out, old / "site")
            try:
                os.rename(staging, out)
            except BaseException:
                if old is not None and (old / "site").exists():
                    os.rename(old / "site", out)
                raise
        finally:
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)


_RENAME_EXCHANGE = 2  # from <linux/fs.h>
_AT_FDCWD = -100


def exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically (Linux renameat2 with RENAME_EXCHANGE); False where unsupported."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False  # the file system or kernel cannot: fall back to two renames
    raise OSError(code, os.strerror(code), os.fspath(b))
