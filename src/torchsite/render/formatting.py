"""Numbers as readers see them: one formatter for value, unit and hedge, used everywhere."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from torchsite.inputs.hedges import HEDGE_WORDS, decimal

_SMALL = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_SCALES = [(Decimal(10) ** 12, "trillion"), (Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million")]
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def plain(value: Decimal, places: int | None = None) -> str:
    """Digits with thousands separators; `places` fixes the decimals, else as few as needed."""
    if places is not None and places > 0:
        text = f"{value:,.{places}f}"
    else:
        text = f"{value.normalize() if places is None else value.quantize(1):,f}"
    return text


def _scaled(value: Decimal, places: int | None) -> str:
    """Large amounts as 'X million' or 'X billion'."""
    for size, word in _SCALES:
        if abs(value) >= size:
            return f"{plain(value / size)} {word}"
    return plain(value, places)


def _count(value: Decimal, places: int | None) -> str:
    """Whole numbers under ten in words (newsroom style), others in digits."""
    if value == value.to_integral_value() and 0 <= value < 10:
        return _SMALL[int(value)]
    return plain(value, places)


def format_date(value: str, unit: str) -> str:
    """'2020-10' as 'October 2020'; '2021-05-09' as 'May 9, 2021'; '--05-09' as 'May 9'."""
    if unit == "month":
        year, month = value.split("-")
        return f"{_MONTHS[int(month) - 1]} {year}"
    if value.startswith("--"):
        month, day = value[2:].split("-")
        return f"{_MONTHS[int(month) - 1]} {int(day)}"
    date = dt.date.fromisoformat(value)
    return f"{_MONTHS[date.month - 1]} {date.day}, {date.year}"


def format_amount(value: float | int, unit: str, places: int | None = None) -> str:
    """A number with its unit, without a hedge: '300 billion yuan', '$22.92 million', '43%'."""
    d = decimal(value)
    if unit == "CNY":
        return f"{_scaled(d, places)} yuan"
    if unit == "USD":
        return f"${_scaled(d, places)}"
    if unit == "CNY_per_USD":
        return f"{plain(d, places)} yuan per US dollar"
    if unit == "percent":
        return f"{plain(d, places)}%"
    if unit == "km2":
        return f"{plain(d, places)} km²"
    if unit == "year":
        return str(d.quantize(1))
    if unit in ("people", "years", "months", "times"):
        noun = {"people": "people", "years": "years", "months": "months", "times": "times"}[unit]
        if d == 1:
            noun = {"people": "person", "years": "year", "months": "month", "times": "time"}[unit]
        return f"{_count(d, places)} {noun}"
    return _count(d, places)


def format_value(value: float | int | str, unit: str, qualifier: str = "exact", places: int | None = None) -> str:
    """A value as prose: hedge, number and unit ('more than 300 billion yuan', 'about 70%')."""
    if isinstance(value, str):
        return format_date(value, unit)
    hedge = HEDGE_WORDS[qualifier]
    amount = format_amount(value, unit, places)
    return f"{hedge} {amount}" if hedge else amount


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet runs as a formula at the start of a cell


def spreadsheet_text(text: str) -> str:
    """A text cell a spreadsheet shows and never runs: one that starts like a formula gets the usual leading '."""
    return "'" + text if text.startswith(FORMULA_START) else text
