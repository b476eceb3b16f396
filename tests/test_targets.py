"""Targets: the grammar files' examples (numbers, units, whole clauses) and the behaviour that
the guide asks for — time inheritance, baseline, annual, stable ids, what is not a target."""

import pytest

from vnplanparse import grammar, parse
from vnplanparse.extraction.numbers import find_quantities
from vnplanparse.extraction.targets.patterns import _pattern
from vnplanparse.extraction.units import read_unit

NUMBERS = grammar.load("numbers")
UNITS = grammar.load("units")
TARGETS = grammar.load("targets")


@pytest.mark.parametrize("written", sorted(NUMBERS["examples"]))
def test_number_examples(written):
    value, value_max, scale = NUMBERS["examples"][written]
    found = find_quantities(written)
    assert len(found) == 1, found
    q = found[0]
    assert (q.value, q.value_max, q.scale) == (value, value_max, scale)


@pytest.mark.parametrize("written", NUMBERS["counter_examples"])
def test_number_counter_examples(written):
    assert find_quantities(written) == []


@pytest.mark.parametrize("written", sorted(UNITS["examples"]))
def test_unit_examples(written):
    q = find_quantities(written)[0]
    unit = read_unit(written, q, len(written))
    assert unit is not None and unit.text == UNITS["examples"][written]


@pytest.mark.parametrize("written", UNITS["counter_examples"])
def test_unit_counter_examples(written):
    q = find_quantities(written)[0]
    assert read_unit(written, q, len(written)) is None


def _targets(body: str):
    return parse(f"KẾ HOẠCH\nII. MỤC TIÊU\n{body}\n", target_filter=False).targets  # the rules alone


@pytest.mark.parametrize("example", TARGETS["examples"], ids=lambda e: e["text"][:40])
def test_clause_examples(example):
    got = [
        [t.value, t.value_max, t.comparator, t.unit, t.direction, t.annual] for t in _targets(example["text"])
    ]
    assert got == example["targets"]


@pytest.mark.parametrize("text", TARGETS["counter_examples"])
def test_clause_counter_examples(text):
    assert _targets(text) == []


def _finds(name: str, spec: dict, text: str) -> bool:
    pattern = _pattern(name)
    how = "fullmatch" if spec.get("fullmatch") else "match" if spec.get("match") else "search"
    return getattr(pattern, how)(text) is not None


@pytest.mark.parametrize("name", sorted(TARGETS["pattern_examples"]))
def test_cue_pattern_examples(name):
    """The cue-word patterns (title verbs, delimiters, captions, …) find their examples and none of
    their counter-examples; a case-sensitive one misses its words written in other capitals."""
    spec = TARGETS["pattern_examples"][name]
    assert spec["examples"] and spec["counter_examples"], name
    for text in spec["examples"]:
        assert _finds(name, spec, text), text
    for text in spec["counter_examples"]:
        assert not _finds(name, spec, text), text


def test_every_case_sensitive_pattern_has_examples():
    assert set(TARGETS["case_sensitive"]) <= set(TARGETS["pattern_examples"])


def test_year_comes_from_the_lead_in_and_period_only_where_stated():
    targets = _targets(
        "a) Các chỉ tiêu chủ yếu đến năm 2025: (1) Giá trị sản xuất giai đoạn 2021 - 2025 tăng bình quân "
        "8 - 9%/năm; tỷ trọng nông nghiệp 33 - 34%. (2) Thu nhập tăng trên 2 lần so với năm 2020."
    )
    assert [(t.year, t.period and (t.period.start, t.period.end)) for t in targets] == [
        (2025, (2021, 2025)), (2025, None), (2025, None)]
    assert [t.ordinal for t in targets] == ["(1)", "(1)", "(2)"]
    assert targets[2].baseline_year == 2020 and targets[0].annual and not targets[1].annual


def test_heading_time_reaches_the_items_below():
    targets = parse("KẾ HOẠCH\nII. MỤC TIÊU\n2. Mục tiêu cụ thể đến năm 2035\n- 100% trẻ em được đến trường.\n").targets
    assert [(t.value, t.year) for t in targets] == [(100, 2035)]


def test_plan_period_stated_in_the_first_part_or_its_own_heading_reaches_undated_targets():
    first_part = ("KẾ HOẠCH\nPhát triển du lịch\nI. MỤC ĐÍCH, YÊU CẦU\nThời gian thực hiện: năm 2026 - 2028.\n"
                  "II. MỤC TIÊU\n1. Đón 2 triệu lượt khách.\n2. Doanh thu đạt 900 tỷ đồng vào năm 2027.\n")
    assert [(t.year, t.period and (t.period.start, t.period.end)) for t in parse(first_part).targets] == [
        (2028, (2026, 2028)), (2027, None)]
    own_heading = ("KẾ HOẠCH\nPhát triển du lịch\nI. MỤC TIÊU\n1. Đón 2 triệu lượt khách.\nII. NHIỆM VỤ\n"
                   "1. Tổ chức 02 hội chợ du lịch.\n- Thời gian thực hiện: năm 2027 - 2029.\n"
                   "V. THỜI GIAN THỰC HIỆN\nTừ năm 2026 đến năm 2028.\n")
    assert [t.year for t in parse(own_heading).targets] == [2028, 2028]
    # a task's own "Thời gian thực hiện" deep in the plan is that task's deadline, not the plan's period
    task_only = "KẾ HOẠCH\nI. MỤC TIÊU\n1. Đón 2 triệu lượt khách.\nII. NHIỆM VỤ\n- Thời gian thực hiện: năm 2027 - 2029.\n"
    assert [t.year for t in parse(task_only).targets] == [None]


def test_a_news_headline_period_reaches_the_aims_stated_without_time():
    news = ("Tỉnh A điều chỉnh chỉ tiêu tăng trưởng giai đoạn 2021-2025\n\n"
            "(ABC) – Đại hội đặt mục tiêu tổng vốn đầu tư xã hội chiếm khoảng 30% GRDP; "
            "GRDP bình quân đầu người đến năm 2030 đạt 9.000 USD/người.\n")
    assert [(t.value, t.year, t.period and (t.period.start, t.period.end)) for t in parse(news).targets] == [
        (30, 2025, (2021, 2025)), (9000, 2030, None)]


def test_heading_years_reach_only_the_targets_under_them():
    targets = _targets("1. Mục tiêu cụ thể\na) Đến năm 2030\n- Tỷ lệ che phủ rừng đạt 45%.\n"
                       "b) Tầm nhìn đến năm 2050\n- Tỷ lệ che phủ rừng đạt 50%.\n")
    assert [(t.value, t.year) for t in targets] == [(45, 2030), (50, 2050)]


def test_compound_clause_gives_one_target_per_item_with_its_indicator():
    targets = _targets("30% trường mầm non, 45% trường tiểu học và 77% trường trung học phổ thông đạt chuẩn quốc gia.")
    assert [(t.value, t.indicator) for t in targets] == [
        (30, "trường mầm non đạt chuẩn quốc gia"), (45, "trường tiểu học đạt chuẩn quốc gia"),
        (77, "trường trung học phổ thông đạt chuẩn quốc gia")]


def test_money_per_year_is_a_level_but_a_rate_per_year_is_annual():
    money, rate = _targets("Thu nhập bình quân đạt 100 triệu đồng/người/năm; tỷ lệ hộ nghèo giảm 3%/năm.")
    assert (money.unit, money.annual) == ("triệu đồng/người/năm", False)
    assert (rate.unit, rate.annual, rate.direction) == ("%/năm", True, "decrease")


def test_ids_survive_an_edit_elsewhere():
    body = "1. Độ che phủ rừng đạt 63%.\n2. Tỷ lệ hộ nghèo giảm 3%/năm.\n"
    before = parse(f"KẾ HOẠCH\nII. MỤC TIÊU\n{body}")
    after = parse(f"KẾ HOẠCH\nI. MỤC ĐÍCH\nNâng cao đời sống, có thêm 05 mô hình mới.\nII. MỤC TIÊU\n{body}")
    assert [t.id for t in before.targets] == [t.id for t in after.targets if t.section.startswith("II")]
    assert before.targets[0].id != before.targets[1].id


def test_past_results_and_reporting_deadlines_are_not_targets():
    assert _targets("I. KẾT QUẢ THỰC HIỆN NĂM 2023\nTỷ lệ che phủ rừng đạt 62%.") == []
    assert _targets("Các đơn vị báo cáo về Sở trước ngày 20 tháng 12 hằng năm.") == []


@pytest.mark.parametrize("example", TARGETS["indicator_examples"], ids=lambda e: e["text"][:40])
def test_indicator_examples(example):
    assert [t.indicator for t in _targets(example["text"])] == example["indicators"]


def test_headline_and_teaser_repeats_are_not_second_targets_but_other_sections_restate():
    news = ("TPHCM: Sẽ đào tạo nâng cao năng lực cho 100% cán bộ phòng, chống ma túy\n\n"
            "Theo kế hoạch, TPHCM sẽ đào tạo nâng cao năng lực cho 100% cán bộ, chiến sĩ phòng, chống ma túy; "
            "99% hồ sơ người nghiện được xem xét.\n\n"
            "(HDDTVN) – Kế hoạch nêu rõ TPHCM sẽ đào tạo nâng cao năng lực cho 100% cán bộ phòng, chống ma túy.\n")
    assert [(t.value, t.span[0] > 0) for t in parse(news, target_filter=False).targets] == [(100, True), (99, True)]
    plan = ("KẾ HOẠCH\nI. MỤC TIÊU\n1. 100% cán bộ được đào tạo.\nII. NHIỆM VỤ\n"
            "1. Đào tạo để 100% cán bộ được đào tạo.\n")
    assert len(parse(plan).targets) == 2


def test_the_time_nearest_the_number_is_its_own():
    targets = _targets("Phục vụ Chiến lược phát triển 10 năm 2021-2030, trong đó năng lượng sơ cấp đến năm 2030 "
                       "đạt khoảng 175-195 triệu tấn dầu quy đổi")
    assert [(t.value, t.year) for t in targets] == [(175000000, 2030)]


def test_meeting_a_standard_says_nothing_of_the_direction():
    assert [t.direction for t in _targets("Số xã tăng thêm đạt chuẩn nông thôn mới là 20 xã")] == ["increase"]


@pytest.mark.parametrize("example", TARGETS["news_examples"], ids=lambda e: e["text"][:40])
@pytest.mark.parametrize("line_break", ["\n", "\n\n"], ids=["lines", "blank-separated"])
def test_news_reports_give_only_the_figures_they_frame_as_aims(example, line_break):
    # the rules alone: the learned filter is tested in test_target_filter.py. A page read from
    # HTML or DOCX has a blank line between every two paragraphs: the frame must not depend on it.
    text = example["text"].replace("\n", line_break)
    assert [t.value for t in parse(text, target_filter=False).targets] == example["values"]
