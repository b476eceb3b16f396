"""The learned keep/drop filter over the target rules' candidates (target_filter.py) and its
training script (scripts/train_target_filter.py)."""

import json
import sys

import pytest
from conftest import ROOT

from vnplanparse import grammar
from vnplanparse.cli import main
from vnplanparse import parse
from vnplanparse.extraction.target_filter import cue_groups, feature_names, keep_probability, load_model, target_features

sys.path.insert(0, str(ROOT / "scripts"))
import train_target_filter  # noqa: E402

# A news article (invented): two past results framed by a topic label, and the plan's aim. The
# rules drop the first (a fact word after its frame); the second, and the aim, they pass.
NEWS = """Quảng Lâm đẩy mạnh chuyển đổi số trong năm mới
(TTXO) – Về chỉ tiêu phát triển doanh nghiệp, thời gian qua tỉnh liên tục vượt kế hoạch, có thêm 1.250 doanh nghiệp thành lập mới, ông Trần Văn Bình cho biết.
(TTXO) – Về mục tiêu xây dựng nông thôn mới, nhiệm kỳ trước không đạt, chỉ có 32 xã đạt chuẩn, bà Lê Thị Hoa chia sẻ.
Theo kế hoạch, tỉnh phấn đấu đến năm 2030 tỷ lệ hộ gia đình có kết nối cáp quang đạt 95%.
"""


def test_model_file_matches_the_features_the_code_computes():
    model = load_model()
    assert model["features"] == feature_names()
    for key in ("mean", "scale", "weights"):
        assert len(model[key]) == len(model["features"]), key
    assert all(scale > 0 for scale in model["scale"])
    assert 0 <= model["threshold"] < 1
    document = parse(NEWS, keep_text=True, target_filter=False)
    rows = target_features(document.source.text, document.sections, document.metadata, document.targets)
    assert rows and all(list(row) == model["features"] for row in rows)


def test_training_used_no_odd_half_document():
    trained = load_model()["trained_on"]
    assert trained
    assert not [name for name in trained if name.startswith("2") and int(name[:3]) % 2]


@pytest.mark.parametrize("example", grammar.load("target_filter")["examples"], ids=lambda e: e["before"][:30])
def test_cue_word_examples(example):
    assert cue_groups(example["before"]) == example["groups"]


def test_filter_drops_past_results_of_a_news_sentence_and_keeps_the_aim():
    raw = parse(NEWS, target_filter=False)
    assert sorted(t.value for t in raw.targets) == [32, 95]  # the rules pass a past result and the aim
    filtered = parse(NEWS)
    assert [(t.value, t.unit, t.year) for t in filtered.targets] == [(95, "%", 2030)]
    assert any("1 candidate target dropped" in w for w in filtered.warnings)
    assert not any("dropped" in w for w in raw.warnings)
    model = load_model()
    rows = target_features(NEWS, raw.sections, raw.metadata, raw.targets)
    assert [keep_probability(model, f) >= model["threshold"] for f in rows] == [False, True]


# A plan (invented) with one aim and four figures the rules tell are none: a result of a year
# before the plan's, a norm, a condition and a count of the plan's own method.
PERMISSIVE_PLAN = """ỦY BAN NHÂN DÂN TỈNH QUẢNG LÂM
Số: 12/KH-UBND
Quảng Lâm, ngày 10 tháng 3 năm 2026
KẾ HOẠCH
Phát triển nông nghiệp giai đoạn 2026 - 2030
I. MỤC TIÊU
1. Phấn đấu đến năm 2030, tỷ lệ hộ dùng nước sạch đạt 98%.
2. Năm 2024, toàn tỉnh đã có 640 hợp tác xã nông nghiệp.
3. Mỗi đơn vị đề nghị khen thưởng không quá 05 cá nhân.
4. Nếu có từ 02 xã trở lên cùng đăng ký thì ưu tiên xã khó khăn hơn.
"""


def test_permissive_targets_keep_what_the_rules_tell_is_no_target():
    rules = parse(PERMISSIVE_PLAN, target_filter=False)
    permissive = parse(PERMISSIVE_PLAN, target_filter=False, permissive_targets=True)
    assert [t.value for t in rules.targets] == [98]
    assert {98, 640, 5, 2} <= {t.value for t in permissive.targets}
    assert parse(PERMISSIVE_PLAN).targets == parse(PERMISSIVE_PLAN, permissive_targets=False).targets


def test_cli_raw_targets_keeps_every_candidate(tmp_path, capsys):
    plan = tmp_path / "news.txt"
    plan.write_text(NEWS, encoding="utf-8")
    assert main(["parse", str(plan)]) == 0
    filtered = json.loads(capsys.readouterr().out)
    assert main(["parse", str(plan), "--raw-targets"]) == 0
    raw = json.loads(capsys.readouterr().out)
    assert len(filtered["targets"]) == 1 and len(raw["targets"]) == 2


# Three tiny training documents (invented): each figure is an aim or, by its golden file, not.
TINY = {
    "001_a": ("Phấn đấu đến năm 2030, tỷ lệ hộ dùng nước sạch đạt 98%.\n"
              "Mỗi đơn vị đề nghị khen thưởng không quá 05 cá nhân.\n", [98]),
    "002_b": ("Đến năm 2028, 100% xã có điểm thu gom rác thải.\n"
              "(TTXO) – Năm qua toàn tỉnh liên tục tăng thu, có thêm 40 hợp tác xã, ông A cho biết.\n", [100]),
    "204": ("Phấn đấu đến năm 2027, trồng mới 500 ha rừng.\n"
              "Hỗ trợ tối đa 70% kinh phí cho hộ có quy mô từ 5 ha trở lên.\n", [500]),
}


def _tiny_set(root):
    golden, corpus = root / "golden", root / "corpus"
    golden.mkdir()
    corpus.mkdir()
    for name, (text, aims) in TINY.items():
        (corpus / f"{name}.txt").write_text(text, encoding="utf-8")
        targets = [t for t in parse(text, target_filter=False).model_dump(mode="json")["targets"] if t["value"] in aims]
        (golden / f"{name}.json").write_text(json.dumps({"doc": name, "labelled": ["targets"], "targets": targets}),
                                             encoding="utf-8")
    (golden / "205.json").write_text("not JSON", encoding="utf-8")  # the odd half: never read, or this fails
    return golden, corpus


def test_training_script_is_deterministic_on_a_tiny_set(tmp_path, capsys):
    golden, corpus = _tiny_set(tmp_path)
    outputs = []
    for run in ("first", "second"):
        out = tmp_path / f"{run}.json"
        assert train_target_filter.main(["--golden", str(golden), "--corpus", str(corpus), "--out", str(out)]) == 0
        outputs.append(out.read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1]
    model = json.loads(outputs[0])
    assert model["trained_on"] == ["001_a", "002_b", "204"]
    assert model["features"] == feature_names()
    assert model["candidates"] > model["kept_labels"] == 3
    assert "with filter (cross-validated)" in capsys.readouterr().out


def test_training_refuses_an_odd_half_file(tmp_path, monkeypatch):
    (tmp_path / "203.json").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(train_target_filter, "TRAINING_GLOBS", ("2*.json",))
    with pytest.raises(SystemExit, match="odd-half"):
        train_target_filter.training_files(tmp_path)
