"""Canonical quantities: the unit table's own examples, and the fields a parse sets."""

import pytest

from vnplanparse import grammar, parse
from vnplanparse.extraction.quantities import canonical

EXAMPLES = grammar.load("canonical_units")["examples"]


@pytest.mark.parametrize("value, unit, expected_value, expected_unit", EXAMPLES, ids=[e[1] for e in EXAMPLES])
def test_unit_table_examples(value, unit, expected_value, expected_unit):
    assert canonical(value, unit) == (expected_value, expected_unit)


def test_synonyms_are_one_unit():
    assert canonical(10, "TOE") == canonical(10, "tấn dầu quy đổi")
    assert canonical(1, "tỷ đồng") == canonical(1000, "triệu đồng")


def test_no_unit_no_canonical():
    assert canonical(5, None) == (None, None)


def test_a_parse_fills_the_canonical_fields():
    plan = parse("Phấn đấu đến năm 2025, tổng vốn đầu tư đạt 3.500 tỷ đồng; trồng mới 2.000 ha rừng.")
    by_unit = {t.unit: t for t in plan.targets}
    assert (by_unit["tỷ đồng"].value_canonical, by_unit["tỷ đồng"].unit_canonical) == (3_500_000_000_000, "đồng")
    assert (by_unit["ha"].value_canonical, by_unit["ha"].unit_canonical) == (2000, "ha")
