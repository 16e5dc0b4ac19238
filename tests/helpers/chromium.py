"""Whether this machine has the Chromium that exports charts."""

from __future__ import annotations

import os

import pytest

from torchsite.charts.export import find_browser


def need_chromium() -> str:
    """The Chromium that exports charts and runs browser tests; skip without one (fail in CI, which installs it)."""
    path = find_browser()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install Chromium (apt-get install chromium)")
        pytest.skip("no Chromium on this machine: static chart export is not available")
    return path
