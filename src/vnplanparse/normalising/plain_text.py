"""Plain text from PDF pages: page numbers and running headers dropped, hard wraps and hyphenated words joined only in a hard-wrapped document, table rows the wrap broke joined by the cells they lack."""

from __future__ import annotations

from collections import Counter

import regex

from .grids import _ORDINAL_CELL
from .layout import _line_cells, _visible
from .markdown import _APPENDIX_CELL, _MARKER_START, _SENTENCE_END, _is_upper_line
from .tables import _is_header_row


# Text taken from a PDF's pages: between two pages a page number stands on a line of its own
# ("12", "- 12 -", "Trang 12", "12/40"; never "12/2026", a month) next to a running header or footer repeated on every page.
_PAGE_NUMBER = regex.compile(r"^\s*(?:Trang\s+|-\s*)?(\d{1,4})(?:\s*-|\s*/\s*\d{1,3})?\s*$", regex.I)

_PAGE_RUN_MIN = 2


def _without_page_chrome(lines: list[str]) -> tuple[list[str], list[str]]:
    """Drops page numbers that count up page after page (n, n+1, …: a lone number in a table
    does not), and a line repeated beside most of them: the running header."""
    pages: list[int] = []
    last = None
    for i, line in enumerate(lines):
        m = _PAGE_NUMBER.match(line)
        if not m:
            continue
        n = int(m.group(1))
        if pages and last is not None and n == last + 1:
            pages.append(i)
        elif len(pages) < _PAGE_RUN_MIN:
            pages = [i]
        else:
            continue
        last = n
    if len(pages) < _PAGE_RUN_MIN:
        return lines, []
    def beside(i: int) -> list[int]:
        return [j for j in (i - 1, i + 1) if 0 <= j < len(lines) and lines[j].strip()]
    counts = Counter(lines[j].strip() for i in pages for j in beside(i))
    # a running header stands beside most page breaks; a line that merely recurs beside a few stays
    headers = {text for text, count in counts.items() if count >= max(_PAGE_RUN_MIN, len(pages) / 2)}
    drop = set(pages) | {j for i in pages for j in beside(i) if lines[j].strip() in headers}
    warning = f"{len(pages)} page numbers{' and running headers' if headers else ''} between pages removed"
    return [line for i, line in enumerate(lines) if i not in drop], [warning]


# Hard-wrapped text (a PDF's text layer, a mail's 80 columns): many prose lines end near one
# width, most of them mid-sentence. Only such a document is unwrapped, and only prose lines:
# a table row, a list item's first line or a short line is never run into the line before.
_WRAP_WIDTH_MIN, _WRAP_WIDTH_MAX = 60, 120

_WRAP_NEAR = 12

_WRAPPED_SHARE = 0.25

_MID_SENTENCE_SHARE = 0.5

_HYPHENATED = regex.compile(r"(?<=\p{L})-$")


def _is_prose_line(line: str) -> bool:
    return bool(line.strip()) and not _line_cells(line, 0)


def _wrap_width(lines: list[str]) -> int | None:
    prose = [line for line in lines if _is_prose_line(line)]
    lengths = sorted(len(line) for line in prose)
    if len(lengths) < 10:
        return None
    width = lengths[-1 - len(lengths) // 100]  # the longest but for a rare outlier (a URL)
    if not _WRAP_WIDTH_MIN <= width <= _WRAP_WIDTH_MAX:
        return None
    near = [line for line in prose if len(line) >= width - _WRAP_NEAR]
    mid_sentence = sum(1 for line in near if not _SENTENCE_END.search(line.rstrip()))
    if len(near) < _WRAPPED_SHARE * len(lengths) or mid_sentence < _MID_SENTENCE_SHARE * len(near):
        return None
    return width


def _unwrapped(lines: list[str], width: int) -> list[str]:
    out: list[str] = []
    physical = ""  # the line before, as it was written
    row_cells = 0  # cells of out[-1] when it is a table row
    table_width = 0  # the most cells a row of the table being read has had (its header's, as a rule)
    row_before = 0  # cells of the row before out[-1]
    for i, line in enumerate(lines):
        brings = len(_line_cells(line, 0))
        if out and not row_cells and _is_prose_line(physical) and not brings and line.strip() and _wrapped_into(physical, line, width):
            if _HYPHENATED.search(physical) and line.lstrip()[:1].islower():
                out[-1] = out[-1][:-1] + line.lstrip()  # "chuyển đổi tư-" / "duy": a word hyphenated at the end
            else:
                out[-1] = out[-1] + " " + line.lstrip()
        elif row_cells and _row_wrapped_into(row_cells, out[-1], physical, line, brings, width, lambda: max(table_width, _nearby_row_width(lines, i))):
            out[-1] = out[-1] + " " + line.lstrip()
            row_cells += _cells_added(line, brings)
        elif row_before and out[-1] == physical and brings and _first_cell_wrapped(physical, line, brings, row_before, width):
            out[-1] = out[-1] + " " + line.lstrip()  # the wrap fell in the row's first cell
            row_cells = brings
        else:
            out.append(line)
            row_before, row_cells = row_cells, brings
            if not brings and not row_before:
                table_width = 0
        table_width = max(table_width, row_cells, brings)
        physical = line
    return out


_ROW_WINDOW = 40


def _nearby_row_width(lines: list[str], i: int) -> int:
    return max((len(_line_cells(line, 0)) for line in lines[max(0, i - _ROW_WINDOW) : i + _ROW_WINDOW]), default=0)


def _row_wrapped_into(have: int, prev_row: str, prev: str, line: str, brings: int, width: int, row_width) -> bool:
    """Whether `line` goes on with a table row of `have` cells that the wrap broke (`prev` its
    last physical line, `prev_row` the row so far): the line's first word would not have fitted
    on `prev`, the line is no heading and opens in lower case, or opens no numbered row and the
    row still lacks as many cells as `line` brings beyond its first, which goes on with the
    row's last cell."""
    if not line.strip() or len(prev) + 1 + len(_first_word(line)) <= width:
        return False  # the line's first word would have fitted: the row ended there
    if _APPENDIX_CELL.match(_visible(line)) or _is_upper_line(_visible(line)):
        return False  # a heading after the table
    if line.lstrip().startswith("|") and not line.rstrip().endswith("|"):
        return True  # the wrap fell before a separator: no row opens with one but a pipe row, which closes with one too
    if _opens_header_line(prev_row, prev, line):
        return False  # the header's second line: "Năm 2025 | Năm 2030" under "… | Mục tiêu | …"
    if line.lstrip()[:1].islower():
        return True  # no row opens in lower case: the words go on with the row's last cell
    first = _line_cells(line, 0)[0] if brings else None
    if first is not None and _ORDINAL_CELL.fullmatch(_visible(line[first.start : first.end])):
        if _follows(_first_cell(prev_row), _visible(line[first.start : first.end])):
            return False  # the next row, opening with its number
    return have + _cells_added(line, brings) <= row_width()


_NUMBERING = regex.compile(r"\d{1,3}(?:\.\d{1,3})*\.?")


def _first_cell(row: str) -> str:
    cells = _line_cells(row, 0)
    return _visible(row[cells[0].start : cells[0].end]) if cells else ""


def _follows(above: str, number: str) -> bool:
    """Whether `number` can number the row after one numbered `above`: the next at some level
    (11 -> 12, 2.3 -> 2.4 or 3), the first below it (2 -> 2.1) or a new count (1). A figure the
    wrap carried to a line's start ("90 -" / "95 | Sở Y tế" after row 11) numbers no row."""
    if not (_NUMBERING.fullmatch(above) and _NUMBERING.fullmatch(number)):
        return True  # a group row, a letter or a Roman numeral: any row may follow
    a = [int(n) for n in above.rstrip(".").split(".")]
    b = [int(n) for n in number.rstrip(".").split(".")]
    return b == [1] or b == a + [1] or any(b == a[:j] + [a[j] + 1] for j in range(len(a)))


def _first_cell_wrapped(prev: str, line: str, brings: int, row_before: int, width: int) -> bool:
    """Whether a line of cells goes on with the one prose line before it, a table row whose first
    cell the wrap broke ("- Thu tiền đền bù khi Nhà nước thu hồi đất thuộc" / "xã quản lý | | 100
    | |" under a row of as many cells): the line opens in lower case where the wrap fell."""
    if len(prev) < width - _WRAP_NEAR or len(prev) + 1 + len(_first_word(line)) <= width:
        return False
    return line.lstrip()[:1].islower() and brings <= row_before


def _opens_header_line(prev_row: str, prev: str, line: str) -> bool:
    """A header row's line that opens with a capital after a whole cell opens the header's next
    row: a header cell's words go on in lower case ("Cơ quan chủ" / "trì", "Thực hiện năm" /
    "2020"), while each sub-column's label opens with a capital ("Năm 2025", "Kế hoạch")."""
    if prev.rstrip().endswith("|") or not line.lstrip()[:1].isupper():
        return False
    return _is_header_row(prev_row, _line_cells(prev_row, 0))


def _first_word(line: str) -> str:
    """What the wrap could not fit on the line before: the first word (with a cell separator
    that opens the line, the word after it too)."""
    words = line.split()
    return " ".join(words[:2]) if words[:1] == ["|"] else (words[0] if words else "")


def _cells_added(line: str, brings: int) -> int:
    """Cells a row's wrapped line adds: its first piece goes on with the row's last cell, unless
    the wrap fell just before a separator (`| Thời gian`): then every piece is a new cell."""
    if line.lstrip().startswith("|"):
        return max(len(_line_cells(line.lstrip()[1:], 0)), 1)
    return max(brings, 1) - 1


def _wrapped_into(prev: str, line: str, width: int) -> bool:
    """Whether `line` goes on with the paragraph of the physical line `prev`: its first word
    would not have fitted on `prev`, unless `prev` closes a sentence and `line` opens with a marker."""
    if len(prev) < width - _WRAP_NEAR or len(prev) + 1 + len(_first_word(line)) <= width:
        return False
    return not (_SENTENCE_END.search(_visible(prev)) and _MARKER_START.match(_visible(line)))


# Plain text with tables flattened to tab-separated cells (a copy from a word processor or a
# spreadsheet, a converter's text output). A row whose first cells are empty opens with tabs
# ("\t- Nông nghiệp\t%\t33", "\t\t\tNăm 2025\tNăm 2030": a sub-row, a header's second line), so
# a line with a tab belongs to a table when it stands among lines with tabs of which two at least
# separate cells that both have text. Such rows are written as " | " rows, every cell in its
# place, as every other rendering's rows are.
_TAB_BETWEEN_CELLS = regex.compile(r"\S\t+\S")


def _tab_rows_as_cells(lines: list[str]) -> tuple[list[str], dict[int, list[tuple[int, int]]]]:
    """The lines with each tab table's rows as " | " rows, and line index -> its cells' spans."""
    out, laid = list(lines), {}
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and "\t" in lines[j] and lines[j].strip():
            j += 1
        if sum(1 for line in lines[i:j] if _TAB_BETWEEN_CELLS.search(line)) >= 2:
            for n in range(i, j):
                out[n], laid[n] = _as_cell_row(lines[n])
        i = max(j, i + 1)
    return out, laid


def _as_cell_row(line: str) -> tuple[str, list[tuple[int, int]]]:
    text, spans = "", []
    for j, piece in enumerate(line.rstrip().split("\t")):
        piece = " ".join(piece.split())
        if j:
            text += " |" + (" " if piece else "")
        spans.append((len(text), len(text) + len(piece)))
        text += piece
    return text.lstrip(), _shifted(spans, len(text) - len(text.lstrip()))


def _shifted(spans: list[tuple[int, int]], by: int) -> list[tuple[int, int]]:
    return [(max(a - by, 0), max(b - by, 0)) for a, b in spans]
