"""Deadline precision and kind, and provinces with their codes: the grammar files' own examples."""

import pytest
from conftest import assert_found_in_examples

from vnplanparse import grammar, parse
from vnplanparse.extraction import places
from vnplanparse.extraction.assignments.extract import parse_deadline
from vnplanparse.extraction.deadlines import kind, precision

DEADLINES = grammar.load("deadlines")
PROVINCES = grammar.load("provinces")


@pytest.mark.parametrize("key", ["recurring", "ongoing", "quarter"])
def test_deadline_pattern_examples(key):
    assert_found_in_examples(grammar.compiled("deadlines", key), DEADLINES[key])


@pytest.mark.parametrize("deadline, date, expected_precision, expected_kind", DEADLINES["examples"],
                         ids=[e[0] for e in DEADLINES["examples"]])
def test_deadline_examples(deadline, date, expected_precision, expected_kind):
    assert parse_deadline(deadline) == date
    assert (precision(deadline, date), kind(deadline, date)) == (expected_precision, expected_kind)


def test_the_province_lists_are_complete_and_map_old_to_new():
    new, old = PROVINCES["provinces_2025"], PROVINCES["provinces_before_2025"]
    assert (len(new), len(old)) == (34, 63)
    assert {becomes for _, becomes in old.values()} == set(new)  # every new province is made of old ones


def test_a_merged_province_keeps_the_code_of_one_of_its_parts():
    # Quyết định 124/2004/QĐ-TTg: a merged province takes the code of the one holding its seat,
    # so every 2025 code is also the old code of a province that became part of it
    old = PROVINCES["provinces_before_2025"]
    assert [code for code in PROVINCES["provinces_2025"] if old.get(code, [None, None])[1] != code] == []


# Codes checked against public sources (see the header of grammars/provinces.yaml), written out
# here so that an edit of the data file that breaks one fails: the four centrally-run cities,
# and merges whose seat, hence code, went to the province that lost its name.
VERIFIED = [  # name, issued, code then, 2025 province, its code
    ("Hà Nội", "2024-01-01", "01", "Hà Nội", "01"),
    ("Thành phố Hồ Chí Minh", "2024-01-01", "79", "Hồ Chí Minh", "79"),
    ("Đà Nẵng", "2024-01-01", "48", "Đà Nẵng", "48"),
    ("Cần Thơ", "2024-01-01", "92", "Cần Thơ", "92"),
    ("Yên Bái", "2024-01-01", "15", "Lào Cai", "15"),
    ("Bắc Giang", "2024-01-01", "24", "Bắc Ninh", "24"),
    ("Bắc Ninh", "2024-01-01", "27", "Bắc Ninh", "24"),
    ("Quảng Bình", "2024-01-01", "44", "Quảng Trị", "44"),
    ("Bình Định", "2024-01-01", "52", "Gia Lai", "52"),
    ("Long An", "2024-01-01", "80", "Tây Ninh", "80"),
    ("Tiền Giang", "2024-01-01", "82", "Đồng Tháp", "82"),
    ("Kiên Giang", "2024-01-01", "91", "An Giang", "91"),
    ("An Giang", "2024-01-01", "89", "An Giang", "91"),
    ("Bà Rịa - Vũng Tàu", "2024-01-01", "77", "Hồ Chí Minh", "79"),
    ("Đắk Nông", "2024-01-01", "67", "Lâm Đồng", "68"),
    ("Gia Lai", "2025-09-01", "52", "Gia Lai", "52"),
]


@pytest.mark.parametrize("name, date, code, name_2025, code_2025", VERIFIED, ids=[f"{e[0]} {e[1]}" for e in VERIFIED])
def test_verified_codes(name, date, code, name_2025, code_2025):
    place = places.province(name, date)
    assert (place.code, place.name_2025, place.code_2025) == (code, name_2025, code_2025)


@pytest.mark.parametrize("name, date, code, name_2025, code_2025", PROVINCES["examples"],
                         ids=[f"{e[0]} {e[1]}" for e in PROVINCES["examples"]])
def test_province_examples(name, date, code, name_2025, code_2025):
    place = places.province(name, date)
    assert (place.code, place.name_2025, place.code_2025) == (code, name_2025, code_2025)


def test_an_agency_belongs_to_the_province_its_name_says_or_the_issuers():
    issuer = places.province("Quảng Ngãi", "2022-05-06")
    assert places.agency_province("Sở Ngoại vụ tỉnh Lào Cai", issuer, "2022-05-06").code == "10"
    assert places.agency_province("Sở Y tế", issuer, "2022-05-06") == issuer
    assert places.agency_province("Bộ Y tế", issuer, "2022-05-06") is None


def test_a_parse_sets_the_deadline_fields():
    plan = parse("III. TỔ CHỨC THỰC HIỆN\n1. Sở Y tế chủ trì xây dựng kế hoạch, hoàn thành trong quý II/2026.\n")
    assert [(a.deadline_date, a.deadline_precision, a.deadline_kind) for a in plan.assignments] == [
        ("2026-06", "quarter", "once")]
