"""The exception hierarchy and the one-line problem report every error is made of."""

from __future__ import annotations

import dataclasses
import enum
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def display_path(path: Path | str) -> str:
    """Show a path relative to the working folder when it lies below it."""
    p = Path(path)
    try:  # the folder resolved, the name kept: a link is shown as itself, never as what it points to
        return (p.parent.resolve() / p.name).relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return os.fspath(p)


class Severity(enum.Enum):
    """How much a problem matters: an error stops the run, a warning only with --strict, a note never."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where, which field, what, and how to fix it."""

    file: str
    line: int | None
    col: int | None
    field: str | None
    message: str
    hint: str | None = None
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        """Render as `file:line:col: field: message (hint: ...)`."""
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        parts = [where]
        if self.severity is not Severity.ERROR:
            parts.append(self.severity.value)
        if self.field:
            parts.append(self.field)
        text = ": ".join(parts) + ": " + self.message
        if self.hint:
            text += f" (hint: {self.hint})"
        return text

    def sort_key(self) -> tuple[str, int, int, str]:
        """Order problems by file, then position."""
        return (self.file, self.line or 0, self.col or 0, self.message)

    @property
    def is_error(self) -> bool:
        """Whether the problem stops the run."""
        return self.severity is Severity.ERROR

    def as_severity(self, severity: Severity) -> Problem:
        """The same problem at another severity (a warning made an error by --strict, a check made a warning)."""
        return dataclasses.replace(self, severity=severity)


class TorchsiteError(Exception):
    """Base of every error torchsite reports to its user without a traceback."""

    exit_code = 1


class ContentError(TorchsiteError):
    """The content (facts, story, charts, templates) has problems; all are listed."""

    exit_code = 1

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems), key=Problem.sort_key)  # one line per distinct problem
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(TorchsiteError):
    """The command line asks for something that cannot be done."""

    exit_code = 2


class Problems:
    """A collector: gather problems from many checks, then raise them together."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, problem: Problem) -> None:
        """Record one problem."""
        self.items.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        """Record several problems."""
        self.items.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        """The problems that are neither warnings nor notes."""
        return [p for p in self.items if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        """The warnings and notes, in report order."""
        return sorted(set(self.items) - set(self.errors), key=Problem.sort_key)

    def raise_if_any(self) -> None:
        """Raise a ContentError listing everything collected so far, if any of it is an error."""
        if self.errors:
            raise ContentError(self.items)  # warnings too: everything one run found, in one report


def attempt(read: Callable[[], T]) -> tuple[T | None, list[Problem]]:
    """What a reading step returns, or None with its problems: a stage collects them and goes on."""
    try:
        return read(), []
    except ContentError as exc:
        return None, list(exc.problems)
