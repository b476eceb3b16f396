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


def trie_alternation(words: list[str], fold=None) -> str:
    """The alternation of `alternation(words)` written as a trie: a shared beginning is written
    once ("Sở (?:Y tế|Tài chính)"), so the pattern is a fraction of the length and compiles that
    much faster (the regex module's parser is Python, its cost grows with the pattern's length).
    It matches what the flat alternation matches, in the same order: every word that matches at a
    place is a beginning of every longer one that does, so trying a node's longer continuations
    before its end is trying the longest word first. `fold` keys the letters of a case-insensitive
    pattern, so that "Sở" and "sở" share a node and never compete as two branches."""
    key = fold or (lambda c: c)
    root: dict = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(key(char), {"": char})
        node[None] = True  # a word ends here
    return _trie_pattern(root)


def _trie_pattern(node: dict) -> str:
    branches = [regex.escape(child[""]) + _trie_pattern(child) for k, child in node.items() if k]
    if None in node:
        branches.append("")  # the word that ends here is tried after every longer one
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"
