"""The preview server: build, serve the site on loopback, rebuild on every edit, reload open pages.

Served HTML gets one extra element, a same-origin script (allowed by the pages' CSP) that waits on
a long-polling status endpoint and reloads the page when a rebuild finishes. When the last build
failed, served pages also get an overlay listing the problems over the last good site, which stays
in the output folder untouched. Built files never contain any of this.
"""

from __future__ import annotations

import contextlib
import functools
import html
import json
import mimetypes
import re
import signal
import stat
import sys
import threading
import time
import traceback
import webbrowser
from collections.abc import Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import parse_qs, unquote, urlsplit

import watchfiles

from torchsite import pipeline
from torchsite.charts import export
from torchsite.errors import ContentError, Problem, TorchsiteError, UsageError, display_path
from torchsite.inputs.config import Project, load_config
from torchsite.render.site import STATIC, safe_path, static_file
from torchsite.render.templates import PACKAGE_TEMPLATES
from torchsite.report import Report, progress, stages, summary

PREFIX = "/__torchsite/"
RELOAD_SCRIPT = PREFIX + "reload.js"
OVERLAY_CSS = PREFIX + "overlay.css"
STATUS = PREFIX + "status"
LONG_POLL_SECONDS = 20.0
WATCH_TICK_MS = 250  # how often an idle watcher wakes (to notice stop and its own start)
STOP_POLL_SECONDS = 0.05  # how often the HTTP server checks for stop (the standard 0.5 s made every stop wait)
ERROR_SHELL = (
    b"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Build failed</title></head><body></body></html>"
)
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class Outcome:
    """What one rebuild did: the build report, or the problems that stopped it."""

    report: Report | None
    problems: tuple[Problem, ...]
    seconds: float
    crash: str | None = None  # a traceback, when the build hit a bug in torchsite

    @property
    def ok(self) -> bool:
        """True when the site was written."""
        return self.report is not None


def rebuild(project: Project, out: Path, *, strict: bool = False, session: export.Exporter | None = None) -> Outcome:
    """Run one full build into `out` (atomic: on failure `out` is untouched) and time it."""
    started = time.perf_counter()
    try:
        report = pipeline.build(project, out, strict=strict, session=session)
    except ContentError as exc:
        return Outcome(None, tuple(exc.problems), time.perf_counter() - started)
    except TorchsiteError as exc:
        problem = Problem(display_path(project.root), None, None, None, str(exc))
        return Outcome(None, (problem,), time.perf_counter() - started)
    except Exception as exc:
        hint = "a bug in torchsite, not in your content; please report it"
        problem = Problem("torchsite", None, None, None, f"internal error: {exc!r}", hint)
        return Outcome(None, (problem,), time.perf_counter() - started, traceback.format_exc())
    return Outcome(report, (), time.perf_counter() - started)


def base_path(project: Project, current: str) -> str:
    """The path of the site's base_url ('/torchsite/'), or `current` while site.yaml has problems."""
    try:
        return urlsplit(load_config(project.site).base_url).path
    except ContentError:
        return current


@dataclass
class Preview:
    """A preview of one project: the last build's outcome, the HTTP server and the file watcher."""

    project: Project
    out: Path
    host: str = "127.0.0.1"
    port: int = 8000
    quiet: bool = False
    verbose: bool = False
    strict: bool = False
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    generation: int = 0
    outcome: Outcome | None = None
    building: threading.Lock = field(default_factory=threading.Lock)
    changed: threading.Condition = field(default_factory=threading.Condition)
    stopping: threading.Event = field(default_factory=threading.Event)
    ready: threading.Event = field(default_factory=threading.Event)
    built_from: list[tuple[str, int, int]] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None
    base: str = "/"  # the path of base_url: the site is served below it, as it will be published
    threads: list[threading.Thread] = field(default_factory=list)
    exporter: export.Exporter | None = None  # one chart exporter kept open across rebuilds, closed on stop

    @property
    def origin(self) -> str:
        """The server's scheme, host and port."""
        assert self.server is not None
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.server.server_address[1]}"

    @property
    def url(self) -> str:
        """Where the preview of the site is: below the path of its base_url."""
        return self.origin + self.base

    def watched(self) -> list[Path]:
        """The folders whose changes trigger a rebuild."""
        folders = (self.project.content, self.project.templates, PACKAGE_TEMPLATES, STATIC)
        return [p for p in folders if p.is_dir()]

    def rebuild(self, reason: str = "") -> Outcome:
        """Rebuild once (one at a time) while the last good site stays served; report it and wake waiting pages."""
        with self.building:
            self.built_from = self.fingerprint()
            self.base = base_path(self.project, self.base)
            if self.exporter is None:
                cache = export.cache_folder(self.project.root)
                self.exporter = export.Exporter(cache, display_path(self.project.charts), export.PREVIEW_TABS)
            with progress(not self.quiet):  # rebuilds run in the watcher's thread, which has its own context
                outcome = rebuild(self.project, self.out, strict=self.strict, session=self.exporter)
        with self.changed:
            self.outcome = outcome
            self.generation += 1
            self.changed.notify_all()
        self.report(outcome, reason)
        return outcome

    def report(self, outcome: Outcome, reason: str) -> None:
        """Tell the terminal how the rebuild went."""
        if outcome.crash:
            print(outcome.crash, file=self.stderr, end="")
        if outcome.report is not None:
            for warning in outcome.report.warnings:
                print(warning, file=self.stderr)
            if not self.quiet:
                r = outcome.report
                what = f"Rebuilt {r.pages} pages in {outcome.seconds:.2f} s ({reason})" if reason else summary(r)
                print(what, file=self.stdout, flush=True)
                if self.verbose:
                    print(stages(r), file=self.stdout, flush=True)
            return
        for problem in outcome.problems:
            print(problem, file=self.stderr)
        count = len(outcome.problems)
        kept = "serving the last good build" if self.out.is_dir() else "nothing to serve yet"
        print(f"torchsite: {count} problem{'s' if count != 1 else ''}; {kept}", file=self.stderr, flush=True)

    def start(self) -> None:
        """Build once, then bind the server (loopback by default) and serve in a thread."""
        out = self.out.resolve()
        for folder in self.watched():
            if out == folder.resolve() or folder.resolve() in out.parents:
                raise UsageError(
                    f"the output folder {display_path(self.out)} is inside the watched {display_path(folder)}/: "
                    "every build would trigger another (use --out DIR elsewhere)"
                )
        try:  # bound before the first build: a port in use is said at once, not after a build
            self.server = ThreadingHTTPServer((self.host, self.port), handler(self))
        except OSError as exc:
            raise UsageError(f"cannot serve on {self.host}:{self.port}: {exc.strerror} (use --port N)") from None
        self.rebuild()
        self.server.daemon_threads = True
        serving = functools.partial(self.server.serve_forever, poll_interval=STOP_POLL_SECONDS)
        thread = threading.Thread(target=serving, name="torchsite-http", daemon=True)
        thread.start()
        self.threads.append(thread)

    def fingerprint(self) -> list[tuple[str, int, int]]:
        """Every watched file with its modification time and size, to notice edits made while starting."""
        found = []
        for path in sorted(p for folder in self.watched() for p in folder.rglob("*")):
            with contextlib.suppress(OSError):  # an editor's temporary file may be gone already
                if path.is_file():
                    stat = path.stat()
                    found.append((str(path), stat.st_mtime_ns, stat.st_size))
        return found

    def relevant(self, change: watchfiles.Change, path: str) -> bool:
        """A change in a watched folder, or in the project's templates/ (which may not exist yet)."""
        changed = Path(path).resolve()
        folders = [*self.watched(), self.project.templates]
        return any(changed == f.resolve() or f.resolve() in changed.parents for f in folders)

    def watch(self) -> None:
        """Rebuild on every change to the watched folders until stop() is called."""
        # Without a templates/ folder yet, the project's root is watched too, for one created while serving.
        roots = self.watched() if self.project.templates.is_dir() else [*self.watched(), self.project.root]
        changes_seen = watchfiles.watch(
            *roots,
            watch_filter=self.relevant,
            stop_event=self.stopping,
            step=50,
            rust_timeout=WATCH_TICK_MS,
            yield_on_timeout=True,
            raise_interrupt=True,
        )
        for changes in changes_seen:
            if not self.ready.is_set():  # the watcher is live: catch up on edits made before it was
                self.ready.set()
                if not changes and self.fingerprint() != self.built_from:
                    self.rebuild("changed while starting")
            if changes and self.fingerprint() != self.built_from:  # one save can raise several events
                names = sorted({display_path(path) for _, path in changes})
                self.rebuild(", ".join(names[:3]) + (", ..." if len(names) > 3 else "") + " changed")

    def watch_in_thread(self) -> None:
        """Run watch() in a background thread and return once it is watching (for tests and embedding)."""
        thread = threading.Thread(target=self.watch, name="torchsite-watch", daemon=True)
        thread.start()
        self.threads.append(thread)
        self.ready.wait(timeout=30)

    def stop(self) -> None:
        """Stop the watcher and the server, release waiting pages, and join every thread."""
        self.stopping.set()
        with self.changed:
            self.changed.notify_all()
        if self.server is not None:
            if self.threads:
                self.server.shutdown()
            self.server.server_close()
        for thread in self.threads:
            if thread is not threading.current_thread():
                thread.join(timeout=10)
        self.threads.clear()
        with self.building:
            if self.exporter is not None:
                self.exporter.close()

    def allows(self, host_header: str | None) -> bool:
        """Whether a request's Host names this preview: a loopback name, or the address it was told to serve on."""
        if not host_header:
            return False
        name = host_header.strip().lower()
        name = name[1 : name.find("]")] if name.startswith("[") else name.rsplit(":", 1)[0]
        own = () if self.host in ("", "0.0.0.0", "::") else (self.host.lower(),)
        return name in (*LOOPBACK, *own)

    def wait_for_change(self, since: int) -> int:
        """Block until the generation moves past `since` (or a timeout, or stop); return it."""
        with self.changed:
            self.changed.wait_for(lambda: self.generation != since or self.stopping.is_set(), timeout=LONG_POLL_SECONDS)
            return self.generation

    def status(self) -> dict[str, Any]:
        """The state a page polls: the build generation and the problems of the last build."""
        problems = self.outcome.problems if self.outcome else ()
        warnings = self.outcome.report.warnings if self.outcome and self.outcome.report else ()
        return {
            "generation": self.generation,
            "ok": not problems,
            "problems": [str(p) for p in problems],
            "warnings": [str(w) for w in warnings],
        }

    def page(self, url_path: str) -> tuple[HTTPStatus, str, bytes, dict[str, str]]:
        """The response for a path of the site (below its base path): status, content type, body, headers."""
        if url_path in ("/", self.base.rstrip("/")) and url_path != self.base:
            return HTTPStatus.FOUND, "text/plain; charset=utf-8", b"", {"Location": self.base}
        rel = url_path[len(self.base) :] if url_path.startswith(self.base) else "(outside the base path)/"
        target = self.out if not rel else None
        if rel:
            clean = safe_path(rel.rstrip("/"))
            if clean is None:
                return HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"not found\n", {}
            target = self.out / clean
        assert target is not None
        with contextlib.suppress(OSError):  # a name too long for the system: not found
            return self.file(url_path, rel, target)
        return HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"not found\n", {}

    def file(self, url_path: str, rel: str, target: Path) -> tuple[HTTPStatus, str, bytes, dict[str, str]]:
        """A file of the last good site; never waits for a rebuild (the new site is swapped in whole)."""
        if target.is_dir():
            if rel and not url_path.endswith("/"):
                return HTTPStatus.MOVED_PERMANENTLY, "text/plain", b"", {"Location": url_path + "/"}
            target = target / "index.html"
        if self.servable(target):
            body, status = target.read_bytes(), HTTPStatus.OK
        elif self.servable(self.out / "404.html"):
            target, status = self.out / "404.html", HTTPStatus.NOT_FOUND
            body = target.read_bytes()
        else:
            return self.missing(url_path)
        outcome = self.outcome
        generation, problems = self.generation, outcome.problems if outcome else ()
        warnings = outcome.report.warnings if outcome and outcome.report else ()
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind == "text/html":
            return status, "text/html; charset=utf-8", inject(body, generation, problems, warnings), {}
        if kind.startswith("text/") or kind in ("application/javascript", "application/json", "image/svg+xml"):
            kind += "; charset=utf-8"
        return status, kind, body, {}

    def servable(self, target: Path) -> bool:
        """A regular file that, links resolved, lies inside the output folder (a link to /etc/passwd is not)."""
        try:
            resolved = target.resolve()
            return resolved.is_relative_to(self.out.resolve()) and stat.S_ISREG(resolved.stat().st_mode)
        except OSError:  # missing, or a loop of links
            return False

    def missing(self, url_path: str) -> tuple[HTTPStatus, str, bytes, dict[str, str]]:
        """A 404, or the build's problems when there is no site yet to show."""
        problems = self.outcome.problems if self.outcome else ()
        if not problems:
            return HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", f"not found: {url_path}\n".encode(), {}
        body = inject(ERROR_SHELL, self.generation, problems)
        return HTTPStatus.INTERNAL_SERVER_ERROR, "text/html; charset=utf-8", body, {}


def inject(page: bytes, generation: int, problems: tuple[Problem, ...], warnings: tuple[Problem, ...] = ()) -> bytes:
    """Add the reload script (and the problems overlay after a failed build, or the warnings banner) to a page."""
    text = page.decode("utf-8")
    head = f'<script src="{RELOAD_SCRIPT}" data-generation="{generation}" defer></script>'
    body = ""
    if problems or warnings:
        head += f'<link rel="stylesheet" href="{OVERLAY_CSS}">'
        body = overlay(problems) if problems else banner(warnings)
    text = _insert_before(text, "</head>", head)
    return _insert_after_open(text, "<body", body).encode("utf-8")


def overlay(problems: tuple[Problem, ...]) -> str:
    """The build problems as an alert over the page: file:line:col, field, message and hint."""
    count = len(problems)
    return (
        '<section id="torchsite-build-error" role="alert" aria-labelledby="torchsite-build-error-title">'
        f'<h2 id="torchsite-build-error-title">The build failed: {count} problem{"s" if count != 1 else ""}</h2>'
        f"{_items(problems)}"
        "<p>This page is the last good build. Fix the files above and it reloads by itself.</p>"
        "</section>"
    )


def banner(warnings: tuple[Problem, ...]) -> str:
    """The last build's warnings as a banner atop the page, dismissed by closing it (no script needed)."""
    count = len(warnings)
    return (
        '<details id="torchsite-warnings" open>'
        f"<summary>{count} warning{'s' if count != 1 else ''} in this build "
        "(with --strict the build would fail; click to hide)</summary>"
        f"{_items(warnings)}</details>"
    )


def _items(problems: tuple[Problem, ...]) -> str:
    """Problems as an ordered list, one line each."""
    return "<ol>" + "".join(f"<li><code>{html.escape(str(p))}</code></li>" for p in problems) + "</ol>"


def _insert_before(text: str, marker: str, snippet: str) -> str:
    """Insert a snippet before the first marker (or at the start when there is none)."""
    at = text.lower().find(marker)
    return snippet + text if at < 0 else text[:at] + snippet + text[at:]


def _insert_after_open(text: str, tag: str, snippet: str) -> str:
    """Insert a snippet right after an opening tag such as <body ...>."""
    at = text.lower().find(tag)
    end = text.find(">", at) if at >= 0 else -1
    return text + snippet if end < 0 else text[: end + 1] + snippet + text[end + 1 :]


def handler(preview: Preview) -> type[BaseHTTPRequestHandler]:
    """A request handler class bound to one preview."""

    class Handler(BaseHTTPRequestHandler):
        """Serves the built site, the reload script and the status endpoint."""

        server_version = "torchsite-preview"

        def do_GET(self) -> None:
            """Answer a GET."""
            self.respond(head=False)

        def do_HEAD(self) -> None:
            """Answer a HEAD."""
            self.respond(head=True)

        def respond(self, *, head: bool) -> None:
            """Route one request."""
            parts = urlsplit(self.path)
            path = unquote(parts.path)
            headers: dict[str, str] = {}
            if not preview.allows(self.headers.get("Host")):  # a DNS-rebinding page must not read drafts
                status, kind = HTTPStatus.MISDIRECTED_REQUEST, "text/plain; charset=utf-8"
                body = b"this preview answers only to localhost\n"
            elif path == STATUS:
                since = parse_qs(parts.query).get("since", [""])[0]
                if since and not re.fullmatch(r"-?[0-9]{1,18}", since):  # a generation number, never more digits
                    status, kind = HTTPStatus.BAD_REQUEST, "text/plain; charset=utf-8"
                    body = b"since must be a build generation: a whole number of at most 18 digits\n"
                else:
                    if since:
                        preview.wait_for_change(int(since))
                    status, kind = HTTPStatus.OK, "application/json"
                    body = json.dumps(preview.status()).encode()
            elif path == RELOAD_SCRIPT:
                status, kind, body = HTTPStatus.OK, "text/javascript; charset=utf-8", static_file("reload.js")
            elif path == OVERLAY_CSS:
                status, kind, body = HTTPStatus.OK, "text/css; charset=utf-8", static_file("overlay.css")
            else:
                status, kind, body, headers = preview.page(path)
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the page went away meanwhile
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if not head:
                    self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            """Keep the terminal for builds and problems, not for every request."""

    return Handler


def serve(
    project: Project,
    out: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    quiet: bool = False,
    verbose: bool = False,
    strict: bool = False,
) -> Preview:
    """Start a preview (bind, build, serve) and print where it is; the caller runs watch() and stop()."""
    preview = Preview(project, out, host, port, quiet, verbose, strict)
    preview.start()
    if host not in LOOPBACK:
        print(f"torchsite: warning: serving on {host}, reachable from other machines", file=preview.stderr)
    if not quiet:
        folders = ", ".join(f"{display_path(p)}/" for p in preview.watched()[:2])
        print(
            f"Serving {display_path(out)}/ at {preview.url} -- watching {folders} and torchsite's static files; "
            "Ctrl-C to stop",
            file=preview.stdout,
            flush=True,
        )
    return preview


@contextlib.contextmanager
def stopped_by_signals(stopping: threading.Event) -> Iterator[None]:
    """Ctrl-C and SIGTERM set `stopping`, which the watcher reads at its next step, instead of raising.

    Run by `torchsite serve`, the preview kept running after Ctrl-C in the first full test run of three fresh venvs,
    its main thread in watchfiles' loop: a KeyboardInterrupt raised while watchfiles calls back into Python (its
    stop event) can be dropped there. An event once set stays set, whichever code runs the handler.
    """
    signals = (signal.SIGINT, signal.SIGTERM)
    previous = {number: signal.signal(number, lambda *_: stopping.set()) for number in signals}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def run(
    project: Project,
    out: Path,
    host: str,
    port: int,
    *,
    quiet: bool = False,
    verbose: bool = False,
    strict: bool = False,
    open_browser: bool = False,
) -> int:
    """`torchsite serve`: preview until Ctrl-C, then stop the watcher and server cleanly."""
    preview = serve(project, out, host, port, quiet=quiet, verbose=verbose, strict=strict)
    if open_browser:
        webbrowser.open(preview.url)
    try:
        with stopped_by_signals(preview.stopping):
            preview.watch()
    except KeyboardInterrupt:  # one held while a new site was swapped in
        pass
    finally:
        preview.stop()
    if not quiet:
        print("Stopped the preview server.", file=preview.stdout)
    return 0
