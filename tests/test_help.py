"""Every subcommand's --help has a description and an example, and the README's command table lists its options."""

from __future__ import annotations

import argparse
import re

import pytest

from helpers.project import REPO
from torchsite.cli import parser

COMMON = {"-h", "--help", "--project", "-v", "--verbose", "-q", "--quiet"}


def subcommands() -> dict[str, argparse.ArgumentParser]:
    """Each subcommand's parser by name."""
    action = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def readme_rows() -> dict[str, str]:
    """The README's command table: the command cell of each `torchsite ...` row, joined per subcommand."""
    rows: dict[str, str] = {}
    for cell in re.findall(r"^\| `torchsite ([a-z]+)([^`]*)`", (REPO / "README.md").read_text("utf-8"), re.M):
        rows[cell[0]] = rows.get(cell[0], "") + cell[1]
    return rows


def test_the_readme_lists_every_subcommand() -> None:
    assert sorted(readme_rows()) == sorted(subcommands())


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_each_subcommand_has_a_description_an_example_and_its_options_in_the_readme(name: str) -> None:
    command = subcommands()[name]
    help_text = command.format_help()
    assert command.description and f"torchsite {name} " in help_text.split("example", 1)[-1]
    options = {o for a in command._actions for o in a.option_strings if o.startswith("--")} - COMMON
    # --strict is taken by every command: the README says so once per row where it changes what the command does
    listed = set(re.findall(r"--[a-z]+", readme_rows()[name]))
    assert options - {"--strict"} <= listed, f"README's row for {name} lacks {sorted(options - listed)}"
    assert listed <= options, f"README's row for {name} lists options the command lacks: {sorted(listed - options)}"
