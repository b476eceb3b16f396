"""Normalise: any rendering of a plan -> one clean text that every offset refers to.

All three renderings (plain text, Markdown converted from a web page, HTML) reduce to the
same shape: NFC, `\\n` line ends, one paragraph or table row per line, no markup. Markdown
soft wraps become spaces (a wrapped sentence is one sentence), emphasis marks go, and bold
runs are kept aside as spans because a bold run-in heading is a section title."""

from __future__ import annotations

import unicodedata

import regex

from ..reading.load import LoadedText
from .html import _html_to_text
from .layout import NormalizedText, _BIDI_CONTROLS, _bidi_warning, _line_tables
from .markdown import _markdown_to_text, _without_chrome_lines
from .plain_text import _tab_rows_as_cells, _unwrapped, _without_page_chrome, _wrap_width

_INVISIBLE = regex.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

_SPACES = regex.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000]")


def normalize(loaded: LoadedText) -> NormalizedText:
    raw, bidi_controls = _BIDI_CONTROLS.subn("", _clean_characters(loaded.text))
    if loaded.format == "html":
        result = _html_to_text(raw)
    elif loaded.format == "markdown":
        result = _markdown_to_text(raw)
    else:
        result = _plain_to_text(raw)
    if not unicodedata.is_normalized("NFC", result.text):  # a piece boundary split a letter
        result = NormalizedText(unicodedata.normalize("NFC", result.text), warnings=result.warnings)
    if bidi_controls:
        result.warnings.append(_bidi_warning(bidi_controls))
    return result


def _clean_characters(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACES.sub(" ", text)
    return _INVISIBLE.sub("", text)


def _plain_to_text(text: str) -> NormalizedText:
    lines = [line.rstrip() for line in text.split("\n")]
    lines, warnings = _without_page_chrome(lines)
    lines = _without_chrome_lines(lines, warnings)
    width = _wrap_width(lines)
    if width:
        lines = _unwrapped(lines, width)
    while lines and not lines[0].strip():
        lines.pop(0)
    lines, tab_rows = _tab_rows_as_cells(lines)
    text = "\n".join(lines).strip("\n") + "\n"
    return NormalizedText(text, tables=_line_tables(text, tab_rows), warnings=warnings)
