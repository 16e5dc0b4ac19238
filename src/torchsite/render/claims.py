"""Claims as the reader's card shows them: the verbatim passage, its source, and the link to its entry."""

from __future__ import annotations

from torchsite.inputs.facts import FactSheet


def claim_cards(sheet: FactSheet, facts_href: str) -> dict[str, dict[str, str]]:
    """Each claim by id: its passage, its source's title and its entry's URL (`facts_href`: the fact sheet)."""
    return {
        claim.id: {
            "passage": claim.passage,
            "source": sheet.source(claim.source).title,
            "url": f"{facts_href}#{claim.id}",
        }
        for claim in sheet.claims
    }
