"""The publish workflow: valid YAML, least privilege, caches, and exactly the README's commands."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from helpers.project import REPO, Result

WORKFLOW = REPO / ".github" / "workflows" / "publish.yml"
TOOLS = ("apt-get", "pip", "torchsite", "python", "ruff", "mypy")
# The current major version of each action the workflow uses (checked against the actions' releases, 2026).
CURRENT = {
    "actions/checkout": "v6",
    "actions/setup-python": "v6",
    "actions/cache": "v5",
    "actions/upload-pages-artifact": "v4",
    "actions/deploy-pages": "v4",
}


def workflow() -> dict[Any, Any]:
    """The workflow as data (PyYAML reads the key `on` as True)."""
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def commands(script: str) -> list[str]:
    """The install, check, build and impact commands of a shell script, one each, without sudo or redirections."""
    found = []
    for line in script.replace("${{ github.base_ref }}", "main").splitlines():
        line = re.sub(r"(^|\s)#.*$", "", line).strip()  # a comment, not a '#' inside a word or quotes
        for part in line.split("&&"):
            words = shlex.split(part)
            if words and words[0] == "sudo":
                words = words[1:]
            if words and words[0] in TOOLS:
                found.append(" ".join(w for w in words if w not in (">>", ">")))
    return found


def readme_blocks() -> list[list[str]]:
    """The commands of each sh block in the README's Publishing section."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("\n## Publishing\n") : readme.index("\n## Performance\n")]
    return [commands(block) for block in re.findall(r"```sh\n(.*?)```", section, re.S)]


def ran(job: str) -> list[str]:
    """The commands a job's steps run, in order."""
    return [c for step in workflow()["jobs"][job]["steps"] if "run" in step for c in commands(step["run"])]


def test_workflow_publishes_on_push_to_main_and_checks_pull_requests() -> None:
    data = workflow()
    trigger = data.get("on", data.get(True))
    assert trigger["push"]["branches"] == ["main"] and "pull_request" in trigger
    jobs = data["jobs"]
    assert "if" not in jobs["test"]  # the tests run on pull requests and pushes alike
    assert jobs["check"]["if"] == "github.event_name == 'pull_request'"
    assert jobs["build"]["if"] == "github.event_name != 'pull_request'"
    assert jobs["build"]["needs"] == "test"  # nothing is published from a commit whose tests fail
    assert all(isinstance(job["timeout-minutes"], int) for job in jobs.values())


def test_only_the_deploy_job_may_write_to_pages() -> None:
    data = workflow()
    assert data["permissions"] == {"contents": "read"}
    assert [name for name, job in data["jobs"].items() if "permissions" in job] == ["deploy"]
    deploy = data["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"


def test_every_action_is_at_its_current_major_version() -> None:
    used = [s["uses"] for job in workflow()["jobs"].values() for s in job["steps"] if "uses" in s]
    assert used
    for action in used:
        name, _, major = action.partition("@")
        assert CURRENT.get(name) == major, f"{action}: use {name}@{CURRENT.get(name)}"


def test_pip_and_chart_images_are_cached_and_the_runner_chrome_is_the_browser() -> None:
    data = workflow()
    assert data["env"]["TORCHSITE_BROWSER"] == "/usr/bin/google-chrome"
    for job in ("test", "check", "build"):
        steps = data["jobs"][job]["steps"]
        python = next(s for s in steps if str(s.get("uses", "")).startswith("actions/setup-python@"))
        assert python["with"]["python-version"] == "3.11" and python["with"]["cache"] == "pip"
        cache = next(s for s in steps if str(s.get("uses", "")).startswith("actions/cache@"))
        env = {**data["env"], **data["jobs"][job].get("env", {})}
        variable = "TORCHSITE_TEST_CACHE" if job == "test" else "TORCHSITE_CACHE"
        assert cache["with"]["path"] == (".torchsite-cache/test-svg" if job == "test" else ".torchsite-cache/svg")
        assert env[variable].endswith("/" + cache["with"]["path"])
    assert data["jobs"]["test"]["env"]["CI"] == "true"  # browser tests fail rather than skip
    assert not any("apt-get" in c for job in ("test", "check", "build") for c in ran(job))


def test_the_test_job_runs_the_readme_test_command_and_the_ci_lint() -> None:
    """The README's test command (its apt step aside: the runner's Chrome is the browser) after .ci/run's lint."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    test_command = next(c for c in re.findall(r"```sh\n(.*?)```", readme, re.S) if "pytest" in c)
    readme_test = [c for c in commands(test_command) if not c.startswith("apt-get")]
    lint = [c for c in commands((REPO / ".ci" / "run").read_text(encoding="utf-8")) if c.split()[0] in ("ruff", "mypy")]
    assert readme_test == ["pip install -e .[test]", "python -m pytest"]
    assert lint == ["ruff check .", "ruff format --check .", "mypy"]
    assert ran("test") == [readme_test[0], *lint, readme_test[1]] == readme_blocks()[2]


def test_the_jobs_run_the_readme_commands_in_order() -> None:
    publish, pull_request, _ = readme_blocks()
    assert ran("build") == publish == ["pip install -e .", "torchsite check --strict", "torchsite build --strict"]
    assert (
        ran("check")
        == pull_request
        == [
            "pip install -e .",
            "torchsite check --strict",
            "torchsite impact --against origin/main",
        ]
    )
    summary = next(s["run"] for s in workflow()["jobs"]["check"]["steps"] if "impact" in s.get("run", ""))
    assert summary.rstrip().endswith('>> "$GITHUB_STEP_SUMMARY"')
    upload = next(
        s for s in workflow()["jobs"]["build"]["steps"] if str(s.get("uses", "")).startswith("actions/upload-pages")
    )
    assert upload["with"]["path"] == "dist"


def test_the_publish_commands_pass_on_the_real_content(project: Path, cli: Callable[..., Result]) -> None:
    for command in [c for c in ran("build") if c.startswith("torchsite ")]:
        result = cli(*shlex.split(command)[1:])
        assert result.code == 0, f"{command}: {result.err}"
    assert (project / "dist" / "index.html").is_file()  # what upload-pages-artifact uploads
