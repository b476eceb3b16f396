"""Extract: the documents a plan cites ("Nghị quyết số 02-NQ/TU ngày 17/8/2021 của …")."""

from __future__ import annotations

import hashlib
from functools import cache

import regex

from . import documents
from .model import Reference

_ISSUER_STOP = (
    r"(?=\s+(?:về|về việc|phê duyệt|ban hành|quy định|thực hiện|triển khai|sửa đổi|hướng dẫn|tại|đã|để|"
    r"nhằm|theo|đối với|giai đoạn|trên|là|thì|đến|năm|và(?!\s+[A-ZĐ]))\b|\s*[,;().:\n“\"”|]|$)"
)


@cache
def _citation_re() -> regex.Pattern[str]:
    types = documents.types_alternation()
    number = documents.number_re().pattern
    date = documents.date_re().pattern
    return regex.compile(
        rf"(?P<type>{types})"
        rf"(?:\s+(?P<pre>(?:liên\s+\S+|[A-ZĐ]\S*)(?:\s+\S+){{0,5}}?))?"
        rf"\s+(?:số\s+|Số\s+)?(?P<number>{number})"
        rf"(?:\s*,?\s*(?:ban hành\s+)?ngày\s+(?P<date>{date}))?"
        rf"(?:\s+(?:của|giữa)\s+(?P<issuer>[^\s,;()\n][^,;()\n]{{0,80}}?){_ISSUER_STOP})?"
    )


def extract_references(text: str, own_number: str | None) -> list[Reference]:
    own = documents.number_key(own_number) if own_number else None
    found: dict[str, Reference] = {}
    for m in _citation_re().finditer(text):
        number = documents.clean_number(m.group("number"))
        key = number.upper()
        if key == own or regex.match(r"(?:QCVN|TCVN)", number):
            continue
        date = documents.iso_date(documents.date_re().match(m.group("date"))) if m.group("date") else None
        issuer = (m.group("issuer") or m.group("pre") or "").strip() or None
        if issuer and regex.match(r"(?:số|Số)\b", issuer):
            issuer = None
        if key in found:
            ref = found[key]
            if ref.date is None and date:
                ref.date = date
            if ref.issuer is None and issuer:
                ref.issuer = issuer
            continue
        found[key] = Reference(
            id="r-" + hashlib.sha1(key.encode()).hexdigest()[:10],
            doc_type=documents.sentence_case_type(m.group("type")),
            doc_number=number,
            date=date,
            issuer=issuer,
            span=(m.start(), m.end()),
        )
    return list(found.values())
