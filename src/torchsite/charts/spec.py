"""Chart specs (content/charts.yaml): a strict model an editor writes, checked against the figures."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Union

from pydantic import Field, ValidationError
from pydantic_core import ErrorDetails

from torchsite.charts.base import ChartBase
from torchsite.charts.registry import KINDS, kind_of
from torchsite.errors import ContentError, Problem, attempt
from torchsite.inputs import story
from torchsite.inputs.diagnostics import Key, choices, closest, fields_at, read_text, schema_problem
from torchsite.inputs.facts import Strict
from torchsite.inputs.figures import Figure
from torchsite.inputs.references import fact_ids
from torchsite.inputs.yamldoc import Document, load_yaml

if TYPE_CHECKING:
    ChartSpec = ChartBase  # statically, a spec is one of the kinds' models
else:
    ChartSpec = Annotated[Union[tuple(k.spec_model for k in KINDS.values())], Field(discriminator="type")]  # noqa: UP007
TYPES: dict[str, type[ChartBase]] = {name: k.spec_model for name, k in KINDS.items()}


class ChartFile(Strict):
    """The whole charts.yaml."""

    charts: list[ChartSpec] = Field(
        default_factory=list, description="The charts; each picks its kind with `type:` and draws figures by id"
    )


@dataclass(frozen=True)
class Charts:
    """charts.yaml as read: its valid specs, and the document that locates them (None: no file)."""

    specs: tuple[ChartSpec, ...] = ()
    doc: Document | None = None
    indexes: tuple[int, ...] = ()  # each spec's place in the file (specs after a refused entry keep theirs)
    broken: tuple[str, ...] = ()  # ids of entries refused: the story may still place them without a second error
    mentioned: frozenset[str] = frozenset()  # every id-like word a refused entry holds: no 'not used' warning for them
    ids_known: bool = True  # False when a refused entry's own id is unreadable: the story's chart lines go unchecked
    warnings: tuple[Problem, ...] = ()  # charts that are valid but would mislead for their figures

    def ids(self) -> list[str] | None:
        """The chart ids the story may place (None: unknown, so its chart lines are not checked)."""
        return [*(c.id for c in self.specs), *self.broken] if self.ids_known else None

    def unplaced(self, placed: Collection[str]) -> list[Problem]:
        """Every chart the story does not place: its page would link back to a place in the story that is not there."""
        return [
            self.doc.problem(
                ("charts", i, "id"),
                f"chart '{chart.id}' is placed nowhere in content/story.md",
                f"add a line of its own, {{{{chart:{chart.id}}}}}, where the story needs it, or remove the chart",
            )
            for i, chart in zip(self.indexes or range(len(self.specs)), self.specs, strict=True)
            if self.doc is not None and chart.id not in placed
        ]


def load(path: Path, figures: dict[str, Figure]) -> list[ChartSpec]:
    """Load and validate charts.yaml; a missing file means no charts."""
    charts, problems = read(path, figures)
    if charts is None or problems:
        raise ContentError(problems)
    return list(charts.specs)


def read(path: Path, figures: dict[str, Figure] | None) -> tuple[Charts | None, list[Problem]]:
    """Read charts.yaml once and check it against the figures (None: unknown, so not checked); no file, no charts."""
    if not path.exists():
        return Charts(), []
    doc, problems = attempt(lambda: load_yaml(path))
    if doc is None:
        return None, problems
    try:
        spec = ChartFile.model_validate(doc.data)
    except ValidationError as exc:
        if figures is None:
            return None, [locate(doc, err) for err in exc.errors()]
        return _the_rest(doc, exc, figures)
    if figures is None:
        return None, []  # its figures are unknown: every mark would be one more error about the fact sheet
    problems = check(doc, spec.charts, figures)
    errors = [p for p in problems if p.is_error]
    warnings = tuple(p for p in problems if not p.is_error)  # valid charts that would mislead: said, not refused
    indexes = tuple(range(len(spec.charts)))
    return Charts(tuple(spec.charts), doc, indexes, (), frozenset(), not errors, warnings), errors


def _the_rest(doc: Document, exc: ValidationError, figures: dict[str, Figure]) -> tuple[Charts | None, list[Problem]]:
    """The entries a schema error leaves valid, checked in the same pass; the refused ones named, not forgotten."""
    problems = [locate(doc, err) for err in exc.errors()]
    entries = doc.data.get("charts") if isinstance(doc.data, dict) else None
    bad = {e["loc"][1] for e in exc.errors() if len(e["loc"]) > 1 and e["loc"][0] == "charts"}
    if not isinstance(entries, list) or not bad or not all(isinstance(i, int) for i in bad):
        return None, problems
    bad_at = {int(i) for i in bad}
    kept = [i for i in range(len(entries)) if i not in bad_at]
    try:
        rest = ChartFile.model_validate({**doc.data, "charts": [entries[i] for i in kept]})
    except ValidationError:
        return None, problems
    refused = [entries[i] for i in sorted(bad_at)]
    broken = tuple(str(e["id"]) for e in refused if isinstance(e, dict) and isinstance(e.get("id"), str))
    known = len(broken) == len(refused) and not any(
        e["loc"][2:3] == ("id",) or "id" in e["loc"][3:4] for e in exc.errors()
    )
    mentioned = frozenset(re.findall(r"[a-z][a-z0-9_]*", repr(refused)))
    checked = check(doc, rest.charts, figures, kept)
    found = [p for p in checked if p.is_error]
    warnings = tuple(p for p in checked if not p.is_error)
    charts = Charts(tuple(rest.charts), doc, tuple(kept), broken, mentioned, known and not found, warnings)
    return charts, problems + found


def mentioned(path: Path) -> set[str]:
    """Every id-like word of a charts file that could not be read: the figures it meant to draw count as used."""
    try:
        text = read_text(path)  # a regular file of bounded size only, like every content file
    except ContentError:
        return set()
    return set(re.findall(r"[a-z][a-z0-9_]*", text))


def locate(doc: Document, err: ErrorDetails) -> Problem:
    """A pydantic error as a located problem; the union's tag is dropped from the path."""
    loc = list(err["loc"])
    member: type[ChartBase] | None = None
    if len(loc) >= 3 and loc[0] == "charts" and isinstance(loc[1], int) and loc[2] in TYPES:
        member = TYPES[str(loc.pop(2))]
    if err["type"] == "union_tag_invalid":
        got = err.get("ctx", {}).get("tag", "")
        return doc.problem((*loc, "type"), f"unknown chart type '{got}'", choices(str(got), list(TYPES)))
    if err["type"] == "union_tag_not_found":
        return doc.problem(
            tuple(loc), "required field 'type' is missing", "add 'type:' with one of: " + ", ".join(TYPES)
        )
    problem = schema_problem(doc, {**err, "loc": tuple(loc)}, ChartFile)
    if err["type"] == "extra_forbidden" and member is not None:
        allowed = fields_at(member, tuple(loc[2:-1]))
        problem = replace(problem, hint=choices(str(loc[-1]), allowed))
    return problem


def check(
    doc: Document, charts: list[ChartSpec], figures: dict[str, Figure], indexes: list[int] | None = None
) -> list[Problem]:
    """Ids unique, every referenced figure known and of a kind the chart type can draw (indexes: their places); then
    each kind's warnings for a chart that would mislead for its figures."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for i, chart in zip(indexes or range(len(charts)), charts, strict=True):
        here: Key = ("charts", i)
        if chart.id in seen:
            first = doc.position(("charts", seen[chart.id], "id"))[0]
            problems.append(
                doc.problem(
                    (*here, "id"),
                    f"duplicate chart id '{chart.id}' (first used on line {first})",
                    "give each chart its own id: it is the slug of its page, charts/ID/",
                )
            )
        seen.setdefault(chart.id, i)
        problems += _check_text(doc, (*here, "title"), chart.title, figures)
        if chart.note:
            problems += _check_text(doc, (*here, "note"), chart.note, figures)
        problems += _check_marks(doc, here, chart, figures)
    return problems


def _check_text(doc: Document, path: Key, text: str, figures: dict[str, Figure]) -> list[Problem]:
    """A title or note follows the story's rules: references resolve, no typed digits."""
    found, _ = story.check(text, doc.name, {i: f.as_of for i, f in figures.items()}, charts=())
    return [doc.problem(path, p.message, p.hint) for p in found]


def _check_marks(doc: Document, here: Key, chart: ChartSpec, figures: dict[str, Figure]) -> list[Problem]:
    """Each mark names a known figure that this chart type can draw; then the kind's own checks."""
    kind = kind_of(chart)
    problems: list[Problem] = []
    for path, ident in kind.references(chart):
        where = (*here, *path)
        if ident not in figures:
            problems.append(doc.problem(where, f"unknown fact '{ident}'", closest(ident, figures)))
            continue
        wrong = kind.unfit(chart, path, figures[ident])
        if wrong:
            problems.append(doc.problem(where, wrong[0], wrong[1]))
    return problems or kind.check(doc, here, chart, figures) or kind.warnings(doc, here, chart, figures)


def used(charts: Iterable[ChartSpec]) -> list[str]:
    """Every figure id the charts draw or cite in their titles and notes."""
    charts = list(charts)
    ids = [ident for chart in charts for _, ident in kind_of(chart).references(chart)]
    texts = [t for chart in charts for t in (chart.title, chart.note) if t]
    return ids + [ident for text in texts for ident in fact_ids(text)]
