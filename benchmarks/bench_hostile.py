"""The deep run of the hostile-input properties (issue 19): 10 000 examples (the `deep` profile of
tests/conftest.py) of benchmarks/hostile_inputs.py through `parse`, each one classified instead
of stopping at the first failure.

    python benchmarks/bench_hostile.py [--examples N] [--seed S]

Printed: per shape and in all, how many inputs parsed, were refused (InputError), crashed (any
other exception), gave an invalid document (schema, or not RFC 8259 JSON) or a document whose
spans do not hold (tests/test_properties.check_document); then the slowest input and the largest
peak memory of one parse (resident memory above the process before it, Linux), and the first
example of each failure. Not run in CI: it takes some minutes.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT / "tests")]

import hostile_inputs as hostile  # noqa: E402
from bench_worst_cases import _reset_peak_rss, _status_mb  # noqa: E402
from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from test_properties import PLANS, check_document  # noqa: E402 - also registers the profiles (conftest)

from vnplanparse import InputError  # noqa: E402
from vnplanparse.output.emit import document_json  # noqa: E402
from vnplanparse.output.validate import violations  # noqa: E402

OUTCOMES = ("ok", "refused", "crash", "invalid", "span")


def classify(example: hostile.Example) -> tuple[str, str]:
    """The outcome of one example, and what went wrong."""
    try:
        document = hostile.parse_example(example)
    except InputError:
        return "refused", ""
    except Exception as exc:  # noqa: BLE001 - counted, not raised
        return "crash", f"{type(exc).__name__}: {exc}"[:200]
    try:
        data = document.model_dump(mode="json")
        problems = violations(data)
        json.dumps(data, allow_nan=False)
        document_json(document)
    except Exception as exc:  # noqa: BLE001
        return "invalid", f"{type(exc).__name__}: {exc}"[:200]
    if problems:
        return "invalid", problems[0][:200]
    try:
        check_document(document)
    except AssertionError as exc:
        return "span", f"{exc}"[:200]
    return "ok", ""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", type=int, default=settings.get_profile("deep").max_examples)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    counts: dict[str, Counter] = defaultdict(Counter)
    first_failure: dict[str, tuple[str, str]] = {}
    slowest = (0.0, None)
    peak = (0.0, None)
    for plan in PLANS[:3] + ["\n".join(hostile.SENTENCES).format(n=5)]:  # models and caches load here, not on an input's clock
        hostile.parse_example(hostile.Example("text", "warm-up", plan))

    @seed(args.seed)
    @settings(settings.get_profile("deep"), max_examples=args.examples, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(hostile.hostile_inputs(PLANS, deep=True))
    def record(example: hostile.Example) -> None:
        nonlocal slowest, peak
        _reset_peak_rss()
        baseline = _status_mb("VmRSS")
        started = time.perf_counter()
        outcome, detail = classify(example)
        seconds = time.perf_counter() - started
        memory = _status_mb("VmHWM") - baseline
        counts[example.shape][outcome] += 1
        if outcome not in ("ok", "refused"):
            first_failure.setdefault(outcome, (repr(example), detail))
        if seconds > slowest[0]:
            slowest = (seconds, example)
        if memory > peak[0]:
            peak = (memory, example)

    started = time.perf_counter()
    record()
    elapsed = time.perf_counter() - started
    total = sum(counts.values(), Counter())
    print(f"{'shape':<10} {'examples':>8} " + " ".join(f"{o:>8}" for o in OUTCOMES))
    for shape in sorted(counts):
        print(f"{shape:<10} {sum(counts[shape].values()):>8} " + " ".join(f"{counts[shape][o]:>8}" for o in OUTCOMES))
    print(f"{'all':<10} {sum(total.values()):>8} " + " ".join(f"{total[o]:>8}" for o in OUTCOMES))
    print(f"in {elapsed:.0f} s; slowest input {slowest[0]:.2f} s ({_describe(slowest[1])}); "
          f"peak memory of one parse {peak[0]:.0f} MB ({_describe(peak[1])})")
    for outcome, (example, detail) in first_failure.items():
        print(f"first {outcome}: {detail}\n  {example}")
    if any(total[o] for o in ("crash", "invalid", "span")):
        raise SystemExit(1)


def _describe(example: hostile.Example | None) -> str:
    return f"{example.shape}, {len(example.payload)} {'bytes' if example.kind == 'bytes' else 'characters'}" \
        if example else "-"


if __name__ == "__main__":
    main()
