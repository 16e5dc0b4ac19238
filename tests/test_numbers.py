"""The one formatter: hedges and units as readers see them."""

from __future__ import annotations

import csv
import io
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from helpers.html import card_data
from helpers.project import REPO, edit, one_edition
from torchsite import pipeline
from torchsite.inputs.config import Project
from torchsite.inputs.formatting import Formatter
from torchsite.inputs.hedges import round_decimal
from torchsite.render.site import Build


@pytest.mark.parametrize(
    ("value", "unit", "qualifier", "places", "text"),
    [
        (300_000_000_000, "CNY", "more_than", None, "more than 300 billion yuan"),
        (146_000_000, "CNY", "exact", None, "146 million yuan"),
        (9.02e9, "CNY", "exact", None, "9.02 billion yuan"),
        (22_920_000, "USD", "exact", None, "$22.92 million"),
        (70, "percent", "about", None, "about 70%"),
        (50, "percent", "nearly", None, "nearly 50%"),
        (3, "percent", "less_than", None, "less than 3%"),
        (1, "km2", "less_than", None, "less than 1 km²"),
        (10_000, "count", "more_than", None, "more than 10,000"),
        (8, "count", "exact", None, "eight"),
        (200_000, "people", "about", None, "about 200,000 people"),
        (6, "months", "at_most", None, "at most six months"),
        (1992, "year", "exact", None, "1992"),
        ("2020-10", "month", "exact", None, "October 2020"),
        ("--05-09", "day", "exact", None, "May 9"),
        ("2021-05-09", "day", "exact", None, "May 9, 2021"),
        (6.37, "CNY_per_USD", "about", 2, "about 6.37 yuan per US dollar"),
        (2000, "times", "more_than", -2, "more than 2,000 times"),
    ],
)
def test_format_value(value: float, unit: str, qualifier: str, places: int | None, text: str) -> None:
    assert Formatter("en").value(value, unit, qualifier, places) == text


@pytest.mark.parametrize(
    ("value", "places", "qualifier", "rounded"),
    [
        ("2054.79", -2, "more_than", "2000"),  # a lower bound rounds down: still true
        ("14.99", 0, "more_than", "14"),
        ("2.01", 0, "less_than", "3"),  # an upper bound rounds up
        ("6.36998", 2, "exact", "6.37"),
    ],
)
def test_rounding_never_overstates_a_bound(value: str, places: int, qualifier: str, rounded: str) -> None:
    assert round_decimal(Decimal(value), places, qualifier) == Decimal(rounded)


ENGLISH_MONTHS = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
)
ENGLISH_HEDGES = re.compile(r"\b(?:about|nearly|more than|less than|at least|at most)(?![a-z])")


def zh_build(root: Path) -> Build:
    """The real project in `lang: zh-Hans` alone, rendered in memory (charts as tables: no browser)."""
    shutil.copytree(REPO / "content", root / "content")
    edit(one_edition(root) / "content" / "site.yaml", "lang: en", "lang: zh-Hans")
    project = Project(root)
    return pipeline.render(project, pipeline.make_charts(pipeline.gather(project)))


def english_words(text: str) -> list[str]:
    """English month names and hedge words in a text, outside the source's verbatim quotes and passages."""
    return ENGLISH_MONTHS.findall(text) + ENGLISH_HEDGES.findall(text)


def test_the_sites_language_reaches_every_surface_a_number_is_written_on(tmp_path: Path) -> None:
    """The formatter is the site's on the timeline's dates, chart CSVs, card data and derived workings."""
    build = zh_build(tmp_path)
    timeline = next(chart for chart in build.charts if chart.spec.type == "timeline")
    assert [english_words(row.when) for row in timeline.rows] == [[] for _ in timeline.rows]
    assert "2020年10月" in [row.when for row in timeline.rows]
    assert "到2035年" in [row.when for row in timeline.rows]  # a deadline in the language's words
    for path, data in build.site.files.items():
        if path.startswith("data/charts/"):
            rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
            for row in rows:
                shown = [row["text"], row.get("when", ""), row["hedge"]]
                assert english_words(" ".join(shown)) == [], (path, row)
    page = build.site.files["index.html"].decode("utf-8")
    cards = card_data(page, "index.html", build.site.files.__getitem__)
    workings = [card["working"] for card in cards["facts"].values() if card["working"]]
    assert workings and all(english_words(w) == [] for w in workings), workings
    assert any("超过" in w for w in workings)  # a bound's raw result keeps its hedge, in Chinese
    sheet = build.site.files["facts/index.html"].decode("utf-8")
    shown = re.findall(r'<dd class="working">(?:Working: |计算过程：)(.*?)</dd>', sheet, re.S)
    assert shown and all(english_words(w) == [] for w in shown), shown
