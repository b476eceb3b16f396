"""Extract: numeric targets (chỉ tiêu), ../shared/ANNOTATION.md §3.

A line of the body is cut into clauses (at ";", sentence ends and inline ordinals); each number
with a unit in a clause is a candidate; labels, citations, dates, ages, durations, qualifiers,
facts and policy norms are dropped; what is left is split into one segment per target, whose
words give the indicator, comparator, direction and time. Time not written in the segment is
inherited from the clause's lead-in, the item's lead-in, a lead-in line, the enclosing section
headings and finally the document title. Word lists and patterns live in grammars/targets.yaml,
grammars/units.yaml and grammars/numbers.yaml."""

from __future__ import annotations

import hashlib

from ...model.plan import Metadata, Section, Target
from ...normalising.tables import Row, Table
from ...structure.markers import in_zones
from .not_target import _without_past, _without_repeats
from .patterns import _TABLE_ROW
from .segments import _line_targets
from .table_cells import _row_targets, _table_targets
from .time import _Document


def extract_targets(
    text: str,
    sections: list[Section],
    metadata: Metadata,
    zones: list[tuple[int, int]] = (),
    tables: list[Table] = (),
    *,
    permissive: bool = False,
) -> list[Target]:
    """The targets of a plan. permissive=True turns off the decisions that a figure with a unit
    is no target (a past result or fact, a norm or condition, a method count, chrome, a repeat,
    a section or table of them): the learned filter's training reads the errors the rules would
    make on plans they were not fitted to from those candidates (scripts/train_target_filter.py).
    Never used to parse."""
    doc = _Document(text, sections, metadata, list(zones), permissive)
    targets: list[Target] = []
    table_rows: dict[int, tuple[Table, Row]] = {}  # line start -> its table and row
    for table in tables:
        for row in table.header + table.body:
            table_rows[text.rfind("\n", 0, row.start) + 1] = (table, row)
    read_tables: set[int] = set()
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip() or in_zones(start, doc.zones):
            continue
        found = table_rows.get(start)
        if found:
            table = found[0]
            if id(table) not in read_tables:
                read_tables.add(id(table))
                targets += _table_targets(doc, table)
        elif _TABLE_ROW in line:
            targets += _row_targets(doc, start, end)
        else:
            targets += _line_targets(doc, start, end)
    if not permissive:
        targets = _without_repeats(text, _without_past(text, targets, metadata))
    return _with_ids(targets)


# --- ids --------------------------------------------------------------------------------------

def _with_ids(targets: list[Target]) -> list[Target]:
    seen: dict[str, int] = {}
    for t in targets:
        written = " ".join(t.text.casefold().split())
        key = f"{t.section}|{written}|{t.value}|{t.value_max}|{t.unit}"
        if t.source == "table":  # a value cell ("100%") says little; its row and column say which
            key += f"|{t.indicator}|{t.year}"
        base = "t-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
        seen[base] = seen.get(base, 0) + 1
        t.id = base if seen[base] == 1 else f"{base}-{seen[base]}"
    return targets
