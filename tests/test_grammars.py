"""Every grammar file carries its own examples and counter-examples; this walks them all."""

import pytest
import regex

from vnplanparse.structure import documents
from vnplanparse import grammar, parse
from vnplanparse.structure.metadata import extract_metadata
from vnplanparse.structure.news_metadata import _aim_setter
from vnplanparse.structure.markers import flatten, match_marker

HEADINGS = grammar.load("headings")
SEARCHED = ("ordinal", "quoted_provision")  # found anywhere in a line, not at its start


@pytest.mark.parametrize("rule", HEADINGS["markers"], ids=lambda r: r["kind"])
def test_heading_marker_examples(rule):
    for line, value in rule["examples"].items():
        found = match_marker(line)
        assert found is not None, line
        assert found[0] == rule["kind"] or (rule["kind"] == "arabic" and value is None), line
        if value is not None:
            assert found[1] == value, line
    pattern = regex.compile(rule["pattern"])
    for line in rule["counter_examples"]:
        m = pattern.match(line)
        assert m is None or (rule["kind"] == "roman" and not m.group("value")), line


@pytest.mark.parametrize("key", ["ordinal", "attached_title", "closing", "quoted_provision"])
def test_heading_pattern_examples(key):
    pattern = grammar.compiled("headings", key)
    for text in HEADINGS[key]["examples"]:
        assert pattern.search(text) if key in SEARCHED else pattern.match(text), text
    for text in HEADINGS[key]["counter_examples"]:
        assert not (pattern.search(text) if key in SEARCHED else pattern.match(text)), text


@pytest.mark.parametrize("key", ["number", "date"])
def test_document_pattern_examples(key):
    spec = grammar.load("documents")[key]
    pattern = grammar.compiled("documents", key)
    for text in spec["examples"]:
        assert pattern.fullmatch(text), text
    for text in spec["counter_examples"]:
        assert not pattern.fullmatch(text), text


def test_type_codes_name_known_types():
    data = grammar.load("documents")
    for code, name in data["codes"].items():
        assert name in data["types"], code
    assert documents.type_from_number("77/KH-UBND") == "Kế hoạch"
    assert documents.sentence_case_type("CHƯƠNG TRÌNH HÀNH ĐỘNG") == "Chương trình hành động"


@pytest.mark.parametrize("key", ["news_issuer", "plain_issuer"])
def test_issuer_pattern_examples(key):
    spec = grammar.load("documents")[key]
    pattern = regex.compile(spec["pattern"])
    for text in spec["examples"]:
        assert pattern.match(text), text
    for text in spec["counter_examples"]:
        assert not pattern.fullmatch(text), text


@pytest.mark.parametrize("case", grammar.load("documents")["header_examples"], ids=lambda c: c["text"][:30])
def test_header_examples(case):
    meta = extract_metadata(case["text"], 0)
    for field, value in case["expect"].items():
        assert getattr(meta, field) == value, field


@pytest.mark.parametrize("case", HEADINGS["tree_examples"], ids=lambda c: c["text"][:30])
def test_tree_examples(case):
    sections = flatten(parse(case["text"], target_filter=False).sections)
    assert [s.id for s in sections] == case["ids"]
    titles = {s.id: s.title for s in sections}
    for section_id, title in case.get("titles", {}).items():
        assert titles[section_id] == title, section_id


def test_news_aim_setter_examples():
    spec = grammar.load("documents")["news_aim_setter"]
    for text, body in spec["examples"].items():
        m = _aim_setter().match(text)
        assert m is not None and m.group("body") == body, text
    for text in spec["counter_examples"]:
        assert _aim_setter().match(text) is None, text


# --- the trie-shaped alternation matches what the flat one matches (issue 23: cold start) ---

TRIE_WORDS = ["Sở", "Sở Y tế", "Sở Tài chính", "Sở Tài nguyên và Môi trường", "Ban", "Ban Dân tộc",
              "sở", "Bộ", "Bộ Y tế", "Ủy ban", "Ủy ban nhân dân", "UBND", "Ủy ban Mặt trận"]
TRIE_TEXTS = ["Sở Tài nguyên và Môi trường tỉnh", "Sở Tài chính", "Sở Tài", "sở Y tế", "SỞ Y TẾ",
              "Ủy ban nhân dân tỉnh", "Ủy ban Mặt", "UBND", "Ban Dân", "Bộ  Y\ttế", "Bộ\nY tế", "x"]


@pytest.mark.parametrize("caseless", [False, True])
@pytest.mark.parametrize("tail", ["", r"(?!\p{L})", r"[ \t]+tỉnh"])
def test_trie_alternation_matches_as_the_flat_one(caseless, tail):
    flags = regex.IGNORECASE if caseless else 0
    fold = str.lower if caseless else None
    flat = regex.compile(f"(?:{grammar.alternation(TRIE_WORDS)}){tail}".replace(r"\ ", r"[ \t]+"), flags)
    trie = regex.compile(f"(?:{grammar.trie_alternation(TRIE_WORDS, fold)}){tail}".replace(r"\ ", r"[ \t]+"), flags)
    for text in TRIE_TEXTS:
        for pos in range(len(text)):
            old, new = flat.match(text, pos), trie.match(text, pos)
            assert (old and old.span()) == (new and new.span()), (text, pos)
    assert len(trie.pattern) < len(flat.pattern)


def test_trie_fold_agrees_with_caseless_matching():
    """A caseless list's trie keys letters by str.lower: two letters share a node exactly when a
    case-insensitive pattern takes one for the other, else two branches could both match."""
    data = grammar.load("agencies")
    letters = sorted({c for key in ("known_fields", "group_nouns") for word in data[key] for c in word})
    letters = sorted(set(letters) | {c.upper() for c in letters})
    for a in letters:
        caseless = regex.compile(f"(?i:{regex.escape(a)})")
        for b in letters:
            assert bool(caseless.fullmatch(b)) == (a.lower() == b.lower()), (a, b)
