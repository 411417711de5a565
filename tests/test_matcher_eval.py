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
    assert result["precision"] == result["recall"] == result["verdict_accuracy"] == 1.0
    # The labelled 首选 follow the products' terms (the old product-only score); the 匹配度 ranks eligible products
    # by the firm's fit, so about half of them moved (0.517 when it changed; see evals/reports/matcher.md).
    assert result["top1_agreement"] >= 0.45
