"""The Jinja environment, and Jinja errors located in the template file, line and column."""

from __future__ import annotations

import difflib
import functools
import os
import re
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path

import jinja2
from jinja2.loaders import split_template_path

from torchsite.errors import Problem, display_path
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
            if path.is_file():
                break
            if path.exists():
                why = "is a folder, not a file"
                raise UnreadableTemplateError(template, str(path), why, "remove it, or put the template file there")
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
    """Jinja with autoescape and StrictUndefined: a missing variable is an error, never blank.

    A template is looked up in the project's `templates` folder first, then among the package's defaults,
    so a project overrides any file by name.
    """
    return jinja2.Environment(
        loader=_Loader([templates, PACKAGE_TEMPLATES]),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def template_origin(template: jinja2.Template) -> str:
    """Where a template was read: the project's file, or 'torchsite/templates/NAME' for a package default."""
    path = Path(template.filename or template.name or "")
    if path.parent == PACKAGE_TEMPLATES:
        return f"torchsite/templates/{path.name}"
    return display_path(path)


def template_problem(exc: jinja2.TemplateError, templates: Path, template: str, names: Iterable[str] = ()) -> Problem:
    """Locate a Jinja error in the template file, line and column where it happened."""
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
    message = re.sub(r"'(?:[\w.]+\.)?(\w+) object'", r"a \1", str(exc))
    hint = "the template uses a field the build does not provide" if " has no attribute " in message else None
    if isinstance(exc, jinja2.UndefinedError) and hint is None:
        hint = "the template uses a variable the build does not provide"
        missing = re.match(r"'(\w+)' is undefined", message)
        close = difflib.get_close_matches(missing[1], list(names), n=1) if missing else []
        if close:
            hint = f"did you mean '{close[0]}'?"
    return Problem(display_path(file), line, _column(file, line, message), "template", message, hint)


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
