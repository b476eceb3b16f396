"""Targets' patterns: the word lists and regular expressions of grammars/targets.yaml compiled, and
the constants the target modules share."""

from __future__ import annotations

from functools import cache

import regex

from ... import grammar

_TABLE_ROW = " | "

_YEAR = regex.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")

_COLON_LEAD = regex.compile(r"[^:;.]{0,150}?:(?=\s)")

_COLON_LEAD_SHORT = regex.compile(r"^[^:]{0,80}:\s*")

_QUOTED = regex.compile(r"[“\"][^”\"\n]{1,60}[”\"]")

_PUNCT = regex.compile(r"[,;:]")

_NEAR = regex.compile(r"\s*(?:\S+\s+){0,2}")

_SPACES = regex.compile(r"\s+")

_ORDINAL_START = regex.compile(r"^\(\d{1,3}\)\s*")

_ORDINAL_AT = regex.compile(r"\(\d{1,3}\)\s*")

_EMPTY_PARENS = regex.compile(r"\s*\(\s*\)")

_TOPIC_LABEL = regex.compile(r"^(.*):\s+(?=\S)")

# a period after two letters, or after a one-letter word closing a name ("… các nước ở châu Á. Tỉ lệ …")
_SENTENCE_END = regex.compile(r"(?<=(?:[^\s.]{2}|\p{L}{2}\s\p{Lu})[.!?])\s+(?=[\p{Lu}\d(\"“-])|;\s*")

_LIST_DASH = regex.compile(r"(?:^|(?<=[\s,;]))[-–+•]\s+")

_DATELINE = regex.compile(r"\S{0,12}\((?:\p{Lu}[\p{L}.]*\s?){1,3}\)\s*[–-]\s")  # "(HDDTVN) – ", "(Chinhphu.vn) - "

_BULLETS = ("-", "–", "+", "•")

_DATED_ASIDE = regex.compile(r"\s*\([^()]*\d")

_NEWS_DATELINE = regex.compile(r"^" + _DATELINE.pattern, regex.M)

_RUNS_ON = regex.compile(r"[,;:\w]$")  # a line that ends so runs on into the next one


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
    "estimate": lambda c: _any(c["estimate_cues"]) + _W1,
    "aim_after_fact": lambda c: _W0 + _any(c["aim_after_fact"]) + _W1,
    "no_aim_section": lambda c: r"\s*(?:" + _any(c["section_title_openers"]) + r"\s+)?"
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
    "aim_verb_before": lambda c: _W0 + _any(c["directions"]["reach"] + c["share_verbs"]) + r"\s+(?:"
    + _any([w for ws in c["comparators"].values() for w in ws]) + r"\s+)?$",
    "share_head": lambda c: _any(c["indicator_trim"]["share_heads"]) + _W1,
    "standard_qualifier": lambda c: _W0 + _any(c["indicator_trim"]["standard_qualifiers"]) + _W1,
    "clause_opener": lambda c: _any(c["indicator_trim"]["clause_openers"]) + _W1,
    "tail_trim": lambda c: r"(?:" + _W0 + _any(c["indicator_trim"]["trailing"]) + r"[\s,:]*)+$",
    "budget_head": lambda c: r"\s*" + _any(c["indicator_trim"]["budget_heads"]) + _W1,
    "rank_owner": lambda c: _W0 + _any(c["rank_subject"]["owner_verbs"]) + r"\s+",
    "rank_qualities": lambda c: r"(?:\s+" + _any(c["rank_subject"]["qualities"]) + r"(?:\s+và)?)+\s*$",
    "news_aim": lambda c: _W0 + _any(c["news"]["aim"]) + _W1 + "|" + c["news"]["aim_due"],
    "news_fact": lambda c: _W0 + _any(c["news"]["fact"]) + _W1,
    "news_counted_against": lambda c: c["news"]["counted_against"],
    "news_due_after": lambda c: c["news"]["due_after"],
    "news_topic_label": lambda c: c["news"]["topic_label"],
    **{name: (lambda c, name=name: c[name]) for name in
       ("rank", "scoring", "procedure", "method_before", "funding_share_before", "page_chrome_line",
        "derived_requirement", "allowance_rate", "norm_before", "norm_context", "norm_clause", "norm_after", "excess_over_plan",
        "excess_floor_over_plan", "plan_figure_after", "title_verb", "aim_word", "time_adverbial", "time_phrase",
        "rank_cell", "level_word", "share_of_total", "year_remark", "part_of", "rate_part_open", "sub_targets_open")},
}


@cache
def _pattern(name: str) -> regex.Pattern[str]:
    """A pattern of grammars/targets.yaml compiled once: case-insensitive unless listed under
    `case_sensitive` there (where capitals tell a preamble, a caption or a label apart)."""
    exact = _cues()["case_sensitive"]
    if name in exact:
        return regex.compile(exact[name])
    return regex.compile(_PATTERNS[name](_cues()), regex.I)


_DIGIT = regex.compile(r"\d")  # a longer cell in a value column is prose ("Đạt 100% vào năm 2026 …")


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1
