"""Plain text from PDF pages: page numbers and running headers dropped, hard wraps and hyphenated words joined only in a hard-wrapped document, table rows the wrap broke joined by the cells they lack."""

from __future__ import annotations

from collections import Counter

import regex

from .grids import _ORDINAL_CELL
from .layout import _line_cells, _visible
from .markdown import _APPENDIX_CELL, _MARKER_START, _SENTENCE_END, _is_upper_line


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
    for i, line in enumerate(lines):
        brings = len(_line_cells(line, 0))
        if out and not row_cells and _is_prose_line(physical) and not brings and line.strip() and _wrapped_into(physical, line, width):
            if _HYPHENATED.search(physical) and line.lstrip()[:1].islower():
                out[-1] = out[-1][:-1] + line.lstrip()  # "chuyển đổi tư-" / "duy": a word hyphenated at the end
            else:
                out[-1] = out[-1] + " " + line.lstrip()
        elif row_cells and _row_wrapped_into(row_cells, physical, line, brings, width, lambda: max(table_width, _nearby_row_width(lines, i))):
            out[-1] = out[-1] + " " + line.lstrip()
            row_cells += _cells_added(line, brings)
        else:
            out.append(line)
            row_cells = brings
            if not brings:
                table_width = 0
        table_width = max(table_width, row_cells, brings)
        physical = line
    return out


_ROW_WINDOW = 40


def _nearby_row_width(lines: list[str], i: int) -> int:
    return max((len(_line_cells(line, 0)) for line in lines[max(0, i - _ROW_WINDOW) : i + _ROW_WINDOW]), default=0)


def _row_wrapped_into(have: int, prev: str, line: str, brings: int, width: int, row_width) -> bool:
    """Whether `line` goes on with a table row of `have` cells that the wrap broke (`prev` its
    last physical line): the line's first word would not have fitted on `prev`, the line is no
    heading and opens no numbered row, and the row still lacks as many cells as `line` brings
    beyond its first, which goes on with the row's last cell."""
    if not line.strip() or len(prev) + 1 + len(_first_word(line)) <= width:
        return False  # the line's first word would have fitted: the row ended there
    if _APPENDIX_CELL.match(_visible(line)) or _is_upper_line(_visible(line)):
        return False  # a heading after the table
    if line.lstrip().startswith("|") and not line.rstrip().endswith("|"):
        return True  # the wrap fell before a separator: no row opens with one but a pipe row, which closes with one too
    first = _line_cells(line, 0)[0] if brings else None
    if first is not None and _ORDINAL_CELL.fullmatch(_visible(line[first.start : first.end])):
        return False  # the next row, opening with its number
    return have + _cells_added(line, brings) <= row_width()


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
