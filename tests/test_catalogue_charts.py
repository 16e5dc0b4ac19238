"""The bad-input catalogue for content/charts.yaml, and untrusted text in a chart's title and labels."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from helpers.project import Result, edit, line_of, tree_hash
from test_untrusted_text import ALL, PAYLOADS, audit, replace_line, yaml_text

CHARTS = "content/charts.yaml"


def charts(project: Path) -> Path:
    """The project's chart specs."""
    return project / CHARTS


def chart_cites_a_missing_fact(project: Path) -> str:
    edit(charts(project), "      - fact: output_share\n", "      - fact: output_shares\n")
    line = line_of(charts(project), "fact: output_shares")
    return (
        f"{CHARTS}:{line}:15: charts.footprint.bars[1].fact: unknown fact 'output_shares' "
        "(hint: did you mean 'output_share'?)"
    )


def chart_slug_escapes_dist(project: Path) -> str:
    edit(charts(project), "  - id: footprint\n", "  - id: ../footprint\n")
    line = line_of(charts(project), "id: ../footprint")
    return (
        f"{CHARTS}:{line}:9: charts[0].id: expected an id in snake_case, got '../footprint' "
        "(hint: use a-z, 0-9 and _, starting with a letter)"
    )


def two_charts_one_page(project: Path) -> str:
    first = line_of(charts(project), "id: footprint")
    edit(charts(project), "  - id: output\n", "  - id: footprint\n")
    second = [i for i, t in enumerate(charts(project).read_text().splitlines(), 1) if t == "  - id: footprint"][1]
    return (
        f"{CHARTS}:{second}:9: charts.footprint.id: duplicate chart id 'footprint' (first used on line {first}) "
        "(hint: give each chart its own id: it is the slug of its page, charts/ID/)"
    )


CASES = {f.__name__: f for f in (chart_cites_a_missing_fact, chart_slug_escapes_dist, two_charts_one_page)}


@pytest.mark.parametrize("name", sorted(CASES))
def test_chart_catalogue_case(name: str, project: Path, cli: Callable[..., Result]) -> None:
    assert cli("build").code == 0
    before = tree_hash(project / "dist")
    expected = CASES[name](project)
    result = cli("build")
    assert result.err.splitlines() == [expected, "torchsite: 1 problem; nothing was written"]
    assert (result.code, result.out) == (1, "")
    assert tree_hash(project / "dist") == before
    assert not [p for p in project.iterdir() if p.name.startswith(".dist-")]


def test_chart_title_and_labels_stay_text(project: Path, cli: Callable[..., Result]) -> None:
    path = charts(project)
    title = "On {{land_share}} of land " + ALL
    replace_line(path, '    title: "With {{land_share}}', f"    title: {yaml_text(title)}")
    label = "Output " + PAYLOADS[1] + PAYLOADS[2]  # labels are short: two payloads fit
    edit(path, "        label: Xiamen's industrial output\n", f"        label: {yaml_text(label)}\n")
    result = cli("build")
    assert result.code == 0, result.err
    found, text = audit(project / "dist")
    assert found == []
    assert label in text  # a label is plain text: shown as typed
    assert "On less than 3% of land" in text  # a title is Markdown: its tags go (sanitized), its words stay


def test_one_bad_chart_type_keeps_the_others_and_warns_nothing_false(project: Path, cli: Callable[..., Result]) -> None:
    edit(charts(project), "    type: parts\n", "    type: pie\n")
    line = line_of(charts(project), "type: pie")
    result = cli("check", "--strict")
    assert result.err.splitlines() == [
        f"{CHARTS}:{line}:11: charts.fund.type: unknown chart type 'pie' (hint: expected one of: cards, parts, "
        "shares, then_now, timeline)",
        "torchsite: 1 problem; nothing was written",
    ]
    # Another chart's own problem is found in the same pass.
    edit(charts(project), "      - fact: land_share\n", "      - fact: land_shar\n")
    again = cli("check").err.splitlines()
    assert again[0] == (
        f"{CHARTS}:{line_of(charts(project), 'fact: land_shar')}:15: charts.footprint.bars[0].fact: unknown fact "
        "'land_shar' (hint: did you mean 'land_share'?)"
    )
    assert again[1].startswith(f"{CHARTS}:{line}:11: charts.fund.type: unknown chart type 'pie'")
    # In the same run as a fact sheet problem, the chart's is reported too.
    facts = project / "content" / "facts.yaml"
    edit(facts, "value: 146000000\n", "value: many\n")
    both = cli("check").err
    assert "facts.output_start.value" in both and "unknown chart type 'pie'" in both
