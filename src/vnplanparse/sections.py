"""Segment: the numbered section tree of a plan, with ids as marker paths and spans.

Markers are recognised by shape at the start of a line (grammars/headings.yaml); nesting is
learned from the order a document uses its marker kinds: a kind already open closes back to
that level, a new kind opens a child. Inline ordinals "(1) … (2) …" are sections too, but only
when they run in sequence from (1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import regex

from . import grammar
from .model import Section
from .normalize import MARKER_ONLY, NormalizedText

TITLE_MAX = 200
_TABLE_ROW = " | "


@dataclass
class _Node:
    kind: str
    value: str | None
    marker: str
    start: int  # offset of the marker
    body: int  # offset just after the marker
    line_end: int
    end: int = -1
    id: str = ""
    level: int = 1
    title: str | None = None
    inline: bool = False
    children: list[_Node] = field(default_factory=list)
    parent: _Node | None = None


@cache
def _markers() -> list[tuple[str, regex.Pattern[str]]]:
    return [(m["kind"], regex.compile(m["pattern"])) for m in grammar.load("headings")["markers"]]


@cache
def _abbreviation_re() -> regex.Pattern[str]:
    words = grammar.load("headings")["abbreviations"]
    return regex.compile(r"(?:" + grammar.alternation(words) + r")$")


def match_marker(line: str) -> tuple[str, str | None, int] | None:
    """(kind, value, length of marker incl. following spaces) of a heading line, or None."""
    for kind, pattern in _markers():
        m = pattern.match(line)
        if m:
            if kind == "roman" and not m.group("value"):
                continue
            return kind, m.group("value"), m.end()
    return None


@dataclass
class Segmentation:
    sections: list[Section]
    body_start: int  # where the first section opens (the text before it is header and preamble)
    closing_zones: list[tuple[int, int]]  # recipients and signature blocks: no content there


def segment(norm: NormalizedText) -> Segmentation:
    """The section forest, where the body starts, and the closing blocks it excludes."""
    text = norm.text
    nodes = _line_nodes(text)
    zones = _closing_zones(text, nodes)
    nodes = [n for n in nodes if not _in_zones(n.start, zones)]
    nodes += _inline_ordinals(text, zones)
    nodes.sort(key=lambda n: n.start)
    roots = _build_tree(nodes)
    _set_ends(roots, text, zones)
    bold = sorted(norm.bold_spans)
    for node in _walk(roots):
        node.title = _title(text, node, bold)
    body_start = nodes[0].start if nodes else len(text)
    return Segmentation([_to_model(n) for n in roots], body_start, zones)


def _line_nodes(text: str) -> list[_Node]:
    nodes: list[_Node] = []
    attached = grammar.compiled("headings", "attached_title")
    pos = 0
    lines = text.split("\n")
    for i, line in enumerate(lines):
        start, line_end = pos, pos + len(line)
        pos = line_end + 1
        stripped = line.lstrip()
        offset = start + len(line) - len(stripped)
        if not stripped or _TABLE_ROW in stripped:
            continue
        if attached.match(stripped) and any(n.kind == "dieu" for n in nodes):
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
            continue
        kind, value, length = found
        marker = stripped[:length].rstrip()
        nodes.append(_Node(kind, value, marker, offset, offset + length, line_end))
    return nodes


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
            end = next((r for r in reopen if r > m.start()), len(text))
            zones.append((m.start(), end))
    return zones


def _in_zones(offset: int, zones: list[tuple[int, int]]) -> bool:
    return any(start <= offset < end for start, end in zones)


def _inline_ordinals(text: str, zones: list[tuple[int, int]]) -> list[_Node]:
    """Ordinals (1), (2), … that run in sequence; a lone "(1)" is a footnote or citation."""
    pattern = grammar.compiled("headings", "ordinal")
    found: list[_Node] = []
    run: list[_Node] = []

    def close_run() -> None:
        if len(run) >= 2:
            found.extend(run)
        run.clear()

    for m in pattern.finditer(text):
        if _in_zones(m.start(), zones):
            continue
        n = int(m.group("value"))
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        if _TABLE_ROW in text[line_start:line_end]:
            continue
        at_line_start = not text[line_start : m.start()].strip(" *")
        after = m.end() + len(text[m.end() : line_end]) - len(text[m.end() : line_end].lstrip())
        node = _Node("ordinal", str(n), m.group(0), m.start(), after, line_end, inline=not at_line_start)
        if run and n == int(run[-1].value or 0) + 1 and m.start() - run[-1].start < 5000:
            run.append(node)
        elif n == 1:
            close_run()
            run.append(node)
    close_run()
    return found


def _build_tree(nodes: list[_Node]) -> list[_Node]:
    roots: list[_Node] = []
    stack: list[_Node] = []
    for node in nodes:
        if node.kind == "attached":
            stack = []
            continue
        if node.kind in ("dieu", "appendix"):
            stack = []
        elif node.kind == "ordinal" and node.inline:
            _attach(node, stack[-1] if stack else None, roots)
            if any(s.kind == "ordinal" for s in stack):
                stack = stack[: [s.kind for s in stack].index("ordinal")]
            continue
        else:
            _reinterpret_roman_letter(node, stack)
            kinds = [s.kind for s in stack]
            if node.kind in kinds:
                stack = stack[: kinds.index(node.kind)]
        _attach(node, stack[-1] if stack else None, roots)
        stack.append(node)
    return roots


def _reinterpret_roman_letter(node: _Node, stack: list[_Node]) -> None:
    """"C." after "B." is a letter, not Roman 100: continue the kind whose next value it is."""
    if node.kind != "roman" or len(node.value or "") != 1:
        return
    for open_node in reversed(stack):
        if open_node.kind == "upper_letter" and open_node.value:
            if ord(node.value) == ord(open_node.value) + 1:
                node.kind = "upper_letter"
            return


def _attach(node: _Node, parent: _Node | None, roots: list[_Node]) -> None:
    node.parent = parent
    siblings = parent.children if parent else roots
    node.level = parent.level + 1 if parent else 1
    component = _id_component(node, siblings)
    node.id = f"{parent.id}.{component}" if parent else component
    siblings.append(node)


def _id_component(node: _Node, siblings: list[_Node]) -> str:
    if node.kind == "dieu":
        return f"Điều-{node.value}"
    if node.kind == "appendix":
        return f"PL-{node.value}" if node.value else "PL"
    if node.kind in ("dash", "plus"):
        return f"-{1 + sum(1 for s in siblings if s.kind == node.kind)}"
    if node.kind == "ordinal":
        return f"({node.value})"
    if node.kind == "decimal":
        return (node.value or "").split(".")[-1]
    return node.value or node.marker


def _walk(nodes: list[_Node]):
    for n in nodes:
        yield n
        yield from _walk(n.children)


def _set_ends(roots: list[_Node], text: str, zones: list[tuple[int, int]]) -> None:
    flat = list(_walk(roots))
    flat.sort(key=lambda n: n.start)
    for i, node in enumerate(flat):
        end = next((start for start, _ in zones if start > node.start), len(text))
        for later in flat[i + 1 :]:
            if later.level <= node.level and not (later.inline and later.parent is not node.parent):
                end = min(end, later.start)
                break
        if node.inline:
            nxt = [s.start for s in (node.parent.children if node.parent else roots) if s.start > node.start]
            end = min(nxt[0] if nxt and nxt[0] <= node.line_end else node.line_end, end)
        node.end = max(end, node.body)
    for node in flat:  # a parent spans at least its children
        if node.children:
            node.end = max(node.end, max(c.end for c in node.children))


def _title(text: str, node: _Node, bold: list[tuple[int, int]]) -> str | None:
    line_end = node.line_end
    if node.inline:
        line_end = min(line_end, node.end)
    for start, end in bold:
        if start > node.body + 1:
            break
        if end > node.body and start <= node.body + 1:
            title = text[node.body : min(end, line_end)].strip().rstrip(":.").strip()
            if title:
                return title[:TITLE_MAX].rstrip()
    rest = text[node.body : line_end]
    cut = _sentence_end(rest)
    title = rest[:cut].strip()
    title = title.rstrip(":;").strip()
    return title[:TITLE_MAX].rstrip() or None


def _sentence_end(s: str) -> int:
    abbreviations = _abbreviation_re()
    for m in regex.finditer(r"[.:!?](?=\s|$)", s):
        if m.group() == "." and abbreviations.search(s[: m.end()]):
            continue
        return m.start()
    return len(s)


def _to_model(node: _Node) -> Section:
    return Section(
        id=node.id,
        marker=node.marker,
        level=node.level,
        title=node.title,
        span=(node.start, node.end),
        children=[_to_model(c) for c in node.children],
    )


def flatten(sections: list[Section]) -> list[Section]:
    out: list[Section] = []
    for s in sections:
        out.append(s)
        out.extend(flatten(s.children))
    return out
