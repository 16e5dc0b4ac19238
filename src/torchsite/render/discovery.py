"""Sharing and discovery: schema.org JSON-LD, sitemap.xml, robots.txt, and the build's date."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Mapping, Sequence
from typing import Any
from xml.sax.saxutils import escape

from torchsite.errors import UsageError
from torchsite.inputs.config import SiteConfig
from torchsite.inputs.facts import FactSheet
from torchsite.inputs.story import Story
from torchsite.render.downloads import Download

SCHEMA_ORG = "https://schema.org"


def source_date(environ: Mapping[str, str] | None = None) -> dt.date | None:
    """The date SOURCE_DATE_EPOCH names (UTC), or None when unset: the build never reads the clock."""
    raw = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise UsageError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970, got '{raw}'")
    return dt.datetime.fromtimestamp(int(raw), dt.UTC).date()


def json_ld(data: dict[str, Any]) -> str:
    """JSON for a <script type="application/ld+json"> block; '<', '>' and '&' escaped so it cannot end the block."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def dataset_id(facts_url: str) -> str:
    """The stable @id of the fact sheet's Dataset node (`facts_url`: the fact sheet's absolute URL)."""
    return f"{facts_url}#dataset"


def news_article(
    config: SiteConfig, story: Story, image: str | None, modified: dt.date | None, sheet: FactSheet, facts_url: str
) -> dict[str, Any]:
    """The story as a schema.org NewsArticle, based on the fact sheet; no invented publication date."""
    article: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "NewsArticle",
        "@id": f"{config.base_url}{config.prefix}#article",
        "headline": story.title_text,
        "description": story.standfirst_text,
        "url": config.base_url + config.prefix,
        "mainEntityOfPage": config.base_url + config.prefix,
        "inLanguage": config.lang,
        "isBasedOn": {"@type": "Dataset", "@id": dataset_id(facts_url), "name": sheet_name(config)},
        "citation": [source_work(sheet, s.id) for s in sheet.sources],
    }
    if image:
        article["image"] = image
    if modified:
        article["dateModified"] = modified.isoformat()
    return article


def dataset(
    config: SiteConfig, sheet: FactSheet, files: Sequence[Download], modified: dt.date | None, facts_url: str
) -> dict[str, Any]:
    """The fact sheet as a schema.org Dataset with a DataDownload for each file, based on its sources."""
    node: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "Dataset",
        "@id": dataset_id(facts_url),
        "name": sheet_name(config),
        "description": config.dataset_description,
        "url": facts_url,
        "inLanguage": config.lang,
        "isAccessibleForFree": True,
        "isBasedOn": [source_work(sheet, s.id) for s in sheet.sources],
        "variableMeasured": [f.label for f in sheet.facts],
        "distribution": [
            {
                "@type": "DataDownload",
                "name": d.title,
                "encodingFormat": d.media_type,
                "contentUrl": f"{config.base_url}{d.path}",
                "contentSize": f"{len(d.data)} B",
            }
            for d in files
        ],
    }
    if config.license and config.creator:
        node["license"] = config.license
        node["creator"] = {"@type": "Organization", "name": config.creator}
    if modified:
        node["dateModified"] = modified.isoformat()
    return node


def sheet_name(config: SiteConfig) -> str:
    """The fact sheet's name in search results: the site's title, then 'fact sheet' in its language."""
    return config.formatter().messages.gettext("%(title)s: fact sheet", title=config.title)


def source_work(sheet: FactSheet, ident: str) -> dict[str, Any]:
    """A source report as a schema.org NewsArticle node, as the report describes itself (no date if none)."""
    source = sheet.source(ident)
    node: dict[str, Any] = {"@type": "NewsArticle", "name": source.title, "creditText": source.credit_in_full}
    if source.publisher:
        node["publisher"] = {"@type": "Organization", "name": source.publisher}
    if source.published:
        node["datePublished"] = source.published
    return node


def sitemap(config: SiteConfig, urls: Sequence[str], modified: dt.date | None) -> str:
    """sitemap.xml: the absolute URL of every indexable page, with lastmod only from SOURCE_DATE_EPOCH."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for url in urls:
        lastmod = f"<lastmod>{modified.isoformat()}</lastmod>" if modified else ""
        lines.append(f"  <url><loc>{escape(config.base_url + url)}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots(config: SiteConfig) -> str:
    """robots.txt: everything may be crawled; the sitemap is named by its absolute URL."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {config.base_url}sitemap.xml\n"
