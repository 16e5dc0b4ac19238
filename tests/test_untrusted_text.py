"""Untrusted text stays text: script, event-handler and javascript: payloads in a fact label, a
quote, the site settings and the story Markdown never execute on any built page."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from helpers.html import Page, Script, pages_of
from helpers.project import Result, edit

PAYLOADS = [
    "<script>alert(document.domain)</script>",
    "</script><script>alert(document.domain)</script>",
    "<img src=x onerror=alert(document.domain)>",
    '<a href="javascript:alert(document.domain)">click</a>',
    '" onmouseover="alert(document.domain)" x="',
    "' onmouseover='alert(document.domain)' x='",
    "<svg onload=alert(document.domain)></svg>",
    "<iframe src=javascript:alert(document.domain)></iframe>",
    "--></style></title></textarea><script>alert(document.domain)</script>",
]
ALL = " ".join(PAYLOADS)
# Markdown's own ways to make a link or image, each pointing at script (no digits: the story refuses them).
MARKDOWN = """
[click](javascript:alert(document.domain)) [mixed](JaVaScRiPt:alert(document.domain))
[spaced]( javascript:alert(document.domain) ) [entity](java&Tab;script:alert(document.domain))
<javascript:alert(document.domain)> [data](data:text/html,<script>alert(document.domain)</script>)
![pic](x" onerror="alert(document.domain)) [ref][evil]

[evil]: javascript:alert(document.domain)

<div onmouseover="alert(document.domain)">raw block</div>
"""
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset", "background"}
EXECUTABLE_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet"}


def findings(page: Page) -> list[str]:
    """Anything on a parsed page a browser could execute, each with the page and line."""
    found = []
    for element in page.elements:
        where = f"{page.name}:{element.line}: <{element.tag}>"
        only_target = element.tag == "base" and set(element.attrs) == {"target"}  # the embed's: links open on top
        if element.tag in EXECUTABLE_TAGS and not only_target:
            found.append(f"{where} is an embedding tag")
        for name, value in element.attrs.items():
            if name.startswith("on"):
                found.append(f"{where} has the event handler {name}")
            squeezed = re.sub(r"[\x00-\x20]", "", value).lower()
            if name in URL_ATTRIBUTES and squeezed.startswith(("javascript:", "vbscript:", "data:text/html")):
                found.append(f"{where} {name} is a script URL: {value}")
            if element.tag == "meta" and name == "content" and "url=" in squeezed and "javascript:" in squeezed:
                found.append(f"{where} refreshes to a script URL")
    for script in page.scripts:
        found += check_script(script, f"{page.name}:{script.line}: <script>")
    return found


def check_script(script: Script, where: str) -> list[str]:
    """Only JSON data blocks (which must parse whole) and same-site external scripts."""
    attrs, body = script.attrs, script.body
    if attrs.get("type") in ("application/json", "application/ld+json"):  # data, never run
        if "data-src" in attrs:  # the card data, fetched from a file of the site's own by reader.js
            if body or re.match(r"[a-z][a-z0-9+.-]*:|//", attrs["data-src"], re.IGNORECASE):
                return [f"{where} data block names a file elsewhere or holds data itself: {attrs['data-src']}"]
            return []
        try:
            json.loads(body)
        except ValueError:
            return [f"{where} JSON block was cut short (closed by its content?)"]
        return []
    if attrs.get("src"):
        found = []
        if re.match(r"[a-z][a-z0-9+.-]*:|//", attrs["src"], re.IGNORECASE):
            found.append(f"{where} loads a script from elsewhere: {attrs['src']}")
        if body.strip():
            found.append(f"{where} has inline code besides its src")
        return found
    return [f"{where} is an inline script: {body[:60]!r}"]


def audit(dist: Path) -> tuple[list[str], str]:
    """Every finding on every HTML page of a built site, and all their text outside scripts."""
    found, text = [], []
    for page in pages_of(dist).values():
        found += findings(page)
        text += [t.data for t in page.texts if "script" not in t.parents]
    return found, " ".join(text)


def yaml_text(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def replace_line(path: Path, start: str, new: str) -> None:
    """Replace the one line that starts with `start`."""
    lines = path.read_text(encoding="utf-8").split("\n")
    matches = [i for i, line in enumerate(lines) if line.startswith(start)]
    assert len(matches) == 1, f"{start!r} starts {len(matches)} lines of {path}"
    lines[matches[0]] = new
    path.write_text("\n".join(lines), encoding="utf-8")


def inject(project: Path) -> None:
    """Put every payload into a label, a quote, the site settings, the source's notes and the story."""
    facts = project / "content" / "facts.yaml"
    replace_line(
        facts, "    label: Zone's share of Xiamen's industrial output", f"    label: {yaml_text('Share ' + ALL)}"
    )
    replace_line(
        facts,
        '    quote: "contributed to 43 percent',
        f"    quote: {yaml_text('contributed to 43 percent of the city’s industrial output ' + ALL)}",
    )
    replace_line(facts, "    publisher_note: ", f"    publisher_note: {yaml_text(ALL)}")
    config = project / "content" / "site.yaml"
    replace_line(config, "title: ", f"title: {yaml_text('Torch ' + ALL)}")
    replace_line(config, "description: ", f"description: {yaml_text(ALL)}")
    story = project / "content" / "story.md"
    cited = "\n\n".join(PAYLOADS) + "\n" + MARKDOWN  # each sentence cites a claim, as every story sentence must
    cited = "\n".join(line + "[[land]]" if line.strip() else line for line in cited.split("\n"))
    edit(story, "## Anchor firms\n", "## Anchor firms\n\n" + cited + "\n")
    edit(story, "## Growth measured in multiples", "## Growth " + PAYLOADS[0] + " measured")


def test_payloads_stay_text_on_every_page(whole_project: Path, cli: Callable[..., Result]) -> None:
    assert cli("build").code == 0
    assert audit(whole_project / "dist")[0] == []  # the clean site passes the audit it is held to
    inject(whole_project)
    result = cli("build")
    assert result.code == 0, result.err
    found, text = audit(whole_project / "dist")
    assert found == []
    # Escaped, not dropped: the label and quote show the payload as the characters the editor typed.
    assert "Share " + ALL in text
    assert "contributed to 43 percent of the city’s industrial output " + ALL in text
    assert "raw block" in text


def test_the_audit_catches_what_it_looks_for(tmp_path: Path) -> None:
    """The audit itself fails on each kind of executable markup (so a pass means something)."""
    bad = [
        "<script>alert(document.domain)</script>",
        '<script type="application/json">{"title": "</script><script>alert(document.domain)</script>"}</script>',
        '<script src="https://cdn.example/x.js"></script>',
        "<img src=x onerror=alert(document.domain)>",
        '<a href=" JaVaScRiPt:alert(document.domain)">x</a>',
        '<a href="&#106;avascript:alert(document.domain)">x</a>',
        "<iframe src=about:blank></iframe>",
        '<svg><a xlink:href="javascript:alert(document.domain)">x</a></svg>',
    ]
    for number, snippet in enumerate(bad):
        (tmp_path / f"{number}.html").write_text(f"<!doctype html><p>{snippet}</p>", encoding="utf-8")
    found, _ = audit(tmp_path)
    assert sorted({line.split(":")[0] for line in found}) == [f"{n}.html" for n in range(len(bad))]
