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
    """The drawings' text problems once the text-spacing override applies: text out of its drawing or on other text,
    and a line drawn over the labels (a bracket, a leader) crossing one. A gridline behind a label may show past its
    knockout, which is sized for unspaced text: the label still reads."""
    page.add_style_tag(content=TEXT_SPACING)
    page.wait_for_timeout(100)
    problems: list[str] = page.evaluate(SPILLED)
    return problems + [p for p in page.evaluate(LINES) if p.endswith("a line drawn over the labels crosses it")]


def test_chart_labels_survive_text_spacing_at_320_px(browser: Browser, server: Server) -> None:
    """At 320 px under WCAG 1.4.12's spacing no label leaves its drawing, lands on another or under a drawn line (the
    log chart's bracket once ran through "146 million yuan", whose room ran to the drawing's edge past the bracket)."""
    visit = open_page(browser, server, "", viewport={"width": 320, "height": 640})
    try:
        problems = spilled_with_text_spacing(visit.page)
    finally:
        visit.close()
    expect_none(problems, "chart labels at 320 px with WCAG 1.4.12 text spacing")


# Every label of the shown drawings (an annotation's text, with the knockout Plotly draws behind it) against every
# line: a gridline or reference line drawn under the labels (a line behind a label must stop at its edge: the label's
# knockout in the page's colour covers it), and a line drawn over them (a timeline's leader, a bracket, a year's span:
# it must not cross a label at all).
LINES = r"""() => {
  const problems = [];
  const channels = (c) => (c.match(/[\d.]+/g) || []).map(Number);
  const page = channels(getComputedStyle(document.body).backgroundColor);
  const paged = (c) => channels(c).length === 3 && channels(c).every((v, i) => Math.abs(v - page[i]) <= 2);
  const box = (el) => el.getBoundingClientRect();
  // a text box and a line (its box has no width or height: widened by a pixel each side) that cross by more than
  // a pixel and a half inside the text
  const cross = (a, l) => Math.min(a.right, l.right + 1) - Math.max(a.left, l.left - 1) > 1.5
    && Math.min(a.bottom, l.bottom + 1) - Math.max(a.top, l.top - 1) > 1.5;
  for (const svg of document.querySelectorAll('svg.chart-drawing')) {
    if (!svg.checkVisibility()) continue;
    const chart = svg.closest('[data-chart]').dataset.chart;
    const labels = Array.from(svg.querySelectorAll('g.annotation')).map((g) => ({g,
      text: g.querySelector('text'), bg: g.querySelector('rect.bg')})).filter((l) => l.text
      && l.text.textContent.trim());
    const stroked = (p) => { const s = getComputedStyle(p); const b = box(p);  // a line: stroked and thin
      return s.stroke !== 'none' && parseFloat(s.strokeWidth) > 0 && Math.min(b.width, b.height) <= 3; };
    const under = Array.from(svg.querySelectorAll(
      '.gridlayer path, .zerolinelayer path, .layer-below .shapelayer path')).filter(stroked);
    const over = Array.from(svg.querySelectorAll('.layer-above .shapelayer path')).filter(stroked);
    for (const label of labels) {
      const t = box(label.text);
      const name = `${chart}: "${label.text.textContent.trim().slice(0, 30)}"`;
      for (const line of under) {
        if (!cross(t, box(line))) continue;
        const l = box(line);  // the stretch of the line inside the text must lie under the knockout
        const part = {left: Math.max(t.left, l.left - 1), right: Math.min(t.right, l.right + 1),
          top: Math.max(t.top, l.top - 1), bottom: Math.min(t.bottom, l.bottom + 1)};
        const k = label.bg ? box(label.bg) : null;
        const covers = k && k.left <= part.left + 0.5 && k.right >= part.right - 0.5 && k.top <= part.top + 0.5
          && k.bottom >= part.bottom - 0.5 && paged(getComputedStyle(label.bg).fill)
          && getComputedStyle(label.bg).fillOpacity !== '0'
          && (line.compareDocumentPosition(label.bg) & Node.DOCUMENT_POSITION_FOLLOWING);
        if (!covers) problems.push(`${name}: a line runs through it (no knockout in the page's colour over it)`);
      }
      for (const line of over) {
        if (cross(t, box(line))) problems.push(`${name}: a line drawn over the labels crosses it`);
      }
    }
  }
  return problems;
}"""


@pytest.mark.parametrize("width", [375, 1280])
def test_no_line_runs_through_a_chart_label(views: Views, chart_url: str, width: int) -> None:
    """Gridlines and reference lines stop at a label's edge (the label is set on the page's colour); a leader line,
    bracket or span drawn over the labels never crosses one (the 2020 leaders once crossed 'AU Optronics opens a
    plant' at 1280 px; the top gridline ran through 'billion yuan' at 375)."""
    visit = views.of(chart_url, viewport={"width": width, "height": 900})
    expect_none(visit.page.evaluate(LINES), f"/{chart_url} at {width} px: lines through chart labels")


# Each shown drawing's hedged marks and key swatches as painted: the solid colours, the page's, and for every mark
# and swatch part that is not solid, its fill and stroke.
HEDGED = """() => {
  const out = {page: getComputedStyle(document.body).backgroundColor, marks: [], swatches: []};
  const probe = document.createElement('span');
  document.body.appendChild(probe);
  const solid = ['--chart-accent', '--chart-neutral'].map((p) => { probe.style.color = `var(${p})`;
    return getComputedStyle(probe).color; });
  probe.remove();
  out.solid = solid;
  for (const svg of document.querySelectorAll('svg.chart-drawing')) {
    if (!svg.checkVisibility()) continue;
    for (const m of svg.querySelectorAll('.mark[data-fact]')) {
      if (m.closest('g.annotation')) continue;  // a figure drawn only as words: its label is its mark
      const el = m.tagName === 'rect' && m.previousElementSibling ? m.previousElementSibling : m;
      const s = getComputedStyle(el);
      const unpainted = ['none', 'rgba(0, 0, 0, 0)'].includes(s.fill) && s.stroke === 'none';  // a hit area
      if (!solid.includes(s.fill) && !unpainted) out.marks.push({fact: m.dataset.fact, fill: s.fill,
        stroke: s.stroke, width: parseFloat(s.strokeWidth)});
    }
  }
  for (const part of document.querySelectorAll('.chart-swatch :is(rect, circle, path)')) {
    if (!part.checkVisibility()) continue;
    const s = getComputedStyle(part);
    if (!solid.includes(s.fill) && s.fill !== 'none') out.swatches.push({cls: part.getAttribute('class'),
      fill: s.fill, stroke: s.stroke});
  }
  return out;
}"""


def _rgb(css: str) -> tuple[float, ...]:
    """A computed colour's channels ('rgb(255, 255, 254)' -> (255, 255, 254)); transparent has a fourth, 0."""
    return tuple(float(n) for n in re.findall(r"[\d.]+", css))


def _near(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    """Two opaque colours no eye tells apart (each channel within 2 of 255)."""
    return len(a) == len(b) == 3 and all(abs(x - y) <= 2 for x, y in zip(a, b, strict=True))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_hedged_mark_is_open_in_every_scheme_as_its_key_says(views: Views, chart_url: str, scheme: str) -> None:
    """One language for a hedge in every chart and scheme: a mark that is not solid is open, its inside the page (or
    unpainted, as a timeline's goal) and its outline its solid colour, and the key's swatch is drawn the same; a
    paler shade, which turns darker than the solid mark on a dark page (against the key's word), fails."""
    visit = views.of(chart_url, scheme=scheme, viewport={"width": 375, "height": 900})
    drawn: Any = visit.page.evaluate(HEDGED)
    page = _rgb(drawn["page"])
    problems = [
        f"mark of {m['fact']}: fill {m['fill']}, outline {m['stroke']} ({m['width']} px): not open"
        for m in drawn["marks"]
        if not (m["fill"] == "none" or _near(_rgb(m["fill"]), page))
        or m["stroke"] not in drawn["solid"]
        or m["width"] < 1
    ]
    problems += [
        f"key swatch {s['cls']}: fill {s['fill']}, outline {s['stroke']}: not open"
        for s in drawn["swatches"]
        if not _near(_rgb(s["fill"]), page) or s["stroke"] not in drawn["solid"]
    ]
    expect_none(problems, f"/{chart_url} in {scheme}: hedged marks not drawn open (page {drawn['page']})")
    if visit.page.locator(".chart-swatch .open, .chart-swatch .pale").count():
        assert drawn["marks"], "a page whose key explains a hedged mark draws one"
