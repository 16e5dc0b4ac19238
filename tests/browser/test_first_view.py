"""The first screen in the browser: each page's first screen is laid out the same with only the CSS inlined in its
<head> as with the whole stylesheet (so nothing moves when the stylesheet arrives); each chart lays out one drawing,
the one its width shows (the story fetches its wide drawings only for wide frames); without scripts the story shows
its narrow drawings rather than empty placeholders."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser

from helpers.browser import DESKTOP, NEXT_FRAMES, PHONE, SCROLL_THROUGH, Server, expect_none, open_page

pytestmark = pytest.mark.browser

PAGES = ("", "facts/", "data/", "charts/footprint/")  # each kind of page (chart pages share their sections)
WIDTHS = (PHONE, DESKTOP)  # each page is loaded once and resized
# Every element that shows on the first screen: its place and the size of what shows, in whole pixels.
FIRST_SCREEN = """() => Array.from(document.querySelectorAll('body *'), (el, i) => {
  const r = el.getBoundingClientRect();
  if (r.bottom <= 0 || r.top >= innerHeight || r.width === 0 || r.height === 0) return null;
  const cls = typeof el.className === 'string' && el.className ? '.' + el.className.split(' ')[0] : '';
  const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + cls;
  const bottom = Math.min(r.bottom, innerHeight);  // what shows of it: a box may grow below the screen
  return [name, Math.round(r.left), Math.round(r.top), Math.round(r.width), Math.round(bottom - r.top)];
}).filter(Boolean)"""
# The style sheets that apply: the inlined one, and the whole stylesheet if it loaded.
APPLIED = """() => Array.from(document.styleSheets).filter((s) => {
  try { return s.cssRules.length > 0; } catch (e) { return false; }  // a refused request leaves an unreadable sheet
}).map((s) => s.href ? 'file' : 'inline')"""
# Per chart frame: the drawings that have a box (which layout), its placeholders, and those that have a box.
LAID_OUT = """() => Array.from(document.querySelectorAll('.chart-frame[data-chart]'), (frame) => [
  frame.dataset.chart,
  Array.from(frame.querySelectorAll('.chart-drawing')).filter((d) => d.getClientRects().length > 0)
    .map((d) => d.classList.contains('chart-wide') ? 'wide' : 'narrow'),
  frame.querySelectorAll('.chart-slot').length,
  Array.from(frame.querySelectorAll('.chart-slot')).filter((d) => d.getClientRects().length > 0).length,
])"""


def first_screens(browser: Browser, server: Server, url: str, whole: bool) -> list[list[Any]]:
    """The page's first screen's boxes at each width (scripts off), with the whole stylesheet or its request refused."""
    context = browser.new_context(viewport=WIDTHS[0], java_script_enabled=False)  # type: ignore[arg-type]
    try:
        if not whole:
            context.route("**/assets/site.*.css", lambda route: route.abort())
        page = context.new_page()
        page.goto(server.url(url), wait_until="load")
        sheets = page.evaluate(APPLIED)
        assert sheets == (["inline", "file"] if whole else ["inline"]), f"/{url}: style sheets {sheets}"
        screens = []
        for viewport in WIDTHS:
            page.set_viewport_size(viewport)  # type: ignore[arg-type]
            screens.append(page.evaluate(FIRST_SCREEN))
    finally:
        context.close()
    return screens


@pytest.mark.parametrize("kind", PAGES, ids=[u or "/" for u in PAGES])
def test_the_first_screen_needs_no_more_css_than_its_page_inlines(browser: Browser, server: Server, kind: str) -> None:
    url = kind
    problems = []
    inlined_screens = first_screens(browser, server, url, whole=False)
    whole_screens = first_screens(browser, server, url, whole=True)
    for viewport, inlined, whole in zip(WIDTHS, inlined_screens, whole_screens, strict=True):
        moved = [
            f"{a[0]} at {a[1:]} with the inlined CSS, {b[1:]} with the whole"
            for a, b in zip(inlined, whole, strict=False)
            if a != b
        ]
        if len(inlined) != len(whole):
            moved.append(
                f"{len(inlined)} elements on the first screen with the inlined CSS, {len(whole)} with the whole"
            )
        problems += [f"/{url} at {viewport['width']} px: {m}" for m in moved[:5]]
    expect_none(problems, "a first screen that changes when the whole stylesheet arrives")


@pytest.mark.parametrize(("viewport", "shown"), [(PHONE, "narrow"), (DESKTOP, "wide")], ids=["375", "1280"])
def test_each_chart_lays_out_only_the_drawing_its_width_shows(
    browser: Browser, server: Server, viewport: dict[str, int], shown: str
) -> None:
    visit = open_page(browser, server, "", viewport=viewport)
    try:
        visit.page.evaluate(SCROLL_THROUGH)
        visit.settle()
        visit.page.evaluate(NEXT_FRAMES)
        frames = visit.page.evaluate(LAID_OUT)
        problems = [f"{c}: {laid} laid out, not one {shown} drawing" for c, laid, *_ in frames if laid != [shown]]
        if shown == "narrow":  # a phone never fetches the wide drawings
            problems += [f"{c}: its wide drawing was fetched on a phone" for c, _, slots, _ in frames if not slots]
        problems += visit.console_errors + visit.failed_requests
    finally:
        visit.close()
    assert frames, "the story has no chart"
    expect_none(problems, f"story charts at {viewport['width']} px")


def test_without_scripts_a_wide_screen_shows_the_narrow_drawings(browser: Browser, server: Server) -> None:
    visit = open_page(browser, server, "", viewport=DESKTOP, java_script_enabled=False)
    try:
        frames = visit.page.evaluate(LAID_OUT)
    finally:
        visit.close()
    problems = [f"{c}: {laid} laid out without scripts" for c, laid, *_ in frames if laid != ["narrow"]]
    problems += [f"{c}: an empty placeholder shows without scripts" for c, _, _, shown in frames if shown]
    expect_none(problems, "story charts at 1280 px without scripts")
