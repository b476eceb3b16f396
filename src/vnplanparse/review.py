"""Review page: one self-contained HTML file showing the normalised plan text with every target,
assignment and reference highlighted at its span, side tables that jump to the source, and the
reviewer's changes when a patch is given.

Everything from the document is escaped; the page's one script is allowed by its hash in the
Content-Security-Policy, so even a tag that slipped through could not run.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import html
import itertools
import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from string import Template

from .corrections import (
    Applied,
    Change,
    CorrectionError,
    apply_patches,
    format_changes,
    read_patch,
    read_plan,
    summarize,
)
from .load import read_path
from .normalize import normalize
from .pipeline import parse_loaded

KINDS = {"targets": "target", "assignments": "assignment", "references": "reference"}


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    part: str
    item: str
    state: str  # "", "added", "changed", "removed"
    title: str

    @property
    def element_id(self) -> str:
        return mark_id(self.part, self.item)


def mark_id(part: str, item_id: str | None) -> str:
    """The HTML id of an item's (first) highlight; the rows that jump to it name it in data-mark."""
    return f"hl-{part}-{item_id}"


def build_review(plan: Path, plan_json: Path | None = None, patches: list[Path] = ()) -> tuple[str, list[str]]:
    """The page for `plan` (its parse, or `plan_json`, corrected by `patches`) and the problems met."""
    loaded = read_path(plan)
    text = normalize(loaded).text
    if plan_json is None:
        document = parse_loaded(loaded).model_dump(mode="json")
    else:
        document = read_plan(plan_json)
        if document["source"]["sha256"] != hashlib.sha256(text.encode("utf-8")).hexdigest():
            raise CorrectionError(f"{plan_json} is not a parse of {plan} (source.sha256 differs from its normalised text)")
    loaded_patches, unread = [], []
    for path in patches:
        try:
            loaded_patches.append((str(path), read_patch(path)))
        except CorrectionError as exc:
            unread.append(f"{exc} (not applied)")
    applied = apply_patches(document, loaded_patches, unread, text) if patches else None
    problems = applied.problems if applied else []
    return render(text, document, applied, problems), problems


def render(text: str, document: dict, applied: Applied | None = None, problems: list[str] = ()) -> str:
    shown = applied.document if applied else document
    changes = summarize(applied.before, applied.after, applied.ops) if applied else []
    states = {(c.part, c.item_id): c for c in changes}
    marks = _marks(shown, states, len(text))
    if applied:
        removed = [c for c in changes if c.action == "removed" and c.part in KINDS]
        gone = {(c.part, c.item_id) for c in removed}
        marks += [m for m in _marks(document, states, len(text)) if (m.part, m.item) in gone]
    marked = {(m.part, m.item) for m in marks}
    template = Template(files("vnplanparse").joinpath("templates/review.html").read_text(encoding="utf-8"))
    metadata = shown["metadata"]
    title = metadata.get("title") or metadata.get("doc_number") or shown["source"].get("path") or "plan"
    facts = [metadata.get("doc_type"), metadata.get("doc_number"), metadata.get("issuer"), metadata.get("issued_date"),
             f"{len(shown['targets'])} targets, {len(shown['assignments'])} assignments, {len(shown['references'])} references",
             f"text SHA-256 {shown['source']['sha256'][:12]}…"]
    return template.substitute(
        script_hash=_script_hash(template.template),
        title=_esc(title),
        facts=" · ".join(_esc(f) for f in facts if f),
        problems=_problem_list(problems),
        text=_marked_text(text, marks),
        aside=_changes_list(changes, marked) + _tables(shown, document if applied else None, states, marked),
    )


# The parse removes bidirectional controls from the text; a field a reviewer typed in could still
# hold one, and on the page it would reorder what follows ("50%" showing as "%05"): it is shown by its code.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _esc(value: object) -> str:
    shown = _BIDI_CONTROLS.sub(lambda m: f"<U+{ord(m[0]):04X}>", "" if value is None else str(value))
    return html.escape(shown, quote=True)


def _script_hash(page: str) -> str:
    script = re.search(r"<script>(.*?)</script>", page, re.DOTALL).group(1)
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")


# --- text with highlights ------------------------------------------------------------------------

def _marks(document: dict, states: dict, length: int) -> list[Mark]:
    marks = []
    for part, kind in KINDS.items():
        for item in document[part]:
            start, end = item["span"]
            if not 0 <= start < end <= length:
                continue
            change = states.get((part, item["id"]))
            title = f"{kind} {item['id']}" + (f" ({change.action})" if change else "")
            marks.append(Mark(start, end, part, item["id"], change.action if change else "", title))
    return marks


def _marked_text(text: str, marks: list[Mark]) -> str:
    """The text with one <mark> per item; marks nest by span, and one that crosses the end of
    another is continued in a second element with the same data-item (only the first has the id).
    One sweep over the span bounds keeps the marks open at each, in nesting order: work grows with
    the marks and their overlaps, not with marks × bounds."""
    order = sorted(range(len(marks)), key=lambda i: (marks[i].start, -marks[i].end, marks[i].part, marks[i].item))
    rank = {marks[i]: r for r, i in enumerate(order)}  # equal marks share the rank of the last, as before
    starting: dict[int, list[int]] = {}
    for i, m in enumerate(marks):
        starting.setdefault(m.start, []).append(i)
    bounds = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    out, stack, opened = [], [], set()
    active: list[tuple[int, int]] = []  # (rank, index in marks) of the marks covering this piece
    for left, right in itertools.pairwise(bounds):
        active = [a for a in active if marks[a[1]].end > left]
        for i in starting.get(left, ()):
            bisect.insort(active, (rank[marks[i]], i))
        wanted = [marks[i] for _, i in active]
        keep = 0
        while keep < len(stack) and keep < len(wanted) and stack[keep] is wanted[keep]:
            keep += 1
        out.extend("</mark>" for _ in stack[keep:])
        for mark in wanted[keep:]:
            element_id = "" if mark in opened else f' id="{_esc(mark.element_id)}"'
            opened.add(mark)
            classes = " ".join(c for c in (KINDS[mark.part], mark.state) if c)
            out.append(f'<mark{element_id} class="{classes}" data-part="{mark.part}" data-item="{_esc(mark.item)}"'
                       f' title="{_esc(mark.title)}">')
        stack = wanted
        out.append(html.escape(text[left:right], quote=False))
    out.extend("</mark>" for _ in stack)
    return "".join(out)


# --- side panel ------------------------------------------------------------------------------------

def _problem_list(problems: list[str]) -> str:
    if not problems:
        return ""
    return '<ul class="problems">' + "".join(f"<li>{_esc(p)}</li>" for p in problems) + "</ul>"


def _changes_list(changes: list[Change], marked: set) -> str:
    if not changes:
        return ""
    items = []
    for change in changes:
        target = f' data-mark="{_esc(mark_id(change.part, change.item_id))}"' if (change.part, change.item_id) in marked else ""
        items.append(f"<li{target}>{_esc(format_changes([change]))}</li>")
    return f'<h2>Reviewer\'s changes ({len(changes)})</h2><ul class="changes">{"".join(items)}</ul>'


COLUMNS = {
    "targets": ("indicator", "value", "unit", "comparator", "year", "section"),
    "assignments": ("task", "lead", "partners", "deadline", "section"),
    "references": ("doc_type", "doc_number", "date", "issuer"),
}


def _tables(shown: dict, base: dict | None, states: dict, marked: set) -> str:
    out = []
    for part, columns in COLUMNS.items():
        rows = [(item, states.get((part, item["id"]))) for item in shown[part]]
        if base is not None:
            rows += [(item, states[(part, item["id"])]) for item in base[part]
                     if (part, item["id"]) in states and states[(part, item["id"])].action == "removed"]
        rows.sort(key=lambda row: row[0]["span"][0])
        head = "".join(f"<th>{_esc(c)}</th>" for c in columns)
        body = "".join(_row(part, item, change, columns, (part, item["id"]) in marked) for item, change in rows)
        out.append(f'<h2>{part.capitalize()} ({len(shown[part])})</h2>'
                   f'<table class="{part}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')
    return "".join(out)


def _row(part: str, item: dict, change: Change | None, columns: tuple[str, ...], has_mark: bool) -> str:
    old = {name: before for name, before, _ in change.fields} if change else {}
    cells = []
    for column in columns:
        shown = _cell(item, column)
        if column in old or (column == "value" and "value_max" in old):
            before = _cell(dict(item, **{k: v for k, v in old.items() if k in ("value", "value_max", column)}), column)
            cells.append(f"<td><del>{_esc(before)}</del> <ins>{_esc(shown)}</ins></td>")
        else:
            cells.append(f"<td>{_esc(shown)}</td>")
    classes = " ".join(c for c in (change.action if change else "", "" if has_mark else "nospan") if c)
    attributes = f' data-mark="{_esc(mark_id(part, item["id"]))}" tabindex="0"' if has_mark else ' title="span outside the text"'
    return f'<tr class="{classes}" data-item="{_esc(item["id"])}"{attributes}>{"".join(cells)}</tr>'


def _cell(item: dict, column: str) -> str:
    value = item.get(column)
    if column == "value" and item.get("value_max") is not None:
        return f"{value}–{item['value_max']}"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)
