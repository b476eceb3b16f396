"""Documents made from the project's own plans (corpus/) for the reader tests: a DOCX written with
python-docx (Word numbering for `1.` and `a)` markers, bold runs, tables), a text-layer PDF drawn
with reportlab in DejaVu Sans (wrapped lines, a running header, page numbers), a scan made by
rendering that PDF's pages to images, and a DOC converted by LibreOffice when it is installed."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

import regex

from vnplanparse.reading.load import read_path
from vnplanparse.normalising.normalize import normalize

FONT_FOLDER = Path("/usr/share/fonts/truetype/dejavu")
_NUMBERED = regex.compile(r"^(\d{1,2})\. (?=\S)|^([a-h])\) (?=\S)")
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _layout(plan: Path):
    norm = normalize(read_path(plan))
    rows = {}  # line start -> the row's cells, for lines that are table rows
    for table in norm.tables:
        for index, row in enumerate(table.rows):
            start = norm.text.rfind("\n", 0, row[0].start) + 1 if row else None
            if row:
                rows[start] = (table, index, row)
    return norm, rows


def _lines(text: str):
    position = 0
    for line in text.split("\n"):
        yield position, line
        position += len(line) + 1


def _pieces(norm, start: int, end: int):
    """(text, bold) pieces of norm.text[start:end] by the bold spans."""
    cuts = {start, end}
    for a, b in norm.bold_spans:
        if a < end and b > start:
            cuts.update({max(a, start), min(b, end)})
    cuts = sorted(cuts)
    for a, b in zip(cuts, cuts[1:]):
        bold = any(x <= a and b <= y for x, y in norm.bold_spans)
        yield norm.text[a:b], bold


def plan_docx(plan: Path) -> bytes:
    import docx
    from docx.oxml import parse_xml

    norm, rows = _layout(plan)
    document = docx.Document()
    numbering = document.part.numbering_part.element
    next_num, lists = [100], {}  # kind -> (numId, last value)

    def list_id(kind: str, value: int) -> int:
        """A list of its own for each run of markers, as Word writes one: an abstract list
        starting at the value written (a startOverride on a shared one is lost when LibreOffice
        saves the document as .doc, which then reads "1." where "2." was)."""
        num_id, last = lists.get(kind, (None, None))
        if num_id is None or value != last + 1:
            num_id, next_num[0] = next_num[0], next_num[0] + 1
            fmt, text = ("decimal", "%1.") if kind == "n" else ("lowerLetter", "%1)")
            numbering.insert(0, parse_xml(
                f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="{num_id}"><w:lvl w:ilvl="0"><w:start w:val="{value}"/>'
                f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl></w:abstractNum>'))
            numbering.append(parse_xml(
                f'<w:num xmlns:w="{W}" w:numId="{num_id}"><w:abstractNumId w:val="{num_id}"/></w:num>'))
        lists[kind] = (num_id, value)
        return num_id

    table = None
    for start, line in _lines(norm.text.rstrip("\n")):
        if start in rows:
            layout, index, cells = rows[start]
            if index == 0 or table is None:
                table = document.add_table(rows=0, cols=max(layout.width, 1))
            row = table.add_row()
            for cell in cells:
                column = min(cell.column if cell.column is not None else cells.index(cell), layout.width - 1)
                target = row.cells[column]
                if cell.colspan > 1:
                    target = target.merge(row.cells[min(column + cell.colspan, layout.width) - 1])
                paragraph = target.paragraphs[0]
                for text, bold in _pieces(norm, cell.start, cell.end):
                    paragraph.add_run(text).bold = bold
            continue
        table = None
        paragraph = document.add_paragraph()
        numbered = _NUMBERED.match(line)
        body = start
        if numbered:
            kind, value = ("n", int(numbered[1])) if numbered[1] else ("a", ord(numbered[2]) - ord("a") + 1)
            num_pr = parse_xml(f'<w:numPr xmlns:w="{W}"><w:ilvl w:val="0"/><w:numId w:val="{list_id(kind, value)}"/></w:numPr>')
            paragraph._p.get_or_add_pPr().append(num_pr)
            body = start + numbered.end()
        for text, bold in _pieces(norm, body, start + len(line)):
            paragraph.add_run(text).bold = bold
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def plan_pdf(plan: Path) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(TTFont("DejaVu", str(FONT_FOLDER / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVu-Bold", str(FONT_FOLDER / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily("DejaVu", normal="DejaVu", bold="DejaVu-Bold")
    style = ParagraphStyle("plan", fontName="DejaVu", fontSize=11, leading=14, spaceAfter=4)
    cell_style = ParagraphStyle("cell", fontName="DejaVu", fontSize=8, leading=10)
    norm, rows = _layout(plan)

    def grid_table(grid: list[tuple[int, list]]) -> Table:
        """Ruled cells, text at each cell's top, merged cells spanning their columns and rows:
        a table as Word prints one."""
        width = max([layout_width for layout_width, _ in grid] + [len(cells) for _, cells in grid])
        matrix = [[""] * width for _ in grid]
        covered: set[tuple[int, int]] = set()
        style = [("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "TOP")]
        for r, (_, cells) in enumerate(grid):
            for index, cell in enumerate(cells):
                column = min(cell.column if cell.column is not None else index, width - 1)
                while (r, column) in covered and column < width - 1:
                    column += 1
                last_column = min(column + cell.colspan, width) - 1
                last_row = min(r + cell.rowspan, len(grid)) - 1
                matrix[r][column] = Paragraph(markup(cell.start, cell.end), cell_style)
                covered.update((y, x) for y in range(r, last_row + 1) for x in range(column, last_column + 1))
                if (last_column, last_row) != (column, r):
                    style.append(("SPAN", (column, r), (last_column, last_row)))
        return Table(matrix, style=TableStyle(style))

    def markup(a: int, b: int) -> str:
        return "".join(f"<b>{escape(t)}</b>" if bold else escape(t) for t, bold in _pieces(norm, a, b))

    story, grid = [], []
    for start, line in _lines(norm.text.rstrip("\n")):
        if start in rows:
            layout, index, cells = rows[start]
            grid.append((layout.width, cells))
            continue
        if grid:
            story.append(grid_table(grid))
            grid = []
        story.append(Paragraph(markup(start, start + len(line)) or "&nbsp;", style))
    if grid:
        story.append(grid_table(grid))

    def furniture(canvas, document):
        canvas.setFont("DejaVu", 9)
        canvas.drawCentredString(A4[0] / 2, 1.2 * cm, str(document.page))
        if document.page > 1:
            canvas.drawString(2.5 * cm, A4[1] - 1.2 * cm, "Kế hoạch thực hiện - bản điện tử")

    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, leftMargin=2.5 * cm, rightMargin=2 * cm, topMargin=2 * cm,
                      bottomMargin=2 * cm).build(story, onFirstPage=furniture, onLaterPages=furniture)
    return out.getvalue()


def scanned_pdf(pdf: bytes, dpi: int = 200, blank_pages: int = 0) -> bytes:
    """The PDF's pages as images only: no text layer, as a scanner gives it (with blank pages
    after them, as a scanner feeds the empty back of a sheet)."""
    import pypdfium2 as pdfium
    from PIL import Image

    document = pdfium.PdfDocument(pdf)
    images = [document[i].render(scale=dpi / 72, grayscale=True).to_pil() for i in range(len(document))]
    images += [Image.new("L", images[0].size, 255) for _ in range(blank_pages)]
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return out.getvalue()


def docx_to_doc(docx_bytes: bytes) -> bytes | None:
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "plan.docx").write_bytes(docx_bytes)
        subprocess.run([soffice, f"-env:UserInstallation={Path(folder, 'p').as_uri()}", "--headless",
                        "--convert-to", "doc", "--outdir", folder, str(Path(folder, "plan.docx"))],
                       capture_output=True, timeout=180, check=False, stdin=subprocess.DEVNULL)
        out = Path(folder, "plan.doc")
        return out.read_bytes() if out.is_file() else None


def comparable(document) -> tuple[set, set]:
    """What the bar compares: targets as (value, unit, year) and the depth-2 sections."""
    targets = {(t.value, t.unit, t.year) for t in document.targets}
    sections = {(s.id, (s.title or "")[:60]) for top in document.sections for s in top.children}
    return targets, sections


def agreement(expected, got) -> tuple[int, int]:
    """(items of the text's parse matched by the document's, items in all), both ways."""
    matched = total = 0
    for want, have in zip(comparable(expected), comparable(got)):
        matched += len(want & have)
        total += len(want | have)
    return matched, total


def layout_pdf(pages: list[list[tuple]]) -> bytes:
    """A PDF drawn line by line, for the reader's layout rules: each page a list of
    ("line", [(text, bold, size), ...], full, space_before), where a full line is justified to
    the right margin; ("table", rows, merges) a ruled grid whose rows are lists of cell texts
    and merges (column, row, colspan, rowspan); ("header", text) a small line in the top margin;
    ("number", text) a page number at the foot."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVu", str(FONT_FOLDER / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVu-Bold", str(FONT_FOLDER / "DejaVuSans-Bold.ttf")))
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    left, right = 72.0, A4[0] - 60
    for items in pages:
        y = A4[1] - 80
        for item in items:
            if item[0] == "header":
                page.setFont("DejaVu", 8)
                page.drawString(left, A4[1] - 30, item[1])
            elif item[0] == "number":
                page.setFont("DejaVu", 9)
                page.drawCentredString(A4[0] / 2, 30, item[1])
            elif item[0] == "line":
                _, runs, full, space_before = item
                y -= 14 + space_before
                natural = sum(pdfmetrics.stringWidth(t, "DejaVu-Bold" if b else "DejaVu", s) for t, b, s in runs)
                gaps = sum(t.count(" ") for t, _, _ in runs)
                text = page.beginText(left, y)
                text.setWordSpace((right - left - natural) / gaps if full and gaps else 0)
                for words, bold, size in runs:
                    text.setFont("DejaVu-Bold" if bold else "DejaVu", size)
                    text.textOut(words)
                page.drawText(text)
            else:
                _, rows, merges = item
                widths = [40, 200, 110, 110]
                xs = [left + sum(widths[:i]) for i in range(len(widths) + 1)]
                top = y - 6
                ys = [top - 20 * i for i in range(len(rows) + 1)]

                def inside(c: int, r: int, column_edge: bool) -> bool:
                    """Whether the rule above cell (c, r), or left of it, runs through a merged cell."""
                    return any((mc < c < mc + cs and mr <= r < mr + rs) if column_edge else
                               (mc <= c < mc + cs and mr < r < mr + rs) for mc, mr, cs, rs in merges)

                page.setFont("DejaVu", 9)
                for r, row in enumerate(rows):
                    for c, cell in enumerate(row):
                        if cell:
                            page.drawString(xs[c] + 3, ys[r] - 13, cell)
                for r in range(len(rows) + 1):
                    for c in range(len(widths)):
                        if not inside(c, r, False):
                            page.line(xs[c], ys[r], xs[c + 1], ys[r])
                for c in range(len(widths) + 1):
                    for r in range(len(rows)):
                        if not inside(c, r, True):
                            page.line(xs[c], ys[r], xs[c], ys[r + 1])
                y = ys[-1] - 6
        page.showPage()
    page.save()
    return out.getvalue()
