"""A chart's own page in the browser: "Explore the data" draws the chart live and keeps keyboard focus on its
button, the live chart's toolbar has no button that sends the data to another site, and the embed code's copy
button copies the code as the page shows it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from helpers.browser import Server, expect_none, open_page

pytestmark = pytest.mark.browser

CHART = "charts/footprint/"
# Plotly's toolbar buttons, by their names: none may reach outside the site (Chart Studio, "Share chart…").
TOOLBAR = """() => Array.from(document.querySelectorAll('.modebar-btn'), (b) =>
  `${b.getAttribute('data-title') || ''} ${b.getAttribute('data-attr') || ''} ${b.getAttribute('href') || ''}`)"""
OUTSIDE = ("cloud", "chart studio", "share", "edit in", "plot.ly", "plotly.com")


def test_explore_the_data_keeps_focus_on_its_button_and_sends_nothing_elsewhere(
    browser: Browser, server: Server
) -> None:
    visit = open_page(browser, server, CHART)
    try:
        page = visit.page
        button = page.locator(".chart-explore-button")
        assert button.inner_text() == "Explore the data"
        button.focus()
        page.keyboard.press("Enter")
        page.wait_for_selector(".chart-explore[data-state='live'] .modebar-container", state="attached")
        problems = []
        focused = page.evaluate("document.activeElement.className")
        if focused != "chart-explore-button":
            problems.append(f"after Enter, focus is on {focused or 'the page'}, not the button")
        if button.get_attribute("aria-expanded") != "true":
            problems.append("the button does not say the live chart is shown (aria-expanded)")
        buttons = page.evaluate(TOOLBAR)
        if not buttons:
            problems.append("the live chart has no toolbar")
        problems += [
            f"toolbar button {b.strip()!r} reaches outside" for b in buttons if any(w in b.lower() for w in OUTSIDE)
        ]
        page.keyboard.press("Enter")  # the same button hides the live chart again, still focused
        if not page.locator(".chart-explore-plot").is_hidden():
            problems.append("a second Enter does not hide the live chart")
        if page.evaluate("document.activeElement.className") != "chart-explore-button":
            problems.append("hiding the live chart moves focus off the button")
        problems += visit.console_errors + visit.foreign_requests
        expect_none(problems, f"{CHART}: Explore the data")
    finally:
        visit.close()


def test_the_copy_button_copies_the_embed_code(browser: Browser, server: Server) -> None:
    visit = open_page(browser, server, CHART, permissions=["clipboard-read", "clipboard-write"])
    try:
        page = visit.page
        shown = page.locator(".embed-code code").inner_text()
        button = page.get_by_role("button", name="Copy the embed code")
        button.click()
        # a function, not an expression: Playwright evaluates a bare expression with eval(), which the CSP forbids
        page.wait_for_function("() => document.querySelector('.embed-copy-status').textContent !== ''")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == shown and copied.startswith("<iframe src=") and "data-torchsite-embed" in copied
        assert page.locator(".embed-copy-status").inner_text() == "Copied."
        assert page.evaluate("document.activeElement.className") == "embed-copy-button"
    finally:
        visit.close()


def test_the_embed_code_is_set_small_not_at_body_size(browser: Browser, server: Server) -> None:
    visit = open_page(browser, server, CHART, viewport={"width": 375, "height": 740})
    try:
        sizes = visit.page.evaluate(
            "[getComputedStyle(document.querySelector('.embed-code code')).fontSize,"
            " getComputedStyle(document.body).fontSize]"
        )
        code, body = (float(s.removesuffix("px")) for s in sizes)
        assert code <= 0.8 * body, f"the embed code is {code} px against {body} px body text"  # main: 15.3 of 17
    finally:
        visit.close()
