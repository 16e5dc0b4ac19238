"""Numbers as readers see them: one formatter for value, unit and hedge, in the site's language, used everywhere.

English is hand-written (the newsroom's style: '300 billion yuan', 'five people', 'October 2020');
other languages take numbers and dates from CLDR through Babel; every language's words around a number (hedges,
periods, rounding) come from its table (languages.py).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from babel import Locale
from babel.dates import format_skeleton
from babel.numbers import format_compact_decimal, format_decimal

from torchsite.inputs.hedges import decimal
from torchsite.inputs.languages import Language, shipped
from torchsite.inputs.messages import ENGLISH, Messages
from torchsite.inputs.units import UnitSpec, resolve

_SCALES = [(Decimal(10) ** 12, "trillion"), (Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million")]
MONTHS = [
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
VOWELS = frozenset("aeiouàâäéèêëîïôöûüœæ")  # where a language elides its scale_of ('d’euros')
_PERIOD = re.compile(r"(?:(?P<word>by|in)\s+)?(?P<date>\d{4}(?:-(?:0[1-9]|1[0-2]))?)", re.IGNORECASE)
_SKELETONS = {"year": "y", "month": "yMMM", "day": "yMMMd", "no_year": "MMMd"}


def plain(value: Decimal, places: int | None = None) -> str:
    """Digits with thousands separators (English); `places` fixes the decimals, else as few as needed."""
    if places is not None and places > 0:
        text = f"{value:,.{places}f}"
    else:
        text = f"{value.normalize() if places is None else value.quantize(1):,f}"
    return text


MAX_SCALED_DECIMALS = 3  # "$1.368 million" reads; "$121.434445 million" does not: an amount that fine is written out


def too_fine_to_scale(value: Decimal, stated: int | None = None) -> bool:
    """Whether an amount written with a scale word would need more than MAX_SCALED_DECIMALS decimals (an exact
    "$121,434,445"): such an amount is written in full digits, as the source writes it."""
    size = next((size for size, _ in _SCALES if abs(value) >= size), None)
    if size is None:
        return False
    shown = (value / size).normalize().as_tuple().exponent
    needed = -shown if isinstance(shown, int) and shown < 0 else 0
    if stated is not None:
        needed = max(needed, stated + len(str(size)) - 1)
    return needed > MAX_SCALED_DECIMALS


def _scaled(value: Decimal, places: int | None, stated: int | None = None) -> str:
    """Large amounts as 'X million' or 'X billion'; `stated`: the decimals the source shows ('219.30 million' -4)."""
    for size, word in _SCALES:
        if abs(value) >= size:
            decimals = None if stated is None else stated + len(str(size)) - 1
            return f"{plain(value / size, decimals if decimals and decimals > 0 else None)} {word}"
    return plain(value, places)


def _english_date(value: str, unit: str) -> str:
    """'2020' as '2020'; '2020-10' as 'October 2020'; '2021-05-09' as 'May 9, 2021'; '--05-09' as 'May 9'."""
    if unit == "year":
        return value
    if unit == "month":
        year, month = value.split("-")
        return f"{MONTHS[int(month) - 1]} {year}"
    if value.startswith("--"):
        month, day = value[2:].split("-")
        return f"{MONTHS[int(month) - 1]} {int(day)}"
    date = dt.date.fromisoformat(value)
    return f"{MONTHS[date.month - 1]} {date.day}, {date.year}"


@dataclass(frozen=True)
class Formatter:
    """Values in one language with one project's units table."""

    lang: str = "en"
    units: Mapping[str, UnitSpec] = field(default_factory=dict)
    table: Language | None = None  # the project's table for the language, else the shipped one
    messages: Messages = ENGLISH  # the language's message catalog: every sentence around the numbers (messages.py)

    @functools.cached_property
    def words(self) -> Language:
        """The language's words around numbers (the configuration checked it has a table)."""
        found = self.table or shipped(self.lang)
        assert found is not None, self.lang
        return found

    @functools.cached_property
    def unit_table(self) -> Mapping[str, UnitSpec]:
        """The units as this site writes them: the language table's words, the project's site.yaml units over them."""
        return {**self.words.units, **self.units}

    def period(self, as_of: str) -> str:
        """A fact's period (its as_of, in the source's English: 'by 2020', 'in 2020') as this language writes it:
        a year or month through the date formats and period words, any other phrase through the catalog (a
        project's content/locale/<tag>.po may translate it); English keeps the source's words."""
        if self.lang.split("-")[0] == "en":
            return as_of
        found = _PERIOD.fullmatch(as_of.strip())
        if found is None:
            return self.messages.gettext(as_of)
        date = found.group("date")
        written = self.date(date, "month" if "-" in date else "year")
        return self.words.by(written) if (found.group("word") or "").lower() == "by" else written

    @functools.cached_property
    def locale(self) -> Locale | None:
        """CLDR's locale, or None for English, which keeps its hand-written style."""
        return None if self.lang == "en" else Locale.parse(self.lang, sep="-")

    def number(
        self, value: Decimal, places: int | None = None, *, scale: bool = False, stated: int | None = None
    ) -> str:
        """Digits in the language's convention, exactly as given (rounding is the figure's, done before).

        stated: the decimals the source shows (its zeros kept: '219.30'), counted from the units digit.
        """
        if scale and too_fine_to_scale(value, stated):
            scale = False  # an exact amount with more digits than a scale word shows well: in full
        if places is None and stated is not None and not scale:
            places = stated if stated > 0 else None
        if self.locale is None:
            return _scaled(value, places, stated) if scale else plain(value, places)
        if scale:
            return format_compact_decimal(value, format_type=self.words.compact, locale=self.locale, fraction_digits=12)
        if places is not None and places > 0:
            return format_decimal(value, format="#,##0." + "0" * places, locale=self.locale)
        return format_decimal(
            value if places is None else value.quantize(1), locale=self.locale, decimal_quantization=False
        )

    def date(self, value: str, unit: str) -> str:
        """A 'YYYY', 'YYYY-MM', 'YYYY-MM-DD' or '--MM-DD' date as the language writes it."""
        if self.locale is None:
            return _english_date(value, unit)
        if value.startswith("--"):
            return format_skeleton(_SKELETONS["no_year"], dt.date.fromisoformat("2000" + value[1:]), locale=self.locale)
        date = dt.date.fromisoformat({"year": f"{value}-01-01", "month": f"{value}-01"}.get(unit, value))
        return format_skeleton(_SKELETONS[unit], date, locale=self.locale)

    def amount(self, value: float | int, unit: str, places: int | None = None, stated: int | None = None) -> str:
        """A number with its unit, without a hedge: '300 billion yuan', '$22.92 million', '43%', '3000亿元'."""
        d, spec = decimal(value), resolve(unit, self.lang, self.unit_table)
        if unit == "year":
            digits = str(d.quantize(1))
        elif spec.spell_small and self.words.small and d == d.to_integral_value() and 0 <= d < 10:
            digits = self.words.small[int(d)]
        else:
            digits = self.number(d, places, scale=spec.scale, stated=stated)
        word = (spec.singular or spec.plural) if d == 1 else (spec.plural or spec.singular)  # one word serves both
        if word and spec.scale and self.words.scale_of and abs(d) >= 10**6:  # '300 milliards de yuans'
            word = self._scale_of(word)
        if spec.symbol:  # a symbol keeps the unit's words after it ('$0.363210 per $100 of valuation')
            gap = " " if spec.symbol_space else ""
            shown = f"{spec.symbol}{digits}" if spec.symbol_before else f"{digits}{gap}{spec.symbol}"
            return f"{shown}{self.words.space}{word}" if word else shown
        return f"{digits}{self.words.space}{word}" if word else digits

    def _scale_of(self, word: str) -> str:
        """A unit word after a scale word, joined as the language does: 'de yuans', 'd’euros'."""
        if self.words.scale_of_elided and word[:1].lower() in VOWELS:
            return f"{self.words.scale_of_elided}{word}"
        return f"{self.words.scale_of}{self.words.space}{word}"

    def value(
        self,
        value: float | int | str,
        unit: str,
        qualifier: str = "exact",
        places: int | None = None,
        *,
        stated: int | None = None,
    ) -> str:
        """A value as prose: hedge, number and unit ('more than 300 billion yuan', 'about 70%', '超过3000亿元')."""
        if isinstance(value, str):
            return self.date(value, unit)
        hedge = self.words.hedge(qualifier)
        amount = self.amount(value, unit, places, stated)
        return f"{hedge}{self.words.space}{amount}" if hedge else amount


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet runs as a formula at the start of a cell


def spreadsheet_text(text: str) -> str:
    """A text cell a spreadsheet shows and never runs: one that starts like a formula gets the usual leading '."""
    return "'" + text if text.startswith(FORMULA_START) else text
