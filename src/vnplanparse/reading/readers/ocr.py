"""OCR of a scanned PDF's pages with Tesseract's Vietnamese model (the optional extra
`vnplanparse[ocr]`: pytesseract, with Debian's tesseract-ocr and tesseract-ocr-vie)."""

from __future__ import annotations

import os
import unicodedata

import regex

from ...errors import InputError
from .pdf import _TOUCH, VIETNAMESE, Line, Page, Rule, _rows, _ruled_tables

DPI = 300
_IMAGE_RULE = 12.0  # points: longer than a letter's stroke (an l, a dash) at a plan's type sizes
_INSTALL = "pip install 'vnplanparse[ocr]' and Debian's tesseract-ocr tesseract-ocr-vie"
# Vietnamese writes no eth (Ð ð): Tesseract's reading of Đ đ, sometimes beside the Đ it also read
_ETH = regex.compile(r"Đ?Ð|đ?ð")
# a "word" of these alone is a speck or what is left of a rule beside a letter: Vietnamese sets
# them against a word, never apart (and a lone "|" would split a table cell)
_SPECK = regex.compile(r"^[|:;_`'‘’.,¡]+$")


# a document's type stands alone on a line in capitals, where Tesseract misreads tone marks most
# ("KÊ HOẠCH"): a line whose letters without their marks spell one of these is that line
_DOCUMENT_TYPES = ("KẾ HOẠCH", "QUYẾT ĐỊNH", "NGHỊ QUYẾT", "CHƯƠNG TRÌNH", "CHƯƠNG TRÌNH HÀNH ĐỘNG", "ĐỀ ÁN",
                   "CHỈ THỊ", "THÔNG BÁO", "BÁO CÁO", "KẾT LUẬN", "PHƯƠNG ÁN", "QUY CHẾ", "QUY ĐỊNH")


def _unmarked(text: str) -> str:
    letters = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return " ".join("".join(ch for ch in letters if not unicodedata.combining(ch)).split())


_BY_UNMARKED = {_unmarked(name): name for name in _DOCUMENT_TYPES}


def document_type_line(text: str) -> str:
    """The line as written, or the document type whose marks OCR misread on it."""
    return _BY_UNMARKED.get(_unmarked(text), text) if text.isupper() else text


def ocr_pages(document, label: str) -> tuple[list[Page], list[str]]:
    """Each page rendered and read as lines (with boxes in points, as the text layer gives
    them); a warning for each page that yields no readable Vietnamese."""
    pytesseract = _tesseract(label)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # Tesseract's threads fight over two cores: one each is faster
    pages, warnings = [], []
    scale = DPI / 72
    for index in range(len(document)):
        page = document[index]
        width, height = page.get_size()
        image = page.render(scale=scale, grayscale=True).to_pil()
        rules = image_rules(image, scale)
        clean = _without(image, rules, scale)
        data = pytesseract.image_to_data(clean, lang="vie", config="--psm 3", output_type=pytesseract.Output.DICT)
        words: dict[tuple[int, int, int], list[Line]] = {}  # Tesseract's line -> its words
        for key, word in _words(data, scale):
            words.setdefault(key, []).append(word)
        # words in a ruled table go to its cells one by one (Tesseract's line may run across them)
        rows, rest = _ruled_tables([w for line in words.values() for w in line], rules,
                                   lambda *box: _read_cell(pytesseract, clean, box, scale))
        kept = {id(w) for w in rest}
        pieces = [_joined([w for w in line if id(w) in kept]) for line in words.values()]
        pieces = [piece for piece in pieces if piece is not None]
        if len(VIETNAMESE.findall(" ".join(p.text for p in pieces + rows))) < 3:
            warnings.append(f"page {index + 1}: OCR found no readable Vietnamese text")
        pages.append(Page(sorted(_rows(pieces) + rows, key=lambda line: line.top), width, height))
        page.close()
    return pages, warnings


def _read_cell(pytesseract, image, box: tuple[float, float, float, float], scale: float) -> list[Line]:
    """The words of one ruled cell that the page's reading left empty, the cell read alone: a
    cell's lone figure ("7", "%") is what Tesseract's page layout passes over."""
    import numpy

    left, top, right, bottom = (int(v * scale) for v in box)
    crop = image.crop((left + 4, top + 4, right - 3, bottom - 3))
    if crop.width < 4 or crop.height < 4 or (numpy.asarray(crop) < 128).sum() < 12:
        return []  # a blank cell
    data = pytesseract.image_to_data(crop, lang="vie", config="--psm 6", output_type=pytesseract.Output.DICT)
    return [word for _, word in _words(data, scale, (left + 4, top + 4))]


def _words(data: dict, scale: float, origin: tuple[int, int] = (0, 0)):
    """Tesseract's words with their line's key and their boxes in points on the page (the
    image read starting at origin, in pixels); specks left out, eths read as Đ đ."""
    for i, word in enumerate(data["text"]):
        if word.strip() and not _SPECK.match(word.strip()) and float(data["conf"][i]) >= 0:
            left, top = (origin[0] + data["left"][i]) / scale, (origin[1] + data["top"][i]) / scale
            right, bottom = left + data["width"][i] / scale, top + data["height"][i] / scale
            text = _ETH.sub(lambda m: "Đ" if m[0][-1] == "Ð" else "đ", word)
            yield (data["block_num"][i], data["par_num"][i], data["line_num"][i]), Line(text, left, right, top, bottom,
                                                                                        baseline=bottom)


def _joined(words: list[Line]) -> Line | None:
    if not words:
        return None
    bottom = max(w.bottom for w in words)
    return Line(document_type_line(" ".join(w.text for w in words)), min(w.left for w in words), max(w.right for w in words),
                min(w.top for w in words), bottom, baseline=bottom)


def image_rules(image, scale: float) -> list[Rule]:
    """The lines drawn on a page's image (a scanned table's grid): runs of dark pixels at
    least _IMAGE_RULE points long, across or down; none without numpy to find them."""
    try:
        import numpy
    except ImportError:
        return []
    dark = numpy.asarray(image.convert("L")) < 128
    least = _IMAGE_RULE * scale
    rules = []
    for horizontal, grid in ((True, dark), (False, dark.T)):
        edges = numpy.diff(numpy.pad(grid, ((0, 0), (1, 1))).astype(numpy.int8), axis=1)
        lines, starts = numpy.nonzero(edges == 1)
        _, ends = numpy.nonzero(edges == -1)
        long = ends - starts >= least
        for at, start, end in zip(lines[long].tolist(), starts[long].tolist(), ends[long].tolist()):
            rules.append(Rule(horizontal, at / scale, start / scale, end / scale))
    return _thinned(rules)


def _without(image, rules: list[Rule], scale: float):
    """The image with its ruled lines painted out: Tesseract reads a letter beside a cell's
    border as garbage, or not at all."""
    if not rules:
        return image
    from PIL import ImageDraw

    clean = image.copy()
    draw = ImageDraw.Draw(clean)
    for rule in rules:
        at, start, end = rule.at * scale, rule.start * scale, rule.end * scale
        box = (start, at - 3, end, at + 4) if rule.horizontal else (at - 3, start, at + 4, end)
        draw.rectangle(box, fill=255)
    return clean


def _thinned(rules: list[Rule]) -> list[Rule]:
    """A rule drawn a few pixels thick is one rule: runs on neighbouring pixel lines that
    overlap are kept once."""
    kept: list[Rule] = []
    last: dict[bool, list[Rule]] = {True: [], False: []}
    for rule in sorted(rules, key=lambda r: (r.horizontal, r.at, r.start)):
        near = [k for k in last[rule.horizontal] if rule.at - k.at <= _TOUCH and k.start <= rule.end and rule.start <= k.end]
        if not near:
            kept.append(rule)
            last[rule.horizontal] = [k for k in last[rule.horizontal] if rule.at - k.at <= _TOUCH] + [rule]
    return kept


def _tesseract(label: str):
    try:
        import pytesseract
    except ImportError:
        raise InputError(f"{label}: a scanned PDF (no text layer) needs OCR: {_INSTALL}") from None
    try:
        languages = pytesseract.get_languages(config="")
    except (pytesseract.TesseractNotFoundError, OSError):
        raise InputError(f"{label}: a scanned PDF needs OCR, but Tesseract is not installed: {_INSTALL}") from None
    if "vie" not in languages:
        raise InputError(f"{label}: a scanned PDF needs Tesseract's Vietnamese model: install tesseract-ocr-vie")
    return pytesseract
