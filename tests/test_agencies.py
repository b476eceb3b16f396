"""Agency names: the grammar's own examples, names no plan here uses, list splitting, expansion."""

import pytest
import regex

from vnplanparse.extraction import agencies
from vnplanparse import grammar, parse

AGENCIES = grammar.load("agencies")
PATTERNS = {key: spec for key, spec in AGENCIES["patterns"].items() if isinstance(spec, dict)}


@pytest.mark.parametrize("key", sorted(PATTERNS))
def test_agency_pattern_examples(key):
    pattern = agencies.compiled(key)
    for text in PATTERNS[key]["examples"]:
        assert pattern.fullmatch(text), text
    for text in PATTERNS[key]["counter_examples"]:
        assert not pattern.fullmatch(text), text


def names(text):
    return [a.name for a in agencies.find_agencies(text)]


@pytest.mark.parametrize("name", [
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Ngoại vụ tỉnh Lào Cai",  # a department no plan here names
    "Sở Du lịch",
    "Sở Quy hoạch - Kiến trúc thành phố Hà Nội",
    "Ban Quản lý Khu du lịch quốc gia Mộc Châu",
    "Ngân hàng Chính sách xã hội chi nhánh tỉnh Sơn La",
    "Bộ Chỉ huy Bộ đội Biên phòng tỉnh",
    "Hội Liên hiệp Phụ nữ tỉnh",
    "Văn phòng Ủy ban nhân dân tỉnh",
    "Ủy ban nhân dân các huyện, thị xã, thành phố",
    "Cục Thống kê tỉnh",
    "Trường Cao đẳng Sư phạm Điện Biên",
])
def test_a_name_in_running_text_is_found_whole(name):
    assert names(f"Giao {name} chủ trì, tổ chức thực hiện.") == [name]


def test_a_list_of_names_ends_at_the_verb():
    text = ("phối hợp với Sở Kế hoạch và Đầu tư, Sở Văn hóa, Thể thao và Du lịch, Ban Dân tộc tỉnh và "
            "các cơ quan, đơn vị liên quan tổ chức thực hiện")
    found = agencies.read_list(text, len("phối hợp với "))
    assert [a.name for a in found] == ["Sở Kế hoạch và Đầu tư", "Sở Văn hóa, Thể thao và Du lịch", "Ban Dân tộc tỉnh",
                                       "các cơ quan, đơn vị liên quan"]
    assert [a.group for a in found] == [False, False, False, True]


def test_a_name_does_not_run_into_a_verb_it_has_never_seen():
    assert names("Sở Y tế khám sàng lọc cho học sinh") == ["Sở Y tế"]
    assert names("Chi cục Quản lý thị trường tỉnh kiểm tra") == ["Chi cục Quản lý thị trường tỉnh"]


def test_a_comma_is_part_of_a_name_only_in_a_field_list():
    assert names("Sở Y tế, Công an tỉnh, Sở Lao động - Thương binh và Xã hội") == [
        "Sở Y tế", "Công an tỉnh", "Sở Lao động - Thương binh và Xã hội"]


def test_cells_split_into_one_entry_per_agency():
    cell = "Sở Khoa học và Công nghệ Sở Công Thương; UBND các phường, xã"
    assert [a.name for a in agencies.split_names(cell)] == ["Sở Khoa học và Công nghệ", "Sở Công Thương",
                                                           "UBND các phường, xã"]
    cell = "Doanh nghiệp, nhà cung cấp dịch vụ IoT, nhà đầu tư"
    assert [a.name for a in agencies.split_names(cell)] == ["Doanh nghiệp", "nhà cung cấp dịch vụ IoT", "nhà đầu tư"]
    cell = "Bộ Công an, Bộ Y tế với các tiêu chuẩn, quy chuẩn dùng chung; các bộ, ngành với các hướng dẫn nội ngành"
    assert [a.name for a in agencies.split_names(cell)] == ["Bộ Công an", "Bộ Y tế", "các bộ, ngành"]


def test_catch_all_groups_stay_one_entry():
    assert names("các sở, ban, ngành, đoàn thể có liên quan") == ["các sở, ban, ngành, đoàn thể có liên quan"]
    assert names("Bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ") == ["Bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ"]
    assert names("cơ sở vật chất và đơn vị tính") == []  # lone group nouns are ordinary words


@pytest.mark.parametrize(("written", "expanded"), [
    ("Sở KH&CN", "Sở Khoa học và Công nghệ"),
    ("UBND các xã, phường", "Ủy ban nhân dân các xã, phường"),
    ("Ủy ban MTTQ Việt Nam tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"),
    ("SKHĐT", "Sở Kế hoạch và Đầu tư"),
    ("BDT", "Ban Dân tộc"),
    ("Sở NN&PTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
    ("Sở Y tế", "Sở Y tế"),  # no abbreviation: the name itself
    ("HĐND tỉnh", "Hội đồng nhân dân tỉnh"),
])
def test_abbreviations_expand(written, expanded):
    assert agencies.expand(written) == expanded


def test_abbreviated_names_are_found():
    assert names("Giao SKHĐT, BDT và Sở LĐTBXH chủ trì") == ["SKHĐT", "BDT", "Sở LĐTBXH"]


def test_a_task_named_first_takes_the_lead_after_its_comma():
    plan = ("KẾ HOẠCH\nI. NHIỆM VỤ\n1. Nghị định về quản lý hàng hóa qua thương mại điện tử, "
            "do Cục Giám sát quản lý về hải quan chủ trì.\n2. Các dự án do Bộ Công an chủ trì được ưu tiên.\n")
    found = [(a.lead, a.task) for a in parse(plan).assignments]
    assert found == [(["Cục Giám sát quản lý về hải quan"], "Nghị định về quản lý hàng hóa qua thương mại điện tử")]


def provincial_plan(province: str) -> str:
    return (f"Kế hoạch 12/KH-UBND năm 2023 phát triển khoa học do tỉnh {province} ban hành\n\n"
            "Số hiệu 12/KH-UBND\nNgày ban hành 10/03/2023\nLoại văn bản Kế hoạch\n"
            f"Cơ quan ban hành Tỉnh {province}\nNgười ký Nguyễn Văn A\n\nKẾ HOẠCH\nPhát triển khoa học năm 2023\n"
            "I. TỔ CHỨC THỰC HIỆN\n1. Sở KH&CN chủ trì, phối hợp với Bộ Khoa học và Công nghệ xây dựng chương trình.\n")


def test_two_provinces_departments_never_merge():
    from vnplanparse.evaluation.agency_counts import count_agencies

    plans = [(p, parse(provincial_plan(p))) for p in ("Lào Cai", "Quảng Ngãi", "Hà Giang")]
    counts = {(c.name, c.place and c.place.name): c for c in count_agencies(plans)}
    department = "Sở Khoa học và Công nghệ"
    assert {key for key in counts if key[0] == department} == {
        (department, "Lào Cai"), (department, "Quảng Ngãi"), (department, "Hà Giang")}
    assert counts[(department, "Hà Giang")].as_dict()["province_code_2025"] == "08"  # now part of Tuyên Quang
    ministry = counts[("Bộ Khoa học và Công nghệ", None)]  # a central body: one, in three plans
    assert (ministry.partner, len(ministry.plans)) == (3, 3)


@pytest.mark.parametrize("name", [
    # Party committees and the Assembly's bodies
    "Ban cán sự đảng Ủy ban nhân dân tỉnh",
    "Đảng đoàn Hội đồng nhân dân tỉnh",
    "Thường trực Tỉnh ủy",
    "Đảng ủy các cơ quan Đảng tỉnh",
    "Đảng ủy Mặt trận Tổ quốc, các đoàn thể tỉnh",  # one committee: its comma is part of the name
    "Ban Chính sách, chiến lược Trung ương",
    "Thường trực Ủy ban Văn hóa và Xã hội",
    "Ban Pháp chế Hội đồng nhân dân tỉnh",
    "Đoàn đại biểu Quốc hội tỉnh",
    # names the gazetteer did not know
    "Trung tâm Xúc tiến đầu tư, thương mại và du lịch tỉnh",
    "Ban Chỉ đạo phòng, chống thiên tai tỉnh",
    "Ban Chỉ huy Phòng thủ dân sự tỉnh",
    "Trung tâm Dịch vụ việc làm tỉnh",
    "Chi nhánh Ngân hàng Chính sách xã hội tỉnh",
    "Cổng Thông tin điện tử tỉnh",
])
def test_names_of_party_assembly_and_described_bodies_are_found_whole(name):
    assert names(f"Giao {name} chủ trì, tổ chức thực hiện.") == [name]


def test_a_described_name_still_ends_at_the_verb_or_the_next_name():
    assert names("Thường trực Hội đồng Dân tộc thẩm tra báo cáo") == ["Thường trực Hội đồng Dân tộc"]
    assert names("Trung tâm Y tế, Sở Tài chính và Công an tỉnh") == ["Trung tâm Y tế", "Sở Tài chính", "Công an tỉnh"]


def test_a_sentence_case_name_runs_on_to_its_marker_only_over_plain_words():
    text = "Ban Cải cách hiện đại hóa hải quan chủ trì"
    found = agencies.find_agencies(text)[0]
    assert agencies.extend_to(text, found, text.index(" chủ trì")).name == "Ban Cải cách hiện đại hóa hải quan"
    text = "Sở Y tế tiếp tục chủ trì"  # a verb between: the name stays as found
    found = agencies.find_agencies(text)[0]
    assert agencies.extend_to(text, found, text.index(" chủ trì")).name == "Sở Y tế"


def test_a_line_break_left_in_a_cell_separates_names():
    cell = "Báo Quảng Ninh<br>Đài Phát thanh và Truyền hình tỉnh<br>- Hiệp hội Du lịch tỉnh"
    assert [a.name for a in agencies.split_names(cell)] == [
        "Báo Quảng Ninh", "Đài Phát thanh và Truyền hình tỉnh", "Hiệp hội Du lịch tỉnh"]


def test_a_plural_level_keeps_the_kind_of_area_it_names():
    assert names("phối hợp với Ủy ban nhân dân các huyện miền núi tổ chức") == ["Ủy ban nhân dân các huyện miền núi"]
    assert names("Giao UBND các xã, phường có cửa khẩu chủ trì") == ["UBND các xã, phường có cửa khẩu"]
    assert names("Ủy ban nhân dân các xã có trách nhiệm triển khai") == ["Ủy ban nhân dân các xã"]
    assert names("Ủy ban nhân dân tỉnh miền núi") == ["Ủy ban nhân dân tỉnh"]  # a single level: no qualifier read


def test_the_name_patterns_call_their_repeated_pieces_and_match_as_written_out():
    """Issue 23: HEAD_START and STOP are called as subroutines in the name patterns (a pattern at
    most six tenths as long); the called pattern matches what the written-out one matches."""
    named_re, group_re = agencies._name_re()
    data = grammar.load("agencies")["patterns"]
    for key, called in (("NAMED", named_re), ("GROUP", group_re)):
        written = regex.compile(r"(?<![\p{L}\p{N}&])(?:" + agencies.pieces()[key] + ")")
        assert len(called.pattern) < 0.6 * len(written.pattern)
        spec = data[key]
        for text in [*spec["examples"], *spec.get("counter_examples", []), "Sở Y tế chủ trì, Sở Tài chính phối hợp"]:
            for pos in range(len(text)):
                old, new = written.match(text, pos), called.match(text, pos)
                assert (old and old.span()) == (new and new.span()), (key, text, pos)
