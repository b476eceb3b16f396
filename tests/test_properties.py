"""Property tests (Hypothesis): whatever text comes in, `parse` gives a schema-valid document
whose spans hold, or raises the package's own InputError; no other exception.

What each span promises (checked on every document):
- a target's `text` is exactly the normalised text at its span;
- a section's span opens with its marker and lies inside its parent's, and its title is text
  inside its span (cut at 200 characters and trimmed, so not always a slice at a fixed place);
- an assignment's span lies in the text, and its task, leads and partners are text of the plan
  (not always inside the span: a task block's assignment spans its field lines and takes its
  task from the heading above them);
- a reference's span holds its number (less the spaces typed inside it).
The examples are derandomised (tests/conftest.py), so a run is the same on every machine.
"""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path

from conftest import ROOT, SHARED_CORPUS
from hypothesis import given
from hypothesis import strategies as st

from vnplanparse import InputError, parse
from vnplanparse.reading.load import from_string
from vnplanparse import PlanDocument
from vnplanparse.model.plan import Section
from vnplanparse.output.validate import violations

PLANS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]
PLANS += [p.read_text(encoding="utf-8") for p in sorted(SHARED_CORPUS.glob("*.txt"))] if SHARED_CORPUS.is_dir() else []


def parsed_or_refused(text: str, name: str | None = None) -> PlanDocument | None:
    """The document, checked; None when the input was refused with the package's error. A name
    (plan.md, page.html) says the rendering, as a file's would."""
    try:
        document = parse(from_string(text, name=name) if name else text, keep_text=True)
    except InputError:
        return None
    check_document(document)
    return document


def check_document(document: PlanDocument) -> None:
    data = document.model_dump(mode="json")
    assert violations(data) == []
    text = document.source.text
    assert text is not None and len(text) == document.source.length
    assert document.source.sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert unicodedata.is_normalized("NFC", text)
    for section in document.sections:
        check_section(section, text, (0, len(text)))
    for target in document.targets:
        assert _inside(target.span, (0, len(text)))
        assert target.text == text[target.span[0] : target.span[1]]
    for assignment in document.assignments:
        assert _inside(assignment.span, (0, len(text)))
        assert assignment.task is None or assignment.task in text
        assert all(name in text for name in assignment.lead + assignment.partners)
    for reference in document.references:
        start, end = reference.span
        assert _inside(reference.span, (0, len(text)))
        assert reference.doc_number in "".join(text[start:end].split())
    for items in (document.targets, document.assignments, document.references):
        assert len({item.id for item in items}) == len(items)


def check_section(section: Section, text: str, parent: tuple[int, int]) -> None:
    start = section.span[0]
    assert _inside(section.span, parent), (section.id, section.span, parent)
    assert text.startswith(section.marker, start), (section.id, text[start : start + 20])
    # a title is the section's own words; one wrapped over lines (an appendix caption) is joined by spaces
    assert section.title is None or section.title in text[start : section.span[1]].replace("\n", " ")
    starts = [child.span[0] for child in section.children]
    assert starts == sorted(starts)
    for child in section.children:
        check_section(child, text, section.span)


def _inside(span: tuple[int, int], outer: tuple[int, int]) -> bool:
    return outer[0] <= span[0] <= span[1] <= outer[1]


# --- random text ------------------------------------------------------------------------------

@given(st.text(max_size=3000))
def test_any_unicode_text(text):
    parsed_or_refused(text)


PLAN_PIECES = st.sampled_from([
    "I.", "II.", "IV)", "1.", "2.", "1.1.", "2.3.1", "a)", "đ)", "A.", "C.", "1)", "-", "–", "+", "•", "(1)", "(2)",
    "(3)", "(12)", "Điều 1.", "Điều 2:", "PHỤ LỤC I", "Phụ lục", "KẾ HOẠCH", "Nơi nhận:", "TM. ỦY BAN NHÂN DÂN",
    "CHỦ TỊCH", "Số: 12/KH-UBND", "ngày 15 tháng 8 năm 2024", "Quyết định số 338/QĐ-TTg ngày 01/01/2023 của Thủ tướng",
    "Tỷ lệ hộ nghèo", "giảm", "tăng", "đạt", "trên", "ít nhất", "phấn đấu", "đến năm 2025", "giai đoạn 2021-2025",
    "hằng năm", "so với năm 2020", "5%", "8 - 9%/năm", "1.000 tỷ đồng", "từ 3 đến 4 xã", "100% cơ quan", "01 sàn",
    "4,5 triệu", "1/2", "hai lần", "Sở Tài chính", "Sở Kế hoạch và Đầu tư", "UBND tỉnh", "các sở, ban, ngành",
    "chủ trì", "phối hợp với", "Giao", "Cơ quan chủ trì:", "Thời gian thực hiện: Quý II/2025", " | ", "|", ":",
    ";", ",", ".", "(", ")", "**", "*", "#", "<p>", "</p>", "<b>", "<table><tr><td>", "</td><td>", "</td></tr></table>",
    " ", "  ", "\t", "\n", "\n\n", "\r\n", "\u00a0", "\u200b", "\x0c",
])


@given(st.lists(PLAN_PIECES, max_size=400).map(lambda pieces: " ".join(pieces)))
def test_random_plan_grammar(text):
    parsed_or_refused(text)


@given(st.lists(st.tuples(PLAN_PIECES, st.integers(0, 3), st.booleans()), min_size=1, max_size=200))
def test_random_heading_and_number_lines(lines):
    """Lines that open with any marker, at any depth of indentation, some with a number."""
    text = "\n".join(f"{'  ' * depth}{marker} Nội dung{' đạt 5%' if number else ''}" for marker, depth, number in lines)
    parsed_or_refused(text)


HTML_TAGS = ["p", "div", "b", "strong", "span", "i", "ol", "ul", "li", "table", "thead", "tbody", "tr", "td", "th",
             "br", "h2", "nav", "script", "style", "section"]
HTML_ATTRIBUTES = ["", ' style="font-weight:bold"', ' class="menu"', " hidden", ' style="display:none"', ' role="banner"']


def _element(parts: tuple[str, str, list[str], bool]) -> str:
    tag, attributes, children, closed = parts
    return f"<{tag}{attributes}>" + "".join(children) + (f"</{tag}>" if closed else "")


HTML_NODES = st.recursive(
    PLAN_PIECES.map(lambda piece: piece if piece.startswith("<") else piece.replace("&", "&amp;")),
    lambda children: st.tuples(st.sampled_from(HTML_TAGS), st.sampled_from(HTML_ATTRIBUTES),
                               st.lists(children, max_size=6), st.booleans()).map(_element),
    max_leaves=80,
)


@given(st.lists(HTML_NODES, max_size=8))
def test_random_html(nodes):
    """Elements of any kind nested any way, closed or not, around plan text."""
    parsed_or_refused("<html><body>" + "".join(nodes) + "</body></html>", name="page.html")


@given(st.lists(st.one_of(PLAN_PIECES, st.sampled_from(["|", "", "**I. MỤC TIÊU**", "**", "-------", "# Tiêu đề"])),
                max_size=300))
def test_random_markdown_lines(lines):
    """Lines as a web page converter writes them: bare "|" cell breaks, bold runs, rules."""
    parsed_or_refused("\n".join(lines), name="plan.md")


# --- mutations of real plans ----------------------------------------------------------------------

def _delete_lines(lines: list[str], draw) -> list[str]:
    doomed = set(draw(st.lists(st.integers(0, max(len(lines) - 1, 0)), max_size=20)))
    return [line for i, line in enumerate(lines) if i not in doomed]


def _duplicate_headings(lines: list[str], draw) -> list[str]:
    out = []
    for line in lines:
        out.append(line)
        if line[:1].isalnum() and line[:3].rstrip(".)").isupper() and draw(st.booleans()):
            out.append(line)
    return out


def _shuffle_sections(lines: list[str], draw) -> list[str]:
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line[:2].rstrip(".").isdigit() or line[:4].rstrip(". ").isupper():
            blocks.append([])
        blocks[-1].append(line)
    order = draw(st.permutations(range(len(blocks))))
    return [line for i in order for line in blocks[i]]


def _nfd(lines: list[str], draw) -> list[str]:
    return [unicodedata.normalize("NFD", line) for line in lines]


def _control_characters(lines: list[str], draw) -> list[str]:
    chars = st.sampled_from("\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x85\u2028\u2029\ufeff\u200b\u00ad\ufffd")
    out = list(lines)
    for _ in range(draw(st.integers(1, 20))):
        i = draw(st.integers(0, max(len(out) - 1, 0)))
        if out:
            line = out[i]
            at = draw(st.integers(0, len(line)))
            out[i] = line[:at] + draw(chars) + line[at:]
    return out


def _mixed_line_ends(lines: list[str], draw) -> list[str]:
    return [line + draw(st.sampled_from(["", "\r", "\r\n\r"])) for line in lines]


def _truncate(lines: list[str], draw) -> list[str]:
    text = "\n".join(lines)
    cut = draw(st.integers(0, len(text)))
    return text[:cut].split("\n")


MUTATIONS = [_delete_lines, _duplicate_headings, _shuffle_sections, _nfd, _control_characters, _mixed_line_ends, _truncate]


@st.composite
def mutated_plans(draw) -> str:
    lines = draw(st.sampled_from(PLANS)).split("\n")
    for mutation in draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=4)):
        lines = mutation(lines, draw)
    return "\n".join(lines)


@given(mutated_plans())
def test_mutated_plans(text):
    parsed_or_refused(text)


@given(st.sampled_from(PLANS), st.sampled_from(["<html><body><p>{}</p></body></html>", "{}"]))
def test_corpus_plans_hold_the_properties(plan, wrapper):
    """Every plan as it is, and as paragraphs of an HTML page."""
    body = plan.replace("&", "&amp;").replace("<", "&lt;").replace("\n", "</p><p>") if wrapper.startswith("<") else plan
    assert parsed_or_refused(wrapper.format(body)) is not None


def test_mutations_are_not_trivial():
    """The mutation strategies change what they claim to (a guard on the generators above)."""
    lines = PLANS[0].split("\n")
    assert any(unicodedata.normalize("NFC", line) != line for line in _nfd(lines, None))
    assert _mixed_line_ends(["a", "b"], lambda s: "\r\n\r") == ["a\r\n\r", "b\r\n\r"]


def test_path_strings_that_name_no_file_are_text(tmp_path):
    """`parse(str)` reads an existing file's path, or a one-line string with a plan file's suffix,
    as a path (a missing one is refused) and anything else as text."""
    assert Path(tmp_path / "missing.txt").exists() is False
    assert parsed_or_refused(str(tmp_path / "missing.txt")) is None
    document = parsed_or_refused(str(tmp_path / "missing"))
    assert document is not None and document.source.path is None
