"""One way to read a built page: its elements (attributes and line), ids, text (with the data-fact it
sits in and the tags around it) and script blocks, parsed with the standard library's HTMLParser."""

from __future__ import annotations

import functools
import json
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
HIDDEN = frozenset({"script", "style", "title"})  # text inside these is never shown in the page


@dataclass(frozen=True)
class Element:
    """One start tag: attributes (a valueless one maps to "") and the line it starts on."""

    tag: str
    attrs: dict[str, str]
    line: int


@dataclass(frozen=True)
class Text:
    """One run of text: the innermost data-fact (or a drawn label's data-for) around it, and the open tags."""

    data: str
    fact: str | None
    parents: tuple[str, ...]
    claim: str | None = None  # the innermost data-claim around it: a citation, whose text is the source's passage

    @property
    def visible(self) -> bool:
        """Whether a reader sees it (not inside script, style or title)."""
        return not HIDDEN.intersection(self.parents)


@dataclass(frozen=True)
class Script:
    """One <script> element: its attributes, its body, and the line of its end tag."""

    attrs: dict[str, str]
    body: str
    line: int


class Page(HTMLParser):
    """A parsed page (or fragment). `name` says which file it came from, for messages."""

    def __init__(self, html: str, name: str = ""):
        super().__init__(convert_charrefs=True)
        self.name = name
        self.elements: list[Element] = []
        self.texts: list[Text] = []
        self.scripts: list[Script] = []
        self._open: list[tuple[str, dict[str, str]]] = []
        self._script: tuple[dict[str, str], list[str]] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self.elements.append(Element(tag, attributes, self.getpos()[0]))
        if tag == "script":
            self._script = (attributes, [])
        if tag not in VOID:
            self._open.append((tag, attributes))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            attributes, body = self._script
            self.scripts.append(Script(attributes, "".join(body), self.getpos()[0]))
            self._script = None
        if any(t == tag for t, _ in self._open):
            while self._open.pop()[0] != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script[1].append(data)
        # a drawn label names its figure with data-for (its mark has the data-fact)
        fact = next(
            (
                a.get("data-fact") or a["data-for"]
                for _, a in reversed(self._open)
                if a.get("data-fact") or a.get("data-for")
            ),
            None,
        )
        claim = next((a["data-claim"] for _, a in reversed(self._open) if a.get("data-claim")), None)
        self.texts.append(Text(data, fact, tuple(t for t, _ in self._open), claim))

    # --- reading it ------------------------------------------------------------------------------

    @functools.cached_property
    def ids(self) -> set[str]:
        """Every id on the page (read once the page is parsed)."""
        return {e.attrs["id"] for e in self.elements if "id" in e.attrs}

    def all(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        """The attributes of every element of a tag whose attributes include the given ones (`data_fact=`
        stands for `data-fact=`)."""
        want = {k.replace("_", "-"): v for k, v in attrs.items()}
        return [e.attrs for e in self.elements if e.tag == tag and all(e.attrs.get(k) == v for k, v in want.items())]

    def first(self, tag: str, **attrs: str) -> dict[str, str]:
        """The attributes of the first such element (StopIteration-free: fails with the tag's name)."""
        found = self.all(tag, **attrs)
        assert found, f"no <{tag}> {attrs} in {self.name or 'the page'}"
        return found[0]

    def urls(self) -> list[tuple[str, dict[str, str], str]]:
        """Every (tag, attributes, url) a page refers to: href, src, a <source srcset>, charts.js's data-plotly."""
        keys = ("href", "src", "srcset", "data-plotly")
        return [(e.tag, e.attrs, e.attrs[k]) for e in self.elements for k in keys if k in e.attrs]

    def links(self) -> list[str]:
        """The href of every <a>."""
        return [a["href"] for a in self.all("a") if "href" in a]

    def meta(self, key: str) -> str | None:
        """The content of a <meta name=...> or <meta property=...>."""
        return next((a["content"] for a in self.all("meta") if key in (a.get("name"), a.get("property"))), None)

    @property
    def json_ld(self) -> list[str]:
        """The body of every JSON-LD block."""
        return [s.body for s in self.scripts if s.attrs.get("type") == "application/ld+json"]

    def text(self) -> str:
        """The visible text, whitespace collapsed."""
        return " ".join(" ".join(t.data for t in self.texts if t.visible).split())


def read_page(path: Path, name: str = "") -> Page:
    """Parse a built page."""
    return Page(path.read_text(encoding="utf-8"), name or path.name)


def pages_of(root: Path) -> dict[str, Page]:
    """Every HTML page below a folder, by path."""
    return {(rel := p.relative_to(root).as_posix()): read_page(p, rel) for p in sorted(root.rglob("*.html"))}


_SLOT = re.compile(r'<div class="chart-slot[^"]*" data-src="([^"]+)"[^>]*></div>')


def as_drawn(page: Path) -> str:
    """A built page's HTML as a browser has it once drawings.js ran: each placeholder (the story's wide drawings)
    replaced by the drawing file it names."""
    html = page.read_text(encoding="utf-8")
    return _SLOT.sub(lambda m: (page.parent / m.group(1)).read_text(encoding="utf-8"), html)


_CARDS = re.compile(r'<script type="application/json" id="card-data" data-src="([^"]+)"></script>')


def card_src(html: str, page: str) -> str | None:
    """The site path of the file a page's card data is in (None for a page that cites nothing); `page` is the
    page's own path below the site root (`charts/output/index.html`)."""
    found = _CARDS.search(html)
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), found.group(1))) if found else None


def card_data(html: str, page: str, read: Callable[[str], bytes]) -> dict[str, Any]:
    """A page's card data, as reader.js fetches it: the file its card-data block names, read by site path."""
    src = card_src(html, page)
    assert src is not None, f"{page} has no card data"
    data: dict[str, Any] = json.loads(read(src))
    return data


def site_cards(root: Path, page: str) -> dict[str, Any]:
    """The card data of a built page below `root`."""
    return card_data((root / page).read_text(encoding="utf-8"), page, lambda path: (root / path).read_bytes())
