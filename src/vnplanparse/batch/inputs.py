"""Batch inputs: files, folders and JSON Lines records expanded into one input each, in a fixed
order, with a safe, unique output file name for each."""

from __future__ import annotations

import hashlib
import json
import errno
import os
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Self

import regex

from ..evaluation.evaluate import SOURCE_SUFFIXES
from ..reading.load import DEFAULT_MAX_BYTES, read_bytes, shown_name
from ..reading.readers import DOCUMENT_SUFFIXES

RECORD_KINDS = ("text", "html", "path")
MAX_NAME_BYTES = 150  # well under the 255-byte limit of common file systems, with room for a hash
_UNSAFE_IN_NAME = regex.compile(r'[/\\:*?"<>|\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]')
_RESERVED_NAMES = {"con", "prn", "aux", "nul"} | {f"{d}{i}" for d in ("com", "lpt") for i in range(1, 10)}


@dataclass(frozen=True)
class Failure:
    kind: str
    message: str


@dataclass
class BatchInput:
    """One input as the user gave it. `origin` names it in errors.jsonl (a path, or FILE.jsonl:LINE);
    `id` becomes source.path of its document; `kind` is file, text, html, path (a record naming a
    file) or error (refused before conversion, with `failure`)."""

    origin: str
    id: str | None
    kind: str
    stem: str = ""
    format_name: str | None = None  # the file name whose suffix may tell the format
    location: Path | None = None  # the plan file, or the records file holding the text
    offset: int = 0  # of the record's line in the records file
    failure: Failure | None = None
    output: str | None = None  # file name in the output folder


@dataclass
class WalkCounts:
    """What the walk of the folders met besides inputs: entries that are no plan (by name, or a
    link to a folder, which is not followed, or OUTDIR) and the folders walked into."""

    ignored: int = 0
    folders: int = 0


def collect_inputs(arguments: list[str], globs: tuple[str, ...] = (), exclude: tuple[Path, ...] = (),
                   walk: WalkCounts | None = None) -> list[BatchInput]:
    """Files as given, folders walked recursively (sorted, symbolic links to folders not followed,
    `exclude`d folders skipped), and every line of a `.jsonl` file as a record; a later input
    with the id of an earlier one is refused. Whatever is not a regular file (a pipe, a socket,
    a device, a link that loops or points nowhere) is refused here: it would block the read or
    fail it, and it must still be accounted for."""
    items: list[BatchInput] = []
    excluded = {p.resolve() for p in exclude}
    walk = walk if walk is not None else WalkCounts()
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            items.extend(_folder_inputs(path, globs, excluded, walk))
        elif path.suffix.lower() == ".jsonl" and path.is_file():
            items.extend(_record_inputs(path))
        else:
            items.append(_file_input(path, path.stem))
    _refuse_repeated_ids(items)
    return items


def _file_input(path: Path, stem: str) -> BatchInput:
    """A plan file; named as `vnplanparse parse` names it (bytes that are not UTF-8 escaped), so
    that its id can be written in any output."""
    name = shown_name(str(path))
    problem = _not_a_plan_file(path)
    if problem:
        return _refused(name, name, "InputError", problem)
    return BatchInput(origin=name, id=name, kind="file", stem=stem, format_name=str(path), location=path)


def _not_a_plan_file(path: Path) -> str | None:
    """Why path cannot be read as a plan file, or None for a regular file (and for a missing one,
    which its read reports)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "a symbolic link to nothing" if path.is_symlink() else None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symbolic link that loops"
        return f"cannot read ({exc.strerror or exc.__class__.__name__})"
    except ValueError:  # a NUL in the name: its read reports it
        return None
    if stat.S_ISREG(mode):
        return None
    kinds = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"),
             (stat.S_ISBLK, "a device"))
    return next((f"{kind}, not a plan file" for test, kind in kinds if test(mode)), "not a regular file")


def _folder_inputs(folder: Path, globs: tuple[str, ...], excluded: set[Path], walk: WalkCounts) -> list[BatchInput]:
    found = []

    def unlisted(exc: OSError) -> None:  # a folder that cannot be read is an input lost, unless said
        name = shown_name(str(exc.filename))
        found.append(_refused(name, None, "InputError", f"cannot list the folder ({exc.strerror or exc.__class__.__name__})"))

    for current, dirs, files in os.walk(folder, onerror=unlisted):
        walked = []
        for d in sorted(dirs):
            path = Path(current) / d
            if path.is_symlink() or path.resolve() in excluded:
                walk.ignored += 1
            else:
                walk.folders += 1
                walked.append(d)
        dirs[:] = walked
        for name in sorted(files):
            path = Path(current) / name
            relative = PurePosixPath(path.relative_to(folder).as_posix())
            wanted = any(relative.match(g) for g in globs) if globs else path.suffix.lower() in SOURCE_SUFFIXES + DOCUMENT_SUFFIXES
            if wanted or _not_a_plan_file(path):  # a pipe or a broken link is reported whatever its name
                found.append(_file_input(path, str(relative.with_suffix(""))))
            else:
                walk.ignored += 1
    return found


def _record_inputs(records: Path) -> list[BatchInput]:
    found, offset, name = [], 0, shown_name(str(records))
    with open(records, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            start, offset = offset, offset + len(line)
            if line.strip():
                found.append(_record_input(records, name, number, start, line))
    return found


def _record_input(records: Path, name: str, number: int, offset: int, line: bytes) -> BatchInput:
    origin = f"{name}:{number}"
    try:
        record = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return _refused(origin, None, "RecordError", f"not valid JSON ({exc.__class__.__name__}: {_first_line(exc)})")
    except RecursionError:
        return _refused(origin, None, "RecordError", "nested too deeply to read")
    if not isinstance(record, dict):
        return _refused(origin, None, "RecordError", "a record must be a JSON object")
    raw_id = record.get("id")
    if isinstance(raw_id, bool) or not isinstance(raw_id, (str, int)):
        return _refused(origin, None, "RecordError", 'a record needs an "id" (a string or an integer)')
    record_id = str(raw_id)
    if not _is_unicode(record_id):  # no UTF-8 file can hold it as source.path
        return _refused(origin, None, "RecordError", 'the "id" is not valid Unicode (an unpaired surrogate escape)')
    kinds = [k for k in RECORD_KINDS if record.get(k) is not None]
    if len(kinds) != 1 or not isinstance(record[kinds[0]], str):
        return _refused(origin, record_id, "RecordError", 'a record needs exactly one of "text", "html" or "path", a string')
    kind = kinds[0]
    if kind == "path":
        given = Path(record["path"])
        return BatchInput(origin=origin, id=record_id, kind="path", stem=record_id, format_name=str(given),
                          location=given if given.is_absolute() else records.parent / given)
    return BatchInput(origin=origin, id=record_id, kind=kind, stem=record_id, location=records, offset=offset)


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _refused(origin: str, input_id: str | None, kind: str, message: str) -> BatchInput:
    return BatchInput(origin=origin, id=input_id, kind="error", failure=Failure(kind, f"{origin}: {message}"))


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else ""


def _refuse_repeated_ids(items: list[BatchInput]) -> None:
    first_origin: dict[str, str] = {}
    for item in items:
        if item.kind == "error" or item.id is None:
            continue
        if item.id in first_origin:
            item.kind = "error"
            item.failure = Failure("DuplicateId", f"{item.origin}: id {item.id!r} was already used by {first_origin[item.id]}")
        else:
            first_origin[item.id] = item.origin


def assign_output_names(items: list[BatchInput]) -> None:
    """Give each convertible input its file name `<safe stem>.json`. Names are compared without
    case (two names differing only in case are one file on some systems); a name already taken
    gets a short hash of the input's id, so the choice depends only on the inputs and their order."""
    taken: set[str] = set()
    for index, item in enumerate(items):
        if item.kind == "error":
            continue
        base = safe_stem(item.stem)
        digest = hashlib.sha1(str(item.id).encode("utf-8")).hexdigest()
        candidates = [base, f"{base}-{digest[:8]}", f"{base}-{digest}", f"{base}-{digest}-{index}"]
        name = next(f"{c}.json" for c in candidates if f"{c}.json".casefold() not in taken)
        taken.add(name.casefold())
        item.output = name


def safe_stem(stem: str) -> str:
    """A file name stem that stays in its folder on any common system: no separators, control or
    format characters, or characters Windows refuses; no leading dot (hidden files and `.`/`..`)
    or trailing dot/space; at most MAX_NAME_BYTES of UTF-8; never empty or a reserved device name."""
    name = _UNSAFE_IN_NAME.sub("_", unicodedata.normalize("NFC", stem)).strip(" .")
    encoded = name.encode("utf-8")
    if len(encoded) > MAX_NAME_BYTES:
        name = encoded[:MAX_NAME_BYTES].decode("utf-8", "ignore").rstrip(" .")
    if not name or name.split(".")[0].casefold() in _RESERVED_NAMES:
        name = "_" + name
    return name


class PayloadReader:
    """Reads what an input holds: a file's bytes, or a record's text read back from its line (the
    records file is not kept in memory)."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES):
        self.max_bytes = max_bytes
        self._handles: dict[Path, object] = {}

    def read(self, item: BatchInput) -> bytes | str:
        if item.kind in ("file", "path"):
            return read_bytes(item.location, self.max_bytes)
        handle = self._handles.get(item.location)
        if handle is None:
            handle = self._handles[item.location] = open(item.location, "rb")  # noqa: SIM115 - closed in close()
        handle.seek(item.offset)
        return json.loads(handle.readline())[item.kind]

    def close(self) -> None:
        for handle in self._handles.values():
            handle.close()
        self._handles.clear()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def input_digest(item: BatchInput, payload: bytes | str) -> str:
    """SHA-256 of what decides an input's document besides its id: its kind, the name whose suffix
    may set the format, and its bytes (a record's text as UTF-8)."""
    data = payload if isinstance(payload, bytes) else payload.encode("utf-8", "surrogatepass")
    head = f"{item.kind}\0{item.format_name or ''}\0".encode("utf-8", "surrogatepass")
    return hashlib.sha256(head + data).hexdigest()
