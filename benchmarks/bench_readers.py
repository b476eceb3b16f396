"""Pages per second reading text-layer PDF and scanned PDF (OCR), and how well each format's
parse agrees with the text's (targets as value, unit, year; depth-2 sections), on corpus/.

    python benchmarks/bench_readers.py [--ocr-plans N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from document_fixtures import agreement, plan_docx, plan_pdf, scanned_pdf  # noqa: E402

from vnplanparse.reading.load import decode_bytes  # noqa: E402
from vnplanparse import parse  # noqa: E402
from vnplanparse.pipeline import parse_loaded  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ocr-plans", type=int, default=3, help="plans to OCR (OCR is slow)")
    args = parser.parse_args()
    plans = sorted(p for p in (ROOT / "corpus").iterdir() if p.suffix in (".txt", ".html"))
    totals = {kind: [0, 0, 0, 0.0] for kind in ("docx", "pdf", "pdf-ocr")}  # matched, items, pages, seconds
    for index, plan in enumerate(plans):
        expected = parse(plan)
        pdf = plan_pdf(plan)
        documents = {"docx": plan_docx(plan), "pdf": pdf}
        if index < args.ocr_plans:
            documents["pdf-ocr"] = scanned_pdf(pdf)
        for kind, data in documents.items():
            start = time.perf_counter()
            document = parse_loaded(decode_bytes(data, name=plan.name))
            seconds = time.perf_counter() - start
            matched, items = agreement(expected, document)
            row = totals[kind]
            row[0] += matched
            row[1] += items
            row[2] += len(document.source.pages or [])
            row[3] += seconds
    for kind, (matched, items, pages, seconds) in totals.items():
        if items:
            speed = f", {pages / seconds:.2f} pages/s ({pages} pages, read and parsed)" if pages else ""
            print(f"{kind:8} agreement {matched}/{items} = {matched / items:.3f}{speed}")


if __name__ == "__main__":
    main()
