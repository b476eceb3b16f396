"""Batch conversion: many plans to one JSON file each (or one JSON Lines file), a flat table of
targets, and errors.jsonl, on local worker processes or a Dask cluster.

Every input ends as exactly one of: an output file listed in the manifest, or a line in
errors.jsonl. Results are handled in input order whatever order workers finish in, so every
file written is the same byte for byte across runs, worker counts and engines.

Resuming: `manifest.jsonl` (beside the per-plan files) has one line per output with the input's
id, the SHA-256 of its raw input, the parser version, the options and the SHA-256 of the output.
An input is skipped when all of these still match, which costs a hash of its bytes, not a parse.
The manifest gets a line as each output is written and is rewritten in input order at the end;
errors.jsonl, the tables (targets.csv …) and the --jsonl file describe the last finished run
and are replaced only when a run finishes, the manifest last: its closing line has the SHA-256
of each of them, so a run killed between the renames shows."""

from __future__ import annotations

import os
import sys
import time
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TextIO

from ..errors import InputError
from ..output.files import OutputTarget
from .engines import BatchUsageError, DaskEngine, LocalEngine, Outcome, SerialEngine, Task
from .inputs import (
    BatchInput,
    Failure,
    PayloadReader,
    WalkCounts,
    assign_output_names,
    collect_inputs,
    input_digest,
)
from .outputs import OutputStore, RunFiles

PARTS = ".parts"  # the per-plan files of a --jsonl run

PLAIN_PROGRESS_SECONDS = 5.0


@dataclass(frozen=True)
class BatchOptions:
    outdir: Path
    jsonl: Path | OutputTarget | None = None  # a Path is a file; the CLI passes -o's target
    parquet: bool = False
    workers: int = 1
    engine: str = "local"  # "local" | "dask"
    scheduler: str | None = None
    force: bool = False
    pretty: bool = False
    emit_text: bool = False
    globs: tuple[str, ...] = ()
    db: Path | None = None  # the tables in a SQLite or DuckDB database too

    def render_options(self) -> dict[str, bool]:
        """What besides the input and the parser version decides an output's bytes."""
        return {"emit_text": self.emit_text, "pretty": self.pretty}


@dataclass
class Summary:
    """Inputs by outcome, and what else the folders held: with `walk`, the counts add up to every
    entry the walk met (each file, link or other entry an input or ignored, each folder walked)."""

    counts: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    walk: WalkCounts = field(default_factory=WalkCounts)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def line(self) -> str:
        rate = self.total / self.seconds if self.seconds else 0.0
        return (f"batch: {self.total} inputs: ok={self.counts['ok']} failed={self.counts['failed']} "
                f"skipped={self.counts['skipped']}; ignored={self.walk.ignored} folders={self.walk.folders} "
                f"in {self.seconds:.1f} s ({rate:.1f} plans/s)")


@contextmanager
def open_engine(options: BatchOptions) -> Iterator[SerialEngine]:
    if options.engine == "dask":
        engine: SerialEngine = DaskEngine(options.scheduler, options.workers)
    elif options.workers > 1:
        engine = LocalEngine(options.workers)
    else:
        engine = SerialEngine()
    try:
        yield engine
    finally:
        engine.close()


def check_options(options: BatchOptions) -> None:
    if options.jsonl and options.pretty:
        raise BatchUsageError("--pretty does not apply to --jsonl (one document per line)")
    if options.parquet:
        try:
            import pyarrow.parquet  # noqa: F401
        except ImportError:
            raise BatchUsageError("--parquet needs pyarrow: pip install 'vnplanparse[parquet]'") from None
    _check_database(options.db)
    if options.scheduler and options.engine != "dask":
        raise BatchUsageError("--scheduler needs --engine dask")
    if options.workers < 1:
        raise BatchUsageError("--workers must be at least 1")
    if options.outdir.exists() and not options.outdir.is_dir():
        raise BatchUsageError(f"{options.outdir}: not a folder")


def _check_database(path: Path | None) -> None:
    from ..output.exports import ExportError, check_database_path

    try:
        if path is not None:
            check_database_path(path)
    except ExportError as exc:
        raise BatchUsageError(str(exc)) from None


# ---------------------------------------------------------------------------------------------
# The run


def run_batch(arguments: list[str], options: BatchOptions, progress_stream: TextIO | None = None) -> Summary:
    """Convert every input (see the module's doc). Local workers are spawned, so a script that
    calls this with workers > 1 must do so under `if __name__ == "__main__":`."""
    check_options(options)
    summary, started = Summary(), time.monotonic()
    items = collect_inputs(arguments, options.globs, exclude=(options.outdir,), walk=summary.walk)
    if not items:
        raise BatchUsageError("no inputs found")
    assign_output_names(items)
    options = replace(options, workers=min(options.workers, len(items)))  # no idle worker to start
    with ExitStack() as stack:
        store = OutputStore(stack, options.outdir / PARTS if options.jsonl else options.outdir,
                            render_options=options.render_options(), force=options.force)

        def record_run(exc_type: type | None, *_: object) -> None:  # runs once the run's files are in place
            if exc_type is None:
                store.record_run(files.paths)

        stack.push(record_run)
        files = RunFiles(stack, options.outdir, jsonl=options.jsonl, parquet=options.parquet, database=options.db)
        engine = stack.enter_context(open_engine(options))
        reader = stack.enter_context(PayloadReader())
        progress = stack.enter_context(_progress(len(items), progress_stream or sys.stderr))
        for item, input_sha256, outcome in _outcomes(items, engine, store, reader, options):
            if outcome.status == "failed":
                store.remove(item)
                files.failure(item, outcome.failure)
            else:
                if outcome.status == "ok":
                    store.write(item, input_sha256, outcome.text)
                store.keep(item, input_sha256, outcome.text)
                files.document(outcome.text)
            summary.counts[outcome.status] += 1
            progress(summary)
    summary.seconds = time.monotonic() - started
    return summary


def _outcomes(items: list[BatchInput], engine: SerialEngine, store: OutputStore, reader: PayloadReader,
              options: BatchOptions) -> Iterator[tuple[BatchInput, str | None, Outcome]]:
    """Each input with its outcome, in input order; up to engine.window inputs under way at once."""
    pending: deque = deque()
    for item in items:
        pending.append(_start(item, engine, store, reader, options))
        if len(pending) >= engine.window:
            yield _finish(engine, *pending.popleft())
    while pending:
        yield _finish(engine, *pending.popleft())


def _start(item: BatchInput, engine: SerialEngine, store: OutputStore, reader: PayloadReader,
           options: BatchOptions) -> tuple[BatchInput, str | None, Outcome | Future]:
    if item.failure:
        return item, None, Outcome("failed", failure=item.failure)
    try:
        payload = reader.read(item)
    except InputError as exc:
        return item, None, Outcome("failed", failure=Failure(type(exc).__name__, str(exc)))
    input_sha256 = input_digest(item, payload)
    existing = store.existing(item, input_sha256)
    if existing is not None:
        return item, input_sha256, Outcome("skipped", text=existing)
    task = Task(item.id, item.kind, item.format_name, payload, options.emit_text, options.pretty)
    return item, input_sha256, engine.submit(task)


def _finish(engine: SerialEngine, item: BatchInput, input_sha256: str | None,
            outcome: Outcome | Future) -> tuple[BatchInput, str | None, Outcome]:
    return item, input_sha256, outcome if isinstance(outcome, Outcome) else engine.outcome(outcome)


@contextmanager
def _progress(total: int, stream: TextIO) -> Iterator[Any]:
    """A bar with plans/s and ETA on a terminal; otherwise a plain line every few seconds."""
    if stream.isatty():
        from tqdm import tqdm

        bar = tqdm(total=total, unit="plan", file=stream, dynamic_ncols=True, smoothing=0.05)

        def update(summary: Summary) -> None:
            bar.set_postfix_str(_counts(summary), refresh=False)
            bar.update(1)

        try:
            yield update
        finally:
            bar.close()
        return
    started = last = time.monotonic()

    def line(summary: Summary) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= PLAIN_PROGRESS_SECONDS:
            last = now
            stream.write(f"batch: {summary.total}/{total} {_counts(summary)} {summary.total / (now - started):.1f} plans/s\n")
            stream.flush()

    yield line


def _counts(summary: Summary) -> str:
    return " ".join(f"{k}={summary.counts[k]}" for k in ("ok", "failed", "skipped"))


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
