import json
import subprocess
import sys

from conftest import ROOT

from vnplanparse.cli import main
from vnplanparse.schema import committed, generate

SAMPLE = ROOT / "corpus" / "000_9e2d25597e957ed8.txt"


def run(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "vnplanparse.cli", *args], check=False, input=stdin, capture_output=True, cwd=ROOT
    )


def test_committed_schema_matches_models():
    assert committed() == generate(), "run: python -m vnplanparse.schema"


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
