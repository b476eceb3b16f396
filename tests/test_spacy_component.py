"""The spaCy component on the sample plans: spans at the JSON's offsets with its labels."""

import pytest
from conftest import ROOT

spacy = pytest.importorskip("spacy")

from vnplanparse import parse  # noqa: E402
from vnplanparse.cli import main  # noqa: E402
from vnplanparse.output.emit import document_json  # noqa: E402
from vnplanparse.output.spacy_component import plan_doc  # noqa: E402

SAMPLES = [ROOT / "corpus" / name for name in ("000_9e2d25597e957ed8.txt", "050_html_tables.html")]


@pytest.fixture(scope="module")
def nlp():
    # the factory and the tokenizer are found by name, through the package's entry points
    pipeline = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "vnplanparse.PlanTokenizer.v1"}}})
    pipeline.add_pipe("vnplanparse")
    return pipeline


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_spans_match_the_json(nlp, sample):
    plan = parse(sample, keep_text=True)
    doc = plan_doc(nlp, sample)
    assert [(s.start_char, s.end_char, s.label_) for s in doc.spans["targets"]] == [
        (*t.span, "TARGET") for t in plan.targets]
    assert [(s.start_char, s.end_char) for s in doc.spans["references"]] == [tuple(r.span) for r in plan.references]
    names = {(a, "LEAD") for x in plan.assignments for a in x.lead} | {
        (a, "PARTNER") for x in plan.assignments for a in x.partners}
    assert doc.spans["agencies"] and {(s.text, s.label_) for s in doc.spans["agencies"]} <= names
    assert doc.ents and all(e.label_ in {"TARGET", "LEAD", "PARTNER", "REFERENCE"} for e in doc.ents)
    assert doc._.plan.source.sha256 == plan.source.sha256


def test_a_plain_text_plan_goes_straight_through(nlp):
    plan = parse(SAMPLES[0], keep_text=True)
    doc = nlp(plan.source.text)
    assert [(s.start_char, s.end_char) for s in doc.spans["targets"]] == [tuple(t.span) for t in plan.targets]


def test_a_doc_of_other_text_gets_the_plan_and_no_spans(nlp):
    with pytest.warns(UserWarning, match="normalised text"):
        doc = nlp("Phấn đấu đến năm 2025,\r\ntỷ lệ hộ nghèo giảm còn 2%.")
    assert doc._.plan.targets and not doc.ents


def test_export_to_spacy_writes_a_docbin(tmp_path, capsys):
    from spacy.tokens import DocBin

    plans = []
    for sample in SAMPLES:
        path = tmp_path / f"{sample.stem}.json"
        path.write_text(document_json(parse(sample, keep_text=True)), encoding="utf-8")
        plans.append(path)
    textless = tmp_path / "textless.json"
    textless.write_text(document_json(parse(SAMPLES[0])), encoding="utf-8")
    out = tmp_path / "plans.spacy"
    assert main(["export", *map(str, plans), str(textless), "--to-spacy", str(out)]) == 0
    assert "--emit-text" in capsys.readouterr().err
    docs = list(DocBin().from_disk(out).get_docs(spacy.blank("xx").vocab))
    assert [len(d.spans["targets"]) for d in docs] == [len(parse(s).targets) for s in SAMPLES]
