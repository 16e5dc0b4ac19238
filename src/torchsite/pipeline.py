"""The build, top to bottom: gather and validate everything, render in memory, then write once."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from torchsite.charts import build as charts
from torchsite.charts import export as svgexport
from torchsite.charts import spec as chartspec
from torchsite.charts.model import Chart
from torchsite.charts.spec import ChartSpec
from torchsite.errors import ContentError, Problem, Problems, display_path
from torchsite.inputs import facts, lint, story
from torchsite.inputs import figures as derive
from torchsite.inputs import sourcecheck as check
from torchsite.inputs.config import Project, SiteConfig, key_figure_problems, load_config
from torchsite.inputs.facts import FactSheet
from torchsite.inputs.figures import Figure
from torchsite.inputs.story import Story
from torchsite.output import publish
from torchsite.output.files import Site
from torchsite.render import pages as site
from torchsite.render.build import Build
from torchsite.render.formatting import ENGLISH
from torchsite.report import Report


@dataclass(frozen=True)
class Inputs:
    """Everything a build reads, validated."""

    config: SiteConfig
    sheet: FactSheet
    figures: dict[str, Figure]
    story: Story
    methodology: Story | None = None
    warnings: tuple[Problem, ...] = ()
    charts: tuple[ChartSpec, ...] = ()


def gather(
    project: Project, facts_file: Path | None = None, *, strict: bool = False, source: str | None = None
) -> Inputs:
    """Read and validate every input (the facts from `facts_file` if given), all problems together.

    With `source` (the text the facts come from), every quote is checked against it; with
    `strict`, warnings count as errors.
    """
    problems = Problems()
    sheet = figures = config = the_story = methodology = None
    specs: list[ChartSpec] | None = None
    # 1. Site settings: the language and units the figures are written in.
    try:
        config = load_config(project.site)
    except ContentError as exc:
        problems.extend(exc.problems)
    # 2. The fact sheet (its units checked against the project's table when that loaded), and the derived figures.
    try:
        sheet = facts.load(facts_file or project.facts, config.units if config is not None else None)
        figures = derive.compute(sheet, config.formatter() if config is not None else ENGLISH)
    except ContentError as exc:
        problems.extend(exc.problems)
    # When the sheet has problems, the ids it declares still let its formulas and the other files be checked.
    periods = {i: f.as_of for i, f in figures.items()} if figures is not None else None
    if figures is None and (raw := facts.lenient(facts_file or project.facts)) is not None:
        periods = facts.declared(raw)
        if sheet is None:  # the formulas were not evaluated: check what can be checked without values
            problems.extend(derive.formula_problems(raw))
    if config is not None and periods is not None:
        problems.extend(key_figure_problems(config, set(periods)))
    # 3. The chart specs: every figure they draw must exist and suit the chart type.
    if figures is not None:
        try:
            specs = chartspec.load(project.charts, figures)
        except ContentError as exc:
            problems.extend(exc.problems)
    chart_ids = [spec.id for spec in specs] if specs is not None else None  # None: not checkable now
    # 4. The story: every fact and chart reference must resolve, no number may be typed.
    try:
        if figures is not None:
            the_story = story.load(project.story, figures, charts=chart_ids)
        else:
            text = story.read(project.story)
            problems.extend(story.validate(text, display_path(project.story), periods, chart_ids)[0])
    except ContentError as exc:
        problems.extend(exc.problems)
    # The methodology page (optional) is written like the story: its numbers are references too.
    try:
        if project.methodology.exists() and figures is not None:
            methodology = story.load(project.methodology, figures)
        elif project.methodology.exists():
            text = story.read(project.methodology)
            problems.extend(story.validate(text, display_path(project.methodology), periods)[0])
    except ContentError as exc:
        problems.extend(exc.problems)
    # 5. Against the source, if given: quotes verbatim, numbers and hedges agreeing.
    if sheet is not None and source is not None:
        problems.extend(check.check_source(sheet, source))
    # 6. Warnings: allowed but probably wrong (strict makes them errors).
    if sheet is not None and figures is not None and config is not None and the_story is not None:
        used = [*the_story.citations, *config.key_figures, *chartspec.used(specs or [])]
        if methodology is not None:
            used += methodology.citations
        # Checked against a source, a quote that disagrees with its value is an error (step 4), not a warning.
        found = lint.warnings(sheet, figures, used, quotes=source is None)
        problems.extend(lint.strict(found) if strict else found)
    problems.raise_if_any()
    assert sheet is not None and figures is not None and config is not None and the_story is not None
    return Inputs(config, sheet, figures, the_story, methodology, tuple(problems.warnings), tuple(specs or ()))


def chart_views(inputs: Inputs) -> list[Chart]:
    """Every chart built from its spec: rows, words and Plotly figure."""
    return [charts.build(spec, inputs.figures, inputs.sheet) for spec in inputs.charts]


def assemble(inputs: Inputs, built: list[Chart] | None = None, exports: svgexport.Exports | None = None) -> Build:
    """What rendering takes: the inputs, their charts (built here if not given), and the exported SVGs and share image.

    Without `exports`, charts show their data table as the first view (no browser is started).
    """
    charts = built if built is not None else chart_views(inputs)
    exported = exports or svgexport.Exports()
    return Build(
        inputs.config,
        inputs.sheet,
        inputs.figures,
        inputs.story,
        inputs.methodology,
        tuple(charts),
        exported.svgs,
        exported.share,
    )


def render(project: Project, build: Build) -> Site:
    """Every page and asset of the site, in memory (also what `torchsite impact` compares)."""
    return site.render(project, build)


def build(project: Project, out: Path, *, strict: bool = False) -> Report:
    """Build the site into `out`; on any problem, `out` is left exactly as it was."""
    started = time.perf_counter()
    stages: dict[str, float] = {}
    inputs = gather(project, strict=strict)
    stages["read and validate"] = time.perf_counter() - started
    # 7. Charts: static SVGs from the cache, or exported by a headless browser; without one the
    #    data table is the first view, with one warning (an error with --strict).
    #    The share image (the lead chart as a PNG for link previews) comes from the same browser session;
    #    without a browser the warning above covers it too: pages then carry no og:image, never a broken one.
    built = chart_views(inputs)
    exports = (
        svgexport.export_all(built, svgexport.cache_folder(project.root), display_path(project.charts))
        if built
        else svgexport.Exports()  # no charts: no browser
    )
    chart_warnings = exports.problems
    if strict and chart_warnings:
        raise ContentError(lint.strict(chart_warnings))
    stages["charts"] = time.perf_counter() - started - sum(stages.values())
    # 8. Render every page and asset in memory.
    rendered = render(project, assemble(inputs, built, exports))
    stages["render"] = time.perf_counter() - started - sum(stages.values())
    # 9. Write into a staging folder beside `out`, check links there, then swap it in.
    publish.publish(rendered, out)
    stages["check and write"] = time.perf_counter() - started - sum(stages.values())
    pages = sum(1 for path in rendered.files if path.endswith(".html"))
    return Report(
        out,
        pages,
        len(rendered.files),
        sum(map(len, rendered.files.values())),
        len(inputs.sheet.facts),
        len(inputs.sheet.derived),
        time.perf_counter() - started,
        (*inputs.warnings, *chart_warnings),
        stages,
        len(built),
    )
