"""Charts from specs and figures: data rows, a Plotly figure, table, CSV, alt text and description."""

from __future__ import annotations

import csv
import io
import json
import textwrap
from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go
from markupsafe import Markup, escape

from torchsite.charts.spec import (
    CardsChart,
    ChartSpec,
    Event,
    Mark,
    PartsChart,
    SharesChart,
    ThenNowChart,
    TimelineChart,
)
from torchsite.inputs.facts import FactSheet
from torchsite.inputs.figures import Figure
from torchsite.inputs.hedges import APPROX, HEDGE_WORDS, LOWER, UPPER
from torchsite.render.formatting import format_date

WIDTH = 640
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif'
LABEL_WIDTH = 36  # characters per line of a timeline label: fits a phone-width chart


@dataclass(frozen=True)
class Palette:
    """The colours of one scheme; each distinct, so a light figure can be recoloured by lookup."""

    fg: str
    muted: str
    grid: str
    primary: str
    secondary: str
    hover_bg: str


# Text colours meet 4.5:1 and marks 3:1 against the page background of each scheme (site.css).
LIGHT = Palette(
    fg="#1a1a1a", muted="#595959", grid="#d0d0d0", primary="#a4331c", secondary="#0b5cad", hover_bg="#fffffe"
)
DARK = Palette(
    fg="#ececec", muted="#b3b3b3", grid="#3a3a3a", primary="#ff9b7a", secondary="#8cc4ff", hover_bg="#1f1f1f"
)


@dataclass(frozen=True)
class Row:
    """One line of a chart's data: a figure with the label the chart gives it."""

    id: str
    label: str
    value: float | int | str
    unit: str
    qualifier: str
    text: str
    evidence: str
    when: str = ""
    sort: float | None = None  # position on a time axis; None for undated events
    style: str = "primary"
    mark: str = ""  # "by" or "goal" for timeline events
    show_text: bool = False  # a timeline event whose figure is an amount, shown beside its label


Part = str | tuple[str, str]  # plain text, or (figure id, the figure's text)


@dataclass(frozen=True)
class Chart:
    """A chart ready to render: its rows, words and (for drawn types) its Plotly figure."""

    spec: ChartSpec
    rows: tuple[Row, ...]
    title_text: str
    alt: str
    description: tuple[Part, ...]
    sources: tuple[tuple[str, str], ...]  # (source id, how the fact sheet names it)
    key: tuple[str, ...]
    figure: dict[str, Any] | None = None
    dark_colors: dict[str, str] = field(default_factory=dict)
    figures: dict[str, Figure] = field(default_factory=dict, repr=False, compare=False)

    @property
    def id(self) -> str:
        """The chart's id."""
        return self.spec.id

    @property
    def drawn(self) -> bool:
        """True for charts drawn by Plotly; cards are HTML only."""
        return self.figure is not None

    @property
    def height(self) -> int:
        """Height in pixels at full width."""
        return self.spec.height

    @property
    def has_derived(self) -> bool:
        """True when a row is a derived figure (its evidence is a formula, not a quote)."""
        return any(r.evidence.startswith("Derived:") for r in self.rows)

    @property
    def columns(self) -> tuple[tuple[str, str], ...]:
        """The table's columns: (heading, Row attribute)."""
        if isinstance(self.spec, TimelineChart):
            return (("When", "when"), ("Event", "label"), ("Source", "evidence"))
        return (("What", "label"), ("Figure", "text"), ("Source", "evidence"))

    @property
    def csv_columns(self) -> tuple[str, ...]:
        """The CSV's columns: the table's data, with the value, unit and hedge split out."""
        when = ("when",) if isinstance(self.spec, TimelineChart) else ()
        return ("id", "label", "value", "unit", "qualifier", "text", *when, "evidence")

    def csv(self) -> str:
        """The chart's data as CSV, exactly the rows of its table."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.csv_columns)
        for row in self.rows:
            writer.writerow([_csv_value(getattr(row, name)) for name in self.csv_columns])
        return buffer.getvalue()

    def title_html(self, fact_href: str) -> Markup:
        """The title as HTML, each figure in it a link to its fact-sheet entry."""
        from torchsite.inputs.story import render

        return Markup(render(self.spec.title, self.figures, fact_href, inline=True))

    def description_text(self) -> str:
        """The longer description as plain text."""
        return "".join(p if isinstance(p, str) else p[1] for p in self.description)

    def description_html(self, fact_href: str) -> Markup:
        """The longer description as HTML, every figure a link to its fact-sheet entry."""
        return Markup("").join(p if isinstance(p, str) else fact_link(p[0], p[1], fact_href) for p in self.description)

    def figure_json(self) -> str:
        """The figure and its dark-scheme colour map as JSON that is safe inside a <script> element."""
        data = {"figure": self.figure, "dark": self.dark_colors}
        return json_for_script(data)


def fact_link(ident: str, text: str, fact_href: str) -> Markup:
    """A figure as the site's one kind of fact link."""
    return Markup('<a class="fact" data-fact="{0}" href="{1}#{0}">{2}</a>').format(ident, fact_href, text)


def json_for_script(data: Any) -> str:
    """Deterministic JSON with <, > and & escaped, so no text in it can close the <script> element."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _csv_value(value: Any) -> str:
    """A CSV cell: numbers as plain digits, text as is."""
    if isinstance(value, float):
        return repr(value).removesuffix(".0") if value.is_integer() else repr(value)
    return str(value)


# --- Building charts --------------------------------------------------------------------------


def build(spec: ChartSpec, figures: dict[str, Figure], sheet: FactSheet) -> Chart:
    """Turn one validated spec into a chart: rows, words, and the light figure with its dark map."""
    rows = chart_rows(spec, figures, sheet)
    title = plain_title(spec.title, figures)
    words = _WORDS[type(spec)](spec, rows, figures)
    source = chart_sources(rows, sheet)
    if isinstance(spec, CardsChart):
        return Chart(spec, rows, title, words[0], words[1], source, (), figures=figures)
    light = plotly_figure(spec, rows, figures, LIGHT, words[0])
    dark = plotly_figure(spec, rows, figures, DARK, words[0])
    colors = dark_map()
    assert recolor(light, colors) == dark, "a chart used a colour outside its palette"
    return Chart(spec, rows, title, words[0], words[1], source, chart_key(spec, rows), light, colors, figures)


def dark_map() -> dict[str, str]:
    """Light colour -> dark colour, for the browser to switch schemes without a second figure."""
    return {getattr(LIGHT, name): getattr(DARK, name) for name in LIGHT.__dataclass_fields__}


def recolor(value: Any, colors: dict[str, str]) -> Any:
    """A copy of a figure with every colour string swapped through the map (charts.js does the same)."""
    if isinstance(value, str):
        return colors.get(value, value)
    if isinstance(value, list):
        return [recolor(v, colors) for v in value]
    if isinstance(value, dict):
        return {k: recolor(v, colors) for k, v in value.items()}
    return value


def plain_title(title: str, figures: dict[str, Figure]) -> str:
    """The title as plain text, references replaced by their figures."""
    from torchsite.inputs.story import plain_text

    return plain_text(title, figures)


def chart_rows(spec: ChartSpec, figures: dict[str, Figure], sheet: FactSheet) -> tuple[Row, ...]:
    """The data a chart shows, one row per figure, in the order it is drawn."""
    if isinstance(spec, SharesChart):
        marks = spec.bars
    elif isinstance(spec, ThenNowChart):
        marks = [spec.start, spec.end]
        if spec.multiple:
            marks.append(Mark(fact=spec.multiple, label=figures[spec.multiple].label))
    elif isinstance(spec, PartsChart):
        marks = [*spec.parts, Mark(fact=spec.total, label=figures[spec.total].label)]
    elif isinstance(spec, CardsChart):
        marks = spec.cards
    else:
        events = [event_row(e, figures[e.fact], sheet) for e in spec.events]
        dated = sorted((r for r in events if r.sort is not None), key=lambda r: r.sort or 0.0)
        return (*dated, *(r for r in events if r.sort is None))
    return tuple(mark_row(m, figures[m.fact], sheet) for m in marks)


def mark_row(mark: Mark, figure: Figure, sheet: FactSheet) -> Row:
    """A row for a bar, segment or card."""
    return Row(
        figure.id,
        mark.label,
        figure.value,
        figure.unit,
        figure.qualifier,
        figure.text,
        evidence(figure, sheet),
        style=mark.style,
    )


def event_row(event: Event, figure: Figure, sheet: FactSheet) -> Row:
    """A row for a timeline event, dated by the fact's value or, failing that, its as_of year."""
    is_date = figure.unit in ("year", "month", "day")
    date = str(figure.value) if is_date else str(figure.as_of)
    unit = figure.unit if is_date else ("month" if "-" in date else "year")
    sort = date_position(date)
    when = format_date(date, unit) if unit != "year" else date
    if sort is None:
        when += " (the source gives no year)"
    elif event.by:
        when = f"by {when}"
    mark = "goal" if event.goal else "by" if event.by else ""
    return Row(
        figure.id,
        event.label,
        figure.value,
        figure.unit,
        figure.qualifier,
        figure.text,
        evidence(figure, sheet),
        when,
        sort,
        mark=mark,
        show_text=not is_date,
    )


def date_position(date: str) -> float | None:
    """Where a date sits on a year axis: a year at its start, a month at its middle; no year, None."""
    if date.startswith("--"):
        return None
    parts = date.split("-")
    year = float(parts[0])
    return year + (int(parts[1]) - 0.5) / 12 if len(parts) > 1 else year


def evidence(figure: Figure, sheet: FactSheet) -> str:
    """The verbatim quote behind a fact, or the formula behind a derived figure."""
    if figure.formula is not None:
        return f"Derived: {figure.formula.replace(' / ', ' ÷ ').replace(' * ', ' × ').replace(' - ', ' − ')}"
    return f"“{sheet.fact(figure.id).quote}”"


def chart_sources(rows: tuple[Row, ...], sheet: FactSheet) -> tuple[tuple[str, str], ...]:
    """The sources of the facts a chart draws, named as the fact sheet names them."""
    ids = {f.id for f in sheet.facts}
    used = {sheet.fact(r.id).source for r in rows if r.id in ids}
    return tuple((s.id, f"a {s.kind} from {s.publisher}") for s in sheet.sources if s.id in used)


# --- Words: alt text and description, always from the rows ------------------------------------


def _hedge_note(row: Row) -> str:
    """How a hedged mark is drawn, for the description."""
    if row.qualifier in UPPER:
        return f" (an upper bound, drawn hatched: the source says only “{HEDGE_WORDS[row.qualifier]}”)"
    if row.qualifier in LOWER:
        return f" (a lower bound, drawn with an open-ended hatched tip: the source says “{HEDGE_WORDS[row.qualifier]}”)"
    if row.qualifier in APPROX:
        return " (approximate, drawn dotted)"
    return ""


def _listing(rows: tuple[Row, ...] | list[Row], full: bool = False) -> list[Part]:
    """'label, text; label, text' as description parts."""
    parts: list[Part] = []
    for i, row in enumerate(rows):
        parts += [("; " if i else "") + row.label + ", ", (row.id, row.text)]
        if full:
            parts.append(_hedge_note(row))
    return parts


def _shares_words(spec: Any, rows: tuple[Row, ...], figures: dict[str, Figure]) -> tuple[str, tuple[Part, ...]]:
    """Alt text and description of a shares chart."""
    alt = "Horizontal bar chart of shares: " + _text(_listing(rows)) + "."
    top = max(rows, key=lambda r: float(r.value))
    bottom = min(rows, key=lambda r: float(r.value))
    parts: list[Part] = ["Each bar is a percentage of the city's total. ", *_listing(rows, full=True), ". "]
    if top is not bottom:
        parts += [
            f"The longest bar is {top.label}, at ",
            (top.id, top.text),
            f"; the shortest is {bottom.label}, at ",
            (bottom.id, bottom.text),
            ".",
        ]
    return alt, tuple(parts)


def _then_now_words(spec: Any, rows: tuple[Row, ...], figures: dict[str, Figure]) -> tuple[str, tuple[Part, ...]]:
    """Alt text and description of a then-and-now chart."""
    start, end = rows[0], rows[1]
    multiple = rows[2] if len(rows) > 2 else None
    ratio: list[Part] = [", ", (multiple.id, multiple.text), " the starting level"] if multiple else []
    alt = f"Two bars only: {start.label}, {start.text}; {end.label}, {end.text}{_text(ratio)}."
    parts: list[Part] = [
        f"{figures[start.id].label}: ",
        (start.id, start.text),
        f". {figures[end.id].label}: ",
        (end.id, end.text),
        _hedge_note(end),
        *ratio,
        ". The source gives these two values and no figures for the years between, so the chart draws only them.",
    ]
    return alt, tuple(parts)


def _parts_words(spec: Any, rows: tuple[Row, ...], figures: dict[str, Figure]) -> tuple[str, tuple[Part, ...]]:
    """Alt text and description of a parts chart."""
    *pieces, total = rows
    plus: list[Part] = []
    for i, row in enumerate(pieces):
        plus += [(" plus " if i else "") + row.label + ", ", (row.id, row.text)]
    alt = f"One stacked bar: {_text(plus)}, making {total.text} in all."
    parts: list[Part] = [*plus, "; together ", (total.id, total.text), f" ({figures[total.id].label})."]
    return alt, tuple(parts)


def event_text(row: Row) -> str:
    """A timeline event in words: its label, and its figure when that is an amount."""
    return f"{row.label}: {row.text}" if row.show_text else row.label


def _timeline_words(spec: Any, rows: tuple[Row, ...], figures: dict[str, Figure]) -> tuple[str, tuple[Part, ...]]:
    """Alt text and description of a timeline."""
    dated = [r for r in rows if r.sort is not None]
    undated = [r for r in rows if r.sort is None]
    first, last = dated[0], dated[-1]
    ends = (first.when.removeprefix("by "), last.when.removeprefix("by "))
    alt = f"Timeline from {ends[0]} to {ends[1]}: " + "; ".join(f"{r.when}, {event_text(r)}" for r in dated) + "."
    parts: list[Part] = ["Events on a year axis from ", (first.id, ends[0]), " to ", (last.id, ends[1]), ". "]
    for row in dated:
        parts += [(row.id, row.when[:1].upper() + row.when[1:]), f": {row.label}"]
        parts += [": ", (row.id, row.text)] if row.show_text else []
        parts.append(" (a goal). " if row.mark == "goal" else ". ")
    for row in undated:
        parts += [f"Not placed on the axis: {row.label}, on ", (row.id, row.text), "; the source gives no year. "]
    if undated:
        alt += " " + "; ".join(f"{r.label}, {r.when}, is not placed on the axis" for r in undated) + "."
    return alt, tuple(parts)


def _cards_words(spec: Any, rows: tuple[Row, ...], figures: dict[str, Figure]) -> tuple[str, tuple[Part, ...]]:
    """Alt text and description of a set of cards."""
    alt = "Key figures: " + _text(_listing(rows)) + "."
    return alt, tuple([*_listing(rows), "."])


def _text(parts: list[Part]) -> str:
    """Description parts as plain text."""
    return "".join(p if isinstance(p, str) else p[1] for p in parts)


_WORDS = {
    SharesChart: _shares_words,
    ThenNowChart: _then_now_words,
    PartsChart: _parts_words,
    TimelineChart: _timeline_words,
    CardsChart: _cards_words,
}


def chart_key(spec: ChartSpec, rows: tuple[Row, ...]) -> tuple[str, ...]:
    """How to read the marks of this chart, for the hedges it actually draws."""
    if isinstance(spec, TimelineChart):
        marks = {r.mark for r in rows if r.sort is not None}
        key = ["Filled circle: an event in that year or month."]
        if "by" in marks:
            key.append("Open circle: the source dates it only as “by” that year.")
        if "goal" in marks:
            key.append("Open diamond: a goal for that year.")
        return tuple(key)
    drawn = {r.qualifier for r in rows if r.unit != "times"}
    key = []
    if drawn & UPPER:
        key.append("Hatched bar: an upper bound; the true value is below its end.")
    if drawn & LOWER:
        key.append("Hatched tip: a lower bound; the true value is beyond the solid bar.")
    if drawn & APPROX:
        key.append("Dotted bar: an approximate value.")
    return tuple(key)


# --- Plotly figures -----------------------------------------------------------------------------


def template(p: Palette) -> dict[str, Any]:
    """Our one Plotly template: system fonts, the scheme's colours, quiet axes."""
    axis = {"gridcolor": p.grid, "linecolor": p.grid, "zerolinecolor": p.grid, "tickcolor": p.grid, "automargin": True}
    return {
        "layout": {
            "font": {"family": FONT, "size": 14, "color": p.fg},
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
            "colorway": [p.primary, p.secondary],
            "hoverlabel": {"bgcolor": p.hover_bg, "bordercolor": p.fg, "font": {"family": FONT, "color": p.fg}},
            "xaxis": {**axis, "tickfont": {"color": p.muted}},
            "yaxis": {**axis, "tickfont": {"color": p.muted}},
            "legend": {"font": {"color": p.fg}},
            "margin": {"l": 12, "r": 12, "t": 12, "b": 12},
            "separators": ".,",
        }
    }


def plotly_figure(
    spec: ChartSpec, rows: tuple[Row, ...], figures: dict[str, Figure], p: Palette, alt: str
) -> dict[str, Any]:
    """The Plotly figure of a drawn chart as plain JSON data (no width or height: it fills its frame).

    Kept in memory by what it is drawn from, so a preview rebuild redraws only the charts an edit changed.
    """
    key = (spec.model_dump_json(), rows, p, alt)
    if key not in _DRAWN:
        if len(_DRAWN) > 256:
            _DRAWN.clear()
        _DRAWN[key] = json.dumps(_draw(spec, rows, p, alt), sort_keys=True)
    plain: dict[str, Any] = json.loads(_DRAWN[key])
    return plain


_DRAWN: dict[tuple[str, tuple[Row, ...], Palette, str], str] = {}


def _draw(spec: ChartSpec, rows: tuple[Row, ...], p: Palette, alt: str) -> dict[str, Any]:
    """Draw the Plotly figure (slow: plotly validates every property)."""
    fig = go.Figure(layout={"template": template(p)})
    if isinstance(spec, SharesChart):
        _draw_shares(fig, rows, p)
    elif isinstance(spec, ThenNowChart):
        _draw_then_now(fig, spec, rows, p)
    elif isinstance(spec, PartsChart):
        _draw_parts(fig, rows, p)
    elif isinstance(spec, TimelineChart):
        _draw_timeline(fig, rows, p)
    fig.update_layout(showlegend=isinstance(spec, PartsChart), meta={"alt": alt}, dragmode=False)
    data: dict[str, Any] = fig.to_plotly_json()
    for i, trace in enumerate(data["data"]):
        trace["uid"] = f"{spec.id}-{i}"  # fixed ids: plotly.js would otherwise make random ones
    data["config"] = {"displaylogo": False, "responsive": True, "displayModeBar": False, "scrollZoom": False}
    plain: dict[str, Any] = json.loads(json.dumps(data, sort_keys=True))
    return plain


def _colour(row: Row, p: Palette) -> str:
    """The colour a row's mark is drawn in."""
    return p.secondary if row.style == "secondary" else p.primary


def _pattern(rows: list[Row], p: Palette) -> dict[str, Any]:
    """Hatching for upper bounds, dots for approximate values, solid fill otherwise."""
    shapes = ["/" if r.qualifier in UPPER else "." if r.qualifier in APPROX else "" for r in rows]
    return {
        "shape": shapes,
        "fgcolor": [_colour(r, p) for r in rows],
        "fillmode": "overlay",
        "solidity": 0.5,
        "size": 8,
    }


def _bar_fill(rows: list[Row], p: Palette) -> list[str]:
    """Bars are filled with their colour, except upper bounds, which are only hatched."""
    return ["rgba(0,0,0,0)" if r.qualifier in UPPER else _colour(r, p) for r in rows]


def _hover(row: Row) -> str:
    """Hover text: label and the figure with its hedge, plus what a bound means."""
    extra = {
        "less_than": "<br>an upper bound",
        "at_most": "<br>an upper bound",
        "more_than": "<br>a lower bound",
        "at_least": "<br>a lower bound",
    }
    return f"{escape(row.label)}: <b>{escape(row.text)}</b>{extra.get(row.qualifier, '')}"


def _draw_shares(fig: go.Figure, rows: tuple[Row, ...], p: Palette) -> None:
    """Horizontal bars on a 0-100% axis, each labelled with its hedged figure."""
    bars = list(rows)
    fig.add_trace(
        go.Bar(
            orientation="h",
            y=[r.label for r in bars],
            x=[float(r.value) for r in bars],
            marker={
                "color": _bar_fill(bars, p),
                "line": {"color": [_colour(r, p) for r in bars], "width": 2},
                "pattern": _pattern(bars, p),
            },
            text=[str(escape(r.text)) for r in bars],
            textposition="outside",
            cliponaxis=False,
            textfont={"color": p.fg},
            hovertext=[_hover(r) for r in bars],
            hoverinfo="text",
        )
    )
    ticks = [0, 25, 50, 75, 100]
    fig.update_xaxes(range=[0, 100], tickvals=ticks, ticktext=[f"{t}%" for t in ticks], fixedrange=True)
    fig.update_yaxes(
        autorange="reversed", fixedrange=True, tickfont={"color": p.fg}, ticks="", showgrid=False, ticklabelstandoff=8
    )
    fig.update_layout(bargap=0.35, margin={"r": 96})


def _lower_bound_tips(fig: go.Figure, rows: list[Row], x: list[str], size: float, p: Palette, horizontal: bool) -> None:
    """A hatched, open-ended tip on each lower-bound bar: the true value lies beyond."""
    tips = [size if r.qualifier in LOWER else 0 for r in rows]
    if not any(tips):
        return
    pos = {"y": tips, "x": x} if not horizontal else {"x": tips, "y": x, "orientation": "h"}
    fig.add_trace(
        go.Bar(
            **pos,
            marker={
                "color": "rgba(0,0,0,0)",
                "line": {"width": 0},
                "pattern": {"shape": "/", "fgcolor": [_colour(r, p) for r in rows], "solidity": 0.4, "size": 8},
            },
            hovertext=[f"{escape(r.label)}: the true value is higher than <b>{escape(r.text)}</b>" for r in rows],
            hoverinfo="text",
            showlegend=False,
        )
    )


def _draw_then_now(fig: go.Figure, spec: ThenNowChart, rows: tuple[Row, ...], p: Palette) -> None:
    """Two bars (or two dots on a log axis), labelled, with the multiple between them as a note."""
    pair = list(rows[:2])
    x = [r.label for r in pair]
    y = [float(r.value) for r in pair]
    common = {
        "x": x,
        "y": y,
        "text": [r.text for r in pair],
        "hovertext": [_hover(r) for r in pair],
        "hoverinfo": "text",
    }
    if spec.scale == "log":
        fig.add_trace(
            go.Scatter(
                **common,
                mode="markers+text",
                textposition="middle right",
                marker={"size": 14, "color": [_colour(r, p) for r in pair]},
                cliponaxis=False,
            )
        )
        fig.update_yaxes(type="log", showticklabels=False, showgrid=False)
    else:
        bar = {**common, "text": None, "marker": {"color": _bar_fill(pair, p), "pattern": _pattern(pair, p)}}
        fig.add_trace(go.Bar(**bar, marker_line={"color": [_colour(r, p) for r in pair], "width": 2}))
        tip = max(y) * 0.1
        _lower_bound_tips(fig, pair, x, tip, p, horizontal=False)
        for row, label, value in zip(pair, x, y, strict=True):
            top = value + (tip if row.qualifier in LOWER else 0)
            fig.add_annotation(
                x=label, y=top, yanchor="bottom", showarrow=False, text=str(escape(row.text)), font={"color": p.fg}
            )
        fig.update_yaxes(range=[0, max(y) * 1.25], showticklabels=False, showgrid=False, zeroline=True, fixedrange=True)
        fig.update_layout(barmode="stack", bargap=0.45)
    fig.update_xaxes(fixedrange=True, tickfont={"color": p.fg}, ticks="")
    if len(rows) > 2:
        fig.add_annotation(
            x=0.5, y=0.6, xref="paper", yref="paper", xanchor="center", yanchor="middle", showarrow=False,
            text=f"<b>{escape(rows[2].text)}</b><br>the start", font={"color": p.fg, "size": 16},
        )  # fmt: skip


def _draw_parts(fig: go.Figure, rows: tuple[Row, ...], p: Palette) -> None:
    """One horizontal bar stacked from its parts, the total written at its end."""
    *parts, total = rows
    for row in parts:
        fig.add_trace(
            go.Bar(
                orientation="h",
                y=[""],
                x=[float(row.value)],
                name=row.label,
                text=[row.text],
                textposition="inside",
                insidetextanchor="middle",
                textfont={"color": p.hover_bg},
                marker={"color": _colour(row, p), "line": {"color": p.hover_bg, "width": 2}},
                hovertext=[_hover(row)],
                hoverinfo="text",
            )
        )
    fig.add_annotation(
        x=0, y=1, xref="paper", yref="paper", xanchor="left", yanchor="bottom", showarrow=False,
        text=f"Total: <b>{escape(total.text)}</b>", font={"color": p.fg},
    )  # fmt: skip
    fig.update_xaxes(visible=False, range=[0, float(total.value)], fixedrange=True)
    fig.update_yaxes(visible=False, fixedrange=True)
    fig.update_layout(
        barmode="stack",
        legend={"orientation": "h", "x": 0, "y": -0.05, "yanchor": "top", "traceorder": "normal"},
        margin={"t": 48},
    )


def _draw_timeline(fig: go.Figure, rows: tuple[Row, ...], p: Palette) -> None:
    """One row per dated event: its marker on a year axis, its label above, from the left edge (fits a phone)."""
    dated = [r for r in rows if r.sort is not None]
    xs = [r.sort or 0.0 for r in dated]
    lo, hi = min(xs), max(xs)
    symbol = {"": "circle", "by": "circle-open", "goal": "diamond-open"}
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=list(range(len(dated))),
            mode="markers",
            marker={
                "size": 13,
                "color": p.primary,
                "symbol": [symbol[r.mark] for r in dated],
                "line": {"width": 2, "color": p.primary},
            },
            hovertext=[f"{escape(r.when)}: {escape(event_text(r))}" for r in dated],
            hoverinfo="text",
            cliponaxis=False,
        )
    )
    for i, row in enumerate(dated):
        lines = textwrap.wrap(f"{row.when} · {event_text(row)}", LABEL_WIDTH)
        fig.add_annotation(
            x=0, xref="paper", xanchor="left", y=i, yanchor="bottom", yshift=9, showarrow=False, align="left",
            text="<br>".join(str(escape(line)) for line in lines), font={"color": p.fg, "size": 13},
        )  # fmt: skip
    years = sorted({int(x) for x in xs})
    fig.update_xaxes(
        range=[lo - 1.5, hi + 1.5],
        tickvals=years,
        ticktext=[str(y) for y in years],
        showgrid=True,
        fixedrange=True,
        tickangle=0,
    )
    fig.update_yaxes(visible=False, autorange="reversed", range=[len(dated) - 0.6, -1.1], fixedrange=True)
    fig.update_layout(margin={"l": 16, "r": 16, "t": 8})
