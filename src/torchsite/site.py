"""Rendering: the Jinja environment, the page list, and every page and asset in memory."""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from .derive import Figure, explain
from .errors import ContentError, Problem, display_path
from .facts import FactSheet
from .numbers import HEDGE_WORDS
from .output import Site
from .project import Project, SiteConfig
from .story import Story

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'none'"
)
NAV = [{"title": "Story", "url": ""}, {"title": "Fact sheet", "url": "facts/"}]
HEDGES = {key: (words or "exact") for key, words in HEDGE_WORDS.items()}


@dataclass(frozen=True)
class Page:
    """One page: its URL below the site root, the template, and what it shows."""

    url: str
    template: str
    context: dict[str, Any]

    @property
    def path(self) -> str:
        """The file the page is written to."""
        return f"{self.url}index.html" if self.url.endswith("/") or not self.url else self.url

    @property
    def root(self) -> str:
        """The relative prefix from this page back to the site root."""
        return "../" * self.url.count("/")


def environment(templates: Path) -> jinja2.Environment:
    """Jinja with autoescape and StrictUndefined: a missing variable is an error, never blank."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def static_file(name: str) -> bytes:
    """A file shipped in the package's static folder."""
    return resources.files("torchsite").joinpath("static", name).read_bytes()


def pages(config: SiteConfig, sheet: FactSheet, figures: dict[str, Figure], story: Story) -> list[Page]:
    """Every page of the site, with its context."""
    groups = [
        {
            "theme": theme,
            "facts": [f for f in sheet.facts if f.theme == theme.id],
            "derived": [d for d in sheet.derived if d.theme == theme.id],
        }
        for theme in sheet.themes
    ]
    explanations = {d.id: explain(figures[d.id], figures) for d in sheet.derived}
    return [
        Page("", "story.html", {"story": story, "key_figures": [figures[i] for i in config.key_figures]}),
        Page(
            "facts/", "facts.html", {"sheet": sheet, "groups": groups, "explanations": explanations, "hedges": HEDGES}
        ),
    ]


def render(project: Project, config: SiteConfig, sheet: FactSheet, figures: dict[str, Figure], story: Story) -> Site:
    """Render every page and asset into memory; template problems are collected, not raised one by one."""
    site = Site()
    assets = {"css": site.add_hashed("assets", "site", ".css", static_file("site.css"), "torchsite/static/site.css")}
    env = environment(project.templates)
    problems: list[Problem] = []
    for page in pages(config, sheet, figures, story):
        context = {
            "config": config,
            "page": page,
            "assets": assets,
            "nav": NAV,
            "csp": CSP,
            "figures": figures,
            **page.context,
        }
        try:
            html = env.get_template(page.template).render(context)
        except jinja2.TemplateError as exc:
            problems.append(template_problem(exc, project.templates, page.template))
            continue
        site.add(page.path, html, display_path(project.templates / page.template))
    if problems:
        raise ContentError(problems)
    return site


def template_problem(exc: jinja2.TemplateError, templates: Path, template: str) -> Problem:
    """Locate a Jinja error in the template file and line where it happened."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        name = exc.filename or str(templates / (exc.name or template))
        return Problem(
            display_path(name), exc.lineno, None, "template", exc.message or str(exc), "fix the Jinja syntax"
        )
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
    name = display_path(where.filename) if where else display_path(templates / template)
    hint = "the template uses a variable the build does not provide" if isinstance(exc, jinja2.UndefinedError) else None
    return Problem(name, where.lineno if where else None, None, "template", str(exc), hint)
