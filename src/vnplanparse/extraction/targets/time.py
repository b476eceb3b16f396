"""A target's time and context: the candidate and its scope, times read from headings, lead-ins and
the line, citations a time must not come from, and the document a line is read in."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from ...model.plan import Metadata, Section
from ...structure import documents
from ...structure.markers import SectionIndex
from ..numbers import Quantity
from ..units import Unit
from .patterns import _COLON_LEAD, _NEWS_DATELINE, _PUNCT, _pattern


@dataclass
class _Time:
    year: int | None = None
    period: tuple[int, int] | None = None

    def __bool__(self) -> bool:
        return self.year is not None


@dataclass
class _Candidate:
    quantity: Quantity
    unit: Unit
    value: float
    value_max: float | None
    rank: str | None = None  # comparator of a rank aim ("nhóm 4 nước dẫn đầu")
    phrase_start: int | None = None  # where a rank phrase ("thuộc nhóm 4") begins
    seg_start: int = 0
    seg_end: int = 0
    opened_by: str = ""  # the delimiter its stretch starts after


@dataclass
class _Scope:
    """What an item passes on to the clauses after it: lead-in time, annual adverb."""

    time: _Time = field(default_factory=_Time)
    annual: bool = False


# --- time -------------------------------------------------------------------------------------

def _times_in(text: str, start: int, end: int) -> list[tuple[int, int, _Time]]:
    """Due-time expressions in text[start:end] as (start, end, time); baselines and qualifying
    periods ("theo chuẩn nghèo … giai đoạn 2022-2025") are not due times."""
    found: list[tuple[int, int, _Time]] = []
    baselines = [(m.start(), m.end()) for m in _pattern("baseline").finditer(text, start, end)]
    # dates ("ngày 15 tháng 8 năm 2024") and a cited document's year ("Kế hoạch 188/KH-UBND năm 2025")
    baselines += [(m.start(), m.end()) for m in documents.date_re().finditer(text, start, end)]
    baselines += [
        (m.end(), m.end() + 10) for m in documents.number_re().finditer(text, start, end)
    ]
    for m in _pattern("period").finditer(text, start, end):
        a = int(m.group("start") or m.group("start2") or m.group("start3"))
        b = int(m.group("end") or m.group("end2") or m.group("end3"))
        if a < b and not _inside(m.start(), baselines) and not _qualifies(text, start, m.start()):
            found.append((m.start(), m.end(), _Time(b, (a, b))))
    for m in _pattern("due").finditer(text, start, end):
        if _inside(m.start(), baselines) or any(s <= m.start() < e for s, e, _ in found):
            continue
        if _qualifies(text, start, m.start()):
            continue
        found.append((m.start(), m.end(), _Time(int(m.group("year") or m.group("year2")))))
    found.sort(key=lambda t: t[0])
    return found


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


def _qualifies(text: str, start: int, pos: int) -> bool:
    return bool(_pattern("qualifying").search(text[max(start, pos - 40) : pos]))


def _heading_time(title: str | None) -> _Time:
    """The due time a heading or lead-in names: the last one written, except an outlook (of
    "đến năm 2025 và định hướng đến năm 2030" the main year is 2025)."""
    if not title:
        return _Time()
    return _main_time(title, _times_in(title, 0, len(title)))


def _stated_plan_time(text: str, flat: list[Section]) -> _Time:
    """The plan's period as its first part ("Thời gian thực hiện: năm 2026 - 2028"), or a
    top-level heading of that name with the time on its next line, states it."""
    tops = [s for s in flat if s.level == 1]
    first_part_end = tops[1].span[0] if len(tops) > 1 else len(text)
    for label in _pattern("plan_period_label").finditer(text):
        line_end = text.find("\n", label.end())
        line_end = len(text) if line_end < 0 else line_end
        value = text[label.end() : line_end]
        heading = any(s.span[0] <= label.start() < s.span[0] + 12 for s in tops)
        if not value.strip() and heading:
            next_end = text.find("\n", line_end + 1)
            value = text[line_end + 1 : next_end if next_end >= 0 else len(text)]
        if not (heading or label.start() < first_part_end):
            continue
        m = _pattern("plan_period").match(value.strip())
        if m and m.group("year"):
            return _Time(int(m.group("year")))
        if m and int(m.group("start")) < int(m.group("end")):
            return _Time(int(m.group("end")), (int(m.group("start")), int(m.group("end"))))
    return _Time()


def _headline_time(text: str) -> _Time:
    """A news report's headline (its first line) is its title: a period it names ("… giai đoạn
    2020-2025 …") is the period of the aims the report states without a time of their own."""
    headline = text.lstrip().split("\n", 1)[0]
    time = _heading_time(headline)
    return time if time.period else _Time()


def _main_time(text: str, times: list[tuple[int, int, _Time]]) -> _Time:
    main = [time for start, _, time in times if not _pattern("outlook").search(text[max(0, start - 25) : start])]
    if main:
        return main[-1]
    return times[-1][2] if times else _Time()


def _lead_in_time(text: str, start: int, end: int) -> _Time:
    """The time a lead-in line gives the lines below, leaving out the years in the names of the
    documents it cites ("Thực hiện Quyết định số …/QĐ-TTg phê duyệt Chương trình … giai đoạn 2026 -
    2030, … ban hành Kế hoạch như sau:")."""
    cited = _citation_spans(text, start, end)
    times = [t for t in _times_in(text, start, end) if not _in_cited_title(text, cited, t[0])]
    return _main_time(text, times)


# --- the document walk ------------------------------------------------------------------------

class _Document:
    def __init__(self, text: str, sections: list[Section], metadata: Metadata, zones: list[tuple[int, int]],
                 permissive: bool = False):
        self.text = text
        self.permissive = permissive  # extract_targets(permissive=True): no "not a target" decision
        self.index = SectionIndex(sections)
        self.zones = zones
        self.news = bool(_NEWS_DATELINE.search(text))  # a news report: aims need a frame (_news_aim)
        # a plan's period goes to what states no time: from its title, else where the plan states it
        self.title_time = (_heading_time(metadata.title) or _stated_plan_time(text, self.index.flat)
                           or (_headline_time(text) if self.news else _Time()))
        self.lead_lines: list[tuple[int, int, _Time]] = []  # (start, scope end, time), in text order
        # for each lead line, the nearest earlier one whose scope ends later (-1: none)
        self._outer_lead: list[int] = []
        self._open_leads: list[int] = []  # lead lines no later one outlasts, scope ends falling
        self._heading_ends: dict[int, int] = {}

    def add_lead_line(self, start: int, scope_end: int, time: _Time) -> None:
        while self._open_leads and self.lead_lines[self._open_leads[-1]][1] <= scope_end:
            self._open_leads.pop()
        self._outer_lead.append(self._open_leads[-1] if self._open_leads else -1)
        self._open_leads.append(len(self.lead_lines))
        self.lead_lines.append((start, scope_end, time))

    def lead_line_at(self, pos: int) -> tuple[int, int, _Time] | None:
        """The latest lead line whose scope holds pos. From the last one opened before pos,
        each step goes to the nearest earlier one that outlasts it: the lead lines in between
        end no later, so none of them holds pos either."""
        i = bisect_right(self.lead_lines, pos, key=lambda lead: lead[0]) - 1
        while i >= 0 and self.lead_lines[i][1] <= pos:
            i = self._outer_lead[i]
        return self.lead_lines[i] if i >= 0 else None

    def sections_at(self, pos: int) -> list[Section]:
        """Enclosing sections, innermost first."""
        return sorted(self.index.holding(pos), key=lambda s: s.level, reverse=True)

    def scope_end(self, chain: list[Section]) -> int:
        """Where a lead-in stops governing: the end of its section (a later lead-in or heading
        takes over before that)."""
        return chain[0].span[1] if chain else len(self.text)

    def headings_at(self, pos: int) -> list[Section]:
        """Enclosing sections whose heading line does not hold pos (a list item's own line is
        content, not a heading over it), innermost first."""
        out = []
        for section in self.sections_at(pos):
            if id(section) not in self._heading_ends:  # found once: a heading line may be long
                heading_end = self.text.find("\n", section.span[0])
                self._heading_ends[id(section)] = heading_end if heading_end >= 0 else len(self.text)
            if not section.span[0] <= pos < self._heading_ends[id(section)]:
                out.append(section)
        return out

    def inherited_time(self, pos: int) -> _Time:
        """The nearest enclosing scope's time; else the document title's time (a plan "giai
        đoạn 2026 - 2030" gives what states no time period and year)."""
        return self.enclosing_time(pos) or self.title_time

    def enclosing_time(self, pos: int) -> _Time:
        """The time of the nearest lead-in line or heading holding pos, whichever opens later."""
        lead = self.lead_line_at(pos)
        scopes = [(lead[0], lead[2])] if lead else []
        for section in self.headings_at(pos):
            time = _heading_time(section.title)
            if time:
                scopes.append((section.span[0], time))
        return max(scopes, key=lambda s: s[0])[1] if scopes else _Time()


def _lead_time(text: str, start: int, end: int) -> _Time:
    """The time of an item's lead-in: a time adverbial opening it ("Đến năm 2025, …",
    "Giai đoạn 2021-2025: …") or a heading run in before a colon ("Các chỉ tiêu chủ yếu định
    hướng đến năm 2030: (1) …")."""
    head = text[start : min(end, start + 160)]
    colon = _COLON_LEAD.match(head)
    if colon:
        time = _heading_time(text[start : start + colon.end()])
        if time:
            return time
        start += colon.end()
        head = text[start : min(end, start + 160)]
    m = _pattern("time_adverbial").match(head)
    if not m:
        return _Time()
    times = _times_in(text, start + m.start(1), start + m.end(1) + 1)
    return times[0][2] if times else _Time()


def _citation_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = [(m.start(), m.end()) for m in documents.number_re().finditer(text, start, end)]
    spans += [(m.start(), m.end()) for m in documents.date_re().finditer(text, start, end)]
    spans += [(m.start(), m.end()) for m in _pattern("standard").finditer(text, start, end)]
    return spans


def _in_cited_title(text: str, cited: list[tuple[int, int]], pos: int) -> bool:
    """A number in the name of a cited document ("Quyết định số 338/QĐ-TTg … phê duyệt Đề án
    đầu tư xây dựng ít nhất 1 triệu căn hộ") belongs to that document, not to this plan."""
    before = [end for _, end in cited if end <= pos and pos - end < 200]
    if not before or _PUNCT.search(text, before[-1], pos):
        return False
    return bool(_pattern("title_verb").search(text, before[-1], pos))


def _target_time(doc: _Document, cand: _Candidate, scope: _Scope) -> _Time:
    own = _times_in(doc.text, cand.seg_start, cand.seg_end)
    if own:
        # the time nearest the number: an earlier one may belong to a named strategy ("Chiến
        # lược … 10 năm 2021-2030, trong đó năng lượng sơ cấp đến năm 2030 đạt …")
        time = min(own, key=lambda found: abs(found[0] - cand.quantity.start))[2]
        if time.period is None:
            # "đến năm 2030" under a heading "giai đoạn 2026 - 2030" is that period's end; the
            # document title's period is not pushed onto a clause that states its own year
            context = scope.time if scope.time else doc.enclosing_time(cand.quantity.start)
            if context.period and context.year == time.year:
                return context
        return time
    return scope.time if scope.time else doc.inherited_time(cand.quantity.start)
