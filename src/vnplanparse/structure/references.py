"""Extract: the documents a plan cites ("Nghị quyết số 02-NQ/TU ngày 17/8/2021 của …")."""

from __future__ import annotations

import hashlib
from functools import cache

import regex

from ..model.plan import Reference
from . import documents
from .. import grammar

@cache
def _issuer_stop() -> str:
    # the issuer ends before the trích yếu, a verb, punctuation, a footnote mark ("Chính phủ[1]",
    # "UBND tỉnh2"), a capitalised trích yếu ("… của Thủ tướng Chính phủ Phê duyệt …") or the
    # next document named ("… của Chính phủ và Chương trình số …")
    types = documents.types_alternation()
    return (
        r"(?=\s+(?:về|về việc|phê duyệt|ban hành|quy định|thực hiện|triển khai|sửa đổi|hướng dẫn|xây dựng|tại|đã|"
        r"để|nhằm|theo|đối với|giai đoạn|trên|là|thì|đến|năm|Về|Phê duyệt|Ban hành|Quy định|Kết luận|Thông báo"
        rf"|và\s+(?:{types})|và(?!\s+[A-ZĐ]))\b|\s*[,;().:\n“\"”|\[]|(?<=\p{{Ll}})\d{{1,2}}\b|$)"
    )


# A law's or ordinance's name stands between its type and its number ("Luật Thủ đô số 39/2024/QH15"):
# it is no issuer.
_NAMED_BY_TITLE = ("Luật", "Pháp lệnh", "Bộ luật")


def _title_cased_types() -> str:
    """The types as a hand that capitalises every word writes them ("Nghị Định số 88/…")."""
    written = grammar.load("documents")["types"]
    cased = {" ".join(w[:1].upper() + w[1:] for w in t.split()) for t in written} - set(written)
    return grammar.alternation(sorted(cased))


@cache
def _citation_re() -> regex.Pattern[str]:
    types = documents.types_alternation()
    number = documents.number_re().pattern
    date = documents.date_re().pattern
    cased = _title_cased_types()
    return regex.compile(
        rf"(?P<type>{types}|{cased})"
        # a name between type and number holds no other type word: there another document is
        # named ("Luật Nhà ở 2023, Nghị định 100/2024/NĐ-CP", "Luật HTX và Nghị Định số 88/…")
        rf"(?:\s+(?P<pre>(?:liên\s+\S+|[A-ZĐ]\S*)(?:\s+(?!(?:{types}|{cased}|[Ss]ố)\b)\S+){{0,5}}))?"
        # and lower-case words before "số": a kind of the document ("Báo cáo thẩm tra số 117/BC-…")
        # or the end of a long name ("Luật Ban hành văn bản quy phạm pháp luật số …")
        rf"(?:\s+\p{{Ll}}+(?:\s+\p{{Ll}}+)?(?=\s+[Ss]ố\s))?"
        rf"\s+(?:số\s+|Số\s+)?(?P<number>{number})"
        rf"(?:\s*,?\s*(?:ban hành\s+)?ngày\s+(?P<date>{date}))?(?:\s+năm\s+\d{{4}})?"
        rf"(?:\s+(?:của|giữa)\s+(?P<issuer>[^\s,;()\n][^,;()\n]{{0,80}}?){_issuer_stop()})?"
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
        pre = m.group("pre") if m.group("type") not in _NAMED_BY_TITLE else None
        issuer = (m.group("issuer") or pre or "").strip() or None
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
    _share_trailing_issuer(text, list(found.values()))
    return [ref for ref in found.values() if not _broken_copy(text, ref, found)]


def _broken_copy(text: str, ref: Reference, found: dict[str, Reference]) -> bool:
    """A number split by a stray space inside its code ("127-KH/T U") is the one written whole
    elsewhere ("127-KH/TU"), not another document."""
    tail = regex.match(r" (\p{Lu}{1,3})\b", text[ref.span[1] : ref.span[1] + 5])
    return bool(tail) and (ref.doc_number + tail.group(1)).upper() in found


def _share_trailing_issuer(text: str, refs: list[Reference]) -> None:
    """Documents cited in one run ("Thông tư số 38/… ngày … và Thông tư số 39/… ngày … của Bộ Tài
    chính") share the issuer written after the last of them."""
    by_start = sorted(refs, key=lambda r: r.span[0])
    for ref, nxt in reversed(list(zip(by_start, by_start[1:]))):  # from the last back along the run
        between = text[ref.span[1] : nxt.span[0]]
        if ref.issuer is None and nxt.issuer and regex.fullmatch(r"\s*(?:,|và|,\s*và)\s*", between):
            ref.issuer = nxt.issuer
