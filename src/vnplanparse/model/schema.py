"""The JSON Schema of the output, generated from the models.

`python -m vnplanparse.model.schema` rewrites `schemas/plan.schema.json`; never edit that file by hand.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from pathlib import Path

from .plan import SCHEMA_VERSION, PlanDocument

SCHEMA_ID = f"https://vnplanparse.invalid/schemas/plan-{SCHEMA_VERSION}.schema.json"

# Bounds no real plan comes near (issue 24), so that a correction cannot slip in a 5 MB title or
# 100 000 lead agencies; the pipeline keeps its own output within them (pipeline.py). They bind
# the parts a reviewer corrects; a run's source and warnings are the parser's own.
TEXT_MAX = 20_000  # characters of any string (the longest sentence of the corpus has ~1 000)
NAMES_MAX = 1_000  # agencies in one list: lead, partners and their expansions
ITEMS_MAX = 1_000_000  # targets, assignments, references, or sections among their siblings
CORRECTABLE = ("Metadata", "Section", "Target", "Assignment", "Reference")
PARTIAL_DATE = "partial-date"  # a format of this schema: YYYY, YYYY-MM or a calendar date YYYY-MM-DD
DATES = {("Metadata", "issued_date"): ("date", r"^\d{4}-\d{2}-\d{2}$"),
         ("Reference", "date"): ("date", r"^\d{4}-\d{2}-\d{2}$"),
         ("Assignment", "deadline_date"): (PARTIAL_DATE, r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")}


def generate() -> dict:
    schema = PlanDocument.model_json_schema()
    _bound(schema)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def _bound(schema: dict) -> None:
    """Lengths, counts and date formats that the models leave open."""
    for name in CORRECTABLE:
        for field, spec in schema["$defs"][name]["properties"].items():
            kinds = [spec, *spec.get("anyOf", [])]
            if any(k.get("type") == "string" for k in kinds):
                spec["maxLength"] = TEXT_MAX
            if spec.get("type") == "array" and "items" in spec:
                spec["maxItems"] = NAMES_MAX if spec["items"].get("type") == "string" else ITEMS_MAX
            if (name, field) in DATES:
                spec["format"], spec["pattern"] = DATES[name, field]
    for part in ("sections", "targets", "assignments", "references"):
        schema["properties"][part]["maxItems"] = ITEMS_MAX


def render(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


@cache
def committed() -> dict:
    """The schema file shipped with the package (schemas/plan.schema.json)."""
    return json.loads(files("vnplanparse.schemas").joinpath("plan.schema.json").read_text(encoding="utf-8"))


if __name__ == "__main__":
    target = Path(__file__).resolve().parents[3] / "schemas" / "plan.schema.json"
    target.write_text(render(generate()), encoding="utf-8")
    print(f"wrote {target}")
