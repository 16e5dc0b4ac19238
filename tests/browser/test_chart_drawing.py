"""Every chart on every page: its static view shows at first paint, and Plotly draws it once it is scrolled to."""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from helpers.browser import CHART, DESKTOP, PHONE, PLOT, SCROLL_THROUGH, Views, expect_none

pytestmark = pytest.mark.browser


def test_static_views_show_at_first_paint(views: Views, chart_url: str) -> None:
    visit = views.of(chart_url)  # its static views were measured on load, before any scrolling or input
    problems = [f"chart {v['chart']}: static view {v['state']}" for v in visit.first_paint if not v["ok"]]
    expect_none(problems, f"/{chart_url}: static chart views not shown before any scrolling")


def test_charts_draw_when_scrolled_to(views: Views, chart_url: str) -> None:
    visit = views.of(chart_url)
    frames = visit.page.locator(CHART)
    problems: list[str] = []
    for i in range(frames.count()):
        frame = frames.nth(i)
        frame.scroll_into_view_if_needed()
        try:  # a wait, not a timed assertion: a slow machine only waits longer
            frame.locator(f"{PLOT} svg").first.wait_for(state="visible", timeout=90_000)
        except PlaywrightTimeout:
            problems.append(
                f"chart {frame.get_attribute('data-chart')}: no SVG in its Plotly container after scrolling to it "
                f"(data-state={frame.get_attribute('data-state')})"
            )
    expect_none(problems, f"/{chart_url}: charts that did not draw")


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
    visit.page.evaluate(SCROLL_THROUGH)  # charts redraw at the new width as they come into view
    visit.page.wait_for_load_state("networkidle")
    expect_none(visit.page.evaluate(CLIPPED_TEXT), f"/{chart_url} at {width} width: chart text cut off at the edge")
