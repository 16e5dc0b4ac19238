"""The chart kinds by their type name: adding a kind is one module in kinds/ and one entry here."""

from __future__ import annotations

from typing import Any

from torchsite.charts.base import ChartBase
from torchsite.charts.kind import Kind
from torchsite.charts.kinds import cards, parts, shares, then_now, timeline

KINDS: dict[str, Kind[Any]] = {k.name: k for k in (shares.KIND, then_now.KIND, parts.KIND, timeline.KIND, cards.KIND)}
_BY_MODEL: dict[type[ChartBase], Kind[Any]] = {k.spec_model: k for k in KINDS.values()}


def kind_of(spec: ChartBase) -> Kind[Any]:
    """The kind a validated spec is of."""
    return _BY_MODEL[type(spec)]
