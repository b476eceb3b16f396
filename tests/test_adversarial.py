"""Nasty inputs (issue 7): each gets a document or one clear line of error, never a traceback,
a hang, a network fetch or a read of another file. The small files live in tests/adversarial/
(make_files.py writes them); large worst cases are generated here at moderate sizes, only to
show they finish — benchmarks/bench_worst_cases.py measures how their time grows."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import make_files
import pytest
import worst_cases
from conftest import ROOT

from vnplanparse import InputError, parse
from vnplanparse.batch.run import BatchOptions, run_batch
from vnplanparse.cli import main
from vnplanparse.reading.load import DEFAULT_MAX_BYTES, decode_bytes, from_string, read_path, read_stream
from vnplanparse.structure.markers import flatten

FILES = ROOT / "tests" / "adversarial"

# file -> words the one-line error must hold, or None when the file must parse
EXPECTED = {
    "empty.txt": "empty input",
    "whitespace_only.txt": "empty input",
    "bom_only.txt": "empty input",
    "invisible_only.txt": "no text to parse",
    "fake_report.pdf": "PDF",
    "fake_plan.docx": "ZIP archive (DOCX",
    "old_plan.doc": "OLE document",
    "pixel.png": "PNG image",
    "photo.jpg": "JPEG image",
    "plan.txt.gz": "gzip",
    "random_bytes.bin": "binary data",
    "control_bytes.txt": "binary data (control bytes)",
    "damaged_utf8.txt": "invalid UTF-8 at byte 200",
    "undecodable.txt": "neither UTF-8, UTF-16 nor Windows-1258",
    "tcvn3.txt": "legacy TCVN3 (ABC) font encoding",
    "vni.txt": None,
    "utf16le_no_bom.txt": None,
    "utf32.txt": None,
    "windows1258.txt": None,
    "mixed_line_ends.txt": None,
    "nfd.txt": None,
    "stray_controls.txt": None,
    "billion_laughs.html": None,
    "external_resources.html": None,
    "external_entity.xml": None,
    "unclosed_tags.html": None,
}


def test_every_file_here_has_an_expectation_and_is_current():
    on_disk = {p.name for p in FILES.iterdir() if p.suffix != ".py" and p.name != "__pycache__"}
    assert on_disk == set(EXPECTED)
    for name, data in make_files.files().items():
        assert (FILES / name).read_bytes() == data, f"{name}: run tests/adversarial/make_files.py"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_cli_gives_a_document_or_one_line(name, capsys):
    code = main(["parse", str(FILES / name)])
    captured = capsys.readouterr()
    if EXPECTED[name] is None:
        assert code == 0 and captured.err == ""
        assert captured.out.startswith('{"schema_version"')
    else:
        assert code == 1 and captured.out == ""
        assert captured.err.count("\n") == 1 and captured.err.startswith("vnplanparse: ")
        assert str(FILES / name) in captured.err and EXPECTED[name] in captured.err


def run_cli(*args, stdin: bytes | None = None):
    return subprocess.run([sys.executable, "-m", "vnplanparse.cli", *args], input=stdin, capture_output=True,
                          check=False, cwd=ROOT, timeout=120)


def test_errors_from_a_real_process_are_one_line(tmp_path):
    weird = tmp_path / "kế hoạch\nhai dòng.txt"
    weird.write_bytes(b"")
    for args, words in [
        (("parse", str(FILES / "fake_report.pdf")), "PDF"),
        (("parse", str(tmp_path)), "is a directory"),
        (("parse", str(tmp_path / "missing.txt")), "no such file"),
        (("parse", str(weird)), "hai dòng.txt: empty input"),
        (("parse", str(FILES / "vni.txt"), "--max-bytes", "100"), "over the limit of 100 bytes"),
        (("parse", "-", "--max-bytes", "1k"), "more than 1024 bytes"),
    ]:
        result = run_cli(*args, stdin=b"x" * 2000)
        err = result.stderr.decode("utf-8")
        assert result.returncode == 1, args
        assert err.count("\n") == 1 and "Traceback" not in err and words in err, err
    assert run_cli("parse", str(FILES / "vni.txt"), "--max-bytes", "lots").returncode == 2


def test_an_output_that_cannot_be_written_is_one_line(tmp_path, capsys):
    assert main(["parse", str(FILES / "vni.txt"), "-o", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err == f"vnplanparse: {tmp_path}: cannot write (Is a directory)\n"
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind


def test_size_limit_is_configurable_and_defaults_to_20_mb(tmp_path):
    assert DEFAULT_MAX_BYTES == 20 * 1024 * 1024
    big = tmp_path / "big.txt"
    with open(big, "wb") as handle:
        handle.truncate(DEFAULT_MAX_BYTES + 1)  # sparse: nothing is written, and only the limit is read
    with pytest.raises(InputError, match="20971521 bytes is over the limit of 20 MB"):
        read_path(big)
    plan = make_files.PLAN
    with pytest.raises(InputError, match="over the limit of 100 bytes"):
        parse(plan, max_bytes=100)
    with pytest.raises(InputError, match="over the limit"):
        read_stream(io.BytesIO(plan.encode()), max_bytes=100)
    assert parse(plan, max_bytes=len(plan.encode()) + 1).sections


def test_a_device_that_never_ends_is_cut_at_the_limit():
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    with pytest.raises(InputError, match="more than 1000 bytes"):
        read_path("/dev/zero", max_bytes=1000)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(tmp_path):
    locked = tmp_path / "locked.txt"
    locked.write_text("I. MỤC TIÊU\n")
    locked.chmod(0)
    with pytest.raises(InputError, match="permission denied"):
        read_path(locked)


def test_undecodable_file_name_still_gives_json(tmp_path, capsys):
    name = os.fsdecode(bytes(tmp_path) + b"/k\xe9 ho\xb9ch.txt")
    Path(name).write_text(make_files.PLAN, encoding="utf-8")
    assert main(["parse", name]) == 0
    assert "\\xe9" in capsys.readouterr().out


def test_lone_surrogates_in_a_string_are_refused():
    with pytest.raises(InputError, match="lone surrogate"):
        parse("I. MỤC TIÊU \ud800")


# --- encodings --------------------------------------------------------------------------------

def _essence(document) -> tuple:
    return (
        [(s.id, s.title, s.span) for s in flatten(document.sections)],
        [(t.value, t.unit, t.indicator, t.span) for t in document.targets],
        [(a.lead, a.partners, a.task) for a in document.assignments],
        document.metadata,
    )


@pytest.mark.parametrize("name", ["vni.txt", "utf16le_no_bom.txt", "utf32.txt", "windows1258.txt", "nfd.txt",
                                  "mixed_line_ends.txt"])
def test_other_encodings_give_the_same_document(name):
    plain = parse(make_files.PLAN)
    other = parse(FILES / name)
    assert _essence(other) == _essence(plain)


def test_vni_is_converted_with_a_warning_and_tcvn3_refused_by_name():
    document = parse(FILES / "vni.txt")
    assert document.source.encoding == "vni"
    assert document.warnings == ["converted from the legacy VNI font encoding"]
    copied = (FILES / "vni.txt").read_bytes().decode("latin-1")  # VNI letters pasted into a Unicode file
    assert _essence(parse(copied)) == _essence(parse(make_files.PLAN))
    with pytest.raises(InputError, match="TCVN3"):
        decode_bytes((FILES / "tcvn3.txt").read_bytes())
    with pytest.raises(InputError, match="TCVN3"):
        from_string((FILES / "tcvn3.txt").read_bytes().decode("latin-1"))


def test_unicode_plans_are_never_taken_for_a_legacy_encoding(corpus_dirs):
    for path in sorted(p for d in corpus_dirs for p in d.glob("*.txt")):
        loaded = read_path(path)
        assert (loaded.encoding, loaded.warnings) == ("utf-8", ()), path


# --- worst cases --------------------------------------------------------------------------------

@pytest.mark.parametrize("case,size", [
    ("ordinals", 10_000),  # ten thousand "(n)" in one paragraph
    ("long_word", 1_000_000),  # a line of 1 MB with no space
    ("long_number", 100_000),
    ("long_mixed", 200_000),
    ("run_on", 100_000),
    ("long_spaces", 100_000),
    ("space_run", 1_000_000),  # a run of 1 MB of spaces in a table cell
    ("nested", 200),
    ("many_lines", 5_000),
    ("lead_ins", 1_000),
    ("table_rows", 1_000),
    ("closing_blocks", 1_000),
    ("html_page", 500),
    ("markdown_cells", 1_000),
    ("big_plan", 2),
])
def test_worst_cases_finish(case, size):
    make, _ = worst_cases.CASES[case]
    text = make(size)
    document = parse(from_string(text, name=worst_cases.FORMATS.get(case)))
    assert document.source.length > 0
    assert len(document.model_dump_json()) < 25 * len(text) + 10_000  # no item copies the rest of a line


def test_elements_nested_thousands_deep():
    divs = "<html><body>" + "<div>" * 20_000 + "<p>I. MỤC TIÊU</p><ol>" + "<li>Tỷ lệ đạt 5%</li>" * 3 + "</ol>"
    document = parse(divs + "</div>" * 20_000 + "</body></html>", keep_text=True)
    assert document.source.text.splitlines()[-1] == "3. Tỷ lệ đạt 5%"
    tables = "<html><body>" + "<table><tr><td>" * 5_000 + "I. MỤC TIÊU" + "</td></tr></table>" * 5_000
    with pytest.raises(InputError, match="nested too deeply"):
        parse(tables)


# --- HTML is data ---------------------------------------------------------------------------------

_watching: list[tuple[str, tuple]] | None = None


def _audit(event: str, args: tuple) -> None:
    if _watching is not None and event.split(".")[0] in ("open", "socket", "subprocess", "os", "urllib", "http",
                                                         "webbrowser", "ftplib", "smtplib", "ctypes"):
        _watching.append((event, args))


sys.addaudithook(_audit)  # hooks cannot be removed; this one records only inside watching()


@contextmanager
def watching():
    global _watching
    _watching = []
    try:
        yield _watching
    finally:
        _watching = None


@pytest.mark.parametrize("name", ["external_resources.html", "billion_laughs.html", "external_entity.xml"])
def test_html_is_parsed_as_data(name):
    parse(ROOT / "corpus" / "000_9e2d25597e957ed8.txt")  # grammars and the word segmenter load once, here
    path = FILES / name
    with watching() as events:
        document = parse(path, keep_text=True)
    opened = [args[0] for event, args in events if event == "open"]
    assert opened == [str(path)], events  # the input, and nothing else: no file, socket or process
    assert [event for event, _ in events if event != "open"] == []
    text = document.source.text
    assert len(text) < 2000 and text.count("lol") <= 1 and "root:" not in text  # no entity was expanded
    assert "KẾ HOẠCH" in text
    if path.suffix == ".xml":  # not HTML: read as plain text, markup and all, entities unexpanded
        assert document.source.format == "text" and "&secret;" in text
        return
    for hidden in ("SCRIPT RAN", "ONLOAD", "IFRAME TEXT", "OBJECT TEXT", "IMAGE ALT", "SVG SCRIPT", "NOSCRIPT",
                   "TEMPLATE TEXT", "CDATA TEXT", "PROCESSING INSTRUCTION", "COMMENT TEXT", "]>"):
        assert hidden not in text, hidden


def test_scripts_and_styles_leave_no_text_but_escaped_markup_is_text():
    document = parse(FILES / "external_resources.html", keep_text=True)
    assert "<script>alert(\"ESCAPED\")</script> là văn bản" in document.source.text
    assert "document.write" not in document.source.text and "@import" not in document.source.text


def test_doctype_and_processing_instructions_are_not_text():
    """Regression: bs4 hands the DOCTYPE and <?xml …?> over as strings, which became text."""
    document = parse("<!DOCTYPE html><?xml version='1.0'?><html><body><p>I. MỤC TIÊU</p></body></html>",
                     keep_text=True)
    assert document.source.text == "I. MỤC TIÊU\n"


# --- regressions found by the property tests ---------------------------------------------------------

def test_a_rank_aim_ends_at_its_phrase():
    """A rank ("thuộc top 4 nước dẫn đầu") has its own end, so the target after it in the same
    clause is cut after it (the span was reversed and the text empty)."""
    text = ("I. MỤC TIÊU\nĐến năm 2030, độ tin cậy cung cấp điện năng thuộc top 4 nước dẫn đầu ASEAN, "
            "chỉ số tiếp cận điện năng thuộc top 3 nước dẫn đầu ASEAN.\n")
    targets = parse(text).targets
    assert [(t.value, t.text) for t in targets] == [
        (4, "Đến năm 2030, độ tin cậy cung cấp điện năng thuộc top 4 nước dẫn đầu ASEAN"),
        (3, "chỉ số tiếp cận điện năng thuộc top 3 nước dẫn đầu ASEAN"),
    ]
    assert all(text[t.span[0] : t.span[1]] == t.text for t in targets)


def test_batch_over_the_nasty_files_loses_none_and_names_each_error(tmp_path):
    inputs = [FILES / name for name in sorted(EXPECTED)]
    summary = run_batch([str(p) for p in inputs], BatchOptions(outdir=tmp_path / "out", workers=1),
                        progress_stream=io.StringIO())
    must_fail = sum(words is not None for words in EXPECTED.values())
    assert summary.counts == {"failed": must_fail, "ok": len(EXPECTED) - must_fail}
    out = tmp_path / "out"
    converted = {json.loads(p.read_text(encoding="utf-8"))["source"]["path"] for p in out.glob("*.json")}
    errors = {line["input"]: line for line in map(json.loads, (out / "errors.jsonl").read_text().splitlines())}
    for path in inputs:
        if EXPECTED[path.name] is None:
            assert str(path) in converted and str(path) not in errors
        else:
            assert str(path) not in converted and errors[str(path)]["kind"] == "InputError"
            assert EXPECTED[path.name] in errors[str(path)]["message"]
