from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus_dirs() -> list[Path]:
    dirs = [ROOT / "corpus"]
    if SHARED_CORPUS.is_dir():
        dirs.append(SHARED_CORPUS)
    return dirs
