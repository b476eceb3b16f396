"""Normalise: any rendering of a plan -> one clean text that every offset refers to.

All three renderings (plain text, Markdown converted from a web page, HTML) reduce to the
same shape: NFC, `\\n` line ends, one paragraph or table row per line, no markup. Markdown
soft wraps become spaces (a wrapped sentence is one sentence), emphasis marks go, and bold
runs are kept aside as spans because a bold run-in heading is a section title.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

import regex
from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString

from .load import LoadedText

_INVISIBLE = regex.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = regex.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_IMAGE = regex.compile(r"!\[[^\]\n]*\]\([^)\s]*(?:\s+\"[^\"\n]*\")?\)")
_LINK = regex.compile(r"\[([^\]\n]*)\]\([^)\s]*(?:\s+\"[^\"\n]*\")?\)")
_RULE_LINE = regex.compile(r"^\s*[-=_*~]{3,}\s*$")
_BAR_LINE = regex.compile(r"^\s*\|\s*$")
_HEADING_HASHES = regex.compile(r"^\s*#{1,6}\s*")


@dataclass
class NormalizedText:
    text: str
    bold_spans: list[tuple[int, int]] = field(default_factory=list)


def normalize(loaded: LoadedText) -> NormalizedText:
    raw = _clean_characters(loaded.text)
    if loaded.format == "html":
        result = _html_to_text(raw)
    elif loaded.format == "markdown":
        result = _markdown_to_text(raw)
    else:
        result = NormalizedText(_plain_to_text(raw))
    if not unicodedata.is_normalized("NFC", result.text):  # a piece boundary split a letter
        result = NormalizedText(unicodedata.normalize("NFC", result.text))
    return result


def _clean_characters(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACES.sub(" ", text)
    return _INVISIBLE.sub("", text)


def _plain_to_text(text: str) -> str:
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n") + "\n"


class _Builder:
    """Appends text with collapsed spaces, tracking offsets of bold runs as it goes."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.last = "\n"
        self.pending_space = False
        self.bold: list[tuple[int, int]] = []

    def _emit(self, s: str) -> None:
        self.parts.append(s)
        self.length += len(s)
        self.last = s[-1]

    def add(self, text: str, bold: bool = False) -> None:
        for token in regex.split(r"(\s+)", text):
            if not token:
                continue
            if token.isspace():
                self.pending_space = self.last != "\n"
                continue
            if self.pending_space:
                self._emit(" ")
                self.pending_space = False
            start = self.length
            self._emit(token)
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

    def result(self) -> NormalizedText:
        text = "".join(self.parts).rstrip("\n") + "\n"
        return NormalizedText(text, self.bold)


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


def _visible(line: str) -> str:
    return line.replace("*", "").strip()


def _markdown_to_text(text: str) -> NormalizedText:
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
    return out.result()


def _is_prose_slot(slot: list[str]) -> bool:
    inner = [line for line in slot if line.strip()]
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
        return True
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
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 3 and all(ch.isupper() for ch in letters)


def _markdown_paragraphs(lines: list[str], out: _Builder) -> None:
    state = _Emphasis()
    prev = ""
    for line in lines:
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


def _emit_cell_run(slots: list[list[str]], out: _Builder) -> None:
    """Cells stand one per line between bare `|` lines: recover rows, one per output line."""
    i = 0
    while i < len(slots):
        if not slots[i]:
            i += 1
            continue
        width, end = _best_grid(slots, i)
        if width:
            for k in range(i, end, width + 1):
                _emit_row(slots[k : k + width], out)
            i = end
        else:
            if slots[i]:
                _emit_row([slots[i]], out)
            i += 1


def _best_grid(slots: list[list[str]], start: int) -> tuple[int, int]:
    """The column count N that reads the most slots from `start` as rows `c1..cN` + an empty gap.

    The rendering writes `| c1 | ... | cN |` per row, so consecutive rows are separated by a
    slot with nothing in it. Returns (N, end) or (0, start) when fewer than two rows fit.
    """
    best = (0, start)
    for width in range(2, 21):
        j, rows = start, 0
        while j + width <= len(slots) and any(slots[j : j + width]):
            if j + width < len(slots) and slots[j + width]:
                break
            rows += 1
            j += width + 1
        end = min(j, len(slots))
        if rows >= 2 and end - start > best[1] - start:
            best = (width, end)
    return best


_APPENDIX_CELL = regex.compile(r"^\W*PHỤ LỤC(?:\s+(?:[IVXLC]+|\d{1,2}))?\b")


def _emit_row(cells: list[list[str]], out: _Builder) -> None:
    after_appendix = False
    for j, cell_lines in enumerate(cells):
        # An appendix heading never lives in a table: where the converter has run the signature
        # table and the appendix into one grid, the heading cell gets a line of its own.
        opens_appendix = bool(cell_lines) and bool(_APPENDIX_CELL.match(_visible(cell_lines[0])))
        if j and (opens_appendix or after_appendix):
            out.newline()
        elif j:
            out.add(" |")
            out.pending_space = True
        after_appendix = opens_appendix
        state = _Emphasis()
        for line in cell_lines:
            state.add_inline(_HEADING_HASHES.sub("", line), out)
            out.add(" ")
    out.newline()


class _Emphasis:
    """Tracks `**bold**` across the physical lines of one paragraph; single `*` marks vanish."""

    def __init__(self) -> None:
        self.bold = False

    def add_inline(self, line: str, out: _Builder) -> None:
        for piece in regex.split(r"(\*\*|__)", line):
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
_DOCTYPE_SUBSET = regex.compile(r"\A\s*(?:<\?xml[^>]*>\s*)?<!DOCTYPE[^>\[]*\[[^\]]*\]\s*>", regex.I)
_BOLD_STYLE = regex.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)", regex.I)


def _html_to_text(html: str) -> NormalizedText:
    # html.parser ends a DOCTYPE at its first ">", so an internal subset's tail ("]>") would be text
    html = _DOCTYPE_SUBSET.sub("", html, count=1)
    soup = BeautifulSoup(html, "html.parser")
    out = _Builder()
    _walk_html(soup, out, bold=False)
    return out.result()


def _is_chrome(tag: Tag) -> bool:
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


def _walk_html(node: Tag, out: _Builder, bold: bool) -> None:
    """Visible text of node's subtree, with a stack instead of recursion: pages nest elements
    thousands deep."""
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
        if _is_chrome(child):
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
    out.newline()
    for tr in _own(table, ("tr",), "table"):
        cells = _own(tr, ("td", "th"), "tr")
        for j, cell in enumerate(cells):
            if j:
                out.add(" |")
                out.pending_space = True
            inner = _Builder()
            _walk_html(cell, inner, bold=False)
            out.add(inner.result().text.replace("\n", " ").strip(), bold=False)
        out.newline()
    out.newline(blank=True)


def _own(node: Tag, names: tuple[str, ...], owner: str) -> list[Tag]:
    """The descendants of node named `names` whose nearest `owner` ancestor is node (the rows
    of a table, the cells of a row), in document order, without a walk into a nested owner:
    one pass over the subtree, where find_all with a parent check per match would make nested
    tables cost the square of their depth."""
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
