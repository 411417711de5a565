"""The learned reranker: its features read what they claim on a real index, fixed weights order candidates as the
weights say, an index built with an embedder nobody fitted weights for falls back to the coverage reranker, and the
pairwise fit learns the feature that marks the gold passage."""

from __future__ import annotations

import dataclasses
import random

from assistant.evaluation.ranker_fit import Candidates, cross_validated, fit, scores
from assistant.index.builder import build_index
from assistant.index.snapshot import clear_cache, get_snapshot
from assistant.retrieval.learned_rank import LearnedReranker, RankModel, fitted_rankers
from assistant.retrieval.rank_features import FEATURES, bigrams, candidate_features
from assistant.retrieval.rerank import CoverageReranker
from assistant.retrieval.search import SearchConfig, search


def _one_hot(feature: str, sign: float = 1.0) -> RankModel:
    return RankModel(mean=[0.0] * len(FEATURES), scale=[1.0] * len(FEATURES),
                     coef=[sign if f == feature else 0.0 for f in FEATURES])


def _candidates(settings, query):
    snap = get_snapshot(settings)
    cfg = dataclasses.replace(SearchConfig.from_settings(settings), rerank=None)
    return snap, search(snap, query, cfg.candidates, cfg, settings).hits


def test_features_read_ranks_figures_and_character_pairs(small_settings):
    build_index(small_settings)
    clear_cache()
    snap, hits = _candidates(small_settings, "担保费补助比例是多少？")
    rows = candidate_features("担保费补助比例是多少？", hits, snap)
    assert len(rows) == len(hits) and all(set(r) == set(FEATURES) for r in rows)
    for h, r in zip(hits, rows, strict=True):
        if "%" in snap.chunks[h.idx]["text"]:
            assert r["figure"] == 1.0  # a percentage stated is the figure a 比例 question wants
        if "bm25_rank" in h.stages:
            assert r["bm25_rr"] == 1.0 / (1.0 + h.stages["bm25_rank"])
        else:
            assert r["bm25_rr"] == 0.0
        assert 0.0 <= r["bigram"] <= 1.0 and 0.0 <= r["coverage"] <= 1.0
    assert max(r["fused"] for r in rows) == 1.0 and any(r["figure"] for r in rows)
    # a question that wants no figure finds none
    snap, hits = _candidates(small_settings, "专利质押登记需要提交哪些材料？")
    assert not any(r["figure"] for r in candidate_features("专利质押登记需要提交哪些材料？", hits, snap))
    # character pairs survive a different word choice: 大企业 and 大型企业 share 企业
    assert bigrams("大企业") & bigrams("大型企业") == {"企业"}


def test_fixed_weights_order_the_candidates_as_they_say(small_settings):
    build_index(small_settings)
    clear_cache()
    snap, hits = _candidates(small_settings, "白名单多久受理一次申请？")
    longest_first = LearnedReranker(CoverageReranker(), _one_hot("length")).rerank("白名单多久受理一次申请？", list(hits), snap)
    lengths = [len(snap.chunks[h.idx]["text"]) for h in longest_first]
    assert lengths == sorted(lengths, reverse=True)
    assert all(0.0 < h.score < 1.0 for h in longest_first)  # on the coverage reranker's 0–1 scale
    shortest_first = LearnedReranker(CoverageReranker(), _one_hot("length", -1.0)).rerank("白名单多久受理一次申请？", list(hits), snap)
    assert [h.idx for h in shortest_first][0] == [h.idx for h in longest_first][-1]


def test_an_embedder_without_fitted_weights_falls_back_to_coverage(small_settings):
    build_index(small_settings)
    clear_cache()
    snap, hits = _candidates(small_settings, "担保费补助比例是多少？")
    assert snap.manifest.embedder_kind in fitted_rankers()  # the default embedder ships with weights
    snap = dataclasses.replace(snap, manifest=snap.manifest.model_copy(update={"embedder_kind": "an-unfitted-model"}))
    fallback = CoverageReranker()
    learned = LearnedReranker(fallback).rerank("担保费补助比例是多少？", [dataclasses.replace(h, stages=dict(h.stages)) for h in hits], snap)
    expected = fallback.rerank("担保费补助比例是多少？", [dataclasses.replace(h, stages=dict(h.stages)) for h in hits], snap)
    assert [h.idx for h in learned] == [h.idx for h in expected]


def _synthetic(set_name: str, n: int, rng: random.Random) -> list[Candidates]:
    """Questions whose gold passage has the highest ``figure`` and otherwise random features."""
    out = []
    for q in range(n):
        rows = [{f: rng.random() for f in FEATURES} for _ in range(12)]
        gold = rng.randrange(12)
        for i, r in enumerate(rows):
            r["figure"] = 1.0 if i == gold else 0.0
        ids = [f"{set_name}-{q}-{i}" for i in range(12)]
        out.append(Candidates(set_name, f"{set_name}-{q}", ids, rows, [{ids[gold]}], list(ids)))
    return out


def test_the_pairwise_fit_learns_the_feature_that_marks_the_gold_passage():
    rng = random.Random(7)
    data = _synthetic("a", 30, rng) + _synthetic("b", 30, rng)
    model = fit(data, "tfidf-svd")
    weights = dict(zip(model.features, model.coef, strict=True))
    assert max(weights, key=lambda f: abs(weights[f])) == "figure" and weights["figure"] > 0
    assert scores(model, data)["recall@1"] == 1.0
    assert scores(None, data)["recall@1"] < 0.3  # the listed order is arbitrary
    cv = cross_validated(data, "tfidf-svd")
    assert set(cv) == {"a", "b"} and all(r["learned recall@1"] == 1.0 for r in cv.values())


def test_weights_for_features_no_longer_computed_are_not_used(small_settings):
    build_index(small_settings)
    clear_cache()
    snap, hits = _candidates(small_settings, "担保费补助比例是多少？")
    stale = RankModel(mean=[0.0], scale=[1.0], coef=[1.0], features=["a_feature_of_an_older_version"])
    fallback = CoverageReranker()
    got = LearnedReranker(fallback, stale).rerank("担保费补助比例是多少？", [dataclasses.replace(h, stages=dict(h.stages)) for h in hits], snap)
    expected = fallback.rerank("担保费补助比例是多少？", [dataclasses.replace(h, stages=dict(h.stages)) for h in hits], snap)
    assert [h.idx for h in got] == [h.idx for h in expected]
