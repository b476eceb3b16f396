"""Segment: the numbered section tree of a plan, with ids as marker paths and spans.

Markers are recognised by shape at the start of a line (grammars/headings.yaml); nesting is
learned from the order a document uses its marker kinds: a kind already open closes back to
that level, a new kind opens a child. Inline ordinals "(1) … (2) …" are sections too, but only
when they run in sequence from (1).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise

import regex

from . import documents, grammar
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
    after_open_line: bool = False  # the line before breaks off mid-sentence
    question: bool = False  # the item's line asks a question
    children: list[_Node] = field(default_factory=list)
    parent: _Node | None = None


@cache
def _markers() -> list[tuple[str, regex.Pattern[str]]]:
    return [(m["kind"], regex.compile(m["pattern"])) for m in grammar.load("headings")["markers"]]


@cache
def _longest_abbreviation() -> int:
    return max(len(a) for a in grammar.load("headings")["abbreviations"])


@cache
def _abbreviation_re() -> regex.Pattern[str]:
    words = grammar.load("headings")["abbreviations"]
    return regex.compile(r"(?:" + grammar.alternation(words) + r")$")


def match_marker(line: str) -> tuple[str, str | None, int] | None:
    """(kind, value, length of marker incl. following spaces) of a heading line, or None."""
    for kind, pattern in _markers():
        m = pattern.match(line)
        if m:
            value = m.group("value")
            if kind == "roman":
                value = value.upper()  # "Ii." of a title-casing converter is "II."
                if not value or not _ROMAN.fullmatch(value):
                    continue
            if kind == "part" and value[:1] in "Tt":  # "PHẦN THỨ HAI" is part II
                value = _ORDINAL_WORDS[value.split()[-1].casefold()]
            return kind, value, m.end()
    return None


_ROMAN = regex.compile(r"X{0,3}(?:IX|IV|V?I{0,3})")
_ORDINAL_WORDS = {"nhất": "I", "hai": "II", "ba": "III", "tư": "IV", "năm": "V", "sáu": "VI", "bảy": "VII",
                  "tám": "VIII", "chín": "IX", "mười": "X"}
# Headings whose name may stand on the line under them ("PHỤ LỤC I" / "DANH MỤC …", "Phần II" / "NHIỆM VỤ").
_CAPTIONED = ("appendix", "part", "muc")


@dataclass
class Segmentation:
    sections: list[Section]
    body_start: int  # where the first section opens (the text before it is header and preamble)
    closing_zones: list[tuple[int, int]]  # recipients and signature blocks: no content there


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
    roots = _build_tree(nodes, questions)
    _set_ends(roots, text, zones, questions)
    bold = _BoldRuns(norm.bold_spans)
    for node in _walk(roots):
        node.title = _title(text, node, bold)
        if node.kind in _CAPTIONED and node.title is None:
            node.title = _caption_under(text, node.line_end)
        elif node.title and _capitals(node.title, first=True):
            node.title = _wrapped_title(text, node)
    body_start = nodes[0].start if nodes else len(text)
    return Segmentation([_to_model(n) for n in roots], body_start, zones)


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
    return Segmentation(again.sections, segmentation.body_start, again.closing_zones)


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


def in_zones(offset: int, zones: list[tuple[int, int]]) -> bool:
    """Whether offset lies in one of the zones (sorted and disjoint, as _closing_zones makes them)."""
    i = bisect_right(zones, (offset, float("inf"))) - 1
    return i >= 0 and zones[i][0] <= offset < zones[i][1]


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


class SectionIndex:
    """Which sections hold an offset, and which open in a stretch, by bisection: the
    extractors ask once or more per line, and a plan may have a hundred thousand sections.

    The span ends cut the text into pieces within which the holding sections do not change;
    each piece keeps its chain. Sections nest, so a chain is no longer than the tree is deep."""

    def __init__(self, sections: list[Section]):
        # text order, an outer section before an inner one that opens at the same offset
        self.flat = sorted(flatten(sections), key=lambda s: (s.span[0], -s.span[1]))
        self._starts = [s.span[0] for s in self.flat]
        opening: dict[int, list[int]] = {}
        closing: dict[int, list[int]] = {}
        for rank, s in enumerate(self.flat):
            if s.span[0] < s.span[1]:
                opening.setdefault(s.span[0], []).append(rank)
                closing.setdefault(s.span[1], []).append(rank)
        self._cuts = sorted(opening.keys() | closing.keys())
        self._chains: list[tuple[Section, ...]] = []
        active: set[int] = set()
        for cut in self._cuts:
            active.difference_update(closing.get(cut, ()))
            active.update(opening.get(cut, ()))
            self._chains.append(tuple(self.flat[rank] for rank in sorted(active)))

    def holding(self, offset: int) -> tuple[Section, ...]:
        """The sections whose span holds offset, outermost first (in text order)."""
        piece = bisect_right(self._cuts, offset) - 1
        return self._chains[piece] if piece >= 0 else ()

    def innermost(self, offset: int) -> Section | None:
        chain = self.holding(offset)
        return chain[-1] if chain else None

    def opening_in(self, start: int, end: int) -> list[Section]:
        """The sections that open at an offset in [start, end), in text order."""
        return self.flat[bisect_left(self._starts, start) : bisect_left(self._starts, end)]


def flatten(sections: list[Section]) -> list[Section]:
    out: list[Section] = []
    for s in sections:
        out.append(s)
        out.extend(flatten(s.children))
    return out
