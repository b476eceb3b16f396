"""Time and memory of the full parse on worst-case plans at doubling sizes (issue 7).

    python benchmarks/bench_worst_cases.py [--cases NAME,...] [--steps 1,2,4,8,16]

Each case of benchmarks/worst_cases.py is generated at base size × each step and parsed in a
fresh process, so that its peak memory is its own. Printed per size: characters, seconds,
characters per second, peak resident memory above the warmed-up process, and the ratio of time
and memory to the size before. Linear growth shows as a time ratio near the size ratio (2 for
doubling steps); a quadratic spot shows as a ratio near 4. CPU seconds are printed too: on a
shared machine they vary less than the wall clock. The largest default sizes are the
issue's: a 10 MB plan, 100 000 lines, 10 000 ordinals in one paragraph, a 1 MB line. Issue 24
added a whole plan joined into one line, a table whose every cell claims rowspan=colspan=1000,
and the review page of a table of 20 000 targets (that case times the page, not the parse).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import worst_cases


def _reset_peak_rss() -> None:
    """Start the peak resident size afresh (Linux: the import's own peak is not the parse's)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass  # elsewhere the figure includes the peak of the imports


def _status_mb(field: str) -> float:
    """A memory figure of /proc/self/status (VmHWM: peak resident, VmRSS: resident now)."""
    try:
        status = Path("/proc/self/status").read_text()
        return next(int(line.split()[1]) for line in status.splitlines() if line.startswith(field + ":")) / 1024
    except (OSError, StopIteration):  # not Linux: the lifetime peak
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_one(case: str, size: int) -> dict:
    """Parse one generated plan in this process: seconds and peak memory above the baseline."""
    from vnplanparse.reading.load import from_string
    from vnplanparse.pipeline import parse_loaded

    parse_loaded(from_string("I. MỤC TIÊU\n- Tỷ lệ hộ nghèo giảm 3%/năm; 05 xã đạt chuẩn.\n"))  # imports, caches
    _reset_peak_rss()
    baseline = _status_mb("VmRSS")
    make, _ = worst_cases.CASES[case]
    text = make(size)
    start, cpu = time.perf_counter(), time.process_time()
    document = parse_loaded(from_string(text, name=worst_cases.FORMATS.get(case)), keep_text=True)
    if case in worst_cases.RENDERED:  # the page, not the parse, is what this case measures
        from vnplanparse.review.page import render

        _reset_peak_rss()
        baseline = _status_mb("VmRSS")
        plan = document.model_dump(mode="json")
        start, cpu = time.perf_counter(), time.process_time()
        render(document.source.text, plan)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"chars": len(text), "seconds": seconds, "cpu_seconds": cpu, "memory_mb": _status_mb("VmHWM") - baseline,
            "sections": len(document.sections), "targets": len(document.targets)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", default=",".join(worst_cases.CASES), help="comma-separated case names")
    ap.add_argument("--steps", default="1,2,4,8,16", help="multiples of each case's base size")
    ap.add_argument("--one", nargs=2, metavar=("CASE", "SIZE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(measure_one(args.one[0], int(args.one[1]))))
        return
    steps = [int(s) for s in args.steps.split(",")]
    print(f"{'case':<15} {'size':>8} {'chars':>10} {'seconds':>8} {'cpu s':>7} {'kchar/s':>8} {'MB':>7} {'time×':>6} "
          f"{'cpu×':>6} {'mem×':>6}")
    for case in args.cases.split(","):
        _, base = worst_cases.CASES[case]
        previous = None
        for step in steps:
            run = subprocess.run([sys.executable, __file__, "--one", case, str(base * step)],
                                 capture_output=True, text=True, check=True)
            row = json.loads(run.stdout)
            ratios = ""
            if previous:
                ratios = (f"{row['seconds'] / previous['seconds']:>6.2f} "
                          f"{row['cpu_seconds'] / max(previous['cpu_seconds'], 1e-3):>6.2f} "
                          f"{row['memory_mb'] / max(previous['memory_mb'], 1):>6.2f}")
            print(f"{case:<15} {base * step:>8} {row['chars']:>10} {row['seconds']:>8.2f} {row['cpu_seconds']:>7.2f} "
                  f"{row['chars'] / row['seconds'] / 1000:>8.0f} {row['memory_mb']:>7.0f} {ratios}", flush=True)
            previous = row


if __name__ == "__main__":
    main()
