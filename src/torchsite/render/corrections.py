"""Corrections as readers see them: each fact's history, and the latest date the story was updated."""

from __future__ import annotations

from dataclasses import dataclass

from torchsite.inputs.facts import FactSheet
from torchsite.render.formatting import ENGLISH, Formatter


@dataclass(frozen=True)
class Entry:
    """One correction, ready to show: the fact, the date in words, and what the site said before."""

    fact: str
    date: str  # YYYY-MM-DD, for <time datetime>
    date_text: str
    previous_text: str
    note: str


def history(sheet: FactSheet, fmt: Formatter = ENGLISH) -> dict[str, list[Entry]]:
    """Each corrected fact's corrections, oldest first, with values formatted like the fact."""
    return {
        fact.id: [
            Entry(
                fact.id,
                c.date,
                fmt.value(c.date, "day"),
                fmt.value(c.previous, fact.unit, c.previous_qualifier or fact.qualifier),
                c.note,
            )
            for c in fact.corrections
        ]
        for fact in sheet.facts
        if fact.corrections
    }


def latest(sheet: FactSheet, fmt: Formatter = ENGLISH) -> Entry | None:
    """The most recent correction on the sheet (the first fact in sheet order on a tie), or None."""
    entries = [entry for entries in history(sheet, fmt).values() for entry in entries]
    return max(entries, key=lambda e: e.date, default=None)
