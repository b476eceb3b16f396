"""Reviewers' corrections: RFC 6902 JSON Patches over a *keyed view* of a parsed plan.

In the keyed view every list of id-bearing items is an object keyed by id, so a patch names
items, not positions: `/targets/t-abc/value`, `/assignments/a-12/lead`, `/references/r-9`,
`/sections/II/children/II.3/title` (sections keep their tree; a repeated id among siblings is
keyed `IV#2`). Only the content parts (metadata, sections, targets, assignments, references)
are in the view: provenance (source, parser_version) and warnings belong to each run.

A patch made by `diff` changes whole fields of an item (`/targets/t-abc/unit`), adds and
removes whole items, and never addresses a position inside a field's own list (lead agencies,
spans), which a re-parse may reorder. Patches are applied one operation at a time, so an
operation whose item no longer exists is reported and the others still apply."""

from __future__ import annotations

import copy
import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import jsonpatch
import regex
from jsonpointer import JsonPointer

from ..errors import VnPlanParseError
from ..output.validate import NotFiniteError, loads_json, violations

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
        keyed_children = section.get("children", {})
        if not isinstance(keyed_children, dict):  # even an empty list: a later op would add to it by key
            raise TypeError("a section's children are an object keyed by section id")
        children = _unkeyed_sections(keyed_children, (before.get(key) or {}).get("children") or {})
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


# --- files --------------------------------------------------------------------------------------

# A parsed plan nests about 25 levels deep (sections ten deep, two levels each); a patch's value
# no deeper. Deeper JSON is refused before the copies and schema checks, which recurse per level.
MAX_DEPTH = 64


def read_json(path: Path) -> object:
    try:
        data = loads_json(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise CorrectionError(f"{path}: cannot read ({exc.__class__.__name__})") from None
    except NotFiniteError as exc:
        raise CorrectionError(f"{path}: not JSON: {exc}") from None
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
