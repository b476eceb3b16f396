"""Assignments laid out: grids and pipe tables with lead and partner columns, and labelled fields
(Cơ quan chủ trì: …)."""

from __future__ import annotations

from dataclasses import dataclass

from ...model.plan import Section
from ...normalising.tables import Table
from ..agencies import Agency, find_agencies, read_list, split_names
from .base import (
    _CELL,
    _Doc,
    _FIELD_PART,
    _Found,
    _MAX_WORDS_IN_A_PIECE,
    _ROW_NUMBER,
    _SENTENCE_END,
    _header_re,
    _is_table_line,
    _re,
    _strip_task,
    _tagged,
    _trim,
)
from .prose import _first_marker


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
