"""Language tables: the words the site writes around numbers, per language, shipped and extended by the project."""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from helpers.html import card_data
from helpers.project import REPO, Result, edit, one_edition
from torchsite import pipeline
from torchsite.inputs.config import Project
from torchsite.inputs.formatting import Formatter
from torchsite.inputs.hedges import HEDGES
from torchsite.inputs.languages import SHIPPED, shipped
from torchsite.render.site import Build

TABLE_SECTIONS = ("hedges", "meanings", "explain", "period", "rounding", "key")


def copied(root: Path, lang: str) -> Path:
    """The real project copied into `root` with the site's language set, in that one language (no editions)."""
    shutil.copytree(REPO / "content", root / "content")
    edit(one_edition(root) / "content" / "site.yaml", "lang: en", f"lang: {lang}")
    return root


def rendered(root: Path) -> Build:
    """A project rendered in memory (charts as tables: no browser)."""
    project = Project(root)
    return pipeline.render(project, pipeline.make_charts(pipeline.gather(project)))


def english_table_words() -> re.Pattern[str]:
    """Every word the English table writes (hedges, meanings, periods, rounding, chart keys), as one pattern."""
    table = shipped("en")
    assert table is not None
    texts: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            texts.append(re.sub(r"\{[a-z]+\}", " ", value))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    walk({k: v for k, v in table.model_dump().items() if k in TABLE_SECTIONS} | {"exact": table.exact})
    words = {w.lower() for t in texts for w in re.findall(r"[A-Za-z]{2,}", t)}
    return re.compile(r"(?<![A-Za-z])(?:" + "|".join(sorted(words, key=len, reverse=True)) + r")(?![A-Za-z])", re.I)


def cards(build: Build) -> dict[str, dict[str, str | None]]:
    """The story's card data: each cited figure's card."""
    page = build.site.files["index.html"].decode("utf-8")
    found: dict[str, dict[str, str | None]] = card_data(page, "index.html", build.site.files.__getitem__)["facts"]
    return found


def surfaces(build: Build) -> dict[str, list[str]]:
    """What the language tables feed, as a reader or a download shows it, without the content's own words (labels,
    quotes, periods as the fact sheet gives them)."""
    found: dict[str, list[str]] = {"csv": [], "card": [], "working": [], "timeline": [], "key": [], "mark": []}
    for path, data in build.site.files.items():
        if path.endswith(".csv"):
            for row in csv.DictReader(io.StringIO(data.decode("utf-8"))):
                cells = ("hedge", "previous_hedge", "text", "when", "unit_label")
                found["csv"] += [f"{path} {c}: {row[c]}" for c in cells if row.get(c)]
    for ident, card in cards(build).items():
        as_of = build.figures[ident].as_of
        text = str(card["text"])
        text = text.replace(as_of, "").strip() if as_of else text  # without the period as the fact sheet words it
        found["card"] += [text, card["hedge"] or ""]
        found["working"].append(card["working"] or "")
    sheet = build.site.files["facts/index.html"].decode("utf-8")
    found["working"] += re.findall(r'<dd class="working">(?:Working: |计算过程：)(.*?)</dd>', sheet, re.S)
    found["card"] += re.findall(r'<dd class="hedge">(.*?)</dd>', sheet, re.S)  # the fact sheet explains each hedge
    for chart in build.charts:
        found["key"] += [line.text for line in chart.key]
        labelled = [(row.named, row.pair % {"label": row.label, "figure": ""}) for row in chart.rows if row.when == ""]
        found["mark"] += [named.removeprefix(label) for named, label in labelled]  # the label is the project's
        found["timeline"] += [row.when for row in chart.rows if row.when]
    return found


def test_a_zh_hans_site_writes_no_english_word_from_the_tables(tmp_path: Path) -> None:
    """The Torch project in zh-Hans: CSV cells, cards, workings, timeline dates, chart keys and marks' names carry
    no English hedge, meaning, period, rounding or key word; the Chinese ones are there."""
    build = rendered(copied(tmp_path, "zh-Hans"))
    found = surfaces(build)
    english = english_table_words()
    assert {where: [t for t in texts if english.search(t)] for where, texts in found.items()} == {
        where: [] for where in found
    }
    assert all(found.values()), found  # every surface was read
    joined = {where: " ".join(texts) for where, texts in found.items()}
    assert "向下取整到百位" in joined["working"] and "四舍五入保留2位小数" in joined["working"]
    assert "报道给出的是下限：真实值更高。" in joined["card"]
    assert "到2035年" in joined["timeline"] and "5月9日（来源未给出年份）" in joined["timeline"]
    assert "hedge: 超过" in joined["csv"] and "“到”该年：在该年或之前" in joined["key"]
    assert "超过3000亿元：下限，真实值更高" in joined["mark"]
    assert cards(build)["businesses"]["text"] == "超过1万（到2020年）"  # a value with its period, in the site's words


def test_a_project_overrides_a_word_of_a_shipped_language(tmp_path: Path) -> None:
    """content/languages/en.yaml changes one word and one rounding phrase; everything else stays the shipped one."""
    root = copied(tmp_path, "en")
    (root / "content" / "languages").mkdir()
    (root / "content" / "languages" / "en.yaml").write_text(
        "hedges:\n  about: around\nrounding:\n  down: rounded downwards {how}\n", encoding="utf-8"
    )
    found = surfaces(rendered(root))
    assert "data/facts.csv hedge: around" in found["csv"]
    assert "around 200,000 people" in found["card"]
    workings = " ".join(found["working"])
    assert "rounded downwards to hundreds: more than 2,000 times." in workings
    assert "rounded to 2 decimal places: around 6.37 yuan per US dollar." in workings
    assert "data/facts.csv hedge: more than" in found["csv"]


def test_a_project_adds_a_language(tmp_path: Path) -> None:
    """A table for a language the engine does not ship (Italian) makes `lang: it` build, with its words and CLDR's
    numbers."""
    root = copied(tmp_path, "it")
    table = (SHIPPED / "es.yaml").read_text(encoding="utf-8")
    for spanish, italian in (
        ("alrededor de", "circa"),
        ("casi", "quasi"),
        ("más de", "più di"),
        ("menos de", "meno di"),
    ):
        table = table.replace(f": {spanish}\n", f": {italian}\n")
    table = table.replace("{singular: yuan, plural: yuanes,", "{singular: yuan, plural: yuan,").replace(
        "scale_of: de", "scale_of: di"
    )
    (root / "content" / "languages").mkdir()
    (root / "content" / "languages" / "it.yaml").write_text(table, encoding="utf-8")
    found = surfaces(rendered(root))
    assert "più di 300 miliardi di yuan" in found["card"]
    assert "data/facts.csv hedge: quasi" in found["csv"]


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        (
            "period:\n  by: 到{year}\nhedges:\n  abuot: 约\n",
            "content/languages/zh-Hans.yaml:2:7: period.by: expected {date} in the text, got {year}\n"
            "content/languages/zh-Hans.yaml:4:3: hedges.abuot: unknown field 'abuot' (hint: did you mean 'about'?)\n",
        ),
        (
            "small: [一, 二]\n",
            "content/languages/zh-Hans.yaml:1:8: small: expected the words for zero to nine (10) or none, got 2\n",
        ),
        ("", "content/languages/zh-Hans.yaml:1:1: the file is empty (hint: see the README for the expected layout)\n"),
        (
            "units:\n  widgets: {singular: 件}\n",
            "content/languages/zh-Hans.yaml:2:3: units: unknown built-in unit widgets: a new unit goes in site.yaml's "
            "units:\n",
        ),
    ],
)
def test_a_wrong_word_in_a_project_table_is_located(
    project: Path, cli: Callable[..., Result], table: str, expected: str
) -> None:
    """A project table's mistakes are reported at their file:line:col with the field, what was expected and a hint."""
    edit(project / "content" / "site.yaml", "lang: en", "lang: zh-Hans")
    (project / "content" / "languages").mkdir()
    (project / "content" / "languages" / "zh-Hans.yaml").write_text(table, encoding="utf-8")
    result = cli("check")
    assert result.code == 1
    assert expected in result.err.replace("\\", "/")


def test_a_new_language_table_names_every_missing_key(project: Path, cli: Callable[..., Result]) -> None:
    """A table for a new language must be whole: each missing key is named where it belongs."""
    edit(project / "content" / "site.yaml", "lang: en", "lang: it")
    (project / "content" / "languages").mkdir()
    (project / "content" / "languages" / "it.yaml").write_text("space: ' '\nhedges:\n  about: circa\n", "utf-8")
    result = cli("check")
    assert result.code == 1
    err = result.err.replace("\\", "/")
    assert "content/languages/it.yaml:1:1: required field 'meanings' is missing (hint: add 'meanings:' here)\n" in err
    assert (
        "content/languages/it.yaml:3:3: hedges: required field 'more_than' is missing (hint: add 'more_than:' " in err
    )
    assert "torchsite: 15 problems; nothing was written" in err


@pytest.mark.parametrize(
    ("lang", "written"),
    [
        ("de", ["mehr als 300 Milliarden Yuan", "rund 146.000 Menschen", "fast 22,92 Millionen US-Dollar", "bis 2020"]),
        ("fr", ["plus de 300 milliards de yuans", "environ 146\u202f000 personnes", "au moins 1,5 million d’euros"]),
        ("es", ["más de 300 mil millones de yuanes", "alrededor de 146.000 personas", "menos de 3%", "para 2020"]),
        ("zh-Hans", ["超过3000亿元", "约14.6万人", "近2292万美元", "到2020年"]),
        ("zh", ["超过3000亿元"]),  # CLDR's likely script for zh is Hans
    ],
)
def test_shipped_tables_write_newsroom_prose(lang: str, written: list[str]) -> None:
    """Each shipped language writes hedge, CLDR number and unit as its newsrooms do."""
    fmt = Formatter(lang)
    shown = [
        fmt.value(300e9, "CNY", "more_than"),
        fmt.value(146000, "people", "about"),
        fmt.value(22.92e6, "USD", "nearly"),
        fmt.value(3, "percent", "less_than"),
        fmt.value(1.5e6, "EUR", "at_least"),
        fmt.words.by(fmt.date("2020", "year")),
    ]
    assert set(written) <= set(shown), shown


def test_traditional_chinese_is_not_written_with_simplified_words(project: Path, cli: Callable[..., Result]) -> None:
    """zh-TW (Traditional script) does not borrow the Simplified table: it is told to add its own."""
    edit(project / "content" / "site.yaml", "lang: en", "lang: zh-TW")
    result = cli("check")
    assert result.code == 1
    assert "lang: no words for 'zh-TW' (Chinese (Traditional, Taiwan)): " in result.err
    assert "(hint: add content/languages/zh-TW.yaml with the keys" in result.err


@pytest.mark.parametrize(
    ("lang", "places", "qualifier", "said"),
    [
        ("en", 1, "exact", "rounded to 1 decimal place"),  # one place, not "1 decimal places"
        ("en", 2, "more_than", "rounded down to 2 decimal places"),
        ("en", -4, "less_than", "rounded up to the nearest 10,000"),
        ("zh-Hans", -4, "exact", "四舍五入到最接近的10,000"),
        ("de", 1, "at_least", "auf eine Nachkommastelle abgerundet"),
        ("fr", 2, "at_most", "arrondi par excès à 2 décimales"),
        ("es", 0, "exact", "redondeado a un número entero"),
    ],
)
def test_a_working_says_its_rounding_in_the_sites_language(lang: str, places: int, qualifier: str, said: str) -> None:
    """The rounding words of a derived figure's working: the way a bound rounds, and to what."""
    fmt = Formatter(lang)
    step = fmt.number(Decimal(10) ** max(-places, 0))
    assert fmt.words.rounded(places, HEDGES[qualifier].side, step) == said
