"""Rendering: the page registry (each page declared once), and every page and asset in memory."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import jinja2
from babel import Locale, UnknownLocaleError
from markupsafe import Markup

from torchsite.charts.export import lead_chart
from torchsite.charts.model import Part
from torchsite.errors import ContentError, Problem, display_path
from torchsite.inputs.config import Project, SiteConfig
from torchsite.inputs.diagnostics import file_kind
from torchsite.inputs.facts import Claim, FactSheet, Source
from torchsite.inputs.figures import Figure, explain
from torchsite.inputs.hedges import HEDGES
from torchsite.inputs.messages import N_
from torchsite.inputs.references import cited_claims, fact_ids
from torchsite.inputs.story import Story
from torchsite.render import corrections, discovery, factsheet, firstscreen, markdown, readercard
from torchsite.render.chartfiles import ChartView, add_files
from torchsite.render.downloads import Download, chart_downloads, downloads
from torchsite.render.site import Build, Origin, Site, script_file, static_file
from torchsite.render.templates import MAX_TEMPLATE_BYTES, environment, page_messages, template_origin, template_problem

# Inline chart drawings carry style attributes, and plotly.js ("Explore the data") writes a <style> element,
# which need 'unsafe-inline' for styles (never for scripts); one policy for every page is simpler.
READERCARD = "torchsite/render/readercard.py"  # what makes each page's card data
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'none'"
)
Context = dict[str, Any]


@dataclass(frozen=True)
class Page:
    """One page: its URL below the site root, the template, and what it shows."""

    url: str
    template: str
    context: dict[str, Any]
    base: str | None = None  # a fixed prefix to the site root, for pages served at any URL (404.html)
    origin: Origin | None = None  # the input that asks for this page (e.g. a chart's id), for error messages
    indexed: bool = True  # False: a page only for other sites to frame (a chart's embed page)
    first_screen: tuple[str, ...] = ("base",)  # the sections of site.css inlined in its <head>
    prefix: str = ""  # its edition's folder below the site root ('' for the main edition, 'zh-hans/')
    name: str = ""  # its route's name

    @property
    def key(self) -> str:
        """The page's URL within its edition: the same page in every edition has the same key."""
        return self.url.removeprefix(self.prefix)

    @property
    def path(self) -> str:
        """The file the page is written to."""
        return f"{self.url}index.html" if self.url.endswith("/") or not self.url else self.url

    @property
    def root(self) -> str:
        """The prefix from this page back to the site root: relative, or the fixed base when set."""
        return self.base if self.base is not None else "../" * self.url.count("/")

    @property
    def indexable(self) -> bool:
        """Whether the page belongs in the sitemap and carries a canonical URL."""
        return self.base is None and self.indexed


@dataclass(frozen=True)
class Parts:
    """What page contexts are built from: the build, and the files rendering already made of it."""

    build: Build
    views: dict[str, ChartView]
    files: list[Download]
    modified: dt.date | None
    image: str | None  # the share image's absolute URL


@dataclass(frozen=True)
class Route:
    """A page declared once: name, URL, template, navigation title (None: not in the menu) and its contexts."""

    name: str
    url: str  # below the site root; "{chart.page}" is filled in from each page's context
    template: str
    title: str | None
    contexts: Callable[[Parts], list[Context]]  # one per page this build has (none: the page is left out)
    base: bool = False  # served at any URL, so it links from the site's base path (404.html)
    indexed: bool = True  # False: left out of the sitemap, marked noindex (pages for other sites to frame)
    first_screen: tuple[str, ...] = ("base",)  # the sections of site.css its first screen needs (firstscreen.py)


@dataclass(frozen=True)
class Note:
    """One numbered note at the end of a page: a claim its text cites, with the source that states it."""

    number: int
    claim: Claim
    source: Source


def notes(doc: Story, sheet: FactSheet) -> list[Note]:
    """The notes of a document: each claim it cites, numbered in reading order from the standfirst on; claims only
    the headline cites (it carries no marker) come last."""
    order = cited_claims(f"{doc.standfirst}\n{doc.body}") + cited_claims(doc.title)
    claims = {claim.id: claim for claim in sheet.claims}
    known = [ident for ident in dict.fromkeys(order) if ident in claims]
    return [Note(n, claims[i], sheet.source(claims[i].source)) for n, i in enumerate(known, start=1)]


def story_page(parts: Parts) -> list[Context]:
    """The story: its key figures, the latest correction, and the NewsArticle it is."""
    b = parts.build
    corrected = corrections.latest(b.sheet, b.config.formatter())
    modified = dt.date.fromisoformat(corrected[0].date) if corrected else parts.modified  # the content's date, no clock
    article = discovery.news_article(b.config, b.story, parts.image, modified, b.sheet, absolute(b, "facts"))
    return [
        {
            "story": b.story,
            "key_figures": [b.figures[i] for i in b.config.key_figures],
            "updated": corrected,
            "modified": modified,
            "sources": b.sheet.sources,
            "notes": notes(b.story, b.sheet),
            "json_ld": [discovery.json_ld(article)],
            "og_type": "article",
        }
    ]


def facts_page(parts: Parts) -> list[Context]:
    """The fact sheet: facts and derived figures by theme, with hedges, corrections and the Dataset it is."""
    b = parts.build
    fmt = b.config.formatter()
    groups = [
        {
            "theme": theme,
            "facts": [f for f in b.sheet.facts if f.theme == theme.id],
            "derived": [d for d in b.sheet.derived if d.theme == theme.id],
        }
        for theme in b.sheet.themes
    ]
    data = discovery.dataset(b.config, b.sheet, parts.files, parts.modified, absolute(b, "facts"))
    return [
        {
            "sheet": b.sheet,
            "groups": groups,
            "explanations": {d.id: explain(b.figures[d.id], b.figures, fmt) for d in b.sheet.derived},
            "formulas": {d.id: factsheet.formula_words(d.formula, b.figures, fmt) for d in b.sheet.derived},
            "hedges": {
                q: {
                    "name": fmt.words.name(q),
                    "report": fmt.words.explained(q),
                    "working": fmt.words.explained(q, derived=True),
                }
                for q in HEDGES
            },
            "corrections": corrections.history(b.sheet, b.config.formatter()),
            "json_ld": [discovery.json_ld(data)],
        }
    ]


def chart_pages(parts: Parts) -> list[Context]:
    """One page per chart, to share or embed, with the latest correction to a figure it draws."""
    b = parts.build
    fmt = b.config.formatter()
    return [
        {"chart": view, "updated": corrections.latest(b.sheet, fmt, drawn_facts(view, b.figures))}
        for view in parts.views.values()
    ]


def drawn_facts(view: ChartView, figures: dict[str, Figure]) -> set[str]:
    """The facts a chart shows (rows, title, description) rest on, through derived figures' inputs."""
    chart = view.chart
    todo = [row.id for row in chart.rows] + [part[0] for part in chart.description if not isinstance(part, str)]
    todo += fact_ids(f"{chart.spec.title} {chart.spec.note or ''}")
    found: set[str] = set()
    while todo:
        ident = todo.pop()
        if ident not in found and ident in figures:
            found.add(ident)
            todo.extend(figures[ident].inputs)
    return found


def methodology_page(parts: Parts) -> list[Context]:
    """The methodology, when the project has one."""
    doc = parts.build.methodology
    return [] if doc is None else [{"doc": doc, "notes": notes(doc, parts.build.sheet)}]


def data_page(parts: Parts) -> list[Context]:
    """The downloads: the fact sheet's files and each chart's CSV."""
    return [{"downloads": parts.files}]


def not_found_page(parts: Parts) -> list[Context]:
    """The page a host serves for a missing URL."""
    return [{}]


# The sections of site.css each page's first screen needs (firstscreen.py): the story's first screen shows no
# chart's furniture (key, source, data), so it leaves out "figure"; a chart's own page and its embed show it at once.
SHEETS = ("base", "sheets")
CHARTS = ("base", "charts")
ROUTES = (
    Route("story", "", "story.html", N_("Story"), story_page, first_screen=CHARTS),
    Route("facts", "facts/", "facts.html", N_("Fact sheet"), facts_page, first_screen=SHEETS),
    Route("chart", "{chart.page}", "chart.html", None, chart_pages, first_screen=(*CHARTS, "figure", "chart-page")),
    Route("embed", "{chart.embed}", "embed.html", None, chart_pages, indexed=False, first_screen=(*CHARTS, "figure")),
    Route("methodology", "methodology/", "methodology.html", N_("Methodology"), methodology_page, first_screen=SHEETS),
    Route("data", "data/", "data.html", N_("Data"), data_page, first_screen=SHEETS),
    Route("404", "404.html", "404.html", None, not_found_page, base=True, first_screen=SHEETS),
)
ROUTE = {route.name: route for route in ROUTES}


def absolute(build: Build, name: str) -> str:
    """A named page's absolute URL in the build's edition."""
    return build.config.base_url + build.config.prefix + ROUTE[name].url


@jinja2.pass_context
def url_for(context: jinja2.runtime.Context, name: str, anchor: str | None = None) -> str:
    """A named page's URL relative to the current page ('./' for the site root from itself), with an anchor."""
    if name not in ROUTE:  # a template's typo: an error located in the template, never a crash
        raise jinja2.TemplateRuntimeError(f"url_for: no page named {name!r} (pages: {', '.join(ROUTE)})")
    href = str(context["page"].root) + context["page"].prefix + ROUTE[name].url
    return f"{href}#{anchor}" if anchor else href or "./"


@jinja2.pass_context
def fact_url(context: jinja2.runtime.Context, ident: str) -> str:
    """The URL of a figure's entry on the fact sheet, relative to the current page."""
    return url_for(context, "facts", ident)


@jinja2.pass_context
def render_markdown(context: jinja2.runtime.Context, text: str, inline: bool = False, cites: bool = True) -> Markup:
    """Checked Markdown as safe HTML, its fact links relative to the current page, its citations numbered as the
    page's notes are (without `cites`, as in a headline, left out)."""
    href = url_for(context, "facts")
    terms = context.get("terms") or {}
    page_notes = context.get("notes")
    numbers = {note.claim.id: note.number for note in page_notes} if page_notes is not None else None
    html = markdown.render(
        text,
        context["figures"],
        href,
        context["claims"],
        inline=inline,
        terms=terms,
        notes=numbers,
        cites=cites,
        messages=page_messages(context),
    )
    return Markup(html)


@jinja2.pass_context
def href(context: jinja2.runtime.Context, url: str) -> Markup:
    """An `href` with a `data-url` holding its absolute address (print shows it after the link), both escaped; a
    link within the site has none while base_url is a stand-in (example.org): print would show an address that
    leads nowhere."""
    config = context["config"]
    if config.placeholder_address and not urlsplit(url).scheme:
        return Markup('href="{}"').format(url)
    here = config.base_url + context["page"].url
    return Markup('href="{}" data-url="{}"').format(url, urljoin(here, url))


@jinja2.pass_context
def has_page(context: jinja2.runtime.Context, name: str) -> bool:
    """True when the site has the named page (the methodology is optional)."""
    return name in context["present"]


@jinja2.pass_context
def render_fact_links(context: jinja2.runtime.Context, parts: tuple[Part, ...]) -> Markup:
    """Words with figures (a chart's description) as HTML, its fact links relative to the current page."""
    return markdown.fact_links(parts, url_for(context, "facts"), context["figures"])


@jinja2.pass_context
def published(context: jinja2.runtime.Context, value: str) -> str:
    """A source's publication date ('2025-07-18', '2025-07', '2025') in the site's date style ('July 18, 2025')."""
    unit = {4: "year", 7: "month"}.get(len(value), "day")
    try:
        return str(context["config"].formatter().date(value, unit))
    except ValueError:
        return value  # a date the source writes otherwise ("Spring 2025") is shown as written


@jinja2.pass_context
def credit(context: jinja2.runtime.Context, source: Source) -> str:
    """A source's credit line ('a news report from China') in the page's language."""
    return source.credit_said(page_messages(context).gettext)


GLOBALS = {
    "published": published,
    "credit": credit,
    "url_for": url_for,
    "fact_url": fact_url,
    "markdown": render_markdown,
    "fact_links": render_fact_links,
    "href": href,
    "has_page": has_page,
}


PROJECT_CSS = "project.css"  # a project's own stylesheet, in its templates/ folder


def project_css(project: Project) -> bytes:
    """The project's `templates/project.css`, to follow the package's stylesheet in the one the pages link (so its
    rules win by order: an accent, a masthead, a story's layout); nothing when there is none. A file there that is
    not a plain file, or is larger than a template may be, is an error at its path."""
    path = project.templates / PROJECT_CSS
    try:
        mode = path.stat()
    except OSError:
        return b""  # no project stylesheet
    where = display_path(path)
    if kind := file_kind(mode.st_mode):
        raise ContentError([Problem(where, None, None, None, f"is {kind}, not a stylesheet", "put a CSS file there")])
    if mode.st_size > MAX_TEMPLATE_BYTES:
        why = f"the file is larger than the limit of {MAX_TEMPLATE_BYTES:,} bytes"
        raise ContentError([Problem(where, None, None, None, why, "a project's stylesheet adds a few rules")])
    return b"\n/* The project's own stylesheet: " + PROJECT_CSS.encode() + b" */\n" + path.read_bytes()


def card_claim(claim: Claim, sheet: FactSheet) -> readercard.Claim:
    """A claim as its card shows it: the passage, and the source's title and address."""
    source = sheet.source(claim.source)
    return readercard.Claim(claim.passage, source.title, source.url)


def pages(parts: Parts) -> list[Page]:
    """Every page of the build's edition, in registry order, with its context (a further edition has no pages served
    at any URL: the 404 page is the main edition's)."""
    base = urlsplit(parts.build.config.base_url).path
    prefix = parts.build.config.prefix
    return [
        Page(
            prefix + route.url.format(**context),
            route.template,
            context,
            base if route.base else None,
            indexed=route.indexed,
            first_screen=route.first_screen,
            prefix=prefix,
            name=route.name,
        )
        for route in ROUTES
        if not (route.base and prefix)
        for context in route.contexts(parts)
    ]


@dataclass
class Edition:
    """One edition's part of the render: its build, formatter, assets, pages and what they share."""

    build: Build
    assets: dict[str, str]
    listed: list[Page]
    views: dict[str, ChartView]
    shared: dict[str, Any] | None
    own: dict[str, dict[str, Any]]


def autonym(lang: str) -> str:
    """A language's name in itself ('English', '中文 (简体)'), for the switcher to it."""
    try:
        name = Locale.parse(lang, sep="-").get_display_name() or lang
    except (UnknownLocaleError, ValueError):
        return lang
    return name[:1].upper() + name[1:]


def other_editions(editions: list[Edition]) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """Each page (by route and key) with every edition of it: its language and URL below the site root."""
    found: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for edition in editions:
        for page in edition.listed:
            found.setdefault((page.name, page.key), []).append((edition.build.config.lang, page.url))
    return found


def render(project: Project, build: Build) -> Site:
    """Render every page and asset of every edition into memory; template problems are collected, not raised one by
    one. The downloads are the main edition's, shared by all."""
    site = Site()
    site.base_path = urlsplit(build.config.base_url).path
    css = static_file("site.css") + project_css(project)
    modified = discovery.source_date()
    files = downloads(build.sheet, build.figures, build.config.formatter())
    for file in files:
        site.add(file.path, file.data, display_path(project.facts))
    chart_files = chart_downloads(list(build.charts), build.config.formatter())
    for file in chart_files:
        site.add(file.path, file.data, "content/charts.yaml")
    data = {file.path: file.data for file in [*files, *chart_files]}
    editions = [prepare(site, b, css, data, modified) for b in (build, *build.editions)]
    if build.editions:
        script = static_file("editions.js")
        path = site.add_hashed("assets", "editions", ".js", script, "torchsite/static/editions.js")
        for edition in editions:
            edition.assets["editions_js"] = path
    env = environment(project.templates.resolve())
    env.globals.update(GLOBALS)
    problems: list[Problem] = []
    alternates = other_editions(editions) if build.editions else {}
    for edition in editions:
        problems += render_pages(project, site, env, edition, css, alternates)
    if problems:
        raise ContentError(problems)
    indexable = [page.url for edition in editions for page in edition.listed if page.indexable]
    site.add("sitemap.xml", discovery.sitemap(build.config, indexable, modified), "torchsite/render/discovery.py")
    site.add("robots.txt", discovery.robots(build.config), "torchsite/render/discovery.py")
    return site


def prepare(site: Site, build: Build, css: bytes, data: dict[str, bytes], modified: dt.date | None) -> Edition:
    """An edition's assets (those it shares with the others are written once: same content, same hashed name), its
    share images and its pages; its downloads are the shared files, described in its language."""
    config = build.config
    fmt = config.formatter()
    assets = {"css": site.add_hashed("assets", "site", ".css", css, "torchsite/static/site.css")}
    icon = static_file("favicon.svg")
    assets["icon"] = site.add_hashed("assets", "icon", ".svg", icon, "torchsite/static/favicon.svg")
    reader = script_file("reader.js", fmt.messages)
    assets["reader_js"] = site.add_hashed("assets", "reader", ".js", reader, "torchsite/static/reader.js")
    views, chart_assets = add_files(site, list(build.charts), build.exports.svgs, fmt.messages)
    assets.update(chart_assets)
    shared: dict[str, Any] | None = None
    if build.exports.share is not None:
        image = build.exports.share
        path = site.add_hashed("assets", "share", ".png", image.data, "content/charts.yaml")
        lead = lead_chart(list(build.charts))
        shared = {"path": path, "width": image.width, "height": image.height, "alt": image.alt, "chart": lead}
    own: dict[str, dict[str, Any]] = {}
    for ident, image in build.exports.charts.items():
        if shared is not None and shared["chart"] is not None and shared["chart"].id == ident:
            own_path: str = shared["path"]  # the lead chart's image is the site's: one file
        else:
            own_path = site.add_hashed("assets", f"share-{ident}", ".png", image.data, "content/charts.yaml")
        own[ident] = {"path": own_path, "width": image.width, "height": image.height, "alt": image.alt, "chart": None}
    said = [*downloads(build.sheet, build.figures, fmt), *chart_downloads(list(build.charts), fmt)]
    files = [dataclasses.replace(file, data=data.get(file.path, file.data)) for file in said]
    image_url = config.base_url + shared["path"] if shared else None
    listed = pages(Parts(build, views, files, modified, image_url))
    return Edition(build, assets, listed, views, shared, own)


def switches(page: Page, lang: str, alternates: dict[tuple[str, str], list[tuple[str, str]]]) -> list[Context]:
    """The links from a page to the same page in each other edition, relative to it, named in their language."""
    return [
        {"lang": other, "name": autonym(other), "href": page.root + url}
        for other, url in alternates.get((page.name, page.key), [])
        if other != lang
    ]


def hreflang(
    page: Page, base_url: str, alternates: dict[tuple[str, str], list[tuple[str, str]]]
) -> list[dict[str, str]]:
    """A page's alternates: every edition of it (itself too), then the main edition's as x-default."""
    found = alternates.get((page.name, page.key), [])
    links = [{"lang": lang, "url": base_url + url} for lang, url in found]
    return [*links, {"lang": "x-default", "url": base_url + found[0][1]}] if len(found) > 1 else []


def passage_lang(config: SiteConfig) -> Markup:
    """The lang attribute of a quoted passage on an edition's page: the passages stay in the sources' words, in the
    language the fact sheet is checked in (the main edition's); none on the main edition's pages."""
    main = config.main.lang
    return Markup(' lang="{}"').format(main) if config.lang != main else Markup("")


def render_pages(
    project: Project,
    site: Site,
    env: jinja2.Environment,
    edition: Edition,
    css: bytes,
    alternates: dict[tuple[str, str], list[tuple[str, str]]],
) -> list[Problem]:
    """Render an edition's pages into the site; the template problems found."""
    build, assets, listed, views, shared, own = (
        edition.build,
        edition.assets,
        edition.listed,
        edition.views,
        edition.shared,
        edition.own,
    )
    config = build.config
    fmt = config.formatter()
    problems: list[Problem] = []
    urls = {page.key for page in listed}
    nav = [route for route in ROUTES if route.title is not None and route.url in urls]
    claims = {c.id: card_claim(c, build.sheet) for c in build.sheet.claims}
    deck = readercard.Deck(build.figures, build.sheet, claims, fmt)
    present = {route.name for route in ROUTES if any(page.template == route.template for page in listed)}
    for page in listed:
        context = {
            "config": config,
            "page": page,
            "assets": assets,
            "nav": nav,
            "present": present,
            "csp": CSP,
            "critical_css": firstscreen.critical(css.decode("utf-8"), page.first_screen),
            "figures": build.figures,
            "claims": {claim.id: claim for claim in build.sheet.claims},
            "terms": {term.id: term.text for term in build.sheet.terms},
            "json_ld": [],
            "og_type": "website",
            "share_image": own_share_image(shared, own, page.context.get("chart")),
            "charts": views,
            "messages": fmt.messages,
            "alternates": hreflang(page, config.base_url, alternates) if page.indexable else [],
            "switch": switches(page, config.lang, alternates),
            "passage_lang": passage_lang(config),
            **page.context,
        }
        try:
            template = env.get_template(page.template)
            html = template.render(context)
        except (jinja2.TemplateError, RecursionError) as exc:  # RecursionError: a template including itself
            problems.append(template_problem(exc, project.templates, page.template, context))
            continue
        html = markdown.number_citations(html)
        if not fmt.words.spaced:  # templates join sentences with a space; this script has none
            html = _SENTENCE_GAP.sub(r"\1", html)
        cards = readercard.page_cards(html, deck, page.root + page.prefix + ROUTE["facts"].url)
        if cards is not None:
            slug = page.path.removesuffix("index.html").strip("/").replace("/", "-") or "story"
            src = site.add_hashed("assets", f"cards-{slug}", ".json", cards.encode("utf-8"), READERCARD)
            html = readercard.add_card_data(html, page.root + src)
        site.add(page.path, html, page.origin or template_origin(template))
    return problems


# A space after a full-width sentence end, before the next sentence's text or tag, in a script without spaces.
_SENTENCE_GAP = re.compile(r"([。！？]) +(?=[<\u3000-\u9fff\uff00-\uffef“（《])")


def own_share_image(
    shared: dict[str, Any] | None, own: dict[str, dict[str, Any]], chart: ChartView | None
) -> dict[str, Any] | None:
    """The share image for a page: a chart's page and its embed carry their own chart's image, the others the site's."""
    if shared is None or chart is None:
        return shared
    return own.get(chart.id)
