"""Corrections: recorded in the fact sheet, validated strictly, shown as "Updated" and as a history."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers.html import Page, read_page
from helpers.project import REPO, Result, line_of
from torchsite.inputs import facts

CORRECTIONS = """
    corrections:
      - date: '2026-11-20'
        previous: 164000000
        note: "The starting output was mistyped; the report gives the figure shown above."
      - date: '2026-11-25'
        previous: 146000000
        previous_qualifier: about
        note: "A hedge was added by mistake: the report states the figure exactly."
"""


def add_corrections(project: Path, fact: str, block: str = CORRECTIONS) -> Path:
    """Append a corrections block to one fact's entry in the project's facts.yaml."""
    path = project / "content" / "facts.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index(f"  - id: {fact}\n")
    end = text.index("\n\n", start)
    path.write_text(text[:end] + block.rstrip("\n") + text[end:], encoding="utf-8")
    return path


def test_the_real_sheet_records_no_correction() -> None:
    assert all(not f.corrections for f in facts.load(REPO / "content" / "facts.yaml").facts)


LAND = """
    corrections:
      - date: '2026-11-25'
        previous: 4
        previous_qualifier: about
        note: "The share was misread from the report's chart; its text gives the figure shown above."
"""
OUTPUT_LINE = (
    "Annual industrial output at the start was corrected from about 146 million yuan to 146 million yuan. "
    "A hedge was added by mistake: the report states the figure exactly."
)
LAND_LINE = (
    "Zone's share of Xiamen's land was corrected from about 4% to less than 3%. "
    "The share was misread from the report's chart; its text gives the figure shown above."
)


def updated(html: str) -> Page:
    """The page's "Updated" block (a paragraph, or a division with a list), parsed."""
    found = re.search(r'<(p|div) class="updated">.*?</\1>', html, re.S)
    assert found, "no Updated line on the page"
    return Page(found.group(0))


def sentence(page: Page) -> str:
    """The text as a reader reads it: the runs joined as they stand, whitespace collapsed."""
    return " ".join("".join(t.data for t in page.texts if t.visible).split())


def lands_on_the_fact(page: Path, href: str, fact: str) -> None:
    """A link from a built page resolves to the fact's entry on the built fact sheet."""
    path, anchor = href.split("#")
    target = (page.parent / path / "index.html").resolve()
    assert anchor == fact and fact in read_page(target).ids, (href, target)


def test_story_names_the_corrected_figure_and_links_it(project: Path, cli: Callable[..., Result]) -> None:
    add_corrections(project, "output_start")
    assert cli("build", "-q").code == 0
    story = project / "dist" / "index.html"
    html = story.read_text(encoding="utf-8")
    line = updated(html)
    assert sentence(line) == "Updated November 25, 2026: " + OUTPUT_LINE  # the latest of the two, hedges on both values
    assert line.first("time") == {"datetime": "2026-11-25"}
    link = line.first("a", data_fact="output_start")
    lands_on_the_fact(story, link["href"], "output_start")
    assert [t.data for t in line.texts if t.fact] == ["Annual industrial output at the start"]
    texts = Page(html).texts
    ours = [t for t in texts if t.visible and t.claim is None and not {"cite", "q"}.intersection(t.parents)]
    loose = [t.data for t in ours if t.fact is None and re.search(r"\d", t.data)]
    # outside a figure's link (and the source's words quoted in the notes), the only numerals are the Updated
    # line's date and the sheet's old and new values
    assert loose == ["November 25, 2026", OUTPUT_LINE.split("start", 1)[1]]
    # the chart drawing the corrected fact (through its derived multiple) carries the same line; the others none
    output = project / "dist" / "charts" / "output" / "index.html"
    chart_line = updated(output.read_text(encoding="utf-8"))
    assert sentence(chart_line) == sentence(line)
    lands_on_the_fact(output, chart_line.first("a")["href"], "output_start")
    for other in ("footprint", "fund", "milestones"):
        assert 'class="updated"' not in (project / "dist" / "charts" / other / "index.html").read_text("utf-8")


def test_facts_corrected_the_same_day_are_each_named(project: Path, cli: Callable[..., Result]) -> None:
    add_corrections(project, "output_start")
    add_corrections(project, "land_share", LAND)
    assert cli("build", "-q").code == 0
    story = project / "dist" / "index.html"
    line = updated(story.read_text(encoding="utf-8"))
    assert sentence(line) == f"Updated November 25, 2026: these figures were corrected. {OUTPUT_LINE} {LAND_LINE}"
    assert [a["data-fact"] for a in line.all("a")] == ["output_start", "land_share"]  # in sheet order
    for a in line.all("a"):
        lands_on_the_fact(story, a["href"], a["data-fact"])
    block = re.search(r'<div class="updated">.*?</div>', story.read_text(encoding="utf-8"), re.S)
    assert block
    items = [sentence(Page(li)) for li in re.findall(r"<li>.*?</li>", block.group(0), re.S)]
    assert items == [OUTPUT_LINE, LAND_LINE]  # one item a figure
    footprint = project / "dist" / "charts" / "footprint" / "index.html"
    assert sentence(updated(footprint.read_text(encoding="utf-8"))) == "Updated November 25, 2026: " + LAND_LINE


def test_facts_page_lists_the_history_oldest_first(project: Path, cli: Callable[..., Result]) -> None:
    add_corrections(project, "output_start")
    assert cli("build", "-q").code == 0
    html = (project / "dist" / "facts" / "index.html").read_text(encoding="utf-8")
    entry = html[html.index('id="output_start"') :].split("</div>")[0]
    items = re.findall(
        r'<li id="(output_start-correction-\d)"><time datetime="([\d-]+)">([^<]+)</time>: ([^<]+)</li>', entry
    )
    assert [(i, d, t) for i, d, t, _ in items] == [
        ("output_start-correction-1", "2026-11-20", "November 20, 2026"),
        ("output_start-correction-2", "2026-11-25", "November 25, 2026"),
    ]
    # each says what the value was and what it became, the hedges travelling with both, as the story's line does
    assert items[0][3].startswith("corrected from 164 million yuan to about 146 million yuan. The starting output")
    assert items[1][3] == OUTPUT_LINE.split(" was ", 1)[1]
    json_text = (project / "dist" / "data" / "facts.json").read_text(encoding="utf-8")
    assert '"previous_qualifier": "about"' in json_text or '"previous_qualifier":"about"' in json_text


def test_without_corrections_there_is_no_updated_line(project: Path, cli: Callable[..., Result]) -> None:
    assert cli("build").code == 0
    assert 'class="updated"' not in (project / "dist" / "index.html").read_text(encoding="utf-8")
    assert 'class="corrections"' not in (project / "dist" / "facts" / "index.html").read_text(encoding="utf-8")


def test_schema_errors_in_corrections_are_located(project: Path, cli: Callable[..., Result]) -> None:
    path = add_corrections(
        project,
        "output_start",
        """
    corrections:
      - date: '2026-02-30'
        previous: 164000000
        note: "Mistyped."
      - date: '20 November 2026'
        previous: 164000000
        note: "Mistyped."
        when: yesterday
""",
    )
    result = cli("check")
    assert result.code == 1
    bad_date, words, unknown = (line_of(path, s) for s in ("'2026-02-30'", "'20 November 2026'", "when:"))
    assert result.err.splitlines()[:3] == [
        f"content/facts.yaml:{bad_date}:15: facts.output_start.corrections[0].date: "
        "'2026-02-30' is not a calendar date",
        f"content/facts.yaml:{words}:15: facts.output_start.corrections[1].date: "
        "expected a date written 'YYYY-MM-DD', got '20 November 2026'",
        f"content/facts.yaml:{unknown}:9: facts.output_start.corrections[1].when: unknown field 'when' "
        "(hint: expected one of: date, note, previous, previous_qualifier)",
    ]


def test_corrections_must_record_a_different_earlier_value(project: Path, cli: Callable[..., Result]) -> None:
    path = add_corrections(
        project,
        "output_start",
        """
    corrections:
      - date: '2026-11-20'
        previous: '164 million'
        note: "Mistyped."
      - date: '2026-11-24'
        previous: 146000000
        note: "Nothing changed."
      - date: '2026-10-01'
        previous: 150000000
        note: "Out of order."
""",
    )
    result = cli("check")
    assert result.code == 1
    words, same, early = (line_of(path, s) for s in ("'164 million'", "previous: 146000000", "'2026-10-01'"))
    assert result.err.splitlines()[:3] == [
        f"content/facts.yaml:{words}:19: facts.output_start.corrections[0].previous: expected a number, "
        "got '164 million' (hint: the value shown before, in the fact's unit)",
        f"content/facts.yaml:{same}:19: facts.output_start.corrections[1].previous: the previous value 146000000 "
        "is today's value (hint: record the value the site showed before the correction)",
        f"content/facts.yaml:{early}:15: facts.output_start.corrections[2].date: 2026-10-01 comes before the "
        "correction above it (2026-11-24) (hint: list corrections oldest first)",
    ]


FUTURE = """
    corrections:
      - date: '2999-01-01'
        previous: 164000000
        note: "Dated ahead by mistake."
"""


def test_a_correction_dated_in_the_future_is_refused(project: Path, cli: Callable[..., Result]) -> None:
    path = add_corrections(project, "output_start", FUTURE)
    result = cli("check")
    assert result.code == 1
    line = line_of(path, "'2999-01-01'")
    assert result.err.splitlines()[0] == (
        f"content/facts.yaml:{line}:15: facts.output_start.corrections[0].date: '2999-01-01' is in the future: "
        "a correction is dated the day it went out"
    )


def test_the_story_is_date_modified_on_its_latest_correction(
    project: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    add_corrections(project, "output_start")
    assert cli("build", "-q").code == 0
    html = (project / "dist" / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert found
    article = json.loads(found.group(1))
    assert article["dateModified"] == "2026-11-25"
