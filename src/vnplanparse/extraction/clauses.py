"""Clause bounds shared by the extractors. Each reads a clause (a stretch of a line between
";" and sentence ends) once per candidate in it, so an unbounded clause — a line with no
punctuation — would cost the square of its length. A longer run is cut into pieces."""

from __future__ import annotations

from collections.abc import Iterator

CLAUSE_MAX = 2000  # characters; the longest clause in the plans read has 1,100


def at_most_clause_max(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """text[start:end] in pieces of at most CLAUSE_MAX characters, cut at a space where there
    is one (one piece when it is short enough)."""
    while end - start > CLAUSE_MAX:
        cut = text.rfind(" ", start + 1, start + CLAUSE_MAX)
        cut = cut if cut > start else start + CLAUSE_MAX
        yield start, cut
        start = cut
    yield start, end
