"""Parts charts: the parts must add up to the total."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from helpers.project import Result, edit
from test_charts import position


def test_parts_that_do_not_add_up(project: Path, cli: Callable[..., Result]) -> None:
    charts = project / "content" / "charts.yaml"
    edit(charts, "      - fact: fund_added\n", "      - fact: fund_initial\n")
    line, col = position(charts, "total: fund_total")
    result = cli("check")
    assert result.code == 1
    assert (
        f"content/charts.yaml:{line}:{col + len('total: ')}: charts.fund.total: the parts add up to 6,000,000,000, "
        "not to fund_total (9,020,000,000)"
    ) in result.err
