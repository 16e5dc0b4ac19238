"""The source check on news text as newsrooms write it: each fragment of tests/data/news_fragments.yaml gives the
reading it lists and refuses the wrong ones, and no message ever hints at dropping a hedge."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from torchsite.inputs.facts import Fact
from torchsite.inputs.grammar import ENGLISH
from torchsite.inputs.sourcecheck import agreement, normalize, period

DATA = yaml.safe_load((Path(__file__).parent / "data" / "news_fragments.yaml").read_text(encoding="utf-8"))
FRAGMENTS = DATA["fragments"]


def readings(fragment: dict[str, Any]) -> list[dict[str, Any]]:
    """The readings a fragment must give: one, or a list."""
    reads = fragment.get("reads", [])
    return reads if isinstance(reads, list) else [reads]


READINGS = [(f["text"], r) for f in FRAGMENTS for r in readings(f)]


def fact(reading: dict[str, Any], text: str) -> Fact:
    """A fact with this reading, quoting the fragment."""
    entry = {"id": "x", "label": "x", "source": "s", "theme": "t", "quote": text, **reading}
    return Fact.model_validate(entry)


def verdict(reading: dict[str, Any], text: str) -> tuple[str, str] | None:
    """The source check's message for a fact with this reading quoting the fragment, or the part of it the reading
    names as its `quote` (the fragment is then the quote's sentence); None: accepted."""
    sentence = normalize(text)
    quote = normalize(reading.get("quote", text))
    assert quote in sentence
    made = fact({k: v for k, v in reading.items() if k != "quote"}, quote)
    return agreement(made, quote) or period(made, quote, sentence, ENGLISH)


def test_every_fragment_names_where_it_comes_from() -> None:
    assert len(FRAGMENTS) >= 30
    assert all(f["source"] == "constructed" or f["source"].startswith(("https://", "http://")) for f in FRAGMENTS)
    real = {f["source"].split("/")[2] for f in FRAGMENTS if f["source"] != "constructed"}
    assert len([f for f in FRAGMENTS if f["source"] != "constructed"]) >= 65 and len(real) >= 25  # outlets


@pytest.mark.parametrize(("text", "reading"), READINGS, ids=lambda v: str(v)[:40])
def test_the_fragment_gives_its_reading(text: str, reading: dict[str, Any]) -> None:
    assert verdict(reading, text) is None


@pytest.mark.parametrize("fragment", [f for f in FRAGMENTS if "places" in f], ids=lambda f: f["text"][:40])
def test_the_fragment_keeps_the_decimals_it_states(fragment: dict[str, Any]) -> None:
    reading = readings(fragment)[0]
    said = [m for m in ENGLISH.read(fragment["text"]) if m.number == reading["value"]]
    assert [m.places for m in said] == [fragment["places"]]


@pytest.mark.parametrize(
    ("text", "wrong"),
    [(f["text"], w) for f in FRAGMENTS for w in f.get("refuses", [])],
    ids=lambda v: str(v)[:40],
)
def test_the_fragment_refuses_a_wrong_reading(text: str, wrong: dict[str, Any]) -> None:
    message = verdict(wrong, text)
    assert message is not None
    if wrong["qualifier"] != "exact":  # a hedged fact is never told to drop its hedge
        assert message[1] != "set qualifier: exact"


def test_a_day_given_without_the_year_its_quote_states_is_told_the_year() -> None:
    text = "The bridge closed on Oct. 6, 2018, after inspectors found cracks."
    assert verdict({"value": "--10-06", "unit": "day", "qualifier": "exact"}, text) == (
        "the quote states 'Oct. 6, 2018', with its year, but the value gives none",
        "write the value with its year ('2018-10-06'), or check the date",
    )
