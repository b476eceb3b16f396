"""The reading stage for plans as portals publish them: DOCX, DOC (through LibreOffice), PDF with
a text layer, and scanned PDF (OCR). Each is read by content, not by name, into the text or HTML
the normaliser takes, with the pages' starts for a PDF."""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import regex

from ...errors import InputError

DOCUMENT_SUFFIXES = (".docx", ".doc", ".pdf")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CONVERT_SECONDS = 120
_TAG = regex.compile(r"<[^>]*>")


@dataclass(frozen=True)
class ReadDocument:
    text: str
    format: str  # the rendering the normaliser reads: "html"
    source_format: str  # "docx" | "doc" | "pdf" | "pdf-ocr"
    page_starts: tuple[int, ...] = ()  # where each PDF page's text starts in `text`
    warnings: tuple[str, ...] = ()


def read_document(data: bytes, label: str) -> ReadDocument | None:
    """The document in data, or None when data is none of the formats read here."""
    from . import docx

    if data.startswith(b"%PDF") or data[:1024].lstrip().startswith(b"%PDF"):
        return _read_pdf(data, label)
    if data.startswith(b"PK\x03\x04") and docx.is_docx(data):
        return ReadDocument(docx.docx_to_html(data, label), "html", "docx")
    if data.startswith(_OLE) and b"W\x00o\x00r\x00d\x00D\x00o\x00c\x00u\x00m\x00e\x00n\x00t" in data:
        return ReadDocument(docx.docx_to_html(_doc_to_docx(data, label), label), "html", "doc")
    return None


def _read_pdf(data: bytes, label: str) -> ReadDocument:
    from . import pdf, pdf_html

    document = pdf.open_pdf(data, label)
    try:
        try:
            pages = pdf.text_layer(document)
        except Exception as exc:  # noqa: BLE001 - pdfium's errors on a broken page
            raise InputError(f"{label}: damaged PDF file ({exc.__class__.__name__})") from None
        source_format, warnings = "pdf", []
        if not pdf_html.has_readable_text(pages):
            from .ocr import ocr_pages

            pages, warnings = ocr_pages(document, label)
            source_format = "pdf-ocr"
            warnings.insert(0, f"read by OCR: pages 1-{len(pages)}" if len(pages) > 1 else "read by OCR: page 1")
    finally:
        document.close()
    if not any(line.text.strip() for page in pages for line in page.lines):
        raise InputError(f"{label}: PDF with no text to read")
    text, starts = pdf_html.assemble(pages)
    return ReadDocument(text, "html", source_format, tuple(starts), tuple(warnings))


def _doc_to_docx(data: bytes, label: str) -> bytes:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise InputError(f"{label}: a Word 97-2003 (.doc) file needs LibreOffice to read: "
                         "install Debian's libreoffice-writer-nogui (or save it as .docx)")
    with tempfile.TemporaryDirectory(prefix="vnplanparse-doc-") as folder:
        source = Path(folder) / "plan.doc"
        source.write_bytes(data)
        # a profile of its own: a running LibreOffice of the user's would otherwise take the job
        profile = Path(folder, "profile").as_uri()
        command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                   "--convert-to", "docx", "--outdir", folder, str(source)]
        try:
            subprocess.run(command, capture_output=True, timeout=_CONVERT_SECONDS, check=False,
                           stdin=subprocess.DEVNULL, env={**os.environ, "HOME": folder})
        except subprocess.TimeoutExpired:
            raise InputError(f"{label}: LibreOffice did not convert the .doc file within {_CONVERT_SECONDS} s") from None
        converted = Path(folder) / "plan.docx"
        if not converted.is_file():
            raise InputError(f"{label}: LibreOffice could not read the .doc file (damaged or encrypted?)")
        return converted.read_bytes()


def page_spans(text: str, page_texts: list[str]) -> list[tuple[int, int]]:
    """Each page's [start, end) in the normalised text: a page starts where its first words are
    found (looked for after the page before, whitespace and markup ignored); it ends where the
    next starts."""
    starts, position = [], 0
    for page_text in page_texts:
        letters = "".join(html.unescape(_TAG.sub(" ", page_text)).split())[:60]
        found = regex.compile(r"\s*".join(map(regex.escape, letters))).search(text, position) if letters else None
        position = found.start() if found else position
        starts.append(position)
    return [(start, end) for start, end in zip(starts, [*starts[1:], len(text)])]
