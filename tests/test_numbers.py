"""The one formatter: hedges and units as readers see them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from torchsite.inputs.formatting import Formatter
from torchsite.inputs.hedges import round_decimal


@pytest.mark.parametrize(
    ("value", "unit", "qualifier", "places", "text"),
    [
        (300_000_000_000, "CNY", "more_than", None, "more than 300 billion yuan"),
        (146_000_000, "CNY", "exact", None, "146 million yuan"),
        (9.02e9, "CNY", "exact", None, "9.02 billion yuan"),
        (22_920_000, "USD", "exact", None, "$22.92 million"),
        (70, "percent", "about", None, "about 70%"),
        (50, "percent", "nearly", None, "nearly 50%"),
        (3, "percent", "less_than", None, "less than 3%"),
        (1, "km2", "less_than", None, "less than 1 km²"),
        (10_000, "count", "more_than", None, "more than 10,000"),
        (8, "count", "exact", None, "eight"),
        (200_000, "people", "about", None, "about 200,000 people"),
        (6, "months", "at_most", None, "at most six months"),
        (1992, "year", "exact", None, "1992"),
        ("2020-10", "month", "exact", None, "October 2020"),
        ("--05-09", "day", "exact", None, "May 9"),
        ("2021-05-09", "day", "exact", None, "May 9, 2021"),
        (6.37, "CNY_per_USD", "about", 2, "about 6.37 yuan per US dollar"),
        (2000, "times", "more_than", -2, "more than 2,000 times"),
    ],
)
def test_format_value(value: float, unit: str, qualifier: str, places: int | None, text: str) -> None:
    assert Formatter("en").value(value, unit, qualifier, places) == text


@pytest.mark.parametrize(
    ("value", "places", "qualifier", "rounded"),
    [
        ("2054.79", -2, "more_than", "2000"),  # a lower bound rounds down: still true
        ("14.99", 0, "more_than", "14"),
        ("2.01", 0, "less_than", "3"),  # an upper bound rounds up
        ("6.36998", 2, "exact", "6.37"),
    ],
)
def test_rounding_never_overstates_a_bound(value: str, places: int, qualifier: str, rounded: str) -> None:
    assert round_decimal(Decimal(value), places, qualifier) == Decimal(rounded)
