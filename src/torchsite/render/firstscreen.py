"""The CSS a page's first screen needs, inlined in its <head>: the stylesheet's marked sections, minified.

site.css marks them itself, between `/* first screen: NAME */` and `/* first screen: end */`; each route names the
sections its pages need (render/pages.py). The whole stylesheet still loads, at the end of the page, where it
blocks nothing; so there is one stylesheet to edit, and the inlined rules cannot drift from it."""

from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import Markup

_MARK = re.compile(r"/\* first screen: ([a-z-]+) \*/")
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_STRING = re.compile(r"(\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*')")


def sections(css: str) -> dict[str, str]:
    """Each named section's rules, in stylesheet order (a name may mark several ranges)."""
    found: dict[str, list[str]] = {}
    name: str | None = None
    start = 0
    for mark in _MARK.finditer(css):
        if mark.group(1) == "end":
            if name is None:
                raise ValueError(f"site.css: 'first screen: end' at offset {mark.start()} closes no section")
            found.setdefault(name, []).append(css[start : mark.start()])
            name = None
        else:
            if name is not None:
                raise ValueError(f"site.css: section '{mark.group(1)}' opens inside section '{name}'")
            name, start = mark.group(1), mark.end()
    if name is not None:
        raise ValueError(f"site.css: section '{name}' is never closed")
    return {key: "".join(parts) for key, parts in found.items()}


def minify(css: str) -> str:
    """CSS without comments and without the whitespace around its punctuation (quoted strings kept as written)."""
    parts = _STRING.split(_COMMENT.sub("", css))
    for i in range(0, len(parts), 2):  # the odd parts are the quoted strings
        text = " ".join(parts[i].split())
        text = re.sub(r"\s*([{};,>])\s*", r"\1", text)
        parts[i] = re.sub(r":\s+", ":", text).replace(";}", "}")
    return "".join(parts).strip()


def critical(css: str, names: Iterable[str]) -> Markup:
    """The named sections, minified, in stylesheet order, as the text of a <style> element."""
    marked = sections(css)
    text = minify("".join(marked[name] for name in marked if name in set(names)))
    if "</" in text:
        raise ValueError("site.css: a first-screen section holds '</', which would end its <style> element")
    return Markup(text)
