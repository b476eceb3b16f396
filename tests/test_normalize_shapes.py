"""The normaliser's rules for the shapes real renderings take (issue 16): text from PDF pages,
Markdown written by other converters, page chrome. Every excerpt is written for these tests."""

import textwrap

import pytest

from vnplanparse.reading.load import from_string
from vnplanparse.normalising.plain_text import _unwrapped
from vnplanparse.normalising.normalize import normalize
from vnplanparse.pipeline import parse_loaded
from worst_cases import indicator_table


def norm(text: str, name: str = "plan.txt"):
    return normalize(from_string(text, name=name))


# --- text from PDF pages: page numbers, running headers, hard wraps ----------------------------

_PARAGRAPHS = [
    "1. Phấn đấu đến năm 2025 tỷ lệ hộ dân được sử dụng nước sạch đạt trên 95%, tỷ lệ xã đạt chuẩn"
    " nông thôn mới đạt 80%; thu nhập bình quân đầu người tăng 1,5 lần so với năm 2020.",
    "2. Sở Nông nghiệp và Môi trường chủ trì, phối hợp với Ủy ban nhân dân các xã tổ chức thực hiện;"
    " định kỳ báo cáo kết quả trước ngày 15 tháng 12 hằng năm cho Ủy ban nhân dân tỉnh theo quy định.",
    "3. Các sở, ban, ngành theo chức năng, nhiệm vụ được giao phối hợp triển khai thực hiện các nhiệm"
    " vụ, giải pháp của Kế hoạch này và báo cáo kết quả về Sở Tài chính để tổng hợp.",
    "a) Ngắn.",
]


def _pdf_pages(paragraphs: list[str], page_lines: int = 4) -> str:
    """The paragraphs wrapped at 80 columns, a page number and a running header between pages."""
    lines = [line for text in paragraphs for line in textwrap.wrap(text, 80)]
    out = []
    for i, line in enumerate(lines):
        if i and i % page_lines == 0:
            out += [str(i // page_lines), "Kế hoạch số 12/KH-UBND"]
        out.append(line)
    return "\n".join(out) + "\n"


def test_hard_wrapped_text_is_read_as_paragraphs_without_page_chrome():
    result = norm(_pdf_pages(_PARAGRAPHS * 3))
    assert "Kế hoạch số 12/KH-UBND" not in result.text and "\n2\n" not in result.text
    assert result.text.splitlines() == _PARAGRAPHS * 3  # paragraphs run on across the page breaks
    assert any("page numbers" in w for w in result.warnings)


def test_lone_numbers_that_do_not_count_pages_stay():
    text = "Chỉ tiêu\n5\nGhi chú\n3\nHết\n" * 3
    assert norm(text).text == text


def test_a_word_hyphenated_at_a_wrap_is_joined_and_a_spaced_dash_kept():
    lines = ["Các xã đẩy mạnh chuyển đổi số và thay đổi tư-", "duy quản lý, cải cách; kinh tế -", "xã hội phát triển."]
    assert _unwrapped(lines, 34) == ["Các xã đẩy mạnh chuyển đổi số và thay đổi tưduy quản lý, cải cách; kinh tế - xã hội phát triển."]


def test_short_lines_and_list_items_are_not_joined():
    lines = ["Nơi nhận:", "- Như trên;", "- Lưu: VT."]
    assert _unwrapped(lines, 80) == lines


def test_lines_that_close_their_sentences_are_not_joined():
    """A plan written a clause per line, each about as long, is not hard-wrapped text."""
    clauses = [f"Tỷ lệ hộ gia đình ở xã thứ {i} được sử dụng nước sạch theo quy chuẩn đạt {60 + i}%;"
               for i in range(12)]
    text = "\n".join(clauses) + "\n"
    assert norm(text).text == text


def test_tab_rows_near_one_width_are_never_joined():
    """The trap a first attempt fell into: an indicator table's rows all end near one width."""
    text = indicator_table(40)
    assert norm(text).text == text.replace("\t", " | ")  # each row as it was, its cells as " | " rows write them
    assert len(norm(text).tables[0].rows) == 41


def test_a_table_row_broken_at_the_wrap_is_one_row_again():
    rows = [
        "TT | Chỉ tiêu | Đơn vị | Năm 2025 | Cơ quan chủ trì",
        "1 | Tỷ lệ thủ tục hành chính được giải quyết trực tuyến toàn trình trên tổng số thủ tục | % | 80 | Sở Tư pháp",
        "2 | Tỷ lệ hồ sơ được số hóa | % | 90 | Văn phòng UBND tỉnh",
        "3 | Số xã, phường có điểm phục vụ một cửa liên thông được nâng cấp theo mô hình mới | xã | 25 | UBND cấp xã",
    ]
    prose = [line for p in _PARAGRAPHS[:3] * 2 for line in textwrap.wrap(p, 80)]
    wrapped = [line for row in rows for line in textwrap.wrap(row, 80)]
    assert len(wrapped) > len(rows)
    result = norm("\n".join(prose + wrapped) + "\n")
    assert result.text.splitlines()[-4:] == rows
    assert [len(r) for r in result.tables[-1].rows] == [5, 5, 5, 5]


def test_a_header_wrapped_just_before_a_separator_is_one_row_again():
    prose = [line for p in _PARAGRAPHS[:3] * 2 for line in textwrap.wrap(p, 80)]
    table = [
        "STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Sản phẩm dự kiến đạt được",
        "| Thời gian hoàn thành",
        "1 | Xây dựng cơ sở dữ liệu đất đai | Sở Nông nghiệp và Môi trường | UBND cấp xã | Cơ sở dữ",
        "liệu được vận hành | 2026",
    ]
    result = norm("\n".join(prose + table) + "\n")
    assert result.text.splitlines()[-2:] == [table[0] + " " + table[1], table[2] + " " + table[3]]
    assert [len(r) for r in result.tables[-1].rows] == [6, 6]



# --- plain text: tab rows, " | " rows, two-level headers ------------------------------------------

_INDICATORS_BY_TABS = "\n".join([
    "Phụ lục I. Các chỉ tiêu chủ yếu",
    "TT\tChỉ tiêu\tĐơn vị\tMục tiêu\t\tCơ quan chủ trì",
    "\t\t\tNăm 2026\tNăm 2030\t",
    "I\tKinh tế\t\t\t\t",
    "1\tCơ cấu cây trồng\t%\t\t\tSở Nông nghiệp và Môi trường",
    "\t- Lúa\t%\t41\t38\t",
    "\t- Cây ăn quả\t%\t22\t27\t",
    "2\tTỷ lệ xã có chợ đạt chuẩn\t%\t60\t75\tSở Công Thương",
]) + "\n"


def test_tab_rows_with_empty_first_or_last_cells_are_rows_of_the_table():
    result = norm(_INDICATORS_BY_TABS)
    assert len(result.tables) == 1 and len(result.tables[0].rows) == 7
    lines = result.text.splitlines()
    assert lines[2] == "| | | Năm 2026 | Năm 2030"  # written as every other rendering writes a row
    sub_row = result.tables[0].rows[4]
    assert [(c.column, result.text[c.start : c.end]) for c in sub_row[:3]] == [(0, ""), (1, "- Lúa"), (2, "%")]


def test_a_tab_sub_row_takes_the_lead_of_its_row_and_its_year_column():
    doc = parse_loaded(from_string(_INDICATORS_BY_TABS, name="plan.txt"), target_filter=False)
    by_value = {t.value: t for t in doc.targets}
    assert (by_value[41].year, by_value[38].year) == (2026, 2030)
    assert sum(1 for a in doc.assignments if a.lead == ["Sở Nông nghiệp và Môi trường"]) >= 2


def test_a_line_with_a_tab_among_prose_is_no_table():
    text = "\tĐoạn mở đầu thụt vào bằng một dấu tab.\nĐoạn thứ hai.\n\tĐoạn thứ ba.\n"
    result = norm(text)
    assert not result.tables and result.text == text


def test_a_separator_row_keeps_its_empty_cells():
    text = "TT | Chỉ tiêu | Đơn vị | Năm 2026 | Năm 2030 | Cơ quan chủ trì\n" \
           "1 | Cơ cấu cây trồng | % | | | Sở Nông nghiệp và Môi trường\n" \
           "| - Lúa | % | 41 | 38\n"
    rows = norm(text).tables[0].rows
    assert [len(r) for r in rows] == [6, 6, 5]
    assert rows[2][0].start == rows[2][0].end and rows[2][1].column == 1


_PDF_TWO_LEVEL_ROWS = [
    "STT | Chỉ tiêu | Đơn vị | Ước thực hiện năm 2024 | Mục tiêu | Cơ quan chủ trì",
    "Năm 2026 | Năm 2030",
    "1 | Tỷ lệ dân số được quản lý bằng hồ sơ sức khỏe điện tử | % | 85 | 95 | 100 | Sở Y tế",
    "2 | Tỷ lệ xã, phường đạt chuẩn quốc gia về y tế cơ sở | % | 80 | 85 - 90 | 95 - 100 | Sở Y tế",
    "3 | Số trạm y tế được nâng cấp | trạm | 12 | 20 | 30 | Sở Y tế",
]
# each row broken near 80 columns: "… | Mục tiêu | Cơ quan chủ trì" and "Năm 2026" would have made
# one line of 80 or more, row 2's range breaks after "95 -"
_PDF_TWO_LEVEL_HEADER = [line for row in _PDF_TWO_LEVEL_ROWS for line in textwrap.wrap(row, 80)]


def test_a_pdf_header_line_opening_with_a_capital_is_the_sub_header_row():
    prose = [line for p in _PARAGRAPHS[:3] * 2 for line in textwrap.wrap(p, 80)]
    assert "100 | Sở Y tế" in _PDF_TWO_LEVEL_HEADER
    result = norm("\n".join(prose + _PDF_TWO_LEVEL_HEADER) + "\n")
    # the header's second line stays a row; "100 | Sở Y tế" numbers no row after row 2
    assert result.text.splitlines()[-5:] == _PDF_TWO_LEVEL_ROWS
    assert [len(r) for r in result.tables[-1].rows] == [6, 2, 7, 7, 7]


def test_a_pdf_two_level_header_gives_each_year_column_its_targets():
    prose = [line for p in _PARAGRAPHS[:3] * 2 for line in textwrap.wrap(p, 80)]
    text = "\n".join(prose + _PDF_TWO_LEVEL_HEADER) + "\n"
    doc = parse_loaded(from_string(text, name="plan.txt"), target_filter=False)
    years = {(t.value, t.year) for t in doc.targets if t.unit == "trạm"}
    assert years == {(20, 2026), (30, 2030)}


# --- Markdown written by other converters -------------------------------------------------------

_CONVERTED_TABLE = """KẾ HOẠCH

| TT | Chỉ tiêu | Đơn vị | Mục tiêu | | Cơ quan chủ trì |
| --- | --- | --- | --- | --- | --- |
| Năm 2026 | Năm 2030 |
| 1 | Cơ cấu kinh tế | % | | | Sở Tài chính |
| | - Nông nghiệp | % | 30 | 25 |
| 2 | Tỷ lệ xã có trạm y tế đạt chuẩn | % | 90 | 100 | Sở Y tế |
"""


def test_a_two_level_header_written_as_a_cell_and_empty_cells_is_read_as_spanning():
    document = parse_loaded(from_string(_CONVERTED_TABLE, name="plan.md"))
    got = sorted((t.value, t.year) for t in document.targets if t.source == "table")
    assert got == [(25, 2030), (30, 2026), (90, 2026), (100, 2030)]


def test_a_sub_row_without_its_merged_cells_takes_them_from_the_row_above():
    leads = [(a.task, a.lead) for a in parse_loaded(from_string(_CONVERTED_TABLE, name="plan.md")).assignments]
    assert leads == [("Cơ cấu kinh tế", ["Sở Tài chính"]), ("- Nông nghiệp", ["Sở Tài chính"]),
                     ("Tỷ lệ xã có trạm y tế đạt chuẩn", ["Sở Y tế"])]


# --- page chrome: grammars/page_chrome.yaml ----------------------------------------------------

from vnplanparse import grammar  # noqa: E402

_CHROME = grammar.load("page_chrome")["lines"]


def _page(line: str) -> str:
    return f"KẾ HOẠCH\n\nI. MỤC TIÊU\n\n{line}\n\n1. Tỷ lệ xã đạt chuẩn nông thôn mới đạt 80% vào năm 2026.\n"


@pytest.mark.parametrize("kind", sorted(_CHROME))
def test_page_chrome_lines_are_dropped_and_plan_lines_kept(kind):
    for line in _CHROME[kind]["examples"]:
        for name in ("page.md", "page.txt"):
            result = norm(_page(line), name)
            assert line not in result.text and "page chrome" in " ".join(result.warnings), (name, line)
            assert "Tỷ lệ xã đạt chuẩn nông thôn mới đạt 80%" in result.text
    for line in _CHROME[kind]["counter_examples"]:
        assert "page chrome" not in " ".join(norm(_page(line), "page.md").warnings), line


def test_a_related_articles_list_gives_no_sections_or_targets():
    page = ("KẾ HOẠCH\n\nI. MỤC TIÊU\n\n1. Tỷ lệ hộ dân dùng nước sạch đạt 95% vào năm 2026.\n\nXem thêm:\n\n"
            "- [Tỉnh phấn đấu 100% xã có trạm y tế đạt chuẩn](https://example.vn/a)\n"
            "- [Năm 2026 trồng mới 500 ha rừng](https://example.vn/b)\n")
    document = parse_loaded(from_string(page, name="page.md"))
    assert [t.value for t in document.targets] == [95]
    assert all(not s.id.startswith("-") for top in document.sections for s in [top, *top.children])


def test_cells_no_grid_takes_are_read_as_text_with_a_warning():
    """Thirty cells between `|` lines with no row break among them: more columns than any table
    has, so no grid is laid out; each cell becomes a line of text, and a warning says where."""
    cells = [f"Tỷ lệ xã thứ {i} đạt chuẩn là {50 + i}%" for i in range(30)]
    ragged = "KẾ HOẠCH\n\nPhần mở đầu.\n|\n" + "\n|\n".join(cells) + "\n|\n\nHết.\n"
    result = norm(ragged, "plan.md")
    assert not result.tables
    assert all(f"\n{c}\n" in result.text for c in cells)  # never dropped: a line each
    (warning,) = [w for w in result.warnings if "could not be laid out as a table" in w]
    assert warning.startswith("30 cells between offsets")
