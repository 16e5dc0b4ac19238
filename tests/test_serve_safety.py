"""The preview answers only to loopback names, survives odd paths, binds before building, and shows warnings."""

from __future__ import annotations

import http.client
import json
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers.project import Result, edit
from torchsite import serve
from torchsite.errors import UsageError
from torchsite.inputs.config import Project

UNCITED = """
  - id: output_share_copy
    theme: footprint
    label: A copy nothing cites
    value: 43
    unit: percent
    qualifier: exact
    source: torch30
    quote: "contributed to 43 percent of the city’s industrial output"
"""


def get(preview: serve.Preview, path: str, host: str | None = None) -> tuple[int, str]:
    """GET a path with an explicit Host header (None: the preview's own); status and body."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", preview.server.server_address[1] if preview.server else 0, timeout=20
    )
    try:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", host or f"127.0.0.1:{preview.server.server_address[1] if preview.server else 0}")
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def with_uncited_fact(project: Path) -> None:
    """Add a fact nothing cites: a warning, not an error (one: in the English edition alone, no translation of its
    label is asked for)."""
    facts = project / "content" / "facts.yaml"
    edit(facts, "\nclaims:\n", UNCITED + "\nclaims:\n")  # at the end of facts:, before the claims


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "192.168.1.20:8000", ""])
def test_a_foreign_host_header_gets_421_and_no_page(preview: serve.Preview, host: str) -> None:
    for path in (preview.base, "/__torchsite/status"):
        status, body = get(preview, path, host or " ")
        assert status == 421
        assert body == "this preview answers only to localhost\n"


@pytest.mark.parametrize("host", ["localhost", "localhost:{port}", "127.0.0.1:{port}", "[::1]:{port}"])
def test_loopback_host_headers_are_served(preview: serve.Preview, host: str) -> None:
    assert preview.server is not None
    status, body = get(preview, preview.base, host.format(port=preview.server.server_address[1]))
    assert status == 200 and "<html" in body


def test_a_5000_byte_path_segment_is_a_404(preview: serve.Preview) -> None:
    status, _ = get(preview, preview.base + "a" * 5000 + "/index.html")
    assert status == 404
    assert get(preview, preview.base)[0] == 200  # still serving


def test_pages_are_served_while_a_rebuild_holds_the_build_lock(preview: serve.Preview) -> None:
    with preview.building:  # what a rebuild in progress holds
        status, body = get(preview, preview.base)
    assert status == 200 and "<html" in body


def test_a_port_in_use_is_refused_before_building(project: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        running = serve.Preview(Project(project), project / "dist", "127.0.0.1", port, quiet=True)
        with pytest.raises(UsageError, match=rf"^cannot serve on 127\.0\.0\.1:{port}: Address already in use"):
            running.start()
        running.stop()
    assert not (project / "dist").exists()  # nothing was built


@pytest.mark.parametrize("port", ["99999", "-1", "http"])
def test_a_bad_port_is_a_usage_error(project: Path, cli: Callable[..., Result], port: str) -> None:
    result = cli("serve", "--port", port)
    assert result.code == 2
    assert f"argument --port: '{port}' is not a port number (0 to 65535)" in result.err
    assert not (project / "dist").exists()


def test_warnings_show_as_a_closable_banner_in_the_page(project: Path) -> None:
    with_uncited_fact(project)
    running = serve.Preview(Project(project), project / "dist", "127.0.0.1", 0, quiet=True)
    running.start()
    try:
        status, html = get(running, running.base)
        assert status == 200
        assert '<details id="torchsite-warnings" open><summary>1 warning in this build' in html
        assert "content/facts.yaml:" in html and "output_share_copy" in html
        state = json.loads(get(running, "/__torchsite/status")[1])
        assert state["ok"] is True and len(state["warnings"]) == 1
        assert "torchsite-warnings" not in (project / "dist" / "index.html").read_text(encoding="utf-8")
    finally:
        running.stop()


def test_strict_makes_a_warning_stop_the_preview_build(project: Path) -> None:
    with_uncited_fact(project)
    running = serve.Preview(Project(project), project / "dist", "127.0.0.1", 0, quiet=True, strict=True)
    running.start()
    try:
        status, html = get(running, running.base)
        assert status == 500 and "torchsite-build-error" in html and "output_share_copy" in html
        assert not (project / "dist").exists()
    finally:
        running.stop()


def test_json_without_against_is_a_usage_error(cli: Callable[..., Result]) -> None:
    result = cli("impact", "output_share", "--json")
    assert result.code == 2 and "--json goes with --against REV|FILE" in result.err
