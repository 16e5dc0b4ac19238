"""The command line: build, check, serve and impact, with exit codes 0, 1, 2, 3 and 130."""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from torchsite import __version__, impact, pipeline, report, serve
from torchsite.errors import ContentError, Problem, TorchsiteError, UsageError, display_path
from torchsite.inputs.config import Project
from torchsite.output.publish import LateInterrupt

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # the shell's code for Ctrl-C


def parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    p = argparse.ArgumentParser(prog="torchsite", description="Build a data-journalism microsite from a fact sheet.")
    p.add_argument("--version", action="version", version=f"torchsite {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(cmd: argparse.ArgumentParser) -> None:
        """Options every subcommand takes."""
        cmd.add_argument(
            "--project",
            type=Path,
            default=Path("."),
            metavar="DIR",
            help="folder holding content/ and templates/ (default: current folder)",
        )
        cmd.add_argument("-v", "--verbose", action="store_true", help="show tracebacks and more detail")
        cmd.add_argument("-q", "--quiet", action="store_true", help="print only problems")
        cmd.add_argument("--strict", action="store_true", help="treat warnings as errors (exit 1)")

    b = sub.add_parser("build", help="validate the content and write the site")
    common(b)
    b.add_argument("--out", type=Path, default=None, metavar="DIR", help="output folder (default: PROJECT/dist)")
    c = sub.add_parser("check", help="validate everything without writing; optionally fact-check against a source")
    common(c)
    c.add_argument(
        "--source",
        type=Path,
        default=None,
        metavar="FILE",
        help="the source text: every quote must occur in it and agree with its fact",
    )
    s = sub.add_parser("serve", help="build, serve on 127.0.0.1, rebuild and reload open pages on every edit")
    common(s)
    s.add_argument("--out", type=Path, default=None, metavar="DIR", help="output folder (default: PROJECT/dist)")
    s.add_argument("--port", type=int, default=8000, metavar="N", help="port to serve on (default: 8000; 0: any free)")
    s.add_argument("--host", default="127.0.0.1", metavar="ADDR", help="address to serve on (default: 127.0.0.1)")
    i = sub.add_parser("impact", help="everywhere a fact reaches, or what a changed fact sheet changes")
    common(i)
    i.add_argument("fact", nargs="?", metavar="FACT_ID", help="a fact or derived figure id")
    i.add_argument(
        "--against",
        metavar="REV|FILE",
        help="compare content/facts.yaml with this git revision or file: what would change on publishing",
    )
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:
        return EXIT_OK if exc.code in (0, None) else EXIT_USAGE
    try:
        return run(args)
    except ContentError as exc:
        if args.verbose:
            traceback.print_exc()
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        count = sum(1 for p in exc.problems if p.is_error)
        print(f"torchsite: {count} problem{'s' if count != 1 else ''}; nothing was written", file=sys.stderr)
        return EXIT_CONTENT
    except TorchsiteError as exc:
        if getattr(args, "verbose", False):
            traceback.print_exc()
        print(f"torchsite: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except LateInterrupt:
        print("torchsite: interrupted after the new site was complete and in place", file=sys.stderr)
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        print("torchsite: interrupted; nothing was written", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception:
        if getattr(args, "verbose", False):
            traceback.print_exc()
        else:
            traceback.print_exc(limit=-3)
        print(
            "torchsite: internal error (a bug in torchsite, not in your content); please report it "
            "with the traceback above",
            file=sys.stderr,
        )
        return EXIT_BUG


def run(args: argparse.Namespace) -> int:
    """Dispatch to the subcommand."""
    project = Project(args.project)
    if not project.content.is_dir():
        raise UsageError(f"no content/ folder in {display_path(project.root.resolve())} (use --project DIR)")
    if args.command == "impact":
        if (args.fact is None) == (args.against is None):
            raise UsageError("give a FACT_ID, or --against REV|FILE (one of the two)")
        if args.fact is not None:
            print(impact.reach(project, args.fact), end="")
        else:
            print(impact.against(project, *impact.old_sheet(project, args.against)), end="")
        return EXIT_OK
    if args.command == "serve":
        out = args.out or project.root / "dist"
        return serve.run(project, out, args.host, args.port, quiet=args.quiet, verbose=args.verbose)
    if args.command == "build":
        out = args.out if args.out is not None else project.root / "dist"
        refuse_output_over_inputs(project, out)
        built = pipeline.build(project, out, strict=args.strict)
        print_warnings(built.warnings)
        if not args.quiet:
            print(report.summary(built))
            if args.verbose:
                print(report.stages(built))
            print(report.location(built))
        return EXIT_OK
    text = None
    if args.source is not None:
        try:
            text = args.source.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            why = exc.strerror if isinstance(exc, OSError) else "not valid UTF-8"
            raise UsageError(f"cannot read the source {display_path(args.source)}: {why}") from None
    inputs = pipeline.gather(project, strict=args.strict, source=text)
    print_warnings(inputs.warnings)
    if not args.quiet:
        checked = f"; every quote agrees with {display_path(args.source)}" if args.source else ""
        print(f"OK: {len(inputs.sheet.facts)} facts, {len(inputs.sheet.derived)} derived figures{checked}")
    return EXIT_OK


def refuse_output_over_inputs(project: Project, out: Path) -> None:
    """The swap replaces the output folder whole: it must not hold the project's own inputs."""
    for inputs in (project.content, project.templates):
        if inputs.resolve().is_relative_to(out.resolve()):
            raise UsageError(
                f"--out {display_path(out)} holds {display_path(inputs)}; building there would replace it "
                "(use a folder of its own, such as dist)"
            )


def print_warnings(warnings: Sequence[Problem]) -> None:
    """Print warnings and notes, one line each, on standard error."""
    for warning in warnings:
        print(warning, file=sys.stderr)


def main_exit() -> None:
    """Console-script entry point: exit with main()'s code."""
    sys.exit(main())
