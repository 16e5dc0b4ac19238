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
from torchsite.inputs.messages import ENGLISH, Messages
from torchsite.inputs.references import CITE, NO_TERMS, REF, claim_ids, parse, reference_text

ALLOWED_TAGS = {"p", "h2", "h3", "h4", "ul", "ol", "li", "em", "strong", "a", "blockquote", "span", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "h2": {"id"}, "h3": {"id"}}
_OPEN, _CLOSE = "\ue000", "\ue001"  # private-use characters around a placeholder's number
_PLACEHOLDER = re.compile(f"{_OPEN}(\\d+){_CLOSE}")
_BLOCK_END = re.compile(r"(?<=</p>)|(?<=</li>)|(?<=</h2>)|(?<=</h3>)|(?<=</h4>)|(?<=</blockquote>)")


def render(
    text: str,
    figures: dict[str, Figure],
    fact_href: str,
    claims: Mapping[str, Claim] | None = None,
    *,
    inline: bool = False,
    terms: Mapping[str, str] = NO_TERMS,
    notes: Mapping[str, int] | None = None,
    cites: bool = True,
    messages: Messages = ENGLISH,
) -> str:
    """Markdown to sanitized HTML, references linked to their entries on the fact sheet at `fact_href`; citations
    linked to the page's numbered `notes` (claim id to number), or to the fact sheet where the page has none.
    Without `cites` (a headline) citations are left out: the page's notes still list what they name."""
    marks = Marks(figures, claims or {}, fact_href, terms, notes, cites, messages)
    md = markdown.Markdown(extensions=[MarksExtension(marks), "smarty"], output_format="html")
    html = md.convert(text.replace(_OPEN, "").replace(_CLOSE, ""))
    if inline and html.startswith("<p>") and html.endswith("</p>"):
        html = html[3:-4]
    if not cites:
        html = html.rstrip()  # the space that stood before a citation left out
    clean = nh3.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"https", "http", "mailto"}, link_rel=None
    )
    return "".join(marks.fill(block) for block in _BLOCK_END.split(clean))


def fact_link(ident: str, text: str, fact_href: str, *, quiet: bool = False) -> Markup:
    """A figure as the site's one kind of fact link: to its entry on the fact sheet at `fact_href`; a `quiet` one
    (a year, a small exact count) is drawn without a mark at rest."""
    kind = "fact fact-quiet" if quiet else "fact"
    return Markup('<a class="{3}" data-fact="{0}" href="{1}#{0}">{2}</a>').format(ident, fact_href, text, kind)


# Units that count things or time: an exact figure in one of them ("nine sub-areas", "two years") is read, not
# weighed, so the text does not mark it; a hedge, a derivation or a measured quantity (money, shares, area) is.
COUNTS = frozenset({"count", "people", "years", "months"})
DATES = frozenset({"year", "month", "day"})


def quiet(figure: Figure, part: str = "") -> bool:
    """True for a figure the text names without a mark: a period, a date, or an exact stated count."""
    if part == "as_of" or not figure.is_number or figure.unit in DATES:
        return True
    return figure.kind == "fact" and figure.qualifier == "exact" and figure.unit in COUNTS


def fact_links(parts: Iterable[Part], fact_href: str, figures: Mapping[str, Figure] | None = None) -> Markup:
    """Words with figures (a chart's description) as HTML, every figure a fact link (quiet as in the text, when the
    `figures` are given)."""
    known = figures or {}
    return Markup("").join(
        p if isinstance(p, str) else fact_link(p[0], p[1], fact_href, quiet=p[0] in known and quiet(known[p[0]]))
        for p in parts
    )


NOTE_NAME = Markup('<span class="visually-hidden">{2}</span>{1}</a>')  # a marker's name: "note 3"
# Between a sentence's full stop and its marker: a word joiner (U+2060), so a marker never starts a line of its own.
JOIN = "&#8288;"


def citation(
    idents: list[str], fact_href: str, notes: Mapping[str, int] | None = None, messages: Messages = ENGLISH
) -> str:
    """A sentence's citation: one small number per claim, the number of its note at the end of the page (named
    "note 3"), or, on a page without notes, a link to the fact sheet (named "source" and its number, which CSS
    counts in reading order). The passage is in the reader's card, the notes and on the fact sheet."""
    if notes is not None and all(ident in notes for ident in idents):
        note = Markup('<a class="cite note-ref" data-claim="{0}" href="#note-{0}">') + NOTE_NAME
        name = messages.gettext("note ")  # read out before the number
        links = Markup('<span class="cite-sep">,</span>').join(note.format(i, notes[i], name) for i in idents)
        return f'{JOIN}<sup class="cites">{links}</sup>'
    link = Markup('<a class="cite" data-claim="{0}" href="{1}#{0}"><span class="visually-hidden">{2}</span></a>')
    source = messages.gettext(" source")  # read out before the number number_citations adds
    links = Markup('<span class="visually-hidden">, </span>').join(link.format(i, fact_href, source) for i in idents)
    return f'{JOIN}<sup class="cites">{links}</sup>'


_CITE_NAME = re.compile(
    r'(<a class="cite" data-claim="[a-z0-9_]+" href="[^"]*"><span class="visually-hidden">[^<]*)(</span>)'
)


def number_citations(html: str) -> str:
    """A page's citations named "source 1", "source 2"... in document order, the order site.css's counter draws."""
    count = iter(range(1, 1_000_000))
    return _CITE_NAME.sub(lambda m: f"{m.group(1)} {next(count)}{m.group(2)}", html)


class MarkPattern(InlineProcessor):
    """A reference or citation becomes a placeholder for its generated HTML, which sanitizing never touches."""

    def __init__(self, pattern: str, html: Callable[[str], str], made: list[str]) -> None:
        super().__init__(pattern)
        self.html, self.made = html, made

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[str, int, int]:  # type: ignore[override]  # noqa: N802
        """Render one mark, and leave its placeholder in the text."""
        self.made.append(self.html(m.group(1)))
        return f"{_OPEN}{len(self.made) - 1}{_CLOSE}", m.start(0), m.end(0)


class Marks:
    """What references and citations render to on one page: figures, claims, links, terms and notes."""

    def __init__(
        self,
        figures: dict[str, Figure],
        claims: Mapping[str, Claim],
        fact_href: str,
        terms: Mapping[str, str] = NO_TERMS,
        notes: Mapping[str, int] | None = None,
        cites: bool = True,
        messages: Messages = ENGLISH,
    ):
        self.figures, self.claims, self.fact_href, self.terms = figures, claims, fact_href, terms
        self.notes, self.cites, self.messages = notes, cites, messages
        self.made: list[str] = []  # each mark's HTML, by the number of its placeholder
        self.values: dict[int, str] = {}  # the placeholders of figures' values: their fact ids
        self.periods: dict[int, tuple[str, str]] = {}  # the placeholders of periods: fact id and the words unlinked

    def figure(self, body: str) -> str:
        """A figure, or the period it refers to, linked to its entry."""
        ref = parse(body)
        if ref.kind == "term":
            return str(Markup('<span class="term">{}</span>').format(self.terms[ref.ident]))
        words = reference_text(ref, self.figures)
        if ref.part == "as_of":
            period = Markup('<span class="fact-period" data-for="{}">{}</span>').format(ref.ident, words)
            self.periods[len(self.made)] = (ref.ident, str(period))
        else:
            self.values[len(self.made)] = ref.ident
        still = ref.ident in self.figures and quiet(self.figures[ref.ident], ref.part)
        return fact_link(ref.ident, words, self.fact_href, quiet=still)

    def fill(self, block: str) -> str:
        """One block of HTML with its marks put in. A period in the block of its own figure ('more than 10,000
        businesses by 2020', '截至2020年，…超过1万家') is words of that figure, not a second link to the same entry."""
        shown = {self.values.get(int(n)) for n in _PLACEHOLDER.findall(block)}

        def put(m: re.Match[str]) -> str:
            period = self.periods.get(int(m.group(1)))
            return period[1] if period is not None and period[0] in shown else self.made[int(m.group(1))]

        return _PLACEHOLDER.sub(put, block)

    def cite(self, body: str) -> str:
        """The citation of the claims named (nothing where citations are left out)."""
        return citation(claim_ids(body), self.fact_href, self.notes, self.messages) if self.cites else ""


class MarksExtension(Extension):
    """Python-Markdown extension for fact references (`{{id}}`) and claim citations (`[[id]]`, `[[a, b]]`)."""

    def __init__(self, marks: Marks) -> None:
        super().__init__()
        self.marks = marks

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
        """Register the patterns ahead of links and emphasis, so ids with underscores survive."""
        md.inlinePatterns.register(MarkPattern(REF.pattern, self.marks.figure, self.marks.made), "fact", 200)
        md.inlinePatterns.register(MarkPattern(CITE.pattern, self.marks.cite, self.marks.made), "cite", 199)
