"""Whole builds into tmp_path, read back as a reader's browser would parse them."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urljoin

import pytest

from helpers.html import Page, pages_of
from helpers.project import Result, Site, edit, tree_hash
from torchsite.output import publish


def test_build_prints_where_the_site_is(whole_project: Path, cli: Callable[..., Result]) -> None:
    result = cli("build")
    assert result.code == 0
    assert re.fullmatch(
        r"Built 25 pages \(\d+ files, \d+ KB\) from 30 facts, 5 derived figures and 4 charts in [\d.]+ s",
        result.out.splitlines()[0],
    )
    assert "The site is in dist/ -- preview it: torchsite serve (or python -m http.server -d dist)" in result.out
    written = {
        p.relative_to(whole_project / "dist").as_posix() for p in (whole_project / "dist").rglob("*") if p.is_file()
    }
    charts = ("footprint", "output", "fund", "milestones")
    assert {p for p in written if not p.startswith("assets/")} == {
        ".torchsite-output",
        "404.html",
        "data/corrections.csv",
        "data/facts.csv",
        "data/facts.json",
        "data/facts.schema.json",
        "data/index.html",
        "facts/index.html",
        "index.html",
        "methodology/index.html",
        "robots.txt",
        "sitemap.xml",
        *(f"charts/{c}/index.html" for c in charts),
        *(f"charts/{c}/embed/index.html" for c in charts),
        *(f"data/charts/{c}.csv" for c in charts),
        # the Chinese edition: its pages only (no 404 of its own); the downloads are the ones above, shared
        *(f"zh-hans/{p}index.html" for p in ("", "facts/", "methodology/", "data/")),
        *(f"zh-hans/charts/{c}/index.html" for c in charts),
        *(f"zh-hans/charts/{c}/embed/index.html" for c in charts),
    }
    assert len([p for p in written if re.fullmatch(r"assets/site\.[0-9a-f]{10}\.css", p)]) == 1


def test_every_numeral_on_the_story_sits_in_a_fact(real_site: Site) -> None:
    texts = [t for t in real_site.page("index.html").texts if t.visible]
    # The source's own words (its title in <cite>, the passages quoted in the notes in <q>) are quoted, not ours;
    # a note marker's number is a note's.
    ours = [t for t in texts if t.claim is None and not {"cite", "q"}.intersection(t.parents)]
    loose = [t.data for t in ours if t.fact is None and re.search(r"\d", t.data)]
    assert loose == []
    cited = {t.fact for t in texts if t.fact}
    assert len(cited) >= 25


def test_every_fact_link_resolves_to_its_entry(real_site: Site) -> None:
    story = real_site.page("index.html")
    facts_page = real_site.page("facts/index.html")
    links = [e.attrs for e in story.elements if e.attrs.get("data-fact") and e.tag == "a"]
    marks = [e.attrs for e in story.elements if e.attrs.get("data-fact") and e.tag != "a"]  # drawn marks
    assert links and marks
    for attributes in marks:
        assert attributes["data-fact"] in facts_page.ids and "mark" in attributes["class"].split()
    for attributes in links:
        assert attributes["href"] == f"facts/#{attributes['data-fact']}"
        assert attributes["data-fact"] in facts_page.ids


def test_page_skeleton(real_site: Site) -> None:
    for path in ("index.html", "facts/index.html"):
        page = real_site.page(path)
        assert page.first("html")["lang"] == "en"
        assert page.all("main")
        assert page.all("meta", name="viewport")
        assert page.all("title")
        # no inline code: scripts are external and deferred, or data blocks (JSON-LD, chart figures) that never run
        scripts = page.all("script")
        assert all(
            a.get("type") in ("application/json", "application/ld+json") or ("src" in a and "defer" in a)
            for a in scripts
        )


def test_fact_sheet_shows_hedge_period_quote_and_formula(real_site: Site) -> None:
    html = real_site.text("facts/index.html")
    page = Page(html)
    entry = html[html.index('id="output_latest"') :].split("</div>")[0]
    assert (
        "more than 300 billion yuan" in entry and "The report gives a lower bound: the true value is higher." in entry
    )
    assert "Period: at the time of the report" in entry and "“to more than 300 billion yuan”" in entry
    growth = html[html.index('id="output_growth"') :].split("</div>")[0]
    assert "formula <code>output_latest / output_start</code>" in growth
    assert (
        'Computed as <a href="#output_latest">annual industrial output at the time of the report</a> divided by'
        in growth
    )
    assert "more than 300 billion yuan ÷ 146 million yuan = more than 2,054.7945…; rounded down to hundreds" in growth
    assert {"output_latest", "output_growth", "emerging_industries"} <= page.ids
    assert "Inferred:" in html[html.index('id="emerging_industries"') :].split("</div>")[0]


def test_changing_a_fact_changes_the_story(project: Path, cli: Callable[..., Result]) -> None:
    edit(project / "content" / "facts.yaml", "value: 9020000000", "value: 9520000000")
    assert cli("build").code == 0
    html = (project / "dist" / "index.html").read_text(encoding="utf-8")
    # a verbatim source quote keeps its words (torchsite check --source flags the mismatch), in the data
    # table's Source links and in the reader's card data alike
    html = re.sub(r'<a class="fact fact-source"[^>]*>[^<]*</a>', "", html)
    # the passages cited (in the notes) are the source's words, unchanged
    ours = re.sub(r'<sup class="cites">.*?</sup>|<section class="notes".*?</section>', "", html, flags=re.S)
    assert "9.52 billion yuan" in ours and "6.52 billion yuan" in ours and "9.02 billion" not in ours


def test_failed_build_leaves_previous_dist_untouched(project: Path, cli: Callable[..., Result]) -> None:
    assert cli("build").code == 0
    before = tree_hash(project / "dist")
    edit(project / "content" / "facts.yaml", "value: 43\n", "value: forty-three\n")
    result = cli("build")
    assert result.code == 1
    assert "expected a number, got 'forty-three'" in result.err
    assert tree_hash(project / "dist") == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".dist")] == [".dist.lock"]


def test_failure_during_writing_keeps_old_dist(
    project: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("build").code == 0
    before = tree_hash(project / "dist")

    def disk_full(files: dict[str, bytes], root: Path) -> None:
        (root / "index.html").write_bytes(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(publish, "write_tree", disk_full)
    result = cli("build")
    assert result.code == 1  # the disk, not a bug: no traceback
    assert result.err == (
        "torchsite: error: cannot write the site (No space left on device at dist); dist/ was left as it was\n"
    )
    assert tree_hash(project / "dist") == before
    assert not [p for p in project.iterdir() if "staging" in p.name]


def test_build_py_runs_the_same_build(project: Path) -> None:
    import subprocess
    import sys

    from helpers.project import REPO

    done = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--out", str(project / "out")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (project / "out" / "index.html").is_file()


def test_no_page_links_to_itself_but_the_menu_entry_marking_where_the_reader_is(real_site: Site) -> None:
    """A link that leads back to the page it is on (a chart page's "this chart on its own page", the footer's "read
    the fact sheet" on the fact sheet) goes nowhere; only the menu's current entry, marked aria-current, and the
    site's name in the masthead (home, from every page) may."""
    selfish = []
    for path, page in pages_of(real_site.out).items():
        here = urljoin("https://site.example/", path)
        for element in page.elements:
            href = element.attrs.get("href")
            if (
                element.tag != "a"
                or href is None
                or "#" in href
                or element.attrs.get("aria-current") == "page"
                or element.attrs.get("class") == "brand"
            ):
                continue
            if urljoin(here, href).removesuffix("index.html") == here.removesuffix("index.html"):
                selfish.append(f"{path}:{element.line} {href}")
    assert not selfish, "links to the page they are on:\n" + "\n".join(selfish)
