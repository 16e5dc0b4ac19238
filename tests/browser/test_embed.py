"""Embedded charts on a host page that copies the snippet but not its script: the frame keeps the snippet's
height, so that height must hold the whole chart (title, drawing, key, caption, source, links) at the widths a
host gives it, without a large empty band under it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from helpers.browser import Server, expect_none

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


def framed(browser: Browser, server: Server, chart: str, width: int, height: int) -> tuple[int, int]:
    """Open a host page holding the chart's embed frame as the snippet writes it, without embed.js: its heights."""
    context = browser.new_context(viewport={"width": width + 40, "height": 800}, color_scheme="light")
    page = context.new_page()
    host, embed = server.url("embed-host.html"), server.url(f"charts/{chart}/embed/")
    frame_html = (
        f'<!doctype html><title>A host</title><body style="margin:20px"><iframe src="{embed}" width="{width}" '
        f'height="{height}" style="border:0" data-torchsite-embed></iframe>'
    )
    page.route(host, lambda route: route.fulfill(content_type="text/html", body=frame_html))
    try:
        page.goto(host, wait_until="load")
        frame = page.frames[1]
        frame.wait_for_load_state("load")
        scroll, client = frame.evaluate(HEIGHTS)
    finally:
        context.close()
    return scroll, client


def test_without_its_script_an_embed_frame_holds_the_whole_chart(browser: Browser, server: Server, site: Path) -> None:
    charts = sorted(p.parent.parent.name for p in site.glob("charts/*/embed/index.html"))
    assert charts, "no chart embed page (charts/<id>/embed/) was built"
    problems = []
    for chart in charts:
        height, said = snippet(site, chart)
        if said != str(height):
            problems.append(f"{chart}: the snippet's frame is {height} px, its words say {said}")
        tallest = 0
        for width in WIDTHS:
            content, shown = framed(browser, server, chart, width, height)
            tallest = max(tallest, content)
            if shown != height:
                problems.append(f"{chart} at {width} px: the frame shows {shown} px, not the snippet's {height}")
            if content > shown:
                problems.append(f"{chart} at {width} px: the page is {content} px tall, cut at {shown} px")
        if height - tallest > SLACK:
            problems.append(f"{chart}: the frame is {height} px, {height - tallest} px more than its tallest page")
    expect_none(problems, "embed snippets without their script (iframe height as given)")
