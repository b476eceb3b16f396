"""PDF page lines to the HTML the normaliser reads: running headers and page numbers go, wrapped
lines are joined back into paragraphs (<p>) by the layout (a line that stops short of the margin
ends its paragraph), bold runs stay <b>, a row of cells is a table row (<tr>)."""

from __future__ import annotations

import html
from collections import Counter

import regex

from .pdf import VIETNAMESE, Line, Page, Span

_PAGE_NUMBER = regex.compile(r"^\s*(?:(?:trang|page)\s*)?[-–]?\s*\d{1,4}\s*(?:/\s*\d{1,4}|[-–])?\s*$", regex.I)
# "5.200 USD" at a line's start is a number wrapped there, not the marker "5."
_NEW_PARAGRAPH = regex.compile(r"^(?:(?:[IVXLC]+\.|\d+(?:\.\d+)*[.)]|[a-zđ]\)|\(\d+\))(?=\s)|[-+•–]\s|Điều\s+\d|Chương\s+[IVX\d]|Phụ lục)")
_SENTENCE_END = regex.compile(r"[.:;!?]$")


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
