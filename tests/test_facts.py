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
