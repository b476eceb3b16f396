"""Tables: the grid of each table the normaliser laid out, its header read into column roles.

The normaliser gives every table as rows of written cells with their grid columns. Here merged
cells are carried down to the rows they span, the header rows are found and their cells joined
into one label per column ("Mục tiêu - Năm 2025"), and each column gets a role from
grammars/tables.yaml: label, unit, value (planned figures), past, norm, lead, partner,
deadline, note, ordinal. What the cells mean as targets is targets.py's business.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import regex

from .. import grammar
from .grids import _cell_kind
from .layout import LayoutCell, TableLayout

_HEADER_ROWS_MAX = 3
_HEADER_CELL_WORDS = 14
_ROW_NUMBER = regex.compile(r"\d{1,3}\.?")
_YEAR = regex.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_NUMERIC = regex.compile(r"^[^\p{L}]*\d[^\p{L}]*(?:%|\p{L}{1,12}(?:/\p{L}+)*)?$|^(?:≥|≤|trên|dưới|tối thiểu|tối đa|ít nhất|khoảng|đạt|từ)\s*\d", regex.I)


@dataclass
class Cell:
    start: int
    end: int
    text: str
    carried: bool = False  # merged from the row above, not written in this row


@dataclass
class Column:
    index: int
    label: str  # header cells top-down, joined by " - "
    leaf: str  # the lowest header cell
    role: str


@dataclass
class Row:
    start: int
    end: int
    cells: list[Cell | None]  # one per grid column


@dataclass
class Table:
    start: int
    end: int
    columns: list[Column]
    body: list[Row]
    caption_unit: str | None = None
    header: list[Row] = field(default_factory=list)

    def role(self, role: str) -> list[Column]:
        return [c for c in self.columns if c.role == role]


@cache
def _rules() -> dict:
    return grammar.load("tables")


@cache
def pattern(name: str) -> regex.Pattern[str]:
    """A pattern of grammars/tables.yaml: a role (`value`, `lead` …) or a top-level entry."""
    rules = _rules()
    spec = rules["roles"].get(name) or rules[name]
    return regex.compile(spec["pattern"], regex.I | regex.V0)


def read_tables(text: str, layouts: list[TableLayout]) -> list[Table]:
    tables: list[Table] = []
    for layout in layouts:
        table = _read(text, layout)
        if table is None:
            continue
        previous = tables[-1] if tables else None
        if not table.header and previous is not None and len(previous.columns) == len(table.columns):
            table.columns = previous.columns  # a table the page broke: its header is the one above
        tables.append(table)
    return tables


def _read(text: str, layout: TableLayout) -> Table | None:
    if not layout.rows or layout.width < 2:
        return None
    width = layout.width
    header_layout, body_layout = _split_header(text, layout)
    if layout.plain:
        header_layout = _spans_unknown(header_layout, width)
    header = [_header_row(text, cells, width, header_layout) for cells in header_layout]
    body: list[Row] = []
    above: list[Cell | None] = [None] * width
    pending_rowspans: dict[int, tuple[Cell, int]] = {}  # column -> (cell, rows still covered)
    full_row_kinds: list[str] | None = None
    for cells in body_layout:
        row: list[Cell | None] = [None] * width
        if layout.plain:
            full_row_kinds, columns_of = _placed_by_kind(text, cells, width, full_row_kinds)
        else:
            columns_of = [c.column for c in cells]
        for c, column in zip(cells, columns_of):
            if column is None:
                continue
            cell = Cell(c.start, c.end, text[c.start : c.end].strip())
            for k in range(column, min(column + c.colspan, width)):
                row[k] = cell
                if c.rowspan > 1:
                    pending_rowspans[k] = (cell, c.rowspan - 1)
        for k, (cell, left) in list(pending_rowspans.items()):
            if row[k] is None or row[k].start != cell.start:
                if row[k] is None:
                    row[k] = Cell(cell.start, cell.end, cell.text, carried=True)
                if left <= 1:
                    del pending_rowspans[k]
                else:
                    pending_rowspans[k] = (cell, left - 1)
        placed = [column for column in columns_of if column is not None]
        first = text[cells[0].start : cells[0].end].strip()
        numbered = bool(_ROW_NUMBER.fullmatch(first))
        # a sub-row with no number of its own ("| | - Nông nghiệp | % | 33 |" under "2 | Cơ cấu
        # kinh tế | … | Sở Tài chính"), written narrower by a converter that drops merged cells
        sub_row = layout.short_rows_merged and not first and len(cells) > 1
        if placed and len(cells) < width and (min(placed) > 0 or numbered or sub_row):
            # cells the row does not write are merged with the row above: leading ones, or any
            # in a numbered row ("2 | Công bố quy hoạch" under a row whose agencies span both)
            for k in range(width if numbered or sub_row else min(placed)):
                if row[k] is None and above[k] is not None and above[k].text:
                    row[k] = Cell(above[k].start, above[k].end, above[k].text, carried=True)
        body.append(Row(cells[0].start, cells[-1].end, row))
        above = row
    columns = _columns(header, body, width)
    if layout.plain:
        _carry_merged_names(text, body_layout, body, columns)
    start = (header_layout or body_layout)[0][0].start
    return Table(start, body[-1].end if body else start, columns, body, _caption_unit(text, start), header)


def _kind(cell: str, j: int) -> str:
    """What a cell holds, finer than the grid reader's kinds: past the number column a number is
    a figure ("24"), and a text of one or two words (a unit, "Top 15") is told from a name."""
    kind = _cell_kind([cell])
    if kind == "ordinal" and j:
        return "number"
    return "word" if kind == "text" and len(cell.split()) <= 2 else kind


def _placed_by_kind(
    text: str, cells: list[LayoutCell], width: int, full_row_kinds: list[str] | None
) -> tuple[list[str] | None, list[int | None]]:
    """Columns of a plain-text row's cells, and the kinds of the last full row's. A numbered row
    narrower than the table lost cells merged with the row above ("2 | Tỷ lệ … | % | 52 | 80"
    under "1 | Chính quyền số | Xếp hạng … | hạng | 24 | 15 | 12"): they are the run of columns
    after the number that leaves its cells' kinds (number, text, …) most like the full row's,
    the last columns on a tie. A row without a number lost its first cells or its last."""
    kinds = [_kind(text[c.start : c.end], j) for j, c in enumerate(cells)]
    if len(cells) == width:
        return kinds, [c.column for c in cells]
    missing = width - len(cells)
    if full_row_kinds is None or missing < 1 or len(cells) < 2 or kinds[0] == "empty":  # written from column 0
        return full_row_kinds, [c.column for c in cells]
    numbered = bool(_ROW_NUMBER.fullmatch(text[cells[0].start : cells[0].end].strip()))

    def columns(gap: int) -> list[int]:  # the missing run starts at column `gap`
        return [j if j < gap else j + missing for j in range(len(cells))]

    def likeness(gap: int) -> tuple[int, int]:
        return sum(kinds[j] == full_row_kinds[k] for j, k in enumerate(columns(gap))), gap

    # a numbered row keeps its number at the left; a row without one ("- Thuốc bảo vệ thực vật |
    # 02 lần/năm | 4" under its group's row) may have lost its first cells too
    gaps = range(1, len(cells) + 1) if numbered else [0, len(cells)]
    return full_row_kinds, columns(max(gaps, key=likeness))


# the columns whose cell a printed table merges over the rows it covers and plain text writes
# once: a group's name ("Lĩnh vực": "Kinh tế số" over rows 4 and 5), a lead over its tasks
_MERGED_NAME_ROLES = ("label", "lead")


def _carry_merged_names(text: str, body_layout: list[list[LayoutCell]], body: list[Row], columns: list[Column]) -> None:
    """In a plain-text table a numbered row's empty label or lead cell under a written one is
    that cell, merged over the rows and written once."""
    for k, column in enumerate(columns):
        if column.role not in _MERGED_NAME_ROLES:
            continue
        for cells, row, above in zip(body_layout[1:], body[1:], body):
            cell, over = row.cells[k], above.cells[k]
            numbered = bool(_ROW_NUMBER.fullmatch(text[cells[0].start : cells[0].end].strip()))
            if numbered and cell is not None and not cell.text and over is not None and over.text:
                row.cells[k] = Cell(over.start, over.end, over.text, carried=True)


def _is_header_row(text: str, cells: list[LayoutCell]) -> bool:
    written = [text[c.start : c.end].strip() for c in cells]
    filled = [w for w in written if w]
    if not filled or any(len(w.split()) > _HEADER_CELL_WORDS for w in filled):
        return False
    if pattern("group_marker").fullmatch(written[0]) or regex.fullmatch(r"\d{1,3}\.?", written[0]):
        return False  # a group row or a numbered row opens the body
    if any(_NUMERIC.search(w) and not _YEAR.search(w) for w in written[1:]):
        return False
    named = ("label", "value", "unit", "lead", "partner", "deadline", "note", "past", "norm")
    return any(c.column is None for c in cells) or any(pattern(r).search(w) for w in filled for r in named)


def _is_numbering_row(text: str, cells: list[LayoutCell]) -> bool:
    """A row numbering the columns ("(1) | (2) | (3) | (4)=(3)/(2)") under a header."""
    written = [text[c.start : c.end].strip() for c in cells]
    return len(written) >= 2 and all(pattern("ordinal").fullmatch(w) or not w for w in written)


def _split_header(text: str, layout: TableLayout) -> tuple[list[list[LayoutCell]], list[list[LayoutCell]]]:
    header: list[list[LayoutCell]] = []
    rows = layout.rows
    i = 0
    while i < len(rows) and i < _HEADER_ROWS_MAX and _is_header_row(text, rows[i]):
        header.append(rows[i])
        i += 1
    if header and i < len(rows) and _is_numbering_row(text, rows[i]):
        i += 1
    return header, rows[i:]


def _spans_unknown(header: list[list[LayoutCell]], width: int) -> list[list[LayoutCell]]:
    """A plain-text two-level header narrower than the table ("TT | Chỉ tiêu | Mục tiêu | Cơ
    quan chủ trì" over "Năm 2025 | Năm 2030"): its rows' columns are not known, so that the
    spanning cells take the sub-columns the next row names (`_header_row`)."""
    if len(header) < 2 or len(header[0]) >= width:
        return header
    short = [len(row) < width for row in header]
    n = short.index(False) if False in short else len(short)
    unknown = [[LayoutCell(c.start, c.end, None) for c in row] for row in header[:n]]
    return unknown + header[n:]


def _header_row(text: str, cells: list[LayoutCell], width: int, all_rows: list[list[LayoutCell]]) -> Row:
    """The header row as one cell per grid column. A Markdown rendering does not say which of a
    narrow header row's cells span: those that name a group ("Mục tiêu", "Đối tượng …") span the
    sub-columns the next header row names; the next row's cells sit under them."""
    row: list[Cell | None] = [None] * width
    laid = [Cell(c.start, c.end, text[c.start : c.end].strip()) for c in cells]
    if all(c.column is not None for c in cells):
        for c, cell in zip(cells, laid):
            for k in range(c.column, min(c.column + c.colspan, width)):
                row[k] = cell
        return Row(cells[0].start, cells[-1].end, row)
    spans = [1] * len(laid)
    extra = width - len(laid)
    if extra > 0:
        spanning = [j for j, cell in enumerate(laid) if pattern("spanning_header").search(cell.text)]
        spanning = spanning or [len(laid) - 1]
        covered = extra + len(spanning)
        for n, j in enumerate(spanning):
            spans[j] = covered // len(spanning) + (covered % len(spanning) if n == len(spanning) - 1 else 0)
    column, opened = 0, []
    for cell, span in zip(laid, spans):
        for k in range(column, min(column + span, width)):
            row[k] = cell
            if span > 1:
                opened.append(k)
        column += span
    index = next(i for i, r in enumerate(all_rows) if r is cells)
    below = all_rows[index + 1] if index + 1 < len(all_rows) else []
    if any(c.column is None for c in below):
        for c, k in zip(below, opened):  # the row below names the sub-columns, left to right
            c.column = k
    return Row(cells[0].start, cells[-1].end, row)


def _columns(header: list[Row], body: list[Row], width: int) -> list[Column]:
    columns = []
    for k in range(width):
        parts: list[str] = []
        for row in header:
            cell = row.cells[k]
            if cell is not None and cell.text and cell.text not in parts:
                parts.append(cell.text)
        label = " - ".join(parts)
        columns.append(Column(k, label, parts[-1] if parts else "", _role(label, parts[-1] if parts else "")))
    labels = [c for c in columns if c.role == "label"]
    for c in labels[1:]:
        if _mostly_numeric(body, c.index):  # "Nội dung | Đơn vị | Chỉ tiêu": the last is the figure
            c.role = "value"
    return columns


def _role(label: str, leaf: str) -> str:
    if not label:
        return "other"
    for written in (leaf, label):  # the lowest header cell says most ("Cơ quan thực hiện - Phối hợp")
        for role in _rules()["roles"]:
            if pattern(role).search(written):
                return role
    return "other"


def _mostly_numeric(body: list[Row], k: int) -> bool:
    written = [r.cells[k].text for r in body if r.cells[k] is not None and r.cells[k].text]
    return bool(written) and sum(bool(_NUMERIC.search(w)) for w in written) * 2 > len(written)


def _caption_unit(text: str, start: int) -> str | None:
    """A unit caption on one of the two lines above the table ("(Đơn vị tính: triệu đồng)")."""
    before = text[max(0, start - 400) : start].rstrip("\n").split("\n")[-2:]
    for line in reversed(before):
        m = pattern("caption_unit").search(line.strip())
        if m:
            return m.group("unit").strip()
    return None


def header_unit(leaf: str) -> str | None:
    m = pattern("header_unit").search(leaf.strip())
    if not m:
        return None
    return (m.group("paren") or m.group("after") or m.group("counted")).strip()


def time_of(label: str) -> tuple[int | None, tuple[int, int] | None]:
    """Year and period a header or group label names ("Năm 2025", "Giai đoạn 2026-2030")."""
    years = [int(y) for y in _YEAR.findall(label)]
    if not years:
        return None, None
    if len(years) >= 2 and years[-1] > years[-2]:
        return years[-1], (years[-2], years[-1])
    return years[-1], None


def is_blank(text: str) -> bool:
    return bool(pattern("blank_cell").fullmatch(text))
