import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"
SHARED_CORPUS2 = ROOT.parent / "shared" / "corpus2"
# helpers the tests share with scripts: worst-case generators, the nasty files' writer
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT / "tests" / "adversarial")]


@pytest.fixture(scope="session")
def corpus_dirs() -> list[Path]:
    dirs = [ROOT / "corpus"]
    dirs += [d for d in (SHARED_CORPUS, SHARED_CORPUS2) if d.is_dir()]
    return dirs


# Property tests (tests/test_properties.py): the same examples on every run and machine, a
# bounded number of them, and no example database written into the checkout.
settings.register_profile(
    "ci", max_examples=120, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("deep", max_examples=10_000, deadline=None, database=None)  # benchmarks/bench_hostile.py runs it
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def assert_found_in_examples(pattern, spec: dict) -> None:
    """A grammar entry's `examples` are found by its pattern and its `counter_examples` are not."""
    for text in spec["examples"]:
        assert pattern.search(text), text
    for text in spec["counter_examples"]:
        assert not pattern.search(text), text
