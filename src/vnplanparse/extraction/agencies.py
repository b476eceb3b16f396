"""Agency names: find them in a span of text, split lists into one entry each, expand
abbreviations. The patterns are data (grammars/agencies.yaml): a head word and what that kind of
head takes after it, so a department no plan here names is found as well as a familiar one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import regex

from .. import grammar

_LIST_KEYS = ("fixed_heads", "field_heads", "open_heads", "blocs", "not_heads", "known_fields",
              "levels", "owners", "area_kinds", "roles", "group_nouns", "stop_words")
# lists matched without regard to case: "Bộ Khoa học và công nghệ", "Các Sở, ban, ngành"
_CASELESS = ("known_fields", "group_nouns")
_REFERENCE = regex.compile(r"(?<!\\[pP])\{([A-Za-z_]+)\}")  # not \\p{L}
# between two names of a list: "A, B", "A; B", "A và B", "A, và B", "A cùng B"
# (a line break a web page left in a cell, "<br>", with the dash of a list item after it, too)
_SEPARATOR = regex.compile(r"[ \t]*[,;][ \t]*(?:và[ \t]+|cùng[ \t]+)?|[ \t]+(?:và|cùng)[ \t]+|[ \t]*<br[ \t]*/?>[ \t]*(?:[-+•][ \t]*)?")
# words a leftover piece of a cell may not start with: it is then a scope phrase, not a name
_FUNCTION_WORD = regex.compile(r"(?:với|về|theo|trong|tại|để|của|cho|đối với|nhằm|khi|sau|trước|do|bằng|qua)(?!\p{L})")
_MAX_WORDS = 8  # a longer leftover piece is a phrase of the text, not a name
_PLURAL = regex.compile(r"(?:^|[ \t])(?:[Cc]ác|[Tt]ất cả|[Mm]ột số|[Nn]hững)[ \t]")
_GROUP_MARK = regex.compile(r"[,]|[ \t]và[ \t]|liên quan|trực thuộc")
_WORD = regex.compile(r"(?<![\p{L}\p{N}&])[\p{L}][\p{L}&\-]*")
_PIECE = regex.compile(r"[^,;]+")
_LINE_BREAK = regex.compile(r"<br[ \t]*/?>")  # left in a cell by a web page: a separator
# the lookbehinds try a run of spaces from its first character only (a long run would cost its square)
_PIECE_EDGES = regex.compile(r"^(?:[ \t]*(?:và|cùng)(?!\p{L}))+|(?<![ \t.:])[ \t.:]+$|(?<![ \t])[ \t]+(?:và|cùng)$")
_LETTER = regex.compile(r"\p{L}")
_REQUEST = regex.compile(r"[ \t]*(?:[Đđ]ề nghị[ \t]+)?")
# words a plural group may open with, besides its nouns
_GROUP_OPENERS = ("các", "tất", "một", "những")


@dataclass(frozen=True)
class Agency:
    name: str  # as written
    start: int
    end: int
    group: bool = False  # a catch-all group: "các sở, ban, ngành", "UBND các xã, phường"

    @property
    def expanded(self) -> str:
        return expand(self.name)


@cache
def pieces() -> dict[str, str]:
    """Every list and pattern piece of grammars/agencies.yaml, references filled in. Pieces are
    written out in place rather than called as subroutines: the regex module matches a written-out
    pattern tens of times faster (the name patterns call only pieces inside lookarounds, which
    match as fast either way: see _CALLED)."""
    data = grammar.load("agencies")
    values = {key: _words(data[key], caseless=key in _CASELESS) for key in _LIST_KEYS}
    # an abbreviation that stands for a whole body (SKHĐT, BDT, NHCSXH) is a name by itself
    heads = tuple(data["field_heads"] + data["fixed_heads"])
    whole = [short for short, full in data["abbreviations"].items() if full.startswith(heads)]
    values["fixed_heads"] = _words(data["fixed_heads"] + whole)
    values["level_tail"] = data["level_tail"]
    # where a name stops because the next one starts: the first two words of a head suffice
    values["head_starts"] = _words([" ".join(h.split()[:2]) for h in data["fixed_heads"] + data["open_heads"]])
    for key, spec in data["patterns"].items():
        raw = spec["pattern"] if isinstance(spec, dict) else spec
        values[key] = _REFERENCE.sub(lambda m: f"(?:{values[m.group(1)]})", raw)
    return values


def _words(words: list[str], caseless: bool = False) -> str:
    """An alternation of literal words, longest first; a space matches spaces or tabs only."""
    alternation = grammar.trie_alternation(words, str.lower if caseless else None).replace(r"\ ", r"[ \t]+")
    return f"(?i:{alternation})" if caseless else alternation


@cache
def compiled(key: str) -> regex.Pattern[str]:
    """The pattern piece `key` of grammars/agencies.yaml, compiled."""
    return regex.compile(pieces()[key], regex.V0)


# pieces written out many times over in the name patterns (HEAD_START 16 times, STOP 9), each
# time inside a lookaround: called as subroutines there, they are parsed once, which cuts the two
# patterns' compile, the largest cost of a cold start, by more than half (issue 23). A lookaround
# is atomic, so a call in one matches what the written-out piece matched, and as fast.
_CALLED = ("HEAD_START", "STOP")


@cache
def _name_re() -> tuple[regex.Pattern[str], regex.Pattern[str]]:
    start = r"(?<![\p{L}\p{N}&])"
    return regex.compile(start + _with_calls("NAMED")), regex.compile(start + _with_calls("GROUP"))


def _with_calls(key: str) -> str:
    """Piece `key` with every written-out piece of _CALLED replaced by a call to it."""
    values = pieces()
    pattern = values[key]
    for called in _CALLED:
        pattern = pattern.replace(f"(?:{values[called]})", f"(?&{called})")
    definitions = "".join(f"(?<{called}>{values[called]})" for called in _CALLED)
    return f"(?:{pattern})(?(DEFINE){definitions})"


@cache
def _group_levels_re() -> regex.Pattern[str]:
    level = pieces()["LEVEL"]
    return regex.compile(rf"(?:^|[ \t])các[ \t]+(?:{level})|(?:{level})[ \t]*,[ \t]*(?:{level})")


@cache
def _first_words() -> frozenset[str]:
    """The words a name can open with (case folded): the first word of every head, role and
    group noun. Trying the name patterns only there keeps a scan over a long text fast."""
    data = grammar.load("agencies")
    phrases = [*data["fixed_heads"], *data["field_heads"], *data["blocs"], *data["open_heads"],
               *data["roles"], *data["group_nouns"], *data["abbreviations"], *_GROUP_OPENERS]
    return frozenset(p.split()[0].casefold() for p in phrases)


def agency_at(text: str, pos: int, end: int | None = None) -> Agency | None:
    """The name that starts exactly at `pos` (the longer reading when a named body and a group
    both fit), or None."""
    end = len(text) if end is None else end
    word = _WORD.match(text, pos, end)
    if word is None or word.group().casefold() not in _first_words():
        return None
    named_re, group_re = _name_re()
    named, group = named_re.match(text, pos, end), group_re.match(text, pos, end)
    if named and (not group or named.end() >= group.end()):
        stop = named.end()
        plural = bool(_group_levels_re().search(named.group()))
        area = compiled("AREA").match(text, stop, end) if plural else None
        stop = area.end() if area else stop  # "UBND các huyện miền núi"
        return Agency(text[pos:stop], pos, stop, plural)
    if group:
        return Agency(group.group(), pos, group.end(), True)
    return None


def read_list(text: str, pos: int, end: int | None = None) -> list[Agency]:
    """The names of a list that starts at `pos` ("Sở A, Sở B và các đơn vị liên quan"); the list
    ends at the first thing that is not a name, so the verb after it is left alone."""
    end = len(text) if end is None else end
    found: list[Agency] = []
    while True:
        pos += len(text[pos:end]) - len(text[pos:end].lstrip(" \t"))
        agency = agency_at(text, pos, end)
        if agency is None or found and _verb_not_group(text, agency):
            return found
        found.append(agency)
        sep = _SEPARATOR.match(text, agency.end, end)
        if not sep:
            return found
        pos = sep.end()


def _verb_not_group(text: str, agency: Agency) -> bool:
    """A lone group noun that is also a verb after a list's comma ("phối hợp với Sở A, tổ chức
    hội thi") starts the task, not another name."""
    return (agency.group and not _reads_as_group(agency.name) and bool(_stop_re().match(text, agency.start))
            and not compiled("GROUP_NOUN").fullmatch(agency.name))  # "tổ chức chính trị - xã hội" is a name


def find_agencies(text: str, start: int = 0, end: int | None = None) -> list[Agency]:
    """Every name in text[start:end], left to right. A lone group noun ("đơn vị", "tổ chức")
    counts only when it reads as a group: "các …", two nouns joined, or a qualifier."""
    end = len(text) if end is None else end
    found: list[Agency] = []
    pos = start
    while pos < end:
        word = _WORD.search(text, pos, end)
        if not word:
            break
        agency = agency_at(text, word.start(), end)
        if agency and (not agency.group or _reads_as_group(agency.name)):
            found.append(agency)
            pos = agency.end
        else:
            pos = word.end()
    return found


def _reads_as_group(name: str) -> bool:
    return bool(_PLURAL.search(name) or _GROUP_MARK.search(name))


def split_names(text: str, start: int = 0, end: int | None = None) -> list[Agency]:
    """One entry per agency of a span that holds only agencies (a table cell, the value of a
    "Cơ quan phối hợp:" field): names found by pattern, and the pieces between them that the
    separators leave (", nhà đầu tư") as written. A piece that opens with a function word
    ("với các tiêu chuẩn …") is a scope phrase and is dropped."""
    end = len(text) if end is None else end
    found = find_agencies(text, start, end)
    out: list[Agency] = []
    pos = start
    for agency in [*found, None]:
        gap_end = agency.start if agency else end
        out += _leftover_pieces(text, pos, gap_end)
        if agency:
            out.append(agency)
            pos = agency.end
    return out


# the lowercase words a sentence-case name may run on with, up to its marker or the end of its
# cell ("Ban Cải cách hiện đại hóa hải quan | chủ trì")
_TAIL = regex.compile(r"(?:[ \t]+\p{Ll}+(?!\p{L})){1,6}[ \t]*")


def extend_to(text: str, agency: Agency, end: int) -> Agency:
    """The name run on to `end` when only lowercase words that are no verb or function word the
    grammar knows lie between: the name pattern takes one lowercase word per field, so a longer
    name written in sentence case is cut short where the next word could be a verb."""
    tail = _TAIL.fullmatch(text, agency.end, end)
    if tail is None or any(_stop_re().match(text, w.start(), end) for w in _WORD.finditer(text, agency.end, end)):
        return agency
    stop = agency.end + len(tail.group().rstrip())
    return Agency(text[agency.start:stop], agency.start, stop, agency.group)


@cache
def _stop_re() -> regex.Pattern[str]:
    return regex.compile(pieces()["STOP"])


def _leftover_pieces(text: str, start: int, end: int) -> list[Agency]:
    out = []
    scope = False  # inside "với các tiêu chuẩn, quy chuẩn …": up to the next ';' nothing is a name
    gap = _LINE_BREAK.sub(lambda m: ";" * len(m.group()), text[start:end])  # offsets kept
    for m in _PIECE.finditer(gap):
        if m.start() and gap[m.start() - 1] == ";":
            scope = False
        piece = _PIECE_EDGES.sub("", m.group()).strip()
        scope = scope or bool(_FUNCTION_WORD.match(piece))
        words = piece.split()
        if scope or not words or not _LETTER.search(piece) or len(words) > _MAX_WORDS:
            continue
        offset = start + m.start() + m.group().index(piece)
        out.append(Agency(piece, offset, offset + len(piece), False))
    return out


def leading_names(text: str, rest: regex.Pattern[str]) -> list[Agency] | None:
    """The agencies a text opens with when what follows them matches `rest` (a heading
    "Sở Y tế:", "Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức chính trị - xã hội",
    "Ban Quản lý … có trách nhiệm:"), else None."""
    m = _REQUEST.match(text)
    names = read_list(text, m.end())
    if names and rest.match(text[names[-1].end:]):
        return names
    return None


@cache
def _abbreviation_re() -> regex.Pattern[str]:
    words = grammar.load("agencies")["abbreviations"]
    return regex.compile(r"(?<![\p{L}&\-])(?:" + grammar.alternation(list(words)) + r")(?![\p{L}&])")


def expand(name: str) -> str:
    """The name with known abbreviations written out: "Sở KH&CN" → "Sở Khoa học và Công nghệ"."""
    table = grammar.load("agencies")["abbreviations"]
    return _abbreviation_re().sub(lambda m: table[m.group()], name)
