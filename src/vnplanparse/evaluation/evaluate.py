"""Score parser output against hand-labelled golden files (or reviewers' corrected files).

Golden files carry no spans or ids: items are matched by content. Strings are compared after
`fold` (case, spacing, quotes, and the old/new placement of tone marks: "Uỷ" = "Ủy")."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import VnPlanParseError
from ..normalising.normalize import normalize
from ..pipeline import parse
from ..reading.load import read_path
from .scores import Accuracy, DocResult, Score, score_document

PART_NAMES = ("metadata", "sections", "references", "targets", "targets.prose", "targets.table", "targets.strict",
              "assignments.lead", "assignments.partners")

SOURCE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")


@dataclass
class Report:
    documents: list[DocResult] = field(default_factory=list)

    def part(self, name: str) -> Score:
        total = Score()
        for doc in self.documents:
            if name in doc.parts:
                total.add(doc.parts[name])
        return total

    def attribute(self, name: str) -> Accuracy:
        total = Accuracy()
        for doc in self.documents:
            acc = doc.attributes.get(name)
            if acc:
                total.right += acc.right
                total.total += acc.total
        return total

    def attribute_names(self) -> list[str]:
        names: list[str] = []
        for doc in self.documents:
            names += [n for n in doc.attributes if n not in names]
        return names


def find_source(stem: str, corpus_dirs: list[Path]) -> Path | None:
    for directory in corpus_dirs:
        for suffix in SOURCE_SUFFIXES:
            candidate = directory / f"{stem}{suffix}"
            if candidate.is_file():
                return candidate
    return None


def is_parsed_plan(gold: dict) -> bool:
    """A parser-format document (a reviewer's corrected parse) rather than a hand-labelled file."""
    return "schema_version" in gold and isinstance(gold.get("source"), dict) and "sha256" in gold["source"]


def find_parsed_source(gold: dict, corpus_dirs: list[Path], by_hash: dict[str, Path]) -> Path | None:
    """The plan a parsed document came from: by its file name, else by the SHA-256 of the
    normalised text (`by_hash` caches the corpus's hashes across calls)."""
    path = gold["source"].get("path")
    if path and not path.startswith("<"):
        found = find_source(Path(path).stem, corpus_dirs)
        if found is not None:
            return found
    if not by_hash:
        by_hash.update(_hash_corpus(corpus_dirs))
    return by_hash.get(gold["source"]["sha256"])


def _hash_corpus(corpus_dirs: list[Path]) -> dict[str, Path]:
    hashes = {}
    for directory in corpus_dirs:
        for candidate in sorted(Path(directory).iterdir()):
            if candidate.suffix.lower() in SOURCE_SUFFIXES:
                try:
                    text = normalize(read_path(candidate)).text
                except VnPlanParseError:
                    continue
                hashes.setdefault(hashlib.sha256(text.encode("utf-8")).hexdigest(), candidate)
    return hashes


def evaluate(gold_dir: Path, corpus_dirs: list[Path], *, target_filter: bool = True) -> Report:
    """Score against every gold file: hand-labelled ones (found in the corpus by their `doc`
    name) and parser-format ones, such as a reviewer's corrected parse (found by file name or
    text hash, and scored on every part). target_filter=False scores the rules' targets before
    the learned filter."""
    report = Report()
    by_hash: dict[str, Path] = {}
    for gold_path in sorted(Path(gold_dir).glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        if is_parsed_plan(gold):
            source = find_parsed_source(gold, corpus_dirs, by_hash)
            stem = source.stem if source else gold_path.stem
        else:
            stem = gold.get("doc") or gold_path.stem
            source = find_source(stem, corpus_dirs)
        result = DocResult(stem)
        report.documents.append(result)
        if source is None:
            result.error = "source not found in the corpus directories"
            continue
        try:
            predicted = parse(source, target_filter=target_filter).model_dump(mode="json")
        except VnPlanParseError as exc:
            result.error = str(exc)
            continue
        score_document(gold, predicted, result)
    return report


def error_kinds(report: Report) -> Counter[str]:
    """How often each kind of miss occurs: "missed target", "targets.year", "spurious section" …"""
    return Counter(miss.split(":", 1)[0] for doc in report.documents for miss in doc.misses)


def format_report(report: Report) -> str:
    lines = []
    names = [n for n in PART_NAMES
             if any(n in d.parts for d in report.documents)]
    header = f"{'document':<28}" + "".join(f"{n[:12]:>14}" for n in names)
    lines.append("F1 per document and part")
    lines.append(header)
    for doc in report.documents:
        if doc.error:
            lines.append(f"{doc.doc:<28}  error: {doc.error}")
            continue
        cells = "".join(f"{doc.parts[n].f1:>14.3f}" if n in doc.parts else f"{'-':>14}" for n in names)
        lines.append(f"{doc.doc:<28}{cells}")
    lines.append("")
    lines.append(f"{'overall':<24}{'P':>8}{'R':>8}{'F1':>8}{'tp':>6}{'fp':>6}{'fn':>6}")
    for n in names:
        s = report.part(n)
        lines.append(f"{n:<24}{s.precision:>8.3f}{s.recall:>8.3f}{s.f1:>8.3f}{s.tp:>6}{s.fp:>6}{s.fn:>6}")
    lines.append("")
    lines.append(f"{'attribute accuracy':<32}{'acc':>8}{'right':>8}{'of':>6}")
    for n in report.attribute_names():
        a = report.attribute(n)
        lines.append(f"{n:<32}{a.value:>8.3f}{a.right:>8}{a.total:>6}")
    return "\n".join(lines)
