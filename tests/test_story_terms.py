"""Names written with digits ({{term:id}}), abbreviations in sentences, every typed number, word stems in review,
and the precision and unit words a fact keeps."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from helpers.html import site_cards
from helpers.project import Result, edit, line_of
from torchsite.inputs.formatting import Formatter
from torchsite.inputs.story import sentences
from torchsite.inputs.units import UnitSpec
from torchsite.review import content_words

TERM = """
terms:
  - id: zone_name
    text: "Xiamen Torch High-tech Zone 30"
    source: torch30
    quote: "Xiamen Torch High-tech Zone 30"
"""


def test_a_term_renders_as_the_source_writes_it_and_a_typed_figure_is_still_refused(
    project: Path, cli: Callable[..., Result]
) -> None:
    facts, story = project / "content" / "facts.yaml", project / "content" / "story.md"
    facts.write_text(facts.read_text(encoding="utf-8") + TERM, encoding="utf-8")
    edit(story, "## Anchor firms\n", "## Anchor firms\n\nThe name {{term:zone_name}} stays.[[anniversary]]\n")
    assert cli("check").code == 0
    edit(story, "The name {{term:zone_name}} stays.", "The name {{term:zone_nme}} stays at 30.")
    line = line_of(story, "zone_nme")
    text = story.read_text(encoding="utf-8").splitlines()[line - 1]
    result = cli("check")
    assert result.err.splitlines()[:2] == [
        f"content/story.md:{line}:{text.index('{{term') + 1}: story: unknown term 'zone_nme' "
        "(hint: did you mean 'zone_name'?)",
        f"content/story.md:{line}:{text.index('30.') + 1}: story: a number typed in the text ('30.') "
        "(hint: every number comes from the fact sheet: add a fact and write {{its_id}})",
    ]


def test_a_term_whose_quote_does_not_hold_it_is_refused(project: Path, cli: Callable[..., Result]) -> None:
    facts = project / "content" / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + TERM.replace('quote: "Xiamen', 'quote: "The'), "utf-8")
    result = cli("check")
    assert result.code == 1
    assert "terms.zone_name.quote: the quote does not hold the name 'Xiamen Torch High-tech Zone 30'" in result.err


def test_abbreviations_end_no_sentence_but_a_citation_does() -> None:
    text = "# H\n\nThe office on St. Mark St. opened Sept. 9 in the U.S. capital.[[a]] Acme Inc. said so.[[b]]\n"
    assert [s.text for s in sentences(text)] == [
        "H",
        "The office on St. Mark St. opened Sept. 9 in the U.S. capital.[[a]]",
        "Acme Inc. said so.[[b]]",
    ]


def test_every_typed_number_of_a_line_is_reported(project: Path, cli: Callable[..., Result]) -> None:
    story = project / "content" / "story.md"
    edit(story, "## Anchor firms\n", "## Anchor firms\n\nABB has 20 sites and 7 labs.[[anniversary]]\n")
    result = cli("check")
    assert "('20')" in result.err and "('7')" in result.err


def test_review_compares_word_stems() -> None:
    assert content_words("output is rising") & content_words("output will rise") >= {"ris", "outpu"}
    assert content_words("rises") == content_words("rise") == content_words("rising")


def test_a_fact_keeps_its_stated_precision_and_a_symbol_keeps_its_unit_words() -> None:
    rate = UnitSpec(symbol="$", symbol_before=True, singular="per $100 of valuation", plural="per $100 of valuation")
    fmt = Formatter("en", {"tax_rate": rate})
    assert fmt.value(0.36321, "tax_rate", stated=6) == "$0.363210 per $100 of valuation"
    # A unit given only one word keeps it for every value: "$1" alone would read as a dollar (Gainesville Sun)
    per_1000 = UnitSpec(symbol="$", symbol_before=True, plural="per $1,000 of taxable value")
    assert Formatter("en", {"mill": per_1000}).value(1, "mill") == "$1 per $1,000 of taxable value"
    assert fmt.value(219300000, "USD", stated=-4) == "$219.30 million"
    assert fmt.value(6020000000, "CNY", "exact", 0) == "6.02 billion yuan"  # a derived figure's places: as before
    # An exact amount finer than a scale word shows well is written out, as budgets state it (Fredericksburg, Va.)
    assert fmt.value(121434445, "USD", stated=0) == "$121,434,445"
    assert fmt.value(6479690, "USD", stated=0) == "$6,479,690"
    assert fmt.value(1368000, "USD", "about") == "about $1.368 million"


def test_a_source_url_is_linked_and_its_date_shown_in_the_site_style(
    project: Path, cli: Callable[..., Result], tmp_path: Path
) -> None:
    facts = project / "content" / "facts.yaml"
    edit(facts, "    published: null\n", "    url: https://example.com/torch\n    published: '2025-07-18'\n")
    built = cli("build", "--out", str(tmp_path / "out"), "-q")
    assert built.code == 0, built.err
    sheet = (tmp_path / "out" / "facts" / "index.html").read_text(encoding="utf-8")
    story = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert 'Published <time datetime="2025-07-18">July 18, 2025</time>.' in sheet
    linked = re.compile(r'<a href="https://example.com/torch"[^>]*><cite>')
    assert linked.search(sheet) and linked.search(story)
    assert site_cards(tmp_path / "out", "index.html")["claims"]["land"]["source_url"] == "https://example.com/torch"
