"""Validate: a document against the committed JSON Schema, every violation with its JSON path."""

from __future__ import annotations

from functools import cache

import jsonschema_rs
from jsonschema import Draft202012Validator

from .schema import committed


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(committed())


@cache
def _fast_validator() -> jsonschema_rs.Draft202012Validator:
    return jsonschema_rs.Draft202012Validator(committed())


def violations(document: object) -> list[str]:
    """One line per violation: `$.path.to[3].field: message`; empty when valid."""
    # Every written document is checked: the compiled validator takes ~0.03 ms where jsonschema
    # takes ~10 ms (as long as a parse); jsonschema words the messages of the rare invalid one.
    if _fast_validator().is_valid(document):
        return []
    return _lines(_validator(), document, "$")


@cache
def _definition_validator(name: str) -> Draft202012Validator:
    schema = committed()
    return Draft202012Validator({"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": f"#/$defs/{name}"})


def item_violations(definition: str, item: object, where: str) -> list[str]:
    """Violations of one part of a document (`definition`: Target, Section, Metadata …), with
    paths starting at `where`."""
    return _lines(_definition_validator(definition), item, where)


def _lines(validator: Draft202012Validator, instance: object, root: str) -> list[str]:
    out = []
    for error in sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path))):
        path = root + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
        out.append(f"{path}: {error.message}")
    return out
