"""Derived figures: a safe formula evaluator over fact ids that carries hedges as bounds."""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal

from torchsite.errors import ContentError, Problem
from torchsite.inputs.facts import Derived, Fact, FactSheet, declared
from torchsite.inputs.hedges import HEDGES, round_decimal
from torchsite.inputs.yamldoc import Document
from torchsite.render.formatting import format_value

INF = math.inf


@dataclass(frozen=True)
class Bound:
    """One end of the range a true value lies in."""

    value: float
    approx: bool = False  # the value itself is only approximate ("about", "nearly")
    open: bool = False  # the true value cannot equal it ("more than", "less than")


@dataclass(frozen=True)
class Range:
    """Where a true value lies, given what the source says of it."""

    lo: Bound
    hi: Bound

    @classmethod
    def of(cls, value: float, qualifier: str) -> Range:
        """The range a hedged figure allows (quantities here are never negative)."""
        v, h = float(value), HEDGES[qualifier]
        stated = Bound(v, approx=h.approx)
        if h.side == "lower":
            return cls(Bound(v, open=h.open), Bound(INF))
        if h.side == "upper":
            return cls(Bound(0.0), Bound(v, open=h.open))
        return cls(stated, Bound(v) if h.below else stated)


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
        """The editor's note on the figure, if any."""
        return self.entry.note if self.entry is not None else None


class FormulaError(Exception):
    """A formula that cannot be evaluated, with a hint."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message, self.hint = message, hint


def compute(sheet: FactSheet) -> dict[str, Figure]:
    """Every fact and derived figure, in sheet order, ready to display."""
    figures = {f.id: fact_figure(f) for f in sheet.facts}
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
            figure = derived_figure(d, result, names(tree))
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
    items = doc.data.get("derived") if isinstance(doc.data, dict) else None
    problems = []
    for index, item in enumerate(items if isinstance(items, list) else []):
        formula = item.get("formula") if isinstance(item, dict) else None
        if not isinstance(formula, str):
            continue  # missing or not text: a schema problem, reported as such
        try:
            missing = [n for n in names(parse(formula)) if n not in known]
            if missing:
                raise unknown_input(missing[0], ())
        except FormulaError as exc:
            problems.append(doc.problem(("derived", index, "formula"), exc.message, exc.hint))
    return problems


def fact_figure(fact: Fact) -> Figure:
    """A stated fact as a figure."""
    return Figure(
        fact.id,
        fact.label,
        "fact",
        fact.value,
        fact.unit,
        fact.qualifier,
        None,
        fact.theme,
        format_value(fact.value, fact.unit, fact.qualifier),
        fact.as_of,
        entry=fact,
    )


def derived_figure(d: Derived, result: Range, inputs: list[str]) -> Figure:
    """Round a computed range to a hedged figure that claims no more than its inputs."""
    bound, raw = hedge(result)
    rounded = round_decimal(Decimal(repr(raw)), d.round, bound)
    qualifier = "about" if bound == "exact" and rounded != Decimal(repr(raw)) else bound
    value: float | int = int(rounded) if d.round <= 0 else float(rounded)
    return Figure(
        d.id,
        d.label,
        "derived",
        value,
        d.unit,
        qualifier,
        d.round,
        d.theme,
        format_value(value, d.unit, qualifier, d.round),
        None,
        d.formula,
        tuple(inputs),
        raw,
        bound,
        entry=d,
    )


def hedge(r: Range) -> tuple[str, float]:
    """The qualifier and number that honestly describe a range."""
    lo, hi = r.lo, r.hi
    if lo.value == hi.value and math.isfinite(lo.value):
        if lo.approx and not hi.approx:
            return "nearly", hi.value
        return ("about" if lo.approx or hi.approx else "exact"), lo.value
    if hi.value == INF and lo.value > 0:
        if lo.approx:
            raise FormulaError(
                "the result is open-ended above an approximate figure, so no honest hedge exists",
                "avoid combining 'about' or 'nearly' figures with 'more than' or 'less than' ones",
            )
        return ("more_than" if lo.open else "at_least"), lo.value
    if lo.value <= 0 and math.isfinite(hi.value):
        if hi.approx:
            raise FormulaError(
                "the result is open-ended below an approximate figure, so no honest hedge exists",
                "avoid combining 'about' or 'nearly' figures with 'more than' or 'less than' ones",
            )
        return ("less_than" if hi.open else "at_most"), hi.value
    raise FormulaError(
        f"the result is only known to lie between {lo.value:g} and {hi.value:g}",
        "the site states one hedged number per figure; rework the formula",
    )


_ALLOWED = (ast.BinOp, ast.UnaryOp, ast.Name, ast.Constant, ast.Load, ast.USub, ast.Add, ast.Sub, ast.Mult, ast.Div)


def parse(formula: str) -> ast.expr:
    """Parse a formula, allowing only + - * /, parentheses, numbers and ids."""
    try:
        tree = ast.parse(formula, mode="eval").body
    except SyntaxError:
        raise FormulaError(
            f"cannot parse formula '{formula}'", "use fact ids, numbers, + - * / and parentheses"
        ) from None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else ast.unparse(node.func)
            raise FormulaError(f"unknown function '{name}'", "formulas use only + - * / and parentheses")
        if not isinstance(node, _ALLOWED):
            raise FormulaError(
                f"'{ast.unparse(node)}' is not allowed in a formula", "use fact ids, numbers, + - * / and parentheses"
            )
        if isinstance(node, ast.Constant) and (isinstance(node.value, bool) or not isinstance(node.value, int | float)):
            raise FormulaError(f"'{node.value!r}' is not a number", "use fact ids and numbers only")
    return tree


def names(tree: ast.expr) -> list[str]:
    """The ids a formula refers to, in order of first use."""
    return list(dict.fromkeys(n.id for n in ast.walk(tree) if isinstance(n, ast.Name)))


def evaluate(node: ast.expr, ranges: dict[str, Range]) -> Range:
    """Evaluate a parsed formula over the ranges of its inputs."""
    if isinstance(node, ast.Name):
        return ranges[node.id]
    if isinstance(node, ast.Constant):
        assert isinstance(node.value, int | float)
        return Range.of(float(node.value), "exact")
    if isinstance(node, ast.UnaryOp):
        inner = evaluate(node.operand, ranges)
        return Range(_neg(inner.hi), _neg(inner.lo))
    assert isinstance(node, ast.BinOp)
    a, b = evaluate(node.left, ranges), evaluate(node.right, ranges)
    if isinstance(node.op, ast.Add):
        return Range(_combine(a.lo, b.lo, a.lo.value + b.lo.value), _combine(a.hi, b.hi, a.hi.value + b.hi.value))
    if isinstance(node.op, ast.Sub):
        return Range(_combine(a.lo, b.hi, a.lo.value - b.hi.value), _combine(a.hi, b.lo, a.hi.value - b.lo.value))
    if isinstance(node.op, ast.Div):
        if b.lo.value <= 0 <= b.hi.value and (b.lo.value == b.hi.value or b.lo.value < 0):
            raise FormulaError(f"division by zero in '{ast.unparse(node)}'", "the divisor is zero or could be zero")
        b = Range(_inverse(b.hi), _inverse(b.lo))
    if a.lo.value < 0 or b.lo.value < 0:
        raise FormulaError(
            f"'{ast.unparse(node)}' multiplies or divides a possibly negative amount",
            "formulas work on non-negative figures; reorder the subtraction",
        )
    # For non-negative ranges both ends move together: low times low, high times high.
    return Range(_combine(a.lo, b.lo, _mul(a.lo.value, b.lo.value)), _combine(a.hi, b.hi, _mul(a.hi.value, b.hi.value)))


def _mul(x: float, y: float) -> float:
    """Multiply, taking 0 times infinity as 0 (an empty bound stays empty)."""
    return 0.0 if 0 in (x, y) else x * y


def _inverse(b: Bound) -> Bound:
    """1/b for a bound of a positive divisor."""
    return Bound(INF if b.value == 0 else 0.0 if b.value == INF else 1 / b.value, b.approx, b.open)


def _neg(b: Bound) -> Bound:
    """-b."""
    return Bound(-b.value, b.approx, b.open)


def _combine(x: Bound, y: Bound, value: float) -> Bound:
    """A bound computed from two others: approximate or open if either is."""
    return Bound(value, x.approx or y.approx, x.open or y.open)


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


_ROUNDING = {0: "to a whole number", -1: "to tens", -2: "to hundreds", -3: "to thousands"}


def explain(figure: Figure, figures: dict[str, Figure]) -> str:
    """The working of a derived figure in words: inputs, operation, result and rounding."""
    assert figure.formula is not None and figure.unrounded is not None and figure.places is not None
    bound = figure.unrounded_qualifier or figure.qualifier
    expression = re.sub(r"[a-z][a-z0-9_]*", lambda m: figures[m.group(0)].text, figure.formula)
    for op, sign in ((" / ", " ÷ "), (" * ", " × "), (" - ", " − ")):
        expression = expression.replace(op, sign)
    raw = format_value(round(figure.unrounded, 4), "count", bound)
    places = _ROUNDING.get(
        figure.places,
        f"to {figure.places} decimal places" if figure.places > 0 else f"to the nearest {10**-figure.places:,}",
    )
    way = {"lower": "down", "upper": "up"}.get(HEDGES[bound].side or "", "")
    rounded = f"rounded {way} {places}" if way else f"rounded {places}"
    return f"{expression} = {raw}; {rounded}: {figure.text}."
