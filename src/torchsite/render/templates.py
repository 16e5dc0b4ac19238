"""The Jinja environment, and Jinja errors located in the template file, line and column."""

from __future__ import annotations

import difflib
import functools
import os
import re
import traceback
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

import jinja2
import markupsafe
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment

from torchsite.errors import Problem, display_path
from torchsite.inputs.diagnostics import NotRegularError, excerpt, file_kind
from torchsite.inputs.messages import ENGLISH, Messages
from torchsite.render.site import PACKAGE

PACKAGE_TEMPLATES = PACKAGE / "templates"


class OverridingLoader(jinja2.FileSystemLoader):
    """Templates from several folders, the first holding a name winning; a file added to an earlier folder
    later (an override created while `torchsite serve` runs) replaces the cached one."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        """The source of the first file found, fresh while it is still the first one found."""
        source, filename, uptodate = super().get_source(environment, template)

        def fresh() -> bool:
            """Unchanged, and no earlier folder has gained a file of that name."""
            return self.first(template) == filename and uptodate()

        return source, filename, fresh

    def first(self, template: str) -> str | None:
        """The file a name resolves to now."""
        pieces = split_template_path(template)
        found = (os.path.normpath(os.path.join(folder, *pieces)) for folder in self.searchpath)
        return next((path for path in found if os.path.isfile(path)), None)


MAX_TEMPLATE_BYTES = 200_000  # the largest default template is a few kilobytes; fifty times that is a mistake


class UnreadableTemplateError(jinja2.TemplateError):
    """A template file that cannot be read, or is not UTF-8."""

    def __init__(self, name: str, filename: str, message: str, hint: str = "save it as a UTF-8 text file"):
        super().__init__(message)
        self.name, self.filename, self.why, self.hint = name, filename, message, hint


class _Loader(OverridingLoader):
    """Jinja's file loader, with unreadable and non-UTF-8 templates reported as template errors."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        """The template's source, or an UnreadableTemplateError naming why not.

        A folder where an override would be is an error, not skipped: the project's file was meant to win.
        """
        for folder in self.searchpath:
            path = Path(folder, *split_template_path(template))
            try:
                mode = path.stat()
            except OSError:
                continue  # not there (or a link to nothing): the next folder's file, or not found
            if kind := file_kind(mode.st_mode):  # a FIFO would block Jinja's open(); refused before opening
                hint = "remove it, or put the template file there"
                raise UnreadableTemplateError(template, str(path), NotRegularError(kind).why, hint)
            if mode.st_size > MAX_TEMPLATE_BYTES:
                why = f"the file is larger than the limit of {MAX_TEMPLATE_BYTES:,} bytes"
                raise UnreadableTemplateError(template, str(path), why, "a page's template is a few kilobytes")
            break
        try:
            return super().get_source(environment, template)
        except jinja2.TemplateNotFound:
            raise
        except UnicodeDecodeError as exc:
            why = f"not valid UTF-8 (byte 0x{exc.object[exc.start]:02x} at offset {exc.start})"
        except OSError as exc:
            why = f"cannot be read: {exc.strerror or exc}"
        raise UnreadableTemplateError(template, self.first(template) or str(Path(self.searchpath[0]) / template), why)


@functools.lru_cache(maxsize=8)  # kept across rebuilds of `torchsite serve`; Jinja reloads edited templates
def environment(templates: Path) -> jinja2.Environment:
    """Sandboxed Jinja with autoescape and StrictUndefined: a missing variable is an error, never blank.

    The sandbox refuses attributes starting with '_' and Python's internals (a template reads what the build
    gives it and calls the site's helpers; it cannot reach `os` or change the build's values). A template is
    looked up in the project's `templates` folder first, then among the package's defaults, so a project
    overrides any file by name.

    Every sentence is a message (`{% trans %}`, `_()`), translated by the catalog the render passes as `messages`
    (messages.py): the environment holds no language, so one build can render its templates in several.
    """
    env = Sandbox(
        loader=_Loader([templates, PACKAGE_TEMPLATES]),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(gettext=_gettext, ngettext=_ngettext)  # ours fill messages themselves, with located errors
    return env


MESSAGES = "messages"  # the render context's catalog


def page_messages(context: jinja2.runtime.Context) -> Messages:
    """The catalog a page is rendered with (English when the render passes none)."""
    found = context.get(MESSAGES)
    return found if isinstance(found, Messages) else ENGLISH


@jinja2.pass_context
def _gettext(context: jinja2.runtime.Context, message: str, **values: object) -> str:
    """A template's message in the page's language, its %(name)s filled in (escaped), as Jinja's own newstyle
    gettext does; a message it cannot fill is a located template error, not a crash."""
    return _filled(context, message, page_messages(context).gettext(message), values)


@jinja2.pass_context
def _ngettext(context: jinja2.runtime.Context, singular: str, plural: str, n: int, **values: object) -> str:
    """A template's counting message in the form the page's language uses for `n` (filled as `_gettext` fills)."""
    _filled(context, singular, singular, {"num": n, **values})
    said = page_messages(context).translations.ngettext(singular, plural, n)
    return _filled(context, plural, said, {"num": n, **values})


_PLACEHOLDER = re.compile(r"%%|%\(\w+\)[sd]")


class MessageFormatError(jinja2.TemplateRuntimeError):
    """A template's message that cannot be filled in: a '%' that is no placeholder, or a placeholder not given."""


def _filled(context: jinja2.runtime.Context, message: str, said: str, values: dict[str, object]) -> str:
    """A message as said, with its placeholders filled in (values escaped where the page is)."""
    for text, whose in ((message, "the message"), (said, "the translation of the message")):
        if "%" in _PLACEHOLDER.sub("", text):
            raise MessageFormatError(f"{whose} '{excerpt(message)}' has a '%' that is no placeholder")
    try:
        return (markupsafe.Markup(said) if context.eval_ctx.autoescape else said) % values
    except KeyError as exc:
        raise MessageFormatError(f"the message '{excerpt(message)}' is not given its %({exc.args[0]})s") from None


def template_origin(template: jinja2.Template) -> str:
    """Where a template was read: the project's file, or 'torchsite/templates/NAME' for a package default."""
    path = Path(template.filename or template.name or "")
    if path.parent == PACKAGE_TEMPLATES:
        return f"torchsite/templates/{path.name}"
    return display_path(path)


SANDBOX_HINT = (
    "a template may read the values the build passes and call its helpers (url_for, markdown, fact_links, href, "
    "has_page), not Python's internals"
)
MAX_REPEAT = 10**6  # characters or items one `*` in a template may make: a page is far smaller


class TemplateBoundError(SecurityError):
    """A value a template makes that is larger than any page needs."""


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with `*` and `**` bounded so a template cannot make a value without end."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: object, right: object) -> object:
        """Refuse a repetition or power too large for any page; the rest as Python does it."""
        if operator == "**" and isinstance(right, int) and abs(right) > 64:
            raise TemplateBoundError(f"a power of {right} is over the limit of 64")
        if operator == "*" and isinstance(left, int) != isinstance(right, int):
            count, item = (left, right) if isinstance(left, int) else (right, left)
            if isinstance(item, (str, list, tuple)) and isinstance(count, int) and count * len(item) > MAX_REPEAT:
                raise TemplateBoundError(f"a repetition of {count * len(item):,} is over the limit of {MAX_REPEAT:,}")
        return super().call_binop(context, operator, left, right)

    def unsafe_undefined(self, obj: object, attribute: str) -> jinja2.Undefined:
        """Refuse an unsafe attribute at once, naming it (Jinja's undefined would fail later, on another name)."""
        raise SecurityError(f"access to attribute {attribute!r} of {type(obj).__name__!r} object is unsafe")


def template_problem(exc: Exception, templates: Path, template: str, names: Iterable[str] = ()) -> Problem:
    """Locate a Jinja error (or a template including itself without end) in the file, line and column."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        name = exc.filename or str(templates / (exc.name or template))
        message = exc.message or str(exc)
        return Problem(
            display_path(name),
            exc.lineno,
            _column(name, exc.lineno, message),
            "template",
            message,
            "fix the Jinja syntax",
        )
    if isinstance(exc, UnreadableTemplateError):
        return Problem(display_path(exc.filename), None, None, "template", exc.why, exc.hint)
    if isinstance(exc, jinja2.TemplateNotFound):
        return Problem(
            display_path(templates / template),
            None,
            None,
            "template",
            f"template '{exc.name}' not found",
            f"add it to {display_path(templates)}",
        )
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith((".html", ".xml", ".txt"))]
    where = frames[-1] if frames else None
    file = where.filename if where else str(templates / template)
    line = where.lineno if where else None
    if isinstance(exc, RecursionError):
        return _loop_problem(frames, file, line)
    message = re.sub(r"'(?:[\w.]+\.)?(\w+) object'", r"a \1", str(exc))
    hint = "the template uses a field the build does not provide" if " has no attribute " in message else None
    if isinstance(exc, TemplateBoundError):
        hint = "a page needs far less; check the template's arithmetic"
    elif isinstance(exc, MessageFormatError):
        hint = "write a percent sign as %%, and give each %(name)s its value: _('...', name=...)"
    elif isinstance(exc, SecurityError):
        message, hint = message.rstrip("."), SANDBOX_HINT
    if isinstance(exc, jinja2.UndefinedError) and hint is None:
        hint = "the template uses a variable the build does not provide"
        missing = re.match(r"'(\w+)' is undefined", message)
        close = difflib.get_close_matches(missing[1], list(names), n=1) if missing else []
        if close:
            hint = f"did you mean '{close[0]}'?"
    return Problem(display_path(file), line, _column(file, line, message), "template", message, hint)


def _loop_problem(frames: list[traceback.FrameSummary], file: str, line: int | None) -> Problem:
    """A template that includes or extends itself: located at the tag repeated most, the project's file first."""
    repeated = Counter((f.filename, f.lineno) for f in frames)
    if repeated:
        own = {key: n for key, n in repeated.items() if Path(key[0]).parent != PACKAGE_TEMPLATES} or repeated
        file, line = max(own, key=lambda key: own[key])
    message = "templates include or extend each other without end"
    hint = "a template must not include or extend itself, directly or through another"
    return Problem(_shown(file), line, _column(file, line, message), "template", message, hint)


def _shown(file: str) -> str:
    """A template file as the user knows it: the project's path, or 'torchsite/templates/NAME'."""
    path = Path(file)
    return f"torchsite/templates/{path.name}" if path.parent == PACKAGE_TEMPLATES else display_path(path)


def _column(file: str, line: int | None, message: str) -> int | None:
    """The column of the name a Jinja message quotes on that line, else of the line's first tag."""
    try:
        text = Path(file).read_text(encoding="utf-8").splitlines()[line - 1] if line else None
    except (OSError, IndexError, UnicodeDecodeError):
        text = None
    if text is None:
        return None
    for quoted in re.findall(r"'([^']+)'", message):
        found = re.search(rf"(?<!\w){re.escape(quoted)}(?!\w)" if quoted.isidentifier() else re.escape(quoted), text)
        if found:
            return found.start() + 1
    tag = re.search(r"\{[{%#]", text)
    return tag.start() + 1 if tag else len(text) - len(text.lstrip()) + 1
