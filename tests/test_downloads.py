"""The downloads as a reader with a spreadsheet or a program meets them: typed columns, unit labels, one name
for the verbatim quote, derived figures' formulas, and corrections in the CSV and JSON alike."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from pathlib import Path

from helpers.html import read_page
from helpers.project import Result, Site, edit
from torchsite.render.downloads import NUMERIC_COLUMNS

NUMBER = re.compile(r"-?\d+(\.\d+)?")
ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?|'--\d{2}-\d{2}")  # a year, month or day; a yearless day as text


def table(path: Path) -> list[dict[str, str]]:
    """A built CSV's rows, read the way a program reads them (the csv module, RFC 4180 quoting)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def by_id(rows: list[dict[str, str]], key: str = "id") -> dict[str, dict[str, str]]:
    """Rows keyed by one column."""
    return {row[key]: row for row in rows}


def every_csv(site: Path) -> list[Path]:
    """Every CSV the data page offers."""
    return sorted((site / "data").rglob("*.csv"))


def test_value_holds_numbers_only_and_dates_have_their_own_column(real_site: Site) -> None:
    for path in every_csv(real_site.out):
        rows = table(path)
        for row in rows:
            for column in NUMERIC_COLUMNS & set(row):
                assert row[column] == "" or NUMBER.fullmatch(row[column]), (path.name, row.get("id"), column)
            if "date" in row:
                assert row["date"] == "" or ISO_DATE.fullmatch(row["date"]), (path.name, row)
                if row["unit"] in ("year", "month", "day"):
                    assert row["value"] == "" and row["date"], (path.name, row["id"])
                else:
                    assert row["date"] == "" and row["value"], (path.name, row["id"])
    facts = by_id(table(real_site.out / "data" / "facts.csv"))
    dated = {i: (r["value"], r["date"], r["text"]) for i, r in facts.items() if r["date"]}
    assert dated["abb_arrival"] == ("", "1992", "1992")
    assert dated["service_platforms_launch"] == ("", "2020-10", "October 2020")
    assert dated["torch_university_founded"] == ("", "'--05-09", "May 9")  # text: never a sum, never this year's May 9
    assert (facts["output_latest"]["value"], facts["output_latest"]["date"]) == ("300000000000", "")
    assert facts["output_growth"]["unrounded"] == "2054.794520547945"
    milestones = by_id(table(real_site.out / "data" / "charts" / "milestones.csv"))
    assert (milestones["torch_university_founded"]["date"], milestones["goal_year"]["date"]) == ("'--05-09", "2035")
    assert milestones["businesses"]["value"] == "10000"


def test_unit_labels_sit_beside_the_codes(real_site: Site) -> None:
    labels = {(r["unit"], r["unit_label"]) for r in table(real_site.out / "data" / "facts.csv")}
    assert {
        ("CNY", "yuan"),
        ("USD", "US dollars"),
        ("CNY_per_USD", "yuan per US dollar"),
        ("percent", "%"),
        ("km2", "km²"),
        ("people", "people"),
        ("times", "times"),
        ("years", "years"),
        ("months", "months"),
        ("count", ""),  # a bare count has no unit to name
        ("year", ""),
    } <= labels
    assert len({unit for unit, _ in labels}) == len(labels)  # one label per unit
    footprint = table(real_site.out / "data" / "charts" / "footprint.csv")
    assert {(r["unit"], r["unit_label"]) for r in footprint} == {("percent", "%")}


def test_the_quote_has_one_name_and_derived_rows_give_their_formula(real_site: Site) -> None:
    for path in every_csv(real_site.out):
        header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
        assert "evidence" not in header, path.name
        assert path.name == "corrections.csv" or {"quote", "formula"} <= set(header), path.name
    data = real_site.text("data/index.html")
    assert "evidence" not in data and "<code>quote</code>" in data
    facts = by_id(table(real_site.out / "data" / "facts.csv"))
    growth, latest = facts["output_growth"], facts["output_latest"]
    assert (growth["quote"], growth["formula"]) == ("", "output_latest / output_start")
    assert (latest["quote"], latest["formula"]) == ("to more than 300 billion yuan", "")
    fund = by_id(table(real_site.out / "data" / "charts" / "fund.csv"))
    assert (fund["fund_added"]["quote"], fund["fund_added"]["formula"]) == ("", "fund_total - fund_initial")
    assert fund["fund_total"]["quote"] == "increasing the total amount to 9.02 billion yuan"  # verbatim, unquoted


def test_hedges_and_periods_stay_in_every_download(real_site: Site) -> None:
    for path in every_csv(real_site.out):
        for row in table(path):
            if path.name == "corrections.csv":
                continue
            assert {"qualifier", "hedge", "as_of", "text"} <= set(row), path.name
            words = {"exact": "", "more_than": "more than", "less_than": "less than"}.get(row["qualifier"])
            assert words is None or row["hedge"] == words, (path.name, row["id"])
            assert row["text"].startswith(row["hedge"]), (path.name, row["id"])
    output = by_id(table(real_site.out / "data" / "charts" / "output.csv"))
    assert (output["output_latest"]["hedge"], output["output_latest"]["as_of"]) == (
        "more than",
        "at the time of the report",
    )
    fund = by_id(table(real_site.out / "data" / "charts" / "fund.csv"))
    assert fund["fund_initial"]["as_of"] == "in 2020"
    sheet = json.loads(real_site.text("data/facts.json"))
    businesses = next(f for f in sheet["facts"] if f["id"] == "businesses")
    assert (businesses["qualifier"], businesses["as_of"]) == ("more_than", "by 2020")


CORRECTED = {
    "  - id: output_start\n": """
    corrections:
      - date: '2026-11-20'
        previous: 164000000
        note: "=The starting output was mistyped; the report gives the figure shown above."
      - date: '2026-11-25'
        previous: 146000000
        previous_qualifier: about
        note: "A hedge was added by mistake: the report states the figure exactly."
""",
    "  - id: torch_university_founded\n": """
    corrections:
      - date: '2026-11-22'
        previous: '--05-08'
        note: "The day was off by one."
""",
}


def add_corrections(project: Path) -> None:
    """Give two facts of the project copy corrections: one a number (twice), one a day without a year."""
    path = project / "content" / "facts.yaml"
    text = path.read_text(encoding="utf-8")
    for start, block in CORRECTED.items():
        end = text.index("\n\n", text.index(start))
        text = text[:end] + block.rstrip("\n") + text[end:]
    path.write_text(text, encoding="utf-8")


def test_corrections_reach_the_json_and_the_csv(project: Path, cli: Callable[..., Result]) -> None:
    add_corrections(project)
    result = cli("build", "-q")
    assert result.code == 0, result.err
    data = project / "dist" / "data"
    sheet = {f["id"]: f for f in json.loads((data / "facts.json").read_text(encoding="utf-8"))["facts"]}
    assert sheet["output_start"]["corrections"] == [
        {
            "date": "2026-11-20",
            "previous": 164000000,
            "previous_qualifier": None,
            "note": "=The starting output was mistyped; the report gives the figure shown above.",
        },
        {
            "date": "2026-11-25",
            "previous": 146000000,
            "previous_qualifier": "about",
            "note": "A hedge was added by mistake: the report states the figure exactly.",
        },
    ]
    assert sheet["torch_university_founded"]["corrections"][0]["previous"] == "--05-08"
    assert sheet["output_latest"]["corrections"] == []
    rows = table(data / "corrections.csv")
    assert [
        (r["fact"], r["number"], r["date"], r["previous_value"], r["previous_date"], r["previous_text"]) for r in rows
    ] == [
        ("output_start", "1", "2026-11-20", "164000000", "", "164 million yuan"),
        ("output_start", "2", "2026-11-25", "146000000", "", "about 146 million yuan"),
        ("torch_university_founded", "1", "2026-11-22", "", "'--05-08", "May 8"),
    ]
    first = rows[0]
    assert (first["unit"], first["unit_label"], first["previous_qualifier"], first["previous_hedge"]) == (
        "CNY",
        "yuan",
        "exact",
        "",
    )
    assert (rows[1]["previous_qualifier"], rows[1]["previous_hedge"]) == ("about", "about")
    assert first["note"].startswith("'=The starting output")  # an editor's text never runs as a formula
    counts = {r["id"]: r["corrections"] for r in table(data / "facts.csv")}
    assert (counts["output_start"], counts["torch_university_founded"], counts["output_latest"]) == ("2", "1", "0")
    page = read_page(data / "index.html")
    assert page.all("a", href="../data/corrections.csv", download="")
    entry = (data / "index.html").read_text(encoding="utf-8").split('id="corrections-csv"')[1].split("</li>")[0]
    assert "3 corrections to 2 facts." in entry
    assert re.findall(r"<dt><code>([a-z_]+)</code></dt><dd>", entry) == list(rows[0])


def test_without_corrections_the_file_is_its_header(real_site: Site) -> None:
    text = (real_site.out / "data" / "corrections.csv").read_bytes()
    assert text == (
        b"fact,number,date,previous_value,previous_date,unit,unit_label,previous_qualifier,previous_hedge,"
        b"previous_text,note\r\n"
    )
    assert "No fact has been corrected: the file holds its header row only." in real_site.text("data/index.html")


def test_a_projects_own_unit_is_labelled_from_site_yaml(project: Path, cli: Callable[..., Result]) -> None:
    site = project / "content" / "site.yaml"
    site.write_text(
        site.read_text(encoding="utf-8")
        + "units:\n  sqkm:\n    singular: square kilometre\n    plural: square kilometres\n",
        encoding="utf-8",
    )
    edit(project / "content" / "facts.yaml", "    value: 1\n    unit: km2\n", "    value: 1\n    unit: sqkm\n")
    result = cli("build", "-q")
    assert result.code == 0, result.err
    row = by_id(table(project / "dist" / "data" / "facts.csv"))["start_area"]
    assert (row["value"], row["unit"], row["unit_label"], row["text"]) == (
        "1",
        "sqkm",
        "square kilometres",
        "less than 1 square kilometre",
    )


def test_a_value_keeps_the_decimals_its_quote_states_in_every_table(project: Path, cli: Callable[..., Result]) -> None:
    """'3.0 percent' stays 3.0 in the fact sheet's and the chart's CSV, as on the page and in the chart's label."""
    facts = project / "content" / "facts.yaml"
    edit(facts, 'quote: "less than 3 percent of the total', 'quote: "less than 3.0 percent of the total')
    result = cli("build", "-q")
    assert result.code == 0, result.err
    fact = by_id(table(project / "dist" / "data" / "facts.csv"))["land_share"]
    drawn = by_id(table(project / "dist" / "data" / "charts" / "footprint.csv"))["land_share"]
    assert (fact["value"], fact["text"]) == (drawn["value"], drawn["text"]) == ("3.0", "less than 3.0%")
    assert "less than 3.0%" in (project / "dist" / "charts" / "footprint" / "index.html").read_text(encoding="utf-8")
