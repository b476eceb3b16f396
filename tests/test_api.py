"""The Python API: DataFrames, bytes, and strings that look like paths."""

import pytest
from conftest import ROOT

from vnplanparse import InputError, parse

SAMPLE = ROOT / "corpus" / "000_9e2d25597e957ed8.txt"


def test_frames_hold_the_documents_items():
    pytest.importorskip("pandas")
    plan = parse(SAMPLE)
    targets = plan.targets_frame()
    assert list(targets["target_id"]) == [t.id for t in plan.targets]
    assert set(targets["document_id"]) == {plan.source.sha256}
    assignments = plan.assignments_frame()
    assert len(assignments) == sum(len(a.lead) + len(a.partners) for a in plan.assignments)
    assert set(assignments["role"]) <= {"lead", "partner", "none"}
    sections = plan.sections_frame()
    assert "II" in set(sections["section_id"]) and sections["parent_id"].notna().any()


def test_bytes_parse_as_the_file_would():
    assert parse(SAMPLE.read_bytes()).model_dump(exclude={"source"}) == parse(SAMPLE).model_dump(exclude={"source"})
    assert parse("Kế hoạch".encode("utf-16")).source.encoding.startswith("utf-16")


@pytest.mark.parametrize("name", ["missing-plan.txt", "archive/kh-2025.html", "plan.MD"])
def test_a_missing_path_is_an_error_not_a_plan(name):
    with pytest.raises(InputError, match="no such file"):
        parse(name)


def test_a_line_of_text_is_still_a_plan():
    plan = parse("Phấn đấu đến năm 2025, tỷ lệ hộ nghèo giảm còn 2%.")
    assert [t.value for t in plan.targets] == [2]
