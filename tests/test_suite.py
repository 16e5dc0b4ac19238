"""The test suite's own promises: what keeps it whole and quick on two cores."""

from __future__ import annotations

import pytest

from helpers.browser import expect_none


def test_the_tests_of_one_group_are_scheduled_together(request: pytest.FixtureRequest) -> None:
    """Each xdist group (a page's browser tests, the W3C checker's) runs on one worker, as pytest-xdist's loadgroup
    reads it from the node id's '@group' suffix: a page is loaded once per run, not once per worker."""
    if not getattr(request.config.option, "loadgroup", False):
        pytest.skip("not run by pytest-xdist with --dist loadgroup")
    grouped = [(item, item.get_closest_marker("xdist_group")) for item in request.session.items]
    lost = [item.nodeid for item, mark in grouped if mark and not item.nodeid.endswith(f"@{mark.args[0]}")]
    if not any(mark for _, mark in grouped):
        pytest.skip("no test of a group is selected")
    expect_none(lost, "tests of one xdist group that pytest-xdist may send to different workers")
