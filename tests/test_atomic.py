"""Atomic output: checks run in staging, and no failure, Ctrl-C, disk error or second build leaves
dist/ half-written or a staging folder behind; exit codes 0/1/2/3 with a traceback only when asked."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers.project import Result, edit, leftovers, line_of, override, tree_hash
from torchsite.inputs import figures
from torchsite.output import publish
from torchsite.render import pages


def interrupt(*args: object, **kwargs: object) -> None:
    """Stand in for a step the user interrupts with Ctrl-C."""
    raise KeyboardInterrupt


def test_ctrl_c_while_gathering(
    project: Path, dist_before: str, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(figures, "read", interrupt)
    result = cli("build")
    assert (result.code, result.err) == (130, "torchsite: interrupted; nothing was written\n")
    assert tree_hash(project / "dist") == dist_before and leftovers(project) == []


def test_ctrl_c_while_rendering(
    project: Path, dist_before: str, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "render", interrupt)
    result = cli("build")
    assert (result.code, result.err) == (130, "torchsite: interrupted; nothing was written\n")
    assert tree_hash(project / "dist") == dist_before and leftovers(project) == []


def test_ctrl_c_while_writing(
    project: Path, dist_before: str, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = publish.write_tree

    def half_then_interrupt(files: dict[str, bytes], root: Path) -> None:
        real(dict(list(sorted(files.items()))[:1]), root)  # one file written, then Ctrl-C
        raise KeyboardInterrupt

    edit(project / "content" / "facts.yaml", "value: 9020000000", "value: 9520000000")
    monkeypatch.setattr(publish, "write_tree", half_then_interrupt)
    result = cli("build")
    assert (result.code, result.err) == (130, "torchsite: interrupted; nothing was written\n")
    assert tree_hash(project / "dist") == dist_before and leftovers(project) == []


def test_the_swap_is_one_step_where_the_system_allows(
    project: Path, dist_before: str, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """dist/ is exchanged with the staging folder in one rename: it never goes missing, no old folder is made."""
    probe = tempfile.mkdtemp(dir=project)
    (Path(probe) / "a").mkdir()
    (Path(probe) / "b").mkdir()
    if not publish.exchange(Path(probe) / "a", Path(probe) / "b"):
        pytest.skip("this file system cannot exchange two folders in one step")
    shutil.rmtree(probe)
    made = []
    real = publish.tempfile.mkdtemp

    def mkdtemp(prefix: str, dir: Path) -> str:
        made.append(prefix)
        return real(prefix=prefix, dir=dir)

    monkeypatch.setattr(publish.tempfile, "mkdtemp", mkdtemp)
    edit(project / "content" / "facts.yaml", "value: 9020000000", "value: 9520000000")
    assert cli("build").code == 0
    assert made == [".dist-staging-"]  # no "-old-" folder: the old site left through the staging folder
    assert tree_hash(project / "dist") != dist_before and leftovers(project) == []


def test_ctrl_c_just_before_the_exchange(
    project: Path, dist_before: str, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(project / "content" / "facts.yaml", "value: 9020000000", "value: 9520000000")
    monkeypatch.setattr(publish, "exchange", interrupt)
    assert cli("build").code == 130
    assert tree_hash(project / "dist") == dist_before and leftovers(project) == []


@pytest.mark.parametrize("call", [1, 2])
def test_ctrl_c_during_a_two_step_swap_restores_the_old_site(
    project: Path,
    dist_before: str,
    cli: Callable[..., Result],
    monkeypatch: pytest.MonkeyPatch,
    call: int,
) -> None:
    """Where folders cannot be exchanged: Ctrl-C at the first rename (dist -> old) or the second (staging -> dist)."""
    calls = []
    real = os.rename

    def rename(src: str | Path, dst: str | Path) -> None:
        calls.append(src)
        if len(calls) == call:
            raise KeyboardInterrupt
        real(src, dst)

    edit(project / "content" / "facts.yaml", "value: 9020000000", "value: 9520000000")
    monkeypatch.setattr(publish, "exchange", lambda a, b: False)
    monkeypatch.setattr(publish.os, "rename", rename)
    result = cli("build")
    assert result.code == 130
    assert tree_hash(project / "dist") == dist_before and leftovers(project) == []


@pytest.mark.parametrize("one_step", [True, False])
def test_a_real_sigint_during_the_swap_waits_for_it_to_finish(
    project: Path, dist_before: str, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch, one_step: bool
) -> None:
    real_rename, real_exchange = os.rename, publish.exchange

    def rename(src: str | Path, dst: str | Path) -> None:
        if Path(src).absolute().is_relative_to(project):  # the swap's renames, not another thread's
            signal.raise_signal(signal.SIGINT)  # Ctrl-C mid-swap, in this thread (xdist has others)
        real_rename(src, dst)

    def exchange(a: Path, b: Path) -> bool:
        signal.raise_signal(signal.SIGINT)
        return real_exchange(a, b)

    edit(project / "content" / "facts.yaml", "value: 9020000000", "value: 9520000000")
    monkeypatch.setattr(publish.os, "rename", rename)
    monkeypatch.setattr(publish, "exchange", exchange if one_step else lambda a, b: False)
    result = cli("build")
    assert (result.code, result.err) == (130, "torchsite: interrupted after the new site was complete and in place\n")
    monkeypatch.undo()
    assert "9.52 billion yuan" in (project / "dist" / "index.html").read_text(encoding="utf-8")
    new = tree_hash(project / "dist")
    assert new != dist_before and leftovers(project) == []
    # Complete: a clean rebuild is identical. Ctrl-C ends the command, so the next build is a new process (in this
    # one filelock 4.3 has, once in a few full runs, kept its hold on the lock after the interrupted release).
    rebuilt = subprocess.run([sys.executable, "-m", "torchsite", "build", "-q"], cwd=project, capture_output=True)
    assert rebuilt.returncode == 0, rebuilt.stderr.decode()
    assert tree_hash(project / "dist") == new


def test_disk_error_during_the_swap(
    project: Path, dist_before: str, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = os.rename
    calls = []

    def rename(src: str | Path, dst: str | Path) -> None:
        calls.append(src)
        if len(calls) == 2:
            raise OSError(18, "Invalid cross-device link", str(src))
        real(src, dst)

    monkeypatch.setattr(publish, "exchange", lambda a, b: False)
    monkeypatch.setattr(publish.os, "rename", rename)
    result = cli("build")
    assert result.code == 1
    assert result.err.startswith("torchsite: error: cannot write the site (Invalid cross-device link at .dist-staging-")
    assert result.err.endswith("); dist/ was left as it was\n")
    assert "Traceback" not in result.err
    assert tree_hash(project / "dist") == dist_before and leftovers(project) == []


def test_a_second_build_waits_for_none_and_says_why(
    project: Path, dist_before: str, cli: Callable[..., Result]
) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, sys\n"
            "handle = open(sys.argv[1], 'w')\n"
            "fcntl.flock(handle, fcntl.LOCK_EX)\n"
            "print('locked', flush=True)\n"
            "sys.stdin.read()\n",
            str(project / ".dist.lock"),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        edit(project / "content" / "facts.yaml", "value: 9020000000", "value: 9520000000")
        result = cli("build")
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait()
        holder.stdout.close()
    assert (result.code, result.err) == (
        1,
        "torchsite: error: another build is writing dist right now (lock .dist.lock); wait for it to finish\n",
    )
    assert tree_hash(project / "dist") == dist_before and leftovers(project) == []
    assert cli("build").code == 0  # once the other build is done, this one goes through


def marked_page(project: Path, cli: Callable[..., Result], href: str) -> tuple[str, int, int]:
    """Put a marked link into the story template, build, and return where it lands in dist/index.html."""
    template = override(project, "story.html")
    edit(template, '<article class="story">', f'<article class="story"><a id="probe" href="{href}">probe</a>')
    assert cli("build").code == 0
    html = (project / "dist" / "index.html").read_text(encoding="utf-8")
    line = line_of(project / "dist" / "index.html", 'id="probe"')
    return tree_hash(project / "dist"), line, html.splitlines()[line - 1].index("<a id=") + 1


@pytest.mark.parametrize(
    ("href", "message"),
    [
        (
            "no-such-page/",
            "link 'no-such-page/' points to a missing file "
            "(hint: a template or the story links to a page or asset that is not built)",
        ),
        ("facts/#no_such_fact", "link 'facts/#no_such_fact' points to a missing anchor '#no_such_fact'"),
        ("javascript:alert(1)", "link 'javascript:alert(1)' has a disallowed scheme"),
        ("data:text/html,hi", "link 'data:text/html,hi' has a disallowed scheme"),
        (
            "../outside.html",
            "link '../outside.html' points to a missing file "
            "(hint: a template or the story links to a page or asset that is not built)",
        ),
    ],
)
def test_links_are_checked_in_staging(project: Path, cli: Callable[..., Result], href: str, message: str) -> None:
    before, _, _ = marked_page(project, cli, "facts/")
    template = project / "templates" / "story.html"
    edit(template, 'href="facts/">probe', f'href="{href}">probe')
    line = line_of(template, 'id="probe"')
    col = template.read_text(encoding="utf-8").splitlines()[line - 1].index(href) + 1
    result = cli("build")
    assert result.err.splitlines() == [  # at the template line that wrote it, not in the staging folder
        f"templates/story.html:{line}:{col}: {message}",
        "torchsite: 1 problem; nothing was written",
    ]
    assert result.code == 1
    assert tree_hash(project / "dist") == before and leftovers(project) == []


def test_every_stylesheet_asset_exists(
    project: Path, dist_before: str, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    css = b"body { background: url('fonts/paper.png') }\n"
    monkeypatch.setattr(pages, "static_file", lambda name: css)
    (project / "templates" / "project.css").unlink(missing_ok=True)  # the package's stylesheet alone
    result = cli("build")
    name = f"site.{hashlib.sha256(css).hexdigest()[:10]}.css"
    assert result.err.splitlines() == [
        f"torchsite/static/site.css: link 'fonts/paper.png' points to a missing file (in dist/assets/{name}:1) "
        "(hint: a template or the story links to a page or asset that is not built)",
        "torchsite: 1 problem; nothing was written",
    ]
    assert tree_hash(project / "dist") == dist_before and leftovers(project) == []


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda root: (root / "stray.txt").write_text("x"), "dist/stray.txt: written but not part of the site"),
        (lambda root: (root / "index.html").write_text("x"), "dist/index.html: the written file differs from the site"),
        (lambda root: (root / "index.html").unlink(), "dist/index.html: missing from the written site"),
        (lambda root: (root / "up").symlink_to(".."), "dist/up: not a regular file or folder"),
    ],
)
def test_the_staged_tree_is_exactly_the_site(
    project: Path,
    dist_before: str,
    cli: Callable[..., Result],
    monkeypatch: pytest.MonkeyPatch,
    damage: Callable[[Path], object],
    message: str,
) -> None:
    real = publish.write_tree

    def write_then_damage(files: dict[str, bytes], root: Path) -> None:
        real(files, root)
        damage(root)

    monkeypatch.setattr(publish, "write_tree", write_then_damage)
    result = cli("build")
    assert result.err.splitlines()[0] == message
    assert result.code == 1
    assert tree_hash(project / "dist") == dist_before and leftovers(project) == []


def test_usage_errors_exit_2_without_traceback(project: Path, cli: Callable[..., Result]) -> None:
    unknown = cli("build", "--frobnicate")
    assert unknown.code == 2 and "error: unrecognized arguments: --frobnicate" in unknown.err
    missing = cli("build", "--project", "no-such-folder")
    assert (missing.code, missing.err) == (
        2,
        "torchsite: error: no content/ folder in no-such-folder (use --project DIR)\n",
    )
    (project / "source.txt").write_bytes(b"\xff\xfe not text")
    for source, why in (
        ("absent.txt", "No such file or directory"),
        ("source.txt", "not valid UTF-8"),
        (".", "it is a folder, not a regular file"),
    ):
        result = cli("check", "--source", source)
        assert (result.code, result.err) == (2, f"torchsite: error: cannot read the source {source}: {why}\n")
    assert not (project / "dist").exists()


def test_traceback_only_for_a_bug_or_with_verbose(
    project: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(project / "content" / "facts.yaml", "value: 43\n", "value: 1e3\n")
    quiet = cli("check")
    assert quiet.code == 1 and "Traceback" not in quiet.err
    verbose = cli("check", "-v")
    assert verbose.code == 1 and verbose.err.startswith("Traceback (most recent call last):")
    assert verbose.err.splitlines()[-2:] == quiet.err.splitlines()[-2:]

    def bug(*args: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(figures, "read", bug)
    crashed = cli("check")
    assert crashed.code == 3
    assert "Traceback (most recent call last):" in crashed.err and "ZeroDivisionError: a bug" in crashed.err
    assert crashed.err.endswith("please report it with the traceback above\n")


def test_the_output_folder_must_not_hold_the_inputs(project: Path, cli: Callable[..., Result]) -> None:
    override(project, "story.html")  # a project's own templates are inputs too
    for out, what in ((".", "holds the project itself"), ("content", "is inside the project's content/")):
        result = cli("build", "--out", out)
        assert (result.code, result.err) == (
            2,
            f"torchsite: error: --out {out} {what}; building there would replace it "
            "(use a folder of its own, such as dist)\n",
        )
    (project / "notes.txt").write_text("keep", encoding="utf-8")
    result = cli("build", "--out", "notes.txt")
    assert (result.code, result.err) == (
        2,
        "torchsite: error: the output notes.txt exists and is not a folder; choose another --out\n",
    )
    assert (project / "notes.txt").read_text(encoding="utf-8") == "keep"
    assert sorted(p.name for p in project.iterdir()) == ["content", "notes.txt", "templates"]


def test_an_unreadable_input_is_a_located_problem(
    project: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = os.open  # content is opened with os.open (O_NONBLOCK, so a FIFO swapped in cannot block)

    def deny(path: str | Path, flags: int, *args: int, **kwargs: object) -> int:
        if Path(path).name == "site.yaml":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", deny)
    result = cli("check")
    assert (result.code, result.err.splitlines()) == (
        1,
        ["content/site.yaml: cannot be read: Permission denied", "torchsite: 1 problem; nothing was written"],
    )
