"""Units as content: how a value's unit reads, built in per language and extended by the project's table."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Annotated

from babel.numbers import get_currency_name, get_currency_symbol, list_currencies
from pydantic import BaseModel, ConfigDict, Field

from torchsite.inputs.diagnostics import name_pattern

UNIT_PATTERN = name_pattern(
    r"^[A-Za-z][A-Za-z0-9_]*$", "a unit name", "use letters, digits and _, starting with a letter, e.g. km2"
)
CURRENCY = name_pattern(r"^[A-Z]{3}$", "an ISO 4217 currency code", "three capital letters, e.g. USD or CNY")
Word = Annotated[str, Field(min_length=1, max_length=40)]  # a unit's sign or word: 'km²', 'Swiss francs'


class UnitSpec(BaseModel):
    """How one unit is written after (or before) a number, in the site's language."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    symbol: Word | None = Field(None, description="A sign written with the number: '%', 'km²', '$'")
    symbol_before: bool = Field(False, description="The symbol goes before the number ('$5'), else after it")
    symbol_space: bool = Field(True, description="A space between the number and a symbol after it ('12 km²')")
    singular: Word | None = Field(None, description="The word after the number one ('person')")
    plural: Word | None = Field(None, description="The word after any other number ('people')")
    currency: str | None = Field(
        None, pattern=CURRENCY, description="ISO 4217 code: without words or symbol, CLDR's name is used"
    )
    scale: bool = Field(False, description="Large values with the language's scale words ('300 billion', '3000亿')")
    spell_small: bool = Field(False, description="Whole numbers under ten in words ('five people'), where usual")


def _words(
    singular: str,
    plural: str | None = None,
    *,
    currency: str | None = None,
    scale: bool = False,
    spell_small: bool = False,
) -> UnitSpec:
    """A unit written as a word after the number."""
    return UnitSpec(
        singular=singular, plural=plural or singular, currency=currency, scale=scale, spell_small=spell_small
    )


# The built-in units, per language; the English table's order is the fact sheet schema's order.
BUILT_IN: dict[str, dict[str, UnitSpec]] = {
    "en": {
        "CNY": _words("yuan", currency="CNY", scale=True),
        "USD": UnitSpec(symbol="$", symbol_before=True, currency="USD", scale=True),
        "CNY_per_USD": _words("yuan per US dollar"),
        "percent": UnitSpec(symbol="%", symbol_space=False),
        "km2": UnitSpec(symbol="km²"),
        "count": UnitSpec(spell_small=True),
        "people": _words("person", "people", spell_small=True),
        "times": _words("time", "times", spell_small=True),
        "years": _words("year", "years", spell_small=True),
        "months": _words("month", "months", spell_small=True),
        "year": UnitSpec(),
        "month": UnitSpec(),
        "day": UnitSpec(),
    },
    "zh": {
        "CNY": _words("元", currency="CNY", scale=True),
        "USD": _words("美元", currency="USD", scale=True),
        "CNY_per_USD": _words("元/美元"),
        "percent": UnitSpec(symbol="%", symbol_space=False),
        "km2": _words("平方公里"),
        "count": UnitSpec(scale=True),
        "people": _words("人", scale=True),
        "times": _words("倍"),
        "years": _words("年"),
        "months": _words("个月"),
        "year": UnitSpec(symbol="年", symbol_space=False),
        "month": UnitSpec(),
        "day": UnitSpec(),
    },
}


def language(lang: str) -> str:
    """The key of a language's tables: the full tag if present ('zh-Hans' falls back to 'zh')."""
    return lang if lang in BUILT_IN else lang.split("-")[0]


def is_currency(code: str) -> bool:
    """True for an ISO 4217 currency code CLDR knows (EUR, GBP, JPY...)."""
    return len(code) == 3 and code.isupper() and code in list_currencies()


def known(table: Mapping[str, UnitSpec]) -> list[str]:
    """The unit names a project may use, besides any ISO currency code: built-ins, then its own table."""
    return [*BUILT_IN["en"], *(u for u in table if u not in BUILT_IN["en"])]


def used(units: Iterable[str], table: Mapping[str, UnitSpec]) -> list[str]:
    """The units a fact sheet may use, in order: built-ins, the project's table, then currency codes it uses."""
    names = known(table)
    return [*names, *sorted({u for u in units if u not in names and is_currency(u)})]


def resolve(unit: str, lang: str, table: Mapping[str, UnitSpec]) -> UnitSpec:
    """How a unit reads in a language: the project's entry, else the built-in one, else CLDR's currency."""
    spec = table.get(unit) or BUILT_IN.get(language(lang), BUILT_IN["en"]).get(unit)
    code = spec.currency if spec else unit if is_currency(unit) else None
    if spec is None:
        spec = UnitSpec(currency=code, scale=True) if code else UnitSpec()
    if code is None or spec.symbol or spec.singular:
        return spec
    locale = lang.replace("-", "_")
    symbol = get_currency_symbol(code, locale)
    if language(lang) == "en" and not any(c.isalpha() for c in symbol):
        return spec.model_copy(update={"symbol": symbol, "symbol_before": True})
    one, many = get_currency_name(code, 1, locale), get_currency_name(code, 2, locale)
    return spec.model_copy(update={"singular": one, "plural": many})


def unit_label(unit: str, lang: str, table: Mapping[str, UnitSpec]) -> str:
    """A unit as a column reads it: its plural word, else its currency's name, else its symbol ('' for a count)."""
    spec = resolve(unit, lang, table)
    if spec.plural:
        return spec.plural
    if spec.currency:
        return str(get_currency_name(spec.currency, 2, lang.replace("-", "_")))
    return spec.symbol or ""
