"""Tables: grid recovery in every rendering, header roles, and targets from value cells."""

import pytest
import regex

from vnplanparse import parse
from vnplanparse.grammar import load
from vnplanparse.reading.load import from_string
from vnplanparse.normalising.normalize import normalize
from vnplanparse.normalising.tables import _role, header_unit, pattern, read_tables

RULES = load("tables")
ROLES = list(RULES["roles"])


@pytest.mark.parametrize("role", ROLES)
def test_role_examples(role):
    for label in RULES["roles"][role]["examples"]:
        leaf = label.split(" - ")[-1]
        assert _role(label, leaf) == role, label
    for label in RULES["roles"][role]["counter_examples"]:
        assert not pattern(role).search(label), label


@pytest.mark.parametrize(
    "key", ["generic_value", "spanning_header", "norm_context", "group_marker", "sub_row", "blank_cell"]
)
def test_pattern_examples(key):
    whole = key in ("generic_value", "group_marker", "blank_cell")
    for text in RULES[key]["examples"]:
        m = pattern(key).fullmatch(text) if whole else pattern(key).search(text)
        assert m, text
    for text in RULES[key]["counter_examples"]:
        m = pattern(key).fullmatch(text) if whole else pattern(key).search(text)
        assert not m, text


def test_unit_examples():
    for leaf, unit in RULES["header_unit"]["examples"].items():
        assert header_unit(leaf) == unit
    for leaf in RULES["header_unit"]["counter_examples"]:
        assert header_unit(leaf) is None
    for caption, unit in RULES["caption_unit"]["examples"].items():
        assert pattern("caption_unit").search(caption).group("unit").strip() == unit
    for caption in RULES["caption_unit"]["counter_examples"]:
        assert not pattern("caption_unit").search(caption)


def _grid(text, fmt):
    norm = normalize(from_string(text, name=f"plan.{fmt}"))
    return norm, read_tables(norm.text, norm.tables)


def _rows(norm, table):
    return [[c.text if c else None for c in row.cells] for row in table.body]


# The web-page rendering: one cell per line between bare "|" lines, a row closed by its last
# bar and the next row opened at once; empty cells are empty slots too.
WEB_GRID = "\n".join([  # noqa: FLY002 - one rendered line per item
    "**PHỤ LỤC I**", "", "SỐ VỊ TRÍ QUAN TRẮC NĂM 2026", "",
    "|", "**STT**", "|", "**Địa điểm**", "|", "**Đối tượng quan trắc**", "|",
    "|", "**Nước cấp (vị trí)**", "|", "**Ao nuôi (vị trí)**", "|", "**Nuôi ngao (vị trí)**", "|",
    "|", "1", "|", "Cửa sông A", "|", "1", "|", "|", "|",
    "|", "2", "|", "xã B", "|", "|", "2", "|", "1", "|",
    "|", "3", "|", "xã C", "|", "|", "|", "3", "|",
    "|", "4", "|", "xã D", "|", "|", "1", "|", "|",
    "|", "5", "|", "xã E", "|", "|", "|", "2", "|",
    "|", "|", "Tổng cộng", "|", "1", "|", "3", "|", "6", "|",
    "", "Hết.",
])


def test_web_grid_with_empty_cells_and_a_two_level_header():
    norm, (table,) = _grid(WEB_GRID, "md")
    assert [c.label for c in table.columns] == [
        "STT", "Địa điểm", "Đối tượng quan trắc - Nước cấp (vị trí)",
        "Đối tượng quan trắc - Ao nuôi (vị trí)", "Đối tượng quan trắc - Nuôi ngao (vị trí)",
    ]
    assert _rows(norm, table) == [
        ["1", "Cửa sông A", "1", "", ""],
        ["2", "xã B", "", "2", "1"],
        ["3", "xã C", "", "", "3"],
        ["4", "xã D", "", "1", ""],
        ["5", "xã E", "", "", "2"],
        ["", "Tổng cộng", "1", "3", "6"],
    ]
    assert not norm.warnings


def test_targets_from_web_grid_cells():
    targets = [t for t in parse(WEB_GRID).targets if t.source == "table"]
    assert [(t.indicator, t.value, t.unit) for t in targets] == [
        ("Cửa sông A - Nước cấp", 1, "vị trí"),
        ("xã B - Ao nuôi", 2, "vị trí"),
        ("xã B - Nuôi ngao", 1, "vị trí"),
        ("xã C - Nuôi ngao", 3, "vị trí"),
        ("xã D - Ao nuôi", 1, "vị trí"),
        ("xã E - Nuôi ngao", 2, "vị trí"),
        ("Tổng cộng - Nước cấp", 1, "vị trí"),
        ("Tổng cộng - Ao nuôi", 3, "vị trí"),
        ("Tổng cộng - Nuôi ngao", 6, "vị trí"),
    ]
    text = normalize(from_string(WEB_GRID, name="p.md")).text
    for t in targets:  # the span is the value cell
        assert text[t.span[0] : t.span[1]] == t.text == str(t.value)


def test_a_row_with_merged_leading_cells_is_placed_by_content_with_a_warning():
    lines = ["|", "TT", "|", "Đối tượng", "|", "Tần suất", "|", "Số mẫu", "|",
             "|", "1", "|", "Nước cấp", "|", "02 lần/tháng", "|", "15", "|",
             "|", "02 lần/năm", "|", "30", "|",
             "|", "2", "|", "Ao nuôi", "|", "02 lần/tháng", "|", "21", "|"]
    norm, (table,) = _grid("\n".join(lines), "md")
    assert _rows(norm, table)[1] == ["1", "Nước cấp", "02 lần/năm", "30"]  # first two carried down
    assert table.body[1].cells[1].carried
    assert any("2 of 4 cells" in w for w in norm.warnings)


HTML = """<html><body><p>KẾ HOẠCH</p><p>Thực hiện các mục tiêu giai đoạn 2021 - 2030</p>
<p>PHỤ LỤC</p><p>(Đơn vị tính: %)</p><table>
<tr><th rowspan="2">TT</th><th rowspan="2">Chỉ tiêu</th><th rowspan="2">Thực hiện năm 2020</th>
<th colspan="2">Mục tiêu</th><th rowspan="2">Cơ quan chủ trì</th></tr>
<tr><th>Năm 2025</th><th>Năm 2030</th></tr>
<tr><td>I</td><td colspan="5">Xã hội</td></tr>
<tr><td>1</td><td>Tỷ lệ lao động qua đào tạo</td><td>60</td><td>≥ 65</td><td>Tối thiểu 70</td>
<td rowspan="2">Sở Nội vụ</td></tr>
<tr><td>2</td><td>Tỷ trọng trong GRDP</td><td></td><td></td><td></td></tr>
<tr><td></td><td>- Nông nghiệp</td><td>40</td><td>33 - 34</td><td>-</td></tr>
<tr><td>3</td><td>Tỷ lệ hộ nghèo</td><td>5</td><td>0</td><td>&lt;script&gt;</td><td>Sở Y tế</td></tr>
</table></body></html>"""


def test_html_rowspan_colspan_years_units_and_comparators():
    document = parse(HTML)
    got = [(t.indicator, t.value, t.value_max, t.comparator, t.unit, t.year)
           for t in document.targets if t.source == "table"]
    assert got == [
        ("Tỷ lệ lao động qua đào tạo", 65, None, "gte", "%", 2025),
        ("Tỷ lệ lao động qua đào tạo", 70, None, "gte", "%", 2030),
        ("Tỷ trọng trong GRDP - Nông nghiệp", 33, 34, "range", "%", 2025),
        ("Tỷ lệ hộ nghèo", 0, None, "eq", "%", 2025),  # 0 is a value; "-" and "" are not
    ]
    leads = [(a.task, a.lead) for a in document.assignments]
    assert leads == [
        ("Tỷ lệ lao động qua đào tạo", ["Sở Nội vụ"]),
        ("Tỷ trọng trong GRDP", ["Sở Nội vụ"]),  # the merged lead cell carries down
        ("Tỷ lệ hộ nghèo", ["Sở Y tế"]),
    ]


def test_past_norm_and_score_tables_give_no_targets():
    norm_table = ("ĐỊNH MỨC PHÂN BỔ DỰ TOÁN\nTT | Nội dung | Đơn vị tính | Mức\n"
                  "1 | Chi quản lý hành chính | triệu đồng/biên chế | 45\n2 | Chi sự nghiệp | triệu đồng/xã | 300\n")
    assert not parse(norm_table).targets
    past = "TT | Chỉ tiêu | Thực hiện năm 2024 | Ước thực hiện 2025\n1 | Tỷ lệ che phủ rừng (%) | 42 | 43\n2 | Số xã | 5 | 6\n"
    assert not parse(past).targets
    score = "STT | Tiêu chí | Điểm chuẩn\n1 | Tỷ lệ chi trả qua tài khoản đạt 100% | 20\n2 | Báo cáo đúng hạn | 10\n"
    assert not parse(score).targets


def test_columns_that_count_what_they_name_give_counts_of_each_row():
    counts = ("Kế hoạch năm 2026\nII. MỤC TIÊU\nĐến năm 2026, các địa phương đạt chuẩn như sau:\n\n"
              "| TT | Địa phương | Số xã | Số thôn | Số hiệu văn bản |\n|---|---|---|---|---|\n"
              "| 1 | Huyện A | 12 | 85 | 15 |\n| 2 | Huyện B | 9 | 60 | 16 |\n")
    got = [(t.indicator, t.value, t.unit, t.year) for t in parse(counts, target_filter=False).targets if t.source == "table"]
    assert got == [("Huyện A - Số xã", 12, "xã", 2026), ("Huyện A - Số thôn", 85, "thôn", 2026),
                   ("Huyện B - Số xã", 9, "xã", 2026), ("Huyện B - Số thôn", 60, "thôn", 2026)]


def test_pipe_and_tab_separated_tables():
    pipe = "Kế hoạch\n\n| TT | Chỉ tiêu | Đơn vị | Kế hoạch năm 2026 |\n|---|---|---|---|\n| 1 | Số doanh nghiệp thành lập mới | doanh nghiệp | 1.200 |\n"
    (t,) = [t for t in parse(pipe).targets if t.source == "table"]
    assert (t.indicator, t.value, t.unit, t.year) == ("Số doanh nghiệp thành lập mới", 1200, "doanh nghiệp", 2026)
    tsv = "Kế hoạch năm 2026\nTT\tChỉ tiêu\tĐơn vị\tKế hoạch\n1\tDiện tích trồng rừng mới\tha\t500\n2\tSố hộ thoát nghèo\thộ\t\n"
    (t,) = [t for t in parse(tsv).targets if t.source == "table"]
    assert (t.indicator, t.value, t.unit) == ("Diện tích trồng rừng mới", 500, "ha")


def test_group_rows_set_the_time_of_the_rows_under_them():
    plan = ("PHỤ LỤC\nTT | Chỉ tiêu | Đơn vị | Kết quả\nI | Giai đoạn 2025-2027 | | \n1 | Tỉ lệ hồ sơ trực tuyến | % | 100%\n"
            "II | Giai đoạn 2028-2030 | | \n1 | Tỉ lệ hồ sơ trực tuyến | % | 90%\n")
    got = [(t.value, t.year, t.period.start if t.period else None) for t in parse(plan).targets]
    assert got == [(100, 2027, 2025), (90, 2030, 2028)]


def test_table_target_ids_differ_by_row_and_are_stable():
    first = [t.id for t in parse(HTML).targets]
    assert len(set(first)) == len(first)
    assert first == [t.id for t in parse(HTML).targets]
    assert all(regex.fullmatch(r"t-[0-9a-f]{10}", i) for i in first)


def test_rows_under_a_merged_label_are_told_apart_by_their_note_cell():
    html = """<html><body><p>KẾ HOẠCH quan trắc năm 2025</p><table>
<tr><th>TT</th><th>Đối tượng quan trắc</th><th>Thông số quan trắc</th><th>Số lượng mẫu/lần</th></tr>
<tr><td rowspan="2">1</td><td rowspan="2">Môi trường nuôi ngao</td><td>- pH, độ mặn</td><td>8</td></tr>
<tr><td>- Thuốc bảo vệ thực vật, - Kim loại nặng</td><td>4</td></tr>
</table></body></html>"""
    assert [(t.indicator, t.value) for t in parse(html).targets] == [
        ("Môi trường nuôi ngao - Số lượng mẫu/lần", 8),
        ("Môi trường nuôi ngao (Thuốc bảo vệ thực vật, Kim loại nặng) - Số lượng mẫu/lần", 4),
    ]
