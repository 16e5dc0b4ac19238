"""Where a project's inputs live, and its site settings (content/site.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import Field, ValidationError

from torchsite.errors import ContentError, Problem
from torchsite.inputs.diagnostics import schema_problem
from torchsite.inputs.facts import Ident, Strict, Text
from torchsite.inputs.yamldoc import load as load_yaml


class SiteConfig(Strict):
    """Site-wide settings an editor may change."""

    title: Text = Field(description="The site's name, shown in the header and the browser tab")
    description: Text = Field(description="One sentence for search engines and link previews")
    lang: str = Field("en", pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$", description="The pages' language")
    base_url: str = Field(
        "https://example.org/torchsite/",
        pattern=r"^https?://.+/$",
        description="Where the site is published, ending in '/'; used for canonical links",
    )
    key_figures: list[Ident] = Field(default_factory=list, description="Figures shown in the strip atop the story")


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

    @property
    def charts(self) -> Path:
        """The chart specs."""
        return self.content / "charts.yaml"

    @property
    def site(self) -> Path:
        """The site settings."""
        return self.content / "site.yaml"


def load_config(path: Path, known_ids: set[str] | None = None) -> SiteConfig:
    """Load site.yaml; every key figure must name a fact or derived figure."""
    doc = load_yaml(path)
    try:
        config = SiteConfig.model_validate(doc.data)
    except ValidationError as exc:
        raise ContentError(schema_problem(doc, err, SiteConfig) for err in exc.errors()) from None
    if known_ids is not None:
        problems: list[Problem] = [
            doc.problem(("key_figures", i), f"unknown fact '{ident}'", "use an id from content/facts.yaml")
            for i, ident in enumerate(config.key_figures)
            if ident not in known_ids
        ]
        if problems:
            raise ContentError(problems)
    return config
