"""The words the site writes around numbers, per language, as data: shipped tables, extended by the project's.

A table (torchsite/inputs/languages/<tag>.yaml) holds a language's hedge words, what each hedge means for a
reader, period words ("by 2020"), rounding words for derived workings and a chart key's words. A project adds a
language, or overrides any word of a shipped one, in content/languages/<tag>.yaml.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from torchsite.errors import ContentError
from torchsite.inputs.diagnostics import schema_problem
from torchsite.inputs.units import BUILT_IN, UnitSpec
from torchsite.inputs.yamldoc import Document, load_yaml

SHIPPED = Path(__file__).parent / "languages"
Words = Annotated[str, Field(max_length=200)]


def _placeholders(*names: str) -> Callable[[str], str]:
    """A check that a template names exactly these {placeholders}."""

    def check(text: str) -> str:
        try:
            got = {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
        except ValueError:
            got = {"?"}
        if got != set(names):
            want = ", ".join("{" + n + "}" for n in names) or "no placeholders"
            shown = ", ".join("{" + n + "}" for n in sorted(got)) or "none"
            raise PydanticCustomError(
                "template_fields", "expected {want} in the text, got {got}", {"want": want, "got": shown}
            )
        return text

    return check


# Texts with exactly these {placeholders}:
Plain = Annotated[str, Field(max_length=200), AfterValidator(_placeholders())]
WhatTruth = Annotated[str, Field(max_length=200), AfterValidator(_placeholders("what", "truth"))]
MarkWhatTruth = Annotated[str, Field(max_length=200), AfterValidator(_placeholders("mark", "what", "truth"))]
ValuePeriod = Annotated[str, Field(max_length=200), AfterValidator(_placeholders("value", "period"))]
Dated = Annotated[str, Field(max_length=200), AfterValidator(_placeholders("date"))]
Places = Annotated[str, Field(max_length=200), AfterValidator(_placeholders("places"))]
Step = Annotated[str, Field(max_length=200), AfterValidator(_placeholders("step"))]
How = Annotated[str, Field(max_length=200), AfterValidator(_placeholders("how"))]
Working = Annotated[str, Field(max_length=200), AfterValidator(_placeholders("expression", "raw", "rounded", "result"))]
Hedges = Annotated[str, Field(max_length=200), AfterValidator(_placeholders("hedges"))]
WordsIn = Annotated[str, Field(max_length=200), AfterValidator(_placeholders("words"))]


class _Table(BaseModel):
    """Base model: strict types, unknown keys refused, immutable."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class HedgeWords(_Table):
    """The words before a number, per qualifier ('' for exact)."""

    exact: Plain
    about: Plain
    nearly: Plain
    more_than: Plain
    less_than: Plain
    at_least: Plain
    at_most: Plain


class Meaning(_Table):
    """What a value with one hedge is ('a lower bound') and where the truth lies ('the true value is higher')."""

    what: Plain
    truth: Plain


class Meanings(_Table):
    """A meaning per hedge (an exact value needs none)."""

    about: Meaning
    nearly: Meaning
    more_than: Meaning
    less_than: Meaning
    at_least: Meaning
    at_most: Meaning


class Explain(_Table):
    """A meaning as the card says it, for a stated fact and a derived figure, and as a chart mark's name ends."""

    report: WhatTruth = Field(description="The report gives {what}: {truth}.")
    working: WhatTruth = Field(description="The working gives {what}: {truth}.")
    mark: MarkWhatTruth = Field(description="{mark}: {what}, {truth}")


class Period(_Table):
    """Words around a date."""

    by: Dated = Field(description="A date given as a deadline or bound: 'by {date}'")
    no_year: Dated = Field(description="A day the source gives without its year")
    stated: ValuePeriod = Field(description="A value with the period the fact sheet gives it ('{value} {period}')")


class Rounding(_Table):
    """How a derived figure's working says its rounding: '{how}' is one of the first six, '{places}' a count."""

    decimals: Places
    one_decimal: Plain
    whole: Plain
    tens: Plain
    hundreds: Plain
    thousands: Plain
    nearest: Step
    plain: How
    down: How
    up: How
    working: Working


class KeyWords(_Table):
    """A chart key's lines: what each mark means (one way of drawing a hedge in every chart)."""

    hedged: Hedges = Field(description="A bar ending in an open stretch at its value; {hedges}: the hedges drawn")
    hedged_dot: Hedges = Field(description="An open dot at its stated value; {hedges}: the hedges drawn")
    hedge_quoted: WordsIn = Field(description="One hedge word as a key names it: '“{words}”'")
    hedge_separator: Words = Field(description="Between the hedges a key names: ', '")
    log: Plain = Field(description="The grey lines of a log scale")
    event: Plain = Field(description="A timeline mark on its date")
    year: Plain = Field(description="A timeline event the report dates only by its year")
    by: Plain = Field(description="A timeline date given as 'by' that year")
    goal: Plain = Field(description="A goal on a timeline, past the dashed stretch of its axis")
    reported: Plain = Field(description="A timeline's reference line at the date its report was published")


class Language(_Table):
    """The words of one language around a number, and how they join."""

    space: Words = Field(description="Between hedge, number and unit word (' ' in English, '' in Chinese)")
    spaced: bool = Field(
        True, description="Whether the script puts a space between sentences (false in Chinese: '。' ends one, no gap)"
    )
    small: list[Words] = Field(
        max_length=10, description="Whole numbers under ten spelled out, where the language's newsrooms do ([] none)"
    )
    compact: Literal["short", "long"] = Field(description="CLDR's compact form of large amounts: short or long")
    scale_of: Words = Field(description="A word between a scale word (million and up) and the unit's word ('de')")
    scale_of_elided: Words = Field("", description="scale_of before a unit word starting with a vowel ('d’')")
    exact: Plain = Field(description="A value without a hedge, as a table names its hedge")
    hedges: HedgeWords
    meanings: Meanings
    explain: Explain
    period: Period
    rounding: Rounding
    key: KeyWords
    units: dict[str, UnitSpec] = Field(
        default_factory=dict,
        description="The language's words for built-in units (CNY, people...); site.yaml's units: go over them",
    )

    @field_validator("small")
    @classmethod
    def _zero_to_nine(cls, value: list[str]) -> list[str]:
        """Small numbers are spelled zero to nine, all ten, or none."""
        if len(value) not in (0, 10):
            raise PydanticCustomError(
                "small_numbers", "expected the words for zero to nine (10) or none, got {n}", {"n": len(value)}
            )
        return value

    @field_validator("units")
    @classmethod
    def _built_in_units(cls, value: dict[str, UnitSpec]) -> dict[str, UnitSpec]:
        """A language table words the built-in units; a project's own units belong in site.yaml."""
        unknown = sorted(set(value) - set(BUILT_IN["en"]))
        if unknown:
            raise PydanticCustomError(
                "unit_name",
                "unknown built-in unit {names}: a new unit goes in site.yaml's units:",
                {"names": ", ".join(unknown)},
            )
        return value

    def hedge(self, qualifier: str) -> str:
        """The words before a number with this hedge ('' for exact)."""
        return str(getattr(self.hedges, qualifier))

    def name(self, qualifier: str) -> str:
        """A hedge as a table shows it: its words, or the word for exact."""
        return self.hedge(qualifier) or self.exact

    def meaning(self, qualifier: str) -> Meaning | None:
        """What a value with this hedge is, None when exact."""
        found: Meaning | None = None if qualifier == "exact" else getattr(self.meanings, qualifier)
        return found

    def explained(self, qualifier: str, *, derived: bool = False) -> str | None:
        """The hedge as the card's sentence ('The report gives a lower bound: ...'), None when exact."""
        m = self.meaning(qualifier)
        template = self.explain.working if derived else self.explain.report
        return template.format(what=m.what, truth=m.truth) if m else None

    def mark_name(self, spoken: str, qualifier: str) -> str:
        """A chart mark's accessible name: its words, then what its hedge means."""
        m = self.meaning(qualifier)
        return self.explain.mark.format(mark=spoken, what=m.what, truth=m.truth) if m else spoken

    def by(self, date: str) -> str:
        """A date as a deadline or bound ('by 2035', '到2035年')."""
        return self.period.by.format(date=date)

    def rounded(self, places: int, side: str | None, step: str) -> str:
        """How a working rounds: 'rounded down to 2 decimal places'; `step` is 10**-places as the language writes
        it."""
        r = self.rounding
        named = {0: r.whole, -1: r.tens, -2: r.hundreds, -3: r.thousands, 1: r.one_decimal}
        how = named.get(places) or (r.decimals.format(places=places) if places > 0 else r.nearest.format(step=step))
        return {"lower": r.down, "upper": r.up}.get(side or "", r.plain).format(how=how)


REQUIRED = ", ".join(n for n, f in Language.model_fields.items() if f.is_required())
OPTIONAL = ", ".join(n for n, f in Language.model_fields.items() if not f.is_required())


def candidates(tag: str) -> list[str]:
    """The tables a language tag may use, most specific first: 'zh-Hans-CN', 'zh-Hans', 'zh' (a script CLDR
    gives the language or region, as Hans for zh and zh-CN and Hant for zh-TW, counts)."""
    parts = tag.split("-")
    found = [tag]
    script = next((p for p in parts[1:] if len(p) == 4), None)
    if script is None:
        likely = get_global("likely_subtags")
        maximal = likely.get("_".join(parts[:2])) or likely.get(parts[0]) or ""
        script = next((p for p in maximal.split("_")[1:] if len(p) == 4), None)
    if script is not None:
        found.append(f"{parts[0]}-{script}")
    found.append(parts[0])
    return list(dict.fromkeys(found))


def shipped_tags() -> list[str]:
    """The languages the engine ships tables for."""
    return sorted(p.stem for p in SHIPPED.glob("*.yaml"))


def _find(folder: Path, tag: str) -> Path | None:
    """The first table for a tag in a folder, most specific first."""
    return next((folder / f"{t}.yaml" for t in candidates(tag) if (folder / f"{t}.yaml").is_file()), None)


@functools.cache
def shipped(tag: str) -> Language | None:
    """A shipped language's table ('zh-Hans' for zh-Hans-CN or zh), or None when none is shipped."""
    path = _find(SHIPPED, tag)
    return None if path is None else _validated(load_yaml(path), {})


def _merged(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """A table with the project's keys over the shipped ones, mapping by mapping."""
    out = dict(base)
    for key, value in over.items():
        old = out.get(key)
        out[key] = _merged(old, value) if isinstance(old, dict) and isinstance(value, dict) else value
    return out


def _validated(doc: Document, base: Mapping[str, Any]) -> Language:
    """A document's table over a base, validated; problems located in the document."""
    data = _merged(base, doc.data) if isinstance(doc.data, dict) else doc.data
    try:
        return Language.model_validate(data)
    except ValidationError as exc:
        raise ContentError(schema_problem(doc, err, Language) for err in exc.errors()) from None


def load(tag: str, project: Path | None) -> Language | None:
    """A language's table: the project's file (content/languages/<tag>.yaml) over the shipped one, else the
    shipped one, else None. Raises ContentError at the project file's line for a wrong or missing key."""
    own = _find(project, tag) if project is not None and project.is_dir() else None
    if own is None:
        return shipped(tag)
    base = _find(SHIPPED, tag)
    return _validated(load_yaml(own), load_yaml(base).data if base is not None else {})


def missing(tag: str, project: Path) -> tuple[str, str]:
    """The message and hint for a language CLDR knows but no table covers: what to add, where."""
    try:
        name = Locale.parse(tag, sep="-").get_display_name("en") or tag
    except (UnknownLocaleError, ValueError):
        name = tag
    where = f"{project.parent.name}/{project.name}/{tag}.yaml"  # as the project names it: content/languages/
    return (
        f"no words for '{tag}' ({name}): hedges, their meanings, periods, rounding and chart keys",
        f"add {where} with the keys {REQUIRED} (and optionally {OPTIONAL}), as torchsite/inputs/languages/en.yaml "
        "has them; "
        f"tables shipped: {', '.join(shipped_tags())}",
    )
