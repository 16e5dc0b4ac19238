"""What every chart spec is made of: marks, events and the fields every chart has."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from torchsite.inputs.facts import Ident, Strict, Text

Label = Annotated[str, Field(min_length=1, max_length=120)]
# Bars, parts, cards or events in one chart. On a 360 px phone, 60 bars at the smallest legible row height
# (about 22 px with its label) is already a 1,300 px chart; beyond it a table serves readers better, and the
# label layout and SVG export grow faster than the count (300 bars took 97 s to build).
MAX_MARKS = 60


class Mark(Strict):
    """One figure drawn as a bar or a segment, with the short label the chart shows."""

    fact: Ident = Field(description="The id of a fact or derived figure", examples=["land_share"])
    label: Label = Field(
        description="A short label for the axis, legend or card, without numbers", examples=["Share of the city's land"]
    )
    style: Literal["primary", "secondary"] = Field(
        "primary", description="primary (the accent: the subject) or secondary (the neutral: a baseline or the whole)"
    )


class Event(Strict):
    """One dated event on a timeline."""

    fact: Ident = Field(description="A fact whose value is a year, month or day, or whose as_of is a year")
    label: Label = Field(description="What happened, in a few words, without numbers")
    by: bool = Field(False, description="True when the source dates it only as 'by' that time")
    goal: bool = Field(False, description="True for a goal set for a future date")


class ChartBase(Strict):
    """What every chart has: an id, a title that states the finding, and its drawn height."""

    id: Ident = Field(
        description="A stable snake_case id: the chart's page is charts/ID/ and the story places it with {{chart:ID}}",
        examples=["footprint"],
    )
    title: Text = Field(description="The finding, in words; numbers only as {{fact_id}} references")
    note: str | None = Field(None, description="A sentence shown under the chart, without typed numbers")
    height: int = Field(360, ge=160, le=900, description="Height in pixels at the chart's full width (640)")
