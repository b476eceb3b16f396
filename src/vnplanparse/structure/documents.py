"""Shared vocabulary of cited and issued documents: types, numbers, dates (grammars/documents.yaml)."""

from __future__ import annotations

import datetime
from functools import cache

import regex

from .. import grammar


@cache
def number_re() -> regex.Pattern[str]:
    return grammar.compiled("documents", "number")


@cache
def date_re() -> regex.Pattern[str]:
    return grammar.compiled("documents", "date")


@cache
def types_alternation() -> str:
    return grammar.alternation(grammar.load("documents")["types"])


def clean_number(raw: str) -> str:
    """A document number without the stray spaces typed beside its joiners."""
    return regex.sub(r"\s+", "", raw)


def number_key(raw: str) -> str:
    return clean_number(raw).upper()


def iso_date(m: regex.Match[str]) -> str | None:
    day, month, year = int(m.group("d")), int(m.group("m") or m.group("m2")), int(m.group("y"))
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


def type_from_number(number: str) -> str | None:
    codes = grammar.load("documents")["codes"]
    for part in regex.split(r"[/\-]", clean_number(number))[1:]:
        if part in codes:
            return codes[part]
    return None


def sentence_case_type(written: str) -> str:
    """'KẾ HOẠCH' -> 'Kế hoạch', using the written form of the known types."""
    folded = written.strip().casefold()
    for t in grammar.load("documents")["types"]:
        if t.casefold() == folded:
            return t
    return written.strip().capitalize()
