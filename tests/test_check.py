"""`torchsite check --source`: quotes verbatim in the source, numbers and hedges agreeing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from helpers.project import SOURCE, Result, edit, line_of
from torchsite.inputs.sourcecheck import mentions, normalize

# A source text of our own: the passages our fact sheet quotes, not the article itself.
PASSAGES = [
    "This year marks the 30th anniversary",
    "a test field of less than 1 square kilometer",
    "the current nine sub-areas across the city",
    "annual industrial output also increased from 146 million yuan ($22.92 million)",
    "to more than 300 billion yuan",
    "less than 3 percent of the total land in Xiamen",
    "contributed to 43 percent of the city’s industrial output",
    "about 70 percent of the revenue of the city’s software and information service industry",
    "nearly half of the city’s industrial fixed-asset investment",
    "In 1992, Swiss conglomerate ABB Group set up its first operation",
    "eight ABB subsidiaries",
    "two ABB research and development technology centers",
    "supplying products to more than 60 countries and regions",
    "opened a plant in the zone in 2006",
    "Xiamen’s first 100-billion-yuan industrial chain of panel displays",
    "By 2020, the zone had been home to more than 10,000 businesses",
    "new-generation information technology, artificial intelligence, big data, internet of things, new materials, "
    "new energy, and digital cultural creativity",
    "a venture capital fund worth 3 billion yuan in 2020",
    "brought in three sub-funds",
    "within half a year",
    "increasing the total amount to 9.02 billion yuan",
    "launched two service platforms for financing and smart manufacturing in October 2020",
    "granted 10 million yuan in credit by Xiamen Bank",
    "About 200,000 people are currently working in the zone",
    "more than 1,500 who are included in talent programs at the municipal level and above",
    "was established on May 9",
    "in emerging industries by 2035",
]


@pytest.fixture
def source(project: Path) -> Path:
    path = project / "source.txt"
    path.write_text(". ".join(PASSAGES) + ".\n", encoding="utf-8")
    return path


def test_real_fact_sheet_passes_against_own_source(source: Path, cli: Callable[..., Result]) -> None:
    result = cli("check", "--source", str(source))
    assert (result.code, result.err) == (0, "")
    assert result.out == "OK: 30 facts, 5 derived figures; every quote agrees with source.txt\n"


@pytest.mark.skipif(not SOURCE.exists(), reason="the shared article is not beside this checkout")
def test_real_fact_sheet_passes_against_the_article(project: Path, cli: Callable[..., Result]) -> None:
    assert cli("check", "--source", str(SOURCE)).code == 0


def test_quote_altered_by_one_word(project: Path, source: Path, cli: Callable[..., Result]) -> None:
    facts = project / "content" / "facts.yaml"
    edit(facts, 'quote: "brought in three sub-funds"', 'quote: "brought in four sub-funds"')
    line = line_of(facts, "brought in four sub-funds")
    result = cli("check", "--source", str(source))
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        f"content/facts.yaml:{line}:12: facts.sub_funds.quote: the quote does not occur in the source "
        '(hint: the source has: "brought in three sub-funds.")'
    )


def test_value_changed_against_its_quote(project: Path, source: Path, cli: Callable[..., Result]) -> None:
    facts = project / "content" / "facts.yaml"
    edit(facts, "value: 9020000000", "value: 9200000000")
    edit(
        facts,
        "value: 300000000000\n    unit: CNY\n    qualifier: more_than",
        "value: 300000000000\n    unit: CNY\n    qualifier: exact",
    )
    result = cli("check", "--source", str(source))
    assert result.code == 1
    lines = result.err.splitlines()
    assert (
        f"content/facts.yaml:{line_of(facts, 'value: 9200000000')}:12: facts.fund_total.value: the quote states "
        "'9.02 billion', not 9.2 billion yuan (hint: correct the value, or quote the passage that states it)"
    ) in lines
    assert (
        f"content/facts.yaml:{line_of(facts, 'value: 300000000000')}:12: facts.output_latest.value: the quote says "
        "'more than 300 billion' (more than) but the qualifier is exact (hint: set qualifier: more_than)"
    ) in lines


def test_typographic_and_straight_apostrophes_are_the_same(
    project: Path, source: Path, cli: Callable[..., Result]
) -> None:
    edit(project / "content" / "facts.yaml", "of the city’s industrial output", "of the city's industrial output")
    assert cli("check", "--source", str(source)).code == 0


def test_mentions_read_hedges_scales_and_words() -> None:
    said = [
        (m.qualifier, str(m.number))
        for m in mentions(
            normalize("more than 300 billion yuan, nearly half, About 200,000 and $22.92 million in 1992")
        )
    ]
    assert said == [
        ("more_than", "300000000000"),
        ("nearly", "0.5"),
        ("about", "200000"),
        ("exact", "22920000.00"),
        ("exact", "1992"),
    ]
