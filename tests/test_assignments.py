"""Assignments: every shape a plan assigns work in, deadlines, stable ids, and the closing block."""

import pytest
from conftest import assert_found_in_examples

from vnplanparse.extraction import agencies
from vnplanparse import grammar, parse
from vnplanparse.extraction.assignments.extract import parse_deadline

RULES = {key: spec for key, spec in grammar.load("assignments").items() if "pattern" in spec}

PLAN = """ỦY BAN NHÂN DÂN TỈNH SƠN LA
KẾ HOẠCH
Thực hiện Chương trình phát triển du lịch năm 2026

I. NHIỆM VỤ
1. Xây dựng cơ sở dữ liệu du lịch
- Nội dung thực hiện: Thu thập, chuẩn hóa dữ liệu.
- Cơ quan chủ trì: Sở Du lịch
- Cơ quan phối hợp: Sở Khoa học và Công nghệ; Ủy ban nhân dân các xã, phường.
- Thời gian thực hiện: Quý II/2026
2. Quảng bá điểm đến
Cơ quan chủ trì: SKHĐT; cơ quan phối hợp: BDT; thời gian thực hiện: Năm 2026 và các năm tiếp theo.
II. TỔ CHỨC THỰC HIỆN
1. Giao Sở Ngoại vụ chủ trì, phối hợp với Sở Tài chính, Ban Quản lý Khu du lịch quốc gia Mộc Châu xây dựng chương trình xúc tiến; hoàn thành trước ngày 30/6/2026.
2. Ban Dân tộc tỉnh chủ trì, phối hợp với các sở, ngành liên quan rà soát chính sách hỗ trợ đồng bào.
3. Sở Y tế
a) Chủ trì, phối hợp với Bảo hiểm xã hội tỉnh hướng dẫn khám sức khỏe cho du khách.
b) Phối hợp với Sở Du lịch tuyên truyền.
4. Hội Nông dân tỉnh chủ trì, phối hợp với Tỉnh đoàn thực hiện các nhiệm vụ sau:
- Tập huấn cho nông dân làm du lịch;
- Xây dựng mô hình homestay.
5. Ủy ban nhân dân các xã, phường căn cứ Kế hoạch này tổ chức thực hiện.
6. Sở Văn hóa, Thể thao và Du lịch tiếp tục xây dựng sản phẩm du lịch.

PHỤ LỤC
TT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành
1 | Xây dựng bản đồ du lịch số | Sở Khoa học và Công nghệ | Sở Du lịch, Công an tỉnh | Tháng 9/2026
2 | Đào tạo hướng dẫn viên | Trường Cao đẳng Sơn La | Sở Du lịch | Thường xuyên
Nơi nhận:
- Sở Y tế chủ trì, phối hợp với Sở Tài chính;
- Lưu: VT.
"""


@pytest.mark.parametrize("key", sorted(RULES))
def test_assignment_rule_examples(key):
    assert_found_in_examples(grammar.compiled("assignments", key), RULES[key])


def test_table_header_examples():
    spec = grammar.load("assignments")["table_header"]
    for column, texts in spec["examples"].items():
        for text in texts:
            assert grammar.regex.search(spec[column], text), (column, text)
    for column, texts in spec["counter_examples"].items():
        for text in texts:
            assert not grammar.regex.search(spec[column], text), (column, text)


@pytest.fixture(scope="module")
def doc():
    return parse(PLAN)


def by_lead(doc):
    return {tuple(a.lead): a for a in doc.assignments}


def test_task_block_gives_one_assignment_with_its_heading_as_task(doc):
    a = by_lead(doc)[("Sở Du lịch",)]
    assert a.task == "Xây dựng cơ sở dữ liệu du lịch"
    assert a.partners == ["Sở Khoa học và Công nghệ", "Ủy ban nhân dân các xã, phường"]
    assert (a.deadline, a.deadline_date) == ("Quý II/2026", "2026-06")
    assert a.section == "I.1"


def test_fields_on_one_line_and_abbreviations_expanded(doc):
    a = by_lead(doc)[("SKHĐT",)]
    assert a.lead_expanded == ["Sở Kế hoạch và Đầu tư"]
    assert (a.partners, a.partners_expanded) == (["BDT"], ["Ban Dân tộc"])
    assert (a.deadline, a.deadline_date) == ("Năm 2026 và các năm tiếp theo", None)


def test_giao_x_chu_tri_phoi_hop_voi(doc):
    a = by_lead(doc)[("Sở Ngoại vụ",)]
    assert a.partners == ["Sở Tài chính", "Ban Quản lý Khu du lịch quốc gia Mộc Châu"]
    assert a.task.startswith("xây dựng chương trình xúc tiến")
    assert (a.deadline, a.deadline_date) == ("hoàn thành trước ngày 30/6/2026", "2026-06-30")
    assert a.section == "II.1"


def test_x_chu_tri(doc):
    a = by_lead(doc)[("Ban Dân tộc tỉnh",)]
    assert a.partners == ["các sở, ngành liên quan"]
    assert a.task == "rà soát chính sách hỗ trợ đồng bào"


def test_item_opening_with_chu_tri_takes_the_agency_heading(doc):
    a = by_lead(doc)[("Sở Y tế",)]
    assert a.partners == ["Bảo hiểm xã hội tỉnh"]
    assert a.section == "II.3.a"
    # "Phối hợp với …" under the same heading has no lead marker
    assert sum(1 for x in doc.assignments if x.lead == ["Sở Y tế"]) == 1


def test_a_lead_in_governs_each_item_below_it(doc):
    items = [a for a in doc.assignments if a.lead == ["Hội Nông dân tỉnh"]]
    assert [a.task for a in items] == ["Tập huấn cho nông dân làm du lịch", "Xây dựng mô hình homestay"]
    assert all(a.partners == ["Tỉnh đoàn"] for a in items)


def test_an_agency_as_mere_subject_is_no_assignment(doc):
    leads = {name for a in doc.assignments for name in a.lead}
    assert "Sở Văn hóa, Thể thao và Du lịch" not in leads
    assert "Ủy ban nhân dân các xã, phường" not in leads


def test_table_rows(doc):
    rows = [a for a in doc.assignments if a.section == "PL"]
    assert [(a.lead, a.partners, a.deadline, a.deadline_date) for a in rows] == [
        (["Sở Khoa học và Công nghệ"], ["Sở Du lịch", "Công an tỉnh"], "Tháng 9/2026", "2026-09"),
        (["Trường Cao đẳng Sơn La"], ["Sở Du lịch"], "Thường xuyên", None),
    ]
    assert rows[0].task == "Xây dựng bản đồ du lịch số"


def test_nothing_inside_the_recipients_list(doc):
    start = PLAN.index("Nơi nhận:")
    assert all(a.span[1] <= start for a in doc.assignments)
    assert len(doc.assignments) == 9


def test_spans_and_ids(doc):
    text = parse(PLAN, keep_text=True).source.text
    for a in doc.assignments:
        assert 0 <= a.span[0] < a.span[1] <= len(text)
        assert a.id.startswith("a-")
    assert len({a.id for a in doc.assignments}) == len(doc.assignments)


def test_ids_survive_an_edit_elsewhere(doc):
    edited = parse(PLAN.replace("Thu thập, chuẩn hóa dữ liệu.", "Thu thập, chuẩn hóa và công bố dữ liệu mở.")
                   .replace("Sở Văn hóa, Thể thao và Du lịch tiếp tục", "Sở Văn hóa, Thể thao và Du lịch sẽ tiếp tục"))
    assert [a.id for a in edited.assignments] == [a.id for a in doc.assignments]
    assert [a.span for a in edited.assignments] != [a.span for a in doc.assignments]


def test_same_task_same_lead_gets_distinct_ids():
    plan = "I. NHIỆM VỤ\n1. Giao Sở Y tế chủ trì kiểm tra. Giao Sở Y tế chủ trì kiểm tra.\n"
    ids = [a.id for a in parse(plan).assignments]
    assert len(ids) == 2 and ids[1] == ids[0] + "-2"


def test_merged_cells_carry_down():
    plan = ("I. NHIỆM VỤ\nTT | Nội dung | Đơn vị chủ trì | Đơn vị phối hợp | Tiến độ\n"
            "1 | Lập quy hoạch | Sở Xây dựng | Sở Tài chính | Năm 2027\n2 | Công bố quy hoạch\n")
    rows = parse(plan).assignments
    assert [(a.task, a.lead, a.partners, a.deadline) for a in rows] == [
        ("Lập quy hoạch", ["Sở Xây dựng"], ["Sở Tài chính"], "Năm 2027"),
        ("Công bố quy hoạch", ["Sở Xây dựng"], ["Sở Tài chính"], "Năm 2027"),
    ]


def test_a_two_level_header_from_html():
    html = ("<html><body><p>I. NHIỆM VỤ</p><table><tr><td rowspan=2>TT</td><td rowspan=2>Nội dung</td>"
            "<td colspan=2>Cơ quan thực hiện</td><td rowspan=2>Thời gian</td></tr><tr><td>Chủ trì</td>"
            "<td>Phối hợp</td></tr><tr><td>1</td><td>Lập kế hoạch</td><td>Sở Nội vụ</td><td>Sở Tư pháp</td>"
            "<td>Quý II/2026</td></tr></table></body></html>")
    (a,) = parse(html).assignments
    assert (a.task, a.lead, a.partners, a.deadline) == ("Lập kế hoạch", ["Sở Nội vụ"], ["Sở Tư pháp"], "Quý II/2026")


def test_a_tab_separated_table():
    plan = "I. NHIỆM VỤ\nSTT\tNhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\n1\tRà soát\tSở Nội vụ\tSở Tư pháp\n"
    (a,) = parse(plan).assignments
    assert (a.task, a.lead, a.partners) == ("Rà soát", ["Sở Nội vụ"], ["Sở Tư pháp"])


@pytest.mark.parametrize(("text", "date"), [
    ("Quý II/2022", "2022-06"),
    ("Quí IV-2025", "2025-12"),
    ("Quý III Năm 2026", "2026-09"),
    ("Quý IV/2025- Quý II/2026", "2026-06"),
    ("Tháng 12/2025", "2025-12"),
    ("trong tháng 11/2025", "2025-11"),
    ("trước ngày 20/12/2025", "2025-12-20"),
    ("trước ngày 31 tháng 12 năm 2025", "2025-12-31"),
    ("Hoàn thành trong năm 2025", "2025"),
    ("2026-2027", "2027"),
    ("Năm 2025-2030", "2030"),
    ("Năm 2022 và các năm tiếp theo", None),
    ("Thường xuyên", None),
    ("Thường xuyên, hằng năm", None),
    ("trước ngày 20 tháng 12 hằng năm", None),
    ("Bắt đầu triển khai từ năm 2026", None),
    ("Sau khi Nghị định được ban hành", None),
    (None, None),
])
def test_deadline_dates(text, date):
    assert parse_deadline(text) == date


def test_headings_that_name_agencies():
    rest = grammar.compiled("assignments", "heading_rest")
    assert [a.name for a in agencies.leading_names("Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức "
                                                   "chính trị - xã hội:", rest)] == [
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "các tổ chức chính trị - xã hội"]
    assert agencies.leading_names("Sở Tài chính phối hợp với Sở Y tế", rest) is None


ISSUE_EXAMPLES = """I. TỔ CHỨC THỰC HIỆN
1. Giao Sở Kế hoạch và Đầu tư chủ trì, phối hợp với các sở, ngành liên quan tham mưu UBND tỉnh bố trí vốn.
2. Ban Dân tộc tỉnh chủ trì, theo dõi, đôn đốc việc thực hiện Kế hoạch.
3. UBND các huyện, thành phố căn cứ Kế hoạch này xây dựng kế hoạch thực hiện tại địa phương.
4. Các sở, ban, ngành định kỳ báo cáo về Sở Kế hoạch và Đầu tư trước ngày 20 tháng 12 hằng năm.
5. Sở Lao động - Thương binh và Xã hội là cơ quan thường trực, chủ trì, phối hợp với Liên minh HTX tỉnh, Đài PT-TH tỉnh tổ chức tuyên truyền.
6. Công an tỉnh, Bộ Chỉ huy Quân sự tỉnh chịu trách nhiệm chính trong việc bảo đảm an ninh trật tự.
7. Giao UBND các huyện, thành phố chủ trì tổ chức thực hiện các dự án thành phần.
8. Sở Tài nguyên và Môi trường chủ trì rà soát quỹ đất; thời gian hoàn thành: Quý III/2022.
9. Sở Nội vụ là cơ quan chủ trì thực hiện Đề án.
10. Tổ chức hội nghị sơ kết do đồng chí Chủ tịch UBND tỉnh chủ trì.
"""


def test_the_issue_examples():
    found = {a.section: a for a in parse(ISSUE_EXAMPLES).assignments}
    assert found["I.1"].lead == ["Sở Kế hoạch và Đầu tư"] and found["I.1"].partners == ["các sở, ngành liên quan"]
    assert found["I.2"].lead == ["Ban Dân tộc tỉnh"]
    # an agency as subject (3, 4) is not an assignment; nor is a lead made only of a catch-all group (7)
    assert "I.3" not in found and "I.4" not in found and "I.7" not in found
    assert found["I.5"].lead == ["Sở Lao động - Thương binh và Xã hội"]
    assert found["I.5"].partners_expanded == ["Liên minh Hợp tác xã tỉnh", "Đài Phát thanh - Truyền hình tỉnh"]
    assert found["I.6"].lead == ["Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh"]
    assert (found["I.8"].task, found["I.8"].deadline, found["I.8"].deadline_date) == (
        "rà soát quỹ đất", "Quý III/2022", "2022-09")
    assert (found["I.9"].lead, found["I.9"].task) == (["Sở Nội vụ"], "thực hiện Đề án")
    assert "I.10" not in found  # the meeting is chaired by him, no task is assigned


@pytest.mark.parametrize("text", [
    "Chủ trì", "Giao", "Cơ quan chủ trì:", "TT | Cơ quan chủ trì | Cơ quan phối hợp\n| | |\n1 |",
    "- Chủ trì, phối hợp\n- \n", "I. A\n1. Sở Y tế:\na) Chủ trì, phối hợp với", "|" * 50, "x" * 5000,
    "Giao Sở Y tế chủ trì, phối hợp với " * 300,
])
def test_fragments_parse_without_error(text):
    for a in parse(text).assignments:
        assert a.lead and a.span[0] < a.span[1]


# Shapes of Party, Assembly and provincial plans (invented names and tasks)
PARTY_PLAN = """TỈNH ỦY YÊN BÁI
KẾ HOẠCH
Thực hiện Nghị quyết về phát triển văn hóa

I. MỤC ĐÍCH
Nâng cao nhận thức.
II. TỔ CHỨC THỰC HIỆN
1. Giao Đảng đoàn Mặt trận Tổ quốc tỉnh chủ trì, phối hợp với Ban Tuyên giáo và Dân vận Tỉnh ủy xây dựng đề án.
2. Ban cán sự đảng Tòa án nhân dân tỉnh chủ trì lãnh đạo rà soát các quy định.
3. Đảng đoàn Hội đồng nhân dân tỉnh lãnh đạo giám sát; chủ trì, phối hợp với Đảng ủy các cơ quan Đảng tỉnh sơ kết việc thực hiện.
4. Thường trực Ủy ban Văn hóa và Xã hội chủ trì, phối hợp với Thường trực Hội đồng Dân tộc thẩm tra báo cáo.
5. Giao Đảng ủy Mặt trận Tổ quốc, các đoàn thể tỉnh: (i) Chỉ đạo Hội Nông dân tỉnh chủ trì tuyên truyền trong hội viên. (ii) Chỉ đạo Tỉnh đoàn chủ trì tổ chức diễn đàn thanh niên.
6. Hiệp hội Doanh nghiệp tỉnh, Ban Cải cách hiện đại hóa doanh nghiệp tỉnh chủ trì tổ chức diễn đàn.
7. Đồng chí Bí thư Tỉnh ủy chủ trì phiên họp thường kỳ.
Sở Tài chính:
- Chủ trì tham mưu bố trí kinh phí.
- Phối hợp kiểm tra.
"""

TASK_PLAN = """ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN
KẾ HOẠCH
Phát triển nông nghiệp năm 2026

I. NHIỆM VỤ
1. Phát triển vùng nguyên liệu
- Chủ trì: Sở Nông nghiệp và Môi trường.
- Phối hợp: Sở Tài chính; Ủy ban nhân dân các xã.
- Thời gian: Năm 2026.
2. Xây dựng thương hiệu
- Đơn vị thực hiện: Sở Công Thương (chủ trì), Hội Nông dân tỉnh, Liên minh Hợp tác xã tỉnh.
3. Phổ biến pháp luật
- Cơ quan thực hiện: Sở Tư pháp chủ trì xây dựng tài liệu; Sở Nội vụ, Báo Lạng Sơn chủ động đăng tin bài.
- Thời gian thực hiện: Quý IV/2026.
4. Tập huấn
- Cơ quan chủ trì: Sở Nội vụ, các sở, ngành trong phạm vi chức năng, nhiệm vụ của mình và các tổ chức chính trị - xã hội.
II. PHỤ LỤC
TT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian | Sản phẩm
1 | Xây dựng kho dữ liệu | Sở Y tế; UBND cấp xã | Công an tỉnh | Quý III/2026 | Kho dữ liệu
2 | Tuyên truyền | Báo Lạng Sơn<br>Đài Phát thanh và Truyền hình tỉnh | Sở Văn hóa, Thể thao và Du lịch | 2026 | Tin bài
III. PHỤ LỤC II
TT | Nhiệm vụ | Cơ quan thực hiện | Thời gian
1 | Quy hoạch vùng | Sở Nông nghiệp và Môi trường (chủ trì); Sở Xây dựng, Sở Tài chính (phối hợp) | 2026
2 | Hỗ trợ hợp tác xã | Liên minh Hợp tác xã tỉnh chủ trì; các sở, ngành phối hợp | 2027
3 | Kiểm tra định kỳ | Sở Tài chính, Sở Xây dựng | 2027
"""


@pytest.fixture(scope="module")
def party():
    return parse(PARTY_PLAN)


@pytest.fixture(scope="module")
def tasks():
    return parse(TASK_PLAN)


def in_section(doc, section):
    return [(a.lead, a.partners) for a in doc.assignments if a.section == section]


def test_party_committees_lead_by_their_own_name(party):
    assert in_section(party, "II.1") == [(["Đảng đoàn Mặt trận Tổ quốc tỉnh"], ["Ban Tuyên giáo và Dân vận Tỉnh ủy"])]
    assert in_section(party, "II.2") == [(["Ban cán sự đảng Tòa án nhân dân tỉnh"], [])]
    assert in_section(party, "II.4") == [(["Thường trực Ủy ban Văn hóa và Xã hội"], ["Thường trực Hội đồng Dân tộc"])]


def test_a_later_clause_opening_with_chu_tri_takes_its_sentences_subject(party):
    assert in_section(party, "II.3") == [(["Đảng đoàn Hội đồng nhân dân tỉnh"], ["Đảng ủy các cơ quan Đảng tỉnh"])]


def test_giao_with_inline_items_gives_one_assignment_per_item(party):
    items = [a for a in party.assignments if a.section == "II.5"]
    assert [a.lead for a in items] == [["Đảng ủy Mặt trận Tổ quốc, các đoàn thể tỉnh"]] * 2
    assert [a.task for a in items] == ["Chỉ đạo Hội Nông dân tỉnh chủ trì tuyên truyền trong hội viên",
                                      "Chỉ đạo Tỉnh đoàn chủ trì tổ chức diễn đàn thanh niên"]


def test_names_the_gazetteer_does_not_know_lead_by_their_head(party):
    assert in_section(party, "II.6") == [(["Hiệp hội Doanh nghiệp tỉnh", "Ban Cải cách hiện đại hóa doanh nghiệp tỉnh"], [])]


def test_chairing_a_meeting_is_no_assignment(party):
    assert in_section(party, "II.7") == []


def test_a_plain_agency_line_heads_the_dash_items_below_it(party):
    led = [a for a in party.assignments if a.lead == ["Sở Tài chính"]]
    assert [a.task for a in led] == ["tham mưu bố trí kinh phí"]


def test_bare_lead_and_partner_fields(tasks):
    a = next(a for a in tasks.assignments if a.section == "I.1")
    assert (a.lead, a.partners, a.deadline) == (["Sở Nông nghiệp và Môi trường"], ["Sở Tài chính", "Ủy ban nhân dân các xã"],
                                                 "Năm 2026")


def test_a_doer_field_tagging_the_lead(tasks):
    assert in_section(tasks, "I.2") == [(["Sở Công Thương"], ["Hội Nông dân tỉnh", "Liên minh Hợp tác xã tỉnh"])]


def test_a_doer_field_with_a_marker_per_clause_gives_one_assignment_per_clause(tasks):
    found = [(a.lead, a.deadline) for a in tasks.assignments if a.section == "I.3"]
    assert found == [(["Sở Tư pháp"], "Quý IV/2026"), (["Sở Nội vụ", "Báo Lạng Sơn"], "Quý IV/2026")]


def test_a_lead_field_goes_on_past_a_scope_phrase(tasks):
    assert in_section(tasks, "I.4") == [(["Sở Nội vụ", "các sở, ngành", "các tổ chức chính trị - xã hội"], [])]


def test_task_matrix_with_several_leads_per_cell(tasks):
    assert in_section(tasks, "II") == [
        (["Sở Y tế", "UBND cấp xã"], ["Công an tỉnh"]),
        (["Báo Lạng Sơn", "Đài Phát thanh và Truyền hình tỉnh"], ["Sở Văn hóa, Thể thao và Du lịch"]),
    ]


def test_a_doer_column_alone_leads_only_where_the_cell_tags_the_lead(tasks):
    assert in_section(tasks, "III") == [
        (["Sở Nông nghiệp và Môi trường"], ["Sở Xây dựng", "Sở Tài chính"]),
        (["Liên minh Hợp tác xã tỉnh"], ["các sở, ngành"]),
    ]


def test_lead_markers_with_scope_phrases_and_closing_partners():
    plan = ("KẾ HOẠCH\nI. TỔ CHỨC THỰC HIỆN\n"
            "1. Công an tỉnh, Bộ Chỉ huy Quân sự tỉnh theo chức năng, nhiệm vụ được giao chủ trì bảo đảm an ninh.\n"
            "2. Sở Văn hóa, Thể thao và Du lịch chủ trì, với sự phối hợp của Sở Giáo dục và Đào tạo, tổ chức hội thi.\n"
            "3. Sở Công Thương chịu trách nhiệm chính trong việc tổ chức hội chợ; Sở Tài chính, Sở Xây dựng phối hợp.\n"
            "4. Các đơn vị được giao chủ trì chủ động triển khai.\n")
    assert [(a.lead, a.partners) for a in parse(plan).assignments] == [
        (["Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh"], []),
        (["Sở Văn hóa, Thể thao và Du lịch"], ["Sở Giáo dục và Đào tạo"]),
        (["Sở Công Thương"], ["Sở Tài chính", "Sở Xây dựng"]),
    ]


def test_a_resolutions_supervision_clause_names_the_councils_bodies_whole():
    plan = ("NGHỊ QUYẾT\nĐiều 2. Tổ chức thực hiện\n1. Giao Ủy ban nhân dân tỉnh tổ chức thực hiện Nghị quyết.\n"
            "2. Giao Thường trực Hội đồng nhân dân tỉnh; các Ban của Hội đồng nhân dân tỉnh và các Tổ đại biểu, "
            "đại biểu Hội đồng nhân dân tỉnh giám sát việc thực hiện Nghị quyết.\n")
    assert [a.lead for a in parse(plan).assignments] == [
        ["Ủy ban nhân dân tỉnh"],
        ["Thường trực Hội đồng nhân dân tỉnh", "các Ban của Hội đồng nhân dân tỉnh",
         "các Tổ đại biểu, đại biểu Hội đồng nhân dân tỉnh"],
    ]


def test_dash_items_under_a_heading_whose_names_end_in_a_colon_take_them_as_lead():
    plan = ("KẾ HOẠCH\nI. TỔ CHỨC THỰC HIỆN\n1. Sở Y tế: Là cơ quan đầu mối theo dõi việc thực hiện Kế hoạch.\n"
            "- Chủ trì xây dựng đề án đào tạo nhân lực.\n- Chủ trì, phối hợp với Sở Nội vụ kiểm tra định kỳ.\n")
    found = [(a.lead, a.partners) for a in parse(plan).assignments]
    assert (["Sở Y tế"], []) in found and (["Sở Y tế"], ["Sở Nội vụ"]) in found
