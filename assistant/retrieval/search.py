"""Retrieval as configured: BM25, vector or hybrid (RRF), then an optional rerank, with stage timings."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.index.snapshot import Snapshot
from assistant.retrieval.bm25 import BM25Retriever
from assistant.retrieval.fusion import rrf
from assistant.retrieval.hits import Hit
from assistant.retrieval.rerank import CoverageReranker, CrossEncoderReranker, Reranker
from assistant.retrieval.vector import VectorRetriever
from assistant.settings import Settings

MODES = ("bm25", "vector", "hybrid")


@dataclass
class SearchConfig:
    mode: str = "hybrid"
    rerank: str | None = "coverage"  # None | coverage | cross-encoder
    candidates: int = 40
    rrf_k: int = 10
    bm25_weight: float = 1.0
    vector_weight: float = 1.0

    @classmethod
    def from_settings(cls, s: Settings) -> SearchConfig:
        rerank = ("cross-encoder" if s.rerank_model else "coverage") if s.rerank else None
        return cls(s.retrieval_mode, rerank, s.candidates, s.rrf_k, s.bm25_weight, s.vector_weight)


@dataclass
class SearchResult:
    hits: list[Hit]
    timings: dict[str, float] = field(default_factory=dict)


@lru_cache(maxsize=4)
def _cross_encoder(path: str) -> CrossEncoderReranker:
    return CrossEncoderReranker(path)


def make_reranker(name: str | None, settings: Settings) -> Reranker | None:
    if name == "coverage":
        return CoverageReranker(settings.coverage_weight, settings.figure_bonus)
    if name == "cross-encoder" and settings.rerank_model:
        return _cross_encoder(settings.rerank_model)
    return None


def search(snapshot: Snapshot, query: str, k: int, cfg: SearchConfig, settings: Settings, *, include_expired: bool = False) -> SearchResult:
    timings: dict[str, float] = {}
    lists: list[tuple[list[Hit], float]] = []
    if cfg.mode in ("bm25", "hybrid"):
        t = time.perf_counter()
        lists.append((BM25Retriever(snapshot).search(query, cfg.candidates, include_expired=include_expired), cfg.bm25_weight))
        timings["bm25"] = (time.perf_counter() - t) * 1000
    if cfg.mode in ("vector", "hybrid"):
        t = time.perf_counter()
        lists.append((VectorRetriever(snapshot).search(query, cfg.candidates, include_expired=include_expired), cfg.vector_weight))
        timings["vector"] = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    hits = rrf(lists, k=cfg.rrf_k) if len(lists) > 1 else lists[0][0]
    timings["fuse"] = (time.perf_counter() - t) * 1000
    reranker = make_reranker(cfg.rerank, settings)
    if reranker is not None:
        t = time.perf_counter()
        hits = reranker.rerank(query, hits[: cfg.candidates], snapshot)
        timings["rerank"] = (time.perf_counter() - t) * 1000
    return SearchResult(hits[:k], timings)
