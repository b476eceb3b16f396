"""Deadline precision and kind (grammars/deadlines.yaml): what `deadline_date` can be trusted to
say, and whether the limit is met once, recurs, or never ends."""

from __future__ import annotations

from typing import Literal

from .. import grammar

Precision = Literal["year", "quarter", "month", "day"]
Kind = Literal["once", "recurring", "ongoing"]
_QUARTER_END_MONTH = {"I": 3, "II": 6, "III": 9, "IV": 12, "1": 3, "2": 6, "3": 9, "4": 12}


def precision(deadline: str | None, deadline_date: str | None) -> Precision | None:
    """year for `2025`, day for `2025-11-30`; `2025-06` is a quarter when the deadline wrote that
    quarter (`Quý II/2025`) and no month, else a month."""
    if deadline_date is None:
        return None
    if len(deadline_date) == 4:
        return "year"
    if len(deadline_date) == 10:
        return "day"
    year, month = int(deadline_date[:4]), int(deadline_date[5:7])
    for m in grammar.compiled("deadlines", "quarter").finditer(deadline or ""):
        if (int(m.group("year")), _QUARTER_END_MONTH[m.group("quarter").upper()]) == (year, month):
            return "quarter"
    return "month"


def kind(deadline: str | None, deadline_date: str | None) -> Kind | None:
    """ongoing before recurring: "Thường xuyên, hằng năm" is work that never stops."""
    if not deadline:
        return None
    if grammar.compiled("deadlines", "ongoing").search(deadline):
        return "ongoing"
    if grammar.compiled("deadlines", "recurring").search(deadline):
        return "recurring"
    return "once" if deadline_date else None
