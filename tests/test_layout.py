"""The package's layout: rooms that follow the pipeline, and no import cycles, type-only ones included."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "torchsite"


def module_name(path: Path) -> str:
    """The dotted name of a module file below the package."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    """Every module of the package by its dotted name."""
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path, name: str, known: set[str]) -> set[str]:
    """The package's modules this module imports anywhere: at the top, in functions, under TYPE_CHECKING."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {m for m in found if m in known and m != name}


def graph() -> dict[str, set[str]]:
    """Who imports whom inside the package (a package's __init__ is not counted as a dependency of its modules)."""
    mods = modules()
    return {name: imports(path, name, set(mods)) for name, path in mods.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(edges[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in edges[node]:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles_between_modules() -> None:
    assert cycles(graph()) == []


def test_the_cycle_finder_sees_a_type_only_cycle(tmp_path: Path) -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(edges) == [["a", "b", "c"]]
    source = tmp_path / "m.py"
    source.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from torchsite.pipeline import Report\n"
    )
    assert imports(source, "torchsite.m", {"torchsite.pipeline"}) == {"torchsite.pipeline"}


def test_at_most_ten_modules_at_the_top_the_rest_in_rooms() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 10, top
    rooms = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists())
    assert rooms == ["charts", "inputs", "output", "render"]


@pytest.mark.parametrize("name", ["numbers", "site", "progress"])
def test_no_module_named_after_the_standard_library_or_a_pipeline_twin(name: str) -> None:
    assert not (PACKAGE / f"{name}.py").exists()


# The floors, bottom up: a module imports only from its own floor or below. Errors and reporting are the ground;
# the rooms follow the pipeline (inputs -> charts -> render -> output); the commands at the top may use them all.
FLOORS = {"errors": 0, "report": 0, "inputs": 1, "charts": 2, "render": 3, "output": 4}
TOP = 5


def floor(module: str) -> int:
    """A module's floor: its room's, the ground's for errors and report, else the top (pipeline, cli, serve...)."""
    parts = module.split(".")
    return FLOORS.get(parts[1], TOP) if len(parts) > 1 else TOP


def upward(edges: dict[str, set[str]]) -> list[str]:
    """Every import that runs up a floor, as 'importer -> imported'."""
    return sorted(f"{a} -> {b}" for a, deps in edges.items() for b in deps if floor(b) > floor(a))


def test_no_import_runs_up_a_floor() -> None:
    assert upward(graph()) == []


def test_a_planted_upward_import_is_found(tmp_path: Path) -> None:
    source = tmp_path / "units.py"
    source.write_text("def f():\n    from torchsite.render.markdown import render\n    return render\n")
    known = {"torchsite.render.markdown", "torchsite.inputs.units"}
    edges = {"torchsite.inputs.units": imports(source, "torchsite.inputs.units", known)}
    assert upward(edges) == ["torchsite.inputs.units -> torchsite.render.markdown"]
    assert upward({"torchsite.charts.make": {"torchsite.inputs.story"}}) == []  # down a floor is fine


def test_every_room_has_a_floor() -> None:
    rooms = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert rooms <= set(FLOORS)


def test_the_readme_names_each_room_on_its_floor() -> None:
    readme = (PACKAGE.parents[1] / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d) \| `(\w+)/` \|", readme, re.MULTILINE)
    assert {room: int(number) for number, room in rows} == {r: f for r, f in FLOORS.items() if f}
