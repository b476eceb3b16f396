"""Assignments in prose: the lead and partners of a sentence or of each item it governs, with a
deadline written beside them."""

from __future__ import annotations

import regex

from ...model.plan import Section
from ..agencies import Agency, agency_at, extend_to, find_agencies, leading_names, read_list
from ..clauses import CLAUSE_MAX, at_most_clause_max
from .base import (
    _CLAUSE_END,
    _Doc,
    _Found,
    _LEAD_WORDS,
    _LIST_ITEM,
    _SEMICOLON,
    _SENTENCE_END,
    _THEN_COMMA,
    _is_table_line,
    _re,
    _strip_task,
)

_MAX_ITEMS_UNDER_A_PLAIN_HEADING = 40  # lines looked back over for "Sở X:" above a dash item


def _named(agency: Agency) -> bool:
    return not agency.group


# --- running text ---------------------------------------------------------------------------


def _from_prose(doc: _Doc) -> list[_Found]:
    text, found = doc.text, []
    for index, (start, end) in enumerate(doc.lines):
        if start in doc.taken or _is_table_line(text, start, end):
            continue
        item = doc.item_start(start, end)
        inline = _inline_items(doc, item, end)
        if inline:
            found += inline
            continue
        made = []
        for a, b, sentence in _clauses(text, item, end):
            marked = _first_marker(doc, a, b, sentence)
            if marked is not None:
                made.append(marked)
            elif made and made[-1][0].lead:
                made[-1][0].partners += _closing_partners(text, a, b)
        if not made:
            continue
        found += [assignment for assignment, _ in made if assignment.lead]
        last, dangling = made[-1]
        if last.lead and (dangling or text[item:end].rstrip().endswith(":")):
            children = _governed_items(doc, index)
            if children:  # a lead-in: one assignment per item it governs, none for itself
                found.remove(last)
                found += _for_each_item(doc, last, children, dangling)
    return found


def _clauses(text: str, start: int, end: int):
    """(start, end, sentence start) of each ';'-separated clause of each sentence of a line."""
    sentence_start = start
    for m in [*_SENTENCE_END.finditer(text, start, end), None]:
        sentence_end = m.start() if m else end
        pos = sentence_start
        for part in [*_SEMICOLON.finditer(text[sentence_start:sentence_end]), None]:
            clause_end = sentence_start + part.start() if part else sentence_end
            for a, b in at_most_clause_max(text, pos, clause_end):
                yield a, b, sentence_start
            pos = clause_end + 1
        sentence_start = m.end() if m else end


def _first_marker(doc: _Doc, start: int, end: int, sentence_start: int | None = None) -> tuple[_Found, bool] | None:
    """The assignment a clause makes, if it has a lead marker, and whether it ends on a bare
    "phối hợp" ("b) Chủ trì, phối hợp") whose partners open the items below it."""
    text = doc.text
    trailing = _trailing_lead(doc, start, end)
    if trailing:
        return trailing, False
    for m in _re("lead_marker").finditer(text, start, end):
        if m.group("giao"):
            lead = read_list(text, m.end(), end)
            if not lead:
                continue
            if lead[-1].end == end and text.startswith(";", end):
                # "Giao A; B và C giám sát …": the ';' separates the lead agencies of one "Giao"
                sentence_end = _sentence_end(text, end)
                lead = read_list(text, m.end(), sentence_end)
                end = next((c.start() for c in _SEMICOLON.finditer(text, lead[-1].end, sentence_end)), sentence_end)
            phrase_end = lead[-1].end
        else:
            role_word = not m.group().startswith("chịu")  # "chịu trách nhiệm chính" is never a role noun
            if role_word and _re("not_a_lead_before").search(text[start:m.start()]) or _re("not_a_lead_after").match(
                    text[m.end():end]):
                continue
            lead = _lead_before(doc, start, m.start(), sentence_start)
            phrase_end = m.end()
        if lead is None:
            continue
        lead = lead if any(_named(a) for a in lead) else []  # a catch-all alone leads nothing here
        partners, task_start, dangling = _partners(doc, start, phrase_end, end)
        sentence_end = _sentence_end(text, end)
        label = _time_label(text, task_start, sentence_end)  # "…; thời gian hoàn thành: …" ends the task
        task = _strip_task(text[task_start:label.start() if label else sentence_end])
        made = _Found(start, sentence_end, task, [a.name for a in lead], partners,
                      _deadline_in(text, m.start(), min(doc.line_of(m.start())[1], m.start() + CLAUSE_MAX)), section_at=m.start())
        return made, dangling
    return None


def _trailing_lead(doc: _Doc, start: int, end: int) -> _Found | None:
    """"[task], do X chủ trì" closing a clause: X leads the task before the comma."""
    text = doc.text
    m = _re("trailing_lead").search(text, start, end)
    if m is None or agency_at(text, m.start("name"), m.end("name")) is None:
        return None
    task = _strip_task(text[start:m.start()])
    return _Found(start, end, task, [m.group("name")], section_at=m.start("name")) if task else None


def _sentence_end(text: str, clause_end: int) -> int:
    """Where a clause's sentence ends: at the next sentence end on its line, looked for no
    further than a clause's length (a line with no punctuation holds no sentence to end)."""
    limit = min(len(text), clause_end + CLAUSE_MAX)
    line_end = text.find("\n", clause_end, limit)
    line_end = limit if line_end < 0 else line_end
    m = _SENTENCE_END.search(text, clause_end, line_end)
    return m.start() if m else line_end


def _lead_before(doc: _Doc, start: int, marker: int, sentence_start: int | None = None) -> list[Agency] | None:
    """The lead of a "chủ trì" / "đầu mối" / "chịu trách nhiệm chính" marker: the names just
    before it ("Sở X chủ trì", a name running up to it in sentence case: "Ban Cải cách hiện đại
    hóa chủ trì"), else the clause's subject ("Sở X, trên cơ sở …, chủ trì"), else, when the
    marker opens a later ';' clause, the subject of its sentence ("Sở X tham mưu …; chủ trì, phối
    hợp …"), else, when it opens the clause or follows a comma, the agency heading of the item."""
    text = doc.text
    intro = _re("clause_intro").match(text, start, marker)
    subject_at = intro.end() if intro else start
    candidates = [a for a in find_agencies(text, start, marker) if not _object(text, start, a.start)]
    for agency in candidates:
        names = read_list(text, agency.start, marker)
        if names and not names[-1].group:
            names[-1] = extend_to(text, names[-1], marker)
        if names and not text[names[-1].end:marker].strip(" \t,:"):
            return names
    subject = read_list(text, subject_at, marker)
    if subject and not _object(text, start, subject_at):
        return subject
    before = text[subject_at:marker].rstrip()
    if before and not before.endswith(","):
        return None
    if not before and sentence_start is not None and sentence_start < start:
        subject = _sentence_subject(doc, sentence_start, start)
        if subject:
            return subject
    heading = _heading_agencies(doc, marker)
    if heading:
        return heading
    for agency in reversed(candidates):  # "… gửi Sở X tổng hợp, chủ trì, …"
        names = read_list(text, agency.start, marker)
        if names and _THEN_COMMA.fullmatch(text[names[-1].end:marker]):
            return names
    return None


def _closing_partners(text: str, start: int, end: int) -> list[str]:
    """The names of a clause that only says they join ("Sở A chủ trì …; Sở B, Sở C phối hợp.")."""
    intro = _re("clause_intro").match(text, start, end)
    names = read_list(text, intro.end() if intro else start, end)
    if names and _re("closing_partners").fullmatch(text, names[-1].end, end):
        return [a.name for a in names]
    return []


def _sentence_subject(doc: _Doc, sentence_start: int, end: int) -> list[Agency] | None:
    """The names a sentence opens with when a verb follows them (not a lead-in's "Sở X:")."""
    text = doc.text
    intro = _re("clause_intro").match(text, sentence_start, end)
    names = read_list(text, intro.end() if intro else sentence_start, end)
    if not names or not any(_named(a) for a in names):
        return None
    after = text[names[-1].end:end]
    return names if regex.match(r"[ \t]+\p{Ll}", after) else None


def _inline_items(doc: _Doc, item: int, end: int) -> list[_Found]:
    """"Giao X: (i) …; (ii) …" — a lead-in whose items are written on its own line: one
    assignment per item, the lead-in's lead; a marker inside an item ("(i) Chỉ đạo Y chủ trì …")
    is part of its task."""
    text = doc.text
    giao = _re("lead_marker").search(text, item, min(end, item + 40))
    if giao is None or not giao.group("giao"):
        return []
    lead = read_list(text, giao.end(), end)
    if not lead or not any(_named(a) for a in lead):
        return []
    colon = regex.match(r"[ \t]*:[ \t]*", text[lead[-1].end:end])
    if colon is None:
        return []
    items = list(_re("inline_item").finditer(text, lead[-1].end + colon.end(), end))
    if len(items) < 2 or items[0].start() != lead[-1].end + colon.end():
        return []
    out = []
    for i, m in enumerate(items):
        item_end = items[i + 1].start() if i + 1 < len(items) else end
        partners, task_start, _ = _partners(doc, m.end(), m.end(), item_end)
        out.append(_Found(m.start(), item_end, _strip_task(text[task_start:item_end]), [a.name for a in lead],
                          partners, _deadline_in(text, m.end(), item_end), section_at=m.start()))
    return out


def _object(text: str, start: int, at: int) -> bool:
    return bool(_re("object_of").search(text[max(start, at - 30):at]))


def _heading_agencies(doc: _Doc, offset: int) -> list[Agency] | None:
    """The agencies named by the nearest heading above an item that names who does the items
    under it ("2.3. Công an tỉnh", "- Bộ Tài chính", "9. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam
    tỉnh:", "2. Ban Quản lý … có trách nhiệm:")."""
    line_start, line_end = doc.line_of(offset)
    section = doc.innermost(offset)
    plain = _plain_heading_agencies(doc, line_start, section)
    if plain:
        return plain
    while section is not None:
        if not line_start <= section.span[0] < line_end:
            start, end = doc.line_of(section.span[0])
            body = doc.item_start(start, end)
            names = leading_names(doc.text[body:end], _re("heading_rest"))
            if names:
                return [Agency(a.name, body + a.start, body + a.end, a.group) for a in names]
        section = doc.parent(section)
    return None


def _plain_heading_agencies(doc: _Doc, line_start: int, section: Section | None) -> list[Agency] | None:
    """A dash item's agency heading written as a plain line, no marker of its own ("Sở Tài chính:"
    then "- Chủ trì …"): the nearest line above the item's run of dash items, inside its section."""
    if not _LIST_ITEM.match(doc.text, line_start):
        return None
    while section is not None and doc.line_of(section.span[0])[0] == line_start:
        section = doc.parent(section)  # the item's own section
    floor = doc.line_of(section.span[0])[1] if section is not None else doc.body
    pos = line_start
    for _ in range(_MAX_ITEMS_UNDER_A_PLAIN_HEADING):
        if pos <= floor:
            break
        start, end = doc.line_of(pos - 1)
        if not doc.text[start:end].strip():
            pos = start
            continue
        if _LIST_ITEM.match(doc.text, start):
            pos = start
            continue
        line = doc.text[start:end]
        if not line.rstrip().endswith(":"):
            return None
        names = leading_names(line, _re("heading_rest"))
        return [Agency(a.name, start + a.start, start + a.end, a.group) for a in names] if names else None
    return None


def _partners(doc: _Doc, start: int, phrase_end: int, end: int) -> tuple[list[str], int, bool]:
    """Partners named after the lead ("phối hợp với …"), where the task text starts, and whether
    the clause ends on a bare "phối hợp" whose partners open the items below."""
    text = doc.text
    partners: list[str] = []
    gap = _LEAD_WORDS.match(text[phrase_end:end])
    task_start = phrase_end + gap.end()
    dangling = False
    for m in _re("partner_marker").finditer(text, phrase_end, end):
        if _subject_of_its_own(doc, start, m.start()):
            continue  # "tham mưu Ủy ban nhân dân tỉnh phối hợp Bộ Quốc phòng": the province's partner
        names = read_list(text, m.end(), end)
        partners += [a.name for a in names]
        if m.start() <= task_start:
            task_start = names[-1].end if names else m.end()
            task_start += len(text[task_start:end]) - len(text[task_start:end].lstrip(" \t,"))
        if not names and not text[m.end():end].strip(" \t:"):
            dangling = True
    return partners, task_start, dangling


def _subject_of_its_own(doc: _Doc, start: int, at: int) -> bool:
    before = doc.text[start:at].rstrip()
    names = find_agencies(doc.text, max(start, at - 200), at)
    return bool(names and names[-1].end == len(before) + start and not before.endswith(","))


def _governed_items(doc: _Doc, index: int) -> list[tuple[int, int]]:
    """The list items a lead-in line governs: its section's children, else the dash and plus
    items that follow it."""
    start, end = doc.lines[index]
    section = doc.section_on_line(start, end)
    if section is not None and section.children:
        return [doc.line_of(c.span[0]) for c in section.children]
    items = []
    for i in range(index + 1, len(doc.lines)):  # by index: a slice would copy the rest for each lead-in
        line_start, line_end = doc.lines[i]
        if not _LIST_ITEM.match(doc.text[line_start:line_end]):
            break
        items.append((line_start, line_end))
    return items


def _for_each_item(doc: _Doc, lead_in: _Found, items: list[tuple[int, int]], dangling: bool) -> list[_Found]:
    """One assignment per item a lead-in governs: the lead-in's lead and partners, plus the
    partners the item names itself ("- Chủ trì, phối hợp với Sở Tài chính …"), or, after a bare
    "Chủ trì, phối hợp", the names the item opens with ("- Sở Xây dựng, Sở Tài chính tổ chức …")."""
    text, out = doc.text, []
    for start, end in items:
        doc.taken.add(start)
        item = doc.item_start(start, end)
        sentence_end = _sentence_end(text, item)
        partners = list(lead_in.partners)
        phrase_end = item
        if dangling:
            names = read_list(text, item, sentence_end)
            partners += [a.name for a in names]
            phrase_end = names[-1].end if names else item
        own = _re("lead_marker").match(text, item, sentence_end)
        if own and not own.group("giao"):
            phrase_end = own.end()
        own_partners, task_start, _ = _partners(doc, item, phrase_end, sentence_end)
        partners += [p for p in own_partners if p not in partners]
        out.append(_Found(start, end, _strip_task(text[task_start:sentence_end]), list(lead_in.lead), partners,
                          _deadline_in(text, item, end) or lead_in.deadline, section_at=item))
    return out


def _deadline_in(text: str, start: int, end: int) -> str | None:
    """A written time limit in running text: "… ; thời gian hoàn thành: Quý III/2022", or "trước
    ngày …", "trong tháng …", "trong năm …"."""
    label = _time_label(text, start, end)
    if label:
        value = _CLAUSE_END.search(text, label.end(), end)
        return text[label.end():value.start() if value else end].strip(" .;") or None
    m = _re("deadline").search(text, start, end)
    return m.group().strip() if m else None


def _time_label(text: str, start: int, end: int) -> regex.Match[str] | None:
    return next((m for m in _re("field").finditer(text, start, end) if m.group("time")), None)
