"""Validate: a document against the committed JSON Schema, every violation with its JSON path."""

from __future__ import annotations

import datetime
import json
import math
from functools import cache
from typing import TYPE_CHECKING

import jsonschema_rs
import regex

from ..model.schema import PARTIAL_DATE, committed

if TYPE_CHECKING:
    # jsonschema (a tenth of a second to import) only words the messages of an invalid document
    from jsonschema import Draft202012Validator, FormatChecker

_PARTIAL_DATE = regex.compile(r"\d{4}(?:-(?P<month>\d{2})(?P<day>-\d{2})?)?")


def is_partial_date(value: object) -> bool:
    """A year, a year and month, or a calendar date (not 2025-02-30), as deadlines are read."""
    m = _PARTIAL_DATE.fullmatch(value) if isinstance(value, str) else None
    if m is None or m.group("day") is None:
        return m is None or m.group("month") is None or 1 <= int(m.group("month")) <= 12
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _format_checker() -> FormatChecker:
    from jsonschema import FormatChecker

    checker = FormatChecker(["date"])
    checker.checks(PARTIAL_DATE)(is_partial_date)
    return checker


@cache
def _validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(committed(), format_checker=_format_checker())


@cache
def _fast_validator() -> jsonschema_rs.Draft202012Validator:
    return jsonschema_rs.Draft202012Validator(committed(), validate_formats=True, formats={PARTIAL_DATE: is_partial_date})


def violations(document: object) -> list[str]:
    """One line per violation: `$.path.to[3].field: message`; empty when valid."""
    # Every written document is checked: the compiled validator takes ~0.03 ms where jsonschema
    # takes ~10 ms (as long as a parse); jsonschema words the messages of the rare invalid one.
    if _fast_validator().is_valid(document):
        return []
    # jsonschema lets NaN pass the schema's bounds (every comparison with NaN is false)
    return _lines(_validator(), document, "$") or _non_finite(document, "$")


def _non_finite(value: object, path: str) -> list[str]:
    if isinstance(value, float) and not math.isfinite(value):
        return [f"{path}: {value} is not a JSON number (RFC 8259)"]
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    return [line for key, item in items
            for line in _non_finite(item, f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}")]


class NotFiniteError(ValueError):
    """A JSON text holds NaN, Infinity or a number beyond a float's range: not JSON (RFC 8259)."""


def loads_json(text: str) -> object:
    """json.loads, refusing what Python's reader accepts but RFC 8259 does not: NaN, Infinity,
    and numbers such as 1e400 that would become Infinity."""
    return json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)


def _refuse_constant(name: str) -> float:
    raise NotFiniteError(f"{name} is not a JSON number (RFC 8259)")


def _finite_float(written: str) -> float:
    value = float(written)
    if not math.isfinite(value):
        raise NotFiniteError(f"the number {written[:20]}{'…' if len(written) > 20 else ''} is beyond a float's range")
    return value


@cache
def _definition_validator(name: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    schema = committed()
    return Draft202012Validator({"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": f"#/$defs/{name}"},
                                format_checker=_format_checker())


def item_violations(definition: str, item: object, where: str) -> list[str]:
    """Violations of one part of a document (`definition`: Target, Section, Metadata …), with
    paths starting at `where`."""
    return _lines(_definition_validator(definition), item, where)


def _lines(validator: Draft202012Validator, instance: object, root: str) -> list[str]:
    out = []
    for error in sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path))):
        path = root + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
        out.append(f"{path}: {_message(error)}")
    return out


_MESSAGE_MAX = 300


def _message(error) -> str:
    """jsonschema's message, without the whole of a 5 MB value it quotes."""
    if error.validator == "maxLength":
        return f"{len(error.instance)} characters is longer than {error.validator_value}"
    if error.validator == "maxItems":
        return f"{len(error.instance)} items is more than {error.validator_value}"
    message = error.message
    return message if len(message) <= _MESSAGE_MAX else message[: _MESSAGE_MAX - 1] + "…"
