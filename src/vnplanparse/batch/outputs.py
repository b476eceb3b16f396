"""Batch outputs: the per-plan files with their manifest, and the files a run writes in input
order (errors.jsonl, the tables, the --jsonl file)."""

from __future__ import annotations

import hashlib
import json
import os
from contextlib import ExitStack
from pathlib import Path

from .._version import __version__
from ..output.exports import TABLES, Exporter
from ..output.files import OutputTarget, atomic_open, open_output, output_target, remove_stale_temporaries
from .inputs import BatchInput, Failure

MANIFEST, ERRORS = "manifest.jsonl", "errors.jsonl"


class OutputStore:
    """The per-plan JSON files and the manifest that says which input each one was made from.

    As each output is written its manifest line is appended to manifest.jsonl, so a killed run
    resumes from there; meanwhile a clean manifest in input order is written under a temporary
    name and replaces it when the run finishes."""

    def __init__(self, stack: ExitStack, folder: Path, *, render_options: dict, force: bool = False):
        self.folder = folder
        self.render_options = render_options
        folder.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(folder)
        self._made = {} if force else _read_manifest(folder / MANIFEST)
        self._manifest = stack.enter_context(atomic_open(folder / MANIFEST))
        self._log = stack.enter_context(open(folder / MANIFEST, "a", encoding="utf-8"))  # noqa: SIM115 - closed before the rename

    def existing(self, item: BatchInput, input_sha256: str) -> str | None:
        """The output already made from exactly this input by this parser with these options."""
        made = self._made.get(item.output)
        if made is None or made[0] != _entry_key(self._entry(item, input_sha256, "")):
            return None
        try:
            data = (self.folder / item.output).read_bytes()
        except OSError:
            return None
        return data.decode("utf-8") if hashlib.sha256(data).hexdigest() == made[1] else None

    def write(self, item: BatchInput, input_sha256: str, text: str) -> None:
        with atomic_open(self.folder / item.output) as handle:
            handle.write(text)
        self._log.write(self._line(item, input_sha256, text))
        self._log.flush()

    def keep(self, item: BatchInput, input_sha256: str, text: str) -> None:
        self._manifest.write(self._line(item, input_sha256, text))

    def remove(self, item: BatchInput) -> None:
        """An input that now fails keeps no output from an earlier run."""
        if item.output:
            (self.folder / item.output).unlink(missing_ok=True)

    def record_run(self, paths: list[Path]) -> None:
        """The manifest's closing line: the SHA-256 of each file of the run (errors.jsonl,
        targets.csv …), named relative to the manifest. The manifest is put in place after them,
        so a run killed between the renames leaves a file whose hash is not the one its manifest
        names: readers can tell which files belong together."""
        run = {}
        for path in paths:
            if path.is_file():
                with open(path, "rb") as handle:
                    run[os.path.relpath(path, self.folder)] = hashlib.file_digest(handle, "sha256").hexdigest()
        self._manifest.write(json.dumps({"run": run, "parser_version": __version__}, ensure_ascii=False) + "\n")

    def _line(self, item: BatchInput, input_sha256: str, text: str) -> str:
        entry = self._entry(item, input_sha256, hashlib.sha256(text.encode("utf-8")).hexdigest())
        return json.dumps(entry, ensure_ascii=False) + "\n"

    def _entry(self, item: BatchInput, input_sha256: str, output_sha256: str) -> dict:
        return {"file": item.output, "id": item.id, "input_sha256": input_sha256, "parser_version": __version__,
                "options": self.render_options, "output_sha256": output_sha256}


def _entry_key(entry: dict) -> bytes:
    """A short digest of what an entry says an output was made from (kept per output in memory)."""
    made_from = [entry.get(k) for k in ("file", "id", "input_sha256", "parser_version", "options")]
    return hashlib.sha1(json.dumps(made_from, sort_keys=True).encode("utf-8", "replace")).digest()


def _read_manifest(path: Path) -> dict[str, tuple[bytes, str]]:
    made: dict[str, tuple[bytes, str]] = {}
    if path.is_file():
        with open(path, encoding="utf-8", errors="replace") as handle:
            for line in handle:
                try:
                    entry = json.loads(line)
                    made[entry["file"]] = (_entry_key(entry), entry["output_sha256"])
                except (json.JSONDecodeError, KeyError, TypeError):  # the torn last line of a killed run
                    continue
    return made


class RunFiles:
    """errors.jsonl, the tables of src/vnplanparse/output/exports.py (documents.csv, sections.csv,
    targets.csv, assignments.csv, references.csv; their .parquet with --parquet; the --db
    database) and the --jsonl file, each written in input order under a temporary name and put
    in place only when the run finishes; a --jsonl that is standard output, a pipe or a device
    gets each document as it comes instead."""

    def __init__(self, stack: ExitStack, outdir: Path, *, jsonl: Path | OutputTarget | None = None,
                 parquet: bool = False, database: Path | None = None):
        # the files the run's manifest line vouches for (a streamed --jsonl is no file)
        self.paths = [outdir / ERRORS, *(outdir / f"{table}.csv" for table in TABLES),
                      *((outdir / f"{table}.parquet" for table in TABLES) if parquet else ())]
        remove_stale_temporaries(outdir, ERRORS)
        self.errors = stack.enter_context(atomic_open(outdir / ERRORS))
        self.tables = Exporter(stack, outdir, parquet=parquet, database=database)
        self.jsonl, self._jsonl_streams = None, False
        if jsonl:
            target = jsonl if isinstance(jsonl, OutputTarget) else output_target(str(jsonl))
            if target.file is not None:
                remove_stale_temporaries(target.file.parent, target.file.name)
            self.jsonl, self._jsonl_streams = stack.enter_context(open_output(target)), not target.is_file
            if target.file is not None:
                self.paths.append(target.file)

    def document(self, text: str) -> None:
        self.tables.add(json.loads(text))
        if self.jsonl is not None:
            self.jsonl.write(text)
            if self._jsonl_streams:
                self.jsonl.flush()  # a stream's reader gets each document as soon as it is in order

    def failure(self, item: BatchInput, failure: Failure) -> None:
        line = {"input": item.origin, "id": item.id, "kind": failure.kind, "message": failure.message}
        self.errors.write(json.dumps(line, ensure_ascii=False) + "\n")
