"""`torchsite check` renders the site in memory through the build's own steps: what build rejects, check rejects."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from helpers.project import Result, edit, line_of, override


def test_a_chart_placed_nowhere_is_an_error_at_its_spec(project: Path, cli: Callable[..., Result]) -> None:
    edit(project / "content" / "story.md", "{{chart:fund}}\n", "\n")
    line = line_of(project / "content" / "charts.yaml", "- id: fund")
    for command in ("check", "build"):
        result = cli(command)
        assert result.code == 1
        assert result.err.splitlines()[0] == (
            f"content/charts.yaml:{line}:9: charts.fund.id: chart 'fund' is placed nowhere in content/story.md "
            "(hint: add a line of its own, {{chart:fund}}, where the story needs it, or remove the chart)"
        )


def test_a_scheme_relative_link_in_the_story_is_an_error_at_its_line(project: Path, cli: Callable[..., Result]) -> None:
    story = project / "content" / "story.md"
    added = "\nRead [the report](//example.org/report).[[land]]\n"
    story.write_text(story.read_text(encoding="utf-8") + added, "utf-8")
    line = len(story.read_text(encoding="utf-8").splitlines())
    result = cli("check")
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        f"content/story.md:{line}:19: story: link '//example.org/report' has no scheme (a scheme-relative link "
        "loads from whatever host serves the page) (hint: write the full address, https://...)"
    )


def test_an_undefined_template_variable_fails_check(project: Path, cli: Callable[..., Result]) -> None:
    template = override(project, "facts.html")
    edit(template, '<div class="fact-entry" id="{{ fact.id }}">', '<div class="fact-entry" id="{{ fact.ident }}">')
    line = line_of(template, "{{ fact.ident }}")
    result = cli("check")
    assert result.code == 1
    assert result.err.startswith(f"templates/facts.html:{line}:")
    assert "a Fact has no attribute 'ident'" in result.err


def test_a_broken_link_in_the_story_is_reported_at_the_story_line_not_the_staging_folder(
    project: Path, cli: Callable[..., Result]
) -> None:
    story = project / "content" / "story.md"
    story.write_text(story.read_text(encoding="utf-8") + "\nSee [the data](data/#no-such-anchor).[[land]]\n", "utf-8")
    line = len(story.read_text(encoding="utf-8").splitlines())
    for command in ("check", "build"):
        result = cli(command)
        assert result.code == 1
        assert result.err.splitlines()[0] == (
            f"content/story.md:{line}:16: link 'data/#no-such-anchor' points to a missing anchor '#no-such-anchor'"
        )
        assert "dist/" not in result.err and ".dist-" not in result.err


def test_a_broken_template_link_names_the_template_and_the_pages(project: Path, cli: Callable[..., Result]) -> None:
    fact_source = '{% trans ident=fact.source, title=sheet.source(fact.source).title %}Source: <a href="#source-'
    edit(override(project, "facts.html"), fact_source, fact_source.replace("#source-", "#sauce-"))
    result = cli("check")
    assert result.code == 1
    first = result.err.splitlines()[0]
    assert first.startswith("templates/facts.html: link '#sauce-torch30' points to a missing anchor '#sauce-torch30'")
    assert "(in dist/facts/index.html:" in first and " more)" in first
    assert result.err.splitlines()[-1] == "torchsite: 1 problem; nothing was written"
