"""Corrections: recorded in the fact sheet, validated strictly, shown as "Updated" and as a history."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers.html import Page
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


def test_story_shows_the_latest_correction_date_linked_to_the_fact(project: Path, cli: Callable[..., Result]) -> None:
    add_corrections(project, "output_start")
    assert cli("build").code == 0
    html = (project / "dist" / "index.html").read_text(encoding="utf-8")
    page = Page(html)
    updated = re.search(r'<p class="updated">(.*?)</p>', html, re.S)
    assert updated, "no Updated line on the story"
    assert (
        'Updated <a class="fact" data-fact="output_start" href="facts/#output_start">'
        '<time datetime="2026-11-25">November 25, 2026</time></a>'
    ) in updated.group(1)
    ours = [t for t in page.texts if t.visible and t.claim is None and "cite" not in t.parents]  # not the source's
    loose = [t.data for t in ours if t.fact is None and re.search(r"\d", t.data)]
    assert loose == []  # the date's numerals sit inside the corrected fact's element


def test_facts_page_lists_the_history_oldest_first(project: Path, cli: Callable[..., Result]) -> None:
    add_corrections(project, "output_start")
    assert cli("build").code == 0
    html = (project / "dist" / "facts" / "index.html").read_text(encoding="utf-8")
    entry = html[html.index('id="output_start"') :].split("</div>")[0]
    items = re.findall(
        r'<li id="(output_start-correction-\d)"><time datetime="([\d-]+)">([^<]+)</time>: ([^<]+)</li>', entry
    )
    assert [(i, d, t) for i, d, t, _ in items] == [
        ("output_start-correction-1", "2026-11-20", "November 20, 2026"),
        ("output_start-correction-2", "2026-11-25", "November 25, 2026"),
    ]
    assert items[0][3].startswith("the site previously said 164 million yuan. The starting output was mistyped")
    assert items[1][3].startswith("the site previously said about 146 million yuan.")  # the old hedge travels too
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
