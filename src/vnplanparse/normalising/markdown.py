"""Markdown to plain lines: paragraphs, headings, emphasis kept as bold runs, escapes, and runs of
table cells laid out as rows."""

from __future__ import annotations

from functools import cache

import regex

from .. import grammar
from .grids import _cell_kind, _grid_rows, _row_columns
from .layout import (
    LayoutCell,
    NormalizedText,
    TableLayout,
    _Builder,
    _PIPE_ROW,
    _PIPE_RULE,
    _line_text_cells,
    _visible,
)

_BOLD_MARK = regex.compile(r"(\*\*|__)")

_IMAGE = regex.compile(r"!\[[^\]\n]*\]\([^)\s]*(?:\s+\"[^\"\n]*\")?\)")

_LINK = regex.compile(r"\[([^\]\n]*)\]\([^)\s]*(?:\s+\"[^\"\n]*\")?\)")

_RULE_LINE = regex.compile(r"^\s*[-=_*~]{3,}\s*$")

_BAR_LINE = regex.compile(r"^\s*\|\s*$")

_HEADING_HASHES = regex.compile(r"^\s*#{1,6}\s*")


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
    for j in (i - 1, i + 1):  # "|" in first: most lines hold none, and every short line asks
        if 0 <= j < len(lines) and "|" in lines[j] and _BAR_LINE.match(lines[j]):
            return True
    return False


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


# cells between `|` lines that no table takes; fewer are a signature block's or a header's
_UNLAID_CELLS_WARNED = 4


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
