"""Assignments (chủ trì / phối hợp), ../shared/ANNOTATION.md: who leads and who partners a task.

base.py (patterns, the document context, a found assignment) -> tables.py (grids, pipe tables,
labelled fields) and prose.py (sentences and items) -> extract.py (extract_assignments and
parse_deadline). Hands on: Assignment items with offsets."""
