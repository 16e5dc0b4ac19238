"""Every chart on every page: one drawing shows at first paint, the one drawn for the width, recoloured by scheme."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from helpers.browser import DESKTOP, PHONE, Server, Views, expect_none

pytestmark = pytest.mark.browser


def test_static_views_show_at_first_paint(views: Views, chart_url: str) -> None:
    visit = views.of(chart_url)  # its drawings were measured on load, before any scrolling or input
    problems = [f"chart {v['chart']}: drawing {v['state']}" for v in visit.first_paint if not v["ok"]]
    expect_none(problems, f"/{chart_url}: chart drawings not shown before any scrolling")


# Which drawings each chart frame shows, and the colour its first mark is filled with, as the browser paints it.
SHOWN = """() => Array.from(document.querySelectorAll('.chart-frame[data-chart]'), (frame) => ({
  chart: frame.dataset.chart,
  shown: Array.from(frame.querySelectorAll('.chart-drawing')).filter((d) => d.checkVisibility())
    .map((d) => d.getAttribute('class')),
  fill: (() => { const m = Array.from(frame.querySelectorAll('.mark')).find((e) => e.checkVisibility());
                 return m ? getComputedStyle(m).fill : ''; })(),
}))"""


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_each_chart_shows_the_one_drawing_for_its_width(views: Views, chart_url: str, width: str) -> None:
    visit = views.of(chart_url, viewport=DESKTOP if width == "desktop" else PHONE)
    want = "chart-drawing chart-wide" if width == "desktop" else "chart-drawing chart-narrow"
    problems = [f"chart {c['chart']} shows {c['shown']}" for c in visit.page.evaluate(SHOWN) if c["shown"] != [want]]
    expect_none(problems, f"/{chart_url} at {width} width: not exactly the {want} drawing")


LIGHT_ACCENT, DARK_ACCENT = "rgb(164, 51, 28)", "rgb(255, 155, 122)"
LIGHT_NEUTRAL, DARK_NEUTRAL = "rgb(94, 94, 94)", "rgb(160, 160, 160)"


def test_marks_recolour_for_dark_screens_and_print_light(views: Views, chart_url: str) -> None:
    visit = views.of(chart_url, scheme="dark")
    fills = {c["chart"]: c["fill"] for c in visit.page.evaluate(SHOWN)}
    problems = [f"{chart}: {fill} on a dark screen" for chart, fill in fills.items() if fill in (LIGHT_ACCENT, "")]
    visit.page.emulate_media(media="print", color_scheme="dark")  # printing from a dark-scheme browser
    printed = {c["chart"]: c["fill"] for c in visit.page.evaluate(SHOWN)}
    problems += [f"{chart}: {fill} in print" for chart, fill in printed.items() if fill in (DARK_ACCENT, DARK_NEUTRAL)]
    visit.page.emulate_media(media="screen", color_scheme="dark")
    expect_none(problems, f"/{chart_url}: chart colours wrong for the scheme or print")


# Each key swatch's painted colours, and every colour the chart's shown drawing paints with.
KEY_PAINT = """() => Array.from(document.querySelectorAll('figure.chart'), (figure) => {
  const paints = (el) => { const s = getComputedStyle(el); return [s.fill, s.stroke]
    .filter((c) => c !== 'none' && !c.startsWith('rgba(0, 0, 0, 0)')); };
  const drawn = new Set();
  for (const d of figure.querySelectorAll('.chart-drawing')) {
    if (!d.checkVisibility()) continue;
    for (const el of d.querySelectorAll('path, rect, circle, line')) { paints(el).forEach((c) => drawn.add(c)); }
  }
  return { chart: figure.id, drawn: Array.from(drawn), keys: Array.from(figure.querySelectorAll('.chart-key'), (k) => ({
    text: k.textContent.trim().slice(0, 24),
    paints: Array.from(k.querySelectorAll('.chart-swatch > *'), paints).flat(),
  })) };
})"""


@pytest.mark.parametrize("scheme", ["light", "dark", "print"])
def test_key_swatches_are_painted_in_their_charts_colours(views: Views, chart_url: str, scheme: str) -> None:
    visit = views.of(chart_url, scheme="light" if scheme == "light" else "dark")
    if scheme == "print":
        visit.page.emulate_media(media="print", color_scheme="dark")
    problems, swatches = [], 0
    for chart in visit.page.evaluate(KEY_PAINT):
        for key in chart["keys"]:
            swatches += 1
            odd = [c for c in key["paints"] if c not in chart["drawn"]] if chart["drawn"] else []
            if not key["paints"] or odd:
                problems.append(f"{chart['chart']} key '{key['text']}': swatch paints {key['paints']}, not {odd} ")
    visit.page.emulate_media(media="screen", color_scheme="light" if scheme == "light" else "dark")
    expect_none(problems, f"/{chart_url} ({scheme}): key swatches not drawn in the chart's colours")
    if chart_url == "":
        assert swatches >= 6  # the story's charts have keys


# Text drawn in an SVG that sticks out of the SVG is cut off: labels past the edge of a drawn chart.
CLIPPED_TEXT = """() => {
  const clipped = [];
  for (const text of document.querySelectorAll('svg text')) {
    let root = text.ownerSVGElement;
    while (root && root.ownerSVGElement) root = root.ownerSVGElement;
    const r = text.getBoundingClientRect();
    const box = root.getBoundingClientRect();
    const shown = text.checkVisibility({opacityProperty: true, visibilityProperty: true});
    if (!r.width || box.right <= 0 || !shown) continue;
    if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) {
      const chart = root.closest('[data-chart]');
      const span = (b) => `${Math.round(b.left)}..${Math.round(b.right)}`;
      clipped.push(`chart ${chart ? chart.dataset.chart : '?'}: "${text.textContent.trim()}" spans ` +
        `${span(r)} px in an SVG at ${span(box)} px`);
    }
  }
  return clipped;
}"""


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_chart_text_is_not_cut_off(views: Views, chart_url: str, width: str) -> None:
    visit = views.of(chart_url, viewport=DESKTOP if width == "desktop" else PHONE)
    expect_none(visit.page.evaluate(CLIPPED_TEXT), f"/{chart_url} at {width} width: chart text cut off at the edge")


def test_an_embedded_charts_links_open_in_the_host_page_and_its_skip_link_in_the_frame(
    browser: Browser, server: Server
) -> None:
    context = browser.new_context()
    page = context.new_page()
    host, embed = server.url("embed-host.html"), server.url("charts/footprint/embed/")
    frame_html = f'<!doctype html><title>A host</title><iframe src="{embed}" width="600" height="900"></iframe>'
    page.route(host, lambda route: route.fulfill(content_type="text/html", body=frame_html))
    page.goto(host)
    frame = page.frame_locator("iframe")
    frame.locator(".skip-link").focus()
    page.keyboard.press("Enter")  # the keyboard user's jump past the (absent) menus stays inside the chart
    page.wait_for_timeout(300)
    assert page.url == host and page.frames[1].url == embed + "#main"
    with page.expect_navigation():
        frame.locator(".chart-source a").first.click()  # the source opens in the host's window, not in the frame
    assert page.url.startswith(server.url("facts/#source-")) and len(page.frames) == 1
    context.close()
