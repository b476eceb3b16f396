"""Load: bytes or a path in, decoded text with its rendering (text, Markdown or HTML) out.

Whatever the input, the result is a text or an InputError whose message names the input and
the problem in one line: missing, a directory, unreadable, over the size limit, empty, binary
(PDF, office documents, images, archives, NUL or control bytes), damaged UTF-8, or typed in the
legacy TCVN3 font encoding. Text in the legacy VNI encoding is converted.
"""

from __future__ import annotations

import codecs
import os
import stat
from dataclasses import dataclass, replace
from pathlib import Path

import regex

from ..errors import InputError
from . import legacy_fonts, readers

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

_BINARY_MAGIC = {
    b"%PDF": "a PDF file",
    b"PK\x03\x04": "a ZIP archive (DOCX/XLSX/ODT?)",
    b"\xd0\xcf\x11\xe0": "an OLE document (DOC/XLS?)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"II*\x00": "a TIFF image",
    b"MM\x00*": "a TIFF image",
    b"{\\rtf": "an RTF document",
    b"\x1f\x8b": "a gzip archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"Rar!": "a RAR archive",
    b"\x7fELF": "a program (ELF)",
}
_RIFF_KINDS = {b"WEBP": "a WebP image", b"WAVE": "a WAV sound", b"AVI ": "an AVI video"}
_SAMPLE_BYTES = 65536

_HTML_START = regex.compile(rb"^\s*(?:<!doctype\s+html|<html|<\?xml[^>]*>\s*<html)", regex.I)
_HTML_TAG = regex.compile(r"</?(?:p|div|br|table|tr|td|span|strong|b|h[1-6]|body|li)\b[^>]*>", regex.I)
_MARKDOWN_SIGNS = regex.compile(r"(?m)^\|\s*$|\*\*\S|\]\((?:https?:|/)|^#{1,6} |^={3,}\s*$")

# Control characters no text file holds more than a few of (tab, line and page breaks aside).
_CONTROL = regex.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_UTF8_SEQUENCE = regex.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
# Bytes as legacy fonts wrote them: the upper half as Latin-1 characters, below it Windows'.
_FONT_CODES = "".join(
    chr(b) if b >= 0xA0 else bytes([b]).decode("cp1258", errors="replace").replace("\ufffd", chr(b))
    for b in range(256)
)
_LEGACY_NAMES = {"tcvn3": "TCVN3 (ABC)", "vni": "VNI"}
_NAME_CONTROL = regex.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True)
class LoadedText:
    text: str
    format: str  # "text" | "markdown" | "html"
    encoding: str
    path: str | None = None
    warnings: tuple[str, ...] = ()
    source_format: str | None = None  # the file's format where it was a document (readers/): docx, pdf, ...
    page_texts: tuple[str, ...] = ()  # a PDF's pages as read, to find them in the normalised text


def read_path(path: str | os.PathLike, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadedText:
    return decode_bytes(read_bytes(path, max_bytes), name=shown_name(str(Path(path))), max_bytes=max_bytes)


def read_bytes(path: str | os.PathLike, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The raw bytes of a plan file. No more than max_bytes + 1 bytes are read, whatever the
    file is (a device or a pipe may never end); a missing file, a directory or an over-size
    file is an InputError."""
    p = Path(path)
    label = shown_name(str(p))
    try:
        data = _read_at_most(p, max_bytes + 1)
    except FileNotFoundError:
        raise InputError(f"{label}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{label}: is a directory, not a plan file") from None
    except PermissionError:
        raise InputError(f"{label}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{label}: cannot read ({exc.strerror or exc.__class__.__name__})") from None
    except ValueError:  # a NUL in the name
        raise InputError(f"{label}: not a valid file name") from None
    if len(data) > max_bytes:
        size = _file_size(p)
        raise InputError(f"{label}: {size if size > max_bytes else 'more than ' + str(max_bytes)} bytes "
                         f"is over the limit of {_limit(max_bytes)}")
    return data


def _read_at_most(path: Path, size: int) -> bytes:
    """Up to `size` bytes of path. A named pipe is opened without waiting for a writer (the open
    would block until one came): with none, it holds nothing."""
    try:
        is_pipe = stat.S_ISFIFO(path.stat().st_mode)
    except (OSError, ValueError):  # the open says what is wrong
        is_pipe = False
    if not is_pipe:
        with open(path, "rb") as handle:
            return handle.read(size)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    os.set_blocking(fd, True)  # a writer that is there is waited for, as a reader of a pipe does
    with open(fd, "rb") as handle:
        data = handle.read(size)
    if not data:
        raise InputError(f"{shown_name(str(path))}: a named pipe (FIFO) with nothing written to it")
    return data


def shown_name(name: str) -> str:
    """A file name as it prints on one line: bytes the file system could not decode and
    control characters (a line break in a name) escaped."""
    try:
        raw = name.encode("utf-8", "surrogateescape")  # the bytes os.fsdecode could not decode
    except UnicodeEncodeError:
        raw = name.encode("utf-8", "backslashreplace")
    name = raw.decode("utf-8", "backslashreplace")
    return _NAME_CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), name)


def read_stream(stream, name: str = "<stdin>", max_bytes: int = DEFAULT_MAX_BYTES) -> LoadedText:
    """The plan in a binary stream (standard input), read no further than the limit."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError(f"{name}: more than {max_bytes} bytes is over the limit of {_limit(max_bytes)}")
    return decode_bytes(data, name=name, max_bytes=max_bytes)


def _file_size(p: Path) -> int:
    try:
        return p.stat().st_size
    except OSError:
        return 0


def _limit(max_bytes: int) -> str:
    megabytes = max_bytes / (1024 * 1024)
    return f"{megabytes:g} MB" if megabytes >= 1 and megabytes.is_integer() else f"{max_bytes} bytes"


def decode_bytes(data: bytes, name: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadedText:
    label = name or "input"
    if len(data) > max_bytes:
        raise InputError(f"{label}: {len(data)} bytes is over the limit of {_limit(max_bytes)}")
    document = readers.read_document(data, label)
    if document is not None:
        return _from_document(document, name, label)
    text, encoding = _decode(data, label)
    return _loaded(text, encoding, name, label)


def from_string(text: str, name: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadedText:
    label = name or "input"
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as exc:
        raise InputError(f"{label}: not valid Unicode (a lone surrogate at character {exc.start})") from None
    if size > max_bytes:
        raise InputError(f"{label}: {size} bytes of text is over the limit of {_limit(max_bytes)}")
    return _loaded(text, "str", name, label)


def _loaded(text: str, encoding: str, name: str | None, label: str) -> LoadedText:
    if not text.strip():
        raise InputError(f"{label}: empty input")
    if encoding not in ("windows-1258", "vni"):  # Unicode whose letters are a legacy font's codes
        legacy = legacy_fonts.detect(text)
        if legacy:
            text, encoding = _from_legacy(text, legacy, label), f"{encoding}+{legacy}"
    warnings = (f"converted from the legacy {_LEGACY_NAMES['vni']} font encoding",) if "vni" in encoding else ()
    return LoadedText(text=text, format=detect_format(text, name), encoding=encoding, path=name, warnings=warnings)


def _from_document(document: readers.ReadDocument, name: str | None, label: str) -> LoadedText:
    loaded = _loaded(document.text, "utf-8", name, label)
    bounds = [*document.page_starts, len(document.text)]
    pages = tuple(document.text[a:b] for a, b in zip(bounds, bounds[1:]))
    return replace(loaded, format=document.format, source_format=document.source_format, page_texts=pages,
                   warnings=loaded.warnings + document.warnings)


def _from_legacy(text: str, legacy: str, label: str) -> str:
    if legacy == "tcvn3":
        raise InputError(
            f"{label}: text is in the legacy {_LEGACY_NAMES[legacy]} font encoding, whose capitals with tone "
            "marks cannot be told from small letters; convert it to Unicode first (e.g. with UniKey)"
        )
    return legacy_fonts.convert(text, legacy)


def detect_format(text: str, name: str | None = None) -> str:
    suffix = Path(name).suffix.lower() if name else ""
    if suffix in {".html", ".htm", ".xhtml"}:
        return "html"
    head = text[:4096]
    if _HTML_START.match(head.encode("utf-8", "ignore")) or len(_HTML_TAG.findall(head)) >= 5:
        return "html"
    if suffix in {".md", ".markdown"} or len(_MARKDOWN_SIGNS.findall(text[:200_000])) >= 3:
        return "markdown"
    return "text"


def _decode(data: bytes, label: str) -> tuple[str, str]:
    text, encoding = _decode_by_form(data, label)
    sample = text[:_SAMPLE_BYTES]
    if len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise InputError(f"{label}: binary data (control bytes), not a text plan")
    return text, encoding


def _decode_by_form(data: bytes, label: str) -> tuple[str, str]:
    boms = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
            (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
    for bom, codec in boms:
        if data.startswith(bom):
            return _strict(data, codec, label), codec.replace("-sig", "")
    _refuse_known_binary(data, label)
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _strict(data, utf16, label), utf16
    if b"\x00" in data[:_SAMPLE_BYTES]:
        raise InputError(f"{label}: binary data (NUL bytes), not a text plan")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        return _eight_bit(data, exc, label)


def _refuse_known_binary(data: bytes, label: str) -> None:
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise InputError(f"{label}: looks like {what}, not text; convert it to text or HTML first")
    if data.startswith(b"RIFF") and data[8:12] in _RIFF_KINDS:
        raise InputError(f"{label}: looks like {_RIFF_KINDS[data[8:12]]}, not text")


def _eight_bit(data: bytes, error: UnicodeDecodeError, label: str) -> tuple[str, str]:
    """Bytes that are not UTF-8: UTF-8 with damage, a legacy font's codes, or Windows-1258."""
    sample = data[:_SAMPLE_BYTES]
    damaged = sample.decode("utf-8", errors="replace").count("\ufffd")
    if len(_UTF8_SEQUENCE.findall(sample)) > 4 * damaged:
        raise InputError(f"{label}: invalid UTF-8 at byte {error.start} (the file looks damaged)")
    codes = codecs.charmap_decode(data, "strict", _FONT_CODES)[0]
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError:
        text = None
    legacy = legacy_fonts.detect(text if text is not None else codes, codes)
    if legacy:
        return _from_legacy(codes, legacy, label), legacy
    if text is None:
        raise InputError(f"{label}: bytes are neither UTF-8, UTF-16 nor Windows-1258 (undecodable at byte {error.start})")
    return text, "windows-1258"


def _strict(data: bytes, codec: str, label: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise InputError(f"{label}: invalid {codec} at byte {exc.start}") from None


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0) / len(sample[0::2])
    odd_nuls = sample[1::2].count(0) / len(sample[1::2])
    if odd_nuls > 0.3 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.3 and odd_nuls < 0.05:
        return "utf-16-be"
    return None
