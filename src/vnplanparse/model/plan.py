"""Pydantic models of a parsed plan: the output contract of ../shared/ANNOTATION.md.

`schemas/plan.schema.json` is generated from these models (`python -m vnplanparse.model.schema`);
a test fails when the two drift apart.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_serializer

SCHEMA_VERSION = "1.0"

Span = tuple[int, int]
Comparator = Literal["eq", "gt", "gte", "lt", "lte", "approx", "range"]
Direction = Literal["reach", "increase", "decrease", "maintain"]
# JSON (RFC 8259) has no Infinity or NaN: the model refuses them, the schema bounds say so
_Finite = Annotated[float, Field(allow_inf_nan=False)]
_FLOAT_RANGE = {"minimum": -sys.float_info.max, "maximum": sys.float_info.max}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Metadata(_Strict):
    doc_number: str | None = Field(None, description="Số / Số hiệu, as written, e.g. 77/KH-UBND")
    doc_type: str | None = Field(None, description="Loại văn bản or the title word, e.g. Kế hoạch")
    issuer: str | None = Field(None, description="Issuing body as written in the header")
    province: str | None = Field(None, description="Province or city named by the issuer")
    issued_date: str | None = Field(None, description="ISO date YYYY-MM-DD")
    signer: str | None = Field(None, description="Người ký")
    title: str | None = Field(None, description="Trích yếu: the line(s) after the document-type word")
    province_code: str | None = Field(
        None, description="GSO code of the province, in the list of the issue date (63 before 2025-07-01, 34 after)"
    )
    province_2025: str | None = Field(None, description="The province of 2025 (34) that holds it")
    province_code_2025: str | None = Field(None, description="GSO code of province_2025")


class Section(_Strict):
    id: str = Field(description="Path of markers joined by '.', e.g. II.3.a")
    marker: str = Field(description="Marker as written: 'II.', '3.', 'a)', '(1)', '-', '+'")
    level: int = Field(ge=1)
    title: str | None
    span: Span
    children: list[Section] = Field(default_factory=list)


class Period(_Strict):
    start: int | None
    end: int | None


class Target(_Strict):
    id: str = Field(description="Stable id derived from the target's place and content")
    section: str | None
    ordinal: str | None = None
    indicator: str | None
    value: int | _Finite = Field(json_schema_extra=_FLOAT_RANGE)
    value_max: int | _Finite | None = Field(None, json_schema_extra=_FLOAT_RANGE)
    comparator: Comparator = "eq"
    unit: str | None = None
    direction: Direction = "reach"
    year: int | None = None
    period: Period | None = None
    baseline_year: int | None = None
    annual: bool = False
    text: str
    span: Span
    source: Literal["prose", "table"] = "prose"
    value_canonical: int | float | None = Field(
        None, description="value in unit_canonical (grammars/canonical_units.yaml); null when no conversion is known"
    )
    value_max_canonical: int | float | None = None
    unit_canonical: str | None = Field(None, description="đồng, USD, kWh, kW, ha, tấn …; counts and shares unchanged")


class Assignment(_Strict):
    id: str
    section: str | None
    task: str | None
    lead: list[str]
    lead_expanded: list[str] = Field(
        default_factory=list, description="lead with known abbreviations expanded, same order"
    )
    partners: list[str] = Field(default_factory=list)
    partners_expanded: list[str] = Field(default_factory=list)
    deadline: str | None = None
    deadline_date: str | None = Field(
        None, description="ISO date or year parsed from deadline when unambiguous"
    )
    span: Span
    deadline_precision: Literal["year", "quarter", "month", "day"] | None = Field(
        None, description="what deadline_date says: a quarter is stored as its last month"
    )
    deadline_kind: Literal["once", "recurring", "ongoing"] | None = None


class Reference(_Strict):
    id: str
    doc_type: str | None
    doc_number: str
    date: str | None = None
    issuer: str | None = None
    span: Span


class Source(_Strict):
    path: str | None = None
    format: Literal["text", "markdown", "html", "docx", "doc", "pdf", "pdf-ocr"] = Field(
        description="The file's format: a rendering of text, or a document read (pdf-ocr: a scan read by OCR)")
    encoding: str
    sha256: str = Field(description="SHA-256 of the normalised text (UTF-8) the spans refer to")
    length: int = Field(description="Length of the normalised text in characters")
    text: str | None = Field(None, description="The normalised text, when asked for")
    pages: list[Span] | None = Field(None, description="For a PDF: each page's [start, end) in the normalised text")

    @model_serializer(mode="wrap")
    def _without_pages_unless_paged(self, handler):  # outputs of text plans stay as they were
        data = handler(self)
        if data.get("pages") is None:
            data.pop("pages", None)
        return data


class PlanDocument(_Strict):
    schema_version: Literal["1.0"] = SCHEMA_VERSION
    parser_version: str
    source: Source
    metadata: Metadata
    sections: list[Section]
    targets: list[Target]
    assignments: list[Assignment]
    references: list[Reference]
    warnings: list[str] = Field(default_factory=list)

    # The export tables' rows as pandas DataFrames (needs pandas: pip install 'vnplanparse[data]')
    def targets_frame(self) -> Any:
        return frame(self, "targets")

    def assignments_frame(self) -> Any:
        """One row per agency and role."""
        return frame(self, "assignments")

    def sections_frame(self) -> Any:
        return frame(self, "sections")

    def references_frame(self) -> Any:
        return frame(self, "references")


def frame(document: PlanDocument, table: str) -> Any:
    from ..output.frames import frame  # pandas and the table code load only when a frame is asked for

    return frame(document, table)
