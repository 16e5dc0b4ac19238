"""The reader's site as built: pages, links, metadata, downloads and the CSP, read from the files in dist/."""

from __future__ import annotations

import csv
import io
import json
import re
import struct
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit
from xml.etree import ElementTree

import jsonschema
import pytest

from helpers.chromium import need_chromium
from helpers.html import Element, Page, pages_of, read_page, site_cards
from helpers.project import REPO, Result, Site, edit, line_of
from torchsite import pipeline
from torchsite.inputs import facts, yamldoc
from torchsite.inputs.config import Project
from torchsite.inputs.figures import compute
from torchsite.inputs.formatting import Formatter
from torchsite.render import discovery, readercard
from torchsite.render.downloads import CSV_COLUMNS, human_size

BASE = "https://example.org/torchsite/"


def address(path: str) -> str:
    """The public URL a built file is served at."""
    return BASE + (path[: -len("index.html")] if path.endswith("index.html") else path)


def target(page: str, url: str, dist: Path) -> tuple[str | None, str]:
    """The built file (or None if outside the site) and the fragment a link on `page` leads to."""
    absolute, fragment = urldefrag(urljoin(address(page), url))
    if not absolute.startswith(BASE):
        return None, fragment
    rel = absolute[len(BASE) :]
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    try:
        is_file = (dist / rel).is_file()
    except OSError:  # no file name at all (an attribute's prose, too long for one)
        is_file = False
    return (rel if is_file else None), fragment


def test_every_page_and_download_is_reachable_from_the_story(real_site: Site) -> None:
    built = real_site.out
    seen, queue = {"index.html"}, ["index.html"]
    while queue:
        page = queue.pop()
        for tag, _, url in read_page(built / page).urls():
            if tag != "a":
                continue
            found, _ = target(page, url, built)
            if found and found not in seen:
                seen.add(found)
                if found.endswith(".html"):
                    queue.append(found)
    pages = {p.relative_to(built).as_posix() for p in built.rglob("*.html")}
    downloads = {p.relative_to(built).as_posix() for p in (built / "data").rglob("*.*") if p.suffix != ".html"}
    # The 404 page is what the host shows for a missing URL; nothing links to it.
    assert pages - seen == {"404.html"}
    assert downloads <= seen and {"data/facts.csv", "data/charts/footprint.csv"} <= downloads


def test_every_file_is_used_by_a_page(real_site: Site) -> None:
    built = real_site.out
    used = set()
    for page, html in pages_of(built).items():
        for attributes in (e.attrs for e in html.elements):
            for value in attributes.values():
                for url in value.split(","):  # srcset lists
                    found, _ = target(page, url.strip().split(" ")[0], built) if url.strip() else (None, "")
                    if found:
                        used.add(found)
    every = {p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file()}
    # 404.html only uses itself (#main); the marker says the folder is a torchsite output (safe to replace)
    assert every - used <= {"404.html", "sitemap.xml", "robots.txt", ".torchsite-output"}
    assert {"assets/" + p.name for p in (built / "assets").glob("plotly.*.js")} <= used


def test_every_internal_link_and_anchor_resolves_in_the_built_files(real_site: Site) -> None:
    built = real_site.out
    broken = []
    pages = pages_of(built)
    for page, html in pages.items():
        for tag, attributes, url in html.urls():
            if tag == "link" and attributes.get("rel") == "canonical":
                assert url == address(page)
                continue
            found, fragment = target(page, url, built)
            if found is None:
                broken.append(f"{page}: {url}")
            elif fragment and fragment not in (pages.get(found) or read_page(built / found)).ids:
                broken.append(f"{page}: {url} (no #{fragment})")
    assert broken == []


def test_every_page_has_navigation_landmarks_and_a_skip_link(real_site: Site) -> None:
    built = real_site.out
    for page, html in pages_of(built).items():
        tags = [e.tag for e in html.elements]
        if page.endswith("/embed/index.html"):  # a chart alone, for other sites to frame: no menus at all
            assert "main" in tags and not {"header", "nav", "footer"} & set(tags), page
            continue
        assert {"header", "nav", "main", "footer"} <= set(tags), page
        skip = html.first("a")
        assert skip["href"] == "#main" and "main" in html.ids, page
        nav = next(i for i, e in enumerate(html.elements) if e.tag == "nav")
        end = next(i for i, e in enumerate(html.elements) if e.tag == "main")
        nav_links = [e.attrs["href"] for e in html.elements[nav:end] if e.tag == "a"]
        edition = "zh-hans/" if page.startswith("zh-hans/") else ""  # its edition's pages
        for wanted in ("facts/index.html", "methodology/index.html", "data/index.html", "index.html"):
            assert any(target(page, href, built)[0] == edition + wanted for href in nav_links), (page, wanted)


def csp_of(html: Page) -> dict[str, list[str]]:
    """The page's CSP meta tag, as directive -> sources."""
    metas = [a["content"] for a in html.all("meta", http_equiv="Content-Security-Policy")]
    assert len(metas) == 1
    directives = [d.split() for d in metas[0].split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


def test_every_page_has_a_strict_csp_and_refers_to_nothing_outside_the_site(real_site: Site) -> None:
    built = real_site.out
    for page, html in pages_of(built).items():
        csp = csp_of(html)
        assert csp["default-src"] == ["'self'"], page
        assert csp["script-src"] == ["'self'"], page
        every_source = [s for sources in csp.values() for s in sources]
        assert "'unsafe-eval'" not in every_source and not any(s.startswith(("http:", "https:")) for s in every_source)
        assert not any(re.fullmatch(r"https?://\S+|\*", s) for s in every_source)
        for tag, attributes, url in html.urls():
            if urlsplit(url).scheme or url.startswith("//"):
                # Only the canonical link and the other editions' may name an absolute address, only this site's.
                assert tag == "link" and attributes.get("rel") in ("canonical", "alternate"), (page, url)
                assert url.startswith(BASE), (page, url)
        for key in ("og:url", "og:image", "twitter:image"):
            value = html.meta(key)
            assert value is None or value.startswith(BASE), (page, key, value)


def test_json_ld_parses_and_links_the_story_to_the_dataset(real_site: Site) -> None:
    built = real_site.out
    story = [json.loads(b) for b in pages_of(built)["index.html"].json_ld]
    sheet = [json.loads(b) for b in pages_of(built)["facts/index.html"].json_ld]
    assert [n["@type"] for n in story] == ["NewsArticle"] and [n["@type"] for n in sheet] == ["Dataset"]
    article, dataset = story[0], sheet[0]
    assert article["@context"] == dataset["@context"] == "https://schema.org"
    assert article["isBasedOn"]["@id"] == dataset["@id"] == BASE + "facts/#dataset"
    assert article["headline"] == "From a small test field to 43% of Xiamen's industrial output"
    assert "datePublished" not in json.dumps(story) and "dateModified" not in article  # the article has no date
    assert dataset["isBasedOn"][0]["name"] == "Behind 30 years of success at Xiamen Torch High-tech Zone"
    # its reuse terms from site.yaml (license and creator, given together)
    assert dataset["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert dataset["creator"] == {"@type": "Organization", "name": "Torch at thirty"}
    downloads = {d["contentUrl"]: d["encodingFormat"] for d in dataset["distribution"]}
    charts = sorted((built / "data" / "charts").glob("*.csv"))
    assert charts and downloads == {
        BASE + "data/facts.csv": "text/csv",
        BASE + "data/corrections.csv": "text/csv",
        BASE + "data/facts.json": "application/json",
        BASE + "data/facts.schema.json": "application/json",
        **{BASE + "data/charts/" + p.name: "text/csv" for p in charts},
    }
    for url in downloads:
        assert (built / url[len(BASE) :]).is_file()


@pytest.mark.parametrize(
    ("removed", "given", "missing"), [("creator", "license", "creator"), ("license", "creator", "license")]
)
def test_a_dataset_licence_and_its_creator_come_together(
    project: Path, cli: Callable[..., Result], removed: str, given: str, missing: str
) -> None:
    site = project / "content" / "site.yaml"
    site.write_text(re.sub(f"(?m)^{removed}:.*\n", "", site.read_text("utf-8")), "utf-8")
    line = line_of(site, f"{given}:")
    result = cli("build")
    assert result.code == 1
    assert f"content/site.yaml:{line}:{len(given) + 3}: {given}: given without {missing}: " in result.err
    assert f"add {missing}:" in result.err


def test_json_ld_cannot_close_its_script_block() -> None:
    text = discovery.json_ld({"headline": "</script><script>alert(1)</script> & more"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"headline": "</script><script>alert(1)</script> & more"}


def test_source_date_epoch_sets_date_modified_and_lastmod(
    whole_project: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert cli("build").code == 0
    article = json.loads(pages_of(whole_project / "dist")["index.html"].json_ld[0])
    assert article["dateModified"] == "2023-11-14" and "datePublished" not in article
    lastmods = re.findall(r"<lastmod>([^<]*)</lastmod>", (whole_project / "dist" / "sitemap.xml").read_text())
    assert lastmods == ["2023-11-14"] * 16  # story, facts, four charts, methodology, data; in English and Chinese
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    result = cli("build")
    assert result.code == 2 and "SOURCE_DATE_EPOCH must be whole seconds since 1970, got 'yesterday'" in result.err


def test_sitemap_and_robots(real_site: Site) -> None:
    built = real_site.out
    tree = ElementTree.parse(built / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in tree.getroot().findall("s:url/s:loc", ns)]
    charts = [f"charts/{c}/" for c in ("footprint", "output", "milestones", "fund")]
    pages = ["", "facts/", *charts, "methodology/", "data/"]
    assert sorted(locs) == sorted(BASE + edition + page for edition in ("", "zh-hans/") for page in pages)
    assert tree.getroot().findall("s:url/s:lastmod", ns) == []  # no SOURCE_DATE_EPOCH: no date, never the clock
    assert (built / "robots.txt").read_text() == f"User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n"


def test_sharing_metadata_on_the_story(real_site: Site) -> None:
    built = real_site.out
    html = pages_of(built)["index.html"]
    assert html.meta("og:type") == "article" and html.meta("og:url") == BASE
    assert html.meta("og:title") == html.meta("twitter:title")
    assert html.meta("description") == html.meta("og:description")
    assert (html.meta("description") or "").startswith("Over 30 years, the Xiamen Torch High-tech Zone")
    assert html.meta("twitter:card") in ("summary", "summary_large_image")
    if html.meta("og:image") is None:
        assert html.meta("twitter:card") == "summary"  # no share image: no broken og:image URL
    else:
        assert (built / (html.meta("og:image") or "")[len(BASE) :]).is_file()


def test_share_image_is_the_lead_chart_as_a_png(real_site: Site) -> None:
    built = real_site.out
    need_chromium()  # the share image is exported from the lead chart by a browser
    html = pages_of(built)["index.html"]
    image = html.meta("og:image") or ""
    assert image.startswith(BASE + "assets/share.") and image.endswith(".png")
    data = (built / image[len(BASE) :]).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", data[16:24]) == (1200, 630)
    assert (html.meta("og:image:width"), html.meta("og:image:height")) == ("1200", "630")
    assert html.meta("twitter:card") == "summary_large_image" and html.meta("twitter:image") == image
    alt = next(a["aria-label"] for a in html.all("svg") if "chart-drawing" in a.get("class", ""))  # the lead chart
    assert html.meta("og:image:alt") == alt and "less than 3%" in alt  # the hedge survives in the preview
    assert json.loads(html.json_ld[0])["image"] == image


def test_each_chart_page_and_embed_shares_its_own_chart(real_site: Site) -> None:
    """A drawn chart's page and its embed preview with that chart's own image (the lead chart's is the site's one
    file), its size and its text alternative for both Open Graph and Twitter (an embed's link shared alone once
    previewed with no twitter:image:alt, so its image reached a screen reader unnamed)."""
    built = real_site.out
    need_chromium()
    pages = pages_of(built)
    seen: dict[str, str] = {}
    for chart in ("footprint", "output", "milestones", "fund"):
        page, embed = pages[f"charts/{chart}/index.html"], pages[f"charts/{chart}/embed/index.html"]
        image = page.meta("og:image") or ""
        assert image.endswith(".png") and (built / image[len(BASE) :]).is_file(), chart
        assert embed.meta("og:image") == embed.meta("twitter:image") == image, chart
        assert page.meta("og:image:alt") == embed.meta("og:image:alt") != "", chart
        for tag in ("og:image:width", "og:image:height", "twitter:image:alt"):
            assert embed.meta(tag) == page.meta(tag) is not None, (chart, tag)
        seen[chart] = image
    assert len(set(seen.values())) == 4 and seen["footprint"] == pages["index.html"].meta("og:image")


def test_without_a_browser_pages_carry_no_share_image(
    project: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TORCHSITE_BROWSER", str(project / "no-such-browser"))
    monkeypatch.setenv("TORCHSITE_CACHE", str(project / "empty-cache"))
    result = cli("build")
    assert result.code == 0, result.err
    assert "no Chrome or Chromium found" in result.err
    for page, html in pages_of(project / "dist").items():
        assert html.meta("og:image") is None and html.meta("twitter:image") is None, page
    assert pages_of(project / "dist")["index.html"].meta("twitter:card") == "summary"
    assert not list((project / "dist" / "assets").glob("share.*"))


def test_data_page_lists_every_download_with_size_and_columns(real_site: Site) -> None:
    built = real_site.out
    text = (built / "data" / "index.html").read_text(encoding="utf-8")
    for path in sorted((built / "data").rglob("*")):
        if path.suffix == ".html" or not path.is_file():
            continue
        rel = path.relative_to(built / "data").as_posix()
        entry = text[text.index(f'href="../data/{rel}"') :].split("</li>")[0]
        assert human_size(path.stat().st_size) in entry, rel
        if path.suffix == ".csv":
            header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
            listed = re.findall(r"<dt><code>([a-z_]+)</code></dt><dd>", entry)  # each with what it holds
            assert listed == header, rel


def test_404_page_works_at_any_depth(project: Path, cli: Callable[..., Result]) -> None:
    edit(
        project / "content" / "site.yaml", "base_url: https://example.org/torchsite/", "base_url: https://news.example/"
    )
    assert cli("build").code == 0
    html = read_page(project / "dist" / "404.html")
    urls = [url for _, _, url in html.urls() if url != "#main"]
    assert urls and all(url.startswith("/") for url in urls)  # root-relative: the same from /a/b/c/missing
    stylesheet = html.first("link", rel="stylesheet")["href"]
    assert (project / "dist" / stylesheet.lstrip("/")).is_file()
    assert html.meta("robots") == "noindex" and not any(e.attrs.get("rel") == "canonical" for e in html.elements)


def test_404_links_follow_the_base_path(real_site: Site) -> None:
    built = real_site.out
    html = read_page(built / "404.html")
    hrefs = {a["href"] for a in html.all("a")}
    assert {"/torchsite/", "/torchsite/facts/", "/torchsite/methodology/", "/torchsite/data/"} <= hrefs


def test_fact_sheet_shows_every_fact_in_full(real_site: Site) -> None:
    built = real_site.out
    text = (built / "facts" / "index.html").read_text(encoding="utf-8")
    sheet = facts.load(Path("content/facts.yaml"))
    entries = dict(re.findall(r'<div class="fact-entry[^"]*" id="([a-z0-9_]+)">(.*?)</div>', text, re.S))
    assert set(entries) == {f.id for f in sheet.facts} | {d.id for d in sheet.derived} | {c.id for c in sheet.claims}
    for fact in sheet.facts:
        entry = entries[fact.id]
        assert "Period: " in entry and 'href="#source-torch30"' in entry, fact.id
        assert "<blockquote>" in entry, fact.id
    for d in sheet.derived:
        assert f"formula <code>{d.formula}</code>" in entries[d.id] and "Computed as " in entries[d.id]
        assert "Working: " in entries[d.id]
    assert "Period: not stated in the source" in entries["land_share"]


def test_facts_csv_matches_the_fact_sheet(real_site: Site) -> None:
    built = real_site.out
    sheet = facts.load(Path("content/facts.yaml"))
    figures = compute(sheet, Formatter("en"))
    raw = (built / "data" / "facts.csv").read_bytes().decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(raw, newline="")))
    assert list(rows[0]) == CSV_COLUMNS
    assert [r["id"] for r in rows] == list(figures)
    for row in rows:
        figure = figures[row["id"]]
        if figure.unit in ("year", "month", "day"):  # dates in their own column, "'--05-09" as text
            assert row["value"] == "" and row["date"].removeprefix("'") == str(figure.value), row["id"]
        else:
            value = json.loads(row["value"])
            assert value == figure.value and type(value) is type(figure.value) and row["date"] == "", row["id"]
        assert (row["unit"], row["qualifier"], row["text"], row["label"]) == (
            figure.unit,
            figure.qualifier,
            figure.text,
            figure.label,
        )
        if figure.kind == "fact":
            fact = sheet.fact(row["id"])
            assert (row["quote"], row["source"], row["as_of"]) == (fact.quote, fact.source, fact.as_of or "")
        else:
            assert row["formula"] == figure.formula and row["inputs"].split() == list(figure.inputs)
    hedged = {r["id"]: r["hedge"] for r in rows}
    assert hedged["output_latest"] == "more than" and hedged["land_share"] == "less than"


def test_facts_json_is_the_fact_sheet(real_site: Site) -> None:
    built = real_site.out
    sheet = facts.load(Path("content/facts.yaml"))
    data = json.loads((built / "data" / "facts.json").read_text(encoding="utf-8"))
    # It loads back into the same model, field for field (the private YAML positions aside).
    assert facts.FactSheet.model_validate(data).model_dump() == sheet.model_dump()
    assert [f["id"] for f in data["facts"]] == [f.id for f in sheet.facts]


def schema_validator(dist: Path) -> jsonschema.Draft202012Validator:
    """A validator for the published schema (itself checked against the JSON Schema meta-schema)."""
    schema = json.loads((dist / "data" / "facts.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"] == "facts.schema.json"  # relative: it resolves beside the file, wherever published
    return jsonschema.Draft202012Validator(schema)


def test_json_schema_validates_the_real_fact_sheet(real_site: Site) -> None:
    built = real_site.out
    validator = schema_validator(built)
    real = yamldoc.load_yaml(Path("content/facts.yaml")).data
    assert list(validator.iter_errors(real)) == []
    assert list(validator.iter_errors(json.loads((built / "data" / "facts.json").read_text()))) == []


def test_json_schema_rejects_a_broken_fact_sheet(real_site: Site, project: Path) -> None:
    built = real_site.out
    validator = schema_validator(built)
    yaml_path = project / "content" / "facts.yaml"
    edit(
        yaml_path,
        'qualifier: less_than\n    source: torch30\n    quote: "less than 3',
        'qualifier: roughly\n    source: torch30\n    quote: "less than 3',
    )
    edit(yaml_path, '    quote: "eight ABB subsidiaries"\n', '    quoted: "eight ABB subsidiaries"\n')
    broken = yamldoc.load_yaml(yaml_path).data
    messages = sorted(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(broken))
    land = next(i for i, f in enumerate(broken["facts"]) if f["id"] == "land_share")
    abb = next(i for i, f in enumerate(broken["facts"]) if f["id"] == "abb_subsidiaries")
    assert any(m.startswith(f"facts/{land}/qualifier: 'roughly' is not one of") for m in messages), messages
    assert f"facts/{abb}: 'quote' is a required property" in messages
    assert any(m.startswith(f"facts/{abb}: Additional properties are not allowed ('quoted'") for m in messages)


def test_methodology_numbers_are_fact_references(project: Path, cli: Callable[..., Result]) -> None:
    page = project / "content" / "methodology.md"
    edit(page, "of the city's land, the site never", "of the city's land (3%), the site never")
    result = cli("build")
    assert result.code == 1
    line = line_of(page, "(3%)")
    col = page.read_text(encoding="utf-8").splitlines()[line - 1].index("3%") + 1
    assert f"content/methodology.md:{line}:{col}: story: a number typed in the text ('(3%),')" in result.err


def test_methodology_says_what_the_article_does_not(real_site: Site) -> None:
    built = real_site.out
    text = (built / "methodology" / "index.html").read_text(encoding="utf-8")
    for phrase in ("No founding year", "No publication date", "No yearly output series", "has no year", "inferred"):
        assert phrase in text
    assert 'data-fact="output_intensity" href="../facts/#output_intensity">more than 14 times<' in text
    assert 'data-fact="cny_per_usd" href="../facts/#cny_per_usd">about 6.37 yuan per US dollar<' in text


def test_print_shows_absolute_link_addresses_but_none_of_a_stand_in_base_url(real_site: Site, project: Path) -> None:
    """Print writes each link's address after it; while base_url is a stand-in (Torch's example.org), the site's own
    links get none, as they would lead nowhere; an outside link keeps its own."""
    built = real_site.out
    html = pages_of(built)["methodology/index.html"]
    assert all(a.get("data-url") is None for a in html.all("a") if not a["href"].startswith("http"))
    assert "example.org" not in (built / "index.html").read_text(encoding="utf-8").split("<body")[1]
    edit(project / "content" / "site.yaml", BASE, "https://news.example.cn/torch/")
    made = Project(project)
    site_files = pipeline.render(made, pipeline.make_charts(pipeline.gather(made))).site.files
    page = Page(site_files["methodology/index.html"].decode("utf-8"), "methodology/index.html")
    printed = {a["href"]: a.get("data-url") for a in page.all("a")}
    assert printed["../data/"] == "https://news.example.cn/torch/data/"
    assert all(a.get("data-url") is None for a in page.all("a") if "fact" in a.get("class", ""))
    css = next((built / "assets").glob("site.*.css")).read_text()
    assert "@media print" in css and "attr(data-url)" in css and "prefers-color-scheme: dark" in css


def card_blocks(page: Page) -> list[Element]:
    """A page's card-data blocks: each empty, naming the file reader.js fetches its data from."""
    return [e for e in page.elements if e.tag == "script" and e.attrs.get("id") == "card-data"]


def test_each_page_carries_the_cards_of_exactly_the_figures_it_cites(real_site: Site) -> None:
    for path, page in real_site.pages().items():
        cited = {e.attrs["data-fact"] for e in page.elements if "data-fact" in e.attrs}
        blocks = card_blocks(page)
        assert len(blocks) == (1 if cited else 0), path
        if not cited:
            continue
        assert not [s.body for s in page.scripts if s.attrs.get("id") == "card-data" and s.body], path  # off the page
        data = site_cards(real_site.out, path)
        assert set(data) == {"facts", "claims"}, path
        assert set(data["facts"]) == cited, path
        for ident, card in data["facts"].items():
            facts = ("zh-hans/" if path.startswith("zh-hans/") else "") + "facts/index.html"  # its edition's
            assert target(path, card["url"], real_site.out) == (facts, ident), (path, ident)


def test_a_card_explains_the_hedge_and_quotes_the_passage_or_shows_the_working(real_site: Site) -> None:
    data = site_cards(real_site.out, "index.html")["facts"]
    sheet = facts.load(REPO / "content" / "facts.yaml")
    latest = data["output_latest"]
    assert latest["text"].startswith("more than 300 billion yuan")
    assert latest["hedge"] == "The report gives a lower bound: the true value is higher."
    assert latest["passage"] == sheet.fact("output_latest").quote
    assert latest["source"] == sheet.source("torch30").title
    assert latest["working"] is None
    start = data["output_start"]
    assert start["hedge"] is None  # an exact value carries no bound
    assert start["text"] == "146 million yuan at the start"
    growth = data["output_growth"]
    assert growth["passage"] is None
    assert growth["working"].startswith("more than 300 billion yuan ÷ 146 million yuan = ")
    assert growth["hedge"] == "The working gives a lower bound: the true value is higher."


def test_card_data_carries_cited_claims_and_cannot_close_its_block() -> None:
    html = '<p><a data-claim="zone_story" href="../facts/#zone_story">x</a></p>'
    claims = {
        "zone_story": readercard.Claim("a passage with </script> in it", "The report"),
        "other": readercard.Claim("b", "c"),
    }
    deck = readercard.Deck({}, facts.load(REPO / "content" / "facts.yaml"), claims, Formatter("en"))
    text = readercard.card_data(html, deck, "../facts/")
    assert "</script>" not in text
    assert json.loads(text) == {
        "facts": {},
        "claims": {
            "zone_story": {
                "passage": "a passage with </script> in it",
                "source": "The report",
                "url": "../facts/#zone_story",
            }
        },
    }
