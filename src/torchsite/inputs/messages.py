"""Message catalogs: every sentence the templates and the engine write for readers, per language, as gettext .po.

The package ships one catalog per language (torchsite/locale/<tag>/LC_MESSAGES/messages.po: English, the identity,
and Simplified Chinese) and the template of all its messages (torchsite/locale/messages.pot, kept in step with the
sources by a test). A project adds or rewords messages in content/locale/<tag>.po, read over the shipped catalog.
Catalogs are read with Babel when a build starts and compiled in memory: there is no compile step and no .mo file.

A `Messages` is one language's translations, passed explicitly (the Formatter carries it), never global: a build
can render the same templates once per language.
"""

from __future__ import annotations

import functools
import gettext as gnu
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po

from torchsite.errors import ContentError, Problem, Severity, display_path
from torchsite.inputs.languages import candidates

LOCALE = Path(str(resources.files("torchsite"))) / "locale"
TEMPLATE = LOCALE / "messages.pot"
DOMAIN = "messages"
PROJECT_FOLDER = "locale"  # content/locale/<tag>.po
SOURCE_LANGUAGE = "en"  # the language the msgids are written in
MAX_CATALOG_BYTES = 2_000_000  # the shipped catalogs are tens of kilobytes
MsgId = str | tuple[str, str]  # a message, or a plural's singular and plural


@dataclass(frozen=True)
class Messages:
    """One language's messages: the shipped catalog with the project's over it, compiled in memory."""

    lang: str = SOURCE_LANGUAGE
    translations: gnu.NullTranslations = field(default_factory=gnu.NullTranslations, compare=False)
    translated: frozenset[MsgId] = frozenset()  # the messages with a written translation
    files: tuple[str, ...] = ()  # the catalog files read, the project's last, as the user knows them

    def gettext(self, message: str, **values: object) -> str:
        """A message in this language (the English msgid when untranslated), its %(name)s filled from `values`."""
        text = self.translations.gettext(message)
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values: object) -> str:
        """A message that counts, in the form this language uses for `n`; %(num)d is the count."""
        return self.translations.ngettext(singular, plural, n) % {"num": n, **values}

    @property
    def catalog_file(self) -> str:
        """The file a missing translation belongs in: the project's catalog if it has one, else the shipped one."""
        return self.files[-1] if self.files else f"torchsite/locale/{self.lang}/LC_MESSAGES/{DOMAIN}.po"

    def untranslated(self, wanted: Iterable[MsgId]) -> list[MsgId]:
        """The messages of `wanted` left untranslated (none in the source language: its msgids are its text)."""
        if self.lang.split("-")[0] == SOURCE_LANGUAGE:
            return []
        return [msgid for msgid in dict.fromkeys(wanted) if msgid not in self.translated]


ENGLISH = Messages()


def N_(message: str) -> str:  # noqa: N802  (gettext's name for it: extraction finds the message, no lookup yet)
    """A message marked for the catalog where it is written, translated where it is shown."""
    return message


def _filled(string: object) -> bool:
    """Whether a msgstr (or every plural form of it) is written."""
    if isinstance(string, (list, tuple)):
        return bool(string) and all(string)
    return bool(string)


def shipped_file(tag: str) -> Path | None:
    """The shipped catalog for a language ('zh-Hans' for zh-Hans-CN or zh), or None."""
    paths = (LOCALE / t / "LC_MESSAGES" / f"{DOMAIN}.po" for t in candidates(tag))
    return next((p for p in paths if p.is_file()), None)


def project_file(tag: str, content: Path) -> Path | None:
    """The project's catalog for a language (content/locale/<tag>.po, most specific tag first), or None."""
    paths = (content / PROJECT_FOLDER / f"{t}.po" for t in candidates(tag))
    return next((p for p in paths if p.exists()), None)


def _locale(tag: str | None) -> Locale | None:
    """CLDR's locale for a tag (its plural rule), or None."""
    try:
        return Locale.parse(tag, sep="-") if tag else None
    except (UnknownLocaleError, ValueError):
        return None


def read(path: Path, shown: str, tag: str | None = None) -> Catalog:
    """A .po file as Babel reads it; a file that is not one is a ContentError at its line."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise ContentError([Problem(shown, None, None, None, "is not a file", "put a .po catalog there")])
        if size > MAX_CATALOG_BYTES:
            why = f"the file is larger than the limit of {MAX_CATALOG_BYTES:,} bytes"
            raise ContentError([Problem(shown, None, None, None, why, "a site's catalog is tens of kilobytes")])
        with path.open("rb") as handle:
            return read_po(handle, locale=_locale(tag), abort_invalid=True)
    except PoFileError as exc:
        line = getattr(exc, "lineno", None)  # Babel counts lines from 0
        line = line + 1 if isinstance(line, int) else None
        message = str(exc).split(" on ", 1)[0] if line else str(exc)
        message = message[:1].lower() + message[1:]
        hint = 'write it as a gettext catalog: msgid "..." then msgstr "..." (see torchsite/locale/)'
        raise ContentError([Problem(shown, line, None, None, message, hint)]) from None
    except (OSError, UnicodeDecodeError) as exc:
        why = str(exc) if isinstance(exc, UnicodeDecodeError) else f"cannot be read: {exc.strerror or exc}"
        raise ContentError([Problem(shown, None, None, None, why, "save it as a UTF-8 .po file")]) from None


def load(tag: str, content: Path | None) -> Messages:
    """A language's messages: the project's catalog over the shipped one (either may be absent: English stays).

    Each message the project's file translates replaces the shipped one; plural forms follow the first catalog's
    Plural-Forms header, else CLDR's rule for the language. Fuzzy entries are drafts, not translations.
    """
    base = shipped_file(tag)
    own = project_file(tag, content) if content is not None else None
    files: list[str] = []
    merged: Catalog | None = None
    if base is not None:
        files.append(f"torchsite/locale/{base.parent.parent.name}/LC_MESSAGES/{DOMAIN}.po")
        merged = read(base, files[-1], tag)
    if own is not None:
        files.append(display_path(own))
        over = read(own, files[-1], tag)
        if merged is None:
            merged = over
        else:
            for message in over:
                if message.id and _filled(message.string) and not message.fuzzy:
                    shipped = merged.get(message.id, message.context)
                    if shipped is None:
                        merged[message.id] = message
                    else:  # Babel's setitem keeps the old string: the project's replaces it
                        shipped.string = message.string
    if merged is None:
        return Messages(tag)
    translated = frozenset(_msgid(m.id) for m in merged if m.id and _filled(m.string) and not m.fuzzy)
    buffer = io.BytesIO()
    write_mo(buffer, merged)
    buffer.seek(0)
    return Messages(tag, gnu.GNUTranslations(buffer), translated, tuple(files))


@functools.cache
def template_ids() -> tuple[MsgId, ...]:
    """Every message the package's templates and engine write (messages.pot)."""
    with TEMPLATE.open("rb") as handle:
        catalog = read_po(handle)
    return tuple(_msgid(message.id) for message in catalog if message.id)


def _msgid(raw: object) -> MsgId:
    """A Babel message id as a MsgId."""
    if isinstance(raw, (list, tuple)):
        return (str(raw[0]), str(raw[1]))
    return str(raw)


def shown(msgid: MsgId) -> str:
    """A message as a warning quotes it."""
    return f"'{msgid[0]}' / '{msgid[1]}'" if isinstance(msgid, tuple) else f"'{msgid}'"


def missing_translations(messages: Messages, wanted: Iterable[MsgId]) -> list[Problem]:
    """A warning for each message the site writes that its language's catalog does not translate: the reader would
    get it in English."""
    untranslated = messages.untranslated(wanted)
    if not untranslated:
        return []
    where = messages.catalog_file
    if not messages.files:  # no catalog at all: one warning, at the file to add, not one per message
        return [
            Problem(
                f"content/{PROJECT_FOLDER}/{messages.lang}.po",
                None,
                None,
                None,
                f"no message catalog for '{messages.lang}': the {len(untranslated)} sentences the templates and the "
                "engine write (menus, headings, chart descriptions, the reader's card) stay in English",
                f"add content/{PROJECT_FOLDER}/{messages.lang}.po, translating torchsite/locale/messages.pot",
                Severity.WARNING,
            )
        ]
    hint = f"add its msgstr to content/{PROJECT_FOLDER}/{messages.lang}.po"
    return [
        Problem(where, None, None, None, f"no translation of {shown(m)}: it shows in English", hint, Severity.WARNING)
        for m in untranslated
    ]


# --- Extraction: the messages the templates and the engine write ---------------------------------------------------

KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
JINJA_OPTIONS = {"trim_blocks": "true", "lstrip_blocks": "true", "keep_trailing_newline": "true"}


def template_messages(folder: Path) -> dict[MsgId, list[str]]:
    """The messages of the Jinja templates in a folder (*.html), each with the files that write it."""
    from jinja2 import TemplateSyntaxError
    from jinja2.ext import babel_extract

    found: dict[MsgId, list[str]] = {}
    for path in sorted(folder.glob("*.html")) if folder.is_dir() else []:
        try:
            if not path.is_file() or path.stat().st_size > MAX_CATALOG_BYTES:
                continue  # not a template the render can read: it reports the file there, located
            with path.open("rb") as handle:
                extracted = list(babel_extract(handle, list(KEYWORDS), [], JINJA_OPTIONS))
        except (OSError, UnicodeDecodeError, TemplateSyntaxError):
            continue  # likewise: rendering reports it at its line
        for _line, _func, raw, _comments in extracted:
            ids = [m for m in (raw if isinstance(raw, tuple) else (raw,)) if isinstance(m, str)]
            if ids:
                msgid: MsgId = (ids[0], ids[1]) if len(ids) > 1 else ids[0]
                found.setdefault(msgid, []).append(path.name)
    return found


def engine_messages(package: Path) -> dict[MsgId, list[str]]:
    """The messages the engine's Python modules mark (`.gettext(...)`, `.ngettext(...)`, `N_(...)`)."""
    from babel.messages.extract import extract

    found: dict[MsgId, list[str]] = {}
    for path in sorted(package.rglob("*.py")):
        with path.open("rb") as handle:
            for _line, raw, _comments, _context in extract("python", handle, KEYWORDS):
                msgid: MsgId = (raw[0], raw[1]) if isinstance(raw, tuple) else raw
                found.setdefault(msgid, []).append(path.relative_to(package.parent).as_posix())
    return found


def extracted(package: Path = LOCALE.parent) -> Catalog:
    """Every message of the package (templates, then engine) as a catalog template, messages.pot."""
    catalog = Catalog(project="torchsite", domain=DOMAIN, charset="utf-8", fuzzy=False)
    sources = [
        *(
            (m, [f"torchsite/templates/{f}" for f in files])
            for m, files in template_messages(package / "templates").items()
        ),
        *engine_messages(package).items(),
    ]
    for msgid, files in sources:
        old = catalog.get(msgid)
        places = [*(old.locations if old else []), *((f, 0) for f in dict.fromkeys(files))]
        catalog.add(msgid, locations=places, flags=("python-format",) if "%(" in str(msgid) else ())
    return catalog
