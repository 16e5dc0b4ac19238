"""The command line: build, check, serve and impact, with exit codes 0, 1, 2, 3 and 130."""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from torchsite import __version__, impact, pipeline, report, review, serve, starter
from torchsite.errors import ContentError, Problem, TorchsiteError, UsageError, display_path
from torchsite.inputs import lint
from torchsite.inputs.config import Project
from torchsite.inputs.diagnostics import NotRegularError, read_regular
from torchsite.output.publish import LateInterrupt

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # the shell's code for Ctrl-C


def parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    p = argparse.ArgumentParser(prog="torchsite", description="Build a data-journalism microsite from a fact sheet.")
    p.add_argument("--version", action="version", version=f"torchsite {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def talk(cmd: argparse.ArgumentParser) -> None:
        """How much every subcommand prints."""
        cmd.add_argument("-v", "--verbose", action="store_true", help="show tracebacks and more detail")
        cmd.add_argument("-q", "--quiet", action="store_true", help="print only problems")

    def common(cmd: argparse.ArgumentParser) -> None:
        """Options every subcommand that reads a project takes."""
        cmd.add_argument(
            "--project",
            type=Path,
            default=Path("."),
            metavar="DIR",
            help="folder holding content/ and templates/ (default: current folder)",
        )
        talk(cmd)
        cmd.add_argument("--strict", action="store_true", help="treat warnings as errors (exit 1)")

    n = command(sub, "init", "start a new story: write a small working sample project into DIR", INIT_HELP)
    n.add_argument("folder", type=Path, metavar="DIR", help="a new or empty folder")
    talk(n)

    b = command(sub, "build", "validate the content and write the site", BUILD_HELP)
    common(b)
    b.add_argument("--out", type=Path, default=None, metavar="DIR", help="output folder (default: PROJECT/dist)")
    c = command(sub, "check", "validate everything without writing; optionally fact-check against a source", CHECK_HELP)
    common(c)
    c.add_argument(
        "--source",
        type=Path,
        default=None,
        metavar="FILE",
        help="the source text: every quote must occur in it and agree with its fact",
    )
    s = command(sub, "serve", "build, serve on 127.0.0.1, rebuild and reload open pages on every edit", SERVE_HELP)
    common(s)
    s.add_argument("--out", type=Path, default=None, metavar="DIR", help="output folder (default: PROJECT/dist)")
    s.add_argument("--port", type=port, default=8000, metavar="N", help="port to serve on (default: 8000; 0: any free)")
    s.add_argument("--open", action="store_true", help="open the preview in the default browser")
    s.add_argument("--host", default="127.0.0.1", metavar="ADDR", help="address to serve on (default: 127.0.0.1)")
    i = command(sub, "impact", "everywhere a fact reaches, or what publishing the changed content changes", IMPACT_HELP)
    common(i)
    i.add_argument("fact", nargs="?", metavar="FACT_ID", help="a fact or derived figure id")
    i.add_argument(
        "--against",
        metavar="REV|FILE",
        help="compare the content with this git revision (all of content/), or content/facts.yaml with this file: "
        "what would change on publishing",
    )
    i.add_argument("--json", action="store_true", help="with --against: print the report as JSON")
    r = command(sub, "review", "every story sentence beside the passages it cites and the figures it uses", REVIEW_HELP)
    common(r)
    return p


BUILD_HELP = """Validate every content file, render the site in memory, check it, and swap it into the output folder.

example:
  torchsite build --strict --out dist"""
CHECK_HELP = """Run every step of the build in memory (charts and links included) and write nothing.

example:
  torchsite check --strict --source ../shared/sources/torch-zone-30-years.txt"""
SERVE_HELP = """Build, serve on loopback, rebuild on every edit and reload open pages; warnings show as a banner.

example:
  torchsite serve --port 8001 --open"""
IMPACT_HELP = """Everywhere a figure reaches, or every file that publishing the current content would change.

examples:
  torchsite impact output_share
  torchsite impact --against origin/main --json"""

INIT_HELP = """Start a new story: a small, generic, working project (a sample source text, facts quoted from it,
a chart, a story and site settings) that builds and passes `check --source` as it is.

examples:
  torchsite init my-story
  cd my-story && torchsite check --source source.txt && torchsite build"""


REVIEW_HELP = """The fact-checker's sheet: every sentence of the story beside the verbatim passages it cites.

A sentence that shares no content word with its passages is flagged (an error with --strict).

examples:
  torchsite review
  torchsite review --strict > review.txt"""


def command(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str, summary: str, text: str
) -> argparse.ArgumentParser:
    """One subcommand with its one-line summary, its description and an example."""
    return sub.add_parser(name, help=summary, description=text, formatter_class=argparse.RawDescriptionHelpFormatter)


def port(text: str) -> int:
    """A TCP port number, 0 to 65535 (0: any free port)."""
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number (0 to 65535)")
    return int(text)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:
        return EXIT_OK if exc.code in (0, None) else EXIT_USAGE
    try:
        with report.progress(not args.quiet):
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
    if args.command == "init":
        written = starter.init(args.folder)
        if not args.quiet:
            print(f"Wrote {len(written)} files into {display_path(args.folder)}: a sample story that builds as it is.")
            print(f"Next: cd {display_path(args.folder)} && torchsite check --source source.txt && torchsite build")
        return EXIT_OK
    project = Project(args.project)
    if not project.content.is_dir():
        raise UsageError(f"no content/ folder in {display_path(project.root.resolve())} (use --project DIR)")
    if args.command == "impact":
        if (args.fact is None) == (args.against is None):
            raise UsageError("give a FACT_ID, or --against REV|FILE (one of the two)")
        if args.json and args.against is None:
            raise UsageError("--json goes with --against REV|FILE")
        if args.fact is not None:
            print(impact.reach(project, args.fact, strict=args.strict), end="")
        else:
            comparison = impact.against(project, args.against, strict=args.strict)
            if args.json:
                print(json.dumps(comparison.as_json(), indent=2, ensure_ascii=False))
            else:
                print(impact.text_report(comparison), end="")
        return EXIT_OK
    if args.command == "review":
        return run_review(project, strict=args.strict)
    if args.command == "serve":
        out = args.out or project.root / "dist"
        return serve.run(
            project,
            out,
            args.host,
            args.port,
            quiet=args.quiet,
            verbose=args.verbose,
            strict=args.strict,
            open_browser=args.open,
        )
    if args.command == "build":
        out = args.out if args.out is not None else project.root / "dist"
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
        text = read_source(args.source)
    made = pipeline.render_site(project, strict=args.strict, source=text)  # the build's own steps, in memory
    if problems := pipeline.output_problems(project, made.site):
        raise ContentError(problems)
    print_warnings(made.warnings)
    if not args.quiet:
        checked = f"; every quote agrees with {display_path(args.source)}" if args.source else ""
        derived = len(made.sheet.derived)
        facts = len(made.sheet.facts)
        said = f"{facts} fact{'' if facts == 1 else 's'}, {derived} derived figure{'' if derived == 1 else 's'}"
        print(f"OK: {said}{checked}")
    return EXIT_OK


MAX_SOURCE_BYTES = 2_000_000  # a source article is tens of kilobytes; as any content file, larger is a mistake


def read_source(path: Path) -> str:
    """The text of `check --source`: a regular UTF-8 file of at most MAX_SOURCE_BYTES."""
    try:
        raw = read_regular(path, MAX_SOURCE_BYTES)
        if len(raw) > MAX_SOURCE_BYTES:
            why = f"it is larger than the limit of {MAX_SOURCE_BYTES:,} bytes"
        else:
            return raw.decode("utf-8-sig")
    except NotRegularError as exc:
        why = f"it is {exc.kind}, not a regular file"
    except (OSError, UnicodeDecodeError) as exc:
        why = (exc.strerror or str(exc)) if isinstance(exc, OSError) else "not valid UTF-8"
    raise UsageError(f"cannot read the source {display_path(path)}: {why}")


def run_review(project: Project, *, strict: bool) -> int:
    """Print the review sheet; a sentence sharing no word with its passages is a warning (an error with --strict)."""
    gathered = pipeline.gather(project)  # --strict is about the review's own warnings
    name = display_path(project.story)
    found = review.rows(gathered.story.sentences, gathered.sheet, gathered.figures)
    print(review.text(found, name), end="")
    warnings = review.suspicious(found, name)
    for edition in gathered.editions:  # each edition's sheet too; its sentences are not in the passages' language
        own = display_path(project.edition_story(edition.config.lang))
        print(f"\n{review.translated_note(own, edition.config.lang)}\n")
        print(
            review.text(review.rows(edition.story.sentences, edition.sheet, edition.figures), own, compared=False),
            end="",
        )
    if strict and warnings:
        raise ContentError(lint.strict(warnings))
    print_warnings([*gathered.warnings, *warnings])
    return EXIT_OK


def print_warnings(warnings: Sequence[Problem]) -> None:
    """Print warnings and notes, one line each, on standard error."""
    for warning in warnings:
        print(warning, file=sys.stderr)


def main_exit() -> None:
    """Console-script entry point: exit with main()'s code."""
    sys.exit(main())
