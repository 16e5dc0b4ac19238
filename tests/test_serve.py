"""The preview server, run for real on a free loopback port against a copy of the project."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from helpers.project import Result, edit, line_of, override, tree_hash
from torchsite import serve
from torchsite.inputs.config import Project, load_config

T = TypeVar("T")


def fetch(url: str) -> tuple[int, str, dict[str, str]]:
    """GET a URL on the preview: status, body text and headers (errors are answers too)."""
    request = urllib.request.Request(url)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8"), dict(response.headers)
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.read().decode("utf-8"), dict(exc.headers)


def eventually(probe: Callable[[], T | None], what: str, limit: float = 60.0) -> T:
    """Poll until probe() returns something truthy; fail (not time) after a generous bound."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"gave up waiting for {what}")


def served(url: str, text: str) -> Callable[[], str | None]:
    """A probe: the page at url once it contains text."""

    def probe() -> str | None:
        page = fetch(url)[1]
        return page if text in page else None

    return probe


def test_serves_the_site_with_a_reload_script_only_in_responses(preview: serve.Preview, project: Path) -> None:
    status, html, headers = fetch(preview.url)
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert "9.02 billion yuan" in html
    scripts = re.findall(r"<script\b[^>]*\ssrc=[^>]*>", html)
    site_scripts = ("assets/charts.", "assets/reader.", "assets/drawings.", "assets/editions.")  # the site's own
    assert [s for s in scripts if not any(name in s for name in site_scripts)] == [
        f'<script src="/__torchsite/reload.js" data-generation="{preview.generation}" defer>'
    ]
    assert "__torchsite" not in (project / "dist" / "index.html").read_text(encoding="utf-8")
    status, script, headers = fetch(preview.origin + "/__torchsite/reload.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript") and "location.reload()" in script
    status, html, _ = fetch(preview.url + "facts/")
    assert status == 200 and 'id="output_latest"' in html


def test_editing_a_fact_changes_the_served_page(preview: serve.Preview, project: Path) -> None:
    generation = preview.generation
    answers: list[dict[str, object]] = []
    waiter = threading.Thread(
        target=lambda: answers.append(json.loads(fetch(f"{preview.origin}/__torchsite/status?since={generation}")[1]))
    )
    waiter.start()  # what an open page does: wait for the next build
    # A fact no chart draws (so no chart export), and the derived figure that rests on it.
    edit(project / "content" / "facts.yaml", "value: 22920000\n", "value: 23520000\n")
    html = eventually(served(preview.url, "$23.52 million"), "the new page")
    html = re.sub(r'<a class="fact fact-source"[^>]*>[^<]*</a>', "", html)  # a verbatim quote keeps its words
    html = re.sub(r'<details id="torchsite-warnings".*?</details>', "", html, flags=re.S)  # the quote's warning
    html = re.sub(r'<section class="notes".*?</section>', "", html, flags=re.S)  # and the passages the notes quote
    assert "about 6.21 yuan per US dollar" in html and "22.92" not in html and "6.37" not in html
    waiter.join(timeout=60)
    assert answers and answers[0]["ok"] is True and answers[0]["generation"] != generation


def drawings(html: str, chart: str) -> list[str]:
    """The inline drawings (narrow, then wide) of one chart in a served or built page."""
    figure = html[html.index(f'id="chart-{chart}"') :]
    return re.findall(r'<svg [^>]*class="chart-drawing chart-(?:narrow|wide)".*?</svg>', figure, flags=re.S)[:2]


@pytest.mark.slow
def test_an_edit_to_a_drawn_fact_redraws_both_layouts_as_a_build_would(
    preview: serve.Preview,
    project: Path,
    _shared_svg_cache: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = preview.url + "charts/fund/"  # the chart's own page inlines both drawings (the story fetches its wide one)
    before = drawings(fetch(page)[1], "fund")
    own = tmp_path_factory.mktemp("own") / "cache"  # the run's drawings before the edit: the build exports the new
    shutil.copytree(_shared_svg_cache, own)
    edit(project / "content" / "facts.yaml", "value: 9020000000", "value: 9770000000")  # not in any cache yet
    html = eventually(served(page, "9.77 billion yuan"), "the new page")
    after = drawings(html, "fund")
    assert [re.findall(r'class="chart-drawing chart-(\w+)"', d)[0] for d in after] == ["narrow", "wide"]
    assert all("6.77 billion" in d for d in after) and not set(after) & set(before)
    monkeypatch.setenv("TORCHSITE_CACHE", str(own))
    cached = set(own.rglob("*.svg"))
    fresh = serve.rebuild(Project(project), tmp_path_factory.mktemp("built") / "dist")
    assert fresh.ok and fresh.report is not None
    editions = len(load_config(Project(project).site).all_editions)  # each edition draws the chart in its words
    exported = len(set(own.rglob("*.svg")) - cached)
    assert exported == 2 * editions, f"the build should export the chart's two drawings afresh, not {exported}"
    assert drawings((fresh.report.out / "charts" / "fund" / "index.html").read_text(encoding="utf-8"), "fund") == after


def test_saves_through_a_renamed_temporary_file_keep_the_preview_rebuilding(
    preview: serve.Preview, project: Path
) -> None:
    facts = project / "content" / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    # A fact no chart draws, so each save is a rebuild without a chart export.
    for value in ("23020000", "23120000", "23220000"):  # as editors save: a temporary file, renamed over
        for scratch in range(20):  # and swap files that come and go while the watcher looks
            swap = facts.with_name(f".facts.yaml.{scratch}.swp")
            swap.write_text(text, encoding="utf-8")
            swap.unlink()
        temp = facts.with_name(".facts.yaml.tmp")
        temp.write_text(text.replace("value: 22920000\n", f"value: {value}\n"), encoding="utf-8")
        temp.replace(facts)
        shown = f"${int(value) / 1e6:.2f} million"
        eventually(served(preview.url, shown), f"the page with {shown}")
    assert all(thread.is_alive() for thread in preview.threads)


def test_a_build_error_shows_in_the_page_over_the_last_good_site(preview: serve.Preview, project: Path) -> None:
    facts = project / "content" / "facts.yaml"
    before = tree_hash(project / "dist")
    line = line_of(facts, "value: 43")
    edit(facts, "value: 43\n", "value: forty-three\n")

    html = eventually(served(preview.url, "torchsite-build-error"), "the error overlay")
    assert fetch(preview.url)[0] == 200
    message = "facts.output_share.value: expected a number, got &#x27;forty-three&#x27;"
    assert f"content/facts.yaml:{line}:12: {message}" in html
    assert 'href="/__torchsite/overlay.css"' in html
    assert "43%" in html  # the last good story is still there, under the overlay
    assert tree_hash(project / "dist") == before
    state = json.loads(fetch(preview.origin + "/__torchsite/status")[1])
    assert state["ok"] is False and any(f"facts.yaml:{line}:12" in p for p in state["problems"])
    edit(facts, "value: forty-three\n", "value: 43\n")
    eventually(lambda: "torchsite-build-error" not in fetch(preview.url)[1], "the overlay to go")


def test_a_template_error_names_the_template_line(preview: serve.Preview, project: Path) -> None:
    template = override(project, "facts.html")
    edit(template, "{% for group in groups %}", "{% for group in groups %}{{ missing_variable }}")
    line = line_of(template, "missing_variable")
    html = eventually(served(preview.url + "facts/", "torchsite-build-error"), "the overlay")
    col = template.read_text(encoding="utf-8").splitlines()[line - 1].index("missing_variable") + 1
    assert f"templates/facts.html:{line}:{col}: template: &#x27;missing_variable&#x27; is undefined" in html


def test_before_any_good_build_the_problems_are_the_page(project: Path) -> None:
    edit(
        project / "content" / "story.md",
        "risen from {{output_start}} to {{output_latest}}",
        "risen from {{output_start}} to {{output_lastest}}",
    )
    running = serve.Preview(Project(project), project / "dist", "127.0.0.1", 0, quiet=True)
    running.start()
    try:
        status, html, _ = fetch(running.url)
        assert status == 500
        assert "content/story.md:3:" in html and "unknown fact &#x27;output_lastest&#x27;" in html
        assert not (project / "dist").exists()
    finally:
        running.stop()


def test_paths_stay_inside_the_site(preview: serve.Preview) -> None:
    assert fetch(preview.url + "..%2F..%2Fetc/passwd")[0] == 404
    request = urllib.request.Request(preview.url + "facts")
    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as moved:
        opener.open(request, timeout=30)
    moved.value.close()
    assert moved.value.code == 301 and moved.value.headers["Location"] == "/torchsite/facts/"
    with pytest.raises(urllib.error.HTTPError) as home:
        opener.open(urllib.request.Request(preview.origin + "/"), timeout=30)
    home.value.close()
    assert home.value.code == 302 and home.value.headers["Location"] == "/torchsite/"


def test_served_below_the_base_path_with_the_site_404_page(preview: serve.Preview) -> None:
    assert preview.url.endswith("/torchsite/")  # base_url in content/site.yaml
    status, html, _ = fetch(preview.url + "no-such-page/")
    assert status == 404 and 'href="/torchsite/assets/' in html  # the site's own 404.html, styled
    assert fetch(preview.url.replace("/torchsite/", "/elsewhere/"))[0] == 404


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Surface redirects instead of following them."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def test_stop_closes_the_port_and_joins_every_thread(project: Path) -> None:
    running = serve.Preview(Project(project), project / "dist", "127.0.0.1", 0, quiet=True)
    running.start()
    running.watch_in_thread()
    assert running.server is not None
    port = running.server.server_address[1]
    threads = list(running.threads)
    running.stop()
    assert not any(t.is_alive() for t in threads)
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", int(port)), timeout=5):
        pass


def test_rebuild_reports_problems_without_touching_the_site(project: Path) -> None:
    target = project / "dist"
    first = serve.rebuild(Project(project), target)
    assert first.ok and first.report is not None and first.report.pages >= 2
    before = tree_hash(target)
    edit(project / "content" / "facts.yaml", "qualifier: less_than\n    as_of: at the start", "qualifier: fewer")
    second = serve.rebuild(Project(project), target)
    assert not second.ok and second.problems and second.crash is None
    assert tree_hash(target) == before


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_ctrl_c_stops_the_command_cleanly(project: Path, stop: signal.Signals) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "torchsite", "serve", "--port", "0"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONFAULTHANDLER": "1"},  # a hang is shown: SIGABRT dumps every thread's stack
    )
    try:
        assert process.stdout is not None
        banner = "".join(process.stdout.readline() for _ in range(2))
        assert re.match(r"Built \d+ pages", banner), banner
        url = re.search(r"http://127\.0\.0\.1:\d+/", banner)
        assert url, banner
        assert fetch(url.group(0))[0] == 200
        process.send_signal(stop)
        try:
            out, err = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            if process.poll() is not None:
                pytest.fail(f"serve exited ({process.returncode}), but what it started holds its output 60 s on")
            process.send_signal(signal.SIGABRT)
            out, err = process.communicate(timeout=30)
            pytest.fail(
                f"serve still running 60 s after {stop.name} (exit {process.returncode}); stderr:\n{err[-6000:]}"
            )
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert "Stopped the preview server." in out and "Traceback" not in err


@pytest.mark.slow
def test_the_rebuild_benchmark_runs(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(Path(__file__).parent.parent / "bench" / "rebuild.py"), "--runs", "2"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert re.search(
        r"rebuild after a one-fact edit, +wall: median \d+ ms, min \d+ ms, max \d+ ms \(2 runs\)", done.stdout
    )


@pytest.mark.slow
def test_the_chart_edit_benchmark_runs(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(Path(__file__).parent.parent / "bench" / "chart_edit.py"), "--runs", "1", "--no-compare"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert re.search(r"page served \(kept exporter\): median \d+ ms, min \d+ ms, max \d+ ms \(1 runs\)", done.stdout)


def test_an_output_folder_inside_a_watched_folder_is_refused(project: Path, cli: Callable[..., Result]) -> None:
    result = cli("serve", "--port", "0", "--out", "content/site")
    assert result.code == 2
    assert "the output folder content/site is inside the watched content/" in result.err
    assert not (project / "content" / "site").exists()
