"""Writing files safely: a temporary beside the target renamed over it, never half a file; where
output goes (a file, stdout, a symlink followed) and the stale temporaries of a crash."""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TextIO

from ..errors import OutputError

TEMP_SUFFIX = ".tmp"


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary name beside path to write to; renamed into place when the block succeeds, so a
    reader (or a re-run after a kill) never sees a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    os.close(fd)
    try:  # a replaced file keeps its permissions; mkstemp makes the file private, outputs are ordinary files
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        mode = 0o666 & ~_umask()
    os.chmod(tmp, mode)
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


def remove_stale_temporaries(folder: Path, name: str = "") -> None:
    """Delete the temporary files a killed writer left in folder (those of `name` only, if given)."""
    if folder.is_dir():
        for leftover in folder.glob(f".{name}.*{TEMP_SUFFIX}" if name else f".*{TEMP_SUFFIX}"):
            leftover.unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------------
# A command's output (-o): where it goes, and how it is written there

STDOUT = "-"

_LINK_HOPS = 40  # as the kernel's limit on a chain of symbolic links

_SYSTEM_STREAMS = ("/dev/std", "/dev/fd/", "/proc/")  # /dev/stdout, /dev/fd/3, /proc/self/fd/1: a process's own streams


@dataclass(frozen=True)
class OutputTarget:
    """Where an output named by the user goes: `file` (a regular file, or a new one, replaced
    atomically; a link's target when the name is a link), else written as a stream to `stream`
    (a pipe, a device, /dev/stdout) or, when both are None, to standard output (`-`)."""

    name: str
    file: Path | None = None
    stream: Path | None = None

    @property
    def is_file(self) -> bool:
        return self.file is not None


def output_target(name: str, *, mkdir: bool = False) -> OutputTarget:
    """Decide how to write `name` without destroying what is there; refuse (OutputError, one line)
    a folder, a read-only file, or a file in a folder that does not exist (unless mkdir)."""
    if name == STDOUT:
        return OutputTarget(name)
    chain = _link_chain(Path(name))
    if any(str(hop).startswith(_SYSTEM_STREAMS) for hop in chain):
        return OutputTarget(name, stream=Path(name))
    real = chain[-1]
    try:
        status = os.stat(real)
    except FileNotFoundError:
        status = None
    except OSError as exc:
        raise OutputError(f"{name}: cannot write ({exc.strerror})") from None
    if status is not None and stat.S_ISDIR(status.st_mode):
        raise OutputError(f"{name}: cannot write (Is a directory)")
    if status is not None and not stat.S_ISREG(status.st_mode):  # a pipe, a device, a socket
        return OutputTarget(name, stream=Path(name))
    if status is not None and (not status.st_mode & 0o222 or not os.access(real, os.W_OK)):
        raise OutputError(f"{name}: cannot write (a read-only file: not replaced)")
    if not real.parent.is_dir():
        if not mkdir:
            raise OutputError(f"{name}: cannot write (folder {real.parent} does not exist; --mkdir creates it)")
        try:
            real.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"{name}: cannot create folder {real.parent} ({exc.strerror})") from None
    return OutputTarget(name, file=real)


def _link_chain(path: Path) -> list[Path]:
    """path and every link it leads through, each absolute, ending at what is not a link (that
    may not exist: a dangling link's target is where the output goes)."""
    chain = [Path(os.path.abspath(path))]
    while chain[-1].is_symlink() and len(chain) <= _LINK_HOPS:
        hop = chain[-1]
        chain.append(Path(os.path.abspath(Path(os.path.realpath(hop.parent)) / os.readlink(hop))))
    if len(chain) > _LINK_HOPS:
        raise OutputError(f"{path}: too many levels of symbolic links")
    # the folders on the way may be links too: the last hop's own folder resolved
    chain[-1] = Path(os.path.realpath(chain[-1].parent)) / chain[-1].name
    return chain


@contextmanager
def open_output(target: OutputTarget, newline: str | None = None) -> Iterator[TextIO]:
    """A text handle on target: a file's is renamed into place only when the block succeeds (a
    failed write leaves the old file as it was); a stream's writes go straight through."""
    if target.file is not None:
        with atomic_open(target.file, newline=newline) as handle:
            yield handle
    elif target.stream is not None:
        with open(target.stream, "w", encoding="utf-8", newline=newline) as handle:
            yield handle
    else:
        yield sys.stdout
        sys.stdout.flush()


def write_output(name: str, text: str, *, mkdir: bool = False) -> None:
    """Write a command's whole output to name (see output_target)."""
    target = output_target(name, mkdir=mkdir)
    try:
        with open_output(target) as handle:
            handle.write(text)
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(f"{name}: cannot write ({exc.strerror or exc.__class__.__name__})") from None
