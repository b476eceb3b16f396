"""Targets (chỉ tiêu), ../shared/ANNOTATION.md §3, in layers each importing only those below it.

patterns.py (the rules' patterns) -> time.py (a candidate, its scope and time) -> indicators.py
(indicator, comparator, direction) -> not_target.py (what is not a target) -> candidates.py ->
segments.py (lines into clauses and segments) -> table_cells.py -> extract.py (extract_targets).
Hands on: Target items with offsets."""
