"""PDF -> text: the text layer (pypdfium2), or OCR where the layer is missing or garbage, read
as lines with their boxes; running headers and page numbers go, wrapped lines are joined back
into paragraphs, cells side by side on a line are joined by " | " (a table row as the plain-text
normaliser reads it)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import regex

from ..errors import InputError

# Letters only Vietnamese writes (with their tone marks): a page of OCR or a text layer without
# any is no Vietnamese text.
VIETNAMESE = regex.compile(r"[ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ]", regex.I)
_PAGE_NUMBER = regex.compile(r"^\s*(?:(?:trang|page)\s*)?[-–]?\s*\d{1,4}\s*(?:/\s*\d{1,4}|[-–])?\s*$", regex.I)
_NEW_PARAGRAPH = regex.compile(r"^(?:[IVXLC]+\.|\d+(?:\.\d+)*[.)]|[a-zđ]\)|\(\d+\)|[-+•–]\s|Điều\s+\d|Chương\s+[IVX\d]|Phụ lục)")
_SENTENCE_END = regex.compile(r"[.:;!?]$")


@dataclass
class Line:
    """A line of text on a page, its box in points from the page's top left."""

    text: str
    left: float
    right: float
    top: float
    bottom: float


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
                pieces.append(Line(text, left, right, height - top, height - bottom))
        pages.append(Page(_rows(pieces), width, height))
        textpage.close()
        page.close()
    return pages


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
    cells = [_cells(sorted(row, key=lambda p: p.left)) for row in rows]
    lines, kept = [], _fold_wrapped_cells(cells)
    for row in kept:
        texts = [" ".join(p.text.strip() for p in sorted(cell, key=lambda p: (p.top, p.left))) for cell in row]
        flat = [p for cell in row for p in cell]
        lines.append(Line(" | ".join(texts), min(p.left for p in flat), max(p.right for p in flat),
                          min(p.top for p in flat), max(p.bottom for p in flat)))
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
    """The text of all pages and the offset where each page's text starts in it."""
    running = _running_lines(pages)
    bodies = [[line for line in page.lines if not _is_furniture(line, page, running)] for page in pages]
    lines = [line for body in bodies for line in body]
    left = min((line.left for line in lines), default=0.0)
    right = max((line.right for line in lines), default=0.0)
    out, starts, previous = "", [], None
    for body in bodies:
        starts.append(len(out) + 1 if out else 0)
        for line in body:
            text = line.text.strip()
            if previous is not None and _continues(previous, line, left, right, out):
                if out.endswith("-") and out[-2:-1].isalpha() and text[:1].islower():
                    out = out[:-1] + text  # a word hyphenated at the line end
                else:
                    out += " " + text
            else:
                out += ("\n" if out else "") + text
            previous = line
    return out + "\n", starts


def _continues(previous: Line, line: Line, left: float, right: float, out: str) -> bool:
    """Whether a line goes on with the paragraph of the line before: that line ran to the right
    margin, this one starts at the left margin with no marker of its own, and no blank space
    larger than a line lies between them on the same page."""
    text = line.text.strip()
    if " | " in out[out.rfind("\n") + 1:] or " | " in text:
        return False
    height = max(previous.bottom - previous.top, 1.0)
    # the line before was broken because this line's first word did not fit after it
    letter = (previous.right - previous.left) / max(len(previous.text), 1)
    full = previous.right + letter * (len(text.split(" ")[0]) + 2) >= right - 0.5 * letter
    same_page_gap = line.top - previous.bottom
    if 0 <= same_page_gap < 1.2 * height or same_page_gap < -10 * height:  # or at the top of the next page
        indented = line.left > left + 1.5 * height
        return full and not indented and not _starts_item(previous.text, text)
    return False


def _starts_item(previous: str, text: str) -> bool:
    """A marker at the start of a line opens an item after a sentence's end or before a capital;
    "- xã hội" after "kinh tế" is the dash of "kinh tế - xã hội" wrapped."""
    marker = _NEW_PARAGRAPH.match(text)
    if not marker:
        return False
    rest = text[marker.end():].lstrip()
    return bool(_SENTENCE_END.search(previous.rstrip())) or not rest[:1].islower()


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


def _is_furniture(line: Line, page: Page, running: set[str]) -> bool:
    at_edge = line.top < 0.1 * page.height or line.bottom > 0.9 * page.height
    if not at_edge:
        return False
    return bool(_PAGE_NUMBER.match(line.text)) or _shape(line.text) in running
