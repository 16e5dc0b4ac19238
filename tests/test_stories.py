"""One engine, many stories: `torchsite init`, a story with other units and no charts, and a zh-Hans sample.

Every story here is built in tmp_path from the package's templates only; none may carry a word of the Torch story.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from helpers.html import read_page
from helpers.project import Result, edit, line_of, override
from torchsite.charts import export
from torchsite.render.site import PACKAGE

TORCH_WORDS = ("Torch", "Xiamen", "ABB")


def without_torch(out: Path) -> None:
    """No output file holds a word of the Torch story."""
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        text = path.read_bytes().decode("utf-8", errors="replace")
        for word in TORCH_WORDS:
            assert word not in text, f"{word!r} in {path.relative_to(out)}"


def figures_on(html: Path) -> set[tuple[str, str]]:
    """Every (fact id, text) a page links to the fact's entry on the fact sheet."""
    return {(t.fact, t.data) for t in read_page(html).texts if t.fact}


def no_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if the build starts the chart export (a browser)."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the chart export (a browser) was started")

    monkeypatch.setattr(export, "export_all", refuse)
    monkeypatch.setattr(export.Exporter, "__enter__", refuse)


def test_init_writes_a_story_that_checks_and_builds(tmp_path: Path, cli: Callable[..., Result]) -> None:
    """`torchsite init DIR` writes a sample that passes check --source and builds with the package templates."""
    story = tmp_path / "story"
    made = cli("init", str(story))
    assert made.code == 0, made.err
    assert not (story / "templates").exists()
    ignored = (story / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert {"dist/", ".torchsite-cache/", ".dist.lock"} <= set(ignored)
    checked = cli("check", "--project", str(story), "--source", str(story / "source.txt"), "--strict")
    assert checked.code == 0, checked.err
    assert "every quote agrees with" in checked.out
    built = cli("build", "--project", str(story), "--out", str(tmp_path / "out"), "-q")
    assert built.code == 0, built.err
    out = tmp_path / "out"
    assert (out / "charts" / "shares" / "index.html").is_file()
    assert not (out / "methodology").exists()
    shown = figures_on(out / "index.html")
    assert ("card_holders", "more than 12,000 people") in shown
    assert ("loans_per_holder", "less than 7.5 books per card holder") in shown  # the project's unit, rounded up
    without_torch(out)


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path, cli: Callable[..., Result]) -> None:
    """A non-empty folder is left alone, with a usage error."""
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = cli("init", str(tmp_path))
    assert result.code == 2
    assert "is not empty; give a new or empty folder for the new story" in result.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


OTHER_FACTS = """\
sources:
  - id: report
    title: A park's annual report
    publisher: The park
    published: null
themes:
  - id: park
    title: The park
facts:
  - id: budget
    theme: park
    label: Yearly budget
    value: 5000000
    unit: EUR
    qualifier: about
    source: report
    quote: "a budget of about 5 million euros"
  - id: area
    theme: park
    label: Area of the park
    value: 12
    unit: km2
    qualifier: more_than
    source: report
    quote: "more than 12 km²"
  - id: ponds
    theme: park
    label: Ponds in the park
    value: 3
    unit: hectares
    qualifier: exact
    source: report
    quote: "3 hectares of ponds"
claims:
  - id: overview
    passage: "a budget of about 5 million euros"
    source: report
    facts: [budget, area, ponds]
"""
OTHER_SITE = """\
title: A park in figures
description: A second story on the same engine.
units:
  hectares:
    singular: hectare
    plural: hectares
"""
OTHER_STORY = """\
# A park in figures [[overview]]

The park spends {{budget}} a year on {{area}}, with {{ponds}} of ponds.[[overview]]
"""


def write_story(root: Path, site: str, facts: str, story: str) -> Path:
    """A project with only these three content files (no charts, no methodology, no templates)."""
    (root / "content").mkdir(parents=True)
    for name, text in (("site.yaml", site), ("facts.yaml", facts), ("story.md", story)):
        (root / "content" / name).write_text(text, encoding="utf-8")
    return root


def test_other_units_no_charts_no_methodology(
    tmp_path: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """EUR, km² and a unit from the project's table; no charts.yaml starts no browser; no methodology page."""
    project = write_story(tmp_path / "park", OTHER_SITE, OTHER_FACTS, OTHER_STORY)
    no_browser(monkeypatch)
    built = cli("build", "--project", str(project), "--out", str(tmp_path / "out"), "-q")
    assert built.code == 0, built.err
    out = tmp_path / "out"
    shown = {("budget", "about €5 million"), ("area", "more than 12 km²"), ("ponds", "3 hectares")}
    assert shown <= figures_on(out / "index.html")
    assert not (out / "methodology").exists()
    assert not list((out / "assets").glob("plotly*")) and not list((out / "assets").glob("charts*"))
    for page in ("index.html", "facts/index.html", "data/index.html", "404.html"):
        assert "methodology" not in (out / page).read_text(encoding="utf-8").lower(), page
    without_torch(out)


def test_unknown_unit_is_located_with_a_suggestion(tmp_path: Path, cli: Callable[..., Result]) -> None:
    """A unit neither built in, a currency nor in the project's table is an error at its line."""
    project = write_story(tmp_path / "park", OTHER_SITE, OTHER_FACTS, OTHER_STORY)
    facts = project / "content" / "facts.yaml"
    edit(facts, "unit: km2", "unit: kms2")
    result = cli("check", "--project", str(project))
    assert result.code == 1
    line = line_of(facts, "unit: kms2")
    assert f"content/facts.yaml:{line}:11: facts.area.unit: unknown unit 'kms2' (hint: did you mean 'km2'?)" in (
        result.err.replace("\\", "/")
    )


ZH_FACTS = """\
sources:
  - id: report
    title: A sample report
    publisher: A sample publisher
    published: null
themes:
  - id: park
    title: The park
facts:
  - id: output
    theme: park
    label: Output
    value: 300000000000
    unit: CNY
    qualifier: more_than
    source: report
    quote: "more than 300 billion yuan"
  - id: residents
    theme: park
    label: Residents
    value: 146000
    unit: people
    qualifier: about
    source: report
    quote: "about 146,000 people"
  - id: firms
    theme: park
    label: Firms
    value: 9000
    unit: count
    qualifier: nearly
    source: report
    quote: "nearly 9,000 firms"
  - id: share
    theme: park
    label: Share of land
    value: 3
    unit: percent
    qualifier: less_than
    source: report
    quote: "less than 3%"
  - id: opened
    theme: park
    label: Opening
    value: '2020-10'
    unit: month
    qualifier: exact
    source: report
    quote: "in October 2020"
claims:
  - id: overview
    passage: "more than 300 billion yuan"
    source: report
"""
ZH_SHOWN = {
    "opened": "2020年10月",
    "output": "超过3000亿元",
    "residents": "约14.6万人",
    "firms": "近9000",
    "share": "不到3%",
}
ZH_SITE = "title: 园区\ndescription: 一个示例。\nlang: zh-Hans\n"
ZH_STORY = (
    "# 园区 [[overview]]\n\n"
    "园区于{{opened}}开园，产值{{output}}，居民{{residents}}，企业{{firms}}家，占地{{share}}。[[overview]]\n"
)


def test_zh_hans_numbers_hedges_and_dates(
    tmp_path: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """lang: zh-Hans writes 亿 and 万, Chinese hedges before the number without a space, and Chinese dates."""
    project = write_story(tmp_path / "zh", ZH_SITE, ZH_FACTS, ZH_STORY)
    no_browser(monkeypatch)
    built = cli("build", "--project", str(project), "--out", str(tmp_path / "out"), "-q")
    assert built.code == 0, built.err
    out = tmp_path / "out"
    assert '<html lang="zh-Hans"' in (out / "index.html").read_text(encoding="utf-8")
    assert set(ZH_SHOWN.items()) <= figures_on(out / "index.html")
    without_torch(out)


ZH_CORRECTION = """
    corrections:
      - date: '2026-11-25'
        previous: 4
        previous_qualifier: about
        note: 按报告正文更正。
"""


def test_zh_hans_correction_line_in_the_sites_language(
    tmp_path: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Updated line's date and values follow the site's language; its words, from the shipped Chinese catalog."""
    facts = ZH_FACTS.replace('    quote: "less than 3%"\n', '    quote: "less than 3%"' + ZH_CORRECTION)
    project = write_story(tmp_path / "zh", ZH_SITE, facts, ZH_STORY)
    no_browser(monkeypatch)
    built = cli("build", "--project", str(project), "--out", str(tmp_path / "out"), "-q")
    assert built.code == 0, built.err
    page = read_page(tmp_path / "out" / "index.html")
    line = " ".join("".join(t.data for t in page.texts if "p" in t.parents and t.visible).split())
    assert "2026年11月25日更新：Share of land由约4%更正为不到3%。按报告正文更正。" in line
    assert page.first("time", datetime="2026-11-25") and page.first("a", data_fact="share")["href"] == "facts/#share"


def test_a_hedge_typed_in_the_sites_language_is_not_doubled(tmp_path: Path, cli: Callable[..., Result]) -> None:
    """A zh-Hans story typing 超过 before a figure that reads 超过3000亿元 (超过超过 on the page) is refused at the
    hedge, as an English one is; the hedge words are the language table's, found without a space before them."""
    story = ZH_STORY.replace("产值{{output}}", "产值超过{{output}}")
    project = write_story(tmp_path / "zh", ZH_SITE, ZH_FACTS, story)
    result = cli("check", "--project", str(project))
    assert result.code == 1
    assert (
        "content/story.md:3:19: story: the hedge '超过' is typed before {{output}}, which already reads '超过3000亿元' "
        "(hint: remove '超过': the figure carries its own hedge)\n"
    ) in result.err.replace("\\", "/")


def test_a_language_without_a_table_is_located_and_told_what_to_add(tmp_path: Path, cli: Callable[..., Result]) -> None:
    """A language CLDR knows but no table covers is refused at its line, naming the file to add, its keys and the
    tables shipped."""
    project = write_story(tmp_path / "it", ZH_SITE.replace("zh-Hans", "it"), ZH_FACTS, ZH_STORY)
    result = cli("check", "--project", str(project))
    assert result.code == 1
    assert (
        "content/site.yaml:3:7: lang: no words for 'it' (Italian): hedges, their meanings, periods, rounding and "
        "chart keys (hint: add content/languages/it.yaml with the keys space, small, compact, scale_of, exact, "
        "hedges, meanings, explain, period, rounding, key (and optionally spaced, scale_of_elided, units), as "
        "torchsite/inputs/languages/en.yaml has them; tables shipped: de, en, es, fr, zh-Hans)\n"
    ) in result.err.replace("\\", "/")


def test_a_project_template_overrides_the_package_one_even_after_a_build(
    tmp_path: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A templates/ file overrides the package's by name, also when added between two builds (as under serve)."""
    project = write_story(tmp_path / "park", OTHER_SITE, OTHER_FACTS, OTHER_STORY)
    no_browser(monkeypatch)
    out = tmp_path / "out"
    assert cli("build", "--project", str(project), "--out", str(out), "-q").code == 0
    assert "Our own footer" not in (out / "index.html").read_text(encoding="utf-8")
    edit(override(project, "base.html"), '<footer class="site-footer">', '<footer class="site-footer">Our own footer')
    assert cli("build", "--project", str(project), "--out", str(out), "-q").code == 0
    for page in ("index.html", "facts/index.html", "data/index.html"):
        assert "Our own footer" in (out / page).read_text(encoding="utf-8"), page


def test_a_project_stylesheet_follows_the_packages_in_the_one_the_pages_link(
    tmp_path: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """templates/project.css is appended to the package's stylesheet (its rules win by order, one file, one request);
    without it the stylesheet is the package's alone; a folder in its place is an error naming it."""
    project = write_story(tmp_path / "park", OTHER_SITE, OTHER_FACTS, OTHER_STORY)
    no_browser(monkeypatch)
    out = tmp_path / "out"

    def stylesheet() -> str:
        """The one stylesheet the story links, as built."""
        html = (out / "index.html").read_text(encoding="utf-8")
        href = html.split('<link rel="stylesheet" href="', 1)[1].split('"', 1)[0]
        return (out / href).read_text(encoding="utf-8")

    assert cli("build", "--project", str(project), "--out", str(out), "-q").code == 0
    package = (PACKAGE / "static" / "site.css").read_text(encoding="utf-8")
    assert stylesheet() == package
    (project / "templates").mkdir()
    (project / "templates" / "project.css").write_text(":root { --accent: #005f73; }\n", encoding="utf-8")
    assert cli("build", "--project", str(project), "--out", str(out), "-q").code == 0
    css = stylesheet()
    assert css.startswith(package) and css.endswith(":root { --accent: #005f73; }\n")
    (project / "templates" / "project.css").unlink()
    (project / "templates" / "project.css").mkdir()
    result = cli("build", "--project", str(project), "--out", str(out), "-q")
    assert result.code == 1
    assert "templates/project.css: is a folder, not a stylesheet (hint: put a CSS file there)" in result.err.replace(
        "\\", "/"
    )
