"""The reader's card data: for each figure and claim a page cites, what its card shows, as one JSON block."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from markupsafe import escape

from torchsite.charts.model import json_for_script
from torchsite.inputs.facts import FactSheet
from torchsite.inputs.figures import Figure, explain
from torchsite.inputs.formatting import Formatter

_CITED = re.compile(r'\bdata-(fact|claim)="([^"]+)"')
_BODY_END = "</body>"


@dataclass(frozen=True)
class Claim:
    """A statement without a number, as its card shows it: the verbatim passage and the source's title."""

    passage: str
    source: str
    source_url: str | None = None  # the source's own address, when the fact sheet gives one


def fact_card(
    figure: Figure, figures: dict[str, Figure], sheet: FactSheet, url: str, fmt: Formatter
) -> dict[str, str | None]:
    """One figure's card: value with hedge and period, the hedge explained, the passage or the working, the source."""
    fact = figure.fact
    return {
        "text": fmt.words.period.stated.format(value=figure.text, period=figure.period or figure.as_of)
        if figure.as_of
        else figure.text,
        "label": figure.label,
        "hedge": fmt.words.explained(figure.qualifier, derived=fact is None),
        "passage": figure.quote,
        "inferred": fmt.messages.gettext(fact.inferred) if fact and fact.inferred else None,
        "source": sheet.source(fact.source).title if fact else fmt.messages.gettext("Derived from the fact sheet"),
        "working": None if fact else explain(figure, figures, fmt),
        "url": url,
        **({"source_url": sheet.source(fact.source).url} if fact and sheet.source(fact.source).url else {}),
    }


@dataclass(frozen=True)
class Deck:
    """What every card is made from: the figures, the sheet, the claims as cards show them, the site's formatter."""

    figures: dict[str, Figure]
    sheet: FactSheet
    claims: Mapping[str, Claim]
    fmt: Formatter


def card_data(html: str, deck: Deck, facts_href: str) -> str:
    """The JSON of every card the page's HTML cites (facts and claims), links relative to `facts_href`."""
    figures, sheet, claims = deck.figures, deck.sheet, deck.claims
    cited: dict[str, set[str]] = {"fact": set(), "claim": set()}
    for kind, ident in _CITED.findall(html):
        cited[kind].add(ident)
    data = {
        "facts": {
            i: fact_card(figures[i], figures, sheet, f"{facts_href}#{i}", deck.fmt)
            for i in cited["fact"]
            if i in figures
        },
        "claims": {
            i: {
                "passage": claims[i].passage,
                "source": claims[i].source,
                "url": f"{facts_href}#{i}",
                **({"source_url": claims[i].source_url} if claims[i].source_url else {}),
            }
            for i in cited["claim"]
            if i in claims
        },
    }
    return json_for_script(data)


def page_cards(html: str, deck: Deck, facts_href: str) -> str | None:
    """The card data of a page (None for a page that cites nothing): a file of its own, fetched by reader.js as the
    page loads, so the words of every card never weigh on the page's first round trip."""
    if not _CITED.search(html) or _BODY_END not in html:
        return None
    return card_data(html, deck, facts_href)


def add_card_data(html: str, src: str) -> str:
    """The page with its card-data block before </body>: empty, naming the file that holds the data (`src`,
    relative to the page); reader.js fills it once fetched."""
    block = f'<script type="application/json" id="card-data" data-src="{escape(src)}"></script>\n'
    head, _, tail = html.rpartition(_BODY_END)
    return f"{head}{block}{_BODY_END}{tail}"
