import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT

from vnplanparse.batch import run as batch
from vnplanparse.batch.run import BatchOptions, run_batch
from vnplanparse.batch.engines import BatchUsageError
from vnplanparse.cli import main
from vnplanparse.output.exports import TABLES
from vnplanparse.reading.load import DEFAULT_MAX_BYTES

SEEDS = sorted((ROOT / "corpus").glob("*.txt"))
OWN_FILES = {"manifest.jsonl", "errors.jsonl", *(f"{table}.{kind}" for table in TABLES for kind in ("csv", "parquet"))}


def run(inputs, outdir, **options):
    return run_batch([str(i) for i in inputs], BatchOptions(outdir=Path(outdir), **options), progress_stream=io.StringIO())


def documents(outdir: Path) -> dict[str, dict]:
    """Output documents by source.path, checking that no two files hold the same input."""
    found = {}
    for path in outdir.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["source"]["path"] not in found, f"two outputs for {data['source']['path']}"
        found[data["source"]["path"]] = data
    return found


def error_lines(outdir: Path) -> list[dict]:
    return [json.loads(line) for line in (outdir / "errors.jsonl").read_text(encoding="utf-8").splitlines()]


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def plan_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    (folder / "sub").mkdir(parents=True)
    for i, seed in enumerate(SEEDS):
        (folder / ("sub" if i % 2 else ".") / seed.name).write_bytes(seed.read_bytes())
    (folder / "notes.xlsx").write_bytes(b"PK\x03\x04 not taken: not a plan suffix")
    return folder


def test_each_output_is_what_parse_writes_for_the_same_path(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    outdir = tmp_path / "out"
    summary = run(["corpus"], outdir)
    plans = sorted(p for p in (ROOT / "corpus").iterdir() if p.suffix in (".txt", ".html"))
    assert summary.counts == {"ok": len(plans)} and summary.total == len(plans)
    for seed in plans:
        single = tmp_path / "single.json"
        assert main(["parse", f"corpus/{seed.name}", "-o", str(single)]) == 0
        assert (outdir / f"{seed.stem}.json").read_bytes() == single.read_bytes()


def test_bad_inputs_each_become_one_error_line_and_the_others_convert(tmp_path):
    folder = plan_folder(tmp_path)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "scan.txt").write_bytes(b"%PDF-1.7 binary")
    (bad / "letter.txt").write_bytes(b"PK\x03\x04" + bytes(range(256)))
    (bad / "undecodable.txt").write_bytes("Kế hoạch".encode()[:-1] + b"\x81\x8d\x9e")
    with open(bad / "huge.txt", "wb") as handle:
        handle.truncate(DEFAULT_MAX_BYTES + 1)  # sparse: nothing is really written
    seed_text = SEEDS[0].read_text(encoding="utf-8")
    records = tmp_path / "records.jsonl"
    lines = [
        json.dumps({"id": "from-text", "text": seed_text}),
        json.dumps({"id": 7, "html": f"<html><body><p>{seed_text}</p></body></html>"}),
        json.dumps({"id": "from-path", "path": f"plans/sub/{SEEDS[1].name}"}),
        "{not json",
        json.dumps({"text": "no id"}),
        json.dumps({"id": "no-text"}),
        json.dumps({"id": "two", "text": "a", "html": "b"}),
        json.dumps({"id": "folder", "path": "plans"}),
        json.dumps({"id": "missing", "path": "nowhere.txt"}),
        json.dumps({"id": "from-text", "text": seed_text}),
        "",
        json.dumps({"id": "blank", "text": "   "}),
        '"just a string"',
        '{"id": "lone\\ud800", "text": "x"}',
    ]
    records.write_text("\n".join(lines) + "\n", encoding="utf-8")
    missing = tmp_path / "missing.txt"
    inputs = [folder, bad, records, missing]

    summary = run(inputs, tmp_path / "out")

    expected_inputs = len(SEEDS) + 5 + 13 + 1
    assert summary.total == expected_inputs
    assert summary.counts["skipped"] == 0
    errors = error_lines(tmp_path / "out")
    assert len(errors) == summary.counts["failed"] == 5 + 10 + 1
    assert len({e["input"] for e in errors}) == len(errors)
    assert all(set(e) == {"input", "id", "kind", "message"} and e["message"] for e in errors)
    by_input = {e["input"]: e for e in errors}
    assert by_input[str(bad / "empty.txt")]["kind"] == "InputError"
    assert "PDF" in by_input[str(bad / "scan.txt")]["message"]
    assert "over the" in by_input[str(bad / "huge.txt")]["message"]
    assert by_input[f"{records}:4"]["kind"] == "RecordError" and "JSON" in by_input[f"{records}:4"]["message"]
    assert by_input[f"{records}:8"]["message"].endswith("is a directory, not a plan file")
    assert by_input[f"{records}:10"]["kind"] == "DuplicateId"
    assert by_input[str(missing)]["message"].endswith("no such file")
    converted = documents(tmp_path / "out")
    assert len(converted) == summary.counts["ok"] == len(SEEDS) + 3
    assert converted["7"]["source"]["format"] == "html"
    assert converted["from-text"]["metadata"] == converted[str(folder / SEEDS[0].name)]["metadata"]


def test_rerun_skips_what_is_up_to_date_and_redoes_what_changed(tmp_path):
    folder = plan_folder(tmp_path)
    outdir = tmp_path / "out"
    first = run([folder], outdir)
    before = tree(outdir)
    again = run([folder], outdir)
    assert again.counts == {"skipped": first.total}
    assert tree(outdir) == before

    changed = folder / SEEDS[0].name
    changed.write_bytes(SEEDS[1].read_bytes())
    corrupted = outdir / f"{SEEDS[2].stem}.json"
    corrupted.write_text("{}", encoding="utf-8")
    (folder / "sub" / SEEDS[3].name).write_bytes(b"")  # an input that now fails keeps no old output
    third = run([folder], outdir)
    assert third.counts == {"ok": 2, "skipped": first.total - 3, "failed": 1}
    assert json.loads((outdir / f"{SEEDS[0].stem}.json").read_text())["source"]["sha256"] == \
        json.loads((outdir / f"sub_{SEEDS[1].stem}.json").read_text())["source"]["sha256"]
    assert not (outdir / f"sub_{SEEDS[3].stem}.json").exists()
    assert [e["id"] for e in error_lines(outdir)] == [str(folder / "sub" / SEEDS[3].name)]

    assert run([folder], outdir, force=True).counts == {"ok": first.total - 1, "failed": 1}
    assert run([folder], outdir, pretty=True).counts["ok"] == first.total - 1  # other options, other bytes


NASTY_IDS = ["../../etc/x", "/etc/passwd", "a/b", "a_b", "A_B", "a\\b", "nul\x00byte", "bell\x07\n", "", ".", "..",
             "...", ".hidden", "CON", "x" * 1000, "ệ" * 300, "ệ" * 300 + "z", "tab\tname", "rtl\u202etxt"]


def test_output_names_stay_in_the_folder_and_never_collide(tmp_path):
    records = tmp_path / "ids.jsonl"
    text = SEEDS[2].read_text(encoding="utf-8")
    records.write_text("".join(json.dumps({"id": i, "text": text}) + "\n" for i in NASTY_IDS), encoding="utf-8")
    outdir = tmp_path / "deep" / "out"
    summary = run([records], outdir)
    assert summary.counts == {"ok": len(NASTY_IDS)}
    everything = [p for p in tmp_path.rglob("*") if p.is_file()]
    outputs = [p for p in everything if p.name not in OWN_FILES and p != records]
    assert all(p.parent == outdir and not p.name.startswith(".") for p in outputs)
    assert all(len(p.name.encode()) <= 255 for p in outputs)
    assert len({p.name.casefold() for p in outputs}) == len(NASTY_IDS)
    assert sorted(documents(outdir)) == sorted(NASTY_IDS)
    assert run([records], outdir).counts == {"skipped": len(NASTY_IDS)}  # the same names again


def test_jsonl_csv_and_parquet_follow_input_order(tmp_path):
    pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    reversed_seeds = SEEDS[::-1]
    out = tmp_path / "all.jsonl"
    summary = run(reversed_seeds, tmp_path / "out", jsonl=out, parquet=True)
    assert summary.counts == {"ok": len(SEEDS)}
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["source"]["path"] for line in lines] == [str(s) for s in reversed_seeds]
    assert not list((tmp_path / "out").glob("*.json"))  # per-plan parts are kept apart from OUTDIR's files

    raw = (tmp_path / "out" / "targets.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfdocument_id,target_id,section_id,")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    all_targets = [t for line in lines for t in json.loads(line)["targets"]]
    assert len(rows) == len(all_targets) > 20
    assert [r["text"] for r in rows] == [t["text"] for t in all_targets]
    shas = [json.loads(line)["source"]["sha256"] for line in lines]
    assert list(dict.fromkeys(r["document_id"] for r in rows)) == [s for s in shas if any(r["document_id"] == s for r in rows)]
    ranged = next(r for r, t in zip(rows, all_targets, strict=True) if t["period"])
    assert re.fullmatch(r"\d{4}", ranged["period_end"])
    assert pq.read_table(tmp_path / "out" / "targets.parquet").column("text").to_pylist() == [r["text"] for r in rows]

    assert run(reversed_seeds, tmp_path / "out", jsonl=out, parquet=True).counts == {"skipped": len(SEEDS)}
    assert out.read_text(encoding="utf-8").splitlines() == lines


def test_worker_processes_and_a_dask_cluster_write_the_same_bytes(tmp_path):
    distributed = pytest.importorskip("distributed")
    folder = plan_folder(tmp_path)
    (folder / "empty.txt").write_bytes(b"")
    serial = run([folder], tmp_path / "serial")
    local = run([folder], tmp_path / "local", workers=2)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
        dask = run([folder], tmp_path / "dask", engine="dask", scheduler=cluster.scheduler_address)
    assert serial.counts == local.counts == dask.counts == {"ok": len(SEEDS), "failed": 1}
    assert tree(tmp_path / "serial") == tree(tmp_path / "local") == tree(tmp_path / "dask")


def test_a_killed_run_resumes_with_nothing_lost_or_repeated(tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    for i in range(40):
        seed = SEEDS[i % len(SEEDS)].read_text(encoding="utf-8")
        (plans / f"plan{i:02d}.txt").write_text(seed * 3 if i % 13 else "", encoding="utf-8")  # 4 empty
    outdir = tmp_path / "out"
    command = [sys.executable, "-m", "vnplanparse.cli", "batch", str(plans), "-o", str(outdir), "--workers", "2"]
    run_ = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                            env=os.environ | {"PYTHONHASHSEED": "1"})
    deadline = time.monotonic() + 120
    while len(list(outdir.glob("*.json"))) < 6 and time.monotonic() < deadline:
        time.sleep(0.01)
    still_running = run_.poll() is None
    os.killpg(run_.pid, signal.SIGKILL)  # the run and its workers, mid-way
    run_.wait()
    assert still_running, "the batch finished before it could be killed; make the plans bigger"
    done_before = {p.name for p in outdir.glob("*.json")}
    assert 6 <= len(done_before) < 36

    result = subprocess.run(command, capture_output=True, text=True, env=os.environ | {"PYTHONHASHSEED": "2"}, check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    counts = dict(re.findall(r"(ok|failed|skipped)=(\d+)", result.stdout))
    assert int(counts["ok"]) + int(counts["failed"]) + int(counts["skipped"]) == 40
    assert int(counts["failed"]) == 4 and int(counts["skipped"]) >= len(done_before) - 1  # a file may lack its manifest line
    converted = documents(outdir)
    failed = [e["id"] for e in error_lines(outdir)]
    assert sorted(list(converted) + failed) == sorted(str(p) for p in plans.iterdir())
    assert not [p for p in outdir.iterdir() if p.name.endswith(".tmp")]
    *manifest, closing = [json.loads(line) for line in (outdir / "manifest.jsonl").read_text().splitlines()]
    assert sorted(e["file"] for e in manifest) == sorted(p.name for p in outdir.glob("*.json"))
    assert sorted(closing["run"]) == sorted(["errors.jsonl", *(f"{t}.csv" for t in TABLES)])  # checked in test_scale.py

    run([plans], tmp_path / "fresh")  # this process has another hash seed
    assert tree(tmp_path / "fresh") == tree(outdir)


def test_usage_errors_and_exit_codes(tmp_path, capsys):
    assert main(["batch", str(tmp_path), "-o", str(tmp_path / "out")]) == 2
    assert "no inputs found" in capsys.readouterr().err
    assert main(["batch", str(SEEDS[0]), "-o", str(tmp_path / "out"), "--jsonl", str(tmp_path / "a.jsonl"), "--pretty"]) == 2
    assert main(["batch", str(SEEDS[0]), "-o", str(tmp_path / "out"), "--scheduler", "tcp://127.0.0.1:1"]) == 2
    with pytest.raises(BatchUsageError):
        run([SEEDS[0]], tmp_path / "out", workers=0)
    (tmp_path / "file").write_text("x")
    assert main(["batch", str(SEEDS[0]), "-o", str(tmp_path / "file")]) == 2
    assert main(["batch", str(SEEDS[0]), "-o", str(tmp_path / "file" / "out"), "--workers", "1"]) == 1
    assert "vnplanparse: cannot write" in capsys.readouterr().err
    capsys.readouterr()
    assert main(["batch", str(SEEDS[0]), str(tmp_path / "missing.txt"), "-o", str(tmp_path / "out"), "--workers", "1"]) == 1
    out = capsys.readouterr().out
    assert "batch: 2 inputs: ok=1 failed=1 skipped=0" in out and "errors.jsonl" in out


def test_progress_is_a_bar_on_a_terminal_and_plain_lines_otherwise(tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "PLAIN_PROGRESS_SECONDS", 0.0)
    plain = io.StringIO()
    run_batch([str(s) for s in SEEDS[:2]], BatchOptions(outdir=tmp_path / "a"), progress_stream=plain)
    assert re.fullmatch(r"(batch: \d/2 ok=\d failed=0 skipped=0 [\d.]+ plans/s\n){2}", plain.getvalue())

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    run_batch([str(s) for s in SEEDS[:2]], BatchOptions(outdir=tmp_path / "b"), progress_stream=terminal)
    assert "2/2" in terminal.getvalue() and "plan/s" in terminal.getvalue() and "\r" in terminal.getvalue()


def test_workers_that_cannot_start_stop_the_run(tmp_path):
    # A script read from standard input cannot be re-imported by spawned workers: every pool breaks.
    plans = tmp_path / "plans"
    plans.mkdir()
    for i in range(40):
        (plans / f"p{i}.txt").write_bytes(SEEDS[2].read_bytes())
    script = ("from pathlib import Path\nfrom vnplanparse.batch.run import BatchOptions, run_batch\n"
              f"run_batch([{str(plans)!r}], BatchOptions(outdir=Path({str(tmp_path / 'out')!r}), workers=2))\n")
    result = subprocess.run([sys.executable, "-"], input=script, capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode != 0
    assert "BatchError: the worker processes keep dying" in result.stderr.splitlines()[-1]
