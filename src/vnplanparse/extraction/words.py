"""Vietnamese word segmentation and part-of-speech tags (underthesea), run only on the short
stretches that need them: the words after a number (what is counted), the edges of an indicator
phrase, and the first words of a clause joined by "và" or a comma."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=8192)
def tokens(text: str) -> tuple[str, ...]:
    """Words of text as underthesea segments them ("sàn giao dịch dữ liệu" → sàn, giao dịch, dữ liệu)."""
    from underthesea import (
        word_tokenize,  # 0.5 s import: only when a plan has a number to read
    )

    return tuple(word_tokenize(text))


@lru_cache(maxsize=8192)
def first_word_is_verb(text: str) -> bool:
    """Whether text opens with a verb, as underthesea's part-of-speech tagger reads it ("đón xấp
    xỉ 12 triệu lượt khách": đón/V). Run on a few words at a clause edge only."""
    from underthesea import pos_tag

    tagged = pos_tag(text)
    return bool(tagged) and tagged[0][1] == "V"

