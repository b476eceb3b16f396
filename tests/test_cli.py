import json
import subprocess
import sys

from conftest import ROOT

from vnplanparse.cli import main
from vnplanparse.model.schema import committed, generate

SAMPLE = ROOT / "corpus" / "000_9e2d25597e957ed8.txt"


def run(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "vnplanparse.cli", *args], check=False, input=stdin, capture_output=True, cwd=ROOT
    )


def test_committed_schema_matches_models():
    assert committed() == generate(), "run: python -m vnplanparse.model.schema"


def test_parse_writes_valid_json(tmp_path, capsys):
    out = tmp_path / "plan.json"
    assert main(["parse", str(SAMPLE), "-o", str(out), "--pretty"]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["metadata"]["doc_number"] == "77/KH-UBND"
    assert data["source"]["text"] is None
    assert main(["validate", str(out)]) == 0


def test_emit_text_lets_a_consumer_check_spans(capsys):
    assert main(["parse", str(SAMPLE), "--emit-text"]) == 0
    data = json.loads(capsys.readouterr().out)
    text = data["source"]["text"]
    assert len(text) == data["source"]["length"]
    for ref in data["references"]:
        assert ref["doc_number"].split("/")[0] in text[ref["span"][0] : ref["span"][1]]


def test_stdin_and_errors_are_one_line_without_traceback(tmp_path):
    ok = run("parse", "-", stdin=SAMPLE.read_bytes())
    assert ok.returncode == 0 and json.loads(ok.stdout)["metadata"]["signer"] == "Đặng Văn Minh"
    for args, code in [(("parse", str(tmp_path / "missing.txt")), 1), (("parse", str(tmp_path)), 1), (("frobnicate",), 2), ((), 2)]:
        result = run(*args)
        assert result.returncode == code, args
        assert b"Traceback" not in result.stderr
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run("parse", str(empty))
    assert result.returncode == 1 and result.stderr.decode().count("\n") == 1


def test_validate_reports_json_paths(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"schema_version": "1.0", "metadata": {"doc_number": 5}}), encoding="utf-8")
    assert main(["validate", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "$.metadata.doc_number" in err and "$: 'sections' is a required property" in err


def test_version_and_help():
    assert b"vnplanparse" in run("--version").stdout
    for command in ("parse", "schema", "validate", "eval"):
        assert run(command, "--help").returncode == 0


def test_agencies_counts_across_plans_and_reports_bad_files(tmp_path, capsys):
    plan = tmp_path / "plan.txt"
    plan.write_text("I. TỔ CHỨC THỰC HIỆN\n1. Giao Sở KH&CN chủ trì, phối hợp với Sở Tài chính rà soát.\n"
                    "2. Sở Khoa học và Công nghệ chủ trì, phối hợp với Sở Tài chính tổng kết.\n", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    assert main(["agencies", str(plan), str(SAMPLE), str(empty), "--json"]) == 1
    captured = capsys.readouterr()
    counts = {c["name"]: c for c in json.loads(captured.out)}
    assert counts["Sở Khoa học và Công nghệ"]["lead"] == 2  # "Sở KH&CN" is the same agency
    assert counts["Sở Khoa học và Công nghệ"]["written"] == ["Sở KH&CN", "Sở Khoa học và Công nghệ"]
    assert (counts["Sở Tài chính"]["lead"], counts["Sở Tài chính"]["partner"]) == (0, 2)
    assert counts["Sở Nội vụ"]["plans"] == 1  # from the sample plan
    assert next(iter(counts)) == "Sở Khoa học và Công nghệ"
    assert captured.err.count("\n") == 1 and "empty.txt" in captured.err
    assert main(["agencies", str(plan)]) == 0
    assert "lead" in capsys.readouterr().out.splitlines()[0]


def test_agencies_count_the_targets_of_the_sections_they_lead(tmp_path, capsys):
    plan = tmp_path / "plan.txt"
    plan.write_text("KẾ HOẠCH\nI. NHIỆM VỤ\n1. Nâng cao chất lượng y tế cơ sở\n"
                    "- Phấn đấu đến năm 2025 có 95% trạm y tế xã đạt chuẩn quốc gia.\n"
                    "- Cơ quan chủ trì: Sở Y tế\n- Cơ quan phối hợp: UBND các huyện\n", encoding="utf-8")
    assert main(["agencies", str(plan), "--json"]) == 0
    counts = {c["name"]: c for c in json.loads(capsys.readouterr().out)}
    assert (counts["Sở Y tế"]["lead"], counts["Sở Y tế"]["targets"]) == (1, 1)
    assert counts["Ủy ban nhân dân các huyện"]["partner"] == 1
