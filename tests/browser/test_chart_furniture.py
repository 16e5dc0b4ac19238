"""How a chart reads at a glance, measured in the browser on every page that shows charts: the description only for
assistive technology, furniture no taller than the drawing on a phone, bars that stop at their stated values, a
timeline whose gaps are proportional to time, and labels that survive the WCAG 1.4.12 text-spacing override."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from helpers.browser import PHONE, Server, Views, expect_none, open_page
from torchsite.inputs.formatting import MONTHS  # the month names dates are written with

pytestmark = pytest.mark.browser

# Each figure: whether its description shows, whether the figure names it as its description, and the heights of
# the drawing shown and of the caption under it (the furniture: note, key, source, links) with the data closed.
FURNITURE = """() => Array.from(document.querySelectorAll('figure.chart'), (figure) => {
  const drawing = Array.from(figure.querySelectorAll('svg.chart-drawing')).find((d) => d.checkVisibility());
  const description = figure.querySelector('.chart-description');
  const caption = figure.querySelector('figcaption');
  return {
    id: figure.id,
    drawing: drawing ? drawing.getBoundingClientRect().height : 0,
    caption: caption.getBoundingClientRect().height,
    described: !!description && figure.getAttribute('aria-describedby') === description.id
      && description.textContent.trim().length > 20,
    shown: Array.from(figure.querySelectorAll('p')).filter((el) => el.checkVisibility()
      && /^Each bar is|Longest bar|Events in time order/.test(el.textContent.trim())).map((el) => el.className),
  };
})"""


def test_the_description_is_for_assistive_technology_and_the_furniture_smaller_than_the_drawing(
    views: Views, chart_url: str
) -> None:
    visit = views.of(chart_url, viewport=PHONE)
    problems = []
    for figure in visit.page.evaluate(FURNITURE):
        if not figure["described"]:
            problems.append(f"{figure['id']}: no description the figure names (aria-describedby)")
        if figure["shown"]:
            problems.append(f"{figure['id']}: the description shows as a paragraph ({figure['shown']})")
        if figure["drawing"] and figure["caption"] > figure["drawing"]:
            problems.append(
                f"{figure['id']}: caption {figure['caption']:.0f} px under a {figure['drawing']:.0f} px drawing"
            )
    expect_none(problems, f"/{chart_url} at 375 px: chart furniture")


# The marks of one chart's shown drawing: each mark's fact and box, the table's words for it, and every painted bar
# path of the drawing (the solid part of a hedged bar is one, drawn as decoration).
MARKS = """(chart) => {
  const figure = document.getElementById('chart-' + chart);
  if (!figure) return null;
  const svg = Array.from(figure.querySelectorAll('svg.chart-drawing')).find((d) => d.checkVisibility());
  const words = {};
  for (const row of figure.querySelectorAll('.chart-data tbody tr')) {
    const fact = row.querySelector('[data-fact]').dataset.fact;
    words[fact] = Array.from(row.children, (c) => c.textContent.trim());
  }
  const box = (el) => { const r = el.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  return {
    // a mark too small to touch carries a transparent hit area after its painted path: measure the path
    marks: Array.from(svg.querySelectorAll('.mark[data-fact]'), (m) => ({fact: m.dataset.fact,
      box: box(m.tagName === 'rect' && m.previousElementSibling ? m.previousElementSibling : m)})),
    bars: Array.from(svg.querySelectorAll('.bars path'), box).filter((b) => b.right > b.left),
    words,
  };
}"""


def _number(text: str) -> float:
    """The number in a figure's words ('less than 3%' -> 3)."""
    found = re.search(r"\d[\d,]*(?:\.\d+)?", text)
    assert found, text
    return float(found.group(0).replace(",", ""))


@pytest.mark.parametrize("width", [375, 1280])
def test_every_bar_stops_at_its_stated_value(views: Views, chart_url: str, width: int) -> None:
    """Every bar of the shares chart is as long as its figure, hedged or not; no painted part of it goes further."""
    visit = views.of(chart_url, viewport={"width": width, "height": 900})
    drawn: Any = visit.page.evaluate(MARKS, "footprint")
    if drawn is None:
        pytest.skip("no shares chart on this page")
    marks, bars, words = drawn["marks"], drawn["bars"], drawn["words"]
    per_point = [(m["box"]["right"] - m["box"]["left"]) / _number(words[m["fact"]][1]) for m in marks]
    per_point.insert(0, max(per_point))  # the scale of the longest bar, drawn most precisely
    problems = [
        f"{m['fact']} ({words[m['fact']][1]}): {m['box']['right'] - m['box']['left']:.1f} px long, "
        f"{per_point[0] * _number(words[m['fact']][1]):.1f} px for its value at the first bar's scale"
        for m, scale in zip(marks, per_point[1:], strict=True)
        if abs(scale - per_point[0]) * _number(words[m["fact"]][1]) > 1.0
    ]
    for bar in bars:
        row = [m for m in marks if m["box"]["top"] < bar["bottom"] - 1 and m["box"]["bottom"] > bar["top"] + 1]
        if row and bar["right"] > max(m["box"]["right"] for m in row) + 0.5:
            problems.append(f"a painted bar runs {bar['right'] - row[0]['box']['right']:.1f} px past its mark's end")
    expect_none(problems, f"/{chart_url} at {width} px: bars drawn at lengths their figures do not give")


def _when(text: str) -> float:
    """A timeline's date in years as the chart places it: a month at its middle, a year dated only by that year at
    the middle of the year, a 'by' bound at the year's start."""
    found = re.fullmatch(r"(by )?(?:(\w+) )?(\d{4}).*", text)
    assert found, text
    bound, month, year = found.groups()
    if month in MONTHS:
        return int(year) + (MONTHS.index(month) + 0.5) / 12
    return int(year) + (0.0 if bound else 0.5)


@pytest.mark.parametrize("width", [375, 1280])
def test_timeline_gaps_are_proportional_to_time(views: Views, chart_url: str, width: int) -> None:
    """Each event's mark stands where a straight scale of time puts it: down the drawing on a phone, across it on a
    wide screen (1992 to 2006 three times as long as 2020 to October 2020 is not)."""
    visit = views.of(chart_url, viewport={"width": width, "height": 900})
    drawn: Any = visit.page.evaluate(MARKS, "milestones")
    if drawn is None:
        pytest.skip("no timeline on this page")
    down = width < 480
    points = [
        (_when(drawn["words"][m["fact"]][0]), (m["box"]["top"] + m["box"]["bottom"]) / 2 if down
         else (m["box"]["left"] + m["box"]["right"]) / 2)
        for m in drawn["marks"]
    ]  # fmt: skip
    assert len({t for t, _ in points}) >= 3, points
    n = len(points)
    mean_t, mean_p = sum(t for t, _ in points) / n, sum(p for _, p in points) / n
    slope = sum((t - mean_t) * (p - mean_p) for t, p in points) / sum((t - mean_t) ** 2 for t, _ in points)
    off = [
        f"{t:.2f}: {p - (mean_p + slope * (t - mean_t)):+.1f} px off the scale"
        for t, p in points
        if abs(p - (mean_p + slope * (t - mean_t))) > 1.5
    ]
    expect_none(off, f"/{chart_url} at {width} px: timeline marks not on a time scale ({slope:.1f} px a year)")
    assert slope > 4, f"{slope:.1f} px a year: time should run down or across"


# WCAG 1.4.12's override, as a user stylesheet or bookmarklet injects it.
TEXT_SPACING = (
    "* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }"
    " p { margin-bottom: 2em !important; }"
)
# Text of a shown drawing that sticks out of its SVG, or overlaps another text of it, as laid out now.
SPILLED = """() => {
  const problems = [];
  for (const svg of document.querySelectorAll('svg.chart-drawing')) {
    if (!svg.checkVisibility()) continue;
    const frame = svg.getBoundingClientRect();
    const texts = Array.from(svg.querySelectorAll('text')).filter((t) => t.textContent.trim());
    texts.forEach((t, i) => {
      const r = t.getBoundingClientRect();
      const name = `${svg.closest('[data-chart]').dataset.chart}: "${t.textContent.trim().slice(0, 30)}"`;
      const out = Math.max(frame.left - r.left, r.right - frame.right, frame.top - r.top, r.bottom - frame.bottom);
      if (out > 1) problems.push(`${name} sticks out of its drawing by ${out.toFixed(0)} px`);
      for (const u of texts.slice(i + 1)) {
        const b = u.getBoundingClientRect();
        const w = Math.min(r.right, b.right) - Math.max(r.left, b.left);
        const h = Math.min(r.bottom, b.bottom) - Math.max(r.top, b.top);
        if (w > 1 && h > 1) problems.push(`${name} overlaps "${u.textContent.trim().slice(0, 30)}"`);
      }
    });
  }
  return problems;
}"""


def spilled_with_text_spacing(page: Page) -> list[str]:
    """The drawings' text problems once the text-spacing override applies."""
    page.add_style_tag(content=TEXT_SPACING)
    page.wait_for_timeout(100)
    problems: list[str] = page.evaluate(SPILLED)
    return problems


def test_chart_labels_survive_text_spacing_at_320_px(browser: Browser, server: Server) -> None:
    visit = open_page(browser, server, "", viewport={"width": 320, "height": 640})
    try:
        problems = spilled_with_text_spacing(visit.page)
    finally:
        visit.close()
    expect_none(problems, "chart labels at 320 px with WCAG 1.4.12 text spacing")
