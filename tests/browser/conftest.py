"""Browser fixtures: serve the run's one build of the real site on 127.0.0.1, drive one Chromium over it.

The browser is Debian's Chromium (`/usr/bin/chromium`, or `$TORCHSITE_BROWSER`); Playwright's own
browser download is never used. Without a browser the tests skip with one reason, except in CI
(`CI=true`), where a missing browser fails them.

Plain helpers and constants live in helpers/browser.py; no test imports this file.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    Playwright,
    sync_playwright,
)

from helpers.browser import (
    CHROMIUM_ARGS,
    SHOTS_KEY,
    Server,
    SiteHandler,
    Views,
    chromium_path,
    site_pages,
)
from helpers.project import REPO
from torchsite.inputs.config import Project, load_config


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every test that takes `url` once per page of the site (known from a render in memory, not a build)."""
    named = {n for m in metafunc.definition.iter_markers("parametrize") for n in _argnames(m.args[0])}
    for name in ("url", "chart_url"):
        if name in metafunc.fixturenames and name not in named:  # a test may name its own pages
            urls = site_pages().urls if name == "url" else site_pages().chart_urls
            metafunc.parametrize(name, urls, ids=[u or "/" for u in urls])


def _argnames(names: str | list[str] | tuple[str, ...]) -> list[str]:
    """The argument names a parametrize mark gives ("a, b" or a list)."""
    return [n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """Say where the screenshots are."""
    if SHOTS_KEY in config.stash:
        terminalreporter.write_line(f"browser screenshots: {config.stash[SHOTS_KEY]}")


@pytest.fixture(scope="session")
def site(built_project: Path) -> Path:
    """The folder of the run's one build of the real site."""
    return built_project / "dist"


@pytest.fixture(scope="session")
def server(site: Path) -> Iterator[Server]:
    """The built site on a free port of 127.0.0.1 below the base path of its base_url, served from a thread."""
    base = urlsplit(load_config(Project(REPO).site).base_url).path
    handler = functools.partial(type("Handler", (SiteHandler,), {"base": base}), directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield Server(f"http://127.0.0.1:{httpd.server_address[1]}", base)
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """Playwright's driver, for the whole session."""
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """One headless Chromium for the whole session; skipped (or failed in CI) when there is none."""
    executable, reason = chromium_path()
    if executable is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true needs the browser tests to run, but {reason}")
        pytest.skip(reason)
    browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def screenshots(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: `$TORCHSITE_SCREENSHOTS`, or pytest's temporary folder."""
    configured = os.environ.get("TORCHSITE_SCREENSHOTS")
    folder = Path(configured).resolve() if configured else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    request.config.stash[SHOTS_KEY] = folder
    return folder


@pytest.fixture(scope="session")
def views(browser: Browser, server: Server) -> Iterator[Views]:
    """Shared settled pages: each page is loaded once (tests are grouped by page) for all its checks."""
    shared = Views(browser, server)
    yield shared
    shared.close()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the browser tests page by page, so each page is opened once for all of its checks: in order, and with
    pytest-xdist each page's tests on one worker (its group; xdist reads the group after this hook). Tests of no
    one page open their own and stay free to run on either worker."""
    here = Path(__file__).parent
    slots = [i for i, item in enumerate(items) if Path(str(item.fspath)).parent == here]
    ordered = sorted((items[i] for i in slots), key=lambda item: page_of(item) or "")
    for slot, item in zip(slots, ordered, strict=True):
        items[slot] = item
        if (page := page_of(item)) is not None:
            item.add_marker(pytest.mark.xdist_group(f"page:{page or '/'}"))


def page_of(item: pytest.Item) -> str | None:
    """The page a parametrized browser test checks ('' for the story), None for a test of no one page."""
    params = getattr(item, "callspec", None)
    page = params.params.get("url", params.params.get("chart_url")) if params else None
    return None if page is None else str(page)
