"""A target's words: its indicator phrase, comparator and direction, and the span trimmed to it."""

from __future__ import annotations

from functools import cache, lru_cache

import regex

from ..words import first_word_is_verb, tokens
from .patterns import (
    _DATED_ASIDE,
    _DIGIT,
    _EMPTY_PARENS,
    _NEAR,
    _ORDINAL_AT,
    _ORDINAL_START,
    _SPACES,
    _TOPIC_LABEL,
    _cues,
    _pattern,
)
from .time import _Candidate


def _trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    ordinal = _ORDINAL_AT.match(text, start, end)
    if ordinal:
        start = ordinal.end()  # "(1) " is the item's marker, not part of its clause
    while start < end and text[start] in " \t-–+•,;:.)":
        start += 1
    while end > start and text[end - 1] in " \t,;:.(":
        end -= 1
    if text[start:end].count(")") > text[start:end].count("(") and text[end - 1] == ")":
        end -= 1
    if text[start:end].count("(") > text[start:end].count(")") and text[start] == "(":
        start += 1
    return start, end


def _comparator(before: str, after: str, cand: _Candidate) -> str:
    if cand.rank:
        return cand.rank
    if cand.value_max is not None:
        return "range"
    suffix = _pattern("suffix_comparator").match(after)
    if suffix:
        return suffix.lastgroup
    m = _pattern("comparator").search(before, max(0, len(before) - 40))
    if m:
        return m.lastgroup
    return "eq"


def _direction(before: str) -> str:
    found = "reach"
    tail = ""
    for m in _pattern("direction").finditer(before):
        head, tail = before[: m.start()], before[m.end() :]
        if _pattern("not_verb_before").search(head, max(0, len(head) - 20)) or _pattern("not_verb_after").match(tail):
            continue
        kind = m.lastgroup
        if m.group().lower() in ("còn", "chỉ còn", "xuống") and not _adjacent_to_number(tail):
            continue
        found = kind
    if found != "reach" and _verb_takes_over(tail):
        return "reach"
    return found


def _verb_takes_over(tail: str) -> bool:
    """After a direction verb, a comma or "và" followed by another verb opens a clause of its own
    after the verb's own figure ("tăng gấp hai lần so với năm 2025 và đón xấp xỉ 12 triệu lượt
    khách"); the guide's comma items governed by one verb are noun phrases ("giảm tỷ lệ A xuống
    5%, tỷ lệ B 3%")."""
    for m in _pattern("clause_break").finditer(tail):
        if not _DIGIT.search(tail, 0, m.start()):
            continue  # "nâng tỷ lệ doanh nghiệp sản xuất, kinh doanh sử dụng …": still the verb's object
        words = tail[m.end() : m.end() + 24].strip()
        if words and not _pattern("direction").match(words) and not _pattern("level_word").match(words) and first_word_is_verb(words):
            return True
    return False


def _adjacent_to_number(tail: str) -> bool:
    return bool(_NEAR.fullmatch(tail))


# --- indicator --------------------------------------------------------------------------------

def _indicator(text: str, cand: _Candidate, seg_start: int, seg_end: int) -> str | None:
    q, unit = cand.quantity, cand.unit
    if cand.rank:
        return _rank_subject(_clean_phrase(text[seg_start : max(seg_start, cand.phrase_start or q.start)], side="left")) or None
    left = _clean_phrase(text[seg_start:q.start], side="left")
    right = ""
    if unit.kind in ("count", "measure") or unit.text.startswith("%") or (unit.kind == "ratio" and q.word):
        right = _right_phrase(text, unit.end, seg_end)  # "giảm một nửa số xã nghèo" names it after
    if right and left and not _clean_phrase(_pattern("clause_break").split(text[seg_start:q.start])[-1], side="left"):
        left = ""  # "Các xã không còn hộ nghèo, giảm 50% số hộ cận nghèo": another clause's words
    counted = unit.text.split("/")[0]
    countable = unit.kind == "count" or unit.countable
    if countable and left and len(left.split()) <= 2 and first_word_is_verb(left) and tokens(left) == (left,):
        left = ""  # "toàn tỉnh đón 8 triệu lượt khách du lịch": the verb alone names nothing measured
    if countable and _only_frame_after_comma(text[seg_start : q.start], left):
        left = ""  # "Trên cơ sở …, cần tiếp tục vận động …, đến năm 2010 dự kiến khoảng 85 HTX": what is counted
    parts = [left]
    # "Tỷ lệ mắc lao dưới 150 ca/100.000 dân": a rate per a population, named before it
    per_population = bool(left) and bool(regex.search(r"/\d", unit.text))
    if (unit.kind == "count" and not per_population) or (countable and not left):
        if not regex.search(rf"(?<!\w){regex.escape(counted)}(?!\w)", left, regex.I):
            parts.append(counted)  # "Lắp đặt mới trạm 3G/4G: 58 trạm" names the trạm once
    parts.append(right)
    indicator = " ".join(p for p in parts if p).strip(" ,:;-")
    return indicator or None


def _only_frame_after_comma(context: str, left: str, long: int = 8) -> bool:
    """A long left context whose last comma is followed by nothing but time, aim verbs and
    comparators ("…, đến năm 2010 dự kiến khoảng"): the words before that comma are another
    clause, so the count names itself."""
    if len(left.split()) <= long or "," not in context:
        return False
    return not _clean_phrase(context[context.rfind(",") + 1 :], side="left")


def _rank_subject(phrase: str) -> str:
    """"Việt Nam có hệ thống giáo dục quốc dân hiện đại, công bằng …": what is ranked is the thing
    the subject has, before the first comma, without the qualities said of it."""
    owner = _pattern("rank_owner").search(phrase)
    if not owner:
        return phrase
    thing = phrase[owner.end() :].split(",")[0]
    thing = _pattern("rank_qualities").sub("", thing).strip()
    return thing or phrase


def _right_phrase(text: str, start: int, end: int) -> str:
    """What a number counts, written after it: up to where another clause begins. A stretch that
    opens with a comma or "và" holds no such phrase ("đạt 100% và triển khai …")."""
    if start >= end or _pattern("clause_break").match(text, start, end):
        return ""
    phrase = text[start:end]
    phrase = phrase[: _clause_break(phrase)]
    aside = _DATED_ASIDE.search(phrase)
    if aside:
        phrase = phrase[: aside.start()]  # "03 xã đạt chuẩn (năm 2025 ước đạt 87 xã)": a remark on it
    qualifier = _pattern("standard_qualifier").search(phrase)
    if qualifier and qualifier.start() > 0:
        phrase = phrase[: qualifier.start()]  # "số hộ cận nghèo theo chuẩn nghèo đa chiều quy định tại …"
    return _clean_phrase(phrase, side="right")


def _clause_break(phrase: str) -> int:
    """Where another clause begins, after a comma or "và", in the phrase after a number
    ("phù hợp với đặc thù địa phương, từng bước tiếp cận …"). Part-of-speech tags were tried
    here and cut too much: Vietnamese runs verb phrases together with commas ("được xem truyền
    hình, nghe đài"), so only words that always open a clause count."""
    for m in _pattern("clause_break").finditer(phrase):
        if _pattern("clause_opener").match(phrase, m.end()):
            return m.start()
    return len(phrase)


@lru_cache(maxsize=4096)  # half the phrases of a plan come back, from its several candidates
def _clean_phrase(phrase: str, side: str) -> str:
    if side == "left":
        phrase = _after_lead_in(_ORDINAL_START.sub("", phrase.strip()))  # before times go: "Về X: Đến năm 2025,"
    phrase = _pattern("time_phrase").sub(" ", phrase)
    phrase = _SPACES.sub(" ", phrase).strip(" ,:;.-–")
    if side == "left":
        phrase = _after_lead_in(phrase)
    for _ in range(3):
        before = phrase
        if side == "left":
            phrase = _pattern("lead_trim").sub("", phrase).strip(" ,:;.-–")
        tail = _pattern("tail_trim").search(phrase, max(0, len(phrase) - 60))
        if tail:
            phrase = phrase[: tail.start()].strip(" ,:;.-–")
        if phrase == before:
            break
    phrase = _EMPTY_PARENS.sub("", phrase)
    if phrase.count("(") > phrase.count(")"):
        phrase = phrase[: phrase.rfind("(")].rstrip() if side == "right" else phrase.replace("(", "", 1)
    return _whole_words(phrase)


def _after_lead_in(phrase: str) -> str:
    """What follows the last lead-in of a left context: a topic label before a colon ("Về kinh
    tế: Tốc độ tăng trưởng GRDP"), or an aim verb ("…, phấn đấu tổng tỷ suất sinh")."""
    label = _TOPIC_LABEL.match(phrase)
    if label:
        phrase = phrase[label.end() :]
    aims = list(_pattern("aim_verb").finditer(phrase))
    if aims:
        phrase = phrase[aims[-1].end() :]
    return phrase.strip(" ,:;")


def _whole_words(phrase: str) -> str:
    """The phrase without function words dangling at its edges ("… tại", "của …"), judged on
    the words word segmentation sees: "cho" is dropped, "cho vay" is one word and stays.
    Segmentation runs only when an edge looks like a function word."""
    edge = _edge_words()
    written = phrase.split()
    if not written or (written[0].lower() not in edge and written[-1].lower() not in edge):
        return phrase
    words = list(tokens(phrase))
    while words and words[0].lower() in edge:
        words.pop(0)
    while words and words[-1].lower() in edge:
        words.pop()
    if not words:
        return ""
    start = phrase.find(words[0])
    return phrase[start : phrase.rfind(words[-1]) + len(words[-1])].strip(" ,:;")


@cache
def _edge_words() -> frozenset[str]:
    return frozenset(w.lower() for w in _cues()["indicator_trim"]["edge_words"])
