"""The short cuts of the hot normalising functions read as the general code they stand in for."""

from vnplanparse.normalising.grids import _grid_rows
from vnplanparse.normalising.layout import _Builder, _words_and_spaces
from vnplanparse.structure.markers import match_marker


def test_builder_cuts_words_as_the_space_pattern_does():
    b = _Builder()
    b.add("  Kế  hoạch\tsố ")
    b.add("5")
    b.add("a\x1cb  c")  # \x1c is a space to str.split(), not to \s: the slow way keeps "a\x1cb" whole
    assert "".join(b.parts) == "Kế hoạch số 5a\x1cb c"


def test_the_split_short_cut_agrees_with_the_slow_way_without_separators():
    for text in ["", " ", " \u00a0", "a", " a", "a ", "\ta\u3000b\n", "Sở  Y tế ", "\u2028x"]:
        words = text.split()
        assert _words_and_spaces(text) == (words, text[:1].isspace(), bool(words) and text[-1].isspace())


def test_grid_rows_of_three_cells():
    cell, gap = ["x"], [""]
    rows = _grid_rows([cell, cell, cell, gap, cell, cell, cell, gap, cell, cell, cell])
    assert [(r.start, r.end, r.table_width, r.opens_table) for r in rows] == [
        (0, 3, 3, True), (4, 7, 3, False), (8, 11, 3, False)]


def test_match_marker_memoised_gives_the_same_answer_again():
    for _ in range(2):  # the second answer comes from the memo
        assert match_marker("a) Tăng 5%") == ("letter", "a", 3)
        assert match_marker("Ii. Mục tiêu") == ("roman", "II", 4)
        assert match_marker("Tăng 5%") is None
