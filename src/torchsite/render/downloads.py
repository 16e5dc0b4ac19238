"""The data downloads: the fact sheet as CSV and JSON, and its JSON Schema, for /data/."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from torchsite.charts.model import Chart
from torchsite.inputs.facts import FactSheet
from torchsite.inputs.figures import Figure
from torchsite.inputs.formatting import Formatter, spreadsheet_text
from torchsite.inputs.hedges import decimal
from torchsite.inputs.messages import ENGLISH, N_, Messages
from torchsite.inputs.units import unit_label
from torchsite.render import corrections, schemas

CSV_COLUMNS = [
    "id",
    "kind",
    "theme",
    "label",
    "value",
    "date",
    "unit",
    "unit_label",
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
    "corrections",
]
CORRECTION_COLUMNS = [
    "fact",
    "number",
    "date",
    "previous_value",
    "previous_date",
    "unit",
    "unit_label",
    "previous_qualifier",
    "previous_hedge",
    "previous_text",
    "note",
]
# What each CSV column holds, in words: the data page lists them under each file, so no column's name has to be
# dropped into a sentence.
COLUMN_NOTES = {
    "id": N_("the figure's name on the fact sheet (its anchor there)"),
    "kind": N_("fact, stated by the source, or derived, computed from facts"),
    "theme": N_("the fact sheet's section it belongs to"),
    "label": N_("what the figure measures, in words"),
    "value": N_("the number alone, as plain digits; empty for a date"),
    "date": N_(
        "a year, month or day as ISO text (YYYY, YYYY-MM or YYYY-MM-DD); a day the source gives without a year "
        "as '--MM-DD, the apostrophe keeping any spreadsheet from reading it as a sum or a day of this year"
    ),
    "unit": N_("the unit's code"),
    "unit_label": N_("the unit as a reader reads it"),
    "qualifier": N_("the hedge's code"),
    "hedge": N_("the hedge in words (“about”, “more than”); empty when the figure is exact"),
    "text": N_("the figure as the site shows it, hedge and unit included"),
    "as_of": N_("the period it refers to, in the source's words"),
    "when": N_("the event's place in time, as the timeline shows it"),
    "source": N_("the source it comes from"),
    "quote": N_("the source's words that state it, verbatim; empty for a derived figure"),
    "inferred": N_("what the figure reads into the text beyond its words, if anything"),
    "note": N_("an editor's note"),
    "formula": N_("for a derived figure, its formula, written with the figures' names"),
    "inputs": N_("for a derived figure, the names of the figures it is computed from"),
    "unrounded": N_("for a derived figure, the result before rounding: a working, not a figure to quote"),
    "corrections": N_("how many times the value has been corrected"),
    "fact": N_("the corrected fact's name on the fact sheet"),
    "number": N_("the correction's number, counting from 1 for each fact"),
    "previous_value": N_("the number the site showed before, as plain digits"),
    "previous_date": N_("the date the site showed before, written as in facts.csv"),
    "previous_qualifier": N_("the previous hedge's code"),
    "previous_hedge": N_("the previous hedge in words"),
    "previous_text": N_("the figure as the site showed it before"),
}
# What each top-level key of facts.json holds: the model's field descriptions, lower-cased, as catalog messages (a test
# keeps them equal to the model's).
PART_NOTES = {
    "sources": N_("where the facts come from"),
    "themes": N_("the headings facts are grouped under"),
    "facts": N_("every figure the sources state"),
    "derived": N_("figures computed from facts by formulas the site shows"),
    "claims": N_("statements without a number, each with its verbatim passage"),
    "terms": N_("names written with digits ('fy 2024-25'), each with its verbatim quote: {{term:id}} in text"),
}
# Cells that hold a plain number or nothing: written as digits, never prefixed (a negative value stays a number).
NUMERIC_COLUMNS = frozenset({"value", "unrounded", "corrections", "number", "previous_value"})
DATE_UNITS = frozenset({"year", "month", "day"})  # their values go in a `date` column, as ISO text


@dataclass(frozen=True)
class Download:
    """One file offered on the data page, with what a reader needs to know before fetching it."""

    path: str  # below the site root, e.g. "data/facts.csv"
    title: str
    description: str
    media_type: str
    data: bytes
    columns: list[str] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)  # what a column holds in this file, where COLUMN_NOTES differs
    words: Messages = ENGLISH  # the site's language, for the words the data page shows of the file

    @property
    def name(self) -> str:
        """The file name alone."""
        return self.path.rsplit("/", 1)[-1]

    @property
    def column_notes(self) -> list[tuple[str, str]]:
        """Each column (or top-level key) with what it holds, in words."""
        if self.media_type == "text/csv":
            return [(name, self.words.gettext(self.notes.get(name) or COLUMN_NOTES[name])) for name in self.columns]
        fields = FactSheet.model_fields
        notes = {name: PART_NOTES.get(name) or (fields[name].description or "").lower() for name in fields}
        return [(name, self.words.gettext(notes[name])) for name in self.columns if name in fields]

    @property
    def size(self) -> str:
        """The size as a reader reads it: '812 bytes', '6.4 KB'."""
        return human_size(len(self.data), self.words)


def human_size(count: int, words: Messages = ENGLISH) -> str:
    """Bytes in words: under a kilobyte exactly, else kilobytes or megabytes with one decimal."""
    if count < 1000:
        return words.ngettext("%(num)d byte", "%(num)d bytes", count)
    if count < 1_000_000:
        return f"{count / 1000:.1f} KB"
    return f"{count / 1_000_000:.1f} MB"


def plain_value(value: float | int | str | None, stated: int | None = None) -> str:
    """A value as a CSV cell: digits as written in facts.yaml (no separators, no exponent), dates as given.

    `stated`: the decimals the source shows, zeros kept ('0.363210', '219.30'), as the page shows them.
    """
    if value is None:
        return ""
    if stated is not None and stated > 0 and not isinstance(value, str):
        return format(decimal(value).quantize(Decimal(1).scaleb(-stated)), "f")
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(decimal(value), "f")
    return str(value)


def typed(value: float | int | str, unit: str, stated: int | None = None) -> tuple[str, str]:
    """A value as its (number, date) cells: a quantity fills the first, a year, month or day the second."""
    return ("", plain_value(value)) if unit in DATE_UNITS else (plain_value(value, stated), "")


def amount_cells(
    value: float | int | str, unit: str, qualifier: str, fmt: Formatter, stated: int | None = None
) -> dict[str, str]:
    """A value's typed cells, as every table writes them: number or date, unit and its label, qualifier and hedge."""
    number, date = typed(value, unit, stated)
    return {
        "value": number,
        "date": date,
        "unit": unit,
        "unit_label": unit_label(unit, fmt.lang, fmt.unit_table),
        "qualifier": qualifier,
        "hedge": fmt.words.hedge(qualifier),
    }


def facts_rows(sheet: FactSheet, figures: dict[str, Figure], fmt: Formatter) -> list[dict[str, str]]:
    """One row per fact and derived figure, in sheet order, with the text the site shows."""
    rows = []
    for ident, figure in figures.items():
        fact = figure.fact
        rows.append(
            {
                "id": ident,
                "kind": figure.kind,
                "theme": figure.theme,
                "label": figure.label,
                **amount_cells(figure.value, figure.unit, figure.qualifier, fmt, figure.stated),
                "text": figure.text,
                "as_of": figure.as_of or "",
                "source": figure.source or "",
                "quote": figure.quote or "",  # a derived figure has none: its formula is its source
                "inferred": (fact.inferred if fact else None) or "",
                "note": figure.note or "",
                "formula": figure.formula or "",
                "inputs": " ".join(figure.inputs),
                "unrounded": plain_value(figure.unrounded),
                "corrections": str(len(fact.corrections)) if fact else "0",
            }
        )
    return rows


def correction_rows(sheet: FactSheet, fmt: Formatter) -> list[dict[str, str]]:
    """One row per correction, facts in sheet order and each fact's oldest first, typed like facts.csv."""
    entries = corrections.history(sheet, fmt)
    rows = []
    for fact in sheet.facts:
        for number, (correction, entry) in enumerate(zip(fact.corrections, entries.get(fact.id, []), strict=True), 1):
            before = amount_cells(correction.previous, fact.unit, correction.previous_qualifier or fact.qualifier, fmt)
            rows.append(
                {
                    "fact": fact.id,
                    "number": str(number),
                    "date": correction.date,
                    "previous_value": before["value"],
                    "previous_date": before["date"],
                    "unit": fact.unit,
                    "unit_label": before["unit_label"],
                    "previous_qualifier": before["qualifier"],
                    "previous_hedge": before["hedge"],
                    "previous_text": entry.previous_text,
                    "note": correction.note,
                }
            )
    return rows


def table_csv(columns: Sequence[str], rows: list[dict[str, str]]) -> bytes:
    """Rows as one CSV table (UTF-8, a header row, RFC 4180 quoting): numbers plain, text never a formula."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: v if k in NUMERIC_COLUMNS else spreadsheet_text(v) for k, v in row.items()})
    return buffer.getvalue().encode("utf-8")


def facts_csv(sheet: FactSheet, figures: dict[str, Figure], fmt: Formatter) -> bytes:
    """The fact sheet as one CSV table, a row per figure."""
    return table_csv(CSV_COLUMNS, facts_rows(sheet, figures, fmt))


def corrections_csv(sheet: FactSheet, fmt: Formatter) -> bytes:
    """Every correction as one CSV table, a row per correction (the header alone when there is none)."""
    return table_csv(CORRECTION_COLUMNS, correction_rows(sheet, fmt))


def chart_columns(chart: Chart) -> list[str]:
    """A chart CSV's columns: the table's data with value, date, unit and hedge split out, as in facts.csv."""
    when = ["when"] if any(name == "when" for _, name in chart.columns) else []
    head = ["id", "label", "value", "date", "unit", "unit_label", "qualifier", "hedge", "text", "as_of", *when]
    return [*head, "quote", "formula"]  # what the row rests on: a verbatim quote, or a derived figure's formula


def chart_rows(chart: Chart, fmt: Formatter) -> list[dict[str, str]]:
    """A chart's table rows, in its order, with the chart's own labels and the figures' quotes or formulas."""
    rows = []
    for row in chart.rows:
        figure = chart.figures[row.id]
        cells = {
            "id": row.id,
            "label": row.label,
            **amount_cells(row.value, row.unit, row.qualifier, fmt, figure.stated),
            "text": row.text,
            "as_of": figure.as_of or "",
            "when": row.when,
            "quote": figure.quote or "",
            "formula": figure.formula or "",
        }
        rows.append({k: cells[k] for k in chart_columns(chart)})
    return rows


def chart_csv(chart: Chart, fmt: Formatter) -> bytes:
    """A chart's data as CSV: exactly the rows of its table."""
    return table_csv(chart_columns(chart), chart_rows(chart, fmt))


def facts_json(sheet: FactSheet) -> bytes:
    """The fact sheet exactly as validated, corrections included: it loads back into the model and meets the schema."""
    exclude: dict[str, Any] = {} if sheet.terms else {"terms": True}
    if not any(f.year_from for f in sheet.facts):  # a field no fact uses is left out, as terms are
        exclude["facts"] = {"__all__": {"year_from"}}
    return _json(sheet.model_dump(mode="json", exclude=exclude or None))


def downloads(sheet: FactSheet, figures: dict[str, Figure], fmt: Formatter) -> list[Download]:
    """Every download the data page lists, built in memory, in the site's language and units."""
    t = fmt.messages
    count = sum(len(f.corrections) for f in sheet.facts)
    corrected = sum(1 for f in sheet.facts if f.corrections)
    held = (
        t.gettext(
            "%(corrections)s to %(facts)s.",
            corrections=t.ngettext("%(num)d correction", "%(num)d corrections", count),
            facts=t.ngettext("%(num)d fact", "%(num)d facts", corrected),
        )
        if count
        else t.gettext("No fact has been corrected: the file holds its header row only.")
    )
    return [
        Download(
            "data/facts.csv",
            t.gettext("Every figure, as a table"),
            t.gettext(
                "One row per figure on the fact sheet, stated or derived: the figure as the site shows it, its value, "
                "unit, hedge and period, each in its own column, and the source's verbatim words or the formula it "
                "comes from. Numbers are plain digits and dates ISO text, so a spreadsheet reads them as they are. "
                "UTF-8, comma-separated, with a header row."
            ),
            "text/csv",
            facts_csv(sheet, figures, fmt),
            CSV_COLUMNS,
            words=t,
        ),
        Download(
            "data/corrections.csv",
            t.gettext("Corrections, as a table"),
            t.gettext(
                "One row per correction to a published value, oldest first for each fact: when it was corrected, what "
                "the site showed before, and the note saying what was wrong. %(held)s",
                held=held,
            ),
            "text/csv",
            corrections_csv(sheet, fmt),
            CORRECTION_COLUMNS,
            {"date": N_("the correction's date (YYYY-MM-DD)"), "note": N_("what was wrong")},
            words=t,
        ),
        Download(
            "data/facts.json",
            t.gettext("The fact sheet, as JSON"),
            t.gettext(
                "The fact sheet exactly as the build validated it: its sources and themes, the facts with their "
                "hedges, periods, quotes and corrections, the derived figures with their formulas, and the claims. It "
                "follows the JSON Schema below."
            ),
            "application/json",
            facts_json(sheet),
            list(FactSheet.model_fields),
            words=t,
        ),
        Download(
            "data/facts.schema.json",
            t.gettext("The fact sheet's JSON Schema"),
            t.gettext(
                "The rules every fact sheet must meet, generated from the model the build uses. Point an editor's "
                "YAML or JSON tooling at it to check content/facts.yaml while typing."
            ),
            "application/json",  # application/schema+json is not a registered media type
            schemas.text("facts").encode("utf-8"),
            words=t,
        ),
    ]


def _json(data: Any) -> bytes:
    """Stable, readable JSON: two-space indent, UTF-8 text, a final newline."""
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def chart_downloads(charts: list[Chart], fmt: Formatter) -> list[Download]:
    """Each chart's CSV, as the data page lists it."""
    return [
        Download(
            chart_csv_path(chart),
            fmt.messages.gettext("Chart data: %(title)s", title=chart.title_text),
            fmt.messages.gettext(
                "One row per figure the chart shows, as its table lists them, with the same columns as facts.csv "
                "and each row's verbatim quote or formula."
            ),
            "text/csv",
            chart_csv(chart, fmt),
            chart_columns(chart),
            words=fmt.messages,
        )
        for chart in charts
    ]


def chart_csv_path(chart: Chart) -> str:
    """Where a chart's CSV is published."""
    return f"data/charts/{chart.id}.csv"
