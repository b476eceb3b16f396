from vnplanparse import parse
from vnplanparse.structure.markers import flatten

PLAN = """KẾ HOẠCH
Thực hiện nhiệm vụ năm 2025

I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
- Quán triệt sâu rộng. Nội dung khác.
- Xác định rõ trách nhiệm
2. Yêu cầu: bám sát thực tiễn
II. MỤC TIÊU
a) Các chỉ tiêu chủ yếu đến năm 2025: (1) Tốc độ tăng trưởng đạt 8%; (2) Tỷ lệ hộ nghèo giảm 3%; (3) Độ che phủ rừng 52%.
b) Định hướng
1.
Công tác tuyên truyền
+ Mở lớp tập huấn
III. TỔ CHỨC THỰC HIỆN
Ghi chú (1) không phải đề mục.
Nơi nhận:
- Như trên;
- Lưu: VT.
PHỤ LỤC I
DANH MỤC
"""


def test_tree_ids_titles_and_spans():
    doc = parse(PLAN)
    flat = {s.id: s for s in flatten(doc.sections)}
    assert list(flat) == [
        "I", "I.1", "I.1.-1", "I.1.-2", "I.2", "II", "II.a", "II.a.(1)", "II.a.(2)", "II.a.(3)", "II.b",
        "II.b.1", "II.b.1.-1", "III", "PL-I",
    ]
    assert flat["I"].title == "MỤC ĐÍCH, YÊU CẦU"
    assert flat["I.1.-1"].title == "Quán triệt sâu rộng"
    assert flat["I.2"].title == "Yêu cầu"
    assert flat["II.a.(2)"].title is None  # an ordinal inside a paragraph heads nothing (002, 004)
    assert flat["II.b.1"].title == "Công tác tuyên truyền"
    assert flat["II.a.(1)"].level == 3 and flat["II.a.(1)"].marker == "(1)"
    assert flat["PL-I"].title == "DANH MỤC"  # an appendix alone on its line is named by its caption
    text = doc.source
    s, e = flat["II.a.(2)"].span
    assert PLAN[s:e].startswith("(2) Tỷ lệ") and PLAN[s:e].rstrip().endswith("3%;")
    s, e = flat["III"].span
    assert "Nơi nhận" not in PLAN[s:e]
    assert text.length == len(PLAN)


def test_decision_articles_and_attached_plan():
    text = "QUYẾT ĐỊNH:\nĐiều 1. Ban hành Kế hoạch.\n1. Khoản một\nĐiều 2. Hiệu lực.\nKẾ HOẠCH\nI. MỤC TIÊU\n1. Chung\n"
    ids = [s.id for s in flatten(parse(text).sections)]
    assert ids == ["Điều-1", "Điều-1.1", "Điều-2", "I", "I.1"]


def test_repeated_sibling_markers_get_unique_ids():
    doc = parse("I. MỤC TIÊU\n1. Chung\nII. NHIỆM VỤ\n1. Một\n1. Lại một\n2. Hai\nII. NHIỆM VỤ KHÁC\n1. Ba\n")
    ids = [s.id for s in flatten(doc.sections)]
    assert ids == ["I", "I.1", "II", "II.1", "II.1#2", "II.2", "II#2", "II#2.1"]


def test_appendix_caption_skips_the_attachment_line():
    doc = parse("I. MỤC TIÊU\nNội dung.\nPHỤ LỤC II\n(Kèm theo Kế hoạch số 12/KH-UBND)\nDANH MỤC NHIỆM VỤ\nTRỌNG TÂM\n")
    appendix = flatten(doc.sections)[-1]
    assert (appendix.id, appendix.title) == ("PL-II", "DANH MỤC NHIỆM VỤ TRỌNG TÂM")


def test_markdown_escapes_are_no_part_of_markers_or_titles():
    from vnplanparse.reading.load import LoadedText
    from vnplanparse.normalising.normalize import normalize

    text = normalize(LoadedText("I\\. MỤC TIÊU\n\n1\\. Chung\n\n\\- Tăng 10\\% số xã, 5\\*3 \\| x\n", "markdown", "utf-8")).text
    assert text == "I. MỤC TIÊU\n1. Chung\n- Tăng 10% số xã, 5*3 | x\n"


def _ids(text):
    return [s.id for s in flatten(parse(text).sections)]


def test_roman_parts_closed_by_a_dash_or_title_cased():
    assert _ids("I- MỤC TIÊU\n1. Chung\nII - NHIỆM VỤ\n1. Một\nIii. TỔ CHỨC\n") == ["I", "I.1", "II", "II.1", "III"]


def test_comma_numbered_items_run_from_one():
    text = "Cụ thể:\n1, Đề án một, do Cục A chủ trì.\n2, Đề án hai.\nVăn bản dẫn tại khoản\n5, Bộ Tài chính có ý kiến.\n"
    assert _ids(text) == ["1", "2"]


def test_wrapped_line_beginning_with_a_number_is_text():
    text = "1. Phạm vi\n2. Phương án\n- Ưu tiên tiếp cận ngay các vùng ngập sâu, chia cắt, ưu tiên các địa bàn cấp độ\n1. Cấp ngay nhu yếu phẩm.\n3. Kinh phí\n"
    assert _ids(text) == ["1", "2", "2.-1", "3"]


def test_question_heading_closes_open_sections():
    text = "Ba khâu đột phá là gì?\n(1) Thể chế.\n(2) Hạ tầng.\nMục tiêu đến năm 2030 là gì?\n- Mục tiêu chung\n- Mục tiêu cụ thể\n+ Về kinh tế\n"
    assert _ids(text) == ["(1)", "(2)", "-1", "-2", "-2.-1"]


def test_interview_items_are_no_sections():
    text = "• Chương trình đặt mục tiêu gì, thưa ông?\n- Tỉnh tập trung vào ba hướng.\n• Khó khăn lớn nhất là gì?\n- Nhận thức còn hạn chế.\n• Xin cảm ơn ông!\n"
    assert _ids(text) == []


def test_explainer_quoting_another_document_holds_no_sections():
    text = (
        "Ngày 04/12/2025, UBND tỉnh ban hành Kế hoạch 12/KH-UBND về giáo dục.\n- Đối với trẻ em: 95% trẻ đến trường.\n"
        "Nhiệm vụ của nhà trường ra sao?\nCăn cứ tại Điều 3 Thông tư 10/2021/TT-BGDĐT quy định như sau:\n- Tổ chức dạy học.\n- Quản lý trẻ em.\n"
    )
    assert _ids(text) == ["-1"]


def _ids_titles(text):
    return [(s.id, s.title) for s in flatten(parse(text).sections)]


def test_parts_named_on_the_next_line():
    text = "KẾ HOẠCH\nMột việc\nPhần I\nKẾT QUẢ THỰC HIỆN\n1. Kết quả\nPHẦN THỨ HAI\nNHIỆM VỤ NĂM 2026\n1. Mục tiêu\n"
    assert _ids_titles(text) == [
        ("I", "KẾT QUẢ THỰC HIỆN"), ("I.1", "Kết quả"), ("II", "NHIỆM VỤ NĂM 2026"), ("II.1", "Mục tiêu"),
    ]


def test_chapters_and_their_sections_group_articles_without_being_sections():
    text = "Chương I\nQUY ĐỊNH CHUNG\nĐiều 1. Phạm vi\nChương II\nMục 1\nCHÍNH SÁCH\nĐiều 2. Hỗ trợ\n1. Mức hỗ trợ.\n"
    assert [i for i, _ in _ids_titles(text)] == ["Điều-1", "Điều-2", "Điều-2.1"]


def test_a_heading_in_capitals_wrapped_after_an_open_word_goes_on():
    text = "I. MỤC ĐÍCH, YÊU CẦU VÀ\nPHẠM VI THỰC HIỆN\n1. Mục đích\nII. NHIỆM VỤ\nIII. KINH PHÍ VÀ\n1. Nguồn\n"
    titles = dict(_ids_titles(text))
    assert titles["I"] == "MỤC ĐÍCH, YÊU CẦU VÀ PHẠM VI THỰC HIỆN"
    assert titles["III"] == "KINH PHÍ VÀ"  # the next line is a heading of its own, not the rest


def test_the_last_article_title_drops_the_closing_mark():
    text = "Điều 1. Ban hành kế hoạch.\nĐiều 2. Chánh Văn phòng chịu trách nhiệm thi hành Quyết định này./.\n"
    assert dict(_ids_titles(text))["Điều-2"] == "Chánh Văn phòng chịu trách nhiệm thi hành Quyết định này"


def test_an_attached_plan_titled_on_its_own_line_restarts_the_numbering():
    text = (
        "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch.\n1. Giao Sở Nội vụ.\nĐiều 2. Hiệu lực.\n"
        "KẾ HOẠCH TRIỂN KHAI THI HÀNH MỘT LUẬT\nI. MỤC ĐÍCH\n1. Mục đích\n"
    )
    assert [i for i, _ in _ids_titles(text)] == ["Điều-1", "Điều-1.1", "Điều-2", "I", "I.1"]
    # a chapter's name is no plan's title: the clause under the next article stays its child
    text = "Điều 1. Phạm vi.\nChương II\nQUY ĐỊNH CHUNG\nĐiều 2. Hỗ trợ\n1. Mức một\n"
    assert [i for i, _ in _ids_titles(text)] == ["Điều-1", "Điều-2", "Điều-2.1"]


def test_preamble_items_are_no_sections_and_read_no_figure_differently():
    preamble = ("- Căn cứ Nghị quyết số 12/NQ-HĐND ngày 05/3/2025 của HĐND tỉnh;\n"
                "- Năm 2025 tỷ lệ che phủ rừng của tỉnh đạt 40%;\n")
    body = ("I. MỤC TIÊU\n1. Đến năm 2030, tỷ lệ che phủ rừng đạt 45%.\n2. Nhiệm vụ\n"
            "- Tổ chức tập huấn cho cán bộ xã. Sở Nội vụ chủ trì, phối hợp Sở Tài chính thực hiện.\n"
            "II. TỔ CHỨC THỰC HIỆN\n")
    head = "KẾ HOẠCH\nPhát triển một ngành năm 2026\n"
    with_preamble, alone = parse(head + preamble + body, target_filter=False), parse(head + body, target_filter=False)
    assert [s.id for s in flatten(with_preamble.sections)] == ["I", "I.1", "I.2", "I.2.-1", "II"]
    read = [(t.section, t.value, t.unit, t.year) for t in with_preamble.targets]
    assert read == [(None, 40, "%", 2025), ("I.1", 45, "%", 2030)]  # the preamble's figure is in no section
    # ids follow the published place: the body's items have the ids they have without the preamble
    assert with_preamble.targets[1].id == alone.targets[0].id
    assert [(a.section, a.id) for a in with_preamble.assignments] == [(a.section, a.id) for a in alone.assignments]
    assert with_preamble.assignments[0].section == "I.2.-1"
