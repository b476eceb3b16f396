"""Provinces with their official codes (grammars/provinces.yaml): the 63 before 1 July 2025, the
34 after, and which of the 34 each of the 63 became part of."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

import regex

from .. import grammar

REORGANISED_ON = "2025-07-01"  # Nghị quyết 202/2025/QH15 takes effect
_PREFIX = regex.compile(r"^(?:tỉnh|thành phố|tp\.?)[ \t]+", regex.I)


@dataclass(frozen=True)
class Place:
    name: str  # the province as named, in the list of its time
    code: str | None  # its code then; None when the date cannot tell two codes of one name apart
    name_2025: str  # the province of 2025 that holds it
    code_2025: str


@dataclass(frozen=True)
class _Tables:
    before: dict[str, tuple[str, str]]  # folded name -> (name, code) before 2025
    after: dict[str, tuple[str, str]]  # folded name -> (name, code) from 2025
    becomes: dict[str, str]  # code before 2025 -> code from 2025
    names_2025: dict[str, str]  # code from 2025 -> name
    aliases: dict[str, str]  # folded alias -> folded name
    search: regex.Pattern[str]  # any known name or alias, in folded text


@cache
def _tables() -> _Tables:
    data = grammar.load("provinces")
    before = {_key(name): (name, code) for code, (name, _) in data["provinces_before_2025"].items()}
    after = {_key(name): (name, code) for code, name in data["provinces_2025"].items()}
    aliases = {_key(alias): _key(name) for alias, name in data["aliases"].items()}
    names = sorted({*before, *after, *aliases}, key=len, reverse=True)
    search = regex.compile(r"(?<![\p{L}\p{M}])(?:" + "|".join(regex.escape(n) for n in names) + r")(?![\p{L}\p{M}])")
    return _Tables(before, after, {code: new for code, (_, new) in data["provinces_before_2025"].items()},
                   dict(data["provinces_2025"]), aliases, search)


def _key(name: str) -> str:
    from ..normalising.folding import fold  # evaluate parses plans; the parse imports this module

    return fold(_PREFIX.sub("", name.strip())).replace(" - ", " ").replace("-", " ")


def province(name: str | None, issued_date: str | None = None) -> Place | None:
    """The province a name (`Quảng Ngãi`, `tỉnh Hà Giang`, `TP. Hồ Chí Minh`) denotes for a plan
    issued on issued_date (ISO; None: unknown), or None when it names no province."""
    if not name:
        return None
    tables = _tables()
    key = _key(name)
    key = tables.aliases.get(key, key)
    old, new = tables.before.get(key), tables.after.get(key)
    if old is None and new is None:
        return None
    if old is None or (issued_date is not None and issued_date >= REORGANISED_ON and new is not None):
        name_2025, code_2025 = new
        return Place(name_2025, code_2025, name_2025, code_2025)
    code_2025 = tables.becomes[old[1]]
    known_old = issued_date is not None or new is None or new[1] == old[1]
    return Place(old[0], old[1] if known_old else None, tables.names_2025[code_2025], code_2025)


@lru_cache(maxsize=8192)  # a plan names the same few agencies in every assignment
def named_in(text: str, issued_date: str | None = None) -> Place | None:
    """The first province named anywhere in text (an agency: `Sở Ngoại vụ tỉnh Lào Cai`)."""
    m = _tables().search.search(_key(text))
    return province(m.group(), issued_date) if m else None


@cache
def _national_heads() -> tuple[str, ...]:
    return tuple(grammar.load("provinces")["national_heads"])


def issuer_place(province_name: str | None, issuer: str | None, issued_date: str | None) -> Place | None:
    """The issuing province: the metadata's province, else one the issuer's name contains
    (`Tỉnh Lào Cai`, `Ủy ban nhân dân tỉnh Hà Giang`)."""
    return province(province_name, issued_date) or (named_in(issuer, issued_date) if issuer else None)


def agency_province(agency: str, issuer: Place | None, issued_date: str | None) -> Place | None:
    """The province an agency belongs to: the one its name says, else none for a body of the
    central state, else the issuing province (a provincial plan's `Sở Y tế` is its own)."""
    place = named_in(agency, issued_date)
    if place is not None or agency.startswith(_national_heads()):
        return place
    return issuer
