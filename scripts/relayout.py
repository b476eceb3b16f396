"""Rewrite the flat package src/vnplanparse/ into subpackages by pipeline stage (issue 23).

    python scripts/relayout.py [--check] [--mapping scripts/layout.yaml] [ROOT]
    python scripts/relayout.py --names targets     # an old module's top-level names, for the mapping

The mapping (scripts/layout.yaml) names every new module and what it takes from which old
module: `"*"` (the whole old module: its file moves with its imports rewritten) or a list of
top-level names (the old module is split: each statement moves verbatim, with the comments right
above it and in the old order, and the new module gets the imports it uses). The script then
rewrites imports and `vnplanparse.x` paths in src/, tests/, benchmarks/, scripts/, docs/*.md,
README.md and pyproject.toml.

Everything is computed and checked in memory first; nothing is written when a check fails: a
top-level name of a split module that the mapping leaves out or names twice, a name it maps that
no longer exists, an import cycle among the new modules, a module over 400 lines, or a tree that
was already moved. `--check` runs the checks and writes nothing.
"""

from __future__ import annotations

import argparse
import ast
import builtins
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

PACKAGE = "vnplanparse"
MAX_LINES = 400
REWRITTEN_PYTHON = ("tests", "benchmarks", "scripts")
REWRITTEN_TEXT = ("docs/*.md", "README.md")
SELF = {"scripts/relayout.py", "scripts/layout.yaml"}


class LayoutError(Exception):
    """The mapping does not fit the tree; the message lists every problem."""


# ---------------------------------------------------------------- reading the old package


@dataclass
class Statement:
    text: str  # verbatim source, with the comments right above it
    names: list[str]  # top-level names it defines ("__main__" for a main guard)
    node: ast.stmt
    blank_before: int  # blank lines above it (and its comments) in the old module
    origin: str = ""


@dataclass
class OldModule:
    dotted: str
    path: Path
    source: str
    tree: ast.Module
    statements: list[Statement] = field(default_factory=list)
    imports: list[ast.stmt] = field(default_factory=list)  # module level, incl. TYPE_CHECKING blocks
    imported: dict[str, tuple[ast.stmt, ast.alias, bool]] = field(default_factory=dict)  # name -> (node, alias, type-only)
    future: bool = False

    @property
    def defined(self) -> dict[str, Statement]:
        return {name: s for s in self.statements for name in s.names}


def _is_type_checking(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and ast.unparse(node.test) in {"TYPE_CHECKING", "typing.TYPE_CHECKING"}


def _is_main_guard(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and ast.unparse(node.test).replace("'", '"') == '__name__ == "__main__"'


def _defined_names(node: ast.stmt) -> list[str]:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    if _is_main_guard(node):
        return ["__main__"]
    targets: list[ast.expr] = []
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
        targets = [node.target]
    elif isinstance(node, ast.Try):  # e.g. __version__ = ... except ...: __version__ = ...
        targets = [t for part in (node.body, *[h.body for h in node.handlers], node.orelse)
                   for s in part if isinstance(s, ast.Assign) for t in s.targets]
    names = [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]
    return list(dict.fromkeys(names))


def read_module(dotted: str, path: Path) -> OldModule:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    module = OldModule(dotted, path, source, tree)
    lines = source.splitlines(keepends=True)
    body = list(tree.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant):
        body = body[1:]  # the docstring: each new module gets its own
    previous_end = 0
    for node in body:
        first = min([node.lineno, *[d.lineno for d in getattr(node, "decorator_list", [])]])
        # the comments above a statement (section rules too) go with it; blank lines above them are layout
        comment_start = previous_end
        while comment_start < first - 1 and not lines[comment_start].strip():
            comment_start += 1
        blank = comment_start - previous_end
        text = "".join(lines[comment_start:node.end_lineno])
        previous_end = node.end_lineno
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            module.future = True
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)) or _is_type_checking(node):
            module.imports.append(node)
            type_only = _is_type_checking(node)
            for inner in (node.body if type_only else [node]):
                for alias in getattr(inner, "names", []):
                    bound = alias.asname or alias.name.split(".")[0]
                    module.imported[bound] = (inner, alias, type_only)
            continue
        module.statements.append(Statement(text, _defined_names(node), node, blank))
    if module.statements and previous_end < len(lines):  # comments after the last statement
        module.statements[-1].text += "".join(lines[previous_end:]).rstrip("\n") + "\n"
    for s in module.statements:
        s.origin = dotted
    return module


def old_modules(pkg: Path, moved_dirs: dict[str, str]) -> dict[str, OldModule]:
    found = {}
    for path in sorted(pkg.glob("*.py")):
        dotted = PACKAGE if path.stem == "__init__" else f"{PACKAGE}.{path.stem}"
        found[dotted] = read_module(dotted, path)
    for old in moved_dirs:
        for path in sorted((pkg / old).rglob("*.py")):
            parts = path.relative_to(pkg).with_suffix("").parts
            dotted = ".".join((PACKAGE, *(parts[:-1] if parts[-1] == "__init__" else parts)))
            found[dotted] = read_module(dotted, path)
    return found


# ---------------------------------------------------------------- the mapping


@dataclass
class NewModule:
    dotted: str
    doc: str | None
    whole: str | None = None  # the old module moved whole
    statements: list[Statement] = field(default_factory=list)
    reexport: list[str] = field(default_factory=list)
    is_package: bool = False
    code: str | None = None  # written after the docstring (a module of no old code, e.g. a __main__)

    @property
    def path(self) -> str:
        parts = self.dotted.split(".")[1:]
        return "/".join([*parts, "__init__.py"] if self.is_package else parts) + ("" if self.is_package else ".py")


class Layout:
    def __init__(self, mapping: dict, old: dict[str, OldModule]):
        self.old = old
        self.moved_dirs = {f"{PACKAGE}.{k}": f"{PACKAGE}.{v.replace('/', '.')}" for k, v in mapping.get("move_dirs", {}).items()}
        self.literals = mapping.get("rewrite_literals", {})
        self.homes = {f"{PACKAGE}.{k}": f"{PACKAGE}.{v.replace('/', '.')}" for k, v in mapping.get("homes", {}).items()}
        self.new: dict[str, NewModule] = {}
        self.where: dict[tuple[str, str], str] = {}  # (old module, name) -> new module
        self.whole: dict[str, str] = {}  # old module moved whole -> new module
        problems: list[str] = []
        for key, spec in (mapping.get("packages") or {}).items():
            dotted = PACKAGE if key == "." else f"{PACKAGE}.{key.replace('/', '.')}"
            self.new[dotted] = NewModule(dotted, spec.get("doc"), reexport=list(spec.get("reexport") or []), is_package=True)
        for key, spec in mapping["modules"].items():
            dotted = f"{PACKAGE}.{key.replace('/', '.')}"
            module = self.new.setdefault(dotted, NewModule(dotted, spec.get("doc"), code=spec.get("code")))
            for old_name, names in (spec.get("take") or {}).items():
                source = PACKAGE if old_name == "__init__" else f"{PACKAGE}.{old_name}"
                if source not in old:
                    problems.append(f"{key}: takes from {old_name}, which is not a module of the tree")
                    continue
                if names == "*":
                    if source in self.whole:
                        problems.append(f"{old_name}: moved whole twice ({self.whole[source]}, {dotted})")
                    self.whole[source] = dotted
                    module.whole = source
                    continue
                defined = old[source].defined
                for name in names:
                    if (source, name) in self.where:
                        problems.append(f"{old_name}.{name}: mapped twice ({self.where[source, name]}, {dotted})")
                    elif name not in defined:
                        problems.append(f"{old_name}.{name}: mapped to {dotted} but not a top-level name of {old_name}")
                    self.where[source, name] = dotted
        for dotted, module in old.items():
            if dotted in self.whole or self._moved_dir(dotted):
                if any(s == dotted for s, _ in self.where):
                    problems.append(f"{dotted}: moved whole and split at once")
                continue
            missing = [n for n in module.defined if (dotted, n) not in self.where]
            if missing and not any(s == dotted for s, _ in self.where):
                problems.append(f"{dotted}: not in the mapping at all")
            elif missing:
                problems.append(f"{dotted}: top-level names not in the mapping: {', '.join(missing)}")
        if problems:
            raise LayoutError("\n".join(problems))
        for dotted, module in old.items():  # statements in the old order (a name-less one follows the previous)
            if dotted in self.whole or self._moved_dir(dotted):
                continue
            target = None
            for s in module.statements:
                target = self.where[dotted, s.names[0]] if s.names else target
                if len({self.where[dotted, n] for n in s.names}) > 1:
                    problems.append(f"{dotted}: {', '.join(s.names)} are one statement; map them to one module")
                if target is None:
                    problems.append(f"{dotted}: a statement before any named one: {s.text.strip()[:60]}")
                    continue
                self.new[target].statements.append(s)
        for new in self.new.values():
            if new.is_package and not new.doc:
                problems.append(f"{new.dotted}: a package needs a docstring")
            if not new.is_package and not new.whole and not new.statements and not new.code:
                problems.append(f"{new.dotted}: takes nothing")
            if not new.is_package and not new.whole and not new.doc:
                problems.append(f"{new.dotted}: a split module needs a docstring")
        if problems:
            raise LayoutError("\n".join(problems))

    def _moved_dir(self, dotted: str) -> str | None:
        for old, new in self.moved_dirs.items():
            if dotted == old or dotted.startswith(old + "."):
                return new + dotted[len(old):]
        return None

    def is_old_module(self, dotted: str) -> bool:
        return dotted in self.old or self._moved_dir(dotted) is not None

    def module_target(self, dotted: str) -> str | None:
        """The new module an old module moved to whole (None when it was split)."""
        return self._moved_dir(dotted) or self.whole.get(dotted)

    def home(self, dotted: str) -> str:
        """Where a path to an old module now points: its whole move, or its home in the mapping."""
        target = self.homes.get(dotted) or self.module_target(dotted)
        if target is None:
            raise LayoutError(f"{dotted}: split, so a path to it needs a home in the mapping's homes:")
        return target

    def locate(self, old_module: str, name: str, seen: frozenset = frozenset()) -> str | None:
        """The new module that holds `name` of an old module (following its imports), or None."""
        if (old_module, name) in self.where:
            return self.where[old_module, name]
        target = self.module_target(old_module)
        if target is not None and (old_module not in self.old or name in self.old[old_module].defined):
            return target
        module = self.old.get(old_module)
        if module is None or name not in module.imported or old_module in seen:
            return target
        node, alias, _ = module.imported[name]
        base = absolute_base(node, old_module, module.path.name == "__init__.py")
        if base is None or not base.startswith(PACKAGE) or isinstance(node, ast.Import):
            return target
        if self.is_old_module(f"{base}.{alias.name}"):
            return None  # a module, not a name
        return self.locate(base, alias.name, seen | {old_module})

    def public(self, dotted: str, name: str) -> str:
        """For code outside the package: the shortest path a package re-exports the name from."""
        parts = dotted.split(".")
        for end in range(1, len(parts) + 1):
            package = ".".join(parts[:end])
            if package in self.new and self.new[package].is_package and name in self.new[package].reexport:
                return package
        return dotted


def absolute_base(node: ast.ImportFrom | ast.Import, module: str, is_package: bool) -> str | None:
    if isinstance(node, ast.Import):
        return None
    if not node.level:
        return node.module
    parts = module.split(".")
    keep = len(parts) - node.level + (1 if is_package else 0)
    if keep <= 0:
        return None
    return ".".join(parts[:keep] + ([node.module] if node.module else []))


def relative(target: str, here: str, here_is_package: bool) -> str:
    """`target` written relative to the module `here` (as `from X import`)."""
    package = here.split(".") if here_is_package else here.split(".")[:-1]
    parts = target.split(".")
    common = 0
    while common < min(len(package), len(parts)) and package[common] == parts[common]:
        common += 1
    return "." * (len(package) - common + 1) + ".".join(parts[common:])


# ---------------------------------------------------------------- rewriting a file's imports


def _offsets(source: str) -> list[int]:
    starts, total = [0], 0
    for line in source.splitlines(keepends=True):
        total += len(line)
        starts.append(total)
    return starts


def _char(source_lines: list[str], starts: list[int], line: int, byte_col: int) -> int:
    return starts[line - 1] + len(source_lines[line - 1].encode("utf-8")[:byte_col].decode("utf-8"))


def _import_line(module: str, names: list[tuple[str, str | None]], indent: str) -> str:
    listed = ", ".join(n if a in (None, n) else f"{n} as {a}" for n, a in names)
    line = f"from {module} import {listed}"
    if len(indent) + len(line) <= 110:
        return line
    inner = "".join(f"{indent}    {n if a in (None, n) else f'{n} as {a}'},\n" for n, a in names)
    return f"from {module} import (\n{inner}{indent})"


class Rewriter:
    """Rewrites the vnplanparse imports, module attributes and `vnplanparse.x` paths of one file."""

    def __init__(self, layout: Layout):
        self.layout = layout
        self.path_pattern = re.compile(r"\b" + PACKAGE + r"((?:\.\w+)+)(?::(\w+))?")
        self.file_pattern = re.compile(r"\bsrc/" + PACKAGE + r"/(\w+)(\.py\b|/)")

    def python(self, source: str, label: str, old: str | None, new: str | None, new_is_package: bool = False,
               old_is_package: bool = False, skip_module_level: bool = False) -> str:
        """old/new: the file's module before and after (None outside the package: absolute imports)."""
        tree = ast.parse(source)
        lines = source.splitlines(keepends=True)
        starts = _offsets(source)
        edits: list[tuple[int, int, str]] = []
        import_spans: list[tuple[int, int]] = []
        top_level = {id(n) for n in tree.body} | {id(s) for n in tree.body if _is_type_checking(n) for s in n.body}

        def where_to(base: str, name: str) -> str:
            target = self.layout.locate(base, name)
            if target is None:
                raise LayoutError(f"{label}: cannot place {base}.{name}")
            return self.layout.public(target, name) if new is None else target

        def render(target: str) -> str:
            return target if new is None else relative(target, new, new_is_package)

        for node in ast.walk(tree):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            if skip_module_level and id(node) in top_level:
                continue
            start = _char(lines, starts, node.lineno, node.col_offset)
            end = _char(lines, starts, node.end_lineno, node.end_col_offset)
            indent = " " * node.col_offset
            after = lines[node.end_lineno - 1].encode("utf-8")[node.end_col_offset:].decode("utf-8").strip()
            indent_comment = f"  {after}\n" if after.startswith("#") else "\n"  # e.g. a noqa for every line
            if isinstance(node, ast.Import):
                pieces, changed = [], False
                for alias in node.names:
                    if alias.name.startswith(PACKAGE + ".") and self.layout.is_old_module(alias.name):
                        if alias.asname is None:
                            raise LayoutError(f"{label}: `import {alias.name}` without `as` (write `from ... import`)")
                        target = (self.layout.module_target(alias.name)
                                  or self.alias_target(tree, alias.asname, alias.name, label))
                        pieces.append(f"import {target} as {alias.asname}")
                        changed = True
                    else:
                        pieces.append(f"import {alias.name}" + (f" as {alias.asname}" if alias.asname else ""))
                if changed:
                    import_spans.append((start, end))
                    edits.append((start, end, f"{indent_comment}{indent}".join(pieces)))
                continue
            base = absolute_base(node, old, old_is_package) if old else (node.module if not node.level else None)
            if base is None or not (base == PACKAGE or base.startswith(PACKAGE + ".")):
                continue
            import_spans.append((start, end))
            groups: dict[str, list[tuple[str, str | None]]] = {}
            for alias in node.names:
                full = f"{base}.{alias.name}"
                if self.layout.is_old_module(full):
                    target = self.layout.module_target(full) or self.alias_target(tree, alias.asname or alias.name, full, label)
                    package, _, leaf = target.rpartition(".")
                    groups.setdefault(render(package), []).append((leaf, alias.asname or alias.name))
                else:
                    groups.setdefault(render(where_to(base, alias.name)), []).append((alias.name, alias.asname))
            edits.append((start, end, f"{indent_comment}{indent}".join(_import_line(m, names, indent) for m, names in groups.items())))
        matches = [(m, self.dotted_path) for m in self.path_pattern.finditer(source)]
        for match, rewrite in matches + [(m, self.file_path) for m in self.file_pattern.finditer(source)]:
            if any(a <= match.start() < b for a, b in import_spans):
                continue
            replaced = rewrite(match)
            if replaced != match.group(0):
                edits.append((match.start(), match.end(), replaced))
        return _apply(source, edits, label)

    def alias_target(self, tree: ast.Module, local: str, old_module: str, label: str) -> str:
        """The new module a local name for a split old module should stand for: the one holding every
        name the file takes from it (`local.name`, or monkeypatch.setattr(local, "name", ...))."""
        held = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == local:
                held.add(self.holder(old_module, node.attr))
            if (isinstance(node, ast.Call) and ast.unparse(node.func).endswith("setattr") and len(node.args) >= 2
                    and isinstance(node.args[0], ast.Name) and node.args[0].id == local
                    and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str)):
                held.add(self.holder(old_module, node.args[1].value))
        held.discard(None)  # a local variable of the same name, or a name no module holds
        if len(held) > 1:
            raise LayoutError(f"{label}: `{local}` (was {old_module}) is used for names now in "
                              f"{', '.join(sorted(held))}; import them by name instead")
        return held.pop() if held else self.layout.home(old_module)

    def holder(self, old_module: str, attr: str) -> str | None:
        """The new module holding attribute `attr` of an old module (a builtin: the one that uses it)."""
        target = self.layout.locate(old_module, attr)
        if target is not None:
            return target
        users = {t.dotted for t in self.layout.new.values() for s in t.statements
                 if s.origin == old_module and attr in free_names(s.node)}
        return users.pop() if len(users) == 1 else None

    def dotted_path(self, match: re.Match) -> str:
        parts, colon = match.group(1).lstrip(".").split("."), match.group(2)
        for cut in range(len(parts), 0, -1):  # the longest prefix that is an old module
            dotted = ".".join([PACKAGE, *parts[:cut]])
            if not self.layout.is_old_module(dotted):
                continue
            rest = parts[cut:]
            name = rest[0] if rest else colon
            target = self.layout.locate(dotted, name) if name else None
            target = self.layout.public(target, name) if target else self.layout.home(dotted)
            return target + "".join("." + r for r in rest) + (f":{colon}" if colon else "")
        return match.group(0)

    def file_path(self, match: re.Match) -> str:
        """src/vnplanparse/x.py (or a moved folder x/) -> where it is now."""
        dotted, ending = f"{PACKAGE}.{match.group(1)}", match.group(2)
        if not self.layout.is_old_module(dotted):
            return match.group(0)
        target = self.layout.module_target(dotted) or self.layout.home(dotted)
        is_folder = ending == "/" and self.layout._moved_dir(dotted)
        if ending == "/" and not is_folder:
            return match.group(0)
        return "src/" + target.replace(".", "/") + ("/" if is_folder else ".py")

    def text(self, source: str) -> str:
        return self.file_pattern.sub(self.file_path, self.path_pattern.sub(self.dotted_path, source))


def sort_relative_imports(source: str) -> str:
    """Runs of adjacent top-level relative imports, sorted (deeper levels first, then by module)."""
    lines = source.splitlines(keepends=True)
    body = ast.parse(source).body
    runs, run = [], []
    for node in body:
        if isinstance(node, ast.ImportFrom) and node.level and (not run or node.lineno == run[-1].end_lineno + 1):
            run.append(node)
            continue
        runs.append(run)
        run = [node] if isinstance(node, ast.ImportFrom) and node.level else []
    runs.append(run)
    for run in reversed([r for r in runs if len(r) > 1]):
        pieces = ["".join(lines[n.lineno - 1:n.end_lineno]) for n in run]
        ordered = [p for _, p in sorted(zip([(-n.level, n.module or "") for n in run], pieces), key=lambda x: x[0])]
        lines[run[0].lineno - 1:run[-1].end_lineno] = ordered
    return "".join(lines)


def _apply(source: str, edits: list[tuple[int, int, str]], label: str) -> str:
    edits.sort()
    for (a0, a1, _), (b0, _, _) in zip(edits, edits[1:]):
        if b0 < a1:
            raise LayoutError(f"{label}: overlapping rewrites at character {b0}")
    for start, end, text in reversed(edits):
        source = source[:start] + text + source[end:]
    return source


# ---------------------------------------------------------------- building a split module


def free_names(node: ast.AST) -> set[str]:
    """Names a statement reads that it does not bind itself (an over-estimate is harmless)."""
    loads, bound = set(), set()
    for n in ast.walk(node):
        if isinstance(n, ast.Name):
            (loads if isinstance(n.ctx, ast.Load) else bound).add(n.id)
        elif isinstance(n, ast.arg):
            bound.add(n.arg)
        elif isinstance(n, (ast.Import, ast.ImportFrom)):
            bound.update((a.asname or a.name).split(".")[0] for a in n.names)
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and n is not node:
            bound.add(n.name)
        for annotation in _string_annotations(n):
            loads |= annotation
    return loads - bound - (set(dir(builtins)) - {"open"})


def _string_annotations(n: ast.AST) -> list[set[str]]:
    found = []
    for annotation in [getattr(n, "annotation", None), getattr(n, "returns", None)]:
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            try:
                found.append({x.id for x in ast.walk(ast.parse(annotation.value, mode="eval")) if isinstance(x, ast.Name)})
            except SyntaxError:
                pass
    return found


def build_split(module: NewModule, layout: Layout, rewriter: Rewriter) -> str:
    own = {n for s in module.statements for n in s.names}
    external: dict[int, tuple[ast.stmt, list[ast.alias]]] = {}  # old import node -> aliases used
    internal: dict[str, list[str]] = {}  # new module -> names
    type_only: dict[str, list[str]] = {}
    modules_as: list[tuple[str, str]] = []  # (new module, the name the code calls it)
    future = False
    needs_type_checking = False
    for s in module.statements:
        old = layout.old[s.origin]
        future |= old.future
        for name in sorted(free_names(s.node)):
            if name in own:
                continue
            if name in old.defined:
                internal.setdefault(layout.where[s.origin, name], []).append(name)
            elif name in old.imported:
                node, alias, is_type_only = old.imported[name]
                base = absolute_base(node, s.origin, old.path.name == "__init__.py")
                if base and (base == PACKAGE or base.startswith(PACKAGE + ".")):
                    full = f"{base}.{alias.name}"
                    if layout.is_old_module(full):
                        target = layout.module_target(full)
                        if target is None:
                            raise LayoutError(f"{module.dotted}: uses split module {full} as `{name}`; import names")
                        modules_as.append((target, name))
                        continue
                    target = layout.locate(base, alias.name)
                    if target is None:
                        raise LayoutError(f"{module.dotted}: cannot place {base}.{alias.name}")
                    (type_only if is_type_only else internal).setdefault(target, []).append(
                        alias.name if alias.asname is None else f"{alias.name} as {alias.asname}")
                    needs_type_checking |= is_type_only
                else:
                    external.setdefault(id(node), (node, []))[1].append(alias)
    if needs_type_checking:
        for s in module.statements:
            old = layout.old[s.origin]
            if "TYPE_CHECKING" in old.imported:
                node, alias, _ = old.imported["TYPE_CHECKING"]
                external.setdefault(id(node), (node, []))[1].append(alias)
                break
    out = [_docstring(module.doc)]
    if future:
        out.append("\nfrom __future__ import annotations\n")
    ordered = [external[k] for k in sorted(external, key=lambda k: (external[k][0].lineno))]
    standard = [x for x in ordered if _is_standard(x[0])]
    third = [x for x in ordered if not _is_standard(x[0])]
    for group in (standard, third):
        if group:
            out.append("\n" + "".join(_external_line(node, aliases) + "\n" for node, aliases in group))
    local = []
    for target, alias in dict.fromkeys(modules_as):
        package, _, leaf = target.rpartition(".")
        local.append(_import_line(relative(package, module.dotted, False), [(leaf, alias)], ""))
    for target, names in internal.items():
        local.append(_import_line(relative(target, module.dotted, False), _pairs(names), ""))
    local.sort(key=lambda line: line.split(" import ")[0])
    if local:
        out.append("\n" + "\n".join(local) + "\n")
    if module.code:
        out.append("\n" + module.code.strip("\n") + "\n")
    if type_only:
        out.append("\nif TYPE_CHECKING:\n" + "".join(
            "    " + _import_line(relative(t, module.dotted, False), _pairs(n), "    ") + "\n" for t, n in type_only.items()))
    previous = None
    for s in module.statements:
        text = rewriter.python(_literals(s.text, s.origin, layout), f"{s.origin} -> {module.dotted}", s.origin,
                               module.dotted, old_is_package=layout.old[s.origin].path.name == "__init__.py")
        is_def = isinstance(s.node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        blank = 2 if is_def or previous else min(max(s.blank_before, 1), 2)
        out.append("\n" * blank + text.rstrip("\n") + "\n")
        previous = is_def
    return "".join(out[:1]) + "".join(out[1:]) if out else ""


def _docstring(doc: str) -> str:
    doc = doc.strip()
    if '"""' in doc:
        raise LayoutError(f"a docstring in the mapping holds triple quotes: {doc[:40]}")
    return f'"""{doc}"""\n'


def _pairs(names: list[str]) -> list[tuple[str, str | None]]:
    pairs = []
    for name in sorted(set(names)):
        real, _, alias = name.partition(" as ")
        pairs.append((real, alias or None))
    return pairs


def _is_standard(node: ast.stmt) -> bool:
    name = (node.names[0].name if isinstance(node, ast.Import) else node.module or "").split(".")[0]
    return name in sys.stdlib_module_names


def _external_line(node: ast.stmt, aliases: list[ast.alias]) -> str:
    used = [a for a in node.names if any(a is b for b in aliases)]
    if isinstance(node, ast.Import):
        return "\n".join(f"import {a.name}" + (f" as {a.asname}" if a.asname else "") for a in used)
    return _import_line("." * node.level + (node.module or ""), [(a.name, a.asname) for a in used], "")


def _literals(text: str, origin: str, layout: Layout) -> str:
    for old, new in layout.literals.get(origin.removeprefix(PACKAGE + "."), []):
        if old not in text:
            continue
        text = text.replace(old, new)
    return text


def build_package_init(module: NewModule, layout: Layout) -> str:
    """A package's __init__: its docstring and the names it re-exports."""
    lines = [_docstring(module.doc)]
    exports: dict[str, list[str]] = {}
    prefix = module.dotted + "."
    for name in module.reexport:
        holders = [m.dotted for m in layout.new.values() if not m.is_package and m.dotted.startswith(prefix)
                   and (name in {n for s in m.statements for n in s.names} or (m.whole and name in layout.old[m.whole].defined))]
        if len(holders) != 1:
            raise LayoutError(f"{module.dotted}: re-exports {name}, found in {holders or 'no module of it'}")
        exports.setdefault(holders[0], []).append(name)
    if exports:
        lines.append("\n" + "".join(_import_line(relative(t, module.dotted, True), _pairs(n), "") + "\n"
                                    for t, n in sorted(exports.items(), key=lambda kv: kv[0])))
    return "".join(lines)


# ---------------------------------------------------------------- checks on the result


def import_graph(files: dict[str, str]) -> dict[str, set[str]]:
    """Module -> the vnplanparse modules it imports (anywhere but under TYPE_CHECKING)."""
    graph: dict[str, set[str]] = {}
    modules = set()
    for path in files:
        if path.endswith(".py"):
            parts = path.removesuffix(".py").split("/")
            modules.add(".".join([PACKAGE, *(parts[:-1] if parts[-1] == "__init__" else parts)]))
    for path, source in files.items():
        if not path.endswith(".py"):
            continue
        parts = path.removesuffix(".py").split("/")
        is_package = parts[-1] == "__init__"
        dotted = ".".join([PACKAGE, *(parts[:-1] if is_package else parts)])
        tree = ast.parse(source)
        hidden = {id(s) for n in ast.walk(tree) if _is_type_checking(n) for s in ast.walk(n)}
        edges = graph.setdefault(dotted, set())
        for node in ast.walk(tree):
            if id(node) in hidden:
                continue
            if isinstance(node, ast.Import):
                edges.update(a.name for a in node.names if a.name in modules)
            elif isinstance(node, ast.ImportFrom):
                base = absolute_base(node, dotted, is_package)
                if base in modules:
                    for a in node.names:
                        edges.add(f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base)
        edges.discard(dotted)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found, state, stack = [], {}, []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                found.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


# ---------------------------------------------------------------- the run


def plan(root: Path, mapping: dict) -> tuple[dict[str, str], list[str], dict[str, str]]:
    """(files to write under the package, old files to delete, other files rewritten)."""
    pkg = root / "src" / PACKAGE
    moved_dirs = mapping.get("move_dirs", {})
    already = [p for p in {*(k.split("/")[0] for k in mapping["modules"]), *(k for k in mapping.get("packages", {}) if k != ".")}
               if any((pkg / p).glob("*.py")) and p not in moved_dirs]  # a stale __pycache__ is not a move
    if already or not all((pkg / d).is_dir() for d in moved_dirs):
        raise LayoutError(f"the tree looks already moved ({', '.join(sorted(already)) or 'moved folders are gone'}): refusing")
    layout = Layout(mapping, old_modules(pkg, {d: v for d, v in moved_dirs.items() if (pkg / d / "__init__.py").exists()}))
    rewriter = Rewriter(layout)
    files: dict[str, str] = {}
    problems = []
    for module in layout.new.values():
        try:
            if module.is_package:
                text = build_package_init(module, layout)
                if module.dotted == PACKAGE:
                    continue  # the top-level __init__ is built below from its own mapping entry
                files[module.path] = text
            elif module.whole:
                old = layout.old[module.whole]
                text = rewriter.python(_literals(old.source, module.whole, layout), str(old.path), module.whole,
                                       module.dotted)
                files[module.path] = sort_relative_imports(text)
            else:
                files[module.path] = build_split(module, layout, rewriter)
        except LayoutError as exc:
            problems.append(str(exc))
    top = layout.new.get(PACKAGE)
    if top is not None:
        head = build_package_init(top, layout)
        body = files.pop(f"{PACKAGE}.__init__".split(".", 1)[1] + ".py", None)
        if body is not None:  # the split module "__init__" (statements such as __all__)
            body = body.split('"""', 2)[2] if body.startswith('"""') else body
            head += body
        files["__init__.py"] = head
    for old_dir, new_dir in moved_dirs.items():
        for path in sorted((pkg / old_dir).rglob("*")):
            if path.is_dir() or "__pycache__" in path.parts:
                continue
            rel = path.relative_to(pkg / old_dir).as_posix()
            target = f"{new_dir}/{rel}"
            if path.suffix == ".py":
                parts = path.relative_to(pkg).with_suffix("").parts
                is_package = parts[-1] == "__init__"
                old_dotted = ".".join((PACKAGE, *(parts[:-1] if is_package else parts)))
                new_dotted = layout.module_target(old_dotted)
                try:
                    files[target] = sort_relative_imports(rewriter.python(
                        path.read_text(encoding="utf-8"), str(path), old_dotted, new_dotted,
                        new_is_package=is_package, old_is_package=is_package))
                except LayoutError as exc:
                    problems.append(str(exc))
            else:
                files[target] = path  # data: copied as bytes
    packages = {m.dotted for m in layout.new.values() if m.is_package}
    for path in [p for p in files if p.endswith(".py")]:  # every folder holding a module is a package
        folder = path.rsplit("/", 1)[0] if "/" in path else ""
        if folder and f"{folder}/__init__.py" not in files:
            problems.append(f"{folder}/: a folder of the new layout without a package entry in the mapping")
    for path, text in files.items():
        if isinstance(text, str) and path.endswith(".py") and text.count("\n") > MAX_LINES:
            problems.append(f"{path}: {text.count(chr(10))} lines (at most {MAX_LINES})")
    for cycle in cycles(import_graph({p: t for p, t in files.items() if isinstance(t, str)})):
        problems.append("import cycle: " + " -> ".join(cycle))
    others: dict[str, str] = {}
    for folder in REWRITTEN_PYTHON:
        for path in sorted((root / folder).rglob("*.py")):
            rel = path.relative_to(root).as_posix()
            if rel in SELF or "__pycache__" in path.parts:
                continue
            source = path.read_text(encoding="utf-8")
            try:
                text = rewriter.python(source, rel, None, None)
            except LayoutError as exc:
                problems.append(str(exc))
                continue
            if text != source:
                others[rel] = text
    for pattern in REWRITTEN_TEXT:
        for path in sorted(root.glob(pattern)):
            source = path.read_text(encoding="utf-8")
            try:
                text = rewriter.text(source)
            except LayoutError as exc:
                problems.append(f"{path.relative_to(root)}: {exc}")
                continue
            if text != source:
                others[path.relative_to(root).as_posix()] = text
    try:
        others["pyproject.toml"] = _pyproject((root / "pyproject.toml").read_text(encoding="utf-8"), rewriter, packages)
    except LayoutError as exc:
        problems.append(f"pyproject.toml: {exc}")
    for origin, pairs in layout.literals.items():
        for old, _ in pairs:
            if old not in layout.old[f"{PACKAGE}.{origin}"].source:
                problems.append(f"rewrite_literals: {origin} no longer holds {old!r}")
    if problems:
        raise LayoutError("\n".join(dict.fromkeys(problems)))
    removed = [str(m.path.relative_to(pkg)) for d, m in layout.old.items() if not layout._moved_dir(d)]
    return files, removed + list(moved_dirs), others


def _pyproject(text: str, rewriter: Rewriter, packages: set[str]) -> str:
    text = rewriter.text(text)
    line = re.search(r"^packages = \[(.*)\]$", text, re.M)
    if line is None:
        raise LayoutError("no one-line `packages = [...]` to rewrite")
    listed = [p.strip().strip('"') for p in line.group(1).split(",") if p.strip()]
    new_list = list(dict.fromkeys([PACKAGE, *sorted(packages - {PACKAGE}), *listed]))
    return text[:line.start(1)] + ", ".join(f'"{p}"' for p in new_list) + text[line.end(1):]


def main() -> int:
    cli = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    cli.add_argument("root", nargs="?", type=Path, default=Path(__file__).resolve().parent.parent)
    cli.add_argument("--mapping", type=Path, default=None)
    cli.add_argument("--check", action="store_true", help="run every check, write nothing")
    cli.add_argument("--names", metavar="MODULE", help="print an old module's top-level names, in order, and stop")
    args = cli.parse_args()
    root = args.root.resolve()
    if args.names:
        path = root / "src" / PACKAGE / f"{args.names}.py"
        try:
            names = [n for s in read_module(args.names, path).statements for n in s.names]
        except (OSError, SyntaxError) as exc:
            print(f"relayout: {exc}", file=sys.stderr)
            return 1
        print(f"{args.names}: [{', '.join(names)}]")
        return 0
    mapping_path = args.mapping or root / "scripts" / "layout.yaml"
    try:
        mapping = yaml.safe_load(mapping_path.read_text(encoding="utf-8"))
        if not isinstance(mapping, dict) or not isinstance(mapping.get("modules"), dict):
            raise LayoutError(f"{mapping_path}: not a mapping with a `modules:` table")
        files, removed, others = plan(root, mapping)
    except (OSError, yaml.YAMLError, LayoutError, SyntaxError) as exc:
        print(f"relayout: refused, nothing written:\n{exc}", file=sys.stderr)
        return 1
    if args.check:
        print(f"relayout: the mapping fits ({len(files)} files in the new layout); nothing written")
        return 0
    pkg = root / "src" / PACKAGE
    staging = root / "src" / f".{PACKAGE}.relayout"
    if staging.exists():
        shutil.rmtree(staging)
    for rel, content in files.items():  # build the new package beside the old one, then swap
        target = staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            shutil.copyfile(content, target)
        else:
            target.write_text(content, encoding="utf-8")
    for rel in removed:
        path = pkg / rel
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    for path in sorted(staging.rglob("*")):
        destination = pkg / path.relative_to(staging)
        if path.is_dir():
            destination.mkdir(parents=True, exist_ok=True)
        else:
            destination.parent.mkdir(parents=True, exist_ok=True)
            path.replace(destination)
    shutil.rmtree(staging)
    for rel, text in others.items():
        (root / rel).write_text(text, encoding="utf-8")
    print(f"relayout: {len(files)} files in the new layout, {len(removed)} old ones removed, {len(others)} others rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
