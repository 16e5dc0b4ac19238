"""A built chart: its rows, words, Plotly figure and colours, as a table and JSON (its CSV: render.downloads)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from torchsite.charts.base import ChartBase
from torchsite.inputs.figures import Figure
from torchsite.inputs.messages import N_, Messages

COLUMNS = (
    (N_("What"), "label"),
    (N_("Figure"), "text"),
    (N_("Source"), "source"),
)  # a table's (heading, Row attribute)


@dataclass(frozen=True)
class Palette:
    """The colours of one scheme; each distinct, so a light figure can be recoloured by lookup."""

    fg: str
    muted: str
    grid: str
    primary: str
    secondary: str
    bg: str  # the page behind the drawing: a label's knockout, an open (hedged) mark's inside, a hover label


# Text colours meet 4.5:1 and marks 3:1 against the page background of each scheme (site.css). A hedged mark is
# open: its inside is the page (bg) and its outline its solid colour, so it reads weaker than a solid mark in light,
# dark, print and forced colours alike, with no shade of its own to go wrong. One accent for the zone (primary),
# a neutral for the city or a baseline (secondary), never the link colour. site.css defines the same colours as
# --chart-* custom properties, and the exported drawings use those (charts/drawing.py); tests/test_palette.py
# reads site.css and checks every ratio.
LIGHT = Palette(
    fg="#1a1a1a", muted="#595959", grid="#d0d0d0", primary="#a4331c", secondary="#5e5e5e", bg="#fffffe",
)  # fmt: skip
DARK = Palette(
    fg="#ececec", muted="#b3b3b3", grid="#3a3a3a", primary="#ff9b7a", secondary="#a0a0a0", bg="#121212",
)  # fmt: skip


@dataclass(frozen=True)
class Row:
    """One line of a chart's data: a figure with the label the chart gives it."""

    id: str
    label: str
    value: float | int | str
    unit: str
    qualifier: str
    text: str
    source: str  # the words the figure rests on, its Source cell: “the verbatim quote”, or "Derived: formula"
    when: str = ""
    sort: float | None = None  # position on a time axis; None for undated events
    style: str = "primary"
    mark: str = ""  # "by" or "goal" for timeline events
    show_text: bool = False  # a timeline event whose figure is an amount, shown beside its label
    named_as: str = ""  # the mark's accessible name with its hedge's meaning, in the site's language (see named)
    within_year: str = ""  # a timeline label's words when its event is dated by the year alone (", month not given")
    year_alone: bool = False  # an event dated by its year alone in a year with others: its date says within_year
    pair: str = "%(label)s: %(figure)s"  # a label and its figure (or a date and its event), in the site's language

    @property
    def event(self) -> str:
        """A timeline event in words: its label, and its figure when that is an amount."""
        return self.pair % {"label": self.label, "figure": self.text} if self.show_text else self.label

    @property
    def dated(self) -> str:
        """An event's date as its label and mark give it: "2020, month not given" where the order is unknown."""
        return self.when + (self.within_year if self.year_alone else "")

    @property
    def spoken(self) -> str:
        """The mark's accessible name: its label and figure with hedge (an event: its date as dated, and words)."""
        label, figure = (self.dated, self.event) if self.when else (self.label, self.text)
        return self.pair % {"label": label, "figure": figure}

    @property
    def named(self) -> str:
        """The mark's accessible name: as spoken, and what its hedge means in words ("...: a lower bound, the true
        value is higher"), so a screen reader hears the bound without opening the card (make_chart names it)."""
        return self.named_as or self.spoken


Part = str | tuple[str, str]  # plain text, or (figure id, the figure's text)


@dataclass(frozen=True)
class KeyLine:
    """One line of a chart's key: the mark it explains (drawn beside it as a swatch), its colour and its words."""

    mark: str  # lower, upper, approx, nearly (bars); event, by, goal (timeline markers)
    text: str
    style: str = "primary"  # the colour of the chart's first mark drawn this way: primary or secondary


@dataclass(frozen=True)
class Chart:
    """A chart ready to render: its rows, words and (for drawn types) its Plotly figure."""

    spec: ChartBase
    rows: tuple[Row, ...]
    title_text: str
    alt: str
    description: tuple[Part, ...]
    sources: tuple[tuple[str, str, str], ...]  # (source id, its title, where it comes from)
    key: tuple[KeyLine, ...]
    figure: dict[str, Any] | None = None
    dark_colors: dict[str, str] = field(default_factory=dict)
    figures: dict[str, Figure] = field(default_factory=dict, repr=False, compare=False)
    columns: tuple[tuple[str, str], ...] = COLUMNS  # the table's (heading, Row attribute)
    drawings: dict[str, dict[str, Any]] = field(default_factory=dict)  # the light figure by layout name
    sizes: dict[str, tuple[int, int]] = field(default_factory=dict)  # (width, height) by layout name

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
        """True when a row is a derived figure (its source is a formula, not a quote)."""
        return any(r.source.startswith("Derived:") for r in self.rows)

    def description_text(self) -> str:
        """The longer description as plain text."""
        return plain(self.description)

    def figure_json(self) -> str:
        """The figure and its dark-scheme colour map as JSON that is safe inside a <script> element."""
        data = {"figure": self.figure, "dark": self.dark_colors}
        return json_for_script(data)


def plain(parts: tuple[Part, ...] | list[Part]) -> str:
    """Description parts as plain text."""
    return "".join(p if isinstance(p, str) else p[1] for p in parts)


def json_for_script(data: Any) -> str:
    """Deterministic JSON with <, > and & escaped, so no text in it can close the <script> element."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def dark_map() -> dict[str, str]:
    """Light colour -> dark colour, for the browser to switch schemes without a second figure."""
    return {getattr(LIGHT, name): getattr(DARK, name) for name in LIGHT.__dataclass_fields__}


def open_fill(p: Palette) -> str:
    """The inside of an open (hedged) mark: the page behind it, so only its outline, in its solid colour, shows."""
    return p.bg


def recolor(value: Any, colors: dict[str, str]) -> Any:
    """A copy of a figure with every colour string swapped through the map (charts.js does the same)."""
    if isinstance(value, str):
        return colors.get(value, value)
    if isinstance(value, list):
        return [recolor(v, colors) for v in value]
    if isinstance(value, dict):
        return {k: recolor(v, colors) for k, v in value.items()}
    return value


def source_words(figure: Figure, messages: Messages) -> str:
    """The verbatim quote behind a fact, or the formula behind a derived figure."""
    if figure.formula is not None:
        formula = figure.formula.replace(" / ", " ÷ ").replace(" * ", " × ").replace(" - ", " − ")
        return messages.gettext("Derived: %(formula)s", formula=formula)
    return f"“{figure.quote}”"
