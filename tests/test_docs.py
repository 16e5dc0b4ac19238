"""The README's command table keeps in step with `torchsite --help` and each subcommand's `--help`."""

from __future__ import annotations

import re

import pytest

from helpers.project import REPO
from torchsite.cli import parser

# The first cell of each row of the table under "## Commands": `torchsite build [--out DIR] [--strict]`.
ROW = re.compile(r"^\| `([^`]+)` \|", re.MULTILINE)
OPTION = re.compile(r"(?<![\w-])--?[a-z][\w-]*")


def help_of(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """What `torchsite ARGS... --help` prints."""
    with pytest.raises(SystemExit) as stopped:
        parser().parse_args([*args, "--help"])
    assert stopped.value.code == 0
    return capsys.readouterr().out


def readme_rows() -> dict[str, list[str]]:
    """Each `torchsite ...` row of the README's command table, by subcommand: the commands the row names."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Commands\n", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, list[str]] = {}
    for command in ROW.findall(section):
        words = command.split()
        if words[0] == "torchsite":
            rows.setdefault(words[1], []).append(command)
    return rows


def subcommands(capsys: pytest.CaptureFixture[str]) -> list[str]:
    """The subcommands `torchsite --help` lists under COMMAND, one per line with its summary."""
    listing = help_of(capsys).split("\n  COMMAND\n", 1)[1].split("\n\n", 1)[0]
    names = re.findall(r"^    (\w[\w-]*) ", listing, re.MULTILINE)
    assert names, "torchsite --help lists no subcommands"
    return names


def test_the_readme_table_and_the_help_name_the_same_subcommands(capsys: pytest.CaptureFixture[str]) -> None:
    assert sorted(readme_rows()) == sorted(subcommands(capsys))


def test_every_option_a_readme_row_names_is_in_that_subcommands_help(capsys: pytest.CaptureFixture[str]) -> None:
    for name, commands in readme_rows().items():
        known = set(OPTION.findall(help_of(capsys, name)))
        for command in commands:
            named = set(OPTION.findall(command))
            assert named <= known, (
                f"README: `{command}` names {sorted(named - known)}, not in `torchsite {name} --help`"
            )


def test_every_subcommand_takes_quiet_and_verbose_as_the_readme_says(capsys: pytest.CaptureFixture[str]) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "Every command takes `-q` (print only problems) and `-v`" in readme
    for name in subcommands(capsys):
        assert {"-q", "--quiet", "-v", "--verbose"} <= set(OPTION.findall(help_of(capsys, name))), name


def test_the_table_row_without_the_command_runs_a_file_that_exists() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Commands\n", 1)[1].split("\n## ", 1)[0]
    scripts = [c.split()[1] for c in ROW.findall(section) if c.startswith("python ")]
    assert scripts == ["build.py"]
    assert all((REPO / script).is_file() for script in scripts)
