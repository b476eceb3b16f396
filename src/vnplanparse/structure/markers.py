"""Section markers (I., 1., a), -, …), the zones a marker may not open a section in, and the
SectionIndex the extractors look sections up in."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cache, lru_cache

import regex

from .. import grammar
from ..model.plan import Section

TITLE_MAX = 200

_TABLE_ROW = " | "


@dataclass
class _Node:
    kind: str
    value: str | None
    marker: str
    start: int  # offset of the marker
    body: int  # offset just after the marker
    line_end: int
    end: int = -1
    id: str = ""
    level: int = 1
    title: str | None = None
    inline: bool = False
    after_open_line: bool = False  # the line before breaks off mid-sentence
    question: bool = False  # the item's line asks a question
    children: list[_Node] = field(default_factory=list)
    parent: _Node | None = None


@cache
def _markers() -> list[tuple[str, regex.Pattern[str]]]:
    return [(m["kind"], regex.compile(m["pattern"])) for m in grammar.load("headings")["markers"]]


@cache
def _longest_abbreviation() -> int:
    return max(len(a) for a in grammar.load("headings")["abbreviations"])


@cache
def _abbreviation_re() -> regex.Pattern[str]:
    words = grammar.load("headings")["abbreviations"]
    return regex.compile(r"(?:" + grammar.alternation(words) + r")$")


@lru_cache(maxsize=8192)  # structure, targets and assignments each ask of the same lines
def match_marker(line: str) -> tuple[str, str | None, int] | None:
    """(kind, value, length of marker incl. following spaces) of a heading line, or None."""
    for kind, pattern in _markers():
        m = pattern.match(line)
        if m:
            value = m.group("value")
            if kind == "roman":
                value = value.upper()  # "Ii." of a title-casing converter is "II."
                if not value or not _ROMAN.fullmatch(value):
                    continue
            if kind == "part" and value[:1] in "Tt":  # "PHẦN THỨ HAI" is part II
                value = _ORDINAL_WORDS[value.split()[-1].casefold()]
            return kind, value, m.end()
    return None


_ROMAN = regex.compile(r"X{0,3}(?:IX|IV|V?I{0,3})")

_ORDINAL_WORDS = {"nhất": "I", "hai": "II", "ba": "III", "tư": "IV", "năm": "V", "sáu": "VI", "bảy": "VII",
                  "tám": "VIII", "chín": "IX", "mười": "X"}


def in_zones(offset: int, zones: list[tuple[int, int]]) -> bool:
    """Whether offset lies in one of the zones (sorted and disjoint, as _closing_zones makes them)."""
    i = bisect_right(zones, (offset, float("inf"))) - 1
    return i >= 0 and zones[i][0] <= offset < zones[i][1]


class SectionIndex:
    """Which sections hold an offset, and which open in a stretch, by bisection: the
    extractors ask once or more per line, and a plan may have a hundred thousand sections.

    The span ends cut the text into pieces within which the holding sections do not change;
    each piece keeps its chain. Sections nest, so a chain is no longer than the tree is deep."""

    def __init__(self, sections: list[Section]):
        # text order, an outer section before an inner one that opens at the same offset
        self.flat = sorted(flatten(sections), key=lambda s: (s.span[0], -s.span[1]))
        self._starts = [s.span[0] for s in self.flat]
        opening: dict[int, list[int]] = {}
        closing: dict[int, list[int]] = {}
        for rank, s in enumerate(self.flat):
            if s.span[0] < s.span[1]:
                opening.setdefault(s.span[0], []).append(rank)
                closing.setdefault(s.span[1], []).append(rank)
        self._cuts = sorted(opening.keys() | closing.keys())
        self._chains: list[tuple[Section, ...]] = []
        active: set[int] = set()
        for cut in self._cuts:
            active.difference_update(closing.get(cut, ()))
            active.update(opening.get(cut, ()))
            self._chains.append(tuple(self.flat[rank] for rank in sorted(active)))

    def holding(self, offset: int) -> tuple[Section, ...]:
        """The sections whose span holds offset, outermost first (in text order)."""
        piece = bisect_right(self._cuts, offset) - 1
        return self._chains[piece] if piece >= 0 else ()

    def innermost(self, offset: int) -> Section | None:
        chain = self.holding(offset)
        return chain[-1] if chain else None

    def opening_in(self, start: int, end: int) -> list[Section]:
        """The sections that open at an offset in [start, end), in text order."""
        return self.flat[bisect_left(self._starts, start) : bisect_left(self._starts, end)]


def flatten(sections: list[Section]) -> list[Section]:
    out: list[Section] = []
    for s in sections:
        out.append(s)
        out.extend(flatten(s.children))
    return out
