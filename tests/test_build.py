"""Whole builds into tmp_path, read back as a reader's browser would parse them."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import Result, edit, tree_hash
from torchsite.output import publish


class Page(HTMLParser):
    """A parsed page: visible text with the data-fact element each piece sits in, ids, and elements."""

    VOID = frozenset({"meta", "link", "br", "img", "input", "hr", "source", "wbr"})

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[tuple[str, str | None]] = []  # (text, innermost data-fact id or None)
        self.ids: set[str] = set()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        if attributes.get("id"):
            self.ids.add(str(attributes["id"]))
        if tag not in self.VOID:
            self.stack.append((tag, attributes))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if any(tag in ("script", "style", "title") for tag, _ in self.stack):
            return
        if any(tag == "cite" or a.get("data-claim") for tag, a in self.stack):
            return  # the source's own words: its title, and the passages a sentence cites
        fact = next((a.get("data-fact") for _, a in reversed(self.stack) if a.get("data-fact")), None)
        self.texts.append((data, fact))

    def first(self, tag: str) -> dict[str, str | None]:
        return next(a for t, a in self.elements if t == tag)


@pytest.fixture
def built(project: Path, cli: Callable[..., Result]) -> Path:
    result = cli("build")
    assert result.code == 0, result.err
    return project / "dist"


def test_build_prints_where_the_site_is(project: Path, cli: Callable[..., Result]) -> None:
    result = cli("build")
    assert result.code == 0
    assert re.fullmatch(
        r"Built 10 pages \(\d+ files, \d+ KB\) from 30 facts, 5 derived figures and 5 charts in [\d.]+ s",
        result.out.splitlines()[0],
    )
    assert "The site is in dist/ -- open dist/index.html" in result.out
    written = {p.relative_to(project / "dist").as_posix() for p in (project / "dist").rglob("*") if p.is_file()}
    charts = ("footprint", "output", "fund", "milestones", "people")
    assert {p for p in written if not p.startswith("assets/")} == {
        "404.html",
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
        *(f"data/charts/{c}.csv" for c in charts),
    }
    assert len([p for p in written if re.fullmatch(r"assets/site\.[0-9a-f]{10}\.css", p)]) == 1


def test_every_numeral_on_the_story_sits_in_a_fact(built: Path) -> None:
    page = Page((built / "index.html").read_text(encoding="utf-8"))
    loose = [text for text, fact in page.texts if fact is None and re.search(r"\d", text)]
    assert loose == []
    cited = {fact for _, fact in page.texts if fact}
    assert len(cited) >= 25


def test_every_fact_link_resolves_to_its_entry(built: Path) -> None:
    story = Page((built / "index.html").read_text(encoding="utf-8"))
    facts_page = Page((built / "facts" / "index.html").read_text(encoding="utf-8"))
    links = [a for tag, a in story.elements if a.get("data-fact")]
    assert links
    for attributes in links:
        assert attributes["href"] == f"facts/#{attributes['data-fact']}"
        assert attributes["data-fact"] in facts_page.ids


def test_page_skeleton(built: Path) -> None:
    for path in (built / "index.html", built / "facts" / "index.html"):
        page = Page(path.read_text(encoding="utf-8"))
        assert page.first("html")["lang"] == "en"
        assert any(t == "main" for t, _ in page.elements)
        assert any(t == "meta" and a.get("name") == "viewport" for t, a in page.elements)
        assert any(t == "title" for t, _ in page.elements)
        # no inline code: scripts are external and deferred, or data blocks (JSON-LD, chart figures) that never run
        scripts = [a for t, a in page.elements if t == "script"]
        assert all(
            a.get("type") in ("application/json", "application/ld+json") or ("src" in a and "defer" in a)
            for a in scripts
        )


def test_fact_sheet_shows_hedge_period_quote_and_formula(built: Path) -> None:
    html = (built / "facts" / "index.html").read_text(encoding="utf-8")
    page = Page(html)
    entry = html[html.index('id="output_latest"') :].split("</div>")[0]
    assert "more than 300 billion yuan" in entry and "Hedge: more than" in entry
    assert "Period: at the time of the article" in entry and "“to more than 300 billion yuan”" in entry
    growth = html[html.index('id="output_growth"') :].split("</div>")[0]
    assert "<code>output_latest / output_start</code>" in growth
    assert "more than 300 billion yuan ÷ 146 million yuan = more than 2,054.7945; rounded down to hundreds" in growth
    assert {"output_latest", "output_growth", "emerging_industries"} <= page.ids
    assert "Inferred:" in html[html.index('id="emerging_industries"') :].split("</div>")[0]


def test_changing_a_fact_changes_the_story(project: Path, cli: Callable[..., Result]) -> None:
    edit(project / "content" / "facts.yaml", "value: 9020000000", "value: 9520000000")
    assert cli("build").code == 0
    html = (project / "dist" / "index.html").read_text(encoding="utf-8")
    # a verbatim source quote keeps its words (torchsite check --source flags the mismatch)
    html = re.sub(r'<a class="fact evidence"[^>]*>[^<]*</a>', "", html)
    assert "9.52 billion yuan" in html and "6.52 billion yuan" in html and "9.02 billion" not in html


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

    from conftest import REPO

    done = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--out", str(project / "out")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (project / "out" / "index.html").is_file()
