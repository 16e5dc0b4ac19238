"""The charts' colours, read from the real site.css: every mark visible against the page in light, dark and print."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from torchsite.charts.drawing import PROPERTIES
from torchsite.charts.model import DARK, LIGHT

CSS = Path(__file__).parents[1] / "src" / "torchsite" / "static" / "site.css"
TEXT = ("--chart-text", "--chart-muted")  # words in the drawing: 4.5:1 (WCAG 1.4.3)
MARKS = ("--chart-accent", "--chart-neutral")  # marks that carry meaning: 3:1 (WCAG 1.4.11)


def _blocks(css: str) -> list[tuple[str, str]]:
    """Every `:root { ... }` rule in source order, with the @media condition it sits in ('' for none)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    media_rule = re.compile(r"@media([^{]*)\{((?:[^{}]*\{[^{}]*\})*)\s*\}")
    found = []
    for media in media_rule.finditer(css):
        found += [(media.start(), media.group(1).strip(), m.group(1)) for m in _ROOT.finditer(media.group(2))]
    outside = media_rule.sub(lambda m: " " * len(m.group(0)), css)  # same length: positions stay in order
    found += [(m.start(), "", m.group(1)) for m in _ROOT.finditer(outside)]
    return [(media, body) for _, media, body in sorted(found)]


_ROOT = re.compile(r":root\s*\{([^}]*)\}")


def _schemes() -> dict[str, dict[str, str]]:
    """The custom properties each scheme ends up with: light; dark (screens); print (light, with print's own)."""
    schemes: dict[str, dict[str, str]] = {"light": {}, "dark": {}, "print": {}}
    for media, body in _blocks(CSS.read_text("utf-8")):
        values = dict(re.findall(r"(--[\w-]+)\s*:\s*([^;]+);", body))
        targets = {"": ("light", "dark", "print"), "print": ("print",)}.get(media, ())
        if "prefers-color-scheme: dark" in media and "print" not in media:
            targets = ("dark",)
        for name in targets:
            schemes[name].update({k: v.strip() for k, v in values.items()})
    return schemes


def _luminance(colour: str) -> float:
    """WCAG relative luminance of #rgb or #rrggbb."""
    h = colour.lstrip("#")
    h = "".join(c * 2 for c in h) if len(h) == 3 else h
    channels = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours."""
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_ratios_are_computed_as_wcag_defines_them() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the classic 4.5:1 grey
    assert contrast("#fff", "#ffffff") == 1.0


def test_the_css_has_every_chart_colour_in_each_scheme() -> None:
    schemes = _schemes()
    assert schemes["light"]["--bg"] == "#ffffff" and schemes["dark"]["--bg"] == "#121212"
    assert schemes["print"]["--bg"] == "#fff"  # print's own :root
    for scheme in schemes.values():
        assert set(PROPERTIES.values()) <= set(scheme)


@pytest.mark.parametrize("scheme", ["light", "dark", "print"])
def test_every_chart_colour_stands_out_from_the_page(scheme: str) -> None:
    colours = _schemes()[scheme]
    bg = colours["--bg"]
    needs = {**dict.fromkeys(TEXT, 4.5), **dict.fromkeys(MARKS, 3.0)}
    weak = [
        f"{p} {colours[p]} is {contrast(colours[p], bg):.2f}:1 (needs {need})"
        for p, need in needs.items()
        if contrast(colours[p], bg) < need
    ]
    if contrast(colours["--chart-bg"], bg) > 1.01:  # an open mark's inside and a label's knockout: the page itself
        weak.append(f"--chart-bg {colours['--chart-bg']} is not the page's {bg}: open marks and knockouts would show")
    assert not weak, f"faint chart colours in {scheme} ({CSS}):\n" + "\n".join(weak)


def test_the_figures_are_drawn_in_the_css_light_colours_and_switch_to_its_dark_ones() -> None:
    schemes = _schemes()
    for name, prop in PROPERTIES.items():
        assert getattr(LIGHT, name) == schemes["light"][prop], prop  # the export's colours, which drawing.py maps
        assert getattr(DARK, name) == schemes["dark"][prop], prop  # charts.js's Plotly view in dark mode
