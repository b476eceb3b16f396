"""Vietnamese word segmentation (underthesea), run only on the short stretches that need it:
the words after a number (what is counted) and the edges of an indicator phrase."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=8192)
def tokens(text: str) -> tuple[str, ...]:
    """Words of text as underthesea segments them ("sàn giao dịch dữ liệu" → sàn, giao dịch, dữ liệu)."""
    from underthesea import (
        word_tokenize,  # 0.5 s import: only when a plan has a number to read
    )

    return tuple(word_tokenize(text))

