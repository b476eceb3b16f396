"""Vietnamese word segmentation and part-of-speech tags (underthesea's CRF models), run only on the
short stretches that need them: the words after a number (what is counted), the edges of an
indicator phrase, and the first words of a clause joined by "và" or a comma.

The models are loaded through `underthesea_core` (the Rust CRF underthesea itself calls), with
the tokeniser of `vi_tokenizer.py`, so that a plan never imports the underthesea package: its
`__init__` costs most of a second, the models alone about a third of that. What `tokens` and
`first_word_is_verb` return is what underthesea's `word_tokenize` and `pos_tag` return; the way
they are built is copied from underthesea 9.5.0 (Apache License 2.0): `pipeline/word_tokenize`,
`models/fast_crf_sequence_tagger.py`, `pipeline/pos_tag/model_crf.py` and `tagged_feature.py`.
Under an underthesea release not verified to match (`_VERIFIED_RELEASES`), the package answers."""

from __future__ import annotations

import pickle
from functools import cache, lru_cache
from importlib.metadata import PackageNotFoundError, version

from .vi_tokenizer import NORMALISATION_RULES, normalized_tokens, underthesea_data

_SEGMENTER = "pipeline/word_tokenize/models/ws_crf_vlsp2013_20230727"
_POS_TAGGER = "pipeline/pos_tag/pos_crf_2017_10_11.bin"
# underthesea releases whose tokeniser, model files and feature templates are the ones copied
# here (checked by tests/test_words.py); under any other the package itself answers, slower.
_VERIFIED_RELEASES = frozenset({"9.5.0"})

# The feature templates of underthesea's POS tagger (CRFPOSTagPredictor): a template reads the
# token at an offset (or the tokens of a range) in a column, optionally through a function.
_POS_TEMPLATES = (
    ("T[-2].lower", -2, None, 0, "lower"), ("T[-1].lower", -1, None, 0, "lower"),
    ("T[0].lower", 0, None, 0, "lower"), ("T[1].lower", 1, None, 0, "lower"),
    ("T[2].lower", 2, None, 0, "lower"),
    ("T[0].istitle", 0, None, 0, "istitle"), ("T[-1].istitle", -1, None, 0, "istitle"),
    ("T[1].istitle", 1, None, 0, "istitle"),
    ("T[-2]", -2, None, 0, None), ("T[-1]", -1, None, 0, None), ("T[0]", 0, None, 0, None),
    ("T[1]", 1, None, 0, None), ("T[2]", 2, None, 0, None),
    ("T[-2,-1]", -2, -1, 0, None), ("T[-1,0]", -1, 0, 0, None), ("T[0,1]", 0, 1, 0, None),
    ("T[1,2]", 1, 2, 0, None),
    ("T[-3][1]", -3, None, 1, None), ("T[-2][1]", -2, None, 1, None), ("T[-1][1]", -1, None, 1, None),
    ("T[-3,-2][1]", -3, -2, 1, None), ("T[-2,-1][1]", -2, -1, 1, None),
)


@cache
def _direct() -> bool:
    """Whether the models can be read directly: an underthesea release verified to match."""
    try:
        release = version("underthesea")
    except PackageNotFoundError:
        return False
    return release in _VERIFIED_RELEASES and all(
        underthesea_data(path).exists() for path in (_SEGMENTER, _POS_TAGGER, NORMALISATION_RULES))


@cache
def _segmenter():
    """underthesea's word segmenter (FastCRFSequenceTagger.load): the CRF and its featurizer,
    whose feature list and dictionary are plain pickles written by joblib."""
    from underthesea_core import CRFFeaturizer, CRFTagger

    folder = underthesea_data(_SEGMENTER)
    with (folder / "features.bin").open("rb") as f:
        features = pickle.load(f)  # noqa: S301 - files of the installed package, not user input
    with (folder / "dictionary.bin").open("rb") as f:
        dictionary = pickle.load(f)  # noqa: S301
    tagger = CRFTagger()
    tagger.load(str(folder / "models.bin"))
    return CRFFeaturizer(features, dictionary), tagger


@cache
def _pos_tagger():
    from underthesea_core import CRFTagger

    tagger = CRFTagger()
    tagger.load(str(underthesea_data(_POS_TAGGER)))
    return tagger


def _word_tokenize(text: str) -> list[str]:
    """underthesea's `word_tokenize(text)`: a token tagged I-W joins the word before it."""
    pieces = normalized_tokens(text)
    featurizer, tagger = _segmenter()
    tags = tagger.tag(featurizer.process([[[piece] for piece in pieces]])[0])
    words: list[str] = []
    for tag, piece in zip(tags, pieces):
        if tag == "I-W" and words:
            words[-1] += " " + piece
        else:
            words.append(piece)
    return words


def _is_title(word: str) -> bool:
    """underthesea's `text_istitle`: every space-separated part opens with a capital (an empty
    part, as of a double space, makes it False)."""
    try:
        return bool(word) and all(part[0].istitle() for part in word.split(" "))
    except IndexError:
        return False


def _pos_features(words: list[str], i: int) -> list[str]:
    """underthesea's `word2features` for the word at i over the templates above; the second
    column holds the placeholder tag "X" of every word."""
    features = []
    for name, start, end, column, function in _POS_TEMPLATES:
        if i + start < 0:
            value = "BOS"
        elif i + start >= len(words) or (end is not None and i + end >= len(words)):
            value = "EOS"
        else:
            column_words = words if column == 0 else ["X"] * len(words)
            value = " ".join(column_words[i + start : i + end + 1]) if end is not None else column_words[i + start]
            if function == "lower":
                value = value.lower()
            elif function == "istitle":
                value = str(_is_title(value))
        features.append(f"{name}={value}")
    return features


@lru_cache(maxsize=8192)
def tokens(text: str) -> tuple[str, ...]:
    """Words of text as underthesea segments them ("sàn giao dịch dữ liệu" → sàn, giao dịch, dữ liệu)."""
    if not _direct():
        from underthesea import word_tokenize

        return tuple(word_tokenize(text))
    return tuple(_word_tokenize(text))


@lru_cache(maxsize=8192)
def first_word_is_verb(text: str) -> bool:
    """Whether text opens with a verb, as underthesea's part-of-speech tagger reads it ("đón xấp
    xỉ 12 triệu lượt khách": đón/V). Run on a few words at a clause edge only."""
    if not _direct():
        from underthesea import pos_tag

        tagged = pos_tag(text)
        return bool(tagged) and tagged[0][1] == "V"
    words = list(tokens(text))
    if not words:
        return False
    tags = _pos_tagger().tag([_pos_features(words, i) for i in range(len(words))])
    return tags[0] == "V"
