"""`torchsite check [--source FILE] [--strict]`: validates everything, writes nothing, and holds each
quote, number and hedge to a source text (small texts these tests write, never the article)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from helpers.project import Result, edit, line_of
from test_check import PASSAGES

FACTS = "content/facts.yaml"


@pytest.fixture
def source(project: Path) -> Path:
    """A source text made of the passages the fact sheet quotes, in our own order."""
    path = project / "notes.txt"
    path.write_text("\n\n".join(PASSAGES) + "\n", encoding="utf-8")
    return path


def test_check_writes_nothing(project: Path, source: Path, cli: Callable[..., Result]) -> None:
    before = sorted(p.name for p in project.iterdir())
    for args in (("check",), ("check", "--strict"), ("check", "--source", str(source), "--strict")):
        result = cli(*args)
        assert (result.code, result.err) == (0, "")
    assert sorted(p.name for p in project.iterdir()) == before  # no dist/, no lock, no staging


def test_a_quote_altered_by_one_word(project: Path, source: Path, cli: Callable[..., Result]) -> None:
    path = project / FACTS
    edit(path, "the city’s industrial output", "the city’s manufacturing output")
    result = cli("check", "--source", str(source))
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
    project: Path, source: Path, cli: Callable[..., Result], old: str, new: str, message: str
) -> None:
    path = project / FACTS
    edit(path, old, new)
    line = line_of(path, new.split("\n")[0].strip())
    checked = cli("check", "--source", str(source))
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
    project: Path, source: Path, cli: Callable[..., Result], in_source: str, in_quote: str
) -> None:
    """Decision: a match only after treating ’ and ' alike passes, even with --strict, with a note."""
    passage = "contributed to 43 percent of the city{}s industrial output"
    source.write_text(source.read_text(encoding="utf-8").replace(passage.format("’"), passage.format(in_source)))
    edit(project / FACTS, passage.format("’"), passage.format(in_quote))
    line = line_of(project / FACTS, "contributed to 43 percent")
    for args in (("--source", str(source)), ("--source", str(source), "--strict")):
        result = cli("check", *args)
        assert result.code == 0
        assert result.err.splitlines() == [
            f"{FACTS}:{line}:12: note: facts.output_share.quote: the quote matches the source only when "
            f'typographic and straight quotes count as the same (hint: the source writes "{passage.format(in_source)}")'
        ]


def test_whitespace_and_line_breaks_in_the_source_do_not_matter(
    project: Path, source: Path, cli: Callable[..., Result]
) -> None:
    text = source.read_text(encoding="utf-8").replace(
        "to more than 300 billion yuan", "to more\n  than 300 billion yuan"
    )
    source.write_text(text, encoding="utf-8")
    assert cli("check", "--source", str(source)) == Result(
        0, "OK: 30 facts, 5 derived figures; every quote agrees with notes.txt\n", ""
    )
