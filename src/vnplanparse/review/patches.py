"""Corrections applied: patches checked against the schema and the plan's text, items re-anchored,
and what changed summarised for the reviewer."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field

import jsonpatch
import regex
from jsonpointer import JsonPointerException

from ..output.validate import item_violations, violations
from .corrections import (
    Address,
    CONTENT_PARTS,
    CorrectionError,
    ITEM_NAMES,
    KEYED_PARTS,
    _MISSING,
    _unkeyed_sections,
    keyed,
    locate,
    resolve,
    unkeyed,
)


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
        before = saved[0][1].get("span") if isinstance(saved[0][1], dict) else None
        reason = (_reanchor(view, addresses[0], text, before) if text is not None else None) or next(
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


def _reanchor(view: dict, address: Address, text: str, span_before: object = None) -> str | None:
    """Move the span of the target `address` sets to the occurrence of its text nearest to where
    the span was; the reason when the plan no longer has that text, or when an operation that
    sets only the span would be moved back to the span it had (the correction silently lost)."""
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
    if address.field == "span" and [start, start + len(target["text"])] == span_before:
        return (f"target {address.item_id}: the span {span} does not hold its text {_show(target['text'])}: "
                "set the text too")
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
