"""Output checks: every internal link, anchor and stylesheet asset of the written site resolves."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from torchsite.errors import Problem


def check_links(files: dict[str, bytes], base_path: str = "/", shown: str = "dist") -> list[Problem]:
    """Every internal link, asset and anchor in the pages and stylesheets resolves within the site.

    A root-relative link ('/torchsite/facts/') must start with the site's base path, which is stripped.
    """
    problems = []
    parsed = {path: page_links(data) for path, data in files.items() if path.endswith(".html")}
    for path, data in files.items():
        if path.endswith(".css"):
            parsed[path] = stylesheet_links(data)
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


@dataclass(frozen=True)
class Links:
    """What one page or stylesheet refers to (URL, line, column) and the ids it defines."""

    urls: tuple[tuple[str, int, int], ...]
    ids: frozenset[str] = frozenset()


@functools.lru_cache(maxsize=128)
def page_links(data: bytes) -> Links:
    """A page's links and ids, parsed once per content (a build checks its pages twice; a rebuild, mostly the same)."""
    parser = _Links()
    parser.feed(data.decode("utf-8"))
    parser.close()
    return Links(tuple(parser.urls), frozenset(parser.ids))


@functools.lru_cache(maxsize=16)
def stylesheet_links(data: bytes) -> Links:
    """The url(...) references of a stylesheet."""
    text = data.decode("utf-8")
    urls = []
    for match in _CSS_URL.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        col = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        if not match["url"].startswith("data:"):
            urls.append((match["url"], line, col))
    return Links(tuple(urls))


class _Links(HTMLParser):
    """Collects the URLs a page refers to (with line and column) and the ids it defines."""

    URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "poster", "data", "cite"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, int, int]] = []
        self.ids: set[str] = set()

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
