"""The build, top to bottom: gather and validate everything, draw the charts, render in memory, then write once.

One build object (`Build`) goes through the stages; each stage returns it with its own part filled in.
"""

from __future__ import annotations

import dataclasses
import re
import time
from pathlib import Path

from torchsite.charts import export, make, spec
from torchsite.errors import ContentError, Problem, Problems, attempt, display_path
from torchsite.inputs import figures, grammar, hedges, lint, messages, references, sourcecheck, story
from torchsite.inputs.config import Project, SiteConfig, key_figure_problems, load_config
from torchsite.inputs.facts import FactSheet
from torchsite.inputs.figures import Figure
from torchsite.inputs.formatting import Formatter
from torchsite.output import links, publish
from torchsite.output.guard import check_output
from torchsite.render import pages
from torchsite.render.site import Build, Site
from torchsite.report import Report

_QUOTED = re.compile(r"link '([^']+)'")


def gather(
    project: Project, facts_file: Path | None = None, *, strict: bool = False, source: str | None = None
) -> Build:
    """Read every input once and validate it (the facts from `facts_file` if given), all problems together.

    Each file is checked against what the others declare, as far as they could be read. With `source` (the text
    the facts come from), every quote is checked against it; with `strict`, warnings count as errors.
    """
    if outside := project.links_outside():
        raise ContentError(outside)  # nothing is read through a link out of the project
    problems = Problems()
    # 1. Site settings: the language and units the figures are written in (English and no units if unreadable).
    config, found = attempt(lambda: load_config(project.site))
    problems.extend(found)
    fmt = config.formatter() if config is not None else Formatter("en")
    # 2. The fact sheet and its derived figures; where they fail, the ids it declares still check the rest.
    sheet, found = figures.read(facts_file or project.facts, config.units if config is not None else None, fmt)
    problems.extend(found)
    if config is not None and sheet.periods is not None:
        problems.extend(key_figure_problems(config, set(sheet.periods)))
    # 3. The chart specs: every figure they draw must exist and suit the chart type.
    charts, found = spec.read(project.charts, sheet.figures)
    problems.extend(found)
    chart_ids = charts.ids() if charts is not None else None  # None: not checkable now
    # 4. The story: every fact, chart and claim reference must resolve, every sentence cite a claim, no number typed.
    the_story, found = story.read_doc(project.story, sheet, chart_ids, cited=True, language=fmt.words)
    problems.extend(found)
    if charts is not None and the_story is not None:
        problems.extend(charts.unplaced([i for k, i in the_story.sections if k == "chart"]))
    #    The methodology page (optional) is written like the story: its numbers are references too.
    methodology, found = (
        story.read_doc(project.methodology, sheet, language=fmt.words) if project.methodology.exists() else (None, [])
    )
    problems.extend(found)
    #    Each further edition's story and methodology, checked the same way in its own language.
    editions = []
    for own in config.edition_configs if config is not None else ():
        edition, found = read_edition(project, own, sheet, charts)
        problems.extend(found)
        problems.extend(translated_references(own, charts.specs if charts is not None else ()))
        editions.append(edition)
    # 5. Against the source, if given: quotes verbatim, numbers and hedges agreeing.
    words = grammar.grammar(config.lang, config.hedges) if config is not None else grammar.ENGLISH
    units = config.units if config is not None else None
    if sheet.model is not None and source is not None:
        problems.extend(sourcecheck.check_source(sheet.model, source, words, units))
    # 6. Warnings: allowed but probably wrong (strict makes them errors). Checked against a source, a quote that
    #    disagrees with its value is an error (step 5), not a warning.
    specs = charts.specs if charts is not None else ()
    if config is not None and sheet.model is not None and sheet.figures is not None and the_story is not None:
        used = [*the_story.citations, *config.key_figures, *spec.used(specs)]
        used += methodology.citations if methodology is not None else []
        used += [
            c
            for e in editions
            if e is not None
            for doc in e[1:3]
            if isinstance(doc, story.Story)
            for c in doc.citations
        ]
        used += sorted(spec.mentioned(project.charts)) if charts is None else []  # no false "not used" warning
        used += sorted(charts.mentioned) if charts is not None else []  # nor for a refused entry's figures
        found = lint.warnings(sheet.model, sheet.figures, used, quotes=source is None, grammar=words, units=units)
        found += untranslated(project, fmt)
        found += list(charts.warnings) if charts is not None else []
        found += lint.uncited_figures(display_path(project.story), the_story.sentences, sheet.model, sheet.figures)
        if methodology is not None:
            name = display_path(project.methodology)
            found += lint.uncited_figures(name, methodology.sentences, sheet.model, sheet.figures)
        for edition in editions:
            found += (
                edition_warnings(project, edition, sheet.model, sheet.figures, specs) if edition is not None else []
            )
        problems.extend(lint.strict(found) if strict else found)
    problems.raise_if_any()
    assert config is not None and sheet.model is not None and sheet.figures is not None and the_story is not None
    main = Build(config, sheet.model, sheet.figures, the_story, methodology, specs, tuple(problems.warnings))
    others = tuple(
        dataclasses.replace(
            main,
            config=e[0],
            story=e[1],
            methodology=e[2],
            figures=e[3],
            specs=tuple(translated(s, e[0].formatter().messages) for s in specs),
        )
        for e in editions
        if e is not None
    )
    return dataclasses.replace(main, editions=others)


Edition = tuple[SiteConfig, story.Story, story.Story | None, dict[str, Figure]]


def read_edition(
    project: Project, own: SiteConfig, sheet: figures.Sheet, charts: spec.Charts | None
) -> tuple[Edition | None, list[Problem]]:
    """An edition's story (content/story.<tag>.md, required) and methodology (optional), read like the main ones in
    the edition's language; every chart placed in its story too."""
    path = project.edition_story(own.lang)
    if not path.is_file():
        index = [e.lang for e in own.main.edition_settings()].index(own.lang)
        at = ("editions", index) if isinstance(own.main.editions[index], str) else ("editions", index, "lang")
        why = f"the edition '{own.lang}' has no story: {display_path(path)} is missing"
        return None, [own.problem(at, why, "write the edition's story there, citing the same claims as the main one")]
    fmt = own.formatter()
    if sheet.model is not None and sheet.figures is not None:  # the same figures, written in the edition's language
        sheet = dataclasses.replace(sheet, figures=figures.compute(sheet.model, fmt))
    words = fmt.words
    chart_ids = charts.ids() if charts is not None else None
    doc, problems = story.read_doc(path, sheet, chart_ids, cited=True, language=words)
    if charts is not None and doc is not None:
        problems += [
            dataclasses.replace(p, message=p.message.replace("content/story.md", display_path(path)))
            for p in charts.unplaced([i for k, i in doc.sections if k == "chart"])
        ]
    other = project.edition_methodology(own.lang)
    method, found = story.read_doc(other, sheet, language=words) if other.is_file() else (None, [])
    if doc is None or (other.is_file() and method is None) or sheet.figures is None:
        return None, [*problems, *found]
    return (own, doc, method, sheet.figures), [*problems, *found]


CHART_WORDS = frozenset({"title", "note", "label", "whole"})  # a chart spec's words a reader sees


def _chart_words(value: object, key: str = "") -> list[str]:
    """Every string of a chart spec's dump under a key readers see, in order."""
    if isinstance(value, dict):
        return [w for k, v in value.items() for w in _chart_words(v, k)]
    if isinstance(value, (list, tuple)):
        return [w for v in value for w in _chart_words(v, key)]
    return [value] if isinstance(value, str) and key in CHART_WORDS else []


def _said(value: object, messages: messages.Messages, key: str = "") -> object:
    """A chart spec's dump with the words readers see in the catalog's language."""
    if isinstance(value, dict):
        return {k: _said(v, messages, k) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_said(v, messages, key) for v in value)
    return messages.gettext(value) if isinstance(value, str) and key in CHART_WORDS else value


def translated(chart: spec.ChartSpec, said: messages.Messages) -> spec.ChartSpec:
    """A chart spec with its title, note and labels from an edition's catalog (the project's content/locale/<tag>.po:
    the fact sheet's and the charts' words, like the templates', are translated by message, in one place)."""
    return type(chart).model_validate(_said(chart.model_dump(), said))


def translated_references(own: SiteConfig, specs: tuple[spec.ChartSpec, ...]) -> list[Problem]:
    """A chart word's translation names the same figures as the original: a reference dropped, added or misspelt in
    the catalog is an error at the catalog, never a page with a hole or a crash."""
    said = own.formatter().messages
    problems = []
    for chart in specs:
        for words in dict.fromkeys(_chart_words(chart.model_dump())):
            wanted, got = references.fact_ids(words), references.fact_ids(said.gettext(words))
            if sorted(wanted) != sorted(got):
                original = ", ".join(f"{{{{{i}}}}}" for i in wanted) or "none"
                named = ", ".join(f"{{{{{i}}}}}" for i in got) or "no figure"
                problems.append(
                    Problem(
                        said.catalog_file,
                        None,
                        None,
                        None,
                        f"the translation of '{words}' names {named}, not the original's ({original})",
                        "keep every {{reference}} of the msgid in the msgstr, spelt the same",
                    )
                )
    return problems


def content_messages(sheet: FactSheet, specs: tuple[spec.ChartSpec, ...]) -> list[str]:
    """The words of the fact sheet and the charts a reader sees on an edition's pages, as its catalog's messages: the
    figures' labels, the themes' titles, the sources' kinds, origins and notes, periods that are not dates, the
    editor's notes, chart words."""
    found = [*(f.label for f in sheet.facts), *(d.label for d in sheet.derived), *(t.title for t in sheet.themes)]
    found += [s.kind for s in sheet.sources] + [s.origin_translation for s in sheet.sources if s.origin_translation]
    found += [f.as_of for f in sheet.facts if f.as_of and hedges.period_date(f.as_of) is None]
    notes = [*(f.note for f in sheet.facts), *(d.note for d in sheet.derived), *(c.note for c in sheet.claims)]
    found += [note for note in notes if note]  # the editor's notes
    found += [f.inferred for f in sheet.facts if f.inferred]
    found += [n for s in sheet.sources for n in (s.publisher_note, s.published_note) if n]
    return [*found, *(w for chart in specs for w in _chart_words(chart.model_dump()))]


def edition_warnings(
    project: Project, edition: Edition, sheet: FactSheet, found: dict[str, Figure], specs: tuple[spec.ChartSpec, ...]
) -> list[Problem]:
    """An edition's warnings: figures its story and methodology leave uncited, sentences its catalog leaves in
    English (the templates', and the fact sheet's and charts' words its pages show)."""
    own, doc, method, _ = edition
    wanted = [*messages.template_ids(), *messages.template_messages(project.templates), *content_messages(sheet, specs)]
    problems = messages.missing_translations(own.formatter().messages, wanted)
    problems += lint.uncited_figures(display_path(project.edition_story(own.lang)), doc.sentences, sheet, found)
    if method is not None:
        name = display_path(project.edition_methodology(own.lang))
        problems += lint.uncited_figures(name, method.sentences, sheet, found)
    return problems


def untranslated(project: Project, fmt: Formatter) -> list[Problem]:
    """A warning for each sentence the site writes (the package's templates and engine, the project's templates)
    that its language's catalog leaves in English."""
    wanted = [*messages.template_ids(), *messages.template_messages(project.templates)]
    return messages.missing_translations(fmt.messages, wanted)


def make_charts(build: Build) -> Build:
    """The build with every chart made from its spec: rows, words and Plotly figure, in the site's language."""
    fmt = build.config.formatter()
    made = tuple(make.make_chart(s, build.figures, build.sheet, fmt) for s in build.specs)
    return dataclasses.replace(build, charts=made, editions=tuple(make_charts(e) for e in build.editions))


def export_charts(
    build: Build,
    project: Project,
    *,
    strict: bool = False,
    cache: Path | None = None,
    session: export.Exporter | None = None,
) -> Build:
    """The build with its charts' static drawings and the share image, from the cache or a headless browser.

    Without a browser the data table is the first view, with one warning (an error with `strict`); pages then carry
    no og:image, never a broken one. No charts: no browser is started.
    """
    if not build.charts:
        return build
    folder = cache or export.cache_folder(project.root)
    if session is None and export.kept(folder) is None:  # one browser for every edition's charts, not one each
        with export.Exporter(folder, display_path(project.charts)) as opened:
            return export_charts(build, project, strict=strict, cache=cache, session=opened)
    exports = export.export_all(list(build.charts), folder, display_path(project.charts), session)
    if strict and exports.problems:
        raise ContentError(lint.strict(exports.problems))
    editions = tuple(export_charts(e, project, strict=strict, cache=cache, session=session) for e in build.editions)
    return dataclasses.replace(build, exports=exports, editions=editions)


def render(project: Project, build: Build) -> Build:
    """The build with every page and asset of the site rendered in memory."""
    return dataclasses.replace(build, site=pages.render(project, build))


def render_site(
    project: Project,
    *,
    strict: bool = False,
    source: str | None = None,
    cache: Path | None = None,
    session: export.Exporter | None = None,
) -> Build:
    """Every stage but writing: gather, make and export the charts, render in memory (for build, check and impact)."""
    started = time.perf_counter()
    stages: dict[str, float] = {}

    def lap(name: str) -> None:
        stages[name] = time.perf_counter() - started - sum(stages.values())

    build = gather(project, strict=strict, source=source)
    lap("read and validate")
    build = export_charts(make_charts(build), project, strict=strict, cache=cache, session=session)
    lap("charts")
    build = render(project, build)
    lap("render")
    return dataclasses.replace(build, stages=stages)


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


def build(project: Project, out: Path, *, strict: bool = False, session: export.Exporter | None = None) -> Report:
    """Build the site into `out`; on any problem, `out` is left exactly as it was."""
    check_output(project.root, out)  # before anything is read: a wrong --out is a usage error
    started = time.perf_counter()
    made = render_site(project, strict=strict, session=session)
    if problems := output_problems(project, made.site):
        raise ContentError(problems)
    # Write into a staging folder beside `out`, check links there, then swap it in.
    publish.publish(made.site, out)
    stages = {**made.stages, "check and write": time.perf_counter() - started - sum(made.stages.values())}
    return Report(
        out,
        sum(1 for path in made.site.files if path.endswith(".html")),
        len(made.site.files),
        sum(map(len, made.site.files.values())),
        len(made.sheet.facts),
        len(made.sheet.derived),
        time.perf_counter() - started,
        made.warnings,
        stages,
        len(made.charts),
    )
