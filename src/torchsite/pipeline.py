"""The build, top to bottom: gather and validate everything, render in memory, then write once."""

from __future__ import annotations

import dataclasses
import re
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
from torchsite.output import links, publish
from torchsite.output.files import Site
from torchsite.output.guard import check_output
from torchsite.render import pages as site
from torchsite.render.build import Build
from torchsite.render.formatting import ENGLISH
from torchsite.report import Report

_QUOTED = re.compile(r"link '([^']+)'")


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
    if outside := project.links_outside():
        raise ContentError(outside)  # nothing is read through a link out of the project
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
    claim_ids = [c.id for c in sheet.claims] if sheet is not None else None
    # 4. The story: every fact, chart and claim reference must resolve, every sentence cite a claim,
    #    no number may be typed.
    try:
        if figures is not None and claim_ids is not None:
            the_story = story.load(project.story, figures, charts=chart_ids, claims=claim_ids, cited=True)
        else:
            text = story.read(project.story)
            problems.extend(story.validate(text, display_path(project.story), periods, chart_ids)[0])
            problems.extend(story.check_citations(text, display_path(project.story), claim_ids, cited=True)[0])
    except ContentError as exc:
        problems.extend(exc.problems)
    if specs is not None and the_story is not None:
        problems.extend(chartspec.unplaced(project.charts, specs, [i for k, i in the_story.sections if k == "chart"]))
    # The methodology page (optional) is written like the story: its numbers are references too.
    try:
        if project.methodology.exists() and figures is not None and claim_ids is not None:
            methodology = story.load(project.methodology, figures, claims=claim_ids)
        elif project.methodology.exists():
            text = story.read(project.methodology)
            problems.extend(story.validate(text, display_path(project.methodology), periods)[0])
            problems.extend(story.check_citations(text, display_path(project.methodology), claim_ids, cited=False)[0])
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
    """Every page and asset of the site, in memory."""
    return site.render(project, build)


@dataclass(frozen=True)
class Rendered:
    """The whole site in memory, exactly as the build writes it, with what made it."""

    inputs: Inputs
    charts: list[Chart]
    exports: svgexport.Exports
    site: Site
    stages: dict[str, float]

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """The content's warnings and the chart export's."""
        return (*self.inputs.warnings, *self.exports.problems)


def render_site(
    project: Project,
    *,
    strict: bool = False,
    source: str | None = None,
    cache: Path | None = None,
    session: svgexport.Exporter | None = None,
) -> Rendered:
    """Steps 1 to 8: gather, export the charts' images, render every file in memory (build, check and impact)."""
    started = time.perf_counter()
    stages: dict[str, float] = {}
    inputs = gather(project, strict=strict, source=source)
    stages["read and validate"] = time.perf_counter() - started
    # 7. Charts: static SVGs from the cache, or exported by a headless browser; without one the
    #    data table is the first view, with one warning (an error with --strict).
    #    The share image (the lead chart as a PNG for link previews) comes from the same browser session;
    #    without a browser the warning above covers it too: pages then carry no og:image, never a broken one.
    built = chart_views(inputs)
    folder = cache or svgexport.cache_folder(project.root)
    exports = (
        svgexport.export_all(built, folder, display_path(project.charts), session)
        if built
        else svgexport.Exports()  # no charts: no browser
    )
    if strict and exports.problems:
        raise ContentError(lint.strict(exports.problems))
    stages["charts"] = time.perf_counter() - started - sum(stages.values())
    # 8. Render every page and asset in memory.
    rendered = render(project, assemble(inputs, built, exports))
    stages["render"] = time.perf_counter() - started - sum(stages.values())
    return Rendered(inputs, built, exports, rendered, stages)


def output_problems(project: Project, rendered: Site) -> list[Problem]:
    """The output checks that need no disk (unsafe or doubled paths, every internal link and anchor), at their source.

    One problem per source line: a template line that writes the same broken link on many pages is one problem.
    """
    sources = [project.story, project.methodology, *sorted(project.templates.glob("*.html"))]
    seen: dict[Problem, list[str]] = {}
    for found in links.check_links(rendered.files, rendered.base_path):
        seen.setdefault(at_source(found, rendered, sources), []).append(f"{found.file}:{found.line}")
    return [
        *rendered.problems,
        *(p if p.line else dataclasses.replace(p, message=f"{p.message} (in {_few(w)})") for p, w in seen.items()),
    ]


def _few(places: list[str]) -> str:
    """The first three places, and how many more."""
    return ", ".join(places[:3]) + (f" and {len(places) - 3} more" if len(places) > 3 else "")


def at_source(problem: Problem, rendered: Site, sources: list[Path]) -> Problem:
    """An output problem moved to the line of the story or template that wrote it, else to the page's template."""
    url = _QUOTED.search(problem.message)
    for path in sources if url else []:
        lines = path.read_text(encoding="utf-8-sig").splitlines() if path.is_file() else []
        for number, line in enumerate(lines, start=1):
            if (col := line.find(url.group(1) if url else "")) >= 0:
                return dataclasses.replace(problem, file=display_path(path), line=number, col=col + 1)
    origin = rendered.origins.get(problem.file.removeprefix("dist/"), problem.file)
    return dataclasses.replace(problem, file=origin, line=None, col=None)


def build(project: Project, out: Path, *, strict: bool = False, session: svgexport.Exporter | None = None) -> Report:
    """Build the site into `out`; on any problem, `out` is left exactly as it was."""
    check_output(project.root, out)  # before anything is read: a wrong --out is a usage error
    started = time.perf_counter()
    made = render_site(project, strict=strict, session=session)
    if problems := output_problems(project, made.site):
        raise ContentError(problems)
    # 9. Write into a staging folder beside `out`, check links there, then swap it in.
    publish.publish(made.site, out)
    stages = {**made.stages, "check and write": time.perf_counter() - started - sum(made.stages.values())}
    pages = sum(1 for path in made.site.files if path.endswith(".html"))
    return Report(
        out,
        pages,
        len(made.site.files),
        sum(map(len, made.site.files.values())),
        len(made.inputs.sheet.facts),
        len(made.inputs.sheet.derived),
        time.perf_counter() - started,
        made.warnings,
        stages,
        len(made.charts),
    )
