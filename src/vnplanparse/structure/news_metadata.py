"""Metadata of documents without a header block: a news article (the document it reports, named in its headline, lead or prose, never the article's own dateline) and a headerless text (its plain heading, the body that directs it)."""

from __future__ import annotations

from collections import Counter
from functools import cache

import regex

from . import documents
from .. import grammar
from ..extraction import places
from ..model.plan import Metadata


@cache
def _news_issue() -> regex.Pattern[str]:
    # prose writes the type in lower case too ("vừa ký quyết định ban hành …")
    types = documents.types_alternation() + "|" + documents.types_alternation().lower()
    number = documents.number_re().pattern
    date = documents.date_re().pattern
    issuer = grammar.load("documents")["news_issuer"]["pattern"]
    office = grammar.alternation(grammar.load("documents")["signing_offices"])
    person = r"\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}*){1,4}"
    return regex.compile(
        rf"(?:[Nn]gày\s+(?P<date1>{date}),?\s+)?"
        # "Tổng cục trưởng Tổng cục Hải quan Nguyễn Văn A vừa ký …": the body issues, the person signs
        rf"(?:(?P<office>{office})\s+)?(?P<issuer>{issuer})(?(office)(?:\s+(?P<signer>{person}))?)"
        rf"\s+(?:vừa\s+|đã\s+|mới\s+)*(?:ký\s+)?(?:ban hành|phê duyệt|ký)\s+(?P<type>{types})"
        rf"(?:\s+(?:số\s+)?(?P<number>{number}))?"
        # a portal's year tag after the number ("Nghị quyết 281/NQ-CP năm 2025") is not the title
        rf"(?:\s+năm\s+\d{{4}})?"
        rf"(?:\s*,?\s+ngày\s+(?P<date2>{date}))?"
        # "… ban hành Chương trình hành động của Chính phủ thực hiện …": the issuer again, not the title
        rf"(?:\s+của\s+(?:{issuer}))?"
        rf"\s*,?\s*(?P<title>(?:về|thực hiện|triển khai|nhằm|ban hành|phê duyệt)\b{_PROSE_TITLE})?"
    )


# A trích yếu in prose runs to the sentence end (a date's dots are no end) or to a clause that
# comments on the document (", trong đó …", ", theo đó …").
# A comma before the body that issued it ("…, Hội nghị lần thứ tám, Ban Chấp hành Trung ương …")
# or before a verb ("…, được Bộ … tổ chức"), and the sentence's own verb ("… năm 2021 được xem
# là …", "… đã đạt"), and the short name it is given ("(gọi tắt là …)"), end it too.
_PROSE_TITLE = (
    r"(?:[^.;\n?]|\.(?=\S))*?(?=\s*(?:[;\n?]|\.(?!\S)|$|,\s*(?:trong đó|theo đó|với|nhằm|gồm|được|do|đã"
    r"|Hội nghị|Ban Chấp hành|Bộ Chính trị|Ban Bí thư)\b|\s+(?:được (?:xem|coi|đánh giá) là|là|đã|vừa|sẽ)\s"
    r"|\s*\((?:gọi tắt|sau đây)))"
)


@cache
def _plain_heading() -> regex.Pattern[str]:
    types = documents.types_alternation()
    spec = grammar.load("documents")["plain_issuer"]["pattern"]
    return regex.compile(rf"\A\s*(?P<type>{types})\s+(?P<title>\p{{Ll}}[^\n]*?)\s*\n\s*{spec}")


def _from_plain_heading(head: str, meta: Metadata) -> None:
    """An old document kept as plain text without its header: its first line is the type and
    trích yếu ("Nghị quyết về …"), the next the issuing council or committee, perhaps with its term."""
    m = _plain_heading().match(head)
    if not m:
        return
    meta.doc_type = documents.sentence_case_type(m.group("type"))
    meta.title = m.group("title")
    body, place = m.group("body"), m.group("place")
    meta.issuer = f"{body} {m.group('level')} {place.title()}" if place else f"{body} {m.group('level')}"


@cache
def _self_reference() -> regex.Pattern[str]:
    return regex.compile(rf"\b(?P<type>{documents.types_alternation()})\s+này\b")


def _self_named_type(text: str) -> str | None:
    """A body kept without its header still names its own type ("… nêu trong Nghị quyết này")."""
    m = _self_reference().search(text)
    return documents.sentence_case_type(m.group("type")) if m else None


def _from_news_prose(text: str, meta: Metadata) -> None:
    m = _news_issue().search(text[:20000])
    if not m:
        return
    meta.issuer = m.group("issuer")
    meta.doc_type = documents.sentence_case_type(m.group("type"))
    if m.group("number"):
        meta.doc_number = documents.clean_number(m.group("number"))
    date_text = m.group("date2") or m.group("date1")
    if date_text:
        meta.issued_date = documents.iso_date(documents.date_re().search(date_text))
    if m.group("title"):
        meta.title = m.group("title").strip().rstrip(",") or None
    if m.group("signer") and meta.signer is None:
        meta.signer = m.group("signer")


@cache
def _headline_document() -> regex.Pattern[str]:
    types = documents.types_alternation()
    return regex.compile(rf"(?P<type>{types})\s+(?:số\s+)?(?P<number>{documents.number_re().pattern})")


@cache
def _short_number_document() -> regex.Pattern[str]:
    return regex.compile(rf"(?P<type>{documents.types_alternation()})\s+(?:số\s+)?(?P<short>\d{{1,4}})(?![\d/\-.,]\w)")


_LEAD_ZONE = 600


def _from_headline(text: str, meta: Metadata) -> None:
    """A news page whose headline names a document by its number is about that document; a
    headline or lead naming it by its bare serial ("Nghị quyết 35 …") is about the one the
    article then cites in full ("Nghị quyết số 35/NQ-CP …")."""
    headline = next((line for line in text.split("\n") if line.strip()), "")
    if m := _headline_document().search(headline):
        meta.doc_number = documents.clean_number(m.group("number"))
        meta.doc_type = meta.doc_type or documents.sentence_case_type(m.group("type"))
        return
    lead = text[: len(headline) + _LEAD_ZONE] if len(headline) < _LEAD_ZONE else headline
    if not (m := _short_number_document().search(lead)):
        return
    for full in _headline_document().finditer(text[:20000]):
        number = documents.clean_number(full.group("number"))
        if full.group("type") == m.group("type") and regex.match(rf"{m.group('short')}[/\-]", number):
            meta.doc_number = number
            meta.doc_type = meta.doc_type or documents.sentence_case_type(m.group("type"))
            return


@cache
def _mention_details() -> regex.Pattern[str]:
    date = documents.date_re().pattern
    issuer = grammar.load("documents")["news_issuer"]["pattern"]
    return regex.compile(
        rf"(?:\s*,?\s*ngày\s+(?P<date>{date}))?(?:\s+năm\s+\d{{4}})?(?:\s+của\s+(?P<issuer>{issuer}))?"
        rf"\s*,?\s*(?P<title>về\b{_PROSE_TITLE})?(?:,\s*Hội nghị[^,.\n]{{0,60}},\s*(?P<issuer2>{issuer}))?"
    )


def _from_mentions(text: str, meta: Metadata) -> None:
    """A news article names the document it is about where it cites it: the date, the body and
    the trích yếu beside the number ("Nghị quyết 36-NQ/TW, ngày 22/10/2018 về …, Hội nghị lần thứ
    tám, Ban Chấp hành Trung ương Đảng khóa XII …", "Nghị quyết 02/NQ-CP của Chính phủ"); else a
    number whose issuer code is one body's names that body."""
    number = regex.escape(meta.doc_number).replace("/", r"\s?/\s?").replace("\\-", r"\s?-\s?")
    titles: list[str] = []
    for m in regex.finditer(number + r"(?![\w/\-])", text[:20000]):
        d = _mention_details().match(text, m.end())
        if meta.issued_date is None and d.group("date"):
            meta.issued_date = documents.iso_date(documents.date_re().match(d.group("date")))
        if meta.issuer is None and (d.group("issuer") or d.group("issuer2")):
            meta.issuer = d.group("issuer") or d.group("issuer2")
        if d.group("title"):
            titles.append(d.group("title").strip().rstrip(","))
    if meta.title is None and titles:
        # the citations repeat the trích yếu; a sentence may run on after one of them ("… 2045
        # xác định ba khâu đột phá là gì"): the shortest is the trích yếu alone
        meta.title = min(titles, key=len)
    if meta.issuer is None:
        codes = grammar.load("documents")["issuer_codes"]
        for part in regex.split(r"[/\-]", meta.doc_number)[1:]:
            meta.issuer = next((body for code, body in codes.items() if regex.fullmatch(code, part)), None)
            if meta.issuer:
                break


def _body_that_directs(text: str) -> str | None:
    """A resolution's body kept without its header names the body that issues it where it
    directs ("Bộ Chính trị yêu cầu …", "Ban Bí thư giao …")."""
    issuer = grammar.load("documents")["news_issuer"]["pattern"]
    m = regex.search(rf"(?m)(?:^|(?<=[.,;:]\s))(?P<body>{issuer})\s+(?:yêu cầu|giao|quyết nghị|chỉ thị|kết luận)\b", text[:50000])
    return m.group("body") if m else None


@cache
def _aim_setter() -> regex.Pattern[str]:
    spec = grammar.load("documents")["news_aim_setter"]
    bodies = spec["bodies"].replace("{place}", spec["place"])
    issuer = grammar.load("documents")["news_issuer"]["pattern"]
    return regex.compile(rf"(?P<body>{bodies}|{issuer})\s+(?:{spec['verbs']})")


def _body_setting_aims(text: str) -> str | None:
    """An article that names no issued document: the body its headline, or a line or sentence
    of its lead, opens with as the subject that sets the aims ("<Body> phấn đấu …")."""
    headline = next((line for line in text.split("\n") if line.strip()), "")
    starts = regex.compile(r"(?m)^[ \t]*|(?<=[.!?][ \t])")
    lead_end = text.find(headline) + len(headline) + _LEAD_ZONE
    for start in starts.finditer(text, 0, lead_end):
        if m := _aim_setter().match(text, start.end()):
            return m.group("body")
    return None


@cache
def _document_of() -> regex.Pattern[str]:
    types = documents.types_alternation() + "|" + documents.types_alternation().lower()
    issuer = grammar.load("documents")["news_issuer"]["pattern"]
    pattern = grammar.load("documents")["news_document_of"].replace("{types}", types).replace("{issuer}", issuer)
    return regex.compile("(?m)" + pattern)


def _from_document_of(text: str, meta: Metadata) -> None:
    """An article that names no issued document but opens a sentence with one's kind and body
    ("Báo cáo của UBND huyện … cho thấy …"): that document's type and issuer."""
    if m := _document_of().search(text[: _LEAD_ZONE * 5]):
        meta.doc_type = documents.sentence_case_type(m.group("type"))
        meta.issuer = m.group("issuer")


def _province(issuer: str | None, text: str) -> str | None:
    levels = grammar.alternation(grammar.load("documents")["place_levels"])
    place_name = r"(?P<place>\p{Lu}\p{Ll}*(?:[ \t]+\p{Lu}\p{Ll}*){0,3})"
    place = rf"(?:{levels})[ \t]*{place_name}"
    if issuer:
        m = regex.search(place + r"\s*$", issuer)
        if m:
            return m.group("place")
        m = regex.search(r"(?:TPHCM|TP\.?\s?HCM)\b", issuer)
        if m:
            return "Hồ Chí Minh"
        # a body news names by its province alone ("Hải quan Quảng Ninh"), not by a district's name
        m = regex.search(r"(?<!\b(?:huyện|quận|thị xã|xã|phường|thị trấn)\s)" + place_name + r"\s*$", issuer)
        if m and (named := next((p for p in _trailing_names(m.group("place")) if places.province(p)), None)):
            return named
        if not regex.search(r"\b(?:tỉnh|thành phố|UBND|Ủy ban nhân dân|HĐND|Tỉnh ủy|Tỉnh uỷ|Thành ủy|Thành uỷ)\s*$", issuer):
            return None
        m = regex.search(r"trên địa bàn\s+" + place, text[:20000])
        if m:
            return m.group("place")
        # a provincial body named without its province ("Ban Thường vụ Tỉnh ủy"): the province
        # the article names most ("… của tỉnh Bình Định")
        named = Counter(
            m.group("place") for m in regex.finditer(r"\b(?:tỉnh|thành phố)\s+" + place_name, text[:20000])
            if places.province(m.group("place"))
        )
        if named:
            return named.most_common(1)[0][0]
    return None


def _trailing_names(words: str) -> list[str]:
    """The names a run of words ends with, the longest first ("Cảng Quảng Ninh" → "Cảng Quảng Ninh", "Quảng Ninh", "Ninh")."""
    parts = words.split()
    return [" ".join(parts[i:]) for i in range(len(parts))]
