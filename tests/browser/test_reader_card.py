"""The reader's card in a real browser: keyboard, hover and touch open it beside the figure; Escape and
an outside tap close it; it shows value, hedge, passage and link; axe and the CSP find nothing wrong."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from helpers.browser import (
    DESKTOP,
    NEXT_FRAMES,
    PHONE,
    SCHEMES,
    Server,
    axe_report,
    expect_none,
    open_page,
    page_cards,
)

pytestmark = pytest.mark.browser

CARD = "#reader-card"
# A hedged figure in the story's text: its card must explain the bound and quote the passage.
FIGURE = '.standfirst a[data-fact="output_latest"]'
# Where the card stands against the figure it describes and the viewport.
PLACEMENT = """([card, figure]) => {
  const c = document.querySelector(card).getBoundingClientRect();
  const f = document.querySelector(figure).getBoundingClientRect();
  const covers = c.left < f.right && f.left < c.right && c.top < f.bottom && f.top < c.bottom;
  const width = document.documentElement.clientWidth;
  const inside = c.left >= 0 && c.right <= width && c.top >= 0 && c.bottom <= innerHeight;
  return {covers, inside, card: [c.left, c.top, c.right, c.bottom].map(Math.round)};
}"""
# The page's layout shifts since this was installed (PerformanceObserver 'layout-shift', counted even right
# after input), but for the skip link's own appearance on the first Tab.
WATCH_SHIFTS = """() => { window.__shifts = 0; new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    if (!e.sources.every((s) => s.node && s.node.matches && s.node.matches('.skip-link'))) window.__shifts += e.value;
  }
}).observe({type: 'layout-shift', buffered: false}); }"""

# Every shown trigger of the card (figure, citation, chart mark) that does not say aria-expanded="false".
UNSAID = """() => Array.from(document.querySelectorAll('main [data-fact], main [data-claim]'))
  .filter((el) => el.checkVisibility() && el.getAttribute('aria-expanded') !== 'false')
  .map((el) => `${el.tagName} ${el.getAttribute('data-fact') || el.getAttribute('data-claim')}`)"""


def card_data(page: Page) -> dict[str, Any]:
    """The page's card data, as the script has it once fetched."""
    return page_cards(page)


def shown(page: Page) -> bool:
    """Whether the card is open and visible."""
    return bool(page.evaluate(f"() => !!document.querySelector('{CARD}')?.checkVisibility()"))


def expect_card_for(page: Page, ident: str) -> None:
    """The open card shows the figure's value with its hedge, the hedge explained, its passage and its link."""
    fact = card_data(page)["facts"][ident]
    card = page.locator(CARD)
    text = card.inner_text()
    for part in (fact["text"], fact["hedge"], fact["passage"], fact["source"]):
        if part and part not in text:
            pytest.fail(f"the card for {ident} should show {part!r}; it shows:\n{text}", False)
    assert card.locator("a.reader-card-link").get_attribute("href") == fact["url"]


def focused_ax_node(page: Page) -> dict[str, Any]:
    """The accessibility tree's node that has focus, as Chromium gives it to a screen reader (CDP)."""
    cdp = page.context.new_cdp_session(page)
    try:
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        cdp.detach()
    for node in nodes:
        focus = any(p["name"] == "focused" and p["value"].get("value") for p in node.get("properties", []))
        if focus and node["role"]["value"] != "RootWebArea":  # the document says it has focus too
            return {
                "role": node["role"]["value"],
                "name": node.get("name", {}).get("value", ""),
                "description": node.get("description", {}).get("value", ""),
                "modal": next((p["value"]["value"] for p in node["properties"] if p["name"] == "modal"), None),
            }
    pytest.fail("no node of the accessibility tree has focus", False)


def active(page: Page, selector: str) -> bool:
    """Whether the focused element matches `selector`."""
    return bool(page.evaluate("(s) => document.activeElement.matches(s)", selector))


def test_focus_previews_the_card_enter_opens_it_as_a_dialog_and_escape_gives_focus_back(
    browser: Browser, server: Server
) -> None:
    """Keyboard focus shows the card beside the figure without taking a Tab stop; Enter (what a keyboard or a screen
    reader sends) opens it as a labelled non-modal dialog that takes focus, so it is announced with its words; its
    link is then the one stop inside; Tab leaves it for what follows the figure; Escape gives focus back. Every
    trigger says it is closed before it is first opened, the marks of the wide drawings fetched after load too."""
    visit = open_page(browser, server, "")
    page = visit.page
    try:
        unsaid = page.evaluate(UNSAID)
        expect_none(unsaid, "shown triggers whose closed state is not announced (no aria-expanded='false')")
        page.evaluate(WATCH_SHIFTS)
        for _ in range(60):  # Tab from the top until the hedged figure has focus, as a keyboard reader would
            page.keyboard.press("Tab")
            if active(page, FIGURE):
                break
        else:
            pytest.fail(f"Tab never reached {FIGURE}", False)
        assert shown(page), "focusing a figure should show its card"
        expect_card_for(page, "output_latest")
        outside = "(c) => document.querySelector(c).parentElement.matches('main') && !document.querySelector(c)"
        assert page.evaluate(outside + ".parentElement.closest('h1, h2, h3, p, li, sup')", CARD), (
            "the card should stand at the end of main, outside every heading, paragraph, list item and superscript"
        )
        assert page.get_attribute(FIGURE, "aria-expanded") == "false"
        placement = page.evaluate(PLACEMENT, [CARD, FIGURE])
        assert not placement["covers"] and placement["inside"], placement
        assert page.evaluate("window.__shifts") == 0, "showing the card should not move the page"
        page.keyboard.press("Tab")  # the preview's link is no Tab stop: the figure itself goes there
        assert not active(page, f"{CARD} *, {FIGURE}"), "Tab after a figure should not stop on its card's link"
        after = page.evaluate("() => document.activeElement.outerHTML")
        page.keyboard.press("Shift+Tab")
        assert active(page, FIGURE)
        url = page.url
        page.keyboard.press("Enter")
        assert page.url == url, "Enter on a figure should open its card, not leave the page"
        assert shown(page) and active(page, CARD), "the opened card should take focus"
        assert page.get_attribute(FIGURE, "aria-expanded") == "true"
        fact = card_data(page)["facts"]["output_latest"]
        node = focused_ax_node(page)
        assert (node["role"], node["name"], node["modal"]) == ("dialog", fact["label"], False), node
        for words in (fact["text"], fact["hedge"], fact["passage"]):
            assert words in node["description"], f"the dialog should be announced with {words!r}: {node}"
        page.keyboard.press("Tab")
        assert active(page, f"{CARD} a.reader-card-link"), "inside the open card, Tab reaches its link"
        page.keyboard.press("Tab")
        here = page.evaluate("() => document.activeElement.outerHTML")
        assert here == after, "Tab past the card's link goes on to what follows the figure"
        assert page.get_attribute(FIGURE, "aria-expanded") == "false", "and closes the figure's card"
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Enter")
        assert active(page, CARD)
        page.keyboard.press("Escape")
        assert not shown(page), "Escape should close the card"
        assert active(page, FIGURE), "focus returns to the figure"
        assert page.get_attribute(FIGURE, "aria-expanded") == "false"
        expect_none(visit.csp_violations() + visit.console_errors, "CSP violations and console errors")
    finally:
        visit.close()


def test_a_chart_mark_opens_its_card_with_space_and_says_so(browser: Browser, server: Server) -> None:
    """A mark (a button) opens its dialog with Space, announced with the mark's hedge in words; Escape returns."""
    visit = open_page(browser, server, "", viewport=PHONE)
    page = visit.page
    mark = '.chart-frame[data-chart="footprint"] svg.chart-narrow .mark[data-fact="land_share"]'
    try:
        page.focus(mark)
        assert page.get_attribute(mark, "aria-expanded") == "false"
        node = focused_ax_node(page)
        assert node["role"] == "button" and node["name"].endswith(
            "less than 3%: an upper bound, the true value is lower"
        )
        page.keyboard.press(" ")
        assert active(page, CARD) and page.get_attribute(mark, "aria-expanded") == "true"
        assert focused_ax_node(page)["role"] == "dialog"
        page.keyboard.press("Escape")
        assert active(page, mark) and not shown(page)
    finally:
        visit.close()


def test_hover_opens_the_card_which_stays_while_the_pointer_is_on_it(browser: Browser, server: Server) -> None:
    visit = open_page(browser, server, "")
    page = visit.page
    try:
        page.hover(FIGURE)
        page.wait_for_selector(CARD, state="visible", timeout=2000)
        expect_card_for(page, "output_latest")
        page.hover(f"{CARD} .reader-card-source")
        page.wait_for_timeout(600)  # longer than the close delay: the card stays while the pointer is on it
        assert shown(page), "the card should stay open while the pointer is over it"
        page.hover("h1")
        page.wait_for_selector(CARD, state="hidden", timeout=2000)
    finally:
        visit.close()


def test_a_tap_opens_the_card_a_tap_outside_closes_it_and_its_link_follows(browser: Browser, server: Server) -> None:
    visit = open_page(browser, server, "", viewport={"width": 320, "height": 640}, has_touch=True, is_mobile=True)
    page = visit.page
    try:
        url = page.url
        page.locator(FIGURE).scroll_into_view_if_needed()
        page.tap(FIGURE)
        page.wait_for_selector(CARD, state="visible", timeout=2000)
        assert page.url == url, "the first tap should open the card, not follow the link"
        expect_card_for(page, "output_latest")
        placement = page.evaluate(PLACEMENT, [CARD, FIGURE])
        assert not placement["covers"] and placement["inside"], placement
        page.touchscreen.tap(4, 600)  # the page's left margin, below the figure: outside the card and any link
        assert not shown(page), "a tap outside should close the card"
        page.tap(FIGURE)
        page.wait_for_selector(CARD, state="visible", timeout=2000)
        page.tap(f"{CARD} a.reader-card-link")
        page.wait_for_url("**/facts/#output_latest")
    finally:
        visit.close()


def test_without_javascript_a_figure_links_to_its_fact_sheet_entry(browser: Browser, server: Server) -> None:
    visit = open_page(browser, server, "", java_script_enabled=False)
    try:
        visit.page.click(FIGURE)
        visit.page.wait_for_url("**/facts/#output_latest")
        assert visit.page.locator("#output_latest").is_visible()
    finally:
        visit.close()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_finds_nothing_with_the_card_open(browser: Browser, server: Server, scheme: str) -> None:
    visit = open_page(browser, server, "", viewport=PHONE, color_scheme=scheme)
    try:
        visit.page.focus(FIGURE)
        visit.page.wait_for_selector(CARD, state="visible")
        violations = Axe().run(visit.page).response["violations"]
        csp = visit.csp_violations()
    finally:
        visit.close()
    expect_none(axe_report(violations), f"story ({scheme}) with the card open: axe-core violations")
    expect_none(csp, "CSP violations")


def test_a_chart_marks_card_stands_beside_it_and_scrolls_with_it(browser: Browser, server: Server) -> None:
    visit = open_page(browser, server, "", viewport=PHONE, has_touch=True, is_mobile=True)
    page = visit.page
    mark = '.chart-frame[data-chart="footprint"] svg.chart-narrow .mark[data-fact="output_share"]'
    try:
        page.locator(mark).scroll_into_view_if_needed()
        page.evaluate("() => scrollBy(0, innerHeight / 4)")  # the mark well inside the viewport, room below
        page.focus(mark)
        page.wait_for_selector(CARD, state="visible", timeout=2000)
        before = page.evaluate(PLACEMENT, [CARD, mark])
        assert not before["covers"] and before["inside"], before
        page.evaluate("() => new Promise((done) => { scrollBy(0, 60); requestAnimationFrame(() => done()); })")
        after = page.evaluate(PLACEMENT, [CARD, mark])
        moved = [b - a for a, b in zip(before["card"], after["card"], strict=True)]
        assert moved == [0, -60, 0, -60], f"the card should move with its mark as the page scrolls: {before} -> {after}"
    finally:
        visit.close()


# Points just inside the open card's corners and its middle, and what the page shows there: the card must be on
# top at each (a figure that clipped its card, e.g. by paint containment, would show the page beneath instead).
CARD_ON_TOP = """(card) => {
  const el = document.querySelector(card);
  const r = el.getBoundingClientRect();
  const points = [[r.left + 3, r.top + 3], [r.right - 3, r.top + 3], [r.left + 3, r.bottom - 3],
    [r.right - 3, r.bottom - 3], [(r.left + r.right) / 2, (r.top + r.bottom) / 2]];
  return points.filter(([x, y]) => !el.contains(document.elementFromPoint(x, y))).map((p) => p.map(Math.round));
}"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_figures_card_is_never_clipped_by_its_figure(
    browser: Browser, server: Server, viewport: dict[str, int]
) -> None:
    """Each story figure's last mark or card (the one nearest the figure's end, whose reader's card reaches furthest
    out of it): its card is whole and on top of everything, wherever it stands against its figure."""
    visit = open_page(browser, server, "", viewport=viewport)
    page = visit.page
    hidden: dict[str, list[list[int]]] = {}
    try:
        figures = page.evaluate("() => Array.from(document.querySelectorAll('.story figure.chart'), (f) => f.id)")
        assert len(figures) == 4
        for figure in figures:
            page.locator(f"#{figure}").scroll_into_view_if_needed()
            page.evaluate(NEXT_FRAMES)
            last = page.locator(f"#{figure} [data-fact]:visible").last
            last.scroll_into_view_if_needed()
            last.focus()
            page.wait_for_selector(CARD, state="visible", timeout=2000)
            page.evaluate(NEXT_FRAMES)
            if covered := page.evaluate(CARD_ON_TOP, CARD):
                hidden[figure] = covered
    finally:
        visit.close()
    assert not hidden, f"the card does not show at these points (x, y) of each figure: {hidden}"


def test_the_card_prepared_while_the_page_is_idle_stays_unseen_until_a_figure_opens_it(
    browser: Browser, server: Server
) -> None:
    """reader.js lays a card out once when the page goes idle (so the first tap costs no more than the next): that
    card is hidden, moves nothing, takes no Tab stop, and the first figure opened shows its own words."""
    visit = open_page(browser, server, "", viewport=PHONE)
    page = visit.page
    try:
        page.evaluate(WATCH_SHIFTS)
        page.wait_for_selector(CARD, state="attached", timeout=10_000)
        assert not shown(page) and page.get_attribute(CARD, "hidden") is not None
        assert page.evaluate(f"() => getComputedStyle(document.querySelector('{CARD}')).visibility") == "visible"
        assert page.evaluate("window.__shifts") == 0
        first = page.evaluate("() => document.querySelector('[data-fact]').getAttribute('data-fact')")
        assert first != "output_latest"
        page.focus(FIGURE)
        assert shown(page)
        expect_card_for(page, "output_latest")
        expect_none(visit.csp_violations() + visit.console_errors, "CSP violations and console errors")
    finally:
        visit.close()


# The open card against its content: how far any part of it (the card's own scrolling width included) reaches past
# the card's inner right edge, in px; 0 when every line wraps inside the card.
CARD_OVERFLOW = """(card) => {
  const el = document.querySelector(card);
  const style = getComputedStyle(el);
  const right = el.getBoundingClientRect().right - parseFloat(style.borderRightWidth) - parseFloat(style.paddingRight);
  let worst = el.scrollWidth - el.clientWidth;
  for (const part of el.querySelectorAll('*')) {
    worst = Math.max(worst, part.getBoundingClientRect().right - right, part.scrollWidth - part.clientWidth);
  }
  return Math.round(worst);
}"""
# One trigger of each kind the story has: a citation marker, a figure in the headline, in the standfirst, in a
# paragraph, in a chart's title, and a chart mark (whichever drawing is shown at the width).
TRIGGERS = {
    "citation marker": "main a.cite",
    "headline figure": "h1 a[data-fact]",
    "standfirst figure": ".standfirst a[data-fact]",
    "paragraph figure": ".story > p a[data-fact]",
    "chart title figure": ".chart-title a[data-fact]",
    "chart mark": ".chart-drawing .mark[data-fact]",
}
# Focus each shown trigger of a kind in turn (as Playwright's focus() does: element.focus()), wait for the card
# to show, measure how far its content runs past its edge (CARD_OVERFLOW), then let go of the trigger: per
# trigger, null when no card showed within a second, else the overflow in px.
EACH_CARD = """async ([selector, card]) => {
  const measure = OVERFLOW;
  const frame = () => new Promise((done) => requestAnimationFrame(done));
  const found = [];
  for (const el of Array.from(document.querySelectorAll(selector)).filter((e) => e.checkVisibility()).slice(0, 30)) {
    el.focus();
    const start = performance.now();
    while (!document.querySelector(card)?.checkVisibility() && performance.now() - start < 1000) await frame();
    found.push(document.querySelector(card)?.checkVisibility() ? measure(card) : null);
    el.blur();
    await frame();
  }
  return found;
}""".replace("OVERFLOW", CARD_OVERFLOW)


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_the_cards_content_is_never_wider_than_the_card(browser: Browser, server: Server, width: int) -> None:
    """Whatever opens it (a citation marker in a superscript that does not wrap, a headline's figure, a chart's
    title or mark), the card wraps its own words: no line of its passage runs past its edge, at any width."""
    visit = open_page(browser, server, "", viewport={"width": width, "height": 800})
    wide: dict[str, int | None] = {}
    try:
        for kind, selector in TRIGGERS.items():
            found = visit.page.evaluate(EACH_CARD, [selector, CARD])
            assert found, f"the story should have a {kind} ({selector})"
            wide |= {f"{kind} {i + 1}": over for i, over in enumerate(found) if over is None or over > 0}
    finally:
        visit.close()
    assert not wide, f"at {width} px the card (None: no card opened) runs past its edge by (px): {wide}"
