"""Filter: a learned keep/drop decision over the targets the rules of targets.py emit.

Some families of candidates resist rules: whether a figure in a news sentence is an aim or a
past result, whether a count is an eligibility threshold, an award quota or the size of the
plan's own method. Each candidate gets features from its document (cue words around it and in
its section titles, the document's kind, its place, comparator, unit, year against the issue
year, table or prose), and a logistic regression whose weights ship in target_filter.json
gives the chance that it is a target. A candidate goes only when that chance is below the
model's threshold, chosen by cross-validation to drop only when confident.

The weights are trained by scripts/train_target_filter.py on the training golden files only;
the cue words are grammars/target_filter.yaml. Inference is plain Python: deterministic, no
download, no extra dependency.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_left
from functools import cache
from importlib.resources import files

import regex

from .. import grammar
from ..model.plan import Metadata, PlanDocument, Section, Target
from ..structure.markers import SectionIndex
from .targets.patterns import _YEAR

MODEL_FILE = "target_filter.json"
_CLAUSE_EDGE = regex.compile(r"[;.!?](?=\s)|\n")
_DATE = regex.compile(r"(?<!\d)\d{1,2}[/.-]\d{1,2}[/.-]((?:19|20)\d\d)(?!\d)|tháng\s+\d{1,2}\s+năm\s+((?:19|20)\d\d)")
_LEADING_ZERO = regex.compile(r"(?<![\d.,])0\d(?![\d.,]?\d)")
_LIST_OPENING = regex.compile(r"\s*(?:[-–+•*]|\(?\d{1,3}[.)]|\(?[a-zđ][.)]|[IVXLC]+\.)\s")
_MONEY = regex.compile(r"đồng|usd|tỷ|triệu", regex.I)
_BEFORE_MAX, _AFTER_MAX = 160, 100
POSITIONS = ("before", "own", "after")
WHOLE_LINES = 6


@cache
def _grammar() -> dict:
    return grammar.load("target_filter")


@cache
def _chrome() -> regex.Pattern[str]:
    return regex.compile(grammar.alternation(_grammar()["chrome"]), regex.I)


@cache
def _cue_patterns(key: str) -> dict[str, regex.Pattern[str]]:
    return {group: regex.compile(rf"(?<!\w)(?:{grammar.alternation(words)})(?!\w)", regex.I)
            for group, words in _grammar()[key].items()}


def cue_groups(text: str, key: str = "cues") -> list[str]:
    """The cue groups whose words occur in text (grammars/target_filter.yaml `cues` or `section_cues`)."""
    return [group for group, pattern in _cue_patterns(key).items() if pattern.search(text)]


def feature_names() -> list[str]:
    """Every feature, in the order the model's weights follow."""
    return list(_names())


@cache
def _names() -> tuple[str, ...]:
    names = ["news_dateline", "no_doc_number", "no_issue_year", "position", "early", "table", "no_section",
             "section_depth", "list_item", "headline", "indicator_missing",
             "cmp_eq", "cmp_floor", "cmp_cap", "cmp_approx", "cmp_range",
             "dir_reach", "dir_change", "dir_maintain",
             "unit_none", "unit_percent", "unit_money", "unit_other",
             "year_none", "year_before_issue", "year_issue", "year_after_issue", "year_written",
             "baseline", "annual", "value_small", "value_hundred", "leading_zero", "value_log",
             "line_chrome", "news_past", "news_aim"]
    names += [f"{position}_{group}" for position in POSITIONS for group in _grammar()["cues"]]
    names += [f"section_{group}" for group in _grammar()["section_cues"]]
    return tuple(names)


def target_features(text: str, sections: list[Section], metadata: Metadata, targets: list[Target]) -> list[dict[str, float]]:
    """One feature mapping per target, keyed by feature_names()."""
    index = SectionIndex(sections)
    news = float(bool(regex.search(_grammar()["news_dateline"], text[:20000])))
    issued = int(metadata.issued_date[:4]) if metadata.issued_date else None
    dated = issued or _dated_year(text)  # an article has no issue date, but its date line tells the year
    first_line_end = text.find("\n", len(text) - len(text.lstrip()))
    # a headline and an opening stand over an article's body: a few lines of text have neither
    whole = len(regex.findall(r"(?m)^[^\S\n]*\S", text, endpos=20000)) >= WHOLE_LINES
    breaks = [m.start() for m in regex.finditer("\n", text)]  # by bisection: a long line is not rescanned
    section_groups: dict[int, list[str]] = {}
    chrome_lines: dict[int, float] = {}
    rows = []
    for t in targets:
        start, end = t.span
        before = bisect_left(breaks, start)
        line_start = breaks[before - 1] + 1 if before else 0
        if line_start not in chrome_lines:
            after_end = bisect_left(breaks, end)
            line_end = breaks[after_end] if after_end < len(breaks) else len(text)
            chrome_lines[line_start] = float(bool(_chrome().search(text, line_start, line_end)))
        clause_start = max([m.end() for m in _CLAUSE_EDGE.finditer(text, max(line_start, start - _BEFORE_MAX), start)],
                           default=max(line_start, start - _BEFORE_MAX))
        edge = _CLAUSE_EDGE.search(text, end, end + _AFTER_MAX)
        after = text[end: edge.start() if edge else min(len(text), end + _AFTER_MAX)]
        chain = index.holding(start)
        key = id(chain[-1]) if chain else 0
        if key not in section_groups:
            section_groups[key] = cue_groups(" ".join(s.title or "" for s in chain), "section_cues")
        f = dict.fromkeys(_names(), 0.0)
        f.update({
            "news_dateline": news,
            "no_doc_number": float(metadata.doc_number is None),
            "no_issue_year": float(issued is None),
            "position": start / max(1, len(text)),
            "early": float(whole and start < 0.05 * len(text)),
            "table": float(t.source == "table"),
            "no_section": float(not chain),
            "section_depth": min(len(chain), 6) / 6,
            "list_item": float(bool(_LIST_OPENING.match(text, line_start, line_start + 12))),
            "headline": float(whole and start < first_line_end),
            "indicator_missing": float(t.indicator is None),
            "cmp_eq": float(t.comparator == "eq"),
            "cmp_floor": float(t.comparator in ("gt", "gte")),
            "cmp_cap": float(t.comparator in ("lt", "lte")),
            "cmp_approx": float(t.comparator == "approx"),
            "cmp_range": float(t.comparator == "range"),
            "dir_reach": float(t.direction == "reach"),
            "dir_change": float(t.direction in ("increase", "decrease")),
            "dir_maintain": float(t.direction == "maintain"),
            "unit_none": float(not t.unit),
            "unit_percent": float(bool(t.unit) and t.unit.startswith("%")),
            "unit_money": float(bool(t.unit) and bool(_MONEY.search(t.unit))),
            "year_none": float(t.year is None),
            "year_written": float(bool(_YEAR.search(t.text))),
            "baseline": float(t.baseline_year is not None),
            "annual": float(t.annual),
            "value_small": float(abs(t.value) <= 10),
            "value_hundred": float(t.value == 100),
            "leading_zero": float(bool(_LEADING_ZERO.search(t.text))),
            "value_log": min(math.log10(1 + abs(t.value)), 12) / 12,
        })
        f["unit_other"] = float(not (f["unit_none"] or f["unit_percent"] or f["unit_money"]))
        if t.year is not None and dated is not None:
            f["year_before_issue"] = float(t.year < dated)
            f["year_issue"] = float(t.year == dated)
            f["year_after_issue"] = float(t.year > dated)
        for position, stretch in zip(POSITIONS, (text[clause_start:start], t.text, after), strict=True):
            for group in cue_groups(stretch):
                f[f"{position}_{group}"] = 1.0
        for group in section_groups[key]:
            f[f"section_{group}"] = 1.0
        f["line_chrome"] = chrome_lines[line_start]
        # a news article tells results and aims side by side: its cue words weigh apart
        news_kind = max(news, f["no_doc_number"])
        f["news_past"] = news_kind * max(f["before_past"], f["own_past"])
        f["news_aim"] = news_kind * max(f["before_aim"], f["own_aim"])
        rows.append(f)
    return rows


def _dated_year(text: str) -> int | None:
    """The latest year of a date written in the opening of the text (an article's date line)."""
    years = [int(m.group(1) or m.group(2)) for m in _DATE.finditer(text, 0, 3000)]
    return max(years, default=None)


@cache
def load_model() -> dict:
    """The shipped model: feature names, their means and scales, weights, bias, threshold."""
    return json.loads(files("vnplanparse.extraction").joinpath(MODEL_FILE).read_text(encoding="utf-8"))


def keep_probability(model: dict, features: dict[str, float]) -> float:
    z = model["bias"]
    for name, mean, scale, weight in zip(model["features"], model["mean"], model["scale"], model["weights"], strict=True):
        z += weight * (features[name] - mean) / scale
    return 1 / (1 + math.exp(-z)) if z > -700 else 0.0


def filter_targets(text: str, document: PlanDocument) -> int:
    """Drops from document.targets the candidates the model is confident are no targets; returns
    how many went."""
    if not document.targets:
        return 0
    model = load_model()
    rows = target_features(text, document.sections, document.metadata, document.targets)
    kept = [t for t, f in zip(document.targets, rows, strict=True) if keep_probability(model, f) >= model["threshold"]]
    dropped = len(document.targets) - len(kept)
    document.targets[:] = kept
    return dropped
