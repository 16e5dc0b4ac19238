"""Chart specs (content/charts.yaml): a strict model an editor writes, checked against the figures."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationError
from pydantic_core import ErrorDetails

from torchsite.errors import ContentError, Problem
from torchsite.inputs import story
from torchsite.inputs.diagnostics import Key, choices, closest, fields_at, schema_problem
from torchsite.inputs.facts import Ident, Strict, Text
from torchsite.inputs.figures import Figure
from torchsite.inputs.hedges import DATE_UNITS, decimal
from torchsite.inputs.yamldoc import Document
from torchsite.inputs.yamldoc import load as load_yaml

Label = Annotated[str, Field(min_length=1, max_length=120)]
_YEAR = re.compile(r"\d{4}(-(0[1-9]|1[0-2]))?")


class Mark(Strict):
    """One figure drawn as a bar or a segment, with the short label the chart shows."""

    fact: Ident = Field(description="The id of a fact or derived figure")
    label: Label = Field(description="A short label for the axis or legend, without numbers")
    style: Literal["primary", "secondary"] = Field("primary", description="Which of the two chart colours to use")


class Event(Strict):
    """One dated event on a timeline."""

    fact: Ident = Field(description="A fact whose value is a year, month or day, or whose as_of is a year")
    label: Label = Field(description="What happened, in a few words, without numbers")
    by: bool = Field(False, description="True when the source dates it only as 'by' that time")
    goal: bool = Field(False, description="True for a goal set for a future date")


class ChartBase(Strict):
    """What every chart has: an id, a title that states the finding, and its drawn height."""

    id: Ident
    title: Text = Field(description="The finding, in words; numbers only as {{fact_id}} references")
    note: str | None = Field(None, description="A sentence shown under the chart, without typed numbers")
    height: int = Field(360, ge=160, le=900, description="Height in pixels at the chart's full width (640)")


class SharesChart(ChartBase):
    """Horizontal bars of percentages of one whole (hedged bars drawn as bounds)."""

    type: Literal["shares"]
    bars: list[Mark] = Field(min_length=1)


class ThenNowChart(ChartBase):
    """Two values of one quantity, start and end, and the multiple between them: never a series."""

    type: Literal["then_now"]
    start: Mark
    end: Mark
    multiple: Ident | None = Field(None, description="A derived figure in 'times' relating end to start")
    scale: Literal["linear", "log"] = "linear"


class PartsChart(ChartBase):
    """Parts stacked into a total; the parts must add up to the total."""

    type: Literal["parts"]
    parts: list[Mark] = Field(min_length=2)
    total: Ident


class TimelineChart(ChartBase):
    """Events placed on a year axis; events the source gives no year for are listed, not placed."""

    type: Literal["timeline"]
    events: list[Event] = Field(min_length=1)


class CardsChart(ChartBase):
    """Key figures as cards, where a chart would compare things that do not compare."""

    type: Literal["cards"]
    cards: list[Mark] = Field(min_length=1)


ChartSpec = Annotated[SharesChart | ThenNowChart | PartsChart | TimelineChart | CardsChart, Field(discriminator="type")]
TYPES: dict[str, type[ChartBase]] = {
    "shares": SharesChart,
    "then_now": ThenNowChart,
    "parts": PartsChart,
    "timeline": TimelineChart,
    "cards": CardsChart,
}


class ChartFile(Strict):
    """The whole charts.yaml."""

    charts: list[ChartSpec] = Field(default_factory=list)


def load(path: Path, figures: dict[str, Figure]) -> list[ChartSpec]:
    """Load and validate charts.yaml; a missing file means no charts."""
    if not path.exists():
        return []
    doc = load_yaml(path)
    try:
        spec = ChartFile.model_validate(doc.data)
    except ValidationError as exc:
        raise ContentError(locate(doc, err) for err in exc.errors()) from None
    problems = check(doc, spec.charts, figures)
    if problems:
        raise ContentError(problems)
    return list(spec.charts)


def locate(doc: Document, err: ErrorDetails) -> Problem:
    """A pydantic error as a located problem; the union's tag is dropped from the path."""
    loc = list(err["loc"])
    member: type[ChartBase] | None = None
    if len(loc) >= 3 and loc[0] == "charts" and isinstance(loc[1], int) and loc[2] in TYPES:
        member = TYPES[str(loc.pop(2))]
    if err["type"] == "union_tag_invalid":
        got = err.get("ctx", {}).get("tag", "")
        return doc.problem((*loc, "type"), f"unknown chart type '{got}'", choices(str(got), list(TYPES)))
    if err["type"] == "union_tag_not_found":
        return doc.problem(
            tuple(loc), "required field 'type' is missing", "add 'type:' with one of: " + ", ".join(TYPES)
        )
    problem = schema_problem(doc, {**err, "loc": tuple(loc)}, ChartFile)
    if err["type"] == "extra_forbidden" and member is not None:
        allowed = fields_at(member, tuple(loc[2:-1]))
        problem = replace(problem, hint=choices(str(loc[-1]), allowed))
    return problem


def check(doc: Document, charts: list[ChartSpec], figures: dict[str, Figure]) -> list[Problem]:
    """Ids unique, every referenced figure known and of a kind the chart type can draw."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for i, chart in enumerate(charts):
        here: Key = ("charts", i)
        if chart.id in seen:
            first = doc.position(("charts", seen[chart.id], "id"))[0]
            problems.append(
                doc.problem(
                    (*here, "id"),
                    f"duplicate chart id '{chart.id}' (first used on line {first})",
                    "give each chart its own id: it is the slug of its page, charts/ID/",
                )
            )
        seen.setdefault(chart.id, i)
        problems += _check_text(doc, (*here, "title"), chart.title, figures)
        if chart.note:
            problems += _check_text(doc, (*here, "note"), chart.note, figures)
        problems += _check_marks(doc, here, chart, figures)
    return problems


def _check_text(doc: Document, path: Key, text: str, figures: dict[str, Figure]) -> list[Problem]:
    """A title or note follows the story's rules: references resolve, no typed digits."""
    found, _ = story.check(text, doc.name, {i: f.as_of for i, f in figures.items()}, charts=())
    return [doc.problem(path, p.message, p.hint) for p in found]


def _check_marks(doc: Document, here: Key, chart: ChartSpec, figures: dict[str, Figure]) -> list[Problem]:
    """Each mark names a known figure that this chart type can draw."""
    problems: list[Problem] = []
    for path, ident in references(chart):
        where = (*here, *path)
        if ident not in figures:
            problems.append(doc.problem(where, f"unknown fact '{ident}'", closest(ident, figures)))
            continue
        wrong = _unfit(chart, path, figures[ident])
        if wrong:
            problems.append(doc.problem(where, wrong[0], wrong[1]))
    if not problems and isinstance(chart, PartsChart):
        problems += _check_sum(doc, here, chart, figures)
    if (
        not problems
        and isinstance(chart, ThenNowChart)
        and figures[chart.start.fact].unit != figures[chart.end.fact].unit
    ):
        problems.append(doc.problem((*here, "end", "fact"), "start and end must have the same unit"))
    return problems


def references(chart: ChartSpec) -> list[tuple[Key, str]]:
    """Every figure id a chart draws, with its path inside the chart's entry."""
    if isinstance(chart, SharesChart):
        return [(("bars", i, "fact"), m.fact) for i, m in enumerate(chart.bars)]
    if isinstance(chart, ThenNowChart):
        refs: list[tuple[Key, str]] = [(("start", "fact"), chart.start.fact), (("end", "fact"), chart.end.fact)]
        return [*refs, (("multiple",), chart.multiple)] if chart.multiple else refs
    if isinstance(chart, PartsChart):
        return [*((("parts", i, "fact"), m.fact) for i, m in enumerate(chart.parts)), (("total",), chart.total)]
    if isinstance(chart, TimelineChart):
        return [(("events", i, "fact"), e.fact) for i, e in enumerate(chart.events)]
    return [(("cards", i, "fact"), m.fact) for i, m in enumerate(chart.cards)]


def _unfit(chart: ChartSpec, path: Key, figure: Figure) -> tuple[str, str] | None:
    """Why a figure cannot be drawn where the spec puts it, or None."""
    if isinstance(chart, TimelineChart):
        if figure.unit in ("year", *DATE_UNITS) or (figure.as_of and _YEAR.fullmatch(figure.as_of)):
            return None
        return (
            f"'{figure.id}' has no date: its unit is {figure.unit} and its as_of is {figure.as_of or 'not set'}",
            "a timeline event needs a fact whose value is a year, month or day, or whose as_of is 'YYYY'",
        )
    if isinstance(chart, CardsChart):
        return None
    if not figure.is_number or figure.unit in ("year",):
        return f"'{figure.id}' is a date, not an amount", "this chart draws amounts; dates belong on a timeline"
    if isinstance(chart, SharesChart) and figure.unit != "percent":
        return f"'{figure.id}' is in {figure.unit}, not percent", "a shares chart draws percentages of a whole"
    if isinstance(chart, ThenNowChart) and path == ("multiple",) and figure.unit != "times":
        return f"'{figure.id}' is in {figure.unit}, not times", "the multiple is a derived figure with unit: times"
    return None


def _check_sum(doc: Document, here: Key, chart: PartsChart, figures: dict[str, Figure]) -> list[Problem]:
    """The parts of a parts chart are in the total's unit and add up to it."""
    total = figures[chart.total]
    units = {figures[m.fact].unit for m in chart.parts} | {total.unit}
    if len(units) > 1:
        return [doc.problem((*here, "total"), "parts and total must share one unit, got " + ", ".join(sorted(units)))]
    added = sum((decimal(_number(figures[m.fact])) for m in chart.parts), Decimal(0))
    if added != decimal(_number(total)):
        return [
            doc.problem(
                (*here, "total"),
                f"the parts add up to {added:,f}, not to {total.id} ({decimal(_number(total)):,f})",
                "a parts chart shows a whole split into parts; check the facts or the parts listed",
            )
        ]
    return []


def _number(figure: Figure) -> float | int:
    """A figure's value, known to be a number."""
    assert not isinstance(figure.value, str)
    return figure.value


def used(charts: list[ChartSpec]) -> list[str]:
    """Every figure id the charts draw or cite in their titles and notes."""
    ids = [ident for chart in charts for _, ident in references(chart)]
    texts = [t for chart in charts for t in (chart.title, chart.note) if t]
    return ids + [m.group(1).partition(":")[0] for text in texts for m in story.REF.finditer(text)]
