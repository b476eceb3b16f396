"""Emit: a parsed document as the JSON text every command writes, and atomic file writes."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TextIO

from .errors import OutputError
from .model import PlanDocument
from .validate import violations

TEMP_SUFFIX = ".tmp"


def document_json(document: PlanDocument, *, pretty: bool = False) -> str:
    """The document as JSON text (one line unless pretty, ending with a newline), checked against
    the committed schema first: a violation is a parser bug and is never written."""
    data = document.model_dump(mode="json")
    problems = violations(data)
    if problems:
        raise OutputError(f"internal error: output violates the schema at {problems[0]}")
    return json.dumps(data, ensure_ascii=False, indent=2 if pretty else None) + "\n"


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary name beside path to write to; renamed into place when the block succeeds, so a
    reader (or a re-run after a kill) never sees a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes the file private; outputs are ordinary files
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def atomic_open(path: Path, newline: str | None = None) -> Iterator[TextIO]:
    """A UTF-8 text file written under a temporary name and renamed into place on success."""
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline=newline) as handle:
        yield handle


@cache
def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomically(path: Path, text: str) -> None:
    with atomic_open(path) as handle:
        handle.write(text)


def remove_stale_temporaries(folder: Path, name: str = "") -> None:
    """Delete the temporary files a killed writer left in folder (those of `name` only, if given)."""
    if folder.is_dir():
        for leftover in folder.glob(f".{name}.*{TEMP_SUFFIX}" if name else f".*{TEMP_SUFFIX}"):
            leftover.unlink(missing_ok=True)
