"""Segment: the numbered section tree of a plan, with ids as marker paths and spans.

Markers are recognised by shape at the start of a line (grammars/headings.yaml); nesting is
learned from the order a document uses its marker kinds: a kind already open closes back to
that level, a new kind opens a child. Inline ordinals "(1) … (2) …" are sections too, but only
when they run in sequence from (1)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, replace
from itertools import pairwise

import regex

from . import documents
from ..model.plan import Section
from ..normalising.layout import NormalizedText
from .headings import _closing_zones, _inline_ordinals, _line_nodes, _merged_zones, _quoted_blocks
from .markers import TITLE_MAX, _Node, _abbreviation_re, _longest_abbreviation, in_zones, match_marker

# Headings whose name may stand on the line under them ("PHỤ LỤC I" / "DANH MỤC …", "Phần II" / "NHIỆM VỤ").
_CAPTIONED = ("appendix", "part", "muc")


@dataclass
class Segmentation:
    sections: list[Section]
    body_start: int  # where the first section opens (the text before it is header and preamble)
    closing_zones: list[tuple[int, int]]  # recipients and signature blocks: no content there
    # The tree the extractors read for a figure's line, clause and time context: the published
    # one with the preamble's lists too, so that leaving those out of the tree reads no figure
    # differently (the pipeline moves each item's `section` over to the published tree).
    reading_sections: list[Section]


def segment(norm: NormalizedText, quoted: list[tuple[int, int]] = ()) -> Segmentation:
    """The section forest, where the body starts, and the closing blocks it excludes (with the
    `quoted` stretches, sorted and disjoint, that hold another document's text)."""
    text = norm.text
    nodes = _line_nodes(text)
    questions = [n.start for n in nodes if n.kind == "question"]
    nodes = [n for n in nodes if n.kind != "question"]
    zones = _merged_zones([*_closing_zones(text, nodes), *quoted])
    nodes = [n for n in nodes if not in_zones(n.start, zones)]
    nodes += _inline_ordinals(text, zones)
    nodes.sort(key=lambda n: n.start)
    bold = _BoldRuns(norm.bold_spans)
    reading = [_to_model(n) for n in _tree(text, nodes, zones, questions, bold)]
    body = _without_preamble_items(nodes)
    if len(body) == len(nodes):
        published = reading
    else:  # the nodes were nested into the reading tree: fresh ones for the published tree
        fresh = [replace(n, children=[], parent=None) for n in body]
        published = [_to_model(n) for n in _tree(text, fresh, zones, questions, bold)]
    body_start = nodes[0].start if nodes else len(text)
    return Segmentation(published, body_start, zones, reading)


def _tree(text: str, nodes: list[_Node], zones: list[tuple[int, int]], questions: list[int], bold: _BoldRuns) -> list[_Node]:
    roots = _build_tree(nodes, questions)
    _set_ends(roots, text, zones, questions)
    for node in _walk(roots):
        node.title = _title(text, node, bold)
        if node.kind in _CAPTIONED and node.title is None:
            node.title = _caption_under(text, node.line_end)
        elif node.title and _capitals(node.title, first=True):
            node.title = _wrapped_title(text, node)
    return roots


_UNNUMBERED = ("dash", "plus", "attached")


def _without_preamble_items(nodes: list[_Node]) -> list[_Node]:
    """Dash and plus items before the first numbered heading are the preamble's or the page's
    (the bases cited, a news page's list of related articles), not the body, which opens at its
    first numbered heading (ANNOTATION.md §2). A text whose only items are dashes keeps them,
    and so does one with a single number further on (a stray "1." of a wrapped line opens no
    body); an ordinal running inside a paragraph is no heading."""
    numbered = [i for i, n in enumerate(nodes) if n.kind not in _UNNUMBERED and not n.inline]
    if len(numbered) < 2:
        return nodes
    first = numbered[0]
    return [n for i, n in enumerate(nodes) if i >= first or n.kind not in ("dash", "plus")]


def without_quoted_blocks(segmentation: Segmentation, norm: NormalizedText, own_number: str | None) -> Segmentation:
    """The segmentation again without the blocks that quote another document's provisions.

    A legal portal's article answers questions under question headings ("Nhiệm vụ của … ra
    sao?"); a block whose lead-in quotes an article or clause of a document other than the
    plan's own ("Căn cứ tại Điều 3 Thông tư 49/2021/TT-BGDĐT quy định như sau:") is the
    portal's explainer, not the plan: its lists hold no sections and its figures no aims. Where
    the plan's number is unknown, nothing can be told apart and nothing is dropped."""
    if not own_number:
        return segmentation
    quoted = _quoted_blocks(norm.text, documents.number_key(own_number))
    if not quoted:
        return segmentation
    again = segment(norm, quoted)
    return Segmentation(again.sections, segmentation.body_start, again.closing_zones, again.reading_sections)


def _build_tree(nodes: list[_Node], questions: list[int]) -> list[_Node]:
    """Nests the nodes by the order of their kinds. A question heading (a Q&A article's subhead)
    closes every open section: the list under it is the article's, not the last item's."""
    roots: list[_Node] = []
    stack: list[_Node] = []
    counts: Counter[tuple[int, str]] = Counter()  # (siblings, kind or id component) -> how many so far
    previous = 0
    for node in nodes:
        if bisect_left(questions, node.start) > bisect_left(questions, previous):
            stack = []
        previous = node.start
        if node.kind == "attached":
            stack = []
            continue
        if _wrapped_number(node, stack):
            continue
        if node.kind in ("dieu", "appendix"):
            stack = []
        elif node.kind == "ordinal" and node.inline:
            _attach(node, stack[-1] if stack else None, roots, counts)
            if any(s.kind == "ordinal" for s in stack):
                stack = stack[: [s.kind for s in stack].index("ordinal")]
            continue
        else:
            _reinterpret_roman_letter(node, stack)
            kinds = [s.kind for s in stack]
            if node.kind in kinds:
                stack = stack[: kinds.index(node.kind)]
        _attach(node, stack[-1] if stack else None, roots, counts)
        stack.append(node)
    return roots


def _wrapped_number(node: _Node, stack: list[_Node]) -> bool:
    """A hard-wrapped line that happens to begin with a number ("… các địa bàn cấp độ" / "1. Cấp
    ngay …"): the line before breaks off mid-sentence and the number does not continue the
    numbering already open at its kind ("1." again under an open "1.")."""
    if not node.after_open_line or node.kind not in ("arabic", "decimal"):
        return False
    same = next((s for s in reversed(stack) if s.kind == node.kind), None)
    if same is None or not same.value or not node.value:
        return False
    mine, theirs = node.value.split("."), same.value.split(".")
    if len(mine) != len(theirs) or mine[:-1] != theirs[:-1]:
        return False
    return int(mine[-1]) != int(theirs[-1]) + 1


def _reinterpret_roman_letter(node: _Node, stack: list[_Node]) -> None:
    """"C." after "B." is a letter, not Roman 100: continue the kind whose next value it is."""
    if node.kind != "roman" or len(node.value or "") != 1:
        return
    for open_node in reversed(stack):
        if open_node.kind == "upper_letter" and open_node.value:
            if ord(node.value) == ord(open_node.value) + 1:
                node.kind = "upper_letter"
            return


def _attach(node: _Node, parent: _Node | None, roots: list[_Node], counts: Counter[tuple[int, str]]) -> None:
    node.parent = parent
    siblings = parent.children if parent else roots
    node.level = parent.level + 1 if parent else 1
    counts[id(siblings), node.kind] += 1
    component = _id_component(node, counts[id(siblings), node.kind])
    # ids are unique: a marker repeated among siblings (a second "V.") is "V#2", its children "V#2.1"
    counts[id(siblings), component] += 1
    if counts[id(siblings), component] > 1:
        component = f"{component}#{counts[id(siblings), component]}"
    node.id = f"{parent.id}.{component}" if parent else component
    siblings.append(node)


def _id_component(node: _Node, nth_of_kind: int) -> str:
    if node.kind == "dieu":
        return f"Điều-{node.value}"
    if node.kind == "appendix":
        return f"PL-{node.value}" if node.value else "PL"
    if node.kind in ("dash", "plus"):
        return f"-{nth_of_kind}"
    if node.kind == "ordinal":
        return f"({node.value})"
    if node.kind == "decimal":
        return (node.value or "").split(".")[-1]
    return node.value or node.marker


def _walk(nodes: list[_Node]):
    for n in nodes:
        yield n
        yield from _walk(n.children)


def _set_ends(roots: list[_Node], text: str, zones: list[tuple[int, int]], questions: list[int]) -> None:
    """A section ends where the next one at its level or above starts (an inline ordinal ends
    only its own siblings, and none later than its line), at the next closing block or
    question heading, or at the end of the text; a parent spans at least its children."""
    flat = list(_walk(roots))
    flat.sort(key=lambda n: n.start)
    zone_starts = sorted([start for start, _ in zones] + questions)
    closers = _closers(flat)
    # siblings are attached in text order and no two nodes share a start
    next_sibling = {id(a): b.start for siblings in [roots, *(n.children for n in flat)] for a, b in pairwise(siblings)}
    for node in flat:
        later_zone = bisect_right(zone_starts, node.start)
        end = zone_starts[later_zone] if later_zone < len(zone_starts) else len(text)
        closer = closers[id(node)]
        if closer is not None:
            end = min(end, closer.start)
        if node.inline:
            nxt = next_sibling.get(id(node))
            end = min(nxt if nxt is not None and nxt <= node.line_end else node.line_end, end)
        node.end = max(end, node.body)
    for node in reversed(flat):  # children first, so that a parent spans its whole subtree
        if node.children:
            node.end = max(node.end, max(c.end for c in node.children))


def _closers(flat: list[_Node]) -> dict[int, _Node | None]:
    """For each node (by id) of `flat` (in text order), the first later node that ends it: one
    at its level or above, except that an inline ordinal ends only its own siblings.

    One pass from the end. `stack` holds the later block nodes that can still be an answer:
    a node hides every one after it at its level or deeper, so levels rise from bottom to top
    and the stack is no deeper than the levels are many."""
    closers: dict[int, _Node | None] = {}
    stack: list[_Node] = []
    inline_child: dict[int, _Node] = {}  # id(parent) -> its nearest later inline ordinal
    for node in reversed(flat):
        found = next((later for later in reversed(stack) if later.level <= node.level), None)
        sibling = inline_child.get(id(node.parent))
        if sibling is not None and (found is None or sibling.start < found.start):
            found = sibling
        closers[id(node)] = found
        if node.inline:
            inline_child[id(node.parent)] = node
        else:
            while stack and stack[-1].level >= node.level:
                stack.pop()
            stack.append(node)
    return closers


class _BoldRuns:
    """Bold runs sorted, with the running maximum of their ends, so that the runs that reach
    past an offset are found by bisection rather than by a scan from the first."""

    def __init__(self, spans: list[tuple[int, int]]):
        self.spans = sorted(spans)
        self.reach: list[int] = []
        for _, end in self.spans:
            self.reach.append(max(end, self.reach[-1]) if self.reach else end)

    def around(self, offset: int):
        """Runs that open at or just after offset and end past it, in order."""
        for i in range(bisect_right(self.reach, offset), len(self.spans)):
            start, end = self.spans[i]
            if start > offset + 1:
                return
            if end > offset:
                yield start, end


def _title(text: str, node: _Node, bold: _BoldRuns) -> str | None:
    if node.inline:
        return None  # an ordinal running inside a paragraph numbers a clause; it heads nothing
    line_end = node.line_end
    for _, end in bold.around(node.body):
        title = text[node.body : min(end, line_end)].strip().rstrip(":.").strip()
        if title:
            return title[:TITLE_MAX].rstrip()
    rest = text[node.body : line_end]
    cut = _sentence_end(rest)
    title = rest[:cut].strip()
    title = title.rstrip(":;").strip()
    title = title.removesuffix("./").rstrip()  # the closing "./." of a document's last article
    return title[:TITLE_MAX].rstrip() or None


# A heading in capitals broken off after a word that cannot end it ("I. MỤC ĐÍCH, YÊU CẦU VÀ" /
# "PHẠM VI THỰC HIỆN") goes on on the next line.
_OPEN_END = regex.compile(r"(?:,|-|–|\b(?:VÀ|CỦA|VỀ|CHO|TRONG|ĐẾN|VỚI|CÁC|NHỮNG|TẠI|TRÊN|ĐỐI VỚI|NĂM))$")


def _wrapped_title(text: str, node: _Node) -> str:
    title = node.title or ""
    if not _OPEN_END.search(title) or text[node.body : node.line_end].strip() != title:
        return title
    next_end = text.find("\n", node.line_end + 1)
    nxt = text[node.line_end + 1 : next_end if next_end >= 0 else len(text)].strip()
    if nxt and _capitals(nxt, first=True) and match_marker(nxt) is None and "|" not in nxt:
        title = f"{title} {nxt}".rstrip(":.")
    return title[:TITLE_MAX].rstrip()


def _caption_under(text: str, line_end: int) -> str | None:
    """An appendix standing alone on its line is named by the caption right under it
    ("PHỤ LỤC I" / "CÁC CHỈ TIÊU CHỦ YẾU ĐẾN NĂM 2030"); a caption in capitals may wrap over
    several lines. The "(Kèm theo …)" line says where the appendix belongs, not what it is."""
    lines: list[str] = []
    for line in text[line_end + 1 : line_end + 1 + 2 * TITLE_MAX].split("\n"):
        line = line.strip()
        if not line:
            if lines:
                break
            continue
        if line.startswith("(") and not lines:
            continue  # "(Kèm theo …)" may stand between the heading and its caption
        if line.startswith("(") or "|" in line or match_marker(line) or not (lines or _capitals(line, first=True)):
            break
        if lines and not (_capitals(lines[-1]) and _capitals(line)):
            break
        lines.append(line)
        if len(" ".join(lines)) >= TITLE_MAX:
            break
    title = " ".join(lines).rstrip(":.").strip()
    return title[:TITLE_MAX].rstrip() or None


def _capitals(line: str, first: bool = False) -> bool:
    """A caption line in capitals, allowing a few lower-case letters of names ("5G, IoT"); a
    caption's first line has words, a line it wraps onto may hold only "2025-2030)"."""
    letters = [ch for ch in line if ch.isalpha()]
    if first and len(letters) < 3:
        return False
    return sum(ch.islower() for ch in letters) <= len(letters) // 10


def _sentence_end(s: str) -> int:
    abbreviations, longest = _abbreviation_re(), _longest_abbreviation()
    for m in regex.finditer(r"[.:!?](?=\s|$)", s):
        if m.group() == "." and abbreviations.search(s, max(0, m.end() - longest), m.end()):
            continue
        if m.group() == ":" and not _run_in_colon(s[m.end() :]):
            continue
        return m.start()
    return len(s)


# What may follow a heading's colon and still be its title: a figure with its unit and no more,
# the heading's value ("Vốn cân đối qua ngân sách: 1.009.074 triệu đồng", "Thời gian thực hiện:
# 2021 - 2025"), or an enumeration "(i) …; (ii) …" that numbers no sections (ordinals "(1)" do).
_HEADING_VALUE = regex.compile(r"[ \t*_]*(?:\d[\d.,]*%?(?:[ \t]+[^\s.,;:()]+){0,3}[ \t]*(?:[.;]|$)|\([ivx]{1,4}\)[ \t])")


def _run_in_colon(after: str) -> bool:
    """Whether a colon ends the heading before it ("Thời gian: từ nay đến năm 2030" → "Thời
    gian"): everywhere but before the heading's value or an enumeration it opens."""
    return not _HEADING_VALUE.match(after)


def _to_model(node: _Node) -> Section:
    return Section(
        id=node.id,
        marker=node.marker,
        level=node.level,
        title=node.title,
        span=(node.start, node.end),
        children=[_to_model(c) for c in node.children],
    )
