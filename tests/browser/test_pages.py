"""Every page of the built site in a real browser: clean loads, CSP, axe, no-JavaScript, keyboard, phone width."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser

from .conftest import PHONE, SCHEMES, Server, Visit, open_page

pytestmark = pytest.mark.browser

# Scrolls through the page a viewport at a time, letting each frame paint, so anything that loads
# or draws on scroll (the charts) does so before the page is judged.
SCROLL_THROUGH = """async () => {
  const frame = () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight / 2) {
    window.scrollTo(0, y);
    await frame();
  }
  window.scrollTo(0, 0);
  await frame();
}"""
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
    name: `<${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}> "${(el.textContent || '').trim().slice(0, 50)}"`,
    style: `outline ${now.outline}, box-shadow ${now.shadow} ` +
      `(unfocused: outline ${before.outline}, box-shadow ${before.shadow})`,
    visible: (outlined || shadowed) && r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight,
  };
}"""
# Numbers every element in document order and records how each focusable one looks unfocused.
MARK_FOCUSABLE = """() => {
  window.__look = (el) => {
    const s = getComputedStyle(el);
    return {outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`, shadow: s.boxShadow};
  };
  window.__unfocused = new Map();
  document.querySelectorAll('*').forEach((el, i) => {
    el.__order = i;
    if (el.tabIndex >= 0) window.__unfocused.set(el, window.__look(el));
  });
  const order = (selector) => Array.from(document.querySelectorAll(selector), (el) => el.__order);
  return {
    skip: order('a[href="#main"]'),
    nav: Array.from(document.querySelector('nav')?.querySelectorAll('a[href]') || [], (el) => el.__order),
    facts: order('a[data-fact]'),
    focusable: window.__unfocused.size,
    names: Object.fromEntries(Array.from(window.__unfocused.keys(), (el) =>
      [el.__order, `<${el.tagName.toLowerCase()}> "${(el.textContent || '').trim().slice(0, 50)}"`])),
  };
}"""
# Finds what sticks out sideways: the page's scroll width and elements past either edge of the viewport
# (elements inside a box that clips or scrolls sideways do not widen the page and are not counted).
OVERFLOW = """(width) => {
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || (r.right <= width + 0.5 && r.left >= -0.5)) continue;
    let clipped = false;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') { clipped = true; break; }
    }
    if (!clipped) wide.push(`<${el.tagName.toLowerCase()}${el.className ? '.' + el.className : ''}> spans ` +
      `${Math.round(r.left)}..${Math.round(r.right)} px`);
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth, wide};
}"""


@dataclass(frozen=True)
class Load:
    """What the browser reported while a page loaded and was scrolled through."""

    console_errors: list[str]
    failed_requests: list[str]
    foreign_requests: list[str]
    csp_violations: list[str]


@pytest.fixture(scope="session")
def loads(browser: Browser, server: Server) -> dict[str, Load]:
    """Each page loaded once (on first use), scrolled through and left to settle; shared by the load checks."""
    return {}


def loaded(loads: dict[str, Load], browser: Browser, server: Server, url: str) -> Load:
    """Load a page once, scroll through it, wait for the network to settle, and keep what was reported."""
    if url not in loads:
        visit = open_page(browser, server, url)
        visit.page.evaluate(SCROLL_THROUGH)
        visit.page.wait_for_load_state("networkidle")
        loads[url] = Load(visit.console_errors, visit.failed_requests, visit.foreign_requests, visit.csp_violations())
        visit.close()
    return loads[url]


def lines(items: list[str]) -> str:
    """A list as indented lines for a failure message."""
    return "".join(f"\n  {item}" for item in items)


def expect_none(items: list[str], heading: str) -> None:
    """Fail with the heading and one line per item, if there are any (no traceback: the lines say it all)."""
    if items:
        pytest.fail(f"{heading}:{lines(items)}", pytrace=False)


def test_no_console_errors(loads: dict[str, Load], browser: Browser, server: Server, url: str) -> None:
    load = loaded(loads, browser, server, url)
    expect_none(load.console_errors, f"/{url}: console errors")


def test_no_failed_requests(loads: dict[str, Load], browser: Browser, server: Server, url: str) -> None:
    load = loaded(loads, browser, server, url)
    expect_none(load.failed_requests, f"/{url}: failed requests")


def test_no_request_leaves_the_test_server(loads: dict[str, Load], browser: Browser, server: Server, url: str) -> None:
    load = loaded(loads, browser, server, url)
    expect_none(load.foreign_requests, f"/{url}: requests to hosts other than the test server {server.origin}")


def test_no_content_security_policy_violations(
    loads: dict[str, Load], browser: Browser, server: Server, url: str
) -> None:
    load = loaded(loads, browser, server, url)
    expect_none(load.csp_violations, f"/{url}: Content-Security-Policy violations")


def axe_report(violations: list[dict[str, Any]]) -> list[str]:
    """One line per axe violation and element: rule, impact, what it asks, where."""
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {' '.join(map(str, node['target']))}"
        for v in violations
        for node in v["nodes"]
    ]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_finds_no_violations(browser: Browser, server: Server, screenshots: Path, url: str, scheme: str) -> None:
    visit = open_page(browser, server, url, color_scheme=scheme)
    try:
        visit.page.evaluate(SCROLL_THROUGH)
        visit.page.wait_for_load_state("networkidle")
        if url == "":
            visit.page.screenshot(path=screenshots / f"story-{scheme}-desktop.png", full_page=True)
        # axe-core is injected with page.evaluate, which the page's CSP does not govern, so the page
        # is checked exactly as served (no bypass_csp context).
        results = Axe().run(visit.page)
    finally:
        visit.close()
    expect_none(axe_report(results.response["violations"]), f"/{url} ({scheme} scheme): axe-core violations")


def test_reads_completely_without_javascript(browser: Browser, server: Server, url: str) -> None:
    visit = open_page(browser, server, url, java_script_enabled=False)
    try:
        main = visit.page.locator("main")
        assert main.count() == 1, f"/{url}: expected one <main>, found {main.count()}"
        assert main.inner_text().strip(), f"/{url}: <main> shows no text without JavaScript"
        facts = visit.page.locator("[data-fact]")
        empty = [
            f"data-fact={facts.nth(i).get_attribute('data-fact')}"
            for i in range(facts.count())
            if not facts.nth(i).is_visible() or not facts.nth(i).inner_text().strip()
        ]
    finally:
        visit.close()
    expect_none(empty, f"/{url}: figures missing or blank without JavaScript")


def tab_through(visit: Visit, limit: int) -> list[dict[str, Any]]:
    """Press Tab from the top of the page until focus leaves the page, returning each focused element."""
    stops: list[dict[str, Any]] = []
    for _ in range(limit):
        visit.page.keyboard.press("Tab")
        stop = visit.page.evaluate(FOCUSED)
        if stop is None or any(stop["order"] == s["order"] for s in stops):
            break
        stops.append(stop)
    return stops


def test_keyboard_reaches_everything_with_visible_focus(browser: Browser, server: Server, url: str) -> None:
    visit = open_page(browser, server, url)
    try:
        visit.page.evaluate(SCROLL_THROUGH)
        visit.page.wait_for_load_state("networkidle")
        marks = visit.page.evaluate(MARK_FOCUSABLE)
        stops = tab_through(visit, marks["focusable"] + 5)
    finally:
        visit.close()
    orders = [s["order"] for s in stops]
    names = marks["names"]
    if not marks["skip"] or orders[:1] != marks["skip"][:1]:
        reached = stops[0]["name"] if stops else "nothing"
        pytest.fail(f"/{url}: the first Tab should reach the skip link (a[href='#main']), reached {reached}", False)
    if orders[1 : 1 + len(marks["nav"])] != marks["nav"]:
        expected = lines([names[str(o)] for o in marks["nav"]])
        reached = lines([s["name"] for s in stops[1 : 1 + len(marks["nav"])]])
        pytest.fail(f"/{url}: after the skip link, Tab should walk the navigation:{expected}\nreached:{reached}", False)
    expect_none(
        [names[str(o)] for o in marks["facts"] if o not in orders], f"/{url}: Tab never reaches these fact links"
    )
    invisible = [f"{s['name']}: {s['style']}" for s in stops if not s["visible"]]
    expect_none(invisible, f"/{url}: focused without a visible focus style (or off screen)")


@pytest.mark.parametrize("scheme", SCHEMES)
def test_nothing_overflows_a_phone_screen(
    browser: Browser, server: Server, screenshots: Path, url: str, scheme: str
) -> None:
    visit = open_page(browser, server, url, viewport=PHONE, color_scheme=scheme, is_mobile=True, has_touch=True)
    try:
        visit.page.evaluate(SCROLL_THROUGH)
        visit.page.wait_for_load_state("networkidle")
        found = visit.page.evaluate(OVERFLOW, PHONE["width"])
        if url == "":
            visit.page.screenshot(path=screenshots / f"story-{scheme}-phone.png", full_page=True)
    finally:
        visit.close()
    width = PHONE["width"]
    fits = found["scrollWidth"] <= width and found["innerWidth"] <= width and not found["wide"]
    if not fits:
        pytest.fail(
            f"/{url}: at {width} px the page is {found['scrollWidth']} px wide (viewport {found['innerWidth']} px);"
            f" elements past the edge:{lines(found['wide'][:10])}",
            False,
        )
