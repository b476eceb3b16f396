"""Scores of one parsed document against its golden labels, part by part: metadata, sections,
references, targets (matched one to one) and assignments."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import regex

from ..normalising.folding import fold

PARTS = ("metadata", "sections", "references", "targets", "assignments")

METADATA_FIELDS = ("doc_number", "doc_type", "issuer", "province", "issued_date", "signer", "title")

TARGET_ATTRIBUTES = (
    "section", "indicator", "unit", "comparator", "direction", "year", "period", "baseline_year", "annual",
)

_TITLE_COMPARED = 190


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Accuracy:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.right += int(ok)
        self.total += 1

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 1.0


@dataclass
class DocResult:
    doc: str
    parts: dict[str, Score] = field(default_factory=dict)
    attributes: dict[str, Accuracy] = field(default_factory=dict)
    error: str | None = None
    misses: list[str] = field(default_factory=list)  # what a reader needs to see to fix the parser


def score_document(gold: dict, predicted: dict, result: DocResult) -> None:
    labelled = gold.get("labelled") or list(PARTS)
    depth = gold.get("sections_depth") or 99
    if "metadata" in labelled:
        result.parts["metadata"] = _score_metadata(gold["metadata"], predicted["metadata"], result)
    if "sections" in labelled:
        result.parts["sections"] = _score_sections(gold["sections"], predicted["sections"], depth, result)
    if "references" in labelled:
        result.parts["references"] = _score_references(gold["references"], predicted["references"], result)
    if "targets" in labelled:
        result.parts["targets"] = _score_targets(gold["targets"], predicted["targets"], depth, result)
    if "assignments" in labelled:
        _score_assignments(gold["assignments"], predicted["assignments"], result)


def _accuracy(result: DocResult, name: str) -> Accuracy:
    return result.attributes.setdefault(name, Accuracy())


def _score_metadata(gold: dict, pred: dict, result: DocResult) -> Score:
    score = Score()
    for name in METADATA_FIELDS:
        g, p = gold.get(name), pred.get(name)
        same = fold(g)[:_TITLE_COMPARED] == fold(p)[:_TITLE_COMPARED]
        if g is not None and p is not None and same:
            score.tp += 1
        else:
            score.fp += p is not None
            score.fn += g is not None
        if g is not None or p is not None:
            _accuracy(result, f"metadata.{name}").add(same)
            if not same:
                result.misses.append(f"metadata.{name}: gold {g!r} got {p!r}")
    return score


def _flatten(sections: list[dict], depth: int) -> list[dict]:
    out = []
    for s in sections:
        if s["level"] <= depth:
            out.append(s)
            out.extend(_flatten(s.get("children") or [], depth))
    return out


def _score_sections(gold: list[dict], pred: list[dict], depth: int, result: DocResult) -> Score:
    g, p = _flatten(gold, depth), _flatten(pred, depth)
    g_ids, p_ids = Counter(s["id"] for s in g), Counter(s["id"] for s in p)
    tp = sum((g_ids & p_ids).values())
    remaining = [s for s in p]
    for section in g:
        hit = next((s for s in remaining if s["id"] == section["id"]), None)
        if hit is not None:
            remaining.remove(hit)
            same = fold(section.get("title"))[:_TITLE_COMPARED] == fold(hit.get("title"))[:_TITLE_COMPARED]
            _accuracy(result, "sections.title").add(same)
    result.misses += [f"missed section: {s['id']} {s.get('title')!r}"[:160] for s in g if not p_ids[s["id"]]]
    result.misses += [f"spurious section: {s['id']} {s.get('title')!r}"[:160] for s in p if not g_ids[s["id"]]]
    return Score(tp, sum(p_ids.values()) - tp, sum(g_ids.values()) - tp)


def _number_key(number: str | None) -> str:
    return regex.sub(r"\s+", "", fold(number))


def _score_references(gold: list[dict], pred: list[dict], result: DocResult) -> Score:
    by_number = {_number_key(r["doc_number"]): r for r in pred}
    tp = 0
    for ref in gold:
        hit = by_number.pop(_number_key(ref["doc_number"]), None)
        if hit is None:
            continue
        tp += 1
        for name in ("doc_type", "date", "issuer"):
            _accuracy(result, f"references.{name}").add(fold(ref.get(name)) == fold(hit.get(name)))
    return Score(tp, len(pred) - tp, len(gold) - tp)


def _words(s: str | None) -> set[str]:
    return set(regex.findall(r"\w+", fold(s)))


def _overlap(a: str | None, b: str | None) -> float:
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


def _truncate_section(section: str | None, depth: int) -> str | None:
    if section is None:
        return None
    return ".".join(regex.split(r"\.(?![^(]*\))", section)[:depth])


def _same_number(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _is_table_target(target: dict) -> bool:
    return target.get("source") == "table" or " | " in (target.get("text") or "")


def _score_targets(gold: list[dict], pred: list[dict], depth: int, result: DocResult) -> Score:
    """All targets matched at once; prose and table targets also reported apart
    (`targets.prose`, `targets.table`): a hit and a miss count for the gold target's kind, a
    spurious target for its own."""
    hits = _match_targets(gold, pred, depth, result)
    by_id = {id(t): t for t in pred}
    strict = sum(1 for t in gold if id(t) in hits and _strictly_same(t, by_id[hits[id(t)]]))
    result.parts["targets.strict"] = Score(strict, len(pred) - strict, len(gold) - strict)
    for kind, is_kind in (("prose", lambda t: not _is_table_target(t)), ("table", _is_table_target)):
        g = [t for t in gold if is_kind(t)]
        p = [t for t in pred if is_kind(t)]
        if g or p:
            tp = sum(1 for t in g if id(t) in hits)
            matched_pred = sum(1 for t in p if id(t) in hits.values())
            result.parts[f"targets.{kind}"] = Score(tp, len(p) - matched_pred, len(g) - tp)
    return Score(len(hits), len(pred) - len(hits), len(gold) - len(hits))


STRICT_ATTRIBUTES = ("unit", "comparator", "year", "direction")


def _strictly_same(gold: dict, pred: dict) -> bool:
    """A matched target whose value (matched already), unit, comparator, year and direction
    are all right: what a dashboard can take without review."""
    return fold(gold.get("unit")) == fold(pred.get("unit")) and all(
        gold.get(name) == pred.get(name) for name in STRICT_ATTRIBUTES[1:])


def _describe(target: dict) -> str:
    value = target["value"] if target.get("value_max") is None else f"{target['value']}-{target['value_max']}"
    return f"{value} {target.get('unit')} [{target.get('section')}] {(target.get('text') or '')[:90]}"


def _match_targets(gold: list[dict], pred: list[dict], depth: int, result: DocResult) -> dict[int, int]:
    """Pairs gold and predicted targets; returns {id(gold target): id(predicted target)}."""
    unmatched = list(pred)
    hits: dict[int, int] = {}
    for target in gold:
        best, best_score = None, 0.0
        for candidate in unmatched:
            if not _same_number(target["value"], candidate["value"]):
                continue
            if not _same_number(target.get("value_max"), candidate.get("value_max")):
                continue
            overlap = _overlap(target.get("text"), candidate.get("text"))
            overlap += 0.5 * _overlap(target.get("indicator"), candidate.get("indicator"))
            if _truncate_section(candidate.get("section"), depth) == target.get("section"):
                overlap += 0.25
            if overlap > best_score and overlap >= 0.4:
                best, best_score = candidate, overlap
        if best is None:
            result.misses.append(f"missed target: {_describe(target)}")
            continue
        unmatched.remove(best)
        hits[id(target)] = id(best)
        for name in TARGET_ATTRIBUTES:
            g, p = target.get(name), best.get(name)
            if name == "section":
                same = _truncate_section(p, depth) == g
            elif name == "indicator":
                same = _overlap(g, p) >= 0.6 and _overlap(p, g) >= 0.6 and _jaccard(g, p) >= 0.5
            elif name in ("unit",):
                same = fold(g) == fold(p)
            else:
                same = g == p
            _accuracy(result, f"targets.{name}").add(same)
            if not same:
                result.misses.append(f"targets.{name}: gold {g!r} got {p!r} in {_describe(target)}")
    result.misses += [f"spurious target: {_describe(t)}" for t in unmatched]
    return hits


def _jaccard(a: str | None, b: str | None) -> float:
    wa, wb = _words(a), _words(b)
    return len(wa & wb) / len(wa | wb) if wa | wb else 1.0


def _score_assignments(gold: list[dict], pred: list[dict], result: DocResult) -> None:
    for role in ("lead", "partners"):
        g = Counter(fold(name) for a in gold for name in a.get(role) or [])
        p = Counter(fold(name) for a in pred for name in a.get(role) or [])
        tp = sum((g & p).values())
        result.parts[f"assignments.{role}"] = Score(tp, sum(p.values()) - tp, sum(g.values()) - tp)
