"""Inputs that would cost minutes or gigabytes (issue 24): merged cells that claim a huge grid,
a whole plan on one line, a review page of thousands of highlights, and bidirectional controls
that would make a figure read backwards. Work is bounded here by counts, never by the clock;
benchmarks/bench_worst_cases.py measures how time grows."""

from __future__ import annotations

import copy
import json
import random
from html.parser import HTMLParser

import worst_cases
from conftest import ROOT

from vnplanparse import parse
from vnplanparse.extraction.targets import not_target as targets
from vnplanparse.reading.load import from_string
from vnplanparse.normalising.normalize import normalize
from vnplanparse.review.page import Mark, _marked_text, render
from vnplanparse.output.validate import violations

SAMPLE = sorted((ROOT / "corpus").glob("*.txt"))[0]

# --- merged cells ---------------------------------------------------------------------------------


def _layout(html: str):
    return normalize(from_string(html, name="page.html"))


def test_spans_are_clipped_to_the_rows_and_columns_a_table_has():
    # 5 rows × 3 cells, each rowspan=1000 colspan=1000: a colspan reaches no further than the
    # widest row (3 cells), a rowspan no further than the last row
    norm = _layout(worst_cases.html_spans(5))
    (table,) = norm.tables
    assert table.width == 45  # each row starts right of the 9 columns each row above holds down
    assert [[(c.column, c.colspan, c.rowspan) for c in row] for row in table.rows][1] == [
        (9, 3, 4), (12, 3, 4), (15, 3, 4)]
    assert not norm.warnings


def test_real_merges_keep_their_grid():
    html = ("<table><tr><td rowspan=2>TT</td><td colspan=2>Mục tiêu</td></tr>"
            "<tr><td>2025</td><td>2030</td></tr><tr><td>1</td><td>5%</td><td>7%</td></tr></table>")
    (table,) = _layout(html).tables
    assert table.width == 3
    assert [[c.column for c in row] for row in table.rows] == [[0, 1], [1, 2], [0, 1, 2]]


def test_a_grid_beyond_its_cap_ignores_the_spans_with_a_warning():
    norm = _layout(worst_cases.html_spans(1_000))
    (table,) = norm.tables
    assert table.width == 3 and len(table.rows) == 1_000
    assert all(c.colspan == c.rowspan == 1 for row in table.rows for c in row)
    assert any("rowspan and colspan are ignored" in w for w in norm.warnings)


def test_a_table_too_ragged_for_a_grid_stays_text_with_a_warning():
    html = ("<table><tr>" + "<td>x</td>" * 300 + "</tr>" + "<tr><td>Tỷ lệ hộ nghèo giảm 3%</td></tr>" * 2_000
            + "</table>")
    norm = _layout(html)
    assert not norm.tables
    assert norm.text.count("Tỷ lệ hộ nghèo giảm 3%") == 2_000
    assert any("too ragged" in w for w in norm.warnings)


def test_the_amplifying_tables_parse_to_documents():
    for rows in (5, 10, 20):
        document = parse(from_string(worst_cases.html_spans(rows), name="page.html"))
        assert document.source.length > 0


# --- one long line ----------------------------------------------------------------------------


def test_teasers_compare_each_distinct_indicator_once(monkeypatch):
    calls = []
    shared = targets._shared_words
    monkeypatch.setattr(targets, "_shared_words", lambda a, b: calls.append(1) or shared(a, b))
    kept = "Tỷ lệ hộ nghèo giảm còn 3% vào năm 2025."
    teaser = "(HDDTVN) – " + kept
    document = parse("Tin\n\n" + "\n\n".join([kept] * 300 + [teaser] * 300) + "\n", keep_text=True)
    assert len(document.targets) == 300  # the teasers went
    assert all(not document.source.text[: t.span[0]].endswith("– ") for t in document.targets)
    assert len(calls) <= 2  # 300 teasers × 300 others, before


def test_a_plan_on_one_line_keeps_its_targets():
    one_copy = parse(worst_cases.long_line(1))
    two = parse(worst_cases.long_line(2))
    assert one_copy.targets and len(two.targets) >= 2 * len(one_copy.targets)


# --- the review page ----------------------------------------------------------------------------------


class _OpenMarks(HTMLParser):
    """For each character of the page's text, the (part, item) of the marks open around it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.around, self.ids = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.stack.append((attrs["data-part"], attrs["data-item"]))
        if "id" in attrs:
            self.ids.append(attrs["id"])

    def handle_endtag(self, tag):
        self.stack.pop()

    def handle_data(self, data):
        self.around += [tuple(self.stack)] * len(data)


def test_highlights_nest_and_cross_as_their_spans_do():
    rng = random.Random(24)
    text = "Tỷ lệ hộ nghèo giảm còn 3% vào năm 2025; <b>" * 4
    for _ in range(200):
        marks = []
        for k in range(rng.randint(1, 12)):
            start = rng.randrange(len(text) - 1)
            part = rng.choice(("targets", "assignments", "references"))
            marks.append(Mark(start, rng.randint(start + 1, min(len(text), start + 40)), part, f"x-{k}", "", "t"))
        page = _OpenMarks()
        page.feed(_marked_text(text, marks))
        outermost_first = sorted(marks, key=lambda m: (m.start, -m.end, m.part, m.item))
        assert page.around == [tuple((m.part, m.item) for m in outermost_first if m.start <= i < m.end)
                               for i in range(len(text))]
        assert sorted(page.ids) == sorted(m.element_id for m in marks)


def test_a_page_of_five_thousand_highlights():
    document = parse(worst_cases.indicator_table(500), keep_text=True)
    assert len(document.targets) == 5_000
    page = render(document.source.text, document.model_dump(mode="json"))
    assert page.count('<mark id="hl-targets-') == 5_000


# --- bidirectional controls -------------------------------------------------------------------------------

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_bidi_controls_are_removed_from_the_text_with_a_warning():
    document = parse("KẾ HOẠCH\nI. MỤC TIÊU\n- Tỷ lệ hộ nghèo giảm còn \u202e50%\u202c vào năm 2025; " + BIDI + "\n",
                     keep_text=True)
    assert not set(BIDI) & set(document.source.text)
    assert [t.value for t in document.targets] == [50]
    assert any("11 bidirectional control" in w for w in document.warnings)


def test_bidi_controls_written_as_character_references_are_removed_too():
    html = "<p>I. MỤC TIÊU</p><table><tr><td>Tỷ lệ &#x202E;50%&#x202C;</td><td>x</td></tr></table>"
    document = parse(from_string(html, name="page.html"), keep_text=True)
    assert not set(BIDI) & set(document.source.text)
    assert any("2 bidirectional control" in w for w in document.warnings)


def test_the_review_page_shows_a_bidi_control_a_reviewer_typed_by_its_code():
    document = parse("KẾ HOẠCH\nI. MỤC TIÊU\n- Tỷ lệ hộ nghèo giảm còn 3% vào năm 2025.\n", keep_text=True)
    plan = document.model_dump(mode="json")
    plan["targets"][0]["indicator"] = "Tỷ lệ \u202e50%"
    page = render(document.source.text, plan)
    assert not set(BIDI) & set(page)
    # the list is drawn by the page's script from the data block, where the control is a JSON escape;
    # the script shows it as <U+202E> (test_review's hostile-plan test checks that in the browser)
    assert "\\u202e50%" in page


# --- corrections beyond any plan ---------------------------------------------------------------------------


def test_a_patch_nested_100_000_deep_is_refused_in_one_line(tmp_path, capsys):
    from vnplanparse.cli import main

    plan, patch = tmp_path / "plan.json", tmp_path / "deep.patch.json"
    plan.write_text(parse(SAMPLE).model_dump_json(), encoding="utf-8")
    patch.write_text('[{"op": "add", "path": "/metadata/title", "value": ' + "[" * 100_000 + "]" * 100_000 + "}]",
                     encoding="utf-8")
    shallow = tmp_path / "shallow.patch.json"
    shallow.write_text(json.dumps([{"op": "add", "path": "/metadata/title", "value": nested(100)}]), encoding="utf-8")
    for command in (["apply", str(plan), str(patch)], ["diff", str(plan), str(patch)], ["validate", str(shallow)]):
        assert main(command) == 1
        err = capsys.readouterr().err
        assert len(err.splitlines()) == 1 and "nested more than 64 levels deep" in err and "Recursion" not in err


def nested(depth: int) -> list:
    value: list = []
    for _ in range(depth - 1):
        value = [value]
    return value


def test_the_schema_bounds_what_no_plan_comes_near_and_checks_dates():
    document = parse(SAMPLE).model_dump(mode="json")
    assert not violations(document)
    assignment = document["assignments"][0]
    for path, value, words in [
        (("metadata", "title"), "x" * 50_000, "50000 characters is longer than 20000"),
        (("assignments", 0, "lead"), ["Sở Y tế"] * 2_000, "2000 items is more than 1000"),
        (("metadata", "issued_date"), "2022-02-30", "is not a 'date'"),
        (("metadata", "issued_date"), "6/5/2022", "does not match"),
        (("assignments", 0, "deadline_date"), "2025-13", "is not a 'partial-date'"),
    ]:
        broken = copy.deepcopy(document)
        *parents, last = path
        holder = broken
        for key in parents:
            holder = holder[key]
        holder[last] = value
        problems = violations(broken)
        assert any(words in p for p in problems), problems
        assert all(len(p) < 400 for p in problems)
    assert assignment["lead"]
    for deadline in ("2025", "2025-06", "2025-06-30"):
        ok = copy.deepcopy(document)
        ok["assignments"][0]["deadline_date"] = deadline
        assert not violations(ok)


def test_the_parser_keeps_its_own_output_within_the_bounds():
    # a task table whose cell holds a megabyte of spaces: the task would be a megabyte long
    document = parse(worst_cases.space_run(100_000))
    assert not violations(document.model_dump(mode="json"))
    assert not document.assignments
    assert any("assignment at [" in w and "characters is more than any plan's" in w for w in document.warnings)
