"""Corrections as readers see them: each fact's history, and the latest update the story and chart pages name."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from torchsite.inputs.facts import Fact, FactSheet
from torchsite.inputs.formatting import Formatter


@dataclass(frozen=True)
class Entry:
    """One correction, ready to show: the fact, the date in words, and what the site said before and after."""

    fact: str
    label: str  # the fact's label, which the story's "Updated" line names and links
    date: str  # YYYY-MM-DD, for <time datetime>
    date_text: str
    previous_text: str  # the value the site showed before, with the hedge it had
    corrected_text: str  # the value the correction put in its place: the next correction's previous, or today's
    note: str


def _entries(fact: Fact, fmt: Formatter) -> list[Entry]:
    """One fact's corrections, oldest first; each says what the value became (the next one's before, or today's)."""
    shown = [fmt.value(c.previous, fact.unit, c.previous_qualifier or fact.qualifier) for c in fact.corrections]
    after = [*shown[1:], fmt.value(fact.value, fact.unit, fact.qualifier)]
    return [
        Entry(fact.id, fact.label, c.date, fmt.value(c.date, "day"), before, now, c.note)
        for c, before, now in zip(fact.corrections, shown, after, strict=True)
    ]


def history(sheet: FactSheet, fmt: Formatter) -> dict[str, list[Entry]]:
    """Each corrected fact's corrections, oldest first, with values formatted like the fact."""
    return {fact.id: _entries(fact, fmt) for fact in sheet.facts if fact.corrections}


def latest(sheet: FactSheet, fmt: Formatter, facts: Iterable[str] | None = None) -> list[Entry]:
    """The corrections made on the most recent correction date (of the given facts, else of all), in sheet order."""
    wanted = None if facts is None else set(facts)
    entries = [
        entry for ident, found in history(sheet, fmt).items() if wanted is None or ident in wanted for entry in found
    ]
    last = max((entry.date for entry in entries), default=None)
    return [entry for entry in entries if entry.date == last]
