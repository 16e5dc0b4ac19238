"""Figures: every fact and derived figure resolved for display, each linked to its entry on the sheet."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from pathlib import Path

from torchsite.errors import ContentError, Problem, attempt
from torchsite.inputs.facts import Derived, Fact, FactSheet, declared, validate, year_of
from torchsite.inputs.formatting import Formatter
from torchsite.inputs.formulas import MAX_FORMULA_CHARS, FormulaError, Range, evaluate, hedge, names, parse
from torchsite.inputs.grammar import ENGLISH
from torchsite.inputs.hedges import HEDGES, decimal, round_decimal
from torchsite.inputs.units import UnitSpec
from torchsite.inputs.yamldoc import Document, load_yaml


@dataclass(frozen=True)
class Figure:
    """A fact or derived figure resolved for display: value, hedge, unit and text."""

    id: str
    label: str
    kind: str  # "fact" or "derived"
    value: float | int | str
    unit: str
    qualifier: str
    places: int | None
    theme: str
    text: str
    as_of: str | None = None
    formula: str | None = None
    inputs: tuple[str, ...] = ()
    unrounded: float | None = None
    unrounded_qualifier: str | None = None
    stated: int | None = None  # the decimals the fact's quote shows ('0.363210': 6), None when it shows none
    year_note: str | None = None  # why a day the source gives without a year carries one (year_from: published)
    period: str | None = None  # its as_of as the site's language writes it ('到2020年' for 'by 2020')
    entry: Fact | Derived | None = field(default=None, compare=False, repr=False)  # what the sheet says of it

    @property
    def is_number(self) -> bool:
        """True for quantities, False for dates."""
        return not isinstance(self.value, str)

    @property
    def fact(self) -> Fact | None:
        """The stated fact behind this figure, or None for a derived one."""
        return self.entry if isinstance(self.entry, Fact) else None

    @property
    def quote(self) -> str | None:
        """The verbatim passage that states the figure (None for a derived one: its formula is its source)."""
        return self.fact.quote if self.fact else None

    @property
    def source(self) -> str | None:
        """The id of the source the figure comes from (None for a derived one)."""
        return self.fact.source if self.fact else None

    @property
    def note(self) -> str | None:
        """The editor's note on the figure, and where its year comes from when the source gives none."""
        notes = [n for n in (self.entry.note if self.entry is not None else None, self.year_note) if n]
        return " ".join(notes) if notes else None


@dataclass(frozen=True)
class Sheet:
    """The fact sheet as far as it could be read: the model and its figures, or only the ids it declares.

    Other files are checked against what is known: an id list that is None could not be read, and is not held
    against them.
    """

    model: FactSheet | None = None
    figures: dict[str, Figure] | None = None
    periods: Mapping[str, str | None] | None = None  # every figure id it declares, with its as_of period
    claims: list[str] | None = None  # every claim id
    terms: Mapping[str, str] | None = None  # every name written with digits, by id: its text


def read(path: Path, units: Mapping[str, UnitSpec] | None, fmt: Formatter) -> tuple[Sheet, list[Problem]]:
    """Read the fact sheet once, validate it and compute its figures, as far as each step holds."""
    doc, problems = attempt(lambda: load_yaml(path))
    if doc is None:
        return Sheet(), problems
    model, problems = attempt(lambda: validate(doc, units))
    if model is None:  # the formulas were not evaluated: check what can be checked without values
        return Sheet(periods=declared(doc)), [*problems, *formula_problems(doc)]
    claims = [c.id for c in model.claims]
    terms = {t.id: t.text for t in model.terms}
    figures, problems = attempt(lambda: compute(model, fmt))
    if figures is None:
        return Sheet(model, periods=declared(doc), claims=claims, terms=terms), problems
    return Sheet(model, figures, {i: f.as_of for i, f in figures.items()}, claims, terms), []


def compute(sheet: FactSheet, fmt: Formatter) -> dict[str, Figure]:
    """Every fact and derived figure, in sheet order, ready to display in the formatter's language."""
    figures = {f.id: fact_figure(f, fmt, year_of(sheet, f)) for f in sheet.facts}
    ranges = {f.id: Range.of(f.value, f.qualifier) for f in sheet.facts if not isinstance(f.value, str)}
    problems: list[Problem] = []
    order, cycle_problems = _order(sheet)
    problems += cycle_problems
    derived_ids = {d.id for d in sheet.derived}
    for index in order:
        d = sheet.derived[index]
        here = ("derived", index, "formula")
        try:
            tree = parse(d.formula)
            missing = sorted(n for n in names(tree) if n not in ranges)
            if any(n in derived_ids for n in missing):
                continue  # an input failed and was reported already
            if missing:
                raise unknown_input(missing[0], figures)
            result = evaluate(tree, ranges)
            figure = derived_figure(d, result, names(tree), fmt)
        except FormulaError as exc:
            problems.append(sheet.problem(here, exc.message, exc.hint))
            continue
        figures[d.id] = figure
        ranges[d.id] = Range.of(figure.value, figure.qualifier)  # type: ignore[arg-type]
    if problems:
        raise ContentError(problems)
    ids = [f.id for f in sheet.facts] + [d.id for d in sheet.derived]
    return {ident: figures[ident] for ident in ids}


def unknown_input(ident: str, known: Collection[str]) -> FormulaError:
    """The error for a formula input that is not a number: a date, or no figure at all."""
    return FormulaError(
        f"'{ident}' is " + ("a date, not a number" if ident in known else "not a fact or derived figure"),
        "formulas combine numeric facts and derived figures by id",
    )


def formula_problems(doc: Document) -> list[Problem]:
    """On a sheet that failed validation: each formula parses and names declared ids (values unknown)."""
    known = declared(doc)
    if known is None:
        return []  # a malformed id: its own error says enough
    items = doc.data.get("derived") if isinstance(doc.data, dict) else None
    problems = []
    for index, item in enumerate(items if isinstance(items, list) else []):
        formula = item.get("formula") if isinstance(item, dict) else None
        if not isinstance(formula, str) or len(formula) > MAX_FORMULA_CHARS:
            continue  # missing, not text or too long: a schema problem, reported as such
        try:
            missing = [n for n in names(parse(formula)) if n not in known]
            if missing:
                raise unknown_input(missing[0], ())
        except FormulaError as exc:
            problems.append(doc.problem(("derived", index, "formula"), exc.message, exc.hint))
    return problems


def fact_figure(fact: Fact, fmt: Formatter, year: int | None = None) -> Figure:
    """A stated fact as a figure; `year` dates a day the source gives without one (from its publication date)."""
    value = f"{year:04d}{fact.value[1:]}" if year is not None and isinstance(fact.value, str) else fact.value
    note = None
    if year is not None:
        day = fmt.date(str(fact.value), "day")
        note = f"The source gives the day as {day}, without a year; {year} is the year it was published."
    return Figure(
        fact.id,
        fmt.messages.gettext(fact.label),
        "fact",
        value,
        fact.unit,
        fact.qualifier,
        None,
        fact.theme,
        fmt.value(value, fact.unit, fact.qualifier, stated=stated_places(fact)),
        fact.as_of,
        stated=stated_places(fact),
        year_note=note,
        period=fmt.period(fact.as_of) if fact.as_of else None,
        entry=fact,
    )


def stated_places(fact: Fact) -> int | None:
    """The decimals the fact's quote shows for its value ('219.30' keeps its zero), None when it shows none."""
    if isinstance(fact.value, str):
        return None
    value = decimal(fact.value)
    shown = [m.places for m in ENGLISH.read(fact.quote) if m.places is not None and value in (m.number, m.high)]
    return max(shown) if shown else None


def derived_figure(d: Derived, result: Range, inputs: list[str], fmt: Formatter) -> Figure:
    """Round a computed range to a hedged figure that claims no more than its inputs."""
    bound, raw = hedge(result)
    rounded = round_decimal(Decimal(repr(raw)), d.round, bound)
    qualifier = "about" if bound == "exact" and rounded != Decimal(repr(raw)) else bound
    value: float | int = int(rounded) if d.round <= 0 else float(rounded)
    return Figure(
        d.id,
        fmt.messages.gettext(d.label),
        "derived",
        value,
        d.unit,
        qualifier,
        d.round,
        d.theme,
        fmt.value(value, d.unit, qualifier, d.round),
        None,
        d.formula,
        tuple(inputs),
        raw,
        bound,
        entry=d,
    )


def _order(sheet: FactSheet) -> tuple[list[int], list[Problem]]:
    """Derived figures in dependency order; cycles reported on every figure in them."""
    by_id = {d.id: i for i, d in enumerate(sheet.derived)}
    deps: dict[int, list[int]] = {}
    for i, d in enumerate(sheet.derived):
        try:
            deps[i] = [by_id[n] for n in names(parse(d.formula)) if n in by_id]
        except FormulaError:
            deps[i] = []
    order: list[int] = []
    state: dict[int, str] = {}
    problems: list[Problem] = []
    cyclic: set[int] = set()

    def visit(i: int, trail: list[int]) -> None:
        """Depth-first visit that records a cycle the first time it closes."""
        if state.get(i) == "done":
            return
        if state.get(i) == "active":
            loop = [*trail[trail.index(i) :], i]
            text = " -> ".join(sheet.derived[j].id for j in loop)
            cyclic.update(loop)
            problems.append(
                sheet.problem(
                    ("derived", i, "formula"),
                    f"formula refers to itself through {text}",
                    "a derived figure cannot depend on itself",
                )
            )
            return
        state[i] = "active"
        for j in deps[i]:
            visit(j, [*trail, i])
        state[i] = "done"
        order.append(i)

    for i in range(len(sheet.derived)):
        visit(i, [])
    return [i for i in order if i not in cyclic], problems


def explain(figure: Figure, figures: dict[str, Figure], fmt: Formatter) -> str:
    """The working of a derived figure in words: inputs, operation, result and rounding, in the site's language."""
    assert figure.formula is not None and figure.unrounded is not None and figure.places is not None
    bound = figure.unrounded_qualifier or figure.qualifier
    expression = re.sub(r"[a-z][a-z0-9_]*", lambda m: figures[m.group(0)].text, figure.formula)
    for op, sign in ((" / ", " ÷ "), (" * ", " × "), (" - ", " − ")):
        expression = expression.replace(op, sign)
    raw = raw_result(figure.unrounded, bound, fmt)
    step = fmt.number(Decimal(10) ** max(-figure.places, 0))
    rounded = fmt.words.rounded(figure.places, HEDGES[bound].side, step)
    return fmt.words.rounding.working.format(expression=expression, raw=raw, rounded=rounded, result=figure.text)


def raw_result(value: float, qualifier: str, fmt: Formatter) -> str:
    """A result before rounding, with its hedge: four decimals, cut (never rounded) and marked '…' when it goes on."""
    exact = decimal(value)
    cut = exact.quantize(Decimal("0.0001"), rounding=ROUND_DOWN)
    digits = fmt.number(cut) + ("…" if cut != exact else "")
    words = fmt.words.hedge(qualifier)
    return f"{words}{fmt.words.space}{digits}" if words else digits
