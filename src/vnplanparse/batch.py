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
of each of them, so a run killed between the renames shows.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from multiprocessing import get_context
from pathlib import Path
from typing import Any, TextIO

from . import __version__
from .batch_inputs import (
    BatchInput,
    Failure,
    PayloadReader,
    WalkCounts,
    assign_output_names,
    collect_inputs,
    input_digest,
)
from .batch_outputs import OutputStore, RunFiles
from .emit import OutputTarget, document_json
from .errors import InputError, VnPlanParseError
from .load import LoadedText, decode_bytes, detect_format
from .pipeline import parse_loaded

PARTS = ".parts"  # the per-plan files of a --jsonl run
PLAIN_PROGRESS_SECONDS = 5.0

# Parsed once in each worker before its first input, so that the word segmenter and the agency
# patterns are loaded there and not on some input's clock.
WARM_UP_PLAN = """KẾ HOẠCH
Phát triển kinh tế số năm 2025
I. MỤC TIÊU
1. Đến năm 2025, có 01 sàn giao dịch dữ liệu; tỷ lệ hộ gia đình có kết nối Internet đạt 95%.
II. TỔ CHỨC THỰC HIỆN
1. Sở Thông tin và Truyền thông chủ trì, phối hợp với Sở Tài chính triển khai Kế hoạch này.
"""


class BatchUsageError(ValueError):
    """The batch cannot start as asked (no inputs, a missing optional package, clashing options)."""


class BatchError(VnPlanParseError):
    """The batch cannot go on at all (its worker processes cannot run)."""


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


@dataclass(frozen=True)
class Task:
    """What a worker needs to convert one input; it reads nothing from disk itself."""

    id: str
    kind: str
    format_name: str | None
    payload: bytes | str
    emit_text: bool
    pretty: bool


@dataclass(frozen=True)
class Outcome:
    status: str  # "ok" | "skipped" | "failed"
    text: str | None = None
    failure: Failure | None = None


# ---------------------------------------------------------------------------------------------
# Worker side


def convert(task: Task) -> Outcome:
    """One input to its JSON text, or to the failure that stopped it. Never raises: a bad input,
    or a parser bug on one input, must not stop the batch."""
    try:
        document = parse_loaded(_loaded(task), keep_text=task.emit_text)
        return Outcome("ok", text=document_json(document, pretty=task.pretty))
    except Exception as exc:  # noqa: BLE001 - recorded in errors.jsonl with its class
        return Outcome("failed", failure=Failure(type(exc).__name__, " ".join(str(exc).split())))


def _loaded(task: Task) -> LoadedText:
    if isinstance(task.payload, bytes):  # a file read as `vnplanparse parse` reads it
        return replace(decode_bytes(task.payload, name=task.format_name), path=task.id)
    try:  # a record's text is read as if it were a UTF-8 file holding it
        data = task.payload.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(f"{task.id}: text is not valid Unicode (an unpaired surrogate escape)") from None
    loaded = decode_bytes(data, name=task.id)
    return replace(loaded, format="html" if task.kind == "html" else detect_format(loaded.text))


def warm_up() -> None:
    parse_loaded(decode_bytes(WARM_UP_PLAN.encode("utf-8"), name="warm-up"))


def _start_local_worker(parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _die_with_parent(parent)
    warm_up()


PARENT_CHECK_SECONDS = 0.5


def _die_with_parent(parent: int) -> None:
    """Ends this worker when the batch that started it (pid `parent`, passed in: the batch may
    be gone before the worker has started) is gone: after a kill -9 of the batch nothing else
    would, and the worker (and the resource tracker it keeps alive) would hold its memory for
    minutes, re-parented to init."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def _worker_version() -> str:
    return __version__


# ---------------------------------------------------------------------------------------------
# Engines: submit a task, get its outcome back; `window` is how many to keep under way.


class SerialEngine:
    """In this process: no start-up cost, for one worker and for tests."""

    window = 1

    def submit(self, task: Task) -> Future:
        future: Future = Future()
        future.set_result(convert(task))
        return future

    def outcome(self, future: Future) -> Outcome:
        return future.result()

    def close(self) -> None:
        pass


class LocalEngine(SerialEngine):
    """Worker processes on this machine, each warmed up once."""

    RESTARTS_WITHOUT_RESULT = 3  # then the workers cannot start at all, and no input could convert

    def __init__(self, workers: int):
        self.workers = workers
        self.window = 4 * workers
        self._pool = self._new_pool()
        self._restarts = 0

    def _new_pool(self) -> ProcessPoolExecutor:
        # spawn: a fresh interpreter per worker, safe beside the progress bar's thread
        return ProcessPoolExecutor(self.workers, mp_context=get_context("spawn"), initializer=_start_local_worker,
                                   initargs=(os.getpid(),))

    def submit(self, task: Task) -> Future:
        try:
            return self._pool.submit(convert, task)
        except BrokenProcessPool:  # a worker died: the inputs under way fail, later ones get a new pool
            self._restarts += 1
            if self._restarts > self.RESTARTS_WITHOUT_RESULT:
                raise BatchError("the worker processes keep dying before converting anything "
                                 "(run from a script? guard it with if __name__ == '__main__'); try --workers 1") from None
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._new_pool()
            return self._pool.submit(convert, task)

    def outcome(self, future: Future) -> Outcome:
        outcome = _outcome_or_crash(future)
        if outcome.failure is None or outcome.failure.kind != "WorkerCrashed":
            self._restarts = 0
        return outcome

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class DaskEngine(SerialEngine):
    """The workers of a Dask distributed cluster (a local one when no scheduler is given)."""

    def __init__(self, scheduler: str | None, workers: int):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise BatchUsageError("--engine dask needs Dask: pip install 'vnplanparse[dask]'") from None
        self._cluster = None
        if scheduler is None:
            self._cluster = LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None)
        try:
            self._client = Client(scheduler or self._cluster)
        except OSError as exc:
            raise BatchUsageError(f"cannot reach the Dask scheduler {scheduler}: {exc}") from None
        versions = set(self._client.run(_worker_version).values())
        if versions != {__version__}:  # other code would give other bytes
            self.close()
            raise BatchUsageError(f"the Dask workers run vnplanparse {', '.join(sorted(versions)) or 'nothing'}, "
                                  f"this is {__version__}")
        self._client.run(warm_up)
        self.window = 4 * max(1, sum(self._client.nthreads().values()))

    def submit(self, task: Task) -> Any:
        return self._client.submit(convert, task, pure=False)

    def outcome(self, future: Any) -> Outcome:
        return _outcome_or_crash(future)

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def _outcome_or_crash(future: Any) -> Outcome:
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - the worker process died (killed, out of memory)
        message = f"a worker died while converting this input ({type(exc).__name__}); a re-run tries it again"
        return Outcome("failed", failure=Failure("WorkerCrashed", message))


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
    from .exports import ExportError, check_database_path

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
