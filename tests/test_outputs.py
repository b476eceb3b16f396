"""Writing an output never destroys what was there (issue 19): for every command that writes,
onto a symbolic link, a named pipe, `-`, /dev/null, a read-only file, a file in a folder that
does not exist, and a full disk, only the intended target changes."""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from vnplanparse.output import files as emit
from vnplanparse.cli import main

PLAN = """KẾ HOẠCH
Phát triển kinh tế số năm 2025
I. MỤC TIÊU
1. Đến năm 2025, tỷ lệ hộ gia đình có kết nối Internet đạt 95%.
II. TỔ CHỨC THỰC HIỆN
1. Sở Thông tin và Truyền thông chủ trì triển khai Kế hoạch này.
"""
OLD = "what was there\n"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """A plan, its parse, a corrected copy and the patch between them, in a folder of their own."""
    folder = tmp_path_factory.mktemp("inputs")
    (folder / "plans").mkdir()
    (folder / "plans" / "plan.txt").write_text(PLAN, encoding="utf-8")
    assert main(["parse", str(folder / "plans" / "plan.txt"), "-o", str(folder / "plan.json")]) == 0
    corrected = json.loads((folder / "plan.json").read_text(encoding="utf-8"))
    corrected["metadata"]["signer"] = "Nguyễn Văn A"
    (folder / "corrected.json").write_text(json.dumps(corrected, ensure_ascii=False), encoding="utf-8")
    assert main(["diff", str(folder / "plan.json"), str(folder / "corrected.json"), "-o", str(folder / "fix.patch.json")]) == 0
    return folder


def _commands(inputs: Path, outdir: Path) -> dict[str, list[str]]:
    """Each writing command's arguments, less the output name that follows them."""
    i = inputs
    return {
        "parse": ["parse", str(i / "plans" / "plan.txt"), "-o"],
        "batch --jsonl": ["batch", str(i / "plans"), "-o", str(outdir), "--jsonl"],
        "diff": ["diff", str(i / "plan.json"), str(i / "corrected.json"), "-o"],
        "apply": ["apply", str(i / "plan.json"), str(i / "fix.patch.json"), "-o"],
        "review": ["review", str(i / "plans" / "plan.txt"), "-o"],
    }


COMMANDS = ["parse", "batch --jsonl", "diff", "apply", "review"]


def _looks_right(command: str, text: str) -> bool:
    """The output of command, whole (a JSON document or patch, one JSON line, or the page)."""
    if command == "review":
        return text.lstrip().lower().startswith("<!doctype html") and text.rstrip().endswith("</html>")
    if command == "batch --jsonl":
        return len(text.splitlines()) == 1 and "schema_version" in json.loads(text)
    return isinstance(json.loads(text), dict | list)


def _snapshot(folder: Path) -> dict[str, tuple]:
    """What a folder holds, as far as a write could change it: kind, mode, link target, bytes."""
    out = {}
    for path in sorted(folder.rglob("*")):
        status = os.lstat(path)
        if stat.S_ISLNK(status.st_mode):
            out[str(path)] = ("link", os.readlink(path))
        elif stat.S_ISREG(status.st_mode):
            out[str(path)] = ("file", stat.S_IMODE(status.st_mode), path.read_bytes())
        else:
            out[str(path)] = (stat.S_IFMT(status.st_mode), stat.S_IMODE(status.st_mode))
    return out


@pytest.fixture
def place(tmp_path) -> Path:
    """The folder the output goes to, with a bystander file that no write may touch."""
    folder = tmp_path / "place"
    folder.mkdir()
    (folder / "bystander.json").write_text(OLD, encoding="utf-8")
    return folder


@pytest.mark.parametrize("command", COMMANDS)
def test_a_link_is_written_through_to_its_target(command, inputs, place, tmp_path):
    (place / "real.json").write_text(OLD, encoding="utf-8")
    (place / "link.json").symlink_to("real.json")
    before = _snapshot(place)
    assert main([*_commands(inputs, tmp_path / "out")[command], str(place / "link.json")]) == 0
    after = _snapshot(place)
    assert after.pop(str(place / "link.json")) == ("link", "real.json")
    assert _looks_right(command, (place / "real.json").read_text(encoding="utf-8"))
    assert {k: v for k, v in after.items() if not k.endswith("real.json")} == \
           {k: v for k, v in before.items() if not k.endswith(("real.json", "link.json"))}


@pytest.mark.parametrize("command", COMMANDS)
def test_a_named_pipe_is_written_as_a_stream(command, inputs, place, tmp_path):
    fifo = place / "pipe.json"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    before = _snapshot(place)
    assert main([*_commands(inputs, tmp_path / "out")[command], str(fifo)]) == 0
    reader.join(timeout=60)
    assert _snapshot(place) == before  # still the pipe, nothing beside it
    assert _looks_right(command, received[0].decode("utf-8"))


@pytest.mark.parametrize("command", COMMANDS)
def test_dash_is_standard_output(command, inputs, place, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(place)
    before = _snapshot(place)
    assert main([*_commands(inputs, tmp_path / "out")[command], "-"]) == 0
    captured = capsys.readouterr()
    assert _snapshot(place) == before  # no file named "-"
    assert _looks_right(command, captured.out)


def _is_written_as_a_stream(device: str) -> bool:
    """Checked before a test writes to a device: run as root, a regression that replaced the file
    would replace the system's own /dev/null (as the tool once did with /dev/stdout)."""
    return emit.output_target(device).stream is not None


@pytest.mark.parametrize("command", COMMANDS)
def test_dev_null_stays_a_device(command, inputs, tmp_path):
    assert _is_written_as_a_stream(os.devnull)
    assert main([*_commands(inputs, tmp_path / "out")[command], os.devnull]) == 0
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


@pytest.mark.parametrize("command", COMMANDS)
def test_a_read_only_file_is_not_replaced(command, inputs, place, tmp_path, capsys):
    target = place / "read-only.json"
    target.write_text(OLD, encoding="utf-8")
    target.chmod(0o444)
    before = _snapshot(place)
    assert main([*_commands(inputs, tmp_path / "out")[command], str(target)]) == 1
    assert _snapshot(place) == before
    assert "read-only" in capsys.readouterr().err


@pytest.mark.parametrize("command", COMMANDS)
def test_a_missing_folder_is_an_error_unless_mkdir(command, inputs, place, tmp_path, capsys):
    target = place / "no" / "such" / "out.json"
    before = _snapshot(place)
    assert main([*_commands(inputs, tmp_path / "out")[command], str(target)]) == 1
    assert _snapshot(place) == before
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "does not exist" in err and "--mkdir" in err
    assert main([*_commands(inputs, tmp_path / "out")[command], str(target), "--mkdir"]) == 0
    assert _looks_right(command, target.read_text(encoding="utf-8"))


class _FullDisk:
    """A file whose every write fails as on a full disk (once something reaches it)."""

    def __init__(self, handle):
        self._handle = handle

    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name):
        return getattr(self._handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._handle.close()


@pytest.mark.parametrize("command", COMMANDS)
def test_a_full_disk_leaves_the_old_file_and_no_temporary(command, inputs, place, tmp_path, monkeypatch, capsys):
    target = place / "out.json"
    target.write_text(OLD, encoding="utf-8")
    before = _snapshot(place)
    real_open = open
    monkeypatch.setattr(emit, "open", lambda *a, **k: _FullDisk(real_open(*a, **k)), raising=False)
    assert main([*_commands(inputs, tmp_path / "out")[command], str(target)]) == 1
    assert _snapshot(place) == before
    err = capsys.readouterr().err
    assert "No space left on device" in err and "Traceback" not in err


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
@pytest.mark.parametrize("command", ["parse", "batch --jsonl"])
def test_a_device_that_is_full_is_a_clear_error(command, inputs, tmp_path, capsys):
    assert _is_written_as_a_stream("/dev/full")
    assert main([*_commands(inputs, tmp_path / "out")[command], "/dev/full"]) == 1
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)
    assert "No space left on device" in capsys.readouterr().err


def test_batch_jsonl_to_stdout_keeps_input_order_and_counts_apart(inputs, tmp_path, capsys):
    plans = tmp_path / "plans"
    plans.mkdir()
    for n in range(3):
        (plans / f"{n}.txt").write_text(PLAN.replace("95%", f"{90 + n}%"), encoding="utf-8")
    assert main(["batch", str(plans), "-o", str(tmp_path / "out"), "--jsonl", "-"]) == 0
    captured = capsys.readouterr()
    documents = [json.loads(line) for line in captured.out.splitlines()]
    assert [d["targets"][0]["value"] for d in documents] == [90, 91, 92]
    assert "ok=3 failed=0" in captured.err and "ok=" not in captured.out
    assert (tmp_path / "out" / "manifest.jsonl").is_file() is False  # the per-plan files of a --jsonl run
    manifest = [json.loads(line) for line in (tmp_path / "out" / ".parts" / "manifest.jsonl").read_text().splitlines()]
    assert len([line for line in manifest if "file" in line]) == 3  # and the run's closing line


@pytest.mark.skipif(not Path("/dev/stdout").is_symlink(), reason="no /dev/stdout link")
def test_batch_jsonl_to_dev_stdout_keeps_the_link(inputs, tmp_path):
    """Run as root, this once replaced the system's /dev/stdout link with a file."""
    assert _is_written_as_a_stream("/dev/stdout")
    link = os.readlink("/dev/stdout")
    command = [sys.executable, "-m", "vnplanparse.cli", *_commands(inputs, tmp_path / "out")["batch --jsonl"], "/dev/stdout"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert _looks_right("batch --jsonl", result.stdout) and "ok=1" in result.stderr
    assert os.readlink("/dev/stdout") == link
