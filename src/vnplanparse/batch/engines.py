"""Engines that convert batch inputs: in this process, in local worker processes, or on a Dask
cluster; one plan's conversion and what it yields."""

from __future__ import annotations

import os
import signal
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from multiprocessing import get_context
from typing import Any

from .._version import __version__
from ..errors import InputError, VnPlanParseError
from ..output.emit import document_json
from ..pipeline import parse_loaded
from ..reading.load import LoadedText, decode_bytes, detect_format
from .inputs import Failure

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
