"""Legacy Vietnamese font encodings (grammars/legacy_fonts.yaml): text typed with TCVN3 (ABC)
or VNI fonts holds Latin-1 codes for Vietnamese letters. Each reading of a text is scored by
how often the common Vietnamese words occur in it; a legacy reading that clearly wins names
the encoding. VNI converts without loss; TCVN3 cannot (its capitals with tone marks share the
small letters' codes), so load.py refuses it by name."""

from __future__ import annotations

import unicodedata
from functools import cache

import regex

from .. import grammar

SAMPLE_CHARS = 20_000
_MIN_WORDS = 5  # a legacy reading must find at least this many common words …
_MARGIN = 2  # … and this many times as many as the text as it stands


@cache
def _data() -> dict:
    return grammar.load("legacy_fonts")


@cache
def _common_words() -> regex.Pattern[str]:
    return regex.compile(r"(?<!\p{L})(?:" + grammar.alternation(_data()["common_words"]) + r")(?!\p{L})", regex.I)


@cache
def _table(encoding: str) -> dict[str, str]:
    """Legacy spelling -> Unicode letter, with the capital forms of VNI's entries."""
    letters: dict[str, str] = _data()[encoding]["letters"]
    if encoding != "vni":
        return dict(letters)
    table = {}
    for written, letter in letters.items():
        base, marks = written[0], written[1:]
        table[written] = letter
        table[written.upper()] = letter.upper()
        if marks:  # the base letter's case wins over the mark's
            table[base.upper() + marks] = letter.upper()
            table[base + marks.upper()] = letter
    return table


@cache
def _pattern(encoding: str) -> regex.Pattern[str]:
    return regex.compile(grammar.alternation(list(_table(encoding))))


def convert(text: str, encoding: str) -> str:
    """text, read as Latin-1 codes of a legacy font, in Unicode letters."""
    table = _table(encoding)
    return _pattern(encoding).sub(lambda m: table[m.group()], text)


@cache
def _font_codes() -> regex.Pattern[str]:
    """The codes the legacy fonts use that are no Vietnamese letter in Unicode ("¸", "ø", "ß"):
    a text without a few of them is not in a legacy encoding, and need not be read again."""
    codes = {c for encoding in ("tcvn3", "vni") for written in _table(encoding) for c in written if not c.isascii()}
    letters = {c for encoding in ("tcvn3", "vni") for letter in _table(encoding).values() for c in letter}
    return regex.compile("[" + regex.escape("".join(sorted(codes - letters))) + "]")


def _score(text: str) -> int:
    return len(_common_words().findall(unicodedata.normalize("NFC", text)))


def detect(as_decoded: str, codes: str | None = None) -> str | None:
    """"tcvn3" or "vni" when the text reads as Vietnamese under that font's table and clearly
    not as it was decoded, else None. `codes` is the same bytes with each byte of the upper half
    read as its Latin-1 character (when a code page decoded them otherwise); a text that came as
    Unicode is its own such view."""
    codes = (codes if codes is not None else as_decoded)[:SAMPLE_CHARS]
    if len(_font_codes().findall(codes)) < _MIN_WORDS:
        return None
    scores = {encoding: _score(convert(codes, encoding)) for encoding in ("tcvn3", "vni")}
    best = max(scores, key=scores.get)
    if scores[best] >= _MIN_WORDS and scores[best] >= _MARGIN * _score(as_decoded[:SAMPLE_CHARS]) + 1:
        return best
    return None
