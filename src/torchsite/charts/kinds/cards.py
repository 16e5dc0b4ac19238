"""Cards: key figures side by side, where a chart would compare things that do not compare."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from torchsite.charts.base import MAX_MARKS, ChartBase, Mark
from torchsite.charts.kind import Kind, listing, mark_refs, mark_rows, phrase
from torchsite.charts.model import KeyLine, Part, Row, plain
from torchsite.inputs.diagnostics import Key
from torchsite.inputs.figures import Figure
from torchsite.inputs.formatting import Formatter
from torchsite.inputs.languages import Language


class CardsChart(ChartBase):
    """Key figures as cards, where a chart would compare things that do not compare."""

    type: Literal["cards"] = Field(description="The chart kind: key figures as cards")
    cards: list[Mark] = Field(
        min_length=1, max_length=MAX_MARKS, description="The figures, one card each, in reading order"
    )


class Cards(Kind[CardsChart]):
    """Cards are HTML only: no Plotly figure, no key."""

    name = "cards"
    spec_model = CardsChart
    drawn = False

    def references(self, spec: CardsChart) -> list[tuple[Key, str]]:
        """The cards' figures."""
        return mark_refs("cards", spec.cards)

    def unfit(self, spec: CardsChart, path: Key, figure: Figure) -> tuple[str, str] | None:
        """A card can show any figure."""
        return None

    def rows(self, spec: CardsChart, figures: dict[str, Figure], fmt: Formatter) -> tuple[Row, ...]:
        """One row per card."""
        return mark_rows(spec.cards, figures, fmt)

    def words(
        self, spec: CardsChart, rows: tuple[Row, ...], figures: dict[str, Figure], fmt: Formatter
    ) -> tuple[str, tuple[Part, ...]]:
        """Every card's label and figure."""
        t = fmt.messages
        listed = listing(rows, fmt)
        alt = t.gettext("Key figures. %(listed)s.", listed=plain(listed))
        return alt, tuple([*listed, *phrase(t.gettext("."))])

    def key(self, spec: CardsChart, rows: tuple[Row, ...], words: Language) -> tuple[KeyLine, ...]:
        """Cards draw no marks to explain."""
        return ()


KIND = Cards()
