"""Warnings: content that is allowed but probably wrong; `--strict` makes them errors."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from torchsite.errors import Problem, Severity
from torchsite.inputs.facts import FactSheet
from torchsite.inputs.figures import Figure
from torchsite.inputs.grammar import ENGLISH, Grammar
from torchsite.inputs.hedges import APPROX, LOWER, UPPER, decimal
from torchsite.inputs.sourcecheck import quote_warnings
from torchsite.inputs.story import Sentence, opening
from torchsite.inputs.units import UnitSpec

ONE_SIDED = LOWER | UPPER


def warnings(
    sheet: FactSheet,
    figures: dict[str, Figure],
    used: Iterable[str],
    *,
    quotes: bool = True,
    grammar: Grammar = ENGLISH,
    units: Mapping[str, UnitSpec] | None = None,
) -> list[Problem]:
    """Every warning about the fact sheet, given the ids the story, key figures and charts cite; quotes are read
    with the project's grammar (its own hedge words) and units, as `check --source` reads them."""
    found = unused(sheet, figures, set(used)) + over_full(sheet, figures) + false_precision(sheet, figures)
    if quotes:  # without a source, a value that disagrees with its own quote is a warning
        found += quote_warnings(sheet, grammar, units)
    return [p.as_severity(Severity.WARNING) for p in found]


def uncited_figures(
    name: str, sentences: Iterable[Sentence], sheet: FactSheet, figures: dict[str, Figure]
) -> list[Problem]:
    """A sentence that shows a figure none of the claims it cites involves (each claim lists its facts): the
    citation probably names the wrong passage. Claims that list no facts are not judged."""
    involves = {claim.id: set(claim.facts) for claim in sheet.claims}
    problems = []
    for sentence in sentences:
        cited = [c for c in sentence.claims if c in involves]
        if not cited or any(not involves[c] for c in cited):
            continue
        for ident in dict.fromkeys(sentence.facts):
            figure = figures.get(ident)
            reach = {ident, *(figure.inputs if figure is not None else ())}
            if any(reach & involves[c] for c in cited):
                continue
            claims = ", ".join(f"[[{c}]]" for c in cited)
            problems.append(
                Problem(
                    name,
                    sentence.line,
                    sentence.col,
                    "story",
                    f"the sentence '{opening(sentence.text)}' shows {{{{{ident}}}}}, but the claims it cites "
                    f"({claims}) do not involve it",
                    f"cite the claim whose passage states it, or add '{ident}' to the facts: of the claim that does",
                    Severity.WARNING,
                )
            )
    return problems


def used_by_formulas(figures: dict[str, Figure]) -> set[str]:
    """The ids some derived figure's formula uses."""
    return {ident for figure in figures.values() for ident in figure.inputs}


def unused(sheet: FactSheet, figures: dict[str, Figure], used: set[str]) -> list[Problem]:
    """Facts and derived figures that nothing cites: probably a typo in a reference, or dead weight."""
    used = used | used_by_formulas(figures)
    entries = [("facts", i, f.id) for i, f in enumerate(sheet.facts)]
    entries += [("derived", i, d.id) for i, d in enumerate(sheet.derived)]
    return [
        sheet.problem(
            (group, i, "id"),
            f"'{ident}' is not used by the story, the key figures, a chart or a formula",
            f"cite it in content/story.md as {{{{{ident}}}}}, or remove it",
        )
        for group, i, ident in entries
        if ident not in used
    ]


def over_full(sheet: FactSheet, figures: dict[str, Figure]) -> list[Problem]:
    """Percentages over 100: a share cannot exceed the whole."""
    places = {f.id: ("facts", i, "value") for i, f in enumerate(sheet.facts)}
    places |= {d.id: ("derived", i, "formula") for i, d in enumerate(sheet.derived)}
    return [
        sheet.problem(
            places[figure.id],
            f"{figure.text} is over 100%",
            "a share cannot exceed the whole: check the value, or give growth another unit (e.g. times)",
        )
        for figure in figures.values()
        if figure.unit == "percent" and figure.is_number and figure.value > 100  # type: ignore[operator]
    ]


def false_precision(sheet: FactSheet, figures: dict[str, Figure]) -> list[Problem]:
    """Derived figures shown with more significant digits than their least precise approximate input."""
    problems = []
    for index, d in enumerate(sheet.derived):
        figure = figures.get(d.id)
        if figure is None or figure.qualifier in ONE_SIDED or not figure.value:
            continue  # a bound rounded the safe way claims no precision
        approximate = [figures[i] for i in figure.inputs if figures[i].qualifier in APPROX]
        if not approximate:
            continue  # exact inputs are exact: the site's rounding says how precise the result is
        least = min(approximate, key=lambda f: significant_digits(f.value))  # type: ignore[arg-type]
        allowed = significant_digits(least.value)  # type: ignore[arg-type]
        shown = decimal(figure.value).adjusted() + 1 + d.round  # type: ignore[arg-type]
        if shown > allowed:
            problems.append(
                sheet.problem(
                    ("derived", index, "round"),
                    f"{figure.text} shows {shown} significant digits, but its input '{least.id}' "
                    f"({least.text}) has only {allowed}",
                    f"set round: {d.round - (shown - allowed)}",
                )
            )
    return problems


def significant_digits(value: float | int) -> int:
    """How many significant digits a stated number has (trailing zeros of a whole number do not count)."""
    d = decimal(value)
    return max(len(d.normalize().as_tuple().digits), 1) if d else 1


def strict(problems: Iterable[Problem]) -> list[Problem]:
    """Warnings made errors (notes stay notes)."""
    return [p.as_severity(Severity.ERROR) if p.severity is Severity.WARNING else p for p in problems]
