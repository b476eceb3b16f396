"""Items moved over from the tree the extractors read to the published section tree.

The segmenter leaves the preamble's dash lists out of the published tree (structure/sections.py)
but the extractors read the tree with them, so that no figure is read differently. A section
that is in both trees opens at the same offset; an item in a list left out is in no section."""

from __future__ import annotations

from ..model.plan import Assignment, Section, Target
from ..structure.markers import flatten
from .assignments.extract import with_ids as assignments_with_ids
from .targets.extract import _with_ids as targets_with_ids


def readdress(targets: list[Target], assignments: list[Assignment], reading: list[Section], published: list[Section]) -> None:
    """Sets each item's `section` to the published section of the same start, and its id anew
    (an id is derived from the item's place)."""
    start_of = {s.id: s.span[0] for s in flatten(reading)}
    published_at = {s.span[0]: s.id for s in flatten(published)}
    for item in [*targets, *assignments]:
        item.section = published_at.get(start_of[item.section]) if item.section is not None else None
    targets_with_ids(targets)
    assignments_with_ids(assignments)
