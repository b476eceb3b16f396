"""Tables' grids: a run of cells a web page flattened, cut back into rows of the most likely width."""

from __future__ import annotations

from dataclasses import dataclass

import regex

from .layout import TableLayout, _Builder, _visible


_MAX_COLUMNS = 24


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
    widths = [w for w, _ in states[1::2]]
    wide_states = [index[(w, False)] for w in widths]
    narrow_states = [index[(w, True)] for w in widths]
    for i in range(n - 1, -1, -1):
        # a row starting at i ends where a gap (an empty slot, or the end) follows its k cells
        ends = [
            (k, min(i + k + 1, n), _NARROW_ROW * (1 + 0.5 * empty[i + k - 1] + empty[i]))
            for k in range(max(1, next_filled[i] - i + 1), min(top, n - i) + 1)
            if i + k == n or empty[i + k]
        ]
        # Each width's rows are costed once for all the states of that width (the loop over
        # states below only adds what differs: a full row after a narrow opening row). `ends`
        # runs by k upward, so the first least row is the one the plain loop over k would keep.
        opened, open_choice = inf, ()
        rows_of_width = []
        for width, wide, narrowed in zip(widths, wide_states, narrow_states):
            narrow_best, narrow_k, full = inf, 0, None
            for k, nxt, narrow in ends:
                if k > width:
                    break
                cost_after = cost[nxt]
                if k < width:
                    c = _OPEN_TABLE + narrow - _ROW_REWARD + cost_after[narrowed]
                    if c < opened:
                        opened, open_choice = c, ("open", narrowed, k)
                    c = narrow - _ROW_REWARD
                    c += cost_after[wide]
                    if c < narrow_best:
                        narrow_best, narrow_k = c, k
                else:
                    c = _OPEN_TABLE + 0 - _ROW_REWARD + cost_after[wide]
                    if c < opened:
                        opened, open_choice = c, ("open", wide, k)
                    full = (k, cost_after[wide])
            rows_of_width.append((wide, narrow_best, narrow_k, full))
        cost_here, step_here, cost_next = cost[i], step[i], cost[i + 1]
        for si, (width, after_narrow_open) in enumerate(states):
            if empty[i]:
                best, choice = 1 + cost_next[si], ("skip", si)
            else:
                best, choice = 2 + cost_next[0], ("lone", 0)
            if si:
                wide, narrow_best, narrow_k, full = rows_of_width[(si - 1) // 2]
                if narrow_best < best:
                    best, choice = narrow_best, ("row", wide, narrow_k)
                if full is not None:
                    c = _LONE_NARROW_HEADER * after_narrow_open - _ROW_REWARD
                    c += full[1]
                    if c < best:
                        best, choice = c, ("row", wide, full[0])
            if opened < best:
                best, choice = opened, open_choice
            cost_here[si], step_here[si] = best, choice
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
