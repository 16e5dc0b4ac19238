"""Each class of wrong edit to a correct fact sheet is caught by `check --source`, with its exact message; the
correct sheet (and a source that hedges with words news text uses) is accepted."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from helpers.project import Result, edit, line_of
from test_check import CLAIMS, PASSAGES

FACTS = "content/facts.yaml"
STORY = "content/story.md"
FAILED = "torchsite: 1 problem; nothing was written"


@pytest.fixture
def notes(project: Path) -> Path:
    """The passages the fact sheet quotes, as paragraphs, in notes.txt."""
    path = project / "notes.txt"
    path.write_text("\n\n".join([*PASSAGES, *CLAIMS]) + "\n", encoding="utf-8")
    return path


def errors(cli: Callable[..., Result], notes: Path) -> list[str]:
    """The lines `check --source notes.txt` writes to stderr."""
    return cli("check", "--source", str(notes)).err.splitlines()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (  # a currency changed: the quote says "$"
            "value: 22920000\n    unit: USD\n",
            "value: 22920000\n    unit: EUR\n",
            "facts.output_start_usd.value: the quote states '$22.92 million' (USD) but the unit is EUR "
            "(hint: set unit: USD)",
        ),
        (  # a percentage made a count: the quote says "percent"
            "value: 43\n    unit: percent\n",
            "value: 43\n    unit: count\n",
            "facts.output_share.value: the quote states '43 percent', a percentage, but the unit is count "
            "(hint: set unit: percent)",
        ),
        (  # a count made a percentage: the quote says no "percent"
            "value: 9\n    unit: count\n",
            "value: 9\n    unit: percent\n",
            "facts.sub_areas.value: the quote states 'nine' with no percent, but the unit is percent "
            "(hint: set the unit the quote states, or quote the words that make it a percentage)",
        ),
        (  # the period shifted by a year
            "as_of: by 2020\n",
            "as_of: by 2021\n",
            "facts.businesses.as_of: as_of 'by 2021' names 2021, which neither the quote nor its sentence in the "
            "source states (they state 2020) (hint: set as_of to the period the source gives; where another sentence "
            "states it (a headline, an earlier sentence), set as_of_quote to that passage)",
        ),
    ],
)
def test_a_wrong_edit_is_caught(
    project: Path, notes: Path, cli: Callable[..., Result], old: str, new: str, message: str
) -> None:
    path = project / FACTS
    edit(path, old, new)
    line = line_of(path, new.split("\n")[0].strip())
    assert f"{FACTS}:{line}:12: {message}" in errors(cli, notes)  # a chart may also object to a new unit


def test_a_wrong_figure_and_a_wrong_period_of_one_fact_are_both_reported_in_one_run(
    project: Path, notes: Path, cli: Callable[..., Result]
) -> None:
    path = project / FACTS
    edit(path, "value: 10000\n    unit: count\n    qualifier: more_than\n    as_of: by 2020\n",
         "value: 10000\n    unit: percent\n    qualifier: more_than\n    as_of: by 2021\n")  # fmt: skip
    said = [
        line.split(": ", 1)[1]
        for line in errors(cli, notes)
        if "facts.businesses." in line and ": warning: " not in line
    ]
    assert [s.split(":")[0] for s in said] == ["facts.businesses.value", "facts.businesses.as_of"]


def test_a_hedge_left_outside_a_trimmed_quote_is_caught_where_the_quote_stands(
    project: Path, notes: Path, cli: Callable[..., Result]
) -> None:
    """The trimmed quote also occurs inside a longer number earlier on: that place is not where it stands."""
    notes.write_text("Imports were 1,300 billion yuan.\n\n" + notes.read_text(encoding="utf-8"), encoding="utf-8")
    path = project / FACTS
    edit(path, 'quote: "to more than 300 billion yuan"', 'quote: "300 billion yuan"')
    edit(
        path,
        "value: 300000000000\n    unit: CNY\n    qualifier: more_than",
        "value: 300000000000\n    unit: CNY\n    qualifier: exact",
    )
    line = line_of(path, "value: 300000000000")
    assert errors(cli, notes) == [
        f"{FACTS}:{line}:12: facts.output_latest.value: with the words just before the quote, the source says "
        "'more than 300 billion' (more than) but the qualifier is exact (hint: set qualifier: more_than, and quote "
        "the hedge too)",
        FAILED,
    ]


def test_a_periods_own_word_typed_before_its_reference_is_caught(
    project: Path, notes: Path, cli: Callable[..., Result]
) -> None:
    path = project / STORY  # as_of reads 'by 2020': 'by {{businesses:as_of}}' would read 'by by 2020'
    edit(path, "businesses {{businesses:as_of}}", "businesses By {{businesses:as_of}}")
    line = line_of(path, "By {{businesses:as_of}}")
    col = path.read_text(encoding="utf-8").splitlines()[line - 1].index("By {{") + 1
    assert errors(cli, notes) == [
        f"{STORY}:{line}:{col}: story: 'By' is typed before {{{{businesses:as_of}}}}, which already reads 'by 2020' "
        "(hint: remove 'By': the period carries its own word)",
        FAILED,
    ]


def test_a_hedge_typed_beside_a_hedged_reference_is_caught(
    project: Path, notes: Path, cli: Callable[..., Result]
) -> None:
    path = project / STORY
    edit(path, "had increased to {{output_latest}}", "had increased to nearly {{output_latest}}")
    line = line_of(path, "nearly {{output_latest}}")
    col = path.read_text(encoding="utf-8").splitlines()[line - 1].index("nearly {{") + 1
    assert errors(cli, notes) == [
        f"{STORY}:{line}:{col}: story: the hedge 'nearly' is typed before {{{{output_latest}}}}, which already reads "
        "'more than 300 billion yuan' (hint: remove 'nearly': the figure carries its own hedge)",
        FAILED,
    ]


def test_news_hedges_are_read_and_unknown_words_never_hint_at_dropping_a_hedge(
    project: Path, notes: Path, cli: Callable[..., Result]
) -> None:
    path = project / FACTS
    text = notes.read_text(encoding="utf-8")
    said = "About 200,000 people are currently working in the zone"
    for words in ("Approximately", "Roughly", "Some", "An estimated"):
        notes.write_text(f"{text}\n{said.replace('About', words)}.\n", encoding="utf-8")
        edit(path, 'quote: "About 200,000', f'quote: "{words} 200,000')
        assert cli("check", "--source", str(notes)).code == 0, words
        edit(path, f'quote: "{words} 200,000', 'quote: "About 200,000')
    notes.write_text(f"{text}\n{said.replace('About', 'Give or take')}.\n", encoding="utf-8")
    edit(path, 'quote: "About 200,000', 'quote: "Give or take 200,000')
    line = line_of(path, "value: 200000")
    assert errors(cli, notes) == [
        f"{FACTS}:{line}:12: facts.workers.value: the quote states '200,000' with no hedge it can read; the words "
        "before it, 'Give or take', are no hedge the grammar knows, but the qualifier is about (hint: quote the "
        "words that state the hedge; if the source words it in a way torchsite does not know, add them to hedges: "
        "in content/site.yaml (e.g. 'Give or take: about'))",
        FAILED,
    ]
    site = project / "content" / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8") + "hedges:\n  give or take: about\n", encoding="utf-8")
    assert cli("check", "--source", str(notes)).code == 0
    # Without the source (the publish gate: check --strict, build --strict), the quote is read with the same words.
    strict = cli("check", "--strict")
    assert (strict.code, strict.err) == (0, "")


def test_a_bad_chart_type_is_reported_with_fact_problems_and_causes_no_false_warnings(
    project: Path, cli: Callable[..., Result]
) -> None:
    charts, facts = project / "content" / "charts.yaml", project / FACTS
    edit(charts, "type: parts", "type: partz")
    result = cli("check")
    assert "unknown chart type 'partz'" in result.err
    assert "is not used by" not in result.err  # the bad file's figures still count as drawn
    edit(facts, "value: 9020000000", "value: nine")
    result = cli("check")
    assert "unknown chart type 'partz'" in result.err and "facts.fund_total.value" in result.err


DAY = 'value: "--05-09"\n    unit: day\n    qualifier: exact\n'
PUBLISHED = "    published: null\n    published_note: "


@pytest.mark.parametrize(
    ("published", "value", "message"),
    [
        (  # a hedge added to a day the quote states plainly
            None,
            'value: "--05-09"\n    unit: day\n    qualifier: about\n',
            "the quote states 'May 9' with no hedge it can read, but the qualifier is about (hint: quote the words "
            "that state the hedge, or set the qualifier the quote states)",
        ),
        (  # a year given to a day the quote writes without one, and the source has no date to give it
            None,
            'value: "2020-05-09"\n    unit: day\n    qualifier: exact\n',
            "the quote states 'May 9' without a year, and the source gives no publication date to take it from "
            "(hint: quote the passage that states the year, or write the value without one ('--MM-DD'))",
        ),
        (  # a year other than the source's own
            "2020-11-02",
            'value: "2021-05-09"\n    unit: day\n    qualifier: exact\n',
            "the quote states 'May 9' without a year, which in a source published in 2020 is not May 9, 2021 (hint: "
            "check the year, or quote the passage that states it)",
        ),
    ],
)
def test_a_wrong_date_is_caught(
    project: Path, notes: Path, cli: Callable[..., Result], published: str | None, value: str, message: str
) -> None:
    path = project / FACTS
    if published:
        edit(path, PUBLISHED, f"    published: '{published}'\n    published_note: ")
    edit(path, DAY, value)
    line = line_of(path, value.split("\n")[0])
    assert errors(cli, notes) == [f"{FACTS}:{line}:12: facts.torch_university_founded.value: {message}", FAILED]


def test_a_day_without_a_year_in_the_quote_is_in_the_year_the_source_was_published(
    project: Path, notes: Path, cli: Callable[..., Result]
) -> None:
    path = project / FACTS
    edit(path, PUBLISHED, "    published: '2020-11-02'\n    published_note: ")
    edit(path, DAY, DAY.replace("--05-09", "2020-05-09"))
    assert cli("check", "--source", str(notes)).code == 0
    text = notes.read_text(encoding="utf-8")
    notes.write_text(f"{text}\nIts library opened around May 9.\n", encoding="utf-8")
    edit(path, 'quote: "was established on May 9"', 'quote: "opened around May 9"')
    line = line_of(path, 'value: "2020-05-09"')
    assert errors(cli, notes) == [
        f"{FACTS}:{line}:12: facts.torch_university_founded.value: the quote says 'around May 9' (about) but the "
        "qualifier is exact (hint: set qualifier: about)",
        FAILED,
    ]
    edit(path, DAY.replace("--05-09", "2020-05-09"), DAY.replace("--05-09", "2020-05-09").replace("exact", "about"))
    assert cli("check", "--source", str(notes)).code == 0


WORKERS = "value: 200000\n    unit: people\n    qualifier: about\n"


def test_a_range_is_two_facts_and_a_wrong_edit_of_either_end_is_caught(
    project: Path, notes: Path, cli: Callable[..., Result]
) -> None:
    """'between 190,000 and 210,000': its lower end is at_least 190,000, its upper end at_most 210,000."""
    path = project / FACTS
    notes.write_text(notes.read_text(encoding="utf-8") + "\nBetween 190,000 and 210,000 people work there.\n")
    edit(
        path,
        'quote: "About 200,000 people are currently working in the zone"',
        'quote: "Between 190,000 and 210,000 people"',
    )
    for value, qualifier in (("190000", "at_least"), ("210000", "at_most")):
        edit(path, WORKERS, WORKERS.replace("200000", value).replace("about", qualifier))
        assert cli("check", "--source", str(notes)).code == 0, value
        edit(path, WORKERS.replace("200000", value).replace("about", qualifier), WORKERS)
    line = line_of(path, "value: 200000")
    wrong = {
        ("210000", "exact"): "the quote states the range 'Between 190,000 and 210,000', whose upper end is at most "
        "210,000, but the qualifier is exact (hint: set qualifier: at_most (a range is two facts: its lower end "
        "at_least, its upper end at_most))",
        ("190000", "at_most"): "the quote states the range 'Between 190,000 and 210,000', whose lower end is at least "
        "190,000, but the qualifier is at_most (hint: set qualifier: at_least (a range is two facts: its lower end "
        "at_least, its upper end at_most))",
        ("200000", "at_most"): "the quote states 'Between 190,000 and 210,000', not at most 200,000 people (hint: "
        "correct the value, or quote the passage that states it)",
    }
    for (value, qualifier), message in wrong.items():
        edit(path, WORKERS, WORKERS.replace("200000", value).replace("about", qualifier))
        assert errors(cli, notes) == [f"{FACTS}:{line}:12: facts.workers.value: {message}", FAILED]
        edit(path, WORKERS.replace("200000", value).replace("about", qualifier), WORKERS)


# Community Impact, Aug. 19, 2025 (communityimpact.com/houston/cy-fair-jersey-village/government/2025/08/19/
# jersey-village-city-council-adopts-726-million-budget-ahead-of-new-fiscal-year): the fiscal year is stated one
# sentence before the figure.
BUDGET = (
    "City Council adopted the fiscal year 2025-26 budget and ratified the proposed property tax rate increase during "
    "its regular meeting Aug. 18. The tax rate increase will generate approximately $1.05 million in additional city "
    "revenues compared to last fiscal year, according to city staff. The council adopted the proposed $72.6 million "
    "budget in a 4-1 vote, with council member Simon Hughes opposed."
)
USD_START = 'value: 22920000\n    unit: USD\n    qualifier: exact\n    as_of: at the start\n    source: torch30\n    quote: "146 million yuan ($22.92 million)"\n'  # noqa: E501
USD_BUDGET = 'value: 72600000\n    unit: USD\n    qualifier: exact\n    as_of: FY 2025-26\n    source: torch30\n    quote: "the proposed $72.6 million budget"\n'  # noqa: E501


def test_a_period_stated_in_another_sentence_is_shown_by_its_own_passage(
    project: Path, notes: Path, cli: Callable[..., Result]
) -> None:
    path = project / FACTS  # `project` is the English edition alone: no translation of the new period to ask for
    notes.write_text(notes.read_text(encoding="utf-8") + f"\n{BUDGET}\n", encoding="utf-8")
    edit(path, USD_START, USD_BUDGET)
    line = line_of(path, "as_of: FY 2025-26")
    assert errors(cli, notes) == [
        f"{FACTS}:{line}:12: facts.output_start_usd.as_of: as_of 'FY 2025-26' names 2025, 2026, which neither the "
        "quote nor its sentence in the source states (hint: set as_of to the period the source gives; where another "
        "sentence states it (a headline, an earlier sentence), set as_of_quote to that passage)",
        FAILED,
    ]
    edit(path, "as_of: FY 2025-26\n", 'as_of: FY 2025-26\n    as_of_quote: "the fiscal year 2025-26 budget"\n')
    assert cli("check", "--source", str(notes)).code == 0
    quote_line = line_of(path, "as_of_quote:")
    edit(path, '"the fiscal year 2025-26 budget"', '"the fiscal year 2024-25 budget"')
    assert errors(cli, notes) == [
        f"{FACTS}:{quote_line}:18: facts.output_start_usd.as_of_quote: the as_of_quote does not occur in the source "
        '(hint: the source has: "the fiscal year 2025-26 budget")',
        FAILED,
    ]
    edit(path, '"the fiscal year 2024-25 budget"', '"during its regular meeting Aug. 18"')
    assert errors(cli, notes) == [
        f"{FACTS}:{line}:12: facts.output_start_usd.as_of: as_of 'FY 2025-26' names 2025, 2026, which neither the "
        "quote, its sentence in the source nor the as_of_quote states (hint: set as_of to the period the source "
        "gives, or set as_of_quote to the passage that states it)",
        FAILED,
    ]
    edit(path, "    as_of: FY 2025-26\n", "")
    assert errors(cli, notes) == [
        f"{FACTS}:{line}:18: facts.output_start_usd.as_of_quote: as_of_quote gives evidence for a period, but the "
        "fact has no as_of (hint: set as_of to the period in the source's own words, or remove as_of_quote)",
        FAILED,
    ]
