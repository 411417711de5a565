"""The hand-labelled profiles (evals/profiles) stay matched exactly: a regression guard on the rules."""

from pathlib import Path

from assistant.evaluation.matching import evaluate_matcher, load_labelled
from assistant.products.catalog import get_catalog

ROOT = Path(__file__).resolve().parents[1]


def test_labelled_profiles_agree_with_the_matcher():
    labelled = load_labelled(ROOT / "evals" / "profiles")
    assert len(labelled) >= 60
    result = evaluate_matcher(get_catalog(ROOT / "corpus"), labelled)
    assert result["disagreements"] == []
    assert result["precision"] == result["recall"] == result["top1_agreement"] == 1.0
