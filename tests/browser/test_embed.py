"""Embedded charts on a host page that copies the snippet but not its script: the frame keeps the snippet's
height, so that height must hold the whole chart (title, drawing, key, caption, source, links) at the widths a
host gives it, without a large empty band under it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from helpers.browser import LOADED, NEXT_FRAMES, Server, expect_none

pytestmark = pytest.mark.browser

WIDTHS = (320, 375, 640, 1280)  # a small and a common phone, an article column, a desktop page given to the frame
SLACK = 120  # px: the most the fallback may exceed the tallest page it must hold (an estimate, rounded up)
# The page inside the frame: how tall its content is (as embed.js measures it), and how tall the frame shows it.
HEIGHTS = """() => {
  const root = document.documentElement;
  const content = Math.ceil(root.getBoundingClientRect().height);
  return [Math.max(content, root.scrollHeight > innerHeight ? root.scrollHeight : 0), root.clientHeight];
}"""


def snippet(site: Path, chart: str) -> tuple[int, str]:
    """The iframe height the chart's own page offers in its embed snippet, and what its prose says about it."""
    html = (site / "charts" / chart / "index.html").read_text("utf-8")
    code = re.search(r"&lt;iframe [^\n]*?height=\"(\d+)\"", html)
    prose = re.search(r"without it, the frame is (\d+) pixels tall", html)
    assert code and prose, f"charts/{chart}/: no embed snippet with a height"
    return int(code.group(1)), prose.group(1)


def host_page(browser: Browser, server: Server, heights: dict[str, int]) -> tuple[BrowserContext, Page]:
    """A host page holding every chart's embed frame as its snippet writes it (its height), without embed.js."""
    context = browser.new_context(viewport={"width": max(WIDTHS) + 40, "height": 800}, color_scheme="light")
    page = context.new_page()
    host = server.url("embed-host.html")
    frames = "".join(
        f'<iframe name="{chart}" src="{server.url(f"charts/{chart}/embed/")}" width="{WIDTHS[0]}" '
        f'height="{height}" style="border:0;display:block" data-torchsite-embed></iframe>'
        for chart, height in heights.items()
    )
    page.route(
        host,
        lambda route: route.fulfill(
            content_type="text/html", body=f'<!doctype html><title>A host</title><body style="margin:20px">{frames}'
        ),
    )
    page.goto(host, wait_until="load")
    return context, page


def framed(page: Page, chart: str, width: int) -> tuple[int, int]:
    """The chart's frame given `width` by its host (its page reflowed and settled): how tall its page is, and shown."""
    page.evaluate(
        "([name, width]) => { const f = document.querySelector(`iframe[name='${name}']`);"
        " f.width = width; f.scrollIntoView(); }",
        [chart, width],
    )
    frame = page.frame(name=chart)
    assert frame is not None, f"no frame for {chart}"
    frame.wait_for_function(LOADED, timeout=30_000)  # a wide frame fetches its wide drawing
    frame.evaluate(NEXT_FRAMES)
    scroll, client = frame.evaluate(HEIGHTS)
    return scroll, client


def test_without_its_script_an_embed_frame_holds_the_whole_chart(browser: Browser, server: Server, site: Path) -> None:
    charts = sorted(p.parent.parent.name for p in site.glob("charts/*/embed/index.html"))
    assert charts, "no chart embed page (charts/<id>/embed/) was built"
    problems = []
    offered = {chart: snippet(site, chart) for chart in charts}
    context, page = host_page(browser, server, {chart: height for chart, (height, _) in offered.items()})
    try:
        for chart, (height, said) in offered.items():
            problems += frame_problems(page, chart, height, said)
    finally:
        context.close()
    expect_none(problems, "embed snippets without their script (iframe height as given)")


def frame_problems(page: Page, chart: str, height: int, said: str) -> list[str]:
    """What is wrong with the chart's snippet height at each width a host may give its frame."""
    problems = []
    if said != str(height):
        problems.append(f"{chart}: the snippet's frame is {height} px, its words say {said}")
    tallest = 0
    for width in WIDTHS:
        content, shown = framed(page, chart, width)
        tallest = max(tallest, content)
        if shown != height:
            problems.append(f"{chart} at {width} px: the frame shows {shown} px, not the snippet's {height}")
        if content > shown:
            problems.append(f"{chart} at {width} px: the page is {content} px tall, cut at {shown} px")
    if height - tallest > SLACK:
        problems.append(f"{chart}: the frame is {height} px, {height - tallest} px more than its tallest page")
    return problems
