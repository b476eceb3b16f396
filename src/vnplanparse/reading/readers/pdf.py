"""PDF -> HTML the normaliser reads as it reads a DOCX's: the text layer (pypdfium2), or OCR where
the layer is missing or garbage, read as lines with their boxes and bold runs; running headers and
page numbers go, wrapped lines are joined back into paragraphs (<p>), bold runs stay <b> (a bold
run-in heading is a section title), cells side by side on a line make a table row (<tr>)."""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from ...errors import InputError

# Letters only Vietnamese writes (with their tone marks): a page of OCR or a text layer without
# any is no Vietnamese text.
VIETNAMESE = regex.compile(r"[ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ]", regex.I)


Span = tuple[str, bool]  # a run of text and whether it is bold


@dataclass
class Line:
    """A line of text on a page (or a piece of one), its box in points from the page's top left;
    a line of a table row has its cells' runs."""

    text: str
    left: float
    right: float
    top: float
    bottom: float
    bold: bool = False
    cells: list[list[Span]] = field(default_factory=list)
    baseline: float = 0.0  # where the letters stand, from the page's top (OCR: the box's bottom)
    table: int = 0  # the ruled table a row belongs to (0: cells told apart by gaps alone)
    spans_of_cells: list[list[int]] = field(default_factory=list)  # a ruled row's [colspan, rowspan] per cell

    @property
    def spans(self) -> list[Span]:
        return [span for cell in self.cells for span in cell] if self.cells else [(self.text, self.bold)]


@dataclass
class Page:
    lines: list[Line]
    width: float
    height: float


def open_pdf(data: bytes, label: str):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise InputError(f"{label}: encrypted PDF (it needs a password); save an unprotected copy first") from None
        raise InputError(f"{label}: damaged PDF file ({str(exc).splitlines()[0]})") from None


def text_layer(document) -> list[Page]:
    pages = []
    for index in range(len(document)):
        page = document[index]
        width, height = page.get_size()
        textpage = page.get_textpage()
        pieces = []
        for r in range(textpage.count_rects()):
            left, bottom, right, top = textpage.get_rect(r)
            text = textpage.get_text_bounded(left, bottom, right, top).replace("\r", " ").replace("\n", " ")
            if text.strip():
                bold, baseline = _run_style(textpage, left, bottom, right, top)
                pieces.append(Line(text, left, right, height - top, height - bottom, bold,
                                   baseline=height - baseline))
        rows, rest = _ruled_tables(pieces, _rules(page, height))
        pages.append(Page(sorted(_rows(rest) + rows, key=lambda line: line.top), width, height))
        textpage.close()
        page.close()
    return pages


_RULE_WIDTH = 2.0  # points: a path this thin and at least _RULE_LENGTH long is a drawn line
_RULE_LENGTH = 8.0
_TOUCH = 2.0  # points of slack where two rules meet


@dataclass(frozen=True)
class Rule:
    """A drawn line, from the page's top left: horizontal at y from x0 to x1, or vertical."""

    horizontal: bool
    at: float
    start: float
    end: float


def _rules(page, height: float) -> list[Rule]:
    import pypdfium2.raw as pdfium_c

    rules = []
    for item in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH]):
        left, bottom, right, top = item.get_bounds()
        width, tall = right - left, top - bottom
        if tall <= _RULE_WIDTH and width >= _RULE_LENGTH:
            rules.append(Rule(True, height - (top + bottom) / 2, left, right))
        elif width <= _RULE_WIDTH and tall >= _RULE_LENGTH:
            rules.append(Rule(False, (left + right) / 2, height - top, height - bottom))
    return rules


def _ruled_tables(pieces: list[Line], rules: list[Rule], read_cell=None) -> tuple[list[Line], list[Line]]:
    """Tables drawn with rules, read as grids: rules that meet make one table; its rows lie
    between its horizontal rules, and a row's cells between the vertical rules that cross it (a
    merged cell is one with no rule inside). A cell left empty is read again by read_cell(left,
    top, right, bottom) where one is given (OCR passes over a lone figure in a narrow cell).
    Each row is a line of cells; the pieces left over are the text around the tables (and in a
    box of one column, which is a framed paragraph, not a table)."""
    rows: list[Line] = []
    for number, group in enumerate(_meeting(rules), start=1):
        ys = _distinct(r.at for r in group if r.horizontal)
        columns = [r for r in group if not r.horizontal]
        grid = _distinct(r.at for r in columns)
        if len(ys) < 2 or len(grid) < 3:
            continue
        left, right = min(r.at for r in columns), max(r.at for r in columns)
        inside = [p for p in pieces if left <= (p.left + p.right) / 2 <= right and ys[0] <= (p.top + p.bottom) / 2 <= ys[-1]]
        if not inside:
            continue
        taken = {id(p) for p in inside}
        pieces = [p for p in pieces if id(p) not in taken]
        above: dict[tuple[float, float], _Cell] = {}  # the cell last seen at an x-extent
        bands: list[tuple[float, float, list[_Cell]]] = []
        for top, bottom in zip(ys, ys[1:]):
            middle = (top + bottom) / 2
            xs = _distinct(r.at for r in columns if r.start - _TOUCH <= middle <= r.end + _TOUCH)
            band = []
            for a, b in zip(xs, xs[1:]):
                ruled_above = any(r.horizontal and abs(r.at - top) <= _TOUCH and r.start - _TOUCH <= (a + b) / 2 <= r.end + _TOUCH
                                  for r in group)
                if not ruled_above and (a, b) in above:  # merged with the cell above: its text goes there
                    above[(a, b)].rowspan += 1
                    above[(a, b)].bottom = bottom
                    band.append(above[(a, b)])
                    continue
                above[(a, b)] = _Cell(a, b, top, bottom, sum(1 for x in grid if a - _TOUCH <= x < b - _TOUCH))
                band.append(above[(a, b)])
            for p in inside:
                centre_x, centre_y = (p.left + p.right) / 2, (p.top + p.bottom) / 2
                if top <= centre_y < bottom:
                    band[sum(1 for x in xs[1:-1] if x <= centre_x)].pieces.append(p)
            bands.append((top, bottom, band))
        if read_cell is not None:
            for cell in {id(cell): cell for _, _, band in bands for cell in band}.values():
                if not cell.pieces:
                    cell.pieces = read_cell(cell.left, cell.top, cell.right, cell.bottom)
        written: set[int] = set()
        for top, bottom, band in bands:
            cells = [cell for cell in band if id(cell) not in written]
            written.update(id(cell) for cell in cells)
            while cells and not cells[-1].pieces and cells[-1].rowspan == 1:
                cells.pop()
            flat = [p for cell in cells for p in cell.pieces]
            if not flat:
                continue
            runs = [[(p.text.strip(), p.bold) for p in _reading_order(cell.pieces)] for cell in cells]
            rows.append(Line(" | ".join(" ".join(t for t, _ in run) for run in runs), cells[0].left, cells[-1].right,
                             top, bottom, cells=runs,
                             spans_of_cells=[[cell.colspan, cell.rowspan] for cell in cells],
                             baseline=min(p.baseline or p.bottom for p in flat), table=number))
    return rows, pieces


def _reading_order(pieces: list[Line]) -> list[Line]:
    """A cell's pieces line by line, each line left to right: a piece whose middle lies within
    the first piece of a line is on that line (an OCR word's box dips with its letters' marks)."""
    lines: list[list[Line]] = []
    for piece in sorted(pieces, key=lambda p: p.top):
        middle = (piece.top + piece.bottom) / 2
        if lines and lines[-1][0].top <= middle <= lines[-1][0].bottom:
            lines[-1].append(piece)
        else:
            lines.append([piece])
    return [piece for line in lines for piece in sorted(line, key=lambda p: p.left)]


@dataclass
class _Cell:
    """A ruled table's cell: its box, the grid columns and rows it spans, its text."""

    left: float
    right: float
    top: float
    bottom: float
    colspan: int
    rowspan: int = 1
    pieces: list[Line] = field(default_factory=list)


def _meeting(rules: list[Rule]) -> list[list[Rule]]:
    """The rules in groups that touch or cross one another (a table's grid)."""
    parent = list(range(len(rules)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(rules):
        for j in range(i + 1, len(rules)):
            b = rules[j]
            if a.horizontal == b.horizontal:
                continue
            h, v = (a, b) if a.horizontal else (b, a)
            if h.start - _TOUCH <= v.at <= h.end + _TOUCH and v.start - _TOUCH <= h.at <= v.end + _TOUCH:
                parent[root(i)] = root(j)
    groups: dict[int, list[Rule]] = {}
    for i, rule in enumerate(rules):
        groups.setdefault(root(i), []).append(rule)
    return list(groups.values())


def _distinct(values) -> list[float]:
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > _TOUCH:
            out.append(value)
    return out


def _run_style(textpage, left: float, bottom: float, right: float, top: float) -> tuple[bool, float]:
    """A rectangle of the text layer is one font's run: whether it is bold (the font at its
    middle weighs 600 or more, or has "Bold" in its name where the file gives no weight), and
    its baseline (the rectangle's bottom dips with the dots under ạ, ọ: a baseline does not)."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    index = pdfium_c.FPDFText_GetCharIndexAtPos(textpage.raw, (left + right) / 2, (top + bottom) / 2,
                                               (right - left) / 2, (top - bottom) / 2)
    if index < 0:
        return False, bottom
    x, y = ctypes.c_double(), ctypes.c_double()
    baseline = y.value if pdfium_c.FPDFText_GetCharOrigin(textpage.raw, index, x, y) else bottom
    weight = pdfium_c.FPDFText_GetFontWeight(textpage.raw, index)
    if weight >= 600:
        return True, baseline
    name = ctypes.create_string_buffer(128)
    pdfium_c.FPDFText_GetFontInfo(textpage.raw, index, name, len(name), None)
    return weight <= 0 and b"bold" in name.value.lower(), baseline


def _rows(pieces: list[Line]) -> list[Line]:
    """Pieces whose vertical middles lie within one another's box make one line, read left to
    right; a gap wider than one and a half line heights between two pieces is a table cell
    border. A table cell's wrapped lines join the cell of the nearest row."""
    pieces.sort(key=lambda p: ((p.top + p.bottom) / 2, p.left))
    rows: list[list[Line]] = []
    for piece in pieces:
        middle = (piece.top + piece.bottom) / 2
        if rows and rows[-1][0].top - 1 <= middle <= rows[-1][0].bottom + 1:
            rows[-1].append(piece)
        else:
            rows.append([piece])
    row_of = {id(piece): number for number, row in enumerate(rows) for piece in row}
    cells = [_cells(sorted(row, key=lambda p: p.left)) for row in rows]
    lines, kept = [], _fold_wrapped_cells(cells)
    for row in kept:
        # a cell's pieces line by line (its wrapped lines were folded in from other rows), each
        # line left to right: a bold run a little taller than the text beside it stays in place
        runs = [[(p.text.strip(), p.bold) for p in sorted(cell, key=lambda p: (row_of[id(p)], p.left))] for cell in row]
        flat = [p for cell in row for p in cell]
        lines.append(Line(" | ".join(" ".join(text for text, _ in cell) for cell in runs),
                          min(p.left for p in flat), max(p.right for p in flat),
                          min(p.top for p in flat), max(p.bottom for p in flat), cells=runs,
                          baseline=max(p.baseline or p.bottom for p in row[0])))
    return lines


def _cells(row: list[Line]) -> list[list[Line]]:
    height = max(row[0].bottom - row[0].top, 1.0)
    cells = [[row[0]]]
    for before, piece in zip(row, row[1:]):
        if piece.left - before.right > 1.5 * height:
            cells.append([piece])
        else:
            cells[-1].append(piece)
    return cells


def _fold_wrapped_cells(rows: list[list[list[Line]]]) -> list[list[list[Line]]]:
    """A one-cell line lying near a table row, starting where one of that row's cells starts
    (not the first, which body text shares, unless the line lies between two rows), is a wrapped
    line of that cell."""
    is_table = [len(row) > 1 for row in rows]
    kept = []
    for i, row in enumerate(rows):
        if is_table[i]:
            kept.append(row)
            continue
        piece = row[0][0]
        height = max(piece.bottom - piece.top, 1.0)
        near = [j for j in (i - 1, i + 1, i - 2, i + 2) if 0 <= j < len(rows) and is_table[j]
                and abs(rows[j][0][0].top - piece.top) <= 3.5 * height]
        target = None
        for j in sorted(near, key=lambda j: abs(rows[j][0][0].top - piece.top)):
            for c, cell in enumerate(rows[j]):
                if abs(cell[0].left - piece.left) <= 3 and c > 0 and len(row) == 1:
                    target = cell
                    break
            if target is not None:
                break
        if target is not None:
            target.extend(row[0])
        else:
            kept.append(row)
    return kept
