from vnplanparse import parse

FORMAL = """ỦY BAN NHÂN DÂN
TỈNH QUẢNG NGÃI
-------

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 77/KH-UBND

Quảng Ngãi, ngày 06 tháng 5 năm 2022

KẾ HOẠCH

THỰC HIỆN NGHỊ QUYẾT SỐ 02-NQ/TU NGÀY 17/8/2021 CỦA TỈNH ỦY

Thực hiện Nghị quyết số 02-NQ/TU ngày 17/8/2021 của Hội nghị Tỉnh ủy lần thứ 4 về giảm nghèo và Công văn số 760/SKHĐT-KGVX ngày 27/4/2022; theo QCVN 01-1:2018/BYT, Kế hoạch số 77/KH-UBND này:

I. MỤC TIÊU
1. Thực hiện Quyết định số 1719/QĐ-TTg của Thủ tướng Chính phủ.

Nơi nhận:
- Như trên;
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Đặng Văn Minh
"""


def test_formal_header():
    m = parse(FORMAL).metadata
    assert m.doc_number == "77/KH-UBND"
    assert m.doc_type == "Kế hoạch"
    assert m.issuer == "Ủy ban nhân dân tỉnh Quảng Ngãi"
    assert m.province == "Quảng Ngãi"
    assert m.issued_date == "2022-05-06"
    assert m.signer == "Đặng Văn Minh"
    assert m.title == "THỰC HIỆN NGHỊ QUYẾT SỐ 02-NQ/TU NGÀY 17/8/2021 CỦA TỈNH ỦY"


def test_references_one_per_document_without_own_number_or_standards():
    refs = parse(FORMAL).references
    assert [(r.doc_type, r.doc_number, r.date, r.issuer) for r in refs] == [
        ("Nghị quyết", "02-NQ/TU", "2021-08-17", "Hội nghị Tỉnh ủy lần thứ 4"),
        ("Công văn", "760/SKHĐT-KGVX", "2022-04-27", None),
        ("Quyết định", "1719/QĐ-TTg", None, "Thủ tướng Chính phủ"),
    ]
    for r in refs:
        assert FORMAL[r.span[0] : r.span[1]].startswith(r.doc_type)


def test_news_summary_prose():
    text = (
        "Kon Tum triển khai chương trình\n\nNgày 04/10/2022, UBND tỉnh ban hành Chương trình hành động số "
        "3299/CTr-UBND thực hiện Nghị quyết số 13-NQ/TU của Tỉnh ủy trên địa bàn tỉnh Kon Tum.\n"
    )
    m = parse(text).metadata
    assert (m.doc_number, m.doc_type, m.issuer, m.issued_date, m.province, m.signer) == (
        "3299/CTr-UBND", "Chương trình hành động", "UBND tỉnh", "2022-10-04", "Kon Tum", None,
    )
    assert m.title.startswith("thực hiện Nghị quyết số 13-NQ/TU")


def test_absent_fields_are_null_not_guessed():
    m = parse("Một đoạn văn không có tiêu đề văn bản nào cả.\n").metadata
    assert m.model_dump() == dict.fromkeys(m.model_dump())


def test_signer_under_each_capacity():
    for block, name in [
        ("KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\nNguyễn Thị Dung", "Nguyễn Thị Dung"),
        ("T/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ\n(Đã ký)\nLê Văn Bình", "Lê Văn Bình"),
        ("Q. CHỦ TỊCH\nTrần Văn Cường", "Trần Văn Cường"),
        ("KT. TỔNG CỤC TRƯỞNG\nPHÓ TỔNG CỤC TRƯỞNG\nHoàng Văn Em", "Hoàng Văn Em"),
    ]:
        doc = parse(f"KẾ HOẠCH\nMột việc\nI. MỤC TIÊU\nNội dung.\nNơi nhận:\n- Như trên;\n{block}\n")
        assert doc.metadata.signer == name, block
        assert [s.id for s in doc.sections] == ["I"]  # the signature block holds no section


def test_news_document_cited_by_its_serial_then_in_full():
    text = (
        "Hai mục tiêu của Nghị quyết 7 chưa đạt\nBài viết.\nNghị quyết số 7/NQ-CP được ban hành đầu nhiệm kỳ.\n"
        "Tại hội nghị tổng kết Nghị quyết số 7/NQ-CP về phát triển một ngành đến năm 2020, được Bộ Công Thương tổ chức.\n"
    )
    meta = parse(text).metadata
    assert (meta.doc_number, meta.doc_type, meta.issuer) == ("7/NQ-CP", "Nghị quyết", "Chính phủ")
    assert meta.title == "về phát triển một ngành đến năm 2020"
    # a serial the article never writes in full names no document
    assert parse("Hai mục tiêu của Nghị quyết 7 chưa đạt\nBài viết.\n").metadata.doc_number is None


def _issuers(text):
    from vnplanparse.structure.references import extract_references

    return {r.doc_number: r.issuer for r in extract_references(text, None)}


def test_reference_issuer_ends_before_the_next_document_and_marks():
    text = (
        "Thực hiện Nghị quyết số 12/NQ-CP ngày 1/2/2024 của Chính phủ và Chương trình số 5-CTr/TU của Tỉnh ủy; "
        "Quyết định số 9/QĐ-TTg ngày 3/4/2024 của Thủ tướng Chính phủ Phê duyệt Chương trình một ngành; "
        "Nghị định số 7/2024/NĐ-CP của Chính phủ[1] và Kế hoạch số 4/KH-UBND năm 2024 của UBND tỉnh An Lạc xây dựng nhà ở.\n"
    )
    assert _issuers(text) == {
        "12/NQ-CP": "Chính phủ", "5-CTr/TU": "Tỉnh ủy", "9/QĐ-TTg": "Thủ tướng Chính phủ",
        "7/2024/NĐ-CP": "Chính phủ", "4/KH-UBND": "UBND tỉnh An Lạc",
    }


def test_documents_cited_in_one_run_share_the_issuer_after_the_last():
    text = "sửa đổi Thông tư số 8/2015/TT-BTC ngày 2/3/2015 và Thông tư số 9/2018/TT-BTC ngày 4/5/2018 của Bộ Tài chính.\n"
    assert _issuers(text) == {"8/2015/TT-BTC": "Bộ Tài chính", "9/2018/TT-BTC": "Bộ Tài chính"}


def test_a_law_name_is_no_issuer_and_a_split_number_no_second_document():
    assert _issuers("Căn cứ Luật Tổ chức chính quyền địa phương số 7/2025/QH15;\n") == {"7/2025/QH15": None}
    text = "Kế hoạch số 12-KH/TU của Tỉnh ủy; Nghị quyết số 3/NQ-CP của Chính phủ và Kế hoạch số 12-KH/T U của Tỉnh ủy.\n"
    assert set(_issuers(text)) == {"12-KH/TU", "3/NQ-CP"}


def test_a_name_between_type_and_number_holds_no_other_document():
    from vnplanparse.structure.references import extract_references

    text = ("Thực hiện Luật Nhà ở 2023, Nghị định 12/2024/NĐ-CP và Luật HTX và Nghị Định số 34/2005/NĐ-CP "
            "ngày 1/7/2005 của Chính phủ; Báo cáo thẩm tra số 56/BC-KTNS ngày 2/12/2025 của Ban Kinh tế - Ngân sách; "
            "Luật Ban hành văn bản quy phạm pháp luật số 78/2025/QH15.")
    found = {r.doc_number: (r.doc_type, r.issuer) for r in extract_references(text, None)}
    assert found == {
        "12/2024/NĐ-CP": ("Nghị định", None),
        "34/2005/NĐ-CP": ("Nghị định", "Chính phủ"),  # a type written with every word capitalised
        "56/BC-KTNS": ("Báo cáo", "Ban Kinh tế - Ngân sách"),  # "thẩm tra" is its kind, no issuer
        "78/2025/QH15": ("Luật", None),  # a law's long name is no issuer
    }
