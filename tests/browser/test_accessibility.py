"""What axe does not check, on the story: the headings a screen reader lists (Chromium's accessibility tree over
CDP), the page under the WCAG 1.4.12 text-spacing override at 320 px, hit areas at 320 px, and the charts in
forced colours. One page load per check that needs its own browser settings."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from helpers.browser import NEXT_FRAMES, Server, expect_none, open_page, page_cards

pytestmark = pytest.mark.browser

# WCAG 1.4.12's override, as a user stylesheet would inject it.
TEXT_SPACING = (
    "* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }"
    " p { margin-bottom: 2em !important; }"
)
SMALLEST = {"width": 320, "height": 640}


def in_reading_order(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The accessibility tree's nodes in the order a screen reader reads them: depth first from the root, as CDP's
    flat list is not (it gave the story's section headings before its h1, and every chart title after all of them)."""
    by_id = {node["nodeId"]: node for node in nodes}
    ordered, stack = [], [nodes[0]]
    while stack:
        node = stack.pop()
        ordered.append(node)
        stack.extend(by_id[c] for c in reversed(node.get("childIds", [])) if c in by_id)
    return ordered


def headings(page: Page) -> list[dict[str, Any]]:
    """The page's headings as Chromium gives them to a screen reader, in reading order: level, name and the DOM id."""
    cdp = page.context.new_cdp_session(page)
    try:
        nodes = in_reading_order(cdp.send("Accessibility.getFullAXTree")["nodes"])
        found = []
        for node in nodes:
            if node.get("role", {}).get("value") != "heading" or node.get("ignored"):
                continue
            level = next(p["value"]["value"] for p in node.get("properties", []) if p["name"] == "level")
            ident = ""
            if "backendDOMNodeId" in node:
                described = cdp.send("DOM.describeNode", {"backendNodeId": node["backendDOMNodeId"]})["node"]
                attributes = described.get("attributes", [])
                ident = dict(zip(attributes[::2], attributes[1::2], strict=True)).get("id", "")
            found.append({"level": level, "name": node.get("name", {}).get("value", ""), "id": ident})
        return found
    finally:
        cdp.detach()


def test_the_storys_headings_are_short_and_in_order_even_with_the_card_open(browser: Browser, server: Server) -> None:
    """No heading's name holds a source passage or a citation (the headline carries none); chart titles sit one level
    under the section headings they follow; opening the card on the first citation leaves every heading's name alone."""
    visit = open_page(browser, server, "")
    page = visit.page
    try:
        passages = [claim["passage"] for claim in page_cards(page)["claims"].values()]
        before = headings(page)
        page.focus(".standfirst a.cite")
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.id") == "reader-card"
        after = headings(page)
    finally:
        visit.close()
    wordy = [f"h{h['level']} {h['name']!r}" for h in before if any(p[:40] in h["name"] for p in passages)]
    expect_none(wordy, "headings whose names read out a source passage")
    headline = next(h for h in before if h["level"] == 1)
    assert headline["name"].endswith("of Xiamen’s industrial output"), headline
    assert after == before, "the open card should change no heading's name"
    charts = [i for i, h in enumerate(before) if h["id"].startswith("chart-") and h["id"].endswith("-title")]
    assert len(charts) == 4
    misplaced = []
    for i in charts:
        section = next((h for h in reversed(before[:i]) if not h["id"].startswith("chart-")), None)
        if before[i]["level"] != 3 or section is None or section["level"] != 2:
            misplaced.append(f"{before[i]['id']} is h{before[i]['level']} after {section}")
    expect_none(misplaced, "chart titles not one level under their section's h2")


# Everything that sticks out: the page's width beyond the viewport, the data tables beyond their chart, and each hit
# area (chart marks, summaries, the card's link) under 24 CSS px.
OVERFLOW = """() => {
  const root = document.documentElement;
  const out = {page: root.scrollWidth - root.clientWidth, tables: [], small: []};
  for (const d of document.querySelectorAll('details.chart-data')) d.open = true;
  for (const t of document.querySelectorAll('.chart-data table')) {
    const box = t.closest('figure').getBoundingClientRect(), r = t.getBoundingClientRect();
    if (r.right > box.right + 0.5) out.tables.push(`${t.closest('figure').id}: ${Math.round(r.right - box.right)} px`);
  }
  for (const el of document.querySelectorAll('svg.chart-drawing .mark, details.chart-data summary')) {
    if (!el.checkVisibility()) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 24 || r.height < 24) {
      const what = el.getAttribute('data-fact') || el.textContent;
      out.small.push(`${what}: ${r.width.toFixed(1)} x ${r.height.toFixed(1)}`);
    }
  }
  return out;
}"""


# For each shown mark, where a pointer reaches it: the centre of a 24 x 24 px square in which every point the
# browser hit-tests belongs to the mark (the mark itself, or its label, whose tap or hover opens the same card), as
# page coordinates; null where there is none (the timeline's three 2020 marks lie on one another: at 1280 px no point
# of "2020, month not given" was the mark's own). Each mark is tagged data-reach, its index, for the click after.
REACH = """async () => {
  const frame = () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const ownerOf = (el) => {
    const mark = el && el.closest('[data-fact]');
    if (mark) return mark;
    const text = el && el.closest('g.annotation') && el.closest('g.annotation').querySelector('[data-for]');
    return text ? text.closest('svg').querySelector(`.mark[data-fact="${text.getAttribute('data-for')}"]`) : null;
  };
  const found = [];
  for (const svg of document.querySelectorAll('svg.chart-drawing')) {
    if (!svg.checkVisibility()) continue;
    for (const mark of svg.querySelectorAll('.mark[data-fact]')) {
      mark.dataset.reach = found.length;
      const labels = svg.querySelectorAll(`[data-for="${mark.dataset.fact}"]`);
      let spot = null;
      for (const area of [mark, ...Array.from(labels, (t) => t.closest('g.annotation')).filter(Boolean)]) {
        area.scrollIntoView({block: 'center'});
        await frame();
        const r = area.getBoundingClientRect(), S = 2, N = 12;  // 2 px cells, 24 px squares
        const cols = Math.floor(r.width / S), rows = Math.floor(r.height / S);
        const sum = Array.from({length: rows + 1}, () => new Int32Array(cols + 1));
        for (let j = 0; j < rows; j++) for (let i = 0; i < cols; i++) {
          const own = ownerOf(document.elementFromPoint(r.left + i * S + 1, r.top + j * S + 1)) === mark ? 1 : 0;
          sum[j + 1][i + 1] = own + sum[j][i + 1] + sum[j + 1][i] - sum[j][i];
        }
        for (let j = 0; j + N <= rows && !spot; j++) for (let i = 0; i + N <= cols && !spot; i++) {
          if (sum[j + N][i + N] - sum[j][i + N] - sum[j + N][i] + sum[j][i] === N * N) {
            spot = {x: r.left + (i + N / 2) * S + scrollX, y: r.top + (j + N / 2) * S + scrollY};
          }
        }
        if (spot) break;
      }
      found.push({fact: mark.dataset.fact, spot});
    }
  }
  return found;
}"""


def unreachable(page: Page) -> list[str]:
    """Each shown mark without a 24 px square a pointer reaches it by, or whose click there opens no card for it."""
    problems = []
    for index, mark in enumerate(page.evaluate(REACH)):
        if mark["spot"] is None:
            problems.append(f"{mark['fact']}: no 24 x 24 px square of it or its label is its own")
            continue
        top = page.evaluate("(y) => { scrollTo(0, y - innerHeight / 2); return scrollY; }", mark["spot"]["y"])
        page.mouse.click(mark["spot"]["x"], mark["spot"]["y"] - top)
        opened = page.get_attribute(f'[data-reach="{index}"]', "aria-expanded") == "true"
        page.keyboard.press("Escape")
        if not opened:
            problems.append(f"{mark['fact']}: a click at {mark['spot']} opens no card for it")
    return problems


def test_the_story_at_320_px_with_text_spacing_keeps_its_width_and_24_px_targets(
    browser: Browser, server: Server
) -> None:
    """Nothing wider than the screen, and every hit area at least 24 px: each mark's box, and a 24 px square of the
    mark or its label that a pointer reaches it by (a click there opens its card)."""
    visit = open_page(browser, server, "", viewport=SMALLEST)
    page = visit.page
    try:
        page.add_style_tag(content=TEXT_SPACING)
        page.evaluate(NEXT_FRAMES)
        found = page.evaluate(OVERFLOW)
        blocked = unreachable(page)
    finally:
        visit.close()
    assert found["page"] <= 0, f"with the text-spacing override the page is {found['page']} px wider than 320 px"
    expect_none(found["tables"], "data tables wider than their chart at 320 px with text spacing")
    expect_none(found["small"], "hit areas under 24 CSS px at 320 px")
    expect_none(blocked, "marks a pointer cannot reach by a 24 px target at 320 px")


# For each shown drawing: every mark's painted fill and stroke, and the page's Canvas colour.
PAINT = """() => {
  const probe = document.createElement('div');
  probe.style.background = 'Canvas';
  document.body.appendChild(probe);
  const canvas = getComputedStyle(probe).backgroundColor;
  probe.remove();
  const marks = [];
  for (const svg of document.querySelectorAll('svg.chart-drawing')) {
    if (!svg.checkVisibility()) continue;
    for (const el of svg.querySelectorAll('.point path, .point, path[style*="--chart-"]')) {
      const s = getComputedStyle(el);
      if (s.fill === 'none' && s.stroke === 'none') continue;
      const pale = (el.getAttribute('style') || '').includes('fill: var(--chart-bg');  // an open (hedged) mark
      marks.push({chart: svg.closest('[data-chart]').dataset.chart, pale,
        fill: s.fill, stroke: parseFloat(s.strokeWidth) > 0 ? s.stroke : 'none', dash: s.strokeDasharray});
    }
  }
  return {forced: matchMedia('(forced-colors: active)').matches, canvas, marks};
}"""


def test_in_forced_colours_every_mark_and_hedge_stays_visible(browser: Browser, server: Server) -> None:
    """In forced colours the drawings use the user's system colours: no mark painted in the canvas colour without an
    outline, every pale (hedged) mark outlined and dashed, the zone's colour apart from the city's."""
    visit = open_page(browser, server, "", viewport={"width": 1280, "height": 800}, forced_colors="active")
    try:
        paint = visit.page.evaluate(PAINT)
        blocked = unreachable(visit.page)  # this visit also carries the wide drawings' pointer check
    finally:
        visit.close()
    expect_none(blocked, "marks a pointer cannot reach by a 24 px target at 1280 px")
    assert paint["forced"], "the context should emulate forced colours"
    canvas, marks = paint["canvas"], paint["marks"]
    assert len(marks) >= 10, marks
    invisible = [
        m for m in marks if m["fill"] in (canvas, "none", "rgba(0, 0, 0, 0)") and m["stroke"] in (canvas, "none")
    ]
    expect_none([str(m) for m in invisible], "marks that vanish into the canvas in forced colours")
    pale = [m for m in marks if m["pale"]]
    assert pale, "the story draws hedged (pale) marks"
    expect_none(
        [str(m) for m in pale if m["stroke"] in (canvas, "none") or m["dash"] == "none"],
        "hedged marks without a dashed outline in forced colours",
    )
    fills = {m["fill"] for m in marks if not m["pale"] and m["fill"] != canvas}
    assert len(fills) >= 2, f"the zone and the city should keep different system colours: {fills}"
