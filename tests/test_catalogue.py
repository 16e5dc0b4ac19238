"""The bad-input catalogue (the design guide's "bad input" section): each broken input gives one exact located
line, exit 1, and leaves the previous dist/ byte-identical.

Each case breaks a copy of the real project after a good build and returns the one line it must
report; the single test below builds again and checks the message, the exit code and dist/.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers.chromium import need_chromium
from helpers.project import Result, edit, leftovers, line_of, override, tree_hash
from torchsite.errors import ContentError
from torchsite.inputs import diagnostics, yamldoc
from torchsite.render import pages
from torchsite.render.site import Origin

Case = Callable[[Path], str]
CASES: dict[str, Case] = {}
FACTS = "content/facts.yaml"
NUMBER_HINT = "hint: write numbers as plain digits, e.g. 146000000 or 9.02, or quote the value if it is text"


def case(function: Case) -> Case:
    """Register a catalogue case under its function name."""
    CASES[function.__name__] = function
    return function


def facts(project: Path) -> Path:
    """The project's fact sheet."""
    return project / FACTS


def break_value(project: Path, new: str) -> int:
    """Replace the value of output_share (43) by a raw YAML text; return its line."""
    edit(facts(project), "    value: 43\n", f"    value: {new}\n")
    return line_of(facts(project), f"    value: {new}")


@case
def malformed_yaml(project: Path) -> str:
    line = break_value(project, "[43")
    return (
        f"{FACTS}:{line + 1}:9: expected ',' or ']', but got ':'; the flow sequence starts at line {line}, "
        "column 12 (hint: check the indentation, and that every quote and bracket is closed)"
    )


@case
def tab_indentation(project: Path) -> str:
    edit(facts(project), "    value: 43\n", "\tvalue: 43\n")
    line = line_of(facts(project), "\tvalue: 43")
    return f"{FACTS}:{line}:1: a tab character here (hint: indent with spaces, not tabs)"


@case
def duplicate_key(project: Path) -> str:
    edit(facts(project), "    value: 43\n", "    value: 43\n    value: 44\n")
    first = line_of(facts(project), "value: 43")
    return (
        f"{FACTS}:{first + 1}:5: facts.output_share.value: duplicate key 'value' (first defined on line {first}) "
        "(hint: remove one of the two)"
    )


def yaml11_boolean(word: str) -> Case:
    """A YAML 1.1 boolean word where a value belongs."""

    def broken(project: Path) -> str:
        line = break_value(project, word)
        return (
            f"{FACTS}:{line}:12: facts.output_share.value: '{word}' is ambiguous (a boolean in YAML 1.1, text in "
            f'YAML 1.2) (hint: write true or false, or quote it: "{word}")'
        )

    return broken


for _word in ("yes", "no", "on", "off"):
    CASES[f"boolean_{_word}"] = yaml11_boolean(_word)


@case
def unquoted_date_where_a_number_belongs(project: Path) -> str:
    line = break_value(project, "2020-10-01")  # the loader keeps dates as text: a type error on this line
    return (
        f"{FACTS}:{line}:12: facts.output_share.value: expected a number, got the date '2020-10-01' (dates stay "
        "text) (hint: a quantity is plain digits; a date belongs to a fact whose unit is month or day)"
    )


def odd_number(text: str) -> Case:
    """A number written in a YAML-specific form: exponent, octal, underscores, leading zero."""

    def broken(project: Path) -> str:
        line = break_value(project, text)
        return f"{FACTS}:{line}:12: facts.output_share.value: '{text}' is not a plain decimal number ({NUMBER_HINT})"

    return broken


for _name, _text in (("exponent", "1e3"), ("octal", "0o12"), ("underscores", "1_000"), ("leading_zero", "012")):
    CASES[f"number_{_name}"] = odd_number(_text)


def not_finite(text: str) -> Case:
    """NaN or infinity."""

    def broken(project: Path) -> str:
        line = break_value(project, text)
        return (
            f"{FACTS}:{line}:12: facts.output_share.value: '{text}' is not a finite number "
            "(hint: write a finite number)"
        )

    return broken


CASES["nan"] = not_finite(".nan")
CASES["infinity"] = not_finite("-.inf")


@case
def anchor(project: Path) -> str:
    edit(facts(project), "    unit: percent\n    qualifier: exact\n", "    unit: &u percent\n    qualifier: exact\n")
    line = line_of(facts(project), "&u percent")
    return f"{FACTS}:{line}:11: anchor '&u' is not allowed (hint: write each value out in full)"


@case
def alias(project: Path) -> str:
    line = break_value(project, "*share")
    return (
        f"{FACTS}:{line}:12: alias '*share' is not allowed "
        "(hint: write the value out in full; aliases and merges hide what a fact says)"
    )


@case
def merge_key(project: Path) -> str:
    edit(facts(project), "    value: 43\n", "    value: 43\n    <<: {note: merged}\n")
    line = line_of(facts(project), "<<:")
    return (
        f"{FACTS}:{line}:5: facts.output_share.<<: merge keys ('<<') are not allowed "
        "(hint: write each field out in full)"
    )


@case
def python_tag(project: Path) -> str:
    line = break_value(project, "!!python/object/apply:os.system ['echo owned']")
    return (
        f"{FACTS}:{line}:12: tag '!!python/object/apply:os.system' is not allowed "
        "(hint: remove the tag; quote the value if it is text)"
    )


@case
def deep_nesting(project: Path) -> str:
    line = break_value(project, "[" * 60 + "43" + "]" * 60)
    column = 12 + yamldoc.MAX_DEPTH - 3  # the value sits 3 levels down: facts, the list, the fact
    return (
        f"{FACTS}:{line}:{column}: nesting deeper than {yamldoc.MAX_DEPTH} levels "
        "(hint: content files are shallow: a list of entries, each a few fields)"
    )


@case
def over_the_size_cap(project: Path) -> str:
    path = facts(project)
    text = path.read_text(encoding="utf-8")
    lines = text.count("\n")
    path.write_text(text + "# " + "x" * diagnostics.MAX_BYTES + "\n", encoding="utf-8")
    column = diagnostics.MAX_BYTES - len(text.encode("utf-8")) + 1
    return (
        f"{FACTS}:{lines + 1}:{column}: the file is larger than the limit of {diagnostics.MAX_BYTES:,} bytes, which it "
        "passes here (hint: a content file this large is almost certainly a mistake; split or trim it)"
    )


@case
def bad_utf8(project: Path) -> str:
    path = facts(project)
    line = line_of(path, "    label: Zone's share of Xiamen's industrial output")
    broken = path.read_bytes().replace(b"Zone's share of Xiamen's ind", b"Zone\xe2\x80\x99s \xff share of Xiamen's ind")
    path.write_bytes(broken)
    return f"{FACTS}:{line}:19: not valid UTF-8 (byte 0xff) (hint: save the file as UTF-8)"


@case
def empty_file(project: Path) -> str:
    facts(project).write_text("", encoding="utf-8")
    return f"{FACTS}:1:1: the file is empty (hint: see the README for the expected layout)"


@case
def comments_only(project: Path) -> str:
    facts(project).write_text("# nothing yet\n", encoding="utf-8")
    return f"{FACTS}:1:1: the file holds no data, only comments (hint: see the README for the expected layout)"


@case
def several_documents(project: Path) -> str:
    edit(facts(project), "\nthemes:\n", "\n---\nthemes:\n")
    line = line_of(facts(project), "---")
    return f"{FACTS}:{line}:1: the file holds more than one YAML document (hint: remove the '---' separator)"


@case
def unknown_key_with_typo(project: Path) -> str:
    edit(facts(project), "    value: 43\n", "    value: 43\n    nte: said twice in the report\n")
    line = line_of(facts(project), "nte:")
    return f"{FACTS}:{line}:5: facts.output_share.nte: unknown field 'nte' (hint: did you mean 'note'?)"


@case
def missing_required_field(project: Path) -> str:
    edit(
        facts(project), "    value: 43\n    unit: percent\n    qualifier: exact\n", "    value: 43\n    unit: percent\n"
    )
    line = line_of(facts(project), "id: output_share")
    return f"{FACTS}:{line}:5: facts.output_share: required field 'qualifier' is missing (hint: add 'qualifier:' here)"


@case
def text_over_its_limit(project: Path) -> str:
    edit(facts(project), "    label: Zone's share of Xiamen's industrial output\n", f"    label: {'x' * 2001}\n")
    line = line_of(facts(project), "x" * 2001)
    return (
        f"{FACTS}:{line}:12: facts.output_share.label: text of 2001 characters, over the limit of 2000 "
        "(hint: shorten it)"
    )


@case
def string_where_a_number_belongs(project: Path) -> str:
    line = break_value(project, '"43"')
    return (
        f"{FACTS}:{line}:12: facts.output_share.value: expected a number, got '43' "
        "(hint: write plain digits without quotes or separators, e.g. 146000000)"
    )


@case
def two_facts_with_one_id(project: Path) -> str:
    first = line_of(facts(project), "id: land_share")
    edit(
        facts(project),
        "  - id: output_share\n",
        "  - id: land_share\n    theme: footprint\n    label: Again\n"
        '    value: 3\n    unit: percent\n    qualifier: less_than\n    source: torch30\n    quote: "less than"\n\n'
        "  - id: output_share\n",
    )
    second = line_of(facts(project), "label: Again") - 2
    return (
        f"{FACTS}:{second}:9: facts.land_share.id: duplicate id 'land_share' (first used on line {first}) "
        "(hint: give each fact, derived figure and claim its own id)"
    )


@case
def story_cites_a_missing_fact(project: Path) -> str:
    story = project / "content" / "story.md"
    edit(story, "contributes {{output_share}}", "contributes {{output_shares}}")
    line = line_of(story, "{{output_shares}}")
    col = story.read_text(encoding="utf-8").splitlines()[line - 1].index("{{output_shares}}") + 1
    return f"content/story.md:{line}:{col}: story: unknown fact 'output_shares' (hint: did you mean 'output_share'?)"


@case
def key_figure_names_a_missing_fact(project: Path) -> str:
    config = project / "content" / "site.yaml"
    edit(config, "  - land_share\n", "  - land_shares\n")
    line = line_of(config, "land_shares")
    return (
        f"content/site.yaml:{line}:5: key_figures[3]: unknown fact 'land_shares' "
        "(hint: use an id from content/facts.yaml)"
    )


@case
def site_setting_typo(project: Path) -> str:
    config = project / "content" / "site.yaml"
    edit(config, "base_url: ", "base_ulr: ")
    line = line_of(config, "base_ulr")
    return f"content/site.yaml:{line}:1: base_ulr: unknown field 'base_ulr' (hint: did you mean 'base_url'?)"


@case
def story_bad_utf8(project: Path) -> str:
    story = project / "content" / "story.md"
    line = line_of(story, "## Anchor firms")
    story.write_bytes(story.read_bytes().replace(b"## Anchor firms", b"## Anchor \xc3 firms"))
    return f"content/story.md:{line}:11: not valid UTF-8 (byte 0xc3) (hint: save the file as UTF-8)"


@case
def story_malformed_reference(project: Path) -> str:
    story = project / "content" / "story.md"
    edit(story, "contributes {{output_share}}", "contributes {{output share}}")
    line = line_of(story, "{{output share}}")
    col = story.read_text(encoding="utf-8").splitlines()[line - 1].index("{{output share}}") + 1
    return (
        f"content/story.md:{line}:{col}: story: '{{{{output share}}}}' is not a fact reference "
        "(hint: write {{fact_id}}, or {{fact_id:as_of}} for the period it refers to)"
    )


@case
def formula_cites_a_missing_fact(project: Path) -> str:
    edit(facts(project), "formula: fund_total / fund_initial", "formula: fund_total / fund_intial")
    line = line_of(facts(project), "fund_intial")
    return (
        f"{FACTS}:{line}:14: derived.fund_growth.formula: 'fund_intial' is not a fact or derived figure "
        "(hint: formulas combine numeric facts and derived figures by id)"
    )


@case
def formula_cycle(project: Path) -> str:
    edit(facts(project), "formula: fund_total / fund_initial", "formula: fund_total / fund_added")
    edit(facts(project), "formula: fund_total - fund_initial", "formula: fund_total - fund_growth")
    line = line_of(facts(project), "formula: fund_total / fund_added")
    return (
        f"{FACTS}:{line}:14: derived.fund_growth.formula: formula refers to itself through "
        "fund_growth -> fund_added -> fund_growth (hint: a derived figure cannot depend on itself)"
    )


@case
def division_by_zero(project: Path) -> str:
    edit(facts(project), "formula: fund_total / fund_initial", "formula: fund_total / (fund_initial - fund_initial)")
    line = line_of(facts(project), "(fund_initial - fund_initial)")
    return (
        f"{FACTS}:{line}:14: derived.fund_growth.formula: division by zero in "
        "'fund_total / (fund_initial - fund_initial)' (hint: the divisor is zero or could be zero)"
    )


@case
def unknown_function(project: Path) -> str:
    edit(facts(project), "formula: fund_total / fund_initial", "formula: log(fund_total)")
    line = line_of(facts(project), "log(fund_total)")
    return (
        f"{FACTS}:{line}:14: derived.fund_growth.formula: unknown function 'log' "
        "(hint: formulas use only + - * / and parentheses)"
    )


@case
def jinja_syntax_error(project: Path) -> str:
    template = override(project, "facts.html")
    edit(template, "<dt>{{ figures[fact.id].label }}</dt>", "<dt>{{ figures[fact.id].label }</dt>")
    line = line_of(template, "{{ figures[fact.id].label }<")
    col = template.read_text(encoding="utf-8").splitlines()[line - 1].index("}<") + 1
    return f"templates/facts.html:{line}:{col}: template: unexpected '}}' (hint: fix the Jinja syntax)"


@case
def jinja_undefined_variable(project: Path) -> str:
    template = override(project, "base.html")
    edit(template, "<a class=\"brand\" {{ href(url_for('story')) }}>{{ config.title }}", "{{ confg.title }}")
    line = line_of(template, "confg.title")
    col = template.read_text(encoding="utf-8").splitlines()[line - 1].index("confg") + 1
    return f"templates/base.html:{line}:{col}: template: 'confg' is undefined (hint: did you mean 'config'?)"


@case
def jinja_unknown_field(project: Path) -> str:
    template = override(project, "facts.html")
    edit(template, "<dt>{{ figures[fact.id].label }}</dt>", "<dt>{{ fact.lable }}</dt>")
    line = line_of(template, "fact.lable")
    col = template.read_text(encoding="utf-8").splitlines()[line - 1].index("lable") + 1
    return (
        f"templates/facts.html:{line}:{col}: template: a Fact has no attribute 'lable' "
        "(hint: the template uses a field the build does not provide)"
    )


@pytest.mark.parametrize("name", sorted(CASES))
def test_catalogue_case(name: str, project: Path, dist_before: str, cli: Callable[..., Result]) -> None:
    expected = CASES[name](project)
    result = cli("build")
    assert result.err.splitlines() == [expected, "torchsite: 1 problem; nothing was written"]
    assert (result.code, result.out) == (1, "")
    assert tree_hash(project / "dist") == dist_before
    assert leftovers(project) == []


def unknown_function_elsewhere(project: Path) -> str:
    """A second formula error, in another derived figure."""
    edit(facts(project), "formula: output_share / land_share", "formula: sqrt(output_share)")
    line = line_of(facts(project), "sqrt(output_share)")
    return (
        f"{FACTS}:{line}:14: derived.output_intensity.formula: unknown function 'sqrt' "
        "(hint: formulas use only + - * / and parentheses)"
    )


def test_all_files_are_reported_in_one_run(project: Path, dist_before: str, cli: Callable[..., Result]) -> None:
    expected = sorted(
        [
            CASES["string_where_a_number_belongs"](project),
            CASES["story_cites_a_missing_fact"](project),
            CASES["key_figure_names_a_missing_fact"](project),
            CASES["formula_cites_a_missing_fact"](project),
            unknown_function_elsewhere(project),
        ]
    )
    result = cli("build")
    assert result.code == 1
    assert result.err.splitlines() == [*expected, "torchsite: 5 problems; nothing was written"]
    assert tree_hash(project / "dist") == dist_before


def test_story_is_checked_even_when_the_fact_sheet_is_not_yaml(project: Path, cli: Callable[..., Result]) -> None:
    yaml_problem = CASES["tab_indentation"](project)
    story = project / "content" / "story.md"
    edit(story, "## Anchor firms\n", "## Anchor firms\n\nABB has 20 sites.[[abb_since]]\n")
    line = line_of(story, "20 sites")
    result = cli("check")
    assert result.err.splitlines() == [
        yaml_problem,
        f"content/story.md:{line}:9: story: a number typed in the text ('20') "
        "(hint: every number comes from the fact sheet: add a fact and write {{its_id}})",
        "torchsite: 2 problems; nothing was written",
    ]


def test_a_billion_laughs_fails_at_the_first_anchor_without_growing(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"{b}: &{b} [{', '.join(['*' + a] * 9)}]" for a, b in zip("abcdefgh", "bcdefghi", strict=True)]
    path = tmp_path / "laughs.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")  # 9**9 strings if expanded
    tracemalloc.start()
    try:
        with pytest.raises(ContentError) as info:
            yamldoc.load_yaml(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [str(p).split(" (hint")[0] for p in info.value.problems] == [f"{path}:1:4: anchor '&a' is not allowed"]
    assert peak < 1_000_000  # bytes: the document was refused, not expanded


def test_unquoted_dates_stay_text_where_a_date_belongs(project: Path, cli: Callable[..., Result]) -> None:
    assert cli("build").code == 0
    before = tree_hash(project / "dist")
    edit(facts(project), 'value: "2020-10"', "value: 2020-10")
    assert cli("build").code == 0
    assert tree_hash(project / "dist") == before


def test_byte_order_mark_and_crlf_build_the_same_site(project: Path, cli: Callable[..., Result]) -> None:
    need_chromium()  # the exact output assumes the static chart export works
    assert cli("build").code == 0
    before = tree_hash(project / "dist")
    for name in ("facts.yaml", "story.md", "site.yaml"):
        path = project / "content" / name
        text = path.read_text(encoding="utf-8")
        path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    result = cli("build")
    assert (result.code, result.err) == (0, "")
    assert tree_hash(project / "dist") == before


def extra_page(monkeypatch: pytest.MonkeyPatch, url: str, origin: Origin) -> None:
    """Add one page to the page list, as a chart or a plugin would, asking for `url`."""
    real = pages.pages

    def with_extra(*args: object, **kwargs: object) -> list[pages.Page]:
        listed = real(*args, **kwargs)  # type: ignore[arg-type]
        facts_page = next(page for page in listed if page.template == "facts.html")
        return [*listed, pages.Page(url, "facts.html", facts_page.context, origin=origin)]

    monkeypatch.setattr(pages, "pages", with_extra)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "facts/",
            "output path 'facts/index.html' is written twice (also by torchsite/templates/facts.html) "
            "(hint: give each page its own slug)",
        ),
        (
            "../escaped/",
            "output path '../escaped/index.html' escapes the output folder "
            "(hint: use a relative path of plain names, without '..')",
        ),
        (
            "/etc/",
            "output path '/etc/index.html' escapes the output folder "
            "(hint: use a relative path of plain names, without '..')",
        ),
    ],
)
def test_page_paths_are_refused_before_anything_is_written(
    project: Path, dist_before: str, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch, url: str, message: str
) -> None:
    extra_page(monkeypatch, url, Origin("content/charts.yaml", 7, 9, "charts.slug"))
    result = cli("build")
    assert result.err.splitlines() == [
        f"content/charts.yaml:7:9: charts.slug: {message}",
        "torchsite: 1 problem; nothing was written",
    ]
    assert result.code == 1
    assert tree_hash(project / "dist") == dist_before
    assert not (project / "escaped").exists() and leftovers(project) == []
