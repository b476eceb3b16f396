"""spaCy: the parser as a pipeline component, and parsed plans as training data.

    import spacy, vnplanparse.output.spacy_component as vs
    nlp = vs.blank()                      # Vietnamese defaults, the plan tokenizer, no model, no pyvi
    nlp.add_pipe("vnplanparse")           # found through the `spacy_factories` entry point
    doc = nlp(text)                       # a plain-text plan, or, for any plan file:
    doc = vs.plan_doc(nlp, "plan.html")   # the Doc of its normalised text, parsed as HTML
    doc.spans["targets"], doc.spans["agencies"], doc.ents, doc._.plan

`spacy.blank("vi")` tokenizes with pyvi, which is not installed here; `blank()` keeps the
Vietnamese language data but uses `vnplanparse.PlanTokenizer.v1`: a token is a run of letters
and digits or one other character, so every span of the JSON starts and ends on a token
boundary and the spans' character offsets are exactly the JSON's. With another tokenizer the
spans are widened to whole tokens.

Offsets are into the normalised text: when the Doc's text is not that text (a raw file with CRLF
or Markdown marks), only doc._.plan is set and a warning says why."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import regex
import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span
from spacy.util import filter_spans, get_words_and_spaces, registry

from ..model.plan import PlanDocument
from .files import atomic_path

_TOKEN = regex.compile(r"[\p{L}\p{M}\p{N}]+|\S")
TARGET, LEAD, PARTNER, REFERENCE = "TARGET", "LEAD", "PARTNER", "REFERENCE"

if not Doc.has_extension("plan"):
    Doc.set_extension("plan", default=None)


class PlanTokenizer:
    def __init__(self, vocab: Any):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words, spaces = get_words_and_spaces(_TOKEN.findall(text), text)  # runs of spaces become tokens
        return Doc(self.vocab, words=words, spaces=spaces)


@registry.tokenizers("vnplanparse.PlanTokenizer.v1")
def create_plan_tokenizer() -> Any:
    return lambda nlp: PlanTokenizer(nlp.vocab)


def plan_doc(nlp: Language, source: Any) -> Doc:
    """The Doc of a plan (a path, text or bytes, as vnplanparse.parse takes): made from its
    normalised text, with doc._.plan set before the pipeline runs, so that an HTML or Markdown
    plan keeps the parse of its own format."""
    from ..pipeline import parse

    plan = parse(source, keep_text=True)
    doc = nlp.make_doc(plan.source.text)
    doc._.plan = plan
    return nlp(doc)


def blank() -> Language:
    """A blank Vietnamese pipeline with the plan tokenizer (no model, no pyvi)."""
    return spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "vnplanparse.PlanTokenizer.v1"}}})


@Language.factory("vnplanparse")
def make_plan_component(nlp: Language, name: str) -> PlanComponent:
    return PlanComponent()


class PlanComponent:
    """Parses the Doc's text (or takes the plan already in doc._.plan) and sets the spans."""

    def __call__(self, doc: Doc) -> Doc:
        if doc._.plan is None:
            from ..pipeline import parse_loaded
            from ..reading.load import from_string

            doc._.plan = parse_loaded(from_string(doc.text), keep_text=True)
        plan: PlanDocument = doc._.plan
        if plan.source.text is not None and plan.source.text != doc.text:
            warnings.warn("vnplanparse: the Doc's text is not the plan's normalised text; spans are left unset "
                          "(make the Doc from plan.source.text)", stacklevel=2)
            return doc
        set_spans(doc, plan)
        return doc


def set_spans(doc: Doc, plan: PlanDocument) -> None:
    targets = [_span(doc, t.span, TARGET) for t in plan.targets]
    agencies = [_span(doc, span, label) for span, label in agency_spans(doc.text, plan)]
    references = [_span(doc, r.span, REFERENCE) for r in plan.references]
    doc.spans["targets"] = [s for s in targets if s is not None]
    doc.spans["agencies"] = [s for s in agencies if s is not None]
    doc.spans["references"] = [s for s in references if s is not None]
    # entities may not overlap: the longest of overlapping spans wins (a target clause over an agency)
    doc.ents = filter_spans([*doc.spans["targets"], *doc.spans["agencies"], *doc.spans["references"]])


def agency_spans(text: str, plan: PlanDocument) -> list[tuple[tuple[int, int], str]]:
    """Where each lead and partner of an assignment is written (the JSON keeps names, not their
    offsets): inside the assignment's span, else the nearest before it in its section (a heading
    "Sở Y tế:" over its tasks), else the nearest after it in its section (a table's lead column)."""
    sections = dict(_section_spans(plan.sections))
    found = set()
    for assignment in plan.assignments:
        start, end = assignment.span
        outer_start, outer_end = sections.get(assignment.section or "", (start, end))
        for names, label in ((assignment.lead, LEAD), (assignment.partners, PARTNER)):
            for name in names:
                at = text.find(name, start, end)
                if at < 0:
                    at = text.rfind(name, min(outer_start, start), start)
                if at < 0:
                    at = text.find(name, end, max(outer_end, end))
                if at >= 0:
                    found.add(((at, at + len(name)), label))
    return sorted(found)


def _section_spans(sections: list) -> Any:
    for section in sections:
        yield section.id, tuple(section.span)
        yield from _section_spans(section.children)


def _span(doc: Doc, span: tuple[int, int], label: str) -> Span | None:
    return doc.char_span(span[0], span[1], label=label, alignment_mode="expand")


class DocBinWriter:
    """Parsed plans (JSON dicts with source.text) to one .spacy DocBin, written when the block ends."""

    def __init__(self, path: Path):
        self.path, self._nlp, self._bin = path, blank(), DocBin(store_user_data=False)

    def __enter__(self) -> DocBinWriter:
        return self

    def add(self, document: dict) -> str | None:
        """Add one plan; a reason when it cannot be (no normalised text in the JSON)."""
        plan = PlanDocument.model_validate(document)
        if plan.source.text is None:
            return "no source.text to make a Doc of: parse it with --emit-text"
        doc = self._nlp.make_doc(plan.source.text)
        set_spans(doc, plan)
        self._bin.add(doc)
        return None

    def __exit__(self, exc_type: type | None, *_: object) -> bool:
        if exc_type is None:
            with atomic_path(self.path) as tmp:
                tmp.write_bytes(self._bin.to_bytes())
        return False
