"""Speed of the review loop: diff, apply and the review page, on a heavy correction of each plan.

    python benchmarks/bench_corrections.py [--corpus DIR ...]

The correction changes every target's value, deletes every third assignment and adds a copy of
the first target under a new id, so each plan's patch has about as many operations as items.
Prints operations per second of `diff` and of `apply` (each operation checked on its own), and
the time to render each plan's review page with that patch.
"""

from __future__ import annotations

import argparse
import copy
import sys
import time
from pathlib import Path

from vnplanparse.review.patches import apply_patches
from vnplanparse.review.corrections import diff
from vnplanparse.reading.load import read_path
from vnplanparse.normalising.normalize import normalize
from vnplanparse.pipeline import parse_loaded
from vnplanparse.review.page import render

ROOT = Path(__file__).resolve().parents[1]


def corrected(document: dict) -> dict:
    fixed = copy.deepcopy(document)
    for target in fixed["targets"]:
        target["value"] += 1
    fixed["assignments"] = [a for i, a in enumerate(fixed["assignments"]) if i % 3]
    if fixed["targets"]:
        fixed["targets"].append(dict(fixed["targets"][0], id="t-bench-added"))
    return fixed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", action="append", type=Path, help="directory of plans (default: corpus/)")
    args = ap.parse_args()
    paths = sorted(p for d in (args.corpus or [ROOT / "corpus"]) for p in d.iterdir() if p.suffix in (".txt", ".md", ".html"))
    if not paths:
        sys.exit("no plans found")
    ops = diff_time = apply_time = render_time = 0.0
    slowest = (0.0, "")
    for path in paths:
        loaded = read_path(path)
        text = normalize(loaded).text
        document = parse_loaded(loaded).model_dump(mode="json")
        fixed = corrected(document)
        start = time.perf_counter()
        patch = diff(document, fixed)
        diff_time += time.perf_counter() - start
        start = time.perf_counter()
        applied = apply_patches(document, [("bench", patch)], text=text)
        apply_time += time.perf_counter() - start
        assert not applied.problems, applied.problems[:1]
        start = time.perf_counter()
        render(text, document, applied)
        took = time.perf_counter() - start
        render_time += took
        slowest = max(slowest, (took, f"{path.name} ({len(text):,} chars, {len(patch)} ops)"))
        ops += len(patch)
    print(f"{len(paths)} plans, {int(ops)} operations")
    print(f"diff:   {ops / diff_time:8.0f} ops/s")
    print(f"apply:  {ops / apply_time:8.0f} ops/s")
    print(f"review: {render_time / len(paths) * 1000:8.1f} ms per page on average; slowest {slowest[0] * 1000:.0f} ms: {slowest[1]}")


if __name__ == "__main__":
    main()
