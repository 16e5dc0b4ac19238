"""Every chart on every page: its static view shows at first paint, and Plotly draws it once it is scrolled to."""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .conftest import CHART, PLOT, Views
from .test_pages import expect_none

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
