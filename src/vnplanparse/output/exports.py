"""Exports: parsed plans as tables other systems take as they are. Five tables join on
`document_id` (the SHA-256 of the normalised text, `source.sha256`) and the items' own ids:
documents, sections, targets, assignments (one row per agency and role) and references; written
as CSV (UTF-8 with a BOM), Parquet, and into one SQLite or DuckDB database."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from ..errors import VnPlanParseError
from ..extraction.places import agency_province, issuer_place
from .files import atomic_open, atomic_path, remove_stale_temporaries

TEXT, INTEGER, NUMBER, BOOLEAN = "TEXT", "BIGINT", "DOUBLE", "BOOLEAN"
_PROVINCE_COLUMNS = (("province", TEXT), ("province_code", TEXT), ("province_2025", TEXT), ("province_code_2025", TEXT))
_SPAN = (("span_start", INTEGER), ("span_end", INTEGER))
TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "documents": (("document_id", TEXT), ("path", TEXT), ("format", TEXT), ("encoding", TEXT), ("length", INTEGER),
                  ("parser_version", TEXT), ("doc_number", TEXT), ("doc_type", TEXT), ("issuer", TEXT),
                  *_PROVINCE_COLUMNS, ("issued_date", TEXT), ("signer", TEXT), ("title", TEXT)),
    "sections": (("document_id", TEXT), ("section_id", TEXT), ("parent_id", TEXT), ("position", INTEGER),
                 ("marker", TEXT), ("level", INTEGER), ("title", TEXT), *_SPAN),
    "targets": (("document_id", TEXT), ("target_id", TEXT), ("section_id", TEXT), ("ordinal", TEXT),
                ("indicator", TEXT), ("value", NUMBER), ("value_max", NUMBER), ("comparator", TEXT), ("unit", TEXT),
                ("value_canonical", NUMBER), ("value_max_canonical", NUMBER), ("unit_canonical", TEXT),
                ("direction", TEXT), ("year", INTEGER), ("period_start", INTEGER), ("period_end", INTEGER),
                ("baseline_year", INTEGER), ("annual", BOOLEAN), ("source", TEXT), ("text", TEXT), *_SPAN),
    "assignments": (("document_id", TEXT), ("assignment_id", TEXT), ("role", TEXT), ("position", INTEGER),
                    ("agency", TEXT), ("agency_expanded", TEXT),
                    *((f"agency_{name}", kind) for name, kind in _PROVINCE_COLUMNS),
                    ("section_id", TEXT), ("task", TEXT), ("deadline", TEXT), ("deadline_date", TEXT),
                    ("deadline_precision", TEXT), ("deadline_kind", TEXT), *_SPAN),
    "references": (("document_id", TEXT), ("reference_id", TEXT), ("doc_type", TEXT), ("doc_number", TEXT),
                   ("date", TEXT), ("issuer", TEXT), *_SPAN),
}
PRIMARY_KEYS = {"documents": ("document_id",), "sections": ("document_id", "section_id"),
                "targets": ("document_id", "target_id"),
                "assignments": ("document_id", "assignment_id", "role", "position"),
                "references": ("document_id", "reference_id")}
CHILD_TABLES = ("sections", "targets", "assignments", "references")
TARGETS_VIEW = "targets_with_documents"


class ExportError(VnPlanParseError):
    """An export destination that cannot be used (a database of an unknown kind, a device …)."""


def table_rows(document: dict) -> dict[str, list[tuple]]:
    """The rows one parsed plan (its JSON, as a dict) gives each table, in TABLES' column order."""
    doc_id, meta, source = document["source"]["sha256"], document["metadata"], document["source"]
    rows: dict[str, list[tuple]] = {
        "documents": [(doc_id, source.get("path"), source["format"], source["encoding"], source["length"],
                       document["parser_version"], meta.get("doc_number"), meta.get("doc_type"), meta.get("issuer"),
                       meta.get("province"), meta.get("province_code"), meta.get("province_2025"),
                       meta.get("province_code_2025"), meta.get("issued_date"), meta.get("signer"),
                       meta.get("title"))],
        "sections": [(doc_id, s["id"], parent, position, s["marker"], s["level"], s["title"], *s["span"])
                     for position, (s, parent) in enumerate(_sections(document["sections"], None))],
        "targets": [(doc_id, t["id"], t["section"], t.get("ordinal"), t["indicator"], t["value"], t.get("value_max"),
                     t.get("comparator"), t.get("unit"), t.get("value_canonical"), t.get("value_max_canonical"),
                     t.get("unit_canonical"), t.get("direction"), t.get("year"), *_period(t.get("period")),
                     t.get("baseline_year"), t.get("annual"), t.get("source"), t["text"], *t["span"])
                    for t in document["targets"]],
        "assignments": [row for a in document["assignments"] for row in _assignment_rows(doc_id, meta, a)],
        "references": [(doc_id, r["id"], r["doc_type"], r["doc_number"], r.get("date"), r.get("issuer"), *r["span"])
                       for r in document["references"]],
    }
    return rows


def _sections(sections: list[dict], parent: str | None) -> Iterator[tuple[dict, str | None]]:
    for section in sections:  # pre-order: the order they are read in
        yield section, parent
        yield from _sections(section.get("children", []), section["id"])


def _period(period: dict | None) -> tuple[int | None, int | None]:
    return (period.get("start"), period.get("end")) if period else (None, None)


def _assignment_rows(doc_id: str, meta: dict, a: dict) -> list[tuple]:
    """One row per agency and role; an assignment naming no agency keeps one row of role `none`."""
    agencies = [("lead", i, name, _nth(a.get("lead_expanded"), i, name)) for i, name in enumerate(a["lead"])]
    agencies += [("partner", i, name, _nth(a.get("partners_expanded"), i, name))
                 for i, name in enumerate(a.get("partners", []))]
    issuer = issuer_place(meta.get("province"), meta.get("issuer"), meta.get("issued_date"))
    rows = []
    for role, position, name, expanded in agencies or [("none", 0, None, None)]:
        place = agency_province(expanded, issuer, meta.get("issued_date")) if expanded else None
        where = (place.name, place.code, place.name_2025, place.code_2025) if place else (None,) * 4
        rows.append((doc_id, a["id"], role, position, name, expanded, *where, a["section"], a["task"],
                     a.get("deadline"), a.get("deadline_date"), a.get("deadline_precision"), a.get("deadline_kind"),
                     *a["span"]))
    return rows


def _nth(values: list[str] | None, i: int, default: str) -> str:
    return values[i] if values and i < len(values) else default


# --- CSV and Parquet ------------------------------------------------------------------------

class TableFiles:
    """`<table>.csv` for every table (and `<table>.parquet` when asked), rows appended plan by plan,
    each file put in place only when the block that opened it ends without error."""

    def __init__(self, stack: ExitStack, folder: Path, *, parquet: bool = False):
        folder.mkdir(parents=True, exist_ok=True)
        self._csv: dict[str, Any] = {}
        self._parquet: dict[str, _ParquetRows] = {}
        for name, columns in TABLES.items():
            remove_stale_temporaries(folder, f"{name}.csv")
            handle = stack.enter_context(atomic_open(folder / f"{name}.csv", newline=""))
            handle.write("\ufeff")  # Excel reads UTF-8 without mojibake only after a BOM
            self._csv[name] = csv.writer(handle)
            self._csv[name].writerow([c for c, _ in columns])
            if parquet:
                remove_stale_temporaries(folder, f"{name}.parquet")
                self._parquet[name] = stack.enter_context(_parquet_writer(folder / f"{name}.parquet", columns))

    def add(self, rows: dict[str, list[tuple]]) -> None:
        for name, table in rows.items():
            self._csv[name].writerows([_csv_cell(v) for v in row] for row in table)
            if name in self._parquet:
                self._parquet[name].add(table)


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class _ParquetRows:
    BATCH = 50_000

    def __init__(self, writer: Any, columns: tuple[tuple[str, str], ...]):
        self._writer, self._columns, self._rows = writer, columns, []

    def add(self, rows: list[tuple]) -> None:
        self._rows.extend(rows)
        if len(self._rows) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        import pyarrow as pa

        self._writer.write_table(_arrow_table(self._columns, self._rows))
        self._rows = []


@contextmanager
def _parquet_writer(path: Path, columns: tuple[tuple[str, str], ...]) -> Iterator[_ParquetRows]:
    import pyarrow.parquet as pq

    with atomic_path(path) as tmp:
        writer = pq.ParquetWriter(tmp, _arrow_schema(columns))
        rows = _ParquetRows(writer, columns)
        try:
            yield rows
            rows.flush()
        finally:
            writer.close()


def _arrow_schema(columns: tuple[tuple[str, str], ...]) -> Any:
    import pyarrow as pa

    types = {TEXT: pa.string(), INTEGER: pa.int64(), NUMBER: pa.float64(), BOOLEAN: pa.bool_()}
    return pa.schema([(name, types[kind]) for name, kind in columns])


def _arrow_table(columns: tuple[tuple[str, str], ...], rows: list[tuple]) -> Any:
    import pyarrow as pa

    schema = _arrow_schema(columns)
    values = list(zip(*rows, strict=True)) if rows else [[] for _ in columns]
    return pa.table([pa.array(v, type=f.type) for v, f in zip(values, schema, strict=True)], schema=schema)


# --- the database ---------------------------------------------------------------------------

SQLITE_SUFFIXES, DUCKDB_SUFFIXES = (".sqlite", ".sqlite3", ".db"), (".duckdb", ".ddb")


def check_database_path(path: Path) -> None:
    """Refuse, before any work, a database that cannot be opened as one (ExportError)."""
    suffix = path.suffix.lower()
    if suffix not in SQLITE_SUFFIXES + DUCKDB_SUFFIXES:
        raise ExportError(f"{path}: a database ends in .sqlite, .sqlite3, .db (SQLite) or .duckdb (DuckDB)")
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise ExportError(f"{path}: not a regular file; the database is written only to a plain file")
    if suffix in DUCKDB_SUFFIXES:
        try:
            import duckdb  # noqa: F401
        except ImportError:
            raise ExportError("a .duckdb database needs duckdb: pip install 'vnplanparse[data]'") from None


def _has_pyarrow() -> bool:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


class Database:
    """The five tables, their keys and the view of targets with their document's metadata, in
    one SQLite or DuckDB file. A plan's rows replace those of the same text or the same path
    (a re-parsed document); every other document's rows stay. A killed run leaves the database
    as it was: SQLite works in one transaction; DuckDB, which cannot delete a key and the rows
    that reference it in one transaction, works on a copy that replaces the file at the end."""

    CHUNK = 500  # plans whose rows are replaced together

    def __init__(self, stack: ExitStack, path: Path):
        check_database_path(path)
        self.duckdb = path.suffix.lower() in DUCKDB_SUFFIXES
        self._pending: list[dict[str, list[tuple]]] = []
        try:
            self._connection = self._connect(stack, path)
            stack.callback(self._connection.close)  # before the copy is renamed into place
            for statement in schema_statements():
                self._connection.execute(statement)
        except Exception as exc:  # noqa: BLE001 - sqlite3 and duckdb raise their own classes
            raise ExportError(f"{path}: not a database of these tables ({exc.__class__.__name__}: {exc})") from None
        stack.push(self._commit_unless_failed)

    def _connect(self, stack: ExitStack, path: Path) -> Any:
        if self.duckdb:
            import duckdb

            work = stack.enter_context(atomic_path(path))
            work.unlink()
            if path.exists():
                shutil.copyfile(path, work)
            return duckdb.connect(str(work))
        import sqlite3

        connection = sqlite3.connect(str(path), isolation_level=None)
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("BEGIN")
        return connection

    def replace(self, rows: dict[str, list[tuple]]) -> None:
        self._pending.append(rows)
        if len(self._pending) >= self.CHUNK:
            self._flush()

    def _flush(self) -> None:
        """Delete the stale documents of the pending plans, then insert the plans' rows. DuckDB
        checks a deleted key's references at commit, so on DuckDB (working on a copy) each step
        is committed; a chunk of plans at a time keeps the commits few."""
        ids = [rows["documents"][0][0] for rows in self._pending]
        paths = [rows["documents"][0][1] for rows in self._pending if rows["documents"][0][1] is not None]
        stale = [r[0] for r in self._connection.execute(
            f"SELECT document_id FROM documents WHERE document_id IN ({_marks(ids)}) OR path IN ({_marks(paths)})",
            [*ids, *paths]).fetchall()] if ids else []
        for table in (*CHILD_TABLES, "documents"):
            if stale:
                self._connection.execute(f'DELETE FROM "{table}" WHERE document_id IN ({_marks(stale)})', stale)
                if self.duckdb:
                    self._connection.commit()
        for name, columns in TABLES.items():  # the parent first: the children's foreign keys point at it
            table = [row for rows in self._pending for row in rows[name]]
            if table:
                self._insert(name, columns, table)
        if self.duckdb:
            self._connection.commit()
        self._pending = []

    def _insert(self, name: str, columns: tuple[tuple[str, str], ...], table: list[tuple]) -> None:
        if self.duckdb and _has_pyarrow():  # DuckDB's executemany goes row by row, an Arrow table at once
            self._connection.register("new_rows", _arrow_table(columns, table))
            self._connection.execute(f'INSERT INTO "{name}" SELECT * FROM new_rows')
            self._connection.unregister("new_rows")
        else:
            self._connection.executemany(f'INSERT INTO "{name}" VALUES ({_marks(columns)})', table)

    def _commit_unless_failed(self, exc_type: type | None, *_: object) -> bool:
        if exc_type is None:
            self._flush()
            self._connection.commit() if self.duckdb else self._connection.execute("COMMIT")
        return False


def _marks(values: list | tuple) -> str:
    return ", ".join("?" * len(values)) or "NULL"  # `IN (NULL)` matches nothing


def schema_statements() -> list[str]:
    """CREATE statements of the tables and the view (kept when they exist)."""
    statements = []
    for name, columns in TABLES.items():
        keys = PRIMARY_KEYS[name]
        parts = [f'"{c}" {kind}{" NOT NULL" if c in keys else ""}' for c, kind in columns]
        parts.append(f"PRIMARY KEY ({', '.join(keys)})")
        if name != "documents":
            parts.append("FOREIGN KEY (document_id) REFERENCES documents (document_id)")
        statements.append(f'CREATE TABLE IF NOT EXISTS "{name}" ({", ".join(parts)})')
    document_columns = [c for c, _ in TABLES["documents"] if c != "document_id"]
    statements.append(
        f"CREATE VIEW IF NOT EXISTS {TARGETS_VIEW} AS SELECT t.*, "
        + ", ".join(f'd."{c}" AS "document_{c}"' for c in document_columns)
        + " FROM targets t JOIN documents d ON d.document_id = t.document_id")
    return statements


# --- one export run -------------------------------------------------------------------------

class Exporter:
    """Tables of many plans, in the order given: CSV (and Parquet) files in a folder, a database,
    or both; written when the stack closes without an error (the database committed, the files
    renamed into place), else left as they were. A text met a second time (the same
    document_id) is exported once, the first time."""

    def __init__(self, stack: ExitStack, folder: Path | None = None, *, parquet: bool = False,
                 database: Path | None = None):
        self._files = TableFiles(stack, folder, parquet=parquet) if folder is not None else None
        self._database = Database(stack, database) if database is not None else None
        self._seen: set[str] = set()

    def add(self, document: dict) -> bool:
        """Export one plan; False when its text was already exported in this run."""
        document_id = document["source"]["sha256"]
        if document_id in self._seen:
            return False
        self._seen.add(document_id)
        rows = table_rows(document)
        if self._files is not None:
            self._files.add(rows)
        if self._database is not None:
            self._database.replace(rows)
        return True
