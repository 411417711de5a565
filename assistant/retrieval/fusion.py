"""Reciprocal-rank fusion of several ranked lists.

score(d) = Σ_i w_i / (k + rank_i(d)). The constant k (60 in Cormack et al. 2009) damps the head of each list
so one retriever's first place cannot outvote agreement further down; the weights let BM25, which is
sharper on this domain's exact terms (文号, product names, 质押率), count more than the SVD vectors.
Both were tuned on evals/questions.jsonl (see evals/reports/).
"""

from __future__ import annotations

from assistant.retrieval.hits import Hit


def rrf(lists: list[tuple[list[Hit], float]], k: int = 60) -> list[Hit]:
    fused: dict[int, Hit] = {}
    for hits, weight in lists:
        for rank, hit in enumerate(hits, start=1):
            out = fused.setdefault(hit.idx, Hit(idx=hit.idx, score=0.0))
            out.score += weight / (k + rank)
            out.stages.update(hit.stages)
    return sorted(fused.values(), key=lambda h: -h.score)
