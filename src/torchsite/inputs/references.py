"""References and citations, parsed in one place: `{{fact}}`, `{{fact:as_of}}`, `{{chart:id}}`, `{{term:id}}`,
`[[claim, claim]]`."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from torchsite.inputs.figures import Figure

REF = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
CITE = re.compile(r"\[\[([^\[\]]*)\]\]")
CHART_LINE = re.compile(r"\s*\{\{\s*chart:(?P<id>[a-z][a-z0-9_]*)\s*\}\}\s*")
_FACT = re.compile(r"(?P<id>[a-z][a-z0-9_]*)(?::(?P<part>as_of))?")
_CHART = re.compile(r"chart:(?P<id>[a-z][a-z0-9_]*)")
_TERM = re.compile(r"term:(?P<id>[a-z][a-z0-9_]*)")
NO_TERMS: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True)
class Reference:
    """One `{{...}}` of a text: a figure (or its period), a chart, a name with digits, or something unreadable."""

    kind: Literal["fact", "chart", "term", "unknown"]
    ident: str  # the figure's or chart's id ("" for an unknown reference)
    part: str  # "as_of" for the period a figure refers to, else ""
    body: str  # what stands between the braces
    written: str  # as written, braces included
    start: int  # where it starts in the text


def parse(body: str, written: str = "", start: int = 0) -> Reference:
    """What the inside of one `{{...}}` names."""
    if chart := _CHART.fullmatch(body):
        return Reference("chart", chart["id"], "", body, written, start)
    if term := _TERM.fullmatch(body):
        return Reference("term", term["id"], "", body, written, start)
    if fact := _FACT.fullmatch(body):
        return Reference("fact", fact["id"], fact["part"] or "", body, written, start)
    return Reference("unknown", "", "", body, written, start)


def references(text: str) -> Iterator[Reference]:
    """Every `{{...}}` of a text, in order."""
    for match in REF.finditer(text):
        yield parse(match.group(1), match.group(0), match.start())


def fact_ids(text: str) -> list[str]:
    """The ids of the figures a text refers to, in order, each once."""
    return list(dict.fromkeys(ref.ident for ref in references(text) if ref.kind == "fact"))


def claim_ids(body: str) -> list[str]:
    """The claim ids of one citation's inside, `a` or `a, b`."""
    return [part.strip() for part in body.split(",")]


def cited_claims(text: str) -> tuple[str, ...]:
    """The ids of the claims a text cites, in order."""
    return tuple(ident for match in CITE.finditer(text) for ident in claim_ids(match.group(1)))


def reference_text(ref: Reference, figures: dict[str, Figure], terms: Mapping[str, str] = NO_TERMS) -> str:
    """What a checked reference shows: the figure, the period it refers to, or a name as the source writes it."""
    if ref.kind == "term":
        return terms.get(ref.ident, ref.ident)  # a tool without the sheet's terms (impact) shows the id
    figure = figures[ref.ident]
    return (figure.period or figure.as_of or "") if ref.part == "as_of" else figure.text
