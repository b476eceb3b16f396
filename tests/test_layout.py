"""The package's layout (issue 23): no module over 400 lines, no import cycle among its modules,
and every folder of modules a package that says what its stage does."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE_DIR = Path(__file__).resolve().parent.parent / "src" / "vnplanparse"
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and ast.unparse(node.test) in {"TYPE_CHECKING", "typing.TYPE_CHECKING"}


def imports(name: str, path: Path, modules: set[str]) -> set[str]:
    """The package's modules a module imports, at its top or inside a function (not for type checks)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    hidden = {id(n) for block in ast.walk(tree) if _is_type_checking(block) for n in ast.walk(block)}
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if id(node) in hidden:
            continue
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in modules}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            for alias in node.names:
                if f"{base}.{alias.name}" in modules:
                    found.add(f"{base}.{alias.name}")
                elif base in modules:
                    found.add(base)
    found.discard(name)
    return found


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


@pytest.mark.parametrize("name", sorted(_modules()))
def test_no_module_is_over_400_lines(name: str) -> None:
    lines = _modules()[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name}: {lines} lines; split it by what its functions do"


def test_no_import_cycle_among_the_modules() -> None:
    modules = _modules()
    graph = {name: imports(name, path, set(modules)) for name, path in modules.items()}
    assert graph["vnplanparse.pipeline"], "the import graph found no imports: the test reads nothing"
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph) or [])


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_import_reader_follows_relative_and_lazy_imports(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("from typing import TYPE_CHECKING\nfrom ..b import x\nfrom . import c\n"
                      "if TYPE_CHECKING:\n    from .d import y\n\ndef f():\n    from ..e.f import z\n", encoding="utf-8")
    known = {"p.b", "p.q.c", "p.q.d", "p.e.f"}
    assert imports("p.q.m", module, known) == {"p.b", "p.q.c", "p.e.f"}


def test_every_folder_of_modules_is_a_package_that_says_what_it_does() -> None:
    for folder in sorted({p.parent for p in PACKAGE_DIR.rglob("*.py")}):
        init = folder / "__init__.py"
        assert init.exists(), f"{folder}: no __init__.py"
        assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), f"{init}: no docstring"
