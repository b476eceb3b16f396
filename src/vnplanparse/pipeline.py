"""The pipeline: load -> normalise -> segment -> extract -> assemble. Validation and emission
are the caller's (cli.py) so that the Python API stays a plain function returning a model."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ._version import __version__
from .errors import InputError
from .extraction.assignments.extract import extract_assignments
from .extraction.enrich import enrich
from .extraction.numbers import unreadable_numbers
from .extraction.targets.extract import extract_targets
from .model.plan import Assignment, Metadata, PlanDocument, Reference, Section, Source, Target
from .model.schema import ITEMS_MAX, NAMES_MAX, TEXT_MAX
from .normalising.normalize import normalize
from .normalising.tables import read_tables
from .reading.load import DEFAULT_MAX_BYTES, LoadedText, decode_bytes, from_string, read_path
from .reading.readers import page_spans
from .structure.metadata import extract_metadata
from .structure.references import extract_references
from .structure.sections import segment, without_quoted_blocks
from .extraction.readdress import readdress
from .extraction.target_filter import filter_targets


# a one-line string ending so names a file, and a missing one is an error, not a plan of one line
PATH_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".xhtml")


def parse(
    source: str | bytes | os.PathLike | LoadedText,
    *,
    keep_text: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    target_filter: bool = True,
    permissive_targets: bool = False,
) -> PlanDocument:
    """Parse one plan given as its text, its raw bytes (decoded as a file's would be), a path to a
    file, or an already loaded text. A string is a path when it names an existing file, or when
    it has no line break and ends in a plan file's suffix (`plan.txt`: missing, an InputError).

    target_filter=False keeps every target the rules found, the candidates the learned filter
    (target_filter.py) would drop among them. permissive_targets=True is for training that filter
    only: the target rules make no "not a target" decision (targets.extract_targets).

    Raises InputError (a VnPlanParseError) when the input is no readable plan: a missing file,
    a directory, empty, binary, undecodable, in the TCVN3 font encoding, or over max_bytes."""
    if isinstance(source, LoadedText):
        loaded = source
    elif isinstance(source, bytes | bytearray | memoryview):
        loaded = decode_bytes(bytes(source), max_bytes=max_bytes)
    elif isinstance(source, os.PathLike) or (isinstance(source, str) and _looks_like_path(source)):
        loaded = read_path(source, max_bytes=max_bytes)
    else:
        loaded = from_string(source, max_bytes=max_bytes)
    return parse_loaded(loaded, keep_text=keep_text, target_filter=target_filter, permissive_targets=permissive_targets)


def _looks_like_path(s: str) -> bool:
    if "\n" in s or "\r" in s or len(s) >= 4096:
        return False
    if s.strip().lower().endswith(PATH_SUFFIXES):
        return True
    try:
        return Path(s).is_file()
    except (OSError, ValueError):  # a one-line text too long for a file name, or with a NUL
        return False


def parse_loaded(
    loaded: LoadedText, *, keep_text: bool = False, target_filter: bool = True, permissive_targets: bool = False
) -> PlanDocument:
    label = loaded.path or "input"
    try:
        norm = normalize(loaded)
    except RecursionError:  # tables inside tables, hundreds deep
        raise InputError(f"{label}: elements nested too deeply to read") from None
    text = norm.text
    if not text.strip():
        raise InputError(f"{label}: no {'visible ' if loaded.format == 'html' else ''}text to parse")
    segmentation = segment(norm)
    metadata = extract_metadata(text, segmentation.body_start)
    segmentation = without_quoted_blocks(segmentation, norm, metadata.doc_number)
    sections, reading = segmentation.sections, segmentation.reading_sections
    references = extract_references(text, metadata.doc_number)
    tables = read_tables(text, norm.tables)
    targets = extract_targets(text, reading, metadata, segmentation.closing_zones, tables, permissive=permissive_targets)
    assignments = extract_assignments(text, reading, segmentation.closing_zones, tables)
    bounded = _within_bounds(metadata, sections, {"target": targets, "assignment": assignments, "reference": references})
    document = enrich(PlanDocument(
        parser_version=__version__,
        source=Source(
            path=loaded.path,
            format=loaded.source_format or loaded.format,
            encoding=loaded.encoding,
            sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            length=len(text),
            text=text if keep_text else None,
            pages=page_spans(text, list(loaded.page_texts)) if loaded.page_texts else None,
        ),
        metadata=metadata,
        sections=reading,  # the filter reads the extractors' tree too; the published one is set below
        targets=targets,
        assignments=assignments,
        references=references,
        warnings=[*loaded.warnings, *norm.warnings, *unreadable_numbers(text), *bounded],
    ))
    dropped = filter_targets(text, document) if target_filter else 0
    if reading is not sections:
        document.sections = sections
        readdress(document.targets, document.assignments, reading, sections)
    if dropped:
        document.warnings.append(f"{dropped} candidate target{'s' if dropped > 1 else ''} dropped by the learned"
                                 " filter as no aim (parse --raw-targets keeps them)")
    return document


def _within_bounds(metadata: Metadata, sections: list[Section], items: dict[str, list]) -> list[str]:
    """Keeps the document within the schema's bounds (schema.py), which only a line of a whole
    plan, or a run of a megabyte of spaces, could pass: a field that long is no item's, so the
    item goes (a metadata field or a section title is left out); one warning each."""
    warnings = []
    for name, value in metadata:
        if isinstance(value, str) and len(value) > TEXT_MAX:
            setattr(metadata, name, None)
            warnings.append(f"metadata {name} left out: {len(value)} characters is more than any plan's")
    siblings = [sections]
    while siblings:
        group = siblings.pop()
        if len(group) > ITEMS_MAX:
            warnings.append(f"{len(group) - ITEMS_MAX} sections left out: more than {ITEMS_MAX} side by side")
            del group[ITEMS_MAX:]
        for section in group:
            if section.title is not None and len(section.title) > TEXT_MAX:
                warnings.append(f"title of section {section.id} left out: {len(section.title)} characters is more than any plan's")
                section.title = None
            siblings.append(section.children)
    for kind, found in items.items():
        kept = []
        for item in found:
            too_long = _beyond_bounds(item)
            if too_long:
                warnings.append(f"{kind} at {list(item.span)} left out: {too_long}")
            else:
                kept.append(item)
        if len(kept) > ITEMS_MAX:
            warnings.append(f"{len(kept) - ITEMS_MAX} {kind}s left out: more than {ITEMS_MAX} in one plan")
        found[:] = kept[:ITEMS_MAX]
    return warnings


def _beyond_bounds(item: Target | Assignment | Reference) -> str | None:
    for name, value in item.__dict__.items():
        if isinstance(value, str) and len(value) > TEXT_MAX:
            return f"its {name} of {len(value)} characters is more than any plan's"
        if isinstance(value, list):
            if len(value) > NAMES_MAX:
                return f"{len(value)} {name} is more than any plan names"
            longest = max(map(len, value), default=0)
            if longest > TEXT_MAX:
                return f"a name in its {name} of {longest} characters is more than any plan's"
    return None
