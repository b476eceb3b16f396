"""Extract: numeric targets (chỉ tiêu), ../shared/ANNOTATION.md §3.

A line of the body is cut into clauses (at ";", sentence ends and inline ordinals); each number
with a unit in a clause is a candidate; labels, citations, dates, ages, durations, qualifiers,
facts and policy norms are dropped; what is left is split into one segment per target, whose
words give the indicator, comparator, direction and time. Time not written in the segment is
inherited from the clause's lead-in, the item's lead-in, a lead-in line, the enclosing section
headings and finally the document title. Word lists and patterns live in grammars/targets.yaml,
grammars/units.yaml and grammars/numbers.yaml.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import pairwise

import regex

from . import documents, grammar
from .clauses import at_most_clause_max
from .model import Metadata, Period, Section, Target
from .numbers import Quantity, as_json_number, find_quantities, scaled
from .sections import SectionIndex, in_zones, match_marker
from .tables import Column, Row, Table, header_unit, is_blank, time_of
from .tables import pattern as table_pattern
from .units import Unit, read_unit
from .words import first_word_is_verb, tokens

_TABLE_ROW = " | "
_YEAR = regex.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_PREAMBLE = regex.compile(r"\s*Căn cứ\b")
_COLON_LEAD = regex.compile(r"[^:;.]{0,150}?:(?=\s)")
_COLON_LEAD_SHORT = regex.compile(r"^[^:]{0,80}:\s*")
_QUOTED = regex.compile(r"[“\"][^”\"\n]{1,60}[”\"]")
_STANDARD = regex.compile(r"(?:QCVN|TCVN|ISO)[\s\d:.\-/A-Za-zĐđ]*")
_PUNCT = regex.compile(r"[,;:]")
_TITLE_VERB = regex.compile(r"(?<![\w])(?:về|về việc|phê duyệt|ban hành|quy định)(?![\w])", regex.I)
_AIM_WORD = regex.compile(r"phấn\s+đấu|đạt", regex.I)
_NOUN_PHRASE_START = regex.compile(r"\s+(?!so\s+với|trở\s+lên|vào|đến|năm|trong|trên|tại|\d)\p{L}")
_WEAK_DELIMITER = regex.compile(r",\s+|\s+và\s+")
_NEAR = regex.compile(r"\s*(?:\S+\s+){0,2}")
_SPACES = regex.compile(r"\s+")
_ORDINAL_START = regex.compile(r"^\(\d{1,3}\)\s*")
_ORDINAL_AT = regex.compile(r"\(\d{1,3}\)\s*")
_EMPTY_PARENS = regex.compile(r"\s*\(\s*\)")
_TOPIC_LABEL = regex.compile(r"^(.*):\s+(?=\S)")
_TIME_ADVERBIAL = regex.compile(
    r"\s*[“\"(]?(?:[\w\s]{0,20}?\s)?((?:trong\s+|đến\s+|đến\s+hết\s+|hết\s+|vào\s+)?(?:năm|giai\s+đoạn)\s+[\d\s\-–]+?)\s*[,:]",
    regex.I,
)
_SENTENCE_END = regex.compile(r"(?<=[^\s.]{2}[.!?])\s+(?=[\p{Lu}\d(\"“-])|;\s*")
# "trong đó" first, with the comma or bracket before it: one strong cut, not a weak ", " before it
_DELIMITER = regex.compile(
    r"(?:,\s*|\(\s*|\s+)(?i:trong\s+đó)(?:\s+có)?[\s,:]+|,\s+|\s+và\s+|\s*:\s+|\(|\s+-\s+(?=\d)"
)
_CLAUSE_BREAK = regex.compile(r"\s*,\s+|\s*(?<!\w)và\s+")
_LIST_DASH = regex.compile(r"(?:^|(?<=[\s,;]))[-–+•]\s+")
_DATELINE = regex.compile(r"\S{0,12}\((?:\p{Lu}[\p{L}.]*\s?){1,3}\)\s*[–-]\s")  # "(HDDTVN) – ", "(Chinhphu.vn) - "
_RANK_CELL = regex.compile(r"(?<!\w)(?:top|tốp|nhóm)\s*$", regex.I)
_PER = regex.compile(r"\p{L}\s+trên\s+$")
_CAPTION = regex.compile(r"(?:^|[-–(]\s*)Ảnh\s*:", regex.M)  # a photo caption: "… - Ảnh: MINH ĐỨC"
_LEVEL_WORD = regex.compile(r"(?:lên|xuống|ở)(?!\w)", regex.I)  # "giảm … 15% vào năm 2030, lên mức 20% …"
_BULLETS = ("-", "–", "+", "•")
_YEAR_REMARK = regex.compile(r"(?i:năm)\s+((?:19|20)\d\d)(?!\d)")
_PART_OF = regex.compile(r"(?i:trong\s+đó)")
_RATE_PART_OPEN = regex.compile(r"(?i:trong\s+đó\s+có)")
_SUB_TARGETS_OPEN = regex.compile(r"(?i:trong\s+đó)|\(")
_DATED_ASIDE = regex.compile(r"\s*\([^()]*\d")
_SHARE_OF_TOTAL = regex.compile(r"\s+tổng(?!\w)", regex.I)  # "30% tổng vốn đầu tư": a share of the plan's own capital
_LABEL_BEFORE_NUMBER = regex.compile(r"\s*([^\s,;:()][^,;:()]{0,40}?)(?:\s*:|\s+là)\s*")  # "VNPT: 25 trạm", "khu vực A là 400 tỷ đồng"
_NEWS_DATELINE = regex.compile(r"^" + _DATELINE.pattern, regex.M)
_RUNS_ON = regex.compile(r"[,;:\w]$")  # a line that ends so runs on into the next one


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


@cache
def _cues() -> dict:
    return grammar.load("targets")


_W0, _W1 = r"(?<![\w])", r"(?![\w])"  # word edges that hold for Vietnamese letters


def _any(words: list[str]) -> str:
    return "(?:" + grammar.alternation(words) + ")"


def _kinds(mapping: dict[str, list[str]]) -> str:
    """One named group per kind: the kind that matched is `match.lastgroup`."""
    return "(?:" + "|".join(f"(?P<{kind}>{grammar.alternation(words)})" for kind, words in mapping.items()) + ")"


def _comparator_or_direction(c: dict) -> str:
    return _any([w for ws in c["comparators"].values() for w in ws] + [w for ws in c["directions"].values() for w in ws])


# Every pattern built from grammars/targets.yaml, compiled once, case-insensitive.
_PATTERNS = {
    "comparator": lambda c: rf"{_W0}{_kinds(c['comparators'])}\s*(?:(?:ở\s+)?mức\s+|là\s+)?$",
    "suffix_comparator": lambda c: rf"^\s*{_kinds(c['suffix_comparators'])}{_W1}",
    "direction": lambda c: rf"{_W0}{_kinds(c['directions'])}{_W1}",
    "not_verb_before": lambda c: _any(c["direction_not_verb"]["before"]) + r"\s+$",
    "not_verb_after": lambda c: r"^\s+" + _any(c["direction_not_verb"]["after"]) + _W1,
    "annual": lambda c: r"\s*" + _any(c["time"]["annual"]) + _W1,
    "annual_anywhere": lambda c: _W0 + _any(c["time"]["annual"]) + _W1,
    "outlook": lambda c: _W0 + _any(c["time"]["outlook"]) + _W1,
    "qualifying": lambda c: _W0 + _any(c["time"]["qualifying"]) + _W1 + r"[^,;]*$",
    "period": lambda c: c["time"]["period"],
    "plan_period_label": lambda c: c["time"]["plan_period_label"],
    "plan_period": lambda c: c["time"]["plan_period"],
    "due": lambda c: c["time"]["due"],
    "baseline": lambda c: c["time"]["baseline"],
    "word_number_cue": lambda c: "(?:" + _comparator_or_direction(c) + "|" + _any(c["number_word_cues"]) + r")\s+$",
    "any_number": lambda c: r"\d|" + _W0 + _any(list(grammar.load("numbers")["words"])) + _W1,
    "label": lambda c: _W0 + _any(c["number_labels"]) + r"\s*(?:số\s+|thứ\s+)?[:.]?\s*$",
    "fact": lambda c: _W0 + _any(c["fact_cues"]) + _W1,
    "aim_after_fact": lambda c: _W0 + _any(c["aim_after_fact"]) + _W1,
    "no_aim_section": lambda c: r"\s*(?:(?:về|phần|khái quát|sơ kết|tổng kết)\s+)?"
    + _any(c["fact_sections"] + c["norm_sections"]) + _W1,
    "condition": lambda c: r"\s*" + _any(c["condition_openers"]) + _W1,
    # "chương trình mục tiêu", "hỗ trợ có mục tiêu": a kind of programme or fund, no aim verb
    "aim_verb": lambda c: _W0 + r"(?<!(?:chương\s+trình|có)\s+)" + _any(c["indicator_trim"]["aim_verbs"]) + _W1 + r"[\s,:]*",
    # "Tăng trưởng GRDP", "Giảm nghèo bền vững": a verb-looking first word that is part of a noun stays
    "lead_trim": lambda c: r"^(?:" + _any(c["indicator_trim"]["leading"]) + _W1
    + r"(?!\s+" + _any(c["direction_not_verb"]["after"]) + _W1 + r")[\s,:]*)+",
    "predicate": lambda c: _W0 + _any(c["indicator_trim"]["predicate_verbs"]) + _W1,
    "measured_duration": lambda c: _W0 + _any(c["measured_durations"]["indicators"]) + _W1 + r"[^,;:()]{0,50}?"
    + r"(?:" + _W0 + _any(c["measured_durations"]["verbs"]) + r"\s+(?:" + _any(c["measured_durations"]["floors"]) + r"\s+)?|"
    + _W0 + _any(c["measured_durations"]["floors"]) + r"\s+)$",
    "duration_noun": lambda c: r"\s+(" + grammar.alternation(c["measured_durations"]["nouns"]) + ")" + _W1,
    "index_level_before": lambda c: c["index_level"]["before"],
    "index_level_after": lambda c: c["index_level"]["after"],
    "rate_head": lambda c: _any(c["indicator_trim"]["rate_heads"]) + _W1,
    "aim_verb_before": lambda c: _W0 + _any(c["directions"]["reach"] + ["chiếm"]) + r"\s+(?:"
    + _any([w for ws in c["comparators"].values() for w in ws]) + r"\s+)?$",
    "share_head": lambda c: _any(c["indicator_trim"]["share_heads"]) + _W1,
    "standard_qualifier": lambda c: _W0 + _any(c["indicator_trim"]["standard_qualifiers"]) + _W1,
    "clause_opener": lambda c: _any(c["indicator_trim"]["clause_openers"]) + _W1,
    "tail_trim": lambda c: r"(?:" + _W0 + _any(c["indicator_trim"]["trailing"]) + r"[\s,:]*)+$",
    "news_aim": lambda c: _W0 + _any(c["news"]["aim"]) + _W1 + "|" + c["news"]["aim_due"],
    "news_fact": lambda c: _W0 + _any(c["news"]["fact"]) + _W1,
    "news_counted_against": lambda c: c["news"]["counted_against"],
    "news_due_after": lambda c: c["news"]["due_after"],
    "news_topic_label": lambda c: c["news"]["topic_label"],
    **{name: (lambda c, name=name: c[name]) for name in
       ("rank", "scoring", "procedure", "method_before", "funding_share_before", "page_chrome_line",
        "derived_requirement", "allowance_rate", "norm_before", "norm_context", "norm_clause", "norm_after", "excess_over_plan")},
}


@cache
def _pattern(name: str) -> regex.Pattern[str]:
    return regex.compile(_PATTERNS[name](_cues()), regex.I)


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


def extract_targets(
    text: str,
    sections: list[Section],
    metadata: Metadata,
    zones: list[tuple[int, int]] = (),
    tables: list[Table] = (),
    *,
    permissive: bool = False,
) -> list[Target]:
    """The targets of a plan. permissive=True turns off the decisions that a figure with a unit
    is no target (a past result or fact, a norm or condition, a method count, chrome, a repeat,
    a section or table of them): the learned filter's training reads the errors the rules would
    make on plans they were not fitted to from those candidates (scripts/train_target_filter.py).
    Never used to parse."""
    doc = _Document(text, sections, metadata, list(zones), permissive)
    targets: list[Target] = []
    table_rows: dict[int, tuple[Table, Row]] = {}  # line start -> its table and row
    for table in tables:
        for row in table.header + table.body:
            table_rows[text.rfind("\n", 0, row.start) + 1] = (table, row)
    read_tables: set[int] = set()
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip() or in_zones(start, doc.zones):
            continue
        found = table_rows.get(start)
        if found:
            table = found[0]
            if id(table) not in read_tables:
                read_tables.add(id(table))
                targets += _table_targets(doc, table)
        elif _TABLE_ROW in line:
            targets += _row_targets(doc, start, end)
        else:
            targets += _line_targets(doc, start, end)
    if not permissive:
        targets = _without_repeats(text, _without_past(text, targets, metadata))
    return _with_ids(targets)


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
        remark = _YEAR_REMARK.match(t.text)
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
            teaser_lines[line] = bool(_DATELINE.match(text, line[0], line[0] + 40)) or bool(_CAPTION.search(text, *line))
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


# --- tables -----------------------------------------------------------------------------------

_VALUE_CELL_WORDS = 6
_DIGIT = regex.compile(r"\d")  # a longer cell in a value column is prose ("Đạt 100% vào năm 2026 …")


def _table_targets(doc: _Document, table: Table) -> list[Target]:
    """One target per planned value cell (issue 8, ../shared/ANNOTATION.md §3); longer cells,
    and the tasks of a task matrix, are read as prose with the row's time cell as their time.
    Tables of norms, scores or coordinates give none, nor do columns of past figures."""
    if not doc.permissive and (table.role("norm") or _is_norm_table(doc, table)):
        return []
    values = table.role("value")
    out: list[Target] = []
    labels = table.role("label") or [c for c in table.columns if c.role == "other"][:1]
    # of two label columns ("Lĩnh vực | Chỉ tiêu"), one merged over its rows groups them: the
    # other names each row
    label_column = min(labels, key=lambda c: _carried_cells(table, c)) if labels else None
    # The label column of an indicator table names what its values measure; that of a task
    # matrix (no value column, or one of results written in words) is a task in prose.
    value_cells = [r.cells[c.index].text for r in table.body for c in values if r.cells[c.index] is not None]
    written = [v for v in value_cells if not is_blank(v)]
    task_matrix = 2 * sum(bool(_DIGIT.search(v)) for v in written) <= len(written)
    read_columns = [c for c in table.columns if c.role == "value" or (task_matrix and c.role in ("label", "other"))]
    group_time, parent = _Time(), ""
    for row in table.body:
        row_time = _row_time(doc, table, row)
        label = _cell_text(row, label_column).rstrip(" .:;")
        first = _cell_text(row, table.columns[0])
        if _is_group_row(table, row, values, label_column):
            heading = label or first
            time = time_of(heading)
            if time[0] is not None:
                group_time = _Time(*time)
            elif table_pattern("group_marker").fullmatch(first) and "." not in first.rstrip("."):
                group_time = _Time()  # a new top-level group without a time of its own
            parent = ""
            continue
        sub = table_pattern("sub_row").match(label)
        if sub and parent:
            label = f"{parent} - {label[sub.end():]}"
        elif not (label_column and row.cells[label_column.index] and row.cells[label_column.index].carried):
            parent = _row_label(label)
        row_label = _row_label(label)
        if label_column and row.cells[label_column.index] and row.cells[label_column.index].carried:
            row_label = _told_apart(row_label, _cell_text(row, next(iter(table.role("note")), None)))
        context = row_time if row_time else group_time
        for column in read_columns:
            cell = row.cells[column.index]
            if cell is None or cell.carried or is_blank(cell.text) or in_zones(cell.start, doc.zones):
                continue
            if column.role == "value" and len(cell.text.split()) <= _VALUE_CELL_WORDS:
                target = _cell_target(doc, table, row, column, row_label, context)
                if target:
                    out.append(target)
            elif len(cell.text.split()) >= 5:
                out += _line_targets(doc, cell.start, cell.end, _Scope(time=context), source="table")
    return out


def _carried_cells(table: Table, column: Column) -> int:
    return sum(1 for r in table.body if r.cells[column.index] is not None and r.cells[column.index].carried)


def _told_apart(label: str, note: str) -> str:
    """A row under a merged label is told from its sibling rows by its note cell ("Thông số":
    "- Thuốc Bảo vệ thực vật, - Kim loại nặng" → "Môi trường nuôi ngao (Thuốc Bảo vệ thực vật, Kim loại nặng)")."""
    note = _LIST_DASH.sub(" ", note).strip(" ,;-")
    note = _SPACES.sub(" ", note)
    return f"{label} ({note})" if note and label else label


def _is_norm_table(doc: _Document, table: Table) -> bool:
    caption = doc.text[max(0, table.start - 300) : table.start]
    titles = " ".join(s.title or "" for s in doc.sections_at(table.start))
    return bool(table_pattern("norm_context").search(caption + " " + titles))


def _cell_text(row: Row, column: Column | None) -> str:
    if column is None:
        return ""
    cell = row.cells[column.index]
    return cell.text if cell else ""


def _row_label(label: str) -> str:
    """A row label up to its colon ("Nguồn nước cấp nuôi tôm nước lợ: 7 cửa sông …")."""
    head, colon, _ = label.partition(":")
    return head.strip() if colon and len(head.split()) >= 2 else label.strip()


def _is_group_row(table: Table, row: Row, values: list[Column], label_column: Column | None) -> bool:
    """A row naming a group ("I | Giai đoạn 2025-2027"): no value, nothing but its label."""
    if values and any(row.cells[c.index] and not is_blank(row.cells[c.index].text) for c in values):
        return False
    first = _cell_text(row, table.columns[0])
    others = [c for c in table.columns if c.index not in (0, label_column.index if label_column else 0)]
    filled = [c for c in others if row.cells[c.index] and row.cells[c.index].text and not row.cells[c.index].carried]
    return not filled and bool(table_pattern("group_marker").fullmatch(first) or not first)


def _row_time(doc: _Document, table: Table, row: Row) -> _Time:
    """The row's own time cell ("Giai đoạn 2026 - 2027", "Trước năm 2030")."""
    for column in table.role("deadline"):
        cell = row.cells[column.index]
        time = _cell_time(doc, cell.start, cell.end) if cell is not None else _Time()
        if time:
            return time
    return _Time()


def _cell_time(doc: _Document, start: int, end: int) -> _Time:
    """The time a short cell states ("Năm 2025-2030", "Trước năm 2030"), else no time."""
    cell = doc.text[start:end].strip()
    if len(cell) > 40 or not _YEAR.search(cell):
        return _Time()
    times = _times_in(doc.text, start, end)
    return times[-1][2] if times else _Time(int(_YEAR.findall(cell)[-1]))


def _cell_target(
    doc: _Document, table: Table, row: Row, column: Column, label: str, context: _Time
) -> Target | None:
    cell = row.cells[column.index]
    text = doc.text
    if documents.date_re().search(text, cell.start, cell.end):
        return None  # a date ("06/05/2022") is when, not how much
    quantities = [q for q in find_quantities(text, cell.start, cell.end) if not _YEAR.fullmatch(text[q.start : q.end])]
    if not quantities:
        return None
    q = quantities[0]
    unit = read_unit(text, q, cell.end)
    unit_text = unit.text if unit and unit.end > q.end else None
    if unit_text is None:
        unit_text = (
            _cell_text(row, (table.role("unit") or [None])[0]) or header_unit(column.leaf) or table.caption_unit
        ) or None
    value, value_max = (q.value, q.value_max) if unit is None or unit.keeps_scale else scaled(q)
    before = text[cell.start : q.start]
    after = text[(unit.end if unit else q.end) : cell.end]
    cand = _Candidate(q, unit or Unit(unit_text or "", "count", q.end), value, value_max)
    comparator = _comparator(before, after, cand)
    if _RANK_CELL.search(before):
        comparator, unit_text = "lte", unit_text or "hạng"  # "Top 15"
    year, period = time_of(column.label)
    time = _Time(year, period) if year else context if context else doc.inherited_time(cell.start)
    indicator = label
    leaf = regex.sub(r"\s*\([^()]*\)\s*$", "", column.leaf).strip()
    if leaf and not table_pattern("generic_value").fullmatch(leaf):
        indicator = f"{label} - {leaf}" if label else leaf
    chain = doc.sections_at(cell.start)
    baseline = _pattern("baseline").search(label)
    return Target(
        id="",
        section=chain[0].id if chain else None,
        indicator=indicator or None,
        value=as_json_number(value),
        value_max=as_json_number(value_max) if value_max is not None else None,
        comparator=comparator,
        unit=unit_text,
        # what the cell does not say, the row label may ("Tỷ lệ hộ nghèo giảm … so với năm 2020")
        direction=_direction(before) if _direction(before) != "reach" else _direction(label + " "),
        year=time.year,
        period=Period(start=time.period[0], end=time.period[1]) if time.period else None,
        baseline_year=int(baseline.group("year")) if baseline else None,
        annual=bool(unit and unit.annual) or bool(unit_text and regex.search(r"/\s*năm\b", unit_text))
        or bool(_pattern("annual_anywhere").search(label)),
        text=text[cell.start : cell.end],
        span=(cell.start, cell.end),
        source="table",
    )


def _row_targets(doc: _Document, start: int, end: int) -> list[Target]:
    """Targets written as prose inside the cells of a table line that no table grid holds (a
    lone row); the row's own time cell ("Năm 2025-2030", "Trước năm 2030") is their time."""
    if not doc.permissive and _pattern("scoring").search(doc.text, start, end):
        return []
    cells, pos = [], start
    for cell in doc.text[start:end].split(_TABLE_ROW):
        cells.append((pos, pos + len(cell)))
        pos += len(cell) + len(_TABLE_ROW)
    row_time = _Time()
    for a, b in cells:
        row_time = _cell_time(doc, a, b) or row_time
    out: list[Target] = []
    for a, b in cells:
        if len(doc.text[a:b].split()) >= 5:
            out += _line_targets(doc, a, b, _Scope(time=row_time), source="table")
    return out


@lru_cache(maxsize=1024)  # asked again for every line under the same headings
def _no_aim_title(title: str) -> bool:
    return bool(_pattern("no_aim_section").match(title))


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
    if not doc.permissive and _no_aim_line(doc, start, content, end):
        return []
    scope = scope or _Scope()
    lead = _lead_time(text, content, end)
    if lead:
        scope.time = lead
    if text[content:end].rstrip().endswith(":"):
        # a lead-in line: its last sentence (the one the colon closes) governs the lines below
        sentence_start = max([m.end() for m in _SENTENCE_END.finditer(text, content, end)] or [content])
        time = _lead_in_time(text, sentence_start, end) or (lead if sentence_start == content else _Time())
        if time:
            doc.add_lead_line(end, doc.scope_end(_lead_in_chain(text, start, chain)), time)
    if not _pattern("any_number").search(text, content, end):
        return []
    if _pattern("annual").match(text, content, end):
        scope.annual = True
    out: list[Target] = []
    for c_start, c_end in _clauses(doc, content, end):
        # a clause with no subject of its own ("…; tăng 2,2 lần so với năm 2020") goes on with the last one's
        out += _clause_targets(doc, c_start, c_end, scope, out[-1].indicator if out else None)
    _restore_share_heads(out)
    _restore_parallel_heads(out)
    for target in out:
        target.source = source
    return out


_BARE_SHARE = regex.compile(r"(?P<label>[^:]*:\s*)?(?P<name>[^\d:;]+?)\s+(?:(?:đạt|chiếm|khoảng)\s+)?[\d\s.,\-–]+%")


def _restore_share_heads(targets: list[Target]) -> None:
    """"tỷ trọng nông nghiệp 33 - 34%, công nghiệp - xây dựng 42 - 43%, dịch vụ 24 - 25%",
    "Cơ cấu kinh tế: nông nghiệp 27,5%; dịch vụ 36,8%": shares written as "sector N%" after a
    head ("tỷ trọng", or the label before the row) are shares of that head, so each indicator
    names it."""
    head, place = None, None
    for target in targets:
        bare = _BARE_SHARE.fullmatch(target.text)
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
    m = _TIME_ADVERBIAL.match(head)
    if not m:
        return _Time()
    times = _times_in(text, start + m.start(1), start + m.end(1) + 1)
    return times[0][2] if times else _Time()


def _no_aim_line(doc: _Document, start: int, content: int, end: int) -> bool:
    """A line of a section of facts or norms, a preamble, a scoring rule or page chrome."""
    text = doc.text
    return (any(_no_aim_title(s.title or "") for s in doc.headings_at(content))
            or bool(_PREAMBLE.match(text, content, end) or _pattern("scoring").search(text, content, end)
                    or _pattern("page_chrome_line").search(text, start, end)))


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
        if _SUB_TARGETS_OPEN.search(cand.opened_by):
            parent = previous_indicator
        elif targets and ")" in text[targets[-1].span[1] : cand.quantity.start]:
            parent = None
        label = _LABEL_BEFORE_NUMBER.fullmatch(text, cand.seg_start, cand.quantity.start)
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
        if target.indicator is None or (target.indicator == target.unit and _TIME_ITEM.match(text, _line_start(text, start))):
            target.indicator = _label_above(text, start) or target.indicator
    return targets


_TIME_ITEM = regex.compile(r"[\s\-–+•*]*(?:\(?[a-zđ0-9]{1,2}[.)]\s*)?(?:(?:đến|trong|vào|giai\s+đoạn)\s+)?(?i:năm|giai\s+đoạn)\s+(?:19|20)\d\d")


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _label_above(text: str, pos: int, most_lines: int = 12) -> str | None:
    """Figures named only by their time ("- Năm 2026: giảm 1,5%", "Năm 2026 đạt 3.000 người")
    belong to the label that ends the line above them and their time-named siblings
    ("1. Tỷ lệ hộ nghèo theo chuẩn nghèo đa chiều:")."""
    line_start = _line_start(text, pos)
    if not _TIME_ITEM.match(text, line_start):
        return None
    for _ in range(most_lines):
        if line_start == 0:
            return None
        line_start = _line_start(text, line_start - 1)
        line = text[line_start : text.find("\n", line_start)].strip()
        if not line or _TIME_ITEM.match(line):
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
        pos = paragraph_start - 1
        paragraph_start = _paragraph_start(text, pos)
        if not _pattern("news_topic_label").match(text, paragraph_start):
            return -1


def _paragraph_start(text: str, pos: int, most_lines: int = 5) -> int:
    """Where the paragraph holding pos starts: a normalised line is a paragraph, but a line
    ending without a sentence end (a lead-in's ":", a wrapped ";" or ",") runs on into the next."""
    start = text.rfind("\n", 0, pos) + 1
    for _ in range(most_lines):
        if start == 0:
            break
        previous = text[text.rfind("\n", 0, start - 1) + 1 : start - 1].rstrip()
        if not previous or not _RUNS_ON.search(previous):
            break
        start = text.rfind("\n", 0, start - 1) + 1
    return start


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
    if not (parent and indicator and _RATE_PART_OPEN.search(cand.opened_by) and cand.unit.kind == "percent"):
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
        if run and not _WEAK_DELIMITER.fullmatch(cand.opened_by):
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


def _candidates(text: str, start: int, end: int, permissive: bool = False) -> list[_Candidate]:
    out: list[_Candidate] = []
    cited = _citation_spans(text, start, end)
    facts = [] if permissive else [m.start() for m in _pattern("fact").finditer(text, start, end)]
    quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(text[start:end])]
    quoted = [(a + start, b + start) for a, b in quoted]
    for m in _pattern("rank").finditer(text, start, end):
        n = m.group("n") or m.group("n2")
        group = "n" if m.group("n") else "n2"
        q = Quantity(float(n), None, None, m.start(group), m.end(group))
        out.append(_Candidate(q, Unit("hạng", "rank", m.end()), q.value, None, rank="lte" if m.group("n") else "eq",
                              phrase_start=m.start()))
    ranked = {c.quantity.start for c in out}
    derived = _pattern("derived_requirement").search(text, start, end)
    for q in find_quantities(text, start, end):
        if q.start in ranked or _inside(q.start, cited) or _inside(q.start, quoted):
            continue  # citations, and names or slogans in quotes ("Gia đình 5 không, 3 sạch")
        before = text[max(start, q.start - 40) : q.start]
        if _pattern("label").search(before) or _stated_as_fact(text, facts, q.start):
            continue
        unit = read_unit(text, q, end) or _measured_duration(text, start, q, end) or _index_level(text, start, q, end)
        if unit is None:
            continue
        if unit.kind != "percent" and _fact_follows(text, facts, unit.end):
            continue  # "40 xã, phường đã được công bố …": a count of what is, not an aim
        if _in_cited_title(text, cited, q.start):
            continue
        if q.word and not (_pattern("word_number_cue").search(before)):
            continue
        if not permissive and _no_aim(text, start, end, q, unit, before, derived):
            continue
        value, value_max = (q.value, q.value_max) if unit.keeps_scale else scaled(q)
        out.append(_Candidate(q, unit, value, value_max))
    out.sort(key=lambda c: c.quantity.start)
    return _drop_qualifiers(text, _drop_inner_counts(text, _drop_denominators(text, out)))


def _no_aim(text: str, start: int, end: int, q: Quantity, unit: Unit, before: str, derived) -> bool:
    """A norm, a count of the plan's own method, a share of funding, a figure derived from an
    aim stated before it, or an allowance rate."""
    if _is_norm(text, start, q, unit) or _pattern("method_before").search(before):
        return True
    if unit.text == "%" and _pattern("funding_share_before").search(before) and not _SHARE_OF_TOTAL.match(
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
                and not _DELIMITER.search(text, cand.unit.end, share.quantity.start)
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
        per = _PER.search(text, max(0, q.start - 12), q.start)
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


def _stated_as_fact(text: str, facts: list[int], pos: int) -> bool:
    """A fact cue before the number in its clause makes it a result, unless the clause turns
    to an aim after the last one ("Trên cơ sở kết quả các năm qua, … đến năm 2030 dự kiến 85 HTX")."""
    earlier = [f for f in facts if f < pos]
    return bool(earlier) and not _pattern("aim_after_fact").search(text, earlier[-1], pos)


def _fact_follows(text: str, facts: list[int], pos: int) -> bool:
    """A fact cue said of the count just written ("40 xã, phường đã được công bố"), not one in a
    bracket or another figure's clause after it ("06 xã …, 03 xã … (năm 2025 ước đạt 87 xã)")."""
    later = [f for f in facts if f >= pos]
    return bool(later) and not regex.search(r"[(\d]", text[pos : later[0]])


def _citation_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = [(m.start(), m.end()) for m in documents.number_re().finditer(text, start, end)]
    spans += [(m.start(), m.end()) for m in documents.date_re().finditer(text, start, end)]
    spans += [(m.start(), m.end()) for m in _STANDARD.finditer(text, start, end)]
    return spans


def _in_cited_title(text: str, cited: list[tuple[int, int]], pos: int) -> bool:
    """A number in the name of a cited document ("Quyết định số 338/QĐ-TTg … phê duyệt Đề án
    đầu tư xây dựng ít nhất 1 triệu căn hộ") belongs to that document, not to this plan."""
    before = [end for _, end in cited if end <= pos and pos - end < 200]
    if not before or _PUNCT.search(text, before[-1], pos):
        return False
    return bool(_TITLE_VERB.search(text, before[-1], pos))


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
    return bool(context and not _AIM_WORD.search(window, context.end()) and not changed())


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
            joined = not _DELIMITER.search(text, previous.unit.end, cand.quantity.start)
            part = _PART_OF.search(text, previous.unit.end, cand.quantity.start)  # "80% số xã …, trong đó có 25 xã"
            if joined or (share_open and not part and not cand.unit.text.startswith("%")):
                continue
        share_open = share_open or (cand.unit.text.startswith("%") and _starts_noun_phrase(text, cand.unit.end))
        out.append(cand)
    return out


def _starts_noun_phrase(text: str, pos: int) -> bool:
    return bool(_NOUN_PHRASE_START.match(text, pos, pos + 20))


def _segment(text: str, start: int, end: int, cands: list[_Candidate]) -> None:
    """Give each candidate its own stretch of the clause: a cut falls at the last delimiter
    between one target's number and the next one's."""
    cands[0].seg_start = start
    for left, right in pairwise(cands):
        gap_start, gap_end = left.unit.end, right.quantity.start
        cut = strong = previous = None
        for m in _DELIMITER.finditer(text, gap_start, gap_end):
            if "(" in m.group() and ")" in text[m.end() : gap_end]:
                continue  # a bracket closed before the next number ("(ASEAN) và nhóm 60") parts nothing
            previous, cut = cut, m
            if not _WEAK_DELIMITER.fullmatch(m.group()):
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


# --- building a target ------------------------------------------------------------------------

def _build(
    doc: _Document,
    cand: _Candidate,
    clause_start: int,
    clause_end: int,
    scope: _Scope,
    annual_here: bool,
    previous_indicator: str | None,
) -> Target:
    text = doc.text
    q, unit = cand.quantity, cand.unit
    seg_start, seg_end = _trim_span(text, cand.seg_start, cand.seg_end)
    before = text[clause_start : q.start]
    after = text[unit.end : clause_end]
    comparator = _comparator(before, after, cand)
    direction = _direction(before)
    if comparator == "gt" and _pattern("excess_over_plan").search(before[-12:]) and regex.match(
        r"\s*so\s+với\s+(?:chỉ\s+tiêu|kế\s+hoạch)", after, regex.I
    ):
        comparator, direction = "eq", "increase"
    time = _target_time(doc, cand, scope)
    baseline = _pattern("baseline").search(text, seg_start, seg_end)
    annual = annual_here or unit.annual or bool(_pattern("annual_anywhere").search(text, seg_start, seg_end))
    chain = doc.sections_at(q.start)
    ordinal = next((s.marker for s in chain if s.marker.startswith("(")), None)
    indicator = _indicator(text, cand, seg_start, seg_end) or previous_indicator
    value_max = cand.value_max
    if value_max is not None:
        comparator = "range"
    return Target(
        id="",
        section=chain[0].id if chain else None,
        ordinal=ordinal,
        indicator=indicator,
        value=as_json_number(cand.value),
        value_max=as_json_number(value_max) if value_max is not None else None,
        comparator=comparator,
        unit=unit.text or None,
        direction=direction,
        year=time.year,
        period=Period(start=time.period[0], end=time.period[1]) if time.period else None,
        baseline_year=int(baseline.group("year")) if baseline else None,
        annual=annual,
        text=text[seg_start:seg_end],
        span=(seg_start, seg_end),
    )


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
    for m in _CLAUSE_BREAK.finditer(tail):
        if not _DIGIT.search(tail, 0, m.start()):
            continue  # "nâng tỷ lệ doanh nghiệp sản xuất, kinh doanh sử dụng …": still the verb's object
        words = tail[m.end() : m.end() + 24].strip()
        if words and not _pattern("direction").match(words) and not _LEVEL_WORD.match(words) and first_word_is_verb(words):
            return True
    return False


def _adjacent_to_number(tail: str) -> bool:
    return bool(_NEAR.fullmatch(tail))


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


# --- indicator --------------------------------------------------------------------------------

def _indicator(text: str, cand: _Candidate, seg_start: int, seg_end: int) -> str | None:
    q, unit = cand.quantity, cand.unit
    if cand.rank:
        return _clean_phrase(text[seg_start : max(seg_start, cand.phrase_start or q.start)], side="left") or None
    left = _clean_phrase(text[seg_start:q.start], side="left")
    right = ""
    if unit.kind in ("count", "measure") or unit.text.startswith("%") or (unit.kind == "ratio" and q.word):
        right = _right_phrase(text, unit.end, seg_end)  # "giảm một nửa số xã nghèo" names it after
    if right and left and not _clean_phrase(_CLAUSE_BREAK.split(text[seg_start:q.start])[-1], side="left"):
        left = ""  # "Các xã không còn hộ nghèo, giảm 50% số hộ cận nghèo": another clause's words
    counted = unit.text.split("/")[0]
    countable = unit.kind == "count" or unit.countable
    if countable and left and len(left.split()) <= 2 and first_word_is_verb(left) and tokens(left) == (left,):
        left = ""  # "toàn tỉnh đón 8 triệu lượt khách du lịch": the verb alone names nothing measured
    parts = [left]
    # "Tỷ lệ mắc lao dưới 150 ca/100.000 dân": a rate per a population, named before it
    per_population = bool(left) and bool(regex.search(r"/\d", unit.text))
    if (unit.kind == "count" and not per_population) or (countable and not left):
        if not regex.search(rf"(?<!\w){regex.escape(counted)}(?!\w)", left, regex.I):
            parts.append(counted)  # "Lắp đặt mới trạm 3G/4G: 58 trạm" names the trạm once
    parts.append(right)
    indicator = " ".join(p for p in parts if p).strip(" ,:;-")
    return indicator or None


def _right_phrase(text: str, start: int, end: int) -> str:
    """What a number counts, written after it: up to where another clause begins. A stretch that
    opens with a comma or "và" holds no such phrase ("đạt 100% và triển khai …")."""
    if start >= end or _CLAUSE_BREAK.match(text, start, end):
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
    for m in _CLAUSE_BREAK.finditer(phrase):
        if _pattern("clause_opener").match(phrase, m.end()):
            return m.start()
    return len(phrase)


_TIME_PHRASE = regex.compile(
    r"(?:(?:phấn\s+đấu\s+)?(?:đến|tới|vào|trong|hết|cuối|đến\s+hết|đến\s+cuối|trước|ngay\s+trong)\s+)?"
    r"(?:năm|giai\s+đoạn|thời\s+kỳ)\s+(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?|"
    r"\(\s*(?:so\s+với\s+)?(?:năm\s+)?(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?\s*\)|"
    r"so\s+với\s+[^,;]*",
    regex.I,
)


@lru_cache(maxsize=4096)  # half the phrases of a plan come back, from its several candidates
def _clean_phrase(phrase: str, side: str) -> str:
    if side == "left":
        phrase = _after_lead_in(_ORDINAL_START.sub("", phrase.strip()))  # before times go: "Về X: Đến năm 2025,"
    phrase = _TIME_PHRASE.sub(" ", phrase)
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


# --- ids --------------------------------------------------------------------------------------

def _with_ids(targets: list[Target]) -> list[Target]:
    seen: dict[str, int] = {}
    for t in targets:
        written = " ".join(t.text.casefold().split())
        key = f"{t.section}|{written}|{t.value}|{t.value_max}|{t.unit}"
        if t.source == "table":  # a value cell ("100%") says little; its row and column say which
            key += f"|{t.indicator}|{t.year}"
        base = "t-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
        seen[base] = seen.get(base, 0) + 1
        t.id = base if seen[base] == 1 else f"{base}-{seen[base]}"
    return targets
