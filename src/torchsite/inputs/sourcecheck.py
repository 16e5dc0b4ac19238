"""Fact-checking against the source text: each quote verbatim, each number and hedge agreeing."""

from __future__ import annotations

import dataclasses
import difflib
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from torchsite.errors import Problem, Severity
from torchsite.inputs.diagnostics import Key
from torchsite.inputs.facts import Fact, FactSheet
from torchsite.inputs.formatting import Formatter
from torchsite.inputs.hedges import DATE_UNITS, HEDGE_WORDS, decimal

_TYPOGRAPHIC = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "})
_WORDS: dict[str, int | Decimal] = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "half": Decimal("0.5"),
}
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
SOURCE = Formatter("en")  # the checker reads English sources, and names their figures as they write them
HEDGE_WORDS_BEFORE = 3  # words of the source before a quote that may hold its hedge ("up to", "more than")
_HEDGES = {
    "more than": "more_than",
    "over": "more_than",
    "less than": "less_than",
    "under": "less_than",
    "nearly": "nearly",
    "almost": "nearly",
    "about": "about",
    "around": "about",
    "roughly": "about",
    "some": "about",
    "at least": "at_least",
    "up to": "at_most",
    "within": "at_most",
}
_MENTION = re.compile(
    r"(?:\b(?P<hedge>" + "|".join(sorted(_HEDGES, key=len, reverse=True)) + r")\s+)?"
    r"\$?(?P<number>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\b(?:" + "|".join(_WORDS) + r")\b)(?:st|nd|rd|th)?"
    r"(?:[\s-]+(?P<scale>" + "|".join(_SCALES) + r")\b)?"
    r"(?:\s+(?:a\s+)?(?P<per>years?\b))?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Mention:
    """A number as a passage states it, with the hedge in front of it."""

    qualifier: str
    number: Decimal
    text: str

    def values(self, unit: str) -> set[Decimal]:
        """What the mention can mean for a fact of this unit."""
        out = {self.number}
        if unit == "percent" and self.number == Decimal("0.5"):
            out.add(Decimal(50))
        if unit == "months" and self.text.lower().rstrip("s").endswith("year"):
            out.add(self.number * 12)
        return out


def normalize(text: str) -> str:
    """Typographic quotes and apostrophes as straight ones, runs of white space as one space."""
    return _spaces(text).translate(_TYPOGRAPHIC)


def _spaces(text: str) -> str:
    """NFC-normalized, runs of white space (line breaks included) as one space: the text as compared."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def mentions(quote: str) -> list[Mention]:
    """Every number a passage states, with its hedge and scale."""
    found = []
    for m in _MENTION.finditer(quote):
        raw = m["number"].lower()
        number = Decimal(_WORDS[raw]) if raw in _WORDS else Decimal(raw.replace(",", ""))
        if m["scale"]:
            number *= _SCALES[m["scale"].lower()]
        qualifier = _HEDGES[m["hedge"].lower()] if m["hedge"] else "exact"
        found.append(Mention(qualifier, number, m.group(0).strip()))
    return found


def check_source(sheet: FactSheet, source_text: str) -> list[Problem]:
    """Every quote and claim passage occurs in the source; every quote states its fact's value and hedge."""
    spaced = _spaces(source_text)
    source = spaced.translate(_TYPOGRAPHIC)  # one character for one: positions in `spaced` still hold
    problems = []
    for index, fact in enumerate(sheet.facts):
        found = verbatim(sheet, ("facts", index, "quote"), fact.quote, spaced, source)
        problems += found
        if any(p.is_error for p in found):
            continue
        quote = normalize(fact.quote)
        message = agreement(fact, quote) or _hedge_before(fact, source[: source.find(quote)], quote)
        if message:
            problems.append(sheet.problem(("facts", index, "value"), message[0], message[1]))
    for index, claim in enumerate(sheet.claims):
        problems += verbatim(sheet, ("claims", index, "passage"), claim.passage, spaced, source)
    return problems


def verbatim(sheet: FactSheet, where: Key, passage: str, spaced: str, source: str) -> list[Problem]:
    """A passage occurs in the source word for word (a note when only its quote marks differ)."""
    quote, noun = normalize(passage), where[-1]
    at = source.find(quote)
    if at < 0:
        return [sheet.problem(where, f"the {noun} does not occur in the source", _nearest(quote, source))]
    written = spaced[at : at + len(quote)]
    if written == _spaces(passage):
        return []
    note = sheet.problem(
        where,
        f"the {noun} matches the source only when typographic and straight quotes count as the same",
        f'the source writes "{written}"',
    )
    return [dataclasses.replace(note, severity=Severity.NOTE)]


def _hedge_before(fact: Fact, before: str, quote: str) -> tuple[str, str] | None:
    """A hedge the source puts just before the quote ('more than' + '300 billion yuan') that the fact drops."""
    lead = " ".join(before.split()[-HEDGE_WORDS_BEFORE:])
    widened = agreement(fact, f"{lead} {quote}")
    if widened is None:
        return None
    said = widened[0].replace("the quote says", "with the words just before the quote, the source says", 1)
    return (said, f"{widened[1]}, and quote the hedge too")


def quote_warnings(sheet: FactSheet) -> list[Problem]:
    """Without a source: warn where a fact's value or hedge disagrees with its own quote."""
    problems = []
    for index, fact in enumerate(sheet.facts):
        message = agreement(fact, normalize(fact.quote))
        if message:
            problem = sheet.problem(("facts", index, "value"), message[0], message[1])
            problems.append(problem.as_severity(Severity.WARNING))
    return problems


def agreement(fact: Fact, quote: str) -> tuple[str, str] | None:
    """None if the quote states the fact's value and hedge; else a message and a hint."""
    if fact.inferred:
        return None
    if fact.unit in DATE_UNITS:
        assert isinstance(fact.value, str)
        shown = SOURCE.date(fact.value, fact.unit)
        if shown.lower() in quote.lower():
            return None
        return (f"the quote does not state {shown}", "check the date, or quote the passage that states it")
    assert not isinstance(fact.value, str)
    value = decimal(fact.value)
    said = mentions(quote)
    if not said:
        return ("the quote states no number", "quote the passage that states the figure, or say how it was inferred")
    same_value = [m for m in said if value in m.values(fact.unit)]
    if any(m.qualifier == fact.qualifier for m in same_value):
        return None
    if same_value:
        m = same_value[0]
        return (
            f"the quote says '{m.text}' ({HEDGE_WORDS[m.qualifier] or 'exact'}) but the qualifier is {fact.qualifier}",
            f"set qualifier: {m.qualifier}",
        )
    stated = ", ".join(f"'{m.text}'" for m in said)
    return (
        f"the quote states {stated}, not {SOURCE.value(fact.value, fact.unit, fact.qualifier)}",
        _scale_hint(value, said) or "correct the value, or quote the passage that states it",
    )


def _scale_hint(value: Decimal, said: list[Mention]) -> str | None:
    """A hint when the value is the quoted number off by a power of ten (a slip of scale)."""
    for mention in said:
        if mention.number and value:
            ratio = value / mention.number
            power = ratio.log10() if ratio > 0 else Decimal(0)
            if power == power.to_integral_value() and power != 0:
                times = f"{Decimal(10) ** abs(int(power)):,f}"
                share = f"{times} times" if power > 0 else f"1/{times} of"
                return f"the value is {share} '{mention.text}': check the scale (thousand, million, billion)"
    return None


def _nearest(quote: str, source: str) -> str:
    """A hint quoting the closest passage of the source."""
    words = source.split(" ")
    size = max(len(quote.split(" ")), 1)
    windows = [" ".join(words[i : i + size]) for i in range(max(len(words) - size + 1, 1))]
    best = difflib.get_close_matches(quote, windows, n=1, cutoff=0.6)
    return f'the source has: "{best[0]}"' if best else "copy the passage exactly as the source writes it"
