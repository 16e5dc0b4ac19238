"""Random damage to the real fact sheet (facts and claims), story, chart specs, site settings (units included) and a
template override: never a traceback, never a change outside the output folder, dist/ byte-identical after every
failed build, and every build within a time bound. Bounded for CI: a fixed number of examples, no browser (charts
fall back to their tables), and one project copy for all of them."""

from __future__ import annotations

import io
import shutil
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.project import copy_project, tree_hash
from torchsite.cli import main
from torchsite.render.templates import PACKAGE_TEMPLATES

FILES = ("content/facts.yaml", "content/story.md", "content/charts.yaml", "content/site.yaml", "templates/404.html")
UNITS = "units:\n  widgets:\n    singular: widget\n    plural: widgets\n"  # a units table, for the fuzz to damage
SECONDS = 60  # per build without a browser (about 3 s here): a hang or a quadratic blow-up fails, a slow CI does not
HOSTILE = [
    "\u202e",
    "\u2066",
    "\u200b",
    "\ufeff",
    "\x00",
    "\x1b",
    "\r",
    "\t",
    "\u2028",
    "\u0430",
    "{{",
    "}}",
    "{{zone_age}}",
    "{{chart:growth}}",
    "{{main}}",
    ": ",
    "- ",
    "'",
    '"',
    "#",
    "&a",
    "*a",
    "!!str ",
    "---\n",
    "[" * 60,
    "9" * 40,
    "-1",
    "1e999",
    ".nan",
    "0x1F",
    "yes",
    "null",
    "~",
    "<script>alert(1)</script>",
    '"><meta http-equiv="refresh" content="0">',
    "<a href=https://evil.example>x</a>",
    "=1+1",
    "\n  x: 1\n",
    "main",
    "../..",
    "e\u0301",
    "  ",
    "\n\n",
    '"\\0"',
    '"\\e[2J\\e]8;;http://evil.example/\\e\\\\"',
    '"\\x01"',
    '"\\u202e"',
    "'2020-02-30'",
    "'--02-30'",
    "'0000-01'",
    "<a " * 600,
    "+output_start" * 60,
    "lang: en-" + "a" * 200,
    "{{ cycler.__init__.__globals__.os.popen('touch pwned').read() }}",
    "{{ ''.__class__.__mro__ }}",
    "{% include '404.html' %}",
    "{{ 'a' * 99999999 }}",
    "{{ 9 ** 99999999 }}",
    "{{ nav.append(1) }}",
    "{% for i in range(10) %}{{ url_for('facts') }}{% endfor %}",
]
OUTSIDE = {"content", "templates", "dist", ".dist.lock"}  # all a build may leave in the project folder


def mutate(text: str, op: str, where: float, payload: str) -> str:
    """One change to a file's text: insert, delete a span, replace a line, or duplicate a line."""
    at = int(where * len(text))
    if op == "insert":
        return text[:at] + payload + text[at:]
    if op == "delete":
        return text[:at] + text[at + len(payload) * 3 + 1 :]
    lines = text.split("\n")
    index = int(where * (len(lines) - 1))
    lines[index] = payload if op == "replace" else lines[index] + "\n" + lines[index]
    return "\n".join(lines)


def build(project: Path) -> int:
    """`torchsite build -q --project PROJECT`, its output swallowed; the exit code."""
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
        return main(["build", "-q", "--project", str(project)])


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the real project, built once without a browser."""
    root = copy_project(tmp_path_factory.mktemp("fuzz"))
    (root / "templates").mkdir(exist_ok=True)  # the real project has its own
    shutil.copyfile(PACKAGE_TEMPLATES / "404.html", root / "templates" / "404.html")
    with (root / "content" / "site.yaml").open("a", encoding="utf-8") as site:
        site.write(UNITS)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TORCHSITE_BROWSER", str(root / "no-browser"))
        assert build(root) == 0
    return root


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.sampled_from(FILES),
    op=st.sampled_from(["insert", "delete", "replace", "duplicate"]),
    where=st.floats(0, 1),
    payload=st.one_of(st.sampled_from(HOSTILE), st.text(max_size=12)),
)
def test_damaged_content_never_crashes_nor_touches_anything_but_dist(
    fuzzed: Path, monkeypatch: pytest.MonkeyPatch, name: str, op: str, where: float, payload: str
) -> None:
    monkeypatch.setenv("TORCHSITE_BROWSER", str(fuzzed / "no-browser"))
    path = fuzzed / name
    original = path.read_bytes()
    before = tree_hash(fuzzed / "dist")
    path.write_bytes(mutate(original.decode("utf-8"), op, where, payload).encode("utf-8", "surrogatepass"))
    inputs = tree_hash(fuzzed / "templates"), tree_hash(fuzzed / "content"), sorted(fuzzed.parent.iterdir())
    try:
        start = time.monotonic()
        code = build(fuzzed)
        took = time.monotonic() - start
        assert code in (0, 1), f"exit {code} after {op} {payload!r} in {name}"
        assert took < SECONDS, f"{took:.0f} s after {op} {payload!r} in {name}"
        if code == 1:
            assert tree_hash(fuzzed / "dist") == before
        assert {p.name for p in fuzzed.iterdir()} <= OUTSIDE
        assert (tree_hash(fuzzed / "templates"), tree_hash(fuzzed / "content"), sorted(fuzzed.parent.iterdir())) == (
            inputs
        )
    finally:
        path.write_bytes(original)
