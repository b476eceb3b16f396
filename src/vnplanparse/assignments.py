"""Extract: who leads each task, who joins it, and by when (ANNOTATION §4).

Plans assign work in three shapes, each read by its own pass over the normalised text:
- tables with a lead column ("Cơ quan chủ trì"), one assignment per row;
- task blocks whose fields name the lead ("- Cơ quan chủ trì: Sở Nội vụ", "- Đơn vị phối hợp: …",
  "- Thời gian thực hiện: …"), one assignment per block, the task being the block's heading;
- running text with an explicit lead marker: "Giao Sở X [chủ trì] …", "Sở X chủ trì, phối hợp
  với …", "X chịu trách nhiệm chính", "là cơ quan đầu mối", or an item that opens with
  "Chủ trì, phối hợp với …" under a heading that names the agency (numbered, or a plain
  "Sở X:" line). A lead-in ending in ":" governs the list items under it, one assignment each,
  also when they are written inline ("Giao X: (i) …; (ii) …").
A cell or field value may tag its names' roles ("Sở A (chủ trì), Sở B"): the tags decide.
An agency that is merely the subject of a sentence, or a heading that names an agency, is not a
lead marker by itself. Recipients and signature blocks (found by sections.segment) hold none.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache

import regex

from . import documents, grammar
from .agencies import (
    Agency,
    agency_at,
    expand,
    extend_to,
    find_agencies,
    leading_names,
    read_list,
    split_names,
)
from .clauses import CLAUSE_MAX, at_most_clause_max
from .model import Assignment, Section
from .sections import SectionIndex, flatten, in_zones, match_marker
from .tables import Table

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
_MAX_ITEMS_UNDER_A_PLAIN_HEADING = 40  # lines looked back over for "Sở X:" above a dash item


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


# --- tables ---------------------------------------------------------------------------------


def _from_grids(doc: _Doc, tables: list[Table]) -> list[_Found]:
    """One assignment per row of a table with a lead column; merged cells carry down. A row
    whose lead cell is its own but whose task is merged from the row above adds that agency's
    assignment for the same task."""
    found: list[_Found] = []
    for table in tables:
        columns = _grid_columns(table)
        if columns is None:
            continue
        lead_col, task_col, partner_col, deadline_col, tags_only = columns
        if tags_only and not any(row.cells[lead_col] is not None and _tagged(doc.text, row.cells[lead_col].start,
                                                                              row.cells[lead_col].end)
                                 for row in table.body):
            continue  # a doer column that tags no lead: no table of assignments
        for row in table.header + table.body:
            doc.taken.add(row.start)
        for row in table.body:
            lead_cell = row.cells[lead_col]
            if lead_cell is None or not lead_cell.text or not doc.readable(row.start):
                continue
            task_cell = row.cells[task_col] if task_col is not None else None
            if lead_cell.carried and (task_cell is None or task_cell.carried):
                continue
            if task_cell is lead_cell:  # a group row's title spanning the whole row
                continue
            partners_cell = row.cells[partner_col] if partner_col is not None else None
            deadline_cell = row.cells[deadline_col] if deadline_col is not None else None
            tagged = _tagged(doc.text, lead_cell.start, lead_cell.end)
            if tags_only and tagged is None:
                continue
            lead, partners = tagged or ([a.name for a in split_names(doc.text, lead_cell.start, lead_cell.end)], [])
            partners += (
                [a.name for a in split_names(doc.text, partners_cell.start, partners_cell.end)]
                if partners_cell is not None and partners_cell.text else []
            )
            task = _strip_task(task_cell.text) if task_cell is not None and task_cell.text else None
            deadline = deadline_cell.text.strip(" .") or None if deadline_cell is not None else None
            if lead:
                found.append(_Found(row.start, row.end, task, lead, partners, deadline, row.start))
    return found


def _grid_columns(table: Table) -> tuple[int, int | None, int | None, int | None, bool] | None:
    """Lead, task, partner and deadline columns of a table, and whether only the rows whose lead
    cell tags its roles count; None when it has no lead column. A doer column ("Đơn vị thực
    hiện") leads beside a partner column; alone, only in the rows that tag who leads ("Sở A
    (chủ trì), Sở B")."""
    def column(kind: str, exclude: tuple[int | None, ...] = ()) -> int | None:
        return next((c.index for c in table.columns if c.index not in exclude and c.label
                     and _header_re(kind).search(c.label)), None)

    partners = column("partners")
    lead = column("lead", (partners,))
    tags_only = False
    if lead is None:
        lead = column("doer", (partners,))
        tags_only = partners is None
    if lead is None:
        return None
    deadline = column("deadline", (lead, partners))
    task = column("task", (lead, partners, deadline))
    if task is None:
        task = next((c.index for c in table.columns if c.role == "label"), None)
    return lead, task, partners, deadline, tags_only


@dataclass
class _Columns:
    count: int
    lead: int
    task: int | None
    partners: int | None
    deadline: int | None


def _cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each cell of a table line, spaces trimmed; an empty cell is (p, p)."""
    out, pos = [], start
    for sep in _CELL.finditer(text, start, end):
        out.append(_trim(text, pos, sep.start()))
        pos = sep.end()
    out.append(_trim(text, pos, end))
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    piece = text[start:end]
    left = len(piece) - len(piece.lstrip())
    return start + left, start + len(piece.rstrip()) if piece.strip() else start + left


def _is_table_line(text: str, start: int, end: int) -> bool:
    return bool(_TABLE_LINE.search(text, start, end))


def _header(text: str, cells: list[tuple[int, int]]) -> tuple[int, list[str]] | None:
    """The index of the last cell of a run of cells that names a lead column, and the names of
    the run's cells, or None."""
    def find(kind: str) -> int | None:
        return next((i for i, (a, b) in enumerate(cells) if b - a < 80 and _header_re(kind).search(text[a:b])), None)

    lead = find("lead")
    if lead is None:
        lead = find("doer")
        if lead is None or find("partners") is None:
            return None
    if not any(find(kind) is not None for kind in ("task", "partners", "deadline", "number")):
        return None  # a lone "chủ trì" cell is a row's text, not a header
    first = lead
    while first > 0 and cells[first - 1][1] > cells[first - 1][0] and not _header_re("number").match(
            text[slice(*cells[first])]):
        first -= 1
    last = lead
    while last + 1 < len(cells) and cells[last + 1][1] > cells[last + 1][0]:
        last += 1
    return last, [text[a:b] for a, b in cells[first: last + 1]]


def _under_spanning_cell(names: list[str], above: list[str]) -> list[str]:
    """A two-level header: "TT | Nội dung | Cơ quan thực hiện | Thời gian" over "Chủ trì | Phối
    hợp" reads as "TT | Nội dung | Chủ trì | Phối hợp | Thời gian"."""
    if len(names) >= 3 or not above:
        return names
    spanning = next((i for i, n in enumerate(above) if _header_re("spanning").search(n)), None)
    if spanning is None:
        return names
    return above[:spanning] + names + above[spanning + 1:]


def _columns(names: list[str]) -> _Columns:
    def column(kind: str, exclude: tuple[int | None, ...] = ()) -> int | None:
        return next((i for i, n in enumerate(names) if i not in exclude and _header_re(kind).search(n)), None)

    lead = column("lead")
    lead = column("doer") if lead is None else lead
    partners = column("partners", (lead,))
    deadline = column("deadline", (lead, partners))
    task = column("task", (lead, partners, deadline))
    if task is None:  # the column after the row number, else the first
        task = 1 if _header_re("number").match(names[0]) and len(names) > 1 else 0
    return _Columns(len(names), lead or 0, task, partners, deadline)


def _from_tables(doc: _Doc) -> list[_Found]:
    text, found = doc.text, []
    columns: _Columns | None = None
    previous: _Found | None = None
    pending: list[tuple[int, int]] = []  # one-cell lines inside a table: cells of a merged row
    line_above: list[str] = []  # the cells of the table line before this one
    for start, end in doc.lines:
        if start in doc.taken:  # a grid the table reader recovered
            columns, previous, pending, line_above = None, None, [], []
            continue
        if not _is_table_line(text, start, end):
            line_above = []
            if columns is None:
                continue
            if doc.section_on_line(start, end) is None and len(pending) < columns.count - 1:
                pending.append(_trim(text, start, end))
            else:  # a heading, or more plain lines than a row has cells: the table has ended
                columns, previous, pending = None, None, []
            continue
        cells = _cells(text, start, end)
        header = _header(text, cells)
        above, line_above = line_above, [text[a:b] for a, b in cells if b > a]
        if header:
            last, names = header
            columns = _columns(_under_spanning_cell(names, above))
            cells = cells[last + 1:]
            previous, pending = None, []
        elif columns is None:
            continue
        rows = _rows(cells, columns.count)
        if pending and len(pending) + len(rows[0]) == columns.count:
            rows[0] = pending + rows[0]  # a row the page broke over several lines
        elif pending and previous is not None:
            found += _merged_row(text, pending, columns, previous)
        pending = []
        doc.taken.add(start)
        for row in rows:
            made = _table_row(text, row, columns, previous)
            if made:
                found.append(made)
                previous = made
    return found


def _rows(cells: list[tuple[int, int]], count: int) -> list[list[tuple[int, int]]]:
    """Rows of a line. A line with at most the header's cell count is one row, empty cells
    kept; web pages sometimes run several rows into one line with an empty cell between them."""
    cells = cells[1:] if cells and cells[0][0] == cells[0][1] else cells
    if len(cells) <= count:
        return [cells]
    rows: list[list[tuple[int, int]]] = [[]]
    for cell in cells:
        if cell[0] == cell[1]:
            rows.append([])
        else:
            rows[-1].append(cell)
    return [row for row in rows if row]


def _table_row(text: str, row: list[tuple[int, int]], columns: _Columns, previous: _Found | None) -> _Found | None:
    """The assignment of one row. A numbered row whose lead cell is empty or missing shares
    merged cells with the row above: those carry down (ANNOTATION §4)."""
    def cell(i: int | None) -> str:
        return text[slice(*row[i])] if i is not None and i < len(row) else ""

    numbered = previous is not None and bool(_ROW_NUMBER.fullmatch(cell(0)))
    if len(row) < columns.count and not numbered:
        return None  # a group row ("I | Giai đoạn 2025-2027"), or a caption
    lead = [a.name for a in split_names(text, *row[columns.lead])] if cell(columns.lead) else []
    partners = [a.name for a in split_names(text, *row[columns.partners])] if cell(columns.partners) else []
    deadline = cell(columns.deadline).strip(" .") or None
    if not lead and numbered and cell(columns.task):
        lead = list(previous.lead)
        partners = partners or list(previous.partners)
        deadline = deadline or previous.deadline
    if not lead:
        return None
    return _Found(row[0][0], row[-1][1], _strip_task(cell(columns.task)), lead, partners, deadline, row[0][0])


def _merged_row(text: str, pending: list[tuple[int, int]], columns: _Columns, previous: _Found) -> list[_Found]:
    """A row whose other cells are merged with the row above: it brings only its own lead (and
    partners), and takes the task and deadline of the row above."""
    lead = split_names(text, *pending[0])
    if not find_agencies(text, *pending[0]):
        return []  # not a row of agencies: a caption or the page's text after the table
    partners = split_names(text, *pending[1]) if len(pending) > 1 and columns.partners is not None else []
    return [_Found(pending[0][0], pending[-1][1], previous.task, [a.name for a in lead], [a.name for a in partners],
                   previous.deadline, previous.section_at)]


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


def _named(agency: Agency) -> bool:
    return not agency.group


# --- task blocks ----------------------------------------------------------------------------


def _from_fields(doc: _Doc) -> list[_Found]:
    text = doc.text
    fields = []  # (line start, line end, [(role, value start, value end)])
    for start, end in doc.lines:
        if start not in doc.taken:
            parsed = _fields_of(text, doc.item_start(start, end), end)
            if parsed:
                fields.append((start, end, parsed))
    # "Cơ quan thực hiện:" leads only in plans whose blocks name a lead or partner field
    structured = any(role in ("chủ trì", "đầu mối", "phối hợp") for _, _, p in fields for role, _, _ in p)
    blocks: dict[int | None, list[_Found]] = {}  # per task block, the assignments of its last lead field
    found: list[_Found] = []
    for start, end, parsed in fields:
        owner = _field_owner(doc, start, end)
        key = id(owner) if owner else None
        for role, a, b in parsed:
            if a == b:
                continue
            if role in ("chủ trì", "đầu mối", "thực hiện"):
                leads = _lead_field(doc, role, a, b, structured)
                if not leads:
                    continue
                section_at = owner.span[0] if owner else start  # the block's heading holds it
                task = _owner_task(doc, owner)
                made = [_Found(start, end, own_task or task, lead, partners, section_at=section_at)
                        for lead, partners, own_task in leads]
                blocks[key] = made
                found += made
            elif not blocks.get(key):
                continue  # a partner or time field with no lead before it in its block
            elif role == "phối hợp":
                for made in blocks[key]:
                    made.partners += [n.name for n in _field_names(text, a, b)]
            else:
                for made in blocks[key]:
                    made.deadline = text[a:b].strip(" .;") or None
            for made in blocks[key]:
                made.end = max(made.end, end)
            doc.taken.add(start)
    return found


def _lead_field(doc: _Doc, role: str, a: int, b: int,
                structured: bool) -> list[tuple[list[str], list[str], str | None]]:
    """(lead, partners, task of its own) of each assignment a lead field's value makes: one
    whose names are tagged ("Sở A (chủ trì), Sở B"); one per ';' clause when a clause has its own
    marker ("Cơ quan thực hiện: Sở A chủ trì tham mưu …; Sở B, Sở C chủ động …"); else its names.
    "Cơ quan thực hiện:" leads only in a plan whose blocks name a lead or partner field, and not
    with catch-all groups alone."""
    text = doc.text
    doer = role == "thực hiện"
    tagged = _tagged(text, a, b) if role != "đầu mối" else None
    if tagged:
        return [(*tagged, None)]
    if doer and not structured:
        return []
    parts = [_trim(text, a + m.start(), a + m.end()) for m in _FIELD_PART.finditer(text[a:b])]
    marked = [_first_marker(doc, pa, pb, pa) for pa, pb in parts]
    if not any(m and m[0].lead for m in marked):
        names = _field_names(text, a, b)
        if not names or (doer and all(n.group for n in names)):
            return []
        return [([n.name for n in names], [], None)]
    out = []
    for (pa, pb), m in zip(parts, marked):
        if m and m[0].lead:
            out.append((m[0].lead, m[0].partners, m[0].task))
            continue
        names = _field_names(text, pa, pb)
        if names and not (doer and all(n.group for n in names)):
            out.append(([n.name for n in names], [], _strip_task(text[names[-1].end:pb])))
    return out


def _fields_of(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """The fields of an item that opens with one: [(role, value start, value end)]."""
    first = _re("field").match(text, start, end)
    if not first:
        return []
    marks = [first, *_re("field").finditer(text, first.end(), end)]
    out = []
    for i, m in enumerate(marks):
        value_end = marks[i + 1].start() if i + 1 < len(marks) else end
        a, b = _trim(text, m.end(), value_end)
        while b > a and text[b - 1] in ".;, ":
            b -= 1
        out.append(("time" if m.group("time") else m.group("role").casefold(), a, b))
    return out


def _field_names(text: str, start: int, end: int) -> list[Agency]:
    """The agencies of a field value: per ';' part, the list it opens with ("Sở Khoa học và Công
    nghệ tiến hành rà soát …" gives the Sở); a short part that is no known name stays as written."""
    out: list[Agency] = []
    for part in _FIELD_PART.finditer(text[start:end]):
        a, b = _trim(text, start + part.start(), start + part.end())
        names = read_list(text, a, b)
        while names:
            scope = _re("scope_phrase").match(text, names[-1].end, b)
            more = read_list(text, scope.end(), b) if scope else []
            if not more:
                break
            names += more
        if names:
            out += names
        elif len(text[a:b].split()) <= _MAX_WORDS_IN_A_PIECE:
            out += split_names(text, a, b)
    return out


def _field_owner(doc: _Doc, start: int, end: int) -> Section | None:
    """The task heading a field belongs to: the nearest enclosing section that is neither the
    field's own item nor a field label ("b) Cơ quan thực hiện:")."""
    section = doc.innermost(start)
    while section is not None and (start <= section.span[0] < end or _re("field").match(section.title or "")
                                   or _re("field").match(doc.text, doc.item_start(*doc.line_of(section.span[0])))):
        section = doc.parent(section)
    return section


def _owner_task(doc: _Doc, owner: Section | None) -> str | None:
    if owner is None:
        return None
    start, end = doc.line_of(owner.span[0])
    body = doc.text[doc.item_start(start, end):end]
    sentence = _SENTENCE_END.split(body, maxsplit=1)[0]
    return _strip_task(sentence) or owner.title


# --- running text ---------------------------------------------------------------------------


def _from_prose(doc: _Doc) -> list[_Found]:
    text, found = doc.text, []
    for index, (start, end) in enumerate(doc.lines):
        if start in doc.taken or _is_table_line(text, start, end):
            continue
        item = doc.item_start(start, end)
        inline = _inline_items(doc, item, end)
        if inline:
            found += inline
            continue
        made = []
        for a, b, sentence in _clauses(text, item, end):
            marked = _first_marker(doc, a, b, sentence)
            if marked is not None:
                made.append(marked)
            elif made and made[-1][0].lead:
                made[-1][0].partners += _closing_partners(text, a, b)
        if not made:
            continue
        found += [assignment for assignment, _ in made if assignment.lead]
        last, dangling = made[-1]
        if last.lead and (dangling or text[item:end].rstrip().endswith(":")):
            children = _governed_items(doc, index)
            if children:  # a lead-in: one assignment per item it governs, none for itself
                found.remove(last)
                found += _for_each_item(doc, last, children, dangling)
    return found


def _clauses(text: str, start: int, end: int):
    """(start, end, sentence start) of each ';'-separated clause of each sentence of a line."""
    sentence_start = start
    for m in [*_SENTENCE_END.finditer(text, start, end), None]:
        sentence_end = m.start() if m else end
        pos = sentence_start
        for part in [*_SEMICOLON.finditer(text[sentence_start:sentence_end]), None]:
            clause_end = sentence_start + part.start() if part else sentence_end
            for a, b in at_most_clause_max(text, pos, clause_end):
                yield a, b, sentence_start
            pos = clause_end + 1
        sentence_start = m.end() if m else end


def _first_marker(doc: _Doc, start: int, end: int, sentence_start: int | None = None) -> tuple[_Found, bool] | None:
    """The assignment a clause makes, if it has a lead marker, and whether it ends on a bare
    "phối hợp" ("b) Chủ trì, phối hợp") whose partners open the items below it."""
    text = doc.text
    trailing = _trailing_lead(doc, start, end)
    if trailing:
        return trailing, False
    for m in _re("lead_marker").finditer(text, start, end):
        if m.group("giao"):
            lead = read_list(text, m.end(), end)
            if not lead:
                continue
            if lead[-1].end == end and text.startswith(";", end):
                # "Giao A; B và C giám sát …": the ';' separates the lead agencies of one "Giao"
                sentence_end = _sentence_end(text, end)
                lead = read_list(text, m.end(), sentence_end)
                end = next((c.start() for c in _SEMICOLON.finditer(text, lead[-1].end, sentence_end)), sentence_end)
            phrase_end = lead[-1].end
        else:
            role_word = not m.group().startswith("chịu")  # "chịu trách nhiệm chính" is never a role noun
            if role_word and _re("not_a_lead_before").search(text[start:m.start()]) or _re("not_a_lead_after").match(
                    text[m.end():end]):
                continue
            lead = _lead_before(doc, start, m.start(), sentence_start)
            phrase_end = m.end()
        if lead is None:
            continue
        lead = lead if any(_named(a) for a in lead) else []  # a catch-all alone leads nothing here
        partners, task_start, dangling = _partners(doc, start, phrase_end, end)
        sentence_end = _sentence_end(text, end)
        label = _time_label(text, task_start, sentence_end)  # "…; thời gian hoàn thành: …" ends the task
        task = _strip_task(text[task_start:label.start() if label else sentence_end])
        made = _Found(start, sentence_end, task, [a.name for a in lead], partners,
                      _deadline_in(text, m.start(), min(doc.line_of(m.start())[1], m.start() + CLAUSE_MAX)), section_at=m.start())
        return made, dangling
    return None


def _trailing_lead(doc: _Doc, start: int, end: int) -> _Found | None:
    """"[task], do X chủ trì" closing a clause: X leads the task before the comma."""
    text = doc.text
    m = _re("trailing_lead").search(text, start, end)
    if m is None or agency_at(text, m.start("name"), m.end("name")) is None:
        return None
    task = _strip_task(text[start:m.start()])
    return _Found(start, end, task, [m.group("name")], section_at=m.start("name")) if task else None


def _sentence_end(text: str, clause_end: int) -> int:
    """Where a clause's sentence ends: at the next sentence end on its line, looked for no
    further than a clause's length (a line with no punctuation holds no sentence to end)."""
    limit = min(len(text), clause_end + CLAUSE_MAX)
    line_end = text.find("\n", clause_end, limit)
    line_end = limit if line_end < 0 else line_end
    m = _SENTENCE_END.search(text, clause_end, line_end)
    return m.start() if m else line_end


def _lead_before(doc: _Doc, start: int, marker: int, sentence_start: int | None = None) -> list[Agency] | None:
    """The lead of a "chủ trì" / "đầu mối" / "chịu trách nhiệm chính" marker: the names just
    before it ("Sở X chủ trì", a name running up to it in sentence case: "Ban Cải cách hiện đại
    hóa chủ trì"), else the clause's subject ("Sở X, trên cơ sở …, chủ trì"), else, when the
    marker opens a later ';' clause, the subject of its sentence ("Sở X tham mưu …; chủ trì, phối
    hợp …"), else, when it opens the clause or follows a comma, the agency heading of the item."""
    text = doc.text
    intro = _re("clause_intro").match(text, start, marker)
    subject_at = intro.end() if intro else start
    candidates = [a for a in find_agencies(text, start, marker) if not _object(text, start, a.start)]
    for agency in candidates:
        names = read_list(text, agency.start, marker)
        if names and not names[-1].group:
            names[-1] = extend_to(text, names[-1], marker)
        if names and not text[names[-1].end:marker].strip(" \t,:"):
            return names
    subject = read_list(text, subject_at, marker)
    if subject and not _object(text, start, subject_at):
        return subject
    before = text[subject_at:marker].rstrip()
    if before and not before.endswith(","):
        return None
    if not before and sentence_start is not None and sentence_start < start:
        subject = _sentence_subject(doc, sentence_start, start)
        if subject:
            return subject
    heading = _heading_agencies(doc, marker)
    if heading:
        return heading
    for agency in reversed(candidates):  # "… gửi Sở X tổng hợp, chủ trì, …"
        names = read_list(text, agency.start, marker)
        if names and _THEN_COMMA.fullmatch(text[names[-1].end:marker]):
            return names
    return None


def _closing_partners(text: str, start: int, end: int) -> list[str]:
    """The names of a clause that only says they join ("Sở A chủ trì …; Sở B, Sở C phối hợp.")."""
    intro = _re("clause_intro").match(text, start, end)
    names = read_list(text, intro.end() if intro else start, end)
    if names and _re("closing_partners").fullmatch(text, names[-1].end, end):
        return [a.name for a in names]
    return []


def _sentence_subject(doc: _Doc, sentence_start: int, end: int) -> list[Agency] | None:
    """The names a sentence opens with when a verb follows them (not a lead-in's "Sở X:")."""
    text = doc.text
    intro = _re("clause_intro").match(text, sentence_start, end)
    names = read_list(text, intro.end() if intro else sentence_start, end)
    if not names or not any(_named(a) for a in names):
        return None
    after = text[names[-1].end:end]
    return names if regex.match(r"[ \t]+\p{Ll}", after) else None


def _inline_items(doc: _Doc, item: int, end: int) -> list[_Found]:
    """"Giao X: (i) …; (ii) …" — a lead-in whose items are written on its own line: one
    assignment per item, the lead-in's lead; a marker inside an item ("(i) Chỉ đạo Y chủ trì …")
    is part of its task."""
    text = doc.text
    giao = _re("lead_marker").search(text, item, min(end, item + 40))
    if giao is None or not giao.group("giao"):
        return []
    lead = read_list(text, giao.end(), end)
    if not lead or not any(_named(a) for a in lead):
        return []
    colon = regex.match(r"[ \t]*:[ \t]*", text[lead[-1].end:end])
    if colon is None:
        return []
    items = list(_re("inline_item").finditer(text, lead[-1].end + colon.end(), end))
    if len(items) < 2 or items[0].start() != lead[-1].end + colon.end():
        return []
    out = []
    for i, m in enumerate(items):
        item_end = items[i + 1].start() if i + 1 < len(items) else end
        partners, task_start, _ = _partners(doc, m.end(), m.end(), item_end)
        out.append(_Found(m.start(), item_end, _strip_task(text[task_start:item_end]), [a.name for a in lead],
                          partners, _deadline_in(text, m.end(), item_end), section_at=m.start()))
    return out


def _object(text: str, start: int, at: int) -> bool:
    return bool(_re("object_of").search(text[max(start, at - 30):at]))


def _heading_agencies(doc: _Doc, offset: int) -> list[Agency] | None:
    """The agencies named by the nearest heading above an item that names who does the items
    under it ("2.3. Công an tỉnh", "- Bộ Tài chính", "9. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam
    tỉnh:", "2. Ban Quản lý … có trách nhiệm:")."""
    line_start, line_end = doc.line_of(offset)
    section = doc.innermost(offset)
    plain = _plain_heading_agencies(doc, line_start, section)
    if plain:
        return plain
    while section is not None:
        if not line_start <= section.span[0] < line_end:
            start, end = doc.line_of(section.span[0])
            body = doc.item_start(start, end)
            names = leading_names(doc.text[body:end], _re("heading_rest"))
            if names:
                return [Agency(a.name, body + a.start, body + a.end, a.group) for a in names]
        section = doc.parent(section)
    return None


def _plain_heading_agencies(doc: _Doc, line_start: int, section: Section | None) -> list[Agency] | None:
    """A dash item's agency heading written as a plain line, no marker of its own ("Sở Tài chính:"
    then "- Chủ trì …"): the nearest line above the item's run of dash items, inside its section."""
    if not _LIST_ITEM.match(doc.text, line_start):
        return None
    while section is not None and doc.line_of(section.span[0])[0] == line_start:
        section = doc.parent(section)  # the item's own section
    floor = doc.line_of(section.span[0])[1] if section is not None else doc.body
    pos = line_start
    for _ in range(_MAX_ITEMS_UNDER_A_PLAIN_HEADING):
        if pos <= floor:
            break
        start, end = doc.line_of(pos - 1)
        if not doc.text[start:end].strip():
            pos = start
            continue
        if _LIST_ITEM.match(doc.text, start):
            pos = start
            continue
        line = doc.text[start:end]
        if not line.rstrip().endswith(":"):
            return None
        names = leading_names(line, _re("heading_rest"))
        return [Agency(a.name, start + a.start, start + a.end, a.group) for a in names] if names else None
    return None


def _partners(doc: _Doc, start: int, phrase_end: int, end: int) -> tuple[list[str], int, bool]:
    """Partners named after the lead ("phối hợp với …"), where the task text starts, and whether
    the clause ends on a bare "phối hợp" whose partners open the items below."""
    text = doc.text
    partners: list[str] = []
    gap = _LEAD_WORDS.match(text[phrase_end:end])
    task_start = phrase_end + gap.end()
    dangling = False
    for m in _re("partner_marker").finditer(text, phrase_end, end):
        if _subject_of_its_own(doc, start, m.start()):
            continue  # "tham mưu Ủy ban nhân dân tỉnh phối hợp Bộ Quốc phòng": the province's partner
        names = read_list(text, m.end(), end)
        partners += [a.name for a in names]
        if m.start() <= task_start:
            task_start = names[-1].end if names else m.end()
            task_start += len(text[task_start:end]) - len(text[task_start:end].lstrip(" \t,"))
        if not names and not text[m.end():end].strip(" \t:"):
            dangling = True
    return partners, task_start, dangling


def _subject_of_its_own(doc: _Doc, start: int, at: int) -> bool:
    before = doc.text[start:at].rstrip()
    names = find_agencies(doc.text, max(start, at - 200), at)
    return bool(names and names[-1].end == len(before) + start and not before.endswith(","))


def _governed_items(doc: _Doc, index: int) -> list[tuple[int, int]]:
    """The list items a lead-in line governs: its section's children, else the dash and plus
    items that follow it."""
    start, end = doc.lines[index]
    section = doc.section_on_line(start, end)
    if section is not None and section.children:
        return [doc.line_of(c.span[0]) for c in section.children]
    items = []
    for i in range(index + 1, len(doc.lines)):  # by index: a slice would copy the rest for each lead-in
        line_start, line_end = doc.lines[i]
        if not _LIST_ITEM.match(doc.text[line_start:line_end]):
            break
        items.append((line_start, line_end))
    return items


def _for_each_item(doc: _Doc, lead_in: _Found, items: list[tuple[int, int]], dangling: bool) -> list[_Found]:
    """One assignment per item a lead-in governs: the lead-in's lead and partners, plus the
    partners the item names itself ("- Chủ trì, phối hợp với Sở Tài chính …"), or, after a bare
    "Chủ trì, phối hợp", the names the item opens with ("- Sở Xây dựng, Sở Tài chính tổ chức …")."""
    text, out = doc.text, []
    for start, end in items:
        doc.taken.add(start)
        item = doc.item_start(start, end)
        sentence_end = _sentence_end(text, item)
        partners = list(lead_in.partners)
        phrase_end = item
        if dangling:
            names = read_list(text, item, sentence_end)
            partners += [a.name for a in names]
            phrase_end = names[-1].end if names else item
        own = _re("lead_marker").match(text, item, sentence_end)
        if own and not own.group("giao"):
            phrase_end = own.end()
        own_partners, task_start, _ = _partners(doc, item, phrase_end, sentence_end)
        partners += [p for p in own_partners if p not in partners]
        out.append(_Found(start, end, _strip_task(text[task_start:sentence_end]), list(lead_in.lead), partners,
                          _deadline_in(text, item, end) or lead_in.deadline, section_at=item))
    return out


def _deadline_in(text: str, start: int, end: int) -> str | None:
    """A written time limit in running text: "… ; thời gian hoàn thành: Quý III/2022", or "trước
    ngày …", "trong tháng …", "trong năm …"."""
    label = _time_label(text, start, end)
    if label:
        value = _CLAUSE_END.search(text, label.end(), end)
        return text[label.end():value.start() if value else end].strip(" .;") or None
    m = _re("deadline").search(text, start, end)
    return m.group().strip() if m else None


def _time_label(text: str, start: int, end: int) -> regex.Match[str] | None:
    return next((m for m in _re("field").finditer(text, start, end) if m.group("time")), None)


# --- assembly -------------------------------------------------------------------------------


def _strip_task(task: str | None) -> str | None:
    return (task or "").strip(" \t.;:,") or None


def _assemble(doc: _Doc, found: list[_Found]) -> list[Assignment]:
    out: list[Assignment] = []
    seen: dict[str, int] = {}
    for f in found:
        if not f.lead:
            continue
        section = doc.innermost(f.section_at if f.section_at is not None else f.start)
        section_id = section.id if section else None
        base = _stable_id(section_id, f.task, f.lead)
        seen[base] = seen.get(base, 0) + 1
        out.append(Assignment(
            id=base if seen[base] == 1 else f"{base}-{seen[base]}",
            section=section_id,
            task=f.task,
            lead=f.lead,
            lead_expanded=[expand(n) for n in f.lead],
            partners=f.partners,
            partners_expanded=[expand(n) for n in f.partners],
            deadline=f.deadline,
            deadline_date=parse_deadline(f.deadline),
            span=(f.start, f.end),
        ))
    return out


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
