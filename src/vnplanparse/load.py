"""Load: bytes or a path in, decoded text with its rendering (text, Markdown or HTML) out."""

from __future__ import annotations

import codecs
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import regex

from .errors import InputError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

_BINARY_MAGIC = {
    b"%PDF": "a PDF file",
    b"PK\x03\x04": "a ZIP archive (DOCX/XLSX?)",
    b"\xd0\xcf\x11\xe0": "an OLE document (DOC/XLS?)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"{\\rtf": "an RTF document",
}

_HTML_START = regex.compile(rb"^\s*(?:<!doctype\s+html|<html|<\?xml[^>]*>\s*<html)", regex.I)
_HTML_TAG = regex.compile(r"</?(?:p|div|br|table|tr|td|span|strong|b|h[1-6]|body|li)\b[^>]*>", regex.I)
_MARKDOWN_SIGNS = regex.compile(r"(?m)^\|\s*$|\*\*\S|\]\((?:https?:|/)|^#{1,6} |^={3,}\s*$")

# TCVN3 (ABC) and VNI fonts map Vietnamese letters onto Latin-1 code points; text typed with
# them decodes without error into mojibake, so it is recognised by its typical letters.
_TCVN3_SIGNS = regex.compile(r"[¸µ¶·¹¨»¾¼½Æ©ÊÇÈÉËªÏÌÎÑ®ãßäåæ]{1}[a-zA-Z]|\bc¸c\b|\bvµ\b|\btØnh\b")
_VNI_SIGNS = regex.compile(r"[a-zA-Z][øùöõïôóòñ][a-z ]|\bcaùc\b|\bvaø\b|\bnaêm\b|\bñeán\b")


@dataclass(frozen=True)
class LoadedText:
    text: str
    format: str  # "text" | "markdown" | "html"
    encoding: str
    path: str | None = None


def read_path(path: str | os.PathLike, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadedText:
    return decode_bytes(read_bytes(path, max_bytes), name=str(Path(path)))


def read_bytes(path: str | os.PathLike, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The raw bytes of a plan file; a missing file, a directory or an over-size file is an InputError."""
    p = Path(path)
    try:
        if not p.exists():
            raise InputError(f"{p}: no such file")
        if p.is_dir():
            raise InputError(f"{p}: is a directory, not a plan file")
        size = p.stat().st_size
        if size > max_bytes:
            raise InputError(f"{p}: {size} bytes is over the {max_bytes}-byte limit")
        return p.read_bytes()
    except OSError as exc:
        raise InputError(f"{p}: cannot read ({exc.strerror})") from None
    except ValueError:  # a NUL in the name
        raise InputError(f"{p!r}: not a usable file name") from None


def decode_bytes(data: bytes, name: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadedText:
    label = name or "input"
    if len(data) > max_bytes:
        raise InputError(f"{label}: {len(data)} bytes is over the {max_bytes}-byte limit")
    if not data.strip():
        raise InputError(f"{label}: empty input")
    text, encoding = _decode(data, label)
    return LoadedText(text=text, format=detect_format(text, name), encoding=encoding, path=name)


def from_string(text: str, name: str | None = None) -> LoadedText:
    if not text.strip():
        raise InputError(f"{name or 'input'}: empty input")
    return LoadedText(text=text, format=detect_format(text, name), encoding="str", path=name)


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
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _strict(data, codec, label), codec.replace("-sig", "")
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise InputError(f"{label}: looks like {what}, not text; convert it to text or HTML first")
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _strict(data, utf16, label), utf16
    if b"\x00" in data[:65536]:
        raise InputError(f"{label}: binary data (NUL bytes), not a text plan")
    try:
        text = data.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1258")
        except UnicodeDecodeError:
            raise InputError(f"{label}: bytes are neither UTF-8, UTF-16 nor Windows-1258") from None
        encoding = "windows-1258"
    _reject_legacy_font_encoding(text, label)
    return text, encoding


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


def _reject_legacy_font_encoding(text: str, label: str) -> None:
    sample = unicodedata.normalize("NFC", text[:20000])
    if regex.search(r"[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]", sample, regex.I):
        return
    if len(_TCVN3_SIGNS.findall(sample)) >= 5:
        raise InputError(f"{label}: text is in the legacy TCVN3 (ABC) font encoding; convert it to Unicode first")
    if len(_VNI_SIGNS.findall(sample)) >= 5:
        raise InputError(f"{label}: text is in the legacy VNI font encoding; convert it to Unicode first")
