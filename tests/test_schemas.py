"""The content files' JSON Schemas: committed, current, typed, described, and named in each content file."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from helpers.project import REPO
from torchsite.inputs.yamldoc import load_yaml
from torchsite.render import schemas

REGENERATE = "python -m torchsite.render.schemas"


@pytest.mark.parametrize("name", list(schemas.MODELS))
def test_the_committed_schema_is_current(name: str) -> None:
    committed = REPO / "schemas" / schemas.file_name(name)
    assert committed.is_file(), f"schemas/{committed.name} is missing: run `{REGENERATE}`"
    assert committed.read_text(encoding="utf-8") == schemas.text(name), (
        f"schemas/{committed.name} is stale: run `{REGENERATE}` and commit the result"
    )


@pytest.mark.parametrize("name", list(schemas.MODELS))
def test_each_content_file_names_its_schema_and_meets_it(name: str) -> None:
    path = REPO / "content" / f"{name}.yaml"
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema=../schemas/{name}.schema.json"
    schema = json.loads((path.parent / first.split("=", 1)[1]).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"] == f"{name}.schema.json" and "example.org" not in schema["$id"]
    jsonschema.Draft202012Validator(schema).validate(load_yaml(path).data)


def undescribed(node: Any, path: str = "$") -> list[str]:
    """The JSON path of every property, at any depth ($defs, anyOf/oneOf/allOf, items...), without a description."""
    found = []
    if isinstance(node, dict):
        for name, spec in (node.get("properties") or {}).items():
            if not (isinstance(spec, dict) and str(spec.get("description", "")).strip()):
                found.append(f"{path}.properties.{name}")
        for key, child in node.items():
            found += undescribed(child, f"{path}.{key}")
    elif isinstance(node, list):
        for i, child in enumerate(node):
            found += undescribed(child, f"{path}[{i}]")
    return found


def test_the_walk_finds_a_nested_property_without_a_description() -> None:
    nested = {"$defs": {"A": {"properties": {"b": {"anyOf": [{"items": {"properties": {"c": {"type": "string"}}}}]}}}}}
    assert undescribed(nested) == [
        "$.$defs.A.properties.b",
        "$.$defs.A.properties.b.anyOf[0].items.properties.c",
    ]


@pytest.mark.parametrize("name", list(schemas.MODELS))
def test_every_field_of_the_committed_schema_has_a_description(name: str) -> None:
    committed = json.loads((REPO / "schemas" / schemas.file_name(name)).read_text(encoding="utf-8"))
    missing = undescribed(committed)
    assert missing == [], f"schemas/{name}.schema.json: no description (add description= to the model) at " + ", ".join(
        missing
    )


def test_values_and_correction_dates_are_typed() -> None:
    validator = jsonschema.Draft202012Validator(schemas.schema("facts"))
    fact = {
        "id": "x",
        "label": "X",
        "unit": "percent",
        "value": 43,
        "qualifier": "exact",
        "source": "s",
        "quote": "q",
        "theme": "t",
    }
    sheet = {
        "sources": [{"id": "s", "title": "T", "publisher": "P", "published": None}],
        "themes": [{"id": "t", "title": "T"}],
    }

    def errors(**changes: Any) -> list[str]:
        """The schema's complaints about a one-fact sheet with these changes."""
        return [e.message for e in validator.iter_errors({**sheet, "facts": [{**fact, **changes}]})]

    assert errors() == []
    assert errors(value="2020-10") == [] and errors(value="--05-09") == []
    assert errors(value="forty-three") and errors(value=True)
    correction = {"date": "2026-11-20", "previous": 42, "note": "n"}
    assert errors(corrections=[correction]) == []
    assert errors(corrections=[{**correction, "date": "20 November 2026"}])
