"""The build, top to bottom: gather and validate everything, render in memory, then write once."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from . import derive, facts, output, site, story
from .derive import Figure
from .errors import ContentError, Problems
from .facts import FactSheet
from .project import Project, SiteConfig, load_config
from .story import Story


@dataclass(frozen=True)
class Inputs:
    """Everything a build reads, validated."""

    config: SiteConfig
    sheet: FactSheet
    figures: dict[str, Figure]
    story: Story
    methodology: Story | None = None


@dataclass(frozen=True)
class Report:
    """What a build wrote, for the summary line."""

    out: Path
    pages: int
    files: int
    bytes: int
    facts: int
    derived: int
    seconds: float


def gather(project: Project, facts_file: Path | None = None) -> Inputs:
    """Read and validate every input (the facts from `facts_file` if given), all problems together."""
    problems = Problems()
    sheet = figures = config = the_story = methodology = None
    # 1. The fact sheet, and the figures derived from it.
    try:
        sheet = facts.load(facts_file or project.facts)
        figures = derive.compute(sheet)
    except ContentError as exc:
        problems.extend(exc.problems)
    known = set(figures) if figures is not None else None
    # 2. Site settings (their key figures must exist).
    try:
        config = load_config(project.site, known)
    except ContentError as exc:
        problems.extend(exc.problems)
    # 3. The story: every reference must resolve (only checkable once the figures are known).
    if figures is not None:
        try:
            the_story = story.load(project.story, figures)
        except ContentError as exc:
            problems.extend(exc.problems)
        # The methodology page is written like the story: its numbers are references too.
        try:
            methodology = story.load(project.methodology, figures, fact_href="../facts/")
        except ContentError as exc:
            problems.extend(exc.problems)
    problems.raise_if_any()
    assert sheet is not None and figures is not None and config is not None and the_story is not None
    return Inputs(config, sheet, figures, the_story, methodology)


def render(project: Project, inputs: Inputs) -> output.Site:
    """Every page and asset of the site, in memory (also what `torchsite impact` compares)."""
    return site.render(project, inputs.config, inputs.sheet, inputs.figures, inputs.story, inputs.methodology)


def build(project: Project, out: Path) -> Report:
    """Build the site into `out`; on any problem, `out` is left exactly as it was."""
    started = time.perf_counter()
    inputs = gather(project)
    # 4. Render every page and asset in memory.
    rendered = render(project, inputs)
    # 5. Write into a staging folder beside `out`, check links there, then swap it in.
    output.publish(rendered, out)
    pages = sum(1 for path in rendered.files if path.endswith(".html"))
    return Report(
        out,
        pages,
        len(rendered.files),
        sum(map(len, rendered.files.values())),
        len(inputs.sheet.facts),
        len(inputs.sheet.derived),
        time.perf_counter() - started,
    )
