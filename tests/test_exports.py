"""Tables: ids that join, CSV and Parquet alike, a database whose re-runs replace only re-parsed
documents, and bad inputs reported one line each."""

import csv
import io
import json
import sqlite3
from contextlib import ExitStack

import pytest
from conftest import ROOT

from vnplanparse import parse
from vnplanparse.cli import main
from vnplanparse.output.emit import document_json
from vnplanparse.output.exports import TABLES, Exporter, ExportError, table_rows

PLANS = [ROOT / "corpus" / name for name in ("000_9e2d25597e957ed8.txt", "102_kh_giam_ngheo_ntm.txt")]


@pytest.fixture(scope="module")
def plans(tmp_path_factory):
    """The sample plans parsed once, as JSON files."""
    folder = tmp_path_factory.mktemp("plans")
    paths = []
    for plan in PLANS:
        path = folder / f"{plan.stem}.json"
        path.write_text(document_json(parse(plan)), encoding="utf-8")
        paths.append(path)
    return paths


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def read_csv(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_rows_carry_the_ids_that_join_them(plans):
    document = load(plans[0])
    rows = table_rows(document)
    doc_id = document["source"]["sha256"]
    assert all(row[0] == doc_id for table in rows.values() for row in table)
    assert [r[1] for r in rows["targets"]] == [t["id"] for t in document["targets"]]
    assert [r[1] for r in rows["references"]] == [r["id"] for r in document["references"]]
    agencies = sum(len(a["lead"]) + len(a["partners"]) for a in document["assignments"])
    assert len(rows["assignments"]) == agencies > 0
    section_ids = {r[1] for r in rows["sections"]}
    assert {r[2] for r in rows["targets"]} <= section_ids | {None}
    assert {r[2] for r in rows["sections"]} <= section_ids | {None}  # every parent is a section


def test_assignment_rows_have_the_agency_province(plans):
    document = load(plans[0])
    columns = [c for c, _ in TABLES["assignments"]]
    rows = [dict(zip(columns, row, strict=True)) for row in table_rows(document)["assignments"]]
    department = next(r for r in rows if r["agency_expanded"].startswith("Sở "))
    assert (department["agency_province"], department["agency_province_code"]) == ("Quảng Ngãi", "51")


def test_export_writes_csv_and_parquet_tables(plans, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    assert main(["export", *map(str, plans), "--to", str(tmp_path), "--parquet"]) == 0
    documents = [load(p) for p in plans]
    for table, columns in TABLES.items():
        rows = read_csv(tmp_path / f"{table}.csv")
        assert list(rows[0]) == [c for c, _ in columns]
        parquet = pq.read_table(tmp_path / f"{table}.parquet")
        assert parquet.column_names == [c for c, _ in columns]
        assert parquet.num_rows == len(rows)
    targets = read_csv(tmp_path / "targets.csv")
    assert [t["target_id"] for t in targets] == [t["id"] for d in documents for t in d["targets"]]
    money = next(t for t in targets if t["unit"] == "tỷ đồng")
    assert money["unit_canonical"] == "đồng" and float(money["value_canonical"]) == float(money["value"]) * 1e9


def test_a_bad_file_is_one_line_and_the_others_export(plans, tmp_path, capsys):
    empty = tmp_path / "empty.json"
    empty.write_text("", encoding="utf-8")
    patch = tmp_path / "patch.json"
    patch.write_text("[]", encoding="utf-8")
    code = main(["export", str(empty), str(plans[0]), str(patch), str(tmp_path / "missing.json"),
                 "--to", str(tmp_path / "out")])
    assert code == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 3 and all(line.startswith("vnplanparse: ") for line in err)
    assert len(read_csv(tmp_path / "out" / "documents.csv")) == 1


def database_rows(connection, table, document_id):
    return connection.execute(f'SELECT * FROM "{table}" WHERE document_id = ? ORDER BY 2', [document_id]).fetchall()


@pytest.mark.parametrize("suffix", [".sqlite", ".duckdb"])
def test_database_rerun_replaces_only_reparsed_documents(plans, tmp_path, suffix):
    if suffix == ".duckdb":
        duckdb = pytest.importorskip("duckdb")
        connect = lambda p: duckdb.connect(str(p))  # noqa: E731
    else:
        connect = sqlite3.connect
    db = tmp_path / f"plans{suffix}"
    assert main(["export", *map(str, plans), "--db", str(db)]) == 0
    first, second = load(plans[0]), load(plans[1])
    connection = connect(db)
    before = {t: database_rows(connection, t, second["source"]["sha256"]) for t in TABLES}
    assert len(before["targets"]) == len(second["targets"])
    view = connection.execute("SELECT COUNT(*), MIN(document_issuer) FROM targets_with_documents WHERE document_id = ?",
                              [first["source"]["sha256"]]).fetchone()
    assert view == (len(first["targets"]), first["metadata"]["issuer"])
    connection.close()

    # the first plan re-parsed: a target fewer, and its text changed (a new document id, same path)
    first["targets"].pop()
    first["source"]["sha256"] = "0" * 64
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(first, ensure_ascii=False), encoding="utf-8")
    assert main(["export", str(changed), "--db", str(db)]) == 0
    connection = connect(db)
    assert connection.execute("SELECT COUNT(*) FROM documents").fetchone() == (2,)
    assert len(database_rows(connection, "targets", "0" * 64)) == len(first["targets"])
    assert {t: database_rows(connection, t, second["source"]["sha256"]) for t in TABLES} == before
    connection.close()


def test_a_failed_run_leaves_the_database_as_it_was(plans, tmp_path):
    db = tmp_path / "plans.sqlite"
    assert main(["export", str(plans[0]), "--db", str(db)]) == 0
    before = db.read_bytes()
    with pytest.raises(RuntimeError), ExitStack() as stack:
        exporter = Exporter(stack, database=db)
        exporter.add(load(plans[1]))
        raise RuntimeError("killed")
    connection = sqlite3.connect(db)
    assert connection.execute("SELECT COUNT(*) FROM documents").fetchone() == (1,)
    connection.close()
    assert db.read_bytes() == before


def test_a_database_path_that_is_no_plain_file_is_refused(plans, tmp_path, capsys):
    target = tmp_path / "elsewhere.sqlite"
    target.write_bytes(b"keep")
    link = tmp_path / "link.sqlite"
    link.symlink_to(target)
    assert main(["export", str(plans[0]), "--db", str(link)]) == 1
    assert main(["export", str(plans[0]), "--db", str(tmp_path / "plans.csv")]) == 1
    garbage = tmp_path / "notes.sqlite"
    garbage.write_bytes(b"not a database, and it stays as it is" * 20)
    assert main(["export", str(plans[0]), "--db", str(garbage)]) == 1
    assert target.read_bytes() == b"keep" and garbage.read_bytes().startswith(b"not a database")
    assert len(capsys.readouterr().err.splitlines()) == 3
    with pytest.raises(ExportError):
        Exporter(ExitStack(), database=link)
