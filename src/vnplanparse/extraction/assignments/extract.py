"""Extract: who leads each task, who joins it, and by when (ANNOTATION §4).

Plans assign work in three shapes, each read by its own pass over the normalised text:
- tables with a lead column ("Cơ quan chủ trì"), one assignment per row;
- task blocks whose fields name the lead ("- Cơ quan chủ trì: Sở Nội vụ", "- Đơn vị phối hợp: …",
  "- Thời gian thực hiện: …"), one assignment per block, the task being the block's heading;
- running text with an explicit lead marker: "Giao Sở X [chủ trì] …", "Sở X chủ trì, phối hợp
  với …", "X chịu trách nhiệm chính", "là cơ quan đầu mối", or an item that opens with
  "Chủ trì, phối hợp với …" under a heading that names the agency. A lead-in ending in ":"
  governs the list items under it, one assignment each.
An agency that is merely the subject of a sentence, or a heading that names an agency, is not a
lead marker by itself. Recipients and signature blocks (found by sections.segment) hold none."""

from __future__ import annotations

import hashlib

import regex

from ...model.plan import Assignment, Section
from ...normalising.tables import Table
from ...structure import documents
from ..agencies import expand
from .base import _Doc, _Found, _re
from .prose import _from_prose
from .tables import _from_fields, _from_grids, _from_tables


def extract_assignments(
    text: str, sections: list[Section], closing_zones: list[tuple[int, int]] = (), tables: list[Table] = ()
) -> list[Assignment]:
    """The assignments of a normalised plan; `closing_zones` are its recipients and signature
    blocks (sections.segment finds them), which hold none. `tables` are the grids the table
    reader recovered; table lines it could not read as a grid are read line by line."""
    doc = _Doc(text, sections, list(closing_zones))
    found = _from_grids(doc, tables) + _from_tables(doc) + _from_fields(doc) + _from_prose(doc)
    found.sort(key=lambda f: (f.start, f.end))
    return _assemble(doc, found)


def _assemble(doc: _Doc, found: list[_Found]) -> list[Assignment]:
    out: list[Assignment] = []
    for f in found:
        if not f.lead:
            continue
        section = doc.innermost(f.section_at if f.section_at is not None else f.start)
        out.append(Assignment(
            id="",
            section=section.id if section else None,
            task=f.task,
            lead=f.lead,
            lead_expanded=[expand(n) for n in f.lead],
            partners=f.partners,
            partners_expanded=[expand(n) for n in f.partners],
            deadline=f.deadline,
            deadline_date=parse_deadline(f.deadline),
            span=(f.start, f.end),
        ))
    return with_ids(out)


def with_ids(assignments: list[Assignment]) -> list[Assignment]:
    """Each assignment's id from its section, task and lead; a repeat gets "-2", "-3" …"""
    seen: dict[str, int] = {}
    for a in assignments:
        base = _stable_id(a.section, a.task, a.lead)
        seen[base] = seen.get(base, 0) + 1
        a.id = base if seen[base] == 1 else f"{base}-{seen[base]}"
    return assignments


def _stable_id(section: str | None, task: str | None, lead: list[str]) -> str:
    """Derived from where the assignment is and what it says, so a re-parse of an edited plan
    keeps the ids of assignments the edit did not touch."""
    key = "\x1f".join([section or "", " ".join((task or "").casefold().split()), "|".join(lead)])
    return "a-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


# --- deadlines ------------------------------------------------------------------------------

_QUARTER_END_MONTH = {"I": 3, "II": 6, "III": 9, "IV": 12, "1": 3, "2": 6, "3": 9, "4": 12}

_TIMES = regex.compile(
    r"(?P<date>" + documents.date_re().pattern + r")"
    r"|(?i:tháng)[ \t]+(?P<month>\d{1,2})(?:[ \t]*[/\-][ \t]*|[ \t]+(?i:năm)[ \t]+)(?P<month_year>\d{4})"
    r"|(?i:qu[ýí])[ \t]+(?P<quarter>IV|I{1,3}|[1-4])(?:[ \t]*[/\-][ \t]*|[ \t]+(?i:năm)[ \t]+)(?P<quarter_year>\d{4})"
    r"|(?<![\d/])(?P<year>(?:19|20)\d{2})(?![\d/])"
)


def parse_deadline(deadline: str | None) -> str | None:
    """The end of a written time limit as an ISO 8601 value at the precision written: a day
    ("trước ngày 15/12/2025" → 2025-12-15), a month ("tháng 11/2025" → 2025-11), a quarter's last
    month ("Quý II/2022" → 2022-06), a year ("Năm 2025", the end of "2026-2027"). None when it
    recurs or has no end ("Thường xuyên", "Năm 2022 và các năm tiếp theo") or names no time."""
    if not deadline or _re("undated").search(deadline):
        return None
    latest: tuple[tuple[int, int, int], str] | None = None
    for m in _TIMES.finditer(deadline):
        if m.group("date"):
            iso = documents.iso_date(documents.date_re().match(m.group("date")))
            if iso is None:
                continue
            key, value = (int(iso[:4]), int(iso[5:7]), int(iso[8:])), iso
        elif m.group("month"):
            year, month = int(m.group("month_year")), int(m.group("month"))
            if not 1 <= month <= 12:
                continue
            key, value = (year, month, 31), f"{year:04d}-{month:02d}"
        elif m.group("quarter"):
            year, month = int(m.group("quarter_year")), _QUARTER_END_MONTH[m.group("quarter").upper()]
            key, value = (year, month, 31), f"{year:04d}-{month:02d}"
        else:
            year = int(m.group("year"))
            key, value = (year, 12, 32), f"{year:04d}"
        if latest is None or key > latest[0]:
            latest = (key, value)
    return latest[1] if latest else None
