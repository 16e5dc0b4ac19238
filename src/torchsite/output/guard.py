"""What --out may be: a new or empty folder, or one a previous build wrote (it carries a marker file)."""

from __future__ import annotations

from pathlib import Path

from torchsite.errors import UsageError, display_path

MARKER = ".torchsite-output"  # written into every built site: this folder may be replaced whole
MARKER_TEXT = b"Built by torchsite. Every build replaces this folder whole; do not keep other files here.\n"
INSTEAD = " (use a folder of its own, such as dist)"
PROJECT_FOLDERS = ("content", "templates", "src", ".git")  # a folder holding one of these is a project


def check_output(root: Path, out: Path) -> None:
    """Refuse an output folder whose replacement would lose anything but a previous build."""
    shown = display_path(out)
    target, project = out.resolve(), root.resolve()
    if target == project or target in project.parents:
        raise UsageError(f"--out {shown} holds the project itself; building there would replace it{INSTEAD}")
    for folder in ("content", "templates"):
        if target.is_relative_to(project / folder):
            message = f"--out {shown} is inside the project's {folder}/; building there would replace it"
            raise UsageError(message + INSTEAD)
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise UsageError(f"the output {shown} exists and is not a folder; choose another --out")
    if not out.exists() or ((out / MARKER).is_file() and not (out / MARKER).is_symlink()):
        return
    held = [name for name in PROJECT_FOLDERS if (out / name).exists()]
    if held:
        raise UsageError(f"--out {shown} holds {held[0]}/; building there would replace it{INSTEAD}")
    if any(out.iterdir()):
        raise UsageError(
            f"--out {shown} holds files torchsite did not write (it has no {MARKER} file); building there "
            "would delete them: choose a new or empty folder, or empty this one yourself"
        )
