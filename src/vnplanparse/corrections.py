"""Reviewers' corrections: RFC 6902 JSON Patches over a *keyed view* of a parsed plan.

In the keyed view every list of id-bearing items is an object keyed by id, so a patch names
items, not positions: `/targets/t-abc/value`, `/assignments/a-12/lead`, `/references/r-9`,
`/sections/II/children/II.3/title` (sections keep their tree; a repeated id among siblings is
keyed `IV#2`). Only the content parts (metadata, sections, targets, assignments, references)
are in the view: provenance (source, parser_version) and warnings belong to each run.

A patch made by `diff` changes whole fields of an item (`/targets/t-abc/unit`), adds and
removes whole items, and never addresses a position inside a field's own list (lead agencies,
spans), which a re-parse may reorder. Patches are applied one operation at a time, so an
operation whose item no longer exists is reported and the others still apply.
"""

from __future__ import annotations

import copy
import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import jsonpatch
import regex
from jsonpointer import JsonPointer, JsonPointerException

from .errors import VnPlanParseError
from .validate import item_violations, violations

KEYED_PARTS = ("targets", "assignments", "references")
CONTENT_PARTS = ("metadata", "sections", *KEYED_PARTS)
ITEM_NAMES = {"targets": "target", "assignments": "assignment", "references": "reference", "sections": "section"}
PATCH_SUFFIX = ".patch.json"
_MISSING = object()


class CorrectionError(VnPlanParseError):
    """A correction file or a corrected document that cannot be used."""


# --- keyed view ---------------------------------------------------------------------------

def keyed(document: dict) -> dict:
    """The content parts of a parsed plan with id-bearing lists turned into objects keyed by id."""
    view = {"metadata": copy.deepcopy(document["metadata"]), "sections": _keyed_sections(document["sections"])}
    for part in KEYED_PARTS:
        items: dict[str, dict] = {}
        for item in document[part]:
            if item["id"] in items:
                raise CorrectionError(f"two {part} have id {item['id']}")
            items[item["id"]] = copy.deepcopy(item)
        view[part] = items
    return view


def _keyed_sections(sections: list[dict]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for section in sections:
        key, repeat = section["id"], 1
        while key in out:  # the guide allows two parts numbered alike ('IV.' twice)
            repeat += 1
            key = f"{section['id']}#{repeat}"
        out[key] = dict(copy.deepcopy(section), children=_keyed_sections(section.get("children") or []))
    return out


def unkeyed(view: dict, base: dict) -> dict:
    """`base` (a parsed plan) with its content parts taken from `view`. Items `base` already had
    keep their order; new items go before the first item that starts after them."""
    document = copy.deepcopy(base)
    document["metadata"] = copy.deepcopy(view["metadata"])
    document["sections"] = _unkeyed_sections(view["sections"], _keyed_sections(base["sections"]))
    for part in KEYED_PARTS:
        document[part] = _ordered(view[part], {item["id"] for item in base[part]})
    return document


def _unkeyed_sections(sections: dict[str, dict], before: dict[str, dict]) -> list[dict]:
    out = {}
    for key, section in sections.items():
        children = _unkeyed_sections(section.get("children") or {}, (before.get(key) or {}).get("children") or {})
        out[key] = dict(section, children=children)
    return _ordered(out, set(before))


def _ordered(items: dict[str, dict], known: set[str]) -> list[dict]:
    ordered = [copy.deepcopy(item) for key, item in items.items() if key in known]
    for key, item in items.items():
        if key in known:
            continue
        start = _span_start(item)
        at = next((i for i, other in enumerate(ordered) if _span_start(other) > start), len(ordered))
        ordered.insert(at, copy.deepcopy(item))
    return ordered


def _span_start(item: object) -> float:
    span = item.get("span") if isinstance(item, dict) else None
    return span[0] if isinstance(span, list | tuple) and span and isinstance(span[0], int | float) else float("inf")


# --- where an operation points ----------------------------------------------------------------

@dataclass(frozen=True)
class Address:
    """What a pointer into the keyed view addresses: an item (or metadata) and maybe one field."""

    part: str
    item: tuple[str, ...]  # keys from the part down to the item: ('t-abc',), ('II', 'II.3'); () for metadata
    field: str | None

    @property
    def item_parts(self) -> list[str]:
        parts = [self.part]
        for depth, key in enumerate(self.item):
            parts += ["children", key] if depth else [key]
        return parts

    @property
    def parts(self) -> list[str]:
        return self.item_parts + ([self.field] if self.field is not None else [])

    @property
    def pointer(self) -> str:
        return JsonPointer.from_parts(self.parts).path

    @property
    def item_id(self) -> str | None:
        return self.item[-1] if self.item else None


def locate(pointer: str) -> Address:
    """The item and field `pointer` falls in; deeper parts (a list index inside a field) are cut."""
    parts = JsonPointer(pointer).parts
    if not parts or parts[0] not in CONTENT_PARTS:
        raise CorrectionError(f"{pointer or '/'} is not in metadata, sections, targets, assignments or references")
    part = parts[0]
    if part == "metadata":
        return Address(part, (), parts[1] if len(parts) > 1 else None)
    if len(parts) == 1:
        raise CorrectionError(f"{pointer} names a whole part; name an item in it (/{part}/ID)")
    item = [parts[1]]
    i = 2
    while part == "sections" and i + 1 < len(parts) and parts[i] == "children":
        item.append(parts[i + 1])
        i += 2
    return Address(part, tuple(item), parts[i] if i < len(parts) else None)


def resolve(view: dict, parts: list[str]) -> object:
    node: object = view
    for key in parts:
        if not isinstance(node, dict) or key not in node:
            return _MISSING
        node = node[key]
    return node


# --- diff ---------------------------------------------------------------------------------------

def diff(extracted: dict, corrected: dict) -> list[dict]:
    """The RFC 6902 patch over the keyed view that turns `extracted` into `corrected`.

    jsonpatch finds what differs; its operations are then widened to whole fields and whole
    items (a move between keys becomes a removal and an addition), each carrying the corrected
    value, so the patch does not depend on positions inside a field or on the order of moves."""
    before, after = keyed(extracted), keyed(corrected)
    touched: dict[Address, None] = {}
    for op in jsonpatch.make_patch(before, after).patch:
        for pointer in (op["path"], op.get("from")) if op["op"] == "move" else (op["path"],):
            touched[locate(pointer)] = None
    patch = []
    for address in touched:
        old, new = resolve(before, address.parts), resolve(after, address.parts)
        if new is _MISSING:
            patch.append({"op": "remove", "path": address.pointer})
        else:
            patch.append({"op": "add" if old is _MISSING else "replace", "path": address.pointer, "value": new})
    return patch


def check_same_text(extracted: dict, corrected: dict) -> None:
    if extracted["source"]["sha256"] != corrected["source"]["sha256"]:
        raise CorrectionError("the two files are parses of different texts (source.sha256 differs): "
                              "diff a correction against the extraction it was made from")


# --- apply --------------------------------------------------------------------------------------

@dataclass
class Problem:
    patch: str
    index: int  # 1 = the patch's first operation
    op: object
    reason: str

    def __str__(self) -> str:
        if isinstance(self.op, dict) and "op" in self.op:
            what = f"{self.op.get('op')} {self.op.get('path')}"
            return f"patch {self.patch}: op {self.index} ({what}): {self.reason}"
        return f"patch {self.patch}: op {self.index}: {self.reason}"


@dataclass
class Applied:
    document: dict
    problems: list[str] = field(default_factory=list)  # one line per operation or patch file not applied
    ops: list[dict] = field(default_factory=list)  # the operations that were applied, in order
    before: dict = field(default_factory=dict)  # keyed view of the document the patches met
    after: dict = field(default_factory=dict)  # keyed view of the result


def apply_patches(document: dict, patches: list[tuple[str, list]], unreadable: list[str] = (),
                  text: str | None = None) -> Applied:
    """Apply (name, operations) patches in order, operation by operation. An operation that
    cannot apply (its item is gone, the library refuses it, or the item it leaves would break the
    schema or have a span outside the text) is recorded as a problem and undone; the rest apply.
    The result carries one `warnings` line per skipped operation and per `unreadable` patch file.

    Given the normalised text (`text`, else `source.text`), a target an operation adds or whose
    span or text it sets is re-anchored: the offsets in a patch are those of the text it was made
    on, and a newer normaliser may have moved them."""
    text = text if text is not None else document["source"].get("text")
    before = keyed(document)
    view = copy.deepcopy(before)
    result = Applied(document, problems=list(unreadable), before=before)
    for name, ops in patches:
        for index, op in enumerate(ops, 1):
            reason = _apply_one(view, op, text, document["source"]["length"])
            if reason is None:
                result.ops.append(op)
            else:
                result.problems.append(str(Problem(name, index, op, reason)))
    result.after = view
    result.document = unkeyed(view, document)
    result.document["warnings"] = list(document.get("warnings") or []) + [
        f"correction not applied: {problem}" for problem in result.problems
    ]
    problems = violations(result.document)
    if problems:  # each operation's items were checked; this would be a bug here, not in the patch
        raise CorrectionError(f"internal error: the corrected document violates the schema at {problems[0]}")
    return result


def _apply_one(view: dict, op: object, text: str | None, length: int) -> str | None:
    """Apply `op` to `view` in place; the reason it cannot apply (and `view` unchanged), or None.
    Only the items the operation touches are checked, so a long patch stays fast."""
    if not isinstance(op, dict) or not isinstance(op.get("op"), str) or not isinstance(op.get("path"), str):
        return "not a JSON Patch operation (an object with 'op' and 'path')"
    try:
        addresses = [locate(op["path"])] + ([locate(op["from"])] if isinstance(op.get("from"), str) else [])
    except (CorrectionError, JsonPointerException) as exc:
        return str(exc)
    for address in addresses:
        if address.part in KEYED_PARTS and address.field == "id":
            return "an item's id is its key in the path: remove the item and add it under the new id"
        gone = _missing_item(view, address, adding=address is addresses[0] and op["op"] in ("add", "copy", "move"))
        if gone:
            return gone
    saved = [(address, _copy(resolve(view, address.item_parts))) for address in addresses]
    try:
        jsonpatch.apply_patch(view, [op], in_place=True)
        for address in addresses:
            item = resolve(view, address.item_parts)
            if address.part in KEYED_PARTS and isinstance(item, dict):
                item["id"] = address.item_id  # the path names the item: an added item need not repeat its id
        reason = (_reanchor(view, addresses[0], text) if text is not None else None) or next(
            (problem for address in addresses for problem in _item_problems(view, address, length)), None)
    except (jsonpatch.JsonPatchException, JsonPointerException, TypeError, KeyError) as exc:
        reason = str(exc) or exc.__class__.__name__
    if reason is not None:
        for address, value in reversed(saved):
            _put(view, address.item_parts, value)
    return reason


def _copy(value: object) -> object:
    return value if value is _MISSING else copy.deepcopy(value)


def _put(view: dict, parts: list[str], value: object) -> None:
    parent = resolve(view, parts[:-1])
    if value is _MISSING:
        parent.pop(parts[-1], None)
    else:
        parent[parts[-1]] = value


DEFINITIONS = {"metadata": "Metadata", "sections": "Section", "targets": "Target", "assignments": "Assignment",
               "references": "Reference"}


def _item_problems(view: dict, address: Address, length: int) -> list[str]:
    """Schema violations of the item (or metadata) at `address`, and a span outside the text."""
    item = resolve(view, address.item_parts)
    if item is _MISSING:
        return []
    where = "$." + address.part + "".join(f"[{key}]" for key in address.item)
    if address.part == "sections":
        try:
            item = _unkeyed_sections({"": item}, {})[0]
        except (AttributeError, TypeError):
            return [f"{where}: not shaped like a section of the keyed view (children keyed by id)"]
    problems = item_violations(DEFINITIONS[address.part], item, where)
    if not problems and address.part != "metadata" and address.field in (None, "span"):  # only a span it set
        start, end = item["span"]
        if not 0 <= start <= end <= length:
            problems.append(f"{where}.span: [{start}, {end}] is outside the text (length {length})")
    return [f"the result would be invalid: {problem}" for problem in problems]


def _reanchor(view: dict, address: Address, text: str) -> str | None:
    """Move the span of the target `address` sets to the occurrence of its text nearest to where
    the span was; the reason when the plan no longer has that text."""
    if address.part != "targets" or address.field not in (None, "span", "text"):
        return None
    target = view["targets"].get(address.item_id)
    if not isinstance(target, dict) or not isinstance(target.get("text"), str) or not target["text"]:
        return None  # the schema check says what is wrong
    span = target.get("span")
    if not (isinstance(span, list) and len(span) == 2 and all(isinstance(x, int) for x in span)):
        return None
    if text[span[0] : span[1]] == target["text"]:
        return None
    found = [m.start() for m in regex.finditer(regex.escape(target["text"]), text)]
    if not found:
        return f"target {address.item_id}: its text {_show(target['text'])} is not in the plan"
    start = min(found, key=lambda at: abs(at - span[0]))
    target["span"] = [start, start + len(target["text"])]
    return None


def _missing_item(view: dict, target: Address, adding: bool) -> str | None:
    """'item X no longer exists' when the item `target` lies in, or an ancestor section, is gone."""
    keys = target.item
    last = len(keys) - (1 if adding and target.field is None else 0)
    for depth in range(last):
        if resolve(view, Address(target.part, keys[: depth + 1], None).item_parts) is _MISSING:
            return f"{'section' if target.part == 'sections' else 'item'} {keys[depth]} no longer exists"
    return None


# --- summary ------------------------------------------------------------------------------------

@dataclass
class Change:
    part: str
    item: tuple[str, ...]
    action: str  # added, removed, changed
    label: str
    fields: list[tuple[str, object, object]] = field(default_factory=list)  # (field, before, after)

    @property
    def item_id(self) -> str | None:
        return self.item[-1] if self.item else None

    def describe(self) -> str:
        sign = {"added": "+", "removed": "-", "changed": "~"}[self.action]
        name = ITEM_NAMES.get(self.part, self.part)
        head = f"{sign} {name}" + (f" {self.item_id}" if self.item else "") + (f" {self.label}" if self.label else "")
        if self.action != "changed":
            return head
        return head + ": " + "; ".join(f"{f} {_show(old)} → {_show(new)}" for f, old, new in self.fields)


def summarize(before: dict, after: dict, ops: list[dict]) -> list[Change]:
    """Per item touched by `ops`: added, removed, or which fields changed from what to what."""
    changes: dict[tuple[str, tuple[str, ...]], Change] = {}
    for op in ops:
        for pointer in (op["path"], op.get("from")) if op["op"] == "move" else (op["path"],):
            address = locate(pointer)
            old = resolve(before, address.item_parts)
            new = resolve(after, address.item_parts)
            if old is _MISSING and new is _MISSING:
                continue  # added by one operation and removed by a later one
            action = "added" if old is _MISSING else "removed" if new is _MISSING else "changed"
            key = (address.part, address.item)
            label = _label(address.part, new if old is _MISSING else old)
            change = changes.setdefault(key, Change(address.part, address.item, action, label))
            change.action = action
            if action != "changed":
                continue
            names = [address.field] if address.field else [k for k in {**old, **new} if k != "children"]
            for name in names:
                if name not in {f for f, _, _ in change.fields}:
                    change.fields.append((name, resolve(old, [name]), resolve(new, [name])))
    kept = [c for c in changes.values() if c.action != "changed" or any(o != n for _, o, n in c.fields)]
    return sorted(kept, key=lambda c: CONTENT_PARTS.index(c.part))


def _label(part: str, item: object) -> str:
    if not isinstance(item, dict) or part == "metadata":
        return ""
    wording = {
        "targets": f"{item.get('indicator') or item.get('text')} = {_value(item)}",
        "assignments": item.get("task") or ", ".join(item.get("lead") or []),
        "references": " ".join(str(x) for x in (item.get("doc_type"), item.get("doc_number")) if x),
        "sections": item.get("title"),
    }[part]
    return _show(_shorten(wording or "", 60)) if wording else ""


def _value(target: dict) -> str:
    value = target.get("value") if target.get("value_max") is None else f"{target.get('value')}-{target['value_max']}"
    return f"{value} {target.get('unit') or ''}".strip()


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _show(value: object) -> str:
    if value is _MISSING:
        return "(absent)"
    return _shorten(json.dumps(value, ensure_ascii=False), 90)


def format_changes(changes: list[Change]) -> str:
    return "\n".join(c.describe() for c in changes) if changes else "no differences"


# --- files --------------------------------------------------------------------------------------

# A parsed plan nests about 25 levels deep (sections ten deep, two levels each); a patch's value
# no deeper. Deeper JSON is refused before the copies and schema checks, which recurse per level.
MAX_DEPTH = 64


def read_json(path: Path) -> object:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise CorrectionError(f"{path}: cannot read ({exc.__class__.__name__})") from None
    except json.JSONDecodeError as exc:
        raise CorrectionError(f"{path}: not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:  # the decoder's own limit, near a thousand levels
        data = _MISSING
    if data is _MISSING or _deeper_than(data, MAX_DEPTH):
        raise CorrectionError(f"{path}: nested more than {MAX_DEPTH} levels deep; no plan or correction is")
    return data


def _deeper_than(value: object, limit: int) -> bool:
    """Whether arrays and objects nest more than `limit` levels (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def read_plan(path: Path) -> dict:
    """A parsed plan (parser output or a reviewer's correction of it), checked against the schema."""
    data = read_json(path)
    problems = violations(data)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise CorrectionError(f"{path}: not a valid parsed plan: {problems[0]}{more}")
    try:
        keyed(data)
    except CorrectionError as exc:
        raise CorrectionError(f"{path}: {exc}") from None
    return data


def read_patch(path: Path) -> list:
    data = read_json(path)
    if not isinstance(data, list):
        raise CorrectionError(f"{path}: not a JSON Patch (expected an array of operations)")
    return data


def correction_names(document: dict) -> list[str]:
    """File names `--corrections DIR` looks for, in order: the normalised text's SHA-256, the
    source file's name without its suffix, the document number with every run of characters
    other than letters, digits, '.' and '-' turned into '_' ('77/KH-UBND' -> '77_KH-UBND')."""
    names = [document["source"]["sha256"]]
    path = document["source"].get("path")
    if path and not path.startswith("<"):
        names.append(Path(path).stem)
    number = document["metadata"].get("doc_number")
    if number:
        names.append(regex.sub(r"[^\w.-]+", "_", unicodedata.normalize("NFC", number)).strip("_"))
    return [name + PATCH_SUFFIX for name in names if name]


def find_correction(directory: Path, document: dict) -> Path | None:
    for name in correction_names(document):
        candidate = Path(directory) / name
        if candidate.is_file():
            return candidate
    return None
