"""Claims and citations: every story sentence cites a claim whose passage is verbatim in the source."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers.html import card_data, site_cards
from helpers.project import Result, Site, edit, line_of
from torchsite import pipeline
from torchsite.inputs.config import Project
from torchsite.render import site

HINT = "end it with [[claim_id]], naming the claim in content/facts.yaml whose passage states it"


def rendered(root: Path) -> site.Site:
    """The project's site in memory (charts as tables: no browser)."""
    project = Project(root)
    return pipeline.render(project, pipeline.make_charts(pipeline.gather(project))).site


def page(made: site.Site, path: str) -> str:
    """One page's HTML."""
    return made.files[path].decode("utf-8")


def test_a_sentence_without_a_citation_fails_at_its_line(project: Path, cli: Callable[..., Result]) -> None:
    story = project / "content" / "story.md"
    edit(story, "[[land]] Yet it", "[[land]] The zone is small. Yet it")
    line = line_of(story, "The zone is small.")
    col = story.read_text(encoding="utf-8").splitlines()[line - 1].index("The zone is small.") + 1
    result = cli("check")
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        f"content/story.md:{line}:{col}: story: the sentence 'The zone is small.' cites no claim (hint: {HINT})"
    )


def test_the_headline_needs_a_citation_too(project: Path, cli: Callable[..., Result]) -> None:
    story = project / "content" / "story.md"
    edit(story, " [[growth_area, contributions]]\n", "\n")
    result = cli("check")
    assert result.code == 1
    assert result.err.startswith("content/story.md:1:3: story: the sentence 'From a small test field to ")


def test_an_unknown_claim_names_the_closest(project: Path, cli: Callable[..., Result]) -> None:
    story = project / "content" / "story.md"
    edit(story, "total land.[[land]]", "total land.[[lands]]")
    line = line_of(story, "[[lands]]")
    col = story.read_text(encoding="utf-8").splitlines()[line - 1].index("[[lands]]") + 1
    result = cli("check")
    assert result.code == 1
    assert f"content/story.md:{line}:{col}: story: unknown claim 'lands' (hint: did you mean 'land'?)" in result.err


def test_a_passage_changed_by_one_word_fails_the_source_check(project: Path, cli: Callable[..., Result]) -> None:
    facts = project / "content" / "facts.yaml"
    sheet = pipeline.gather(Project(project)).sheet
    source = project / "notes.txt"  # a source made of every quote (in a sentence stating its period) and passage
    quotes = [f"{f.quote}, {f.as_of}." if f.as_of else f.quote for f in sheet.facts]
    source.write_text("\n\n".join([*quotes, *(c.passage for c in sheet.claims)]), "utf-8")
    assert cli("check", "--strict", "--source", str(source)).code == 0
    passage = 'passage: "possessing less than 3 percent of the {} land'
    edit(facts, passage.format("total"), passage.format("whole"))
    line = line_of(facts, 'passage: "possessing less than 3 percent of the whole')
    result = cli("check", "--source", str(source))
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        f"content/facts.yaml:{line}:14: claims.land.passage: the passage does not occur in the source "
        '(hint: the source has: "possessing less than 3 percent of the total land in Xiamen")'
    )


def test_by_periods_survive_into_every_surface(real_site: Site) -> None:
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(real_site.text("data/facts.csv")))}
    assert rows["businesses"]["as_of"] == "by 2020"
    assert rows["fund_initial"]["as_of"] == "in 2020"
    facts = {f["id"]: f for f in json.loads(real_site.text("data/facts.json"))["facts"]}
    assert facts["businesses"]["as_of"] == "by 2020"
    assert facts["service_platforms"]["as_of"] == "in October 2020"
    story = re.sub(r"<[^>]+>", "", real_site.text("index.html"))
    assert "more than 10,000 businesses by 2020, more than any other development zone" in story
    assert "Period: by 2020" in real_site.text("facts/index.html")


def test_every_citation_is_the_number_of_its_note_which_quotes_the_passage(real_site: Site) -> None:
    """A marker is named "note" and its number, and links to that note at the end of the story: one number per claim
    (a claim cited again keeps its number), numbered in reading order; each note quotes the claim's passage as the
    card and the fact sheet do. The headline carries no marker, but the claims it cites have notes."""
    story, facts = real_site.text("index.html"), real_site.text("facts/index.html")
    card = site_cards(real_site.out, "index.html")
    marker = r'<a class="cite note-ref" data-claim="([a-z0-9_]+)" href="([^"]+)"><span[^>]*>note </span>(\d+)</a>'
    cites = re.findall(marker, story)
    assert len(cites) >= 22
    others = re.search(r'class="cite[ "]', re.sub(marker, "", story))
    assert others is None, "every citation of the story should be a note marker"
    numbers: dict[str, int] = {}
    for claim, href, number in cites:
        assert href == f"#note-{claim}"
        assert numbers.setdefault(claim, len(numbers) + 1) == int(number), (claim, number, numbers)
    h1 = re.search(r"<h1>(.*?)</h1>", story, re.S)
    assert h1 is not None and "cite" not in h1.group(1) and "<sup" not in h1.group(1)
    notes = re.findall(r'<li id="note-([a-z0-9_]+)"><q>(.*?)</q>', story)
    headline_only = [c for c in ("growth_area", "contributions") if c not in numbers]
    assert [claim for claim, _ in notes] == [*numbers, *headline_only]
    for claim, passage in notes:
        entry = re.search(f'<div class="fact-entry claim-entry" id="{claim}">(.*?)</div>', facts, re.S)
        assert entry is not None, claim
        quoted = re.search(r"<blockquote>“(.*?)”</blockquote>", entry.group(1))
        assert quoted is not None
        assert html.unescape(passage) == html.unescape(quoted.group(1)) == card["claims"][claim]["passage"]
    assert card["claims"]["land"] == {
        "passage": "possessing less than 3 percent of the total land in Xiamen",
        "source": "Behind 30 years of success at Xiamen Torch High-tech Zone",
        "url": "facts/#land",
    }


def test_typed_html_never_makes_a_figure_or_a_citation(project: Path) -> None:
    edit(
        project / "content" / "story.md",
        "total land.[[land]]",
        'total land, with <a class="fact" data-fact="land_share" href="#x">nine hundred</a> '
        '<span class="cites" data-claim="land">sources</span>.[[land]]',
    )
    story = page(rendered(project), "index.html")
    paragraph = re.search(r"<p>The zone holds .*?</p>", story, re.S)
    assert paragraph is not None
    assert paragraph.group(0).startswith(
        '<p>The zone holds <a class="fact" data-fact="land_share" href="facts/#land_share">less than 3%</a> '
        'of Xiamen’s total land, with <a href="#x">nine hundred</a> '
        '<span>sources</span>.&#8288;<sup class="cites"><a class="cite note-ref" data-claim="land" href="#note-land">'
    )


def test_the_story_names_its_source_as_the_report_it_is(real_site: Site) -> None:
    story = real_site.text("index.html")
    assert (
        '<p class="based-on">Based on <cite>Behind 30 years of success at Xiamen Torch High-tech Zone</cite>, '
        "a news report from China." in story
    )
    article = json.loads(re.findall(r'<script type="application/ld\+json">(.*?)</script>', story)[0])
    assert article["citation"] == [
        {
            "@type": "NewsArticle",
            "name": "Behind 30 years of success at Xiamen Torch High-tech Zone",
            "creditText": "a news report from 中国 (China)",
        }
    ]
    assert "each links to the passage that states it, or to the formula that computes it" in story


def test_the_source_origin_in_its_own_words_is_on_the_fact_sheet_marked_with_its_language(real_site: Site) -> None:
    """The byline's own words (中国) stand once, on the fact sheet, with lang so a browser picks a Chinese font and a
    screen reader a Chinese voice; the story, chart pages and embeds credit it in the site's language, so a phone
    loads no CJK font to read them."""
    sheet = real_site.text("facts/index.html")
    assert (
        "<cite>Behind 30 years of success at Xiamen Torch High-tech Zone</cite>, "
        'a news report from <span lang="zh-Hans">中国</span> (China). The report names no publisher: its byline and '
        "its source line give only “中国” (China). The article states no publication date;" in sheet
    )
    pages = ["index.html", *(str(p.relative_to(real_site.out)) for p in (real_site.out / "charts").rglob("*.html"))]
    for path in pages:
        shown = re.sub(r"<script\b.*?</script>", "", real_site.text(path), flags=re.S)
        shown = re.sub(r'<a class="edition-switch"[^>]* lang="zh-Hans"[^>]*>[^<]*</a>', "", shown)  # its own name
        assert not re.search(r"[\u3000-\u9fff]", shown), path


@pytest.mark.parametrize("word", ["today", "now", "currently", "employs", "engine"])
def test_the_story_uses_no_word_its_source_does_not_support(real_site: Site, word: str) -> None:
    charts = sorted(str(p.relative_to(real_site.out)) for p in (real_site.out / "charts").rglob("*.html"))
    for path in ("index.html", *charts):
        ours = re.sub(
            r'<sup class="cites">.*?</sup>|<cite>.*?</cite>|<section class="notes".*?</section>'
            r'|<script type="application/json" id="card-data">.*?</script>',  # the source's own words
            " ",
            real_site.text(path),
            flags=re.S,
        )
        text = re.sub(r"<[^>]+>", " ", ours)
        assert not re.search(rf"\b{word}\b", text, re.IGNORECASE), (path, word)


def test_derived_working_shows_the_raw_result_before_rounding(real_site: Site) -> None:
    facts = real_site.text("facts/index.html")
    assert (
        "Working: 146 million yuan ÷ $22.92 million = 6.3699…; rounded to 2 decimal places: "
        "about 6.37 yuan per US dollar." in facts
    )
    assert "43% ÷ less than 3% = more than 14.3333…; rounded down to a whole number: more than 14 times." in facts


SAMPLE = """# The zone's land [[land]]

The zone holds {{land_share}} of Xiamen's land.[[land]] It began in {{abb_arrival}}, when a band played.[[abb_first]]

## Next

- The weather was fine.[[goals]]
"""


def test_review_lists_every_sentence_with_its_passages(project: Path, cli: Callable[..., Result]) -> None:
    (project / "content" / "story.md").write_text(SAMPLE, encoding="utf-8")
    (project / "content" / "charts.yaml").write_text("charts: []\n", encoding="utf-8")  # the sample places none
    result = cli("review")
    assert result.code == 0
    blocks = result.out.split("\n\n")
    assert [b.splitlines()[0] for b in blocks] == [
        "1. content/story.md:1:3",
        "2. content/story.md:3:1",
        "3. content/story.md:3:57",
        "4. content/story.md:7:3",
    ]
    assert blocks[1].splitlines() == [
        "2. content/story.md:3:1",
        "   The zone holds less than 3% of Xiamen's land.",
        "   cites [land]: “possessing less than 3 percent of the total land in Xiamen”",
        "   uses land_share = less than 3% (quote “less than 3 percent of the total land in Xiamen”)",
        "   signed off: [ ]",
    ]
    assert "! shares no content word with its passages" in blocks[2]
    assert "! shares no content word" not in blocks[0] + blocks[1]
    warning = "warning: story: the sentence '{}' shares no content word with the passages it cites"
    assert f"content/story.md:3:57: {warning.format('It began in {{abb_arrival}}, when a ...')}" in result.err
    assert f"content/story.md:7:3: {warning.format('The weather was fine.')}" in result.err
    strict = cli("review", "--strict")
    assert strict.code == 1
    assert [line for line in strict.err.splitlines() if "shares no content word" in line] == [
        f"content/story.md:3:57: {warning.format('It began in {{abb_arrival}}, when a ...')[9:]}"
        " (hint: check that its claims state what it says, or cite the claim that does)",
        f"content/story.md:7:3: {warning.format('The weather was fine.')[9:]}"
        " (hint: check that its claims state what it says, or cite the claim that does)",
    ]


def test_the_credit_and_the_notes_link_the_source_and_give_its_date(project: Path) -> None:
    """With the source's address and date on the fact sheet, the story's credit and its notes link the title to the
    original and date it, and a citation's card links the original too; print writes the address out (data-url)."""
    edit(
        project / "content" / "facts.yaml",
        "    published: null\n",
        "    url: https://example.com/torch-30\n    published: '2021-03-08'\n",
    )
    made = rendered(project)
    story = page(made, "index.html")
    linked = (
        '<a href="https://example.com/torch-30" data-url="https://example.com/torch-30"><cite>Behind 30 years of '
        'success at Xiamen Torch High-tech Zone</cite></a>, a news report from China, published <time datetime="2021-'
        '03-08">March 8, 2021</time>'
    )
    credit = re.search(r'<div class="story-credit.*?</div>', story, re.S)
    notes = re.search(r'<p class="notes-source">.*?</p>', story, re.S)
    assert credit is not None and linked in credit.group(0)
    assert notes is not None and linked in notes.group(0)
    cards = card_data(story, "index.html", made.files.__getitem__)
    assert cards["claims"]["land"]["source_url"] == "https://example.com/torch-30"


def test_the_credit_names_who_made_the_page_and_never_links_a_source_without_an_address(real_site: Site) -> None:
    """Torch's site.yaml gives its own title ('Torch at thirty') as creator: the site is not an author, so the page
    has no byline; and its base_url is example.org, a stand-in, so print gives no 'Online at' address."""
    story = real_site.text("index.html")
    credit = re.search(r'<div class="story-credit.*?</div>', story, re.S)
    assert credit is not None
    assert "By " not in credit.group(0) and "byline" not in credit.group(0)
    assert "Online at" not in credit.group(0) and "print-address" not in credit.group(0)
    assert "<cite>Behind 30 years of success at Xiamen Torch High-tech Zone</cite>, a news report" in credit.group(0)
    assert "<time" not in credit.group(0), "the report states no date, so the credit gives none"


def test_a_byline_names_a_real_creator_and_print_a_real_address(project: Path) -> None:
    """A creator who is not the site's title is the byline, in Torch's own masthead and in the package's (the sample
    init uses it); a real base_url is the print address."""
    edit(project / "content" / "site.yaml", "creator: Torch at thirty", "creator: The Data Desk")
    edit(project / "content" / "site.yaml", "https://example.org/torchsite/", "https://news.example.cn/torch/")
    own = re.search(r'<div class="story-credit.*?</div>', page(rendered(project), "index.html"), re.S)
    (project / "templates" / "_masthead.html").unlink()  # the package's default masthead
    default = re.search(r'<div class="story-credit.*?</div>', page(rendered(project), "index.html"), re.S)
    assert own is not None and '<p class="byline">By The Data Desk</p>' in own.group(0)
    assert default is not None and "By The Data Desk. Based on" in default.group(0)
    for credit in (own.group(0), default.group(0)):
        assert '<p class="print-address">Online at https://news.example.cn/torch/</p>' in credit


def test_years_dates_and_exact_counts_are_quiet_figures_and_hedged_or_measured_ones_are_marked(real_site: Site) -> None:
    story = real_site.text("index.html")
    text = re.sub(r"<figure.*?</figure>", "", story.split('<section class="notes"')[0], flags=re.S)  # charts apart
    found = re.findall(r"<p[ >].*?</p>", text, re.S)
    pairs = re.findall(r'<a class="(fact(?: fact-quiet)?)" data-fact="([a-z0-9_]+)"', "".join(found))
    links = {ident: kind for kind, ident in pairs}  # each figure of the story's paragraphs, as the text marks it
    quiet = {"sub_areas", "abb_arrival", "auo_arrival", "zone_age", "fund_launch_year", "torch_university_founded"}
    marked = {"land_share", "output_latest", "output_growth", "output_start", "fund_initial", "workers"}
    assert {i for i in quiet if links.get(i) != "fact fact-quiet"} == set()
    assert {i for i in marked if links.get(i) != "fact"} == set()
