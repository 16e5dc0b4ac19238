"""Charts judged by their drawing as the reader's browser shows it, at 320, 375, 768 and 1280 px, light and dark.

Written against the drawings contract: each `.chart-frame[data-chart]` holds inline `svg.chart-drawing`
layouts (CSS shows one); marks are `.mark[data-fact]` with tabindex 0, role button and a spoken value; every
word is an SVG `text`; a label carries `data-for` naming its mark's fact. Each check is shown to fail on a
hand-made page that breaks it (`test_each_check_fails_on_a_page_that_breaks_it`).
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from helpers.browser import SCHEMES, Views, expect_none, page_cards
from helpers.html import read_page
from helpers.project import REPO
from torchsite.inputs import facts
from torchsite.inputs.figures import compute
from torchsite.inputs.formatting import Formatter
from torchsite.inputs.hedges import HEDGE_WORDS

pytestmark = pytest.mark.browser

WIDTHS = (320, 375, 768, 1280)
NARROW = 480  # at most this wide, a figure's parts stack and the narrow drawing shows
SMALLEST = 12.0  # px, text as rendered
# Every visible drawing's text and marks, measured as shown: overlapping text boxes, text over a painted mark,
# rotated or tiny text, labels nearer another mark than their own, and how many drawings each frame shows.
DRAWN = """() => {
  const problems = [];
  const box = (el) => el.getBoundingClientRect();
  const gap = (a, b) => Math.hypot(Math.max(0, a.left - b.right, b.left - a.right),
                                   Math.max(0, a.top - b.bottom, b.top - a.bottom));
  for (const frame of document.querySelectorAll('.chart-frame[data-chart]')) {
    const id = frame.dataset.chart;
    const shown = Array.from(frame.querySelectorAll('svg.chart-drawing')).filter((s) => s.checkVisibility());
    if (shown.length !== 1) { problems.push(`${id}: ${shown.length} drawings shown (expected exactly one)`); continue; }
    const svg = shown[0];
    const layout = svg.getAttribute('class');
    const texts = Array.from(svg.querySelectorAll('text')).filter((t) => t.textContent.trim() && t.checkVisibility()
      && box(t).width > 0);
    const name = (t) => `"${t.textContent.trim().slice(0, 40)}"`;
    texts.forEach((t, i) => {
      const m = t.getScreenCTM();
      if (Math.abs(m.b) > 1e-3 || Math.abs(m.c) > 1e-3) problems.push(`${id} (${layout}): ${name(t)} is rotated`);
      const size = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
      if (size < %(smallest)s - 0.05) problems.push(`${id} (${layout}): ${name(t)} is ${size.toFixed(1)} px as shown`);
      const a = box(t);
      for (const u of texts.slice(i + 1)) {
        const b = box(u);
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 1 && h > 1) {
          problems.push(`${id} (${layout}): ${name(t)} overlaps ${name(u)} by ${w.toFixed(0)}x${h.toFixed(0)} px`);
        }
      }
    });
    const marks = Array.from(svg.querySelectorAll('.mark[data-fact]'));
    if (!marks.length) problems.push(`${id} (${layout}): no marks (.mark[data-fact])`);
    const unpainted = ['none', 'transparent', 'rgba(0, 0, 0, 0)'];
    const painted = marks.filter((m) => !unpainted.includes(getComputedStyle(m).fill));
    for (const t of texts) {
      for (const m of painted) {
        const a = box(t);
        const b = box(m);
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 1 && h > 1) problems.push(`${id} (${layout}): ${name(t)} lies over the mark of ${m.dataset.fact}`);
      }
    }
    for (const label of svg.querySelectorAll('[data-for]')) {
      if (!label.checkVisibility() || !label.textContent.trim()) continue;
      const own = marks.filter((m) => m.dataset.fact === label.dataset.for).map((m) => gap(box(label), box(m)));
      if (!own.length) {
        problems.push(`${id} (${layout}): label ${name(label)} has no mark ${label.dataset.for}`);
        continue;
      }
      const nearest = Math.min(...own);
      for (const other of marks.filter((m) => m.dataset.fact !== label.dataset.for)) {
        const d = gap(box(label), box(other));
        if (d + 0.5 < nearest) {
          problems.push(`${id} (${layout}): label ${name(label)} is ${d.toFixed(0)} px ` +
            `from ${other.dataset.fact}'s mark, ` +
            `${nearest.toFixed(0)} px from its own (${label.dataset.for})`);
          break;
        }
      }
    }
    for (const mark of marks) {
      const missing = [['tabindex', '0'], ['role', 'button'], ['aria-haspopup', 'dialog']]
        .filter(([k, v]) => mark.getAttribute(k) !== v).map(([k, v]) => `${k}="${v}"`);
      if (!(mark.getAttribute('aria-label') || '').trim()) missing.push('aria-label');
      if (missing.length) problems.push(`${id} (${layout}): mark ${mark.dataset.fact} lacks ${missing.join(', ')}`);
    }
  }
  return problems;
}""".replace("%(smallest)s", str(SMALLEST))
# Each chart figure's title, drawing (or cards) and caption: their boxes, to see that they stack.
PARTS = """() => Array.from(document.querySelectorAll('figure.chart'), (figure) => {
  const drawings = figure.querySelectorAll('svg.chart-drawing, .chart-cards');
  const drawing = Array.from(drawings).find((e) => e.checkVisibility());
  const parts = [figure.querySelector('.chart-title'), drawing, figure.querySelector('figcaption')];
  return {id: figure.id, boxes: parts.map((p) => p ? (({left, top, right, bottom}) => ({left, top, right, bottom}))(
    p.getBoundingClientRect()) : null)};
})"""
# The tabbable elements before the first one inside a chart: focused to start a Tab walk just before it.
START_BEFORE = """(id) => {
  const figure = document.getElementById(id);
  const all = Array.from(document.querySelectorAll('a[href], button, summary, [tabindex]'))
    .filter((el) => el.tabIndex >= 0 && el.checkVisibility() && !el.closest('#reader-card'));
  const first = all.findIndex((el) => figure.contains(el));
  if (first > 0) all[first - 1].focus(); else document.activeElement.blur();
  return first >= 0;
}"""
# What has focus: a visible chart mark (its fact, label, and the card then open), or where focus is.
FOCUS = """(id) => {
  const el = document.activeElement;
  const card = document.getElementById('reader-card');
  return {
    inside: Boolean(el && document.getElementById(id).contains(el)),
    card: Boolean(el && el.closest('#reader-card')),
    mark: el && el.matches('.mark[data-fact]') ? el.dataset.fact : null,
    label: el ? el.getAttribute('aria-label') : null,
    text: card && card.checkVisibility() ? card.innerText : null,
  };
}"""
# Every visible mark of a chart, by fact id.
MARKS = """(id) => Array.from(document.getElementById(id).querySelectorAll('svg.chart-drawing .mark[data-fact]'))
  .filter((m) => m.checkVisibility()).map((m) => m.dataset.fact)"""
# The colours the visible drawings paint with: each mark's and text's computed fill and stroke.
PAINT = """() => Array.from(document.querySelectorAll('svg.chart-drawing')).filter((s) => s.checkVisibility())
  .flatMap((s) => Array.from(s.querySelectorAll('.mark, text, path'), (el) => {
    const c = getComputedStyle(el);
    return `${c.fill} ${c.stroke}`;
  }))"""
DOUBLED = re.compile(
    "(" + "|".join(w for w in HEDGE_WORDS.values() if w) + ") (" + "|".join(w for w in HEDGE_WORDS.values() if w) + ")"
)


@functools.cache
def figures_text() -> dict[str, tuple[str, str]]:
    """Each figure's text as prose shows it (hedge and value), and its qualifier."""
    sheet = facts.load(REPO / "content" / "facts.yaml")
    return {i: (f.text, f.qualifier) for i, f in compute(sheet, Formatter("en")).items()}


def drawing_problems(page: Page) -> list[str]:
    """Overlapping, rotated and tiny text, misplaced labels and incomplete marks in the drawings shown."""
    problems: list[str] = page.evaluate(DRAWN)
    return problems


def stacking_problems(page: Page) -> list[str]:
    """On a narrow screen, each figure's title, drawing and caption stand one under another."""
    if page.viewport_size is None or page.viewport_size["width"] > NARROW:
        return []
    problems = []
    for figure in page.evaluate(PARTS):
        boxes = figure["boxes"]
        if None in boxes:
            problems.append(f"{figure['id']}: title, drawing or caption missing ({boxes})")
            continue
        for upper, lower, names in zip(boxes, boxes[1:], ("title/drawing", "drawing/caption"), strict=False):
            if lower["top"] < upper["bottom"] - 1:
                problems.append(f"{figure['id']}: {names} not stacked ({upper} then {lower})")
    return problems


def keyboard_problems(page: Page, texts: dict[str, tuple[str, str]], cards: dict[str, Any]) -> list[str]:
    """Tab reaches every visible mark of each drawn chart, announcing its value with its hedge, and opens its card."""
    problems = []
    for chart in page.evaluate(
        "() => Array.from(document.querySelectorAll('.chart-frame[data-chart]'), (f) => f.closest('figure').id)"
    ):
        expected = set(page.evaluate(MARKS, chart))
        if not page.evaluate(START_BEFORE, chart):
            problems.append(f"{chart}: nothing in it is reachable by keyboard")
            continue
        reached: set[str] = set()
        for _ in range(4 * len(expected) + 40):
            page.keyboard.press("Tab")
            now = page.evaluate(FOCUS, chart)
            if now["card"]:
                continue
            if not now["inside"] and reached:
                break
            ident = now["mark"]
            if ident is None:
                continue
            reached.add(ident)
            problems += mark_problems(chart, ident, now, texts, cards)
        problems += [f"{chart}: Tab never reaches the mark of {i}" for i in sorted(expected - reached)]
    return problems


def mark_problems(
    chart: str, ident: str, now: dict[str, Any], texts: dict[str, tuple[str, str]], cards: dict[str, Any]
) -> list[str]:
    """A focused mark names its figure as prose does (one hedge, none on an exact value) and opens its card."""
    problems = []
    label = now["label"] or ""
    text, qualifier = texts.get(ident, ("", "exact"))
    if text not in label:
        problems.append(f"{chart}: mark {ident} announces {label!r}, without the figure as prose gives it ({text!r})")
    if DOUBLED.search(label):
        problems.append(f"{chart}: mark {ident} announces a doubled hedge: {label!r}")
    if qualifier == "exact" and any(f"{w} {text}" in label for w in HEDGE_WORDS.values() if w):
        problems.append(f"{chart}: mark {ident} gives its exact value a hedge: {label!r}")
    card = cards.get(ident, {})
    evidence = card.get("passage") or card.get("working")
    if now["text"] is None:
        problems.append(f"{chart}: focusing mark {ident} opens no card")
    elif evidence and evidence not in now["text"]:
        problems.append(f"{chart}: the card of mark {ident} does not show its passage {evidence!r}")
    return problems


def cards_of(page: Page) -> dict[str, Any]:
    """The page's card data for facts (empty without a card-data block)."""
    data: dict[str, Any] = page_cards(page).get("facts", {})
    return data


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_chart_text_is_legible_upright_apart_and_beside_its_mark(
    views: Views, chart_url: str, width: int, scheme: str
) -> None:
    visit = views.of(chart_url, scheme, {"width": width, "height": 900})  # the page's one load, resized
    problems = drawing_problems(visit.page) + stacking_problems(visit.page)
    expect_none(problems, f"/{chart_url} at {width} px ({scheme})")


@pytest.mark.parametrize("width", WIDTHS)
def test_every_mark_is_reached_by_keyboard_and_announces_its_value(views: Views, chart_url: str, width: int) -> None:
    visit = views.of(chart_url, "light", {"width": width, "height": 900})  # the page's one load, resized
    try:
        problems = keyboard_problems(visit.page, figures_text(), cards_of(visit.page))
    finally:
        visit.put_down()
    expect_none(problems, f"/{chart_url} at {width} px, by keyboard")


def test_print_shows_the_light_drawing_from_a_dark_screen(views: Views, chart_url: str) -> None:
    visit = views.of(chart_url, "light")
    light = visit.page.evaluate(PAINT)
    visit.page.emulate_media(media="print", color_scheme="dark")  # undone by the page's next check
    printed = visit.page.evaluate(PAINT)
    if not light:
        pytest.fail(f"/{chart_url}: no drawing shown", False)
    changed = sorted({f"{a} -> {b}" for a, b in zip(light, printed, strict=False) if a != b})
    expect_none(changed, f"/{chart_url}: printed from a dark screen, the drawing's paint differs from the light one")


def test_the_embed_pages_have_no_site_navigation(site: Path) -> None:
    embeds = sorted(site.glob("charts/*/embed/index.html"))
    if not embeds:
        pytest.fail("no chart embed page (charts/<id>/embed/) was built", False)
    problems = []
    for path in embeds:  # the markup as built: no script of the page adds navigation
        page = read_page(path)
        found = [e for e in page.elements if e.tag == "nav" or {"masthead", "site-footer"} & classes(e.attrs)]
        if found:
            problems.append(f"/{path.parent.relative_to(site).as_posix()}/: {len(found)} navigation, header or footer")
    expect_none(problems, "embed pages show the site around the chart")


def classes(attrs: dict[str, str]) -> set[str]:
    """The element's classes."""
    return set(attrs.get("class", "").split())


# A page made by hand to the drawings contract: two bars with their labels in a narrow and a wide drawing,
# the reader's card script and its data. Each broken variant below must fail the check named with it.
FIXTURE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>fixture</title>
<style>
body, figure { margin: 0; font: 16px sans-serif; }
.chart-frame { container-type: inline-size; }
.chart-drawing { display: block; width: 100%; height: auto; max-width: 600px; }
.chart-narrow { display: none; }
@container (max-width: 480px) { .chart-wide { display: none; } .chart-narrow { display: block; } }
.reader-card { position: fixed; width: 15rem; background: #fff; border: 1px solid; }
.reader-card[hidden] { display: none; }
FIGURE_STYLE
</style><script src="reader.js" defer></script></head><body><main>
<figure class="chart" id="chart-demo"><h2 class="chart-title">Output grew</h2>
<div class="chart-frame" data-chart="demo">DRAWINGS</div>
<figcaption>Source: the report.</figcaption></figure>
<script type="application/json" id="card-data">CARD_DATA</script></main></body></html>"""
DRAWING = """<svg class="chart-drawing chart-LAYOUT" viewBox="0 0 WIDTH 200" role="group" aria-label="demo">
<rect class="mark" data-fact="a" tabindex="0" role="button" aria-haspopup="dialog"
 aria-label="Output today: more than 300 billion yuan" x="20" y="40" width="120" height="150"/>
<rect class="mark" data-fact="b" MARK_B_FOCUS role="button" aria-haspopup="dialog"
 aria-label="Output at the start: 146 million yuan" x="200" y="180" width="120" height="10"/>
<text data-for="LABEL_A_FOR" x="20" y="30" font-size="14">Today</text>
<text data-for="b" x="LABEL_B_X" y="LABEL_B_Y" font-size="LABEL_B_SIZE" LABEL_B_TURN>Start</text>
</svg>"""
GOOD = {
    "FIGURE_STYLE": "",
    "MARK_B_FOCUS": 'tabindex="0"',
    "LABEL_A_FOR": "a",
    "LABEL_B_X": "200",
    "LABEL_B_Y": "170",
    "LABEL_B_SIZE": "14",
    "LABEL_B_TURN": "",
}
BROKEN = {
    "overlapping labels": ({"LABEL_B_X": "30", "LABEL_B_Y": "30"}, "overlaps"),
    "a label over a mark": ({"LABEL_B_X": "30", "LABEL_B_Y": "100"}, "lies over the mark of"),
    "rotated text": ({"LABEL_B_TURN": 'transform="rotate(-45 200 170)"'}, "is rotated"),
    "8 px text": ({"LABEL_B_SIZE": "8"}, "px as shown"),
    "a label nearer another mark": ({"LABEL_A_FOR": "b"}, "from its own"),
    "a mark without tabindex": ({"MARK_B_FOCUS": ""}, "lacks tabindex"),
    "a mark Tab cannot reach": ({"MARK_B_FOCUS": ""}, "Tab never reaches the mark of b"),
    "figure parts side by side": ({"FIGURE_STYLE": "figure { display: flex; }"}, "not stacked"),
}
CARD_DATA = {
    "claims": {},
    "facts": {
        "a": {"label": "Output today", "text": "more than 300 billion yuan", "passage": "more than 300 billion yuan"},
        "b": {"label": "Output at the start", "text": "146 million yuan", "passage": "from 146 million yuan"},
    },
}
for _card in CARD_DATA["facts"].values():
    _card.update({"source": "The report", "url": "#"})
FIXTURE_TEXTS = {"a": ("more than 300 billion yuan", "more_than"), "b": ("146 million yuan", "exact")}


def fixture_page(folder: Path, changes: dict[str, str]) -> str:
    """Write the hand-made chart page with some parts changed; return its file URL."""
    drawings = "".join(
        DRAWING.replace("LAYOUT", layout).replace("WIDTH", width)
        for layout, width in (("narrow", "360"), ("wide", "600"))
    )
    html = FIXTURE.replace("DRAWINGS", drawings).replace("CARD_DATA", json.dumps(CARD_DATA))
    for key, value in {**GOOD, **changes}.items():
        html = html.replace(key, value)
    (folder / "reader.js").write_bytes((REPO / "src/torchsite/static/reader.js").read_bytes())
    (folder / "chart.html").write_text(html, encoding="utf-8")
    return (folder / "chart.html").as_uri()


def all_problems(page: Page) -> list[str]:
    """Every geometry and keyboard check on the open page (the fixture's own figure texts)."""
    page.wait_for_load_state("load")
    return drawing_problems(page) + stacking_problems(page) + keyboard_problems(page, FIXTURE_TEXTS, cards_of(page))


@pytest.mark.parametrize("width", [375, 1280])
def test_each_check_passes_a_page_that_follows_the_contract(browser: Browser, tmp_path: Path, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 700})
    try:
        page.goto(fixture_page(tmp_path, {}))
        problems = all_problems(page)
    finally:
        page.close()
    expect_none(problems, f"the contract's own example at {width} px")


@pytest.mark.parametrize("broken", list(BROKEN))
def test_each_check_fails_on_a_page_that_breaks_it(browser: Browser, tmp_path: Path, broken: str) -> None:
    changes, expected = BROKEN[broken]
    page = browser.new_page(viewport={"width": 375, "height": 700})
    try:
        page.goto(fixture_page(tmp_path, changes))
        problems = all_problems(page)
    finally:
        page.close()
    assert any(expected in p for p in problems), f"{broken}: expected a problem with {expected!r}, got {problems}"
