"""Warnings: printed as `FILE:LINE:COL: warning: field: message`, the build goes on; `--strict`
(for build and check) makes each one an error with exit 1 and leaves dist/ as it was."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from helpers.chromium import need_chromium
from helpers.project import Result, edit, line_of, tree_hash
from torchsite.inputs.lint import significant_digits

FACTS = "content/facts.yaml"
EXTRA_FACT = """
  - id: abb_staff
    theme: industry
    label: People ABB employs in the zone
    value: 5000
    unit: people
    qualifier: about
    source: torch30
    quote: "about 5,000 people"
"""
EXTRA_DERIVED = """
  - id: software_per_sub_area
    theme: footprint
    label: Software revenue share per sub-area
    formula: software_revenue_share / sub_areas
    unit: percent
    round: 1
"""


def unused_fact(project: Path) -> list[str]:
    """A fact nothing cites (in the English edition alone: the Chinese one would ask for its label's translation)."""
    edit(project / FACTS, "\nclaims:\n", EXTRA_FACT + "\nclaims:\n")
    line = line_of(project / FACTS, "id: abb_staff")
    return [
        f"{FACTS}:{line}:9: warning: facts.abb_staff.id: 'abb_staff' is not used by the story, the key figures, "
        "a chart or a formula (hint: cite it in content/story.md as {{abb_staff}}, or remove it)"
    ]


def share_over_100(project: Path) -> list[str]:
    """A percentage over 100 (and so also off from its own quote); drawn in no shares chart, where it is an error."""
    edit(project / FACTS, "    value: 43\n", "    value: 143\n")
    edit(
        project / "content" / "charts.yaml",
        "      - fact: output_share\n        label: Xiamen's industrial output\n",
        "",
    )
    line = line_of(project / FACTS, "value: 143")
    return [
        f"{FACTS}:{line}:12: warning: facts.output_share.value: 143% is over 100% (hint: a share cannot exceed the "
        "whole: check the value, or give growth another unit (e.g. times))",
        f"{FACTS}:{line}:12: warning: facts.output_share.value: the quote states '43 percent', not 143% "
        "(hint: correct the value, or quote the passage that states it)",
    ]


def value_far_from_its_quote(project: Path) -> list[str]:
    """A value a thousand times what its own quote says."""
    edit(project / FACTS, "value: 300000000000\n", "value: 300000000000000\n")
    line = line_of(project / FACTS, "value: 300000000000000")
    return [
        f"{FACTS}:{line}:12: warning: facts.output_latest.value: the quote states 'more than 300 billion', not more "
        "than 300 trillion yuan (hint: the value is 1,000 times 'more than 300 billion': check the scale "
        "(thousand, million, billion))"
    ]


def false_precision(project: Path) -> list[str]:
    """About 70% divided by nine, shown to a tenth of a percent."""
    path = project / FACTS
    path.write_text(path.read_text(encoding="utf-8") + EXTRA_DERIVED, encoding="utf-8")
    edit(project / "content" / "site.yaml", "  - land_share\n", "  - land_share\n  - software_per_sub_area\n")
    line = line_of(path, "round: 1")
    return [
        f"{FACTS}:{line}:12: warning: derived.software_per_sub_area.round: about 7.8% shows 2 significant digits, "
        "but its input 'software_revenue_share' (about 70%) has only 1 (hint: set round: 0)"
    ]


EXTRA_OUTPUT = """
  - id: output_earlier
    theme: growth
    label: Annual industrial output a year earlier
    value: 275000000000
    unit: CNY
    qualifier: exact
    source: torch30
    quote: "275 billion yuan"
"""


def then_now_of_a_small_change(project: Path) -> list[str]:
    """A then-and-now of a 9% rise: two nearly equal values drawn as if their multiple were the point."""
    edit(project / FACTS, "\nclaims:\n", EXTRA_OUTPUT + "\nclaims:\n")
    edit(
        project / "content" / "charts.yaml",
        "    start:\n      fact: output_start\n",
        "    start:\n      fact: output_earlier\n",
    )
    edit(project / "content" / "charts.yaml", "    multiple: output_growth\n", "")
    line = line_of(project / "content" / "charts.yaml", "type: then_now")
    return [
        f"content/charts.yaml:{line}:11: warning: charts.output.type: a then_now chart of a 9% change draws two "
        "nearly equal values as if a multiple were the point (hint: say the change in the text, or show it where "
        "its size can be read (a shares or parts chart))"
    ]


def then_now_on_a_linear_scale(project: Path) -> list[str]:
    """A 2,000-fold rise on a linear scale: the start would be a sliver no reader sees."""
    edit(project / "content" / "charts.yaml", "    scale: log\n", "")
    line = line_of(project / "content" / "charts.yaml", "type: then_now")
    return [
        f"content/charts.yaml:{line}:11: warning: charts.output.type: on a linear scale the smaller value is 2,055 "
        "times shorter than the larger: too small to see (hint: add 'scale: log', which shows a multiple as a "
        "distance)"
    ]


def figure_its_claims_do_not_involve(project: Path) -> list[str]:
    """A sentence showing a figure, cited to a claim whose facts do not include it: the wrong passage cited."""
    story = project / "content" / "story.md"
    edit(story, "in the {{panel_chain_scale}} class.[[auo]]", "in the {{panel_chain_scale}} class.[[abb_first]]")
    line = line_of(story, "class.[[abb_first]]")
    col = story.read_text(encoding="utf-8").splitlines()[line - 1].index("That move") + 1
    return [
        f"content/story.md:{line}:{col}: warning: story: the sentence 'That move helped form Xiamen's first ...' "
        "shows {{panel_chain_scale}}, but the claims it cites ([[abb_first]]) do not involve it (hint: cite the "
        "claim whose passage states it, or add 'panel_chain_scale' to the facts: of the claim that does)"
    ]


CASES = {
    "figure_its_claims_do_not_involve": figure_its_claims_do_not_involve,
    "then_now_of_a_small_change": then_now_of_a_small_change,
    "then_now_on_a_linear_scale": then_now_on_a_linear_scale,
    "unused_fact": unused_fact,
    "share_over_100": share_over_100,
    "value_far_from_its_quote": value_far_from_its_quote,
    "false_precision": false_precision,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_warning_then_strict(name: str, project: Path, dist_before: str, cli: Callable[..., Result]) -> None:
    need_chromium()  # the exact output assumes the static chart export works
    before = dist_before  # the real content's build, copied in
    warnings = CASES[name](project)
    built = cli("build", "-q")
    assert (built.code, built.out, built.err.splitlines()) == (0, "", warnings)
    changed = tree_hash(project / "dist")
    assert changed != before  # a warning does not stop the build
    checked = cli("check")
    assert (checked.code, checked.err.splitlines()) == (0, warnings)
    errors = [line.replace(": warning: ", ": ", 1) for line in warnings]
    summary = f"torchsite: {len(errors)} problem{'s' if len(errors) > 1 else ''}; nothing was written"
    for command in ("build", "check"):
        strict = cli(command, "--strict")
        assert (strict.code, strict.err.splitlines()) == (1, [*errors, summary])
    assert tree_hash(project / "dist") == changed


def test_the_real_fact_sheet_has_no_warnings(project: Path, cli: Callable[..., Result]) -> None:
    need_chromium()  # the exact output assumes the static chart export works
    assert cli("build", "--strict", "-q") == Result(0, "", "")


@pytest.mark.parametrize(
    ("value", "digits"), [(146000000, 3), (22920000, 4), (70, 1), (0.5, 1), (9.02, 3), (300000000000, 1), (43, 2)]
)
def test_significant_digits_of_a_stated_number(value: float, digits: int) -> None:
    assert significant_digits(value) == digits
