"""The normalised text and its layout: NormalizedText, the tables' cells, the builder every rendering
writes lines through, and pipe or tab rows read as cells."""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

# Embeddings, overrides and isolates (U+202A-202E, U+2066-2069) reorder how text displays:
# "50%" can show as "%05". They carry no meaning in a plan, so they go (with a warning).
_BIDI_CONTROLS = regex.compile(r"[\u202a-\u202e\u2066-\u2069]")

_SPACE_RUN = regex.compile(r"(\s+)")


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
    # a Markdown pipe table or a plain-text one: a row is written without the cells merged into
    # the row above (HTML says where merged cells are, so its short rows are short)
    short_rows_merged: bool = False
    # plain text: cells are written left to right and nothing says which columns a header cell
    # spans (a PDF's text layer, rows joined by " | ")
    plain: bool = False


@dataclass
class NormalizedText:
    text: str
    bold_spans: list[tuple[int, int]] = field(default_factory=list)
    tables: list[TableLayout] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _bidi_warning(count: int) -> str:
    return f"{count} bidirectional control character(s) removed: they change the order in which text displays"


_PIPE_ROW = regex.compile(r"^\s*\|.*\|.*\S")

_PIPE_RULE = regex.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")

_TAB_ROW = regex.compile(r"\S\t+\S")


def _line_tables(text: str, laid_rows: dict[int, list[tuple[int, int]]] | None = None) -> list[TableLayout]:
    """Tables written one row per line in plain text: Markdown pipe rows (`| a | b |`), tab-
    separated cells, or rows already joined by " | ". The text stays as it is; the layout
    points into it. Two such lines in a row at least make a table. `laid_rows`: line index ->
    the spans of its cells in the line, for rows whose cells are known (tab rows written as
    " | " rows, an empty first cell and all)."""
    tables: list[TableLayout] = []
    run: list[list[LayoutCell]] = []
    opened_by_bar: list[bool] = []  # each row's line opens with "|"
    pos = 0
    laid_rows = laid_rows or {}
    for i, line in enumerate(text.split("\n") + [""]):
        start, pos = pos, pos + len(line) + 1
        if _PIPE_RULE.match(line) and "-" in line and run:
            continue
        if i in laid_rows:
            run.append([LayoutCell(start + a, start + b, j) for j, (a, b) in enumerate(laid_rows[i])])
            opened_by_bar.append(False)
            continue
        cells = _line_cells(line, start)
        if cells:
            run.append(cells)
            opened_by_bar.append(line.lstrip().startswith("|") and not line.rstrip().endswith("|"))
            continue
        if len(run) >= 2:
            if not all(opened_by_bar):
                _with_empty_first_cells(run, opened_by_bar)
            # plain text writes no merged cell: a row leaves the cells it shares with the row
            # above empty (a tab row's trailing ones are lost with the line's end)
            tables.append(TableLayout(max(len(r) for r in run), run, short_rows_merged=True, plain=True))
        run, opened_by_bar = [], []
    return tables


def _with_empty_first_cells(run: list[list[LayoutCell]], opened_by_bar: list[bool]) -> None:
    """Rows joined by " | " write an empty first cell as a line opening with the separator ("| -
    Nông nghiệp | % | 33" under "2 | Cơ cấu kinh tế | % | …"): the row's cells start a column on."""
    for row, opened in zip(run, opened_by_bar):
        if opened:
            for c in row:
                c.column = (c.column or 0) + 1
            row.insert(0, LayoutCell(row[0].start, row[0].start, 0))


def _line_text_cells(line: str) -> list[str]:
    return [line[c.start : c.end] for c in _line_cells(line, 0)]


def _line_cells(line: str, start: int) -> list[LayoutCell]:
    if _PIPE_ROW.match(line):
        separator, first = regex.compile(r"\|"), line.index("|") + 1
        last = line.rindex("|") if line.rstrip().endswith("|") else len(line)
    elif _TAB_ROW.search(line):
        separator, first, last = regex.compile(r"\t"), 0, len(line)
    elif " | " in line:
        separator, first, last = regex.compile(r" \|(?= |$)"), 0, len(line)
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


# str.isspace() holds for these and \s does not match them: where they stand, text is cut the slow way
_INFORMATION_SEPARATOR = regex.compile(r"[\x1c-\x1f]")


def _words_and_spaces(text: str) -> tuple[list[str], bool, bool]:
    """The words of text between the pattern's space runs, and whether a space run comes before
    the first word (or text is all space) and after the last."""
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
    return words, space_before, space_after


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
        if not _INFORMATION_SEPARATOR.search(text):
            # str.split() cuts where the pattern's \s does but for these four, and much faster
            words = text.split()
            space_before = text[:1].isspace()
            space_after = bool(words) and text[-1].isspace()
        else:
            words, space_before, space_after = _words_and_spaces(text)
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


def _visible(line: str) -> str:
    return line.replace("*", "").strip()
