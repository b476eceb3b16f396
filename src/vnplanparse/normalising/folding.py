"""Text folded for comparison: case and tones (dấu) dropped, spaces collapsed."""

from __future__ import annotations

import unicodedata

_TONES = "\u0300\u0301\u0303\u0309\u0323"


def fold(s: object) -> str:
    if s is None:
        return ""
    text = unicodedata.normalize("NFD", str(s))
    text = text.replace("“", '"').replace("”", '"').replace("’", "'").replace("‘", "'")
    words = []
    for word in text.split():
        tones = "".join(ch for ch in word if ch in _TONES)
        words.append("".join(ch for ch in word if ch not in _TONES) + tones)
    folded = " ".join(words).casefold().strip(" .,:;")
    return unicodedata.normalize("NFC", folded)
