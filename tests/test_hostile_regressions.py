"""The crashes, invalid outputs and silent losses a wide fuzz found (issue 19), each as the
smallest input that showed it (after ../shared/repro/, written anew here)."""

from __future__ import annotations

import json
import math

import pytest
from pydantic import ValidationError

from vnplanparse import parse
from vnplanparse.cli import main
from vnplanparse.output.emit import document_json
from vnplanparse.reading.load import from_string
from vnplanparse.model.plan import Target
from vnplanparse.model.schema import committed
from vnplanparse.output.validate import loads_json, violations

PLAN = """KẾ HOẠCH
Thực hiện nhiệm vụ năm 2025
I. MỤC TIÊU
1. Tỷ lệ hộ nghèo giảm 2% năm 2025.
2. Phấn đấu đến năm 2025 có 30 xã đạt chuẩn nông thôn mới.
II. TỔ CHỨC THỰC HIỆN
1. Sở Tài chính chủ trì, phối hợp với Sở Nội vụ triển khai.
"""


# --- numbers that are not finite --------------------------------------------------------------

@pytest.mark.parametrize("written", ["9" * 400, "9" * 305 + " tỷ", ".".join(["999"] * 110), "1" + "0" * 5000])
def test_a_number_too_large_for_a_float_stays_text_with_a_warning(written):
    document = parse(f"I. MỤC TIÊU\n1. Tỷ lệ hộ nghèo đạt {written}%, có 30 xã đạt chuẩn.\n", keep_text=True)
    assert [t.value for t in document.targets] == [30]  # the readable one is still a target
    assert any("too large to read" in w for w in document.warnings)
    assert "Infinity" not in document_json(document)


def test_a_table_cell_too_large_for_a_float_makes_no_target(tmp_path, capsys):
    plan = tmp_path / "plan.txt"
    plan.write_text("KẾ HOẠCH\nChỉ tiêu\tĐơn vị\tNăm 2025\nTỷ lệ hộ nghèo\t%\t" + "9" * 400 + "\n", encoding="utf-8")
    assert main(["parse", str(plan)]) == 0
    out = capsys.readouterr().out
    assert "Infinity" not in out and "NaN" not in out
    assert any("too large to read" in w for w in json.loads(out)["warnings"])


def test_the_model_and_the_schema_refuse_numbers_that_are_not_finite():
    fields = {"id": "t-1", "section": None, "indicator": None, "text": "x", "span": (0, 1)}
    for value in (math.inf, -math.inf, math.nan):
        with pytest.raises(ValidationError):
            Target(value=value, **fields)
    value_schema = committed()["$defs"]["Target"]["properties"]["value"]
    assert value_schema["maximum"] == -value_schema["minimum"] > 1e308
    document = json.loads(document_json(parse(PLAN)))
    for value in (math.inf, math.nan, 10**400):
        document["targets"][0]["value"] = value
        assert violations(document), value


@pytest.mark.parametrize("written", ["Infinity", "NaN", "-Infinity", "1e400"])
def test_validate_and_apply_refuse_what_is_not_json(written, tmp_path, capsys):
    plan = tmp_path / "plan.json"
    plan.write_text(document_json(parse(PLAN)), encoding="utf-8")
    target_id = json.loads(plan.read_text())["targets"][0]["id"]
    bad = tmp_path / "bad.json"
    bad.write_text(plan.read_text().replace('"value": 2,', f'"value": {written},'), encoding="utf-8")
    assert written in bad.read_text()
    assert main(["validate", str(bad)]) == 1
    assert "not JSON" in capsys.readouterr().err
    patch = tmp_path / "fix.patch.json"
    patch.write_text(f'[{{"op": "replace", "path": "/targets/{target_id}/value", "value": {written}}}]')
    assert main(["apply", str(plan), str(patch)]) == 1
    captured = capsys.readouterr()
    assert "not JSON" in captured.err
    assert loads_json(captured.out)["targets"][0]["value"] == 2  # strict: no NaN or Infinity in it


# --- apply ------------------------------------------------------------------------------------

def test_children_replaced_by_a_list_are_refused_and_a_later_add_still_applies(tmp_path, capsys):
    plan = tmp_path / "plan.json"
    plan.write_text(document_json(parse(PLAN)), encoding="utf-8")
    child = {"id": "I.9", "marker": "9.", "level": 2, "title": None, "span": [30, 40], "children": {}}
    patch = tmp_path / "fix.patch.json"
    patch.write_text(json.dumps([{"op": "replace", "path": "/sections/I/children", "value": []},
                                 {"op": "add", "path": "/sections/I/children/I.9", "value": child}]))
    assert main(["apply", str(plan), str(patch)]) == 1
    captured = capsys.readouterr()
    assert "op 1 (replace /sections/I/children)" in captured.err and "keyed by id" in captured.err
    assert "op 2" not in captured.err
    assert sorted(c["id"] for c in json.loads(captured.out)["sections"][0]["children"]) == ["I.1", "I.2", "I.9"]


def test_a_span_only_correction_is_reported_not_silently_undone(tmp_path, capsys):
    source = tmp_path / "plan.txt"
    source.write_text(PLAN, encoding="utf-8")
    assert main(["parse", str(source), "-o", str(tmp_path / "plan.json")]) == 0
    plan = json.loads((tmp_path / "plan.json").read_text())
    target = plan["targets"][0]
    start, end = target["span"]
    for name, text_too in (("span-only", False), ("span-and-text", True)):
        corrected = json.loads(json.dumps(plan))
        corrected["targets"][0]["span"] = [start, end - 5]
        if text_too:
            corrected["targets"][0]["text"] = target["text"][:-5]
        (tmp_path / f"{name}.json").write_text(json.dumps(corrected, ensure_ascii=False), encoding="utf-8")
        folder = tmp_path / name
        folder.mkdir()
        assert main(["diff", str(tmp_path / "plan.json"), str(tmp_path / f"{name}.json"), "-o", str(folder)]) == 0
        code = main(["parse", str(source), "--corrections", str(folder)])
        captured = capsys.readouterr()
        span = json.loads(captured.out)["targets"][0]["span"]
        if text_too:
            assert (code, span) == (0, [start, end - 5])
        else:
            assert code == 1 and "does not hold its text" in captured.err and span == [start, end]


# --- HTML chrome never closed; mojibake -----------------------------------------------------------

@pytest.mark.parametrize("tag", ["nav", "header", "footer", "aside"])
def test_an_unclosed_chrome_element_does_not_drop_the_rest_of_the_page(tag):
    page = (f"<html><body><p>KẾ HOẠCH số 12/KH-UBND</p><{tag}><a href=/>Trang chủ</a>"
            "<p>1. Tỷ lệ hộ nghèo giảm 2% năm 2025</p></body></html>")
    document = parse(from_string(page, name="page.html"), keep_text=True)
    assert "Tỷ lệ hộ nghèo giảm 2%" in document.source.text and len(document.targets) == 1
    assert any(f"unclosed <{tag}>" in w for w in document.warnings)
    closed = page.replace("Trang chủ</a>", f"Trang chủ</a></{tag}>")
    document = parse(from_string(closed, name="page.html"), keep_text=True)
    assert "Trang chủ" not in document.source.text and document.warnings == []  # closed chrome still dropped


@pytest.mark.parametrize("text", ["0 ng, 5 uá»9%\n", "Phấn đấu có 5 hoà giải viên\n", "đạt 5 khoẻ mạnh, 3 thuỷ lợi\n"])
def test_spans_hold_where_the_segmenter_rewrites_words(text):
    document = parse(text, keep_text=True)
    assert document.targets
    for target in document.targets:
        assert target.span[0] <= target.span[1]
        assert document.source.text[target.span[0] : target.span[1]] == target.text
        assert target.unit is None or target.unit == "" or target.unit in target.text


# --- silent losses in eval and agencies -----------------------------------------------------------

def test_eval_fails_when_a_gold_files_source_is_not_found(tmp_path, capsys):
    gold, corpus = tmp_path / "gold", tmp_path / "corpus"
    gold.mkdir(), corpus.mkdir()
    (corpus / "plan.txt").write_text(PLAN, encoding="utf-8")
    (gold / "plan.json").write_text(document_json(parse(corpus / "plan.txt")), encoding="utf-8")
    assert main(["eval", str(gold), "--corpus", str(corpus)]) == 0
    (gold / "elsewhere.json").write_text(json.dumps({"doc": "elsewhere", "metadata": {}}), encoding="utf-8")
    capsys.readouterr()
    assert main(["eval", str(gold), "--corpus", str(corpus)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "elsewhere: not scored: source not found" in err


def test_agencies_reports_a_plan_the_parser_fails_on_and_counts_the_others(tmp_path, capsys, monkeypatch):
    import vnplanparse.cli.commands as cli

    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(PLAN, encoding="utf-8")
    real_parse = cli.parse
    monkeypatch.setattr(cli, "parse", lambda path, **k: 1 / 0 if path.name == "b.txt" else real_parse(path, **k))
    assert main(["agencies", str(tmp_path), "--json"]) == 1
    captured = capsys.readouterr()
    assert "b.txt: internal error: ZeroDivisionError" in captured.err and captured.err.count("\n") == 1
    assert {c["name"]: c["plans"] for c in json.loads(captured.out)}["Sở Tài chính"] == 2
