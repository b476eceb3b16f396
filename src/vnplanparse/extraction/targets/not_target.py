"""What is not a target: inner counts, denominators, durations, facts, policy norms, qualifiers, past
figures and repeats of a target already found."""

from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache

import regex

from ...model.plan import Metadata, Target
from ..numbers import Quantity, scaled
from ..units import Unit
from .indicators import _direction
from .patterns import (
    _DATELINE,
    _PUNCT,
    _pattern,
)
from .time import _Candidate, _Document


def _without_past(text: str, targets: list[Target], metadata: Metadata) -> list[Target]:
    """A figure due in a year before the plan was issued ("Năm 2025, … đạt 7,6%" in a plan of
    2026) is a past result, not an aim (../shared/ANNOTATION.md §3): no plan aims at a year gone.
    So is a bracketed remark on the plan's own year ("đạt trên 98% (năm 2025 đạt 96,2%)" in a
    plan of December 2025)."""
    issued = int(metadata.issued_date[:4]) if metadata.issued_date else None
    if issued is None:
        return targets

    def past(t: Target) -> bool:
        if t.year is not None and t.year < issued:
            return True
        remark = _pattern("year_remark").match(t.text)
        return bool(remark) and int(remark.group(1)) <= issued and text[: t.span[0]].rstrip().endswith("(")

    return [t for t in targets if not past(t)]


def _without_repeats(text: str, targets: list[Target]) -> list[Target]:
    """A headline or a news teaser restating a target of the same section is not a second
    target (../shared/ANNOTATION.md §3): of prose targets with the same value and unit whose
    indicators share their words, those in the first line or a paragraph opening with a news
    dateline ("(HDDTVN) – …") or a photo caption ("… - Ảnh: MINH ĐỨC") go when another is left. Restatements in other sections stay,
    except of the headline: the same figure anywhere below it, a teaser's too, is the aim it
    sums up (_same_figure)."""
    first_line_end = text.find("\n", len(text) - len(text.lstrip()))
    breaks = [m.start() for m in regex.finditer("\n", text)]  # found by bisection: a long line is not rescanned
    teaser_lines: dict[tuple[int, int], bool] = {}  # a dateline or caption paragraph: each line read once

    def teaser(t: Target) -> bool:
        before, after = bisect_left(breaks, t.span[0]), bisect_left(breaks, t.span[1])
        line = (breaks[before - 1] + 1 if before else 0, breaks[after] if after < len(breaks) else len(text))
        if line not in teaser_lines:
            teaser_lines[line] = bool(_DATELINE.match(text, line[0], line[0] + 40)) or bool(_pattern("caption").search(text, *line))
        return t.span[0] < first_line_end or teaser_lines[line]

    def headline(t: Target) -> bool:
        return t.span[0] < first_line_end

    # Only a teaser goes, and only for a target that is not one: so each teaser is compared with
    # the distinct indicators of the others of its section, value and unit, once per indicator
    # (a plan repeated on one line repeats its indicators, not the work).
    prose = [(t, teaser(t)) for t in targets if t.source == "prose"]
    kept_words: dict[tuple, set[frozenset[str]]] = {}
    below_headline = {_figure(t) for t, _ in prose if not headline(t)}
    for t, is_teaser in prose:
        if not is_teaser:
            kept_words.setdefault(_aim_key(t), set()).add(_indicator_words(t))
    verdicts: dict[tuple, bool] = {}
    dropped: set[int] = set()
    for t, is_teaser in prose:
        if not is_teaser:
            continue
        if headline(t) and _figure(t) in below_headline:
            dropped.add(id(t))
            continue
        key, words = _aim_key(t), _indicator_words(t)
        if (key, words) not in verdicts:
            verdicts[key, words] = any(_shared_words(words, other) for other in kept_words.get(key, ()))
        if verdicts[key, words]:
            dropped.add(id(t))
    return [t for t in targets if id(t) not in dropped]


def _figure(t: Target) -> tuple:
    """A headline sums up its article: the same figure stated below it is the same aim, whatever
    words name it there."""
    return t.value, t.value_max, t.unit


def _aim_key(t: Target) -> tuple:
    # "38 - 40% GRDP" in a caption restates "tỷ trọng … trong GRDP đạt 38 - 40%": the base may move
    return t.section, t.value, t.value_max, _share_of(t.unit)


def _share_of(unit: str | None) -> str | None:
    return "%" if unit and unit.startswith("% ") else unit


def _indicator_words(t: Target) -> frozenset[str]:
    return frozenset(regex.findall(r"\w+", (t.indicator or "").casefold()))


def _shared_words(words_a: frozenset[str], words_b: frozenset[str]) -> bool:
    smaller = min(words_a, words_b, key=len)
    return bool(smaller) and len(words_a & words_b) >= 0.75 * len(smaller)


@lru_cache(maxsize=1024)  # asked again for every line under the same headings
def _no_aim_title(title: str) -> bool:
    return bool(_pattern("no_aim_section").match(title))


def _no_aim_line(doc: _Document, start: int, content: int, end: int) -> bool:
    """A line of a section of facts or norms, a preamble, a scoring rule or page chrome."""
    text = doc.text
    return (any(_no_aim_title(s.title or "") for s in doc.headings_at(content))
            or bool(_pattern("preamble").match(text, content, end) or _pattern("scoring").search(text, content, end)
                    or _pattern("page_chrome_line").search(text, start, end)))


def _no_aim(text: str, start: int, end: int, q: Quantity, unit: Unit, before: str, derived) -> bool:
    """A norm, a count of the plan's own method, a share of funding, a figure derived from an
    aim stated before it, or an allowance rate."""
    if _is_norm(text, start, q, unit) or _pattern("method_before").search(before):
        return True
    if unit.text == "%" and _pattern("funding_share_before").search(before) and not _pattern("share_of_total").match(
        text, unit.end, end
    ):
        return True
    return bool((derived and derived.start() < q.start) or (
        unit.text == "%" and _pattern("allowance_rate").search(text[start : q.start])
    ))


def _drop_inner_counts(text: str, cands: list[_Candidate]) -> list[_Candidate]:
    """"tỷ lệ phụ nữ có thai được khám thai ít nhất 4 lần trong 3 thai kỳ đạt 90%": a count in the
    words before a share's aim verb, with no break between, belongs to the share's indicator."""
    out = []
    for i, cand in enumerate(cands):
        share = next((c for c in cands[i + 1 :] if c.unit.kind == "percent"), None)
        if (share is not None and cand.unit.kind != "percent"
                and not _pattern("delimiter").search(text, cand.unit.end, share.quantity.start)
                and _pattern("aim_verb_before").search(text, cand.unit.end, share.quantity.start)):
            continue
        out.append(cand)
    return out


def _drop_denominators(text: str, cands: list[_Candidate]) -> list[_Candidate]:
    """"Số giường bệnh trên một vạn dân đạt 36 giường": a round number after a noun and "trên"
    (per), with the aim's own number still to come in the same stretch, is the indicator's
    denominator, not a value."""
    out = []
    for cand, following in zip(cands, [*cands[1:], None]):
        q = cand.quantity
        per = _pattern("per").search(text, max(0, q.start - 12), q.start)
        value = scaled(q)[0]
        round_number = value >= 1000 and str(int(value)).rstrip("0") == "1"
        if per and round_number and following is not None and not _PUNCT.search(text, cand.unit.end, following.quantity.start):
            continue
        out.append(cand)
    return out


def _measured_duration(text: str, start: int, q: Quantity, end: int) -> Unit | None:
    """An age or a span of time is the target's value where the indicator measures one ("Tuổi thọ
    trung bình đạt 75 tuổi", "số năm sống khỏe đạt tối thiểu 68 năm"); elsewhere it qualifies."""
    noun = _pattern("duration_noun").match(text, q.end, end)
    window = max(start, q.start - 80)
    if noun and _pattern("measured_duration").search(text, window, q.start) and not _pattern("norm_clause").search(
        text, window, q.start
    ):
        return Unit(noun.group(1), "measure", noun.end())
    return None


def _index_level(text: str, start: int, q: Quantity, end: int) -> Unit | None:
    """An index level written without a unit ("Chỉ số HDI đạt trên 0,8"): unit null."""
    if q.word or not _pattern("index_level_before").search(text, max(start, q.start - 120), q.start):
        return None
    if not _pattern("index_level_after").match(text[q.end : end]):
        return None
    return Unit("", "index", q.end)


def _stated_as_fact(text: str, facts: list[int], q: Quantity) -> bool:
    """A fact cue before the number in its clause makes it a result, unless the clause turns
    to an aim after the last one ("Trên cơ sở kết quả các năm qua, … đến năm 2030 dự kiến 85 HTX")
    or the cue is an estimate of a range ("ước đạt 65 - 70% GDP"): results are exact."""
    earlier = [f for f in facts if f < q.start]
    if not earlier or _pattern("aim_after_fact").search(text, earlier[-1], q.start):
        return False
    return not (q.value_max is not None and _pattern("estimate").match(text, earlier[-1], q.start))


def _fact_follows(text: str, facts: list[int], pos: int) -> bool:
    """A fact cue said of the count just written ("40 xã, phường đã được công bố"), not one in a
    bracket or another figure's clause after it ("06 xã …, 03 xã … (năm 2025 ước đạt 87 xã)")."""
    later = [f for f in facts if f >= pos]
    return bool(later) and not regex.search(r"[(\d]", text[pos : later[0]])


def _is_norm(text: str, start: int, q: Quantity, unit: Unit) -> bool:
    """Policy parameters: support levels, allocation ratios, fees ("hỗ trợ 50% kinh phí"), and
    the counts of a procedure ("lập 01 bộ hồ sơ", "báo cáo 02 lần/ngày")."""
    def changed() -> bool:  # "cắt giảm tối thiểu 10% chi phí tuân thủ": a cost to change is an aim
        return _direction(text[max(start, q.start - 20) : q.start]) in ("increase", "decrease")

    if unit.text == "%" and _pattern("norm_after").search(text[unit.end : unit.end + 40]) and not changed():
        return True  # "hỗ trợ 50% kinh phí"
    if _pattern("norm_before").search(text[max(start, q.start - 40) : q.start]):
        return True
    if _pattern("procedure").search(text[max(start, q.start - 40) : unit.end]):
        return True
    if "/" in unit.text and _pattern("norm_clause").search(text, start, q.start):
        # a support level per beneficiary ("hỗ trợ nhà ở … với mức 60 triệu đồng/hộ"), or a cap on
        # the support ("hỗ trợ 100% kinh phí đào tạo …, tối đa 02 lớp/xã/năm")
        if unit.kind == "money" or _pattern("comparator").search(text, max(start, q.start - 20), q.start):
            return True
    cap = _pattern("comparator").search(text, max(start, q.start - 40), q.start) if unit.kind == "money" else None
    if cap and cap.lastgroup == "lte" and ("/" in unit.text or _pattern("norm_clause").search(text, start, q.start)):
        return True  # a cap on a payment per beneficiary, or in a clause about support
    if unit.kind == "money" and "tỷ" in unit.text and "/" not in unit.text:
        return False  # an aggregate amount ("Lệ phí trước bạ: 44 tỷ đồng") is a line of a budget, not a fee
    window = text[max(start, q.start - 60) : q.start]
    context = _pattern("norm_context").search(window)
    # "chi phí logistics … giảm 15 - 20%": a cost to change is an aim, a cost to pay is a norm
    return bool(context and not _pattern("aim_word").search(window, context.end()) and not changed())


def _drop_qualifiers(text: str, cands: list[_Candidate]) -> list[_Candidate]:
    """A number inside the noun phrase of the target before it qualifies that phrase: a count
    after "N% <noun phrase>" ("100% cơ quan, tổ chức sử dụng ít nhất 01 ứng dụng AI"), or any
    number joined to the previous target with no delimiter between ("01 vị trí tại khu vực cấp
    chung cho 03 vùng nuôi", "100% số xã đạt chuẩn 15 tiêu chí trở lên")."""
    out: list[_Candidate] = []
    share_open = False
    for cand in cands:
        if out and cand.rank is None:
            previous = out[-1]
            joined = not _pattern("delimiter").search(text, previous.unit.end, cand.quantity.start)
            part = _pattern("part_of").search(text, previous.unit.end, cand.quantity.start)  # "80% số xã …, trong đó có 25 xã"
            if joined or (share_open and not part and not cand.unit.text.startswith("%")):
                continue
        share_open = share_open or (cand.unit.text.startswith("%") and _starts_noun_phrase(text, cand.unit.end))
        out.append(cand)
    return out


def _starts_noun_phrase(text: str, pos: int) -> bool:
    return bool(_pattern("noun_phrase_start").match(text, pos, pos + 20))
