"""Clauses and segmentation: a line into clauses (at ";", sentence ends, inline ordinals), lead-ins
and labels carried over, each clause into one segment per target."""

from __future__ import annotations

from itertools import pairwise

from ...model.plan import Section, Target
from ...structure.markers import match_marker
from ..clauses import at_most_clause_max
from .candidates import _build, _candidates
from .indicators import _clean_phrase
from .not_target import _no_aim_line
from .patterns import (
    _BULLETS,
    _COLON_LEAD,
    _COLON_LEAD_SHORT,
    _DIGIT,
    _RUNS_ON,
    _SENTENCE_END,
    _line_start,
    _pattern,
)
from .time import _Candidate, _Document, _Scope, _Time, _lead_in_time, _lead_time


def _line_targets(
    doc: _Document, start: int, end: int, scope: _Scope | None = None, source: str = "prose"
) -> list[Target]:
    text = doc.text
    line = text[start:end]
    content = start + len(line) - len(line.lstrip())
    marker = match_marker(line.lstrip())
    if marker:
        content += marker[2]
    chain = doc.sections_at(content)
    has_number = _pattern("any_number").search(text, content, end)
    lead_in = text[content:end].rstrip().endswith(":")
    lead = _lead_time(text, content, end)
    if not (has_number or lead_in or lead):
        return []  # no figure, and no time to pass on: the no-aim searches below need not run
    if not doc.permissive and _no_aim_line(doc, start, content, end):
        return []
    scope = scope or _Scope()
    if lead:
        scope.time = lead
    if lead_in:
        # a lead-in line: its last sentence (the one the colon closes) governs the lines below
        sentence_start = max([m.end() for m in _SENTENCE_END.finditer(text, content, end)] or [content])
        time = _lead_in_time(text, sentence_start, end) or (lead if sentence_start == content else _Time())
        if time:
            doc.add_lead_line(end, doc.scope_end(_lead_in_chain(text, start, chain)), time)
    if not has_number:
        return []
    if _pattern("annual").match(text, content, end):
        scope.annual = True
    out: list[Target] = []
    for c_start, c_end in _clauses(doc, content, end):
        # a clause with no subject of its own ("…; tăng 2,2 lần so với năm 2020") goes on with the last one's
        out += _clause_targets(doc, c_start, c_end, scope, out[-1].indicator if out else None)
    _restore_share_heads(out)
    _restore_parallel_heads(out)
    _name_budget_sub_line(doc, content, end, out)
    for target in out:
        target.source = source
    return out


def _restore_share_heads(targets: list[Target]) -> None:
    """"tỷ trọng nông nghiệp 33 - 34%, công nghiệp - xây dựng 42 - 43%, dịch vụ 24 - 25%",
    "Cơ cấu kinh tế: nông nghiệp 27,5%; dịch vụ 36,8%": shares written as "sector N%" after a
    head ("tỷ trọng", or the label before the row) are shares of that head, so each indicator
    names it."""
    head, place = None, None
    for target in targets:
        bare = _pattern("bare_share").fullmatch(target.text)
        if (target.section, target.ordinal) != place or target.unit != "%" or not bare:
            head, place = None, (target.section, target.ordinal)
            if target.unit != "%" or not bare:
                continue
        indicator = target.indicator or ""
        label = (bare.group("label") or "").strip(" :")
        own_head = _pattern("share_head").match(indicator)
        if own_head:
            heads = list(_pattern("share_head").finditer(indicator))
            head = heads[-1].group()
            if indicator[: heads[-1].start()].rstrip().endswith(","):
                target.indicator = indicator[heads[-1].start() :]  # "cơ cấu GRDP của tỉnh, tỷ trọng du lịch"
        elif label and _pattern("share_head").match(label):
            head = label
            target.indicator = f"{head} {indicator}".strip()
        elif head and len(indicator.split()) <= 6:
            target.indicator = f"{head} {indicator}"
        else:
            head = None


def _name_budget_sub_line(doc: _Document, content: int, end: int, targets: list[Target]) -> None:
    """"+ Chi quản lý hành chính: 188 tỷ đồng." then "Đảng: 28 tỷ đồng.": a budget line whose label
    names no budget item of its own (no "Chi …", "Thu …") is a part of the budget line it stands
    under, with or without a list marker, so its indicator names that line first."""
    own = _pattern("budget_line").match(doc.text, content, end)
    if len(targets) != 1 or not own or _pattern("budget_head").match(own.group("label")):
        return
    headings = doc.headings_at(content)
    if not headings:
        return
    line = doc.text[headings[0].span[0] : doc.text.find("\n", headings[0].span[0])].strip()
    marker = match_marker(line)
    parent = _pattern("budget_line").match(line[marker[2] :] if marker else line)
    if parent and _pattern("budget_head").match(parent.group("label")):
        targets[0].indicator = f"{parent.group('label').strip()} - {targets[0].indicator}"


def _restore_parallel_heads(targets: list[Target]) -> None:
    """"tốc độ tăng trưởng giá trị tăng thêm lĩnh vực nông lâm, thủy sản đạt 4,5 - 5%; lĩnh vực dịch
    vụ đạt 8 - 9%": an item that opens with the noun (two words) the previous indicator names after
    its head is that head's measure of another part, so its indicator names the head too."""
    for previous, target in pairwise(targets):
        words = (target.indicator or "").split()
        prior = previous.indicator or ""
        if len(words) < 3 or previous.section != target.section:
            continue
        at = prior.find(" " + " ".join(words[:2]) + " ")
        if at > 0 and not prior.startswith(" ".join(words[:2])):
            target.indicator = f"{prior[:at]} {target.indicator}"


def _lead_in_chain(text: str, line_start: int, chain: list[Section]) -> list[Section]:
    """The sections a lead-in line speaks for. A lead-in standing on its own line after a list item
    ("- … 120 sản phẩm OCOP." then "Đến năm 2030:") opens the items that follow, not the one it
    was appended to: it governs to the end of that item's parent."""
    while chain and chain[0].marker in _BULLETS and text.find("\n", chain[0].span[0]) < line_start:
        chain = chain[1:]
    return chain


def _clauses(doc: _Document, start: int, end: int) -> list[tuple[int, int]]:
    cuts = [start]
    for m in _SENTENCE_END.finditer(doc.text, start, end):
        cuts.append(m.end())
    for s in doc.index.opening_in(start + 1, end):
        if s.marker.startswith("("):
            cuts.append(s.span[0])
    cuts = sorted(set(cuts)) + [end]
    pieces = [piece for a, b in pairwise(cuts) for piece in at_most_clause_max(doc.text, a, b)]
    return [(a, b) for a, b in pieces if doc.text[a:b].strip()]


# --- one clause -------------------------------------------------------------------------------

def _clause_targets(
    doc: _Document, start: int, end: int, scope: _Scope, previous_indicator: str | None = None
) -> list[Target]:
    text = doc.text
    clause = text[start:end]
    if not _pattern("any_number").search(clause):
        return []
    if not doc.permissive and (_pattern("condition").match(_COLON_LEAD_SHORT.sub("", clause)) or "=" in clause):
        return []  # a condition ("Nếu có từ 02 địa phương …") or a formula ("Tỷ lệ = b/a x 100%")
    lead = _lead_time(text, start, end)
    if lead:
        scope.time = lead
    candidates = _candidates(text, start, end, doc.permissive)
    if doc.news and not doc.permissive:
        candidates = [c for c in candidates if _news_aim(text, start, c.quantity.start)]
    if not candidates:
        return []
    _segment(text, start, end, candidates)
    annual_here = scope.annual or bool(_pattern("annual").match(clause))
    targets: list[Target] = []
    parent: str | None = None  # the target whose parts follow ("58 trạm (Trong đó: VNPT: 25 trạm")
    for cand in candidates:
        target = _build(doc, cand, start, end, scope, annual_here, previous_indicator)
        if _pattern("sub_targets_open").search(cand.opened_by):
            parent = previous_indicator
        elif targets and ")" in text[targets[-1].span[1] : cand.quantity.start]:
            parent = None
        label = _pattern("label_before_number").fullmatch(text, cand.seg_start, cand.quantity.start)
        if parent and label:
            target.indicator = f"{parent} {label.group(1)}"
        elif _rate_part(cand, parent, target.indicator):
            target.indicator = f"{parent} có {target.indicator}"
        previous_indicator = target.indicator
        targets.append(target)
    _share_predicate(text, candidates, targets)
    for target in targets:
        if target.indicator is None:
            target.indicator = _line_label(text, target.span[1])
        if target.indicator is None or (target.indicator == target.unit and _pattern("time_item").match(text, _line_start(text, start))):
            target.indicator = _label_above(text, start) or target.indicator
    return targets


def _label_above(text: str, pos: int, most_lines: int = 12) -> str | None:
    """Figures named only by their time ("- Năm 2026: giảm 1,5%", "Năm 2026 đạt 3.000 người")
    belong to the label that ends the line above them and their time-named siblings
    ("1. Tỷ lệ hộ nghèo theo chuẩn nghèo đa chiều:")."""
    line_start = _line_start(text, pos)
    if not _pattern("time_item").match(text, line_start):
        return None
    for _ in range(most_lines):
        if line_start == 0:
            return None
        line_start = _line_start(text, line_start - 1)
        line = text[line_start : text.find("\n", line_start)].strip()
        if not line or _pattern("time_item").match(line):
            continue
        marker = match_marker(line)
        label = line[marker[2] :] if marker else line
        if _DIGIT.search(label) or len(label) > 150:
            return None
        phrase = _clean_phrase(label.rstrip(" :"), side="right")
        qualifier = _pattern("standard_qualifier").search(phrase)
        if qualifier and qualifier.start() > 0:
            phrase = phrase[: qualifier.start()].rstrip(" ,")
        return phrase if len(phrase.split()) >= 2 else None
    return None


def _news_aim(text: str, clause_start: int, pos: int) -> bool:
    """In a news report a figure is an aim only when its paragraph frames it as one before it
    and no fact word of its own clause follows that frame (grammars/targets.yaml `news`)."""
    if _pattern("news_due_after").match(text, pos, pos + 60):
        frame_end = pos
    else:
        frame_end = _frame_end(text, _paragraph_start(text, pos), pos)
    if frame_end < 0:
        return False
    fact = _pattern("news_fact").search(text, max(clause_start, frame_end), pos)
    return fact is None


def _frame_end(text: str, paragraph_start: int, pos: int) -> int:
    """The end of the last frame word before pos in the paragraph (-1: none); a paragraph
    opening with a topic label and no frame of its own takes the frame of the labelled ones before."""
    while True:
        frame_end = -1
        for m in _pattern("news_aim").finditer(text, paragraph_start, pos):
            if not _pattern("news_counted_against").search(text, max(paragraph_start, m.start() - 20), m.start()):
                frame_end = m.end()
        if frame_end >= 0 or paragraph_start == 0 or not _pattern("news_topic_label").match(text, paragraph_start):
            return frame_end
        pos = _last_written_line_end(text, paragraph_start)
        paragraph_start = _paragraph_start(text, pos)
        if not _pattern("news_topic_label").match(text, paragraph_start):
            return -1


def _paragraph_start(text: str, pos: int, most_lines: int = 5) -> int:
    """Where the paragraph holding pos starts: a normalised line is a paragraph, but a line
    ending without a sentence end (a lead-in's ":", a wrapped ";" or ",") runs on into the next.
    Blank lines between are no break of their own: a page read from HTML, DOCX or PDF puts one
    between every two paragraphs, the plain text of the same plan none."""
    start = text.rfind("\n", 0, pos) + 1
    for _ in range(most_lines):
        if start == 0:
            break
        previous_end = _last_written_line_end(text, start)
        previous_start = text.rfind("\n", 0, previous_end) + 1
        if not _RUNS_ON.search(text[previous_start:previous_end].rstrip()):
            break
        start = previous_start
    return start


def _last_written_line_end(text: str, line_start: int) -> int:
    """The end of the last line before line_start that is not blank (0: none)."""
    end = line_start - 1
    while end > 0:
        start = text.rfind("\n", 0, end) + 1
        if text[start:end].strip():
            return end
        end = start - 1
    return max(end, 0)


def _line_label(text: str, pos: int) -> str | None:
    """"Tỷ lệ xã đạt Bộ tiêu chí quốc gia về y tế xã: Năm 2026: 80%; năm 2027: 85%": figures named
    only by their year are the label's, before the line's first colon."""
    line_start = text.rfind("\n", 0, pos) + 1
    label = _COLON_LEAD.match(text, line_start, pos)
    if not label:
        return None
    phrase = _clean_phrase(text[line_start : label.end() - 1], side="right")
    return phrase if len(phrase.split()) >= 2 else None


def _rate_part(cand: _Candidate, parent: str | None, indicator: str | None) -> bool:
    """A part of a rate said by a bare predicate ("Tỷ lệ lao động qua đào tạo đạt 75%, trong đó có
    bằng cấp, chứng chỉ đạt 35 - 36%") is that rate of those who have it; a part with a noun of its
    own ("trong đó đào tạo nghề đạt 38%") is named by it alone."""
    if not (parent and indicator and _pattern("rate_part_open").search(cand.opened_by) and cand.unit.kind == "percent"):
        return False
    return bool(_pattern("rate_head").match(parent)) and not _pattern("rate_head").match(indicator) and parent != indicator


def _share_predicate(text: str, cands: list[_Candidate], targets: list[Target]) -> None:
    """"30% trường mầm non, 45% trường tiểu học đạt chuẩn quốc gia": in a row of shares each
    written before its noun, the last one's predicate is said of them all."""
    run: list[Target] = []
    for cand, target in zip(cands, targets, strict=True):
        number_first = not _clean_phrase(text[cand.seg_start : cand.quantity.start], side="left") and target.indicator
        if not number_first or cand.unit.kind not in ("percent", "count"):
            _give_predicate(run)
            run = []
            continue
        if run and not _pattern("weak_delimiter").fullmatch(cand.opened_by):
            _give_predicate(run)
            run = []
        run.append(target)
    _give_predicate(run)


def _give_predicate(run: list[Target]) -> None:
    if len(run) < 2:
        return
    predicate = _pattern("predicate").search(run[-1].indicator or "")
    if not predicate or predicate.start() == 0:
        return
    if any(_pattern("predicate").search(t.indicator or "") for t in run[:-1]):
        return
    shared = run[-1].indicator[predicate.start() :]
    for target in run[:-1]:
        target.indicator = f"{target.indicator} {shared}"


def _segment(text: str, start: int, end: int, cands: list[_Candidate]) -> None:
    """Give each candidate its own stretch of the clause: a cut falls at the last delimiter
    between one target's number and the next one's."""
    cands[0].seg_start = start
    for left, right in pairwise(cands):
        gap_start, gap_end = left.unit.end, right.quantity.start
        cut = strong = previous = None
        for m in _pattern("delimiter").finditer(text, gap_start, gap_end):
            if "(" in m.group() and ")" in text[m.end() : gap_end]:
                continue  # a bracket closed before the next number ("(ASEAN) và nhóm 60") parts nothing
            previous, cut = cut, m
            if not _pattern("weak_delimiter").fullmatch(m.group()):
                strong = m  # "trong đó", "(", ":" part a sub-target from its parent firmly
        if cut is not None and cut.group().strip() == ":" and previous is not None:
            cut = previous  # "25 trạm, Viettel: 33 trạm": a label before a colon names what follows
        else:
            cut = strong or cut
        if cut is None:
            left.seg_end = right.seg_start = gap_end
        else:
            left.seg_end, right.seg_start = cut.start(), cut.end()
            right.opened_by = cut.group()
    cands[-1].seg_end = end
