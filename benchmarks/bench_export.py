"""Export speed: the plans of corpus/ parsed once, repeated R times as distinct documents, then
written as CSV tables, CSV + Parquet, a SQLite database and a DuckDB database (a fresh one, then
a re-run that replaces every row).

    python benchmarks/bench_export.py [--repeat R]
"""

from __future__ import annotations

import argparse
import copy
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from vnplanparse import VnPlanParseError, parse
from vnplanparse.output.exports import Exporter, table_rows

ROOT = Path(__file__).resolve().parent.parent


def documents(repeat: int) -> list[dict]:
    parsed = []
    for path in sorted((ROOT / "corpus").iterdir()):
        try:
            parsed.append(parse(path).model_dump(mode="json"))
        except VnPlanParseError:
            continue
    out = []
    for i in range(repeat):
        for document in parsed:
            copied = copy.deepcopy(document)
            copied["source"]["sha256"] = f"{i:08d}" + document["source"]["sha256"][8:]
            copied["source"]["path"] = f"{i}/{document['source']['path']}"
            out.append(copied)
    return out


def timed(label: str, docs: list[dict], rows: int, **options) -> None:
    started = time.perf_counter()
    with ExitStack() as stack:
        exporter = Exporter(stack, **options)
        for document in docs:
            exporter.add(document)
    seconds = time.perf_counter() - started
    print(f"{label:<28}{len(docs):>7} plans{rows:>9} rows{seconds:>8.2f} s{len(docs) / seconds:>9.0f} plans/s")


def main() -> None:
    cli = argparse.ArgumentParser()
    cli.add_argument("--repeat", type=int, default=25)
    args = cli.parse_args()
    docs = documents(args.repeat)
    rows = sum(len(t) for d in docs for t in table_rows(d).values())
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        timed("CSV tables", docs, rows, folder=out / "csv")
        timed("CSV + Parquet", docs, rows, folder=out / "pq", parquet=True)
        timed("SQLite, new", docs, rows, database=out / "plans.sqlite")
        timed("SQLite, re-run", docs, rows, database=out / "plans.sqlite")
        timed("DuckDB, new", docs, rows, database=out / "plans.duckdb")
        timed("DuckDB, re-run", docs, rows, database=out / "plans.duckdb")


if __name__ == "__main__":
    main()
