"""The renderings a plan reaches users in (issue 16, point 2), and how far a parse of each agrees
with the parse of the original. Used by tests/test_renderings.py (a sample) and
benchmarks/bench_renderings.py (every plan).

Renderings, each made from the original by real converters where one exists:
- html: the original HTML as it is; any other plan as Markdown (its normalised text, bold kept,
  tables as pipe tables) through Python-Markdown with its tables extension;
- markdownify, html_to_markdown: that HTML written back as Markdown by the two packages (html2text
  would be the third, but it is GPL-3.0 and may not be a dependency);
- text: plain text, a paragraph per line, table rows as tab-separated cells;
- pdf: PDF-like text, hard line breaks near 80 characters, a page number and a running header
  every 50 lines.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import regex

from vnplanparse.reading.load import from_string, read_path
from vnplanparse.normalising.layout import NormalizedText
from vnplanparse.normalising.normalize import normalize
from vnplanparse.pipeline import parse_loaded
from vnplanparse.normalising.tables import read_tables

ROOT = Path(__file__).resolve().parents[1]
RENDERINGS = ("html", "markdownify", "html_to_markdown", "text", "pdf")
PDF_WIDTH, PDF_PAGE_LINES = 80, 50


# corpus2's odd half is the unfitted measure: it is measured here but its plans are never named
_UNFITTED = regex.compile(r"^2\d[13579]\.")


def label(path: Path) -> str:
    return "(unfitted half)" if path.parent.name == "corpus2" and _UNFITTED.match(path.name) else path.name


def corpus_plans() -> list[Path]:
    folders = [ROOT / "corpus", *sorted((ROOT.parent / "shared").glob("corpus*"))]
    return sorted(p for folder in folders if folder.is_dir() for p in folder.iterdir()
                  if p.suffix in (".txt", ".md", ".html", ".htm"))


# --- rendering --------------------------------------------------------------------------------

# what Markdown would read as syntax at a line start in a plan's text: list numbers and bullets
_LINE_START_SYNTAX = regex.compile(r"^(\d{1,3})([.)])(?=\s)|^([-+*])(?=\s)|^(#)")


def _escape_md(text: str) -> str:
    text = text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("`", "\\`")
    text = text.replace("[", "\\[").replace("<", "&lt;")
    return _LINE_START_SYNTAX.sub(lambda m: (m.group(1) + "\\" + m.group(2)) if m.group(1) else "\\" + m.group(0), text)


def _with_bold(text: str, start: int, bold: list[tuple[int, int]]) -> str:
    """A line's text (starting at offset `start`) with its bold runs marked `**…**`."""
    out, pos = [], 0
    for a, b in bold:
        a, b = max(a - start, 0), min(b - start, len(text))
        if a >= b or a < pos:
            continue
        out += [_escape_md(text[pos:a]), "**", _escape_md(text[a:b]), "**"]
        pos = b
    out.append(_escape_md(text[pos:]))
    return "".join(out)


def _table_lines(norm: NormalizedText) -> dict[int, tuple[int, list]]:
    """Offset of each table row's line -> (table index, the row's cells)."""
    rows = {}
    for t, table in enumerate(norm.tables):
        for cells in table.rows:
            if cells:
                rows[norm.text.rfind("\n", 0, cells[0].start) + 1] = (t, cells)
    return rows


def _row_values(norm: NormalizedText, table, cells) -> list[str]:
    """The row's cell texts at their grid columns, as wide as the table."""
    values = [""] * max(table.width, len(cells))
    for j, c in enumerate(cells):
        col = c.column if c.column is not None and c.column < len(values) else j
        values[col] = norm.text[c.start : c.end]
    return values


def _html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _same(a, b) -> bool:
    return a is not None and b is not None and (a.start, a.end) == (b.start, b.end)


def table_html(table) -> str:
    """A read table (vnplanparse.normalising.tables.Table) as `<table>`: a cell the grid reader spread over
    several columns becomes a colspan, one carried down over several rows a rowspan; an empty
    header position under a header cell is that cell's rowspan."""
    grid = [r.cells for r in table.header] + [r.cells for r in table.body]
    n_header, height = len(table.header), len(table.header) + len(table.body)
    width = max((len(r) for r in grid), default=0)
    covered: set[tuple[int, int]] = set()
    rows = []
    for r, row in enumerate(grid):
        tag = "th" if r < n_header else "td"
        out = []
        for k in range(width):
            if (r, k) in covered:
                continue
            cell = row[k] if k < len(row) else None
            if cell is None:
                out.append(f"<{tag}></{tag}>")
                continue
            cs = 1
            while k + cs < width and (r, k + cs) not in covered and _same(row[k + cs], cell):
                cs += 1
            rs = 1
            while r + rs < height and all(
                _same(grid[r + rs][j], cell) or (r + rs < n_header and grid[r + rs][j] is None)
                for j in range(k, k + cs)
            ):
                rs += 1
            covered |= {(r + a, k + b) for a in range(rs) for b in range(cs)}
            spans = (f' colspan="{cs}"' if cs > 1 else "") + (f' rowspan="{rs}"' if rs > 1 else "")
            out.append(f"<{tag}{spans}>{_html_escape(cell.text)}</{tag}>")
        rows.append("<tr>" + "".join(out) + "</tr>")
    return "<table>\n" + "\n".join(rows) + "\n</table>"


def canonical_markdown(norm: NormalizedText) -> str:
    """The normalised text as Markdown: a paragraph per block, bold as `**`, tables as raw
    `<table>` blocks with their merged cells as rowspan/colspan (a table the grid reader cannot
    read stays a pipe table)."""
    rows = _table_lines(norm)
    read = [read_tables(norm.text, [layout]) for layout in norm.tables]
    blocks: list[str] = []
    pos, last_table = 0, None
    bold = sorted(norm.bold_spans)
    for line in norm.text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        row = rows.get(start)
        if row is None:
            last_table = None
            if line.strip():
                blocks.append(_with_bold(line, start, [s for s in bold if s[1] > start and s[0] < pos]))
            continue
        t, cells = row
        if read[t]:
            if last_table != t:
                blocks.append(table_html(read[t][0]))
            last_table = t
            continue
        values = [_escape_md(v).replace("|", "\\|") for v in _row_values(norm, norm.tables[t], cells)]
        line_md = "| " + " | ".join(values) + " |"
        if last_table == t:
            blocks[-1] += "\n" + line_md
        else:
            blocks.append(line_md + "\n|" + "---|" * len(values))
        last_table = t
    return "\n\n".join(blocks) + "\n"


def plain_text(norm: NormalizedText) -> str:
    """A paragraph per line; table rows as tab-separated cells."""
    rows = _table_lines(norm)
    out, pos = [], 0
    for line in norm.text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        row = rows.get(start)
        if row is None:
            out.append(line)
        else:
            t, cells = row
            out.append("\t".join(v.replace("\n", " ") for v in _row_values(norm, norm.tables[t], cells)))
    return "\n".join(out)


def pdf_like(norm: NormalizedText, running_header: str) -> str:
    """Lines broken near 80 characters (table rows as ` | ` rows, broken too), and every 50
    lines a page number and the running header a PDF's text layer gives between pages."""
    lines: list[str] = []
    for line in norm.text.split("\n"):
        lines += textwrap.wrap(line, PDF_WIDTH, break_long_words=False, break_on_hyphens=False) or [""]
    out, page = [], 1
    for i, line in enumerate(lines):
        if i and i % PDF_PAGE_LINES == 0:
            out += [str(page), running_header]
            page += 1
        out.append(line)
    return "\n".join(out) + "\n"


def render(path: Path, original_doc=None) -> dict[str, tuple[str, str]]:
    """Each rendering of the plan as (its text, its file suffix)."""
    import markdown
    import markdownify
    from html_to_markdown import convert as html_to_markdown_convert

    loaded = read_path(path)
    norm = normalize(loaded)
    if loaded.format == "html":
        html = loaded.text
    else:
        html = markdown.markdown(canonical_markdown(norm), extensions=["tables"])
    header = (original_doc.metadata.doc_number if original_doc else None) or "KẾ HOẠCH"
    return {
        "html": (html, ".html"),
        "markdownify": (markdownify.markdownify(html, heading_style="ATX"), ".md"),
        "html_to_markdown": (html_to_markdown_convert(html).content, ".md"),
        "text": (plain_text(norm), ".txt"),
        "pdf": (pdf_like(norm, f"Số: {header}"), ".txt"),
    }


# --- comparing --------------------------------------------------------------------------------


def items(doc) -> dict[str, Counter]:
    """What must agree across renderings: targets, assignments and the section tree's top two levels."""
    targets = Counter((t.value, t.value_max, t.unit, t.year, t.comparator, t.direction) for t in doc.targets)
    assignments = Counter((tuple(a.lead), tuple(a.partners)) for a in doc.assignments)
    sections = Counter(s.id for top in doc.sections for s in [top, *top.children])
    return {"targets": targets, "assignments": assignments, "sections": sections}


@dataclass
class Agreement:
    """Per rendering: items the rendering's parse shares with the original's, and the larger of
    the two counts (so a miss and a spurious item both count against it)."""

    shared: Counter = field(default_factory=Counter)
    total: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    worst: list[tuple[float, str]] = field(default_factory=list)

    def add(self, original: dict[str, Counter], rendered: dict[str, Counter], label: str) -> None:
        shared_all = total_all = 0
        for part in original:
            shared = sum((original[part] & rendered[part]).values())
            total = max(sum(original[part].values()), sum(rendered[part].values()))
            self.shared[part] += shared
            self.total[part] += total
            shared_all, total_all = shared_all + shared, total_all + total
        if total_all and not label.startswith("("):
            self.worst.append((shared_all / total_all, label))

    def ratio(self, part: str | None = None) -> float:
        parts = [part] if part else list(self.total)
        total = sum(self.total[p] for p in parts)
        return sum(self.shared[p] for p in parts) / total if total else 1.0


def parse_text(text: str, suffix: str):
    return parse_loaded(from_string(text, name=f"rendered{suffix}"))


def measure(paths: list[Path], renderings=RENDERINGS) -> dict[str, Agreement]:
    results = {name: Agreement() for name in renderings}
    for path in paths:
        original = parse_loaded(read_path(path))
        base = items(original)
        for name, (text, suffix) in render(path, original).items():
            if name not in results:
                continue
            try:
                results[name].add(base, items(parse_text(text, suffix)), label(path))
            except Exception as exc:  # noqa: BLE001 - a rendering that fails to parse is a finding
                results[name].failures.append(f"{label(path)}: {type(exc).__name__}: {exc}")
                results[name].add(base, {k: Counter() for k in base}, label(path))
    return results


def report(results: dict[str, Agreement]) -> str:
    lines = [f"{'rendering':18} {'all':>6} {'targets':>8} {'assign.':>8} {'sections':>8}  worst plans"]
    for name, a in results.items():
        worst = ", ".join(f"{label} {r:.2f}" for r, label in sorted(a.worst)[:3])
        lines.append(f"{name:18} {a.ratio():6.3f} {a.ratio('targets'):8.3f} {a.ratio('assignments'):8.3f}"
                     f" {a.ratio('sections'):8.3f}  {worst}")
        lines += [f"    failed: {f}" for f in a.failures]
    return "\n".join(lines)
