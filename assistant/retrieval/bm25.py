"""BM25 over jieba tokens (bm25s, built at index time, loaded once per snapshot)."""

from __future__ import annotations

from assistant.index.snapshot import Snapshot
from assistant.retrieval.backoff import backed_off
from assistant.retrieval.hits import Hit
from assistant.retrieval.tokenizer import get_tokenizer


class BM25Retriever:
    name = "bm25"

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.tokenizer = get_tokenizer()

    def search(self, query: str, k: int, *, include_expired: bool = False) -> list[Hit]:
        tokens = [w for t in self.tokenizer.query_words(query, self.snapshot.idf) for w in backed_off(t, self.snapshot)]
        if not tokens:
            return []
        n = len(self.snapshot.chunks)
        fetch = min(n, k * 3 + 10)
        docs, scores = self.snapshot.bm25.retrieve([tokens], k=fetch, show_progress=False, n_threads=1)
        hits = []
        for idx, score in zip(docs[0].tolist(), scores[0].tolist(), strict=True):
            if score <= 0:  # bm25s returns k docs even when nothing matches
                continue
            if not include_expired and not self.snapshot.in_force(idx):
                continue
            hits.append(Hit(idx=idx, score=float(score), stages={"bm25": float(score)}))
            if len(hits) >= k:
                break
        return hits
