"""The publish workflow: valid YAML, deploys to Pages, and runs exactly the README's commands."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from helpers.project import REPO, Result

WORKFLOW = REPO / ".github" / "workflows" / "publish.yml"
TOOLS = ("apt-get", "pip", "torchsite", "python")


def workflow() -> dict[Any, Any]:
    """The workflow as data (PyYAML reads the key `on` as True)."""
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def commands(script: str) -> list[str]:
    """The install, check and build commands of a shell script, one each, without sudo or comments."""
    found = []
    for line in script.splitlines():
        line = line.split("#", 1)[0].strip()
        for part in line.split("&&"):
            words = shlex.split(part)
            if words and words[0] == "sudo":
                words = words[1:]
            if words and words[0] in TOOLS:
                found.append(" ".join(words))
    return found


def readme_commands() -> list[str]:
    """The commands in the first sh block of the README's Publishing section."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("\n## Publishing\n") :]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "no sh block in the README's Publishing section"
    return commands(block.group(1))


def test_workflow_publishes_on_push_to_main_with_pages_permissions() -> None:
    data = workflow()
    trigger = data.get("on", data.get(True))
    assert trigger["push"]["branches"] == ["main"]
    assert data["permissions"]["pages"] == "write" and data["permissions"]["id-token"] == "write"
    build = data["jobs"]["build"]["steps"]
    python = next(s for s in build if str(s.get("uses", "")).startswith("actions/setup-python@"))
    assert python["with"]["python-version"] == "3.11"
    upload = next(s for s in build if str(s.get("uses", "")).startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "dist"
    deploy = data["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert any(str(s.get("uses", "")).startswith("actions/deploy-pages@") for s in deploy["steps"])


def test_workflow_runs_the_readme_commands_in_order() -> None:
    steps = workflow()["jobs"]["build"]["steps"]
    ran = [c for step in steps if "run" in step for c in commands(step["run"])]
    assert ran == readme_commands()
    assert ran == [
        "apt-get update",
        "apt-get install -y chromium",
        "pip install -e .",
        "torchsite check --strict",
        "torchsite build",
    ]


def test_the_workflow_torchsite_commands_pass_on_the_real_content(project: Path, cli: Callable[..., Result]) -> None:
    steps = workflow()["jobs"]["build"]["steps"]
    ran = [c for step in steps if "run" in step for c in commands(step["run"]) if c.startswith("torchsite ")]
    assert ran
    for command in ran:
        result = cli(*shlex.split(command)[1:])
        assert result.code == 0, f"{command}: {result.err}"
    assert (project / "dist" / "index.html").is_file()  # what upload-pages-artifact uploads
