"""Markdown to safe HTML: every fact reference a link to its fact-sheet entry, sanitized with nh3."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import markdown
import nh3
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

from torchsite.inputs.figures import Figure
from torchsite.inputs.story import REF, reference_text

ALLOWED_TAGS = {"p", "h2", "h3", "h4", "ul", "ol", "li", "em", "strong", "a", "blockquote", "span", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href", "data-fact", "class"}, "h2": {"id"}, "h3": {"id"}}


def render(text: str, figures: dict[str, Figure], fact_href: str, *, inline: bool = False) -> str:
    """Markdown to sanitized HTML, each reference a link to its entry on the fact sheet at `fact_href`."""
    md = markdown.Markdown(extensions=[FactExtension(figures, fact_href), "smarty"], output_format="html")
    html = md.convert(text)
    if inline and html.startswith("<p>") and html.endswith("</p>"):
        html = html[3:-4]
    return nh3.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"https", "http", "mailto"}, link_rel=None
    )


class FactPattern(InlineProcessor):
    """`{{id}}` becomes `<a class="fact" data-fact="id" href="{fact_href}#id">figure</a>`."""

    def __init__(self, figures: dict[str, Figure], fact_href: str):
        super().__init__(REF.pattern)
        self.figures, self.fact_href = figures, fact_href

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[ElementTree.Element, int, int]:  # type: ignore[override]  # noqa: N802
        """Render one reference."""
        ident = m.group(1).partition(":")[0]
        el = ElementTree.Element("a", {"class": "fact", "data-fact": ident, "href": f"{self.fact_href}#{ident}"})
        el.text = reference_text(m.group(1), self.figures)
        return el, m.start(0), m.end(0)


class FactExtension(Extension):
    """Python-Markdown extension for fact references."""

    def __init__(self, figures: dict[str, Figure], fact_href: str):
        super().__init__()
        self.figures, self.fact_href = figures, fact_href

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
        """Register the pattern ahead of emphasis, so ids with underscores survive."""
        md.inlinePatterns.register(FactPattern(self.figures, self.fact_href), "fact", 200)
