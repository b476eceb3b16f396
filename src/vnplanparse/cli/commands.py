"""Command line: thin commands over the pipeline. Exit codes: 0 ok, 1 input could not be
parsed (or a file is invalid), 2 usage error. Errors are one line on stderr."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .._version import __version__
from ..errors import VnPlanParseError
from ..model.schema import committed, render
from ..output.emit import document_json
from ..output.files import STDOUT, output_target, write_output
from ..output.validate import violations
from ..pipeline import parse, parse_loaded
from ..reading.load import DEFAULT_MAX_BYTES, read_stream

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse prints usage; keep one clear line too
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="vnplanparse", description="Vietnamese government plans to structured JSON.")
    parser.add_argument("--version", action="version", version=f"vnplanparse {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = commands.add_parser("parse", help="parse one plan (text, Markdown or HTML) into JSON")
    p.add_argument("path", metavar="PATH", help="plan file, or - for standard input")
    p.add_argument("-o", "--output", metavar="OUT.json", help="write here instead of standard output")
    _mkdir_option(p)
    p.add_argument("--pretty", action="store_true", help="indent the JSON")
    p.add_argument("--emit-text", action="store_true", help="include the normalised text (source.text) that spans refer to")
    p.add_argument("--raw-targets", action="store_true", help="keep every target the rules found: no learned filter over them (target_filter.py)")
    p.add_argument("--corrections", metavar="DIR", help="apply this plan's stored correction from DIR (named by text SHA-256, file name or doc number)")
    p.add_argument("--max-bytes", type=_byte_count, default=DEFAULT_MAX_BYTES, metavar="N",
                   help=f"refuse a larger input (default {DEFAULT_MAX_BYTES} = 20 MB; suffixes k, M, G)")

    commands.add_parser("schema", help="print the JSON Schema of the output")

    v = commands.add_parser("validate", help="validate JSON files against the schema")
    v.add_argument("files", nargs="+", metavar="FILE.json")

    a = commands.add_parser("agencies", help="list the agencies that lead or join tasks across plans, with counts")
    a.add_argument("paths", nargs="+", metavar="PATH", help="plan files, or folders of them")
    a.add_argument("--json", action="store_true", help="print the counts as JSON")

    b = commands.add_parser("batch", help="convert many plans: files, folders or JSON Lines records")
    b.add_argument("inputs", nargs="+", metavar="INPUT",
                   help='plan files, folders (searched recursively) or .jsonl files of {"id", "text"|"html"|"path"} records')
    b.add_argument("-o", "--outdir", required=True, metavar="OUTDIR",
                   help="where the JSON files, targets.csv, errors.jsonl and manifest.jsonl go")
    b.add_argument("--glob", action="append", default=[], metavar="PATTERN",
                   help="files to take from folders, e.g. '*.htm' (repeatable; default: .txt .md .markdown .html .htm)")
    b.add_argument("--jsonl", metavar="OUT.jsonl",
                   help="write the documents to one JSON Lines file, in input order (-: standard output, counts on stderr)")
    _mkdir_option(b)
    b.add_argument("--parquet", action="store_true", help="also write the tables as .parquet (needs pyarrow)")
    b.add_argument("--db", metavar="PLANS.duckdb|.sqlite", help="also put the tables in this DuckDB or SQLite database")
    b.add_argument("--workers", type=int, metavar="N", help="worker processes (default: all cores)")
    b.add_argument("--engine", choices=("local", "dask"), default="local", help="local processes or a Dask cluster")
    b.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: a local cluster)")
    b.add_argument("--force", action="store_true", help="convert every input again, even if its output is up to date")
    b.add_argument("--pretty", action="store_true", help="indent the JSON files")
    b.add_argument("--emit-text", action="store_true", help="include the normalised text (source.text)")

    _add_export_command(commands)

    e = commands.add_parser("eval", help="score the parser against golden files")
    e.add_argument("gold_dir", metavar="GOLD_DIR")
    e.add_argument("--corpus", action="append", required=True, metavar="DIR", help="where the sources are (repeatable)")
    e.add_argument("--json", action="store_true", help="print the scores as JSON")
    e.add_argument("--errors", action="store_true", help="also list every miss, spurious item and wrong attribute")
    e.add_argument("--raw-targets", action="store_true", help="keep every target the rules found: no learned filter over them (target_filter.py)")

    d = commands.add_parser("diff", help="the JSON Patch (by item id) that turns an extraction into a reviewer's correction")
    d.add_argument("extracted", metavar="EXTRACTED.json")
    d.add_argument("corrected", metavar="CORRECTED.json")
    d.add_argument("-o", "--output", metavar="FIX.patch.json", help="write here; a folder: as FOLDER/<text SHA-256>.patch.json")
    d.add_argument("--format", choices=("json", "text"), default="json", help="json: the RFC 6902 patch; text: per item, what changed")
    _mkdir_option(d)

    ap = commands.add_parser("apply", help="apply correction patches to a parsed plan")
    ap.add_argument("plan", metavar="PLAN.json")
    ap.add_argument("patches", nargs="+", metavar="FIX.patch.json")
    ap.add_argument("-o", "--output", metavar="OUT.json", help="write here instead of standard output")
    _mkdir_option(ap)
    ap.add_argument("--pretty", action="store_true", help="indent the JSON")

    r = commands.add_parser("review", help="an HTML page showing the plan text with what was extracted highlighted")
    r.add_argument("plan", metavar="PLAN.txt")
    r.add_argument("--json", metavar="PLAN.json", help="the parse to show (default: parse the plan now)")
    r.add_argument("--patch", action="append", default=[], metavar="FIX.patch.json", help="show these corrections (repeatable)")
    r.add_argument("-o", "--output", metavar="review.html", help="write the page here (-: standard output), or --serve")
    _mkdir_option(r)
    r.add_argument("--serve", action="store_true", help="serve the page on 127.0.0.1 (a random token in the URL) until Ctrl-C")
    r.add_argument("--corrections", metavar="DIR", help="with --serve: start from the plan's patch in DIR and save the page's patch there")
    return parser


def _mkdir_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--mkdir", action="store_true", help="create the output's folder when it does not exist")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        commands = {"parse": _parse, "schema": _schema, "validate": _validate, "agencies": _agencies, "eval": _eval,
                    "diff": _diff, "apply": _apply, "review": _review, "batch": _batch, "export": _export}
        return commands[args.command](args)
    except VnPlanParseError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return _fail("interrupted")
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - a bug still gets one line, never a traceback
        return _fail(f"internal error: {exc.__class__.__name__}: {exc}")


def _fail(message: str, code: int = EXIT_INPUT) -> int:
    one_line = message.replace("\r", "\\r").replace("\n", "\\n")
    sys.stderr.write(f"vnplanparse: {one_line}\n")
    return code


def _byte_count(value: str) -> int:
    """A size such as 5000000, 500k, 20M or 1G (powers of 1024)."""
    factors = {"k": 1024, "m": 1024**2, "g": 1024**3}
    digits, factor = (value[:-1], factors[value[-1].lower()]) if value[-1:].lower() in factors else (value, 1)
    try:
        count = int(digits) * factor
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {value!r}") from None
    if count <= 0:
        raise argparse.ArgumentTypeError(f"not a positive size: {value!r}")
    return count


def _parse(args: argparse.Namespace) -> int:
    if args.corrections and not Path(args.corrections).is_dir():
        return _fail(f"{args.corrections}: not a directory", EXIT_USAGE)
    keep_text = args.emit_text or bool(args.corrections)  # corrections re-anchor their spans in the text
    if args.path == "-":
        loaded = read_stream(sys.stdin.buffer, max_bytes=args.max_bytes)
        document = parse_loaded(loaded, keep_text=keep_text, target_filter=not args.raw_targets)
    else:
        document = parse(Path(args.path), keep_text=keep_text, max_bytes=args.max_bytes,
                         target_filter=not args.raw_targets)
    code = EXIT_OK
    if args.corrections:
        data, code = _corrected(document.model_dump(mode="json"), Path(args.corrections))
        data["source"]["text"] = data["source"]["text"] if args.emit_text else None
        problems = violations(data)
        if problems:
            return _fail(f"internal error: output violates the schema at {problems[0]}")
        text = json.dumps(data, ensure_ascii=False, indent=2 if args.pretty else None) + "\n"
    else:
        text = document_json(document, pretty=args.pretty)
    _emit(text, args)
    return code


def _emit(text: str, args: argparse.Namespace) -> None:
    """The command's output to -o (standard output without it); see emit.output_target."""
    write_output(args.output or STDOUT, text, mkdir=args.mkdir)


def _schema(args: argparse.Namespace) -> int:
    sys.stdout.write(render(committed()))
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    from ..review.corrections import CorrectionError, read_json

    worst = EXIT_OK
    for name in args.files:
        try:
            data = read_json(Path(name))
        except CorrectionError as exc:
            worst = _fail(str(exc))
            continue
        problems = violations(data)
        for problem in problems:
            sys.stderr.write(f"{name}: {problem}\n")
        if problems:
            worst = EXIT_INPUT
        else:
            print(f"{name}: valid")
    return worst


def _agencies(args: argparse.Namespace) -> int:
    from ..evaluation.agency_counts import count_agencies, format_counts
    from ..evaluation.evaluate import SOURCE_SUFFIXES

    worst, documents = EXIT_OK, []
    for name in args.paths:
        path = Path(name)
        try:
            files = sorted(p for p in path.iterdir() if p.suffix.lower() in SOURCE_SUFFIXES) if path.is_dir() else [path]
        except OSError as exc:
            worst = _fail(f"{name}: cannot read the folder ({exc.strerror or exc.__class__.__name__})")
            continue
        for file in files:  # a bad plan is reported and the other plans still count
            try:
                documents.append((str(file), parse(file)))
            except VnPlanParseError as exc:  # the message names the file
                worst = _fail(str(exc) if str(file) in str(exc) else f"{file}: {exc}")
            except Exception as exc:  # noqa: BLE001 - a parser bug on one plan
                worst = _fail(f"{file}: internal error: {exc.__class__.__name__}: {exc}")
    counts = count_agencies(documents)
    if args.json:
        print(json.dumps([c.as_dict() for c in counts], ensure_ascii=False, indent=2))
    else:
        print(format_counts(counts))
    return worst


def _batch(args: argparse.Namespace) -> int:
    from ..batch.run import BatchOptions, default_workers, run_batch
    from ..batch.engines import BatchUsageError

    jsonl = output_target(args.jsonl, mkdir=args.mkdir) if args.jsonl else None  # refused before any work
    options = BatchOptions(
        outdir=Path(args.outdir), jsonl=jsonl, parquet=args.parquet,
        workers=args.workers or default_workers(), engine=args.engine, scheduler=args.scheduler, force=args.force,
        pretty=args.pretty, emit_text=args.emit_text, globs=tuple(args.glob), db=Path(args.db) if args.db else None,
    )
    try:
        summary = run_batch(args.inputs, options)
    except BatchUsageError as exc:
        return _fail(str(exc), EXIT_USAGE)
    except OSError as exc:  # an output cannot be written (permissions, disk full): the run stops
        return _fail(f"cannot write {exc.filename or 'an output'}: {exc.strerror or exc}")
    report = sys.stdout if jsonl is None or jsonl.is_file else sys.stderr  # documents on a stream: counts apart
    print(summary.line(), file=report)
    if summary.counts["failed"]:
        print(f"batch: the failed inputs are listed in {Path(args.outdir) / 'errors.jsonl'}", file=report)
    return EXIT_INPUT if summary.counts["failed"] else EXIT_OK


def _add_export_command(commands: argparse._SubParsersAction) -> None:
    x = commands.add_parser("export", help="parsed plans (JSON) to joinable tables, a database or a spaCy DocBin")
    x.add_argument("inputs", nargs="+", metavar="PLAN.json", help="parsed plans, folders of them, or .jsonl files")
    x.add_argument("--to", metavar="DIR", help="write documents.csv, sections.csv, targets.csv, assignments.csv, references.csv here")
    x.add_argument("--parquet", action="store_true", help="with --to: the tables as .parquet too (needs pyarrow)")
    x.add_argument("--db", metavar="PLANS.duckdb|.sqlite", help="put the tables in this DuckDB or SQLite database (rows of re-exported plans replaced)")
    x.add_argument("--to-spacy", metavar="FILE.spacy", help="write a spaCy DocBin of the plans (needs spacy, and --emit-text parses)")


def _export(args: argparse.Namespace) -> int:
    from ..output.export_run import ExportRequest, run_export

    if not (args.to or args.db or args.to_spacy):
        return _fail("export: give --to DIR, --db FILE or --to-spacy FILE", EXIT_USAGE)
    if args.parquet and not args.to:
        return _fail("export: --parquet needs --to DIR", EXIT_USAGE)
    try:
        exported, refused = run_export(ExportRequest(
            args.inputs, folder=Path(args.to) if args.to else None, parquet=args.parquet,
            database=Path(args.db) if args.db else None, spacy=Path(args.to_spacy) if args.to_spacy else None))
    except ImportError as exc:
        return _fail(f"export needs {exc.name}: pip install 'vnplanparse[data]' (or [nlp] for spacy)", EXIT_USAGE)
    print(f"export: {exported} plans exported, {refused} refused")
    return EXIT_INPUT if refused else EXIT_OK


def _eval(args: argparse.Namespace) -> int:
    from ..evaluation.evaluate import PART_NAMES, error_kinds, evaluate, format_report

    gold = Path(args.gold_dir)
    if not gold.is_dir():
        return _fail(f"{gold}: not a directory", EXIT_USAGE)
    report = evaluate(gold, [Path(c) for c in args.corpus], target_filter=not args.raw_targets)
    if args.json:
        data = {
            "parts": {n: vars(report.part(n)) | {"f1": report.part(n).f1} for n in PART_NAMES},
            "attributes": {n: report.attribute(n).value for n in report.attribute_names()},
        }
        print(json.dumps(data, indent=2))
    else:
        print(format_report(report))
    if args.errors:
        print("\nmost frequent error kinds")
        for kind, count in error_kinds(report).most_common(10):
            print(f"{count:>6}  {kind}")
        for doc in report.documents:
            for miss in doc.misses:
                print(f"{doc.doc}: {miss}")
    unscored = [doc for doc in report.documents if doc.error]
    for doc in unscored:  # a gold file that could not be scored would otherwise only lower the figures
        _fail(f"{doc.doc}: not scored: {doc.error}")
    return EXIT_INPUT if unscored else EXIT_OK


def _corrected(data: dict, directory: Path) -> tuple[dict, int]:
    from ..review.corrections import CorrectionError, find_correction, read_patch

    path = find_correction(directory, data)
    if path is None:
        return data, EXIT_OK
    try:
        return _applied(data, [(str(path), read_patch(path))], [])
    except CorrectionError as exc:  # the parse is still written, with the reason it is uncorrected
        return _applied(data, [], [f"{exc} (not applied)"])


def _applied(data: dict, patches: list[tuple[str, list]], unread: list[str]) -> tuple[dict, int]:
    """Apply patches; every operation (and patch file) that could not apply is one stderr line."""
    from ..review.patches import apply_patches

    result = apply_patches(data, patches, unread)
    for line in result.problems:
        _fail(line)
    return result.document, EXIT_INPUT if result.problems else EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    from ..review.corrections import PATCH_SUFFIX, check_same_text, diff, keyed, read_plan
    from ..review.patches import format_changes, summarize

    extracted, corrected = read_plan(Path(args.extracted)), read_plan(Path(args.corrected))
    check_same_text(extracted, corrected)
    patch = diff(extracted, corrected)
    if args.format == "text":
        text = format_changes(summarize(keyed(extracted), keyed(corrected), patch)) + "\n"
    else:
        text = json.dumps(patch, ensure_ascii=False, indent=2) + "\n"
    if args.output and Path(args.output).is_dir():
        args.output = str(Path(args.output) / (extracted["source"]["sha256"] + PATCH_SUFFIX))
    _emit(text, args)
    return EXIT_OK


def _apply(args: argparse.Namespace) -> int:
    from ..review.corrections import CorrectionError, read_patch, read_plan

    plan = read_plan(Path(args.plan))
    patches, unread = [], []
    for name in args.patches:
        try:
            patches.append((name, read_patch(Path(name))))
        except CorrectionError as exc:  # one unreadable patch does not stop the others
            unread.append(f"{exc} (not applied)")
    document, code = _applied(plan, patches, unread)
    _emit(json.dumps(document, ensure_ascii=False, indent=2 if args.pretty else None) + "\n", args)
    return code


def _review(args: argparse.Namespace) -> int:
    from ..review.page import build_review

    if args.serve == bool(args.output):
        return _fail("review: give -o review.html or --serve (one of them)", EXIT_USAGE)
    if args.corrections and not args.serve:
        return _fail("review: --corrections goes with --serve (for a file, give the patch with --patch)", EXIT_USAGE)
    if args.serve:
        from ..review.server import serve

        return serve(Path(args.plan), Path(args.json) if args.json else None, [Path(p) for p in args.patch],
                     Path(args.corrections) if args.corrections else None)

    page, problems = build_review(Path(args.plan), Path(args.json) if args.json else None, [Path(p) for p in args.patch])
    for problem in problems:
        _fail(problem)
    _emit(page, args)
    return EXIT_INPUT if problems else EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
