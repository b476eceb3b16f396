"""Property tests on hostile input (issue 19; strategies in benchmarks/hostile_inputs.py): huge
and odd numbers, encodings, mojibake, broken HTML, absurd rowspan/colspan, wide tables, deep
lists. Whatever comes in, `parse` refuses it with InputError or gives a document that is valid
(finite numbers only: RFC 8259 JSON), whose spans hold (test_properties.check_document).

Each test runs a quarter of the profile's examples (30 under the CI profile);
benchmarks/bench_hostile.py runs 10 000 of them and prints what it found."""

from __future__ import annotations

import json

import hostile_inputs as hostile
from hypothesis import given, settings
from test_properties import PLANS, check_document

from vnplanparse import InputError
from vnplanparse.output.emit import document_json

SOME = settings(max_examples=max(10, settings.default.max_examples // 4))


def holds(example: hostile.Example) -> None:
    try:
        document = hostile.parse_example(example)
    except InputError:
        return
    check_document(document)
    json.loads(document_json(document), parse_constant=lambda name: pytest_fail(name))  # strict JSON
    assert json.dumps(document.model_dump(mode="json"), allow_nan=False)


def pytest_fail(name: str) -> None:
    raise AssertionError(f"{name} in the output")


@SOME
@given(hostile.huge_numbers())
def test_huge_and_odd_numbers(example):
    holds(example)


@SOME
@given(hostile.encodings(PLANS))
def test_encodings(example):
    holds(example)


@SOME
@given(hostile.mojibake(PLANS))
def test_mojibake(example):
    holds(example)


@SOME
@given(hostile.broken_html())
def test_unclosed_and_misnested_html(example):
    holds(example)


@SOME
@given(hostile.absurd_spans())
def test_absurd_rowspan_and_colspan(example):
    holds(example)


@SOME
@given(hostile.wide_tables())
def test_wide_tables(example):
    holds(example)


@SOME
@given(hostile.deep_lists(max_depth=500, max_lines=40))
def test_deep_lists(example):
    holds(example)
