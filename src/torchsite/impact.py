"""`torchsite impact`: everywhere a fact reaches, and what a changed fact sheet changes, before publishing.

Both reports read the site the build would write, rendered in memory, so they cover every page,
download and chart the build makes without a list of places to keep in step with it.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from torchsite import pipeline
from torchsite.charts import export
from torchsite.charts.model import Chart
from torchsite.errors import ContentError, Problem, UsageError, display_path
from torchsite.inputs import figures
from torchsite.inputs.config import Project
from torchsite.inputs.diagnostics import closest, read_bytes
from torchsite.inputs.figures import Figure
from torchsite.inputs.references import REF, fact_ids, parse
from torchsite.inputs.story import Story, plain_text
from torchsite.render.site import Build

_TEXT_FILES = (".csv", ".json", ".xml", ".txt", ".svg", ".js")


@dataclass(frozen=True)
class Citing:
    """One sentence of a Markdown document that cites figures, where it starts and how a reader reads it."""

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


def documents(project: Project, made: Build) -> list[tuple[Path, Story, dict[str, Figure]]]:
    """The Markdown documents whose numbers are fact references (the story, the methodology, then each edition's),
    with the figures as each writes them."""
    found = [(project.story, made.story, made.figures)]
    if made.methodology is not None:
        found.append((project.methodology, made.methodology, made.figures))
    for edition in made.editions:
        lang = edition.config.lang
        found.append((project.edition_story(lang), edition.story, edition.figures))
        if edition.methodology is not None:
            found.append((project.edition_methodology(lang), edition.methodology, edition.figures))
    return found


def sentences(path: Path, doc: Story, ids: set[str], figures: dict[str, Figure]) -> list[Citing]:
    """Every sentence of a document that cites one of `ids`, with its line and rendered text."""
    return [
        Citing(display_path(path), s.line, cited, reader_text(s.text, figures))
        for s in doc.sentences
        if (cited := tuple(i for i in dict.fromkeys(s.facts) if i in ids))
    ]


def reader_text(markdown: str, figures: dict[str, Figure]) -> str:
    """A sentence's Markdown as readers see it: references filled in (a figure no longer there as '[missing]')."""
    known = REF.sub(
        lambda m: m.group(0) if parse(m.group(1)).ident in figures or parse(m.group(1)).kind == "term" else "[missing]",
        markdown,
    )
    return plain_text(known, figures)


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


def located(made: Build, ident: str) -> str:
    """Where a fact or derived figure is defined: content/facts.yaml:LINE."""
    group = "facts" if made.figures[ident].kind == "fact" else "derived"
    ids = [f.id for f in made.sheet.facts] if group == "facts" else [d.id for d in made.sheet.derived]
    index = ids.index(ident)
    problem = made.sheet.problem((group, index, "id"), "")
    return f"{problem.file}:{problem.line}"


def describe(figure: Figure) -> str:
    """A figure in one line: its text, and its formula when derived."""
    return f"{figure.text}  ({figure.formula})" if figure.formula else figure.text


def reach(project: Project, ident: str, *, strict: bool = False) -> str:
    """The plain-text report of everywhere one fact or derived figure reaches (with `strict`, warnings stop it)."""
    made = pipeline.render_site(project, strict=strict)
    figures = made.figures
    if ident not in figures:
        hint = closest(ident, figures, "see content/facts.yaml for the ids")
        raise UsageError(f"no fact or derived figure '{ident}'; {hint}")
    users = dependents(figures, ident)
    ids = {ident, *users}
    figure = figures[ident]
    out = [f"{ident}: {figure.label}", f"  {figure.kind}, {figure.text}, defined at {located(made, ident)}", ""]
    out += _section(
        "Derived figures that use it", [f"{u} = {describe(figures[u])}" for u in users], "none: no formula uses it"
    )
    cited = [s for path, doc, written in documents(project, made) for s in sentences(path, doc, ids, written)]
    out += _section(
        "Sentences that cite it or a figure derived from it",
        [f"{s.file}:{s.line} [{', '.join(s.ids)}] {s.text}" for s in cited],
        "none",
    )
    keys = [k for k in made.config.key_figures if k in ids]
    out += _section(f"Key figures in {display_path(project.site)}", keys, "none")
    drawn = [
        f"{chart.id} [{', '.join(i for i in chart_ids(chart) if i in ids)}] {chart.title_text}"
        for chart in made.charts
        if ids & set(chart_ids(chart))
    ]
    out += _section(f"Charts in {display_path(project.charts)} that show it", drawn, "none")
    reached = reached_files(project, made, ident)
    shown = mentions(made.site.files, ids)
    out += _section("Pages that show it", [_reached(p, shown) for p in reached if p.endswith(".html")], "none")
    out += _section(
        "Downloads and other files that contain it",
        [_reached(p, shown) for p in reached if not p.endswith(".html")],
        "none",
    )
    return "\n".join(out).rstrip("\n") + "\n"


def reached_files(project: Project, made: Build, ident: str) -> list[str]:
    """Every output file whose bytes change when the figure's value changes: the site rendered again with it nudged
    in every edition. Chart images and the share image are exported as the build does (then cached).
    """
    editions = tuple(nudge(edition, ident) for edition in made.editions)  # every edition shows it
    other = pipeline.make_charts(dataclasses.replace(nudge(made, ident), editions=editions))
    after = pipeline.render(project, pipeline.export_charts(other, project)).site.files
    before = made.site.files
    return sorted(p for p in before if before[p] != after.get(p))  # a hashed image changes by leaving


def nudge(made: Build, ident: str) -> Build:
    """A build (one edition's) with a figure's value nudged: a fact in the sheet, so its derived figures move too, as
    an edit would move them; a derived figure only where it is shown."""
    figure = made.figures[ident]
    if figure.fact is not None:
        facts = [f.model_copy(update={"value": nudged(f.value)}) if f.id == ident else f for f in made.sheet.facts]
        sheet = made.sheet.model_copy(update={"facts": facts})
        return dataclasses.replace(made, sheet=sheet, figures=figures.compute(sheet, made.config.formatter()))
    changed = dataclasses.replace(figure, value=nudged(figure.value), text=f"{figure.text} (nudged)")
    return dataclasses.replace(made, figures={**made.figures, ident: changed})


def nudged(value: float | int | str) -> float | int | str:
    """Another value of the same kind: a number one and a half times itself plus one, a date a year or month on."""
    if isinstance(value, str):
        if value[:4].isdigit():
            return f"{int(value[:4]) + 1}{value[4:]}"
        month = int(value[2:4]) % 12 + 1  # '--MM-DD'
        return f"--{month:02d}{value[4:]}"
    return type(value)(value * 3 // 2 + 1) if isinstance(value, int) else value * 1.5 + 1


def _reached(path: str, shown: dict[str, Counter[str]]) -> str:
    """One reached file: how often each figure is marked in it, else where it shows unmarked."""
    if path in shown:
        return _counts(path, shown[path])
    if path.endswith(".html"):
        return f"{path}: in its share tags, or in the images it links"
    return f"{path}: in the drawing"


@dataclass(frozen=True)
class Revision:
    """One revision of the content, rendered exactly as the build renders it (chart images and share image too)."""

    label: str
    project: Project
    made: Build

    @property
    def files(self) -> dict[str, bytes]:
        """Every output file, by its path below the output folder."""
        return self.made.site.files


@dataclass(frozen=True)
class Comparison:
    """What publishing the current content would change, against an older revision."""

    label: str
    facts: list[tuple[str, str, str]]  # (id, before, after)
    added: list[str]
    removed: list[str]
    derived: list[tuple[str, str, str]]
    sentences: list[tuple[str, int, str, str]]  # (file, line, before, after); '' for none
    key_figures: list[str]
    charts: list[tuple[str, str, str]]  # (id, title before, title after); '' for none
    files: dict[str, str]  # output path -> changed | added | removed

    def as_json(self) -> dict[str, object]:
        """The report as JSON data: what an editor's tools or CI read."""
        return {
            "against": self.label,
            "facts": [{"id": i, "before": b, "after": a} for i, b, a in self.facts],
            "added": self.added,
            "removed": self.removed,
            "derived": [{"id": i, "before": b, "after": a} for i, b, a in self.derived],
            "sentences": [
                {"file": f, "line": n, "before": b or None, "after": a or None} for f, n, b, a in self.sentences
            ],
            "key_figures": self.key_figures,
            "charts": [{"id": i, "before": b or None, "after": a or None} for i, b, a in self.charts],
            "files": sorted(self.files),
            "files_added": sorted(p for p, how in self.files.items() if how == "added"),
            "files_removed": sorted(p for p, how in self.files.items() if how == "removed"),
        }


def against(project: Project, rev: str, *, strict: bool = False) -> Comparison:
    """Compare the current content with a git revision of it (or with a fact sheet file), built both in memory.

    With `strict`, the current content's warnings stop the comparison, as they would stop `build --strict`.
    """
    cache = export.cache_folder(project.root)
    new = Revision(display_path(project.content), project, pipeline.render_site(project, strict=strict, cache=cache))
    with tempfile.TemporaryDirectory(prefix="torchsite-impact-") as folder:
        return compare(old_revision(project, rev, Path(folder), cache), new)


def compare(old: Revision, new: Revision) -> Comparison:
    """Every difference between two rendered revisions that a reader would see."""
    before, after = old.made.figures, new.made.figures
    facts = [f.id for f in new.made.sheet.facts if f.id in before and _stated(before[f.id]) != _stated(after[f.id])]
    derived = [d.id for d in new.made.sheet.derived if d.id in before and before[d.id].text != after[d.id].text]
    added = [i for i in after if i not in before]
    touched = {*facts, *derived, *added}
    keys = [k for k in new.made.config.key_figures if k in touched or k not in old.made.config.key_figures]
    paths = sorted(set(old.files) | set(new.files))
    return Comparison(
        old.label,
        [(i, before[i].text, after[i].text) for i in facts],
        added,
        [i for i in before if i not in after],
        [(i, before[i].text, after[i].text) for i in derived],
        changed_sentences(old, new),
        keys,
        changed_charts(old.made.charts, new.made.charts),
        {
            p: "changed" if p in old.files and p in new.files else "added" if p in new.files else "removed"
            for p in paths
            if old.files.get(p) != new.files.get(p)
        },
    )


def text_report(c: Comparison) -> str:
    """The comparison as plain text for the terminal."""
    out = [f"Comparing content/ with {c.label}", ""]
    out += _section("Facts whose value or hedge changed", [f"{i}: {b} -> {a}" for i, b, a in c.facts], "none")
    if c.added or c.removed:
        out += _section("Added", c.added, "none") + _section("Removed", c.removed, "none")
    out += _section("Derived figures whose result changes", [f"{i}: {b} -> {a}" for i, b, a in c.derived], "none")
    sentences = [f"{f}:{n}" + _was_now(b, a) for f, n, b, a in c.sentences]
    out += _section("Sentences whose text changes", sentences, "none")
    out += _section("Key figures in content/site.yaml that change", c.key_figures, "none")
    charts = [f"{i}: " + (a if b == a else f"{b or '(new)'} -> {a or '(removed)'}") for i, b, a in c.charts]
    out += _section("Charts that change", charts, "none")
    files = [p + ("" if how == "changed" else f" ({how})") for p, how in c.files.items()]
    out += _section("Pages that change", [f for f in files if f.split(" ")[0].endswith(".html")], "none")
    out += _section(
        "Downloads and other files that change", [f for f in files if not f.split(" ")[0].endswith(".html")], "none"
    )
    return "\n".join(out).rstrip("\n") + "\n"


def changed_sentences(old: Revision, new: Revision) -> list[tuple[str, int, str, str]]:
    """Each sentence of the story and methodology (each edition's too) whose text changes, as readers read it, before
    and after."""
    found = []
    earlier = {e.config.lang: e for e in old.made.editions}
    pairs = [(old.made, new.made, new.project.story, new.project.methodology)]
    pairs += [
        (
            earlier[e.config.lang],
            e,
            new.project.edition_story(e.config.lang),
            new.project.edition_methodology(e.config.lang),
        )
        for e in new.made.editions
        if e.config.lang in earlier
    ]
    for before, after, *paths in pairs:
        found += _changed(before, after, paths)
    return found


def _changed(old: Build, new: Build, paths: list[Path]) -> list[tuple[str, int, str, str]]:
    """The sentences of one edition's story and methodology whose text changes."""
    found = []
    for name, path in zip(("story", "methodology"), paths, strict=True):
        was = all_sentences(getattr(old, name), old.figures)
        now = all_sentences(getattr(new, name), new.figures)
        shown = f"content/{path.name}"
        matcher = difflib.SequenceMatcher(None, [t for _, t in was], [t for _, t in now], autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                continue
            for k in range(max(i2 - i1, j2 - j1)):
                b = was[i1 + k] if i1 + k < i2 else None
                a = now[j1 + k] if j1 + k < j2 else None
                line = a[0] if a else now[j1 - 1][0] if j1 else 1  # a removed sentence: where it was, in the new file
                found.append((shown, line, b[1] if b else "", a[1] if a else ""))
    return found


def all_sentences(doc: Story | None, figures: dict[str, Figure]) -> list[tuple[int, str]]:
    """Every sentence of a Markdown document (line, text as readers read it)."""
    return [(s.line, reader_text(s.text, figures)) for s in doc.sentences] if doc is not None else []


def chart_ids(chart: Chart) -> list[str]:
    """The figures a chart shows: its rows and the references in its title."""
    return list(dict.fromkeys([*(row.id for row in chart.rows), *fact_ids(chart.spec.title)]))


def changed_charts(old: Sequence[Chart], new: Sequence[Chart]) -> list[tuple[str, str, str]]:
    """Each chart whose drawing, table, title or description differs: (id, title before, title after)."""
    before = {chart.id: chart for chart in old}
    after = {chart.id: chart for chart in new}
    found = [
        (c.id, before[c.id].title_text if c.id in before else "", c.title_text) for c in new if before.get(c.id) != c
    ]
    return found + [(c.id, c.title_text, "") for c in old if c.id not in after]


def old_revision(project: Project, rev: str, folder: Path, cache: Path) -> Revision:
    """The older content (a git revision's content/, or the current one with a fact sheet file) rendered in `folder`.

    The templates are today's: the comparison is of content, and problems are named by where the content came from.
    """
    old = Project(folder)
    if project.templates.is_dir():  # a project's own overrides; without them both use the package's templates
        shutil.copytree(project.templates, old.templates, ignore=_special)
    candidate = Path(rev)
    if not rev.startswith("-") and os.path.lexists(candidate):
        shutil.copytree(project.content, old.content, ignore=_special)
        old.facts.write_bytes(fact_sheet_file(project, candidate))
        label, names = display_path(candidate), {display_path(old.facts): display_path(candidate)}
    else:
        prefix = project.content.resolve().relative_to(project.root.resolve()).as_posix()
        label, names = f"{rev}:{prefix}/", {}
        for rel, data in git_files(project, rev, prefix):
            target = old.root / prefix / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            names[display_path(target)] = f"{rev}:{prefix}/{rel}"
    try:
        return Revision(label, old, pipeline.render_site(old, cache=cache))
    except ContentError as exc:
        raise ContentError(_renamed(p, names, folder, project) for p in exc.problems) from None


def _special(folder: str, names: list[str]) -> list[str]:
    """Names not copied into the older revision: FIFOs, devices and sockets (copying one would block or fail)."""
    return [n for n in names if not (Path(folder, n).is_file() or Path(folder, n).is_dir())]


def _renamed(problem: Problem, names: dict[str, str], folder: Path, project: Project) -> Problem:
    """A problem of the older revision named by where its content came from, never by the temporary folder."""
    shown = {display_path(folder), str(folder), str(folder.resolve())}
    root = display_path(project.root)
    file = names.get(problem.file, problem.file)
    texts = [file, problem.message, problem.hint or ""]
    for temporary in sorted(shown, key=len, reverse=True):  # the older content is named as the project's
        texts = [t.replace(f"{temporary}/", "" if root == "." else f"{root}/").replace(temporary, root) for t in texts]
    return dataclasses.replace(problem, file=texts[0], message=texts[1], hint=texts[2] or None)


def fact_sheet_file(project: Project, path: Path) -> bytes:
    """The bytes of an older fact sheet: a regular file inside the project (its links resolved), read bounded."""
    inside = path.resolve().is_relative_to(project.root.resolve())
    if not inside:
        raise UsageError(
            f"--against {display_path(path)} is outside the project; torchsite reads no file outside it "
            "(copy the older fact sheet into the project)"
        )
    return read_bytes(path, display_path(path))


def git_files(project: Project, rev: str, prefix: str) -> list[tuple[str, bytes]]:
    """Every file below `prefix` in a git revision of the project: (path below prefix, bytes)."""
    if rev.startswith("-"):  # an option, not a revision: never passed to git
        raise UsageError(f"'{rev}' is neither a file nor a git revision of the content (it starts with '-')")
    listing = _git(project, rev, "ls-tree", "-r", "--name-only", rev, "--", f"./{prefix}/")
    names = [n for n in listing.decode("utf-8").splitlines() if n]
    if not names:
        raise UsageError(f"'{rev}' has no {prefix}/ folder")
    return [(n.removeprefix(f"{prefix}/"), _git(project, rev, "show", f"{rev}:./{n}")) for n in names]


def _git(project: Project, rev: str, *args: str) -> bytes:
    """Run one git command in the project; a failure is a usage error naming the revision."""
    try:
        done = subprocess.run(["git", "-C", str(project.root), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise UsageError("git is not installed; pass --against FILE instead") from None
    if done.returncode != 0:  # git's own words only when it says why ('fatal: ...'), never its usage text
        fatal = [line[7:] for line in done.stderr.decode("utf-8", "replace").splitlines() if line.startswith("fatal: ")]
        reason = " ".join(fatal[-1].split())[:120] if fatal else "git does not know it"
        raise UsageError(f"'{rev}' is neither a file nor a git revision of the content ({reason})")
    return done.stdout


def _stated(figure: Figure | None) -> tuple[object, ...] | None:
    """What a fact states: value, hedge, unit and period."""
    return None if figure is None else (figure.value, figure.qualifier, figure.unit, figure.as_of)


def _was_now(before: str, after: str) -> str:
    """A changed sentence's text before and after, each on its own indented line when there is one."""
    return (f"\n      was: {before}" if before else "") + (f"\n      now: {after}" if after else "")


def _counts(path: str, counts: Counter[str]) -> str:
    """One output file with how often each figure appears in it."""
    return f"{path}: " + ", ".join(f"{i} x{n}" for i, n in sorted(counts.items()))


def _section(title: str, items: list[str], empty: str) -> list[str]:
    """A titled list, or the title with `empty` when there is nothing to list."""
    if not items:
        return [f"{title}: {empty}", ""]
    return [f"{title} ({len(items)}):", *(f"  {item}" for item in items), ""]
