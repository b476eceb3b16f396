"""Word segmentation and POS tags read through underthesea_core directly (extraction/words.py,
vi_tokenizer.py) give what the installed underthesea package gives, and never import it."""

import subprocess
import sys

import pytest

from vnplanparse.extraction import words
from vnplanparse.extraction.vi_tokenizer import normalized_tokens

# Short stretches in the shape of what the rules ask about: the words after a count, an
# indicator's edges, a clause opening after "và" or a comma; and the tokeniser's odd cases
# (abbreviations, dates, numbers, URLs, old tone placement, non-NFC input, double spaces).
PHRASES = [
    "sàn giao dịch dữ liệu",
    "mô hình nông thôn mới kiểu mẫu",
    "cơ sở dữ liệu chuyên ngành",
    "đón xấp xỉ 12 triệu lượt khách",
    "toàn tỉnh đón 8 triệu lượt khách du lịch",
    "Tỷ lệ hộ nghèo giảm bình quân",
    "cho vay ưu đãi",
    "cho",
    "xã đạt chuẩn",
    "Sở Kế hoạch và Đầu tư, UBND các huyện, TP. Hà Tĩnh",
    "Nghị định số 45/2025/NĐ-CP ngày 02/05/2025 của Chính phủ",
    "đạt 4.123,2 tỷ đồng (tăng 7,5%) v.v...",
    "xem tại https://example.gov.vn/ke-hoach hoặc gửi thu@example.vn",
    "H'Mông ở xã N’Thôn Hạ",
    "hoà bình, thuỷ lợi, khoẻ mạnh",
    "thu\u0301c đâ\u0309y",  # decomposed tone marks
    "hai  khoảng trắng",
    "Đầu Tư Công",
    "",
]


@pytest.mark.parametrize("phrase", PHRASES)
def test_segmentation_and_verb_test_agree_with_underthesea(phrase):
    underthesea = pytest.importorskip("underthesea")
    from underthesea.pipeline.word_tokenize.regex_tokenize import tokenize

    assert normalized_tokens(phrase) == tokenize(phrase)
    assert words.tokens(phrase) == tuple(underthesea.word_tokenize(phrase))
    tagged = underthesea.pos_tag(phrase)
    assert words.first_word_is_verb(phrase) == (bool(tagged) and tagged[0][1] == "V")


def test_pos_features_are_underthesea_s():
    pytest.importorskip("underthesea")
    from underthesea.pipeline.pos_tag.model_crf import CRFPOSTagPredictor

    sentence = list(words.tokens("Toàn tỉnh đón 8 triệu lượt khách du lịch"))
    expected = CRFPOSTagPredictor.Instance().transformer.transform([[(w, "X") for w in sentence]])[0][0]
    assert [words._pos_features(sentence, i) for i in range(len(sentence))] == expected


def test_segmenting_does_not_import_the_underthesea_package():
    code = (
        "import sys; from vnplanparse.extraction.words import tokens, first_word_is_verb; "
        "assert tokens('01 sàn giao dịch dữ liệu') and first_word_is_verb('đón 12 triệu lượt khách'); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'underthesea', 'joblib', 'numpy'}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_an_unverified_underthesea_release_is_asked_itself(monkeypatch):
    pytest.importorskip("underthesea")
    monkeypatch.setattr(words, "_direct", lambda: False)
    words.tokens.cache_clear()
    words.first_word_is_verb.cache_clear()
    try:
        assert words.tokens("01 sàn giao dịch dữ liệu") == ("01", "sàn", "giao dịch", "dữ liệu")
        assert words.first_word_is_verb("đón xấp xỉ 12 triệu lượt khách")
    finally:  # what the package answered is not left in the caches for other tests
        words.tokens.cache_clear()
        words.first_word_is_verb.cache_clear()
