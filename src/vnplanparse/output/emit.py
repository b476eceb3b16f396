"""Emit: a parsed plan as JSON, validated against the committed schema before it leaves."""

from __future__ import annotations

import json

from ..errors import OutputError
from ..model.plan import PlanDocument
from .validate import violations


def document_json(document: PlanDocument, *, pretty: bool = False) -> str:
    """The document as JSON text (one line unless pretty, ending with a newline), checked against
    the committed schema first: a violation is a parser bug and is never written."""
    data = document.model_dump(mode="json")
    problems = violations(data)
    if problems:
        raise OutputError(f"internal error: output violates the schema at {problems[0]}")
    return json.dumps(data, ensure_ascii=False, indent=2 if pretty else None) + "\n"
