"""The unit written after a number (grammars/units.yaml): percent, money (scale kept), physical
measures (scale multiplies), rates (`/năm`), and for a count the head noun of what is counted,
whose extent word segmentation decides."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

import regex

from .. import grammar
from .numbers import Quantity
from .words import tokens

_DIGIT_RUN = regex.compile(r"\d+")
_MAX_RATIO_DENOMINATOR = 10
_WORDS_AFTER = regex.compile(r"[ \t]+(\p{Ll}[\p{L}\p{M} \t]{0,40})")
# A rate per a round population written without a noun before the slash ("40/100.000 trẻ đẻ sống").
_PER_POPULATION = regex.compile(r"/\s*(?:10+|1(?:\.000)+|10+(?:\.000)+)\s+\p{Ll}")


@dataclass(frozen=True)
class Unit:
    text: str
    kind: str  # percent | money | measure | count | ratio | rank
    end: int = 0  # offset just after the unit in the text
    keeps_scale: bool = False

    @property
    def countable(self) -> bool:
        """A measure that counts things (`lượt khách`, `giường`), not a physical quantity (`ha`)."""
        return self.kind == "measure" and self.text.split("/")[0] in _countable_measures()

    @property
    def annual(self) -> bool:
        """A per-year rate (`%/năm`, `mẫu/năm`); money per year is a level (`triệu đồng/người/năm`)."""
        return self.kind != "money" and any(
            self.text.endswith("/" + d) for d in grammar.load("units")["annual_denominators"]
        )


@cache
def _data() -> dict:
    return grammar.load("units")


@cache
def _countable_measures() -> frozenset[str]:
    return frozenset(_data()["countable_measures"])


@cache
def _re(name: str) -> regex.Pattern[str]:
    data = _data()
    if name == "percent":
        return regex.compile(r"\s*(?:" + grammar.alternation(data["percent"]) + r")", regex.I)
    if name == "percent_base":
        return regex.compile(r"[ \t]+(?P<b>" + grammar.alternation(data["percent_bases"]) + r")(?![\w])")
    if name == "currency":
        return regex.compile(r"\s*(?P<u>" + grammar.alternation(data["currencies"]) + r")(?![\w])")
    if name == "measure":
        return regex.compile(r"(?P<gap>\s*)(?P<u>" + grammar.alternation(data["measures"]) + r")(?![\w²³])")
    if name == "counted_abbreviation":
        return regex.compile(r"[ \t]+(?P<u>" + grammar.alternation(data["counted_abbreviations"]) + r")(?![\w])")
    if name == "denominator":
        return regex.compile(
            r"\s*/\s*(?P<d>[^\s/,;:()…]+(?:\s+(?!(?:so|vào|đến|trong|trở|và|của|theo|tại|năm|đạt|trên|đối)\b)"
            r"[^\s/,;:()…]+){0,4}?)(?=\s*(?:/|[,;:()…]|$|\s+(?:so|vào|đến|trong|trở|và|của|theo|tại|năm|đạt|trên|đối)\b))",
        )
    raise KeyError(name)


def read_unit(text: str, q: Quantity, limit: int) -> Unit | None:
    """The unit after quantity q, or None when what follows makes q no target value
    (an age, a duration, a count of the plan's own tasks, nothing at all)."""
    pos = q.end
    rest = text[pos:limit]
    if q.scale and not q.word:
        m = _re("currency").match(rest)
        if m:
            return _with_rate(text, f"{q.scale} {m.group('u')}", "money", pos + m.end(), limit, keeps_scale=True)
    m = _re("percent").match(rest)
    if m:
        base = _re("percent_base").match(text, pos + m.end(), limit)
        if base:
            return Unit("% " + base.group("b"), "percent", base.end())
        return _with_rate(text, "%", "percent", pos + m.end(), limit)
    glued = bool(rest[:1].isalpha()) or rest[:1] == "‰"
    m = _re("measure").match(rest)
    if m and (m.group("gap") or glued):
        return _with_rate(text, m.group("u"), "measure", pos + m.end(), limit)
    if glued:
        return None  # "5G", "3G/4G": a name, not a number with a unit
    m = _re("currency").match(rest)
    if m:
        return _with_rate(text, m.group("u"), "money", pos + m.end(), limit)
    if _PER_POPULATION.match(rest):
        return _with_rate(text, "", "measure", pos, limit)
    if q.fraction and q.word:
        return Unit("lần", "ratio", q.end)
    if q.fraction:
        counted = _count_noun(text, pos, limit)
        if counted is None and _WORDS_AFTER.match(rest):
            return None  # "hoàn thành 3/6 mục tiêu": so many of the plan's own aims, no ratio
        num, den = _DIGIT_RUN.findall(text, q.start, q.end)[:2]
        # "1/2" is a ratio; "15/19 tiêu chí", "21/34" count some of a whole
        return Unit("lần", "ratio", q.end) if int(num) < int(den) <= _MAX_RATIO_DENOMINATOR else None
    m = _re("counted_abbreviation").match(rest)
    if m:  # "85 HTX": a count noun written as its capitals, which the lower-case noun reading skips
        return _with_rate(text, m.group("u"), "count", pos + m.end(), limit)
    return _count_noun(text, pos, limit)


def _with_rate(text: str, base: str, kind: str, pos: int, limit: int, keeps_scale: bool = False) -> Unit:
    unit = base
    while True:
        m = _re("denominator").match(text, pos, limit)
        if not m:
            break
        denominator = m.group("d").rstrip(".")
        unit += "/" + denominator
        pos = m.start("d") + len(denominator)
    return Unit(unit, kind, pos, keeps_scale)


def _count_noun(text: str, pos: int, limit: int) -> Unit | None:
    m = _WORDS_AFTER.match(text[pos:limit])
    if not m:
        return None
    words = tokens(m.group(1).strip())
    if not words:
        return None
    data = _data()
    head = words[0]
    if head.lower() in _non_nouns() or len(head) == 1:
        return None
    stop = head
    if head in data["classifiers"] and len(words) > 1 and words[1][:1].islower() and words[1].lower() not in _non_nouns():
        stop = f"{head} {words[1]}"
    if stop.lower() in _non_targets() or head.lower() in _non_targets():
        return None
    start = pos + m.start(1)
    end = _written_end(text, stop, start, limit)
    if end is None:
        return None
    return _with_rate(text, text[start:end], "count", end, limit)


def _written_end(text: str, words: str, start: int, limit: int) -> int | None:
    """Where `words` (as the segmenter gave them) end in text from start. The segmenter writes
    old-style tone marks the new way ("hoà" -> "hòa"): the same letters, the same length, found
    by their base letters. None when it rewrote more than that (mojibake: "uá»" -> "úa", "»")."""
    last = words.split()[-1]
    at = text.find(last, start, limit)
    if at >= 0:
        return at + len(last)
    written = text[start : start + len(words)]
    return start + len(words) if start + len(words) <= limit and _base_letters(written) == _base_letters(words) else None


def _base_letters(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


@cache
def _non_targets() -> frozenset[str]:
    return frozenset(w.lower() for w in _data()["non_target_nouns"])


@cache
def _non_nouns() -> frozenset[str]:
    return frozenset(w.lower() for w in _data()["not_nouns"])
