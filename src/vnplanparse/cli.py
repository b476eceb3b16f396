"""Command line: thin commands over the pipeline. Exit codes: 0 ok, 1 input could not be
parsed (or a file is invalid), 2 usage error. Errors are one line on stderr."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from . import __version__
from .errors import VnPlanParseError
from .load import DEFAULT_MAX_BYTES, read_stream
from .pipeline import parse, parse_loaded
from .schema import committed, render
from .validate import violations

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
    p.add_argument("--pretty", action="store_true", help="indent the JSON")
    p.add_argument("--emit-text", action="store_true", help="include the normalised text (source.text) that spans refer to")
    p.add_argument("--max-bytes", type=_byte_count, default=DEFAULT_MAX_BYTES, metavar="N",
                   help=f"refuse a larger input (default {DEFAULT_MAX_BYTES} = 20 MB; suffixes k, M, G)")

    commands.add_parser("schema", help="print the JSON Schema of the output")

    v = commands.add_parser("validate", help="validate JSON files against the schema")
    v.add_argument("files", nargs="+", metavar="FILE.json")

    a = commands.add_parser("agencies", help="list the agencies that lead or join tasks across plans, with counts")
    a.add_argument("paths", nargs="+", metavar="PATH", help="plan files, or folders of them")
    a.add_argument("--json", action="store_true", help="print the counts as JSON")

    e = commands.add_parser("eval", help="score the parser against golden files")
    e.add_argument("gold_dir", metavar="GOLD_DIR")
    e.add_argument("--corpus", action="append", required=True, metavar="DIR", help="where the sources are (repeatable)")
    e.add_argument("--json", action="store_true", help="print the scores as JSON")
    e.add_argument("--errors", action="store_true", help="also list every miss, spurious item and wrong attribute")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        commands = {"parse": _parse, "schema": _schema, "validate": _validate, "agencies": _agencies, "eval": _eval}
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
    if args.path == "-":
        loaded = read_stream(sys.stdin.buffer, max_bytes=args.max_bytes)
        document = parse_loaded(loaded, keep_text=args.emit_text)
    else:
        document = parse(Path(args.path), keep_text=args.emit_text, max_bytes=args.max_bytes)
    data = document.model_dump(mode="json")
    problems = violations(data)
    if problems:
        return _fail(f"internal error: output violates the schema at {problems[0]}")
    text = json.dumps(data, ensure_ascii=False, indent=2 if args.pretty else None) + "\n"
    if args.output:
        try:
            _write_atomically(Path(args.output), text)
        except OSError as exc:
            return _fail(f"{args.output}: cannot write ({exc.strerror or exc.__class__.__name__})")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _schema(args: argparse.Namespace) -> int:
    sys.stdout.write(render(committed()))
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    worst = EXIT_OK
    for name in args.files:
        try:
            data = json.loads(Path(name).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            worst = _fail(f"{name}: cannot read ({exc.__class__.__name__})")
            continue
        except json.JSONDecodeError as exc:
            worst = _fail(f"{name}: not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
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
    from .agency_counts import count_agencies, format_counts
    from .evaluate import SOURCE_SUFFIXES

    worst, documents = EXIT_OK, []
    for name in args.paths:
        path = Path(name)
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in SOURCE_SUFFIXES) if path.is_dir() else [path]
        for file in files:
            try:
                documents.append((str(file), parse(file)))
            except VnPlanParseError as exc:  # the message names the file; the other plans still count
                worst = _fail(str(exc) if str(file) in str(exc) else f"{file}: {exc}")
    counts = count_agencies(documents)
    if args.json:
        print(json.dumps([c.as_dict() for c in counts], ensure_ascii=False, indent=2))
    else:
        print(format_counts(counts))
    return worst


def _eval(args: argparse.Namespace) -> int:
    from .evaluate import evaluate, format_report

    gold = Path(args.gold_dir)
    if not gold.is_dir():
        return _fail(f"{gold}: not a directory", EXIT_USAGE)
    report = evaluate(gold, [Path(c) for c in args.corpus])
    if args.json:
        data = {
            "parts": {n: vars(report.part(n)) | {"f1": report.part(n).f1} for n in
                      ("metadata", "sections", "references", "targets", "targets.prose", "targets.table",
                       "assignments.lead", "assignments.partners")},
            "attributes": {n: report.attribute(n).value for n in report.attribute_names()},
        }
        print(json.dumps(data, indent=2))
    else:
        print(format_report(report))
    if args.errors:
        for doc in report.documents:
            for miss in doc.misses:
                print(f"{doc.doc}: {miss}")
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
