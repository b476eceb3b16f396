"""DOCX -> HTML that the HTML normaliser reads: one <p> per paragraph with the list marker Word
generates written out (`1.`, `a)`, `-`), bold runs as <b>, tables as <table> with colspan and
rowspan from Word's gridSpan and vMerge, footnotes as numbered paragraphs at the end."""

from __future__ import annotations

import html
import io
import zipfile

from lxml import etree

from ...errors import InputError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": W}
_MAX_XML_BYTES = 200 * 1024 * 1024  # a zip bomb expands without limit; no real plan comes near


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def docx_to_html(data: bytes, label: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = {name: _part(archive, name) for name in
                     ("word/document.xml", "word/numbering.xml", "word/styles.xml", "word/footnotes.xml")}
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, zipfile.LargeZipFile) as exc:
        raise InputError(f"{label}: damaged DOCX file ({exc.__class__.__name__})") from None
    except RuntimeError:  # zipfile's word for an encrypted member
        raise InputError(f"{label}: encrypted DOCX file; save it without a password first") from None
    try:
        trees = {name: etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))
                 for name, xml in parts.items() if xml is not None}
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{label}: damaged DOCX file (bad XML: {str(exc).splitlines()[0]})") from None
    body = trees["word/document.xml"].find("w:body", _NS)
    if body is None:
        raise InputError(f"{label}: damaged DOCX file (no document body)")
    writer = _Writer(_Numbering(trees.get("word/numbering.xml"), trees.get("word/styles.xml")))
    writer.block(body)
    writer.footnotes(trees.get("word/footnotes.xml"))
    return "<html><body>\n" + "\n".join(writer.out) + "\n</body></html>\n"


def _part(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        if name == "word/document.xml":
            raise
        return None
    if info.file_size > _MAX_XML_BYTES:
        raise InputError(f"{name}: {info.file_size} bytes unpacked is too large for a plan")
    return archive.read(name)


class _Numbering:
    """Word's list numbering: each paragraph's numId and level give a counter formatted by the
    level's numFmt and lvlText (`%1.`, `%2)`); a higher level's step restarts the lower ones."""

    def __init__(self, numbering, styles):
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # abstractNumId -> ilvl -> (fmt, text, start)
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> (abstractNumId, start overrides)
        self.style_num: dict[str, tuple[str, int]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        if numbering is not None:
            for abstract in numbering.findall("w:abstractNum", _NS):
                levels = {}
                for lvl in abstract.findall("w:lvl", _NS):
                    levels[int(lvl.get(_w("ilvl"), "0"))] = (
                        _val(lvl.find("w:numFmt", _NS), "decimal"), _val(lvl.find("w:lvlText", _NS), ""),
                        int(_val(lvl.find("w:start", _NS), "1") or 1))
                self.levels[abstract.get(_w("abstractNumId"))] = levels
            for num in numbering.findall("w:num", _NS):
                overrides = {int(o.get(_w("ilvl"), "0")): int(_val(o.find("w:startOverride", _NS), "1"))
                             for o in num.findall("w:lvlOverride", _NS) if o.find("w:startOverride", _NS) is not None}
                self.nums[num.get(_w("numId"))] = (_val(num.find("w:abstractNumId", _NS), ""), overrides)
        if styles is not None:
            for style in styles.findall("w:style", _NS):
                num_pr = style.find("w:pPr/w:numPr", _NS)
                if num_pr is not None:
                    self.style_num[style.get(_w("styleId"))] = (_val(num_pr.find("w:numId", _NS), ""),
                                                               int(_val(num_pr.find("w:ilvl", _NS), "0") or 0))

    def marker(self, paragraph) -> str:
        num_pr = paragraph.find("w:pPr/w:numPr", _NS)
        if num_pr is not None:
            num_id, level = _val(num_pr.find("w:numId", _NS), ""), int(_val(num_pr.find("w:ilvl", _NS), "0") or 0)
        else:
            style = _val(paragraph.find("w:pPr/w:pStyle", _NS), "")
            num_id, level = self.style_num.get(style, ("", 0))
        if num_id not in self.nums:  # numId 0 switches numbering off
            return ""
        abstract, overrides = self.nums[num_id]
        levels = self.levels.get(abstract, {})
        if level not in levels:
            return ""
        key = num_id if overrides else abstract  # nums without overrides continue one list
        counters = self.counters.setdefault(key, {})
        counters[level] = counters[level] + 1 if level in counters else overrides.get(level, levels[level][2])
        for deeper in [d for d in counters if d > level]:
            del counters[deeper]
        fmt, text, _ = levels[level]
        if fmt == "bullet":
            return "-"
        if fmt == "none":
            return ""
        for n in range(level + 1):
            value = counters.get(n, levels.get(n, ("decimal", "", 1))[2])
            text = text.replace(f"%{n + 1}", _formatted(value, levels.get(n, ("decimal",))[0]))
        return text.strip()


def _val(node, default: str) -> str:
    return default if node is None else node.get(_w("val"), default)


def _formatted(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = ""
        while value > 0:
            value, rest = divmod(value - 1, 26)
            letters = chr(ord("a") + rest) + letters
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return roman.lower() if fmt == "lowerRoman" else roman
    return str(value)


def _roman(value: int) -> str:
    out = ""
    for number, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                            (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while value >= number:
            out, value = out + letters, value - number
    return out


class _Writer:
    def __init__(self, numbering: _Numbering):
        self.numbering = numbering
        self.out: list[str] = []
        self.footnote_ids: list[str] = []

    def block(self, container) -> None:
        for child in container:
            if child.tag == _w("p"):
                self.out.append(f"<p>{self.paragraph(child)}</p>")
            elif child.tag == _w("tbl"):
                self.table(child)
            elif child.tag == _w("sdt"):  # a content control wraps ordinary blocks
                content = child.find("w:sdtContent", _NS)
                if content is not None:
                    self.block(content)

    def paragraph(self, paragraph) -> str:
        marker = self.numbering.marker(paragraph)
        pieces = [html.escape(marker) + " "] if marker else []
        for run in paragraph.iter(_w("r")):
            text = self.run_text(run)
            if text:
                pieces.append(f"<b>{text}</b>" if _is_bold(run) else text)
        return "".join(pieces)

    def run_text(self, run) -> str:
        out = []
        for node in run:
            if node.tag == _w("t"):  # not w:delText, text a revision deleted
                out.append(html.escape(node.text or ""))
            elif node.tag == _w("tab"):
                out.append(" ")
            elif node.tag in (_w("br"), _w("cr")):
                out.append("<br>")
            elif node.tag == _w("noBreakHyphen"):
                out.append("-")
            elif node.tag == _w("footnoteReference"):
                self.footnote_ids.append(node.get(_w("id")))
                out.append(f"[{len(self.footnote_ids)}]")
        return "".join(out)

    def table(self, table) -> None:
        """Rows as <tr>; a cell that continues a vertical merge adds to the rowspan of the cell
        above it in the same grid column instead of being written."""
        rows: list[list[dict]] = []
        open_cells: dict[int, dict] = {}
        for tr in table.findall("w:tr", _NS):
            row, column = [], 0
            for tc in tr.findall("w:tc", _NS):
                span = int(_val(tc.find("w:tcPr/w:gridSpan", _NS), "1") or 1)
                merge = tc.find("w:tcPr/w:vMerge", _NS)
                if merge is not None and merge.get(_w("val"), "continue") == "continue" and column in open_cells:
                    open_cells[column]["rowspan"] += 1
                else:
                    inner = _Writer(self.numbering)
                    inner.footnote_ids = self.footnote_ids
                    inner.block(tc)
                    cell = {"html": "\n".join(inner.out), "colspan": span, "rowspan": 1}
                    row.append(cell)
                    open_cells[column] = cell
                column += span
            rows.append(row)
        self.out.append("<table>")
        for row in rows:
            cells = "".join(f"<td{_spans(c)}>{c['html']}</td>" for c in row)
            self.out.append(f"<tr>{cells}</tr>")
        self.out.append("</table>")

    def footnotes(self, tree) -> None:
        if tree is None or not self.footnote_ids:
            return
        notes = {note.get(_w("id")): note for note in tree.findall("w:footnote", _NS)}
        for number, note_id in enumerate(self.footnote_ids, start=1):
            note = notes.get(note_id)
            if note is not None:
                text = " ".join(self.paragraph(p) for p in note.findall("w:p", _NS)).strip()
                self.out.append(f"<p>[{number}] {text}</p>")


def _spans(cell: dict) -> str:
    return (f' colspan="{cell["colspan"]}"' if cell["colspan"] > 1 else "") + \
           (f' rowspan="{cell["rowspan"]}"' if cell["rowspan"] > 1 else "")


def _is_bold(run) -> bool:
    bold = run.find("w:rPr/w:b", _NS)
    return bold is not None and bold.get(_w("val"), "true") not in ("0", "false", "off")
