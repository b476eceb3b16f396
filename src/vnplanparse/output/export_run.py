"""`vnplanparse export`: parsed plans (JSON files, folders of them, JSON Lines files as `batch
--jsonl` writes) to the tables of exports.py, a database, or a spaCy DocBin. A file that is no
valid parsed plan is one line on stderr and is left out; the others are exported."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from .exports import Exporter, check_database_path
from .validate import violations


@dataclass(frozen=True)
class ExportRequest:
    inputs: list[str]
    folder: Path | None = None
    parquet: bool = False
    database: Path | None = None
    spacy: Path | None = None


def run_export(request: ExportRequest) -> tuple[int, int]:
    """Export every readable plan; (plans exported, inputs refused)."""
    if request.database is not None:
        check_database_path(request.database)
    if request.parquet:
        import pyarrow.parquet  # noqa: F401 - refuse at once, not after reading every plan
    exported = refused = 0
    with ExitStack() as stack:
        exporter = None
        if request.folder is not None or request.database is not None:
            exporter = Exporter(stack, request.folder, parquet=request.parquet, database=request.database)
        bins = None
        if request.spacy is not None:
            from .spacy_component import DocBinWriter

            bins = stack.enter_context(DocBinWriter(request.spacy))
        for name, document in read_plans(request.inputs):
            if isinstance(document, str):
                sys.stderr.write(f"vnplanparse: {name}: {document}\n")
                refused += 1
                continue
            if exporter is not None and not exporter.add(document):
                sys.stderr.write(f"vnplanparse: {name}: the same text as an earlier plan, exported once\n")
            if bins is not None:
                problem = bins.add(document)
                if problem:
                    sys.stderr.write(f"vnplanparse: {name}: {problem}\n")
            exported += 1
    return exported, refused


def read_plans(inputs: list[str]) -> Iterator[tuple[str, dict | str]]:
    """(name, parsed plan) for each plan of the inputs, or (name, why it is no plan)."""
    for given in inputs:
        path = Path(given)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*.json") if not any(part.startswith(".") for part in p.parts[len(path.parts):]))
            for file in files:
                yield str(file), _plan_of_file(file)
        elif path.suffix.lower() == ".jsonl" and path.is_file():
            yield from _plans_of_lines(path)
        else:
            yield given, _plan_of_file(path)


def _plan_of_file(path: Path) -> dict | str:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return "no such file"
    except IsADirectoryError:
        return "is a directory"
    except (OSError, UnicodeDecodeError) as exc:
        return f"cannot read ({exc.__class__.__name__})"
    return _plan_of_text(text)


def _plans_of_lines(path: Path) -> Iterator[tuple[str, dict | str]]:
    try:
        with open(path, encoding="utf-8-sig") as handle:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    yield f"{path}:{number}", _plan_of_text(line)
    except (OSError, UnicodeDecodeError) as exc:
        yield str(path), f"cannot read ({exc.__class__.__name__})"


def _plan_of_text(text: str) -> dict | str:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return f"not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
    if not isinstance(data, dict) or "schema_version" not in data:
        return "not a parsed plan (no schema_version)"
    problems = violations(data)
    if problems:
        return f"not a valid parsed plan: {problems[0]}"
    return data
