"""The same plan in every rendering gives the same parse (issue 16, point 2), at full size: every
plan of corpus/ and ../shared/corpus*/ rendered as HTML, as Markdown written back from it by
markdownify and html-to-markdown, as plain text and as PDF-like text; the agreement of each
rendering's targets, assignments and depth-2 sections with the original's parse, and the time.

    .venv/bin/python benchmarks/bench_renderings.py [--write DIR]   # DIR: keep the renderings
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from renderings import corpus_plans, measure, render, report  # noqa: E402


def main() -> None:
    plans = corpus_plans()
    if "--write" in sys.argv:
        out = Path(sys.argv[sys.argv.index("--write") + 1])
        out.mkdir(parents=True, exist_ok=True)
        for p in plans:
            for name, (text, suffix) in render(p).items():
                (out / f"{p.parent.name}__{p.stem}.{name}{suffix}").write_text(text, encoding="utf-8")
    t0 = time.perf_counter()
    results = measure(plans)
    print(f"{len(plans)} plans, {time.perf_counter() - t0:.1f} s")
    print(report(results))


if __name__ == "__main__":
    main()
