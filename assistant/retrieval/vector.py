"""Dense retrieval from the snapshot's Chroma collection with the index's own embedder."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from assistant.index.snapshot import Snapshot
from assistant.retrieval.hits import Hit


class VectorRetriever:
    name = "vector"

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot

    def search(self, query: str, k: int, *, include_expired: bool = False) -> list[Hit]:
        vec = self.snapshot.embedder.embed_query(query)
        if not np.any(vec):
            # no word the index knows: the query has no direction, every passage is as near as another, and which
            # ones the graph search returns depends on what it searched before
            return []
        n = len(self.snapshot.chunks)
        # Over-fetch and filter in Python: a Chroma `where` costs more than the extra rows (see STACK notes).
        fetch = min(n, k * 3 + 10)
        try:
            res = self.snapshot.collection.query(query_embeddings=[vec.tolist()], n_results=fetch, include=["distances"])
        except Exception as exc:  # a Chroma server that went away; the embedded store does not raise here
            from assistant.index.chroma_store import VectorStoreUnavailable

            raise VectorStoreUnavailable() from exc
        hits = []
        for cid, dist in zip(res["ids"][0], res["distances"][0], strict=True):
            idx = self.snapshot.position.get(cid)
            if idx is None or (not include_expired and not self.snapshot.in_force(idx)):
                continue
            sim = 1.0 - float(dist)
            hits.append(Hit(idx=idx, score=sim, stages={"vector": sim}))
            if len(hits) >= k:
                break
        return hits


def with_similarity(question: str, hits: list[Hit], snapshot: Snapshot) -> list[Hit]:
    """The hits, each with a cosine similarity: a passage only the keyword search found has none from the vector
    search, and would read as unrelated (0) however closely it matches; it gets its cosine with ``question``. A hit
    the vector search scored keeps that score (against the text it was searched with)."""
    if all("vector" in h.stages for h in hits):
        return hits
    query = snapshot.embedder.embed_query(question)
    if not np.any(query):
        return hits
    norm = float(np.linalg.norm(query)) or 1.0

    def cosine(idx: int) -> float:
        v = np.asarray(snapshot.vectors[idx], dtype=float)
        return float(v @ query) / ((float(np.linalg.norm(v)) or 1.0) * norm)

    return [h if "vector" in h.stages else replace(h, stages={**h.stages, "vector": cosine(h.idx)}) for h in hits]
