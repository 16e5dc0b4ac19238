"""The Chinese edition in a real browser, in one load of its story (the browser matrix covers the main edition's
pages only): axe finds nothing, nothing sticks out of a phone's screen, the card quotes a passage marked in the
source's language, and the language switcher leads to the same section in the other edition and back."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from helpers.browser import PHONE, Server, Views, axe_report, expect_none

pytestmark = pytest.mark.browser

ZH = "zh-hans/"
WIDTH = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
SECTION_IN_VIEW = """(id) => {
  const box = document.getElementById(id).getBoundingClientRect();
  return box.top < innerHeight && box.bottom > 0;
}"""


@pytest.mark.parametrize("url", [ZH])
def test_the_chinese_story_passes_axe_fits_a_phone_and_switches_to_the_same_section(
    views: Views, server: Server, url: str
) -> None:
    page = views.of(url, "light", PHONE).page
    try:
        assert page.evaluate("() => document.documentElement.lang") == "zh-Hans"
        expect_none(axe_report(Axe().run(page).response["violations"]), f"/{url}: axe-core violations")
        assert page.evaluate(WIDTH) <= 0, f"/{url}: wider than a {PHONE['width']} px screen"
        page.focus(".standfirst a.cite")  # the card quotes the passage in the source's words, marked as English
        page.keyboard.press("Enter")
        passage = page.locator("#reader-card .reader-card-passage")
        assert passage.get_attribute("lang") == "en" and passage.inner_text().startswith("“This year marks")
        page.keyboard.press("Escape")
        home = server.origin + server.base
        page.evaluate("() => { location.hash = 'note-fund'; }")  # the reader follows a note marker
        with page.expect_navigation():
            page.click("a.edition-switch")  # up at the masthead
        assert page.url == home + "#note-fund"
        assert page.evaluate("() => document.documentElement.lang") == "en"
        assert page.evaluate(SECTION_IN_VIEW, "note-fund"), "the English page did not open at the same note"
        page.evaluate("() => document.getElementById('chart-fund').scrollIntoView()")
        page.evaluate("() => history.replaceState(null, '', location.pathname)")  # no anchor: the section read
        page.evaluate("() => window.scrollBy(0, 10)")
        with page.expect_navigation():
            page.locator("a.edition-switch").dispatch_event("click")  # as a click leaves the reader where they are
        assert page.url == home + url + "#chart-fund"
        assert page.evaluate(SECTION_IN_VIEW, "chart-fund"), "the Chinese page did not open at the same chart"
    finally:
        views.close()  # the page has moved on: no other test may take it for the settled Chinese story
