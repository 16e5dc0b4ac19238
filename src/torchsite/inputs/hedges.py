"""Hedges: what each qualifier means (its words, which side of the value the truth lies, how to round)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from typing import Literal

Qualifier = Literal["exact", "about", "nearly", "more_than", "less_than", "at_least", "at_most"]
DATE_UNITS = frozenset({"month", "day"})
_PERIOD_DATE = re.compile(r"(?:(?:by|in)\s+)?(\d{4}(?:-(?:0[1-9]|1[0-2]))?)", re.IGNORECASE)


@dataclass(frozen=True)
class Hedge:
    """What one qualifier says of the true value, the single place its meaning is written."""

    qualifier: str
    words: str  # as prose says it before the number ("" for exact)
    side: Literal["lower", "upper", None] = None  # the value is a lower bound (truth above) or an upper one
    open: bool = False  # the true value cannot equal the stated one ("more than", "less than")
    approx: bool = False  # the stated value is itself approximate ("about", "nearly")
    below: bool = False  # the true value is just below the stated one, never above ("nearly")
    gives: str = ""  # what a value with this hedge is, for a reader ("a lower bound: the true value is higher")

    @property
    def name(self) -> str:
        """The hedge as a table shows it: its words, or 'exact'."""
        return self.words or "exact"

    def explain(self, who: str) -> str | None:
        """The hedge as a sentence naming who gives the value ('The report gives a lower bound: ...'), None if exact."""
        return f"{who} gives {self.gives}." if self.gives else None

    @property
    def rounding(self) -> str:
        """The decimal rounding that keeps a bound true: a lower bound rounds down, an upper one up."""
        return {"lower": ROUND_FLOOR, "upper": ROUND_CEILING}.get(self.side or "", ROUND_HALF_EVEN)


HEDGES: dict[str, Hedge] = {
    "exact": Hedge("exact", ""),
    "about": Hedge("about", "about", approx=True, gives="a round figure: the true value is close to it"),
    "nearly": Hedge("nearly", "nearly", approx=True, below=True, gives="a near figure: the truth is just below it"),
    "more_than": Hedge("more_than", "more than", "lower", open=True, gives="a lower bound: the true value is higher"),
    "less_than": Hedge("less_than", "less than", "upper", open=True, gives="an upper bound: the true value is lower"),
    "at_least": Hedge("at_least", "at least", "lower", gives="a lower bound: the true value is this or higher"),
    "at_most": Hedge("at_most", "at most", "upper", gives="an upper bound: the true value is this or lower"),
}
HEDGE_WORDS: dict[str, str] = {q: h.words for q, h in HEDGES.items()}
LOWER = frozenset(q for q, h in HEDGES.items() if h.side == "lower")
UPPER = frozenset(q for q, h in HEDGES.items() if h.side == "upper")
APPROX = frozenset(q for q, h in HEDGES.items() if h.approx)


@dataclass(frozen=True)
class Words:
    """The words of one language around a number: its hedges, and how words join."""

    hedges: dict[str, str]  # qualifier -> the words before the number
    space: str  # between hedge, number and unit word (" " in English, "" in Chinese)
    small: tuple[str, ...] = ()  # whole numbers under ten spelled out, where the language's newsrooms do
    by: str = "by {}"  # a date given as a deadline or bound ("by 2035"), {} the date as the language writes it


WORDS: dict[str, Words] = {
    "en": Words(HEDGE_WORDS, " ", ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")),
    "zh": Words(
        {"exact": "", "about": "约", "nearly": "近", "more_than": "超过", "less_than": "不到", "at_least": "至少"}
        | {"at_most": "至多"},
        "",
        by="到{}",
    ),
}


def words(lang: str) -> Words | None:
    """A language's words ('zh-Hans' falls back to 'zh'), or None when the engine has none for it."""
    return WORDS.get(lang) or WORDS.get(lang.split("-")[0])


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
