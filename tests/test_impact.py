"""`torchsite impact`: where a fact reaches, and what an edited fact sheet changes, on the real content."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers.project import Result, edit, line_of


def section(report: str, title: str) -> list[str]:
    """The items listed under a section title of the report."""
    lines = report.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    items = []
    for line in lines[start + 1 :]:
        if not line.startswith("  "):
            break
        items.append(line.strip())
    return items


def test_a_fact_reaches_derived_figures_sentences_key_figures_and_files(
    project: Path, cli: Callable[..., Result]
) -> None:
    result = cli("impact", "output_start")
    assert result.code == 0, result.err
    lines = (project / "content" / "facts.yaml").read_text(encoding="utf-8").splitlines()
    facts_line = lines.index("  - id: output_start") + 1
    assert result.out.splitlines()[:2] == [
        "output_start: Annual industrial output at the start",
        f"  fact, 146 million yuan, defined at content/facts.yaml:{facts_line}",
    ]
    assert section(result.out, "Derived figures that use it") == [
        "output_growth = more than 2,000 times  (output_latest / output_start)",
        "cny_per_usd = about 6.37 yuan per US dollar  (output_start / output_start_usd)",
    ]
    cited = section(result.out, "Sentences that cite it")
    story_line = line_of(project / "content" / "story.md", "has risen from {{output_start}}")
    assert any(
        s.startswith(f"content/story.md:{story_line} [output_start] ")
        and s.endswith("from 146 million yuan to more than 300 billion yuan.")
        for s in cited
    )
    growth = "that output had increased to more than 300 billion yuan, more than 2,000 times"
    assert any("output_growth]" in s and growth in s for s in cited)
    assert all("{{" not in s for s in cited)
    assert section(result.out, "Key figures in content/site.yaml") == ["output_growth"]
    files = dict(item.split(": ", 1) for item in section(result.out, "Pages that show it"))
    assert {"index.html", "facts/index.html", "methodology/index.html", "charts/output/index.html"} <= set(files)
    downloads = dict(item.split(": ", 1) for item in section(result.out, "Downloads and other files that contain it"))
    assert {"data/facts.csv", "data/facts.json", "data/charts/output.csv"} <= set(downloads)
    # the key figure, the sentence, and the output chart's title, description, table row (figure, source) and the
    # multiple's mark in the narrow drawing (the story fetches the wide one, a file of its own)
    assert "output_growth x7" in files["index.html"]
    assert any(f.startswith("assets/drawing-output-wide.") for f in downloads)


def test_a_derived_figure_reaches_its_sentence_and_pages(cli: Callable[..., Result]) -> None:
    result = cli("impact", "output_intensity")
    assert result.code == 0, result.err
    assert "  derived, more than 14 times, defined at content/facts.yaml:" in result.out
    assert "Derived figures that use it: none: no formula uses it" in result.out
    cited = section(result.out, "Sentences that cite it")
    documents = ["story.md", "methodology.md", "story.zh-Hans.md", "methodology.zh-Hans.md"]  # each edition's
    assert [s.split(" [")[0].split(":")[0] for s in cited] == [f"content/{d}" for d in documents]
    assert "Key figures in content/site.yaml: none" in result.out


def test_an_unknown_id_is_a_usage_error(cli: Callable[..., Result]) -> None:
    result = cli("impact", "output_strat")
    assert result.code == 2
    assert "no fact or derived figure 'output_strat'; did you mean 'output_start'?" in result.err
    assert cli("impact").code == 2


def test_against_a_file_lists_every_consequence(whole_project: Path, cli: Callable[..., Result]) -> None:
    shutil.copy(whole_project / "content" / "facts.yaml", whole_project / "published.yaml")
    edit(whole_project / "content" / "facts.yaml", "value: 9020000000", "value: 9520000000")
    result = cli("impact", "--against", "published.yaml")
    assert result.code == 0, result.err
    assert result.out.startswith("Comparing content/ with published.yaml\n")
    assert section(result.out, "Facts whose value or hedge changed") == [
        "fund_total: 9.02 billion yuan -> 9.52 billion yuan"
    ]
    assert section(result.out, "Derived figures whose result changes") == [
        "fund_added: 6.02 billion yuan -> 6.52 billion yuan"
    ]
    line = line_of(whole_project / "content" / "story.md", "{{fund_total}}")
    zh = line_of(whole_project / "content" / "story.zh-Hans.md", "{{fund_total}}")
    # Two sentences of one line, each on its own: the splitter is the story's (a citation ends a sentence).
    changed = section(result.out, "Sentences whose text changes")
    assert changed == [
        f"content/story.md:{line}",
        "was: It took at most six months to bring in three sub-funds, which raised the total to 9.02 billion yuan.",
        "now: It took at most six months to bring in three sub-funds, which raised the total to 9.52 billion yuan.",
        f"content/story.md:{line}",
        "was: That total is 6.02 billion yuan more than the sum at the founding, or about three times the original.",
        "now: That total is 6.52 billion yuan more than the sum at the founding, or about three times the original.",
        f"content/story.zh-Hans.md:{zh}",
        "was: 高新区用时至多6个月引入了3只子基金，使基金总规模增至90.2亿元。",
        "now: 高新区用时至多6个月引入了3只子基金，使基金总规模增至95.2亿元。",
        f"content/story.zh-Hans.md:{zh}",
        "was: 这一总额比设立时多出60.2亿元，相当于最初规模的约3倍。",
        "now: 这一总额比设立时多出65.2亿元，相当于最初规模的约3倍。",
    ]
    # The data page lists each chart CSV with its size, so it changes with the chart's data; the fund chart's
    # drawings are inlined SVG, so the pages that show it change, and so does the wide drawing the story fetches.
    pages = ["charts/fund/embed/index.html", "charts/fund/index.html", "data/index.html", "facts/index.html"]
    assert section(result.out, "Pages that change") == [
        *pages,
        "index.html",
        *(f"zh-hans/{p}" for p in pages),
        "zh-hans/index.html",
    ]
    files = section(result.out, "Downloads and other files that change")
    # Hashed files take new names: the fund chart's share image and wide drawing, and the card data of each page
    # that cites the figure.
    shares = [f for f in files if f.startswith(("assets/share-fund.", "assets/drawing-fund-wide.", "assets/cards-"))]
    kinds = [f.rsplit(" ", 1)[-1] for f in shares]
    assert kinds.count("(added)") == kinds.count("(removed)") == len(shares) // 2 >= 2 + 3, files
    assert {f.split(".", 1)[0] for f in shares} >= {
        "assets/share-fund",
        "assets/drawing-fund-wide",
        "assets/cards-story",
        "assets/cards-charts-fund",
        "assets/cards-charts-fund-embed",
    }, files
    assert [f for f in files if f not in shares] == [
        "data/charts/fund.csv",
        "data/facts.csv",
        "data/facts.json",
    ]


def test_a_hedge_change_counts_as_a_change(project: Path, cli: Callable[..., Result]) -> None:
    shutil.copy(project / "content" / "facts.yaml", project / "published.yaml")
    facts = (project / "content" / "facts.yaml").read_text(encoding="utf-8")
    at = facts.index("id: output_latest")
    (project / "content" / "facts.yaml").write_text(
        facts[:at] + facts[at:].replace("qualifier: more_than", "qualifier: about", 1), encoding="utf-8"
    )
    result = cli("impact", "--against", "published.yaml")
    assert result.code == 0, result.err
    assert section(result.out, "Facts whose value or hedge changed") == [
        "output_latest: more than 300 billion yuan -> about 300 billion yuan"
    ]
    assert any(
        item.startswith("output_growth: more than 2,000 times -> about") for item in section(result.out, "Derived")
    )


def test_against_a_git_revision(project: Path, cli: Callable[..., Result]) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(project), *args], check=True, capture_output=True)

    git("init", "-q")
    git("add", "content")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "published")
    same = cli("impact", "--against", "HEAD")
    assert "Facts whose value or hedge changed: none" in same.out and "Pages that change: none" in same.out
    edit(project / "content" / "facts.yaml", "value: 43\n", "value: 45\n")
    result = cli("impact", "--against", "HEAD")
    assert result.code == 0, result.err
    assert result.out.startswith("Comparing content/ with HEAD:content/\n")
    assert section(result.out, "Facts whose value or hedge changed") == ["output_share: 43% -> 45%"]
    assert section(result.out, "Derived figures whose result changes") == [
        "output_intensity: more than 14 times -> more than 15 times"
    ]
    assert section(result.out, "Key figures in content/site.yaml that change") == ["output_share"]
    missing = cli("impact", "--against", "no-such-rev")
    assert missing.code == 2 and "'no-such-rev' is neither a file nor a git revision of the content" in missing.err


def test_an_old_sheet_with_problems_is_reported_under_its_name(project: Path, cli: Callable[..., Result]) -> None:
    old = project / "published.yaml"
    shutil.copy(project / "content" / "facts.yaml", old)
    edit(old, "value: 43\n", "value: forty-three\n")
    result = cli("impact", "--against", "published.yaml")
    assert result.code == 1
    line = line_of(old, "value: forty-three")
    assert f"published.yaml:{line}:12: facts.output_share.value: expected a number, got 'forty-three'" in result.err


def test_a_fact_drawn_in_a_chart_reaches_the_chart_its_page_and_its_csv(cli: Callable[..., Result]) -> None:
    result = cli("impact", "land_share")
    assert result.code == 0, result.err
    assert section(result.out, "Charts in content/charts.yaml that show it") == [
        "footprint [land_share] With less than 3% of Xiamen's land, "
        "the zone contributes 43% of the city's industrial output"
    ]
    pages = dict(item.split(": ", 1) for item in section(result.out, "Pages that show it"))
    assert "charts/footprint/index.html" in pages and "index.html" in pages
    files = dict(item.split(": ", 1) for item in section(result.out, "Downloads and other files that contain it"))
    assert files["data/charts/footprint.csv"] == "land_share x1"


def test_a_derived_figure_in_a_chart_title_reaches_the_chart(cli: Callable[..., Result]) -> None:
    result = cli("impact", "output_start")
    charts = section(result.out, "Charts in content/charts.yaml that show it")
    assert [c.split(" ")[0] for c in charts] == ["output"]
    assert charts[0].startswith("output [output_start, ") and "output_growth" in charts[0]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x02\x00>\x00\x01\xa0\x00", "1:18: not valid UTF-8 (byte 0xa0)"),
        (b"facts: []\n\xff\xfe oops\n", "2:1: not valid UTF-8 (byte 0xff)"),
    ],
)
def test_against_a_binary_or_undecodable_file_is_one_located_line(
    project: Path, cli: Callable[..., Result], content: bytes, expected: str
) -> None:
    other = project / "other.yaml"  # inside the project: impact reads no file outside it
    other.write_bytes(content)
    result = cli("impact", "--against", str(other))
    assert result.code == 1
    assert "Traceback" not in result.err
    assert result.err.splitlines()[0] == f"other.yaml:{expected} (hint: save the file as UTF-8)"


def git_commit(project: Path, message: str) -> None:
    """Commit the project's content/ (a new repository on the first call)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    if not (project / ".git").exists():
        subprocess.run(["git", "-C", str(project), "init", "-q"], check=True)
    subprocess.run(["git", "-C", str(project), "add", "content"], check=True)
    author = ["-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "-C", str(project), *author, "commit", "-q", "-m", message], check=True)


def changed_between(a: Path, b: Path) -> list[str]:
    """Every path below either folder whose bytes differ, or that only one has."""
    files = {p.relative_to(root).as_posix() for root in (a, b) for p in root.rglob("*") if p.is_file()}
    return sorted(
        f
        for f in files
        if not ((a / f).is_file() and (b / f).is_file()) or (a / f).read_bytes() != (b / f).read_bytes()
    )


def test_the_json_report_names_exactly_the_files_two_builds_change(project: Path, cli: Callable[..., Result]) -> None:
    git_commit(project, "published")
    assert cli("build", "-q", "--out", "before").code == 0
    edit(project / "content" / "facts.yaml", "value: 43\n", "value: 45\n")
    assert cli("build", "-q", "--out", "after").code == 0
    result = cli("impact", "--against", "HEAD", "--json")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    expected = changed_between(project / "before", project / "after")
    assert report["files"] == expected
    # what the old report missed: the share image, and the footprint chart's own pages, which inline its drawing
    assert any(f.startswith("assets/share.") for f in expected)
    assert {"charts/footprint/index.html", "charts/footprint/embed/index.html"} <= set(expected)
    assert report["facts"] == [{"id": "output_share", "before": "43%", "after": "45%"}]
    assert report["derived"] == [
        {"id": "output_intensity", "before": "more than 14 times", "after": "more than 15 times"}
    ]
    assert report["key_figures"] == ["output_share"]
    assert [c["id"] for c in report["charts"]] == ["footprint"]
    assert report["sentences"] and all(
        "45%" in s["after"] or "15 times" in s["after"] or "15倍" in s["after"] for s in report["sentences"]
    )
    assert set(report["files_added"]) | set(report["files_removed"]) <= set(expected)


def test_an_added_fact_the_story_cites_compares_with_the_revision_before_it(
    project: Path, cli: Callable[..., Result]
) -> None:
    git_commit(project, "published")
    facts = project / "content" / "facts.yaml"
    at = facts.read_text(encoding="utf-8").index("  - id: output_share")
    block = facts.read_text(encoding="utf-8")[at:].split("\n\n")[0].split("\n  - id:")[0]
    new = block.replace("id: output_share", "id: output_share_again")
    facts.write_text(facts.read_text(encoding="utf-8").replace(block, block + "\n" + new, 1), encoding="utf-8")
    story = project / "content" / "story.md"
    story.write_text(
        story.read_text(encoding="utf-8") + "\nThe zone's share is {{output_share_again}} again.[[contributions]]\n",
        "utf-8",
    )
    result = cli("impact", "--against", "HEAD", "--json")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert report["added"] == ["output_share_again"]
    line = len(story.read_text(encoding="utf-8").splitlines())
    assert report["sentences"] == [
        {"file": "content/story.md", "line": line, "before": None, "after": "The zone's share is 43% again."}
    ]
    assert "index.html" in report["files"] and "facts/index.html" in report["files"]


def test_a_fact_reaches_exactly_the_files_an_edit_of_it_changes(project: Path, cli: Callable[..., Result]) -> None:
    assert cli("build", "-q", "--out", "before").code == 0
    result = cli("impact", "output_share")
    assert result.code == 0, result.err
    edit(project / "content" / "facts.yaml", "value: 43\n", "value: 45\n")
    assert cli("build", "-q", "--out", "after").code == 0
    pages = section(result.out, "Pages that show it")
    files = section(result.out, "Downloads and other files that contain it")
    before = {p.relative_to(project / "before").as_posix() for p in (project / "before").rglob("*") if p.is_file()}
    changed = changed_between(project / "before", project / "after")
    assert sorted(item.split(": ")[0] for item in pages + files) == [p for p in changed if p in before]
    # every page the edit changes is named, also one that cites no figure: the data page carries the share image's
    # tags (its alt text says "43%"); another chart's own page carries no share tags, so it is not named
    assert [item.split(": ")[0] for item in pages] == [p for p in changed if p.endswith(".html") and p in before]
    assert "data/index.html: in its share tags, or in the images it links" in pages
    assert not any(p.startswith("charts/fund/") for p in changed)
    assert any(f.startswith("assets/share.") and f.endswith(": in the drawing") for f in files)
