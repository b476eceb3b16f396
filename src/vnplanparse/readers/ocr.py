"""OCR of a scanned PDF's pages with Tesseract's Vietnamese model (the optional extra
`vnplanparse[ocr]`: pytesseract, with Debian's tesseract-ocr and tesseract-ocr-vie)."""

from __future__ import annotations

import os

import regex

from ..errors import InputError
from .pdf import VIETNAMESE, Line, Page, _rows

DPI = 300
_INSTALL = "pip install 'vnplanparse[ocr]' and Debian's tesseract-ocr tesseract-ocr-vie"
# Vietnamese writes no eth (Ð ð): Tesseract's reading of Đ đ, sometimes beside the Đ it also read
_ETH = regex.compile(r"Đ?Ð|đ?ð")


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
        data = pytesseract.image_to_data(image, lang="vie", config="--psm 3", output_type=pytesseract.Output.DICT)
        words: dict[tuple[int, int, int], list[int]] = {}
        for i, word in enumerate(data["text"]):
            if word.strip() and float(data["conf"][i]) >= 0:
                words.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append(i)
        pieces = []
        for indexes in words.values():
            text = _ETH.sub(lambda m: "Đ" if m[0][-1] == "Ð" else "đ", " ".join(data["text"][i] for i in indexes))
            left = min(data["left"][i] for i in indexes) / scale
            right = max(data["left"][i] + data["width"][i] for i in indexes) / scale
            top = min(data["top"][i] for i in indexes) / scale
            bottom = max(data["top"][i] + data["height"][i] for i in indexes) / scale
            pieces.append(Line(text, left, right, top, bottom))
        if len(VIETNAMESE.findall(" ".join(p.text for p in pieces))) < 3:
            warnings.append(f"page {index + 1}: OCR found no readable Vietnamese text")
        pages.append(Page(_rows(pieces), width, height))
        page.close()
    return pages, warnings


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
