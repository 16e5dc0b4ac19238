"""`torchsite impact`: everywhere a fact reaches, and what a changed fact sheet changes, before publishing.

Both reports read the site the build would write, rendered in memory, so they cover every page,
download and chart the build makes without a list of places to keep in step with it.
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from torchsite import pipeline
from torchsite.charts.model import Chart
from torchsite.errors import ContentError, UsageError, display_path
from torchsite.inputs.config import Project
from torchsite.inputs.diagnostics import closest, decode, read_text
from torchsite.inputs.figures import Figure
from torchsite.inputs.story import REF, Story, plain_text

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_TEXT_FILES = (".csv", ".json", ".xml", ".txt", ".svg", ".js")


@dataclass(frozen=True)
class Sentence:
    """One sentence of a Markdown document that cites figures, as a reader reads it."""

    file: str
    line: int
    ids: tuple[str, ...]
    text: str


def dependents(figures: dict[str, Figure], ident: str) -> list[str]:
    """The derived figures that use `ident`, directly or through other derived figures, in sheet order."""
    reached: set[str] = set()
    frontier = [ident]
    while frontier:
        current = frontier.pop()
        for other, figure in figures.items():
            if current in figure.inputs and other not in reached:
                reached.add(other)
                frontier.append(other)
    return [other for other in figures if other in reached]


def documents(project: Project, inputs: pipeline.Inputs) -> list[tuple[Path, Story]]:
    """The Markdown documents whose numbers are fact references (the story, the methodology)."""
    found = [(project.story, inputs.story)]
    if inputs.methodology is not None:
        found.append((project.methodology, inputs.methodology))
    return found


def cited_ids(sentence: str) -> list[str]:
    """The figure ids a piece of Markdown refers to, in order."""
    return list(dict.fromkeys(m.group(1).partition(":")[0] for m in REF.finditer(sentence)))


def cited_sentences(path: Path, doc: Story, ids: set[str]) -> list[tuple[int, str]]:
    """Each sentence (line, Markdown) of a document that cites one of `ids`."""
    lines = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n").split("\n")
    numbers = sorted({n for ident in ids for n in doc.citations.get(ident, [])})
    return [
        (number, raw)
        for number in numbers
        for raw in _SENTENCE_END.split(lines[number - 1])
        if any(i in ids for i in cited_ids(raw))
    ]


def sentences(path: Path, doc: Story, ids: set[str], figures: dict[str, Figure]) -> list[Sentence]:
    """Every sentence of a document that cites one of `ids`, with its line and rendered text."""
    return [
        Sentence(display_path(path), number, tuple(i for i in cited_ids(raw) if i in ids), reader_text(raw, figures))
        for number, raw in cited_sentences(path, doc, ids)
    ]


def reader_text(markdown: str, figures: dict[str, Figure]) -> str:
    """A line of Markdown as readers see it: references filled in, heading and list marks dropped."""
    known = REF.sub(lambda m: m.group(0) if cited_ids(m.group(0))[0] in figures else "[missing]", markdown)
    return plain_text(known.lstrip("#->* "), figures)


class _Mentions(HTMLParser):
    """Counts the elements of a page that show a figure (data-fact) or anchor its entry (id)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.counts: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Count data-fact values and ids."""
        for name, value in attrs:
            if value and name in ("data-fact", "id"):
                self.counts[value] += 1


def mentions(files: dict[str, bytes], ids: set[str]) -> dict[str, Counter[str]]:
    """For each output file that shows one of `ids`: how often each appears."""
    found: dict[str, Counter[str]] = {}
    for path in sorted(files):
        if path.endswith(".html"):
            parser = _Mentions()
            parser.feed(files[path].decode("utf-8"))
            counts = Counter({i: n for i, n in parser.counts.items() if i in ids})
        elif path.endswith(_TEXT_FILES):
            text = files[path].decode("utf-8", errors="replace")
            counts = Counter(
                {i: n for i in ids if (n := len(re.findall(rf"(?<![A-Za-z0-9_]){re.escape(i)}(?![A-Za-z0-9_])", text)))}
            )
        else:
            continue
        if counts:
            found[path] = counts
    return found


def located(inputs: pipeline.Inputs, ident: str) -> str:
    """Where a fact or derived figure is defined: content/facts.yaml:LINE."""
    group = "facts" if inputs.figures[ident].kind == "fact" else "derived"
    ids = [f.id for f in inputs.sheet.facts] if group == "facts" else [d.id for d in inputs.sheet.derived]
    index = ids.index(ident)
    problem = inputs.sheet.problem((group, index, "id"), "")
    return f"{problem.file}:{problem.line}"


def describe(figure: Figure) -> str:
    """A figure in one line: its text, and its formula when derived."""
    return f"{figure.text}  ({figure.formula})" if figure.formula else figure.text


def reach(project: Project, ident: str) -> str:
    """The plain-text report of everywhere one fact or derived figure reaches."""
    inputs = pipeline.gather(project)
    figures = inputs.figures
    if ident not in figures:
        hint = closest(ident, figures, "see content/facts.yaml for the ids")
        raise UsageError(f"no fact or derived figure '{ident}'; {hint}")
    users = dependents(figures, ident)
    ids = {ident, *users}
    figure = figures[ident]
    out = [f"{ident}: {figure.label}", f"  {figure.kind}, {figure.text}, defined at {located(inputs, ident)}", ""]
    out += _section(
        "Derived figures that use it", [f"{u} = {describe(figures[u])}" for u in users], "none: no formula uses it"
    )
    cited = [s for path, doc in documents(project, inputs) for s in sentences(path, doc, ids, figures)]
    out += _section(
        "Sentences that cite it or a figure derived from it",
        [f"{s.file}:{s.line} [{', '.join(s.ids)}] {s.text}" for s in cited],
        "none",
    )
    keys = [k for k in inputs.config.key_figures if k in ids]
    out += _section(f"Key figures in {display_path(project.site)}", keys, "none")
    drawn = [
        f"{chart.id} [{', '.join(i for i in chart_ids(chart) if i in ids)}] {chart.title_text}"
        for chart in pipeline.chart_views(inputs)
        if ids & set(chart_ids(chart))
    ]
    out += _section(f"Charts in {display_path(project.charts)} that show it", drawn, "none")
    shown = mentions(pipeline.render(project, pipeline.assemble(inputs)).files, ids)
    shown_pages = [_counts(p, c) for p, c in shown.items() if p.endswith(".html")]
    out += _section("Pages that show it", shown_pages, "none")
    shown_files = [_counts(p, c) for p, c in shown.items() if not p.endswith(".html")]
    out += _section("Downloads and other files that contain it", shown_files, "none")
    return "\n".join(out).rstrip("\n") + "\n"


def against(project: Project, old_facts: str, label: str) -> str:
    """The plain-text report of what changes between an older fact sheet and the current one."""
    new = pipeline.gather(project)
    old = gather_from_text(project, old_facts, label)
    changed_facts = [f.id for f in new.sheet.facts if _stated(old.figures.get(f.id)) != _stated(new.figures[f.id])]
    added = [i for i in new.figures if i not in old.figures]
    removed = [i for i in old.figures if i not in new.figures]
    changed_derived = [
        d.id for d in new.sheet.derived if d.id in old.figures and old.figures[d.id].text != new.figures[d.id].text
    ]
    out = [f"Comparing {display_path(project.facts)} with {label}", ""]
    out += _section(
        "Facts whose value or hedge changed",
        [_change(old.figures[i], new.figures[i]) for i in changed_facts if i in old.figures],
        "none",
    )
    if added or removed:
        out += _section("Added", added, "none") + _section("Removed", removed, "none")
    out += _section(
        "Derived figures whose result changes",
        [_change(old.figures[i], new.figures[i]) for i in changed_derived],
        "none",
    )
    touched = set(changed_facts) | set(changed_derived) | set(added)
    out += _section("Sentences whose text changes", changed_sentences(project, old, new, touched), "none")
    keys = [k for k in new.config.key_figures if k in touched]
    out += _section(f"Key figures in {display_path(project.site)} that change", keys, "none")
    out += _section("Charts that change", changed_charts(old, new), "none")
    files = changed_files(project, old, new)
    out += _section("Pages that change", [f for f in files if f.split(" ")[0].endswith(".html")], "none")
    out += _section(
        "Downloads and other files that change", [f for f in files if not f.split(" ")[0].endswith(".html")], "none"
    )
    return "\n".join(out).rstrip("\n") + "\n"


def changed_sentences(project: Project, old: pipeline.Inputs, new: pipeline.Inputs, ids: set[str]) -> list[str]:
    """Each sentence citing a changed figure whose text differs, old then new."""
    lines = []
    for path, doc in documents(project, new):
        for number, raw in cited_sentences(path, doc, ids):
            before, after = reader_text(raw, old.figures), reader_text(raw, new.figures)
            if before != after:
                lines.append(f"{display_path(path)}:{number}\n      was: {before}\n      now: {after}")
    return lines


def chart_ids(chart: Chart) -> list[str]:
    """The figures a chart shows: its rows and the references in its title."""
    return list(dict.fromkeys([*(row.id for row in chart.rows), *cited_ids(chart.spec.title)]))


def changed_charts(old: pipeline.Inputs, new: pipeline.Inputs) -> list[str]:
    """Each chart whose drawing, table, title or description differs, with its title before and after."""
    before = {chart.id: chart for chart in pipeline.chart_views(old)}
    lines = []
    for chart in pipeline.chart_views(new):
        previous = before.get(chart.id)
        if previous is None:
            lines.append(f"{chart.id} (new): {chart.title_text}")
        elif previous != chart:
            title = (
                chart.title_text
                if previous.title_text == chart.title_text
                else (f"{previous.title_text} -> {chart.title_text}")
            )
            lines.append(f"{chart.id}: {title}")
    return lines


def changed_files(project: Project, old: pipeline.Inputs, new: pipeline.Inputs) -> list[str]:
    """The output files the new fact sheet changes, adds or removes."""
    after = pipeline.render(project, pipeline.assemble(new)).files
    try:
        before = pipeline.render(project, pipeline.assemble(old)).files
    except ContentError as exc:
        return [f"(the old fact sheet does not render with today's templates: {exc.problems[0]})"]
    paths = sorted(set(before) | set(after))
    return [
        p + ("" if p in before and p in after else " (new)" if p in after else " (removed)")
        for p in paths
        if before.get(p) != after.get(p)
    ]


def gather_from_text(project: Project, text: str, label: str) -> pipeline.Inputs:
    """The inputs with the fact sheet replaced by `text`; problems name `label` as their file."""
    with tempfile.TemporaryDirectory(prefix="torchsite-impact-") as folder:
        path = Path(folder) / "facts.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            return pipeline.gather(project, facts_file=path)
        except ContentError as exc:
            shown = display_path(path)
            raise ContentError(
                dataclasses.replace(p, file=label) if p.file == shown else p for p in exc.problems
            ) from None


def old_sheet(project: Project, against_: str) -> tuple[str, str]:
    """The older fact sheet's text and how to name it: a file, or a git revision of content/facts.yaml."""
    candidate = Path(against_)
    if candidate.is_file():
        return read_text(candidate), display_path(candidate)
    rel = project.facts.resolve().relative_to(project.root.resolve()).as_posix()
    try:
        done = subprocess.run(
            ["git", "-C", str(project.root), "show", f"{against_}:./{rel}"],
            capture_output=True,
            check=False,
        )
    except FileNotFoundError:
        raise UsageError("git is not installed; pass --against FILE instead") from None
    if done.returncode != 0:
        reason = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["unknown error"])[-1]
        raise UsageError(f"'{against_}' is neither a file nor a git revision with {rel} ({reason})")
    label = f"{against_}:{rel}"
    return decode(done.stdout, label), label


def _stated(figure: Figure | None) -> tuple[object, ...] | None:
    """What a fact states: value, hedge, unit and period."""
    return None if figure is None else (figure.value, figure.qualifier, figure.unit, figure.as_of)


def _change(before: Figure, after: Figure) -> str:
    """One changed figure: id, old text and new text."""
    return f"{after.id}: {before.text} -> {after.text}"


def _counts(path: str, counts: Counter[str]) -> str:
    """One output file with how often each figure appears in it."""
    return f"{path}: " + ", ".join(f"{i} x{n}" for i, n in sorted(counts.items()))


def _section(title: str, items: list[str], empty: str) -> list[str]:
    """A titled list, or the title with `empty` when there is nothing to list."""
    if not items:
        return [f"{title}: {empty}", ""]
    return [f"{title} ({len(items)}):", *(f"  {item}" for item in items), ""]
