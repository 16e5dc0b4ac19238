"""The content files' JSON Schemas, generated from the models the build validates with; committed under schemas/.

    python -m torchsite.render.schemas [FOLDER]     # regenerate them (default: ./schemas)

Each content file names its schema in a first line `# yaml-language-server: $schema=../schemas/NAME.schema.json`,
so an editor's YAML language server checks it while typing. The site's data page serves the facts schema too,
from this same function: one source of truth.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from torchsite.charts.spec import ChartFile
from torchsite.inputs.config import SiteConfig
from torchsite.inputs.facts import FactSheet

DIALECT = "https://json-schema.org/draft/2020-12/schema"
MODELS: dict[str, tuple[type[BaseModel], str, str]] = {
    "facts": (
        FactSheet,
        "torchsite fact sheet",
        "The fact sheet (content/facts.yaml): sources, themes, facts with their hedges and verbatim quotes, "
        "and derived figures with their formulas.",
    ),
    "charts": (
        ChartFile,
        "torchsite charts",
        "The chart specs (content/charts.yaml): each chart draws figures of the fact sheet by id.",
    ),
    "site": (SiteConfig, "torchsite site settings", "The site settings (content/site.yaml)."),
}


def schema(name: str) -> dict[str, Any]:
    """One content file's JSON Schema, with a relative $id (it is published beside the others)."""
    model, title, description = MODELS[name]
    generated = model.model_json_schema()
    return {"$schema": DIALECT, "$id": file_name(name), **generated, "title": title, "description": description}


def file_name(name: str) -> str:
    """The schema's file name: facts.schema.json."""
    return f"{name}.schema.json"


def text(name: str) -> str:
    """The schema as committed: two-space JSON, UTF-8, a final newline."""
    return json.dumps(schema(name), indent=2, ensure_ascii=False) + "\n"


def write(folder: Path) -> list[Path]:
    """Write every schema into folder; return the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in MODELS:
        path = folder / file_name(name)
        path.write_text(text(name), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write(Path(sys.argv[1] if len(sys.argv) > 1 else "schemas")):
        print(f"wrote {path}")
