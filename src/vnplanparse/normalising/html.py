"""HTML to plain lines: page chrome dropped, blocks and bold kept, tables placed on a grid of their
spans."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import regex

from .layout import LayoutCell, NormalizedText, TableLayout, _Builder, _bidi_warning

if TYPE_CHECKING:  # bs4 is imported where HTML is read: a tenth of a second of every cold start
    from bs4 import Tag


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
