"""PDF -> HTML the normaliser reads as it reads a DOCX's: the text layer (pypdfium2), or OCR where
the layer is missing or garbage, read as lines with their boxes and bold runs; running headers and
page numbers go, wrapped lines are joined back into paragraphs (<p>), bold runs stay <b> (a bold
run-in heading is a section title), cells side by side on a line make a table row (<tr>)."""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass, field

import regex

from ..errors import InputError

# Letters only Vietnamese writes (with their tone marks): a page of OCR or a text layer without
# any is no Vietnamese text.
VIETNAMESE = regex.compile(r"[ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ]", regex.I)
_PAGE_NUMBER = regex.compile(r"^\s*(?:(?:trang|page)\s*)?[-–]?\s*\d{1,4}\s*(?:/\s*\d{1,4}|[-–])?\s*$", regex.I)
# "5.200 USD" at a line's start is a number wrapped there, not the marker "5."
_NEW_PARAGRAPH = regex.compile(r"^(?:(?:[IVXLC]+\.|\d+(?:\.\d+)*[.)]|[a-zđ]\)|\(\d+\))(?=\s)|[-+•–]\s|Điều\s+\d|Chương\s+[IVX\d]|Phụ lục)")
_SENTENCE_END = regex.compile(r"[.:;!?]$")


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


def has_readable_text(pages: list[Page]) -> bool:
    """A text layer worth reading: Vietnamese letters on it, and mostly letters (a layer of
    garbage glyph codes from a font without a Unicode map is not)."""
    text = "".join(line.text for page in pages for line in page.lines)
    letters = sum(ch.isalpha() for ch in text)
    return len(VIETNAMESE.findall(text)) >= 5 and letters >= 0.5 * len(text.replace(" ", "")) if text else False


def assemble(pages: list[Page]) -> tuple[str, list[int]]:
    """The HTML of all pages and the offset where each page's text starts in it."""
    running = _running_lines(pages)
    heights = Counter(round(line.bottom - line.top) for page in pages for line in page.lines)
    body_height = heights.most_common(1)[0][0] if heights else 0.0
    bodies = [[line for index, line in enumerate(page.lines)
               if not _is_furniture(page, index, running, body_height if number else 0.0)]
              for number, page in enumerate(pages)]
    lines = [line for body in bodies for line in body]
    left = min((line.left for line in lines), default=0.0)
    right = max((line.right for line in lines), default=0.0)
    pitch = _line_pitch(bodies)
    out, starts, previous = _Html(), [], None
    same_table: dict[tuple[int, int], tuple[int, int]] = {}
    for index_of_page, body in enumerate(bodies):
        for index, line in enumerate(body):
            if _is_row(line):
                key = (index_of_page, line.table)
                if index == 0 and previous is not None and previous.table and line.table and out.table:
                    same_table[key] = out.table  # a ruled table that ends one page and starts the next
                out.row(line.cells, same_table.get(key, key), line.spans_of_cells)
            elif previous is not None and out.open == "p" and _continues(previous, line, left, right, pitch,
                                                                         out.paragraph_text):
                out.join(line.spans)
            else:
                out.paragraph(line.spans)
            if index == 0:
                starts.append(out.line_start)
            previous = line
        if not body:
            starts.append(out.length)
    out.close()
    return "<html><body>\n" + "".join(out.parts) + "</body></html>\n", [len("<html><body>\n") + s for s in starts]


class _Html:
    """Writes paragraphs and table rows, a bold run as one <b> across the lines it spans."""

    def __init__(self):
        self.parts: list[str] = []
        self.length = 0
        self.line_start = 0  # where the last line written starts
        self.open = ""  # "p" or "table" while one is open
        self.bold = False
        self.table: tuple[int, int] | None = None
        self.paragraph_text = ""  # the open paragraph's text so far

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def close(self) -> None:
        self._bold(False)
        if self.open:
            self.write("</p>\n" if self.open == "p" else "</table>\n")
        self.open = ""

    def paragraph(self, spans: list[Span]) -> None:
        self.close()
        self.write("<p>")
        self.open = "p"
        self.paragraph_text = ""
        self._spans(spans)

    def join(self, spans: list[Span]) -> None:
        """The line goes on with the paragraph: after a space, or into the word a hyphen broke."""
        first = spans[0][0].lstrip() if spans else ""
        last = self.parts[-1] if self.parts else ""
        hyphenated = last.endswith("-") and last[-2:-1].isalpha() and first[:1].islower()
        if hyphenated:
            self.parts[-1], self.length = last[:-1], self.length - 1
        self._spans(spans, space_first=not hyphenated)

    def row(self, cells: list[list[Span]], table: tuple[int, int], spans: list[list[int]]) -> None:
        """A table row: a new table where the ruled one changes (or the rows before were none)."""
        if self.open != "table" or table != self.table and table[1]:
            self.close()
            self.table = table
            self.write("<table>\n")
            self.open = "table"
        self.line_start = self.length
        self.write("<tr>")
        for number, cell in enumerate(cells):
            colspan, rowspan = spans[number] if number < len(spans) else (1, 1)
            self.write("<td" + (f' colspan="{colspan}"' if colspan > 1 else "") +
                       (f' rowspan="{rowspan}"' if rowspan > 1 else "") + ">")
            self._spans(cell, mark=False)
            self._bold(False)
            self.write("</td>")
        self.write("</tr>\n")

    def _spans(self, spans: list[Span], mark: bool = True, space_first: bool = False) -> None:
        """The runs after one another, a space between them outside the bold run it ends."""
        for number, (text, bold) in enumerate(spans):
            bold = bold and bool(text.strip()) or (self.bold and not text.strip())
            space = " " if number or space_first else ""
            if bold:
                self.write(space)
            self._bold(bold)
            if not bold:
                self.write(space)
            if number == 0 and mark:
                self.line_start = self.length
            self.write(html.escape(text.strip(), quote=False))
            self.paragraph_text += " " + text.strip()

    def _bold(self, bold: bool) -> None:
        if bold != self.bold:
            self.write("<b>" if bold else "</b>")
            self.bold = bold


def _is_row(line: Line) -> bool:
    return len(line.cells) > 1 or bool(line.table)


def _line_pitch(bodies: list[list[Line]]) -> float:
    """The distance between the baselines of two lines of one paragraph; paragraphs set apart
    by spacing lie further apart than that."""
    seen: Counter[float] = Counter()
    for body in bodies:
        for before, line in zip(body, body[1:]):
            step = line.baseline - before.baseline
            if step > 0 and not _is_row(before) and not _is_row(line):
                seen[round(step * 2) / 2] += 1
    # the smallest step that is common: a document of one-line paragraphs has its spaced step commonest
    frequent = [step for step, count in seen.items() if count >= max(2, 0.1 * sum(seen.values()))]
    return min(frequent) if frequent else 0.0


def _continues(previous: Line, line: Line, left: float, right: float, pitch: float, paragraph: str) -> bool:
    """Whether a line goes on with the paragraph of the line before: that line ran to the right
    margin, this one starts at the left margin with no marker of its own, it lies no further below
    than the document's lines of one paragraph do (or starts the next page), and no heading begins
    or ends between them (a bold line standing alone, or a bold run at a line's start after plain
    text)."""
    if _is_row(previous) or _is_row(line):
        return False
    text = line.text.strip()
    before, after = previous.spans, line.spans
    if after[0][1] and not before[-1][1] or all(bold for _, bold in before) and not after[0][1]:
        return False
    height = max(previous.bottom - previous.top, 1.0)
    # the line before was broken because this line's first word did not fit after it
    letter = (previous.right - previous.left) / max(len(previous.text), 1)
    full = previous.right + letter * (len(text.split(" ")[0]) + 2) >= right - 0.5 * letter
    same_page_gap = line.top - previous.bottom
    spaced = pitch and line.baseline - previous.baseline > 1.15 * pitch
    if 0 <= same_page_gap < 1.2 * height and not spaced or same_page_gap < -10 * height:  # or atop the next page
        indented = line.left > left + 1.5 * height
        return full and not indented and not _starts_item(previous.text, text, paragraph)
    return False


def _starts_item(previous: str, text: str, paragraph: str = "") -> bool:
    """A marker at the start of a line opens an item after a sentence's end or before a capital;
    "- xã hội" after "kinh tế" is the dash of "kinh tế - xã hội" wrapped, "- 2030" after "2026"
    the dash of a range of years, and "(4)" in a paragraph that holds "(3)" inline the next of
    its run-in list. A line in capitals after one that is not (or the other way round) is a
    heading's edge."""
    if _is_capitals(previous) != _is_capitals(text):
        return True
    marker = _NEW_PARAGRAPH.match(text)
    if not marker:
        return False
    ordinal = regex.match(r"\((\d+)\)", marker[0])
    if ordinal and f" ({int(ordinal[1]) - 1}) " in f" {paragraph} ":
        return False
    rest = text[marker.end():].lstrip()
    if _SENTENCE_END.search(previous.rstrip()):
        return True
    if marker[0][0] in "-–" and previous.rstrip()[-1:].isdigit() and rest[:1].isdigit():
        return False
    return not rest[:1].islower()


def _is_capitals(text: str) -> bool:
    """Two words or more, all in capitals ("MINH ĐỨC" wrapped to "ĐỨC", "5.200 USD" are not)."""
    words = [word for word in text.split() if any(ch.isalpha() for ch in word)]
    return len(words) >= 2 and all(ch.isupper() for word in words for ch in word if ch.isalpha())


def _running_lines(pages: list[Page]) -> set[str]:
    """Lines repeated at the top or bottom of at least half the pages (digits aside): a
    running header or footer."""
    if len(pages) < 3:
        return set()
    seen: Counter[str] = Counter()
    for page in pages:
        edges = {_shape(line.text) for line in page.lines[:2] + page.lines[-2:]}
        seen.update(edges)
    return {shape for shape, count in seen.items() if count >= max(2, len(pages) // 2)}


def _shape(text: str) -> str:
    return regex.sub(r"\d+", "#", " ".join(text.split())).casefold()


def _is_furniture(page: Page, index: int, running: set[str], body_height: float) -> bool:
    """A page number or running line at the page's top or bottom edge; or, past the first page
    (whose head is the issuer's and the motto's), a page's first or last line set in a smaller
    type than the text and far from it: a header or footer of a document too short to repeat one."""
    line = page.lines[index]
    top, bottom = line.top < 0.1 * page.height, line.bottom > 0.9 * page.height
    if not (top or bottom):
        return False
    if _PAGE_NUMBER.match(line.text) or _shape(line.text) in running:
        return True
    height = line.bottom - line.top
    if not body_height or height >= 0.9 * body_height or len(page.lines) < 2:
        return False
    if top and index == 0:
        return page.lines[1].top - line.bottom > 2 * body_height
    if bottom and index == len(page.lines) - 1:
        return line.top - page.lines[-2].bottom > 2 * body_height
    return False
