"""The data downloads: the fact sheet as CSV and JSON, and its JSON Schema, for /data/."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from torchsite.inputs.facts import NO_UNITS, FactSheet
from torchsite.inputs.figures import Figure
from torchsite.inputs.hedges import HEDGE_WORDS, decimal
from torchsite.inputs.units import UnitSpec
from torchsite.render import schemas
from torchsite.render.formatting import spreadsheet_text

CSV_COLUMNS = [
    "id",
    "kind",
    "theme",
    "label",
    "value",
    "unit",
    "qualifier",
    "hedge",
    "text",
    "as_of",
    "source",
    "quote",
    "inferred",
    "note",
    "formula",
    "inputs",
    "unrounded",
]
NUMERIC_COLUMNS = frozenset({"value", "unrounded"})


@dataclass(frozen=True)
class Download:
    """One file offered on the data page, with what a reader needs to know before fetching it."""

    path: str  # below the site root, e.g. "data/facts.csv"
    title: str
    description: str
    media_type: str
    data: bytes
    columns: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The file name alone."""
        return self.path.rsplit("/", 1)[-1]

    @property
    def size(self) -> str:
        """The size as a reader reads it: '812 bytes', '6.4 KB'."""
        return human_size(len(self.data))


def human_size(count: int) -> str:
    """Bytes in words: under a kilobyte exactly, else kilobytes or megabytes with one decimal."""
    if count < 1000:
        return f"{count} bytes"
    if count < 1_000_000:
        return f"{count / 1000:.1f} KB"
    return f"{count / 1_000_000:.1f} MB"


def plain_value(value: float | int | str | None) -> str:
    """A value as a CSV cell: digits as written in facts.yaml (no separators, no exponent), dates as given."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(decimal(value), "f")
    return str(value)


def facts_rows(sheet: FactSheet, figures: dict[str, Figure]) -> list[dict[str, str]]:
    """One row per fact and derived figure, in sheet order, with the text the site shows."""
    rows = []
    for ident, figure in figures.items():
        row = {
            "id": ident,
            "kind": figure.kind,
            "theme": figure.theme,
            "label": figure.label,
            "value": plain_value(figure.value),
            "unit": figure.unit,
            "qualifier": figure.qualifier,
            "hedge": HEDGE_WORDS[figure.qualifier],
            "text": figure.text,
            "as_of": figure.as_of or "",
            "formula": figure.formula or "",
            "inputs": " ".join(figure.inputs),
            "unrounded": plain_value(figure.unrounded),
        }
        if figure.kind == "fact":
            fact = sheet.fact(ident)
            row |= {
                "source": fact.source,
                "quote": fact.quote,
                "inferred": fact.inferred or "",
                "note": fact.note or "",
            }
        else:
            note = next(d.note for d in sheet.derived if d.id == ident)
            row |= {"source": "", "quote": "", "inferred": "", "note": note or ""}
        rows.append(row)
    return rows


def facts_csv(sheet: FactSheet, figures: dict[str, Figure]) -> bytes:
    """The fact sheet as one CSV table (UTF-8, a header row, RFC 4180 quoting)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in facts_rows(sheet, figures):
        number = figures[row["id"]].is_number  # its value columns hold digits, a leading minus included
        writer.writerow({k: v if number and k in NUMERIC_COLUMNS else spreadsheet_text(v) for k, v in row.items()})
    return buffer.getvalue().encode("utf-8")


def facts_json(sheet: FactSheet) -> bytes:
    """The fact sheet exactly as validated: it loads back into the same model and meets the schema."""
    return _json(sheet.model_dump(mode="json"))


def downloads(sheet: FactSheet, figures: dict[str, Figure], table: Mapping[str, UnitSpec] = NO_UNITS) -> list[Download]:
    """Every download the data page lists, built in memory (`table`: the project's units)."""
    return [
        Download(
            "data/facts.csv",
            "Every figure, as a table",
            "One row per fact and derived figure: its value as plain digits, unit, hedge, the text the site "
            "shows, the period, the verbatim quote for stated facts, and the formula and inputs for derived "
            "ones. UTF-8, comma-separated, with a header row.",
            "text/csv",
            facts_csv(sheet, figures),
            CSV_COLUMNS,
        ),
        Download(
            "data/facts.json",
            "The fact sheet, as JSON",
            "The fact sheet exactly as the build validated it: sources, themes, facts and derived-figure "
            "formulas. It follows the JSON Schema below.",
            "application/json",
            facts_json(sheet),
            list(FactSheet.model_fields),
        ),
        Download(
            "data/facts.schema.json",
            "The fact sheet's JSON Schema",
            "The rules every fact sheet must meet, generated from the model the build uses. Point an editor's "
            "YAML or JSON tooling at it to check content/facts.yaml while typing.",
            "application/schema+json",
            schemas.text("facts").encode("utf-8"),
        ),
    ]


def _json(data: Any) -> bytes:
    """Stable, readable JSON: two-space indent, UTF-8 text, a final newline."""
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
