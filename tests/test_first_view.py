"""The story's first view in one round trip (the run's one build, parsed): its HTML with the CSS its first screen
needs inlined fits the 14 KB a fresh connection's first round trip carries, and nothing in its <head> makes the
first paint wait for another request. bench/firstview.py measures the same in a browser, with the paint times."""

from __future__ import annotations

import gzip
import re

import pytest

from helpers.html import Page
from helpers.project import REPO, Site
from torchsite.inputs.config import Project, load_config

# Each edition's story (the main one at the root).
STORIES = tuple(f"{c.prefix}index.html" for c in load_config(Project(REPO).site).all_editions)
ROUND_TRIP = 14 * 1024  # bytes: TCP's initial window (10 segments of 1,460 bytes) less headers, rounded down
PAGES = ("index.html", "facts/index.html", "data/index.html", "charts/footprint/index.html", "404.html")


def head_of(html: str) -> Page:
    """A page's <head>, parsed."""
    return Page(html[: html.index("</head>")])


@pytest.mark.parametrize("story", STORIES)
def test_the_story_with_its_first_screen_css_fits_one_round_trip(real_site: Site, story: str) -> None:
    html = real_site.text(story)
    size = len(gzip.compress(html.encode("utf-8"), compresslevel=6, mtime=0))  # as a host serves it
    assert size <= ROUND_TRIP, f"{story} is {size:,} bytes gzipped, over the {ROUND_TRIP:,} of one round trip"
    styles = re.findall(r"<style>(.*?)</style>", html[: html.index("</head>")], re.S)
    assert len(styles) == 1 and ".key-figures" in styles[0] and ".chart-frame" in styles[0]


def test_no_page_waits_for_a_stylesheet_or_script_before_its_first_paint(real_site: Site) -> None:
    problems = []
    for path in PAGES:
        html = real_site.text(path)
        head = head_of(html)
        sheets = [a["href"] for a in head.all("link", rel="stylesheet") if a.get("media", "all") in ("all", "screen")]
        scripts = [a["src"] for a in head.all("script") if "src" in a and "defer" not in a and "async" not in a]
        problems += [f"{path}: <head> blocks its first paint on {url}" for url in sheets + scripts]
        body = Page(html[html.index("<body") :])
        if len(body.all("link", rel="stylesheet")) != 1:
            problems.append(f"{path}: the whole stylesheet is not loaded once after the content")
    assert not problems, problems
