"""The fact model: one strict, typed fact sheet that every later step reads."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from torchsite.errors import ContentError, Problem, Problems
from torchsite.inputs.diagnostics import Key, choices, name_pattern, schema_problem, show
from torchsite.inputs.hedges import DATE_UNITS, Qualifier
from torchsite.inputs.units import UNIT_PATTERN, UnitSpec, is_currency, known
from torchsite.inputs.yamldoc import Document, load_yaml

IDENT = r"^[a-z][a-z0-9_]*$"
Ident = Annotated[str, Field(pattern=IDENT, max_length=64)]
_IDENT = re.compile(IDENT)
# Ids the templates give their own elements (base.html's <main id="main">, facts.html's <h2 id="claims">): a fact's
# or claim's anchor on the fact sheet is its bare id, so these are refused. Every other id the templates write has
# a hyphen, which ids cannot.
RESERVED_IDS = frozenset({"main", "claims"})
Text = Annotated[str, Field(min_length=1, max_length=2000)]
LANGUAGE_TAG = name_pattern(  # BCP 47, as far as the engine needs (zh, zh-Hans, en-GB), its subtags of 1-8 characters
    r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$",
    "a BCP 47 language tag such as en, en-GB or zh-Hans",
    "a language of 2-3 lower-case letters, then subtags of up to 8 letters or digits, each after '-'",
)
MAX_LANGUAGE_TAG = 35  # the longest tag in practical use (RFC 5646 section 4.4.1 asks to support at least 35)
NO_UNITS: Mapping[str, UnitSpec] = MappingProxyType({})
Unit = Annotated[str, Field(pattern=UNIT_PATTERN, max_length=64, title="Unit")]
_DATE_PATTERNS = {
    "month": re.compile(r"\d{4}-(0[1-9]|1[0-2])"),
    "day": re.compile(r"(\d{4}|-)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"),
}
_VALUE_SCHEMA: dict[str, Any] = {  # typed for editors' tools: plain digits, or a date written as text
    "anyOf": [
        {"type": "number"},
        {"type": "string", "pattern": "^(" + "|".join(p.pattern for p in _DATE_PATTERNS.values()) + ")$"},
    ]
}


def is_calendar_date(text: str) -> bool:
    """Whether a date the patterns accept exists: year 0001 or later, a day the month has ('--02-29' is fine)."""
    year, month, day = [*text.replace("--", "2000-", 1).split("-"), "01"][:3]
    try:
        dt.date(int(year), int(month), int(day))
    except ValueError:
        return False
    return True


_LOOKS_LIKE_DATE = re.compile(r"(\d{4}|-)-\d{1,2}(-\d{1,2})?")
_DATE_FORMS = {"month": "'YYYY-MM'", "day": "'YYYY-MM-DD', or '--MM-DD' when the article gives no year"}


class Strict(BaseModel):
    """Base model: strict types, unknown keys refused, immutable."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Source(Strict):
    """Where facts and claims come from, described as the source itself describes it."""

    id: Ident = Field(description="The source's id, which facts and claims name in `source:`")
    title: Text = Field(description="The source's title, as it gives it")
    origin: Text | None = Field(None, description="Where the source says it comes from, in its own words")
    origin_translation: Text | None = Field(None, description="The origin in the site's language, when it differs")
    origin_language: str | None = Field(
        None,
        pattern=LANGUAGE_TAG,
        max_length=MAX_LANGUAGE_TAG,
        description="The language of `origin` as a BCP 47 tag, when it is not the site's: the fact sheet marks the "
        "origin with it, so browsers pick the right font and screen readers the right voice",
        examples=["zh-Hans"],
    )
    url: str | None = Field(
        None,
        pattern=r"^https?://[^\s]+$",
        max_length=2000,
        description="The source's address (https://...), linked wherever the source is credited",
    )
    publisher: Text | None = Field(None, description="The publisher, only when the source names one")
    publisher_note: str | None = Field(None, description="How the source names its publisher, when that needs saying")
    published: str | None = Field(description="Publication date, or null when the source gives none")
    published_note: str | None = Field(None, description="What the source says of its date, when it states none")
    kind: Text = Field("news report", description="What kind of source it is")

    @property
    def credit(self) -> str:
        """The source as a credit line in the site's language: its kind and where it comes from (translated)."""
        return self.credit_said(_english)

    def credit_said(self, gettext: Callable[..., str]) -> str:
        """The credit line in a catalog's words (`gettext`: a Messages' gettext)."""
        origin = self.publisher or (gettext(self.origin_translation) if self.origin_translation else self.origin)
        kind = gettext(self.kind)  # the fact sheet's words, which an edition's catalog may translate
        if origin:
            return gettext("a %(kind)s from %(origin)s", kind=kind, origin=origin)
        return gettext("a %(kind)s", kind=kind)

    @property
    def credit_in_full(self) -> str:
        """The credit with the origin in the source's own words and, after it, its translation."""
        if self.publisher or not (self.origin and self.origin_translation):
            return self.credit
        return f"a {self.kind} from {self.origin} ({self.origin_translation})"


def _english(message: str, **values: object) -> str:
    """A message as written (English), its %(name)s filled."""
    return message % values if values else message


class Theme(Strict):
    """A heading that groups facts on the fact sheet."""

    id: Ident = Field(description="The theme's id, which facts and derived figures name in `theme:`")
    title: Text = Field(description="The heading shown on the fact sheet")


class Correction(Strict):
    """A correction to a published value: when it was made, what the site said before, and why."""

    date: str = Field(
        description="When the correction was published, as a quoted 'YYYY-MM-DD'",
        json_schema_extra={"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
    )
    previous: float | int | str = Field(
        description="The value the site showed before, in the fact's unit", json_schema_extra=_VALUE_SCHEMA
    )
    previous_qualifier: Qualifier | None = Field(None, description="The hedge shown before, when it changed too")
    note: Text = Field(description="What was wrong and how it was found, in a sentence or two")

    @field_validator("date", mode="plain")
    @classmethod
    def _real_date(cls, value: Any) -> str:
        """A real calendar date written YYYY-MM-DD."""
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise PydanticCustomError(
                "date_form", "expected a date written 'YYYY-MM-DD', got {got}", {"got": show(value)}
            )
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError("date_form", "'{got}' is not a calendar date", {"got": value}) from None
        if day > dt.date.today():  # the clock only refuses content; no output reads it
            raise PydanticCustomError(
                "future_date", "'{got}' is in the future: a correction is dated the day it went out", {"got": value}
            )
        return value


class Fact(Strict):
    """One figure the source states, with its hedge, period and verbatim evidence."""

    id: Ident = Field(description="A stable snake_case id; the story cites the fact as {{id}}")
    label: Text = Field(description="What the figure measures, in a few words")
    unit: Unit = Field(description="The unit: CNY, USD, percent, count, people, km2, year, month, day...")
    value: float | int | str = Field(
        description="Plain digits (146000000, 9.02), or for dates 'YYYY-MM', 'YYYY-MM-DD' or '--MM-DD'",
        json_schema_extra=_VALUE_SCHEMA,
    )
    qualifier: Qualifier = Field(description="The source's hedge: exact, about, nearly, more_than, less_than...")
    as_of: str | None = Field(None, description="The period in the source's own words ('by 2020'), if it gives one")
    as_of_quote: Text | None = Field(
        None,
        description="Where the quote's sentence does not state the period: the shortest verbatim passage of the same "
        "source that does (a headline, an earlier sentence: 'the fiscal year 2025-26 budget')",
    )
    source: Ident = Field(description="The id of the source that states it")
    quote: Text = Field(description="The shortest verbatim passage of the source that states the figure")
    theme: Ident = Field(description="The id of the theme it is listed under")
    inferred: str | None = Field(None, description="How the figure was inferred when the source does not state it")
    note: str | None = Field(None, description="An editor's note shown with the fact")
    corrections: list[Correction] = Field(default_factory=list, description="Corrections to the value, oldest first")
    year_from: Literal["published"] | None = Field(
        None,
        description="'published' to date a day written without a year ('--MM-DD') in the year its source was "
        "published, as news text leaves the year of its own date unsaid; the site says so beside the date",
    )

    @field_validator("value", mode="plain")
    @classmethod
    def _value_fits_unit(cls, value: Any, info: Any) -> float | int | str:
        """A number for quantities, an ISO date string for dates; finite and never boolean."""
        unit = info.data.get("unit")
        if unit in DATE_UNITS:
            if not isinstance(value, str) or not _DATE_PATTERNS[unit].fullmatch(value):
                raise PydanticCustomError(
                    "date_form",
                    "expected a date written {form}, got {got}",
                    {"form": _DATE_FORMS[unit], "got": show(value)},
                )
            if not is_calendar_date(value):
                raise PydanticCustomError("date_form", "'{got}' is not a calendar date", {"got": value})
            return value
        if isinstance(value, str) and _LOOKS_LIKE_DATE.fullmatch(value):
            raise PydanticCustomError(
                "date_for_number", "expected a number, got the date {got} (dates stay text)", {"got": show(value)}
            )
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise PydanticCustomError("number_type", "expected a number, got {got}", {"got": show(value)})
        if value != value or value in (float("inf"), float("-inf")):
            raise PydanticCustomError("finite", "expected a finite number, got {got}", {"got": show(value)})
        if unit == "year" and not (isinstance(value, int) and 1000 <= value <= 9999):
            message = "expected a year written with four digits, got {got}"
            raise PydanticCustomError("year_form", message, {"got": show(value)})
        return value


class Claim(Strict):
    """A statement of the source the story rests on, with the shortest verbatim passage that states it."""

    id: Ident = Field(description="A stable snake_case id; story sentences cite the claim by it")
    passage: Text = Field(description="The shortest verbatim passage of the source that states the claim")
    source: Ident = Field(description="The id of the source that states it")
    facts: list[Ident] = Field(default_factory=list, description="The facts the claim involves")
    note: str | None = Field(None, description="An editor's note shown with the claim")


class Term(Strict):
    """Digits that are a name, not a figure ('FY 2024-25', 'Route 66'), written as the source writes them."""

    id: Ident = Field(description="A stable snake_case id; the story writes the name as {{term:id}}")
    text: Text = Field(description="The name exactly as the source writes it, digits included ('FY 2024-25')")
    source: Ident = Field(description="The id of the source that writes it")
    quote: Text = Field(description="The shortest verbatim passage of the source that holds the name")
    note: str | None = Field(None, description="An editor's note on the name")

    @field_validator("quote", mode="after")
    @classmethod
    def _holds_text(cls, quote: str, info: Any) -> str:
        """The quote holds the name as written."""
        text = info.data.get("text")
        if isinstance(text, str) and text not in quote:
            raise PydanticCustomError("term_quote", "the quote does not hold the name '{text}'", {"text": text})
        return quote


class Derived(Strict):
    """A figure computed from facts by a formula the site shows."""

    id: Ident = Field(description="A stable snake_case id; the story cites the figure as {{id}}")
    label: Text = Field(description="What the figure measures, in a few words")
    formula: Text = Field(description="Arithmetic over fact ids, such as output_latest / output_start")
    unit: Unit = Field(description="The result's unit")
    round: int = Field(ge=-12, le=6, description="Decimals to keep; negative rounds to tens, hundreds...")
    theme: Ident = Field(description="The id of the theme it is listed under")
    note: str | None = Field(None, description="An editor's note shown with the figure")


class FactSheet(Strict):
    """The whole fact sheet: sources, themes, facts and derived figures."""

    sources: list[Source] = Field(min_length=1, description="Where the facts come from")
    themes: list[Theme] = Field(min_length=1, description="The headings facts are grouped under")
    facts: list[Fact] = Field(min_length=1, description="Every figure the sources state")
    derived: list[Derived] = Field([], description="Figures computed from facts by formulas the site shows")
    claims: list[Claim] = Field([], description="Statements without a number, each with its verbatim passage")
    terms: list[Term] = Field(
        [], description="Names written with digits ('FY 2024-25'), each with its verbatim quote: {{term:id}} in text"
    )
    _doc: Document | None = PrivateAttr(None)

    def problem(self, path: Key, message: str, hint: str | None = None, *, key: bool = False) -> Problem:
        """A problem located at a path of the YAML this sheet was loaded from."""
        if self._doc is None:
            return Problem("<facts>", None, None, ".".join(map(str, path)), message, hint)
        return self._doc.problem(path, message, hint, key=key)

    def fact(self, ident: str) -> Fact:
        """The fact with this id."""
        return next(f for f in self.facts if f.id == ident)

    def claim(self, ident: str) -> Claim:
        """The claim with this id."""
        return next(c for c in self.claims if c.id == ident)

    def source(self, ident: str) -> Source:
        """The source with this id."""
        return next(s for s in self.sources if s.id == ident)


def load(path: Path, units: Mapping[str, UnitSpec] | None = NO_UNITS) -> FactSheet:
    """Load and validate a fact sheet; raise ContentError with every problem found."""
    return validate(load_yaml(path), units)


def validate(doc: Document, units: Mapping[str, UnitSpec] | None = NO_UNITS) -> FactSheet:
    """Validate a read fact sheet; raise ContentError with every problem found.

    Units are checked against the built-ins and `units` (the project's table); None skips that check.
    """
    try:
        sheet = FactSheet.model_validate(doc.data)
    except ValidationError as exc:
        raise ContentError(schema_problem(doc, err, FactSheet) for err in exc.errors()) from None
    sheet._doc = doc
    problems = Problems()
    problems.extend(check_references(sheet))
    problems.extend(check_corrections(sheet))
    problems.extend(check_years(sheet))
    if units is not None:
        problems.extend(check_units(sheet, units))
    problems.raise_if_any()
    return sheet


def declared(doc: Document) -> dict[str, str | None] | None:
    """The ids a fact sheet declares (facts and derived figures), with their as_of periods.

    None when an id is malformed: every reference to it would be one more error about the same mistake.
    """
    data = doc.data
    out: dict[str, str | None] = {}
    for group in ("facts", "derived"):
        items = data.get(group) if isinstance(data, dict) else None
        for item in items if isinstance(items, list) else []:
            ident = item.get("id") if isinstance(item, dict) else None
            if isinstance(ident, str) and not _IDENT.fullmatch(ident):
                return None
            if isinstance(ident, str):
                out[ident] = item["as_of"] if isinstance(item.get("as_of"), str) else None
    return out


def check_references(sheet: FactSheet) -> list[Problem]:
    """Ids are unique across facts, derived figures and claims; sources, themes and claimed facts exist."""
    problems = []
    seen: dict[str, Key] = {}
    entries = [("facts", i, f.id) for i, f in enumerate(sheet.facts)]
    entries += [("derived", i, d.id) for i, d in enumerate(sheet.derived)]
    entries += [("claims", i, c.id) for i, c in enumerate(sheet.claims)]
    entries += [("terms", i, t.id) for i, t in enumerate(sheet.terms)]
    for group, index, ident in entries:
        here: Key = (group, index, "id")
        if ident in RESERVED_IDS:
            problems.append(
                sheet.problem(here, f"the id '{ident}' is taken by the pages themselves", "choose another id")
            )
        elif ident in seen:
            first_line = sheet.problem(seen[ident], "").line
            problems.append(
                sheet.problem(
                    here,
                    f"duplicate id '{ident}' (first used on line {first_line})",
                    "give each fact, derived figure and claim its own id",
                )
            )
        else:
            seen[ident] = here
    sources = {s.id for s in sheet.sources}
    themes = {t.id for t in sheet.themes}
    sourced = [("facts", i, f.source) for i, f in enumerate(sheet.facts)]
    sourced += [("claims", i, c.source) for i, c in enumerate(sheet.claims)]
    sourced += [("terms", i, t.source) for i, t in enumerate(sheet.terms)]
    for group, i, source in sourced:
        if source not in sources:
            problems.append(sheet.problem((group, i, "source"), f"unknown source '{source}'", choices(source, sources)))
    figures = {e[2] for e in entries if e[0] not in ("claims", "terms")}
    for i, claim in enumerate(sheet.claims):
        for j, ident in enumerate(claim.facts):
            if ident not in figures:
                here = ("claims", i, "facts", j)
                problems.append(sheet.problem(here, f"unknown fact '{ident}'", choices(ident, figures)))
    themed: list[tuple[str, int, str]] = [("facts", i, f.theme) for i, f in enumerate(sheet.facts)]
    themed += [("derived", i, d.theme) for i, d in enumerate(sheet.derived)]
    for group, i, theme in themed:
        if theme not in themes:
            problems.append(sheet.problem((group, i, "theme"), f"unknown theme '{theme}'", choices(theme, themes)))
    return problems


def check_units(sheet: FactSheet, table: Mapping[str, UnitSpec]) -> list[Problem]:
    """Every unit is a built-in, an ISO currency code or one of the project's table."""
    names = known(table)
    entries = [("facts", i, f.unit) for i, f in enumerate(sheet.facts)]
    entries += [("derived", i, d.unit) for i, d in enumerate(sheet.derived)]
    problems = []
    for group, i, unit in entries:
        if unit not in names and not is_currency(unit):
            hint = choices(unit, names)
            if not hint.startswith("did you mean"):
                hint = "use a built-in unit (percent, people, km2...), an ISO currency code, or add it under units:"
            problems.append(sheet.problem((group, i, "unit"), f"unknown unit '{unit}'", hint))
    return problems


def check_corrections(sheet: FactSheet) -> list[Problem]:
    """Each correction records a value of the fact's kind that differs from today's, oldest first."""
    problems = []
    for i, fact in enumerate(sheet.facts):
        for j, correction in enumerate(fact.corrections):
            here: Key = ("facts", i, "corrections", j)
            previous = correction.previous
            fits = (
                isinstance(previous, str) and bool(_DATE_PATTERNS[fact.unit].fullmatch(previous))
                if fact.unit in DATE_UNITS
                else not isinstance(previous, str)
            )
            if fits and isinstance(previous, str) and not is_calendar_date(previous):
                problems.append(sheet.problem((*here, "previous"), f"'{previous}' is not a calendar date"))
            elif not fits:
                want = f"a date written {_DATE_FORMS[fact.unit]}" if fact.unit in DATE_UNITS else "a number"
                message, hint = f"expected {want}, got {show(previous)}", "the value shown before, in the fact's unit"
                problems.append(sheet.problem((*here, "previous"), message, hint))
            elif previous == fact.value and (correction.previous_qualifier or fact.qualifier) == fact.qualifier:
                problems.append(
                    sheet.problem(
                        (*here, "previous"),
                        f"the previous value {show(previous)} is today's value",
                        "record the value the site showed before the correction",
                    )
                )
            if j and correction.date < fact.corrections[j - 1].date:
                problems.append(
                    sheet.problem(
                        (*here, "date"),
                        f"{correction.date} comes before the correction above it ({fact.corrections[j - 1].date})",
                        "list corrections oldest first",
                    )
                )
    return problems


def published_year(source: Source) -> int | None:
    """The year a source was published ('2025-08-19' gives 2025), None when it gives no date."""
    return int(source.published[:4]) if source.published and re.match(r"\d{4}", source.published) else None


def year_of(sheet: FactSheet, fact: Fact) -> int | None:
    """The year a day without one takes from its source's publication date, when the fact says so (year_from)."""
    sources = [s for s in sheet.sources if s.id == fact.source]
    if fact.year_from != "published" or not sources or not str(fact.value).startswith("--"):
        return None
    return published_year(sources[0])


def check_years(sheet: FactSheet) -> list[Problem]:
    """A period's evidence only with a period; year_from dates only a day written without a year, from a source
    that gives its publication date."""
    problems = []
    for i, fact in enumerate(sheet.facts):
        if fact.as_of_quote is not None and not fact.as_of:
            where: Key = ("facts", i, "as_of_quote")
            hint = "set as_of to the period in the source's own words, or remove as_of_quote"
            message = "as_of_quote gives evidence for a period, but the fact has no as_of"
            problems.append(sheet.problem(where, message, hint))
        here: Key = ("facts", i, "year_from")
        if fact.year_from is None:
            continue
        if fact.unit != "day" or not str(fact.value).startswith("--"):
            message = f"year_from dates a day written without a year ('--MM-DD'), not {show(fact.value)}"
            problems.append(sheet.problem(here, message, "remove year_from, or write the day as '--MM-DD'"))
            continue
        sources = [s for s in sheet.sources if s.id == fact.source]
        if sources and published_year(sources[0]) is None:
            problems.append(
                sheet.problem(
                    here,
                    f"source '{fact.source}' gives no publication date to take the year from",
                    "give the source its published: 'YYYY-MM-DD', or remove year_from",
                )
            )
    return problems
