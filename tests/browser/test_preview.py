"""The preview server in a real browser: the page reloads itself after an edit, shows build errors
over the last good page, and its injected script runs under the pages' Content-Security-Policy."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from helpers.browser import Server, open_page
from helpers.project import edit, line_of
from torchsite import serve

pytestmark = pytest.mark.browser

WAIT_MS = 60_000  # a bound, not a timing: the reload normally lands in well under a second


def test_the_page_follows_edits_and_shows_build_errors(browser: Browser, preview: serve.Preview, project: Path) -> None:
    visit = open_page(browser, Server(preview.origin, preview.base), "")
    try:
        page = visit.page
        total = page.locator('.story [data-fact="output_start_usd"]').first  # a figure no chart draws: no export
        assert total.text_content() == "$22.92 million"
        edit(project / "content" / "facts.yaml", "value: 22920000\n", "value: 23520000\n")
        page.wait_for_function(
            "() => document.querySelector('.story [data-fact=\"output_start_usd\"]').textContent === '$23.52 million'",
            timeout=WAIT_MS,
        )
        facts = project / "content" / "facts.yaml"
        edit(facts, "value: 43\n", "value: forty-three\n")
        overlay = page.locator("#torchsite-build-error")
        overlay.wait_for(state="visible", timeout=WAIT_MS)
        line = line_of(facts, "value: forty-three")
        assert f"content/facts.yaml:{line}:12: facts.output_share.value: expected a number" in overlay.inner_text()
        assert total.text_content() == "$23.52 million"  # the last good page, under the overlay
        assert overlay.evaluate("e => getComputedStyle(e).position") == "sticky"  # its stylesheet loaded
        edit(facts, "value: forty-three\n", "value: 43\n")
        overlay.wait_for(state="detached", timeout=WAIT_MS)
        assert visit.csp_violations() == []
        assert visit.console_errors == []
    finally:
        visit.close()
