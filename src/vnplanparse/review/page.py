"""Review page: one self-contained HTML file, the reviewer's tool. The normalised plan text is
rendered here with every target, assignment and reference highlighted at its span; the page's
script lists the items and lets the reviewer accept, reject, edit, add and move them, keeps that
work in the browser's storage under the text's SHA-256, and exports it as the RFC 6902 patch
`vnplanparse diff` writes (keyed by id). `--patch` makes an earlier patch the starting state.

Everything from the document is escaped (the embedded data as JSON with '<', '>' and '&' escaped,
and the script writes it as text only); the page's one script is allowed by its hash in the
Content-Security-Policy, so even a tag that slipped through could not run.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import html
import itertools
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from string import Template

from ..model.schema import committed as plan_schema
from ..normalising.normalize import normalize
from ..pipeline import parse_loaded
from ..reading.load import read_path
from .corrections import CorrectionError, read_patch, read_plan
from .patches import Applied, apply_patches, summarize

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


def build_review(plan: Path, plan_json: Path | None = None, patches: list[Path] = (),
                 save_url: str | None = None) -> tuple[str, list[str]]:
    """The page for `plan` (its parse, or `plan_json`, corrected by `patches`) and the problems met."""
    text, document = extraction(plan, plan_json)
    return review_page(text, document, patches, save_url)


def extraction(plan: Path, plan_json: Path | None = None) -> tuple[str, dict]:
    """The plan's normalised text and its parse (made now, or `plan_json` checked to be of that text)."""
    loaded = read_path(plan)
    text = normalize(loaded).text
    if plan_json is None:
        return text, parse_loaded(loaded).model_dump(mode="json")
    document = read_plan(plan_json)
    if document["source"]["sha256"] != hashlib.sha256(text.encode("utf-8")).hexdigest():
        raise CorrectionError(f"{plan_json} is not a parse of {plan} (source.sha256 differs from its normalised text)")
    return text, document


def review_page(text: str, document: dict, patches: list[Path] = (), save_url: str | None = None) -> tuple[str, list[str]]:
    loaded_patches, unread = [], []
    for path in patches:
        try:
            loaded_patches.append((str(path), read_patch(path)))
        except CorrectionError as exc:
            unread.append(f"{exc} (not applied)")
    applied = apply_patches(document, loaded_patches, unread, text) if patches else None
    problems = applied.problems if applied else []
    return render(text, document, applied, problems, save_url), problems


def render(text: str, document: dict, applied: Applied | None = None, problems: list[str] = (),
           save_url: str | None = None) -> str:
    """The page: the text with its highlights rendered here, the list and the editing done by the
    page's script from the embedded data. `save_url` (the local server's) adds a button that saves
    the patch there; without it the page talks to nothing."""
    shown = applied.document if applied else document
    changes = summarize(applied.before, applied.after, applied.ops) if applied else []
    states = {(c.part, c.item_id): c for c in changes}
    marks = _marks(shown, states, len(text))
    if applied:
        gone = {(c.part, c.item_id) for c in changes if c.action == "removed" and c.part in KINDS}
        marks += [m for m in _marks(document, states, len(text)) if (m.part, m.item) in gone]
    template = Template(files("vnplanparse").joinpath("review/templates/review.html").read_text(encoding="utf-8"))
    metadata = shown["metadata"]
    title = metadata.get("title") or metadata.get("doc_number") or shown["source"].get("path") or "plan"
    facts = [metadata.get("doc_type"), metadata.get("doc_number"), metadata.get("issuer"), metadata.get("issued_date"),
             f"text SHA-256 {shown['source']['sha256'][:12]}…"]
    page = template.substitute(
        script_hash=_HASH_SLOT,
        connect="'self'" if save_url else "'none'",
        title=_esc(title),
        facts=" · ".join(_esc(f) for f in facts if f),
        problems=_problem_list(problems),
        text=_marked_text(text, marks),
        data=_data_block(document, shown if applied else None, save_url),
    )
    return page.replace(_HASH_SLOT, _script_hash(page), 1)  # the policy comes first, before any document text


_HASH_SLOT = "script-hash-slot"


def _data_block(extracted: dict, start: dict | None, save_url: str | None) -> str:
    """What the script needs, as JSON no HTML parser can end early: '<', '>' and '&' are escaped."""
    data = {
        "sha256": extracted["source"]["sha256"],
        "length": extracted["source"]["length"],
        "base": {part: extracted[part] for part in KINDS},
        "start": {part: start[part] for part in KINDS} if start is not None else None,
        "sections": _section_ids(extracted["sections"]),
        "warnings": extracted.get("warnings") or [],
        "choices": _schema_choices(),
        "save": save_url,
    }
    encoded = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # bidirectional controls too: raw in the page they would reorder its source as shown; the script shows them by code
    return _DATA_ESCAPES.sub(lambda m: f"\\u{ord(m[0]):04x}", encoded)


_DATA_ESCAPES = re.compile("[<>&\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _section_ids(sections: list[dict]) -> list[list]:
    """[id, title, start, end] of every section, depth first: the page's section filter and
    the section a new item falls in (the deepest whose span holds it)."""
    out = []
    for section in sections:
        out.append([section["id"], section.get("title") or "", *section["span"]])
        out += _section_ids(section.get("children") or [])
    return out


@cache
def _schema_choices() -> dict[str, list[str]]:
    """The enumerated fields' choices, as the schema gives them, so the page offers nothing else."""
    definitions = plan_schema()["$defs"]
    return {name: definitions["Target"]["properties"][name]["enum"] for name in ("comparator", "direction", "source")}


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
