"""Heading lines: which lines open a section (quoted blocks, questions, interviews and comma runs
set aside), including ordinals inline in a paragraph."""

from __future__ import annotations

from bisect import bisect_right

import regex

from . import documents
from .. import grammar
from ..normalising.markdown import MARKER_ONLY
from .markers import _Node, _TABLE_ROW, in_zones, match_marker


def _quoted_blocks(text: str, own_key: str) -> list[tuple[int, int]]:
    lines = list(regex.finditer(r"(?m)^.*$", text))
    starts = [i for i, m in enumerate(lines) if _is_question_heading(m.group().strip())]
    provision = grammar.compiled("headings", "quoted_provision")
    blocks: list[tuple[int, int]] = []
    for k, i in enumerate(starts):
        end = lines[starts[k + 1]].start() if k + 1 < len(starts) else len(text)
        j = i + 1
        while j < len(lines) and not lines[j].group().strip():
            j += 1
        lead = lines[j] if j < len(lines) else None
        if lead is None or lead.start() >= end or not lead.group().rstrip().endswith(":"):
            continue
        cited = provision.search(lead.group())
        number = cited and documents.number_re().search(lead.group(), cited.end())
        if number and documents.number_key(number.group()) != own_key:
            blocks.append((lead.start(), end))
    return blocks


def _merged_zones(zones: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(zones):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


_QUESTION_MAX = 300


def _is_question_heading(line: str) -> bool:
    """A line of its own that asks a question: a Q&A portal's or an article's subhead. A
    heading marker before it makes it a numbered heading instead."""
    return line.endswith("?") and len(line) <= _QUESTION_MAX and match_marker(line) is None


def _line_nodes(text: str) -> list[_Node]:
    nodes: list[_Node] = []
    attached = grammar.compiled("headings", "attached_title")
    pos = 0
    lines = text.split("\n")
    seen_dieu = False
    for i, line in enumerate(lines):
        start, line_end = pos, pos + len(line)
        pos = line_end + 1
        stripped = line.lstrip()
        offset = start + len(line) - len(stripped)
        if not stripped or _TABLE_ROW in stripped:
            continue
        if attached.match(stripped) and seen_dieu:
            nodes.append(_Node("attached", None, "", offset, offset, line_end))
            continue
        found = match_marker(stripped)
        if not found and MARKER_ONLY.match(stripped.rstrip()) and i + 1 < len(lines):
            # "1." alone on its line: the heading text is the next line
            found = match_marker(stripped.rstrip() + " x")
            if found:
                kind, value, _ = found
                marker = stripped.rstrip()
                nodes.append(_Node(kind, value, marker, offset, pos, pos + len(lines[i + 1])))
            continue
        if not found:
            if _is_question_heading(stripped.rstrip()):
                nodes.append(_Node("question", None, "", offset, offset, line_end))
            continue
        kind, value, length = found
        seen_dieu = seen_dieu or kind == "dieu"
        marker = stripped[:length].rstrip()
        node = _Node(kind, value, marker, offset, offset + length, line_end)
        node.after_open_line = i > 0 and _open_line(lines[i - 1])
        node.question = stripped.rstrip().endswith("?")
        nodes.append(node)
    if seen_dieu:  # "Mục 1" groups articles as "Chương I" does: no section of its own
        nodes = [n for n in nodes if n.kind != "muc"]
    return _without_interviews(_comma_runs(nodes))


_HEADING_LINE_MAX = 60


def _open_line(line: str) -> bool:
    """Whether a line breaks off mid-sentence (a hard wrap): no sentence end or closing bracket
    at its end, and text or a long list item (a heading's own short title has no period)."""
    line = line.strip()
    if not line or regex.search(r"[.;:!?…)\]\"”*]$", line):
        return False
    return match_marker(line) is None or len(line) > _HEADING_LINE_MAX


def _comma_runs(nodes: list[_Node]) -> list[_Node]:
    """Items numbered "1, 2, 3 …" with a comma for the period are Arabic items where they run
    in sequence from 1; a lone "3, …" is a wrapped line of text."""
    keep: set[int] = set()
    run: list[_Node] = []
    for node in nodes + [_Node("end", "0", "", 0, 0, 0)]:
        if node.kind != "arabic_comma" and node.kind != "end":
            continue
        if node.kind == "arabic_comma" and run and int(node.value) == int(run[-1].value) + 1:
            run.append(node)
            continue
        if len(run) >= 2:
            keep.update(id(n) for n in run)
        run = [node] if node.kind == "arabic_comma" and node.value == "1" else []
    for node in nodes:
        if id(node) in keep:
            node.kind = "arabic"
    return [n for n in nodes if n.kind != "arabic_comma"]


def _without_interviews(nodes: list[_Node]) -> list[_Node]:
    """An interview written as list items (the reporter's questions as one bullet, the answers
    as another) is no plan body: from the first question item on, the run of dash and plus
    items holds no sections. It takes two questions to tell an interview from one rhetorical
    item."""
    questions = [n for n in nodes if n.kind in ("dash", "plus") and n.question]
    if len(questions) < 2:
        return nodes
    out: list[_Node] = []
    dropping = False
    for node in nodes:
        if node.kind in ("dash", "plus"):
            dropping = dropping or node.question
            if dropping:
                continue
        elif node.kind != "question":
            dropping = False
        out.append(node)
    return out


def _closing_zones(text: str, nodes: list[_Node]) -> list[tuple[int, int]]:
    """(start, end) of each recipients-and-signature block; such blocks hold no sections.

    A block ends where an attached plan or an appendix opens the body again."""
    closing = grammar.compiled("headings", "closing")
    reopen = [n.start for n in nodes if n.kind in ("appendix", "attached")]
    first = nodes[0].start if nodes else len(text)
    zones: list[tuple[int, int]] = []
    for m in regex.finditer(r"(?m)^[ \t]*(.*)$", text):
        if m.start() <= first or (zones and m.start() < zones[-1][1]):
            continue
        if closing.match(m.group(1)):
            later = bisect_right(reopen, m.start())
            zones.append((m.start(), reopen[later] if later < len(reopen) else len(text)))
    return zones


def _inline_ordinals(text: str, zones: list[tuple[int, int]]) -> list[_Node]:
    """Ordinals (1), (2), … that run in sequence; a lone "(1)" is a footnote or citation."""
    pattern = grammar.compiled("headings", "ordinal")
    lines = _Lines(text)
    found: list[_Node] = []
    run: list[_Node] = []

    def close_run() -> None:
        if len(run) >= 2:
            found.extend(run)
        run.clear()

    for m in pattern.finditer(text):
        if in_zones(m.start(), zones):
            continue
        n = int(m.group("value"))
        line = lines.index(m.start())
        if lines.is_table_row(line):
            continue
        line_end = lines.end(line)
        at_line_start = m.start() <= lines.content_start(line)
        after = _skip_spaces(text, m.end(), line_end)
        node = _Node("ordinal", str(n), m.group(0), m.start(), after, line_end, inline=not at_line_start)
        if run and n == int(run[-1].value or 0) + 1 and m.start() - run[-1].start < 5000:
            run.append(node)
        elif n == 1:
            close_run()
            run.append(node)
    close_run()
    return found


class _Lines:
    """Line lookups by offset, each answered without rescanning the line: a paragraph may hold
    thousands of ordinals."""

    _CONTENT = regex.compile(r"[ *]*")

    def __init__(self, text: str):
        self.text = text
        self.starts = [0] + [m.end() for m in regex.finditer(r"\n", text)]
        self._table_rows: dict[int, bool] = {}
        self._content_starts: dict[int, int] = {}

    def index(self, offset: int) -> int:
        return bisect_right(self.starts, offset) - 1

    def end(self, line: int) -> int:
        return self.starts[line + 1] - 1 if line + 1 < len(self.starts) else len(self.text)

    def content_start(self, line: int) -> int:
        """Offset of the line's first character that is neither a space nor a bold mark."""
        if line not in self._content_starts:
            self._content_starts[line] = self._CONTENT.match(self.text, self.starts[line], self.end(line)).end()
        return self._content_starts[line]

    def is_table_row(self, line: int) -> bool:
        if line not in self._table_rows:
            self._table_rows[line] = _TABLE_ROW in self.text[self.starts[line] : self.end(line)]
        return self._table_rows[line]


def _skip_spaces(text: str, pos: int, end: int) -> int:
    while pos < end and text[pos].isspace():
        pos += 1
    return pos
