"""Hostile and broken input: nothing outside the output folder is touched, no markup or hidden character from
content reaches a page, and every case is one located line with exit 1 (or 2 for the command line), never a
traceback. Each test is a class of input, tried with several payloads."""

from __future__ import annotations

import http.client
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers.html import read_page
from helpers.project import Result, Site, edit, leftovers, line_of, override, tree_hash
from torchsite import serve
from torchsite.inputs.facts import RESERVED_IDS
from torchsite.output.guard import MARKER

NOT_WRITTEN = "torchsite: 1 problem; nothing was written"
UTF16 = "content/site.yaml:1:1: the file looks like UTF-16, not UTF-8 (hint: save it as UTF-8)"
NUL = "control character U+0000 is not allowed (hint: delete it: was the file saved by another program?)"
DIGITS = "figures have at most 15 (hint: check the value, or quote it if it is text)"
ABSOLUTE = "expected an absolute http(s) URL such as 'https://example.org/site/', got"


def one_problem(result: Result) -> str:
    """The single problem line of a failed run (asserting exit 1 and nothing else printed)."""
    lines = result.err.splitlines()
    assert (result.code, len(lines), lines[-1]) == (1, 2, NOT_WRITTEN), result.err
    return lines[0]


# --- Output safety -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("folder", ["docs", "src", ".git", "notes"])
def test_out_refuses_a_folder_it_did_not_write(project: Path, cli: Callable[..., Result], folder: str) -> None:
    (project / folder).mkdir()
    (project / folder / "keep.md").write_text("mine", encoding="utf-8")
    result = cli("build", "--out", folder)
    assert (result.code, result.err) == (
        2,
        f"torchsite: error: --out {folder} holds files torchsite did not write (it has no {MARKER} file); "
        "building there would delete them: choose a new or empty folder, or empty this one yourself\n",
    )
    assert (project / folder / "keep.md").read_text(encoding="utf-8") == "mine"


def test_out_refuses_the_project_its_parents_and_a_folder_holding_a_project(
    project: Path, cli: Callable[..., Result]
) -> None:
    for out in (".", "..", str(project.parent.parent)):
        result = cli("build", "--out", out)
        assert (result.code, result.err) == (
            2,
            f"torchsite: error: --out {out} holds the project itself; building there would replace it "
            "(use a folder of its own, such as dist)\n",
        )
    (project / "other" / ".git").mkdir(parents=True)
    (project / "other" / MARKER).write_text("forged", encoding="utf-8")
    result = cli("build", "--out", "other")
    assert result.code == 0  # a marker says torchsite wrote it: replacing it is the point
    (project / "work" / ".git").mkdir(parents=True)
    result = cli("build", "--out", "work")
    assert (result.code, result.err) == (
        2,
        "torchsite: error: --out work holds .git/; building there would replace it "
        "(use a folder of its own, such as dist)\n",
    )
    assert (project / "work" / ".git").is_dir()


def test_a_built_site_carries_the_marker_and_is_rebuilt_in_place(project: Path, cli: Callable[..., Result]) -> None:
    assert cli("build", "--out", "docs").code == 0
    assert (project / "docs" / MARKER).is_file()
    assert (project / "docs" / "index.html").is_file()
    assert cli("build", "--out", "docs").code == 0


def test_a_lock_file_that_is_a_link_is_never_written_through(project: Path, cli: Callable[..., Result]) -> None:
    victim = project / "precious.txt"
    victim.write_text("precious", encoding="utf-8")
    (project / ".dist.lock").symlink_to(victim)
    result = cli("build")
    assert (result.code, result.err) == (
        2,
        "torchsite: error: the lock file .dist.lock is not a plain file; torchsite never writes through a link "
        "(remove it)\n",
    )
    assert victim.read_text(encoding="utf-8") == "precious"
    assert not (project / "dist").exists()


def test_leftovers_of_a_killed_build_are_removed_by_the_next(project: Path, cli: Callable[..., Result]) -> None:
    for name in (".dist-staging-k1ll3d", ".dist-old-k1ll3d"):
        (project / name / "site").mkdir(parents=True)
        (project / name / "site" / "index.html").write_text("half", encoding="utf-8")
    elsewhere = project / "elsewhere"
    elsewhere.mkdir()
    (project / ".dist-staging-link").symlink_to(elsewhere)  # never followed, never removed
    assert cli("build").code == 0
    assert leftovers(project) == [".dist-staging-link"]
    assert elsewhere.is_dir()


# --- Hidden characters and broken encodings -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("char", "named"),
    [
        (
            "\u202e",
            "bidi control U+202E RIGHT-TO-LEFT OVERRIDE is not allowed (hint: delete it: it makes text show "
            "in another order than it is read)",
        ),
        (
            "\u2067",
            "bidi control U+2067 RIGHT-TO-LEFT ISOLATE is not allowed (hint: delete it: it makes text show "
            "in another order than it is read)",
        ),
        (
            "\u200b",
            "invisible character U+200B ZERO WIDTH SPACE is not allowed (hint: delete it: it hides "
            "differences readers cannot see)",
        ),
        (
            "\u2060",
            "invisible character U+2060 WORD JOINER is not allowed (hint: delete it: it hides differences "
            "readers cannot see)",
        ),
        ("\x1b", "control character U+001B is not allowed (hint: delete it: was the file saved by another program?)"),
    ],
)
def test_hidden_characters_are_located_errors_in_every_content_file(
    project: Path, cli: Callable[..., Result], char: str, named: str
) -> None:
    story = project / "content" / "story.md"
    edit(story, "from {{output_start}}", f"from {char}{{{{output_start}}}}")
    col = story.read_text(encoding="utf-8").splitlines()[2].index(char) + 1
    assert one_problem(cli("check")) == f"content/story.md:3:{col}: {named}"
    edit(story, f"from {char}{{{{output_start}}}}", "from {{output_start}}")
    facts = project / "content" / "facts.yaml"
    edit(facts, "label: Annual industrial output at the time", f"label: Annual industrial{char} output at the time")
    line = line_of(facts, f"industrial{char}")
    assert one_problem(cli("check")) == f"content/facts.yaml:{line}:29: {named}"


def test_many_hidden_characters_are_counted_not_listed(project: Path, cli: Callable[..., Result]) -> None:
    site = project / "content" / "site.yaml"
    site.write_bytes(site.read_bytes() + b"# \x00\x00\x00\x00\x00\x00\x00\x00\n")
    lines = cli("check").err.splitlines()
    last = len(site.read_text(encoding="utf-8").splitlines())
    assert lines == [
        "content/site.yaml: 3 more hidden characters not listed",
        *[f"content/site.yaml:{last}:{col}: {NUL}" for col in range(3, 8)],
        "torchsite: 6 problems; nothing was written",
    ]


def test_utf16_and_binary_files_are_named(project: Path, cli: Callable[..., Result]) -> None:
    site = project / "content" / "site.yaml"
    text = site.read_text(encoding="utf-8")
    site.write_bytes(text.encode("utf-16-le"))
    assert one_problem(cli("check")) == UTF16
    site.write_bytes(text.encode("utf-16-be"))
    assert one_problem(cli("check")) == UTF16
    site.write_text(text, encoding="utf-8")  # impact checks the project first: the old file is the one at fault
    binary = project / "old.yaml"
    binary.write_bytes(b"\x7fELF\x02\x01\x01" + bytes(64) + b"facts: []\n")
    result = cli("impact", "--against", "old.yaml")
    assert (result.code, result.err.splitlines()[:3]) == (
        1,
        [
            "old.yaml: 63 more hidden characters not listed",
            "old.yaml:1:1: control character U+007F is not allowed (hint: delete it: was the file saved by another "
            "program?)",
            "old.yaml:1:5: control character U+0002 is not allowed (hint: delete it: was the file saved by another "
            "program?)",
        ],
    )
    binary.write_bytes(bytes(range(256)))
    assert one_problem(cli("impact", "--against", "old.yaml")) == (
        "old.yaml:2:118: not valid UTF-8 (byte 0x80) (hint: save the file as UTF-8)"
    )


def test_an_unreadable_or_non_utf8_template_is_located(project: Path, cli: Callable[..., Result]) -> None:
    page = override(project, "facts.html")
    page.write_bytes(b"\xff\xfe{% extends 'base.html' %}")
    assert one_problem(cli("build")) == (
        "templates/facts.html: template: not valid UTF-8 (byte 0xff at offset 0) (hint: save it as a UTF-8 text file)"
    )
    page.unlink()
    page.mkdir()  # not skipped for the package's default: the project's own facts.html was meant to win
    assert one_problem(cli("build")) == (
        "templates/facts.html: template: is a folder, not a file (hint: remove it, or put the template file there)"
    )


# --- Values the schema bounds -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "9" * 400,
            f"a number of 400 digits; {DIGITS}",
        ),
        (
            "0." + "0" * 30 + "1",
            f"a number of 32 digits; {DIGITS}",
        ),
        ("-1992", "expected a year written with four digits, got -1992"),
        ("0", "expected a year written with four digits, got 0"),
        ("19920", "expected a year written with four digits, got 19920"),
        ("1992.5", "expected a year written with four digits, got 1992.5"),
    ],
)
def test_big_numbers_and_odd_years_are_refused(
    project: Path, cli: Callable[..., Result], value: str, message: str
) -> None:
    facts = project / "content" / "facts.yaml"
    edit(facts, "value: 1992\n", f"value: {value}\n")
    line = line_of(facts, f"value: {value}")
    assert one_problem(cli("build")) == f"content/facts.yaml:{line}:12: facts.abb_arrival.value: {message}"
    assert not (project / "dist").exists()


def test_a_long_value_is_quoted_as_a_short_excerpt(project: Path, cli: Callable[..., Result]) -> None:
    (project / "content" / "site.yaml").write_text("secret " * 500 + "\n", encoding="utf-8")
    assert one_problem(cli("check")) == (
        "content/site.yaml:1:1: expected a mapping of fields, got "
        "'secret secret secret secret secret secret secret secret sec…'"
    )


def test_a_content_file_linking_out_of_the_project_is_not_followed(project: Path, cli: Callable[..., Result]) -> None:
    outside = project.parent / f"{project.name}-secret.yaml"
    outside.write_text("password: hunter2\n", encoding="utf-8")
    site = project / "content" / "site.yaml"
    site.unlink()
    site.symlink_to(outside)
    result = cli("check")
    assert one_problem(result) == (
        "content/site.yaml: a link to a file outside the project; torchsite does not follow it "
        "(hint: copy the file into the project instead of linking to it)"
    )
    assert "hunter2" not in result.err + result.out
    inside = project / "content" / "site-real.yaml"
    inside.write_text("title: t\ndescription: d\n", encoding="utf-8")
    site.unlink()
    site.symlink_to(inside)
    assert cli("check").code == 0  # a link within the project is fine


# --- Look-alikes, NFC, hedges -----------------------------------------------------------------------------


def test_a_hint_that_would_look_identical_names_code_points(project: Path, cli: Callable[..., Result]) -> None:
    facts = project / "content" / "facts.yaml"
    edit(facts, "    unit: years\n    qualifier: exact", "    unit: years\n    qualifier: exаct")  # Cyrillic а
    line = line_of(facts, "qualifier: exаct")
    assert one_problem(cli("check")) == (
        f"content/facts.yaml:{line}:16: facts.zone_age.qualifier: expected one of exact, about, nearly, more_than, "
        "less_than, at_least, at_most; got 'exаct' (hint: did you mean 'exact'? "
        "(U+0430 CYRILLIC SMALL LETTER A where U+0061 LATIN SMALL LETTER A is expected))"
    )
    edit(facts, "qualifier: exаct", "qualifier: exact")
    edit(facts, "    theme: growth\n    label: Age of", "    theme: grоwth\n    label: Age of")  # Cyrillic о
    assert one_problem(cli("check")) == (
        f"content/facts.yaml:{line - 4}:12: facts.zone_age.theme: expected an id in snake_case, got 'grоwth' "
        "(hint: use a-z, 0-9 and _, starting with a letter; it has U+043E CYRILLIC SMALL LETTER O)"
    )
    edit(facts, "theme: grоwth", "theme: growth")
    edit(project / "content" / "story.md", "Over {{zone_age}}", "Over {{zone_аge}}")
    assert one_problem(cli("check")) == (
        "content/story.md:3:6: story: '{{zone_аge}}' is not a fact reference (hint: write {{fact_id}}, or "
        "{{fact_id:as_of}} for the period it refers to; it has U+0430 CYRILLIC SMALL LETTER A)"
    )


def test_quotes_and_source_are_compared_after_nfc(project: Path, cli: Callable[..., Result]) -> None:
    facts = project / "content" / "facts.yaml"
    edit(facts, 'quote: "to more than 300 billion yuan"', 'quote: "to more than 300 billion yuan in Xiame\u0301n"')
    source = project / "source.txt"
    source.write_text("The output rose to more than 300 billion yuan in Xiam\u00e9n.\n", encoding="utf-8")
    result = cli("check", "--source", "source.txt")
    problems = [line for line in result.err.splitlines() if "output_latest" in line]
    assert problems == []  # the NFD quote is the NFC source's passage


def test_check_source_sees_the_hedge_just_before_a_quote(project: Path, cli: Callable[..., Result]) -> None:
    facts = project / "content" / "facts.yaml"
    edit(facts, 'quote: "to more than 300 billion yuan"', 'quote: "300 billion yuan"')
    edit(
        facts,
        "value: 300000000000\n    unit: CNY\n    qualifier: more_than",
        "value: 300000000000\n    unit: CNY\n    qualifier: exact",
    )
    source = project / "source.txt"
    source.write_text("Its output increased to more than 300 billion yuan.\n", encoding="utf-8")
    line = line_of(facts, "value: 300000000000")
    lines = [p for p in cli("check", "--source", "source.txt").err.splitlines() if "output_latest.value" in p]
    assert lines == [
        f"content/facts.yaml:{line}:12: facts.output_latest.value: with the words just before the quote, the source "
        "says 'more than 300 billion' (more than) but the qualifier is exact (hint: set qualifier: more_than, and "
        "quote the hedge too)"
    ]


# --- Ids, URLs, Markdown --------------------------------------------------------------------------------


def test_a_fact_id_cannot_take_an_id_the_pages_use(project: Path, cli: Callable[..., Result]) -> None:
    facts = project / "content" / "facts.yaml"
    named = ("facts.yaml", "story.md", "methodology.md", "story.zh-Hans.md", "methodology.zh-Hans.md", "site.yaml")
    paths = [project / "content" / name for name in named]
    paths.append(project / "content" / "charts.yaml")
    originals = {path: path.read_text(encoding="utf-8") for path in paths}
    for path, text in originals.items():  # the fact renamed everywhere it is named: only the id is at fault
        path.write_text(text.replace("zone_age", "main"), encoding="utf-8")
    assert one_problem(cli("check")) == (
        f"content/facts.yaml:{line_of(facts, '- id: main')}:9: facts.main.id: the id 'main' is taken by the pages "
        "themselves (hint: choose another id)"
    )
    for path, text in originals.items():  # a claim's anchor is its bare id too
        path.write_text(text.replace("growth_area", "claims"), encoding="utf-8")
    assert one_problem(cli("check")) == (
        f"content/facts.yaml:{line_of(facts, '- id: claims')}:9: claims.claims.id: the id 'claims' is taken by the "
        "pages themselves (hint: choose another id)"
    )


def test_every_bare_id_the_pages_use_is_a_figure_or_reserved(real_site: Site) -> None:
    """Fact anchors are bare ids: any other id a template writes without a hyphen must be reserved."""
    facts = (real_site.out.parent / "content" / "facts.yaml").read_text(encoding="utf-8")
    figures = set(re.findall(r"^  - id: ([a-z0-9_]+)$", facts, re.M))
    bare = {
        ident for page in real_site.pages().values() for ident in page.ids if re.fullmatch(r"[a-z][a-z0-9_]*", ident)
    }
    assert bare - figures <= RESERVED_IDS and "main" in bare


@pytest.mark.parametrize(
    ("base_url", "message"),
    [
        (
            'https://example.org/"><meta http-equiv="refresh" content="0;url=https://evil.example/"><x y="',
            "base_url may not contain '\"'",
        ),
        ("https://example.org/a b/", "base_url may not contain ' '"),
        ("https://example.org/<x>/", "base_url may not contain '<'"),
        (
            "javascript://example.org/%0aalert(1)/",
            f"{ABSOLUTE} 'javascript://example.org/%0aalert(1)/'",
        ),
        (
            "//example.org/",
            f"{ABSOLUTE} '//example.org/'",
        ),
        (
            "https:///nohost/",
            f"{ABSOLUTE} 'https:///nohost/'",
        ),
        (
            "https://example.org/?q=/",
            f"{ABSOLUTE} 'https://example.org/?q=/'",
        ),
        ("https://example.org/site", "base_url must end in '/', got 'https://example.org/site'"),
    ],
)
def test_base_url_is_an_absolute_http_url(
    project: Path, cli: Callable[..., Result], base_url: str, message: str
) -> None:
    site = project / "content" / "site.yaml"
    edit(site, "base_url: https://example.org/torchsite/", f"base_url: '{base_url}'")
    line = line_of(site, "base_url: '")
    assert one_problem(cli("build")) == f"content/site.yaml:{line}:11: base_url: {message}"


def test_print_urls_are_escaped_attributes(project: Path, cli: Callable[..., Result]) -> None:
    site = project / "content" / "site.yaml"
    edit(site, "base_url: https://example.org/torchsite/", "base_url: 'https://news.example.cn/a&b=c/'")
    assert cli("build").code == 0
    page = read_page(project / "dist" / "index.html")
    urls = [a["data-url"] for a in page.all("a") if "data-url" in a]
    assert "https://news.example.cn/a&b=c/facts/" in urls
    assert 'data-url="https://news.example.cn/a&amp;b=c/facts/"' in (project / "dist" / "index.html").read_text(
        encoding="utf-8"
    )


def test_a_paragraph_of_brackets_is_refused_before_markdown(project: Path, cli: Callable[..., Result]) -> None:
    story = project / "content" / "story.md"
    for payload in ("[" * 20_000, "![" * 10_000, "[a](" * 10_000, ("[x] " * 30 + "\n") * 2):
        story.write_text("# Headline\n\nStandfirst.\n\n" + payload + "\n", encoding="utf-8")
        line = 5 if payload.count("\n") < 2 else 6
        assert one_problem(cli("check")).startswith(f"content/story.md:{line}:")
        assert one_problem(cli("check")).endswith(
            "story: more than 50 '[' in one paragraph (hint: a paragraph needs a few links at most)"
        )


def test_a_failed_build_leaves_dist_as_it_was(project: Path, cli: Callable[..., Result], dist_before: str) -> None:
    edit(project / "content" / "story.md", "from {{output_start}}", "from \u202e{{output_start}}")
    assert cli("build").code == 1
    assert tree_hash(project / "dist") == dist_before
    assert os.listdir(project / "dist")


def test_a_malformed_id_stops_the_cascade_of_references_to_it(project: Path, cli: Callable[..., Result]) -> None:
    facts = project / "content" / "facts.yaml"
    edit(facts, "  - id: output_start\n", "  - id: output start\n")
    assert one_problem(cli("check")) == (
        f"content/facts.yaml:{line_of(facts, '- id: output start')}:9: facts[3].id: expected an id in snake_case, "
        "got 'output start' (hint: use a-z, 0-9 and _, starting with a letter)"
    )


# --- Templates cannot run code --------------------------------------------------------------------------------

SANDBOX = (
    "(hint: a template may read the values the build passes and call its helpers (url_for, markdown, fact_links, "
    "href, has_page), not Python's internals)"
)


def plant(project: Path, line: str, name: str = "404.html") -> Path:
    """Override a default template with one line planted at the start of its main block (line 8)."""
    page = override(project, name)
    lines = page.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(7, line + "\n")
    page.write_text("".join(lines), encoding="utf-8")
    return page


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (
            "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
            "11: template: access to attribute '__init__' of 'type' object is unsafe",
        ),
        (
            "{{ ''.__class__.__mro__[1].__subclasses__() }}",
            "7: template: access to attribute '__class__' of 'str' object is unsafe",
        ),
        (
            "{{ url_for.__globals__['os'] }}",
            "12: template: access to attribute '__globals__' of 'function' object is unsafe",
        ),
        (
            "{{ config.__class__.__init__ }}",
            "11: template: access to attribute '__class__' of 'SiteConfig' object is unsafe",
        ),
        ("{{ nav.append(1) }}", "8: template: access to attribute 'append' of 'list' object is unsafe"),
        (
            "{{ lipsum.__globals__.os.system('touch pwned') }}",
            "11: template: access to attribute '__globals__' of 'function' object is unsafe",
        ),
    ],
)
def test_a_template_cannot_reach_python_internals(
    project: Path, cli: Callable[..., Result], payload: str, message: str
) -> None:
    plant(project, payload)
    result = cli("check")
    assert one_problem(result) == f"templates/404.html:8:{message} {SANDBOX}"
    assert "uid=" not in result.out + result.err and not (project / "pwned").exists()


def test_a_template_keeps_its_helpers_and_methods(project: Path, cli: Callable[..., Result]) -> None:
    plant(
        project,
        "<p>T: {{ url_for('facts') }} {{ has_page('facts') }} {{ config.title|upper }} "
        "{{ figures|length }} {{ markdown('*a*', inline=True) }} {{ href('x/') }}</p>",
    )
    assert cli("build").code == 0
    text = read_page(project / "dist" / "404.html").text()
    assert re.search(r"T: \S*facts/ True TORCH AT THIRTY 35 a ", text), text


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("{{ 'a' * 100000000 }}", "a repetition of 100,000,000 is over the limit of 1,000,000"),
        ("{{ [1, 2] * 10000000 }}", "a repetition of 20,000,000 is over the limit of 1,000,000"),
        ("{{ 9 ** 9999999 }}", "a power of 9999999 is over the limit of 64"),
    ],
)
def test_a_template_cannot_make_values_without_end(
    project: Path, cli: Callable[..., Result], payload: str, message: str
) -> None:
    plant(project, payload)
    assert one_problem(cli("check")) == (
        f"templates/404.html:8:1: template: {message} (hint: a page needs far less; check the template's arithmetic)"
    )


MESSAGE_HINT = "(hint: write a percent sign as %%, and give each %(name)s its value: _('...', name=...))"


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ('{{ _("Up 50% on the year") }}', "the message 'Up 50% on the year' has a '%' that is no placeholder"),
        ('{{ _("There{% for %}") }}', "the message 'There{% for %}' has a '%' that is no placeholder"),
        ('{{ _("Read by %(who)s") }}', "the message 'Read by %(who)s' is not given its %(who)s"),
        (
            '{{ ngettext("%(num)d page", "%(num)d pages of %(what)s", 2) }}',
            ("the message '%(num)d pages of %(what)s' is not given its %(what)s"),
        ),
    ],
)
def test_a_template_message_that_cannot_be_filled_in_is_located(
    project: Path, cli: Callable[..., Result], payload: str, message: str
) -> None:
    """Jinja fills every message as a format string: a stray '%' or a placeholder without its value crashed the
    build (exit 3) instead of naming the template's line; a well-formed one still renders, escaped."""
    plant(project, payload)
    problem = one_problem(cli("check"))
    assert problem.startswith("templates/404.html:8:") and problem.endswith(f": template: {message} {MESSAGE_HINT}")
    plant(project, '<p>{{ _("Up 50%% by %(who)s", who="<b>") }} {{ ngettext("%(num)d page", "%(num)d pages", 2) }}</p>')
    assert cli("build").code == 0
    assert "Up 50% by &lt;b&gt; 2 pages" in (project / "dist" / "404.html").read_text(encoding="utf-8")


def test_a_template_including_itself_is_located(project: Path, cli: Callable[..., Result]) -> None:
    loop = (
        "templates include or extend each other without end (hint: a template must not include or extend "
        "itself, directly or through another)"
    )
    (project / "templates").mkdir(exist_ok=True)  # the real project may have its own
    (project / "templates" / "x.html").write_text("{% extends 'x.html' %}", encoding="utf-8")
    (project / "templates" / "404.html").write_text("{% include 'x.html' %}", encoding="utf-8")
    assert one_problem(cli("check")) == f"templates/x.html:1:1: template: {loop}"
    plant(project, "{% include '404.html' %}")
    assert one_problem(cli("check")).startswith("templates/404.html:")
    assert one_problem(cli("check")).endswith(f": template: {loop}")


def test_a_link_to_a_page_that_does_not_exist_is_located(project: Path, cli: Callable[..., Result]) -> None:
    (project / "templates").mkdir(exist_ok=True)  # the real project may have its own
    (project / "templates" / "404.html").write_text(
        "{% extends 'base.html' %}{% block main %}<a {{ href(url_for('method\u202eology')) }}>x</a>{% endblock %}",
        encoding="utf-8",
    )
    assert one_problem(cli("check")) == (
        "templates/404.html:1:1: template: url_for: no page named 'method\\u202eology' (pages: story, facts, chart, "
        "embed, methodology, data, 404)"
    )


# --- No input gets a traceback ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('value: "--05-09"', 'value: "--02-30"'),
        ('value: "--05-09"', 'value: "2020-02-30"'),
        ('value: "--05-09"', 'value: "2019-02-29"'),
        ('value: "--05-09"', 'value: "0000-05-09"'),
        ('value: "2020-10"', 'value: "0000-01"'),
    ],
)
def test_a_date_that_does_not_exist_is_an_error(project: Path, cli: Callable[..., Result], old: str, new: str) -> None:
    facts = project / "content" / "facts.yaml"
    edit(facts, old, new)
    field = "torch_university_founded" if "--05" in old else "service_platforms_launch"
    got = new.split('"')[1]
    assert one_problem(cli("check")) == (
        f"content/facts.yaml:{line_of(facts, new)}:12: facts.{field}.value: '{got}' is not a calendar date"
    )


def test_a_leap_day_without_a_year_is_a_date(project: Path, cli: Callable[..., Result]) -> None:
    edit(project / "content" / "facts.yaml", 'value: "--05-09"', 'value: "--02-29"')
    assert cli("check").code == 0


FORMULA = "formula: output_latest / output_start"


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        ("+".join(["output_start"] * 3001), "text of 39012 characters, over the limit of 2000 (hint: shorten it)"),
        (
            "+".join(["output_start"] * 51),
            "a formula of 51 terms; formulas have at most 50 (hint: split it into derived figures that build on "
            "each other)",
        ),
        (
            "-" * 150 + "output_start",
            "a formula nested more than 100 deep; formulas have at most that (hint: split it into derived figures "
            "that build on each other)",
        ),
        (
            "output_start * " + "9" * 400,
            "the number '" + "9" * 59 + "…' has 400 digits; figures have at most 15 (hint: check the number)",
        ),
        (
            "output_start * 1e400",
            "the number '1e400' is larger than a figure of 15 digits can be (hint: check the number)",
        ),
        (
            "*".join(["output_latest"] * 40),
            "the result is too large for a number (hint: check the formula's inputs and operations)",
        ),
    ],
)
def test_a_formula_beyond_the_bounds_is_located(
    project: Path, cli: Callable[..., Result], formula: str, message: str
) -> None:
    facts = project / "content" / "facts.yaml"
    edit(facts, FORMULA, f"formula: '{formula}'")
    line = line_of(facts, "formula: '")
    assert one_problem(cli("check")) == f"content/facts.yaml:{line}:14: derived.output_growth.formula: {message}"


def test_init_onto_a_dangling_link_or_an_impossible_path(project: Path, cli: Callable[..., Result]) -> None:
    (project / "dangling").symlink_to(project / "nowhere")
    (project / "afile").write_text("x", encoding="utf-8")
    cases = {
        "dangling": "dangling is a link to nothing; give a new or empty folder for the new story",
        "afile/story": "afile/story cannot be written (Not a directory); give a folder that can be",
        "x" * 300: f"{'x' * 300} cannot be written (File name too long); give a folder that can be",
    }
    for folder, message in cases.items():
        result = cli("init", folder)
        assert (result.code, result.err) == (2, f"torchsite: error: {message}\n")
    assert not (project / "nowhere").exists()


def status_of(preview: serve.Preview, path: str) -> tuple[int, bytes]:
    """GET a path of the running preview: status and body."""
    connection = http.client.HTTPConnection("127.0.0.1", preview.server.server_address[1], timeout=20)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_the_preview_answers_a_huge_since_with_400(preview: serve.Preview) -> None:
    for since in ("9" * 5000, "1e9", "0x10", "--1"):
        assert status_of(preview, f"/__torchsite/status?since={since}") == (
            400,
            b"since must be a build generation: a whole number of at most 18 digits\n",
        )
    status, body = status_of(preview, "/__torchsite/status")
    assert status == 200 and b"generation" in body


# --- Only regular files are read, each bounded -----------------------------------------------------------------

BARS = """      - fact: investment_share
        label: Xiamen's industrial fixed-asset investment
"""


@pytest.mark.parametrize("name", ["facts.yaml", "site.yaml", "story.md", "charts.yaml"])
def test_a_content_file_that_is_a_fifo_or_device_is_refused_unopened(
    project: Path, cli: Callable[..., Result], name: str
) -> None:
    path = project / "content" / name
    path.unlink()
    os.mkfifo(path)  # opening it would block for ever
    assert one_problem(cli("check")) == (
        f"content/{name}: is a FIFO (named pipe), not a regular file "
        "(hint: torchsite reads content from regular files only)"
    )
    path.unlink()
    path.mkdir()
    assert one_problem(cli("check")) == f"content/{name}: is a folder, not a file"


def test_check_source_reads_only_a_bounded_regular_file(project: Path, cli: Callable[..., Result]) -> None:
    os.mkfifo(project / "pipe")
    (project / "big.txt").write_bytes(b"a" * 2_000_001)
    cases = {
        "/dev/zero": "it is a device, not a regular file",
        "pipe": "it is a FIFO (named pipe), not a regular file",
        "big.txt": "it is larger than the limit of 2,000,000 bytes",
    }
    for source, why in cases.items():
        result = cli("check", "--source", source)
        assert (result.code, result.err) == (2, f"torchsite: error: cannot read the source {source}: {why}\n")


def test_a_template_that_is_a_fifo_or_too_large_is_refused(project: Path, cli: Callable[..., Result]) -> None:
    (project / "templates").mkdir(exist_ok=True)  # the real project may have its own
    os.mkfifo(project / "templates" / "404.html")
    assert one_problem(cli("check")) == (
        "templates/404.html: template: is a FIFO (named pipe), not a regular file "
        "(hint: remove it, or put the template file there)"
    )
    (project / "templates" / "404.html").unlink()
    (project / "templates" / "404.html").write_text("x" * 200_001, encoding="utf-8")
    assert one_problem(cli("check")) == (
        "templates/404.html: template: the file is larger than the limit of 200,000 bytes "
        "(hint: a page's template is a few kilobytes)"
    )


@pytest.mark.parametrize(
    ("payload", "where", "message"),
    [
        (
            "<a " * 50_000,
            "5:151",
            "more than 50 '<' in one paragraph (hint: a paragraph needs a few HTML tags at most)",
        ),
        ("x <b " * 51, "5:253", "more than 50 '<' in one paragraph (hint: a paragraph needs a few HTML tags at most)"),
        (
            ("<a " * 40 + "\n\n") * 100,
            "29:61",
            "more than 500 '<' in one file (hint: write the story in Markdown, not HTML)",
        ),
    ],
)
def test_markdown_triggers_are_bounded_before_markdown(
    project: Path, cli: Callable[..., Result], payload: str, where: str, message: str
) -> None:
    (project / "content" / "story.md").write_text("# Headline\n\nStandfirst.\n\n" + payload + "\n", encoding="utf-8")
    assert one_problem(cli("check")) == f"content/story.md:{where}: story: {message}"


def test_a_chart_has_at_most_60_marks(project: Path, cli: Callable[..., Result]) -> None:
    charts = project / "content" / "charts.yaml"
    edit(charts, BARS, BARS * 58)
    line = line_of(charts, "    bars:")
    assert one_problem(cli("check")) == (
        f"content/charts.yaml:{line + 1}:7: charts.footprint.bars: 61 items, over the limit of 60 "
        "(hint: split it, or show the figures as a table)"
    )


# --- One text-hygiene check on every decoded string ------------------------------------------------------------

ESCAPE = "(hint: remove the escape that writes it)"


@pytest.mark.parametrize(
    ("file", "old", "new", "where", "named"),
    [
        (
            "facts.yaml",
            "label: Annual industrial output at the time of the report\n",
            'label: "Books \\0 lent"\n',
            "12: facts.output_latest.label",
            "control character U+0000",
        ),
        (
            "facts.yaml",
            "label: Annual industrial output at the time of the report\n",
            'label: "\\e[2J\\e]8;;http://evil.example/\\e\\\\x"\n',
            "12: facts.output_latest.label",
            "control character U+001B",
        ),
        (
            "facts.yaml",
            "  - id: growth_area\n",
            '  - id: growth_area\n    note: "a\\u202Eb"\n',
            "11: claims.growth_area.note",
            "bidi control U+202E RIGHT-TO-LEFT OVERRIDE",
        ),
        (
            "charts.yaml",
            "label: Xiamen's land\n",
            'label: "a\\x01b"\n',
            "16: charts.footprint.bars[0].label",
            "control character U+0001",
        ),
        (
            "site.yaml",
            "title: Torch at thirty\n",
            'title: "Torch\\u200Bat thirty"\n',
            "8: title",
            "invisible character U+200B ZERO WIDTH SPACE",
        ),
        ("site.yaml", "lang: en\n", 'lang: "en\\u2066"\n', "7: lang", "bidi control U+2066 LEFT-TO-RIGHT ISOLATE"),
        (
            "site.yaml",
            "title: Torch at thirty\n",
            '"ti\\x7Ftle": Torch at thirty\n',
            "1: ti\x7ftle",
            "control character U+007F",
        ),
    ],
)
def test_escapes_cannot_smuggle_hidden_characters(
    project: Path, cli: Callable[..., Result], file: str, old: str, new: str, where: str, named: str
) -> None:
    path = project / "content" / file
    edit(path, old, new)
    line = line_of(path, new.strip().splitlines()[-1])
    assert one_problem(cli("check")) == f"content/{file}:{line}:{where}: {named} is not allowed {ESCAPE}"


def test_a_unit_word_is_checked_too(project: Path, cli: Callable[..., Result]) -> None:
    site = project / "content" / "site.yaml"
    site.write_text(
        site.read_text(encoding="utf-8") + 'units:\n  widgets:\n    singular: widget\n    plural: "wid\\egets"\n',
        encoding="utf-8",
    )
    line = line_of(site, "plural:")
    assert one_problem(cli("check")) == (
        f"content/site.yaml:{line}:13: units.widgets.plural: control character U+001B is not allowed {ESCAPE}"
    )


def test_a_character_reference_cannot_write_a_hidden_character(project: Path, cli: Callable[..., Result]) -> None:
    story = project / "content" / "story.md"
    for ref, named in (
        ("&rlm;", "bidi control U+200F RIGHT-TO-LEFT MARK"),
        ("&#8203;", "invisible character U+200B ZERO WIDTH SPACE"),
        ("&#x1b;", "control character U+001B"),
    ):
        text = story.read_text(encoding="utf-8")
        story.write_text(text.replace("Over {{zone_age}}", f"Over {ref}{{{{zone_age}}}}", 1), encoding="utf-8")
        lines = cli("check").err.splitlines()
        assert (
            f"content/story.md:3:6: story: {named} is not allowed (hint: remove '{ref}': it writes a hidden "
            "character into the page)"
        ) in lines
        story.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("lang", ["en-" + "a" * 5000, "en-abcdefgh-abcdefgh-abcdefgh-abcdefgh"])
def test_lang_is_a_bcp47_tag_of_sane_length(project: Path, cli: Callable[..., Result], lang: str) -> None:
    site = project / "content" / "site.yaml"
    edit(site, "lang: en\n", f"lang: {lang}\n")
    assert one_problem(cli("check")) == (
        f"content/site.yaml:{line_of(site, 'lang: ')}:7: lang: text of {len(lang)} characters, over the limit of 35 "
        "(hint: shorten it)"
    )


def test_a_malformed_lang_is_told_what_a_language_tag_is(project: Path, cli: Callable[..., Result]) -> None:
    site = project / "content" / "site.yaml"
    edit(site, "lang: en\n", "lang: en-abcdefghi\n")
    assert one_problem(cli("check")) == (
        f"content/site.yaml:{line_of(site, 'lang: ')}:7: lang: expected a BCP 47 language tag such as en, en-GB or "
        "zh-Hans, got 'en-abcdefghi' (hint: a language of 2-3 lower-case letters, then subtags of up to 8 letters "
        "or digits, each after '-')"
    )


# --- Every path stays inside the project (or, for the preview, the output folder) ------------------------------


@pytest.mark.parametrize("folder", ["content", "templates"])
def test_a_content_or_templates_folder_linking_out_is_not_followed(
    project: Path, cli: Callable[..., Result], folder: str
) -> None:
    outside = project.parent / f"{project.name}-outside"
    (outside / "templates").mkdir(parents=True)
    (outside / "templates" / "404.html").write_text("<p>published from outside</p>", encoding="utf-8")
    if folder == "content":
        (project / "content").rename(outside / "content")
    elif (project / folder).exists():  # the real project's own templates/: moved aside
        (project / folder).rename(project.parent / f"{project.name}-own-templates")
    (project / folder).symlink_to(outside / folder)
    result = cli("check")
    assert one_problem(result) == (
        f"{folder}: a link to a folder outside the project; torchsite does not follow it "
        "(hint: copy the folder into the project instead of linking to it)"
    )
    assert cli("build").code == 1 and not (project / "dist").exists()


def test_the_preview_serves_no_link_out_of_the_output_folder(preview: serve.Preview) -> None:
    secret = preview.out.parent.parent / f"{preview.out.parent.name}-secret.txt"
    secret.write_text("hunter2\n", encoding="utf-8")
    (preview.out / "secret.txt").symlink_to(secret)
    (preview.out / "passwd.html").symlink_to("/etc/passwd")
    (preview.out / "outside").symlink_to(secret.parent)
    for path in ("secret.txt", "passwd.html", f"outside/{secret.name}"):
        status, body = status_of(preview, preview.base + path)
        assert status == 404 and b"hunter2" not in body and b"root:" not in body
    (preview.out / "inside.html").symlink_to(preview.out / "404.html")  # a link within the output is fine
    assert status_of(preview, preview.base + "inside.html")[0] == 200


def test_impact_reads_no_file_outside_the_project(project: Path, cli: Callable[..., Result]) -> None:
    outside = project.parent / f"{project.name}-published.yaml"
    outside.write_text("password: hunter2\n", encoding="utf-8")
    (project / "inside.yaml").symlink_to(outside)
    for against in ("/etc/passwd", str(outside), "inside.yaml"):
        result = cli("impact", "--against", against)
        assert (result.code, result.err) == (
            2,
            f"torchsite: error: --against {against} is outside the project; torchsite reads no file outside it "
            "(copy the older fact sheet into the project)\n",
        )
        assert "hunter2" not in result.out + result.err and "root:" not in result.err
    os.mkfifo(project / "pipe.yaml")
    assert one_problem(cli("impact", "--against", "pipe.yaml")) == (
        "pipe.yaml: is a FIFO (named pipe), not a regular file (hint: torchsite reads content from regular files only)"
    )


def test_impact_names_no_temporary_folder_and_no_git_usage(project: Path, cli: Callable[..., Result]) -> None:
    old = project / "old.yaml"
    text = (project / "content" / "facts.yaml").read_text(encoding="utf-8")
    start = text.index("  - id: land_share")
    old.write_text(text[:start] + text[text.index("  - id:", start + 5) :], encoding="utf-8")
    result = cli("impact", "--against", "old.yaml")
    assert result.code == 1 and "torchsite-impact" not in result.err and "/tmp" not in result.err
    assert "content/methodology.md:9:307: story: unknown fact 'land_share'" in result.err
    for rev in ("--output=x", "-p"):
        assert cli("impact", f"--against={rev}").err == (
            f"torchsite: error: '{rev}' is neither a file nor a git revision of the content (it starts with '-')\n"
        )
    assert not (project / "x").exists()


# --- Values checked by meaning ------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "shown"), [("-40", "-40"), ("140", "140"), ("100.5", "100.5")])
def test_a_share_outside_0_to_100_percent_is_refused_at_its_bar(
    project: Path, cli: Callable[..., Result], value: str, shown: str
) -> None:
    edit(project / "content" / "facts.yaml", "value: 50\n", f"value: {value}\n")  # investment_share
    charts = project / "content" / "charts.yaml"
    lines = [line for line in cli("check").err.splitlines() if "charts.yaml" in line]
    assert lines == [
        f"content/charts.yaml:{line_of(charts, 'fact: investment_share')}:15: charts.footprint.bars[3].fact: "
        f"'investment_share' is {shown}%, not a share between 0 and 100 percent (hint: a shares chart draws parts "
        "of one whole; check the figure's value and unit)"
    ]


def test_markup_in_the_headline_is_stripped_from_title_and_og_title(project: Path, cli: Callable[..., Result]) -> None:
    story = project / "content" / "story.md"
    text = story.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    headline = "# A <em>big</em> year &amp; <!-- note -->more [[growth_area]]"
    story.write_text(text.replace(first, headline, 1), encoding="utf-8")
    assert cli("build").code == 0, cli("check").err
    page = read_page(project / "dist" / "index.html")
    title = next(t.data for t in page.texts if "title" in t.parents)
    assert title.startswith("A big year & more · ")
    assert (page.meta("og:title") or "").startswith("A big year & more · ")
