"""The strict YAML loader: plain data, positions, and located errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from yaml.nodes import Node, ScalarNode, SequenceNode

from helpers.project import REPO
from torchsite.errors import ContentError
from torchsite.inputs import yamldoc
from torchsite.inputs.yamldoc import LIBYAML, _StrictLoader, load_yaml


def problems_of(tmp_path: Path, text: str) -> list[str]:
    """Load a YAML text that must fail; return its problem lines."""
    path = tmp_path / "facts.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_yaml(path)
    return [str(p) for p in info.value.problems]


def test_positions_of_keys_and_values(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text("facts:\n  - id: x\n    value: 146000000\n", encoding="utf-8")
    doc = load_yaml(tmp_path / "a.yaml")
    assert doc.data == {"facts": [{"id": "x", "value": 146000000}]}
    assert doc.position(("facts", 0, "value")) == (3, 12)
    assert doc.position(("facts", 0, "value"), key=True) == (3, 5)
    assert doc.field_name(("facts", 0, "value")) == "facts.x.value"


def test_duplicate_key_names_both_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    text = "facts:\n  - id: x\n    value: 1\n    value: 2\n"
    assert problems_of(tmp_path, text) == [
        "facts.yaml:4:5: facts.x.value: duplicate key 'value' (first defined on line 3) (hint: remove one of the two)"
    ]


def test_yes_is_not_a_boolean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert problems_of(tmp_path, "facts:\n  - id: x\n    inferred: yes\n") == [
        "facts.yaml:3:15: facts.x.inferred: 'yes' is ambiguous (a boolean in YAML 1.1, text in YAML 1.2) "
        '(hint: write true or false, or quote it: "yes")'
    ]


def test_all_problems_reported_together(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    lines = problems_of(tmp_path, "a: on\nb: 1e3\nc: .nan\nd: Off\n")
    assert [line.split(": ", 1)[0] for line in lines] == [
        "facts.yaml:1:4",
        "facts.yaml:2:4",
        "facts.yaml:3:4",
        "facts.yaml:4:4",
    ]


def test_dates_stay_text_and_quoted_values_stay_text(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("a: 2020-10\nb: 2020-10-01\nc: '43'\nd: true\ne: null\n", encoding="utf-8")
    assert load_yaml(tmp_path / "a.yaml").data == {"a": "2020-10", "b": "2020-10-01", "c": "43", "d": True, "e": None}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: &x 1\nb: *x\n", "facts.yaml:1:4: anchor '&x' is not allowed (hint: write each value out in full)"),
        (
            "a: !!python/object:os.system 1\n",
            "facts.yaml:1:4: tag '!!python/object:os.system' "
            "is not allowed (hint: remove the tag; quote the value if it is text)",
        ),
        (
            "a: 1\n---\nb: 2\n",
            "facts.yaml:2:1: the file holds more than one YAML document (hint: remove the '---' separator)",
        ),
    ],
)
def test_refused_constructs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str) -> None:
    monkeypatch.chdir(tmp_path)
    assert problems_of(tmp_path, text) == [message]


def test_items_with_odd_ids_are_named_by_position(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("charts:\n  - id: ../x\n  - id: ok\n", encoding="utf-8")
    doc = load_yaml(tmp_path / "a.yaml")
    assert doc.field_name(("charts", 0, "id")) == "charts[0].id"
    assert doc.field_name(("charts", 1, "id")) == "charts.ok.id"


def nodes(node: Node) -> list[tuple[object, ...]]:
    """Every node of a tree with its tag, value, style and where it starts and ends, in document order."""
    where = (node.tag, node.start_mark.line, node.start_mark.column, node.end_mark.line, node.end_mark.column)
    if isinstance(node, ScalarNode):
        return [(*where, node.value, node.style)]
    children = node.value if isinstance(node, SequenceNode) else [n for pair in node.value for n in pair]
    return [where, *(n for child in children for n in nodes(child))]


YAML_FILES = sorted(path for folder in ("content", "src", "tests") for path in (REPO / folder).rglob("*.yaml"))


@pytest.mark.skipif(not LIBYAML, reason="PyYAML was built without libyaml")
@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_libyaml_reads_every_file_as_pyyaml_does(path: Path) -> None:
    # Valid files are composed from libyaml's events (about fifteen times faster); the nodes, their marks (which
    # every message's line and column come from) and scalar styles (quoted text stays text) must be PyYAML's own.
    text = path.read_text(encoding="utf-8")
    for variant in (text, text.replace("\n", "\r\n")):
        assert nodes(yamldoc._FastLoader(variant).get_single_node()) == nodes(_StrictLoader(variant).get_single_node())
