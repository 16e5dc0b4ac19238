"""Markdown to safe HTML: every fact reference a link to its fact-sheet entry, every citation a link to its claim.

Typed HTML is sanitized with nh3 and keeps no class or data attribute: only references and citations
make figures and citations. They are rendered as placeholders, sanitized with the rest, then put in.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

import markdown
import nh3
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markupsafe import Markup

from torchsite.charts.model import Part
from torchsite.inputs.facts import Claim
from torchsite.inputs.figures import Figure
from torchsite.inputs.references import CITE, NO_TERMS, REF, claim_ids, parse, reference_text

ALLOWED_TAGS = {"p", "h2", "h3", "h4", "ul", "ol", "li", "em", "strong", "a", "blockquote", "span", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "h2": {"id"}, "h3": {"id"}}
_OPEN, _CLOSE = "\ue000", "\ue001"  # private-use characters around a placeholder's number
_PLACEHOLDER = re.compile(f"{_OPEN}(\\d+){_CLOSE}")


def render(
    text: str,
    figures: dict[str, Figure],
    fact_href: str,
    claims: Mapping[str, Claim] | None = None,
    *,
    inline: bool = False,
    terms: Mapping[str, str] = NO_TERMS,
) -> str:
    """Markdown to sanitized HTML, references and citations linked to their entries on the fact sheet at `fact_href`."""
    made: list[str] = []
    extension = MarksExtension(figures, claims or {}, fact_href, made, terms)
    md = markdown.Markdown(extensions=[extension, "smarty"], output_format="html")
    html = md.convert(text.replace(_OPEN, "").replace(_CLOSE, ""))
    if inline and html.startswith("<p>") and html.endswith("</p>"):
        html = html[3:-4]
    clean = nh3.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"https", "http", "mailto"}, link_rel=None
    )
    return _PLACEHOLDER.sub(lambda m: made[int(m.group(1))], clean)


def fact_link(ident: str, text: str, fact_href: str) -> Markup:
    """A figure as the site's one kind of fact link: to its entry on the fact sheet at `fact_href`."""
    return Markup('<a class="fact" data-fact="{0}" href="{1}#{0}">{2}</a>').format(ident, fact_href, text)


def fact_links(parts: Iterable[Part], fact_href: str) -> Markup:
    """Words with figures (a chart's description) as HTML, every figure a fact link."""
    return Markup("").join(p if isinstance(p, str) else fact_link(p[0], p[1], fact_href) for p in parts)


def citation(idents: list[str], fact_href: str) -> str:
    """A sentence's citation: one small link per claim, named "source" and its number (CSS counts them in reading
    order), short enough for a heading's name; the passage is in the reader's card and on the fact sheet."""
    link = Markup('<a class="cite" data-claim="{0}" href="{1}#{0}"><span class="visually-hidden"> source</span></a>')
    links = Markup('<span class="visually-hidden">, </span>').join(link.format(ident, fact_href) for ident in idents)
    return f'<sup class="cites">{links}</sup>'


_CITE_NAME = re.compile(
    r'(<a class="cite" data-claim="[a-z0-9_]+" href="[^"]*"><span class="visually-hidden"> source)(</span>)'
)


def number_citations(html: str) -> str:
    """A page's citations named "source 1", "source 2"... in document order, the order site.css's counter draws."""
    count = iter(range(1, 1_000_000))
    return _CITE_NAME.sub(lambda m: f"{m.group(1)} {next(count)}{m.group(2)}", html)


class MarkPattern(InlineProcessor):
    """A reference or citation becomes a placeholder for its generated HTML, which sanitizing never touches."""

    def __init__(self, pattern: str, html: Callable[[str], str], made: list[str]):
        super().__init__(pattern)
        self.html, self.made = html, made

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[str, int, int]:  # type: ignore[override]  # noqa: N802
        """Render one mark, and leave its placeholder in the text."""
        self.made.append(self.html(m.group(1)))
        return f"{_OPEN}{len(self.made) - 1}{_CLOSE}", m.start(0), m.end(0)


class MarksExtension(Extension):
    """Python-Markdown extension for fact references (`{{id}}`) and claim citations (`[[id]]`, `[[a, b]]`)."""

    def __init__(
        self,
        figures: dict[str, Figure],
        claims: Mapping[str, Claim],
        fact_href: str,
        made: list[str],
        terms: Mapping[str, str] = NO_TERMS,
    ):
        super().__init__()
        self.figures, self.claims, self.fact_href, self.made, self.terms = figures, claims, fact_href, made, terms

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
        """Register the patterns ahead of links and emphasis, so ids with underscores survive."""
        md.inlinePatterns.register(MarkPattern(REF.pattern, self.figure, self.made), "fact", 200)
        md.inlinePatterns.register(MarkPattern(CITE.pattern, self.cite, self.made), "cite", 199)

    def figure(self, body: str) -> str:
        """A figure, or the period it refers to, linked to its entry."""
        ref = parse(body)
        if ref.kind == "term":
            return str(Markup('<span class="term">{}</span>').format(self.terms[ref.ident]))
        return fact_link(ref.ident, reference_text(ref, self.figures), self.fact_href)

    def cite(self, body: str) -> str:
        """The citation of the claims named."""
        return citation(claim_ids(body), self.fact_href)
