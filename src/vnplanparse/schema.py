"""The JSON Schema of the output, generated from the models.

`python -m vnplanparse.schema` rewrites `schemas/plan.schema.json`; never edit that file by hand.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from pathlib import Path

from .model import SCHEMA_VERSION, PlanDocument

SCHEMA_ID = f"https://vnplanparse.invalid/schemas/plan-{SCHEMA_VERSION}.schema.json"


def generate() -> dict:
    schema = PlanDocument.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def render(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


@cache
def committed() -> dict:
    """The schema file shipped with the package (schemas/plan.schema.json)."""
    return json.loads(files("vnplanparse.schemas").joinpath("plan.schema.json").read_text(encoding="utf-8"))


if __name__ == "__main__":
    target = Path(__file__).resolve().parents[2] / "schemas" / "plan.schema.json"
    target.write_text(render(generate()), encoding="utf-8")
    print(f"wrote {target}")
