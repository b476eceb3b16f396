"""A batch accounts for every directory entry it meets, never blocks on a pipe, leaves no worker
behind when it is killed, and names in its manifest the files that belong to the run (issue 24)."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT

from vnplanparse.output import files as emit
from vnplanparse.batch.run import BatchOptions, run_batch
from vnplanparse.output.exports import TABLES

TABLE_CSVS = [f"{table}.csv" for table in TABLES]

SEED = sorted((ROOT / "corpus").glob("*.txt"))[0]
pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes and symbolic links are POSIX")


def _odd_folder(root: Path) -> Path:
    """A plan, a plan under a name that is not UTF-8, a pipe, links that loop or lead nowhere, a
    link to a folder, a file that is no plan, and a subfolder with a plan."""
    folder = root / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "ok.txt").write_bytes(SEED.read_bytes())
    (folder / "sub" / "deeper.md").write_bytes(SEED.read_bytes())
    with open(os.fsencode(folder) + b"/bad_\xff\xfe.txt", "wb") as handle:
        handle.write(SEED.read_bytes())
    os.mkfifo(folder / "pipe.txt")
    os.symlink("loop", folder / "loop")
    os.symlink(folder / "loop", folder / "loop2")
    os.symlink("nowhere.txt", folder / "gone.txt")
    os.symlink(folder / "sub", folder / "linked-folder")
    (folder / "notes.docx.bak").write_text("no plan")
    return folder


def _entries(folder: Path) -> int:
    """Every entry of folder and of the folders under it (links not followed)."""
    count = 0
    for entry in os.scandir(folder):
        count += 1
        if entry.is_dir(follow_symlinks=False):
            count += _entries(Path(entry.path))
    return count


def test_every_entry_the_walk_meets_is_an_output_an_error_line_or_counted(tmp_path):
    folder = _odd_folder(tmp_path)
    outdir = tmp_path / "out"
    summary = run_batch([str(folder)], BatchOptions(outdir=outdir))
    errors = [json.loads(line) for line in (outdir / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    messages = {Path(e["input"]).name: e["message"] for e in errors}
    assert messages["pipe.txt"].endswith("a named pipe (FIFO), not a plan file")
    assert messages["loop"].endswith("a symbolic link that loops") and "loop2" in messages
    assert messages["gone.txt"].endswith("a symbolic link to nothing")
    assert summary.counts == {"ok": 3, "failed": 4}
    assert (summary.walk.ignored, summary.walk.folders) == (2, 1)  # notes.docx.bak, linked-folder; sub
    assert summary.total + summary.walk.ignored + summary.walk.folders == _entries(folder)
    bad = json.loads((outdir / "bad___.json").read_text(encoding="utf-8"))
    assert bad["source"]["path"] == f"{folder}/bad_\\xff\\xfe.txt"  # as `vnplanparse parse` names it
    assert "ignored=2 folders=1" in summary.line()


def test_a_pipe_given_as_an_argument_never_blocks(tmp_path):
    pipe = tmp_path / "p.txt"
    os.mkfifo(pipe)
    cli = [sys.executable, "-m", "vnplanparse.cli"]
    parsed = subprocess.run([*cli, "parse", str(pipe)], capture_output=True, text=True, timeout=60)
    assert parsed.returncode == 1
    assert parsed.stderr.splitlines() == [f"vnplanparse: {pipe}: a named pipe (FIFO) with nothing written to it"]
    batch = subprocess.run([*cli, "batch", str(pipe), str(SEED), "-o", str(tmp_path / "out"), "--workers", "1"],
                           capture_output=True, text=True, timeout=120)
    assert batch.returncode == 1 and "ok=1 failed=1" in batch.stdout
    (error,) = (tmp_path / "out" / "errors.jsonl").read_text(encoding="utf-8").splitlines()
    assert "a named pipe (FIFO), not a plan file" in json.loads(error)["message"]


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc")
def test_workers_die_with_a_killed_batch(tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    for i in range(60):
        (plans / f"plan{i:02d}.txt").write_text(SEED.read_text(encoding="utf-8") * 4, encoding="utf-8")
    command = [sys.executable, "-m", "vnplanparse.cli", "batch", str(plans), "-o", str(tmp_path / "out"), "--workers", "2"]
    batch = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    children: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while len(list((tmp_path / "out").glob("*.json"))) < 2 and batch.poll() is None and time.monotonic() < deadline:
            children |= _children(batch.pid)  # 2 workers and the resource tracker
            time.sleep(0.05)
        assert batch.poll() is None, "the batch ended before it could be killed; make the plans bigger"
        children |= _children(batch.pid)
        assert len(children) >= 2
        batch.send_signal(signal.SIGKILL)  # the batch alone: its workers are left to notice
        batch.wait()
        deadline = time.monotonic() + 60
        while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in children if _alive(pid)]
    finally:
        for pid in children:  # only the processes this test started
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        if batch.poll() is None:
            batch.kill()


def test_the_manifest_goes_in_place_last_and_names_the_files_of_its_run(tmp_path, monkeypatch):
    replaced: list[str] = []
    real_replace = os.replace
    monkeypatch.setattr(emit.os, "replace", lambda src, dst: replaced.append(Path(dst).name) or real_replace(src, dst))
    outdir, jsonl = tmp_path / "out", tmp_path / "all.jsonl"
    run_batch([str(SEED), str(tmp_path / "missing.txt")], BatchOptions(outdir=outdir, jsonl=jsonl))
    assert replaced[-1] == "manifest.jsonl"
    assert {"errors.jsonl", "targets.csv", "all.jsonl"} <= set(replaced[:-1])
    closing = json.loads((outdir / ".parts" / "manifest.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    run_files = {name: (outdir / ".parts" / name).resolve() for name in closing["run"]}
    assert sorted(p.name for p in run_files.values()) == sorted(["all.jsonl", "errors.jsonl", *TABLE_CSVS])
    assert all(hashlib.sha256(p.read_bytes()).hexdigest() == closing["run"][name] for name, p in run_files.items())
