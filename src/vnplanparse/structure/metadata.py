"""Extract: header metadata, from the formal header block or a legal portal's info block; documents without a header go to news_metadata."""

from __future__ import annotations

from functools import cache

import regex

from . import documents
from .. import grammar
from ..model.plan import Metadata
from .news_metadata import (
    _body_setting_aims,
    _body_that_directs,
    _from_document_of,
    _from_headline,
    _from_mentions,
    _from_news_prose,
    _from_plain_heading,
    _province,
    _self_named_type,
)

_HEADER_ZONE = 6000

# The motto opposite the issuer in a header: the state's, or the Party's for Party bodies.
_MOTTO = regex.compile(
    r"CỘNG\s+H(?:ÒA|OÀ)\s+XÃ\s+HỘI\s+CHỦ\s+NGHĨA\s+VIỆT\s+NAM|ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM", regex.I
)

# "Số: 12/KH-UBND"; a law or the National Assembly's resolution writes its kind before it
# ("Luật số: 12/2024/QH15", "Nghị quyết số: 99/2024/QH15").
_NUMBER_LABEL = r"(?:(?:Luật|Nghị quyết|Pháp lệnh|Lệnh)\s+số|Số)"

_LETTER_SUBJECT = regex.compile(r"(?m)(?:^|\|)[ \t]*V/v[ \t.:]+(?P<subject>[^\n|]+)")

_WEEKDAY = r"(?i:thứ\s+(?:hai|ba|tư|năm|sáu|bảy)|chủ\s+nhật)"

_PERSON = r"(?P<name>\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}*){1,4})"

_SIGNING_TITLE = regex.compile(
    r"(?:CHỦ\s+TỊCH|THỦ\s+TƯỚNG|(?:BỘ|THỨ|TỔNG\s+CỤC|CỤC|CHI\s+CỤC|VIỆN|VỤ)\s+TRƯỞNG|GIÁM\s+ĐỐC|TRƯỞNG\s+BAN"
    r"|BÍ\s+THƯ|CHÁNH\s+VĂN\s+PHÒNG|CHỦ\s+NHIỆM|TỔNG\s+KIỂM\s+TOÁN)"
    r"\s*(?:\(Đã\s+ký\)\s*)?[\s|]*" + _PERSON + r"\s*(?:$|\n|\|)",
)


def _portal_field(labels: str) -> regex.Pattern[str]:
    # A portal's info block may be a table flattened into rows ("Số hiệu: | 432-TB/VPTW | Loại văn
    # bản: | …"): a label inside a row needs its colon, one at the line start does not.
    label = rf"(?:^(?:{labels})\s*:?|(?<=[\s|])(?:{labels})\s*:)"
    return regex.compile(rf"(?m){label}[ \t]*(?:\|[ \t]*)?\n?[ \t]*(?P<value>[^\n|]+?)[ \t]*(?:\||$)")


_PORTAL = {
    "number": _portal_field(r"Số hiệu|Số ký hiệu"),
    "type": _portal_field(r"Loại văn bản"),
    "issuer": _portal_field(r"Cơ quan ban hành|Nơi ban hành"),
    "signer": _portal_field(r"Người ký"),
    "date": _portal_field(r"Ngày ban hành"),
}


@cache
def _type_line() -> regex.Pattern[str]:
    types = documents.types_alternation().upper()
    return regex.compile(rf"(?m)^[ \t]*(?P<type>{types})[ \t]*$")


def extract_metadata(text: str, body_start: int) -> Metadata:
    head = text[: max(body_start, 0) or _HEADER_ZONE][:_HEADER_ZONE]
    portal = {k: (m.group("value").strip() if (m := p.search(head)) else None) for k, p in _PORTAL.items()}
    meta = Metadata()

    header_number = regex.search(rf"(?m)(?:^|\|)\s*{_NUMBER_LABEL}\s*:?\s*(?P<n>{documents.number_re().pattern})", head)
    if header_number:
        meta.doc_number = documents.clean_number(header_number.group("n"))
    elif portal["number"] and documents.number_re().fullmatch(portal["number"]):
        meta.doc_number = documents.clean_number(portal["number"])

    place_date = regex.search(r"(?P<place>\p{L}[\p{L} .]*),\s*ngày\s+" + documents.date_re().pattern, head)
    if place_date and regex.fullmatch(_WEEKDAY, place_date.group("place").strip()):
        place_date = None  # a news page's dateline ("Thứ hai, ngày 20/01/2025"), not a place of signing
    elif place_date and not regex.match(r"[ \t*_|]*(?:\n|$)", head[place_date.end() :]):
        place_date = None  # an article's dateline runs on into its lead ("Hà Nội, ngày 20/5/2025 (TTXVN) - …")
    if place_date:
        meta.issued_date = documents.iso_date(documents.date_re().search(place_date.group(0)))
    elif portal["date"] and (m := documents.date_re().search(portal["date"])):
        meta.issued_date = documents.iso_date(m)

    type_line = _type_line().search(head)
    if type_line:
        meta.doc_type = documents.sentence_case_type(type_line.group("type"))
        meta.title = _title_after(head, type_line.end())
    elif meta.doc_number and (subject := _LETTER_SUBJECT.search(head)):
        # an official letter has no type word: its trích yếu is the "V/v …" line under the number
        meta.title = "về việc " + subject.group("subject").strip()
        meta.doc_type = documents.type_from_number(meta.doc_number) or "Công văn"
    # the portal's "Loại văn bản" names the type; the title word may add to it ("THÔNG BÁO KẾT LUẬN")
    if portal["type"]:
        meta.doc_type = documents.sentence_case_type(portal["type"])

    meta.issuer = _header_issuer(head) or portal["issuer"] or _enacting_body(head)
    meta.signer = portal["signer"] if portal["signer"] and regex.fullmatch(_PERSON, portal["signer"]) else None
    if meta.signer is None:
        meta.signer = _signature(text)

    if meta.doc_number is None and meta.doc_type:
        _from_attachment_note(text, meta)
    if meta.doc_type is None and meta.issuer is None:
        _from_plain_heading(head, meta)
    if meta.doc_number is None and meta.issuer is None:
        _from_news_prose(text, meta)
    if meta.doc_number is None and meta.issuer is None:
        _from_headline(text, meta)
    if meta.doc_number and meta.issuer is None:
        _from_mentions(text, meta)
    if meta.doc_type is None and meta.doc_number:
        meta.doc_type = documents.type_from_number(meta.doc_number)
    if meta.doc_type is None and meta.doc_number is None and meta.issuer is None:
        meta.doc_type = _self_named_type(text)
        if meta.doc_type:
            meta.issuer = _body_that_directs(text)
    if meta.doc_type is None and meta.doc_number is None and meta.issuer is None:
        meta.issuer = _body_setting_aims(text)
    if meta.doc_type is None and meta.doc_number is None and meta.issuer is None:
        _from_document_of(text, meta)
    meta.province = _province(meta.issuer, text)
    return meta


def _header_issuer(head: str) -> str | None:
    """The issuer's lines opposite the motto: on the motto's line (the cell before it in a
    flattened table) and the upper-case lines above it, which a two-column header prints as
    "HỘI ĐỒNG NHÂN DÂN / TỈNH AN LẠC | CỘNG HÒA …" or, one column under the other, as
    "BAN CHẤP HÀNH TRUNG ƯƠNG / * / Số 40-KL/TW / ĐẢNG CỘNG SẢN VIỆT NAM"."""
    motto = _MOTTO.search(head)
    if not motto:
        return None
    line_start = head.rfind("\n", 0, motto.start()) + 1
    same_line = head[line_start : motto.start()]
    candidate_lines: list[str] = []
    if "|" in same_line:
        cells = [cell for cell in same_line.split("|") if cell.strip()]
        if cells and not _is_upper(cells[-1]):
            return None
        candidate_lines = cells[-1:]
    for line in reversed(head[:line_start].rstrip("\n").split("\n")):
        # a row above in a flattened table: its first cell is the issuer's column
        line = line.split("|")[0].strip() if "|" in line else line.strip()
        if not line or regex.fullmatch(r"[-_=*~ ]+", line) or regex.match(rf"{_NUMBER_LABEL}\b", line):
            if candidate_lines and not line:
                break
            continue
        if not _is_upper(line):
            break
        candidate_lines.insert(0, line)
        if len(candidate_lines) == 3:
            break
    if "|" in same_line:
        candidate_lines += _rows_under(head, motto.end())
    lines = [regex.sub(r"\s+", " ", regex.sub(r"[-_=]{3,}", " ", line)).strip(" |*") for line in candidate_lines]
    lines = [line for line in lines if line]
    if not lines or not all(_is_upper(line) for line in lines):
        return None
    return _sub_body_first(lines)


def _rows_under(head: str, after: int) -> list[str]:
    """In a header laid out as a table the issuer's column goes on in the rows under the motto's
    ("ỦY BAN NHÂN DÂN | CỘNG HÒA … / TỈNH AN LẠC | Độc lập …"), up to the number's row."""
    rows: list[str] = []
    for line in head[after:].split("\n")[1:6]:
        if "|" not in line:
            break
        first = line.split("|")[0].strip()
        if not first or regex.fullmatch(r"[-_=*~ ]+", first):
            continue
        if regex.match(rf"{_NUMBER_LABEL}\b", first) or not _is_upper(first):
            break
        rows.append(first)
    return rows[:2]


# A unit under its parent that is named in full on its own line ("BỘ TÀI CHÍNH / TỔNG CỤC HẢI
# QUAN", "TỔNG CỤC HẢI QUAN / CỤC HẢI QUAN TỈNH AN LẠC"): the lower line alone is its name.
_OWN_NAME = regex.compile(
    r"(?:TỔNG CỤC|CHI CỤC|CỤC)\s.*|(?!(?:TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG)\b).*\s(?:TỈNH|THÀNH PHỐ|TP\.?)\s+(?!ỦY|UỶ)\p{Lu}.*"
)


def _sub_body_first(lines: list[str]) -> str:
    """A body's office or department is printed under it ("BAN CHẤP HÀNH TRUNG ƯƠNG / VĂN PHÒNG",
    "UBND TỈNH TUYÊN QUANG / SỞ GIÁO DỤC VÀ ĐÀO TẠO") and named before it: "Văn phòng Ban Chấp
    hành Trung ương"; a provincial department is named by its province ("Sở … tỉnh Tuyên Quang"),
    a provincial Party committee's standing board by the province ("ĐẢNG BỘ TỈNH AN LẠC / BAN
    THƯỜNG VỤ TỈNH ỦY" -> "Ban Thường vụ Tỉnh ủy An Lạc")."""
    if len(lines) > 1 and _OWN_NAME.fullmatch(lines[-1]):
        return _body_case(lines[-1])
    raw = " ".join(lines)
    m = regex.match(
        r"(?P<parent>.+?)\s+(?<!(?:ỦY|UỶ)\s+)(?P<sub>(?:SỞ|VĂN PHÒNG|BAN(?!\s+NHÂN\s+DÂN))\s.*|VĂN PHÒNG)$", raw
    )
    if not m:
        return _body_case(raw)
    parent, sub = m.group("parent"), m.group("sub")
    party = regex.fullmatch(r"ĐẢNG BỘ\s+(?:TỈNH|THÀNH PHỐ)\s+(?P<place>.+)", parent)
    if party and regex.search(r"(?:TỈNH|THÀNH)\s+(?:ỦY|UỶ)$", sub):
        return f"{_name_case(sub)} {_normal_case(party.group('place'))}"
    if sub.startswith(("SỞ", "BAN")):  # "Sở … tỉnh X", "Ban Chỉ đạo … tỉnh X", not "… Ủy ban nhân dân tỉnh X"
        parent = regex.sub(r"^(?:UBND|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN)\s+", "", parent)
    return f"{_name_case(sub)} {_normal_case(parent)}"


def _body_case(upper: str) -> str:
    """A ministry, a department or a steering board keeps its field in lower case ('BỘ Y TẾ' ->
    'Bộ Y tế'); other bodies go word by word (_normal_case)."""
    if regex.match(r"(?:BỘ|TỔNG CỤC|CHI CỤC|CỤC|BAN CHỈ ĐẠO)\s", upper) and not regex.match(r"BỘ CHÍNH TRỊ\b", upper):
        return _name_case(upper)
    return _normal_case(upper)


_KINDS = {
    "BAN CHỈ ĐẠO": "Ban Chỉ đạo", "BAN THƯỜNG VỤ": "Ban Thường vụ", "TỔNG CỤC": "Tổng cục",
    "CHI CỤC": "Chi cục", "CỤC": "Cục", "SỞ": "Sở", "BỘ": "Bộ", "BAN": "Ban", "VĂN PHÒNG": "Văn phòng",
}

_VOWEL = r"[AĂÂEÊIOÔƠUƯYÁÀẢÃẠẮẰẲẴẶẤẦẨẪẬÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ]"

_PROPER_PAIRS = {
    "TRUNG ƯƠNG": "Trung ương", "TỈNH ỦY": "Tỉnh ủy", "TỈNH UỶ": "Tỉnh uỷ", "THÀNH ỦY": "Thành ủy",
    "THÀNH UỶ": "Thành uỷ", "QUỐC HỘI": "Quốc hội", "CHÍNH PHỦ": "Chính phủ", "THÀNH PHỐ": "thành phố",
}

_PLACE_LEVEL_WORDS = {"TỈNH": "tỉnh", "HUYỆN": "huyện", "QUẬN": "quận", "XÃ": "xã", "PHƯỜNG": "phường", "TP.": "TP.", "TP": "TP"}


def _name_case(upper: str) -> str:
    """A department's name in the case it is written in prose: its kind and the first word of
    each joined field capitalised ('SỞ GIÁO DỤC VÀ ĐÀO TẠO' -> 'Sở Giáo dục và Đào tạo'), a place
    after its level word in full ('… TỈNH AN LẠC' -> '… tỉnh An Lạc'), a steering board's topic
    after 'VỀ' in lower case."""
    kind = regex.match(grammar.alternation(list(_KINDS)), upper).group(0)
    words = upper[len(kind):].split()
    out = [_KINDS[kind]]
    place = topic = False
    i = 0
    while i < len(words):
        word, pair = words[i], " ".join(words[i : i + 2])
        if pair in _PROPER_PAIRS:
            out.append(_PROPER_PAIRS[pair])
            place = place or pair == "THÀNH PHỐ"
            i += 2
            continue
        if word in _PLACE_LEVEL_WORDS:
            out.append(_PLACE_LEVEL_WORDS[word])
            place = True
        elif word == "VỀ":
            out.append("về")
            topic = True
        elif place or not regex.search(_VOWEL, word):
            out.append(word if not place else word.capitalize())  # an acronym ("MTQG", "KH&CN") as written
        else:
            starts_field = i == 0 or words[i - 1] in ("VÀ", "-", "–", ",") or words[i - 1].endswith(",")
            out.append(word.capitalize() if starts_field and not topic else word.lower())
        i += 1
    return " ".join(out)


def _enacting_body(head: str) -> str | None:
    """A decree or resolution printed without its header names its enacting body on a line of
    its own above the preamble ("CHÍNH PHỦ" / "Căn cứ Luật …")."""
    bodies = grammar.alternation(grammar.load("documents")["enacting_bodies"])
    m = regex.search(rf"(?m)^[ \t]*(?P<body>(?:{bodies})(?:[ \t]+[\p{{Lu}} ]+)?)[ \t]*\n[ \t]*Căn cứ\b", head)
    return _normal_case(m.group("body").strip()) if m else None


@cache
def _attachment_note() -> regex.Pattern[str]:
    types = documents.types_alternation()
    return regex.compile(
        rf"\(\s*(?i:kèm theo)\s+(?P<type>{types})\s+(?:số\s+)?(?P<number>{documents.number_re().pattern})"
        rf"(?:\s+ngày\s+(?P<date>{documents.date_re().pattern}))?(?:\s+của\s+(?P<issuer>[^()\n]+?))?\s*\)"
    )


def _from_attachment_note(text: str, meta: Metadata) -> None:
    """An appendix's "(Kèm theo Nghị quyết số 394/NQ-CP ngày … của Chính phủ)" names the document
    it belongs to: the number (and date, issuer) a headerless copy lacks."""
    for m in _attachment_note().finditer(text):
        if m.group("type").casefold() != (meta.doc_type or "").casefold():
            continue
        meta.doc_number = documents.clean_number(m.group("number"))
        if meta.issued_date is None and m.group("date"):
            meta.issued_date = documents.iso_date(documents.date_re().match(m.group("date")))
        if meta.issuer is None and m.group("issuer"):
            meta.issuer = m.group("issuer").strip()
        return


def _is_upper(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _normal_case(upper: str) -> str:
    """'ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI' -> 'Ủy ban nhân dân tỉnh Quảng Ngãi'."""
    cases: dict[str, str] = grammar.load("documents")["issuer_case"]
    words = upper.split()
    out: list[str] = []
    i = 0
    while i < len(words):
        for size in (6, 5, 4, 3, 2, 1):
            phrase = " ".join(words[i : i + size])
            if phrase in cases:
                out.append(cases[phrase])
                i += size
                break
        else:
            word = words[i]
            out.append(word if len(word) <= 4 and not word.isalpha() else word.capitalize())
            i += 1
    return " ".join(out)


# "NGHỊ QUYẾT / CỦA BỘ CHÍNH TRỊ / về …": a line naming only the issuing body stands between the
# type word and the trích yếu ("CỦA ĐỒNG CHÍ TỔNG BÍ THƯ TẠI BUỔI LÀM VIỆC …" says more: it is the title).
_ISSUER_LINE = regex.compile(r"CỦA\s+(?:(?!VỀ\b|TẠI\b|VỚI\b|ĐỐI VỚI\b)\p{Lu}+\s*){1,10}")


def _title_after(head: str, start: int) -> str | None:
    lines: list[str] = []
    following = [line.strip() for line in head[start:].split("\n") if line.strip()]
    if len(following) > 1 and _ISSUER_LINE.fullmatch(following[0]):
        start = head.index(following[0], start) + len(following[0])
    for line in head[start:].split("\n"):
        line = line.strip()
        if not line:
            if lines:
                break
            continue
        # a wrapped upper-case title's tail may hold no letters at all ("… ĐẾN NĂM" / "2035")
        if lines and _is_upper(lines[-1]) and not regex.search(r"\p{L}", line):
            lines.append(line)
            continue
        if lines and (not _is_upper(line) or regex.match(r"(?:ỦY|UỶ|HỘI ĐỒNG|THỦ TƯỚNG|CHỦ TỊCH|BỘ TRƯỞNG|CHÍNH PHỦ|QUỐC HỘI)\b", line)):
            break
        if regex.match(r"(?:Căn cứ|Thực hiện|Theo|\(Kèm theo)", line) and not _is_upper(line):
            break
        lines.append(line)
        if not _is_upper(line):
            break
    title = " ".join(lines).strip()
    return title or None


def _signature(text: str) -> str | None:
    closing = grammar.compiled("headings", "closing")
    for m in regex.finditer(r"(?m)^[ \t]*(.*)$", text):
        if closing.match(m.group(1)) or "Nơi nhận" in m.group(1):
            sig = _SIGNING_TITLE.search(text, m.start(), m.start() + 1500)
            if sig:
                return sig.group("name")
    return None
