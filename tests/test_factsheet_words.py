"""The fact sheet and the data page read as a reader reads them (the run's one build, parsed): figures as the site
shows them, a derived figure's unrounded result only in its labelled working, labels where the sheet's ids would be
(the ids only in <code>, for editors), formulas in words, and each file's columns listed with what they hold."""

from __future__ import annotations

import re

from helpers.html import Page
from helpers.project import REPO, Site
from torchsite.inputs import facts

CODE = re.compile(r"<code>.*?</code>", re.S)
WORKING = re.compile(r'<dd class="working">(.*?)</dd>', re.S)


def reader_text(html: str) -> str:
    """A page's visible text without what it sets apart for editors (<code>) and without the labelled workings."""
    main = html[html.index("<main") : html.index("</main>")]
    return Page(WORKING.sub("", CODE.sub("", main))).text()


def unrounded(working: str) -> str:
    """The digits of a working's result before rounding ('… = more than 2,054.7945…; rounded …' -> '2,054.7945')."""
    result = re.search(r" = ([^;]*);", working)
    assert result, f"a working without its result: {working!r}"
    return re.sub(r"[^\d.,]", "", result.group(1)).strip(".,")


def test_the_fact_sheet_shows_labels_and_rounded_figures_not_ids_or_workings(real_site: Site) -> None:
    html = real_site.text("facts/index.html")
    sheet = facts.load(REPO / "content" / "facts.yaml")
    text = reader_text(html)
    ids = [f.id for f in sheet.facts] + [d.id for d in sheet.derived] + [c.id for c in sheet.claims]
    shown = [i for i in ids if "_" in i and re.search(rf"\b{i}\b", text)]
    assert not shown, f"internal ids shown as reader text on the fact sheet: {shown}"
    workings = WORKING.findall(html)
    assert len(workings) == len(sheet.derived)
    problems = [f"a working not labelled as one: {w[:40]!r}" for w in workings if not w.startswith("Working: ")]
    problems += [
        f"the unrounded result {unrounded(w)} is shown outside its working" for w in workings if unrounded(w) in text
    ]
    assert not problems, problems
    growth = html[html.index('id="output_growth"') :].split("</div>")[0]
    assert re.search(
        r"Computed as <a href=\"#output_latest\">annual industrial output at the time of the report</a>"
        r" divided by <a href=\"#output_start\">annual industrial output at the start</a>\.",
        growth,
    )
    assert "<code>{{output_growth}}</code>" in growth and "<code>output_latest / output_start</code>" in growth


def test_the_data_page_lists_each_column_with_what_it_holds(real_site: Site) -> None:
    html = real_site.text("data/index.html")
    text = reader_text(html)
    names = set(re.findall(r"<dt><code>([a-z_]+)</code></dt><dd>[^<]{8,}</dd>", html))
    assert {"unit_label", "as_of", "previous_value", "unrounded", "sources"} <= names
    header = (real_site.out / "data" / "facts.csv").read_text("utf-8").splitlines()[0].split(",")
    assert set(header) <= names
    dropped = sorted(n for n in names if "_" in n and re.search(rf"\b{n}\b", text))
    assert not dropped, f"column names dropped into the data page's sentences: {dropped}"
