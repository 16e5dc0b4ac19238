"""The story: references resolve, no typed numbers, output sanitized."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from helpers.project import Result, edit, line_of


def test_reference_to_missing_fact_names_file_and_line(project: Path, cli: Callable[..., Result]) -> None:
    story = project / "content" / "story.md"
    edit(story, "{{abb_subsidiaries}}", "{{abb_subsidiarys}}")
    line = line_of(story, "abb_subsidiarys")
    col = story.read_text(encoding="utf-8").splitlines()[line - 1].index("{{abb_subsidiarys}}") + 1
    before = sorted(p.name for p in project.iterdir())
    result = cli("build")
    assert result.code == 1
    assert result.err.splitlines() == [
        f"content/story.md:{line}:{col}: story: unknown fact 'abb_subsidiarys' "
        "(hint: did you mean 'abb_subsidiaries'?)",
        "torchsite: 1 problem; nothing was written",
    ]
    assert sorted(p.name for p in project.iterdir()) == before  # no dist/, no staging folder


def test_typed_number_in_story_is_refused(project: Path, cli: Callable[..., Result]) -> None:
    story = project / "content" / "story.md"
    edit(story, "## Anchor firms\n", "## Anchor firms\n\nABB has about 20 sites.\n")
    line = line_of(story, "about 20 sites")
    result = cli("check")
    assert result.code == 1
    assert (
        f"content/story.md:{line}:15: story: a number typed in the text ('20') "
        "(hint: every number comes from the fact sheet: add a fact and write {{its_id}})"
    ) in result.err


def test_as_of_reference_needs_a_period(project: Path, cli: Callable[..., Result]) -> None:
    story = project / "content" / "story.md"
    edit(story, "{{abb_arrival}}", "{{abb_arrival:as_of}}")
    result = cli("check")
    assert result.code == 1
    assert "story: fact 'abb_arrival' has no as_of period" in result.err


def test_raw_html_and_javascript_links_are_removed(project: Path, cli: Callable[..., Result]) -> None:
    story = project / "content" / "story.md"
    edit(
        story,
        "## What comes next\n",
        "## What comes next\n\n<script>alert(1)</script> [x](javascript:alert(1)) "
        "<img src=x onerror=alert(1)>[[goals]]\n",
    )
    edit(story, "<script>alert(1)</script>", "<script>alert({{sub_areas}})</script>")
    edit(story, "javascript:alert(1)", "javascript:alert({{sub_areas}})")
    edit(story, "onerror=alert(1)", "onerror=alert({{sub_areas}})")
    result = cli("build")
    assert result.code == 0, result.err
    html = (project / "dist" / "index.html").read_text(encoding="utf-8")
    body = html.split("</head>", 1)[1]  # the head carries JSON-LD data blocks, never the story's text
    inline = re.findall(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>", body)
    assert inline == [] and "alert(" not in html and "javascript:" not in html and "onerror" not in html
