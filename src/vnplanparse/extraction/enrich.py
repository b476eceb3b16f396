"""Derived fields, set once a plan is extracted: canonical quantities, deadline precision and
kind, and the issuing province's codes. Each is a function of fields already in the document,
so the extracted fields are never touched."""

from __future__ import annotations

from ..model.plan import PlanDocument
from . import deadlines, places
from .quantities import canonical


def enrich(document: PlanDocument) -> PlanDocument:
    for target in document.targets:
        target.value_canonical, target.unit_canonical = canonical(target.value, target.unit)
        target.value_max_canonical = canonical(target.value_max, target.unit)[0]
    for assignment in document.assignments:
        assignment.deadline_precision = deadlines.precision(assignment.deadline, assignment.deadline_date)
        assignment.deadline_kind = deadlines.kind(assignment.deadline, assignment.deadline_date)
    metadata = document.metadata
    place = places.issuer_place(metadata.province, metadata.issuer, metadata.issued_date)
    if place is not None:
        metadata.province_code, metadata.province_2025, metadata.province_code_2025 = (
            place.code, place.name_2025, place.code_2025)
    return document
