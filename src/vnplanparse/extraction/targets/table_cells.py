"""Targets in tables: a row's label and time, each value cell read as a target."""

from __future__ import annotations

import regex

from ...model.plan import Period, Target
from ...normalising.tables import Column, Row, Table, header_unit, is_blank, pattern as table_pattern, time_of
from ...structure import documents
from ...structure.markers import in_zones
from ..numbers import as_json_number, find_quantities, scaled
from ..units import Unit, read_unit
from .indicators import _comparator, _direction
from .patterns import _DIGIT, _LIST_DASH, _SPACES, _TABLE_ROW, _YEAR, _pattern
from .segments import _line_targets
from .time import _Candidate, _Document, _Scope, _Time, _times_in


# --- tables -----------------------------------------------------------------------------------

_VALUE_CELL_WORDS = 6


def _table_targets(doc: _Document, table: Table) -> list[Target]:
    """One target per planned value cell (issue 8, ../shared/ANNOTATION.md §3); longer cells,
    and the tasks of a task matrix, are read as prose with the row's time cell as their time.
    Tables of norms, scores or coordinates give none, nor do columns of past figures."""
    if not doc.permissive and (table.role("norm") or _is_norm_table(doc, table)):
        return []
    values = table.role("value")
    out: list[Target] = []
    labels = table.role("label") or [c for c in table.columns if c.role == "other"][:1]
    # of two label columns ("Lĩnh vực | Chỉ tiêu"), one merged over its rows groups them: the
    # other names each row
    label_column = min(labels, key=lambda c: _carried_cells(table, c)) if labels else None
    # The label column of an indicator table names what its values measure; that of a task
    # matrix (no value column, or one of results written in words) is a task in prose.
    value_cells = [r.cells[c.index].text for r in table.body for c in values if r.cells[c.index] is not None]
    written = [v for v in value_cells if not is_blank(v)]
    task_matrix = 2 * sum(bool(_DIGIT.search(v)) for v in written) <= len(written)
    read_columns = [c for c in table.columns if c.role == "value" or (task_matrix and c.role in ("label", "other"))]
    group_time, parent = _Time(), ""
    for row in table.body:
        row_time = _row_time(doc, table, row)
        label = _cell_text(row, label_column).rstrip(" .:;")
        first = _cell_text(row, table.columns[0])
        if _is_group_row(table, row, values, label_column):
            heading = label or first
            time = time_of(heading)
            if time[0] is not None:
                group_time = _Time(*time)
            elif table_pattern("group_marker").fullmatch(first) and "." not in first.rstrip("."):
                group_time = _Time()  # a new top-level group without a time of its own
            parent = ""
            continue
        sub = table_pattern("sub_row").match(label)
        if sub and parent:
            label = f"{parent} - {label[sub.end():]}"
        elif not (label_column and row.cells[label_column.index] and row.cells[label_column.index].carried):
            parent = _row_label(label)
        row_label = _row_label(label)
        if label_column and row.cells[label_column.index] and row.cells[label_column.index].carried:
            row_label = _told_apart(row_label, _cell_text(row, next(iter(table.role("note")), None)))
        context = row_time if row_time else group_time
        for column in read_columns:
            cell = row.cells[column.index]
            if cell is None or cell.carried or is_blank(cell.text) or in_zones(cell.start, doc.zones):
                continue
            if column.role == "value" and len(cell.text.split()) <= _VALUE_CELL_WORDS:
                target = _cell_target(doc, table, row, column, row_label, context)
                if target:
                    out.append(target)
            elif len(cell.text.split()) >= 5:
                out += _line_targets(doc, cell.start, cell.end, _Scope(time=context), source="table")
    return out


def _carried_cells(table: Table, column: Column) -> int:
    return sum(1 for r in table.body if r.cells[column.index] is not None and r.cells[column.index].carried)


def _told_apart(label: str, note: str) -> str:
    """A row under a merged label is told from its sibling rows by its note cell ("Thông số":
    "- Thuốc Bảo vệ thực vật, - Kim loại nặng" → "Môi trường nuôi ngao (Thuốc Bảo vệ thực vật, Kim loại nặng)")."""
    note = _LIST_DASH.sub(" ", note).strip(" ,;-")
    note = _SPACES.sub(" ", note)
    return f"{label} ({note})" if note and label else label


def _is_norm_table(doc: _Document, table: Table) -> bool:
    caption = doc.text[max(0, table.start - 300) : table.start]
    titles = " ".join(s.title or "" for s in doc.sections_at(table.start))
    return bool(table_pattern("norm_context").search(caption + " " + titles))


def _cell_text(row: Row, column: Column | None) -> str:
    if column is None:
        return ""
    cell = row.cells[column.index]
    return cell.text if cell else ""


def _row_label(label: str) -> str:
    """A row label up to its colon ("Nguồn nước cấp nuôi tôm nước lợ: 7 cửa sông …")."""
    head, colon, _ = label.partition(":")
    return head.strip() if colon and len(head.split()) >= 2 else label.strip()


def _is_group_row(table: Table, row: Row, values: list[Column], label_column: Column | None) -> bool:
    """A row naming a group ("I | Giai đoạn 2025-2027"): no value, nothing but its label."""
    if values and any(row.cells[c.index] and not is_blank(row.cells[c.index].text) for c in values):
        return False
    first = _cell_text(row, table.columns[0])
    others = [c for c in table.columns if c.index not in (0, label_column.index if label_column else 0)]
    filled = [c for c in others if row.cells[c.index] and row.cells[c.index].text and not row.cells[c.index].carried]
    return not filled and bool(table_pattern("group_marker").fullmatch(first) or not first)


def _row_time(doc: _Document, table: Table, row: Row) -> _Time:
    """The row's own time cell ("Giai đoạn 2026 - 2027", "Trước năm 2030")."""
    for column in table.role("deadline"):
        cell = row.cells[column.index]
        time = _cell_time(doc, cell.start, cell.end) if cell is not None else _Time()
        if time:
            return time
    return _Time()


def _cell_time(doc: _Document, start: int, end: int) -> _Time:
    """The time a short cell states ("Năm 2025-2030", "Trước năm 2030"), else no time."""
    cell = doc.text[start:end].strip()
    if len(cell) > 40 or not _YEAR.search(cell):
        return _Time()
    times = _times_in(doc.text, start, end)
    return times[-1][2] if times else _Time(int(_YEAR.findall(cell)[-1]))


def _cell_target(
    doc: _Document, table: Table, row: Row, column: Column, label: str, context: _Time
) -> Target | None:
    cell = row.cells[column.index]
    text = doc.text
    if documents.date_re().search(text, cell.start, cell.end):
        return None  # a date ("06/05/2022") is when, not how much
    quantities = [q for q in find_quantities(text, cell.start, cell.end) if not _YEAR.fullmatch(text[q.start : q.end])]
    if not quantities:
        return None
    q = quantities[0]
    unit = read_unit(text, q, cell.end)
    unit_text = unit.text if unit and unit.end > q.end else None
    if unit_text is None:
        unit_text = (
            _cell_text(row, (table.role("unit") or [None])[0]) or header_unit(column.leaf) or table.caption_unit
        ) or None
    value, value_max = (q.value, q.value_max) if unit is None or unit.keeps_scale else scaled(q)
    before = text[cell.start : q.start]
    after = text[(unit.end if unit else q.end) : cell.end]
    cand = _Candidate(q, unit or Unit(unit_text or "", "count", q.end), value, value_max)
    comparator = _comparator(before, after, cand)
    if _pattern("rank_cell").search(before):
        comparator, unit_text = "lte", unit_text or "hạng"  # "Top 15"
    year, period = time_of(column.label)
    time = _Time(year, period) if year else context if context else doc.inherited_time(cell.start)
    indicator = label
    leaf = regex.sub(r"\s*\([^()]*\)\s*$", "", column.leaf).strip()
    if leaf and not table_pattern("generic_value").fullmatch(leaf):
        indicator = f"{label} - {leaf}" if label else leaf
    chain = doc.sections_at(cell.start)
    baseline = _pattern("baseline").search(label)
    return Target(
        id="",
        section=chain[0].id if chain else None,
        indicator=indicator or None,
        value=as_json_number(value),
        value_max=as_json_number(value_max) if value_max is not None else None,
        comparator=comparator,
        unit=unit_text,
        # what the cell does not say, the row label may ("Tỷ lệ hộ nghèo giảm … so với năm 2020")
        direction=_direction(before) if _direction(before) != "reach" else _direction(label + " "),
        year=time.year,
        period=Period(start=time.period[0], end=time.period[1]) if time.period else None,
        baseline_year=int(baseline.group("year")) if baseline else None,
        annual=bool(unit and unit.annual) or bool(unit_text and regex.search(r"/\s*năm\b", unit_text))
        or bool(_pattern("annual_anywhere").search(label)),
        text=text[cell.start : cell.end],
        span=(cell.start, cell.end),
        source="table",
    )


def _row_targets(doc: _Document, start: int, end: int) -> list[Target]:
    """Targets written as prose inside the cells of a table line that no table grid holds (a
    lone row); the row's own time cell ("Năm 2025-2030", "Trước năm 2030") is their time."""
    if not doc.permissive and _pattern("scoring").search(doc.text, start, end):
        return []
    cells, pos = [], start
    for cell in doc.text[start:end].split(_TABLE_ROW):
        cells.append((pos, pos + len(cell)))
        pos += len(cell) + len(_TABLE_ROW)
    row_time = _Time()
    for a, b in cells:
        row_time = _cell_time(doc, a, b) or row_time
    out: list[Target] = []
    for a, b in cells:
        if len(doc.text[a:b].split()) >= 5:
            out += _line_targets(doc, a, b, _Scope(time=row_time), source="table")
    return out
