"""Where a project's inputs live, and its site settings (content/site.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from babel import Locale, UnknownLocaleError
from pydantic import Field, PrivateAttr, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from torchsite.errors import ContentError, Problem, display_path
from torchsite.inputs.diagnostics import Key, schema_problem, show
from torchsite.inputs.facts import LANGUAGE_TAG, MAX_LANGUAGE_TAG, Ident, Strict, Text
from torchsite.inputs.formatting import Formatter
from torchsite.inputs.hedges import Qualifier
from torchsite.inputs.languages import Language, load, missing
from torchsite.inputs.messages import ENGLISH, Messages
from torchsite.inputs.messages import load as load_messages
from torchsite.inputs.units import UnitSpec
from torchsite.inputs.yamldoc import Document, load_yaml

NEUTRAL_DATASET = (
    "Every figure the sources state, each with its hedge, the period it refers to and the verbatim passage "
    "that states it, plus the figures derived from them with their formulas."
)

_UNSAFE_IN_URL = frozenset("\"'<>`\\{}|^")
PLACEHOLDER_HOSTS = frozenset({"example.org", "example.com", "example.net", "www.example.org", "www.example.com",
                               "www.example.net", "localhost"})  # fmt: skip
PLACEHOLDER_TLDS = frozenset({"example", "test", "invalid", "localhost"})


def _folded(text: str) -> str:
    """Text compared as a reader would: case and spacing ignored."""
    return " ".join(text.split()).casefold()


LanguageTag = Annotated[str, Field(pattern=LANGUAGE_TAG, max_length=MAX_LANGUAGE_TAG)]


class Edition(Strict):
    """A further edition of the site: the same facts and charts, its own story, in another language."""

    lang: LanguageTag = Field(description="The edition's language, a BCP 47 tag such as zh-Hans")
    title: Text | None = Field(None, description="The site's name in this edition (default: the main title)")
    description: Text | None = Field(
        None, description="The one sentence for search engines in this edition (default: the main description)"
    )
    dataset_description: Text | None = Field(
        None, description="The fact sheet's description in this edition (default: the main one)"
    )


class SiteConfig(Strict):
    """Site-wide settings an editor may change."""

    title: Text = Field(description="The site's name, shown in the header and the browser tab")
    description: Text = Field(description="One sentence for search engines and link previews")
    lang: str = Field("en", pattern=LANGUAGE_TAG, max_length=MAX_LANGUAGE_TAG, description="The pages' language")
    base_url: str = Field(
        "https://example.org/torchsite/",
        description="Where the site is published, ending in '/'; used for canonical links",
    )
    key_figures: list[Ident] = Field(default_factory=list, description="Figures shown in the strip atop the story")
    dataset_description: Text = Field(NEUTRAL_DATASET, description="The fact sheet's description for search engines")
    license: str | None = Field(
        None,
        pattern=r"^https?://[^\s\"'<>`\\{}|^]+$",
        description="The URL of the licence the fact sheet's data is published under (the Dataset's license); "
        "given with creator",
    )
    creator: Text | None = Field(
        None, description="Who made the fact sheet: a newsroom or person (the Dataset's creator); given with license"
    )
    hedges: dict[Annotated[str, Field(min_length=1, max_length=60)], Qualifier] = Field(
        default_factory=dict,
        description="The project's own hedge words, as its sources write them before a number, each with its "
        "qualifier ('give or take: about'): added to the source check's grammar of news English",
    )
    units: dict[str, UnitSpec] = Field(
        default_factory=dict, description="The project's units by name (symbol, words, currency, scale)"
    )
    editions: list[LanguageTag | Edition] = Field(
        default_factory=list,
        description="Further editions in other languages, each a tag (zh-Hans) or a mapping with lang and its own "
        "title and description: each has its own story (content/story.<tag>.md) and methodology "
        "(content/methodology.<tag>.md), pages under /<tag in lower case>/, the same facts and charts",
    )
    _doc: Document | None = PrivateAttr(None)
    _language: Language | None = PrivateAttr(None)
    _messages: Messages = PrivateAttr(ENGLISH)
    _editions: tuple[SiteConfig, ...] = PrivateAttr(())

    @property
    def edition_configs(self) -> tuple[SiteConfig, ...]:
        """Each further edition's settings: this site's, in the edition's language (loaded by load_config)."""
        return self._editions

    def edition_settings(self) -> list[Edition]:
        """The further editions as given, a bare tag read as an edition with the main title and description."""
        return [Edition(lang=e) if isinstance(e, str) else e for e in self.editions]

    @property
    def prefix(self) -> str:
        """Where this edition's pages live below the site root: '' for the main one, 'zh-hans/' for an edition."""
        return "" if self._main is None else self.lang.lower() + "/"

    _main: SiteConfig | None = PrivateAttr(None)

    @property
    def main(self) -> SiteConfig:
        """The main edition's settings (this one's, for the main edition)."""
        return self._main or self

    @property
    def all_editions(self) -> tuple[SiteConfig, ...]:
        """Every edition's settings, the main one first."""
        return (self.main, *self.main.edition_configs)

    def formatter(self) -> Formatter:
        """Values as this site writes them: its language, its units."""
        return Formatter(self.lang, self.units, self._language, self._messages)

    @property
    def byline(self) -> str | None:
        """Who the page says made it: the creator, unless that is only the site's own name (a site is not an
        author: a creator that repeats the title names no one, and the page then gives no byline)."""
        if self.creator is None or _folded(self.creator) in {_folded(c.title) for c in (self, self.main)}:
            return None  # an edition's creator is the main site's: its own title in another language names no one
        return self.creator

    @property
    def placeholder_address(self) -> bool:
        """Whether base_url is a stand-in (example.org and the other names reserved for examples, RFC 2606/6761):
        the page then shows readers no address of its own, as it would lead nowhere."""
        host = (urlsplit(self.base_url).hostname or "").lower()
        return host in PLACEHOLDER_HOSTS or host.rsplit(".", 1)[-1] in PLACEHOLDER_TLDS

    def problem(self, path: Key, message: str, hint: str | None = None) -> Problem:
        """A problem located at a path of site.yaml."""
        if self._doc is None:
            return Problem("<site>", None, None, ".".join(map(str, path)), message, hint)
        return self._doc.problem(path, message, hint)

    @field_validator("base_url", mode="plain")
    @classmethod
    def _absolute_url(cls, value: Any) -> str:
        """An absolute http(s) URL of a folder: host, path ending in '/', no query, fragment or quoting characters."""
        if not isinstance(value, str):
            raise PydanticCustomError("string_type", "expected text, got {got}", {"got": show(value)})
        bad = next((c for c in value if c in _UNSAFE_IN_URL or not c.isprintable() or c.isspace()), None)
        if bad is not None:
            raise PydanticCustomError("url_form", "base_url may not contain {char}", {"char": repr(bad)})
        try:
            parts = urlsplit(value)
        except ValueError:
            parts = urlsplit("")
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
            message = "expected an absolute http(s) URL such as 'https://example.org/site/', got {got}"
            raise PydanticCustomError("url_form", message, {"got": show(value)})
        if not value.endswith("/"):
            raise PydanticCustomError("url_form", "base_url must end in '/', got {got}", {"got": show(value)})
        return value


@dataclass(frozen=True)
class Project:
    """The folders and files one build reads."""

    root: Path

    @property
    def content(self) -> Path:
        """The content folder."""
        return self.root / "content"

    @property
    def templates(self) -> Path:
        """The Jinja templates folder."""
        return self.root / "templates"

    @property
    def facts(self) -> Path:
        """The fact sheet."""
        return self.content / "facts.yaml"

    @property
    def story(self) -> Path:
        """The story in Markdown."""
        return self.content / "story.md"

    @property
    def methodology(self) -> Path:
        """The methodology page in Markdown, written like the story."""
        return self.content / "methodology.md"

    def edition_story(self, lang: str) -> Path:
        """An edition's story: content/story.<tag>.md."""
        return self.content / f"story.{lang}.md"

    def edition_methodology(self, lang: str) -> Path:
        """An edition's methodology page (optional): content/methodology.<tag>.md."""
        return self.content / f"methodology.{lang}.md"

    @property
    def charts(self) -> Path:
        """The chart specs."""
        return self.content / "charts.yaml"

    @property
    def site(self) -> Path:
        """The site settings."""
        return self.content / "site.yaml"

    def links_outside(self) -> list[Problem]:
        """Content and template files and folders (the two folders themselves too) that are links to a place
        outside the project: never followed, never read."""
        root = self.root.resolve()
        found = []
        for folder in (self.content, self.templates):
            if not folder.resolve().is_relative_to(root):
                found.append(folder)
                continue  # its files are outside too: the folder is the one problem
            found += [p for p in sorted(folder.rglob("*")) if p.is_symlink() and not p.resolve().is_relative_to(root)]
        kinds = {path: "folder" if path.is_dir() else "file" for path in found}
        return [
            Problem(
                display_path(path),
                None,
                None,
                None,
                f"a link to a {kind} outside the project; torchsite does not follow it",
                f"copy the {kind} into the project instead of linking to it",
            )
            for path, kind in kinds.items()
        ]


def load_config(path: Path, known_ids: set[str] | None = None) -> SiteConfig:
    """Load site.yaml; the language must be one the engine has words for; key figures must name figures."""
    doc = load_yaml(path)
    try:
        config = SiteConfig.model_validate(doc.data)
    except ValidationError as exc:
        raise ContentError(schema_problem(doc, err, SiteConfig) for err in exc.errors()) from None
    config._doc = doc
    problems = language_problems(config, path.parent / "languages") + dataset_problems(config)
    problems += edition_problems(config, path.parent / "languages")
    if known_ids is not None:
        problems += key_figure_problems(config, known_ids)
    if problems:
        raise ContentError(problems)
    return config


def language_problems(config: SiteConfig, tables: Path, at: Key = ("lang",)) -> list[Problem]:
    """The language has number and date conventions in CLDR and a table of words (the project's in `tables`,
    content/languages/, over the shipped one), which is kept for the formatter."""
    try:
        Locale.parse(config.lang, sep="-")
    except (UnknownLocaleError, ValueError):
        return [config.problem(at, f"unknown language '{config.lang}'", "use a BCP 47 tag such as en or zh-Hans")]
    try:
        config._language = load(config.lang, tables)
    except ContentError as exc:
        return list(exc.problems)
    if config._language is None:
        return [config.problem(at, *missing(config.lang, tables))]
    try:  # its sentences: the project's catalog (content/locale/<tag>.po) over the shipped one
        config._messages = load_messages(config.lang, tables.parent)
    except ContentError as exc:
        return list(exc.problems)
    return []


def edition_problems(config: SiteConfig, tables: Path) -> list[Problem]:
    """Each edition: a language other than the main one and the others, with CLDR data, a table and a catalog;
    its settings are kept (the main title and description where it gives none)."""
    problems: list[Problem] = []
    seen: dict[str, Key] = {config.lang.lower(): ("lang",)}
    made: list[SiteConfig] = []
    for i, edition in enumerate(config.edition_settings()):
        at: Key = ("editions", i) if isinstance(config.editions[i], str) else ("editions", i, "lang")
        if (first := seen.get(edition.lang.lower())) is not None:
            where = f"{first[0]}" + "".join(f"[{k}]" for k in first[1:2])
            problems.append(
                config.problem(at, f"the edition '{edition.lang}' is given twice (also at {where})", "list it once")
            )
            continue
        seen[edition.lang.lower()] = at
        update: dict[str, Any] = {"lang": edition.lang, "editions": []}
        update |= {key: v for key in ("title", "description", "dataset_description") if (v := getattr(edition, key))}
        own = config.model_copy(update=update)
        own._doc, own._main = config._doc, config
        problems += language_problems(own, tables, at)
        made.append(own)
    config._editions = tuple(made)
    return problems


def dataset_problems(config: SiteConfig) -> list[Problem]:
    """The rule for the Dataset's reuse terms: a site that states a licence says who made the data, and one that names
    a creator says under what licence, so the Dataset carries both or neither."""
    given = {"license": config.license, "creator": config.creator}
    missing = [key for key, value in given.items() if value is None]
    if len(missing) != 1:
        return []
    other = "creator" if missing == ["license"] else "license"
    hint = {
        "license": "add license: with the licence's URL, e.g. https://creativecommons.org/licenses/by/4.0/",
        "creator": "add creator: with the newsroom or person who made the fact sheet",
    }[missing[0]]
    return [
        config.problem((other,), f"given without {missing[0]}: the fact sheet's Dataset carries both or neither", hint)
    ]


def key_figure_problems(config: SiteConfig, known_ids: set[str]) -> list[Problem]:
    """Every key figure names a fact or derived figure."""
    return [
        config.problem(("key_figures", i), f"unknown fact '{ident}'", "use an id from content/facts.yaml")
        for i, ident in enumerate(config.key_figures)
        if ident not in known_ids
    ]
