"""Formulas: a safe evaluator over figure ids that carries hedges as bounds (interval arithmetic)."""

from __future__ import annotations

import ast
import math
import re
from dataclasses import dataclass

from torchsite.inputs.hedges import HEDGES
from torchsite.inputs.yamldoc import MAX_DIGITS

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


class FormulaError(Exception):
    """A formula that cannot be evaluated, with a hint."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message, self.hint = message, hint


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


MAX_FORMULA_CHARS = 2_000  # as any text field; a formula a reader can follow is a line or two
MAX_TERMS = 50  # ids and numbers in one formula: the site shows the formula, and fifty terms is past readable
MAX_DEPTH = 100  # nested operations (a chain of fifty terms is fifty deep): far below Python's stack


def parse(formula: str) -> ast.expr:
    """Parse a formula, allowing only + - * /, parentheses, numbers and ids, within the bounds above."""
    if len(formula) > MAX_FORMULA_CHARS:
        raise FormulaError(
            f"a formula of {len(formula):,} characters; formulas have at most {MAX_FORMULA_CHARS:,}", _SPLIT
        )
    try:
        tree = ast.parse(formula, mode="eval").body
    except SyntaxError:
        raise FormulaError(
            f"cannot parse formula '{_short(formula)}'", "use fact ids, numbers, + - * / and parentheses"
        ) from None
    except (RecursionError, MemoryError):  # nesting deeper than Python's parser takes
        raise FormulaError(f"a formula nested more than {MAX_DEPTH} deep; formulas have at most that", _SPLIT) from None
    _check_size(tree, formula)
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


_SPLIT = "split it into derived figures that build on each other"


def _short(formula: str) -> str:
    """A formula as a message quotes it: at most 60 characters."""
    return formula if len(formula) <= 60 else formula[:59] + "…"


def _check_size(tree: ast.expr, formula: str) -> None:
    """Refuse a formula with too many terms, too deep a nesting, or a number of more digits than a figure has."""
    terms = [node for node in ast.walk(tree) if isinstance(node, ast.Name | ast.Constant)]
    if len(terms) > MAX_TERMS:
        raise FormulaError(f"a formula of {len(terms):,} terms; formulas have at most {MAX_TERMS}", _SPLIT)
    stack: list[tuple[ast.AST, int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise FormulaError(f"a formula nested more than {MAX_DEPTH} deep; formulas have at most that", _SPLIT)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node) if isinstance(child, ast.expr))
    for node in terms:
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
            text = ast.get_source_segment(formula, node) or ""
            digits = sum(c.isdigit() for c in re.split(r"[eE]", text)[0])
            if digits > MAX_DIGITS:
                message = f"the number '{_short(text)}' has {digits:,} digits; figures have at most {MAX_DIGITS}"
                raise FormulaError(message, "check the number")
            if not math.isfinite(node.value) or abs(node.value) >= 10**MAX_DIGITS:
                message = f"the number '{_short(text)}' is larger than a figure of {MAX_DIGITS} digits can be"
                raise FormulaError(message, "check the number")


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
    """A bound computed from two others: approximate or open if either is; an overflow is an error."""
    if math.isfinite(x.value) and math.isfinite(y.value) and not math.isfinite(value):
        raise FormulaError("the result is too large for a number", "check the formula's inputs and operations")
    return Bound(value, x.approx or y.approx, x.open or y.open)
