"""The story: references resolve, no typed numbers, output sanitized."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from helpers.project import REPO, Result, edit, line_of
from torchsite.inputs import facts
from torchsite.inputs.figures import compute
from torchsite.inputs.formatting import Formatter
from torchsite.render import markdown


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


def render(text: str) -> str:
    """Story Markdown rendered as the story is, with the real fact sheet's figures."""
    return markdown.render(text, compute(facts.load(REPO / "content" / "facts.yaml"), Formatter("en")), "facts/")


def test_raw_html_and_javascript_links_are_removed() -> None:
    """The sanitiser, on the story's own renderer: typed HTML and script links go, references stay figures."""
    text = (
        "<script>alert({{sub_areas}})</script> [x](javascript:alert({{sub_areas}})) "
        '<img src=x onerror=alert({{sub_areas}})> <a href="javascript:alert(1)" onclick="alert(2)">y</a>'
        '<svg onload="alert(3)"></svg><iframe src="https://example.org/"></iframe> {{sub_areas}}.'
    )
    html = render(text)
    assert re.findall(r"<(?:script|img|svg|iframe)\b", html) == []
    assert "alert(" not in html and "javascript:" not in html and "onerror" not in html and "onclick" not in html
    assert html.endswith('<a class="fact fact-quiet" data-fact="sub_areas" href="facts/#sub_areas">nine</a>.</p>')


def test_a_period_after_its_own_figure_is_words_of_that_figure_not_a_second_link() -> None:
    # "more than 10,000 businesses by 2020": two links to one entry are two Tab stops and two "link" announcements
    # for one figure. After its figure in the same paragraph the period is plain words that name the figure
    # (data-for, as a drawn label names its mark); a period without its figure in the paragraph stays a link.
    text = (
        "The zone had {{businesses}} firms {{businesses:as_of}}, and {{sub_areas}} sub-areas.\n\n"
        "Firms kept coming {{businesses:as_of}}.\n\n"
        "- {{businesses}} firms\n- {{businesses:as_of}}\n\n"
        "{{businesses:as_of}}, the zone had {{businesses}} firms.\n"  # the Chinese story's order
    )
    html = render(text)
    first, second, listed, before = re.split(r"(?<=</p>)\s*(?=<)|(?<=</ul>)\s*(?=<)", html)
    links = re.findall(r'<a class="[^"]*" data-fact="businesses"[^>]*>([^<]*)</a>', first)
    assert links == ["more than 10,000"]
    assert '<span class="fact-period" data-for="businesses">by 2020</span>' in first
    assert re.search(r'<a class="fact fact-quiet" data-fact="businesses" href="facts/#businesses">by 2020</a>', second)
    assert listed.count('data-fact="businesses"') == 2  # list items are paragraphs of their own
    assert before.startswith('<p><span class="fact-period" data-for="businesses">by 2020</span>, the zone had <a ')
