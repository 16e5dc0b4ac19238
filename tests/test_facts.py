"""The fact model: the real sheet loads, and schema errors name file, line, field and hint."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from helpers.project import REPO, Result, edit, line_of
from torchsite.inputs import facts


def test_real_fact_sheet_loads() -> None:
    sheet = facts.load(REPO / "content" / "facts.yaml")
    ids = [f.id for f in sheet.facts]
    assert len(ids) == len(set(ids)) >= 25
    assert sheet.fact("output_latest").qualifier == "more_than"
    assert sheet.fact("output_latest").value == 300_000_000_000
    assert sheet.fact("land_share").qualifier == "less_than"
    assert sheet.sources[0].published is None  # the article states no date: never invented
    years = {f.value for f in sheet.facts if f.unit == "year"}
    assert years == {1992, 2006, 2020, 2035}  # only years the article states


def test_string_where_number_belongs(project: Path, cli: Callable[..., Result]) -> None:
    path = project / "content" / "facts.yaml"
    edit(path, "value: 146000000\n", "value: '146,000,000'\n")
    line = line_of(path, "'146,000,000'")
    result = cli("check")
    assert result.code == 1
    assert (
        f"content/facts.yaml:{line}:12: facts.output_start.value: expected a number, got '146,000,000' "
        "(hint: write plain digits without quotes or separators, e.g. 146000000)"
    ) in result.err


def test_unknown_key_and_bad_qualifier_reported_together(project: Path, cli: Callable[..., Result]) -> None:
    path = project / "content" / "facts.yaml"
    edit(path, "    label: Zone's share of Xiamen's land\n", "    lable: Zone's share of Xiamen's land\n")
    edit(
        path,
        '    qualifier: about\n    source: torch30\n    quote: "about 70',
        '    qualifier: more_then\n    source: torch30\n    quote: "about 70',
    )
    result = cli("check")
    assert result.code == 1
    lable = line_of(path, "lable:")
    approx = line_of(path, "qualifier: more_then")
    lines = result.err.splitlines()
    assert (
        f"content/facts.yaml:{lable}:5: facts.land_share.lable: unknown field 'lable' (hint: did you mean 'label'?)"
        in lines
    )
    assert (
        f"content/facts.yaml:{lable - 2}:5: facts.land_share: required field 'label' is missing "
        "(hint: add 'label:' here)"
    ) in lines
    assert (
        f"content/facts.yaml:{approx}:16: facts.software_revenue_share.qualifier: expected one of exact, about, "
        "nearly, more_than, less_than, at_least, at_most; got 'more_then' (hint: did you mean 'more_than'?)"
    ) in lines
    assert lines[-1] == "torchsite: 3 problems; nothing was written"


def test_duplicate_fact_id(project: Path, cli: Callable[..., Result]) -> None:
    path = project / "content" / "facts.yaml"
    edit(path, "  - id: sub_areas\n", "  - id: zone_age\n")
    first, second = line_of(path, "id: zone_age"), line_of(path, "id: zone_age") + 0
    text = path.read_text(encoding="utf-8").splitlines()
    second = [i for i, line in enumerate(text, start=1) if line == "  - id: zone_age"][1]
    result = cli("check")
    assert result.code == 1
    assert (
        f"content/facts.yaml:{second}:9: facts.zone_age.id: duplicate id 'zone_age' (first used on line {first}) "
        "(hint: give each fact, derived figure and claim its own id)"
    ) in result.err


DAY = '    value: "--05-09"\n    unit: day\n'
NO_DATE = "    published: null\n"


def test_a_day_without_a_year_takes_the_year_of_publication_where_the_sheet_says_so(
    project: Path, cli: Callable[..., Result]
) -> None:
    """year_from: published places the day on the timeline and in every table, with a note on where its year is from."""
    path = project / "content" / "facts.yaml"
    edit(path, NO_DATE, "    published: '2020-11-02'\n")
    edit(path, DAY, DAY + "    year_from: published\n")
    result = cli("build", "-q")
    assert result.code == 0, result.err
    out = project / "dist"
    note = "The source gives the day as May 9, without a year; 2020 is the year it was published."
    sheet = (out / "facts" / "index.html").read_text(encoding="utf-8")
    assert "<strong>May 9, 2020</strong>" in sheet and note in sheet
    drawn = (out / "data" / "charts" / "milestones.csv").read_text(encoding="utf-8")
    assert "torch_university_founded" in drawn and ",2020-05-09," in drawn and "'--05-09" not in drawn
    chart = (out / "charts" / "milestones" / "index.html").read_text(encoding="utf-8")
    assert "May 9, 2020" in chart and "Not placed on the axis" not in chart
    said = "Xiamen Torch University established (the source gives no year: this is the year it was published)"
    assert said in chart


def test_year_from_needs_a_day_without_a_year_and_a_date_of_publication(
    project: Path, cli: Callable[..., Result]
) -> None:
    path = project / "content" / "facts.yaml"
    edit(path, DAY, DAY + "    year_from: published\n")
    edit(path, "    value: 1992\n    unit: year\n", "    value: 1992\n    unit: year\n    year_from: published\n")
    first, second = line_of(path, "value: 1992") + 2, line_of(path, 'value: "--05-09"') + 2
    assert cli("check").err.splitlines() == [
        f"content/facts.yaml:{first}:16: facts.abb_arrival.year_from: year_from dates a day written without a year "
        "('--MM-DD'), not 1992 (hint: remove year_from, or write the day as '--MM-DD')",
        f"content/facts.yaml:{second}:16: facts.torch_university_founded.year_from: source 'torch30' gives no "
        "publication date to take the year from (hint: give the source its published: 'YYYY-MM-DD', or remove "
        "year_from)",
        "torchsite: 2 problems; nothing was written",
    ]
