"""Editions: one fact sheet and one set of charts, a story and methodology per language, each edition's pages under
its own folder, every page pointing to its other editions and a reader able to switch to them."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urljoin

import pytest

from helpers.html import Page
from helpers.project import REPO, Result, Site, edit, line_of
from test_messages import Visible, catalog_words, words
from torchsite import pipeline
from torchsite.charts.model import source_words
from torchsite.inputs.config import Project

BASE = "https://example.org/torchsite/"
ZH = "zh-hans/"
PAGES = ["", "facts/", "methodology/", "data/", "charts/fund/"]  # one of each kind the editions share


def page(site: Site, url: str) -> Page:
    """A built page by its URL below the site root."""
    return site.page(url + "index.html")


@pytest.mark.parametrize("url", PAGES)
def test_each_page_names_every_edition_of_itself_both_ways(real_site: Site, url: str) -> None:
    wanted = {"en": BASE + url, "zh-Hans": BASE + ZH + url, "x-default": BASE + url}
    for path in (url, ZH + url):
        found = {link["hreflang"]: link["href"] for link in page(real_site, path).all("link", rel="alternate")}
        assert found == wanted, path


@pytest.mark.parametrize("url", PAGES)
def test_the_switcher_leads_to_the_same_page_in_the_other_edition_named_in_its_language(
    real_site: Site, url: str
) -> None:
    for here, there, lang, name in ((url, ZH + url, "zh-Hans", "中文 (简体)"), (ZH + url, url, "en", "English")):
        switch = page(real_site, here).first("a", **{"class": "edition-switch"})
        assert urljoin(BASE + here, switch["href"]) == BASE + there, here
        assert (switch["hreflang"], switch["lang"]) == (lang, lang), here
        shown = re.search(r'class="edition-switch"[^>]*>([^<]*)</a>', real_site.text(here + "index.html"))
        assert shown is not None and shown.group(1) == name, here


def test_each_edition_says_its_language_to_browsers_and_search_engines(real_site: Site) -> None:
    for prefix, lang in (("", "en"), (ZH, "zh-Hans")):
        for url in PAGES:
            assert f'<html lang="{lang}">' in real_site.text(prefix + url + "index.html"), prefix + url
        for url in ("", "facts/"):  # the NewsArticle and the Dataset
            (node,) = [json.loads(block) for block in page(real_site, prefix + url).json_ld]
            assert (node["inLanguage"], node["url"]) == (lang, BASE + prefix + url), prefix + url


def test_a_section_has_the_same_anchor_in_both_editions(real_site: Site) -> None:
    """What the switcher carries over: every chart, note, fact and heading anchor of a page is in the other edition."""
    for url in ("", "facts/"):
        anchors = [
            {e.attrs["id"] for e in page(real_site, prefix + url).elements if "id" in e.attrs and e.tag != "script"}
            for prefix in ("", ZH)
        ]
        assert anchors[0] == anchors[1], url
        assert {"chart-fund", "note-fund"} <= anchors[0] or url


def test_the_chinese_pages_have_no_english_sentence_from_the_templates(real_site: Site) -> None:
    """A word only the catalog's English uses, anywhere a reader of a Chinese page sees or hears text outside quoted
    passages, names and code, is a template sentence left in English."""
    banned = catalog_words(REPO)
    found = {}
    for path in sorted(p.relative_to(real_site.out).as_posix() for p in (real_site.out / ZH).rglob("*.html")):
        parser = Visible()
        parser.feed(real_site.text(path))
        if hits := sorted(words(" ".join(parser.text)) & banned):
            found[path] = hits
    assert found == {}


def test_no_chinese_sentence_is_followed_by_a_space(real_site: Site) -> None:
    """Chinese runs its sentences on after 。！？: a space the templates put between two sentences (or one typed in a
    story) shows as a gap in the line."""
    gaps = []
    for path in sorted(p.relative_to(real_site.out).as_posix() for p in (real_site.out / ZH).rglob("*.html")):
        text = real_site.text(path)
        gaps += [f"{path}: …{text[max(0, m.start() - 12) : m.end() + 12]}…" for m in SENTENCE_GAP.finditer(text)]
    assert not gaps, "\n".join(gaps[:10])


SENTENCE_GAP = re.compile(r"[。！？] +(?=[<\u4e00-\u9fff“（《])")


def test_every_figure_on_the_chinese_pages_is_written_the_chinese_way(real_site: Site) -> None:
    """Each figure a Chinese page writes (the story, a chart's words, the fact sheet) is the fact sheet's value as
    CLDR and the Chinese table write it, hedge included: never the English figure."""
    (edition,) = pipeline.gather(Project(REPO)).editions
    fmt = edition.config.formatter()
    figures = edition.figures
    # its text, period or deadline; a data table's source column: the verbatim quote, or the formula (names, code)
    allowed = {
        i: {
            f.text,
            f.period,
            fmt.words.by(f.text),
            fmt.words.period.no_year.format(date=f.text),
            source_words(f, fmt.messages),
        }
        for i, f in figures.items()
    }
    wrong, seen = [], set()
    for url in ("", "facts/", "charts/milestones/"):
        for text in page(real_site, ZH + url).texts:
            said = text.data.strip()
            if not said or text.fact is None or not text.visible or {"svg", "span"} & set(text.parents):
                continue  # not a figure's own text: a drawn label, a key figure's label
            seen.add(text.fact)
            if said not in allowed[text.fact]:
                wrong.append(f"{ZH}{url}: {text.fact} written {said!r}")
    assert wrong == []
    assert {"output_latest", "workers", "businesses", "goal_year"} <= seen
    assert (figures["output_latest"].text, figures["workers"].text) == ("超过3000亿元", "约20万人")


def test_the_downloads_are_shared_and_described_in_each_language(real_site: Site) -> None:
    data = real_site.text(ZH + "data/index.html")
    assert 'href="../../data/facts.csv"' in data and not (real_site.out / ZH / "data" / "facts.csv").exists()
    assert "下载" in data


def test_without_editions_a_site_has_no_trace_of_them(project: Path, cli: Callable[..., Result]) -> None:
    assert cli("build").code == 0
    dist = project / "dist"
    assert not (dist / ZH).exists() and not list((dist / "assets").glob("editions.*.js"))
    story = (dist / "index.html").read_text(encoding="utf-8")
    assert "hreflang" not in story and "edition-switch" not in story
    assert ZH not in (dist / "sitemap.xml").read_text(encoding="utf-8")


def test_editions_are_checked_at_their_place_in_site_yaml(whole_project: Path, cli: Callable[..., Result]) -> None:
    site = whole_project / "content" / "site.yaml"
    edit(site, "  - lang: zh-Hans\n", "  - zh-Hans\n  - lang: xx\n  - lang: en\n  - lang: zh-Hans\n")
    first = line_of(site, "  - zh-Hans")
    assert cli("check").err.splitlines() == [
        f"content/site.yaml:{first + 1}:11: editions[1].lang: unknown language 'xx' (hint: use a BCP 47 tag such as en "
        "or zh-Hans)",
        f"content/site.yaml:{first + 2}:11: editions[2].lang: the edition 'en' is given twice (also at lang) (hint: "
        "list it once)",
        f"content/site.yaml:{first + 3}:11: editions[3].lang: the edition 'zh-Hans' is given twice (also at "
        "editions[0]) (hint: list it once)",
        "torchsite: 3 problems; nothing was written",
    ]


def test_an_edition_without_its_story_is_an_error_at_its_entry(whole_project: Path, cli: Callable[..., Result]) -> None:
    (whole_project / "content" / "story.zh-Hans.md").rename(whole_project / "content" / "story.draft.md")
    result = cli("check")
    line = line_of(whole_project / "content" / "site.yaml", "lang: zh-Hans")
    assert result.code == 1
    assert result.err == (
        f"content/site.yaml:{line}:11: editions[0].lang: the "
        "edition 'zh-Hans' has no story: content/story.zh-Hans.md is missing (hint: write the edition's story there, "
        "citing the same claims as the main one)\ntorchsite: 1 problem; nothing was written\n"
    )


def test_an_editions_story_is_checked_like_the_main_one_in_its_language(
    whole_project: Path, cli: Callable[..., Result]
) -> None:
    """A hedge typed before a figure that carries one, a sentence citing no claim, a digit typed: at their place in
    content/story.zh-Hans.md; with a valid story, a chart it leaves out is an error naming it."""
    story = whole_project / "content" / "story.zh-Hans.md"
    edit(story, "有{{workers}}", "有约{{workers}}")
    edit(story, "。[[goals]]", "，共有3个目标。")
    workers, goals = line_of(story, "约{{workers}}"), line_of(story, "共有3个目标")
    errors = cli("check").err.splitlines()
    assert [e.split(": story: ")[0] for e in errors[:-1]] == [
        f"content/story.zh-Hans.md:{workers}:8",
        f"content/story.zh-Hans.md:{goals}:68",
        f"content/story.zh-Hans.md:{goals}:127",
    ], errors
    assert errors[0].endswith(
        "the hedge '约' is typed before {{workers}}, which already reads '约20万人' "
        "(hint: remove '约': the figure carries its own hedge)"
    )
    assert "cites no claim" in errors[1] and "a number typed in the text" in errors[2]
    story.write_text((REPO / "content" / "story.zh-Hans.md").read_text(encoding="utf-8").replace("{{chart:fund}}", ""))
    charts = whole_project / "content" / "charts.yaml"
    assert cli("check").err == (
        f"content/charts.yaml:{line_of(charts, 'id: fund')}:9: charts.fund.id: chart 'fund' is placed nowhere in "
        "content/story.zh-Hans.md (hint: add a line of its own, {{chart:fund}}, where the story needs it, or remove "
        "the chart)\ntorchsite: 1 problem; nothing was written\n"
    )


def test_a_chart_word_translated_without_its_references_is_an_error_at_the_catalog(
    whole_project: Path, cli: Callable[..., Result]
) -> None:
    edit(whole_project / "content" / "locale" / "zh-Hans.po", "从{{fund_initial}}增至", "从{{fund_inital}}增至")
    result = cli("check")
    assert (result.code, result.err) == (
        1,
        "content/locale/zh-Hans.po: the translation of 'Three sub-funds lifted the venture fund from {{fund_initial}} "
        "to {{fund_total}}' names {{fund_inital}}, {{fund_total}}, not the original's ({{fund_initial}}, "
        "{{fund_total}}) (hint: keep every {{reference}} of the msgid in the msgstr, spelt the same)\n"
        "torchsite: 1 problem; nothing was written\n",
    )
