"""Every page of the built site in a real browser: clean loads, CSP, axe, no-JavaScript, keyboard, phone width."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser

from helpers.browser import (
    CHART,
    PHONE,
    SCHEMES,
    SCROLL_THROUGH,
    STATIC,
    Server,
    Views,
    Visit,
    axe_report,
    expect_none,
    lines,
    open_page,
)

pytestmark = pytest.mark.browser

# Describes the focused element, comparing its outline and box-shadow with how it looked unfocused.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const now = window.__look(el);
  const before = window.__unfocused.get(el) || {outline: '?', shadow: '?'};
  const outlined = !now.outline.startsWith('none') && !now.outline.includes(' 0px ') && now.outline !== before.outline;
  const shadowed = now.shadow !== 'none' && now.shadow !== before.shadow;
  const r = el.getBoundingClientRect();
  return {
    order: el.__order,
    card: Boolean(el.closest('#reader-card')),
    name: `<${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}> "${(el.textContent || '').trim().slice(0, 50)}"`,
    style: `outline ${now.outline}, box-shadow ${now.shadow} ` +
      `(unfocused: outline ${before.outline}, box-shadow ${before.shadow})`,
    visible: (outlined || shadowed) && r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight,
  };
}"""
# Numbers every element in document order and records how each focusable one looks unfocused.
MARK_FOCUSABLE = """(chart) => {
  window.__look = (el) => {
    const s = getComputedStyle(el);
    return {outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`, shadow: s.boxShadow};
  };
  window.__unfocused = new Map();
  document.querySelectorAll('*').forEach((el, i) => {
    el.__order = i;
    if (el.tabIndex >= 0) window.__unfocused.set(el, window.__look(el));
  });
  const rendered = (el) => el.getClientRects().length > 0 && el.checkVisibility({visibilityProperty: true});
  const order = (selector) => Array.from(document.querySelectorAll(selector), (el) => el.__order);
  const charts = Array.from(document.querySelectorAll(chart), (frame) => frame.closest('figure') || frame);
  const operable = 'a[href], button, input, select, textarea, summary';
  return {
    skip: order('a[href="#main"]'),
    // What a reader operates, by what it is (not by whether it is focusable, which is the question).
    controls: Array.from(document.querySelectorAll(`${operable}, [tabindex]:not([tabindex="-1"])`))
      .filter((el) => rendered(el) && charts.some((figure) => figure.contains(el))).map((el) => el.__order),
    nav: Array.from(document.querySelector('nav')?.querySelectorAll('a[href]') || [], (el) => el.__order),
    facts: Array.from(document.querySelectorAll('a[data-fact]')).filter(rendered).map((el) => el.__order),
    focusable: window.__unfocused.size,
    names: Object.fromEntries(Array.from(document.querySelectorAll(`${operable}, [tabindex]`),
      (el) => [el.__order, `<${el.tagName.toLowerCase()}> "${(el.textContent || '').trim().slice(0, 50)}"`])),
  };
}"""
# Finds what sticks out sideways: the page's scroll width and elements past either edge of the viewport
# (elements inside a box that clips or scrolls sideways do not widen the page and are not counted).
OVERFLOW = """(width) => {
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    // Skip what fits, and what sits wholly off the left edge (the usual way to hide a helper element).
    if (r.width === 0 || (r.right <= width + 0.5 && r.left >= -0.5) || r.right <= 0) continue;
    let clipped = false;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') { clipped = true; break; }
    }
    const name = el.tagName.toLowerCase() + (el.getAttribute('class') ? '.' + el.getAttribute('class') : '');
    if (!clipped) wide.push(`<${name}> spans ${Math.round(r.left)}..${Math.round(r.right)} px`);
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth, wide};
}"""


def test_keyboard_reaches_everything_with_visible_focus(views: Views, url: str) -> None:
    visit = views.of(url)
    marks = visit.page.evaluate(MARK_FOCUSABLE, CHART)
    stops = tab_through(visit, marks["focusable"] + 5)
    orders = [s["order"] for s in stops]
    names = marks["names"]
    if not marks["skip"] or orders[:1] != marks["skip"][:1]:
        reached = stops[0]["name"] if stops else "nothing"
        pytest.fail(f"/{url}: the first Tab should reach the skip link (a[href='#main']), reached {reached}", False)
    if orders[1 : 1 + len(marks["nav"])] != marks["nav"]:
        expected = lines([names[str(o)] for o in marks["nav"]])
        reached = lines([s["name"] for s in stops[1 : 1 + len(marks["nav"])]])
        pytest.fail(f"/{url}: after the skip link, Tab should walk the navigation:{expected}\nreached:{reached}", False)
    unreached = [names[str(o)] for o in marks["facts"] if o not in orders]
    expect_none(unreached, f"/{url}: Tab never reaches these fact links")
    unreached = [names[str(o)] for o in marks["controls"] if o not in orders]
    expect_none(unreached, f"/{url}: Tab never reaches these chart controls")
    invisible = [f"{s['name']}: {s['style']}" for s in stops if not s["visible"]]
    expect_none(invisible, f"/{url}: focused without a visible focus style (or off screen)")


def test_no_console_errors(views: Views, url: str) -> None:
    expect_none(views.of(url).console_errors, f"/{url}: console errors")


def test_no_failed_requests(views: Views, url: str) -> None:
    expect_none(views.of(url).failed_requests, f"/{url}: failed requests")


def test_no_request_leaves_the_test_server(views: Views, server: Server, url: str) -> None:
    foreign = views.of(url).foreign_requests
    expect_none(foreign, f"/{url}: requests to hosts other than the test server {server.origin}")


def test_no_content_security_policy_violations(views: Views, url: str) -> None:
    expect_none(views.of(url).csp_violations(), f"/{url}: Content-Security-Policy violations")


@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_finds_no_violations(views: Views, screenshots: Path, url: str, scheme: str) -> None:
    visit = views.of(url, scheme)
    if url == "":
        visit.page.screenshot(path=screenshots / f"story-{scheme}-desktop.png", full_page=True)
    # axe-core is injected with page.evaluate, which the page's CSP does not govern, so the page is
    # checked exactly as served (no bypass_csp context, which would also hide CSP problems). The dark scheme
    # changes colours only (site.css sets nothing else under prefers-color-scheme), so in dark axe runs the
    # rules that read colour; the light run runs them all.
    results = Axe().run(visit.page, options=ALL_RULES if scheme == "light" else COLOUR_RULES)
    expect_none(axe_report(results.response["violations"]), f"/{url} ({scheme} scheme): axe-core violations")


# Every axe-core rule, and the rules whose outcome depends on colours (what a colour scheme changes); violations only.
ALL_RULES: dict[str, Any] = {"resultTypes": ["violations"]}
COLOUR_RULES = {**ALL_RULES, "runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]}}
# Opens every <details>, as a reader would by clicking its summary (no page script needed).
OPEN_DETAILS = "() => document.querySelectorAll('details').forEach((d) => { d.open = true; })"
# Every figure without JavaScript: has text, and is shown.
FIGURES_WITHOUT_JS = """() => Array.from(document.querySelectorAll('[data-fact]'), (el) => {
  const drawing = el.closest('.chart-drawing');  // a drawn mark: named by its aria-label, in the drawing shown
  if (drawing && !drawing.checkVisibility()) return null;
  const text = ((drawing ? el.getAttribute('aria-label') : el.textContent) || '').trim();
  const shown = el.checkVisibility({visibilityProperty: true});
  return text && shown ? null : `data-fact=${el.dataset.fact}: text "${text}", shown=${shown}`;
}).filter(Boolean)"""
# Each chart without JavaScript: its static view shown, and a data table with rows beside it in its figure.
CHARTS_WITHOUT_JS = """([chart, still]) => Array.from(document.querySelectorAll(chart), (frame) => {
  const view = Array.from(frame.querySelectorAll(still)).find((d) => d.checkVisibility());
  const img = null;
  const tables = Array.from((frame.closest('figure') || frame).querySelectorAll('table'));
  const rows = tables.filter((t) => t.checkVisibility()).reduce((n, t) => n + t.querySelectorAll('tbody tr').length, 0);
  const shown = Boolean(view) && view.checkVisibility() && (!img || (img.complete && img.naturalWidth > 0));
  return shown && rows > 0 ? null : `chart ${frame.dataset.chart}: static view ${shown}, table rows shown ${rows}`;
}).filter(Boolean)"""


def test_reads_completely_without_javascript(browser: Browser, server: Server, url: str) -> None:
    visit = open_page(browser, server, url, java_script_enabled=False)
    try:
        main = visit.page.locator("main")
        if main.count() != 1 or not main.inner_text().strip():
            pytest.fail(f"/{url}: expected one <main> with text without JavaScript, found {main.count()}", False)
        visit.page.evaluate(OPEN_DETAILS)
        problems = visit.page.evaluate(FIGURES_WITHOUT_JS)
        problems += visit.page.evaluate(CHARTS_WITHOUT_JS, [CHART, STATIC])
    finally:
        visit.close()
    expect_none(problems, f"/{url}: without JavaScript")


def tab_through(visit: Visit, limit: int) -> list[dict[str, Any]]:
    """Press Tab from the top of the page until focus leaves the page, returning each focused element.

    The reader's card opens beside a focused figure and its link is the next Tab stop (tests/browser/
    test_reader_card.py checks it); it is passed over here and not counted against the limit."""
    stops: list[dict[str, Any]] = []
    while len(stops) < limit:
        visit.page.keyboard.press("Tab")
        stop = visit.page.evaluate(FOCUSED)
        if stop is not None and stop["card"]:
            continue
        if stop is None or any(stop["order"] == s["order"] for s in stops):
            break
        stops.append(stop)
    return stops


@pytest.mark.parametrize("scheme", SCHEMES)
def test_nothing_overflows_a_phone_screen(views: Views, screenshots: Path, url: str, scheme: str) -> None:
    visit = views.of(url, scheme, PHONE)
    visit.page.evaluate(SCROLL_THROUGH)  # anything that draws in view draws at this width too
    found = visit.page.evaluate(OVERFLOW, PHONE["width"])
    if url == "":
        visit.page.screenshot(path=screenshots / f"story-{scheme}-phone.png", full_page=True)
    width = PHONE["width"]
    if found["scrollWidth"] > width or found["innerWidth"] > width or found["wide"]:
        pytest.fail(
            f"/{url}: at {width} px the page is {found['scrollWidth']} px wide (viewport {found['innerWidth']} px);"
            f" elements past the edge:{lines(found['wide'][:10])}",
            False,
        )


# Tries to run an inline script, as an injected <script> would; the page's CSP must stop it.
INLINE_PROBE = """() => {
  const script = document.createElement('script');
  script.textContent = 'window.__inlineRan = true;';
  document.head.appendChild(script);
  script.remove();
  return Boolean(window.__inlineRan);
}"""


def test_the_content_security_policy_blocks_inline_scripts(views: Views, url: str) -> None:
    visit = views.of(url)  # runs after the page's other checks: the violation it provokes is expected
    if visit.page.evaluate(INLINE_PROBE):
        pytest.fail(f"/{url}: an inline <script> ran: the page has no Content-Security-Policy in force", False)


def test_citation_numbers_are_legible(browser: Browser, server: Server) -> None:
    """Every citation number in the story is at least 12 px as rendered, the smallest text the charts allow."""
    visit = open_page(browser, server, "", viewport=PHONE)
    try:
        sizes = visit.page.evaluate(
            "() => Array.from(document.querySelectorAll('a.cite'), (a) => parseFloat(getComputedStyle(a).fontSize))"
        )
        assert len(sizes) > 20 and min(sizes) >= 12, sorted(sizes)[:3]
    finally:
        visit.close()
