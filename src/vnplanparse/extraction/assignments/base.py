"""What every assignment reader shares: patterns, the document context (_Doc) and a found
assignment (_Found)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import regex

from ... import grammar
from ...model.plan import Section
from ...structure.markers import SectionIndex, flatten, in_zones, match_marker
from ..agencies import split_names

# a run of spaces is tried from its first character only: from each of its characters, a long
# run would make a line's cost grow with the square of its length
_CELL = regex.compile(r"(?:(?<![ \t])[ \t]+)?(?:\||\t)[ \t]*")

_TABLE_LINE = regex.compile(r" \| |\S\t+\S")  # cells joined by " | " (the normaliser's) or tabs

_SENTENCE_END = regex.compile(r"(?<=[.!?])[ \t]+(?=[\p{Lu}\d(])")

_MAX_WORDS_IN_A_PIECE = 8

_ROW_NUMBER = regex.compile(r"\d{1,3}\.?")

_FIELD_PART = regex.compile(r"[^;]+")

_SEMICOLON = regex.compile(";")

_THEN_COMMA = regex.compile(r"(?:[ \t]+\p{Ll}+){0,4}[ \t]*,[ \t]*")

_LEAD_WORDS = regex.compile(
    r"[ \t,]*(?:(?:là|làm)[ \t]+(?:cơ quan[ \t]+)?đầu mối[ \t,]*)?(?:(?:là|làm)[ \t]+(?:cơ quan|đơn vị)[ \t]+)?(?:chủ trì[ \t,]*)?")

_LIST_ITEM = regex.compile(r"[ \t]*[-+•–]")

_CLAUSE_END = regex.compile(r";|\.(?=[ \t]|$)")


@cache
def _re(key: str) -> regex.Pattern[str]:
    return grammar.compiled("assignments", key)


@cache
def _header_re(column: str) -> regex.Pattern[str]:
    return regex.compile(grammar.load("assignments")["table_header"][column])


@dataclass
class _Found:
    start: int
    end: int
    task: str | None
    lead: list[str]
    partners: list[str] = field(default_factory=list)
    deadline: str | None = None
    section_at: int | None = None  # offset whose innermost section is the assignment's


class _Doc:
    """The normalised text with its lines, sections and closing zones."""

    def __init__(self, text: str, sections: list[Section], zones: list[tuple[int, int]]):
        self.text = text
        self.sections = flatten(sections)
        self.index = SectionIndex(sections)
        self.parents: dict[int, Section] = {}
        for s in self.sections:
            for child in s.children:
                self.parents[id(child)] = s
        self.body = self.sections[0].span[0] if self.sections else 0
        self.zones = zones
        self.lines: list[tuple[int, int]] = []
        pos = 0
        for line in text.split("\n"):
            start, end = pos, pos + len(line)
            pos = end + 1
            if line.strip() and self.readable(start):
                self.lines.append((start, end))
        self.taken: set[int] = set()  # starts of lines another pass has read

    def readable(self, offset: int) -> bool:
        """In the body, outside the recipients and signature blocks."""
        return offset >= self.body and not in_zones(offset, self.zones)

    def innermost(self, offset: int) -> Section | None:
        return self.index.innermost(offset)

    def parent(self, section: Section) -> Section | None:
        return self.parents.get(id(section))

    def section_on_line(self, start: int, end: int) -> Section | None:
        opening = self.index.opening_in(start, max(end, start + 1))
        return opening[0] if opening else None

    def line_of(self, offset: int) -> tuple[int, int]:
        start = self.text.rfind("\n", 0, offset) + 1
        end = self.text.find("\n", offset)
        return start, len(self.text) if end < 0 else end

    def item_start(self, start: int, end: int) -> int:
        """Where the text of a line starts after its list marker ("a) ", "- ", "1. ")."""
        line = self.text[start:end]
        stripped = line.lstrip()
        found = match_marker(stripped)
        return start + len(line) - len(stripped) + (found[2] if found else 0)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    piece = text[start:end]
    left = len(piece) - len(piece.lstrip())
    return start + left, start + len(piece.rstrip()) if piece.strip() else start + left


def _is_table_line(text: str, start: int, end: int) -> bool:
    # str.find first: most lines hold neither " | " nor a tab, and the pattern search is slower
    return text.find(" | ", start, end) >= 0 or (
        text.find("\t", start, end) >= 0 and bool(_TABLE_LINE.search(text, start, end))
    )


def _tagged(text: str, start: int, end: int) -> tuple[list[str], list[str]] | None:
    """The lead and partners of a cell or field value that tags each name's role: "Sở A (chủ
    trì); Sở B, Sở C (phối hợp)", "Sở A chủ trì; các sở, ngành phối hợp"; names after the lead's
    tag with no tag of their own are partners. None when no name is tagged as the lead."""
    tags = list(_re("role_tag").finditer(text, start, end))
    if not any(t.group("role").casefold() == "chủ trì" for t in tags):
        return None
    lead: list[str] = []
    partners: list[str] = []
    pos = start
    for tag in tags:
        names = [a.name for a in split_names(text, pos, tag.start())]
        (lead if tag.group("role").casefold() == "chủ trì" else partners).extend(names)
        pos = tag.end()
    partners += [a.name for a in split_names(text, pos, end)]
    return (lead, partners) if lead else None


# --- assembly -------------------------------------------------------------------------------


def _strip_task(task: str | None) -> str | None:
    return (task or "").strip(" \t.;:,") or None
