"""Vietnamese written numbers: `5.000` (thousands), `4,5` (decimal), `01`, `1/2`, ranges
`8 - 9`, `từ 3 đến 4`, scale words (`1,5 triệu`) and number words (`hai lần`, `một nửa`).

The rules are data in grammars/numbers.yaml; this module reads numbers, it does not decide
whether a number is a target (targets.py does).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import regex

from .. import grammar

DIGITS = r"(?:\d{1,2}/\d{1,2}(?![/\d])|\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?(?![.,]?\d))"

_GROUPED = regex.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_YEAR = regex.compile(r"(?:19|20)\d\d")
# Only a number of 300 digits or more can pass a float's range once scaled (by at most 10^9):
# texts without such a run skip the search for unreadable numbers.
_LONG_DIGIT_RUN = regex.compile(r"\d(?:[.,]?\d){299}")


@dataclass(frozen=True)
class Quantity:
    """A number (or range) as written: value, value_max, the scale word's factor, offsets."""

    value: float
    value_max: float | None
    scale: str | None
    start: int
    end: int
    fraction: bool = False  # written "1/2": the guide reads it as a ratio in `lần`
    word: bool = False  # written as a word ("hai lần")


def parse_digits(written: str) -> float:
    """`5.000` → 5000, `4,5` → 4.5, `100,0` → 100, `01` → 1, `1/2` → 0.5."""
    written = written.strip()
    if "/" in written:
        num, den = written.split("/", 1)
        return int(num) / int(den) if int(den) else float(num)
    if _GROUPED.fullmatch(written):
        written = written.replace(".", "")
    return float(written.replace(",", "."))


def as_json_number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 10)


@cache
def _data() -> dict:
    return grammar.load("numbers")


@cache
def scales() -> dict[str, int]:
    return {word: int(factor) for word, factor in _data()["scales"].items()}


@cache
def _quantity_re() -> regex.Pattern[str]:
    scale = grammar.alternation(list(scales()))
    words = grammar.alternation(list(_data()["words"]))
    dash = r"\s*\\?[-–—]\s*"  # "\-": a dash escaped by a Markdown converter
    return regex.compile(
        rf"""(?<![\w/.,])(?:
            (?P<from>từ\s+)?(?P<low>{DIGITS})(?:\s+(?P<low_scale>{scale}))?
              (?:(?P<low_percent>\s*%)?(?:{dash}|\s+(?:đến|tới)\s+)(?P<high>{DIGITS})(?(low_percent)(?=\s*%)))?
          | (?P<word>{words})(?![\w])
        )(?:\s+(?P<scale>{scale})(?!\w))?""",
        regex.X | regex.V0,
    )


@cache
def _not_a_number_word() -> regex.Pattern[str]:
    return regex.compile(r"\s+(?:" + grammar.alternation(_data()["word_not_before"]) + r")(?![\w])", regex.I)


def find_quantities(text: str, start: int = 0, end: int | None = None) -> list[Quantity]:
    """Every number or range written in text[start:end], with offsets into text; a number too
    large for a float (once scaled) is not one: it stays text (see unreadable_numbers)."""
    return [q for q in _quantities(text, start, end) if _finite(q)]


def unreadable_numbers(text: str) -> list[str]:
    """A warning for each number of text too large to read, which no target is made of."""
    if not _LONG_DIGIT_RUN.search(text):
        return []
    return [f"a number of {q.end - q.start} characters at [{q.start}, {q.end}) is too large to read: "
            "kept as text, no target made of it" for q in _quantities(text, 0, len(text)) if not _finite(q)]


def _finite(quantity: Quantity) -> bool:
    value, value_max = scaled(quantity)
    return math.isfinite(value) and (value_max is None or math.isfinite(value_max))


def _quantities(text: str, start: int, end: int | None) -> list[Quantity]:
    out: list[Quantity] = []
    end = len(text) if end is None else end
    words = _data()["words"]
    for m in _quantity_re().finditer(text, start, end):
        scale = m.group("scale") or m.group("low_scale")
        if m.group("word"):
            value = float(words[m.group("word").lower()])
            if value >= 1 and _not_a_number_word().match(text, m.end("word")):
                continue  # "một số xã" (some), "một cách"; but "một nửa số xã" is half of them
            out.append(Quantity(value, None, scale, m.start("word"), m.end(), word=True, fraction=value < 1))
            continue
        low, high = m.group("low"), m.group("high")
        value = parse_digits(low)
        value_max = parse_digits(high) if high else None
        if high and _looks_like_year(low) and _looks_like_year(high):
            continue  # a period "2021-2025", not a range of values
        if value_max is not None and (value_max <= value or "/" in high):
            value_max = None
        begin = m.start("from") if m.group("from") and value_max is not None else m.start("low")
        stop = m.end() if value_max is not None or scale else m.end("low")
        out.append(Quantity(value, value_max, scale, begin, stop, fraction="/" in low))
    return out


def _looks_like_year(written: str) -> bool:
    return bool(_YEAR.fullmatch(written))


def scaled(quantity: Quantity) -> tuple[float, float | None]:
    factor = scales().get((quantity.scale or "").lower(), 1)
    value_max = quantity.value_max * factor if quantity.value_max is not None else None
    return quantity.value * factor, value_max
