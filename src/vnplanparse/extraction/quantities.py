"""Canonical quantities: a target's value and unit converted by grammars/canonical_units.yaml,
so that `3.500 tỷ đồng` and `550-600 tỷ kWh` of two plans compare (đồng, kWh, ha, tấn …)."""

from __future__ import annotations

from decimal import Decimal
from functools import cache

import regex

from .. import grammar

Number = int | float


@cache
def _table() -> tuple[dict[str, tuple[str, Decimal]], frozenset[str], dict[str, Decimal], regex.Pattern[str]]:
    data = grammar.load("canonical_units")
    bases = {written: (name, Decimal(str(factor))) for written, (name, factor) in data["bases"].items()}
    scales = {word: Decimal(factor) for word, factor in grammar.load("numbers")["scales"].items()}
    known = [*bases, *data["no_conversion"]]
    # a base ends the unit, or a rate (`/năm`) or a qualifier in capitals (` GDP`) follows it;
    # `công trình` is a count noun, not the unit `công`
    pattern = regex.compile(
        r"(?:(?P<scale>" + grammar.alternation(list(scales)) + r")(?:[ \t]+|$))?"
        r"(?:(?P<base>" + grammar.alternation(known) + r")(?=$|/|[ \t]+[^\p{Ll}]))?"
    )
    return bases, frozenset(data["no_conversion"]), scales, pattern


def canonical(value: Number | None, unit: str | None) -> tuple[Number | None, str | None]:
    """(value, unit) in the canonical unit; (None, None) when no conversion is known."""
    if value is None or unit is None:
        return None, None
    bases, unconvertible, scales, pattern = _table()
    m = pattern.match(unit)
    base, scale = m.group("base"), m.group("scale")
    if base is None:
        # a count noun keeps its unit; a scale word before nothing known is no unit at all
        return (None, None) if scale else (value, unit)
    if base in unconvertible:
        return None, None
    name, factor = bases[base]
    number = Decimal(str(value)) * factor * (scales[scale] if scale else 1)
    return _number(number), name + unit[m.end():]


def _number(number: Decimal) -> Number:
    return int(number) if number == number.to_integral_value() else float(number)
