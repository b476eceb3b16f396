"""Reviewers' corrections: diff to an RFC 6902 patch over items keyed by id, apply it to a fresh
extraction, find stored corrections for `parse --corrections`, and score corrected files in eval."""

import copy
import json

import jsonpatch
import pytest
from conftest import ROOT

from vnplanparse import parse
from vnplanparse.cli import main
from vnplanparse.review.corrections import CorrectionError, correction_names, diff, keyed, locate, unkeyed
from vnplanparse.review.patches import apply_patches, format_changes, summarize
from vnplanparse.evaluation.evaluate import evaluate
from vnplanparse.output.validate import violations

SEEDS = sorted((ROOT / "corpus").glob("*.txt"))
SAMPLE = ROOT / "corpus" / "000_9e2d25597e957ed8.txt"
CONTENT = ("metadata", "sections", "targets", "assignments", "references")

PLAN = """KẾ HOẠCH
Phát triển kinh tế - xã hội năm 2025

I. MỤC TIÊU
1. Chỉ tiêu chủ yếu
Đến năm 2025, tỷ lệ hộ nghèo giảm còn 2%.
Độ che phủ rừng đạt 45%.
Có 20 xã đạt chuẩn nông thôn mới.
II. TỔ CHỨC THỰC HIỆN
Giao Sở Nông nghiệp và Phát triển nông thôn chủ trì, phối hợp với Sở Tài chính triển khai kế hoạch.
"""


def parsed(source) -> dict:
    return parse(source).model_dump(mode="json")


def by_text(document: dict, words: str) -> dict:
    return next(t for t in document["targets"] if words in t["text"])


def content(document: dict) -> dict:
    return {part: document[part] for part in CONTENT}


@pytest.fixture(scope="module")
def sample() -> dict:
    return parsed(SAMPLE)


def corrected_sample(sample: dict) -> dict:
    """A reviewer's corrections of every kind on the sample plan."""
    fixed = copy.deepcopy(sample)
    fixed["metadata"]["signer"] = "Nguyễn Văn A"
    fixed["sections"][0]["children"][0]["title"] = "Mục đích chung"
    fixed["targets"][0]["value"] = 2
    fixed["targets"][1]["unit"] = "xã"
    fixed["targets"][1]["comparator"] = "gte"
    del fixed["targets"][2]  # a false positive
    missed = dict(copy.deepcopy(fixed["targets"][4]), id="t-added-1", value=7, value_max=None, comparator="eq")
    fixed["targets"].append(missed)
    fixed["assignments"][0]["lead"] = ["Sở Tài chính", "Sở Nội vụ"]
    fixed["assignments"][0]["lead_expanded"] = ["Sở Tài chính", "Sở Nội vụ"]
    return fixed


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem[:3])
def test_keyed_view_turns_back_into_the_same_document(path):
    document = parsed(path)
    view = keyed(document)
    assert set(view["targets"]) == {t["id"] for t in document["targets"]}
    assert unkeyed(view, document) == document


def test_repeated_section_ids_are_keyed_apart_and_kept_in_place():
    document = parsed("KẾ HOẠCH\nThử nghiệm\n\nIV. PHẦN MỘT\nNội dung một.\nIV. PHẦN HAI\nNội dung hai.\n")
    assert [s["id"] for s in document["sections"]] == ["IV", "IV#2"]  # the parser's ids are unique
    document["sections"][1]["id"] = "IV"  # a hand-edited document may repeat one: keys stay apart
    assert list(keyed(document)["sections"]) == ["IV", "IV#2"]
    fixed = copy.deepcopy(document)
    fixed["sections"][1]["id"] = "V"
    patch = diff(document, fixed)
    assert {op["path"] for op in patch} == {"/sections/IV#2", "/sections/V"}
    assert [s["id"] for s in apply_patches(document, [("p", patch)]).document["sections"]] == ["IV", "V"]


def test_diff_then_apply_gives_the_correction_back(sample):
    fixed = corrected_sample(sample)
    patch = diff(sample, fixed)
    jsonpatch.JsonPatch(patch)  # the library reads it as an RFC 6902 patch
    result = apply_patches(sample, [("fix", patch)])
    assert result.problems == []
    assert content(result.document) == content(fixed) | {"targets": result.document["targets"]}
    assert sorted(map(json.dumps, result.document["targets"])) == sorted(map(json.dumps, fixed["targets"]))
    # the added target goes where its span puts it (after the target it was copied from), not at the end
    ids = [t["id"] for t in result.document["targets"]]
    assert ids.index("t-added-1") == ids.index(fixed["targets"][4]["id"]) + 1 < len(ids) - 1
    assert violations(result.document) == []


def test_patch_names_items_and_whole_fields_never_positions(sample):
    patch = diff(sample, corrected_sample(sample))
    paths = {op["path"] for op in patch}
    assert f"/targets/{sample['targets'][0]['id']}/value" in paths
    assert f"/targets/{sample['targets'][2]['id']}" in paths  # removed, by id
    assert "/targets/t-added-1" in paths
    assert f"/assignments/{sample['assignments'][0]['id']}/lead" in paths  # the whole list, not /lead/0
    assert "/sections/I/children/I.1/title" in paths
    assert {op["op"] for op in patch} <= {"add", "remove", "replace"}
    for op in patch:
        address = locate(op["path"])
        assert op["path"] == address.pointer  # nothing below the field
        assert not op["path"].split("/")[-1].isdigit()


def test_a_correction_still_applies_when_the_parser_finds_one_more_target_before_it():
    first = parsed(PLAN)
    forest = by_text(first, "che phủ rừng")
    fixed = copy.deepcopy(first)
    by_text(fixed, "che phủ rừng").update(value=50, comparator="gte")
    fixed["targets"] = [t for t in fixed["targets"] if "nông thôn mới" not in t["text"]]  # the reviewer's deletion
    patch = diff(first, fixed)

    later = parsed(PLAN.replace("Độ che phủ rừng", "Tỷ lệ đô thị hóa đạt 30%.\nĐộ che phủ rừng"))
    position = [t["id"] for t in later["targets"]].index(forest["id"])
    assert position == [t["id"] for t in first["targets"]].index(forest["id"]) + 1
    result = apply_patches(later, [("fix", patch)]).document
    assert result["targets"][position]["id"] == forest["id"]
    assert (result["targets"][position]["value"], result["targets"][position]["comparator"]) == (50, "gte")
    assert by_text(result, "đô thị hóa")["value"] == 30  # the new target is untouched
    assert not any("nông thôn mới" in t["text"] for t in result["targets"])  # still removed after re-parse


def test_spans_a_correction_sets_follow_its_text_in_a_changed_normalised_text():
    first = parse(PLAN, keep_text=True).model_dump(mode="json")
    fixed = copy.deepcopy(first)
    added = dict(by_text(fixed, "nông thôn mới"), id="t-added", value=21)  # as if the parser had missed it
    fixed["targets"].append(added)
    missing = dict(added, text="Có 99 xã", span=[0, 8])
    patch = diff(first, fixed) + [{"op": "add", "path": "/targets/t-missing", "value": missing}]

    later = parse("Lời nói đầu.\n" + PLAN, keep_text=True).model_dump(mode="json")
    result = apply_patches(later, [("fix", patch)])
    text = later["source"]["text"]
    moved = next(t for t in result.document["targets"] if t["id"] == "t-added")
    assert moved["span"] != added["span"] and text[moved["span"][0] : moved["span"][1]] == added["text"]
    assert result.problems == [('patch fix: op 2 (add /targets/t-missing): target t-missing: its text "Có 99 xã" '
                               "is not in the plan")]


def test_an_operation_whose_item_is_gone_is_reported_and_the_rest_apply(sample):
    forest = sample["targets"][3]["id"]
    first = [{"op": "replace", "path": "/targets/t-gone/value", "value": 1},
             {"op": "replace", "path": f"/targets/{forest}/value", "value": 64}]
    second = [{"op": "remove", "path": "/assignments/a-gone"},
              {"op": "replace", "path": "/sections/IX/children/IX.2/title", "value": "x"},
              {"op": "replace", "path": "/metadata/signer", "value": "B"}]
    result = apply_patches(sample, [("one.json", first), ("two.json", second)])
    assert result.problems == [
        "patch one.json: op 1 (replace /targets/t-gone/value): item t-gone no longer exists",
        "patch two.json: op 1 (remove /assignments/a-gone): item a-gone no longer exists",
        "patch two.json: op 2 (replace /sections/IX/children/IX.2/title): section IX no longer exists",
    ]
    assert result.document["targets"][3]["value"] == 64
    assert result.document["metadata"]["signer"] == "B"
    assert [w for w in result.document["warnings"] if "not applied" in w] == [
        f"correction not applied: {p}" for p in result.problems]


def test_an_operation_that_would_break_the_document_is_refused(sample):
    target = sample["targets"][0]["id"]
    patch = [{"op": "replace", "path": f"/targets/{target}/value", "value": "nine"},
             {"op": "replace", "path": f"/targets/{target}/span", "value": [0, 10**9]},
             {"op": "replace", "path": f"/targets/{target}/id", "value": "t-new"},
             {"op": "replace", "path": "/source/sha256", "value": "0"},
             {"op": "frobnicate", "path": "/metadata/signer"},
             "not an operation",
             {"op": "add", "path": "/sections/I/children/I.9", "value": {"id": "I.9", "children": [{"id": "x"}]}},
             {"op": "add", "path": "/sections/I/children/I.9", "value": "a string"}]
    result = apply_patches(sample, [("p", patch)])
    reasons = [line.split(": ", 1)[1] for line in result.problems]
    assert len(reasons) == 8
    assert f"$.targets[{target}].value" in reasons[0] and "outside the text" in reasons[1]
    assert "id is its key" in reasons[2] and "not in metadata" in reasons[3]
    assert "frobnicate" in reasons[4] and "not a JSON Patch operation" in reasons[5]
    assert "$.sections[I][I.9]: not shaped like a section of the keyed view" in reasons[6]
    assert "$.sections[I][I.9]: not shaped like a section" in reasons[7]
    assert content(result.document) == content(sample)


def test_a_hand_written_addition_takes_its_id_from_the_path(sample):
    added = {k: v for k, v in sample["targets"][0].items() if k != "id"}
    result = apply_patches(sample, [("p", [{"op": "add", "path": "/targets/t-mine", "value": added}])])
    assert result.problems == []
    assert [t for t in result.document["targets"] if t["id"] == "t-mine"] == [dict(added, id="t-mine")]


def test_text_summary_says_what_changed_from_what_to_what(sample):
    fixed = corrected_sample(sample)
    patch = diff(sample, fixed)
    lines = format_changes(summarize(keyed(sample), keyed(fixed), patch)).splitlines()
    first, second, removed = sample["targets"][:3]
    assert '~ metadata: signer "Đặng Văn Minh" → "Nguyễn Văn A"' in lines
    assert '~ section I.1 "Mục đích": title "Mục đích" → "Mục đích chung"' in lines
    assert any(line.startswith(f"~ target {first['id']} ") and line.endswith(f"value {first['value']} → 2")
               for line in lines)
    assert any(line.startswith(f"~ target {second['id']} ") and 'unit "%" → "xã"' in line
               and 'comparator "eq" → "gte"' in line for line in lines)
    assert any(line.startswith(f"- target {removed['id']} ") for line in lines)
    assert any(line.startswith("+ target t-added-1 ") for line in lines)
    assert len(lines) == 7
    assert format_changes(summarize(keyed(sample), keyed(sample), diff(sample, sample))) == "no differences"


# --- command line ------------------------------------------------------------------------------

def write(path, data):
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_diff_and_apply_commands(tmp_path, sample, capsys):
    extracted, corrected = write(tmp_path / "e.json", sample), write(tmp_path / "c.json", corrected_sample(sample))
    assert main(["diff", extracted, corrected, "-o", str(tmp_path / "fix.patch.json")]) == 0
    assert main(["diff", extracted, corrected, "--format", "text"]) == 0
    assert "+ target t-added-1" in capsys.readouterr().out
    assert main(["apply", extracted, str(tmp_path / "fix.patch.json"), "-o", str(tmp_path / "out.json")]) == 0
    out = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert content(out) == content(apply_patches(sample, [("f", diff(sample, corrected_sample(sample)))]).document)
    assert main(["validate", str(tmp_path / "out.json")]) == 0


def test_apply_command_reports_what_it_could_not_apply_and_still_writes(tmp_path, sample, capsys):
    plan = write(tmp_path / "plan.json", sample)
    stale = write(tmp_path / "stale.patch.json", [{"op": "replace", "path": "/targets/t-x/value", "value": 1},
                                                  {"op": "replace", "path": "/metadata/signer", "value": "B"}])
    (tmp_path / "broken.patch.json").write_text("[{", encoding="utf-8")
    code = main(["apply", plan, stale, str(tmp_path / "broken.patch.json"), "-o", str(tmp_path / "out.json")])
    err = capsys.readouterr().err.splitlines()
    assert code == 1
    assert f"vnplanparse: patch {stale}: op 1 (replace /targets/t-x/value): item t-x no longer exists" in err
    assert any("broken.patch.json: not JSON" in line for line in err) and len(err) == 2
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["metadata"]["signer"] == "B"


def test_diff_refuses_files_it_cannot_compare(tmp_path, sample, capsys):
    extracted = write(tmp_path / "e.json", sample)
    broken = copy.deepcopy(sample)
    broken["targets"][0]["value"] = "9"
    twin = copy.deepcopy(sample)
    twin["targets"].append(twin["targets"][0])
    other = copy.deepcopy(sample)
    other["source"]["sha256"] = "0" * 64
    for data, words in ((broken, "$.targets[0].value"), (twin, "two targets have id"), (other, "different texts")):
        assert main(["diff", extracted, write(tmp_path / "c.json", data)]) == 1
        err = capsys.readouterr().err
        assert words in err and err.count("\n") == 1


def test_parse_with_stored_corrections(tmp_path, sample, capsys):
    fixed = corrected_sample(sample)
    store = tmp_path / "corrections"
    store.mkdir()
    extracted, corrected = write(tmp_path / "e.json", sample), write(tmp_path / "c.json", fixed)
    assert main(["diff", extracted, corrected, "-o", str(store)]) == 0
    assert [p.name for p in store.iterdir()] == [f"{sample['source']['sha256']}.patch.json"]
    assert main(["parse", str(SAMPLE), "--corrections", str(store), "-o", str(tmp_path / "out.json")]) == 0
    out = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert content(out)["metadata"] == fixed["metadata"] and out["source"]["text"] is None

    # the same fix stored under the document number applies too
    (store / f"{sample['source']['sha256']}.patch.json").rename(store / "77_KH-UBND.patch.json")
    assert main(["parse", str(SAMPLE), "--corrections", str(store)]) == 0
    assert json.loads(capsys.readouterr().out)["metadata"]["signer"] == "Nguyễn Văn A"

    empty = tmp_path / "none"
    empty.mkdir()
    assert main(["parse", str(SAMPLE), "--corrections", str(empty)]) == 0
    assert content(json.loads(capsys.readouterr().out)) == content(sample)
    assert main(["parse", str(SAMPLE), "--corrections", str(tmp_path / "missing")]) == 2


def test_correction_file_names(sample):
    names = correction_names(sample)
    assert names == [f"{sample['source']['sha256']}.patch.json", "000_9e2d25597e957ed8.patch.json",
                     "77_KH-UBND.patch.json"]
    assert correction_names(parsed("Số: 12/QĐ-UBND\nQUYẾT ĐỊNH\nVề việc thử\n"))[-1] == "12_QĐ-UBND.patch.json"


def test_keyed_view_refuses_repeated_ids(sample):
    twin = copy.deepcopy(sample)
    twin["references"].append(twin["references"][0])
    with pytest.raises(CorrectionError, match="two references have id"):
        keyed(twin)


# --- corrected files as gold ---------------------------------------------------------------------

def test_eval_takes_a_corrected_parse_as_gold(tmp_path, sample):
    gold = tmp_path / "gold"
    gold.mkdir()
    write(gold / "unchanged.json", sample)
    report = evaluate(gold, [ROOT / "corpus"])
    assert [d.doc for d in report.documents] == ["000_9e2d25597e957ed8"]
    for part in ("metadata", "sections", "references", "targets", "assignments.lead"):
        assert report.part(part).f1 == 1.0, part
    assert all(report.attribute(n).value == 1.0 for n in report.attribute_names())

    fixed = corrected_sample(sample)
    fixed["source"]["path"] = None  # found by the text's SHA-256 instead of its name
    write(gold / "unchanged.json", fixed)
    report = evaluate(gold, [ROOT / "corpus"])
    targets = report.documents[0].parts["targets"]
    # a changed value and an added target are missed; the changed value and the deleted target are spurious
    assert (targets.fn, targets.fp, targets.tp) == (2, 2, len(sample["targets"]) - 2)
    assert report.attribute("targets.unit").right == report.attribute("targets.unit").total - 1
    assert report.attribute("targets.comparator").right == report.attribute("targets.comparator").total - 1
    assert report.part("assignments.lead").fp == 0 and report.part("assignments.lead").fn == 1
    assert report.part("metadata").fn == 1
