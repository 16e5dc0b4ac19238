"""Charts: built from content/charts.yaml and the facts, read back from the built pages as a reader gets them."""

from __future__ import annotations

import csv
import html as html_text
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from helpers.chromium import need_chromium
from helpers.html import as_drawn
from helpers.project import REPO, Result, edit, line_of
from torchsite.charts import export
from torchsite.charts.base import Event
from torchsite.charts.kinds.timeline import TimelineChart
from torchsite.charts.make import make_chart
from torchsite.charts.model import Chart, json_for_script
from torchsite.inputs import facts
from torchsite.inputs.figures import compute
from torchsite.inputs.formatting import Formatter

CHARTS = ("footprint", "output", "milestones", "fund")  # in the order story.md places them
DRAWN = ("footprint", "output", "milestones", "fund")


class Doc(HTMLParser):
    """A parsed page: elements with attributes, the text of script blocks and of each chart figure."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.scripts: dict[str, str] = {}
        self.figures: dict[str, list[str]] = {}
        self._script: str | None = None
        self._figure: list[str] | None = None
        self._depth = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.elements.append((tag, a))
        if tag == "script" and "src" not in a:
            self._script = a.get("id", "")
            self.scripts[self._script] = ""
        if tag == "figure" and a.get("id", "").startswith("chart-"):
            self._figure = self.figures.setdefault(a["id"][len("chart-") :], [])
            self._depth = 0
        if tag == "figure" and self._figure is not None:
            self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None
        if tag == "figure" and self._figure is not None:
            self._depth -= 1
            if self._depth == 0:
                self._figure = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self.scripts[self._script] += data
        elif self._figure is not None:
            self._figure.append(data)

    def all(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        """Every element of a tag whose attributes include the given ones."""
        want = {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()}
        return [a for t, a in self.elements if t == tag and all(a.get(k) == v for k, v in want.items())]

    def text(self, chart: str) -> str:
        """The visible text of one chart figure, whitespace collapsed."""
        return " ".join(" ".join(self.figures[chart]).split())


def read(path: Path) -> Doc:
    """Parse a built page."""
    return Doc(path.read_text(encoding="utf-8"))


def chart_json(dist: Path, chart: str) -> dict[str, object]:
    """The Plotly figure JSON a chart's own page carries for "Explore the data", parsed."""
    doc = read(dist / "charts" / chart / "index.html")
    data: dict[str, object] = json.loads(doc.scripts[f"chart-{chart}-figure"])
    return data


def marks(doc: Doc, layout: str, chart: str) -> list[dict[str, str]]:
    """The interactive marks of one chart's drawing at one layout, in document order."""
    found, inside = [], False
    for tag, attrs in doc.elements:
        if tag == "svg":
            inside = f"chart-{layout}" in attrs.get("class", "") and attrs.get("aria-label", "").startswith(
                ALT_STARTS[chart]
            )
        elif inside and "mark" in attrs.get("class", "").split():
            found.append(attrs)
    return found


def drawings_of(html: str) -> list[ET.Element]:
    """The inline chart drawings of a page, parsed as the XML they are."""
    found = []
    for start in (m.start() for m in re.finditer(r'<svg [^>]*class="chart-drawing', html)):
        found.append(ET.fromstring(html[start : html.index("</svg>", start) + len("</svg>")]))
    return found


SVG = "http://www.w3.org/2000/svg"
ALT_STARTS = {
    "footprint": "Horizontal bar",
    "output": "Two values only, as dots",
    "milestones": "Timeline",
    "fund": "One stacked",
}


@pytest.fixture
def no_browser(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A machine without Chromium and with an empty SVG cache."""
    monkeypatch.setenv("TORCHSITE_BROWSER", str(tmp_path / "no-such-browser"))
    cache = tmp_path / "empty-cache"
    monkeypatch.setenv(export.CACHE_ENV, str(cache))
    return cache


@pytest.fixture
def built(project: Path, cli: Callable[..., Result]) -> Path:
    """The real project built (SVGs from the shared cache, exported once per test run)."""
    result = cli("build")
    assert result.code == 0, result.err
    return project / "dist"


# --- What a reader gets -------------------------------------------------------------------------


def test_every_chart_has_title_view_table_csv_source_and_page(built: Path) -> None:
    need_chromium()  # the exact output assumes the static chart export works
    doc = Doc(as_drawn(built / "index.html"))  # with the wide drawings the story fetches
    assert list(doc.figures) == list(CHARTS)  # placed where story.md puts them, in its order
    for chart in CHARTS:
        text = doc.text(chart)
        assert (
            # the text of each element, joined by spaces: the title sits in its own <cite>
            "Source: “ Behind 30 years of success at Xiamen Torch High-tech Zone ”, a news report from China" in text
        )
        assert doc.all("a", href=f"data/charts/{chart}.csv", download="")
        assert (built / "data" / "charts" / f"{chart}.csv").is_file()
        assert doc.all("a", href=f"charts/{chart}/")
        title = doc.all("h3", id=f"chart-{chart}-title")  # one level under the story section (h2) it sits in
        assert title and doc.all("figure", id=f"chart-{chart}", aria_labelledby=f"chart-{chart}-title")
        description = doc.all("p", id=f"chart-{chart}-description")
        assert description
    for chart in DRAWN:
        assert doc.all("div", class_="chart-frame", data_chart=chart)
        for layout in ("narrow", "wide"):
            drawing = [a for a in doc.all("svg") if a.get("class") == f"chart-drawing chart-{layout}"]
            assert any(a["aria-label"].startswith(ALT_STARTS[chart]) for a in drawing), (chart, layout)
            found = marks(doc, layout, chart)
            assert found, (chart, layout)
            for mark in found:
                assert (mark["tabindex"], mark["role"], mark["aria-haspopup"]) == ("0", "button", "dialog")
                assert mark["data-fact"] and mark["aria-label"]
        assert "The data" in doc.text(chart)
    assert len(doc.all("table")) == len(DRAWN)
    assert not doc.all("img") and not [a for a in doc.all("script") if "plotly" in a.get("data-plotly", "")]


def test_a_timeline_marks_name_gives_its_date_as_its_label_does(built: Path) -> None:
    """A screen reader hears what the label shows: "2020, month not given", not a bare "2020" read in Tab order
    before "by 2020" and "October 2020" (an order within the year the report does not give)."""
    need_chromium()
    page = as_drawn(built / "index.html")
    part = page[page.index('id="chart-milestones"') :]
    part = part[: part.index("</figure>")]
    names = dict(re.findall(r'data-fact="(\w+)"[^>]*aria-label="([^"]*)"', part))
    dates = re.findall(r'data-for="(\w+)"[^>]*><tspan class="line"[^>]*>(?:<tspan[^>]*>)?([^<]+)<', part)
    assert ("fund_launch_year", "2020, month not given") in dates, dates
    unsaid = [f"{fact}: {names.get(fact)!r} lacks {date!r}" for fact, date in dates if date not in names.get(fact, "")]
    assert not unsaid, unsaid


def test_each_key_line_draws_its_mark_beside_its_words(built: Path) -> None:
    html = (built / "index.html").read_text("utf-8")
    line = re.compile(
        r'<p class="chart-key chart-key-(\w+)"><svg class="chart-swatch"[^>]*aria-hidden="true"[^>]*>'
        r"(.*?)</svg><span>([^<:]*):"
    )

    def key(chart: str) -> list[tuple[str, list[str], str]]:
        """Each key line of a chart: its colour, its swatch's shapes with their classes, and its first words."""
        part = html[html.index(f'id="chart-{chart}"') :]
        part = part[: part.index("</figure>")]
        return [(c, re.findall(r'<(\w+) class="([^"]+)"', svg), w) for c, svg, w in line.findall(part)]

    # One hedge language: a single line however many hedges a chart draws, in the zone's colour (every bar is
    # the zone's share); the log chart's dot says it open, and its grey lines get their own line.
    assert [(c, [cls for _, cls in shapes], w) for c, shapes, w in key("footprint")] == [
        ("primary", ["solid", "open"], "Open end"),
    ]
    assert [(c, [cls for _, cls in s], w) for c, s, w in key("output")] == [
        ("secondary", ["grid", "grid"], "Grey lines"),
        ("primary", ["open ring"], "Open dot"),
    ]
    assert "chart-key" not in html[html.index('id="chart-fund"') :].split("</figure>")[0]  # nothing hedged


def label_columns(drawing: ET.Element) -> dict[tuple[str, float], list[tuple[str, float]]]:
    """A drawing's annotation labels by column (text anchor and the edge of the box it hangs from), each label's
    first line and the x, in the drawing, where that line is anchored."""
    columns: dict[tuple[str, float], list[tuple[str, float]]] = {}
    for box in drawing.iter(f"{{{SVG}}}g"):
        moved = re.fullmatch(r"translate\((-?[\d.]+),\s*(-?[\d.]+)\)", box.get("transform", ""))
        text = box.find(f"{{{SVG}}}text")
        bg = box.find(f"{{{SVG}}}rect")
        if moved is None or text is None or bg is None or "annotation-text" not in text.get("class", ""):
            continue
        left, anchor = float(moved.group(1)), text.get("text-anchor", "start")
        edge = {"start": left, "end": left + float(bg.get("width", 0)) + 1, "middle": left}[anchor]
        first = "".join(next(iter(text), text).itertext())
        columns.setdefault((anchor, edge), []).append((first, left + float(text.get("x", 0))))
    return columns


def test_labels_hanging_from_one_column_share_one_x_in_every_drawing(built: Path) -> None:
    # Plotly places an annotation's text by its measured ink, so a line starting with an overhanging glyph
    # ("Two service platforms launched" under "October 2020") drew its label 1 px off its column.
    for chart in DRAWN:
        for drawing in drawings_of((built / "charts" / chart / "index.html").read_text("utf-8")):
            for (anchor, edge), labels in label_columns(drawing).items():
                if anchor != "middle":
                    assert len({x for _, x in labels}) == 1, f"{chart} {drawing.get('class')}: {edge} {labels}"
    timeline = drawings_of((built / "charts" / "milestones" / "index.html").read_text("utf-8"))
    # the narrow drawing: the milestones' dates in one column right of the axis (the year ticks, right-aligned,
    # stand left of it); the year-only event that shares its year with others says it is not placed within it
    columns = [c for (anchor, _), c in label_columns(timeline[0]).items() if anchor == "start"]
    assert len(columns) == 1 and [date for date, _ in columns[0]] == [
        "1992", "2006", "by 2020", "2020, month not given", "October 2020", "by 2035"
    ]  # fmt: skip
    assert [d.get("class") for d in timeline] == ["chart-drawing chart-narrow", "chart-drawing chart-wide"]


def test_hedges_stay_on_the_marks_in_their_names_table_and_words(built: Path) -> None:
    doc = Doc(as_drawn(built / "index.html"))
    for layout in ("narrow", "wide"):  # each mark is named in the words of prose and table, hedge once
        # and what the hedge means in words, so a screen reader hears the bound without opening the card
        assert [m["aria-label"] for m in marks(doc, layout, "footprint")] == [
            "Xiamen's land: less than 3%: an upper bound, the true value is lower",
            "Xiamen's industrial output: 43%",
            "Xiamen's software and information service revenue: about 70%: "
            "an approximate figure, the true value is close to it",
            "Xiamen's industrial fixed-asset investment: nearly 50%: a near figure, the truth is just below it",
        ]
        # the start is exact and drawn as a dot with a hit area, so it can be reached however small
        assert [m["aria-label"] for m in marks(doc, layout, "output")] == [
            "At the start: 146 million yuan",
            "At the time of the report: more than 300 billion yuan: a lower bound, the true value is higher",
            "Growth of annual industrial output, from the start to the time of the report: more than 2,000 times: "
            "a lower bound, the true value is higher",
        ]  # the multiple, drawn only as words, is reachable too
        events = [m["aria-label"] for m in marks(doc, layout, "milestones")]
        assert events[0] == "1992: ABB sets up its first operation" and len(events) == 6
        assert "by 2035: Goal of a first-class sci-tech zone" in events and not any("May 9" in e for e in events)
    hit = [a for a in doc.all("rect") if a.get("data-fact") == "output_start"]
    assert hit and all(float(a["width"]) >= 24 and float(a["height"]) >= 24 for a in hit)
    key = doc.text("footprint")  # the key shows the marks this chart uses, and only those
    assert "Open end: a hedged figure (“less than”, “about”, “nearly”); the bar stops at the value stated." in key
    assert "Open dot" not in key and "Open dot: a hedged figure (“more than”); the dot sits at" in doc.text("output")
    output = chart_json(built, "output")["figure"]
    assert isinstance(output, dict)
    hovers = json.dumps(output["data"], ensure_ascii=False)
    assert "higher than" not in hovers and "bound" not in hovers  # no doubled hedge, no bound on an exact value
    milestones = doc.text("milestones")
    assert "May 9 (the source gives no year)" in milestones and "Not placed on the axis" in milestones


def test_csv_is_the_table_and_matches_the_facts(built: Path, project: Path) -> None:
    figures = compute(facts.load(project / "content" / "facts.yaml"), Formatter("en"))
    doc = read(built / "index.html")
    for chart in CHARTS:
        rows = list(csv.DictReader(io.StringIO((built / "data" / "charts" / f"{chart}.csv").read_text("utf-8"))))
        assert rows, chart
        for row in rows:
            figure = figures[row["id"]]
            assert row["text"] == figure.text
            assert row["qualifier"] == figure.qualifier and row["unit"] == figure.unit
            dated = figure.unit in ("year", "month", "day")  # "'--05-09": a spreadsheet shows it as text
            value = row["date"].removeprefix("'") if dated else float(row["value"])
            assert value == (str(figure.value) if dated else figure.value) and row["value" if dated else "date"] == ""
            assert row["text"] in doc.text(chart)
    fund = {r["id"]: r for r in csv.DictReader(io.StringIO((built / "data/charts/fund.csv").read_text("utf-8")))}
    assert float(fund["fund_initial"]["value"]) + float(fund["fund_added"]["value"]) == float(
        fund["fund_total"]["value"]
    )
    assert (fund["fund_added"]["quote"], fund["fund_added"]["formula"]) == ("", "fund_total - fund_initial")


def test_each_tables_source_column_is_marked_as_the_words_each_figure_rests_on(built: Path) -> None:
    pages = [built / "index.html", *(built / "charts" / c / "index.html" for c in DRAWN)]
    for chart in DRAWN:
        rows = list(csv.DictReader(io.StringIO((built / "data" / "charts" / f"{chart}.csv").read_text("utf-8-sig"))))
        for page in pages[:1] + [p for p in pages if p.parent.name == chart]:
            html = page.read_text("utf-8")
            table = html[html.index(f'aria-labelledby="chart-{chart}-title">', html.index("<table")) :]
            table = table[: table.index("</table>")]
            assert re.findall(r"<th scope=\"col\">([^<]*)</th>", table)[-1] == "Source"
            cells = re.findall(r'<td><a class="([^"]*)" data-fact="([^"]*)"[^>]*>([^<]*)</a></td>\s*</tr>', table)
            assert [(cls, ident) for cls, ident, _ in cells] == [("fact fact-source", r["id"]) for r in rows], page
            for (_, _, words), row in zip(cells, rows, strict=True):  # a verbatim quote, or a derived figure's formula
                if row["quote"]:
                    assert html_text.unescape(words) == f"“{row['quote']}”", page
                else:
                    assert words.startswith("Derived: ") and row["formula"], page
    marked = re.compile(r'class="[^"]*\bevidence\b')
    leftover = [p.relative_to(built) for p in built.rglob("*.html") if marked.search(p.read_text("utf-8"))]
    assert not leftover, f"pages still marking the Source column as 'evidence': {leftover}"


def test_standalone_page_has_the_chart_and_an_embed_snippet(built: Path) -> None:
    page = built / "charts" / "footprint" / "index.html"
    doc = read(page)
    assert doc.all("h1", id="chart-footprint-title")
    html = page.read_text("utf-8")
    assert '&lt;iframe src="https://example.org/torchsite/charts/footprint/embed/"' in html
    assert '&lt;script src="https://example.org/torchsite/assets/embed.js" async&gt;' in html
    assert doc.all("a", href="../../data/charts/footprint.csv", download="")
    script = next(a for a in doc.all("script") if "data-plotly" in a)  # "Explore the data" loads it on click
    assert (page.parent / script["src"]).is_file() and (page.parent / script["data-plotly"]).is_file()
    assert doc.all("button", class_="chart-explore-button", hidden="")  # shown by the script that runs it
    embed = read(page.parent / "embed" / "index.html")  # the chart alone: no menus, header or footer
    assert not embed.all("nav") and not embed.all("header") and not embed.all("footer")
    assert embed.all("h1", id="chart-footprint-title") and embed.all("meta", name="robots", content="noindex")
    assert "../../../assets/embed.js" in [a["src"] for a in embed.all("script") if "src" in a]


def test_every_link_in_an_embed_opens_in_the_host_page_not_the_frame(built: Path) -> None:
    for ident in CHARTS:
        embed = read(built / "charts" / ident / "embed" / "index.html")
        bases = embed.all("base")
        assert [b.get("target") for b in bases] == ["_top"], ident  # one <base>, in the head
        assert all("href" not in b for b in bases)  # target only: the CSP's base-uri 'none' still holds
        links = embed.all("a")
        assert len([a for a in links if "href" in a]) >= 4  # title figures, source, CSV and page, credit
        for a in links:  # a link within the frame (the skip link) stays there; every other one opens on top
            assert a.get("target", "_top") == ("_self" if a.get("href", "").startswith("#") else "_top"), (ident, a)
    story = read(built / "index.html")
    assert not story.all("base")  # the site's own pages open links in place


def test_scripts_are_external_or_json_and_nothing_leaves_the_site(built: Path) -> None:
    plotly = list((built / "assets").glob("plotly.*.min.js"))
    assert len(plotly) == 1 and plotly[0].stat().st_size > 1_000_000  # the installed package's plotly.js
    for page in built.rglob("*.html"):
        doc = read(page)
        for attrs in doc.all("script"):
            data_block = attrs.get("type") in ("application/json", "application/ld+json")
            assert data_block or ("src" in attrs and "defer" in attrs), page
        for tag, attrs in doc.elements:
            for name in ("href", "src", "srcset", "data-plotly"):
                url = attrs.get(name, "")
                if tag == "link" and attrs.get("rel") in ("canonical", "alternate"):  # this page in each edition
                    continue
                assert not re.match(r"(https?:)?//", url), (page, tag, url)
    story = (built / "index.html").read_text("utf-8")
    assert "plotly" not in story  # the story ships no plotly.js, nor a script that would load it


# --- Editing --------------------------------------------------------------------------------------


def test_changing_a_fact_changes_chart_table_csv_words_and_story(
    project: Path, cli: Callable[..., Result], no_browser: Path
) -> None:
    edit(project / "content" / "facts.yaml", "    value: 3\n    unit: percent", "    value: 4\n    unit: percent")
    result = cli("build")
    assert result.code == 0, result.err
    dist = project / "dist"
    doc = read(dist / "index.html")
    figure = chart_json(dist, "footprint")["figure"]
    assert isinstance(figure, dict)
    assert figure["data"][0]["x"][0] == 4.0 and "less than 4%" in figure["data"][0]["hovertext"][0]
    text = doc.text("footprint")
    assert "less than 4%" in text and "less than 3%" not in re.sub(r"“[^”]*”", "", text)
    rows = list(csv.DictReader(io.StringIO((dist / "data/charts/footprint.csv").read_text("utf-8"))))
    assert (rows[0]["value"], rows[0]["text"]) == ("4", "less than 4%")
    assert "With less than 4% of Xiamen’s land" in text  # the title states the finding from the facts
    assert "Shortest: Xiamen's land, at less than 4%" in text  # the description
    html = (dist / "index.html").read_text("utf-8")
    assert 'holds <a class="fact" data-fact="land_share" href="facts/#land_share">less than 4%</a>' in html


def test_changing_a_derived_input_changes_the_multiple(
    project: Path, cli: Callable[..., Result], no_browser: Path
) -> None:
    edit(project / "content" / "facts.yaml", "value: 300000000000", "value: 400000000000")
    assert cli("build").code == 0
    doc = read(project / "dist" / "index.html")
    figure = chart_json(project / "dist", "output")["figure"]
    assert isinstance(figure, dict)
    assert "more than 2,700 times" in json.dumps(figure, ensure_ascii=False)
    assert "more than 2,700 times" in doc.text("output")
    rows = list(csv.DictReader(io.StringIO((project / "dist/data/charts/output.csv").read_text("utf-8"))))
    assert rows[2]["text"] == "more than 2,700 times"


# --- Bad specs ------------------------------------------------------------------------------------


def position(path: Path, snippet: str) -> tuple[int, int]:
    """Line and column (1-based) of the first occurrence of a snippet."""
    line = line_of(path, snippet)
    return line, path.read_text("utf-8").splitlines()[line - 1].index(snippet) + 1


def test_chart_naming_a_missing_fact(project: Path, cli: Callable[..., Result]) -> None:
    charts = project / "content" / "charts.yaml"
    edit(charts, "      - fact: output_share\n", "      - fact: output_shares\n")
    line, col = position(charts, "output_shares")
    result = cli("build")
    assert result.code == 1
    assert result.err.splitlines() == [
        f"content/charts.yaml:{line}:{col}: charts.footprint.bars[1].fact: unknown fact 'output_shares' "
        "(hint: did you mean 'output_share'?)",
        "torchsite: 1 problem; nothing was written",
    ]
    assert not (project / "dist").exists()


def test_chart_of_unknown_type_and_bad_fields(project: Path, cli: Callable[..., Result]) -> None:
    charts = project / "content" / "charts.yaml"
    edit(charts, "    type: parts\n", "    type: pie\n")
    edit(charts, "    height: 460\n", "    height: tall\n")
    edit(charts, "      label: At the start\n", "      label: At the start\n      colour: red\n")
    pie, tall, colour = position(charts, "pie"), position(charts, "tall"), position(charts, "colour: red")
    result = cli("check")
    assert result.code == 1
    assert result.err.splitlines() == [
        f"content/charts.yaml:{colour[0]}:{colour[1]}: charts.output.start.colour: unknown field 'colour' "
        "(hint: expected one of: fact, label, style)",
        f"content/charts.yaml:{pie[0]}:{pie[1]}: charts.fund.type: unknown chart type 'pie' "
        "(hint: expected one of: cards, parts, shares, then_now, timeline)",
        f"content/charts.yaml:{tall[0]}:{tall[1]}: charts.milestones.height: expected a number, got 'tall' "
        "(hint: write plain digits without quotes)",
        "torchsite: 3 problems; nothing was written",
    ]


def test_chart_drawing_the_wrong_kind_of_figure(project: Path, cli: Callable[..., Result]) -> None:
    charts = project / "content" / "charts.yaml"
    edit(charts, "      - fact: output_share\n", "      - fact: workers\n")
    edit(charts, "      - fact: abb_arrival\n", "      - fact: sub_funds\n")
    edit(charts, '"Three sub-funds lifted', '"{{sub_funds}} sub-funds, 3 of them, lifted')
    share, event, title = (
        position(charts, "workers"),
        position(charts, "fact: sub_funds"),
        position(charts, '"{{sub_funds}}'),
    )
    result = cli("check")
    assert result.code == 1
    assert result.err.splitlines()[:3] == [
        f"content/charts.yaml:{share[0]}:{share[1]}: charts.footprint.bars[1].fact: 'workers' is in people, not "
        "percent (hint: a shares chart draws percentages of a whole)",
        f"content/charts.yaml:{title[0]}:{title[1]}: charts.fund.title: a number typed in the text ('3') "
        "(hint: every number comes from the fact sheet: add a fact and write {{its_id}})",
        f"content/charts.yaml:{event[0]}:{event[1] + len('fact: ')}: charts.milestones.events[0].fact: "
        "'sub_funds' has no date: "
        "its unit is count and its as_of is not set (hint: a timeline event needs a fact whose value is a year, "
        "month or day, or whose as_of is 'YYYY' or 'by YYYY')",
    ]


def test_story_placing_an_unknown_chart(project: Path, cli: Callable[..., Result]) -> None:
    story = project / "content" / "story.md"
    edit(story, "{{chart:milestones}}", "{{chart:milestone}}")
    line = line_of(story, "{{chart:milestone}}")
    result = cli("build")
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        f"content/story.md:{line}:1: story: unknown chart 'milestone' (hint: did you mean 'milestones'?)"
    )


def test_chart_reference_must_stand_alone(project: Path, cli: Callable[..., Result]) -> None:
    story = project / "content" / "story.md"
    edit(story, "{{chart:fund}}", "See {{chart:fund}}")
    line = line_of(story, "See {{chart:fund}}")
    result = cli("check")
    assert result.code == 1
    assert f"content/story.md:{line}:5: story: the chart reference '{{{{chart:fund}}}}' must stand on a line" in (
        result.err
    )


def test_markup_in_labels_reaches_the_drawing_as_text(project: Path, cli: Callable[..., Result]) -> None:
    need_chromium()  # the drawings are Plotly's own SVG export
    charts_yaml = project / "content" / "charts.yaml"
    edit(charts_yaml, "label: Xiamen's land\n", """label: '<a href="https://evil.example/">Land</a>'\n""")
    edit(charts_yaml, "label: Xiamen's industrial output\n", """label: '<span style="fill:lime">Output</span>'\n""")
    edit(charts_yaml, "label: At the time of the report\n", """label: '<b>Today</b><br>'\n""")
    assert cli("build").code == 0
    for page in ("index.html", "charts/footprint/index.html", "charts/footprint/embed/index.html"):
        drawings = drawings_of(as_drawn(project / "dist" / page))
        assert len(drawings) >= 2
        for element in (e for svg in drawings for e in svg.iter()):
            assert element.tag.rpartition("}")[2] != "a", page  # no link in a drawing
            assert "lime" not in element.get("style", ""), page  # no style from content
            assert not any("evil" in value for name, value in element.attrib.items() if name.endswith("href"))
        words = {"".join(t.itertext()) for svg in drawings for t in svg.iter(f"{{{SVG}}}text")}
        assert {'<a href="https://evil.example/">Land</a>', '<span style="fill:lime">Output</span>'} <= words
        if page == "index.html":
            assert any(w.startswith("<b>Today</b><br>") for w in words)  # shown as typed, not as bold on two lines


def test_script_in_a_label_cannot_leave_the_json_block(
    project: Path, cli: Callable[..., Result], no_browser: Path
) -> None:
    edit(
        project / "content" / "charts.yaml",
        "label: Xiamen's industrial output\n",
        'label: "</script><script>alert(1)//"\n',
    )
    assert cli("build").code == 0
    for page in ("index.html", "charts/footprint/index.html"):
        assert "<script>alert" not in (project / "dist" / page).read_text("utf-8")
    figure = chart_json(project / "dist", "footprint")["figure"]
    assert isinstance(figure, dict)
    notes = [a["text"] for a in figure["layout"]["annotations"]]
    assert "&lt;/script&gt;&lt;script&gt;alert(1)//" in notes  # Plotly shows it as text
    assert json_for_script({"a": "</script>&"}) == '{"a":"\\u003c/script\\u003e\\u0026"}'


# --- No browser, --strict, cache --------------------------------------------------------------------


def test_without_a_browser_the_table_is_the_first_view(
    project: Path, cli: Callable[..., Result], no_browser: Path
) -> None:
    result = cli("build")
    assert result.code == 0, result.err
    warnings = [line for line in result.err.splitlines() if "warning" in line]
    assert warnings == [
        "content/charts.yaml: warning: charts: no Chrome or Chromium found, so the charts' first view is their "
        "data table (hint: install Chromium (apt-get install chromium) or set TORCHSITE_BROWSER; with --strict this "
        "is an error)"
    ]
    doc = read(project / "dist" / "index.html")
    assert not doc.all("svg", class_="chart-drawing chart-wide")
    assert len(doc.all("details", open="")) == len(DRAWN)  # the tables are open


def test_strict_turns_the_warning_into_an_error(project: Path, cli: Callable[..., Result], no_browser: Path) -> None:
    result = cli("build", "--strict")
    assert result.code == 1
    assert result.err.splitlines()[-1] == "torchsite: 1 problem; nothing was written"
    assert "no Chrome or Chromium found" in result.err
    assert not (project / "dist").exists()


def test_cached_svgs_need_no_browser(
    project: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    need_chromium()  # the exact output assumes the static chart export works
    assert cli("build").code == 0  # fills (or reuses) the shared cache
    monkeypatch.setenv("TORCHSITE_BROWSER", str(project / "no-such-browser"))
    result = cli("build", "--strict")
    assert result.code == 0, result.err
    assert len(Doc(as_drawn(project / "dist" / "index.html")).all("svg", class_="chart-drawing chart-wide")) == len(
        DRAWN
    )


def test_a_cold_build_starts_one_browser_with_one_tab_for_every_edition(
    whole_project: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A browser start with plotly.js loaded in a tab costs seconds; the exports of a whole site a fraction of one.
    # So a build starts one browser with one tab for both editions' charts (it once started one per edition, with
    # two tabs each: 8 s of a 10 s cold build). The exports themselves are not what this checks: they are counted.
    started: list[int] = []

    class Counted:
        def __init__(self, browser: str, tabs: int) -> None:
            started.append(tabs)

        def calc(self, jobs: list[tuple[object, int, int, str]]) -> list[bytes]:
            return [b"<svg/>" if job[3] == "svg" else b"png" for job in jobs]

        def close(self) -> None:
            pass

    monkeypatch.setattr(export, "Server", Counted)
    monkeypatch.setattr(export, "find_browser", lambda: "/usr/bin/chromium")
    monkeypatch.setenv("TORCHSITE_CACHE", str(whole_project / "empty-cache"))  # no kept session has this cache
    result = cli("build")
    assert result.code == 0, result.err
    assert "Built 25 pages" in result.out  # both editions
    assert started == [export.BUILD_TABS] == [1]
    assert len(list((whole_project / "empty-cache").glob("*.svg"))) == 2 * 2 * len(DRAWN)  # 2 editions, 2 layouts


# --- A real browser -----------------------------------------------------------------------------------


def test_a_chart_label_in_its_words_always_starts_a_sentence_or_follows_a_colon(built: Path) -> None:
    # Labels are written as charts and the fact sheet show them, with a capital ("Added by the sub-funds"); dropped
    # mid-sentence ("3 billion yuan plus Added by ...", "; In municipal ...") they read as typos. The description
    # under each chart and the drawing's accessible name list them one per sentence, or after "Longest bar:"; a
    # label is never the next item after a comma, semicolon, "plus", "and" or an opening parenthesis.
    html = as_drawn(built / "index.html")
    words = [re.sub(r"<[^>]+>", "", m) for m in re.findall(r'<p class="chart-description"[^>]*>(.*?)</p>', html, re.S)]
    words += re.findall(r'<svg[^>]*class="chart-drawing[^"]*"[^>]*aria-label="([^"]*)"', html)
    words += re.findall(r'<svg[^>]*aria-label="([^"]*)"[^>]*class="chart-drawing', html)
    words = [html_text.unescape(w) for w in words]
    assert len(words) >= 5 + 2 * len(DRAWN) - 1, words
    labels = {
        row["label"]
        for chart in CHARTS
        for row in csv.DictReader(io.StringIO((built / "data" / "charts" / f"{chart}.csv").read_text("utf-8-sig")))
    }
    misplaced = [
        f"{label!r} in {text[:60]!r}..."
        for text in words
        for label in labels
        for m in re.finditer(re.escape(label), text)
        if label[:1].isupper() and re.search(r"(; |, | plus | and | together |\()$", text[: m.start()])
    ]
    assert not misplaced, "a capitalised label mid-sentence:\n" + "\n".join(misplaced)


def _timeline(*facts_: str) -> Chart:
    """A timeline of the real project's facts, made in memory."""
    figures = compute(facts.load(REPO / "content" / "facts.yaml"), Formatter("en"))
    sheet = facts.load(REPO / "content" / "facts.yaml")
    spec = TimelineChart(
        id="one", type="timeline", title="Events", events=[Event(fact=f, label=f"Event {f}") for f in facts_]
    )
    return make_chart(spec, figures, sheet, Formatter("en"))


def test_a_timeline_of_one_date_tells_no_span_and_a_year_only_event_is_not_ordered_within_its_year() -> None:
    one = _timeline("service_platforms_launch")
    assert one.alt.startswith("Timeline of one event in October 2020. October 2020: Event") and "from" not in one.alt
    both = _timeline("fund_launch_year", "service_platforms_launch")
    assert "2020 (the report gives only the year): Event fund_launch_year" in both.description_text()
    assert both.description_text().startswith("Events in time order, from 2020 to October 2020.")


def test_a_timeline_marks_its_reports_own_date_only_when_the_source_gives_it() -> None:
    """The report's time as a reference: with the source's publication date on the sheet, the timeline draws it on
    its axis (a dotted tick and a label with the date, at both layouts) and says it in its description; it is no
    event (no row in the table or CSV, no mark). Torch's source gives no date (published: null): nothing is drawn."""
    sheet = facts.load(REPO / "content" / "facts.yaml")
    dated = sheet.model_copy(
        update={"sources": [s.model_copy(update={"published": "2020-08-19"}) for s in sheet.sources]}
    )
    figures = compute(sheet, Formatter("en"))
    events = [Event(fact=f, label=f"Event {f}") for f in ("abb_arrival", "fund_launch_year", "goal_year")]
    spec = TimelineChart(id="t", type="timeline", title="Events", events=events)

    def said(chart: Chart) -> list[str]:
        return [
            a["text"] for figure in chart.drawings.values() for a in figure["layout"]["annotations"]
            if "Report published" in a["text"]
        ]  # fmt: skip

    with_date, without = (
        make_chart(spec, figures, dated, Formatter("en")),
        make_chart(spec, figures, sheet, Formatter("en")),
    )
    assert said(with_date) == ["<b>August 19, 2020</b><br>Report published"] * 2  # narrow and wide
    assert "The report was published on August 19, 2020" in with_date.alt
    assert [r.id for r in with_date.rows] == [r.id for r in without.rows]  # not an event of the table
    dotted = [s for f in with_date.drawings.values() for s in f["layout"]["shapes"] if s["line"].get("dash") == "dot"]
    assert len(dotted) == 2
    assert said(without) == [] and "published" not in without.alt
