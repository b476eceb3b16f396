"""Generators of worst-case plans (issue 7): each takes a size and returns a text that grows
linearly with it. Shared by benchmarks/bench_worst_cases.py, which times them at growing sizes,
and tests/test_adversarial.py, which only checks that moderate sizes finish."""

from __future__ import annotations

from pathlib import Path

SEED_DIR = Path(__file__).resolve().parents[1] / "corpus"

_HEAD = "KẾ HOẠCH\nThực hiện nhiệm vụ năm 2025\n\nI. MỤC TIÊU\n"
_ITEMS = [
    "- Tỷ lệ hộ nghèo giảm {i}%/năm.",
    "a) Sở Kế hoạch và Đầu tư chủ trì, phối hợp với Sở Tài chính thực hiện nhiệm vụ {i}.",
    "+ Đến năm 2025, có {i} xã đạt chuẩn nông thôn mới.",
    "Giao Sở Nội vụ tổng hợp, báo cáo trước ngày 15/12/2025 về kết quả {i}.",
    "1. Phấn đấu tốc độ tăng trưởng đạt {i},5%; thu ngân sách đạt 1.500 tỷ đồng.",
    "Căn cứ Quyết định số {i}/QĐ-UBND ngày 01/01/2024 của Ủy ban nhân dân tỉnh.",
]
_NESTED = ["I.", "1.", "1.1.", "1.1.1.", "a)", "A.", "1)", "-", "+"]


def big_plan(copies: int) -> str:
    """The project's sample plans, end to end, `copies` times (about 43 kB per copy)."""
    one = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEED_DIR.glob("*.txt")))
    return one * copies


def many_lines(lines: int) -> str:
    """`lines` short lines of list items, targets, assignments and citations under one heading."""
    return _HEAD + "\n".join(_ITEMS[i % len(_ITEMS)].format(i=i) for i in range(lines)) + "\n"


def ordinals(count: int) -> str:
    """One paragraph holding `count` inline ordinals "(1) … (2) …", each a target."""
    items = " ".join(f"({i % 999 + 1}) chỉ tiêu thứ {i} đạt {i % 100}%;" for i in range(count))
    return _HEAD + "Các chỉ tiêu chủ yếu đến năm 2025: " + items + "\n"


def nested(blocks: int) -> str:
    """`blocks` runs of every marker kind, each nested in the one before (ten levels deep with
    the ordinals: nesting is by marker kind, so no plan nests deeper than it has kinds), each
    item with a target."""
    lines = [_HEAD]
    for i in range(blocks):
        lines += [f"{marker} Nội dung {i} tăng {depth}%" for depth, marker in enumerate(_NESTED)]
        lines.append("(1) Chỉ tiêu một đạt 5%; (2) Chỉ tiêu hai đạt 6%.")
    return "\n".join(lines) + "\n"


def long_word(chars: int) -> str:
    """One line of `chars` letters and no space."""
    return _HEAD + "a" * chars + "\n"


def long_number(chars: int) -> str:
    """One line of `chars` characters of digits and number punctuation, no space."""
    unit = "1.000,5%/2025-(1)"
    return _HEAD + (unit * (chars // len(unit) + 1))[:chars] + "\n"


def long_mixed(chars: int) -> str:
    """One line of `chars` characters mixing letters, digits and the punctuation patterns key
    on, no space: the shape most likely to set a pattern backtracking."""
    unit = "Sở(1)TP.ngày01/01/2025số12/QĐ-UBND;đạt95%,tăng:"
    return _HEAD + (unit * (chars // len(unit) + 1))[:chars] + "\n"


def long_spaces(chars: int) -> str:
    """Lines of names, numbers and cell bars between runs of a thousand spaces and tabs: plain
    text keeps them, and a pattern that starts with a run of spaces may try every position."""
    run = " " * 1000
    unit = f"Sở Tài chính{run}| 5%{run}và Sở Y tế{chr(9) * 1000}, 6 xã{run}chủ trì{run}: 2025{run};"
    lines = []
    while sum(map(len, lines)) < chars:
        lines.append(unit * 8)
    return _HEAD + "\n".join(lines)[:chars] + "\n"


def space_run(chars: int) -> str:
    """A task table whose row holds one run of `chars` spaces inside a cell."""
    header = "TT | Nội dung | Cơ quan chủ trì | Thời gian hoàn thành"
    return _HEAD + header + "\n1 | Xây dựng đề án" + " " * chars + "đạt 90% | Sở Tài chính | 2025\n"


def run_on(chars: int) -> str:
    """One line of `chars` characters of words with no sentence end and no semicolon: lead
    markers, partners, targets and citations the extractors read clause by clause."""
    unit = ("Sở Tài chính chủ trì, phối hợp với Sở Y tế và các đơn vị liên quan thực hiện tăng 5% số xã "
            "theo Quyết định số 12/QĐ-UBND ngày 01/01/2024, ")
    return _HEAD + (unit * (chars // len(unit) + 1))[:chars] + "\n"


def lead_ins(lines: int) -> str:
    """`lines` lead-in lines ending in ":" that name a lead and a year, with nothing under them."""
    return _HEAD + "\n".join(
        f"{i}. Đến năm 2025, Sở Nội vụ chủ trì thực hiện nội dung {i}:\nNội dung {i} đạt 5%." for i in range(lines)
    ) + "\n"


def table_rows(rows: int) -> str:
    """A task table of `rows` rows under its header."""
    header = "TT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành"
    body = "\n".join(f"{i} | Xây dựng đề án {i} đạt 90% | Sở Tài chính | Sở Y tế | Quý II/2025" for i in range(1, rows + 1))
    return _HEAD + header + "\n" + body + "\n"


def closing_blocks(blocks: int) -> str:
    """`blocks` signature blocks, each reopened by an appendix: many closing zones."""
    return _HEAD + "\n".join(f"Nơi nhận:\n- Lưu: VT.\nPHỤ LỤC {i}\n1. Nội dung đạt {i}%" for i in range(blocks)) + "\n"


def html_page(paragraphs: int) -> str:
    """An HTML page of `paragraphs` paragraphs, bold headings and one table row each."""
    body = "".join(
        f"<p><b>{i}. Nhiệm vụ {i}</b></p><p>Tỷ lệ hộ nghèo giảm {i % 9}%/năm.</p>"
        f"<table><tr><td>{i}</td><td>Sở Tài chính</td></tr></table>"
        for i in range(paragraphs)
    )
    return f"<html><body><p>KẾ HOẠCH</p><p>I. MỤC TIÊU</p>{body}</body></html>"


def markdown_cells(rows: int) -> str:
    """Markdown as the web converter writes tables: one cell per line between bare "|" lines."""
    cells = "".join(f"|\n{i}\n|\nXây dựng đề án {i}\n|\nSở Tài chính\n|\n|\n" for i in range(rows))
    return "**I. MỤC TIÊU**\n\n**1. Nhiệm vụ**\n\n" + cells


def long_line(copies: int) -> str:
    """The first sample plan with its lines joined by spaces into one line, `copies` times over
    (issue 24): every stage must stay linear when a whole plan is one line."""
    one = sorted(SEED_DIR.glob("*.txt"))[0].read_text(encoding="utf-8").replace("\n", " ")
    return one * copies


def html_spans(rows: int) -> str:
    """An HTML table of `rows` rows of three cells, each claiming rowspan=1000 colspan=1000
    (issue 24): the grid must stay within what the table holds."""
    row = "<tr>" + '<td rowspan=1000 colspan=1000>5%</td>' * 3 + "</tr>"
    return f"<html><body><p>KẾ HOẠCH</p><table>{row * rows}</table></body></html>"


def indicator_table(rows: int) -> str:
    """A tab-separated table of `rows` indicators with a planned figure for each of ten years:
    ten targets a row, each a highlight on the review page (issue 24)."""
    years = list(range(2021, 2031))
    header = "\t".join(["STT", "Chỉ tiêu", "Đơn vị", *map(str, years)])
    body = "\n".join("\t".join([str(i), f"Tỷ lệ chỉ tiêu {i}", "%", *(f"{(i + k) % 90},5" for k in range(10))])
                     for i in range(rows))
    return f"KẾ HOẠCH\nI. CHỈ TIÊU\n{header}\n{body}\n"


CASES = {
    "big_plan": (big_plan, 15),  # × 43 kB: 10 MB at × 16
    "many_lines": (many_lines, 6_250),
    "ordinals": (ordinals, 625),
    "nested": (nested, 250),
    "long_word": (long_word, 62_500),
    "long_number": (long_number, 62_500),
    "long_mixed": (long_mixed, 62_500),
    "run_on": (run_on, 62_500),
    "long_spaces": (long_spaces, 62_500),
    "space_run": (space_run, 62_500),
    "lead_ins": (lead_ins, 3_000),
    "table_rows": (table_rows, 6_000),
    "closing_blocks": (closing_blocks, 3_000),
    "html_page": (html_page, 3_000),
    "markdown_cells": (markdown_cells, 3_000),
    "long_line": (long_line, 10),  # × 9.8 kB: 1.6 MB at × 16
    "html_spans": (html_spans, 250),
    "review_page": (indicator_table, 125),  # 1 250 highlights; timed: the review page's rendering
}
RENDERED = {"review_page"}  # cases whose figure is the review page's rendering of the parse
FORMATS = {"html_page": "page.html", "markdown_cells": "page.md", "html_spans": "page.html"}  # the name that sets the rendering
