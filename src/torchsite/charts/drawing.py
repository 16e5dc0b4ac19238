"""An exported SVG made into the page's inline drawing: marks interactive, colours from CSS, Plotly's extras gone."""

from __future__ import annotations

import copy
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

from markupsafe import Markup

from torchsite.charts.kind import LAYOUTS
from torchsite.charts.model import LIGHT, Chart, Row

SVG = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
# The palette's colours as the site's custom properties (site.css defines them for light, dark and print).
PROPERTIES = {
    "fg": "--chart-text",
    "muted": "--chart-muted",
    "grid": "--chart-grid",
    "primary": "--chart-accent",
    "secondary": "--chart-neutral",
    "bg": "--chart-bg",
}
UNUSED = ("hoverlayer", "draglayer", "menulayer", "zoomlayer", "glimages", "selectionlayer")
HIT = 24.0  # the smallest area a mark can be pointed at or touched, in CSS pixels as shown (WCAG 2.5.8)
# The smallest frame each layout is shown in (kind.py: narrow from 288 px, wide from 481 px): a hit area is drawn
# HIT x width / smallest in the drawing's own units, so it stays 24 CSS px however far the drawing is scaled down.
SMALLEST_FRAME = {"narrow": 288.0, "wide": 481.0}
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")
_TRANSLATE = re.compile(r"translate\((-?[\d.]+),\s*(-?[\d.]+)\)")


def colours() -> dict[str, str]:
    """Each palette colour as Plotly writes it ('rgb(164, 51, 28)') -> the custom property with its light value."""
    out = {}
    for name, prop in PROPERTIES.items():
        value = getattr(LIGHT, name)
        r, g, b = (int(value[i : i + 2], 16) for i in (1, 3, 5))
        out[f"rgb({r}, {g}, {b})"] = f"var({prop}, {value})"
    return out


COLOURS = colours()


def inline(svg: bytes, chart: Chart, layout: str) -> Markup:
    """The exported SVG of one layout as the page shows it inline."""
    root = ET.fromstring(svg)
    _strip(root)
    _recolour(root)
    figure = chart.drawings[layout]
    rows = {row.id: row for row in chart.rows}
    _place_labels(root, figure)
    hit = HIT * next(lay.width for lay in LAYOUTS if lay.name == layout) / SMALLEST_FRAME[layout]
    _labels(root, figure, rows, _marks(root, figure, rows, hit), hit)
    for name in ("width", "height", "style", "class"):
        root.attrib.pop(name, None)
    root.set("class", f"chart-drawing chart-{layout}")
    root.set("role", "group")
    root.set("aria-label", chart.alt)
    for text in root.iter(f"{{{SVG}}}text"):  # what the labels say, each mark's name and the alt say already
        text.set("aria-hidden", "true")
    return Markup(ET.tostring(root, encoding="unicode"))


def _tag(element: ET.Element) -> str:
    """An element's tag without its namespace."""
    return element.tag.rpartition("}")[2]


def _classes(element: ET.Element) -> list[str]:
    """An element's classes."""
    return element.get("class", "").split()


def _strip(root: ET.Element) -> None:
    """Remove Plotly's interactive layers, empty groups and paths, and the font family each text repeats."""
    for parent in list(root.iter()):
        for child in list(parent):
            if any(c in UNUSED for c in _classes(child)):
                parent.remove(child)
    for element in root.iter():
        style = element.get("style")
        if style is not None:
            kept = [d.strip() for d in style.split(";") if d.strip() and not d.strip().startswith("font-family")]
            if kept:
                element.set("style", "; ".join(kept) + ";")
            else:
                del element.attrib["style"]
    _drop_empty(root)


def _drop_empty(element: ET.Element) -> bool:
    """Drop empty groups and paths below an element; True when the element itself is empty and droppable."""
    for child in list(element):
        if _drop_empty(child):
            element.remove(child)
    if _tag(element) == "g":
        return len(element) == 0
    if _tag(element) == "path":
        return element.get("d") in (None, "", "M0,0")
    return False


def _recolour(root: ET.Element) -> None:
    """Every palette colour as a custom property, in style (presentation attributes cannot take var())."""
    for element in root.iter():
        moved = []
        for attr in ("fill", "stroke"):
            value = element.get(attr)
            if value in COLOURS:
                moved.append(f"{attr}: {COLOURS[value]};")
                del element.attrib[attr]
        style = element.get("style", "")
        for plain, prop in COLOURS.items():
            style = style.replace(plain, prop)
        style = " ".join([style, *moved]).strip()
        if style:
            element.set("style", style)


def _traces(root: ET.Element, kind: str) -> Iterator[ET.Element]:
    """The drawn traces of one type ('bars' or 'scatter'), in the figure's order."""
    for element in root.iter():
        if _tag(element) == "g" and "trace" in _classes(element) and kind in _classes(element):
            yield element


def _points(trace: ET.Element) -> list[ET.Element]:
    """A trace's drawn points, in data order: a bar's path, or a scatter marker's path."""
    found = []
    for element in trace.iter():
        if "point" in _classes(element) and _tag(element) == "g":
            found += [c for c in element if _tag(c) == "path"][:1]
        elif "point" in _classes(element) and _tag(element) == "path":
            found.append(element)
    return found


def _marks(root: ET.Element, figure: dict[str, Any], rows: dict[str, Row], hit: float) -> set[str]:
    """Give every mark its fact, keyboard focus and accessible name; tiny marks get a hit area around them.

    Returns the facts that have a mark."""
    marked: set[str] = set()
    for kind, types in (("bars", ("bar",)), ("scatter", ("scatter",))):
        data = [t for t in figure["data"] if t.get("type") in types]
        for trace, drawn in zip(data, _traces(root, kind), strict=False):
            parent = {child: el for el in drawn.iter() for child in el}
            for ident, path in zip(trace.get("customdata") or [], _points(drawn), strict=False):
                path.set("class", " ".join(c for c in _classes(path) if not c.startswith("plotly-")))
                if not ident:  # a drawn part of no figure (a bar's copy, an open end): not read, not hit
                    path.set("aria-hidden", "true")
                    path.set("pointer-events", "none")  # a pointer reaches the mark under it
                    continue
                _make_mark(_hit_area(path, parent[path], hit), rows[ident])
                marked.add(ident)
    return marked


def _make_mark(target: ET.Element, row: Row) -> None:
    """An element the reader can point at, touch and tab to, named by its figure as prose and table say it."""
    kept = [c for c in _classes(target) if not c.startswith("plotly-")]
    target.set("class", " ".join([*kept, "mark"]))
    target.set("data-fact", row.id)
    target.set("tabindex", "0")
    target.set("role", "button")
    target.set("aria-haspopup", "dialog")
    target.set("aria-expanded", "false")  # said in the markup: a drawing fetched after load is announced closed too
    target.set("aria-label", row.named)


def _grow(rect: ET.Element, hit: float) -> None:
    """A rect made at least `hit` units wide and tall about its centre."""
    for start, size in (("x", "width"), ("y", "height")):
        have = float(rect.get(size, "0"))
        if have < hit:
            rect.set(start, _n(float(rect.get(start, "0")) - (hit - have) / 2))
            rect.set(size, _n(hit))


def _hit_area(path: ET.Element, parent: ET.Element, hit: float) -> ET.Element:
    """The element that carries a mark: the path itself, or a transparent rect of at least `hit` units around it."""
    numbers = [float(n) for n in _NUMBER.findall(path.get("d", ""))]
    d = path.get("d", "")
    xs, ys = _extent(d) if d.startswith("M") and "V" in d else ([], [])
    moved = _TRANSLATE.search(path.get("transform", ""))
    if xs and ys:
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    elif moved and numbers:
        size = max(abs(n) for n in numbers)
        x0, x1, y0, y1 = -size, size, -size, size
    else:
        return path
    if x1 - x0 >= hit and y1 - y0 >= hit:
        return path
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    w, h = max(hit, x1 - x0), max(hit, y1 - y0)
    # A bar drawn from the plot's edge keeps its area inside the plot (a thin bar from 0 had half its area outside
    # the drawing, where no pointer reaches it); any other mark's stays centred on it.
    left = max(cx - w / 2, 0) if xs and x0 >= 0 else cx - w / 2
    top = max(cy - h / 2, 0) if xs and y0 >= 0 else cy - h / 2
    rect = ET.Element(f"{{{SVG}}}rect", {"x": _n(left), "y": _n(top), "width": _n(w), "height": _n(h)})
    rect.set("style", "fill: transparent;")
    if moved:
        rect.set("transform", moved.group(0))
    path.set("aria-hidden", "true")
    parent.insert(list(parent).index(path) + 1, rect)
    return rect


def _extent(d: str) -> tuple[list[float], list[float]]:
    """The x and y coordinates of a bar's path (M x,y V y H x V y Z, as Plotly draws bars)."""
    xs: list[float] = []
    ys: list[float] = []
    for command, args in re.findall(r"([MVHL])([^MVHLZ]*)", d):
        values = [float(n) for n in _NUMBER.findall(args)]
        if command in "ML" and len(values) >= 2:
            xs.append(values[0])
            ys.append(values[1])
        elif command == "V":
            ys += values
        elif command == "H":
            xs += values
    return xs, ys


def _n(value: float) -> str:
    """A coordinate as short text."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _place_labels(root: ET.Element, figure: dict[str, Any]) -> None:
    """Put each annotation's text at its box's padding on the side it is aligned to, as its advance width says.

    Plotly places the text by its measured box, which Chromium widens by a glyph's overhang (the T of a line
    starting "Two"): such a label sat a pixel off the others of its column. The box itself is placed by the anchor."""
    notes = figure["layout"].get("annotations", [])
    for element in root.iter():
        index = element.get("data-index")
        if "annotation" not in _classes(element) or index is None or int(index) >= len(notes):
            continue
        box = next((r for r in element.iter(f"{{{SVG}}}rect") if "bg" in _classes(r)), None)
        text = next((t for t in element.iter(f"{{{SVG}}}text") if "annotation-text" in _classes(t)), None)
        if box is None or text is None:
            continue
        border, pad = float(notes[int(index)].get("borderwidth", 1)), float(notes[int(index)].get("borderpad", 1))
        outer = float(box.get("width", 0)) + border  # the box's width, border included (Plotly draws it inset)
        anchor = text.get("text-anchor", "middle")
        x = _n({"start": border + pad, "end": outer - border - pad}.get(anchor, outer / 2))
        for placed in (text, *(t for t in text if _tag(t) == "tspan" and "line" in _classes(t))):
            placed.set("x", x)


def _labels(root: ET.Element, figure: dict[str, Any], rows: dict[str, Row], marks: set[str], hit: float) -> None:
    """Tie each annotation's text to the mark it labels (the annotation's name is the fact's id); a figure drawn
    only as words (a multiple, a total) gets its annotation's box, grown to `hit` units, as a transparent mark over
    a copy of the box that stays the label's knockout."""
    notes = figure["layout"].get("annotations", [])
    for element in root.iter():
        index = element.get("data-index")
        if "annotation" not in _classes(element) or index is None or int(index) >= len(notes):
            continue
        ident = notes[int(index)].get("name")
        if not ident:
            continue
        box = next((r for r in element.iter(f"{{{SVG}}}rect") if "bg" in _classes(r)), None)
        if ident not in marks and box is not None:
            parent = next(el for el in element.iter() if box in list(el))
            parent.insert(list(parent).index(box), copy.deepcopy(box))  # the label's knockout stays under its mark
            box.set("style", "fill: transparent;")
            _grow(box, hit)
            _make_mark(box, rows[ident])
        for text in element.iter(f"{{{SVG}}}text"):
            text.set("data-for", ident)
