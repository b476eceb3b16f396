import unicodedata

import pytest
from make_files import cp1258_form

from vnplanparse import InputError
from vnplanparse.reading.load import decode_bytes, read_path
from vnplanparse.normalising.normalize import normalize

PLAN = "KẾ HOẠCH\nI. MỤC TIÊU\n1. Tỷ lệ hộ nghèo giảm 3%/năm.\n"


@pytest.mark.parametrize(
    "data,encoding",
    [
        (PLAN.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + PLAN.encode("utf-8"), "utf-8"),
        (PLAN.encode("utf-16"), "utf-16"),
        (PLAN.encode("utf-16-le"), "utf-16-le"),
        (unicodedata.normalize("NFD", PLAN).encode("utf-8"), "utf-8"),
    ],
)
def test_encodings_give_the_same_text(data, encoding):
    loaded = decode_bytes(data)
    assert loaded.encoding == encoding
    assert normalize(loaded).text == PLAN


def test_windows_1258_is_decoded_and_composed():
    data = cp1258_form(PLAN).encode("cp1258")
    loaded = decode_bytes(data)
    assert loaded.encoding == "windows-1258"
    assert normalize(loaded).text == PLAN


@pytest.mark.parametrize(
    "data,words",
    [(b"", "empty"), (b"   \n", "empty"), (b"%PDF-1.7 ...", "PDF"), (b"PK\x03\x04xx", "ZIP"), (b"ab\x00\x00\x00cd\x00e\x00\x00", "binary")],
)
def test_bad_bytes_get_a_clear_error(data, words):
    with pytest.raises(InputError, match=words):
        decode_bytes(data)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_path(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="directory"):
        read_path(tmp_path)


def test_legacy_tcvn3_font_is_named():
    tcvn3 = "KÕ ho¹ch c¸c xL vµ c¸c hé nghÌo tØnh c¸c c¸c vµ vµ tØnh " * 5
    with pytest.raises(InputError, match="TCVN3"):
        decode_bytes(tcvn3.encode("latin-1"))


def test_html_keeps_visible_text_rows_and_bold():
    html = (
        "<html><head><style>p{}</style><script>alert(1)</script></head><body>"
        "<nav>Trang chủ | Tin tức</nav><p><b>I. MỤC TIÊU</b></p><p>Tỷ lệ&nbsp;hộ nghèo<br>giảm 3%.</p>"
        "<table><tr><td>TT</td><td>Chỉ tiêu</td></tr><tr><td>1</td><td>Độ che phủ rừng</td></tr></table>"
        "</body></html>"
    )
    norm = normalize(decode_bytes(html.encode()))
    assert "alert" not in norm.text and "Trang chủ" not in norm.text
    assert norm.text.splitlines() == ["I. MỤC TIÊU", "", "Tỷ lệ hộ nghèo", "giảm 3%.", "", "TT | Chỉ tiêu", "1 | Độ che phủ rừng"]
    start, end = norm.bold_spans[0]
    assert norm.text[start:end] == "I. MỤC TIÊU"


def test_markdown_soft_wraps_emphasis_and_cell_grid():
    md = (
        "|\n**ỦY BAN NHÂN DÂN\n**\nTỈNH ĐỒNG NAI\n-------\n|\n**CỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM**\n|\n|\n"
        "Số: 182/KH-UBND\n|\n*Đồng Nai, ngày 20\ntháng 11 năm 2025*\n|\n\n"
        "**I. MỤC ĐÍCH,\nYÊU CẦU**\n\n*1.1. *Quán triệt\nvà triển khai nghiêm túc.\n- Tăng cường công tác\n- xã hội hóa\n"
    )
    norm = normalize(decode_bytes(md.encode(), name="plan.md"))
    assert norm.text.splitlines() == [
        "ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 182/KH-UBND | Đồng Nai, ngày 20 tháng 11 năm 2025",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "1.1. Quán triệt và triển khai nghiêm túc.",
        "- Tăng cường công tác - xã hội hóa",
    ]
