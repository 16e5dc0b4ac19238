"""The CSV downloads are safe to open in a spreadsheet: text never runs as a formula, numbers stay numbers."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from helpers.project import Result, edit
from torchsite.render.downloads import NUMERIC_COLUMNS

NEGATIVE = """
  - id: fund_shortfall
    theme: fund
    label: "-The initial fund against the total"
    formula: fund_initial - fund_total
    unit: CNY
    round: 0
    note: "=HYPERLINK(\\"http://evil.example\\")"
"""


def rows(path: Path) -> dict[str, dict[str, str]]:
    """A built CSV's rows by id."""
    return {row["id"]: row for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))}


def test_formula_like_text_is_neutralised_and_negative_numbers_stay_numbers(
    project: Path, cli: Callable[..., Result]
) -> None:
    edit(project / "content" / "facts.yaml", "  - id: fund_added\n", NEGATIVE.lstrip("\n") + "\n  - id: fund_added\n")
    story = project / "content" / "story.md"
    story.write_text(
        story.read_text(encoding="utf-8") + "\nThe gap is {{fund_shortfall}}.[[sub_funds_raised]]\n", "utf-8"
    )
    edit(project / "content" / "charts.yaml", "        label: Xiamen's land\n", '        label: "@Xiamen\'s land"\n')
    result = cli("build", "-q")
    assert result.code == 0, result.err
    facts = rows(project / "dist" / "data" / "facts.csv")
    shortfall = facts["fund_shortfall"]
    assert shortfall["value"] == "-6020000000"  # a number in a numeric column: left as a number
    assert shortfall["label"] == "'-The initial fund against the total"
    assert shortfall["note"] == '\'=HYPERLINK("http://evil.example")'
    assert shortfall["text"].startswith("'-") or not shortfall["text"].startswith(("-", "=", "+", "@"))
    chart = rows(project / "dist" / "data" / "charts" / "footprint.csv")
    assert chart["land_share"]["label"] == "'@Xiamen's land"
    assert chart["land_share"]["value"] == "3"
    for table in (facts, chart):
        for row in table.values():
            for column, cell in row.items():
                if column not in NUMERIC_COLUMNS:
                    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (column, cell)
