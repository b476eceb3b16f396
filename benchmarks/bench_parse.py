"""Throughput of the full parse against a bare read + normalise pass, on one core.

    python benchmarks/bench_parse.py [--corpus DIR ...] [--rounds N]

Prints plans/s and MB/s of both passes and their ratio (issue 3 asks for the full parse within
20x the bare pass and at least 50 seed-sized plans per second). The first parse, which imports
the word segmenter, is timed apart as the cold start.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

from vnplanparse.load import read_path
from vnplanparse.normalize import normalize
from vnplanparse.pipeline import parse_loaded

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", action="append", type=Path, help="directory of plans (default: corpus/)")
    ap.add_argument("--rounds", type=int, default=20, help="passes over the corpus per measurement")
    args = ap.parse_args()
    paths = sorted(p for d in (args.corpus or [ROOT / "corpus"]) for p in d.iterdir() if p.suffix in (".txt", ".md", ".html"))
    if not paths:
        sys.exit("no plans found")
    size_mb = sum(p.stat().st_size for p in paths) / 1e6

    start = time.perf_counter()
    parse_loaded(read_path(paths[0]))
    cold = time.perf_counter() - start

    def bare() -> None:
        for p in paths:
            normalize(read_path(p))

    def full() -> None:
        for p in paths:
            parse_loaded(read_path(p))

    timings = {}
    for name, job in (("read + normalise", bare), ("full parse", full)):
        job()  # warm caches
        start = time.perf_counter()
        for _ in range(args.rounds):
            job()
        timings[name] = (time.perf_counter() - start) / args.rounds

    print(f"corpus: {len(paths)} plans, {size_mb * 1000:.0f} kB; {args.rounds} rounds; cold start {cold * 1000:.0f} ms")
    for name, seconds in timings.items():
        print(f"{name:<18} {len(paths) / seconds:>8.1f} plans/s {size_mb / seconds:>7.2f} MB/s "
              f"{seconds / len(paths) * 1000:>7.2f} ms/plan")
    print(f"full / bare ratio   {timings['full parse'] / timings['read + normalise']:>8.1f}x")
    print(f"peak memory (RSS)   {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:>8.0f} MB")


if __name__ == "__main__":
    main()
