"""`torchsite check [--source FILE] [--strict]`: validates everything, writes nothing, and holds each
quote, number and hedge to a source text (small texts these tests write, or the article itself when it is there)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from helpers.project import REPO, SOURCE, Result, edit, line_of
from torchsite.inputs import facts
from torchsite.inputs.sourcecheck import mentions, normalize

FACTS = "content/facts.yaml"

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
# The claims' passages, which the story's sentences cite: a source must hold them too.
CLAIMS = [claim.passage for claim in facts.load(REPO / "content" / "facts.yaml").claims]


@pytest.fixture
def source(project: Path) -> Path:
    """A source text of the passages the fact sheet quotes, as sentences, in source.txt."""
    path = project / "source.txt"
    path.write_text(". ".join([*PASSAGES, *CLAIMS]) + ".\n", encoding="utf-8")
    return path


def test_real_fact_sheet_passes_against_own_source(source: Path, cli: Callable[..., Result]) -> None:
    result = cli("check", "--source", str(source))
    assert (result.code, result.err) == (0, "")
    assert result.out == "OK: 30 facts, 5 derived figures; every quote agrees with source.txt\n"


@pytest.mark.skipif(not SOURCE.exists(), reason="the shared article is not beside this checkout")
def test_real_fact_sheet_passes_against_the_article(project: Path, cli: Callable[..., Result]) -> None:
    assert cli("check", "--source", str(SOURCE)).code == 0


def test_a_quote_altered_by_one_word_hints_at_the_source_sentence(
    project: Path, source: Path, cli: Callable[..., Result]
) -> None:
    facts = project / "content" / "facts.yaml"
    edit(facts, 'quote: "brought in three sub-funds"', 'quote: "brought in four sub-funds"')
    line = line_of(facts, "brought in four sub-funds")
    result = cli("check", "--source", str(source))
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        f"content/facts.yaml:{line}:12: facts.sub_funds.quote: the quote does not occur in the source "
        '(hint: the source has: "brought in three sub-funds")'
    )


def test_two_values_changed_against_their_quotes_are_both_reported(
    project: Path, source: Path, cli: Callable[..., Result]
) -> None:
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


@pytest.fixture
def notes(project: Path) -> Path:
    """The same passages as paragraphs, in notes.txt."""
    path = project / "notes.txt"
    path.write_text("\n\n".join([*PASSAGES, *CLAIMS]) + "\n", encoding="utf-8")
    return path


def test_check_writes_nothing(project: Path, notes: Path, cli: Callable[..., Result]) -> None:
    before = sorted(p.name for p in project.iterdir())
    for args in (("check",), ("check", "--strict"), ("check", "--source", str(notes), "--strict")):
        result = cli(*args)
        assert (result.code, result.err) == (0, "")
    assert sorted(p.name for p in project.iterdir()) == before  # no dist/, no lock, no staging


def test_a_quote_altered_by_one_word_is_the_only_problem(
    project: Path, notes: Path, cli: Callable[..., Result]
) -> None:
    path = project / FACTS
    quote = 'quote: "contributed to 43 percent of the city’s {} output'
    edit(path, quote.format("industrial"), quote.format("manufacturing"))
    result = cli("check", "--source", str(notes))
    assert result.err.splitlines() == [
        f"{FACTS}:{line_of(path, 'manufacturing output')}:12: facts.output_share.quote: the quote does not occur in "
        'the source (hint: the source has: "contributed to 43 percent of the city\'s industrial output")',
        "torchsite: 1 problem; nothing was written",
    ]
    assert result.code == 1


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "value: 146000000\n",
            "value: 164000000\n",
            "facts.output_start.value: the quote states '146 million', not 164 million yuan "
            "(hint: correct the value, or quote the passage that states it)",
        ),
        (
            "value: 146000000\n",
            "value: 146000\n",
            "facts.output_start.value: the quote states '146 million', not 146,000 yuan "
            "(hint: the value is 1/1,000 of '146 million': check the scale (thousand, million, billion))",
        ),
        (
            "value: 50\n    unit: percent\n    qualifier: nearly\n",
            "value: 50\n    unit: percent\n    qualifier: about\n",
            "facts.investment_share.value: the quote says 'nearly half' (nearly) but the qualifier is about "
            "(hint: set qualifier: nearly)",
        ),
        (
            "value: 50\n    unit: percent\n    qualifier: nearly\n",
            "value: 40\n    unit: percent\n    qualifier: nearly\n",
            "facts.investment_share.value: the quote states 'nearly half', not nearly 40% "
            "(hint: correct the value, or quote the passage that states it)",
        ),
    ],
)
def test_a_value_or_hedge_changed(
    project: Path, notes: Path, cli: Callable[..., Result], old: str, new: str, message: str
) -> None:
    path = project / FACTS
    edit(path, old, new)
    line = line_of(path, new.split("\n")[0].strip())
    checked = cli("check", "--source", str(notes))
    assert checked.err.splitlines() == [f"{FACTS}:{line}:12: {message}", "torchsite: 1 problem; nothing was written"]
    assert checked.code == 1
    # Without a source the fact's own quote still speaks: a warning, an error with --strict.
    plain = cli("check")
    assert plain.code == 0 and plain.err.splitlines() == [f"{FACTS}:{line}:12: warning: {message}"]
    strict = cli("check", "--strict")
    assert strict.code == 1 and strict.err.splitlines()[0] == f"{FACTS}:{line}:12: {message}"


def test_hedged_amounts_read_as_numbers(project: Path, cli: Callable[..., Result]) -> None:
    """146 million = 146000000; more than 300 billion = more_than 3e11; nearly half = nearly 50%."""
    path = project / "notes.txt"
    path.write_text(
        "Output rose from 146 million yuan ($22.92 million) to more than 300 billion yuan. It supplies "
        "nearly half of the city’s industrial fixed-asset investment.\n",
        encoding="utf-8",
    )
    edit(project / FACTS, '"annual industrial output also increased from 146 million yuan"', '"from 146 million yuan"')
    result = cli("check", "--source", str(path))
    quoted = {"output_start", "output_start_usd", "output_latest", "investment_share"}
    # Every fact this small text does not contain is reported; the three it states agree with it.
    assert result.code == 1
    assert not any(f"facts.{ident}." in result.err for ident in quoted)
    assert result.err.count("the quote does not occur in the source") == 30 - len(quoted)


@pytest.mark.parametrize(("in_source", "in_quote"), [("’", "'"), ("'", "’")])
def test_typographic_and_straight_quotes_match_with_a_note(
    project: Path, notes: Path, cli: Callable[..., Result], in_source: str, in_quote: str
) -> None:
    """Decision: a match only after treating ’ and ' alike passes, even with --strict, with a note."""
    passage = "contributed to 43 percent of the city{}s industrial output"
    # The fact's quote comes first in the notes; the claim that holds the same words keeps the source's form.
    notes.write_text(notes.read_text(encoding="utf-8").replace(passage.format("’"), passage.format(in_source), 1))
    edit(project / FACTS, 'quote: "' + passage.format("’"), 'quote: "' + passage.format(in_quote))
    line = line_of(project / FACTS, "contributed to 43 percent")
    for args in (("--source", str(notes)), ("--source", str(notes), "--strict")):
        result = cli("check", *args)
        assert result.code == 0
        assert result.err.splitlines() == [
            f"{FACTS}:{line}:12: note: facts.output_share.quote: the quote matches the source only when "
            f'typographic and straight quotes count as the same (hint: the source writes "{passage.format(in_source)}")'
        ]


def test_whitespace_and_line_breaks_in_the_source_do_not_matter(
    project: Path, notes: Path, cli: Callable[..., Result]
) -> None:
    text = notes.read_text(encoding="utf-8").replace(
        "to more than 300 billion yuan", "to more\n  than 300 billion yuan"
    )
    notes.write_text(text, encoding="utf-8")
    assert cli("check", "--source", str(notes)) == Result(
        0, "OK: 30 facts, 5 derived figures; every quote agrees with notes.txt\n", ""
    )
