"""Throughput of `vnplanparse batch` for 1, 2 and N local workers and on a local Dask cluster.

    python benchmarks/bench_batch.py [--repeat R] [--workers N]

The corpus is corpus/ repeated R times under different names (each copy a separate input; the
word segmenter's cache makes repeats a little cheaper than fresh plans). Each configuration runs
in a fresh process: first a one-plan batch, which is the start-up cost (starting the workers and
loading the models in each), then the whole corpus with --force. Prints plans/s with and without
the start-up, the cores the run kept busy (CPU time / wall time: below the worker count when the
machine is shared), the peak memory (RSS) of the largest worker, and the Dask engine's overhead
against local worker processes with the same number of workers.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from vnplanparse.batch.run import BatchOptions, default_workers, run_batch

ROOT = Path(__file__).resolve().parents[1]


def make_corpus(folder: Path, repeat: int) -> list[Path]:
    seeds = sorted(p for p in (ROOT / "corpus").iterdir() if p.suffix == ".txt")
    for copy in range(repeat):
        for seed in seeds:
            shutil.copyfile(seed, folder / f"r{copy:04d}_{seed.name}")
    return sorted(folder.iterdir())


def measure(engine: str, workers: int, corpus: Path, scratch: Path) -> dict:
    """One configuration, in this (fresh) process."""
    options = BatchOptions(outdir=scratch / "warm", workers=workers, engine=engine, force=True)
    start = time.perf_counter()
    run_batch([str(next(corpus.iterdir()))], options, progress_stream=io.StringIO())
    startup = time.perf_counter() - start
    cpu_before, start = _cpu_seconds(), time.perf_counter()
    summary = run_batch([str(corpus)], BatchOptions(outdir=scratch / "out", workers=workers, engine=engine, force=True),
                        progress_stream=io.StringIO())
    total = time.perf_counter() - start
    cpu = _cpu_seconds() - cpu_before
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"plans": summary.total, "ok": summary.counts["ok"], "startup": startup, "total": total, "cpu": cpu,
            "worker_rss_mb": own if engine == "local" and workers == 1 else children, "main_rss_mb": own}


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the workers, once shut down)."""
    return sum(u.ru_utime + u.ru_stime for u in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))


SPIN = "import time\nt = time.perf_counter()\nx = 0\nfor i in range(10_000_000): x += i\nprint(time.perf_counter() - t)"


def parallel_capacity(processes: int) -> float:
    """How many CPU-bound processes' worth of work the machine does at once right now: N busy
    loops together against one alone (N on an idle machine with N cores, less when it is shared)."""
    def spin(n: int) -> float:
        runs = [subprocess.Popen([sys.executable, "-c", SPIN], stdout=subprocess.PIPE, text=True) for _ in range(n)]
        return max(float(r.communicate()[0]) for r in runs)

    return processes * spin(1) / spin(processes)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=80, help="copies of corpus/ (default 80: 400 plans)")
    ap.add_argument("--workers", type=int, default=default_workers(), help="N (default: all cores)")
    ap.add_argument("--one", nargs=4, metavar=("ENGINE", "WORKERS", "CORPUS", "SCRATCH"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        engine, workers, corpus, scratch = args.one
        print(json.dumps(measure(engine, int(workers), Path(corpus), Path(scratch))))
        return

    configs = [("local", 1), ("local", 2), ("local", args.workers), ("dask", args.workers)]
    configs = list(dict.fromkeys(configs))
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        plans = make_corpus(corpus, args.repeat)
        size_mb = sum(p.stat().st_size for p in plans) / 1e6
        print(f"corpus: {len(plans)} plans (corpus/ x {args.repeat}), {size_mb:.1f} MB; "
              f"this machine: {default_workers()} cores, N = {args.workers}; load average {os.getloadavg()[0]:.1f}")
        print(f"{'engine':<7}{'workers':>8}{'start-up s':>12}{'total s':>9}{'plans/s':>9}"
              f"{'after start-up':>16}{'cores used':>12}{'worker peak RSS':>17}")
        results = {}
        for engine, workers in configs:
            scratch = Path(tmp) / f"{engine}{workers}"
            command = [sys.executable, __file__, "--one", engine, str(workers), str(corpus), str(scratch)]
            r = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
            results[engine, workers] = r
            steady = r["plans"] / max(r["total"] - r["startup"], 1e-9)
            print(f"{engine:<7}{workers:>8}{r['startup']:>12.2f}{r['total']:>9.2f}{r['plans'] / r['total']:>9.1f}"
                  f"{steady:>16.1f}{r['cpu'] / r['total']:>12.2f}{r['worker_rss_mb']:>14.0f} MB")
        local, dask = results["local", args.workers], results["dask", args.workers]
        print(f"Dask overhead with {args.workers} workers: start-up +{dask['startup'] - local['startup']:.2f} s, "
              f"whole run x{dask['total'] / local['total']:.2f} the local workers' time")
        print(f"load average at the end {os.getloadavg()[0]:.1f}; {args.workers} busy loops ran at "
              f"{parallel_capacity(args.workers):.2f}x the speed of one (the parallelism the machine had to give)")


if __name__ == "__main__":
    main()
