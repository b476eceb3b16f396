"""The pipeline: load -> normalise -> segment -> extract -> assemble. Validation and emission
are the caller's (cli.py) so that the Python API stays a plain function returning a model."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from . import __version__
from .assignments import extract_assignments
from .errors import InputError
from .load import DEFAULT_MAX_BYTES, LoadedText, from_string, read_path
from .metadata import extract_metadata
from .model import PlanDocument, Source
from .normalize import normalize
from .readers import page_spans
from .references import extract_references
from .sections import segment
from .tables import read_tables
from .targets import extract_targets


def parse(
    source: str | os.PathLike | LoadedText, *, keep_text: bool = False, max_bytes: int = DEFAULT_MAX_BYTES
) -> PlanDocument:
    """Parse one plan given as its text, a path to an existing file, or an already loaded text.

    Raises InputError (a VnPlanParseError) when the input is no readable plan: a missing file,
    a directory, empty, binary, undecodable, in the TCVN3 font encoding, or over max_bytes."""
    if isinstance(source, LoadedText):
        loaded = source
    elif isinstance(source, os.PathLike) or (isinstance(source, str) and _looks_like_path(source)):
        loaded = read_path(source, max_bytes=max_bytes)
    else:
        loaded = from_string(source, max_bytes=max_bytes)
    return parse_loaded(loaded, keep_text=keep_text)


def _looks_like_path(s: str) -> bool:
    try:
        return "\n" not in s and len(s) < 4096 and Path(s).is_file()
    except (OSError, ValueError):  # a one-line text too long for a file name, or with a NUL
        return False


def parse_loaded(loaded: LoadedText, *, keep_text: bool = False) -> PlanDocument:
    label = loaded.path or "input"
    try:
        norm = normalize(loaded)
    except RecursionError:  # tables inside tables, hundreds deep
        raise InputError(f"{label}: elements nested too deeply to read") from None
    text = norm.text
    if not text.strip():
        raise InputError(f"{label}: no {'visible ' if loaded.format == 'html' else ''}text to parse")
    segmentation = segment(norm)
    sections = segmentation.sections
    metadata = extract_metadata(text, segmentation.body_start)
    references = extract_references(text, metadata.doc_number)
    tables = read_tables(text, norm.tables)
    targets = extract_targets(text, sections, metadata, segmentation.closing_zones, tables)
    return PlanDocument(
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
        sections=sections,
        targets=targets,
        assignments=extract_assignments(text, sections, segmentation.closing_zones, tables),
        references=references,
        warnings=[*loaded.warnings, *norm.warnings],
    )
