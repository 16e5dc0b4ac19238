"""The build in memory: the one build object the stages pass on, and every output file, each path written once."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path, PurePosixPath

from torchsite.charts.export import Exports
from torchsite.charts.model import Chart
from torchsite.charts.spec import ChartSpec
from torchsite.errors import Problem
from torchsite.inputs.config import SiteConfig
from torchsite.inputs.facts import FactSheet
from torchsite.inputs.figures import Figure
from torchsite.inputs.messages import N_, Messages
from torchsite.inputs.story import Story

PACKAGE = Path(str(resources.files("torchsite")))  # the installed package's folder: its templates and static files
STATIC = PACKAGE / "static"


def static_file(name: str) -> bytes:
    """A file shipped in the package's static folder."""
    return (STATIC / name).read_bytes()


# The sentences each script shows (status lines, the reader's card), as string literals in its source.
SCRIPT_MESSAGES = {
    "reader.js": (N_("From the report"), N_("Inferred: "), N_("Source: "), N_("See it on the fact sheet")),
    "charts.js": (
        N_("Explore the data"),
        N_("Hide the interactive chart"),
        N_("Loading the interactive chart…"),
        N_("The interactive chart is shown below."),
        N_("The interactive chart could not be loaded. Try again."),
        N_("Copied."),
        N_("Copying was refused; the code is selected: press Ctrl+C or ⌘C."),
    ),
}


def script_file(name: str, messages: Messages) -> bytes:
    """A shipped script with its sentences in the site's language: each English string literal replaced by its
    translation (the English file is the shipped one, byte for byte; each language's file has its own hash)."""
    text = static_file(name).decode("utf-8")
    for message in SCRIPT_MESSAGES.get(name, ()):
        said = messages.gettext(message)
        if said != message:
            text = text.replace(json.dumps(message, ensure_ascii=False), json.dumps(said, ensure_ascii=False))
    return text.encode("utf-8")


@dataclass(frozen=True)
class Origin:
    """Where an output file comes from: the input file and, when known, the line, column and field."""

    file: str
    line: int | None = None
    col: int | None = None
    field: str | None = None

    def problem(self, message: str, hint: str | None = None) -> Problem:
        """A problem located at this origin."""
        return Problem(self.file, self.line, self.col, self.field, message, hint)

    def __str__(self) -> str:
        """The origin as `file:line`."""
        return f"{self.file}:{self.line}" if self.line else self.file


class Site:
    """Every output file in memory, by its path under dist/; a path can be written once (the same content again, as
    when editions share an asset, is the one file)."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.origins: dict[str, str] = {}
        self.problems: list[Problem] = []
        self.base_path = "/"  # the site root's path on its host: where root-relative links start

    def add(self, path: str, content: bytes | str, origin: str | Origin) -> str:
        """Add a file; record a problem if the path is unsafe or already taken."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        source = origin if isinstance(origin, Origin) else Origin(origin)
        clean = safe_path(path)
        if clean is None:
            self.problems.append(
                source.problem(
                    f"output path '{path}' escapes the output folder",
                    "use a relative path of plain names, without '..'",
                )
            )
        elif self.files.get(clean) == data:
            pass  # the same file again (an asset every edition uses): written once
        elif clean in self.files:
            self.problems.append(
                source.problem(
                    f"output path '{clean}' is written twice (also by {self.origins[clean]})",
                    "give each page its own slug",
                )
            )
        else:
            self.files[clean], self.origins[clean] = data, str(source)
        return clean or path

    def add_hashed(self, folder: str, stem: str, suffix: str, content: bytes, origin: str | Origin) -> str:
        """Add an asset under a content-hashed name; return its path."""
        digest = hashlib.sha256(content).hexdigest()[:10]
        return self.add(f"{folder}/{stem}.{digest}{suffix}", content, origin)


def safe_path(path: str) -> str | None:
    """The normalized relative path, or None if it could leave the output folder."""
    if not path or "\\" in path or "\x00" in path:
        return None
    pure = PurePosixPath(path)
    if pure.is_absolute() or any(part in ("..", "") for part in pure.parts) or pure.parts[0].startswith("."):
        return None
    return pure.as_posix()


@dataclass(frozen=True)
class Build:
    """One build as the stages make it: the validated inputs, then their charts and drawings, then the site.

    `pipeline.gather` makes it; each later stage returns it with its own part filled in.
    """

    config: SiteConfig
    sheet: FactSheet
    figures: dict[str, Figure]
    story: Story
    methodology: Story | None = None
    specs: tuple[ChartSpec, ...] = ()
    content_warnings: tuple[Problem, ...] = ()
    charts: tuple[Chart, ...] = ()  # built from the specs
    exports: Exports = field(default_factory=Exports)  # their drawings and the share image (none: tables first)
    site: Site = field(default_factory=Site)  # every output file, once rendered
    stages: dict[str, float] = field(default_factory=dict)  # seconds per stage, in order
    editions: tuple[Build, ...] = ()  # each further edition: its settings, story and charts, the same facts

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """The content's warnings and the chart export's."""
        return (*self.content_warnings, *self.exports.problems)
