"""Evaluation: parsed plans scored against golden labels, and counts over many plans.

scores.py scores one document part by part, evaluate.py runs a corpus and formats the report,
agency_counts.py counts agencies across plans. Hands on: reports."""
