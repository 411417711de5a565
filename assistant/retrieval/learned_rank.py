"""The default reranker: a linear score over the candidate features (retrieval/rank_features.py) whose weights are
fitted on development questions (evaluation/ranker_fit.py), pairwise: for each question, its gold passage against
the other candidates. One set of weights per embedder kind (the vector similarity's scale depends on the model),
stored in resources/ranker.json; an index built with an embedder no weights were fitted for falls back to the
hand-set coverage reranker."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from assistant.index.snapshot import Snapshot
from assistant.retrieval.fitted import StandardisedLinear, read_fitted, sigmoid
from assistant.retrieval.hits import Hit
from assistant.retrieval.rank_features import FEATURES, candidate_features
from assistant.retrieval.rerank import CoverageReranker

SCORE_SCALE = 4.0  # the linear score of a real question's best passages lies around 5–15: unscaled, all read as 1.0


@dataclass
class RankModel(StandardisedLinear):
    features: list[str] = field(default_factory=lambda: list(FEATURES))

    def score(self, row: dict[str, float]) -> float:
        return self.linear(row)


@lru_cache(maxsize=1)
def fitted_rankers() -> dict[str, RankModel]:
    return read_fitted("ranker.json", RankModel)


class LearnedReranker:
    name = "learned"

    def __init__(self, fallback: CoverageReranker, model: RankModel | None = None) -> None:
        self.fallback = fallback
        self.model = model  # fixed weights (fitting, tests); else the fitted ones for the index's embedder

    def rerank(self, query: str, hits: list[Hit], snapshot: Snapshot) -> list[Hit]:
        model = self.model or fitted_rankers().get(snapshot.manifest.embedder_kind)
        # weights fitted for features this version no longer computes are not used: refit with `assistant fit-ranker`
        if model is None or not hits or not set(model.features) <= set(FEATURES):
            return self.fallback.rerank(query, hits, snapshot)
        for h, row in zip(hits, candidate_features(query, hits, snapshot), strict=True):
            h.stages["coverage"] = row["coverage"]
            # on a 0–1 scale, like the coverage reranker's, so the region preference and the answerability
            # signal read it the same way; the order is the linear score's
            h.score = sigmoid(model.score(row) / SCORE_SCALE)
        return sorted(hits, key=lambda h: -h.score)
