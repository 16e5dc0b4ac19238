"""Message catalogs: every sentence the templates and the engine write comes from a gettext catalog, shipped for
English (the identity) and Simplified Chinese, overridden by the project's content/locale/<tag>.po."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.pofile import read_po

from helpers.catalogs import po_text, template
from helpers.project import Result, edit
from test_languages import copied, rendered
from torchsite.inputs.facts import FactSheet
from torchsite.inputs.messages import LOCALE, TEMPLATE, extracted
from torchsite.render.downloads import PART_NOTES
from torchsite.render.site import Build

QUOTED = frozenset({"blockquote", "q", "code", "pre", "cite", "script", "style"})  # passages, titles, code
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|<[^>]*>")


class Visible(HTMLParser):
    """A page's text a reader sees or hears (text, alt, aria-label), outside quoted passages, titles and code."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in QUOTED:
            self.depth += 1
        self.text += [v or "" for k, v in attrs if k in ("alt", "aria-label") and not self.depth]

    def handle_endtag(self, tag: str) -> None:
        if tag in QUOTED:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.text.append(data)


def words(text: str) -> set[str]:
    """The words of a text, lower-cased."""
    return {w.lower() for w in re.findall(r"[A-Za-z]{3,}", text)}


def catalog_words(root: Path) -> set[str]:
    """The English words of the catalog's messages that neither the project's content (its labels, story, names)
    nor the Chinese catalog itself (CSV, JSON, ISO) uses: on a zh-Hans page, one of them is a template's English."""
    with TEMPLATE.open("rb") as handle:
        pot = read_po(handle)
    english = set().union(
        *(words(PLACEHOLDER.sub(" ", " ".join([m.id] if isinstance(m.id, str) else m.id))) for m in pot)
    )
    content = set().union(*(words(p.read_text(encoding="utf-8")) for p in (root / "content").rglob("*.*")))
    with (LOCALE / "zh-Hans" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        kept = set().union(
            *(words(" ".join([m.string] if isinstance(m.string, str) else m.string)) for m in read_po(handle))
        )
    return english - content - kept


def english_on_pages(build: Build, banned: set[str]) -> dict[str, list[str]]:
    """Each page's words from the catalog's English, as a reader finds them."""
    found: dict[str, list[str]] = {}
    for path, data in sorted(build.site.files.items()):
        if path.endswith(".html"):
            parser = Visible()
            parser.feed(data.decode("utf-8"))
            hits = sorted(words(" ".join(parser.text)) & banned)
            if hits:
                found[path] = hits
    return found


def test_a_zh_hans_page_has_no_english_sentence_from_the_templates(tmp_path: Path) -> None:
    """The Torch project in zh-Hans: no page shows a word of the templates' or engine's English outside quoted
    passages, names and code (menus, headings, the credit block, chart descriptions and tables, the data page, the
    fact sheet's furniture, notes, the footer); the same check finds them on the English build."""
    root = copied(tmp_path / "zh", "zh-Hans")
    banned = catalog_words(root)
    assert {"skip", "embed", "spreadsheet", "browse"} <= banned  # the check has words to look for
    assert english_on_pages(rendered(root), banned) == {}
    english = english_on_pages(rendered(copied(tmp_path / "en", "en")), banned)
    assert len(english) >= 8 and "skip" in english["index.html"]


def test_the_zh_hans_pages_read_in_chinese(tmp_path: Path) -> None:
    """Chinese sentences where the English ones were: the menu, the footer, a chart's source line and description,
    the data page's files, the reader's card script."""
    build = rendered(copied(tmp_path, "zh-Hans"))
    story = build.site.files["index.html"].decode("utf-8")
    assert '<a class="skip-link" href="#main" target="_self">跳到正文</a>' in story
    assert ">事实表</a>" in story and ">方法说明</a>" in story and ">数据</a>" in story
    assert "本站每个数字都出自一份根据新闻报道整理的事实表" in story
    assert '<h2 id="notes-heading">注释</h2>' in story
    data = build.site.files["data/index.html"].decode("utf-8")
    assert "<h1>数据</h1>" in data and "全部数字（表格）" in data and "<summary>各列说明</summary>" in data
    reader = next(v for k, v in build.site.files.items() if k.startswith("assets/reader.")).decode("utf-8")
    assert '"在事实表中查看"' in reader and '"See it on the fact sheet"' not in reader


def test_the_catalog_template_is_in_step_with_the_sources() -> None:
    """messages.pot holds exactly the messages the templates and engine write (regenerate it, and the shipped
    catalogs, with `PYTHONPATH=src python tests/helpers/catalogs.py`)."""
    assert TEMPLATE.read_text(encoding="utf-8") == po_text(template())


def test_every_shipped_catalog_covers_the_template_with_its_placeholders() -> None:
    """English is the identity; Simplified Chinese translates every message, keeping each %(name)s."""
    wanted = {m.id if isinstance(m.id, str) else tuple(m.id) for m in extracted() if m.id}
    for tag in ("en", "zh-Hans"):
        with (LOCALE / tag / "LC_MESSAGES" / "messages.po").open("rb") as handle:
            catalog = read_po(handle)
        found = {m.id if isinstance(m.id, str) else tuple(m.id): m.string for m in catalog if m.id and not m.fuzzy}
        assert set(found) == wanted, tag
        for msgid, string in found.items():
            strings = [string] if isinstance(string, str) else list(string)
            ids = [msgid] if isinstance(msgid, str) else list(msgid)
            assert all(strings), (tag, msgid)
            names = set(re.findall(r"%\((\w+)\)", " ".join(ids)))
            assert all(set(re.findall(r"%\((\w+)\)", s)) == names for s in strings), (tag, msgid, string)
            if tag == "en":
                assert strings == ids[: len(strings)], msgid


def zh_project(project: Path) -> Path:
    """The Torch project (with its templates/_masthead.html) in zh-Hans alone: no editions, no catalog of its own."""
    shutil.rmtree(project / "content" / "locale")
    edit(project / "content" / "site.yaml", "lang: en", "lang: zh-Hans")
    return project


MISSING = (
    "torchsite/locale/zh-Hans/LC_MESSAGES/messages.po: warning: no translation of 'By %(creator)s': it shows in "
    "English (hint: add its msgstr to content/locale/zh-Hans.po)\n"
)


def test_a_message_the_catalog_leaves_in_english_is_a_warning_and_an_error_under_strict(
    project: Path, cli: Callable[..., Result]
) -> None:
    """The project's own template writes 'By %(creator)s', which the shipped Chinese catalog does not have."""
    zh_project(project)
    checked: Result = cli("check")
    assert checked.code == 0 and checked.err == MISSING
    strict: Result = cli("check", "--strict")
    assert strict.code == 1 and MISSING.replace(": warning:", ":") in strict.err


def test_a_project_catalog_adds_and_overrides_messages(project: Path, cli: Callable[..., Result]) -> None:
    """content/locale/zh-Hans.po translates the project's message and rewords a shipped one; the warning names the
    project's catalog while a message is still missing there."""
    zh_project(project)
    locale = project / "content" / "locale"
    locale.mkdir()
    (locale / "zh-Hans.po").write_text('msgid "Notes"\nmsgstr "注"\n', encoding="utf-8")
    checked: Result = cli("check")
    assert checked.err == MISSING.replace(
        "torchsite/locale/zh-Hans/LC_MESSAGES/messages.po", "content/locale/zh-Hans.po"
    )
    (locale / "zh-Hans.po").write_text(
        'msgid "Notes"\nmsgstr "注"\n\nmsgid "By %(creator)s"\nmsgstr "撰文：%(creator)s"\n', encoding="utf-8"
    )
    built: Result = cli("build", "--strict")
    assert built.code == 0, built.err
    story = (project / "dist" / "index.html").read_text(encoding="utf-8")
    assert '<h2 id="notes-heading">注</h2>' in story and "跳到正文" in story


def test_a_broken_project_catalog_is_an_error_at_its_line(project: Path, cli: Callable[..., Result]) -> None:
    """A .po file Babel cannot read stops the build, located in the file."""
    zh_project(project)
    (project / "content" / "locale").mkdir()
    (project / "content" / "locale" / "zh-Hans.po").write_text(
        'msgid "Notes"\nmsgstr "注"\nnonsense\n', encoding="utf-8"
    )
    checked: Result = cli("check")
    assert checked.code == 1
    assert checked.err.startswith(
        "content/locale/zh-Hans.po:3: unknown or misformatted keyword (hint: write it as a gettext catalog: "
        'msgid "..." then msgstr "..." (see torchsite/locale/))\n'
    ), checked.err


def test_a_language_without_a_catalog_is_one_warning_naming_the_file_to_add(
    project: Path, cli: Callable[..., Result]
) -> None:
    """lang: de has words around numbers but no catalog: one warning, not one per sentence."""
    edit(project / "content" / "site.yaml", "lang: en", "lang: de")
    checked: Result = cli("check")
    assert checked.code == 0
    assert checked.err.startswith(
        "content/locale/de.po: warning: no message catalog for 'de': the "
    ) and checked.err.endswith(
        " sentences the templates and the engine write (menus, headings, chart descriptions, the reader's card) stay "
        "in English (hint: add content/locale/de.po, translating torchsite/locale/messages.pot)\n"
    ), checked.err


def test_shipped_catalog_folder_layout() -> None:
    """The package ships the template and one catalog per language (read at build time: no .mo file)."""
    assert sorted(p.relative_to(LOCALE).as_posix() for p in LOCALE.rglob("*") if p.is_file()) == [
        "en/LC_MESSAGES/messages.po",
        "messages.pot",
        "zh-Hans/LC_MESSAGES/messages.po",
    ]


def test_the_data_pages_notes_on_facts_json_are_the_models_descriptions() -> None:
    """The catalog's notes on facts.json's parts say what the model's field descriptions say."""
    assert {name: (f.description or "").lower() for name, f in FactSheet.model_fields.items()} == PART_NOTES
