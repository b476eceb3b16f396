"""Grammar data: the YAML files of `grammars/`, loaded once and compiled."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

import regex
import yaml

# libyaml's parser reads the grammars seven times faster than PyYAML's own (a tenth of a second
# of every cold start) and builds the same data; PyYAML's is the fallback where libyaml is absent
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def load(name: str) -> dict[str, Any]:
    """The parsed grammar file `grammars/<name>.yaml`."""
    text = files("vnplanparse.grammars").joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    return yaml.load(text, Loader=_LOADER)


@cache
def compiled(name: str, key: str, flags: int = 0) -> regex.Pattern[str]:
    """The `pattern` of entry `key` of a grammar file, compiled."""
    return regex.compile(load(name)[key]["pattern"], flags | regex.V0)


def alternation(words: list[str]) -> str:
    """A regex alternation of literal words, longest first so that no prefix wins."""
    return "|".join(regex.escape(w) for w in sorted(set(words), key=len, reverse=True))
