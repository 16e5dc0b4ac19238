"""Hedges: what each qualifier means (which side of the value the truth lies, how to round); their words are
the language tables' (languages.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from typing import Literal

from torchsite.inputs.languages import shipped

Qualifier = Literal["exact", "about", "nearly", "more_than", "less_than", "at_least", "at_most"]
DATE_UNITS = frozenset({"month", "day"})
_PERIOD_DATE = re.compile(r"(?:(?:by|in)\s+)?(\d{4}(?:-(?:0[1-9]|1[0-2]))?)", re.IGNORECASE)


@dataclass(frozen=True)
class Hedge:
    """What one qualifier says of the true value, the single place its meaning is written (its words, per language,
    are in languages/<tag>.yaml)."""

    qualifier: str
    side: Literal["lower", "upper", None] = None  # the value is a lower bound (truth above) or an upper one
    open: bool = False  # the true value cannot equal the stated one ("more than", "less than")
    approx: bool = False  # the stated value is itself approximate ("about", "nearly")
    below: bool = False  # the true value is just below the stated one, never above ("nearly")

    @property
    def rounding(self) -> str:
        """The decimal rounding that keeps a bound true: a lower bound rounds down, an upper one up."""
        return {"lower": ROUND_FLOOR, "upper": ROUND_CEILING}.get(self.side or "", ROUND_HALF_EVEN)


HEDGES: dict[str, Hedge] = {
    "exact": Hedge("exact"),
    "about": Hedge("about", approx=True),
    "nearly": Hedge("nearly", approx=True, below=True),
    "more_than": Hedge("more_than", "lower", open=True),
    "less_than": Hedge("less_than", "upper", open=True),
    "at_least": Hedge("at_least", "lower"),
    "at_most": Hedge("at_most", "upper"),
}
_ENGLISH = shipped("en")
assert _ENGLISH is not None
HEDGE_WORDS: dict[str, str] = {q: _ENGLISH.hedge(q) for q in HEDGES}  # as English sources write them
LOWER = frozenset(q for q, h in HEDGES.items() if h.side == "lower")
UPPER = frozenset(q for q, h in HEDGES.items() if h.side == "upper")
APPROX = frozenset(q for q, h in HEDGES.items() if h.approx)


def hedge(qualifier: str) -> Hedge:
    """The meaning of a qualifier."""
    return HEDGES[qualifier]


def decimal(value: float | int) -> Decimal:
    """The exact decimal a reader would write for a number (no binary noise)."""
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def round_decimal(value: Decimal, places: int, qualifier: str = "exact") -> Decimal:
    """Round to `places` decimals (negative: tens, hundreds...) without overstating a bound."""
    mode = HEDGES[qualifier].rounding
    exp = Decimal(1).scaleb(-places)
    return value.quantize(exp, rounding=mode) if places >= 0 else (value / exp).quantize(1, rounding=mode) * exp


def period_date(as_of: str | None) -> str | None:
    """The year (or 'YYYY-MM') a period names, as in '2020', 'by 2020' or 'in 2020'; None for any other period."""
    match = _PERIOD_DATE.fullmatch(as_of.strip()) if as_of else None
    return match.group(1) if match else None
