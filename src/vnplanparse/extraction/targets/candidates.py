"""Candidates: each number with a unit in a clause, what is not a target dropped, and a target built
from what is left."""

from __future__ import annotations

import regex

from ...model.plan import Period, Target
from ..numbers import Quantity, as_json_number, find_quantities, scaled
from ..units import Unit, read_unit
from .indicators import _comparator, _direction, _indicator, _trim_span
from .not_target import (
    _drop_denominators,
    _drop_inner_counts,
    _drop_qualifiers,
    _fact_follows,
    _index_level,
    _measured_duration,
    _no_aim,
    _stated_as_fact,
)
from .patterns import _QUOTED, _pattern
from .time import _Candidate, _Document, _Scope, _citation_spans, _in_cited_title, _inside, _target_time


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
        if _pattern("label").search(before) or _stated_as_fact(text, facts, q):
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
    elif _pattern("excess_floor_over_plan").search(before[-30:]) and _pattern("plan_figure_after").match(after):
        direction = "increase"
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
