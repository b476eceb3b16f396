"""Normalise: any rendering of a plan -> one clean text that every offset refers to.

All three renderings (plain text, Markdown converted from a web page, HTML) reduce to the
same shape: NFC, `\\n` line ends, one paragraph or table row per line, no markup. Markdown
soft wraps become spaces (a wrapped sentence is one sentence), emphasis marks go, and bold
runs are kept aside as spans because a bold run-in heading is a section title.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

import regex

from . import grammar
from .load import LoadedText

if TYPE_CHECKING:
    from bs4 import Tag

_INVISIBLE = regex.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Embeddings, overrides and isolates (U+202A-202E, U+2066-2069) reorder how text displays:
# "50%" can show as "%05". They carry no meaning in a plan, so they go (with a warning).
_BIDI_CONTROLS = regex.compile(r"[\u202a-\u202e\u2066-\u2069]")
_SPACE_RUN = regex.compile(r"(\s+)")
_BOLD_MARK = regex.compile(r"(\*\*|__)")
_SPACES = regex.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_IMAGE = regex.compile(r"!\[[^\]\n]*\]\([^)\s]*(?:\s+\"[^\"\n]*\")?\)")
_LINK = regex.compile(r"\[([^\]\n]*)\]\([^)\s]*(?:\s+\"[^\"\n]*\")?\)")
_RULE_LINE = regex.compile(r"^\s*[-=_*~]{3,}\s*$")
_BAR_LINE = regex.compile(r"^\s*\|\s*$")
_HEADING_HASHES = regex.compile(r"^\s*#{1,6}\s*")


@dataclass
class LayoutCell:
    """A written table cell: its span in the normalised text and the grid column it starts in.
    `column` is None where the rendering does not tell (the short header rows of a Markdown grid)."""

    start: int
    end: int
    column: int | None
    colspan: int = 1
    rowspan: int = 1


@dataclass
class TableLayout:
    """How the normaliser laid a table out: one text line per row, cells as written."""

    width: int
    rows: list[list[LayoutCell]] = field(default_factory=list)
    # a Markdown pipe table: a converter writes a row without the cells merged into the row above
    # (HTML says where merged cells are, so its short rows are short)
    short_rows_merged: bool = False


@dataclass
class NormalizedText:
    text: str
    bold_spans: list[tuple[int, int]] = field(default_factory=list)
    tables: list[TableLayout] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def normalize(loaded: LoadedText) -> NormalizedText:
    raw, bidi_controls = _BIDI_CONTROLS.subn("", _clean_characters(loaded.text))
    if loaded.format == "html":
        result = _html_to_text(raw)
    elif loaded.format == "markdown":
        result = _markdown_to_text(raw)
    else:
        result = _plain_to_text(raw)
    if not unicodedata.is_normalized("NFC", result.text):  # a piece boundary split a letter
        result = NormalizedText(unicodedata.normalize("NFC", result.text), warnings=result.warnings)
    if bidi_controls:
        result.warnings.append(_bidi_warning(bidi_controls))
    return result


def _bidi_warning(count: int) -> str:
    return f"{count} bidirectional control character(s) removed: they change the order in which text displays"


def _clean_characters(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACES.sub(" ", text)
    return _INVISIBLE.sub("", text)


def _plain_to_text(text: str) -> NormalizedText:
    lines = [line.rstrip() for line in text.split("\n")]
    lines, warnings = _without_page_chrome(lines)
    lines = _without_chrome_lines(lines, warnings)
    width = _wrap_width(lines)
    if width:
        lines = _unwrapped(lines, width)
    text = "\n".join(lines).strip("\n") + "\n"
    return NormalizedText(text, tables=_line_tables(text), warnings=warnings)


@cache
def _chrome_lines() -> list[regex.Pattern[str]]:
    rules = grammar.load("page_chrome")["lines"]
    return [regex.compile(rule["pattern"], regex.I | regex.V0) for rule in rules.values()]


def _without_chrome_lines(lines: list[str], warnings: list[str]) -> list[str]:
    """Drops the lines of page chrome grammars/page_chrome.yaml describes (captions, teasers,
    widgets, menus); a blank line stands in for each so that paragraphs stay apart. A cell of
    a one-cell-per-line grid (beside a bare `|` line) is table text and stays."""
    patterns = _chrome_lines()
    kept, dropped = [], 0
    for i, line in enumerate(lines):
        visible = _HEADING_HASHES.sub("", line).strip()
        if (visible and len(visible) <= _CHROME_LINE_MAX and not _beside_bar_line(lines, i)
                and any(p.search(visible) for p in patterns)):
            kept.append("")
            dropped += 1
        else:
            kept.append(line)
    if dropped:
        warnings.append(f"{dropped} line(s) of page chrome (captions, related links, widgets, menus) dropped")
    return kept


_CHROME_LINE_MAX = 600


def _beside_bar_line(lines: list[str], i: int) -> bool:
    """Whether line i is a cell of a one-cell-per-line grid (a bare `|` line next to it)."""
    return any(_BAR_LINE.match(lines[j]) for j in (i - 1, i + 1) if 0 <= j < len(lines))


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


_PIPE_ROW = regex.compile(r"^\s*\|.*\|.*\S")
_PIPE_RULE = regex.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_TAB_ROW = regex.compile(r"\S\t+\S")


def _line_tables(text: str) -> list[TableLayout]:
    """Tables written one row per line in plain text: Markdown pipe rows (`| a | b |`), tab-
    separated cells, or rows already joined by " | ". The text stays as it is; the layout
    points into it. Two such lines in a row at least make a table."""
    tables: list[TableLayout] = []
    run: list[list[LayoutCell]] = []
    pos = 0
    for line in text.split("\n") + [""]:
        start, pos = pos, pos + len(line) + 1
        if _PIPE_RULE.match(line) and "-" in line and run:
            continue
        cells = _line_cells(line, start)
        if cells:
            run.append(cells)
            continue
        if len(run) >= 2:
            tables.append(TableLayout(max(len(r) for r in run), run))
        run = []
    return tables


def _line_text_cells(line: str) -> list[str]:
    return [line[c.start : c.end] for c in _line_cells(line, 0)]


def _line_cells(line: str, start: int) -> list[LayoutCell]:
    if _PIPE_ROW.match(line):
        separator, first = regex.compile(r"\|"), line.index("|") + 1
        last = line.rindex("|") if line.rstrip().endswith("|") else len(line)
    elif _TAB_ROW.search(line):
        separator, first, last = regex.compile(r"\t"), 0, len(line)
    elif " | " in line:
        separator, first, last = regex.compile(r" \|(?: |$)"), 0, len(line)
    else:
        return []
    bounds, a = [], first
    for m in separator.finditer(line, first, last):
        bounds.append((a, m.start()))
        a = m.end()
    bounds.append((a, last))
    cells = []
    for j, (a, b) in enumerate(bounds):
        piece = line[a:b] if line[a:b].strip() != "|" else ""  # "x | |": empty cells at the end
        a2 = a + len(piece) - len(piece.lstrip())
        cells.append(LayoutCell(start + a2, start + max(a2, a + len(piece.rstrip())), j))
    return cells


class _Builder:
    """Appends text with collapsed spaces, tracking offsets of bold runs as it goes."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.last = "\n"
        self.pending_space = False
        self.bold: list[tuple[int, int]] = []
        self.tables: list[TableLayout] = []
        self.warnings: list[str] = []
        self.bidi_controls = 0  # removed from text that markup wrote as character references

    def _emit(self, s: str) -> None:
        self.parts.append(s)
        self.length += len(s)
        self.last = s[-1]

    def add(self, text: str, bold: bool = False) -> None:
        text, removed = _BIDI_CONTROLS.subn("", text)
        self.bidi_controls += removed
        # The words of text go out as one piece, one space between them. A space run before
        # them leaves a space pending unless the text so far ends a line; one after them leaves
        # a space pending before the next piece.
        words, space_before, space_after = [], False, False
        for token in _SPACE_RUN.split(text):
            if not token:
                continue
            if token.isspace():
                if words:
                    space_after = True
                else:
                    space_before = True
                continue
            words.append(token)
            space_after = False
        if space_before:
            self.pending_space = self.last != "\n"
        if not words:
            return
        if self.pending_space:
            self._emit(" ")
        start = self.length
        self._emit(" ".join(words))
        self.pending_space = space_after
        if bold:
            if self.bold and self.bold[-1][1] >= start - 1:
                self.bold[-1] = (self.bold[-1][0], self.length)
            else:
                self.bold.append((start, self.length))

    def newline(self, blank: bool = False) -> None:
        self.pending_space = False
        if self.length == 0:
            return
        if self.last != "\n":
            self._emit("\n")
        if blank and not "".join(self.parts[-2:]).endswith("\n\n"):
            self._emit("\n")

    def text_of(self, cell: LayoutCell) -> str:
        return "".join(self.parts)[cell.start : cell.end]

    def cell(self, j: int) -> int:
        """Starts cell j of a row line (a separator before all but the first); returns where its
        text begins."""
        if j:
            self.add(" |")
            self.pending_space = True
        return self.length + (1 if self.pending_space else 0)

    def table_row(self, table: TableLayout, cells: list[LayoutCell]) -> None:
        """Closes a row line begun with `cell`: cells that stayed empty get a zero-length span."""
        for c in cells:
            c.end = max(c.start, min(c.end, self.length))
            c.start = min(c.start, c.end)
        table.rows.append(cells)
        self.newline()

    def result(self) -> NormalizedText:
        text = "".join(self.parts).rstrip("\n") + "\n"
        return NormalizedText(text, self.bold, self.tables, self.warnings)


# --- Markdown ---------------------------------------------------------------------------

_MARKER_START = regex.compile(
    r"^(?:(?P<upper>[IVXLC]+\.|\d{1,2}(?:\.\d{1,2})*[.)]|Điều\s+\d+|PHỤ LỤC|Phụ lục)"
    r"|(?P<letter>[a-zđ]\))|(?P<ordinal>\(\d{1,3}\))|(?P<bullet>[-+•–]))\s*(?P<next>.?)"
)
MARKER_ONLY = regex.compile(
    r"^(?:[IVXLC]+[.)]|\d{1,2}(?:\.\d{1,2})*[.)]?|[a-zđA-Z][.)]|\(\d{1,3}\)|Điều\s+\d+[.:]?)$"
)
_SENTENCE_END = regex.compile(r"[.;:!?…]\)?[\"”’]?$|\./\.$")
_PROSE_SLOT_CHARS = 1500
_COUNT_START = regex.compile(r"\d[\d.,]*\s+\p{Ll}")


def _visible(line: str) -> str:
    return line.replace("*", "").strip()


# Converters (html2text, markdownify) escape what Markdown would read as syntax: "1\\.", "\\-" at a
# line start, "\\*", "\\[". The escaped character is text. An escaped "*" or "|" stands in as a
# private-use character while emphasis and table cells are read, and is put back at the end.
_ESCAPE = regex.compile(r"\\([!-/:-@\[-`{-~])")
_LITERAL_STANDINS = {"*": "\ue000", "|": "\ue001"}
_PUT_BACK = str.maketrans({v: k for k, v in _LITERAL_STANDINS.items()})


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: _LITERAL_STANDINS.get(m.group(1), m.group(1)), text)


def _markdown_to_text(text: str) -> NormalizedText:
    chrome_warnings: list[str] = []
    text = "\n".join(_without_chrome_lines(text.split("\n"), chrome_warnings))
    text = _unescape(text)
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    slots: list[list[str]] = [[]]
    for line in text.split("\n"):
        if _BAR_LINE.match(line):
            slots.append([])
        else:
            slots[-1].append(line)
    out = _Builder()
    run: list[list[str]] = []
    for slot in slots:
        if _is_prose_slot(slot):
            _emit_cell_run(run, out)
            run = []
            _markdown_paragraphs(slot, out)
        else:
            run.append([line for line in slot if line.strip() and not _RULE_LINE.match(line)])
    _emit_cell_run(run, out)
    result = out.result()
    result.text = result.text.translate(_PUT_BACK)
    result.warnings += chrome_warnings
    return result


def _is_prose_slot(slot: list[str]) -> bool:
    inner = [line for line in slot if line.strip()]
    if inner and _APPENDIX_CELL.match(_visible(inner[0])):
        return True  # an appendix heading ends the table before it, where no blank line does
    if inner and not slot[0].strip():
        return True  # a blank line after a closing bar: the table has ended
    if sum(len(line) for line in inner) > _PROSE_SLOT_CHARS:
        return True
    if any(not line.strip() for line in slot[1:-1]) and len(inner) > 1:
        return True
    return sum(1 for line in inner[1:] if _MARKER_START.match(_visible(line))) >= 2


def _starts_paragraph(prev: str, line: str) -> bool:
    """Whether the line break before `line` ends a paragraph rather than wrapping one."""
    prev_v, line_v = _visible(prev), _visible(line)
    if not prev_v or not line_v or _RULE_LINE.match(prev) or _RULE_LINE.match(line):
        return True
    prev_closed = bool(_SENTENCE_END.search(prev_v))
    marker = _MARKER_START.match(line_v)
    if marker:
        following = marker.group("next")
        capital = following[:1].isupper() or following[:1].isdigit() or following[:1] in "\"“'(["
        if marker.group("upper") or marker.group("bullet"):
            if capital or prev_closed:
                return True
        elif prev_closed or (marker.group("letter") and capital):
            return True
    if prev_closed:
        # "(Trong đó: VNPT:" / "25 trạm, …": a label's colon wrapped before its number
        return not (prev_v.endswith(":") and _COUNT_START.match(line_v))
    if prev.rstrip().endswith("*") and line.lstrip().startswith("*"):
        return True
    return _is_upper_line(prev_v) != _is_upper_line(line_v) and (
        _is_upper_line(prev_v) or len(line_v.split()) >= 2
    )


def _leaves_bold(prev: str, line: str, bold_open: bool) -> bool:
    """A bold line standing alone is a heading: the break around it is a paragraph break."""
    if bold_open:
        return False
    return prev.rstrip().endswith("**") or line.lstrip().startswith("**")


def _is_upper_line(line: str) -> bool:
    letters = "".join(filter(str.isalpha, line))
    # every letter a capital: letters.isupper() would also pass a line with uncased letters ("中")
    return len(letters) >= 3 and all(map(str.isupper, letters))


def _markdown_paragraphs(lines: list[str], out: _Builder) -> None:
    state = _Emphasis()
    prev = ""
    table: TableLayout | None = None
    for line in lines:
        if table is not None and _PIPE_RULE.match(line) and "-" in line:
            continue
        if _PIPE_ROW.match(line):  # a Markdown pipe table row
            cells = [[c] for c in _line_text_cells(line)]
            if table is None:
                out.newline()
                table = TableLayout(len(cells), short_rows_merged=True)
                out.tables.append(table)
            columns = _under_spanning_cells(out.text_of, table, len(cells)) or list(range(len(cells)))
            table.width = max(table.width, len(cells))
            _emit_row(cells, out, table, columns)
            prev = ""
            continue
        table = None
        if not line.strip():
            state = _Emphasis()
            out.newline()
            prev = ""
            continue
        if _RULE_LINE.match(line):
            out.newline()
            prev = ""
            continue
        if prev and not MARKER_ONLY.match(_visible(prev)) and (
            _starts_paragraph(prev, line) or _leaves_bold(prev, line, state.bold)
        ):
            out.newline()
        state.add_inline(_HEADING_HASHES.sub("", line), out)
        out.add(" ")
        prev = line
    out.newline()


def _under_spanning_cells(text_of, table: TableLayout, k: int) -> list[int] | None:
    """A converter writes a two-level header's spanning cell (`Mục tiêu` over `Năm 2025 | Năm
    2030`) as the cell and empty cells after it, and the row below with only the sub-column
    cells. When the first row's spanning runs (a filled cell and the empty ones after it) cover
    exactly the k cells of the second, those are its columns, and each spanning cell takes its run
    as its colspan (the empty cells leave the layout: they are not written cells)."""
    if len(table.rows) != 1 or k >= table.width:
        return None
    first = table.rows[0]
    runs: list[list[int]] = []
    for j, c in enumerate(first):
        if text_of(c).strip():
            runs.append([j])
        elif runs and runs[-1][-1] == j - 1 and len(runs[-1]) >= 1 and j:
            runs[-1].append(j)
    runs = [r for r in runs if len(r) > 1]
    if sum(len(r) for r in runs) != k:
        return None
    empties = {j for r in runs for j in r[1:]}
    for r in runs:
        first[r[0]].colspan = len(r)
    table.rows[0] = [c for j, c in enumerate(first) if j not in empties]
    return [j for r in runs for j in r]


def _emit_cell_run(slots: list[list[str]], out: _Builder) -> None:
    """Cells stand one per line between bare `|` lines: recover the rows, one per output line."""
    table: TableLayout | None = None
    full_row_kinds: list[str] | None = None
    unlaid, unlaid_start = 0, out.length
    for item in _grid_rows(slots):
        if item.table_width is None or (table is None and not item.opens_table):
            table = None
            if any(line.strip() for line in slots[item.start]):
                unlaid += 1
            _emit_row(slots[item.start : item.end], out)
            continue
        if item.opens_table:
            table, full_row_kinds = TableLayout(item.table_width), None
            out.tables.append(table)
        cells = slots[item.start : item.end]
        columns = _row_columns(table, cells, full_row_kinds, out)
        if len(cells) == table.width:
            full_row_kinds = [_cell_kind(c) for c in cells]
        _emit_row(cells, out, table, columns)
    if unlaid >= _UNLAID_CELLS_WARNED:
        out.warnings.append(
            f"{unlaid} cells between offsets {unlaid_start} and {out.length} could not be laid out as a table"
            " with confidence; they are read as text, a line each"
        )


_MAX_COLUMNS = 24
# cells between `|` lines that no table takes; fewer are a signature block's or a header's
_UNLAID_CELLS_WARNED = 4


@dataclass
class _GridRow:
    start: int
    end: int  # slots start..end-1 are the row's cells
    table_width: int | None  # None: a lone slot outside any table
    opens_table: bool = False


def _grid_rows(slots: list[list[str]]) -> list[_GridRow]:
    """Reads a run of slots as table rows.

    The rendering writes a row as `| c1 | … | cN |` and the next row's opening bar follows at
    once, so rows are separated by one empty slot; but an empty cell is an empty slot too, and
    a header row with spanning cells, or a row whose leading cells are merged into the row
    above, has fewer cells. No single column count reads that, so the rows are chosen by least
    cost: opening a table costs 3, a row as wide as its table 0, a narrower row 0.5 (0.25 more
    when its last cell is empty, as the cells a merge takes are the leading ones, and 0.5 more
    when its first is), a stray empty slot 1
    and a lone slot outside any table 2. Each row earns 0.3, so that two rows are not read as
    one row twice as wide; and a narrow first row (a header with spanning cells) costs 2 more
    unless the second row is narrow too (the sub-header under the spanning cells).
    """
    n = len(slots)
    empty = [not any(line.strip() for line in slot) for slot in slots]
    # a state is (table width, whether the table opened with a narrow row just before)
    states = [(0, False)] + [(w, h) for w in _likely_widths(empty) for h in (False, True)]
    index = {state: si for si, state in enumerate(states)}
    top = max(w for w, _ in states)
    inf = float("inf")
    cost = [[inf] * len(states) for _ in range(n + 1)]
    step: list[list[tuple]] = [[()] * len(states) for _ in range(n + 1)]
    cost[n] = [0.0] * len(states)
    next_filled = [n] * (n + 1)
    for i in range(n - 1, -1, -1):
        next_filled[i] = next_filled[i + 1] if empty[i] else i
    for i in range(n - 1, -1, -1):
        # a row starting at i ends where a gap (an empty slot, or the end) follows its k cells
        ends = [
            (k, min(i + k + 1, n), _NARROW_ROW * (1 + 0.5 * empty[i + k - 1] + empty[i]))
            for k in range(max(1, next_filled[i] - i + 1), min(top, n - i) + 1)
            if i + k == n or empty[i + k]
        ]
        opened, open_choice = inf, ()
        for width, _ in states[1::2]:
            for k, nxt, narrow in ends:
                if k <= width:
                    sj = index[(width, k < width)]
                    c = _OPEN_TABLE + (narrow if k < width else 0) - _ROW_REWARD + cost[nxt][sj]
                    if c < opened:
                        opened, open_choice = c, ("open", sj, k)
        for si, (width, after_narrow_open) in enumerate(states):
            if empty[i]:
                best, choice = 1 + cost[i + 1][si], ("skip", si)
            else:
                best, choice = 2 + cost[i + 1][0], ("lone", 0)
            for k, nxt, narrow in ends:
                if k <= width:
                    c = (narrow if k < width else _LONE_NARROW_HEADER * after_narrow_open) - _ROW_REWARD
                    c += cost[nxt][index[(width, False)]]
                    if c < best:
                        best, choice = c, ("row", index[(width, False)], k)
            if opened < best:
                best, choice = opened, open_choice
            cost[i][si], step[i][si] = best, choice
    rows: list[_GridRow] = []
    i, si = 0, 0
    while i < n:
        kind, si, *rest = step[i][si]
        if kind == "skip":
            i += 1
        elif kind == "lone":
            rows.append(_GridRow(i, i + 1, None))
            i += 1
        else:
            k = rest[0]
            rows.append(_GridRow(i, i + k, states[si][0], opens_table=kind == "open"))
            i = min(i + k + 1, n)
    return rows


_LONE_NARROW_HEADER = 2.0
_OPEN_TABLE, _NARROW_ROW, _ROW_REWARD = 3.0, 0.5, 0.3


def _likely_widths(empty: list[bool]) -> list[int]:
    """Column counts worth trying: lengths of runs that start after a gap and end at one."""
    counts: dict[int, int] = {}
    n = len(empty)
    for i in range(n):
        if empty[i] or (i and not empty[i - 1]):
            continue
        for k in range(2, min(_MAX_COLUMNS, n - i) + 1):
            if i + k == n or empty[i + k]:
                counts[k] = counts.get(k, 0) + 1
    likely = sorted((k for k, c in counts.items() if c >= 2), key=lambda k: -counts[k])
    return sorted(likely[:_WIDTHS_TRIED])


_WIDTHS_TRIED = 6


_NUMBER_CELL = regex.compile(r"[-+≥≤<>~≈]?\s*[\d.,]+\s*%?")
_ORDINAL_CELL = regex.compile(r"(?:[IVXLC]+|\d{1,3}|[A-Za-zđ])(?:\.\d{1,3})*[.)]?")


def _cell_kind(lines: list[str]) -> str:
    text = " ".join(_visible(line) for line in lines).strip()
    if not text:
        return "empty"
    if _ORDINAL_CELL.fullmatch(text):
        return "ordinal"
    if _NUMBER_CELL.fullmatch(text):
        return "number"
    return "text"


def _row_columns(
    table: TableLayout, cells: list[list[str]], full_row_kinds: list[str] | None, out: _Builder
) -> list[int | None]:
    """Grid columns of a row's cells. A full row fills them all. A narrower row before the
    table's first full row is a header row whose spanning cells the rendering does not show
    (None: the table reader resolves them). A narrower row later lost cells merged into the row
    above, or spans several columns: a row that opens with a number is placed at the left,
    another where its cells' kinds (ordinal, number, text, empty) best match the last full row,
    rightmost on a tie; a warning says so."""
    k, width = len(cells), table.width
    if k == width:
        return list(range(width))
    if full_row_kinds is None:
        return [None] * k
    mine = [_cell_kind(c) for c in cells]
    offset = 0 if mine[0] == "ordinal" else max(  # a numbered row opens at the left: a group row
        range(width - k + 1),
        key=lambda o: (sum(m == full_row_kinds[o + j] for j, m in enumerate(mine)), o),
    )
    out.warnings.append(
        f"table row {len(table.rows) + 1} has {k} of {width} cells; placed at columns"
        f" {offset + 1}-{offset + k} by what they hold"
    )
    return [offset + j for j in range(k)]


def _emit_row(
    cells: list[list[str]], out: _Builder, table: TableLayout | None = None, columns: list[int | None] | None = None
) -> None:
    after_appendix = False
    laid: list[LayoutCell] = []
    for j, cell_lines in enumerate(cells):
        # An appendix heading never lives in a table: where the converter has run the signature
        # table and the appendix into one grid, the heading cell gets a line of its own.
        opens_appendix = bool(cell_lines) and bool(_APPENDIX_CELL.match(_visible(cell_lines[0])))
        if j and (opens_appendix or after_appendix):
            if table is not None:
                out.table_row(table, laid)
                table = None
            out.newline()
        after_appendix = opens_appendix
        start = out.cell(0 if out.last == "\n" else j)
        state = _Emphasis()
        for line in cell_lines:
            state.add_inline(_HEADING_HASHES.sub("", line), out)
            out.add(" ")
        laid.append(LayoutCell(start, out.length, columns[j] if columns else j))
    if table is not None:
        out.table_row(table, laid)
    else:
        out.newline()


_APPENDIX_CELL = regex.compile(r"^\W*PHỤ LỤC(?:\s+(?:[IVXLC]+|\d{1,2}))?\b")


class _Emphasis:
    """Tracks `**bold**` across the physical lines of one paragraph; single `*` marks vanish."""

    def __init__(self) -> None:
        self.bold = False

    def add_inline(self, line: str, out: _Builder) -> None:
        if "**" not in line and "__" not in line:  # most lines: no bold run to split at
            piece = line.replace("*", "")
            if piece:
                out.add(piece, bold=self.bold)
            return
        for piece in _BOLD_MARK.split(line):
            if piece in ("**", "__"):
                self.bold = not self.bold
                continue
            piece = piece.replace("*", "")
            if piece:
                out.add(piece, bold=self.bold)


# --- HTML -------------------------------------------------------------------------------

_DROP_TAGS = {
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
    "head", "nav", "aside", "form", "button", "select", "input", "textarea", "header", "footer",
}
_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
    "li", "dl", "dt", "dd", "blockquote", "pre", "table", "thead", "tbody", "tfoot", "tr",
    "center", "figure", "figcaption", "address", "hr",
}
_CHROME = regex.compile(
    r"(?:^|[-_\s])(?:menu|navbar|nav|breadcrumbs?|sidebar|footer|social|share|comments?|"
    r"related|advert|ads|banner|cookie|popup|login)(?:$|[-_\s])",
    regex.I,
)
# Page chrome a browser still shows when its element is never closed: html.parser (as a browser)
# puts the rest of the page inside it, so dropping it would drop the plan.
_LAYOUT_CHROME = ("nav", "header", "footer", "aside")
_DOCTYPE_SUBSET = regex.compile(r"\A\s*(?:<\?xml[^>]*>\s*)?<!DOCTYPE[^>\[]*\[[^\]]*\]\s*>", regex.I)
_BOLD_STYLE = regex.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)", regex.I)


def _html_to_text(html: str) -> NormalizedText:
    # html.parser ends a DOCTYPE at its first ">", so an internal subset's tail ("]>") would be text
    html = _DOCTYPE_SUBSET.sub("", html, count=1)
    from bs4 import BeautifulSoup  # imported for HTML only: a tenth of a second of a cold start

    soup = BeautifulSoup(html, "html.parser")
    out = _Builder()
    unclosed = _unclosed_layout_chrome(html)
    for name in unclosed:
        out.warnings.append(f"an unclosed <{name}> holds the rest of the page: its text is read, not dropped as page chrome")
    _walk_html(soup, out, bold=False, keep=frozenset(unclosed))
    if out.bidi_controls:
        out.warnings.append(_bidi_warning(out.bidi_controls))
    return out.result()


def _unclosed_layout_chrome(html: str) -> list[str]:
    """The layout-chrome elements opened more often than closed in the page."""
    return [name for name in _LAYOUT_CHROME
            if len(regex.findall(rf"<{name}(?![\w-])", html, regex.I)) > len(regex.findall(rf"</{name}\s*>", html, regex.I))]


def _is_chrome(tag: Tag, keep: frozenset[str] = frozenset()) -> bool:
    if tag.name in keep:
        return False
    if tag.name in _DROP_TAGS or tag.get("role") in ("navigation", "banner", "contentinfo"):
        return True
    if tag.get("hidden") is not None or regex.search(r"display\s*:\s*none", tag.get("style") or ""):
        return True
    names = " ".join(tag.get("class") or []) + " " + (tag.get("id") or "")
    return bool(_CHROME.search(names))


@dataclass
class _Open:
    """An element being walked: its remaining children, whether it is bold, its list items so far."""

    children: Iterator
    bold: bool
    name: str | None
    items: int = 0


def _walk_html(node: Tag, out: _Builder, bold: bool, keep: frozenset[str] = frozenset()) -> None:
    """Visible text of node's subtree, with a stack instead of recursion: pages nest elements
    thousands deep. Elements named in `keep` are read even where they would be page chrome."""
    from bs4 import NavigableString, Tag
    from bs4.element import PreformattedString

    stack = [_Open(iter(node.children), bold, node.name)]
    while stack:
        top = stack[-1]
        child = next(top.children, None)
        if child is None:
            stack.pop()
            if len(stack) and top.name in _BLOCK_TAGS:
                out.newline(blank=top.name in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "table"))
            continue
        if isinstance(child, PreformattedString):  # comments, CDATA, doctype, <?…?>: nothing a reader sees
            continue
        if isinstance(child, NavigableString):
            out.add(str(child), bold=top.bold)
            continue
        if not isinstance(child, Tag):
            continue
        if child.name == "li":
            top.items += 1
        if _is_chrome(child, keep):
            continue
        name = child.name
        if name == "br":
            out.newline()
            continue
        if name == "table":
            _html_table(child, out)
            continue
        child_bold = top.bold or name in ("b", "strong") or bool(_BOLD_STYLE.search(child.get("style") or ""))
        if name in _BLOCK_TAGS:
            out.newline()
        if name == "li":
            out.add(f"{top.items}. " if top.name == "ol" else "- ")
        stack.append(_Open(iter(child.children), child_bold, name))


def _html_table(table: Tag, out: _Builder) -> None:
    """One line per `<tr>`, its written cells joined by " | "; the layout keeps each cell's grid
    column with rowspan and colspan honoured, so that merged cells can be carried down."""
    out.newline()
    rows = [_own(tr, ("td", "th"), "tr") for tr in _own(table, ("tr",), "table")]
    spans = _table_spans(rows)
    placed = _place_cells(spans, len(rows))
    if placed is None:
        out.warnings.append(f"table at offset {out.length}: its merged cells would make a grid far larger"
                            " than the cells it has; rowspan and colspan are ignored")
        spans = [[(1, 1)] * len(cells) for cells in rows]
        placed = _place_cells(spans, len(rows))
    if placed is None:  # rows so ragged that even unmerged the grid is mostly empty
        out.warnings.append(f"table at offset {out.length}: too ragged to read as a table; its rows are kept as text")
        placed = [[None] * len(cells) for cells in rows], 0
    layout = TableLayout(placed[1])
    for cells, row_spans, columns in zip(rows, spans, placed[0]):
        laid: list[LayoutCell] = []
        for j, (cell, (colspan, rowspan), column) in enumerate(zip(cells, row_spans, columns)):
            start = out.cell(j)
            inner = _Builder()
            _walk_html(cell, inner, bold=False)
            out.add(inner.result().text.replace("\n", " ").strip(), bold=False)
            out.warnings += inner.warnings  # a table nested in the cell
            out.bidi_controls += inner.bidi_controls
            laid.append(LayoutCell(start, out.length, column, colspan, rowspan))
        if laid:
            out.table_row(layout, laid)
    if layout.rows and layout.width:
        out.tables.append(layout)
    out.newline(blank=True)


# A table's grid (rows × columns) may hold this many positions, or this many per written cell
# if more: real tables merge a few cells, while rowspan=1000 colspan=1000 on every cell of a
# small table would make a grid of millions.
_GRID_POSITIONS_MIN = 100_000
_GRID_POSITIONS_PER_CELL = 4


def _table_spans(rows: list[list[Tag]]) -> list[list[tuple[int, int]]]:
    """Each cell's (colspan, rowspan), clipped to the table: a rowspan to the rows below it, a
    colspan to the widest row's cell count (no real column is left without a cell of its own)."""
    widest = max((len(cells) for cells in rows), default=0)
    return [
        [(min(_span(cell, "colspan"), widest), min(_span(cell, "rowspan"), len(rows) - r)) for cell in cells]
        for r, cells in enumerate(rows)
    ]


def _place_cells(spans: list[list[tuple[int, int]]], height: int) -> tuple[list[list[int | None]], int] | None:
    """Each cell's grid column and the grid's width, cells skipping the positions a rowspan
    above has taken; None when the grid would exceed its bound. Work is bounded by the grid's
    positions, which the bound keeps linear in the number of cells."""
    cells = sum(len(row) for row in spans)
    limit = max(_GRID_POSITIONS_MIN, _GRID_POSITIONS_PER_CELL * cells) // max(height, 1)
    taken_until: list[int] = []  # per column: the last row a rowspan from above covers
    columns: list[list[int | None]] = []
    width = 0
    for r, row in enumerate(spans):
        placed: list[int | None] = []
        column = 0
        for colspan, rowspan in row:
            while column < len(taken_until) and taken_until[column] >= r:
                column += 1
            if column + colspan > limit:
                return None
            if rowspan > 1:
                taken_until.extend([-1] * (column + colspan - len(taken_until)))
                taken_until[column : column + colspan] = [r + rowspan - 1] * colspan
            placed.append(column)
            column += colspan
        width = max(width, column)
        columns.append(placed)
    return columns, max(width, len(taken_until))


def _span(cell: Tag, name: str) -> int:
    try:
        return max(1, min(int(str(cell.get(name) or 1).strip()), 1000))
    except ValueError:
        return 1


def _own(node: Tag, names: tuple[str, ...], owner: str) -> list[Tag]:
    """The descendants of node named `names` whose nearest `owner` ancestor is node (the rows
    of a table, the cells of a row), in document order, without a walk into a nested owner:
    one pass over the subtree, where find_all with a parent check per match would make nested
    tables cost the square of their depth."""
    from bs4 import Tag

    found: list[Tag] = []
    stack = list(reversed(node.contents))
    while stack:
        child = stack.pop()
        if not isinstance(child, Tag):
            continue
        if child.name in names:
            found.append(child)
        if child.name != owner:
            stack.extend(reversed(child.contents))
    return found
