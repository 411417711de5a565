"""Rerankers: a lexical-coverage reranker (offline default) and an optional local CrossEncoder.

The coverage reranker rescores the fused candidates by how much of the question's idf mass a passage
covers: fusion finds the neighbourhood, coverage decides between an article that mentions 贴息 once and the
one that answers 贴息比例 and 上限 together.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any, Protocol

from assistant.errors import ConfigError
from assistant.index.snapshot import Snapshot
from assistant.retrieval.answer_type import cue_terms, primary, states_wanted, wanted
from assistant.retrieval.hits import Hit
from assistant.retrieval.tokenizer import get_tokenizer


class Reranker(Protocol):
    name: str

    def rerank(self, query: str, hits: list[Hit], snapshot: Snapshot) -> list[Hit]: ...


def query_terms(query: str, snapshot: Snapshot) -> dict[str, float]:
    """Distinct query tokens with idf weights; tokens unseen in the corpus get the highest weight."""
    tok = get_tokenizer()
    top = max(snapshot.idf.values(), default=1.0)
    return {t: snapshot.idf.get(t, top) for t in dict.fromkeys(tok.query_words(query, snapshot.idf))}


def coverage(terms: dict[str, float], tokens: AbstractSet[str]) -> float:
    total = sum(terms.values())
    return sum(w for t, w in terms.items() if t in tokens) / total if total else 0.0


class CoverageReranker:
    name = "coverage"

    def __init__(self, weight: float = 0.6, figure_bonus: float = 0.15) -> None:
        self.weight = weight
        self.figure_bonus = figure_bonus

    def rerank(self, query: str, hits: list[Hit], snapshot: Snapshot) -> list[Hit]:
        if not hits:
            return hits
        terms = query_terms(query, snapshot)
        kind = primary(query)
        figures = [kind] if kind is not None else wanted(query)
        cues = cue_terms(terms) if figures else set()
        top = max(h.score for h in hits) or 1.0
        for h in hits:
            chunk = snapshot.chunks[h.idx]
            states = bool(figures) and states_wanted(chunk["text"], figures)
            cov = coverage(terms, set(chunk["tokens"]) | (cues if states else set()))
            h.stages["coverage"] = cov
            h.score = (1 - self.weight) * (h.score / top) + self.weight * cov
            if states:
                h.score += self.figure_bonus
        return sorted(hits, key=lambda h: -h.score)


class CrossEncoderReranker:
    name = "cross-encoder"

    def __init__(self, model_path: str) -> None:
        path = Path(model_path).expanduser()
        if not path.exists():
            raise ConfigError(f"重排序模型路径不存在：{model_path}（只支持本地路径）")
        self.path = path
        self._model: Any = None

    def rerank(self, query: str, hits: list[Hit], snapshot: Snapshot) -> list[Hit]:
        if not hits:
            return hits
        if self._model is None:
            import os

            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            from sentence_transformers import CrossEncoder

            self._model = CrossEncoder(str(self.path), device="cpu", local_files_only=True)
        pairs = [(query, snapshot.chunks[h.idx]["text"]) for h in hits]
        scores = self._model.predict(pairs, show_progress_bar=False)
        for h, s in zip(hits, scores, strict=True):
            h.stages["cross_encoder"] = float(s)
            h.score = float(s)
        return sorted(hits, key=lambda h: -h.score)
