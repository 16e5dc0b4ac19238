"""Derived figures: computed from formulas, with hedges that follow from their inputs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from helpers.project import REPO, Result, edit, line_of
from torchsite.inputs import facts
from torchsite.inputs.figures import Figure, compute
from torchsite.inputs.formatting import Formatter
from torchsite.inputs.formulas import FormulaError, Range, evaluate, hedge, parse


@pytest.fixture(scope="module")
def figures() -> dict[str, Figure]:
    return compute(facts.load(REPO / "content" / "facts.yaml"), Formatter("en"))


def test_growth_multiple_is_a_lower_bound(figures: dict[str, Figure]) -> None:
    growth = figures["output_growth"]
    assert growth.qualifier == "more_than"  # more than 300 billion / 146 million
    assert growth.unrounded == pytest.approx(300e9 / 146e6)
    assert growth.text == "more than 2,000 times"


def test_ratio_over_a_less_than_denominator_is_a_more_than(figures: dict[str, Figure]) -> None:
    intensity = figures["output_intensity"]  # 43% of output on less than 3% of land
    assert (intensity.qualifier, intensity.text) == ("more_than", "more than 14 times")


def test_rounding_an_exact_result_makes_it_about(figures: dict[str, Figure]) -> None:
    rate = figures["cny_per_usd"]
    assert rate.unrounded == pytest.approx(146 / 22.92)
    assert rate.text == "about 6.37 yuan per US dollar"
    assert figures["fund_growth"].text == "about three times"
    assert figures["fund_added"].text == "6.02 billion yuan"  # exact: nothing was rounded away


@pytest.mark.parametrize(
    ("qualifiers", "expected"),
    [
        (("exact", "exact"), "exact"),
        (("more_than", "exact"), "more_than"),
        (("exact", "less_than"), "more_than"),
        (("less_than", "exact"), "less_than"),
        (("exact", "more_than"), "less_than"),
        (("about", "exact"), "about"),
        (("nearly", "exact"), "nearly"),
        (("at_least", "exact"), "at_least"),
    ],
)
def test_hedge_algebra_for_division(qualifiers: tuple[str, str], expected: str) -> None:
    ranges = {"a": Range.of(40, qualifiers[0]), "b": Range.of(4, qualifiers[1])}
    assert hedge(evaluate(parse("a / b"), ranges))[0] == expected


def test_no_honest_hedge_is_an_error() -> None:
    ranges = {"a": Range.of(70, "about"), "b": Range.of(3, "less_than")}
    with pytest.raises(FormulaError, match="open-ended above an approximate figure"):
        hedge(evaluate(parse("a / b"), ranges))


def test_formula_errors_name_the_line(project: Path, cli: Callable[..., Result]) -> None:
    path = project / "content" / "facts.yaml"
    edit(path, "formula: fund_total / fund_initial", "formula: fund_total / fund_intial")
    edit(path, "formula: output_share / land_share", "formula: sqrt(output_share)")
    result = cli("check")
    assert result.code == 1
    typo, call = line_of(path, "fund_intial"), line_of(path, "sqrt(")
    assert (
        f"content/facts.yaml:{typo}:14: derived.fund_growth.formula: 'fund_intial' is not a fact or derived "
        "figure (hint: formulas combine numeric facts and derived figures by id)"
    ) in result.err
    assert (
        f"content/facts.yaml:{call}:14: derived.output_intensity.formula: unknown function 'sqrt' "
        "(hint: formulas use only + - * / and parentheses)"
    ) in result.err
